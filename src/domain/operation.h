// Operation (clause 8) beyond risk: the descriptions and rules of its registers.
//   A.5.24-5.28 information security incidents (Incidents): reported, triaged, contained,
//        resolved and closed, with their timeline, the assets affected, the risks they bear on,
//        the lessons learned and the nonconformity raised from them
#pragma once

#include <string_view>

#include "domain/register.h"

namespace rampart::domain {

const RegisterSpec& Incidents();

// An incident's states, in the order it is handled: reported, triaged (assessed and classified,
// a handler named), contained, resolved, closed (lessons learned recorded).
inline constexpr std::string_view kIncidentReported = "reported";
inline constexpr std::string_view kIncidentTriaged = "triaged";
inline constexpr std::string_view kIncidentContained = "contained";
inline constexpr std::string_view kIncidentResolved = "resolved";
inline constexpr std::string_view kIncidentClosed = "closed";

}  // namespace rampart::domain

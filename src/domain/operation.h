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

const RegisterSpec& Suppliers();
const RegisterSpec& SupplierAssessments();
const RegisterSpec& OperationalActivities();
const RegisterSpec& ActivityOccurrences();

// The outcomes of an occurrence that count as the activity having been carried out (one not
// performed leaves the activity missed).
inline constexpr std::string_view kOccurrenceCompleted = "completed";
inline constexpr std::string_view kOccurrenceIssuesFound = "issues_found";
inline constexpr std::string_view kOccurrenceNotPerformed = "not_performed";

// The date by which an operational activity's next occurrence is expected: its last occurrence
// carried out (`last`, YYYY-MM-DD; empty when there is none), or else its start date, plus its
// frequency (every `every` days, weeks, months or years). Empty when the activity has no valid
// start date or frequency.
std::string NextOccurrenceDue(const Json& activity, std::string_view last);
// The day since which an active activity's occurrence is missed on `today` — its expected date,
// when that is before today — or empty when it is not missed (retired, or not due yet).
std::string MissedSince(const Json& activity, std::string_view last, std::string_view today);
// The day a supplier's certificate expired on `today`: `expires` (the latest certificate expiry
// its assessments and their evidence record) when that is before today and the supplier is not
// terminated; otherwise empty.
std::string CertificateExpiredOn(const Json& supplier, std::string_view expires,
                                 std::string_view today);

}  // namespace rampart::domain

// Clause 10, improvement: the descriptions and rules of its registers.
//   10.2 nonconformities and corrective action (Nonconformities): what did not conform, the
//        reaction to it, its root cause, the corrective actions (tasks of the nonconformity) and
//        the review of their effectiveness
//   10.1 continual improvement                 (Improvements): opportunities for improvement
//        from any source, the decision taken on each and what came of it
#pragma once

#include <string_view>

#include "domain/register.h"

namespace rampart::domain {

const RegisterSpec& Nonconformities();
const RegisterSpec& Improvements();

// A nonconformity's states, in the order of clause 10.2: open (recorded, reacted to), action
// planned (cause found, corrective actions decided), action done (every corrective action done),
// effectiveness verified (reviewed and found effective), closed.
inline constexpr std::string_view kNcOpen = "open";
inline constexpr std::string_view kNcActionPlanned = "action_planned";
inline constexpr std::string_view kNcActionDone = "action_done";
inline constexpr std::string_view kNcVerified = "effectiveness_verified";
inline constexpr std::string_view kNcClosed = "closed";

// True when a write of a nonconformity records a review that found its corrective action not
// effective (`before`: the record as stored; nullptr on create): the actions are taken up again.
bool FoundNotEffective(const Json& fields, const Json* before);

// A nonconformity whose corrective actions are done again (it reaches action done from an
// earlier or later step: planned again after a review found them not effective, or reopened
// after closing) needs a new review of their effectiveness: the review carried over from before
// is cleared (it stays in the record's history). A review given in the same write is kept, for
// the rule to judge.
void ClearCarriedOverReview(Json& fields, const Json* before);

}  // namespace rampart::domain

// Clause 9.3, management review: the description and rules of its register.
//
// A management review is top management's look at the ISMS at planned intervals. Its record
// holds the meeting (date, chair, attendees), the inputs clause 9.3.2 asks for, the
// discussion (minutes) and the decisions (9.3.3), and moves draft -> held -> approved:
//   draft     being prepared: Rampart writes the inputs from the records (`input_snapshot`,
//             rows of topic and summary) afresh at every change, as of the review's date
//   held      the meeting took place (on or after its date, with at least one member of top
//             management among the attendees): the snapshot is taken one last time and frozen;
//             comments, minutes and decisions are still written
//   approved  the minutes were approved by top management (a use case with documents:approve:
//             app::ManagementReviewService::Approve), which stamps `approved_by`/`approved_on`;
//             nothing changes afterwards but the follow-ups of decisions
// The snapshot is Rampart's (read-only); people comment on each input in `input_comments`.
// A decision can be followed up as a task, a planned change, an objective or an improvement:
// the record is created and the decision's `follow_up` names it. Pure domain; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/register.h"

namespace rampart::domain {

const RegisterSpec& ManagementReviews();

inline constexpr std::string_view kReviewDraft = "draft";
inline constexpr std::string_view kReviewHeld = "held";
inline constexpr std::string_view kReviewApproved = "approved";

// The inputs of clause 9.3.2, in order: the topics of the snapshot and of the comments.
struct ReviewTopic {
  std::string_view value;   // "nonconformities"
  std::string_view label;   // "Nonconformities and corrective actions"
  std::string_view clause;  // "9.3.2 d) 1)"
};
const std::vector<ReviewTopic>& ReviewTopics();

// The register a decision's follow-up is created in ("task", "planned_change", "objective",
// "improvement"); nullptr for another kind (a decision followed up outside Rampart).
const RegisterSpec* FollowUpRegister(std::string_view kind);

// The topics of the snapshot that `fields` has no comment on, in order (what keeps the minutes
// from being approved).
std::vector<std::string> UncommentedTopics(const Json& fields);

}  // namespace rampart::domain

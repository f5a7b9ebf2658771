// Management review (clause 9.3) beyond its register: the inputs Rampart writes from the records,
// the rules that need the store, the approval of the minutes and the follow-up of decisions.
//
// Inputs. While a review is a draft, every write of it takes its snapshot afresh (one row per
// topic of domain::ReviewTopics, a Markdown summary linking the records) as of its date: the
// period reviewed runs from the date of the previous review held (or approved) before it — or
// from the start, for the first — to the review's date. What happened in the period is read by
// its dates (nonconformities detected, audits finished, findings found, incidents reported,
// communications logged, context issues and interested parties changed); where things stand
// (statuses of nonconformities, risks, objectives, improvements, metrics) is read as it is when
// the snapshot is taken. The write that marks the review held takes it one last time; from then
// on it is frozen (later writes keep it as it is, whatever they send).
//
// About 20 statements per snapshot, whatever the number of records (counts by group, and pages
// of at most kListed records per topic).
//
// Errors: as RegisterService (kPermissionDenied, kNotFound, kInvalidArgument with the field,
// kPreconditionRequired and kConflict for a missing or stale version, kFailedPrecondition for a
// step the review's state does not allow). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/metric_service.h"
#include "app/principal.h"
#include "app/register_service.h"
#include "base/clock.h"
#include "domain/management_review.h"
#include "store/store.h"

namespace rampart::app {

class ManagementReviewService {
 public:
  ManagementReviewService(store::Store& store, const Clock& clock, RegisterService& registers,
                          MetricService& metrics)
      : store_(store), clock_(clock), registers_(registers), metrics_(metrics) {}

  // Records listed by name in one topic's summary; beyond, the summary says how many more.
  static constexpr int kListed = 15;

  // The write hook of management reviews: the snapshot (above); a review is held on or after
  // its date ("status") with at least one executive among its attendees ("attendees"); a
  // decision's follow-up names a record of its register ("decisions[i].follow_up").
  Status OnReviewWrite(const Principal& p, domain::Json& fields, const domain::Json* before,
                       std::vector<domain::FieldError>& errors);

  // The inputs of a review dated `date` (YYYY-MM-DD): what its snapshot holds when taken now.
  // Rows {topic, summary}, in the order of domain::ReviewTopics.
  Result<domain::Json> Inputs(const Principal& p, const std::string& date);

  // Approves the minutes of held review `id` (documents:approve, top management): every input
  // commented on ("input_comments"), minutes written ("minutes") and at least one decision
  // ("decisions"); stamps approved_by and approved_on and logs, in the same write, the
  // attendance of each executive attendee in the commitments log (clause 5.1).
  Result<domain::Record> Approve(const Principal& p, int64_t id, std::optional<int64_t> version);

  // Follows decision `row` (from 0) of review `id` up: creates the record its kind asks for (a
  // task of the review; a planned change, objective or improvement saying it comes from the
  // review) with the decision as its title, its owner and due date, and names it in the
  // decision's follow_up — one write. The review is held or approved; the decision has a kind
  // and no follow-up yet. The created record's own rules apply (an objective needs a due date):
  // a refusal names the decision's column ("decisions[2].due"). Returns the created record.
  Result<domain::Record> FollowUp(const Principal& p, int64_t id, int row,
                                  std::optional<int64_t> version);

 private:
  store::Store& store_;
  const Clock& clock_;
  RegisterService& registers_;
  MetricService& metrics_;
};

}  // namespace rampart::app

// Tasks and clause 10's registers: what a task's link and recurrence need and when the next one
// is due; what each step of a nonconformity needs (cause before action, effectiveness reviewed
// only once the action is done, closure only after an effective review, not effective sends it
// back); what deciding on and implementing an improvement need.
#include "domain/improvement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/tasks.h"
#include "support/field_errors.h"

namespace rampart::domain {
namespace {

using test::ErrorOn;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<FieldError> Errors(const RegisterSpec& spec, const Json& input,
                               const Json* before = nullptr) {
  std::vector<FieldError> errors;
  (void)ValidateFields(spec, input, before == nullptr ? WriteMode::kCreate : WriteMode::kUpdate,
                       before, errors);
  return errors;
}

Json Valid(const RegisterSpec& spec, const Json& input) {
  std::vector<FieldError> errors;
  Json out = ValidateFields(spec, input, WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors, IsEmpty());
  return out;
}

// --- Tasks ---

Json Task() { return {{"title", "Review access to payroll"}, {"owner", 2}}; }

TEST(Tasks, StartOpenAtMediumPriority) {
  const Json t = Valid(Tasks(), Task());
  EXPECT_EQ(t["status"], "open");
  EXPECT_EQ(t["priority"], "medium");
  EXPECT_TRUE(t["completed_on"].is_null());
}

TEST(Tasks, NeedAnOwner) {
  EXPECT_THAT(Errors(Tasks(), {{"title", "Nobody's task"}}), ElementsAre(ErrorOn("owner")));
}

TEST(Tasks, NameTheirRecordByRegisterAndIdTogether) {
  Json t = Task();
  t["record_type"] = "nonconformity";
  EXPECT_THAT(Errors(Tasks(), t), ElementsAre(ErrorOn("record_id", "by its id")));
  t.erase("record_type");
  t["record_id"] = 4;
  EXPECT_THAT(Errors(Tasks(), t), ElementsAre(ErrorOn("record_type", "register")));
  t["record_type"] = "nonconformity";
  EXPECT_THAT(Errors(Tasks(), t), IsEmpty());
}

TEST(Tasks, RefuseAnUnknownRegisterOrAnotherTask) {
  Json t = Task();
  t["record_id"] = 4;
  t["record_type"] = "spreadsheet";
  EXPECT_THAT(Errors(Tasks(), t), ElementsAre(ErrorOn("record_type", "not a register")));
  t["record_type"] = "task";
  EXPECT_THAT(Errors(Tasks(), t), ElementsAre(ErrorOn("record_type", "not a register")));
  t["record_type"] = "risk";
  EXPECT_THAT(Errors(Tasks(), t), IsEmpty());
}

TEST(Tasks, RecurrenceNeedsItsIntervalUnitStartAndADueDate) {
  Json t = Task();
  t["recurrence_every"] = 3;
  EXPECT_THAT(Errors(Tasks(), t),
              ElementsAre(ErrorOn("recurrence_unit"), ErrorOn("recurrence_from"),
                          ErrorOn("due_date", "recurring")));
  t["recurrence_unit"] = "months";
  t["recurrence_from"] = "due_date";
  t["due_date"] = "2027-01-31";
  EXPECT_THAT(Errors(Tasks(), t), IsEmpty());
  t.erase("recurrence_every");
  EXPECT_THAT(Errors(Tasks(), t),
              ElementsAre(ErrorOn("recurrence_every"), ErrorOn("recurrence_every")));
  t["recurrence_every"] = 0;
  EXPECT_THAT(Errors(Tasks(), t), ElementsAre(ErrorOn("recurrence_every")));
}

TEST(Tasks, DoneNeedsWhatWasDone) {
  Json t = Task();
  t["status"] = "done";
  EXPECT_THAT(Errors(Tasks(), t), ElementsAre(ErrorOn("outcome", "what was done")));
  t["outcome"] = "Removed 3 leavers' accounts.";
  EXPECT_THAT(Errors(Tasks(), t), IsEmpty());
}

TEST(Tasks, CompletedOnIsSetByTheWorkflowOnly) {
  Json t = Task();
  t["completed_on"] = "2026-12-01";
  EXPECT_THAT(Errors(Tasks(), t), ElementsAre(ErrorOn("completed_on")));
}

TEST(Tasks, NextDueCountsFromTheDueDateOrTheCompletion) {
  Json t = Valid(Tasks(), {{"title", "Quarterly access review"},
                           {"owner", 2},
                           {"due_date", "2027-01-31"},
                           {"recurrence_every", 3},
                           {"recurrence_unit", "months"},
                           {"recurrence_from", "due_date"}});
  EXPECT_EQ(NextTaskDue(t, "2027-02-10"), "2027-04-30");  // the 31st becomes the month's last day
  t["recurrence_from"] = "completion";
  EXPECT_EQ(NextTaskDue(t, "2027-02-10"), "2027-05-10");
  t["recurrence_unit"] = "weeks";
  EXPECT_EQ(NextTaskDue(t, "2027-02-10"), "2027-03-03");
  t["recurrence_unit"] = "days";
  EXPECT_EQ(NextTaskDue(t, "2027-12-30"), "2028-01-02");
  t["recurrence_unit"] = "years";
  t["recurrence_every"] = 1;
  EXPECT_EQ(NextTaskDue(t, "2028-02-29"), "2029-02-28");
  t["recurrence_every"] = nullptr;
  EXPECT_EQ(NextTaskDue(t, "2027-02-10"), "");
}

TEST(Tasks, MonthlySeriesKeepToTheirFirstDueDay) {
  Json t = Valid(Tasks(), {{"title", "Month-end reconciliation of privileged accounts"},
                           {"owner", 2},
                           {"due_date", "2027-02-28"},
                           {"recurrence_every", 1},
                           {"recurrence_unit", "months"},
                           {"recurrence_from", "due_date"}});
  t["recurrence_anchor"] = "2027-01-31";  // the series began on 31 January
  EXPECT_EQ(NextTaskDue(t, "2027-03-02"), "2027-03-31");
  t["due_date"] = "2027-04-30";
  EXPECT_EQ(NextTaskDue(t, "2027-04-30"), "2027-05-31");
  t["recurrence_every"] = 3;  // every quarter from 31 January: 30 April, 31 July
  EXPECT_EQ(NextTaskDue(t, "2027-04-30"), "2027-07-31");
  t["recurrence_from"] = "completion";  // from completion there is no series day to keep
  EXPECT_EQ(NextTaskDue(t, "2027-05-02"), "2027-08-02");
}

TEST(Tasks, SeriesEndOnTheirLastDayAndWithinTheCalendar) {
  Json t = Valid(Tasks(), {{"title", "Weekly backup restore test"},
                           {"owner", 2},
                           {"due_date", "2027-03-01"},
                           {"recurrence_every", 1},
                           {"recurrence_unit", "weeks"},
                           {"recurrence_from", "due_date"},
                           {"recurrence_until", "2027-03-08"}});
  EXPECT_EQ(NextTaskDue(t, "2027-03-01"), "2027-03-08");  // the last day itself is still in
  t["due_date"] = "2027-03-08";
  EXPECT_EQ(NextTaskDue(t, "2027-03-08"), "");
  t.erase("recurrence_until");
  t["due_date"] = "9999-12-30";
  EXPECT_EQ(NextTaskDue(t, "9999-12-30"), "");  // 10000-01-06 is no date
}

TEST(Tasks, RepeatUntilNeedsARecurrenceAndFollowsTheDueDate) {
  Json t = Task();
  t["recurrence_until"] = "2027-12-31";
  EXPECT_THAT(Errors(Tasks(), t), ElementsAre(ErrorOn("recurrence_every")));
  t["recurrence_every"] = 1;
  t["recurrence_unit"] = "months";
  t["recurrence_from"] = "due_date";
  t["due_date"] = "2028-01-31";
  EXPECT_THAT(Errors(Tasks(), t), ElementsAre(ErrorOn("recurrence_until", "cannot end before")));
  t["due_date"] = "2027-01-31";
  EXPECT_THAT(Errors(Tasks(), t), IsEmpty());
}

TEST(Nonconformities, ANewRoundOfActionsClearsTheReviewCarriedOver) {
  const Json before = {{"status", "action_planned"},
                       {"effectiveness", "not_effective"},
                       {"effectiveness_reviewed_on", "2027-03-01"},
                       {"effectiveness_evidence", "Sampled 20 leavers: 2 still active."}};
  Json fields = before;
  fields["status"] = "action_done";
  ClearCarriedOverReview(fields, &before);
  EXPECT_TRUE(fields["effectiveness"].is_null());
  EXPECT_TRUE(fields["effectiveness_reviewed_on"].is_null());
  EXPECT_TRUE(fields["effectiveness_evidence"].is_null());
  // A review written in the same step is left for the rule to judge; other steps keep theirs.
  Json reviewed = before;
  reviewed["status"] = "action_done";
  reviewed["effectiveness"] = "effective";
  ClearCarriedOverReview(reviewed, &before);
  EXPECT_EQ(reviewed["effectiveness"], "effective");
  Json verified = before;
  verified["status"] = "effectiveness_verified";
  ClearCarriedOverReview(verified, &before);
  EXPECT_EQ(verified["effectiveness"], "not_effective");
}

TEST(Tasks, AreClosedWhenDoneOrCancelled) {
  EXPECT_TRUE(IsTaskClosed({{"status", "done"}}));
  EXPECT_TRUE(IsTaskClosed({{"status", "cancelled"}}));
  EXPECT_FALSE(IsTaskClosed({{"status", "in_progress"}}));
  EXPECT_FALSE(IsTaskClosed({{"status", "open"}}));
}

// --- 10.2 Nonconformities ---

Json Nc() {
  return {{"title", "Leavers' accounts not removed"},
          {"source", "internal_audit"},
          {"grade", "minor"},
          {"description", "3 of 25 leavers sampled still had active accounts."},
          {"requirement", "A.5.18"},
          {"detected_on", "2026-11-02"},
          {"owner", 2}};
}

Json Planned(Json in = Nc()) {
  in["status"] = "action_planned";
  in["reaction"] = "The 3 accounts were disabled the same day.";
  in["root_cause_method"] = "five_whys";
  in["root_cause"] = "HR's leaver notice does not reach IT.";
  in["similar_nonconformities"] = "Contractors leave the same way; included in the action.";
  in["action_due"] = "2026-12-15";
  in["effectiveness_due"] = "2027-02-15";
  in["effectiveness_reviewer"] = 3;
  return in;
}

Json Reviewed(Json in, const std::string& result) {
  in["effectiveness"] = result;
  in["effectiveness_reviewed_on"] = "2027-02-10";
  in["effectiveness_evidence"] = "Sample of 20 leavers: all removed within a day.";
  return in;
}

TEST(Nonconformities, AreRecordedOpenWithWhatWasNotMet) {
  const Json nc = Valid(Nonconformities(), Nc());
  EXPECT_EQ(nc["status"], "open");
  Json missing = Nc();
  missing.erase("requirement");
  missing.erase("grade");
  EXPECT_THAT(Errors(Nonconformities(), missing),
              ElementsAre(ErrorOn("grade"), ErrorOn("requirement")));
}

TEST(Nonconformities, PlanningActionNeedsReactionCauseSimilarAndReviewPlan) {
  const Json before = Valid(Nonconformities(), Nc());
  Json planned = before;
  planned["status"] = "action_planned";
  EXPECT_THAT(Errors(Nonconformities(), planned, &before),
              ElementsAre(ErrorOn("reaction"), ErrorOn("root_cause_method"), ErrorOn("root_cause"),
                          ErrorOn("similar_nonconformities"), ErrorOn("action_due"),
                          ErrorOn("effectiveness_due"), ErrorOn("effectiveness_reviewer")));
  EXPECT_THAT(Errors(Nonconformities(), Planned(before), &before), IsEmpty());
}

TEST(Nonconformities, AreNotCreatedPastPlanning) {
  Json nc = Planned();
  nc["status"] = "action_done";
  EXPECT_THAT(Errors(Nonconformities(), nc), ElementsAre(ErrorOn("status", "recorded open")));
}

TEST(Nonconformities, EffectivenessIsReviewedOnceTheActionIsDone) {
  const Json planned = Valid(Nonconformities(), Planned());
  EXPECT_THAT(Errors(Nonconformities(), Reviewed(planned, "effective"), &planned),
              ElementsAre(ErrorOn("effectiveness", "once the corrective actions are done")));
  Json done = planned;
  done["status"] = "action_done";
  Json verified = Reviewed(done, "effective");
  verified["status"] = "effectiveness_verified";
  EXPECT_THAT(Errors(Nonconformities(), verified, &done), IsEmpty());
}

TEST(Nonconformities, AReviewNeedsItsDateAndEvidence) {
  Json done = Valid(Nonconformities(), Planned());
  done["status"] = "action_done";
  Json verified = done;
  verified["status"] = "effectiveness_verified";
  verified["effectiveness"] = "effective";
  EXPECT_THAT(Errors(Nonconformities(), verified, &done),
              ElementsAre(ErrorOn("effectiveness_reviewed_on"), ErrorOn("effectiveness_evidence")));
}

TEST(Nonconformities, VerifyingOrClosingNeedsAnEffectiveReview) {
  Json done = Valid(Nonconformities(), Planned());
  done["status"] = "action_done";
  Json verified = done;
  verified["status"] = "effectiveness_verified";
  EXPECT_THAT(Errors(Nonconformities(), verified, &done),
              ElementsAre(ErrorOn("effectiveness", "found the corrective action effective")));
  // Closing straight from "action done" is not a step of the lifecycle.
  Json closed = Reviewed(done, "effective");
  closed["status"] = "closed";
  EXPECT_THAT(Errors(Nonconformities(), closed, &done), ElementsAre(ErrorOn("status")));
}

TEST(Nonconformities, NotEffectiveSendsTheActionBackToPlanning) {
  Json done = Valid(Nonconformities(), Planned());
  done["status"] = "action_done";
  Json failed = Reviewed(done, "not_effective");
  EXPECT_THAT(Errors(Nonconformities(), failed, &done),
              ElementsAre(ErrorOn("status", "planned again")));
  failed["status"] = "action_planned";
  EXPECT_THAT(Errors(Nonconformities(), failed, &done), IsEmpty());
  EXPECT_TRUE(FoundNotEffective(failed, &done));
  // The earlier review stays on record while the new actions are carried out.
  Json replanned = failed;
  replanned["status"] = "action_done";
  EXPECT_FALSE(FoundNotEffective(replanned, &failed));
  EXPECT_THAT(Errors(Nonconformities(), replanned, &failed), IsEmpty());
  Json verified = Reviewed(replanned, "effective");
  verified["status"] = "effectiveness_verified";
  EXPECT_THAT(Errors(Nonconformities(), verified, &replanned), IsEmpty());
}

TEST(Nonconformities, AreOverduePastTheirActionDueDateUntilClosed) {
  Json nc = Valid(Nonconformities(), Planned());
  EXPECT_TRUE(IsPastDue(Nonconformities(), nc, "2026-12-16"));
  EXPECT_FALSE(IsPastDue(Nonconformities(), nc, "2026-12-15"));
  nc["status"] = "closed";
  EXPECT_FALSE(IsPastDue(Nonconformities(), nc, "2027-12-16"));
}

// --- 10.1 Improvements ---

Json Improvement() {
  return {{"title", "Automate leaver deprovisioning"},
          {"source", "nonconformity"},
          {"raised_on", "2026-11-20"}};
}

TEST(Improvements, ADecisionNamesWhoWhenAndWhy) {
  const Json before = Valid(Improvements(), Improvement());
  EXPECT_EQ(before["status"], "proposed");
  Json accepted = before;
  accepted["status"] = "accepted";
  EXPECT_THAT(Errors(Improvements(), accepted, &before),
              ElementsAre(ErrorOn("decision"), ErrorOn("decided_by"), ErrorOn("decided_on")));
  accepted["decision"] = "Worth it: removes the manual step.";
  accepted["decided_by"] = 2;
  accepted["decided_on"] = "2026-11-10";
  EXPECT_THAT(Errors(Improvements(), accepted, &before),
              ElementsAre(ErrorOn("decided_on", "before the opportunity")));
  accepted["decided_on"] = "2026-11-25";
  EXPECT_THAT(Errors(Improvements(), accepted, &before), IsEmpty());
  Json implemented = accepted;
  implemented["status"] = "implemented";
  EXPECT_THAT(Errors(Improvements(), implemented, &accepted),
              ElementsAre(ErrorOn("outcome", "achieved")));
}

}  // namespace
}  // namespace rampart::domain

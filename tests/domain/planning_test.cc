// Clause 6.2's and 6.3's registers: what an objective's target and closing need, and its
// progress; what approving, scheduling and closing a planned change need.
#include "domain/planning.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "support/field_errors.h"

namespace rampart::domain {
namespace {

using test::ErrorOn;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<FieldError> Errors(const Json& input, WriteMode mode = WriteMode::kCreate,
                               const Json* before = nullptr,
                               const RegisterSpec& spec = PlannedChanges()) {
  std::vector<FieldError> errors;
  (void)ValidateFields(spec, input, mode, before, errors);
  return errors;
}

Json Change() {
  return {{"title", "Move the CRM to a SaaS provider"},
          {"purpose", "Retire the on-premises CRM servers."}};
}

Json Approved(Json in) {
  in["status"] = "approved";
  in["approved_by"] = 2;
  in["approved_on"] = "2026-11-20";
  return in;
}

// --- 6.2 Objectives ---

std::vector<FieldError> ObjectiveErrors(const Json& input, WriteMode mode = WriteMode::kCreate,
                                        const Json* before = nullptr) {
  return Errors(input, mode, before, Objectives());
}

Json Objective() {
  return {{"title", "Report phishing within an hour"}, {"due_date", "2027-06-30"}};
}

// An objective with a measurable target: 95 % of phishing reported within an hour, from 40 %.
Json Measured(Json in = Objective()) {
  in["target_value"] = 95;
  in["unit"] = "%";
  in["direction"] = "increase";
  in["baseline_value"] = 40;
  return in;
}

// `in` stored, then moved to `status` (through in progress when it is a closing state).
Json Stored(const Json& in) {
  std::vector<FieldError> errors;
  Json out = ValidateFields(Objectives(), in, WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors, IsEmpty());
  out["status"] = "in_progress";
  return out;
}

TEST(Objectives, StartsAsPlannedWithItsDueDate) {
  std::vector<FieldError> errors;
  const Json out = ValidateFields(Objectives(), Objective(), WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_EQ(out["status"], "planned");
  Json undated = Objective();
  undated.erase("due_date");
  EXPECT_THAT(ObjectiveErrors(undated), ElementsAre(ErrorOn("due_date", "Due date is required")));
}

TEST(Objectives, ATargetNamesItsUnitAndDirection) {
  Json in = Objective();
  in["target_value"] = 95.5;
  EXPECT_THAT(ObjectiveErrors(in),
              ElementsAre(ErrorOn("unit", "say what the target counts"),
                          ErrorOn("direction", "say whether the target is to reach")));
  EXPECT_THAT(ObjectiveErrors(Measured()), IsEmpty());
}

TEST(Objectives, ABaselineOrCurrentValueNeedsATarget) {
  Json in = Objective();
  in["current_value"] = "62";
  EXPECT_THAT(ObjectiveErrors(in), ElementsAre(ErrorOn("target_value", "set the target")));
}

TEST(Objectives, RefusesATargetThatIsNotANumber) {
  Json in = Measured();
  in["target_value"] = "ninety-five";
  EXPECT_THAT(ObjectiveErrors(in),
              ElementsAre(ErrorOn("target_value", "Target value must be a number")));
}

TEST(Objectives, IsAchievedOnlyWithACurrentValueMeetingTheTarget) {
  const Json before = Stored(Measured());
  Json in = before;
  in["status"] = "achieved";
  EXPECT_THAT(ObjectiveErrors(in, WriteMode::kUpdate, &before),
              ElementsAre(ErrorOn("current_value", "record the value measured")));
  in["current_value"] = 94.9;
  EXPECT_THAT(ObjectiveErrors(in, WriteMode::kUpdate, &before),
              ElementsAre(ErrorOn("current_value", "does not meet the target")));
  in["current_value"] = 95;
  EXPECT_THAT(ObjectiveErrors(in, WriteMode::kUpdate, &before), IsEmpty());
  // Not achieved: the value measured is recorded too, and need not meet the target.
  in["status"] = "not_achieved";
  in["current_value"] = 80;
  EXPECT_THAT(ObjectiveErrors(in, WriteMode::kUpdate, &before), IsEmpty());
}

TEST(Objectives, ADecreaseIsMetAtOrBelowTheTarget) {
  Json in = Measured();
  in["direction"] = "decrease";
  in["target_value"] = 4;
  in["baseline_value"] = 12;
  const Json before = Stored(in);
  in = before;
  in["status"] = "achieved";
  in["current_value"] = 4.5;
  EXPECT_THAT(ObjectiveErrors(in, WriteMode::kUpdate, &before),
              ElementsAre(ErrorOn("current_value", "does not meet the target")));
  in["current_value"] = 3;
  EXPECT_THAT(ObjectiveErrors(in, WriteMode::kUpdate, &before), IsEmpty());
}

TEST(Objectives, WithoutATargetIsJudgedByItsEvaluation) {
  const Json before = Stored(Objective());
  Json in = before;
  in["status"] = "achieved";
  EXPECT_THAT(ObjectiveErrors(in, WriteMode::kUpdate, &before), IsEmpty());
}

TEST(Objectives, IsWorkedOnBeforeItIsAchieved) {
  std::vector<FieldError> errors;
  const Json before =
      ValidateFields(Objectives(), Objective(), WriteMode::kCreate, nullptr, errors);
  ASSERT_THAT(errors, IsEmpty());
  Json in = before;
  in["status"] = "achieved";
  EXPECT_THAT(ObjectiveErrors(in, WriteMode::kUpdate, &before), ElementsAre(ErrorOn("status")));
  in["status"] = "cancelled";
  EXPECT_THAT(ObjectiveErrors(in, WriteMode::kUpdate, &before), IsEmpty());
}

TEST(Objectives, IsOverdueAfterItsDueDateUntilClosed) {
  Json in = Objective();
  in["status"] = "in_progress";
  EXPECT_TRUE(IsPastDue(Objectives(), in, "2027-07-01"));
  EXPECT_FALSE(IsPastDue(Objectives(), in, "2027-06-30"));
  for (const char* closed : {"achieved", "not_achieved", "cancelled"}) {
    in["status"] = closed;
    EXPECT_FALSE(IsPastDue(Objectives(), in, "2027-07-01")) << closed;
  }
}

TEST(ObjectiveProgress, IsTheShareOfTheWayFromBaselineToTarget) {
  Json in = Measured();
  EXPECT_EQ(ObjectiveProgress(in), std::nullopt);  // nothing measured yet
  in["current_value"] = 62.0;
  EXPECT_DOUBLE_EQ(*ObjectiveProgress(in), 40.0);  // 22 of the 55 points
  in["direction"] = "decrease";
  in["baseline_value"] = 12.0;
  in["target_value"] = 4.0;
  in["current_value"] = 6.0;
  EXPECT_DOUBLE_EQ(*ObjectiveProgress(in), 75.0);
  in["current_value"] = 14.0;
  EXPECT_DOUBLE_EQ(*ObjectiveProgress(in), -25.0);  // moved away from the target
  in["direction"] = "maintain";
  EXPECT_EQ(ObjectiveProgress(in), std::nullopt);
  in["direction"] = "increase";
  in["baseline_value"] = 4.0;
  EXPECT_EQ(ObjectiveProgress(in), std::nullopt);  // no way to go
}

TEST(Objectives, DescribesClause62) {
  const RegisterSpec& s = Objectives();
  EXPECT_EQ(s.type, "objective");
  EXPECT_EQ(s.table, "objectives");
  EXPECT_EQ(s.path, "objectives");
  EXPECT_EQ(s.clause, "6.2");
  EXPECT_EQ(s.Field("risks")->ref, "risk");
  EXPECT_EQ(s.Field("controls")->ref, "applied_control");
  EXPECT_EQ(s.Field("target_value")->type, FieldType::kDecimal);
  EXPECT_EQ(s.lifecycle->due_field, "due_date");
}

// --- 6.3 Planned changes ---

TEST(PlannedChanges, StartsAsProposed) {
  std::vector<FieldError> errors;
  const Json out = ValidateFields(PlannedChanges(), Change(), WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_EQ(out["status"], "proposed");
}

TEST(PlannedChanges, RefusesAnApprovalWithoutWhoAndWhen) {
  Json in = Change();
  in["status"] = "approved";
  EXPECT_THAT(Errors(in), ElementsAre(ErrorOn("approved_by", "name who approved the change"),
                                      ErrorOn("approved_on", "say when the change was approved")));
  EXPECT_THAT(Errors(Approved(Change())), IsEmpty());
}

TEST(PlannedChanges, AnApprovedChangeTouchingRisksSaysByWhenTheyAreReassessed) {
  Json in = Approved(Change());
  in["risks"] = {4, 9};
  EXPECT_THAT(Errors(in), ElementsAre(ErrorOn("reassess_by",
                                              "say by when the affected risks are "
                                              "reassessed")));
  in["reassess_by"] = "2027-01-31";
  EXPECT_THAT(Errors(in), IsEmpty());
  // A proposal need not say it yet.
  Json proposed = Change();
  proposed["risks"] = {4, 9};
  EXPECT_THAT(Errors(proposed), IsEmpty());
}

TEST(PlannedChanges, RefusesACompletionBeforeTheStart) {
  Json in = Change();
  in["planned_start"] = "2027-03-01";
  in["planned_end"] = "2027-02-01";
  EXPECT_THAT(Errors(in), ElementsAre(ErrorOn("planned_end",
                                              "the change cannot be completed before it starts")));
}

TEST(PlannedChanges, IsClosedOnlyWithItsOutcome) {
  std::vector<FieldError> errors;
  Json before =
      ValidateFields(PlannedChanges(), Approved(Change()), WriteMode::kCreate, nullptr, errors);
  ASSERT_THAT(errors, IsEmpty());
  before["status"] = "in_progress";
  Json in = before;
  in["status"] = "done";
  EXPECT_THAT(Errors(in, WriteMode::kUpdate, &before),
              ElementsAre(ErrorOn("outcome", "say what the change achieved before closing it")));
  in["outcome"] = "The CRM runs at the provider; the old servers are wiped.";
  EXPECT_THAT(Errors(in, WriteMode::kUpdate, &before), IsEmpty());
}

TEST(PlannedChanges, IsNotApprovedStraightToDone) {
  std::vector<FieldError> errors;
  const Json before =
      ValidateFields(PlannedChanges(), Change(), WriteMode::kCreate, nullptr, errors);
  ASSERT_THAT(errors, IsEmpty());
  Json in = Approved(before);
  in["status"] = "done";
  in["outcome"] = "Done.";
  EXPECT_THAT(Errors(in, WriteMode::kUpdate, &before), ElementsAre(ErrorOn("status")));
}

TEST(PlannedChanges, CountsAsApprovedFromApprovalToDone) {
  for (const char* status : {"approved", "in_progress", "done"}) {
    EXPECT_TRUE(IsApprovedChange({{"status", status}})) << status;
  }
  for (const char* status : {"proposed", "rejected", "cancelled"}) {
    EXPECT_FALSE(IsApprovedChange({{"status", status}})) << status;
  }
  EXPECT_FALSE(IsApprovedChange(Json::object()));
}

TEST(PlannedChanges, DescribesClause63) {
  const RegisterSpec& s = PlannedChanges();
  EXPECT_EQ(s.type, "planned_change");
  EXPECT_EQ(s.table, "planned_changes");
  EXPECT_EQ(s.path, "changes");
  EXPECT_EQ(s.clause, "6.3");
  EXPECT_EQ(s.Field("risks")->ref, "risk");
  EXPECT_EQ(s.Field("controls")->ref, "applied_control");
}

}  // namespace
}  // namespace rampart::domain

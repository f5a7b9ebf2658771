// Clause 6.3's register: what approving, scheduling and closing a planned change need.
#include "domain/planning.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/field_errors.h"

namespace rampart::domain {
namespace {

using test::ErrorOn;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<FieldError> Errors(const Json& input, WriteMode mode = WriteMode::kCreate,
                               const Json* before = nullptr) {
  std::vector<FieldError> errors;
  (void)ValidateFields(PlannedChanges(), input, mode, before, errors);
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

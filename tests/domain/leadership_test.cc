// Clause 5's registers: who may hold an ISMS role, and what an assignment names.
#include "domain/leadership.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "support/field_errors.h"

namespace rampart::domain {
namespace {

using test::ErrorOn;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<FieldError> Errors(const Json& input) {
  std::vector<FieldError> errors;
  (void)ValidateFields(IsmsRoles(), input, WriteMode::kCreate, nullptr, errors);
  return errors;
}

Json Role() {
  return {{"name", "Information security manager"},
          {"responsibilities", "Runs the ISMS day to day and reports on its performance."}};
}

// --- 5.3 ISMS roles ---

TEST(IsmsRoles, StartsActiveWithoutHolders) {
  std::vector<FieldError> errors;
  const Json out = ValidateFields(IsmsRoles(), Role(), WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_EQ(out["status"], "active");
  EXPECT_TRUE(out["holders"].is_null());
}

TEST(IsmsRoles, RequiresItsResponsibilities) {
  Json in = Role();
  in.erase("responsibilities");
  EXPECT_THAT(Errors(in), ElementsAre(ErrorOn("responsibilities", "is required")));
}

TEST(IsmsRoles, RefusesAPersonHoldingTheRoleTwice) {
  Json in = Role();
  in["holders"] = {{{"person", 3}, {"since", "2026-01-01"}},
                   {{"person", 4}},
                   {{"person", 3}, {"note", "again"}}};
  EXPECT_THAT(Errors(in),
              ElementsAre(ErrorOn("holders[2].person", "this person already holds the role")));
}

TEST(IsmsRoles, RefusesADeputyWhoHoldsTheRole) {
  Json in = Role();
  in["holders"] = {{{"person", 3}}};
  in["deputy"] = 3;
  EXPECT_THAT(Errors(in), ElementsAre(ErrorOn("deputy", "the deputy cannot also hold the role")));
  in["deputy"] = 4;
  EXPECT_THAT(Errors(in), IsEmpty());
}

TEST(IsmsRoles, RefusesAHolderRowWithoutItsPerson) {
  Json in = Role();
  in["holders"] = {{{"since", "2026-01-01"}}};
  EXPECT_THAT(Errors(in), ElementsAre(ErrorOn("holders[0].person")));
}

TEST(IsmsRoles, RefusesAnAssignmentDateWithoutWhoAssigned) {
  Json in = Role();
  in["assigned_on"] = "2026-02-01";
  EXPECT_THAT(Errors(in),
              ElementsAre(ErrorOn("assigned_by", "name who in top management assigned the role")));
  in["assigned_by"] = 1;
  EXPECT_THAT(Errors(in), IsEmpty());
}

TEST(IsmsRoles, NoLongerListsProcessesWhichTheRaciRegisterHolds) {
  EXPECT_EQ(IsmsRoles().Field("processes"), nullptr);
  Json in = Role();
  in["processes"] = {"internal_audit"};
  EXPECT_THAT(Errors(in), ElementsAre(ErrorOn("processes",
                                              "unknown field \"processes\" for a "
                                              "isms role")));
}

TEST(IsmsRoles, DescribesClause53) {
  const RegisterSpec& s = IsmsRoles();
  EXPECT_EQ(s.type, "isms_role");
  EXPECT_EQ(s.table, "isms_roles");
  EXPECT_EQ(s.path, "isms-roles");
  EXPECT_EQ(s.clause, "5.3");
  EXPECT_EQ(s.Field("reports_to")->ref, "isms_role");
}

// --- 5.3 ISMS processes (the RACI matrix's rows) ---

std::vector<FieldError> ProcessErrors(const Json& input) {
  std::vector<FieldError> errors;
  (void)ValidateFields(IsmsProcesses(), input, WriteMode::kCreate, nullptr, errors);
  return errors;
}

TEST(IsmsProcesses, StartsBeingDefinedWithoutRoles) {
  std::vector<FieldError> errors;
  const Json out = ValidateFields(IsmsProcesses(), {{"name", "Internal audit"}}, WriteMode::kCreate,
                                  nullptr, errors);
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_EQ(out["status"], "draft");
}

TEST(IsmsProcesses, AnActiveProcessNamesItsResponsibleRole) {
  Json in = {{"name", "Internal audit"}, {"status", "active"}};
  EXPECT_THAT(
      ProcessErrors(in),
      ElementsAre(ErrorOn("responsible", "name the role responsible for an active process")));
  in["responsible"] = 1;
  EXPECT_THAT(ProcessErrors(in), IsEmpty());
}

TEST(IsmsProcesses, OneRoleMayBeResponsibleAndAccountableButNotAlsoConsultedOrInformed) {
  Json in = {{"name", "Risk assessment"}, {"responsible", 1}, {"accountable", 1}};
  EXPECT_THAT(ProcessErrors(in), IsEmpty());
  in["consulted"] = {1, 2};
  EXPECT_THAT(ProcessErrors(in),
              ElementsAre(ErrorOn("consulted", "the responsible role cannot also be consulted"),
                          ErrorOn("consulted", "the accountable role cannot also be consulted")));
  in["consulted"] = {2};
  in["informed"] = {2, 3};
  EXPECT_THAT(ProcessErrors(in), ElementsAre(ErrorOn("informed",
                                                     "a consulted role cannot also be listed as "
                                                     "informed")));
}

TEST(IsmsProcesses, OneResponsibleAndOneAccountableByTheirType) {
  EXPECT_EQ(IsmsProcesses().Field("responsible")->type, FieldType::kRef);
  EXPECT_EQ(IsmsProcesses().Field("accountable")->type, FieldType::kRef);
  EXPECT_EQ(IsmsProcesses().Field("consulted")->type, FieldType::kRefs);
  Json in = {{"name", "Risk assessment"}, {"responsible", {1, 2}}};
  EXPECT_THAT(ProcessErrors(in), ::testing::Not(IsEmpty()));
}

TEST(IsmsProcesses, RaciLettersCombineWhatTheRoleIs) {
  const Json p = {{"responsible", 1}, {"accountable", 1}, {"consulted", {2}}, {"informed", {3}}};
  EXPECT_EQ(RaciLetters(p, 1), "A/R");
  EXPECT_EQ(RaciLetters(p, 2), "C");
  EXPECT_EQ(RaciLetters(p, 3), "I");
  EXPECT_EQ(RaciLetters(p, 4), "");
}

TEST(IsmsProcesses, TheStandardOnesAreNineDistinctNames) {
  std::set<std::string> names;
  for (const auto& p : StandardIsmsProcesses()) names.insert(p.name);
  EXPECT_EQ(names.size(), 9u);
  EXPECT_TRUE(names.contains("Risk assessment"));
  EXPECT_TRUE(names.contains("Awareness"));
}

// --- 5.1 commitments ---

TEST(Commitments, LoggedByHandAreManualAndCannotClaimToBeAutomatic) {
  const Json in = {{"kind", "management_review_attendance"},
                   {"statement", "Attended the management review of 2026."},
                   {"committed_by", 1},
                   {"committed_on", "2026-11-30"}};
  std::vector<FieldError> errors;
  const Json out = ValidateFields(Commitments(), in, WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_EQ(out["origin"], "manual");
  Json forged = in;
  forged["origin"] = "automatic";
  (void)ValidateFields(Commitments(), forged, WriteMode::kCreate, nullptr, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "origin");
}

TEST(Commitments, OnlyThoseLoggedByHandCanBeChanged) {
  ASSERT_TRUE(Commitments().lifecycle.has_value());
  EXPECT_TRUE(Commitments().lifecycle->IsEditableIn("manual"));
  EXPECT_FALSE(Commitments().lifecycle->IsEditableIn("automatic"));
}

}  // namespace
}  // namespace rampart::domain

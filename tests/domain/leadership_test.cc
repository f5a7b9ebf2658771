// Clause 5's registers: who may hold an ISMS role, and what an assignment names.
#include "domain/leadership.h"

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

TEST(IsmsRoles, TakesPartInKnownIsmsProcessesOnly) {
  Json in = Role();
  in["processes"] = {"internal_audit", "risk_assessment"};
  EXPECT_THAT(Errors(in), IsEmpty());
  in["processes"] = {"catering"};
  EXPECT_THAT(Errors(in), ElementsAre(ErrorOn("processes[0]",
                                              "ISMS processes: \"catering\" is not one of the "
                                              "choices")));
}

TEST(IsmsRoles, DescribesClause53) {
  const RegisterSpec& s = IsmsRoles();
  EXPECT_EQ(s.type, "isms_role");
  EXPECT_EQ(s.table, "isms_roles");
  EXPECT_EQ(s.path, "isms-roles");
  EXPECT_EQ(s.clause, "5.3");
  EXPECT_EQ(s.Field("reports_to")->ref, "isms_role");
}

}  // namespace
}  // namespace rampart::domain

// Clause 4's registers: the rules of context issues and interested parties, and when a scope
// statement can be approved.
#include "domain/context.h"

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

std::vector<FieldError> Errors(const RegisterSpec& spec, const Json& input) {
  std::vector<FieldError> errors;
  (void)ValidateFields(spec, input, WriteMode::kCreate, nullptr, errors);
  return errors;
}

Json Issue(const std::string& kind) { return {{"title", "An issue"}, {"kind", kind}}; }

// --- 4.1 Context issues ---

TEST(ContextIssues, RefusesAnInternalIssueInAnExternalQuadrant) {
  for (const char* quadrant : {"threat", "opportunity"}) {
    Json in = Issue("internal");
    in["swot"] = quadrant;
    EXPECT_THAT(Errors(ContextIssues(), in),
                ElementsAre(ErrorOn("swot", "an internal issue is a strength or a weakness")))
        << quadrant;
  }
}

TEST(ContextIssues, RefusesAnExternalIssueInAnInternalQuadrant) {
  for (const char* quadrant : {"strength", "weakness"}) {
    Json in = Issue("external");
    in["swot"] = quadrant;
    EXPECT_THAT(Errors(ContextIssues(), in),
                ElementsAre(ErrorOn("swot", "an external issue is an opportunity or a threat")))
        << quadrant;
  }
}

TEST(ContextIssues, AcceptsMatchingQuadrants) {
  for (const auto& [kind, quadrant] :
       std::vector<std::pair<std::string, std::string>>{{"internal", "strength"},
                                                        {"internal", "weakness"},
                                                        {"external", "opportunity"},
                                                        {"external", "threat"}}) {
    Json in = Issue(kind);
    in["swot"] = quadrant;
    EXPECT_THAT(Errors(ContextIssues(), in), IsEmpty()) << kind << " " << quadrant;
  }
}

TEST(ContextIssues, AcceptsAnIssueWithoutAQuadrant) {
  EXPECT_THAT(Errors(ContextIssues(), Issue("internal")), IsEmpty());
  EXPECT_THAT(Errors(ContextIssues(), Issue("external")), IsEmpty());
}

TEST(ContextIssues, RefusesAPestleCategoryOnAnInternalIssue) {
  Json in = Issue("internal");
  in["pestle"] = "legal";
  EXPECT_THAT(Errors(ContextIssues(), in),
              ElementsAre(ErrorOn("pestle", "a PESTLE category applies to external issues only")));
}

TEST(ContextIssues, AcceptsAPestleCategoryOnAnExternalIssue) {
  Json in = Issue("external");
  in["pestle"] = "technological";
  in["swot"] = "threat";
  EXPECT_THAT(Errors(ContextIssues(), in), IsEmpty());
}

TEST(ContextIssues, ReportsBothRuleViolationsAtOnce) {
  Json in = Issue("internal");
  in["swot"] = "threat";
  in["pestle"] = "economic";
  EXPECT_THAT(Errors(ContextIssues(), in), ElementsAre(ErrorOn("swot"), ErrorOn("pestle")));
}

TEST(ContextIssues, AppliesItsRulesOnlyToAFieldValidRecord) {
  Json in = Issue("internal");
  in["swot"] = "threat";
  in["title"] = "";
  EXPECT_THAT(Errors(ContextIssues(), in), ElementsAre(ErrorOn("title", "is required")));
}

TEST(ContextIssues, DescribesClause41) {
  const RegisterSpec& s = ContextIssues();
  EXPECT_EQ(s.type, "context_issue");
  EXPECT_EQ(s.table, "context_issues");
  EXPECT_EQ(s.path, "context-issues");
  EXPECT_EQ(s.clause, "4.1");
  EXPECT_EQ(s.title_field, "title");
}

// --- 4.2 Interested parties ---

Json Party(Json requirements) {
  return {{"name", "Data protection authority"},
          {"type", "regulator"},
          {"requirements", std::move(requirements)}};
}

TEST(InterestedParties, RefusesAnAddressedRequirementWithoutSayingHow) {
  const Json rows = {
      {{"text", "Notify breaches within 72 hours"}, {"source", "legal"}, {"addressed", true}}};
  EXPECT_THAT(
      Errors(InterestedParties(), Party(rows)),
      ElementsAre(ErrorOn("requirements[0].how", "say how the ISMS addresses this requirement")));
}

TEST(InterestedParties, TreatsABlankHowAsMissing) {
  const Json rows = {
      {{"text", "Notify breaches"}, {"source", "legal"}, {"addressed", true}, {"how", "   "}}};
  EXPECT_THAT(Errors(InterestedParties(), Party(rows)),
              ElementsAre(ErrorOn("requirements[0].how")));
}

TEST(InterestedParties, NamesTheRowOfTheRequirement) {
  const Json rows = {
      {{"text", "Annual audit report"}, {"source", "regulatory"}},
      {{"text", "Notify breaches"}, {"source", "legal"}, {"addressed", true}},
  };
  EXPECT_THAT(Errors(InterestedParties(), Party(rows)),
              ElementsAre(ErrorOn("requirements[1].how")));
}

TEST(InterestedParties, AcceptsAnAddressedRequirementThatSaysHow) {
  const Json rows = {{{"text", "Notify breaches"},
                      {"source", "legal"},
                      {"addressed", true},
                      {"how", "Incident procedure IR-2, step 4"}}};
  EXPECT_THAT(Errors(InterestedParties(), Party(rows)), IsEmpty());
}

TEST(InterestedParties, AcceptsAnUnaddressedRequirementWithoutHow) {
  const Json rows = {{{"text", "Notify breaches"}, {"source", "legal"}, {"addressed", false}}};
  EXPECT_THAT(Errors(InterestedParties(), Party(rows)), IsEmpty());
}

TEST(InterestedParties, RequiresTextAndSourceOfARequirement) {
  const Json rows = {{{"how", "Contract clause 12"}}};
  EXPECT_THAT(Errors(InterestedParties(), Party(rows)),
              ElementsAre(ErrorOn("requirements[0].text", "Requirement is required"),
                          ErrorOn("requirements[0].source", "Source is required")));
}

TEST(InterestedParties, DescribesClause42) {
  const RegisterSpec& s = InterestedParties();
  EXPECT_EQ(s.type, "interested_party");
  EXPECT_EQ(s.path, "interested-parties");
  EXPECT_EQ(s.clause, "4.2");
  EXPECT_EQ(s.title_field, "name");
}

// --- 4.3 Scope ---

Json ScopeFields(const Json& input) {
  std::vector<FieldError> errors;
  Json fields = ValidateFields(ScopeStatements(), input, WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors, IsEmpty());
  return fields;
}

TEST(ScopeApprovalProblems, NamesTheStatementAndTheScopeOfAnEmptyDraft) {
  EXPECT_THAT(
      ScopeApprovalProblems(ScopeFields({{"title", "Draft"}})),
      ElementsAre(ErrorOn("statement", "write the scope statement before approving"),
                  ErrorOn("units", "name at least one unit, location, service or process")));
}

TEST(ScopeApprovalProblems, RequiresSomethingInScope) {
  const Json fields = ScopeFields({{"title", "Draft"}, {"statement", "The ISMS covers ..."}});
  EXPECT_THAT(ScopeApprovalProblems(fields), ElementsAre(ErrorOn("units")));
}

TEST(ScopeApprovalProblems, DoesNotCountInterfacesOrExclusionsAsInScope) {
  const Json fields = ScopeFields({{"title", "Draft"},
                                   {"statement", "The ISMS covers ..."},
                                   {"interfaces", {"Payroll provider"}},
                                   {"dependencies", {"Cloud hosting"}},
                                   {"exclusions", {{{"item", "HQ"}, {"justification", "x"}}}}});
  EXPECT_THAT(ScopeApprovalProblems(fields), ElementsAre(ErrorOn("units")));
}

TEST(ScopeApprovalProblems, RequiresTheStatement) {
  const Json fields = ScopeFields({{"title", "Draft"}, {"units", {"IT"}}});
  EXPECT_THAT(ScopeApprovalProblems(fields), ElementsAre(ErrorOn("statement")));
}

TEST(ScopeApprovalProblems, AcceptsAStatementWithAnyOneKindOfScope) {
  for (const char* kind : {"units", "locations", "services", "processes"}) {
    const Json fields =
        ScopeFields({{"title", "Draft"}, {"statement", "The ISMS covers ..."}, {kind, {"One"}}});
    EXPECT_THAT(ScopeApprovalProblems(fields), IsEmpty()) << kind;
  }
}

TEST(ScopeStatements, IsNumberedAndApprovedOnlyByItsWorkflow) {
  const RegisterSpec& s = ScopeStatements();
  EXPECT_EQ(s.clause, "4.3");
  EXPECT_EQ(s.default_sort, "-version_number");
  const FieldSpec* number = s.Field("version_number");
  ASSERT_NE(number, nullptr);
  EXPECT_TRUE(number->sequence);
  EXPECT_TRUE(number->read_only);
  for (const char* name : {"status", "approved_by", "approved_at"}) {
    ASSERT_NE(s.Field(name), nullptr) << name;
    EXPECT_TRUE(s.Field(name)->read_only) << name;
  }
  EXPECT_THAT(s.lifecycle->transitions, IsEmpty());
}

}  // namespace
}  // namespace rampart::domain

// The list of registers and the consistency of every register's description.
#include "domain/registers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "domain/context.h"
#include "domain/documents.h"
#include "domain/frameworks.h"
#include "domain/improvement.h"
#include "domain/internal_audit.h"
#include "domain/leadership.h"
#include "domain/management_review.h"
#include "domain/monitoring.h"
#include "domain/operation.h"
#include "domain/planning.h"
#include "domain/risk.h"
#include "domain/support.h"
#include "domain/tasks.h"

namespace rampart::domain {
namespace {

using ::testing::ElementsAre;

TEST(AllRegisters, ListsTheRegistersInNavigationOrder) {
  EXPECT_THAT(
      AllRegisters(),
      ElementsAre(&ContextIssues(), &InterestedParties(), &ScopeStatements(), &Assets(), &Threats(),
                  &Vulnerabilities(), &RiskMethodologies(), &Risks(), &AppliedControls(),
                  &RiskAcceptances(), &RiskAssessments(), &Frameworks(), &FrameworkControls(),
                  &Commitments(), &IsmsRoles(), &IsmsProcesses(), &Objectives(), &PlannedChanges(),
                  &Resources(), &CompetenceRequirements(), &CompetenceRecords(),
                  &AwarenessCampaigns(), &AwarenessCompletions(), &Communications(),
                  &CommunicationLog(), &Documents(), &DocumentVersions(),
                  &DocumentAcknowledgements(), &Incidents(), &Suppliers(), &SupplierAssessments(),
                  &OperationalActivities(), &ActivityOccurrences(), &Metrics(), &Measurements(),
                  &AuditProgrammes(), &InternalAudits(), &AuditFindings(), &ManagementReviews(),
                  &Improvements(), &Nonconformities(), &Tasks()));
}

TEST(FindRegisterByPath, FindsEachRegisterByItsUrlSegment) {
  EXPECT_EQ(FindRegisterByPath("context-issues"), &ContextIssues());
  EXPECT_EQ(FindRegisterByPath("interested-parties"), &InterestedParties());
  EXPECT_EQ(FindRegisterByPath("scope"), &ScopeStatements());
  EXPECT_EQ(FindRegisterByPath("risks"), &Risks());
  EXPECT_EQ(FindRegisterByPath("controls"), &AppliedControls());
  EXPECT_EQ(FindRegisterByPath("risk-methodology"), &RiskMethodologies());
  EXPECT_EQ(FindRegisterByPath("objectives"), &Objectives());
}

TEST(FindRegisterByPath, ReturnsNullForAnUnknownPath) {
  EXPECT_EQ(FindRegisterByPath("risk"), nullptr);
  EXPECT_EQ(FindRegisterByPath(""), nullptr);
  EXPECT_EQ(FindRegisterByPath("context_issues"), nullptr);  // a table, not a path
}

TEST(FindRegisterByType, FindsEachRegisterByItsAuditType) {
  EXPECT_EQ(FindRegisterByType("context_issue"), &ContextIssues());
  EXPECT_EQ(FindRegisterByType("interested_party"), &InterestedParties());
  EXPECT_EQ(FindRegisterByType("scope_statement"), &ScopeStatements());
  EXPECT_EQ(FindRegisterByType("user"), nullptr);
}

TEST(AllRegisters, HaveUniqueTypesTablesAndPaths) {
  std::set<std::string> types, tables, paths;
  for (const RegisterSpec* s : AllRegisters()) {
    EXPECT_TRUE(types.insert(s->type).second) << s->type;
    EXPECT_TRUE(tables.insert(s->table).second) << s->table;
    EXPECT_TRUE(paths.insert(s->path).second) << s->path;
  }
}

TEST(AllRegisters, DescribeOnlyFieldsTheyHave) {
  for (const RegisterSpec* s : AllRegisters()) {
    SCOPED_TRACE(s->type);
    ASSERT_NE(s->Field(s->title_field), nullptr);
    for (const auto& column : s->list_columns) EXPECT_NE(s->Field(column), nullptr) << column;
    const std::string sort = !s->default_sort.empty() && s->default_sort[0] == '-'
                                 ? s->default_sort.substr(1)
                                 : s->default_sort;
    EXPECT_TRUE(s->IsSortable(sort)) << s->default_sort;
    if (s->lifecycle) {
      const FieldSpec* state = s->Field(s->lifecycle->field);
      ASSERT_NE(state, nullptr);
      for (const auto& [from, to] : s->lifecycle->transitions) {
        EXPECT_NE(state->FindChoice(from), nullptr) << from;
        EXPECT_NE(state->FindChoice(to), nullptr) << to;
      }
      // A due date is a date the record has.
      if (!s->lifecycle->due_field.empty()) {
        const FieldSpec* due = s->Field(s->lifecycle->due_field);
        ASSERT_NE(due, nullptr) << s->lifecycle->due_field;
        EXPECT_EQ(due->type, FieldType::kDate);
      }
    }
  }
}

TEST(AllRegisters, HaveWellFormedFields) {
  for (const RegisterSpec* s : AllRegisters()) {
    std::set<std::string> names;
    for (const FieldSpec& f : s->fields) {
      SCOPED_TRACE(s->type + "." + f.name);
      EXPECT_TRUE(names.insert(f.name).second);
      EXPECT_FALSE(IsSystemField(f.name));
      EXPECT_FALSE(f.label.empty());
      // Choices make an enumeration or a multiple choice.
      EXPECT_EQ(f.type == FieldType::kEnum || (f.type == FieldType::kList && !f.choices.empty()),
                !f.choices.empty());
      // A reference names a register that exists.
      EXPECT_EQ(f.type == FieldType::kRef || f.type == FieldType::kRefs, !f.ref.empty());
      if (!f.ref.empty()) {
        EXPECT_NE(FindRegisterByType(f.ref), nullptr) << f.ref;
      }
      EXPECT_EQ(f.type == FieldType::kTable, !f.columns.empty());
      if (f.sequence) {
        EXPECT_EQ(f.type, FieldType::kInteger);
        EXPECT_TRUE(f.read_only);
      }
      if (f.default_value.is_string()) {
        EXPECT_NE(f.FindChoice(f.default_value.get<std::string>()), nullptr);
      }
    }
  }
}

}  // namespace
}  // namespace rampart::domain

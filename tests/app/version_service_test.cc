#include "app/version_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "app/app_fixture.h"
#include "domain/context.h"
#include "domain/risk.h"

namespace rampart::app {
namespace {

using domain::Json;
using domain::Record;
using domain::ScopeStatements;
using test::IsOk;
using test::StatusIs;
using ::testing::ElementsAre;

using namespace std::chrono_literals;

class VersionServiceTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    registers_ = std::make_unique<RegisterService>(*store_, clock_);
    versions_ = std::make_unique<VersionService>(*store_, *registers_);
  }

  // A draft that says what is in scope, ready for approval.
  Record CreateDraft(const std::string& title, const Principal* p = nullptr) {
    const Json in = {
        {"title", title},
        {"statement", "The ISMS covers the development and operation of the Acme platform."},
        {"units", {"Engineering", "Operations"}},
        {"locations", {"Leeds office", "eu-west-1"}},
        {"exclusions", {{{"item", "Retail shop"}, {"justification", "No customer data"}}}},
    };
    auto r = registers_->Create(p != nullptr ? *p : alice_, ScopeStatements(), in);
    EXPECT_THAT(r, IsOk());
    return r.ok() ? *r : Record{};
  }

  Record Reload(const Record& r) {
    auto got = registers_->Get(alice_, ScopeStatements(), r.id);
    EXPECT_THAT(got, IsOk());
    return got.ok() ? *got : Record{};
  }

  std::unique_ptr<RegisterService> registers_;
  std::unique_ptr<VersionService> versions_;
};

TEST_F(VersionServiceTest, ApprovesADraft) {
  const Record draft = CreateDraft("Scope 2026");
  EXPECT_EQ(draft.fields["status"], "draft");
  clock_.Advance(1h);
  const auto approved = versions_->Approve(alice_, ScopeStatements(), draft.id, draft.version);
  ASSERT_THAT(approved, IsOk());
  EXPECT_EQ(approved->id, draft.id);
  EXPECT_EQ(approved->version, 2);
  EXPECT_EQ(approved->fields["status"], "approved");
  EXPECT_EQ(approved->fields["approved_by"], acme_.admin.id);
  EXPECT_EQ(approved->fields["approved_at"], FormatUtc(clock_.Now()));
  EXPECT_EQ(approved->fields["statement"], draft.fields["statement"]);

  const auto current = versions_->Current(alice_, ScopeStatements());
  ASSERT_THAT(current, IsOk());
  EXPECT_EQ(current->id, draft.id);
}

TEST_F(VersionServiceTest, RecordsTheApprovalInTheAuditTrail) {
  const Record draft = CreateDraft("Scope 2026");
  ASSERT_THAT(versions_->Approve(alice_, ScopeStatements(), draft.id, 1), IsOk());
  const auto history = registers_->History(alice_, ScopeStatements(), draft.id);
  ASSERT_THAT(history, IsOk());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->back().action, "approve");
  EXPECT_EQ(history->back().diff["status"], Json::parse(R"({"from": "draft", "to": "approved"})"));
  EXPECT_EQ(history->back().diff["approved_by"]["to"], acme_.admin.id);
}

TEST_F(VersionServiceTest, ApprovingANewVersionSupersedesTheCurrentOne) {
  const Record v1 = CreateDraft("Scope 2026");
  ASSERT_THAT(versions_->Approve(alice_, ScopeStatements(), v1.id, 1), IsOk());
  const Record v2 = CreateDraft("Scope 2027");
  EXPECT_EQ(v2.fields["version_number"], 2);

  const auto approved = versions_->Approve(alice_, ScopeStatements(), v2.id, 1);
  ASSERT_THAT(approved, IsOk());
  EXPECT_EQ(approved->id, v2.id);
  EXPECT_EQ(approved->fields["status"], "approved");
  const Record old = Reload(v1);
  EXPECT_EQ(old.fields["status"], "superseded");
  EXPECT_EQ(old.version, 3);
  EXPECT_EQ(old.fields["approved_by"], acme_.admin.id);  // who approved it stays on record

  const auto current = versions_->Current(alice_, ScopeStatements());
  ASSERT_THAT(current, IsOk());
  EXPECT_EQ(current->id, v2.id);

  const auto history = registers_->History(alice_, ScopeStatements(), v1.id);
  ASSERT_THAT(history, IsOk());
  std::vector<std::string> actions;
  for (const auto& e : *history) actions.push_back(e.action);
  EXPECT_THAT(actions, ElementsAre("create", "approve", "supersede"));
}

TEST_F(VersionServiceTest, RefusesToEditOrDeleteAnApprovedVersion) {
  const Record v1 = CreateDraft("Scope 2026");
  ASSERT_THAT(versions_->Approve(alice_, ScopeStatements(), v1.id, 1), IsOk());
  EXPECT_THAT(registers_->Update(alice_, ScopeStatements(), v1.id, 2, {{"title", "Edited"}},
                                 UpdateMode::kMerge),
              StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(registers_->Delete(alice_, ScopeStatements(), v1.id, 2),
              StatusIs(Code::kFailedPrecondition));
  EXPECT_EQ(Reload(v1).fields["title"], "Scope 2026");
}

TEST_F(VersionServiceTest, RefusesToEditASupersededVersion) {
  const Record v1 = CreateDraft("Scope 2026");
  ASSERT_THAT(versions_->Approve(alice_, ScopeStatements(), v1.id, 1), IsOk());
  const Record v2 = CreateDraft("Scope 2027");
  ASSERT_THAT(versions_->Approve(alice_, ScopeStatements(), v2.id, 1), IsOk());
  EXPECT_THAT(registers_->Update(alice_, ScopeStatements(), v1.id, 3, {{"title", "Rewritten"}},
                                 UpdateMode::kMerge),
              StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(versions_->Approve(alice_, ScopeStatements(), v1.id, 3),
              StatusIs(Code::kFailedPrecondition));
}

TEST_F(VersionServiceTest, RefusesToApproveAnApprovedVersionAgain) {
  const Record v1 = CreateDraft("Scope 2026");
  ASSERT_THAT(versions_->Approve(alice_, ScopeStatements(), v1.id, 1), IsOk());
  EXPECT_THAT(versions_->Approve(alice_, ScopeStatements(), v1.id, 2),
              StatusIs(Code::kFailedPrecondition));
}

TEST_F(VersionServiceTest, RefusesToApproveADraftThatSaysNothing) {
  const auto empty = registers_->Create(alice_, ScopeStatements(), {{"title", "Empty"}});
  ASSERT_THAT(empty, IsOk());
  EXPECT_THAT(versions_->Approve(alice_, ScopeStatements(), empty->id, 1),
              StatusIs(Code::kInvalidArgument, "statement"));
  EXPECT_EQ(Reload(*empty).fields["status"], "draft");
  EXPECT_THAT(versions_->Current(alice_, ScopeStatements()), StatusIs(Code::kNotFound));
}

TEST_F(VersionServiceTest, RefusesToApproveADraftWithNothingInScope) {
  const auto draft = registers_->Create(
      alice_, ScopeStatements(), {{"title", "No scope"}, {"statement", "Covers everything."}});
  ASSERT_THAT(draft, IsOk());
  EXPECT_THAT(versions_->Approve(alice_, ScopeStatements(), draft->id, 1),
              StatusIs(Code::kInvalidArgument, "units"));
}

TEST_F(VersionServiceTest, KeepsTheCurrentVersionWhenAnApprovalFails) {
  const Record v1 = CreateDraft("Scope 2026");
  ASSERT_THAT(versions_->Approve(alice_, ScopeStatements(), v1.id, 1), IsOk());
  const auto empty = registers_->Create(alice_, ScopeStatements(), {{"title", "Empty"}});
  ASSERT_THAT(empty, IsOk());
  EXPECT_THAT(versions_->Approve(alice_, ScopeStatements(), empty->id, 1),
              StatusIs(Code::kInvalidArgument));
  EXPECT_EQ(Reload(v1).fields["status"], "approved");
}

TEST_F(VersionServiceTest, RequiresTheCurrentVersionOfTheDraft) {
  const Record draft = CreateDraft("Scope 2026");
  EXPECT_THAT(versions_->Approve(alice_, ScopeStatements(), draft.id, std::nullopt),
              StatusIs(Code::kPreconditionRequired));
  ASSERT_THAT(registers_->Update(alice_, ScopeStatements(), draft.id, 1, {{"title", "Scope v1"}},
                                 UpdateMode::kMerge),
              IsOk());
  EXPECT_THAT(versions_->Approve(alice_, ScopeStatements(), draft.id, 1),
              StatusIs(Code::kConflict));
  EXPECT_EQ(Reload(draft).fields["status"], "draft");
}

TEST_F(VersionServiceTest, RefusesApprovalWhileAPasswordChangeIsPending) {
  const Record draft = CreateDraft("Scope 2026");
  Principal pending = alice_;
  pending.must_change_password = true;
  EXPECT_THAT(versions_->Approve(pending, ScopeStatements(), draft.id, 1),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(versions_->NewDraft(pending, ScopeStatements(), draft.id),
              StatusIs(Code::kPermissionDenied));
}

TEST_F(VersionServiceTest, RefusesToApproveAnotherOrganisationsDraft) {
  const Principal bob = Globex();
  const Record draft = CreateDraft("Acme scope");
  EXPECT_THAT(versions_->Approve(bob, ScopeStatements(), draft.id, 1), StatusIs(Code::kNotFound));
  EXPECT_THAT(versions_->NewDraft(bob, ScopeStatements(), draft.id), StatusIs(Code::kNotFound));
}

TEST_F(VersionServiceTest, KeepsOneCurrentVersionPerOrganisation) {
  const Principal bob = Globex();
  const Record acme = CreateDraft("Acme scope");
  const Record globex = CreateDraft("Globex scope", &bob);
  EXPECT_EQ(globex.fields["version_number"], 1);
  ASSERT_THAT(versions_->Approve(alice_, ScopeStatements(), acme.id, 1), IsOk());
  ASSERT_THAT(versions_->Approve(bob, ScopeStatements(), globex.id, 1), IsOk());
  EXPECT_EQ(Reload(acme).fields["status"], "approved");
  EXPECT_EQ(versions_->Current(bob, ScopeStatements())->id, globex.id);
  EXPECT_EQ(versions_->Current(alice_, ScopeStatements())->id, acme.id);
}

TEST_F(VersionServiceTest, RefusesToApproveByEditingTheStatus) {
  const Record draft = CreateDraft("Scope 2026");
  EXPECT_THAT(registers_->Update(alice_, ScopeStatements(), draft.id, 1, {{"status", "approved"}},
                                 UpdateMode::kMerge),
              StatusIs(Code::kInvalidArgument, "status"));
}

TEST_F(VersionServiceTest, NewDraftFromCopiesTheContentOfAVersion) {
  const Record v1 = CreateDraft("Scope 2026");
  ASSERT_THAT(versions_->Approve(alice_, ScopeStatements(), v1.id, 1), IsOk());
  const auto v2 = versions_->NewDraft(alice_, ScopeStatements(), v1.id);
  ASSERT_THAT(v2, IsOk());
  EXPECT_NE(v2->id, v1.id);
  EXPECT_EQ(v2->version, 1);
  EXPECT_EQ(v2->fields["status"], "draft");
  EXPECT_EQ(v2->fields["version_number"], 2);
  EXPECT_TRUE(v2->fields["approved_by"].is_null());
  EXPECT_TRUE(v2->fields["approved_at"].is_null());
  for (const char* field : {"title", "statement", "units", "locations", "services", "processes",
                            "exclusions", "interfaces", "dependencies"}) {
    EXPECT_EQ(v2->fields[field], v1.fields[field]) << field;
  }
  // The copy is a draft: it can be edited while the approved version stays as it was.
  ASSERT_THAT(registers_->Update(alice_, ScopeStatements(), v2->id, 1, {{"units", {"Engineering"}}},
                                 UpdateMode::kMerge),
              IsOk());
  EXPECT_EQ(Reload(v1).fields["units"], Json({"Engineering", "Operations"}));
}

TEST_F(VersionServiceTest, ReportsNoCurrentVersionBeforeTheFirstApproval) {
  CreateDraft("Scope 2026");
  EXPECT_THAT(versions_->Current(alice_, ScopeStatements()), StatusIs(Code::kNotFound));
}

TEST_F(VersionServiceTest, ComparesTwoVersionsFieldByFieldAndTableRowsByRow) {
  const Record v1 = CreateDraft("Scope 2026");
  ASSERT_THAT(versions_->Approve(alice_, ScopeStatements(), v1.id, 1), IsOk());
  auto v2 = versions_->NewDraft(alice_, ScopeStatements(), v1.id);
  ASSERT_THAT(v2, IsOk());
  const Json exclusions = {{{"item", "Retail shop"}, {"justification", "Sold in 2025"}},
                           {{"item", "Canteen"}, {"justification", "Run by a contractor"}}};
  ASSERT_THAT(
      registers_->Update(alice_, ScopeStatements(), v2->id, 1,
                         {{"title", "Scope 2027"}, {"exclusions", exclusions}}, UpdateMode::kMerge),
      IsOk());

  const auto c = versions_->Compare(alice_, ScopeStatements(), v1.id, v2->id);
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->from.id, v1.id);
  EXPECT_EQ(c->to.id, v2->id);
  std::vector<std::string> changed;
  const domain::FieldComparison* table = nullptr;
  for (const auto& f : c->fields) {
    if (f.changed) changed.push_back(f.field->name);
    if (f.field->name == "exclusions") table = &f;
  }
  // Own fields first, then the workflow's (status and approval stamps), each once.
  EXPECT_THAT(changed, ElementsAre("title", "exclusions", "version_number", "status", "approved_by",
                                   "approved_at"));
  ASSERT_NE(table, nullptr);
  ASSERT_EQ(table->rows.size(), 2u);
  using Kind = domain::RowComparison::Kind;
  EXPECT_EQ(table->rows[0].kind, Kind::kChanged);
  EXPECT_THAT(table->rows[0].changed_columns, ElementsAre("justification"));
  EXPECT_EQ(table->rows[0].from["justification"], "No customer data");
  EXPECT_EQ(table->rows[0].to["justification"], "Sold in 2025");
  EXPECT_EQ(table->rows[1].kind, Kind::kAdded);
  EXPECT_EQ(table->rows[1].to["item"], "Canteen");
  EXPECT_TRUE(table->rows[1].from.is_null());
}

TEST_F(VersionServiceTest, NamesTheMissingVersionOfAComparison) {
  const Record v1 = CreateDraft("Scope 2026");
  EXPECT_THAT(versions_->Compare(alice_, ScopeStatements(), 999, v1.id),
              StatusIs(Code::kNotFound, "from"));
  EXPECT_THAT(versions_->Compare(alice_, ScopeStatements(), v1.id, 999),
              StatusIs(Code::kNotFound, "to"));
  // Another organisation's version is as missing as one that never existed.
  const Principal bob = Globex();
  EXPECT_THAT(versions_->Compare(bob, ScopeStatements(), v1.id, v1.id),
              StatusIs(Code::kNotFound, "from"));
}

TEST_F(VersionServiceTest, RefusesARegisterWithoutApprovedVersions) {
  EXPECT_THAT(versions_->Current(alice_, domain::ContextIssues()),
              StatusIs(Code::kInvalidArgument));
  EXPECT_THAT(versions_->NewDraft(alice_, domain::ContextIssues(), 1),
              StatusIs(Code::kInvalidArgument));
  EXPECT_THAT(versions_->Approve(alice_, domain::ContextIssues(), 1, 1),
              StatusIs(Code::kInvalidArgument));
}

TEST_F(VersionServiceTest, StartsAFirstDraftOnlyWhereTheRegisterHasOne) {
  // The methodology starts from its built-in default; the scope has no default to start from.
  const auto methodology = versions_->NewDraft(alice_, domain::RiskMethodologies(), 0);
  ASSERT_THAT(methodology, IsOk());
  EXPECT_EQ(methodology->fields["title"], "Risk methodology");
  EXPECT_EQ(methodology->fields["likelihood_scale"].size(), 5u);
  EXPECT_THAT(versions_->NewDraft(alice_, ScopeStatements(), 0), StatusIs(Code::kNotFound));
}

TEST_F(VersionServiceTest, ANewDraftStartsWithoutTheFieldsTheRegisterResets) {
  auto first = versions_->NewDraft(alice_, domain::RiskMethodologies(), 0);
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(registers_->Update(alice_, domain::RiskMethodologies(), first->id, 1,
                                 {{"change_note", "First version"}}, UpdateMode::kMerge),
              IsOk());
  const auto next = versions_->NewDraft(alice_, domain::RiskMethodologies(), first->id);
  ASSERT_THAT(next, IsOk());
  EXPECT_TRUE(next->fields["change_note"].is_null());
  EXPECT_EQ(next->fields["likelihood_scale"], first->fields["likelihood_scale"]);
}

TEST_F(VersionServiceTest, AddsTheAreasMutationsToTheApprovalInOneWrite) {
  int calls = 0;
  versions_->OnApprove(ScopeStatements(), [&](const Principal&, const Json& approved,
                                              std::vector<store::Mutation>& mutations) {
    ++calls;
    EXPECT_EQ(approved["status"], "approved");
    EXPECT_EQ(mutations.size(), 1u);  // the approval itself (nothing in force to supersede)
    return FailedPrecondition("refused by the area");
  });
  const Record draft = CreateDraft("Scope 2026");
  EXPECT_THAT(versions_->Approve(alice_, ScopeStatements(), draft.id, 1),
              StatusIs(Code::kFailedPrecondition));
  EXPECT_EQ(calls, 1);
  // Nothing was written: the draft is still a draft at its version.
  const Record after = Reload(draft);
  EXPECT_EQ(after.fields["status"], "draft");
  EXPECT_EQ(after.version, 1);
}

}  // namespace
}  // namespace rampart::app

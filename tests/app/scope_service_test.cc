#include "app/scope_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "app/app_fixture.h"
#include "domain/context.h"

namespace rampart::app {
namespace {

using domain::Json;
using domain::Record;
using domain::ScopeStatements;
using test::IsOk;
using test::StatusIs;
using ::testing::ElementsAre;

using namespace std::chrono_literals;

class ScopeServiceTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    registers_ = std::make_unique<RegisterService>(*store_, clock_);
    scope_ = std::make_unique<ScopeService>(*store_, *registers_);
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
  std::unique_ptr<ScopeService> scope_;
};

TEST_F(ScopeServiceTest, ApprovesADraft) {
  const Record draft = CreateDraft("Scope 2026");
  EXPECT_EQ(draft.fields["status"], "draft");
  clock_.Advance(1h);
  const auto approved = scope_->Approve(alice_, draft.id, draft.version);
  ASSERT_THAT(approved, IsOk());
  EXPECT_EQ(approved->id, draft.id);
  EXPECT_EQ(approved->version, 2);
  EXPECT_EQ(approved->fields["status"], "approved");
  EXPECT_EQ(approved->fields["approved_by"], acme_.admin.id);
  EXPECT_EQ(approved->fields["approved_at"], FormatUtc(clock_.Now()));
  EXPECT_EQ(approved->fields["statement"], draft.fields["statement"]);

  const auto current = scope_->Current(alice_);
  ASSERT_THAT(current, IsOk());
  EXPECT_EQ(current->id, draft.id);
}

TEST_F(ScopeServiceTest, RecordsTheApprovalInTheAuditTrail) {
  const Record draft = CreateDraft("Scope 2026");
  ASSERT_THAT(scope_->Approve(alice_, draft.id, 1), IsOk());
  const auto history = registers_->History(alice_, ScopeStatements(), draft.id);
  ASSERT_THAT(history, IsOk());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->back().action, "approve");
  EXPECT_EQ(history->back().diff["status"], Json::parse(R"({"from": "draft", "to": "approved"})"));
  EXPECT_EQ(history->back().diff["approved_by"]["to"], acme_.admin.id);
}

TEST_F(ScopeServiceTest, ApprovingANewVersionSupersedesTheCurrentOne) {
  const Record v1 = CreateDraft("Scope 2026");
  ASSERT_THAT(scope_->Approve(alice_, v1.id, 1), IsOk());
  const Record v2 = CreateDraft("Scope 2027");
  EXPECT_EQ(v2.fields["version_number"], 2);

  const auto approved = scope_->Approve(alice_, v2.id, 1);
  ASSERT_THAT(approved, IsOk());
  EXPECT_EQ(approved->id, v2.id);
  EXPECT_EQ(approved->fields["status"], "approved");
  const Record old = Reload(v1);
  EXPECT_EQ(old.fields["status"], "superseded");
  EXPECT_EQ(old.version, 3);
  EXPECT_EQ(old.fields["approved_by"], acme_.admin.id);  // who approved it stays on record

  const auto current = scope_->Current(alice_);
  ASSERT_THAT(current, IsOk());
  EXPECT_EQ(current->id, v2.id);

  const auto history = registers_->History(alice_, ScopeStatements(), v1.id);
  ASSERT_THAT(history, IsOk());
  std::vector<std::string> actions;
  for (const auto& e : *history) actions.push_back(e.action);
  EXPECT_THAT(actions, ElementsAre("create", "approve", "supersede"));
}

TEST_F(ScopeServiceTest, RefusesToEditOrDeleteAnApprovedVersion) {
  const Record v1 = CreateDraft("Scope 2026");
  ASSERT_THAT(scope_->Approve(alice_, v1.id, 1), IsOk());
  EXPECT_THAT(registers_->Update(alice_, ScopeStatements(), v1.id, 2, {{"title", "Edited"}},
                                 UpdateMode::kMerge),
              StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(registers_->Delete(alice_, ScopeStatements(), v1.id, 2),
              StatusIs(Code::kFailedPrecondition));
  EXPECT_EQ(Reload(v1).fields["title"], "Scope 2026");
}

TEST_F(ScopeServiceTest, RefusesToEditASupersededVersion) {
  const Record v1 = CreateDraft("Scope 2026");
  ASSERT_THAT(scope_->Approve(alice_, v1.id, 1), IsOk());
  const Record v2 = CreateDraft("Scope 2027");
  ASSERT_THAT(scope_->Approve(alice_, v2.id, 1), IsOk());
  EXPECT_THAT(registers_->Update(alice_, ScopeStatements(), v1.id, 3, {{"title", "Rewritten"}},
                                 UpdateMode::kMerge),
              StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(scope_->Approve(alice_, v1.id, 3), StatusIs(Code::kFailedPrecondition));
}

TEST_F(ScopeServiceTest, RefusesToApproveAnApprovedVersionAgain) {
  const Record v1 = CreateDraft("Scope 2026");
  ASSERT_THAT(scope_->Approve(alice_, v1.id, 1), IsOk());
  EXPECT_THAT(scope_->Approve(alice_, v1.id, 2), StatusIs(Code::kFailedPrecondition));
}

TEST_F(ScopeServiceTest, RefusesToApproveADraftThatSaysNothing) {
  const auto empty = registers_->Create(alice_, ScopeStatements(), {{"title", "Empty"}});
  ASSERT_THAT(empty, IsOk());
  EXPECT_THAT(scope_->Approve(alice_, empty->id, 1), StatusIs(Code::kInvalidArgument, "statement"));
  EXPECT_EQ(Reload(*empty).fields["status"], "draft");
  EXPECT_THAT(scope_->Current(alice_), StatusIs(Code::kNotFound));
}

TEST_F(ScopeServiceTest, RefusesToApproveADraftWithNothingInScope) {
  const auto draft = registers_->Create(
      alice_, ScopeStatements(), {{"title", "No scope"}, {"statement", "Covers everything."}});
  ASSERT_THAT(draft, IsOk());
  EXPECT_THAT(scope_->Approve(alice_, draft->id, 1), StatusIs(Code::kInvalidArgument, "units"));
}

TEST_F(ScopeServiceTest, KeepsTheCurrentVersionWhenAnApprovalFails) {
  const Record v1 = CreateDraft("Scope 2026");
  ASSERT_THAT(scope_->Approve(alice_, v1.id, 1), IsOk());
  const auto empty = registers_->Create(alice_, ScopeStatements(), {{"title", "Empty"}});
  ASSERT_THAT(empty, IsOk());
  EXPECT_THAT(scope_->Approve(alice_, empty->id, 1), StatusIs(Code::kInvalidArgument));
  EXPECT_EQ(Reload(v1).fields["status"], "approved");
}

TEST_F(ScopeServiceTest, RequiresTheCurrentVersionOfTheDraft) {
  const Record draft = CreateDraft("Scope 2026");
  EXPECT_THAT(scope_->Approve(alice_, draft.id, std::nullopt),
              StatusIs(Code::kPreconditionRequired));
  ASSERT_THAT(registers_->Update(alice_, ScopeStatements(), draft.id, 1, {{"title", "Scope v1"}},
                                 UpdateMode::kMerge),
              IsOk());
  EXPECT_THAT(scope_->Approve(alice_, draft.id, 1), StatusIs(Code::kConflict));
  EXPECT_EQ(Reload(draft).fields["status"], "draft");
}

TEST_F(ScopeServiceTest, RefusesApprovalWhileAPasswordChangeIsPending) {
  const Record draft = CreateDraft("Scope 2026");
  Principal pending = alice_;
  pending.must_change_password = true;
  EXPECT_THAT(scope_->Approve(pending, draft.id, 1), StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(scope_->NewDraftFrom(pending, draft.id), StatusIs(Code::kPermissionDenied));
}

TEST_F(ScopeServiceTest, RefusesToApproveAnotherOrganisationsDraft) {
  const Principal bob = Globex();
  const Record draft = CreateDraft("Acme scope");
  EXPECT_THAT(scope_->Approve(bob, draft.id, 1), StatusIs(Code::kNotFound));
  EXPECT_THAT(scope_->NewDraftFrom(bob, draft.id), StatusIs(Code::kNotFound));
}

TEST_F(ScopeServiceTest, KeepsOneCurrentVersionPerOrganisation) {
  const Principal bob = Globex();
  const Record acme = CreateDraft("Acme scope");
  const Record globex = CreateDraft("Globex scope", &bob);
  EXPECT_EQ(globex.fields["version_number"], 1);
  ASSERT_THAT(scope_->Approve(alice_, acme.id, 1), IsOk());
  ASSERT_THAT(scope_->Approve(bob, globex.id, 1), IsOk());
  EXPECT_EQ(Reload(acme).fields["status"], "approved");
  EXPECT_EQ(scope_->Current(bob)->id, globex.id);
  EXPECT_EQ(scope_->Current(alice_)->id, acme.id);
}

TEST_F(ScopeServiceTest, RefusesToApproveByEditingTheStatus) {
  const Record draft = CreateDraft("Scope 2026");
  EXPECT_THAT(registers_->Update(alice_, ScopeStatements(), draft.id, 1, {{"status", "approved"}},
                                 UpdateMode::kMerge),
              StatusIs(Code::kInvalidArgument, "status"));
}

TEST_F(ScopeServiceTest, NewDraftFromCopiesTheContentOfAVersion) {
  const Record v1 = CreateDraft("Scope 2026");
  ASSERT_THAT(scope_->Approve(alice_, v1.id, 1), IsOk());
  const auto v2 = scope_->NewDraftFrom(alice_, v1.id);
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

TEST_F(ScopeServiceTest, ReportsNoCurrentVersionBeforeTheFirstApproval) {
  CreateDraft("Scope 2026");
  EXPECT_THAT(scope_->Current(alice_), StatusIs(Code::kNotFound));
}

}  // namespace
}  // namespace rampart::app

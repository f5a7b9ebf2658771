#include "app/register_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "app/app_fixture.h"
#include "domain/context.h"
#include "support/field_errors.h"

namespace rampart::app {
namespace {

using domain::ContextIssues;
using domain::InterestedParties;
using domain::Json;
using domain::Record;
using test::ErrorOn;
using test::IsOk;
using test::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

using namespace std::chrono_literals;

class RegisterServiceTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    registers_ = std::make_unique<RegisterService>(*store_, clock_);
  }

  // A context issue created by alice.
  Record CreateIssue(const Json& extra = Json::object()) {
    Json in = {{"title", "Key supplier insolvency"},
               {"kind", "external"},
               {"description", "Our only hosting provider is in financial difficulty."}};
    for (const auto& [k, v] : extra.items()) in[k] = v;
    auto r = registers_->Create(alice_, ContextIssues(), in);
    EXPECT_THAT(r, IsOk());
    return r.ok() ? *r : Record{};
  }

  int64_t Count(const Principal& p) {
    domain::ListQuery q;
    q.with_total = true;
    auto page = registers_->List(p, ContextIssues(), q);
    EXPECT_THAT(page, IsOk());
    return page.ok() ? page->total.value_or(-1) : -1;
  }

  std::unique_ptr<RegisterService> registers_;
};

// --- Create ---

TEST_F(RegisterServiceTest, CreatesAValidatedRecordAtVersionOne) {
  const Record r =
      CreateIssue({{"title", "  Key supplier insolvency  "}, {"owner", acme_.admin.id}});
  EXPECT_EQ(r.version, 1);
  EXPECT_EQ(r.org_id, acme_.org.id);
  EXPECT_EQ(r.fields["title"], "Key supplier insolvency");
  EXPECT_EQ(r.fields["status"], "active");
  EXPECT_EQ(r.fields["owner"], acme_.admin.id);
  EXPECT_EQ(r.created_at, FormatUtc(clock_.Now()));
  EXPECT_EQ(r.created_by, acme_.admin.id);
}

TEST_F(RegisterServiceTest, ReportsEveryFieldErrorAndReturnsTheFirst) {
  std::vector<domain::FieldError> errors;
  const auto r = registers_->Create(alice_, ContextIssues(),
                                    {{"kind", "sideways"}, {"next_review", "2023-02-29"}}, &errors);
  EXPECT_THAT(r, StatusIs(Code::kInvalidArgument, "title"));
  EXPECT_THAT(errors, ElementsAre(ErrorOn("title", "is required"), ErrorOn("kind", "one of"),
                                  ErrorOn("next_review", "valid date")));
  EXPECT_EQ(Count(alice_), 0);
}

TEST_F(RegisterServiceTest, RecordsTheCreationInTheAuditTrail) {
  const size_t before = Events().size();
  const Record r = CreateIssue();
  const auto history = registers_->History(alice_, ContextIssues(), r.id);
  ASSERT_THAT(history, IsOk());
  ASSERT_THAT(*history, SizeIs(1));
  const auto& e = history->front();
  EXPECT_EQ(e.action, "create");
  EXPECT_EQ(e.actor, "alice");
  EXPECT_EQ(e.actor_id, acme_.admin.id);
  EXPECT_EQ(e.record_type, "context_issue");
  EXPECT_EQ(e.at, FormatUtc(clock_.Now()));
  EXPECT_EQ(e.diff["title"], Json::parse(R"({"from": null, "to": "Key supplier insolvency"})"));
  EXPECT_EQ(Events().size(), before + 1);
}

TEST_F(RegisterServiceTest, RefusesChangesWhileAPasswordChangeIsPending) {
  const Record r = CreateIssue();
  Principal pending = alice_;
  pending.must_change_password = true;
  EXPECT_THAT(registers_->Create(pending, ContextIssues(), {{"title", "t"}, {"kind", "internal"}}),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(
      registers_->Update(pending, ContextIssues(), r.id, 1, {{"title", "t2"}}, UpdateMode::kMerge),
      StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(registers_->Delete(pending, ContextIssues(), r.id, 1),
              StatusIs(Code::kPermissionDenied));
  EXPECT_EQ(Count(alice_), 1);
  EXPECT_EQ(registers_->Get(alice_, ContextIssues(), r.id)->version, 1);
  // Reading is still allowed.
  EXPECT_THAT(registers_->Get(pending, ContextIssues(), r.id), IsOk());
}

// --- References ---

TEST_F(RegisterServiceTest, RefusesAnOwnerFromAnotherOrganisation) {
  const Principal bob = Globex();
  std::vector<domain::FieldError> errors;
  const auto r =
      registers_->Create(alice_, ContextIssues(),
                         {{"title", "t"}, {"kind", "internal"}, {"owner", bob.user_id}}, &errors);
  EXPECT_THAT(r, StatusIs(Code::kInvalidArgument, "owner"));
  EXPECT_THAT(errors,
              ElementsAre(ErrorOn("owner", "is not an active member of this organisation")));
  EXPECT_EQ(Count(alice_), 0);
}

TEST_F(RegisterServiceTest, RefusesAnOwnerWhoDoesNotExist) {
  EXPECT_THAT(registers_->Create(alice_, ContextIssues(),
                                 {{"title", "t"}, {"kind", "internal"}, {"owner", 4242}}),
              StatusIs(Code::kInvalidArgument, "owner"));
}

TEST_F(RegisterServiceTest, RefusesADisabledOwnerButKeepsAnUnchangedOne) {
  auto carol = test::AddMember(*store_, acme_.org.id, "carol", FormatUtc(clock_.Now()));
  ASSERT_THAT(carol, IsOk());
  const Record r = CreateIssue({{"owner", carol->id}});
  ASSERT_THAT(
      store_->SetUserDisabled(carol->id, true, store::AuditDraft{.at = FormatUtc(clock_.Now())}),
      IsOk());

  // A new reference to a disabled user is refused...
  EXPECT_THAT(registers_->Create(alice_, ContextIssues(),
                                 {{"title", "t"}, {"kind", "internal"}, {"owner", carol->id}}),
              StatusIs(Code::kInvalidArgument, "owner"));
  // ...but editing another field of a record she owns is not blocked by her.
  const auto updated = registers_->Update(alice_, ContextIssues(), r.id, 1, {{"title", "Renamed"}},
                                          UpdateMode::kMerge);
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated->fields["owner"], carol->id);
}

TEST_F(RegisterServiceTest, RefusesAnUpdateToAnOwnerFromAnotherOrganisation) {
  const Principal bob = Globex();
  const Record r = CreateIssue();
  EXPECT_THAT(registers_->Update(alice_, ContextIssues(), r.id, 1, {{"owner", bob.user_id}},
                                 UpdateMode::kMerge),
              StatusIs(Code::kInvalidArgument, "owner"));
  EXPECT_EQ(registers_->Get(alice_, ContextIssues(), r.id)->version, 1);
}

// --- Update ---

TEST_F(RegisterServiceTest, RequiresTheVersionAnUpdateIsBasedOn) {
  const Record r = CreateIssue();
  EXPECT_THAT(registers_->Update(alice_, ContextIssues(), r.id, std::nullopt, {{"title", "x"}},
                                 UpdateMode::kMerge),
              StatusIs(Code::kPreconditionRequired));
  const auto got = registers_->Get(alice_, ContextIssues(), r.id);
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(got->fields["title"], "Key supplier insolvency");
}

TEST_F(RegisterServiceTest, RefusesAStaleVersion) {
  const Record r = CreateIssue();
  ASSERT_THAT(registers_->Update(alice_, ContextIssues(), r.id, 1, {{"title", "First"}},
                                 UpdateMode::kMerge),
              IsOk());
  EXPECT_THAT(registers_->Update(alice_, ContextIssues(), r.id, 1, {{"title", "Second"}},
                                 UpdateMode::kMerge),
              StatusIs(Code::kConflict));
  EXPECT_EQ(registers_->Get(alice_, ContextIssues(), r.id)->fields["title"], "First");
}

TEST_F(RegisterServiceTest, PatchChangesOnlyTheGivenFields) {
  const Record r = CreateIssue({{"swot", "threat"}, {"next_review", "2026-06-30"}});
  clock_.Advance(5s);
  const auto updated =
      registers_->Update(alice_, ContextIssues(), r.id, 1,
                         {{"title", "Hosting provider insolvency"}}, UpdateMode::kMerge);
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->fields["title"], "Hosting provider insolvency");
  EXPECT_EQ(updated->fields["description"], r.fields["description"]);
  EXPECT_EQ(updated->fields["swot"], "threat");
  EXPECT_EQ(updated->fields["next_review"], "2026-06-30");
  EXPECT_EQ(updated->fields["status"], "active");
  EXPECT_EQ(updated->updated_at, FormatUtc(clock_.Now()));
  EXPECT_EQ(updated->created_at, r.created_at);
}

TEST_F(RegisterServiceTest, PatchClearsAFieldGivenAsNull) {
  const Record r = CreateIssue();
  const auto updated = registers_->Update(alice_, ContextIssues(), r.id, 1,
                                          {{"description", nullptr}}, UpdateMode::kMerge);
  ASSERT_THAT(updated, IsOk());
  EXPECT_TRUE(updated->fields["description"].is_null());
  EXPECT_EQ(updated->fields["title"], "Key supplier insolvency");
}

TEST_F(RegisterServiceTest, PutReplacesEveryField) {
  const Record r = CreateIssue({{"swot", "threat"}});
  const auto updated =
      registers_->Update(alice_, ContextIssues(), r.id, 1,
                         {{"title", "Replaced"}, {"kind", "external"}, {"status", "monitoring"}},
                         UpdateMode::kReplace);
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated->fields["title"], "Replaced");
  EXPECT_TRUE(updated->fields["description"].is_null());
  EXPECT_TRUE(updated->fields["swot"].is_null());
  EXPECT_EQ(updated->fields["status"], "monitoring");
}

TEST_F(RegisterServiceTest, PutWithoutARequiredFieldNamesIt) {
  const Record r = CreateIssue();
  EXPECT_THAT(
      registers_->Update(alice_, ContextIssues(), r.id, 1,
                         {{"title", "Replaced"}, {"kind", "external"}}, UpdateMode::kReplace),
      StatusIs(Code::kInvalidArgument, "status"));
}

TEST_F(RegisterServiceTest, PatchRefusesAnUnknownField) {
  const Record r = CreateIssue();
  EXPECT_THAT(
      registers_->Update(alice_, ContextIssues(), r.id, 1, {{"colour", "red"}}, UpdateMode::kMerge),
      StatusIs(Code::kInvalidArgument, "colour"));
}

TEST_F(RegisterServiceTest, NoOpUpdateKeepsTheVersionAndAppendsNoEvent) {
  const Record r = CreateIssue();
  const size_t events = Events().size();
  clock_.Advance(1min);
  const auto same =
      registers_->Update(alice_, ContextIssues(), r.id, 1,
                         {{"title", "  Key supplier insolvency "}}, UpdateMode::kMerge);
  ASSERT_THAT(same, IsOk());
  EXPECT_EQ(same->version, 1);
  EXPECT_EQ(same->updated_at, r.updated_at);
  EXPECT_EQ(Events().size(), events);
  EXPECT_EQ(registers_->Get(alice_, ContextIssues(), r.id)->version, 1);
}

TEST_F(RegisterServiceTest, RecordsOnlyTheChangedFieldsOfAnUpdate) {
  const Record r = CreateIssue();
  ASSERT_THAT(registers_->Update(alice_, ContextIssues(), r.id, 1,
                                 {{"status", "monitoring"}, {"title", "Key supplier insolvency"}},
                                 UpdateMode::kMerge),
              IsOk());
  const auto history = registers_->History(alice_, ContextIssues(), r.id);
  ASSERT_THAT(history, IsOk());
  ASSERT_THAT(*history, SizeIs(2));
  EXPECT_EQ(history->back().action, "update");
  EXPECT_EQ(history->back().diff,
            Json::parse(R"({"status": {"from": "active", "to": "monitoring"}})"));
}

TEST_F(RegisterServiceTest, RefusesATransitionTheLifecycleForbids) {
  const Record r = CreateIssue({{"status", "closed"}});
  EXPECT_THAT(registers_->Update(alice_, ContextIssues(), r.id, 1, {{"status", "monitoring"}},
                                 UpdateMode::kMerge),
              StatusIs(Code::kInvalidArgument, "status"));
  EXPECT_THAT(registers_->Update(alice_, ContextIssues(), r.id, 1, {{"status", "active"}},
                                 UpdateMode::kMerge),
              IsOk());
}

TEST_F(RegisterServiceTest, AppliesTheRegistersRulesOnUpdate) {
  const Record r = CreateIssue({{"swot", "threat"}});
  std::vector<domain::FieldError> errors;
  EXPECT_THAT(registers_->Update(alice_, ContextIssues(), r.id, 1, {{"kind", "internal"}},
                                 UpdateMode::kMerge, &errors),
              StatusIs(Code::kInvalidArgument, "swot"));
  EXPECT_THAT(errors, ElementsAre(ErrorOn("swot", "strength or a weakness")));
}

TEST_F(RegisterServiceTest, UpdatesTableRowsOfAnInterestedParty) {
  auto party = registers_->Create(alice_, InterestedParties(),
                                  {{"name", "Customers"}, {"type", "customer"}});
  ASSERT_THAT(party, IsOk());
  std::vector<domain::FieldError> errors;
  EXPECT_THAT(
      registers_->Update(
          alice_, InterestedParties(), party->id, 1,
          {{"requirements",
            {{{"text", "99.9% uptime"}, {"source", "contractual"}},
             {{"text", "ISO 27001 certificate"}, {"source", "contractual"}, {"addressed", true}}}}},
          UpdateMode::kMerge, &errors),
      StatusIs(Code::kInvalidArgument, "requirements[1].how"));
  const auto ok = registers_->Update(alice_, InterestedParties(), party->id, 1,
                                     {{"requirements",
                                       {{{"text", "ISO 27001 certificate"},
                                         {"source", "contractual"},
                                         {"addressed", true},
                                         {"how", "Certification audit in May"}}}}},
                                     UpdateMode::kMerge);
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->fields["requirements"][0]["how"], "Certification audit in May");
}

// --- Delete ---

TEST_F(RegisterServiceTest, DeletesWithTheCurrentVersionAndKeepsTheHistory) {
  const Record r = CreateIssue();
  EXPECT_THAT(registers_->Delete(alice_, ContextIssues(), r.id, std::nullopt),
              StatusIs(Code::kPreconditionRequired));
  ASSERT_THAT(
      registers_->Update(alice_, ContextIssues(), r.id, 1, {{"title", "v2"}}, UpdateMode::kMerge),
      IsOk());
  EXPECT_THAT(registers_->Delete(alice_, ContextIssues(), r.id, 1), StatusIs(Code::kConflict));
  EXPECT_EQ(Count(alice_), 1);

  ASSERT_THAT(registers_->Delete(alice_, ContextIssues(), r.id, 2), IsOk());
  EXPECT_THAT(registers_->Get(alice_, ContextIssues(), r.id), StatusIs(Code::kNotFound));
  const auto history = registers_->History(alice_, ContextIssues(), r.id);
  ASSERT_THAT(history, IsOk());
  ASSERT_THAT(*history, SizeIs(3));
  EXPECT_EQ(history->back().action, "delete");
  EXPECT_EQ(history->back().diff["title"], Json::parse(R"({"from": "v2", "to": null})"));
}

// --- Organisations ---

TEST_F(RegisterServiceTest, KeepsEachOrganisationsRecordsToItself) {
  const Principal bob = Globex();
  const Record r = CreateIssue();
  EXPECT_THAT(registers_->Get(bob, ContextIssues(), r.id), StatusIs(Code::kNotFound));
  EXPECT_THAT(
      registers_->Update(bob, ContextIssues(), r.id, 1, {{"title", "x"}}, UpdateMode::kMerge),
      StatusIs(Code::kNotFound));
  EXPECT_THAT(registers_->Delete(bob, ContextIssues(), r.id, 1), StatusIs(Code::kNotFound));
  EXPECT_EQ(Count(bob), 0);
  EXPECT_THAT(*registers_->History(bob, ContextIssues(), r.id), IsEmpty());
}

TEST_F(RegisterServiceTest, ListsTheOrganisationsMembersAndRecentEvents) {
  (void)Globex();
  const auto members = registers_->Members(alice_);
  ASSERT_THAT(members, IsOk());
  ASSERT_THAT(*members, SizeIs(1));
  EXPECT_EQ(members->front().username, "alice");
  CreateIssue();
  const auto recent = registers_->RecentEvents(alice_, 1);
  ASSERT_THAT(recent, IsOk());
  ASSERT_THAT(*recent, SizeIs(1));
  EXPECT_EQ(recent->front().record_type, "context_issue");
}

TEST_F(RegisterServiceTest, StampsTheActorWithTheClock) {
  const store::Actor a = registers_->ActorFor(alice_);
  EXPECT_EQ(a.org_id, acme_.org.id);
  EXPECT_EQ(a.user_id, acme_.admin.id);
  EXPECT_EQ(a.username, "alice");
  EXPECT_EQ(a.now, "2026-03-14T09:26:53.589Z");
}

// --- ParseFilter ---

TEST(ParseFilter, ConvertsEachFieldTypeFromText) {
  auto f = RegisterService::ParseFilter(ContextIssues(), "climate_related", "true");
  ASSERT_THAT(f, IsOk());
  EXPECT_EQ(f->value, true);
  f = RegisterService::ParseFilter(ContextIssues(), "owner", "12");
  ASSERT_THAT(f, IsOk());
  EXPECT_EQ(f->value, 12);
  f = RegisterService::ParseFilter(ContextIssues(), "kind", "external");
  ASSERT_THAT(f, IsOk());
  EXPECT_EQ(f->value, "external");
  f = RegisterService::ParseFilter(ContextIssues(), "next_review", "2026-06-30");
  ASSERT_THAT(f, IsOk());
  EXPECT_EQ(f->value, "2026-06-30");
}

TEST(ParseFilter, TreatsAnEmptyValueAsMatchingEmptyFields) {
  const auto f = RegisterService::ParseFilter(ContextIssues(), "swot", "");
  ASSERT_THAT(f, IsOk());
  EXPECT_EQ(f->field, "swot");
  EXPECT_TRUE(f->value.is_null());
}

TEST(ParseFilter, NamesTheParameterOfABadValue) {
  EXPECT_THAT(RegisterService::ParseFilter(ContextIssues(), "climate_related", "yes"),
              StatusIs(Code::kInvalidArgument, "climate_related"));
  EXPECT_THAT(RegisterService::ParseFilter(ContextIssues(), "owner", "12abc"),
              StatusIs(Code::kInvalidArgument, "owner"));
  EXPECT_THAT(RegisterService::ParseFilter(ContextIssues(), "owner", "99999999999999999999"),
              StatusIs(Code::kInvalidArgument, "owner"));
  EXPECT_THAT(RegisterService::ParseFilter(ContextIssues(), "kind", "sideways"),
              StatusIs(Code::kInvalidArgument, "kind"));
  EXPECT_THAT(RegisterService::ParseFilter(ContextIssues(), "next_review", "2023-02-29"),
              StatusIs(Code::kInvalidArgument, "next_review"));
}

TEST(ParseFilter, RefusesUnknownAndUnfilterableFields) {
  EXPECT_THAT(RegisterService::ParseFilter(ContextIssues(), "colour", "red"),
              StatusIs(Code::kInvalidArgument, "colour"));
  EXPECT_THAT(RegisterService::ParseFilter(ContextIssues(), "title", "x"),
              StatusIs(Code::kInvalidArgument, "title"));
}

TEST(FirstError, IsOkForNoErrorsAndOtherwiseNamesTheFirstField) {
  EXPECT_THAT(FirstError({}), IsOk());
  EXPECT_THAT(FirstError({{"b", "B is wrong"}, {"a", "A is wrong"}}),
              StatusIs(Code::kInvalidArgument, "b"));
}

// --- Roles ---

// A member of Acme with `role` (a user created in the store, the principal built as the
// authentication would).
Principal MemberOf(store::Store& store, const Principal& admin, const std::string& name,
                   domain::Role role, const std::string& now) {
  auto u = test::AddMember(store, admin.org_id, name, now);
  EXPECT_THAT(u, IsOk());
  EXPECT_THAT(store.UpdateMembership(domain::Membership{u->id, admin.org_id, role, {}, {}},
                                     store::AuditDraft{.org_id = admin.org_id, .at = now}),
              IsOk());
  Principal p = admin;
  p.user_id = u->id;
  p.username = name;
  p.role = role;
  return p;
}

TEST_F(RegisterServiceTest, AContributorChangesOnlyRecordsNamingThem) {
  const Principal carl =
      MemberOf(*store_, alice_, "carl", domain::Role::kContributor, FormatUtc(clock_.Now()));
  const Record theirs = CreateIssue({{"owner", carl.user_id}});
  const Record others = CreateIssue({{"owner", alice_.user_id}});
  EXPECT_THAT(registers_->Update(carl, ContextIssues(), theirs.id, theirs.version,
                                 {{"title", "Renamed by carl"}}, UpdateMode::kMerge),
              IsOk());
  EXPECT_THAT(registers_->Update(carl, ContextIssues(), others.id, others.version,
                                 {{"title", "Taken over"}}, UpdateMode::kMerge),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(registers_->Delete(carl, ContextIssues(), others.id, others.version),
              StatusIs(Code::kPermissionDenied));
  EXPECT_EQ(registers_->Get(alice_, ContextIssues(), others.id)->fields["title"],
            "Key supplier insolvency");
  // Creating: only records that name them.
  EXPECT_THAT(
      registers_->Create(carl, ContextIssues(), {{"title", "Unowned"}, {"kind", "internal"}}),
      StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(
      registers_->Create(carl, ContextIssues(),
                         {{"title", "Mine"}, {"kind", "internal"}, {"owner", carl.user_id}}),
      IsOk());
}

TEST_F(RegisterServiceTest, ReadingRolesCannotWriteAndReadOnlyTokensCannotEither) {
  const std::string now = FormatUtc(clock_.Now());
  const Record issue = CreateIssue();
  for (auto role : {domain::Role::kViewer, domain::Role::kAuditor, domain::Role::kExecutive,
                    domain::Role::kExternalAuditor}) {
    const Principal p = MemberOf(*store_, alice_, std::string(domain::RoleName(role)), role, now);
    EXPECT_THAT(registers_->Get(p, ContextIssues(), issue.id), IsOk());
    EXPECT_THAT(registers_->Create(p, ContextIssues(), {{"title", "x"}, {"kind", "internal"}}),
                StatusIs(Code::kPermissionDenied))
        << domain::RoleName(role);
    EXPECT_THAT(registers_->Delete(p, ContextIssues(), issue.id, issue.version),
                StatusIs(Code::kPermissionDenied));
  }
  Principal token = alice_;
  token.read_only = true;
  token.credential = Credential::kToken;
  EXPECT_THAT(registers_->Get(token, ContextIssues(), issue.id), IsOk());
  const auto refused = registers_->Update(token, ContextIssues(), issue.id, issue.version,
                                          {{"title", "x"}}, UpdateMode::kMerge);
  EXPECT_THAT(refused, StatusIs(Code::kPermissionDenied));
  EXPECT_EQ(refused.status().message(), "this API token is read-only");
  EXPECT_EQ(Count(alice_), 1);
}

}  // namespace
}  // namespace rampart::app

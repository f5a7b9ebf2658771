// The store contract: what every Store backend does, run against each one (SQLite in a temporary
// file, PostgreSQL in a database of its own on the cluster named by RAMPART_TEST_PG_URL): migration
// from empty and an idempotent re-run, organisations and users, versioned writes, organisation
// scoping, constraints and foreign keys, list queries with filters, sorting, search and keyset
// pagination, and the audit chain. Each test runs once per backend: StoreTest.Name/sqlite and
// StoreTest.Name/postgres. What only one backend does is tested beside it, in tests/store/.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "base/crypto.h"
#include "domain/context.h"
#include "domain/documents.h"
#include "domain/monitoring.h"
#include "domain/planning.h"
#include "domain/readiness.h"
#include "domain/risk.h"
#include "domain/soa.h"
#include "store/migrations.h"
#include "store/store.h"
#include "support/fixed_clock.h"
#include "support/status_matchers.h"
#include "support/test_backend.h"
#include "support/test_store.h"

namespace rampart::store {
namespace {

using domain::ContextIssues;
using domain::Documents;
using domain::InterestedParties;
using domain::Json;
using domain::Record;
using domain::RegisterSpec;
using domain::ScopeStatements;
using test::Backend;
using test::IsOk;
using test::RawResult;
using test::StatusIs;
using test::Tenant;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using namespace std::chrono_literals;

// Normalised fields of a valid new record.
Json Fields(const RegisterSpec& spec, const Json& input) {
  std::vector<domain::FieldError> errors;
  Json fields = domain::ValidateFields(spec, input, domain::WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors, IsEmpty()) << input.dump();
  return fields;
}

Mutation Insert(const RegisterSpec& spec, const Json& input) {
  Json fields = Fields(spec, input);
  Json diff = domain::DiffFields(spec, Json(), fields);
  return Mutation{.kind = Mutation::Kind::kInsert,
                  .spec = &spec,
                  .fields = std::move(fields),
                  .action = "create",
                  .diff = std::move(diff)};
}

Mutation Update(const RegisterSpec& spec, const Record& before, const Json& fields,
                int64_t expected_version) {
  return Mutation{.kind = Mutation::Kind::kUpdate,
                  .spec = &spec,
                  .id = before.id,
                  .expected_version = expected_version,
                  .fields = fields,
                  .action = "update",
                  .diff = domain::DiffFields(spec, before.fields, fields)};
}

Mutation Delete(const RegisterSpec& spec, const Record& before, int64_t expected_version) {
  return Mutation{.kind = Mutation::Kind::kDelete,
                  .spec = &spec,
                  .id = before.id,
                  .expected_version = expected_version,
                  .action = "delete",
                  .diff = domain::DiffFields(spec, before.fields, Json())};
}

Json Issue(const std::string& title, const std::string& kind = "internal") {
  return {{"title", title}, {"kind", kind}};
}

// Every backend has the same numbered migrations (the SQL is dialect-aware), so SQLite's list says
// how many there are and which is the latest.
int MigrationCount() { return static_cast<int>(SqliteMigrations().size()); }
int LatestMigration() { return SqliteMigrations().back().number; }

const auto kBackends = ::testing::Values(Backend::kSqlite, Backend::kPostgres);
std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return test::BackendName(info.param);
}

// A fresh, empty database on the backend under test, with a raw connection beside it.
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = test::BackendDatabase::Create(GetParam());
    ASSERT_THAT(db, IsOk());
    db_ = std::move(db).value();
  }

  std::unique_ptr<test::BackendDatabase> db_;  // outlives every Store a test opens on it
};

// A migrated store on a fresh database, with the organisation "Acme" and its administrator.
class StoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    auto opened = test::OpenMigratedStore(db_->url());
    ASSERT_THAT(opened, IsOk());
    store_ = std::move(opened).value();
    auto acme = test::CreateTenant(*store_, "Acme", "alice", Now());
    ASSERT_THAT(acme, IsOk());
    acme_ = *acme;
  }

  // A timestamp one millisecond after the previous one.
  std::string Now() {
    clock_.Advance(1ms);
    return FormatUtc(clock_.Now());
  }

  Actor ActorOf(const Tenant& t) { return {t.org.id, t.admin.id, t.admin.username, Now()}; }

  Result<Record> WriteOne(const Tenant& t, const Mutation& m) {
    ASSIGN_OR_RETURN(auto written, store_->Write(ActorOf(t), {m}));
    if (written.size() != 1) return Internal("expected one record");
    return written.front();
  }

  Result<Tenant> SecondTenant() { return test::CreateTenant(*store_, "Globex", "bob", Now()); }

  std::vector<domain::AuditEvent> Events() {
    std::vector<domain::AuditEvent> out;
    EXPECT_THAT(store_->ScanAudit([&](const domain::AuditEvent& e) {
      out.push_back(e);
      return true;
    }),
                IsOk());
    return out;
  }

  // Every record of a list query, following next_cursor page by page.
  std::vector<int64_t> WalkAllPages(const RegisterSpec& spec, int64_t org_id, ListQuery q,
                                    int* pages = nullptr) {
    std::vector<int64_t> ids;
    for (int n = 1; n <= 1000; ++n) {
      auto page = store_->List(spec, org_id, q);
      if (!page.ok()) {
        ADD_FAILURE() << "page " << n << ": " << page.status().ToString();
        return ids;
      }
      for (const auto& r : page->records) ids.push_back(r.id);
      if (page->next_cursor.empty()) {
        if (pages != nullptr) *pages = n;
        return ids;
      }
      q.cursor = page->next_cursor;
    }
    ADD_FAILURE() << "pagination does not end";
    return ids;
  }

  test::FixedClock clock_{test::TestEpoch()};
  std::unique_ptr<Store> store_;
  Tenant acme_;
};
INSTANTIATE_TEST_SUITE_P(, StoreTest, kBackends, BackendName);

// --- Opening and migrating ---

using StoreMigrate = BackendTest;
INSTANTIATE_TEST_SUITE_P(, StoreMigrate, kBackends, BackendName);

TEST_P(StoreMigrate, AppliesEveryMigrationToAnEmptyDatabaseThenNothing) {
  auto store = OpenStore(db_->url());
  ASSERT_THAT(store, IsOk());
  const auto first = (*store)->Migrate();
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(*first, MigrationCount());
  EXPECT_EQ(*(*store)->SchemaVersion(), LatestMigration());

  const auto second = (*store)->Migrate();
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(*second, 0);
  EXPECT_EQ(*(*store)->SchemaVersion(), LatestMigration());
}

TEST_P(StoreMigrate, IsIdempotentAcrossReopening) {
  {
    auto store = test::OpenMigratedStore(db_->url());
    ASSERT_THAT(store, IsOk());
  }
  auto reopened = OpenStore(db_->url());
  ASSERT_THAT(reopened, IsOk());
  const auto again = (*reopened)->Migrate();
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(*(*reopened)->SchemaVersion(), LatestMigration());
  // Every backend keeps schema_migrations(number, name, applied_at): one row per migration.
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM schema_migrations"), MigrationCount());
}

// Two instances starting at once on an empty database: one migrates it, neither fails.
TEST_P(StoreMigrate, MigratesOnceWhenTwoStoresStartAtOnce) {
  auto a = OpenStore(db_->url());
  auto b = OpenStore(db_->url());
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  Result<int> applied_a = 0;
  Result<int> applied_b = 0;
  std::thread ta([&] { applied_a = (*a)->Migrate(); });
  std::thread tb([&] { applied_b = (*b)->Migrate(); });
  ta.join();
  tb.join();
  ASSERT_THAT(applied_a, IsOk());
  ASSERT_THAT(applied_b, IsOk());
  EXPECT_EQ(*applied_a + *applied_b, MigrationCount());
  EXPECT_EQ(*(*a)->SchemaVersion(), LatestMigration());
  EXPECT_EQ(*(*b)->SchemaVersion(), LatestMigration());
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM schema_migrations"), MigrationCount());
}

// Needs no database: an unreachable one.
class StoreOpen : public ::testing::TestWithParam<Backend> {};
INSTANTIATE_TEST_SUITE_P(, StoreOpen, kBackends, BackendName);

TEST_P(StoreOpen, ReportsAnUnreachableDatabaseAsUnavailable) {
  EXPECT_THAT(OpenStore(test::UnreachableUrl(GetParam())), StatusIs(Code::kUnavailable));
}

// --- Organisations and users ---

TEST_P(StoreTest, CreatesAnOrganisationAndFindsItByNameAndId) {
  EXPECT_GT(acme_.org.id, 0);
  EXPECT_EQ(acme_.org.name, "Acme");
  const auto by_name = store_->FindOrganisation("Acme");
  ASSERT_THAT(by_name, IsOk());
  EXPECT_EQ(by_name->id, acme_.org.id);
  const auto by_id = store_->GetOrganisation(acme_.org.id);
  ASSERT_THAT(by_id, IsOk());
  EXPECT_EQ(by_id->name, "Acme");
  EXPECT_EQ(by_id->created_at, acme_.org.created_at);
  EXPECT_THAT(store_->FindOrganisation("Initech"), StatusIs(Code::kNotFound));
  EXPECT_THAT(store_->GetOrganisation(999), StatusIs(Code::kNotFound));
}

TEST_P(StoreTest, RefusesADuplicateOrganisationName) {
  const size_t events = Events().size();
  EXPECT_THAT(store_->CreateOrganisation("Acme", AuditDraft{.at = Now()}),
              StatusIs(Code::kAlreadyExists, "name"));
  EXPECT_EQ(Events().size(), events);
}

TEST_P(StoreTest, ListsOrganisationsOldestFirst) {
  ASSERT_THAT(SecondTenant(), IsOk());
  const auto orgs = store_->ListOrganisations();
  ASSERT_THAT(orgs, IsOk());
  ASSERT_EQ(orgs->size(), 2u);
  EXPECT_EQ((*orgs)[0].name, "Acme");
  EXPECT_EQ((*orgs)[1].name, "Globex");
}

TEST_P(StoreTest, CreatesAUserWithAMembership) {
  EXPECT_GT(acme_.admin.id, 0);
  const auto found = store_->FindUser("alice");
  ASSERT_THAT(found, IsOk());
  EXPECT_EQ(found->id, acme_.admin.id);
  EXPECT_EQ(found->password_hash, "x");
  EXPECT_FALSE(found->disabled);
  EXPECT_FALSE(found->must_change_password);
  const auto membership = store_->GetMembership(acme_.admin.id, acme_.org.id);
  ASSERT_THAT(membership, IsOk());
  ASSERT_TRUE(membership->has_value());
  EXPECT_EQ((*membership)->role, domain::Role::kAdmin);
  const auto memberships = store_->Memberships(acme_.admin.id);
  ASSERT_THAT(memberships, IsOk());
  ASSERT_EQ(memberships->size(), 1u);
  EXPECT_EQ(memberships->front().org_id, acme_.org.id);
}

TEST_P(StoreTest, RecordsTheUserIdInTheUsersAuditEvent) {
  const auto events = Events();
  ASSERT_EQ(events.size(), 2u);  // the organisation, then alice
  EXPECT_EQ(events[1].record_type, "user");
  EXPECT_EQ(events[1].record_id, acme_.admin.id);
  EXPECT_EQ(events[1].org_id, acme_.org.id);
  EXPECT_EQ(events[0].record_type, "organisation");
  EXPECT_EQ(events[0].record_id, acme_.org.id);
  EXPECT_EQ(events[0].org_id, acme_.org.id);
}

TEST_P(StoreTest, RefusesADuplicateUserNameAndKeepsNothing) {
  ASSERT_THAT(SecondTenant(), IsOk());
  const size_t events = Events().size();
  const auto globex = store_->FindOrganisation("Globex");
  ASSERT_THAT(globex, IsOk());
  EXPECT_THAT(test::AddMember(*store_, globex->id, "alice", Now()),
              StatusIs(Code::kAlreadyExists, "username"));
  EXPECT_EQ(Events().size(), events);
  const auto members = store_->ListMembers(globex->id);
  ASSERT_THAT(members, IsOk());
  ASSERT_EQ(members->size(), 1u);
  EXPECT_EQ(members->front().username, "bob");
}

TEST_P(StoreTest, ReportsNoMembershipInAnotherOrganisation) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  const auto m = store_->GetMembership(acme_.admin.id, globex->org.id);
  ASSERT_THAT(m, IsOk());
  EXPECT_FALSE(m->has_value());
  EXPECT_THAT(store_->FindUser("carol"), StatusIs(Code::kNotFound));
  EXPECT_THAT(store_->GetUser(999), StatusIs(Code::kNotFound));
}

TEST_P(StoreTest, ListsMembersByUserName) {
  ASSERT_THAT(test::AddMember(*store_, acme_.org.id, "zoe", Now()), IsOk());
  ASSERT_THAT(test::AddMember(*store_, acme_.org.id, "bea", Now()), IsOk());
  ASSERT_THAT(SecondTenant(), IsOk());
  const auto members = store_->ListMembers(acme_.org.id);
  ASSERT_THAT(members, IsOk());
  std::vector<std::string> names;
  for (const auto& m : *members) names.push_back(m.username);
  EXPECT_THAT(names, ElementsAre("alice", "bea", "zoe"));
  EXPECT_EQ(members->front().role, "admin");
}

TEST_P(StoreTest, SetsAPasswordAndReportsAnUnknownUser) {
  ASSERT_THAT(store_->SetPassword(acme_.admin.id, "new-hash", true, "", AuditDraft{.at = Now()}),
              IsOk());
  const auto u = store_->GetUser(acme_.admin.id);
  ASSERT_THAT(u, IsOk());
  EXPECT_EQ(u->password_hash, "new-hash");
  EXPECT_TRUE(u->must_change_password);

  const size_t events = Events().size();
  EXPECT_THAT(store_->SetPassword(999, "h", false, "", AuditDraft{.at = Now()}),
              StatusIs(Code::kNotFound));
  EXPECT_EQ(Events().size(), events);
}

TEST_P(StoreTest, DisablingAUserEndsSessionsAndRevokesTokens) {
  const domain::Session session{.id_hash = Sha256Hex("session"),
                                .user_id = acme_.admin.id,
                                .org_id = acme_.org.id,
                                .csrf_token = "csrf",
                                .created_at = Now(),
                                .expires_at = "2099-01-01T00:00:00.000Z",
                                .last_seen_at = Now()};
  ASSERT_THAT(store_->CreateSession(session, AuditDraft{.at = Now()}), IsOk());
  const auto token = store_->CreateToken(domain::ApiToken{.token_hash = Sha256Hex("token"),
                                                          .user_id = acme_.admin.id,
                                                          .org_id = acme_.org.id,
                                                          .name = "ci",
                                                          .created_at = Now()},
                                         AuditDraft{.at = Now()});
  ASSERT_THAT(token, IsOk());
  EXPECT_GT(token->id, 0);
  ASSERT_THAT(store_->FindSessionOwner(Sha256Hex("session")), IsOk());
  ASSERT_FALSE(store_->FindTokenOwner(Sha256Hex("token"))->token.revoked);

  ASSERT_THAT(store_->SetUserDisabled(acme_.admin.id, true, AuditDraft{.at = Now()}), IsOk());
  EXPECT_TRUE(store_->GetUser(acme_.admin.id)->disabled);
  EXPECT_THAT(store_->FindSessionOwner(Sha256Hex("session")), StatusIs(Code::kNotFound));
  const auto revoked = store_->FindTokenOwner(Sha256Hex("token"));
  ASSERT_THAT(revoked, IsOk());
  EXPECT_TRUE(revoked->token.revoked);
}

TEST_P(StoreTest, FindsAndDeletesASession) {
  const domain::Session session{.id_hash = Sha256Hex("s1"),
                                .user_id = acme_.admin.id,
                                .org_id = acme_.org.id,
                                .csrf_token = "csrf-1",
                                .created_at = Now(),
                                .expires_at = "2099-01-01T00:00:00.000Z",
                                .last_seen_at = Now(),
                                .address = "192.0.2.1",
                                .user_agent = "test"};
  const auto created = store_->CreateSession(session, AuditDraft{.at = Now()});
  ASSERT_THAT(created, IsOk());
  EXPECT_GT(created->id, 0);
  const auto found = store_->FindSessionOwner(Sha256Hex("s1"));
  ASSERT_THAT(found, IsOk());
  EXPECT_EQ(found->user.id, acme_.admin.id);
  EXPECT_EQ(found->org.id, acme_.org.id);
  ASSERT_TRUE(found->membership.has_value());
  EXPECT_EQ(found->membership->role, domain::Role::kAdmin);
  EXPECT_EQ(found->session.id, created->id);
  EXPECT_EQ(found->session.csrf_token, "csrf-1");
  EXPECT_EQ(found->session.expires_at, "2099-01-01T00:00:00.000Z");
  EXPECT_EQ(found->session.address, "192.0.2.1");
  EXPECT_EQ(found->session.stage, domain::Session::Stage::kActive);
  ASSERT_THAT(store_->DeleteSession(Sha256Hex("s1"), AuditDraft{.at = Now()}), IsOk());
  EXPECT_THAT(store_->FindSessionOwner(Sha256Hex("s1")), StatusIs(Code::kNotFound));
}

// --- Access: memberships, second factor, throttling, sessions, tokens ---

TEST_P(StoreTest, AddsAndChangesMembershipsWithEndDates) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  const size_t events = Events().size();
  ASSERT_THAT(
      store_->AddMembership(
          domain::Membership{
              acme_.admin.id, globex->org.id, domain::Role::kExternalAuditor, "2030-06-30", {}},
          AuditDraft{.org_id = globex->org.id, .at = Now()}),
      IsOk());
  EXPECT_THAT(store_->AddMembership(
                  domain::Membership{acme_.admin.id, globex->org.id, domain::Role::kViewer, {}, {}},
                  AuditDraft{.at = Now()}),
              StatusIs(Code::kAlreadyExists));
  const auto all = store_->Memberships(acme_.admin.id);
  ASSERT_THAT(all, IsOk());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].org_name, "Globex");
  EXPECT_EQ((*all)[1].role, domain::Role::kExternalAuditor);
  EXPECT_EQ((*all)[1].expires_at, "2030-06-30");
  ASSERT_THAT(
      store_->UpdateMembership(
          domain::Membership{acme_.admin.id, globex->org.id, domain::Role::kAuditor, {}, {}},
          AuditDraft{.at = Now()}),
      IsOk());
  const auto m = store_->GetMembership(acme_.admin.id, globex->org.id);
  ASSERT_THAT(m, IsOk());
  EXPECT_EQ((*m)->role, domain::Role::kAuditor);
  EXPECT_EQ((*m)->expires_at, "");
  EXPECT_THAT(store_->UpdateMembership(
                  domain::Membership{999, globex->org.id, domain::Role::kAuditor, {}, {}},
                  AuditDraft{.at = Now()}),
              StatusIs(Code::kNotFound));
  EXPECT_EQ(Events().size(), events + 2);
  const auto members = store_->ListMembers(globex->org.id);
  ASSERT_THAT(members, IsOk());
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ(members->front().username, "alice");
  EXPECT_EQ(members->front().role, "auditor");
}

TEST_P(StoreTest, InvitationsBecomeMembershipsOnlyWhenAccepted) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  const int64_t alice = acme_.admin.id;
  EXPECT_EQ(*store_->AccountHome(alice), acme_.org.id);
  EXPECT_EQ(*store_->AccountHome(globex->admin.id), globex->org.id);
  EXPECT_THAT(store_->AccountHome(999), StatusIs(Code::kNotFound));
  Invitation inv{.org_id = globex->org.id,
                 .user_id = alice,
                 .role = domain::Role::kViewer,
                 .invited_by = "bob",
                 .created_at = Now()};
  ASSERT_THAT(store_->PutInvitation(inv, AuditDraft{.org_id = globex->org.id, .at = Now()}),
              IsOk());
  // Inviting again replaces the offer.
  inv.role = domain::Role::kAuditor;
  inv.expires_at = "2030-06-30";
  ASSERT_THAT(store_->PutInvitation(inv, AuditDraft{.org_id = globex->org.id, .at = Now()}),
              IsOk());
  auto mine = store_->Invitations(alice);
  ASSERT_THAT(mine, IsOk());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().org_name, "Globex");
  EXPECT_EQ(mine->front().role, domain::Role::kAuditor);
  EXPECT_EQ(mine->front().expires_at, "2030-06-30");
  EXPECT_EQ(mine->front().invited_by, "bob");
  EXPECT_FALSE(store_->GetMembership(alice, globex->org.id)->has_value());
  const int64_t id = mine->front().id;
  EXPECT_THAT(store_->AcceptInvitation(globex->admin.id, id, AuditDraft{.at = Now()}),
              StatusIs(Code::kNotFound));
  auto accepted = store_->AcceptInvitation(alice, id, AuditDraft{.at = Now(), .action = "accept"});
  ASSERT_THAT(accepted, IsOk());
  EXPECT_EQ(accepted->org_id, globex->org.id);
  const auto m = store_->GetMembership(alice, globex->org.id);
  ASSERT_TRUE(m->has_value());
  EXPECT_EQ((*m)->role, domain::Role::kAuditor);
  EXPECT_EQ((*m)->expires_at, "2030-06-30");
  EXPECT_TRUE(store_->Invitations(alice)->empty());
  EXPECT_EQ(Events().back().action, "accept");
  EXPECT_EQ(Events().back().org_id, globex->org.id);  // the store names the organisation
  // A membership that ended comes back with the new offer; declining changes nothing.
  ASSERT_THAT(store_->UpdateMembership(
                  domain::Membership{alice, globex->org.id, domain::Role::kViewer, "2020-01-01"},
                  AuditDraft{.at = Now()}),
              IsOk());
  inv.role = domain::Role::kContributor;
  inv.expires_at = "";
  ASSERT_THAT(store_->PutInvitation(inv, AuditDraft{.at = Now()}), IsOk());
  ASSERT_THAT(store_->AcceptInvitation(alice, store_->Invitations(alice)->front().id,
                                       AuditDraft{.at = Now()}),
              IsOk());
  EXPECT_EQ((*store_->GetMembership(alice, globex->org.id))->role, domain::Role::kContributor);
  EXPECT_EQ((*store_->GetMembership(alice, globex->org.id))->expires_at, "");
  Invitation back{.org_id = acme_.org.id,
                  .user_id = globex->admin.id,
                  .role = domain::Role::kViewer,
                  .invited_by = "alice",
                  .created_at = Now()};
  ASSERT_THAT(store_->PutInvitation(back, AuditDraft{.at = Now()}), IsOk());
  const int64_t declined_id = store_->Invitations(globex->admin.id)->front().id;
  auto declined = store_->DeclineInvitation(globex->admin.id, declined_id,
                                            AuditDraft{.at = Now(), .action = "decline"});
  ASSERT_THAT(declined, IsOk());
  EXPECT_FALSE(store_->GetMembership(globex->admin.id, acme_.org.id)->has_value());
  EXPECT_EQ(Events().back().org_id, acme_.org.id);
  EXPECT_THAT(store_->DeclineInvitation(globex->admin.id, declined_id, AuditDraft{.at = Now()}),
              StatusIs(Code::kNotFound));
}

// Every event records the client's address under encoding 2 (events of earlier releases keep
// encoding 1 and verify as they were written).
TEST_P(StoreTest, RecordsTheClientAddressInTheHashedEvent) {
  Actor actor = ActorOf(acme_);
  actor.address = "2001:db8::7";
  ASSERT_THAT(store_->Write(
                  actor, {Insert(ContextIssues(), {{"title", "From afar"}, {"kind", "internal"}})}),
              IsOk());
  ASSERT_THAT(store_->AppendAudit(AuditDraft{.org_id = acme_.org.id,
                                             .actor = "system",
                                             .at = Now(),
                                             .action = "sign_in_failed",
                                             .record_type = "user",
                                             .address = "192.0.2.1"}),
              IsOk());
  const auto events = Events();
  ASSERT_GE(events.size(), 2u);
  const auto& write = events[events.size() - 2];
  EXPECT_EQ(write.address, "2001:db8::7");
  EXPECT_EQ(write.encoding, domain::kCurrentAuditEncoding);
  EXPECT_EQ(write.hash, domain::ComputeAuditHash(write));
  EXPECT_EQ(events.back().address, "192.0.2.1");
  EXPECT_EQ(events.back().hash, domain::ComputeAuditHash(events.back()));
}

TEST_P(StoreTest, UsesEachSecondFactorStepAndRecoveryCodeOnce) {
  ASSERT_THAT(store_->SetPendingSecondFactor(acme_.admin.id, "PENDINGSECRET"), IsOk());
  EXPECT_EQ(store_->GetSecondFactor(acme_.admin.id)->pending, "PENDINGSECRET");
  EXPECT_FALSE(store_->GetUser(acme_.admin.id)->second_factor);
  ASSERT_THAT(store_->EnableSecondFactor(acme_.admin.id, "PENDINGSECRET", 100, {"h1", "h2"},
                                         AuditDraft{.at = Now()}),
              IsOk());
  auto state = store_->GetSecondFactor(acme_.admin.id);
  ASSERT_THAT(state, IsOk());
  EXPECT_EQ(state->secret, "PENDINGSECRET");
  EXPECT_EQ(state->pending, "");
  EXPECT_EQ(state->last_step, 100);
  EXPECT_EQ(state->unused_recovery_codes, 2);
  EXPECT_TRUE(store_->GetUser(acme_.admin.id)->second_factor);

  EXPECT_FALSE(*store_->UseSecondFactorStep(acme_.admin.id, 100));  // the enrolment's step
  EXPECT_TRUE(*store_->UseSecondFactorStep(acme_.admin.id, 101));
  EXPECT_FALSE(*store_->UseSecondFactorStep(acme_.admin.id, 101));
  EXPECT_FALSE(*store_->UseSecondFactorStep(acme_.admin.id, 99));

  const size_t events = Events().size();
  EXPECT_TRUE(*store_->UseRecoveryCode(acme_.admin.id, "h1", Now(), AuditDraft{.at = Now()}));
  EXPECT_FALSE(*store_->UseRecoveryCode(acme_.admin.id, "h1", Now(), AuditDraft{.at = Now()}));
  EXPECT_FALSE(*store_->UseRecoveryCode(acme_.admin.id, "nope", Now(), AuditDraft{.at = Now()}));
  EXPECT_EQ(Events().size(), events + 1);  // only the use that happened
  EXPECT_EQ(store_->GetSecondFactor(acme_.admin.id)->unused_recovery_codes, 1);

  ASSERT_THAT(
      store_->ReplaceRecoveryCodes(acme_.admin.id, {"h3", "h4", "h5"}, AuditDraft{.at = Now()}),
      IsOk());
  EXPECT_EQ(store_->GetSecondFactor(acme_.admin.id)->unused_recovery_codes, 3);
  ASSERT_THAT(store_->DisableSecondFactor(acme_.admin.id, AuditDraft{.at = Now()}), IsOk());
  state = store_->GetSecondFactor(acme_.admin.id);
  EXPECT_EQ(state->secret, "");
  EXPECT_EQ(state->unused_recovery_codes, 0);
  EXPECT_FALSE(store_->GetUser(acme_.admin.id)->second_factor);
}

TEST_P(StoreTest, CountsSignInFailuresPerSubjectWithinAWindow) {
  ASSERT_THAT(store_->RecordSignInFailure({"user:old"}, "2026-01-01T08:00:00.000Z",
                                          "2026-01-01T07:00:00.000Z"),
              IsOk());
  ASSERT_THAT(store_->RecordSignInFailure({"user:alice", "address:192.0.2.1"},
                                          "2026-01-01T10:00:00.000Z", "2026-01-01T09:00:00.000Z"),
              IsOk());
  EXPECT_TRUE(
      store_->SignInFailures("user:old", "2000-01-01T00:00:00.000Z")->empty());  // forgotten
  ASSERT_THAT(store_->RecordSignInFailure({"user:alice"}, "2026-01-01T10:05:00.000Z",
                                          "2026-01-01T09:05:00.000Z"),
              IsOk());
  const auto recent = store_->SignInFailures("user:alice", "2026-01-01T10:01:00.000Z");
  ASSERT_THAT(recent, IsOk());
  EXPECT_THAT(*recent, ElementsAre("2026-01-01T10:05:00.000Z"));
  EXPECT_EQ(store_->SignInFailures("user:alice", "2026-01-01T09:00:00.000Z")->size(), 2u);
  EXPECT_EQ(store_->SignInFailures("address:192.0.2.1", "2026-01-01T09:00:00.000Z")->size(), 1u);
  ASSERT_THAT(store_->ClearSignInFailures("user:alice"), IsOk());
  EXPECT_TRUE(store_->SignInFailures("user:alice", "2026-01-01T09:00:00.000Z")->empty());
  EXPECT_EQ(store_->SignInFailures("address:192.0.2.1", "2026-01-01T09:00:00.000Z")->size(), 1u);
}

TEST_P(StoreTest, ListsEndsActivatesAndMovesSessions) {
  auto make = [&](const std::string& id, domain::Session::Stage stage) {
    return store_->CreateSession(domain::Session{.id_hash = Sha256Hex(id),
                                                 .user_id = acme_.admin.id,
                                                 .org_id = acme_.org.id,
                                                 .csrf_token = "c",
                                                 .created_at = Now(),
                                                 .expires_at = "2099-01-01T00:00:00.000Z",
                                                 .last_seen_at = Now(),
                                                 .stage = stage},
                                 AuditDraft{.at = Now()});
  };
  const auto a = make("a", domain::Session::Stage::kActive);
  const auto b = make("b", domain::Session::Stage::kSecondFactor);
  const auto c = make("c", domain::Session::Stage::kActive);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  ASSERT_THAT(c, IsOk());
  auto listed = store_->ListSessions(acme_.admin.id);
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ(listed->front().id, c->id);  // newest first
  EXPECT_EQ((*listed)[1].stage, domain::Session::Stage::kSecondFactor);

  ASSERT_THAT(store_->TouchSession(Sha256Hex("a"), "2030-01-01T00:00:00.000Z"), IsOk());
  EXPECT_EQ(store_->FindSessionOwner(Sha256Hex("a"))->session.last_seen_at,
            "2030-01-01T00:00:00.000Z");
  // The second step: under a new id, active; only once.
  ASSERT_THAT(store_->ActivateSession(Sha256Hex("b"), Sha256Hex("b2"), "2098-01-01T00:00:00.000Z",
                                      AuditDraft{.at = Now()}),
              IsOk());
  EXPECT_THAT(store_->FindSessionOwner(Sha256Hex("b")), StatusIs(Code::kNotFound));
  EXPECT_EQ(store_->FindSessionOwner(Sha256Hex("b2"))->session.stage,
            domain::Session::Stage::kActive);
  EXPECT_EQ(store_->FindSessionOwner(Sha256Hex("b2"))->session.expires_at,
            "2098-01-01T00:00:00.000Z");
  EXPECT_THAT(store_->ActivateSession(Sha256Hex("a"), Sha256Hex("a2"), "2098-01-01T00:00:00.000Z",
                                      AuditDraft{.at = Now()}),
              StatusIs(Code::kNotFound));

  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  ASSERT_THAT(
      store_->SwitchSessionOrganisation(Sha256Hex("a"), globex->org.id, AuditDraft{.at = Now()}),
      IsOk());
  const auto moved = store_->FindSessionOwner(Sha256Hex("a"));
  ASSERT_THAT(moved, IsOk());
  EXPECT_EQ(moved->org.name, "Globex");
  EXPECT_FALSE(moved->membership.has_value());  // not a member there

  // Another user cannot end alice's session; alice ends all but one.
  EXPECT_THAT(store_->EndSession(globex->admin.id, c->id, AuditDraft{.at = Now()}),
              StatusIs(Code::kNotFound));
  ASSERT_THAT(store_->EndSession(acme_.admin.id, c->id, AuditDraft{.at = Now()}), IsOk());
  const auto ended = store_->EndSessions(acme_.admin.id, Sha256Hex("a"), AuditDraft{.at = Now()});
  ASSERT_THAT(ended, IsOk());
  EXPECT_EQ(*ended, 1);  // b2
  EXPECT_EQ(Events().back().diff["sessions_ended"], 1);
  listed = store_->ListSessions(acme_.admin.id);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, a->id);
}

TEST_P(StoreTest, ListsAndRevokesTokensOfTheirOwnerOnly) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  const auto t = store_->CreateToken(domain::ApiToken{.token_hash = Sha256Hex("t"),
                                                      .user_id = acme_.admin.id,
                                                      .org_id = acme_.org.id,
                                                      .name = "ci",
                                                      .created_at = Now(),
                                                      .read_only = true,
                                                      .expires_at = "2030-01-01T23:59:59.999Z"},
                                     AuditDraft{.at = Now()});
  ASSERT_THAT(t, IsOk());
  auto owner = store_->FindTokenOwner(Sha256Hex("t"));
  ASSERT_THAT(owner, IsOk());
  EXPECT_TRUE(owner->token.read_only);
  EXPECT_EQ(owner->token.expires_at, "2030-01-01T23:59:59.999Z");
  EXPECT_EQ(owner->token.last_used_at, "");
  ASSERT_THAT(store_->TouchToken(t->id, "2026-05-05T05:05:05.005Z"), IsOk());
  const auto listed = store_->ListTokens(acme_.admin.id);
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().last_used_at, "2026-05-05T05:05:05.005Z");
  EXPECT_TRUE(listed->front().token_hash.empty());
  EXPECT_TRUE(store_->ListTokens(globex->admin.id)->empty());
  EXPECT_THAT(store_->RevokeToken(globex->admin.id, t->id, AuditDraft{.at = Now()}),
              StatusIs(Code::kNotFound));
  EXPECT_FALSE(store_->FindTokenOwner(Sha256Hex("t"))->token.revoked);
  ASSERT_THAT(store_->RevokeToken(acme_.admin.id, t->id, AuditDraft{.at = Now()}), IsOk());
  EXPECT_TRUE(store_->FindTokenOwner(Sha256Hex("t"))->token.revoked);
}

// --- Account security (migration 0010) ---

TEST_P(StoreTest, UsesAOneTimePasswordOnceAndOnlyBeforeItExpires) {
  ASSERT_THAT(store_->SetPassword(acme_.admin.id, "otp-hash", true, "2026-06-01T00:00:00.000Z",
                                  AuditDraft{.at = Now()}),
              IsOk());
  EXPECT_EQ(store_->GetUser(acme_.admin.id)->password_expires_at, "2026-06-01T00:00:00.000Z");
  // Past the expiry: refused, and nothing changes.
  EXPECT_FALSE(*store_->UseOneTimePassword(acme_.admin.id, "2026-06-01T00:00:00.000Z"));
  EXPECT_TRUE(*store_->UseOneTimePassword(acme_.admin.id, "2026-05-01T00:00:00.000Z"));
  EXPECT_EQ(store_->FindUser("alice")->password_expires_at, "2026-05-01T00:00:00.000Z");
  EXPECT_FALSE(*store_->UseOneTimePassword(acme_.admin.id, "2026-05-01T00:00:00.000Z"));
  // A chosen password has no expiry and is not one-time.
  ASSERT_THAT(store_->SetPassword(acme_.admin.id, "own-hash", false, "", AuditDraft{.at = Now()}),
              IsOk());
  EXPECT_EQ(store_->GetUser(acme_.admin.id)->password_expires_at, "");
  EXPECT_FALSE(*store_->UseOneTimePassword(acme_.admin.id, "2026-05-01T00:00:00.000Z"));
}

TEST_P(StoreTest, KeepsWhenASessionWasReauthenticated) {
  domain::Session session{.id_hash = Sha256Hex("r1"),
                          .user_id = acme_.admin.id,
                          .org_id = acme_.org.id,
                          .csrf_token = "csrf",
                          .created_at = Now(),
                          .expires_at = "2099-01-01T00:00:00.000Z",
                          .last_seen_at = Now(),
                          .address = "192.0.2.1",
                          .user_agent = "test",
                          .reauthenticated_at = "2026-05-01T00:00:00.000Z"};
  ASSERT_THAT(store_->CreateSession(session, AuditDraft{.at = Now()}), IsOk());
  EXPECT_EQ(store_->FindSessionOwner(Sha256Hex("r1"))->session.reauthenticated_at,
            "2026-05-01T00:00:00.000Z");
  ASSERT_THAT(store_->SetSessionReauthenticated(Sha256Hex("r1"), "2026-05-02T00:00:00.000Z"),
              IsOk());
  EXPECT_EQ(store_->FindSessionOwner(Sha256Hex("r1"))->session.reauthenticated_at,
            "2026-05-02T00:00:00.000Z");
  EXPECT_EQ(store_->ListSessions(acme_.admin.id)->front().reauthenticated_at,
            "2026-05-02T00:00:00.000Z");
  EXPECT_THAT(store_->SetSessionReauthenticated(Sha256Hex("nope"), Now()),
              StatusIs(Code::kNotFound));
  session.id_hash = Sha256Hex("r2");
  session.reauthenticated_at.clear();
  ASSERT_THAT(store_->CreateSession(session, AuditDraft{.at = Now()}), IsOk());
  EXPECT_EQ(store_->FindSessionOwner(Sha256Hex("r2"))->session.reauthenticated_at, "");
}

TEST_P(StoreTest, RevokesEveryTokenOfAUserAndAuditsOnlyWhenThereWereSome) {
  for (const char* name : {"a", "b"}) {
    ASSERT_THAT(store_->CreateToken({.token_hash = Sha256Hex(name),
                                     .user_id = acme_.admin.id,
                                     .org_id = acme_.org.id,
                                     .name = name,
                                     .created_at = Now()},
                                    AuditDraft{.at = Now()}),
                IsOk());
  }
  size_t events = Events().size();
  const auto revoked =
      store_->RevokeTokens(acme_.admin.id, AuditDraft{.at = Now(), .action = "revoke_tokens"});
  ASSERT_THAT(revoked, IsOk());
  EXPECT_EQ(*revoked, 2);
  EXPECT_EQ(Events().size(), events + 1);
  EXPECT_EQ(Events().back().diff["tokens_revoked"], 2);
  EXPECT_TRUE(store_->FindTokenOwner(Sha256Hex("a"))->token.revoked);
  EXPECT_TRUE(store_->FindTokenOwner(Sha256Hex("b"))->token.revoked);
  events = Events().size();
  EXPECT_EQ(*store_->RevokeTokens(acme_.admin.id, AuditDraft{.at = Now()}), 0);
  EXPECT_EQ(Events().size(), events);
}

TEST_P(StoreTest, ListsTheHashesOfUnusedRecoveryCodes) {
  ASSERT_THAT(store_->EnableSecondFactor(acme_.admin.id, "SECRET", 1, {"h1", "h2", "h3"},
                                         AuditDraft{.at = Now()}),
              IsOk());
  EXPECT_TRUE(*store_->UseRecoveryCode(acme_.admin.id, "h2", Now(), AuditDraft{.at = Now()}));
  const auto unused = store_->UnusedRecoveryCodes(acme_.admin.id);
  ASSERT_THAT(unused, IsOk());
  EXPECT_THAT(*unused, ElementsAre("h1", "h3"));
  EXPECT_TRUE(store_->UnusedRecoveryCodes(999)->empty());
}

TEST_P(StoreTest, ReenablingAUserKeepsTheirTokensRevoked) {
  ASSERT_THAT(
      store_->SetSecondFactorRoles(acme_.org.id, {domain::Role::kViewer, domain::Role::kAuditor},
                                   AuditDraft{.at = Now()}),
      IsOk());
  EXPECT_THAT(store_->GetOrganisation(acme_.org.id)->second_factor_roles,
              ElementsAre(domain::Role::kViewer, domain::Role::kAuditor));
  ASSERT_THAT(store_->CreateToken(domain::ApiToken{.token_hash = Sha256Hex("t"),
                                                   .user_id = acme_.admin.id,
                                                   .org_id = acme_.org.id,
                                                   .name = "ci",
                                                   .created_at = Now()},
                                  AuditDraft{.at = Now()}),
              IsOk());
  ASSERT_THAT(store_->SetUserDisabled(acme_.admin.id, true, AuditDraft{.at = Now()}), IsOk());
  ASSERT_THAT(store_->SetUserDisabled(acme_.admin.id, false, AuditDraft{.at = Now()}), IsOk());
  EXPECT_FALSE(store_->GetUser(acme_.admin.id)->disabled);
  EXPECT_TRUE(store_->FindTokenOwner(Sha256Hex("t"))->token.revoked);
  ASSERT_THAT(store_->SetDisplayName(acme_.admin.id, "Alice Smith", AuditDraft{.at = Now()}),
              IsOk());
  EXPECT_EQ(store_->GetUser(acme_.admin.id)->display_name, "Alice Smith");
  EXPECT_THAT(store_->SetUserDisabled(999, true, AuditDraft{.at = Now()}),
              StatusIs(Code::kNotFound));
}

// --- Writes ---

TEST_P(StoreTest, InsertsARecordAtVersionOne) {
  Json in = Issue("Skills shortage");
  in["description"] = "Two of three engineers leave in Q3.";
  in["climate_related"] = true;
  in["owner"] = acme_.admin.id;
  in["next_review"] = "2026-09-30";
  const std::string now = FormatUtc(clock_.Now() + 1ms);  // the write's timestamp
  const auto r = WriteOne(acme_, Insert(ContextIssues(), in));
  ASSERT_THAT(r, IsOk());
  EXPECT_GT(r->id, 0);
  EXPECT_EQ(r->org_id, acme_.org.id);
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(r->created_at, now);
  EXPECT_EQ(r->updated_at, now);
  EXPECT_EQ(r->created_by, acme_.admin.id);
  EXPECT_EQ(r->updated_by, acme_.admin.id);
  EXPECT_EQ(r->fields, Fields(ContextIssues(), in));

  const auto got = store_->Get(ContextIssues(), acme_.org.id, r->id);
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->fields, r->fields);
  EXPECT_EQ(got->version, 1);
}

TEST_P(StoreTest, RoundTripsListsAndTables) {
  const Json in = {{"title", "Scope 2026"},
                   {"statement", "Line one\nLine two"},
                   {"units", {"IT", "Finance"}},
                   {"exclusions", {{{"item", "HQ canteen"}, {"justification", "No data"}}}}};
  const auto r = WriteOne(acme_, Insert(ScopeStatements(), in));
  ASSERT_THAT(r, IsOk());
  const auto got = store_->Get(ScopeStatements(), acme_.org.id, r->id);
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->fields["units"], Json({"IT", "Finance"}));
  EXPECT_EQ(got->fields["exclusions"][0]["justification"], "No data");
  EXPECT_EQ(got->fields["statement"], "Line one\nLine two");
  EXPECT_TRUE(got->fields["locations"].is_null());
  EXPECT_EQ(got->fields["status"], "draft");

  const Json party = {
      {"name", "Customers"},
      {"type", "customer"},
      {"requirements",
       {{{"text", "Uptime"}, {"source", "contractual"}, {"addressed", true}, {"how", "SLA"}}}}};
  const auto p = WriteOne(acme_, Insert(InterestedParties(), party));
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->fields["requirements"][0]["addressed"], true);
  EXPECT_EQ(p->fields, Fields(InterestedParties(), party));
}

TEST_P(StoreTest, UpdateIncrementsTheVersion) {
  const auto r = WriteOne(acme_, Insert(ContextIssues(), Issue("Old title")));
  ASSERT_THAT(r, IsOk());
  Json fields = r->fields;
  fields["title"] = "New title";
  const auto v2 = WriteOne(acme_, Update(ContextIssues(), *r, fields, 1));
  ASSERT_THAT(v2, IsOk());
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->fields["title"], "New title");
  EXPECT_EQ(v2->created_at, r->created_at);
  EXPECT_GT(v2->updated_at, r->updated_at);

  fields["title"] = "Newer title";
  const auto v3 = WriteOne(acme_, Update(ContextIssues(), *v2, fields, 2));
  ASSERT_THAT(v3, IsOk());
  EXPECT_EQ(v3->version, 3);
  EXPECT_EQ(store_->Get(ContextIssues(), acme_.org.id, r->id)->version, 3);
}

TEST_P(StoreTest, StaleUpdateConflictsAndChangesNothing) {
  const auto r = WriteOne(acme_, Insert(ContextIssues(), Issue("Original")));
  ASSERT_THAT(r, IsOk());
  Json fields = r->fields;
  fields["title"] = "First edit";
  ASSERT_THAT(WriteOne(acme_, Update(ContextIssues(), *r, fields, 1)), IsOk());
  const size_t events = Events().size();

  fields["title"] = "Second edit, based on version 1";
  EXPECT_THAT(WriteOne(acme_, Update(ContextIssues(), *r, fields, 1)), StatusIs(Code::kConflict));
  const auto got = store_->Get(ContextIssues(), acme_.org.id, r->id);
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->fields["title"], "First edit");
  EXPECT_EQ(Events().size(), events);
}

TEST_P(StoreTest, UpdateFromTheFutureConflicts) {
  const auto r = WriteOne(acme_, Insert(ContextIssues(), Issue("Original")));
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(WriteOne(acme_, Update(ContextIssues(), *r, r->fields, 5)),
              StatusIs(Code::kConflict));
}

TEST_P(StoreTest, StaleDeleteConflictsAndKeepsTheRecord) {
  const auto r = WriteOne(acme_, Insert(ContextIssues(), Issue("Keep me")));
  ASSERT_THAT(r, IsOk());
  Json fields = r->fields;
  fields["title"] = "Edited";
  ASSERT_THAT(WriteOne(acme_, Update(ContextIssues(), *r, fields, 1)), IsOk());
  EXPECT_THAT(WriteOne(acme_, Delete(ContextIssues(), *r, 1)), StatusIs(Code::kConflict));
  EXPECT_THAT(store_->Get(ContextIssues(), acme_.org.id, r->id), IsOk());
}

TEST_P(StoreTest, DeleteRemovesTheRecordAndReturnsItAsItWas) {
  const auto r = WriteOne(acme_, Insert(ContextIssues(), Issue("Delete me")));
  ASSERT_THAT(r, IsOk());
  const auto deleted = WriteOne(acme_, Delete(ContextIssues(), *r, 1));
  ASSERT_THAT(deleted, IsOk());
  EXPECT_EQ(deleted->id, r->id);
  EXPECT_EQ(deleted->fields["title"], "Delete me");
  EXPECT_THAT(store_->Get(ContextIssues(), acme_.org.id, r->id), StatusIs(Code::kNotFound));
  EXPECT_THAT(WriteOne(acme_, Delete(ContextIssues(), *r, 1)), StatusIs(Code::kNotFound));
}

// A decimal field (an objective's target) is stored as a number and read back exactly, and
// lists sort and page by it.
TEST_P(StoreTest, KeepsDecimalsExactlyAndSortsAndPagesByThem) {
  for (const double target : {12.5, 4.0, 100.25, 0.1}) {
    const auto r = WriteOne(acme_, Insert(domain::Objectives(), {{"title", "Objective"},
                                                                 {"due_date", "2027-01-31"},
                                                                 {"target_value", target},
                                                                 {"unit", "%"},
                                                                 {"direction", "increase"}}));
    ASSERT_THAT(r, IsOk());
    const auto read = store_->Get(domain::Objectives(), acme_.org.id, r->id);
    ASSERT_THAT(read, IsOk());
    EXPECT_TRUE(read->fields["target_value"].is_number_float());
    EXPECT_EQ(read->fields["target_value"].get<double>(), target);
    EXPECT_TRUE(read->fields["baseline_value"].is_null());
  }
  ListQuery q;
  q.sort = "target_value";
  q.descending = true;
  q.limit = 2;
  auto first = store_->List(domain::Objectives(), acme_.org.id, q);
  ASSERT_THAT(first, IsOk());
  ASSERT_EQ(first->records.size(), 2u);
  EXPECT_EQ(first->records[0].fields["target_value"], 100.25);
  EXPECT_EQ(first->records[1].fields["target_value"], 12.5);
  q.cursor = first->next_cursor;
  auto second = store_->List(domain::Objectives(), acme_.org.id, q);
  ASSERT_THAT(second, IsOk());
  ASSERT_EQ(second->records.size(), 2u);
  EXPECT_EQ(second->records[0].fields["target_value"], 4.0);
  EXPECT_EQ(second->records[1].fields["target_value"], 0.1);
}

TEST_P(StoreTest, WritesAllMutationsOrNone) {
  const auto r = WriteOne(acme_, Insert(ContextIssues(), Issue("Existing")));
  ASSERT_THAT(r, IsOk());
  const size_t events = Events().size();
  const auto result =
      store_->Write(ActorOf(acme_), {Insert(ContextIssues(), Issue("Would be new")),
                                     Update(ContextIssues(), *r, r->fields, /*stale*/ 7)});
  EXPECT_THAT(result, StatusIs(Code::kConflict));
  ListQuery q;
  q.with_total = true;
  const auto page = store_->List(ContextIssues(), acme_.org.id, q);
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->total, 1);
  EXPECT_EQ(Events().size(), events);
}

TEST_P(StoreTest, ReturnsEveryRecordOfAMultiMutationWrite) {
  const auto written = store_->Write(ActorOf(acme_), {Insert(ContextIssues(), Issue("One")),
                                                      Insert(ContextIssues(), Issue("Two"))});
  ASSERT_THAT(written, IsOk());
  ASSERT_EQ(written->size(), 2u);
  EXPECT_EQ((*written)[0].fields["title"], "One");
  EXPECT_EQ((*written)[1].fields["title"], "Two");
  EXPECT_NE((*written)[0].id, (*written)[1].id);
}

TEST_P(StoreTest, RefusesValuesTheSchemaForbids) {
  Json fields = Fields(ContextIssues(), Issue("Bypassing validation"));
  fields["kind"] = "sideways";
  const Mutation m{.kind = Mutation::Kind::kInsert,
                   .spec = &ContextIssues(),
                   .fields = fields,
                   .action = "create"};
  EXPECT_THAT(WriteOne(acme_, m), StatusIs(Code::kInvalidArgument));
}

// --- Organisation scoping ---

TEST_P(StoreTest, HidesAnotherOrganisationsRecord) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  const auto r = WriteOne(acme_, Insert(ContextIssues(), Issue("Acme's secret")));
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(store_->Get(ContextIssues(), globex->org.id, r->id), StatusIs(Code::kNotFound));
  EXPECT_THAT(store_->Get(ContextIssues(), acme_.org.id, r->id), IsOk());

  const auto page = store_->List(ContextIssues(), globex->org.id, ListQuery{});
  ASSERT_THAT(page, IsOk());
  EXPECT_THAT(page->records, IsEmpty());
}

TEST_P(StoreTest, RefusesToChangeAnotherOrganisationsRecord) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  const auto r = WriteOne(acme_, Insert(ContextIssues(), Issue("Acme's")));
  ASSERT_THAT(r, IsOk());
  Json fields = r->fields;
  fields["title"] = "Defaced";
  EXPECT_THAT(WriteOne(*globex, Update(ContextIssues(), *r, fields, 1)), StatusIs(Code::kNotFound));
  EXPECT_THAT(WriteOne(*globex, Delete(ContextIssues(), *r, 1)), StatusIs(Code::kNotFound));
  EXPECT_EQ(store_->Get(ContextIssues(), acme_.org.id, r->id)->fields["title"], "Acme's");
}

// --- Foreign keys ---

TEST_P(StoreTest, RefusesAnOwnerWhoIsNotAMemberOfTheOrganisation) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  Json in = Issue("Owned by an outsider");
  in["owner"] = globex->admin.id;
  EXPECT_THAT(WriteOne(acme_, Insert(ContextIssues(), in)), StatusIs(Code::kInvalidArgument));
  in["owner"] = 999;
  EXPECT_THAT(WriteOne(acme_, Insert(ContextIssues(), in)), StatusIs(Code::kInvalidArgument));
  in["owner"] = acme_.admin.id;
  EXPECT_THAT(WriteOne(acme_, Insert(ContextIssues(), in)), IsOk());
}

TEST_P(StoreTest, RefusesAnUpdateToANonMemberOwnerAndKeepsTheVersion) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  const auto r =
      WriteOne(acme_, Insert(InterestedParties(), {{"name", "Auditor"}, {"type", "regulator"}}));
  ASSERT_THAT(r, IsOk());
  Json fields = r->fields;
  fields["owner"] = globex->admin.id;
  EXPECT_THAT(WriteOne(acme_, Update(InterestedParties(), *r, fields, 1)),
              StatusIs(Code::kInvalidArgument));
  const auto got = store_->Get(InterestedParties(), acme_.org.id, r->id);
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->version, 1);
  EXPECT_TRUE(got->fields["owner"].is_null());
}

// --- Sequences and the current scope ---

TEST_P(StoreTest, NumbersScopeVersionsPerOrganisation) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  std::vector<int64_t> acme_numbers;
  for (int i = 0; i < 3; ++i) {
    const auto r = WriteOne(acme_, Insert(ScopeStatements(), {{"title", "Acme scope"}}));
    ASSERT_THAT(r, IsOk());
    acme_numbers.push_back(r->fields["version_number"].get<int64_t>());
  }
  EXPECT_THAT(acme_numbers, ElementsAre(1, 2, 3));
  const auto g = WriteOne(*globex, Insert(ScopeStatements(), {{"title", "Globex scope"}}));
  ASSERT_THAT(g, IsOk());
  EXPECT_EQ(g->fields["version_number"], 1);
}

TEST_P(StoreTest, NumbersEveryInsertOfOneWrite) {
  const auto written = store_->Write(ActorOf(acme_), {Insert(ScopeStatements(), {{"title", "A"}}),
                                                      Insert(ScopeStatements(), {{"title", "B"}})});
  ASSERT_THAT(written, IsOk());
  EXPECT_EQ((*written)[0].fields["version_number"], 1);
  EXPECT_EQ((*written)[1].fields["version_number"], 2);
}

// A number counted within a field's value (documents: within the series of their type), per
// organisation, in one write as across writes.
TEST_P(StoreTest, NumbersWithinASeriesPerOrganisation) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  auto doc = [](const char* series, const char* type) {
    Mutation m = Insert(Documents(), {{"title", "A document"}, {"type", type}});
    m.fields["series"] = series;  // read-only: set by the register's write hook
    return m;
  };
  const auto written =
      store_->Write(ActorOf(acme_), {doc("POL", "isms_policy"), doc("PRO", "procedure"),
                                     doc("POL", "topic_policy"), doc("POL", "topic_policy")});
  ASSERT_THAT(written, IsOk());
  std::vector<int64_t> numbers;
  for (const auto& r : *written) numbers.push_back(r.fields["number"].get<int64_t>());
  EXPECT_THAT(numbers, ElementsAre(1, 1, 2, 3));
  const auto next = WriteOne(acme_, doc("PRO", "procedure"));
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->fields["number"], 2);
  const auto theirs = WriteOne(*globex, doc("POL", "isms_policy"));
  ASSERT_THAT(theirs, IsOk());
  EXPECT_EQ(theirs->fields["number"], 1);
}

TEST_P(StoreTest, NumbersConcurrentInsertsWithoutDuplicates) {
  constexpr int kThreads = 4;
  constexpr int kEach = 10;
  std::vector<std::thread> threads;
  std::vector<std::vector<int64_t>> numbers(kThreads);
  std::vector<Status> failures(kThreads);
  const Actor actor = ActorOf(acme_);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = store_->Write(actor, {Insert(ScopeStatements(), {{"title", "Concurrent"}})});
        if (!r.ok()) {
          failures[t] = r.status();
          return;
        }
        numbers[t].push_back(r->front().fields["version_number"].get<int64_t>());
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<int64_t> all;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_THAT(failures[t], IsOk());
    all.insert(numbers[t].begin(), numbers[t].end());
  }
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), kThreads * kEach);
  EXPECT_EQ(Events().size(), 2u + kThreads * kEach);
}

// An import writes its rows as one write of many inserts (the store groups them into
// multi-row statements and numbers sequences in memory): every record, its number, its links and
// its audit event are as a write of one insert after another gives them, in the mutations' order.
TEST_P(StoreTest, WritesManyInsertsOfOneWriteInOrderWithTheirLinksAndEvents) {
  std::vector<int64_t> assets;
  for (int i = 0; i < 3; ++i) {
    auto a = WriteOne(acme_, Insert(domain::Assets(), {{"name", fmt::format("Asset {}", i)},
                                                       {"type", "information"}}));
    ASSERT_THAT(a, IsOk());
    assets.push_back(a->id);
  }
  const auto first = WriteOne(acme_, Insert(domain::Risks(), {{"title", "Before"}}));
  ASSERT_THAT(first, IsOk());
  const size_t events_before = Events().size();
  constexpr int kRisks = 300;  // more than one multi-row statement, and a remainder
  std::vector<Mutation> ms;
  for (int i = 0; i < kRisks; ++i) {
    Json assets_of = Json::array();
    for (int k = 0; k <= i % 3; ++k) assets_of.push_back(assets[static_cast<size_t>(k)]);
    ms.push_back(
        Insert(domain::Risks(), {{"title", fmt::format("Risk {:03}", i)}, {"assets", assets_of}}));
  }
  const Actor actor = ActorOf(acme_);
  const auto written = store_->Write(actor, ms);
  ASSERT_THAT(written, IsOk());
  ASSERT_EQ(written->size(), static_cast<size_t>(kRisks));
  std::map<int64_t, std::set<int64_t>> expected_links;
  for (int i = 0; i < kRisks; ++i) {
    const Record& r = (*written)[static_cast<size_t>(i)];
    EXPECT_EQ(r.fields["title"], fmt::format("Risk {:03}", i));
    EXPECT_EQ(r.fields["number"], i + 2);  // after "Before"
    EXPECT_EQ(r.version, 1);
    EXPECT_EQ(r.created_at, actor.now);
    if (i > 0) {
      EXPECT_GT(r.id, (*written)[static_cast<size_t>(i - 1)].id);
    }
    const auto got = store_->Get(domain::Risks(), acme_.org.id, r.id);
    ASSERT_THAT(got, IsOk());
    EXPECT_EQ(got->fields, r.fields);
    for (const auto& a : r.fields["assets"]) expected_links[r.id].insert(a.get<int64_t>());
  }
  const auto links = store_->RecordLinks(acme_.org.id, "risk", "assets");
  ASSERT_THAT(links, IsOk());
  std::map<int64_t, std::set<int64_t>> stored_links;
  for (const auto& [risk, asset] : *links) stored_links[risk].insert(asset);
  EXPECT_EQ(stored_links, expected_links);
  // One event per insert, in the mutations' order, each chained to the one before.
  const auto events = Events();
  ASSERT_EQ(events.size(), events_before + kRisks);
  for (int i = 0; i < kRisks; ++i) {
    const auto& e = events[events_before + static_cast<size_t>(i)];
    EXPECT_EQ(e.record_id, (*written)[static_cast<size_t>(i)].id);
    EXPECT_EQ(e.action, "create");
    EXPECT_EQ(e.diff, ms[static_cast<size_t>(i)].diff);
    EXPECT_EQ(e.prev_hash, events[events_before + static_cast<size_t>(i) - 1].hash);
    EXPECT_EQ(e.hash, domain::ComputeAuditHash(e));
  }
  // The next write numbers on from the last.
  const auto next = WriteOne(acme_, Insert(domain::Risks(), {{"title", "After"}}));
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->fields["number"], kRisks + 2);
}

// Store::WriteInBatches: batches written in one transaction, as one Write of them all would: the
// ids of each batch in order, numbers and the audit chain continuing across batches (the first
// batch larger than one run of inserts), a reference to a record of the same batch (ids_of), an
// update among the inserts, and the records not read back.
TEST_P(StoreTest, WritesBatchesInOneTransactionAsOneWriteWould) {
  const auto existing = WriteOne(acme_, Insert(domain::Risks(), {{"title", "Existing"}}));
  ASSERT_THAT(existing, IsOk());
  const size_t events_before = Events().size();
  constexpr int kFirst = 1100;  // more than the 1,024 inserts written together
  std::vector<Mutation> first;
  for (int i = 0; i < kFirst; ++i) {
    first.push_back(Insert(domain::Risks(), {{"title", fmt::format("Risk {:04}", i)}}));
  }
  Json changed = existing->fields;
  changed["title"] = "Existing, renamed";
  std::vector<Mutation> second = {
      Insert(domain::Metrics(), {{"title", "Patched in time"},
                                 {"method", "Counted from the report."},
                                 {"measured_by", acme_.admin.id},
                                 {"unit", "%"},
                                 {"direction", "higher"},
                                 {"target_value", 95}}),
      Insert(domain::Measurements(), {{"metric", 1}, {"value", 97}, {"measured_on", "2026-12-01"}}),
      Update(domain::Risks(), *existing, changed, existing->version),
      Insert(domain::Risks(), {{"title", "Risk after"}})};
  second[1].ids_of = {{"metric", 0}};
  std::vector<std::vector<int64_t>> ids;
  int calls = 0;
  const Status st =
      store_->WriteInBatches(ActorOf(acme_), [&](const Store::BatchWriter& write) -> Status {
        ++calls;
        for (const auto* batch : {&first, &second}) {
          ASSIGN_OR_RETURN(auto written, write(*batch));
          ids.push_back(std::move(written));
        }
        return Status::Ok();
      });
  ASSERT_THAT(st, IsOk());
  EXPECT_EQ(calls, 1);
  ASSERT_EQ(ids.size(), 2u);
  ASSERT_EQ(ids[0].size(), static_cast<size_t>(kFirst));
  ASSERT_EQ(ids[1].size(), 4u);
  for (size_t i = 1; i < ids[0].size(); ++i) EXPECT_GT(ids[0][i], ids[0][i - 1]);
  for (int i = 0; i < kFirst; i += 137) {
    const auto r = store_->Get(domain::Risks(), acme_.org.id, ids[0][static_cast<size_t>(i)]);
    ASSERT_THAT(r, IsOk());
    EXPECT_EQ(r->fields["title"], fmt::format("Risk {:04}", i));
    EXPECT_EQ(r->fields["number"], i + 2);  // after "Existing"
  }
  const auto measurement = store_->Get(domain::Measurements(), acme_.org.id, ids[1][1]);
  ASSERT_THAT(measurement, IsOk());
  EXPECT_EQ(measurement->fields["metric"], ids[1][0]);
  EXPECT_EQ(ids[1][2], existing->id);
  const auto renamed = store_->Get(domain::Risks(), acme_.org.id, existing->id);
  ASSERT_THAT(renamed, IsOk());
  EXPECT_EQ(renamed->fields["title"], "Existing, renamed");
  EXPECT_EQ(renamed->version, existing->version + 1);
  const auto after = store_->Get(domain::Risks(), acme_.org.id, ids[1][3]);
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->fields["number"], kFirst + 2);
  // One event per change, in order, each chained to the one before.
  const auto events = Events();
  ASSERT_EQ(events.size(), events_before + kFirst + 4);
  std::vector<int64_t> all = ids[0];
  all.insert(all.end(), ids[1].begin(), ids[1].end());
  for (size_t i = 0; i < all.size(); ++i) {
    const auto& e = events[events_before + i];
    EXPECT_EQ(e.record_id, all[i]);
    EXPECT_EQ(e.prev_hash, events[events_before + i - 1].hash);
    EXPECT_EQ(e.hash, domain::ComputeAuditHash(e));
  }
  EXPECT_EQ(events[events_before + kFirst + 1].diff["metric"]["to"], ids[1][0]);
  EXPECT_EQ(events[events_before + kFirst + 2].action, "update");
}

// All or nothing across batches: an error of the producer after two batches were written, or a
// batch the store refuses (a stale version), leaves nothing of any batch, and is returned.
TEST_P(StoreTest, WritesNoBatchWhenTheProducerOrALaterBatchFails) {
  const auto existing = WriteOne(acme_, Insert(ContextIssues(), Issue("Existing")));
  ASSERT_THAT(existing, IsOk());
  const size_t events_before = Events().size();
  auto count = [&] {
    ListQuery q;
    q.with_total = true;
    const auto page = store_->List(ContextIssues(), acme_.org.id, q);
    EXPECT_THAT(page, IsOk());
    return page.ok() ? page->total : -1;
  };
  const Status refused =
      store_->WriteInBatches(ActorOf(acme_), [&](const Store::BatchWriter& write) -> Status {
        for (int b = 0; b < 2; ++b) {
          RETURN_IF_ERROR(
              write({Insert(ContextIssues(), Issue(fmt::format("Batch {}", b)))}).status());
        }
        return InvalidArgument("row 3: the title is empty", "title");
      });
  EXPECT_THAT(refused, StatusIs(Code::kInvalidArgument, "title"));
  EXPECT_EQ(refused.message(), "row 3: the title is empty");
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(Events().size(), events_before);

  const Status stale =
      store_->WriteInBatches(ActorOf(acme_), [&](const Store::BatchWriter& write) -> Status {
        RETURN_IF_ERROR(write({Insert(ContextIssues(), Issue("Would be new"))}).status());
        return write({Update(ContextIssues(), *existing, existing->fields, /*stale*/ 7)}).status();
      });
  EXPECT_THAT(stale, StatusIs(Code::kConflict));
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(Events().size(), events_before);
}

// Large writes of many inserts and writes of one insert at the same time: every number once.
TEST_P(StoreTest, NumbersManyInsertsOfOneWriteBesideConcurrentWriters) {
  constexpr int kBulkWriters = 2;
  constexpr int kBulk = 150;
  constexpr int kSingleWriters = 2;
  constexpr int kSingles = 10;
  std::vector<std::thread> threads;
  std::vector<std::vector<int64_t>> numbers(kBulkWriters + kSingleWriters);
  std::vector<Status> failures(kBulkWriters + kSingleWriters);
  const Actor actor = ActorOf(acme_);
  for (int t = 0; t < kBulkWriters + kSingleWriters; ++t) {
    threads.emplace_back([&, t] {
      const bool bulk = t < kBulkWriters;
      for (int w = 0; w < (bulk ? 1 : kSingles); ++w) {
        std::vector<Mutation> ms;
        for (int i = 0; i < (bulk ? kBulk : 1); ++i) {
          ms.push_back(Insert(ScopeStatements(), {{"title", fmt::format("Writer {}", t)}}));
        }
        auto r = store_->Write(actor, ms);
        if (!r.ok()) {
          failures[t] = r.status();
          return;
        }
        for (const auto& rec : *r) {
          numbers[t].push_back(rec.fields["version_number"].get<int64_t>());
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<int64_t> all;
  size_t count = 0;
  for (int t = 0; t < kBulkWriters + kSingleWriters; ++t) {
    EXPECT_THAT(failures[t], IsOk());
    all.insert(numbers[t].begin(), numbers[t].end());
    count += numbers[t].size();
    if (t < kBulkWriters) {  // one write: consecutive numbers in the mutations' order
      for (size_t i = 1; i < numbers[t].size(); ++i) {
        EXPECT_EQ(numbers[t][i], numbers[t][i - 1] + 1) << "writer " << t << " at " << i;
      }
    }
  }
  constexpr int kTotal = kBulkWriters * kBulk + kSingleWriters * kSingles;
  EXPECT_EQ(count, static_cast<size_t>(kTotal));
  ASSERT_EQ(all.size(), static_cast<size_t>(kTotal));
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), kTotal);
  EXPECT_EQ(Events().size(), 2u + kTotal);
}

// An insert after an update or delete of the same register in one write is numbered from the
// records as they are then (the update of a number counts).
TEST_P(StoreTest, NumbersAnInsertAfterAnUpdateInTheSameWrite) {
  const auto a = WriteOne(acme_, Insert(ScopeStatements(), {{"title", "A"}}));
  ASSERT_THAT(a, IsOk());
  Json renumbered = a->fields;
  renumbered["version_number"] = 10;
  const auto written = store_->Write(ActorOf(acme_), {Insert(ScopeStatements(), {{"title", "B"}}),
                                                      Update(ScopeStatements(), *a, renumbered, 1),
                                                      Insert(ScopeStatements(), {{"title", "C"}})});
  ASSERT_THAT(written, IsOk());
  EXPECT_EQ((*written)[0].fields["version_number"], 2);
  EXPECT_EQ((*written)[1].fields["version_number"], 10);
  EXPECT_EQ((*written)[2].fields["version_number"], 11);
}

TEST_P(StoreTest, AllowsOnlyOneApprovedScopePerOrganisation) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  auto approve = [&](const Tenant& t, const Record& r) {
    Json fields = r.fields;
    fields["status"] = "approved";
    fields["approved_by"] = t.admin.id;
    fields["approved_at"] = Now();
    return WriteOne(t, Update(ScopeStatements(), r, fields, r.version));
  };
  const auto v1 = WriteOne(acme_, Insert(ScopeStatements(), {{"title", "v1"}}));
  const auto v2 = WriteOne(acme_, Insert(ScopeStatements(), {{"title", "v2"}}));
  const auto g1 = WriteOne(*globex, Insert(ScopeStatements(), {{"title", "g1"}}));
  ASSERT_THAT(v1, IsOk());
  ASSERT_THAT(v2, IsOk());
  ASSERT_THAT(g1, IsOk());

  ASSERT_THAT(approve(acme_, *v1), IsOk());
  EXPECT_THAT(approve(acme_, *v2), StatusIs(Code::kAlreadyExists));
  EXPECT_EQ(store_->Get(ScopeStatements(), acme_.org.id, v2->id)->fields["status"], "draft");
  EXPECT_THAT(approve(*globex, *g1), IsOk());  // another organisation has its own
}

TEST_P(StoreTest, AllowsApprovingANewScopeOnceTheOldIsSupersededInTheSameWrite) {
  const auto v1 = WriteOne(acme_, Insert(ScopeStatements(), {{"title", "v1"}}));
  const auto v2 = WriteOne(acme_, Insert(ScopeStatements(), {{"title", "v2"}}));
  ASSERT_THAT(v1, IsOk());
  ASSERT_THAT(v2, IsOk());
  Json approved = v1->fields;
  approved["status"] = "approved";
  const auto a1 = WriteOne(acme_, Update(ScopeStatements(), *v1, approved, 1));
  ASSERT_THAT(a1, IsOk());

  Json superseded = a1->fields;
  superseded["status"] = "superseded";
  Json approved2 = v2->fields;
  approved2["status"] = "approved";
  const auto written =
      store_->Write(ActorOf(acme_), {Update(ScopeStatements(), *a1, superseded, 2),
                                     Update(ScopeStatements(), *v2, approved2, 1)});
  ASSERT_THAT(written, IsOk());
  EXPECT_EQ((*written)[0].fields["status"], "superseded");
  EXPECT_EQ((*written)[1].fields["status"], "approved");
}

// --- Lists ---

class StoreListTest : public StoreTest {
 protected:
  // 23 issues: titles "Issue 00".."Issue 22"; kinds alternate; a third have no SWOT quadrant and
  // a quarter no review date, so sorting meets nulls and ties.
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    std::vector<Mutation> inserts;
    for (int i = 0; i < 23; ++i) {
      const bool internal = i % 2 == 0;
      Json in = Issue(fmt::format("Issue {:02}", (i * 7) % 23), internal ? "internal" : "external");
      if (i % 3 != 0) {
        in["swot"] = internal ? (i % 4 == 0 ? "strength" : "weakness")
                              : (i % 4 == 1 ? "opportunity" : "threat");
      }
      if (i % 4 != 0) in["next_review"] = fmt::format("2026-{:02}-01", 1 + i % 5);
      if (i % 5 == 0) in["description"] = "Mentions the 100% uptime target";
      if (i == 4) in["description"] = "Mentions a 100 percent target";
      if (i == 6) in["effect"] = "Raises costs under_budget";
      if (i % 6 == 0) in["owner"] = acme_.admin.id;
      if (i % 7 == 0) in["climate_related"] = true;
      inserts.push_back(Insert(ContextIssues(), in));
    }
    auto written = store_->Write(ActorOf(acme_), inserts);
    ASSERT_THAT(written, IsOk());
    records_ = std::move(written).value();
  }

  // The ids in the order ORDER BY `field` (nulls first ascending, last descending), id.
  std::vector<int64_t> Expected(const std::string& field, bool descending,
                                const std::function<bool(const Record&)>& keep = nullptr) {
    std::vector<Record> rs;
    for (const auto& r : records_) {
      if (!keep || keep(r)) rs.push_back(r);
    }
    std::sort(rs.begin(), rs.end(), [&](const Record& a, const Record& b) {
      const Json va = field == "id" ? Json(a.id) : a.fields[field];
      const Json vb = field == "id" ? Json(b.id) : b.fields[field];
      if (va.is_null() != vb.is_null()) return descending ? vb.is_null() : va.is_null();
      if (va != vb) return descending ? vb < va : va < vb;
      return descending ? b.id < a.id : a.id < b.id;
    });
    std::vector<int64_t> ids;
    for (const auto& r : rs) ids.push_back(r.id);
    return ids;
  }

  std::vector<Record> records_;
};
INSTANTIATE_TEST_SUITE_P(, StoreListTest, kBackends, BackendName);

TEST_P(StoreListTest, ListsByIdByDefault) {
  const auto page = store_->List(ContextIssues(), acme_.org.id, ListQuery{});
  ASSERT_THAT(page, IsOk());
  ASSERT_EQ(page->records.size(), 23u);
  EXPECT_TRUE(page->next_cursor.empty());
  EXPECT_FALSE(page->total.has_value());
  for (size_t i = 1; i < page->records.size(); ++i) {
    EXPECT_LT(page->records[i - 1].id, page->records[i].id);
  }
}

TEST_P(StoreListTest, SortsAscendingAndDescending) {
  ListQuery q;
  q.sort = "title";
  q.limit = 500;
  const auto asc = store_->List(ContextIssues(), acme_.org.id, q);
  ASSERT_THAT(asc, IsOk());
  EXPECT_EQ(asc->records.front().fields["title"], "Issue 00");
  EXPECT_EQ(asc->records.back().fields["title"], "Issue 22");
  q.descending = true;
  const auto desc = store_->List(ContextIssues(), acme_.org.id, q);
  ASSERT_THAT(desc, IsOk());
  EXPECT_EQ(desc->records.front().fields["title"], "Issue 22");
  EXPECT_EQ(desc->records.back().fields["title"], "Issue 00");
}

TEST_P(StoreListTest, FiltersByEqualityAndByEmptiness) {
  ListQuery q;
  q.filters = {{"kind", "internal"}};
  q.with_total = true;
  auto page = store_->List(ContextIssues(), acme_.org.id, q);
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->total, 12);
  for (const auto& r : page->records) EXPECT_EQ(r.fields["kind"], "internal");

  q.filters = {{"kind", "internal"}, {"swot", nullptr}};
  page = store_->List(ContextIssues(), acme_.org.id, q);
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->total, 4);  // i = 0, 6, 12, 18
  for (const auto& r : page->records) EXPECT_TRUE(r.fields["swot"].is_null());

  q.filters = {{"owner", acme_.admin.id}};
  EXPECT_EQ(store_->List(ContextIssues(), acme_.org.id, q)->total, 4);  // i = 0, 6, 12, 18

  q.filters = {{"climate_related", true}};
  EXPECT_EQ(store_->List(ContextIssues(), acme_.org.id, q)->total, 4);  // i = 0, 7, 14, 21
}

// Dates before a day, or on or after it (use cases only: readiness checks): a review date not
// set is neither; the same records as compared in memory (domain::MatchesFilters).
TEST_P(StoreListTest, FiltersDatesBeforeOrOnOrAfterADay) {
  using M = domain::Filter::Match;
  for (const auto& [match, day] :
       {std::pair{M::kBefore, "2026-03-01"}, std::pair{M::kOnOrAfter, "2026-03-01"},
        std::pair{M::kBefore, "2026-01-01"}}) {
    ListQuery q;
    q.filters = {{"next_review", day, match}};
    q.with_total = true;
    q.limit = 100;
    auto page = store_->List(ContextIssues(), acme_.org.id, q);
    ASSERT_THAT(page, IsOk());
    std::vector<int64_t> expected;
    for (const auto& r : records_) {
      if (domain::MatchesFilters(ContextIssues(), q.filters, r.fields)) expected.push_back(r.id);
      const Json& next = r.fields["next_review"];
      const bool want = next.is_string() && (match == M::kBefore ? next.get<std::string>() < day
                                                                 : next.get<std::string>() >= day);
      EXPECT_EQ(domain::MatchesFilters(ContextIssues(), q.filters, r.fields), want) << r.id;
    }
    std::vector<int64_t> got;
    for (const auto& r : page->records) got.push_back(r.id);
    EXPECT_EQ(got, expected) << day;
    EXPECT_EQ(store_->Count(ContextIssues(), acme_.org.id, q).value(),
              static_cast<int64_t>(expected.size()));
  }
  // 2026-01-01 .. 2026-05-01 by i % 5, a quarter without: before March are i % 5 in {0, 1}.
  ListQuery q;
  q.filters = {{"next_review", "2026-03-01", M::kBefore}};
  EXPECT_EQ(store_->Count(ContextIssues(), acme_.org.id, q).value(), 7);
  q.filters = {{"next_review", "soon", M::kBefore}};
  EXPECT_THAT(store_->List(ContextIssues(), acme_.org.id, q),
              StatusIs(Code::kInvalidArgument, "next_review"));
  q.filters = {{"kind", "2026-03-01", M::kBefore}};
  EXPECT_THAT(store_->List(ContextIssues(), acme_.org.id, q),
              StatusIs(Code::kInvalidArgument, "kind"));
}

// A filter of several values beside a narrower one (written so that the narrower one picks the
// index), null among them or not, keeps the same records as compared in memory, counted and
// listed, in any order.
TEST_P(StoreListTest, AnyOfSeveralValuesBesideAnotherFilterKeepsTheSameRecords) {
  using M = domain::Filter::Match;
  const std::vector<std::vector<domain::Filter>> cases = {
      {{"kind", Json::array({"internal", "external"})}, {"swot", nullptr}},
      {{"swot", Json::array({"strength", "threat"})}, {"kind", "internal"}},
      {{"kind", Json::array({"internal", "external"})}, {"next_review", "2026-03-01", M::kBefore}},
      {{"kind", Json::array({"internal", "external"})},
       {"swot", Json::array({"weakness", "opportunity"})}},
      // null among the values: or empty (the treatment plan's "not retain, or none chosen")
      {{"swot", Json::array({nullptr, "threat"})}, {"kind", "internal"}},
      {{"kind", Json::array({"internal", "external"})},
       {"swot", Json::array({"strength", nullptr})}},
      {{"swot", Json::array({nullptr})}},
  };
  for (const auto& filters : cases) {
    for (const char* sort : {"id", "next_review", "title"}) {
      ListQuery q;
      q.filters = filters;
      q.sort = sort;
      q.limit = 100;
      auto page = store_->List(ContextIssues(), acme_.org.id, q);
      ASSERT_THAT(page, IsOk());
      std::set<int64_t> got, want;
      for (const auto& r : page->records) got.insert(r.id);
      for (const auto& r : records_) {
        if (domain::MatchesFilters(ContextIssues(), filters, r.fields)) want.insert(r.id);
      }
      EXPECT_FALSE(want.empty());
      EXPECT_EQ(got, want) << Json(filters.front().value).dump() << " " << sort;
      EXPECT_EQ(store_->Count(ContextIssues(), acme_.org.id, q).value(),
                static_cast<int64_t>(want.size()));
    }
  }
}

TEST_P(StoreListTest, RefusesAFilterOnAnUnknownOrUnfilterableField) {
  ListQuery q;
  q.filters = {{"colour", "red"}};
  EXPECT_THAT(store_->List(ContextIssues(), acme_.org.id, q),
              StatusIs(Code::kInvalidArgument, "colour"));
  q.filters = {{"title", "Issue 01"}};
  EXPECT_THAT(store_->List(ContextIssues(), acme_.org.id, q),
              StatusIs(Code::kInvalidArgument, "title"));
}

TEST_P(StoreListTest, SearchesSearchableFieldsCaseInsensitively) {
  ListQuery q;
  q.search = "ISSUE 1";
  q.with_total = true;
  EXPECT_EQ(store_->List(ContextIssues(), acme_.org.id, q)->total, 10);  // Issue 10..19
  q.search = "mentions";
  EXPECT_EQ(store_->List(ContextIssues(), acme_.org.id, q)->total, 6);  // i % 5 == 0, and 4
  q.search = "under_budget";                                            // in `effect`
  EXPECT_EQ(store_->List(ContextIssues(), acme_.org.id, q)->total, 1);
  q.search = "2026-";  // next_review is not searchable
  EXPECT_EQ(store_->List(ContextIssues(), acme_.org.id, q)->total, 0);
}

TEST_P(StoreListTest, SearchesForLikeWildcardsLiterally) {
  ListQuery q;
  q.with_total = true;
  q.search = "100%";
  EXPECT_EQ(store_->List(ContextIssues(), acme_.org.id, q)->total, 5);  // not "100 percent"
  q.search = "%";
  EXPECT_EQ(store_->List(ContextIssues(), acme_.org.id, q)->total, 5);  // not every record
  q.search = "_";
  EXPECT_EQ(store_->List(ContextIssues(), acme_.org.id, q)->total, 1);  // "under_budget" only
}

TEST_P(StoreListTest, CountsTheTotalIndependentlyOfThePage) {
  ListQuery q;
  q.limit = 5;
  q.with_total = true;
  const auto first = store_->List(ContextIssues(), acme_.org.id, q);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->records.size(), 5u);
  EXPECT_EQ(first->total, 23);
  q.cursor = first->next_cursor;
  const auto second = store_->List(ContextIssues(), acme_.org.id, q);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->total, 23);
}

TEST_P(StoreListTest, WalksEveryPageById) {
  ListQuery q;
  q.limit = 5;
  int pages = 0;
  EXPECT_EQ(WalkAllPages(ContextIssues(), acme_.org.id, q, &pages), Expected("id", false));
  EXPECT_EQ(pages, 5);
  q.descending = true;
  EXPECT_EQ(WalkAllPages(ContextIssues(), acme_.org.id, q), Expected("id", true));
}

TEST_P(StoreListTest, WalksEveryPageOfANullableColumnInBothDirections) {
  for (const std::string field : {"swot", "next_review", "owner", "pestle", "title", "kind"}) {
    for (const bool descending : {false, true}) {
      for (const int limit : {1, 3, 5, 22}) {
        SCOPED_TRACE(fmt::format("{} {} limit {}", field, descending ? "desc" : "asc", limit));
        ListQuery q;
        q.sort = field;
        q.descending = descending;
        q.limit = limit;
        const auto ids = WalkAllPages(ContextIssues(), acme_.org.id, q);
        EXPECT_EQ(std::set<int64_t>(ids.begin(), ids.end()).size(), ids.size()) << "duplicates";
        EXPECT_EQ(ids, Expected(field, descending));
      }
    }
  }
}

// Paging back: from the last page, prev_cursor leads through the same pages in reverse, each
// with the same records in the same order, to the first page, which has no prev_cursor.
TEST_P(StoreListTest, WalksBackThroughTheSamePagesWithPrevCursor) {
  for (const std::string field : {"swot", "next_review", "title", "id"}) {
    for (const bool descending : {false, true}) {
      for (const int limit : {1, 4, 22, 23}) {
        SCOPED_TRACE(fmt::format("{} {} limit {}", field, descending ? "desc" : "asc", limit));
        ListQuery q;
        q.sort = field;
        q.descending = descending;
        q.limit = limit;
        std::vector<std::vector<int64_t>> forward;
        std::string last_prev;
        for (int n = 0; n < 100; ++n) {
          auto page = store_->List(ContextIssues(), acme_.org.id, q);
          ASSERT_THAT(page, IsOk());
          EXPECT_EQ(page->prev_cursor.empty(), n == 0) << "page " << n;
          forward.emplace_back();
          for (const auto& r : page->records) forward.back().push_back(r.id);
          last_prev = page->prev_cursor;
          if (page->next_cursor.empty()) break;
          q.cursor = page->next_cursor;
        }
        // Back from the last page.
        std::string cursor = last_prev;
        for (size_t n = forward.size() - 1; n-- > 0;) {
          ASSERT_FALSE(cursor.empty()) << "no way back to page " << n;
          q.cursor = cursor;
          auto page = store_->List(ContextIssues(), acme_.org.id, q);
          ASSERT_THAT(page, IsOk());
          std::vector<int64_t> ids;
          for (const auto& r : page->records) ids.push_back(r.id);
          EXPECT_EQ(ids, forward[n]) << "page " << n;
          EXPECT_FALSE(page->next_cursor.empty());
          cursor = page->prev_cursor;
        }
        EXPECT_TRUE(cursor.empty()) << "the first page has no page before it";
      }
    }
  }
  // A cursor of another sort order is refused, backwards too.
  ListQuery q;
  q.sort = "title";
  q.limit = 2;
  auto first = store_->List(ContextIssues(), acme_.org.id, q);
  ASSERT_THAT(first, IsOk());
  q.cursor = first->next_cursor;
  auto second = store_->List(ContextIssues(), acme_.org.id, q);
  ASSERT_THAT(second, IsOk());
  q.descending = true;
  q.cursor = second->prev_cursor;
  EXPECT_THAT(store_->List(ContextIssues(), acme_.org.id, q), StatusIs(Code::kInvalidArgument));
}

TEST_P(StoreListTest, WalksEveryPageOfAFilteredList) {
  ListQuery q;
  q.filters = {{"kind", "external"}};
  q.sort = "next_review";
  q.descending = true;
  q.limit = 2;
  EXPECT_EQ(WalkAllPages(ContextIssues(), acme_.org.id, q),
            Expected("next_review", true,
                     [](const Record& r) { return r.fields["kind"] == "external"; }));
}

// A risk level sorts by its rank (its place in the methodology), not by its name: "Alarming"
// is the highest level here, "Negligible" the lowest. Forward and back, both ways, any page size.
TEST_P(StoreTest, SortsARiskLevelByItsRankAndPagesThroughItBothWays) {
  const std::vector<std::string> levels = {"Negligible", "Serious", "Alarming"};
  std::vector<Mutation> inserts;
  for (int i = 0; i < 17; ++i) {
    Mutation m = Insert(domain::Risks(), {{"title", fmt::format("Risk {:02}", i)}});
    const int rank = (i * 5) % 4;  // 0, 1, 2, or 3: unrated
    m.fields["inherent_level"] = rank < 3 ? Json(levels[rank]) : Json();
    m.fields["inherent_level_rank"] = rank < 3 ? Json(rank) : Json();
    inserts.push_back(std::move(m));
  }
  auto written = store_->Write(ActorOf(acme_), inserts);
  ASSERT_THAT(written, IsOk());
  // Expected: by rank (unrated first ascending, last descending), then id.
  auto expected = [&](bool descending) {
    std::vector<Record> rs = *written;
    auto rank = [&](const Record& r) {
      const Json& v = r.fields["inherent_level"];
      return v.is_null()
                 ? -1
                 : static_cast<int>(std::find(levels.begin(), levels.end(), v) - levels.begin());
    };
    std::sort(rs.begin(), rs.end(), [&](const Record& a, const Record& b) {
      if (rank(a) != rank(b)) return descending ? rank(b) < rank(a) : rank(a) < rank(b);
      return descending ? b.id < a.id : a.id < b.id;
    });
    std::vector<int64_t> ids;
    for (const auto& r : rs) ids.push_back(r.id);
    return ids;
  };
  ListQuery q;
  q.sort = "inherent_level";
  q.descending = true;
  q.limit = 500;
  auto all = store_->List(domain::Risks(), acme_.org.id, q);
  ASSERT_THAT(all, IsOk());
  ASSERT_EQ(all->records.size(), 17u);
  EXPECT_EQ(all->records.front().fields["inherent_level"], "Alarming");
  EXPECT_EQ(all->records[5].fields["inherent_level"], "Serious");
  EXPECT_TRUE(all->records.back().fields["inherent_level"].is_null());
  EXPECT_FALSE(all->records.front().fields.contains("inherent_level_rank")) << "the rank is hidden";
  for (const bool descending : {false, true}) {
    for (const int limit : {1, 4, 5, 16}) {
      SCOPED_TRACE(fmt::format("{} limit {}", descending ? "desc" : "asc", limit));
      q.descending = descending;
      q.limit = limit;
      q.cursor.clear();
      std::vector<std::vector<int64_t>> forward;
      std::string last_prev;
      for (int n = 0; n < 100; ++n) {
        auto page = store_->List(domain::Risks(), acme_.org.id, q);
        ASSERT_THAT(page, IsOk());
        forward.emplace_back();
        for (const auto& r : page->records) forward.back().push_back(r.id);
        last_prev = page->prev_cursor;
        if (page->next_cursor.empty()) break;
        q.cursor = page->next_cursor;
      }
      std::vector<int64_t> ids;
      for (const auto& p : forward) ids.insert(ids.end(), p.begin(), p.end());
      EXPECT_EQ(ids, expected(descending));
      std::string cursor = last_prev;
      for (size_t n = forward.size() - 1; n-- > 0;) {
        ASSERT_FALSE(cursor.empty()) << "no way back to page " << n;
        q.cursor = cursor;
        auto page = store_->List(domain::Risks(), acme_.org.id, q);
        ASSERT_THAT(page, IsOk());
        std::vector<int64_t> back;
        for (const auto& r : page->records) back.push_back(r.id);
        EXPECT_EQ(back, forward[n]) << "page " << n;
        cursor = page->prev_cursor;
      }
      EXPECT_TRUE(cursor.empty());
    }
  }
  // An update that does not rank the level (an acceptance, a review) keeps the rank.
  Record top = all->records.front();
  Mutation keep{.kind = Mutation::Kind::kUpdate,
                .spec = &domain::Risks(),
                .id = top.id,
                .expected_version = top.version,
                .fields = top.fields,
                .action = "update",
                .diff = Json::object()};
  keep.fields["description"] = "Reviewed";
  ASSERT_THAT(WriteOne(acme_, keep), IsOk());
  q.descending = true;
  q.limit = 1;
  q.cursor.clear();
  auto first = store_->List(domain::Risks(), acme_.org.id, q);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->records.front().fields["inherent_level"], "Alarming");
  // A cursor carries a rank: one with a level's name instead is refused.
  q.cursor = Base64UrlEncode(Json::array({"inherent_level", true, "Alarming", top.id}).dump());
  EXPECT_THAT(store_->List(domain::Risks(), acme_.org.id, q),
              StatusIs(Code::kInvalidArgument, "cursor"));
}

TEST_P(StoreListTest, EndsWithoutACursorWhenTheLastPageIsFull) {
  ListQuery q;
  q.limit = 23;
  const auto page = store_->List(ContextIssues(), acme_.org.id, q);
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->records.size(), 23u);
  EXPECT_TRUE(page->next_cursor.empty());
}

TEST_P(StoreListTest, RefusesAMalformedCursor) {
  ListQuery q;
  for (const std::string& cursor :
       {std::string("not a cursor!"), Base64UrlEncode("not json"), Base64UrlEncode("{}"),
        Base64UrlEncode(R"(["id", false, 1])"), Base64UrlEncode(R"(["id", false, 1, "7"])")}) {
    q.cursor = cursor;
    EXPECT_THAT(store_->List(ContextIssues(), acme_.org.id, q),
                StatusIs(Code::kInvalidArgument, "cursor"))
        << cursor;
  }
}

TEST_P(StoreListTest, RefusesACursorOfAnotherSortOrDirection) {
  ListQuery q;
  q.sort = "title";
  q.limit = 5;
  const auto page = store_->List(ContextIssues(), acme_.org.id, q);
  ASSERT_THAT(page, IsOk());
  ASSERT_FALSE(page->next_cursor.empty());

  ListQuery other_sort = q;
  other_sort.sort = "swot";
  other_sort.cursor = page->next_cursor;
  EXPECT_THAT(store_->List(ContextIssues(), acme_.org.id, other_sort),
              StatusIs(Code::kInvalidArgument, "cursor"));
  ListQuery other_direction = q;
  other_direction.descending = true;
  other_direction.cursor = page->next_cursor;
  EXPECT_THAT(store_->List(ContextIssues(), acme_.org.id, other_direction),
              StatusIs(Code::kInvalidArgument, "cursor"));
}

TEST_P(StoreListTest, RefusesAnUnsortableField) {
  ListQuery q;
  for (const std::string sort : {"description", "climate_related", "colour", "id; DROP TABLE x"}) {
    q.sort = sort;
    EXPECT_THAT(store_->List(ContextIssues(), acme_.org.id, q),
                StatusIs(Code::kInvalidArgument, "sort"))
        << sort;
  }
}

TEST_P(StoreListTest, RefusesALimitOutsideOneTo500) {
  ListQuery q;
  q.limit = 0;
  EXPECT_THAT(store_->List(ContextIssues(), acme_.org.id, q),
              StatusIs(Code::kInvalidArgument, "limit"));
  q.limit = 501;
  EXPECT_THAT(store_->List(ContextIssues(), acme_.org.id, q),
              StatusIs(Code::kInvalidArgument, "limit"));
}

TEST_P(StoreListTest, RunsTheSameNumberOfStatementsWhateverThePageSize) {
  ListQuery q;
  q.sort = "title";
  ASSERT_THAT(store_->List(ContextIssues(), acme_.org.id, q), IsOk());  // warm the pool

  auto statements_for = [&](int limit, bool with_total) {
    ListQuery lq = q;
    lq.limit = limit;
    lq.with_total = with_total;
    const uint64_t before = store_->StatementCount();
    const auto page = store_->List(ContextIssues(), acme_.org.id, lq);
    EXPECT_THAT(page, IsOk());
    return store_->StatementCount() - before;
  };
  const uint64_t small = statements_for(5, false);
  const uint64_t large = statements_for(50, false);
  EXPECT_EQ(small, large);
  EXPECT_EQ(small, 1u);
  EXPECT_EQ(statements_for(5, true), statements_for(50, true));
  EXPECT_EQ(statements_for(50, true), small + 1);  // the count is one more statement
}

TEST_P(StoreListTest, GetRunsOneStatement) {
  ASSERT_THAT(store_->Get(ContextIssues(), acme_.org.id, records_[0].id), IsOk());
  const uint64_t before = store_->StatementCount();
  ASSERT_THAT(store_->Get(ContextIssues(), acme_.org.id, records_[1].id), IsOk());
  EXPECT_EQ(store_->StatementCount() - before, 1u);
}

// --- The audit trail ---

TEST_P(StoreTest, AppendsOneChainedEventPerChange) {
  const auto r = WriteOne(acme_, Insert(ContextIssues(), Issue("Audited")));
  ASSERT_THAT(r, IsOk());
  Json fields = r->fields;
  fields["title"] = "Audited twice";
  ASSERT_THAT(WriteOne(acme_, Update(ContextIssues(), *r, fields, 1)), IsOk());
  ASSERT_THAT(WriteOne(acme_, Delete(ContextIssues(), *r, 2)), IsOk());

  const auto events = Events();
  ASSERT_EQ(events.size(), 5u);  // organisation, user, create, update, delete
  std::string prev(domain::kGenesisHash);
  for (size_t i = 0; i < events.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(events[i].seq, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(events[i].prev_hash, prev);
    EXPECT_EQ(events[i].hash, domain::ComputeAuditHash(events[i]));
    prev = events[i].hash;
  }
  std::vector<std::string> actions;
  for (size_t i = 2; i < 5; ++i) {
    EXPECT_EQ(events[i].record_type, "context_issue");
    EXPECT_EQ(events[i].record_id, r->id);
    EXPECT_EQ(events[i].org_id, acme_.org.id);
    EXPECT_EQ(events[i].actor_id, acme_.admin.id);
    EXPECT_EQ(events[i].actor, "alice");
    actions.push_back(events[i].action);
  }
  EXPECT_THAT(actions, ElementsAre("create", "update", "delete"));
  EXPECT_EQ(events[3].diff,
            Json::parse(R"({"title": {"from": "Audited", "to": "Audited twice"}})"));
}

TEST_P(StoreTest, ScansTheChainInOrderAndStopsWhenAsked) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_THAT(WriteOne(acme_, Insert(ContextIssues(), Issue(fmt::format("Issue {}", i)))),
                IsOk());
  }
  std::vector<int64_t> seen;
  ASSERT_THAT(store_->ScanAudit([&](const domain::AuditEvent& e) {
    seen.push_back(e.seq);
    return e.seq < 3;
  }),
              IsOk());
  EXPECT_THAT(seen, ElementsAre(1, 2, 3));
}

TEST_P(StoreTest, ChainsEventsOfEveryOrganisationTogether) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  ASSERT_THAT(WriteOne(acme_, Insert(ContextIssues(), Issue("A"))), IsOk());
  ASSERT_THAT(WriteOne(*globex, Insert(ContextIssues(), Issue("G"))), IsOk());
  const auto events = Events();
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(events[5].org_id, globex->org.id);
  EXPECT_EQ(events[5].prev_hash, events[4].hash);
  EXPECT_EQ(events[4].org_id, acme_.org.id);
}

TEST_P(StoreTest, ReturnsARecordsHistoryOldestFirstAndOnlyInItsOrganisation) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  const auto r = WriteOne(acme_, Insert(ContextIssues(), Issue("History")));
  ASSERT_THAT(r, IsOk());
  ASSERT_THAT(WriteOne(acme_, Insert(ContextIssues(), Issue("Unrelated"))), IsOk());
  Json fields = r->fields;
  fields["status"] = "closed";
  ASSERT_THAT(WriteOne(acme_, Update(ContextIssues(), *r, fields, 1)), IsOk());

  const auto history = store_->RecordHistory(acme_.org.id, "context_issue", r->id);
  ASSERT_THAT(history, IsOk());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].action, "create");
  EXPECT_EQ((*history)[1].action, "update");
  EXPECT_LT((*history)[0].seq, (*history)[1].seq);
  EXPECT_THAT(*store_->RecordHistory(globex->org.id, "context_issue", r->id), IsEmpty());
  EXPECT_THAT(*store_->RecordHistory(acme_.org.id, "interested_party", r->id), IsEmpty());
}

TEST_P(StoreTest, ReturnsRecentEventsNewestFirst) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  for (int i = 0; i < 4; ++i) {
    ASSERT_THAT(WriteOne(acme_, Insert(ContextIssues(), Issue(fmt::format("Issue {}", i)))),
                IsOk());
  }
  const auto recent = store_->RecentEvents(acme_.org.id, 3);
  ASSERT_THAT(recent, IsOk());
  ASSERT_EQ(recent->size(), 3u);
  EXPECT_GT((*recent)[0].seq, (*recent)[1].seq);
  EXPECT_GT((*recent)[1].seq, (*recent)[2].seq);
  for (const auto& e : *recent) EXPECT_EQ(e.org_id, acme_.org.id);
  const auto globex_events = store_->RecentEvents(globex->org.id, 50);
  ASSERT_THAT(globex_events, IsOk());
  EXPECT_EQ(globex_events->size(), 2u);  // its creation and bob's
}

// The audit trail page: filters by person, record type, record, action and days, newest first,
// paged older and newer by sequence number; never another organisation's events.
TEST_P(StoreTest, ListsTheAuditTrailByFilterAndPage) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  const int64_t acme = acme_.org.id;
  // 12 events of alice and the system over three days, after the tenant's own 2.
  const char* days[] = {"2026-11-01", "2026-11-02", "2026-11-03"};
  for (int i = 0; i < 12; ++i) {
    const bool alice = i % 2 == 0;
    ASSERT_THAT(store_->AppendAudit(
                    AuditDraft{.org_id = acme,
                               .actor_id = alice ? acme_.admin.id : 0,
                               .actor = alice ? "alice" : "system",
                               .at = fmt::format("{}T{:02}:00:00.000Z", days[i / 4], 8 + i % 4),
                               .action = i % 3 == 0 ? "sign_in_failed" : "update",
                               .record_type = i < 6 ? "risk" : "user",
                               .record_id = 1 + i % 2}),
                IsOk());
  }
  ASSERT_THAT(store_->AppendAudit(AuditDraft{.org_id = globex->org.id,
                                             .actor_id = 0,
                                             .actor = "system",
                                             .at = "2026-11-02T09:00:00.000Z",
                                             .action = "update",
                                             .record_type = "risk",
                                             .record_id = 1}),
              IsOk());
  auto seqs = [&](const AuditQuery& q) {
    std::vector<int64_t> out;
    auto page = store_->ListAudit(acme, q);
    EXPECT_THAT(page, IsOk());
    if (page.ok()) {
      for (const auto& e : page->events) {
        EXPECT_EQ(e.org_id, acme);
        out.push_back(e.seq);
      }
    }
    return out;
  };
  const auto all = seqs({.limit = 100});
  ASSERT_EQ(all.size(), 14u);
  EXPECT_TRUE(std::is_sorted(all.rbegin(), all.rend())) << "newest first";
  EXPECT_EQ(seqs({.actor_id = 0, .limit = 100}).size(), 6u + 2u);  // and the tenant's creation
  EXPECT_EQ(seqs({.actor_id = acme_.admin.id, .limit = 100}).size(), 6u);
  EXPECT_EQ(seqs({.record_type = "risk", .limit = 100}).size(), 6u);
  EXPECT_EQ(seqs({.record_type = "risk", .record_id = 2, .limit = 100}).size(), 3u);
  EXPECT_EQ(seqs({.action = "sign_in_failed", .limit = 100}).size(), 4u);
  EXPECT_EQ(seqs({.from = "2026-11-02", .to = "2026-11-02", .limit = 100}).size(), 4u);
  EXPECT_EQ(seqs({.from = "2026-11-03", .limit = 100}).size(), 4u);
  EXPECT_EQ(seqs({.to = "2026-10-31", .limit = 100}).size(), 2u);  // the tenant's (March)
  EXPECT_EQ(seqs({.actor_id = acme_.admin.id, .action = "update", .to = "2026-11-02", .limit = 100})
                .size(),
            2u);

  // Pages of 5: older, older, then back newer.
  auto first = store_->ListAudit(acme, {.limit = 5});
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->newer, 0);
  ASSERT_NE(first->older, 0);
  auto second = store_->ListAudit(acme, {.before_seq = first->older, .limit = 5});
  ASSERT_THAT(second, IsOk());
  auto third = store_->ListAudit(acme, {.before_seq = second->older, .limit = 5});
  ASSERT_THAT(third, IsOk());
  EXPECT_EQ(third->events.size(), 4u);
  EXPECT_EQ(third->older, 0);
  std::vector<int64_t> walked;
  for (const auto* p : {&*first, &*second, &*third}) {
    for (const auto& e : p->events) walked.push_back(e.seq);
  }
  EXPECT_EQ(walked, all);
  ASSERT_NE(third->newer, 0);
  auto back = store_->ListAudit(acme, {.after_seq = third->newer, .limit = 5});
  ASSERT_THAT(back, IsOk());
  ASSERT_EQ(back->events.size(), 5u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(back->events[i].seq, second->events[i].seq);
  EXPECT_EQ(back->newer, second->newer);
  EXPECT_EQ(back->older, second->older);
}

TEST_P(StoreTest, AppendsAStandaloneAuditEvent) {
  ASSERT_THAT(store_->AppendAudit(AuditDraft{.org_id = acme_.org.id,
                                             .actor_id = acme_.admin.id,
                                             .actor = "alice",
                                             .at = Now(),
                                             .action = "sign_in_failed",
                                             .record_type = "user",
                                             .record_id = acme_.admin.id,
                                             .diff = nullptr}),
              IsOk());
  const auto events = Events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].action, "sign_in_failed");
  EXPECT_EQ(events[2].diff, Json::object());  // a null diff is stored as {}
  EXPECT_EQ(events[2].hash, domain::ComputeAuditHash(events[2]));
}

// Regression: an audit diff holding invalid UTF-8 made the JSON encoder throw out of the store.
TEST_P(StoreTest, StoresADiffWithInvalidUtf8AsItWasHashed) {
  ASSERT_THAT(
      store_->AppendAudit(AuditDraft{.org_id = acme_.org.id,
                                     .actor = "system",
                                     .at = Now(),
                                     .action = "create",
                                     .record_type = "api_token",
                                     .diff = {{"name", {{"from", nullptr}, {"to", "ci \xff"}}}}}),
      IsOk());
  const auto events = Events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].diff["name"]["to"], "ci \xef\xbf\xbd");  // U+FFFD
  EXPECT_EQ(events[2].hash, domain::ComputeAuditHash(events[2]));
}

TEST_P(StoreTest, TriggersRefuseToUpdateOrDeleteAuditEvents) {
  ASSERT_THAT(WriteOne(acme_, Insert(ContextIssues(), Issue("Evidence"))), IsOk());
  const auto before = Events();
  const auto refused = [](const std::string& message) {
    return AllOf(Field(&RawResult::outcome, RawResult::Outcome::kRefused),
                 Field(&RawResult::message, HasSubstr(message)));
  };
  EXPECT_THAT(db_->Exec("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3"),
              refused("audit events are append-only"));
  EXPECT_THAT(db_->Exec("DELETE FROM audit_events WHERE seq = 2"),
              refused("audit events are append-only"));
  EXPECT_THAT(db_->Exec("DELETE FROM audit_events"), refused(""));

  const auto after = Events();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].actor, before[i].actor);
    EXPECT_EQ(after[i].hash, before[i].hash);
  }
}

TEST_P(StoreTest, CountsExactlyOrUpToALimit) {
  std::vector<Mutation> inserts;
  for (int i = 0; i < 7; ++i)
    inserts.push_back(Insert(ContextIssues(), Issue("Issue " + std::to_string(i))));
  ASSERT_THAT(store_->Write(ActorOf(acme_), inserts), IsOk());
  ListQuery q;
  EXPECT_EQ(*store_->Count(ContextIssues(), acme_.org.id, q), 7);
  q.total_limit = 5;
  EXPECT_EQ(*store_->Count(ContextIssues(), acme_.org.id, q), 6);  // stops one past the limit
  q.with_total = true;
  q.limit = 2;
  const auto capped = store_->List(ContextIssues(), acme_.org.id, q);
  ASSERT_THAT(capped, IsOk());
  EXPECT_EQ(capped->total, 5);
  EXPECT_TRUE(capped->total_capped);
  q.total_limit = 7;
  const auto exact = store_->List(ContextIssues(), acme_.org.id, q);
  EXPECT_EQ(exact->total, 7);
  EXPECT_FALSE(exact->total_capped);
}

TEST_P(StoreTest, SearchFindsSubstringsThroughTheIndexAndShortTextByScanning) {
  ASSERT_THAT(WriteOne(acme_, Insert(ContextIssues(), Issue("Ransomware in our sector"))), IsOk());
  auto issue = WriteOne(acme_, Insert(ContextIssues(), Issue("Supplier outage")));
  ASSERT_THAT(issue, IsOk());
  auto search = [&](const std::string& text) {
    ListQuery q;
    q.search = text;
    const auto page = store_->List(ContextIssues(), acme_.org.id, q);
    EXPECT_THAT(page, IsOk());
    std::vector<std::string> titles;
    for (const auto& r : page->records) titles.push_back(r.fields["title"]);
    return titles;
  };
  EXPECT_THAT(search("SOMWARE"), ElementsAre("Ransomware in our sector"));  // case-insensitive
  EXPECT_THAT(search("r o"), ElementsAre("Supplier outage"));               // across words
  EXPECT_THAT(search("zzz"), IsEmpty());
  EXPECT_THAT(search("ou"), ElementsAre("Ransomware in our sector", "Supplier outage"));
  EXPECT_THAT(search("\"quoted\" OR *"), IsEmpty());  // FTS syntax is searched as text
  // The index follows updates and deletes.
  Json renamed = issue->fields;
  renamed["title"] = "Cloud provider outage";
  auto updated = WriteOne(acme_, Update(ContextIssues(), *issue, renamed, 1));
  ASSERT_THAT(updated, IsOk());
  EXPECT_THAT(search("Supplier"), IsEmpty());
  EXPECT_THAT(search("provider"), ElementsAre("Cloud provider outage"));
  ASSERT_THAT(WriteOne(acme_, Mutation{.kind = Mutation::Kind::kDelete,
                                       .spec = &ContextIssues(),
                                       .id = updated->id,
                                       .expected_version = 2,
                                       .action = "delete"}),
              IsOk());
  EXPECT_THAT(search("provider"), IsEmpty());
  // Another organisation's records are not found.
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  ListQuery q;
  q.search = "Ransomware";
  EXPECT_TRUE(store_->List(ContextIssues(), globex->org.id, q)->records.empty());
}

// --- Evidence files ---

domain::EvidenceFile Evidence(const Tenant& t, int64_t record_id, const std::string& content,
                              const std::string& now) {
  return domain::EvidenceFile{.org_id = t.org.id,
                              .record_type = "context_issue",
                              .record_id = record_id,
                              .title = "Policy",
                              .file_name = "policy.pdf",
                              .content_type = "application/pdf",
                              .size = static_cast<int64_t>(content.size()),
                              .sha256 = Sha256Hex(content),
                              .effective_date = "2026-01-01",
                              .expires = "",
                              .uploaded_by = t.admin.id,
                              .uploaded_at = now};
}

AuditDraft EvidenceEvent(const Tenant& t, const std::string& action, int64_t id,
                         const std::string& now) {
  return AuditDraft{.org_id = t.org.id,
                    .actor_id = t.admin.id,
                    .actor = t.admin.username,
                    .at = now,
                    .action = action,
                    .record_type = "evidence_file",
                    .record_id = id};
}

// Per record of a type: its files, those that never expire and the latest expiry, among the
// files uploaded before a time; other types and organisations apart.
TEST_P(StoreTest, SummarisesTheExpiryOfEachRecordsEvidence) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  auto a = WriteOne(acme_, Insert(ContextIssues(), Issue("A")));
  auto b = WriteOne(acme_, Insert(ContextIssues(), Issue("B")));
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  const std::string content = "evidence";
  auto add = [&](const Tenant& t, int64_t record, const char* expires, const std::string& at) {
    auto f = Evidence(t, record, content, at);
    f.expires = expires;
    ASSERT_THAT(store_->AddEvidence(f, content, EvidenceEvent(t, "upload", 0, at)), IsOk());
  };
  add(acme_, a->id, "2026-03-01", Now());
  add(acme_, a->id, "2026-05-01", Now());
  add(acme_, b->id, "2026-01-01", Now());
  add(acme_, b->id, "", Now());  // never expires
  const std::string cut = Now();
  add(acme_, a->id, "2027-01-01", Now());    // after the cut
  add(*globex, a->id, "2030-01-01", Now());  // another organisation's, whatever its record id
  auto summary = [&](const std::string& before) {
    std::map<int64_t, std::tuple<int64_t, int64_t, Json>> out;
    auto groups = store_->EvidenceExpiryBy(acme_.org.id, "context_issue", before);
    EXPECT_THAT(groups, IsOk());
    if (groups.ok()) {
      for (const auto& g : *groups) {
        out[g.values.at(0).get<int64_t>()] = {g.count, g.values.at(1).get<int64_t>(), g.latest};
      }
    }
    return out;
  };
  using T = std::tuple<int64_t, int64_t, Json>;
  auto at_cut = summary(cut);
  ASSERT_EQ(at_cut.size(), 2u);
  EXPECT_EQ(at_cut[a->id], T(2, 0, "2026-05-01"));
  EXPECT_EQ(at_cut[b->id], T(2, 1, "2026-01-01"));
  EXPECT_EQ(summary("")[a->id], T(3, 0, "2027-01-01"));
  EXPECT_TRUE(summary("2000-01-01").empty());  // a day works as the bound too
  auto other = store_->EvidenceExpiryBy(acme_.org.id, "interested_party", "");
  ASSERT_THAT(other, IsOk());
  EXPECT_TRUE(other->empty());
}

// Every byte value survives the round trip (bytea and BLOB, not text), content is stored once per
// organisation and SHA-256, and each upload and deletion is an audit event.
TEST_P(StoreTest, StoresEvidenceContentByHashAndAuditsIt) {
  auto issue = WriteOne(acme_, Insert(ContextIssues(), Issue("Supplier risk")));
  ASSERT_THAT(issue, IsOk());
  std::string content;
  for (int i = 0; i < 3 * 256; ++i) content += static_cast<char>(i % 256);
  const size_t events_before = Events().size();
  auto first = store_->AddEvidence(Evidence(acme_, issue->id, content, Now()), content,
                                   EvidenceEvent(acme_, "upload", 0, Now()));
  ASSERT_THAT(first, IsOk());
  auto second = store_->AddEvidence(Evidence(acme_, issue->id, content, Now()), content,
                                    EvidenceEvent(acme_, "upload", 0, Now()));
  ASSERT_THAT(second, IsOk());
  EXPECT_NE(first->id, second->id);

  auto read = store_->ReadEvidenceContent(acme_.org.id, first->id);
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(*read, content);
  auto got = store_->GetEvidence(acme_.org.id, second->id);
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->file_name, "policy.pdf");
  EXPECT_EQ(got->sha256, Sha256Hex(content));
  EXPECT_EQ(got->size, 768);
  EXPECT_EQ(got->effective_date, "2026-01-01");
  EXPECT_EQ(got->expires, "");
  auto list = store_->ListEvidence(acme_.org.id, "context_issue", issue->id);
  ASSERT_THAT(list, IsOk());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, first->id);
  EXPECT_THAT(*store_->ListEvidence(acme_.org.id, "interested_party", issue->id), IsEmpty());

  // One copy of the content; deleting one file keeps it for the other.
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM evidence_blobs"), 1);
  ASSERT_THAT(store_->DeleteEvidence(acme_.org.id, first->id,
                                     EvidenceEvent(acme_, "delete", first->id, Now())),
              IsOk());
  EXPECT_THAT(store_->GetEvidence(acme_.org.id, first->id), StatusIs(Code::kNotFound));
  EXPECT_EQ(*store_->ReadEvidenceContent(acme_.org.id, second->id), content);
  ASSERT_THAT(store_->DeleteEvidence(acme_.org.id, second->id,
                                     EvidenceEvent(acme_, "delete", second->id, Now())),
              IsOk());
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM evidence_blobs"), 0);
  EXPECT_THAT(store_->DeleteEvidence(acme_.org.id, second->id,
                                     EvidenceEvent(acme_, "delete", second->id, Now())),
              StatusIs(Code::kNotFound));

  const auto events = Events();
  ASSERT_EQ(events.size(), events_before + 4);
  EXPECT_EQ(events[events_before].action, "upload");
  EXPECT_EQ(events[events_before].record_type, "evidence_file");
  EXPECT_EQ(events[events_before].record_id, first->id);
  EXPECT_EQ(events.back().action, "delete");
  EXPECT_EQ(events.back().record_id, second->id);
}

// Another organisation's files are not found, whatever the id, and the same content uploaded by
// both is stored for each (nothing shows that the other holds it).
TEST_P(StoreTest, EvidenceIsScopedToItsOrganisation) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  auto issue = WriteOne(acme_, Insert(ContextIssues(), Issue("Acme issue")));
  ASSERT_THAT(issue, IsOk());
  const std::string content = "%PDF-1.4 secret";
  auto acme_file = store_->AddEvidence(Evidence(acme_, issue->id, content, Now()), content,
                                       EvidenceEvent(acme_, "upload", 0, Now()));
  ASSERT_THAT(acme_file, IsOk());
  auto globex_file = store_->AddEvidence(Evidence(*globex, issue->id, content, Now()), content,
                                         EvidenceEvent(*globex, "upload", 0, Now()));
  ASSERT_THAT(globex_file, IsOk());
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM evidence_blobs"), 2);

  const int64_t g = globex->org.id;
  EXPECT_THAT(store_->GetEvidence(g, acme_file->id), StatusIs(Code::kNotFound));
  EXPECT_THAT(store_->ReadEvidenceContent(g, acme_file->id), StatusIs(Code::kNotFound));
  EXPECT_THAT(store_->DeleteEvidence(g, acme_file->id, EvidenceEvent(*globex, "delete", 0, Now())),
              StatusIs(Code::kNotFound));
  auto globex_list = store_->ListEvidence(g, "context_issue", issue->id);
  ASSERT_THAT(globex_list, IsOk());
  ASSERT_EQ(globex_list->size(), 1u);
  EXPECT_EQ((*globex_list)[0].id, globex_file->id);
  // Deleting Globex's file leaves Acme's content.
  ASSERT_THAT(store_->DeleteEvidence(g, globex_file->id,
                                     EvidenceEvent(*globex, "delete", globex_file->id, Now())),
              IsOk());
  EXPECT_EQ(*store_->ReadEvidenceContent(acme_.org.id, acme_file->id), content);
}

// --- Statement of Applicability ---

domain::SoaEntry Decision(const std::string& control, bool applicable) {
  domain::SoaEntry e;
  e.control_id = control;
  e.applicable = applicable;
  if (applicable) {
    e.reasons = {"risk_treatment", "contractual"};
  } else {
    e.justification = "Not relevant: \"no premises\"";
  }
  return e;
}

TEST_P(StoreTest, WritesSeveralSoaEntriesAllOrNone) {
  ASSERT_THAT(store_->PutSoaEntry(ActorOf(acme_), Decision("5.2", true), 0, Json::object()),
              IsOk());
  // The second is stale: neither is written, and no audit event is.
  const auto events_before = store_->RecentEvents(acme_.org.id, 100);
  ASSERT_THAT(events_before, IsOk());
  EXPECT_THAT(store_->PutSoaEntries(ActorOf(acme_), {{Decision("5.1", false), 0, Json::object()},
                                                     {Decision("5.2", false), 0, Json::object()}}),
              StatusIs(Code::kConflict));
  EXPECT_THAT(store_->GetSoaEntry(acme_.org.id, "5.1"), StatusIs(Code::kNotFound));
  EXPECT_EQ(store_->GetSoaEntry(acme_.org.id, "5.2")->version, 1);
  EXPECT_EQ(store_->RecentEvents(acme_.org.id, 100)->size(), events_before->size());
  auto both = store_->PutSoaEntries(ActorOf(acme_), {{Decision("5.1", false), 0, Json::object()},
                                                     {Decision("5.2", false), 1, Json::object()}});
  ASSERT_THAT(both, IsOk());
  ASSERT_EQ(both->size(), 2u);
  EXPECT_EQ((*both)[0].control_id, "5.1");
  EXPECT_EQ((*both)[0].version, 1);
  EXPECT_EQ((*both)[1].control_id, "5.2");
  EXPECT_EQ((*both)[1].version, 2);
  EXPECT_EQ((*both)[1].applicable, false);
  EXPECT_EQ(store_->RecentEvents(acme_.org.id, 100)->size(), events_before->size() + 2);
}

TEST_P(StoreTest, WritesSoaEntriesWithVersionsAndAudit) {
  EXPECT_THAT(store_->GetSoaEntry(acme_.org.id, "5.1"), StatusIs(Code::kNotFound));
  auto first = store_->PutSoaEntry(ActorOf(acme_), Decision("5.1", true), 0,
                                   {{"applicable", {{"from", nullptr}, {"to", true}}}});
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->version, 1);
  EXPECT_GT(first->id, 0);
  EXPECT_EQ(first->applicable, true);
  EXPECT_THAT(first->reasons, ElementsAre("risk_treatment", "contractual"));
  EXPECT_EQ(first->updated_by, acme_.admin.id);
  // A write based on a stale version changes nothing.
  EXPECT_THAT(store_->PutSoaEntry(ActorOf(acme_), Decision("5.1", false), 0, Json::object()),
              StatusIs(Code::kConflict));
  EXPECT_THAT(store_->PutSoaEntry(ActorOf(acme_), Decision("5.2", false), 3, Json::object()),
              StatusIs(Code::kConflict));
  domain::SoaEntry overridden = Decision("5.1", true);
  overridden.status_override = "implemented";
  overridden.override_reason = "audited";
  auto second = store_->PutSoaEntry(ActorOf(acme_), overridden, 1, Json::object());
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->version, 2);
  EXPECT_EQ(second->id, first->id);
  auto excluded = store_->PutSoaEntry(ActorOf(acme_), Decision("8.7", false), 0, Json::object());
  ASSERT_THAT(excluded, IsOk());
  EXPECT_EQ(excluded->justification, "Not relevant: \"no premises\"");
  EXPECT_TRUE(excluded->reasons.empty());

  auto all = store_->SoaEntries(acme_.org.id);
  ASSERT_THAT(all, IsOk());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].control_id, "5.1");
  EXPECT_EQ((*all)[0].status_override, "implemented");
  EXPECT_EQ((*all)[0].override_reason, "audited");
  EXPECT_FALSE((*all)[1].applicable.value());

  const auto events = Events();
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events[events.size() - 3].record_type, "soa_entry");
  EXPECT_EQ(events[events.size() - 3].action, "create");
  EXPECT_EQ(events[events.size() - 3].record_id, first->id);
  EXPECT_EQ(events[events.size() - 3].diff["applicable"]["to"], true);
  EXPECT_EQ(events[events.size() - 2].action, "update");

  // Another organisation has its own entries.
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  EXPECT_TRUE(store_->SoaEntries(globex->org.id)->empty());
  EXPECT_THAT(store_->GetSoaEntry(globex->org.id, "5.1"), StatusIs(Code::kNotFound));
  auto theirs = store_->PutSoaEntry(ActorOf(*globex), Decision("5.1", false), 0, Json::object());
  ASSERT_THAT(theirs, IsOk());
  EXPECT_EQ(theirs->version, 1);
  EXPECT_EQ(store_->GetSoaEntry(acme_.org.id, "5.1")->version, 2);
}

TEST_P(StoreTest, KeepsApprovedSoaVersionsNumberedAndImmutable) {
  ASSERT_THAT(store_->PutSoaEntry(ActorOf(acme_), Decision("5.1", true), 0, Json::object()),
              IsOk());
  domain::SoaVersion v;
  v.approved_by = acme_.admin.id;
  v.approver = "Alice";
  v.approved_at = Now();
  v.note = "Board, 12 May";
  v.snapshot = Json::array({{{"control_id", "5.1"}, {"applicable", true}}});
  // The snapshot was taken before an entry changed: refused.
  EXPECT_THAT(store_->AddSoaVersion(ActorOf(acme_), v, 0), StatusIs(Code::kConflict));
  auto first = store_->AddSoaVersion(ActorOf(acme_), v, 1);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->number, 1);
  auto second = store_->AddSoaVersion(ActorOf(acme_), v, 1);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->number, 2);
  EXPECT_EQ(Events().back().record_type, "soa_version");
  EXPECT_EQ(Events().back().action, "approve");
  EXPECT_EQ(Events().back().record_id, second->id);

  auto listed = store_->ListSoaVersions(acme_.org.id);
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].number, 2);
  EXPECT_TRUE((*listed)[0].snapshot.is_null());
  auto read = store_->GetSoaVersion(acme_.org.id, 1);
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(read->approver, "Alice");
  EXPECT_EQ(read->note, "Board, 12 May");
  EXPECT_EQ(read->approved_at, v.approved_at);
  EXPECT_EQ(read->snapshot, v.snapshot);

  // Another organisation numbers its own versions and never sees these.
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  EXPECT_TRUE(store_->ListSoaVersions(globex->org.id)->empty());
  EXPECT_THAT(store_->GetSoaVersion(globex->org.id, 1), StatusIs(Code::kNotFound));
  v.approved_by = globex->admin.id;
  EXPECT_EQ(store_->AddSoaVersion(ActorOf(*globex), v, 0)->number, 1);

  const auto refused = AllOf(Field(&RawResult::outcome, RawResult::Outcome::kRefused),
                             Field(&RawResult::message, HasSubstr("immutable")));
  EXPECT_THAT(db_->Exec("UPDATE soa_versions SET note = 'rewritten'"), refused);
  EXPECT_THAT(db_->Exec("DELETE FROM soa_versions"), refused);
  EXPECT_EQ(store_->GetSoaVersion(acme_.org.id, 1)->note, "Board, 12 May");
}

TEST_P(StoreTest, ReadsWhatTheSoaLinksInOneStatementEach) {
  auto policy =
      WriteOne(acme_, Insert(domain::AppliedControls(), {{"name", "Policy set"},
                                                         {"status", "implemented"},
                                                         {"annex_controls", {"5.1", "5.2"}}}));
  ASSERT_THAT(policy, IsOk());
  ASSERT_THAT(WriteOne(acme_, Insert(domain::AppliedControls(), {{"name", "Unlinked"}})), IsOk());
  auto risk =
      WriteOne(acme_, Insert(domain::Risks(), {{"title", "Leak"}, {"controls", {policy->id}}}));
  ASSERT_THAT(risk, IsOk());
  const auto before = store_->StatementCount();
  auto controls = store_->AnnexLinkedControls(acme_.org.id);
  ASSERT_THAT(controls, IsOk());
  auto links = store_->RecordLinks(acme_.org.id, "risk", "controls");
  ASSERT_THAT(links, IsOk());
  EXPECT_EQ(store_->StatementCount() - before, 2u);
  ASSERT_EQ(controls->size(), 1u);
  EXPECT_EQ((*controls)[0].name, "Policy set");
  EXPECT_EQ((*controls)[0].status, "implemented");
  EXPECT_THAT((*controls)[0].annex_controls, ElementsAre("5.1", "5.2"));
  EXPECT_THAT(*links, ElementsAre(std::make_pair(risk->id, policy->id)));
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  EXPECT_TRUE(store_->AnnexLinkedControls(globex->org.id)->empty());
  EXPECT_TRUE(store_->RecordLinks(globex->org.id, "risk", "controls")->empty());
}

TEST_P(StoreTest, ReadsTheLinksToSomeTargetsOnly) {
  std::vector<int64_t> controls;
  for (const char* name : {"Backups", "Encryption", "Logging"}) {
    auto c = WriteOne(acme_, Insert(domain::AppliedControls(), {{"name", name}}));
    ASSERT_THAT(c, IsOk());
    controls.push_back(c->id);
  }
  auto r1 = WriteOne(acme_, Insert(domain::Risks(),
                                   {{"title", "Leak"}, {"controls", {controls[0], controls[1]}}}));
  auto r2 = WriteOne(acme_, Insert(domain::Risks(),
                                   {{"title", "Loss"}, {"controls", {controls[1], controls[2]}}}));
  ASSERT_THAT(r1, IsOk());
  ASSERT_THAT(r2, IsOk());
  auto some = store_->RecordLinks(acme_.org.id, "risk", "controls", {controls[0], controls[2]});
  ASSERT_THAT(some, IsOk());
  std::sort(some->begin(), some->end());
  EXPECT_THAT(
      *some, ElementsAre(std::make_pair(r1->id, controls[0]), std::make_pair(r2->id, controls[2])));
  // The lowest ids linking to any of them, each once, either way.
  for (bool many : {false, true}) {
    auto first =
        store_->FirstLinking(acme_.org.id, "risk", "controls", {controls[1], controls[2]}, 5, many);
    ASSERT_THAT(first, IsOk());
    EXPECT_THAT(*first, ElementsAre(r1->id, r2->id));
    first =
        store_->FirstLinking(acme_.org.id, "risk", "controls", {controls[1], controls[2]}, 1, many);
    ASSERT_THAT(first, IsOk());
    EXPECT_THAT(*first, ElementsAre(r1->id));
  }
  EXPECT_THAT(store_->FirstLinking(acme_.org.id, "risk", "controls", {}, 5, true),
              StatusIs(Code::kInvalidArgument));
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  EXPECT_TRUE(store_->RecordLinks(globex->org.id, "risk", "controls", controls)->empty());
  EXPECT_TRUE(
      store_->FirstLinking(globex->org.id, "risk", "controls", controls, 5, false)->empty());
}

TEST_P(StoreTest, ReportsTheLastChangeOfARecordType) {
  const std::vector<std::string> types = {"risk", "applied_control"};
  auto Last = [&](const std::vector<std::string>& of) -> int64_t {
    auto last = store_->LastChange(acme_.org.id, of);
    EXPECT_THAT(last, IsOk());
    return last.ok() ? *last : -1;
  };
  EXPECT_EQ(Last(types), 0);
  auto control = WriteOne(acme_, Insert(domain::AppliedControls(), {{"name", "Backups"}}));
  ASSERT_THAT(control, IsOk());
  const int64_t after_control = Events().back().seq;
  EXPECT_EQ(Last(types), after_control);
  EXPECT_EQ(Last({"risk"}), 0);
  // Another record type, and another organisation, leave it as it is.
  ASSERT_THAT(WriteOne(acme_, Insert(ContextIssues(), Issue("Brexit"))), IsOk());
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  ASSERT_THAT(WriteOne(*globex, Insert(domain::AppliedControls(), {{"name", "Theirs"}})), IsOk());
  EXPECT_EQ(Last(types), after_control);
  auto risk = WriteOne(acme_, Insert(domain::Risks(), {{"title", "Leak"}}));
  ASSERT_THAT(risk, IsOk());
  const int64_t after_risk = Events().back().seq;
  EXPECT_GT(after_risk, after_control);
  const auto before = store_->StatementCount();
  EXPECT_EQ(Last(types), after_risk);
  EXPECT_EQ(store_->StatementCount() - before, 1u);
  EXPECT_THAT(store_->LastChange(acme_.org.id, {}), StatusIs(Code::kInvalidArgument));
}

TEST_P(StoreTest, ReadsTheEventsOfSomeRecordTypesSinceAGivenOne) {
  auto control = WriteOne(acme_, Insert(domain::AppliedControls(), {{"name", "Backups"}}));
  ASSERT_THAT(control, IsOk());
  const int64_t since = Events().back().seq;
  ASSERT_THAT(WriteOne(acme_, Insert(ContextIssues(), Issue("Brexit"))), IsOk());
  auto risk =
      WriteOne(acme_, Insert(domain::Risks(), {{"title", "Leak"}, {"controls", {control->id}}}));
  ASSERT_THAT(risk, IsOk());
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  ASSERT_THAT(WriteOne(*globex, Insert(domain::Risks(), {{"title", "Theirs"}})), IsOk());
  Json unlinked = risk->fields;
  unlinked["controls"] = nullptr;
  auto again = WriteOne(acme_, Update(domain::Risks(), *risk, unlinked, 1));
  ASSERT_THAT(again, IsOk());
  const std::vector<std::string> types = {"risk", "applied_control"};
  const auto before = store_->StatementCount();
  auto events = store_->EventsSince(acme_.org.id, types, since, 10);
  EXPECT_EQ(store_->StatementCount() - before, 1u);
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 2u);  // not the context issue, not Globex's risk
  EXPECT_EQ((*events)[0].action, "create");
  EXPECT_EQ((*events)[0].record_id, risk->id);
  EXPECT_EQ((*events)[0].diff["controls"]["to"], Json({control->id}));
  EXPECT_EQ((*events)[1].action, "update");
  EXPECT_EQ((*events)[1].diff["controls"]["from"], Json({control->id}));
  EXPECT_LT((*events)[0].seq, (*events)[1].seq);
  auto first = store_->EventsSince(acme_.org.id, types, since, 1);
  ASSERT_THAT(first, IsOk());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].seq, (*events)[0].seq);
  EXPECT_TRUE(store_->EventsSince(acme_.org.id, types, (*events)[1].seq, 10)->empty());
  EXPECT_THAT(store_->EventsSince(acme_.org.id, {}, 0, 10), StatusIs(Code::kInvalidArgument));
}

// Counting by a list field counts each record once per item it holds, among the records the
// filters keep (dates compared with a day included), in the organisation only; a record without
// a list counts in no group. The same numbers as counted in memory.
TEST_P(StoreTest, CountsByTheItemsOfAList) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  const std::vector<std::pair<Json, const char*>> lists = {
      {Json::array({"4.3", "5.2"}), "2026-01-10"},
      {Json::array({"5.2"}), "2026-06-01"},
      {Json(), "2026-01-10"},
      {Json::array({"5.2", "7.5.1"}), ""},
      {Json::array({"4.3"}), "2026-02-01"},
      {Json::array(), "2026-01-10"}};
  std::vector<Mutation> inserts;
  for (size_t i = 0; i < lists.size(); ++i) {
    Json in = {{"title", fmt::format("Document {}", i)}, {"type", "procedure"}};
    if (!lists[i].first.is_null()) in["clauses"] = lists[i].first;
    if (*lists[i].second != 0) in["next_review"] = lists[i].second;
    Mutation m = Insert(Documents(), in);
    m.fields["series"] = "PRO";
    m.fields["status"] = i == 4 ? "unpublished" : "published";  // read-only: set by publishing
    inserts.push_back(std::move(m));
  }
  auto written = store_->Write(ActorOf(acme_), inserts);
  ASSERT_THAT(written, IsOk());
  ASSERT_THAT(store_->Write(ActorOf(*globex), {inserts[0]}), IsOk());  // not acme's

  auto counted = [&](const std::vector<domain::Filter>& filters) {
    std::map<std::string, int64_t> out;
    ListQuery q;
    q.filters = filters;
    auto groups = store_->CountBy(Documents(), acme_.org.id, q, {"clauses"});
    EXPECT_THAT(groups, IsOk());
    if (groups.ok()) {
      for (const auto& g : *groups) out[g.values.at(0).get<std::string>()] += g.count;
    }
    return out;
  };
  auto expected = [&](const std::vector<domain::Filter>& filters) {
    std::map<std::string, int64_t> out;
    for (const auto& r : *written) {
      if (!domain::MatchesFilters(Documents(), filters, r.fields)) continue;
      for (const auto& c : r.fields.value("clauses", Json::array())) ++out[c.get<std::string>()];
    }
    return out;
  };
  const std::vector<domain::Filter> published = {{"status", "published"}};
  EXPECT_EQ(counted(published),
            (std::map<std::string, int64_t>{{"4.3", 1}, {"5.2", 3}, {"7.5.1", 1}}));
  EXPECT_EQ(counted(published), expected(published));
  const std::vector<domain::Filter> overdue = {
      {"status", "published"}, {"next_review", "2026-03-01", domain::Filter::Match::kBefore}};
  EXPECT_EQ(counted(overdue), (std::map<std::string, int64_t>{{"4.3", 1}, {"5.2", 1}}));
  EXPECT_EQ(counted(overdue), expected(overdue));
  EXPECT_EQ(counted({}), expected({}));
  // A list field beside another field, or with the greatest of another, is not a grouping the
  // store offers.
  EXPECT_THAT(store_->CountBy(Documents(), acme_.org.id, ListQuery{}, {"clauses", "type"}),
              StatusIs(Code::kInvalidArgument, "clauses"));
  EXPECT_THAT(store_->CountBy(Documents(), acme_.org.id, ListQuery{}, {"clauses"}, "next_review"),
              StatusIs(Code::kInvalidArgument, "clauses"));
}

// The heat-map counts the database keeps equal a GROUP BY over the risks after inserts, rating
// changes (to and from "not rated"), other changes and deletes, per organisation.
TEST_P(StoreTest, KeepsRiskRatingCountsInStepWithEveryWrite) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  auto counted = [&](int64_t org, bool residual) {
    std::map<std::pair<Json, Json>, int64_t> out;
    auto kept = store_->RiskRatingCounts(org, residual);
    EXPECT_THAT(kept, IsOk());
    if (kept.ok()) {
      for (const auto& g : *kept) out[{g.values[0], g.values[1]}] += g.count;
    }
    return out;
  };
  auto grouped = [&](int64_t org, bool residual) {
    std::map<std::pair<Json, Json>, int64_t> out;
    const std::string kind = residual ? "residual" : "inherent";
    auto groups = store_->CountBy(domain::Risks(), org, ListQuery{},
                                  {kind + "_likelihood", kind + "_impact"});
    EXPECT_THAT(groups, IsOk());
    if (groups.ok()) {
      for (const auto& g : *groups) out[{g.values[0], g.values[1]}] += g.count;
    }
    return out;
  };
  auto expect_in_step = [&](const std::string& when) {
    for (int64_t org : {acme_.org.id, globex->org.id}) {
      for (bool residual : {false, true}) {
        EXPECT_EQ(counted(org, residual), grouped(org, residual))
            << when << ", organisation " << org << (residual ? ", residual" : ", inherent");
      }
    }
  };
  expect_in_step("empty");
  std::mt19937 rng(7);
  auto rating = [&]() -> Json {
    const int v = static_cast<int>(rng() % 6);  // 0: not rated
    return v == 0 ? Json() : Json(v);
  };
  std::vector<Record> risks;
  for (int i = 0; i < 40; ++i) {
    Json input = {{"title", "Risk " + std::to_string(i)}};
    // Rated in pairs or not at all, and residual only after inherent (as validation wants).
    for (const std::string kind : {"inherent", "residual"}) {
      Json likelihood = rating();
      if (likelihood.is_null()) break;
      input[kind + "_likelihood"] = likelihood;
      input[kind + "_impact"] = static_cast<int>(1 + rng() % 5);
    }
    auto r = WriteOne(i % 3 == 0 ? *globex : acme_, Insert(domain::Risks(), input));
    ASSERT_THAT(r, IsOk()) << input.dump();
    risks.push_back(*r);
  }
  expect_in_step("after inserts");
  const int64_t acme_risks = std::count_if(
      risks.begin(), risks.end(), [&](const Record& r) { return r.org_id == acme_.org.id; });
  int64_t total = 0;
  for (const auto& [cell, n] : counted(acme_.org.id, false)) total += n;
  EXPECT_EQ(total, acme_risks);
  for (size_t i = 0; i < risks.size(); i += 2) {
    Json fields = risks[i].fields;
    if (i % 4 == 0) {
      // The store counts a half-rated risk as not rated; validation never lets one through.
      fields["inherent_likelihood"] = rating();
      fields["residual_impact"] = rating();
    } else {
      fields["description"] = "only the text changes";
    }
    auto r = WriteOne(risks[i].org_id == acme_.org.id ? acme_ : *globex,
                      Update(domain::Risks(), risks[i], fields, risks[i].version));
    ASSERT_THAT(r, IsOk()) << fields.dump();
    risks[i] = *r;
  }
  expect_in_step("after updates");
  for (size_t i = 1; i < risks.size(); i += 3) {
    ASSERT_THAT(WriteOne(risks[i].org_id == acme_.org.id ? acme_ : *globex,
                         Delete(domain::Risks(), risks[i], risks[i].version)),
                IsOk());
  }
  expect_in_step("after deletes");
  const auto before = store_->StatementCount();
  ASSERT_THAT(store_->RiskRatingCounts(acme_.org.id, true), IsOk());
  EXPECT_EQ(store_->StatementCount() - before, 1u);
}

}  // namespace
}  // namespace rampart::store

namespace rampart::store {
namespace {

// Store::LatestPerGroup: a metric's latest measurement by date (the greatest id among equal
// dates), for the metrics asked only, of the caller's organisation only, in one statement.
TEST_P(StoreTest, ReadsTheLatestRecordOfEachGroupInOneStatement) {
  auto globex = SecondTenant();
  ASSERT_THAT(globex, IsOk());
  auto metric = [&](const Tenant& t, const std::string& title) {
    auto r = WriteOne(t, Insert(domain::Metrics(), {{"title", title},
                                                    {"method", "Counted from the report."},
                                                    {"measured_by", t.admin.id},
                                                    {"unit", "%"},
                                                    {"direction", "higher"},
                                                    {"target_value", 95}}));
    EXPECT_THAT(r, IsOk());
    return r.ok() ? r->id : 0;
  };
  auto measure = [&](const Tenant& t, int64_t id, double value, const std::string& on) {
    auto r = WriteOne(
        t, Insert(domain::Measurements(), {{"metric", id}, {"value", value}, {"measured_on", on}}));
    EXPECT_THAT(r, IsOk());
    return r.ok() ? r->id : 0;
  };
  const int64_t a = metric(acme_, "Patches");
  const int64_t b = metric(acme_, "Backups");
  const int64_t none = metric(acme_, "Never measured");
  const int64_t theirs = metric(*globex, "Theirs");
  measure(acme_, a, 90, "2026-11-01");
  measure(acme_, a, 97, "2026-11-20");
  measure(acme_, a, 91, "2026-10-01");
  measure(acme_, b, 80, "2026-11-05");
  const int64_t later_same_day = measure(acme_, b, 85, "2026-11-05");
  measure(*globex, theirs, 50, "2026-12-01");

  const uint64_t before = store_->StatementCount();
  auto latest = store_->LatestPerGroup(domain::Measurements(), acme_.org.id, "metric",
                                       {a, b, none, theirs}, "measured_on");
  ASSERT_THAT(latest, IsOk());
  EXPECT_EQ(store_->StatementCount() - before, 1u);
  std::map<int64_t, Record> by_metric;
  for (const auto& r : *latest) by_metric[r.fields["metric"].get<int64_t>()] = r;
  ASSERT_EQ(by_metric.size(), 2u);  // none measured, theirs another organisation's
  EXPECT_EQ(by_metric[a].fields["value"], 97.0);
  EXPECT_EQ(by_metric[a].fields["measured_on"], "2026-11-20");
  EXPECT_EQ(by_metric[b].id, later_same_day);
  auto only_a =
      store_->LatestPerGroup(domain::Measurements(), acme_.org.id, "metric", {a}, "measured_on");
  ASSERT_THAT(only_a, IsOk());
  ASSERT_EQ(only_a->size(), 1u);
  auto empty =
      store_->LatestPerGroup(domain::Measurements(), acme_.org.id, "metric", {}, "measured_on");
  ASSERT_THAT(empty, IsOk());
  EXPECT_TRUE(empty->empty());
  EXPECT_THAT(
      store_->LatestPerGroup(domain::Measurements(), acme_.org.id, "comment", {a}, "measured_on"),
      test::StatusIs(Code::kInvalidArgument, "comment"));
}

}  // namespace
}  // namespace rampart::store

// Store::CopyTo: a whole installation moves between backends in either direction, ids, versions
// and the audit chain intact, and never into a database that holds data.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/audit_service.h"
#include "app/services.h"
#include "base/crypto.h"
#include "domain/annex_a.h"
#include "domain/context.h"
#include "store/store.h"
#include "support/fixed_clock.h"
#include "support/status_matchers.h"
#include "support/test_backend.h"

namespace rampart::store {
namespace {

using test::Backend;
using test::BackendDatabase;
using test::IsOk;
using test::StatusIs;

struct Opened {
  std::unique_ptr<BackendDatabase> db;
  std::unique_ptr<Store> store;
};

Opened Open(Backend backend) {
  Opened o;
  auto db = BackendDatabase::Create(backend);
  EXPECT_THAT(db, IsOk());
  if (!db.ok()) return o;
  o.db = std::move(db).value();
  auto store = OpenStore(o.db->url());
  EXPECT_THAT(store, IsOk());
  if (!store.ok()) return o;
  o.store = std::move(store).value();
  EXPECT_THAT(o.store->Migrate(), IsOk());
  return o;
}

const std::string kPng(
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89", 33);

// An installation with users, a token, records of every register in several versions.
void Populate(Store& store) {
  ASSERT_THAT(InitCrypto(), IsOk());
  test::FixedClock clock(test::TestEpoch());
  app::Services services(store, clock);
  ASSERT_THAT(services.auth.Initialise("Acme Ltd"), IsOk());
  ASSERT_THAT(services.members.AddUser("", app::NewMember{.username = "alice",
                                                          .role = domain::Role::kAdmin,
                                                          .password = "a long enough passphrase"}),
              IsOk());
  ASSERT_THAT(services.members.CreateToken("alice", "", "copy", false, ""), IsOk());
  auto alice = services.auth.SignIn({.username = "alice", .password = "a long enough passphrase"});
  ASSERT_THAT(alice, IsOk());
  const app::Principal& p = alice->principal;
  auto issue = services.registers.Create(p, domain::ContextIssues(),
                                         {{"title", "Ransomware"},
                                          {"kind", "external"},
                                          {"swot", "threat"},
                                          {"climate_related", true},
                                          {"next_review", "2027-01-31"},
                                          {"owner", p.user_id}});
  ASSERT_THAT(issue, IsOk());
  ASSERT_THAT(services.registers.Update(p, domain::ContextIssues(), issue->id, 1,
                                        {{"status", "monitoring"}}, app::UpdateMode::kMerge),
              IsOk());
  ASSERT_THAT(services.registers.Create(p, domain::InterestedParties(),
                                        {{"name", "Regulator"},
                                         {"type", "regulator"},
                                         {"requirements",
                                          {{{"text", "Report breaches"},
                                            {"source", "legal"},
                                            {"addressed", true},
                                            {"how", "Incident procedure"}}}}}),
              IsOk());
  auto scope = services.registers.Create(
      p, domain::ScopeStatements(),
      {{"title", "Scope"}, {"statement", "All of Acme"}, {"units", {"Engineering"}}});
  ASSERT_THAT(scope, IsOk());
  ASSERT_THAT(services.scope.Approve(p, scope->id, 1), IsOk());
  // An evidence file whose bytes are not text (a PNG signature holds \r, \n, \x1a and NULs).
  ASSERT_THAT(services.evidence.Upload(p, {.record_type = "context_issue",
                                           .record_id = issue->id,
                                           .input = {.title = "Diagram", .file_name = "d.png"},
                                           .content = kPng}),
              IsOk());
  // The Statement of Applicability: every control decided, one twice, and a version approved.
  for (const auto& c : domain::AnnexAControls()) {
    ASSERT_THAT(
        services.soa.Update(p, c.id, 0, {{"applicable", true}, {"reasons", {"contractual"}}}),
        IsOk());
  }
  ASSERT_THAT(
      services.soa.Update(p, "8.7", 1, {{"applicable", false}, {"justification", "Not relevant"}}),
      IsOk());
  ASSERT_THAT(services.soa.Approve(p, "Copied"), IsOk());
  // An event with the client's address (encoding 2), and an invitation from another organisation.
  app::Principal remote = p;
  remote.address = "198.51.100.7";
  ASSERT_THAT(services.registers.Create(remote, domain::ContextIssues(),
                                        {{"title", "From afar"}, {"kind", "internal"}}),
              IsOk());
  ASSERT_THAT(services.members.AddOrganisation("Globex"), IsOk());
  auto gary =
      services.members.AddUser("Globex", app::NewMember{.username = "gary",
                                                        .role = domain::Role::kAdmin,
                                                        .password = "a long enough copy secret"});
  ASSERT_THAT(gary, IsOk());
  app::Principal g{.user_id = gary->user.id,
                   .username = "gary",
                   .org_id = 2,
                   .org_name = "Globex",
                   .role = domain::Role::kAdmin};
  auto invited = services.members.Add(g, {.username = "alice", .role = domain::Role::kViewer});
  ASSERT_THAT(invited, IsOk());
  ASSERT_TRUE(invited->invited);
}

void ExpectSameInstallation(Store& a, Store& b) {
  for (const auto* spec :
       {&domain::ContextIssues(), &domain::InterestedParties(), &domain::ScopeStatements()}) {
    ListQuery q;
    auto pa = a.List(*spec, 1, q);
    auto pb = b.List(*spec, 1, q);
    ASSERT_THAT(pa, IsOk());
    ASSERT_THAT(pb, IsOk());
    ASSERT_EQ(pa->records.size(), pb->records.size()) << spec->type;
    for (size_t i = 0; i < pa->records.size(); ++i) {
      EXPECT_EQ(pa->records[i].id, pb->records[i].id);
      EXPECT_EQ(pa->records[i].version, pb->records[i].version);
      EXPECT_EQ(pa->records[i].updated_at, pb->records[i].updated_at);
      EXPECT_EQ(pa->records[i].fields, pb->records[i].fields) << spec->type;
    }
  }
  auto ea = a.ListEvidence(1, "context_issue", 1);
  auto eb = b.ListEvidence(1, "context_issue", 1);
  ASSERT_THAT(eb, IsOk());
  ASSERT_EQ(eb->size(), 1u);
  EXPECT_EQ((*eb)[0].id, (*ea)[0].id);
  EXPECT_EQ((*eb)[0].sha256, (*ea)[0].sha256);
  EXPECT_EQ(*b.ReadEvidenceContent(1, (*eb)[0].id), kPng);
  ASSERT_THAT(b.SoaEntries(1), IsOk());
  ASSERT_EQ(b.SoaEntries(1)->size(), 93u);
  const auto entry_a = a.GetSoaEntry(1, "8.7");
  const auto entry_b = b.GetSoaEntry(1, "8.7");
  ASSERT_THAT(entry_b, IsOk());
  EXPECT_EQ(entry_b->id, entry_a->id);
  EXPECT_EQ(entry_b->version, 2);
  EXPECT_EQ(entry_b->applicable, false);
  EXPECT_EQ(entry_b->justification, entry_a->justification);
  const auto version_a = a.GetSoaVersion(1, 1);
  const auto version_b = b.GetSoaVersion(1, 1);
  ASSERT_THAT(version_b, IsOk());
  EXPECT_EQ(version_b->note, "Copied");
  EXPECT_EQ(version_b->snapshot, version_a->snapshot);
  auto va = app::VerifyAuditChain(a);
  auto vb = app::VerifyAuditChain(b);
  ASSERT_THAT(vb, IsOk());
  EXPECT_TRUE(vb->intact) << vb->problem;
  EXPECT_EQ(va->events, vb->events);
  EXPECT_EQ(va->head_hash, vb->head_hash);
  EXPECT_EQ(b.FindUser("alice")->password_hash, a.FindUser("alice")->password_hash);
  // The audit events' addresses and encodings, the invitations and the accounts' homes.
  auto ra = a.RecentEvents(1, 3);
  auto rb = b.RecentEvents(1, 3);
  ASSERT_THAT(rb, IsOk());
  ASSERT_EQ(rb->size(), ra->size());
  bool seen_address = false;
  for (size_t i = 0; i < rb->size(); ++i) {
    EXPECT_EQ((*rb)[i].address, (*ra)[i].address);
    EXPECT_EQ((*rb)[i].encoding, (*ra)[i].encoding);
    seen_address = seen_address || (*rb)[i].address == "198.51.100.7";
  }
  EXPECT_TRUE(seen_address);
  const int64_t alice = a.FindUser("alice")->id;
  auto invitations = b.Invitations(alice);
  ASSERT_THAT(invitations, IsOk());
  ASSERT_EQ(invitations->size(), 1u);
  EXPECT_EQ(invitations->front().org_name, "Globex");
  EXPECT_EQ(invitations->front().id, a.Invitations(alice)->front().id);
  EXPECT_EQ(*b.AccountHome(alice), 1);
}

TEST(CopyInstallation, MovesEverythingToPostgresAndBackToSqlite) {
  Opened sqlite = Open(Backend::kSqlite);
  Opened postgres = Open(Backend::kPostgres);
  Opened back = Open(Backend::kSqlite);
  ASSERT_TRUE(sqlite.store && postgres.store && back.store);
  Populate(*sqlite.store);
  ASSERT_THAT(sqlite.store->CopyTo(*postgres.store), IsOk());
  ExpectSameInstallation(*sqlite.store, *postgres.store);
  ASSERT_THAT(postgres.store->CopyTo(*back.store), IsOk());
  ExpectSameInstallation(*sqlite.store, *back.store);

  // The copy is a working installation: sign-in, new records with fresh ids, search.
  test::FixedClock clock(test::TestEpoch());
  app::Services services(*postgres.store, clock);
  auto alice = services.auth.SignIn({.username = "alice", .password = "a long enough passphrase"});
  ASSERT_THAT(alice, IsOk());
  auto created = services.registers.Create(alice->principal, domain::ContextIssues(),
                                           {{"title", "After the copy"}, {"kind", "internal"}});
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->id, 3);  // after "Ransomware" and "From afar"
  ListQuery q;
  q.search = "ransom";
  EXPECT_EQ(postgres.store->List(domain::ContextIssues(), 1, q)->records.size(), 1u);
  EXPECT_TRUE(app::VerifyAuditChain(*postgres.store)->intact);
}

TEST(CopyInstallation, RefusesADestinationThatHoldsData) {
  Opened source = Open(Backend::kSqlite);
  Opened destination = Open(Backend::kPostgres);
  ASSERT_TRUE(source.store && destination.store);
  Populate(*source.store);
  ASSERT_THAT(source.store->CopyTo(*destination.store), IsOk());
  EXPECT_THAT(source.store->CopyTo(*destination.store), StatusIs(Code::kFailedPrecondition));
  EXPECT_EQ(destination.db->QueryInt("SELECT COUNT(*) FROM organisations"), 2);  // Acme, Globex
}

}  // namespace
}  // namespace rampart::store

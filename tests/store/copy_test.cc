// Store::CopyTo: a whole installation moves between backends in either direction, ids, versions
// and the audit chain intact, and never into a database that holds data. Every table is compared
// row for row between the source and the copy (a count and a content hash per table, computed the
// same way on both backends), the tables listed from each database's own catalogue: a table the
// copy leaves out fails the comparison.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "app/audit_service.h"
#include "app/services.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/text.h"
#include "base/totp.h"
#include "domain/annex_a.h"
#include "domain/context.h"
#include "domain/documents.h"
#include "domain/registers.h"
#include "domain/risk.h"
#include "domain/support.h"
#include "domain/tasks.h"
#include "store/postgres/postgres_driver.h"
#include "store/sqlite/sqlite_driver.h"
#include "store/store.h"
#include "support/fixed_clock.h"
#include "support/sample_record.h"
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
  ASSERT_THAT(services.versions.Approve(p, domain::ScopeStatements(), scope->id, 1), IsOk());
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
  // Reminders (issue 14): an e-mail address, a task overdue and the day's digest with its
  // notification, and the lease of a pass still held.
  ASSERT_THAT(services.auth.SetEmail(p, "alice@example.org"), IsOk());
  ASSERT_THAT(
      services.registers.Create(
          p, domain::Tasks(),
          {{"title", "Copy the reminders"}, {"owner", p.user_id}, {"due_date", "2020-01-01"}}),
      IsOk());
  auto pass = services.reminders.RunPass({});
  ASSERT_THAT(pass, IsOk());
  ASSERT_EQ(pass->digests, 1);
  ASSERT_THAT(store.TakeLease("reminders", "copied", "2020-01-01T00:00:00.000Z",
                              "2999-01-01T00:00:00.000Z"),
              IsOk());
  // Readiness (issue 15): the day's summary kept, and the organisation set up (its profile).
  ASSERT_THAT(services.readiness.Assess(p), IsOk());
  ASSERT_THAT(store.SetOrganisationProfile(
                  p.org_id, p.org_name,
                  {.size = "11-50", .sector = "finance", .set_up_at = "2026-01-01T00:00:00.000Z"},
                  {.org_id = p.org_id,
                   .actor = "copy test",
                   .at = "2026-01-01T00:00:00.000Z",
                   .action = "set_up",
                   .record_type = "organisation",
                   .record_id = p.org_id,
                   .address = "198.51.100.7"}),
              IsOk());
}

// Populate's installation and the rest: every register holds records (the risk registers with
// references between them, so record_links and the counts of risks per rating fill), a second
// factor with its recovery codes, a failed sign-in.
void PopulateEveryTable(Store& store) {
  Populate(store);
  test::FixedClock clock(test::TestEpoch());
  app::Services services(store, clock);
  auto alice = services.auth.SignIn({.username = "alice", .password = "a long enough passphrase"});
  ASSERT_THAT(alice, IsOk());
  const app::Principal& p = alice->principal;
  auto started = services.auth.StartSecondFactor(p);
  ASSERT_THAT(started, IsOk());
  const std::string key = Base32Decode(started->secret).value_or("");
  ASSERT_THAT(services.auth.ConfirmSecondFactor(p, TotpCode(key, ToUnixSeconds(clock.Now()))),
              IsOk());
  ASSERT_THAT(services.versions.NewDraft(p, domain::RiskMethodologies(), 0), IsOk());
  ASSERT_THAT(services.risks.LoadCatalogue(p, domain::Threats()), IsOk());
  ASSERT_THAT(services.risks.LoadCatalogue(p, domain::Vulnerabilities()), IsOk());
  auto asset = services.registers.Create(
      p, domain::Assets(),
      {{"name", "ERP"}, {"type", "service"}, {"depends_on", domain::Json::array()}});
  ASSERT_THAT(asset, IsOk());
  auto control = services.registers.Create(
      p, domain::AppliedControls(),
      {{"name", "Backups"}, {"status", "implemented"}, {"annex_controls", {"8.13"}}});
  ASSERT_THAT(control, IsOk());
  auto risk = services.registers.Create(p, domain::Risks(),
                                        {{"title", "Laptop theft"},
                                         {"owner", p.user_id},
                                         {"assets", {asset->id}},
                                         {"threat", 1},
                                         {"vulnerability", 1},
                                         {"controls", {control->id}},
                                         {"inherent_likelihood", 2},
                                         {"inherent_impact", 2},
                                         {"residual_likelihood", 2},
                                         {"residual_impact", 2},
                                         {"treatment", "retain"},
                                         {"status", "analysed"}});
  ASSERT_THAT(risk, IsOk());
  ASSERT_THAT(services.risks.Accept(p, risk->id, risk->version, {.comment = "fine"}), IsOk());
  ASSERT_THAT(
      services.registers.Create(p, domain::RiskAssessments(),
                                {{"title", "2026 reassessment"}, {"started", "2026-11-01"}}),
      IsOk());
  // Every other register holds its smallest valid record, so a register added by its
  // description alone is copied too.
  test::SampleRefs refs;  // a record of each register, for the required references of later ones
  for (const domain::RegisterSpec* spec : domain::AllRegisters()) {
    if (spec->workflow_only || spec->versions) continue;
    domain::ListQuery first{.limit = 1};
    auto page = services.registers.List(p, *spec, first);
    ASSERT_THAT(page, IsOk()) << spec->type;
    if (!page->records.empty()) {
      refs[spec->type] = page->records.front().id;
      continue;
    }
    auto created = services.registers.Create(p, *spec, test::SampleRecord(*spec, p.user_id, refs));
    ASSERT_THAT(created, IsOk()) << spec->type;
    refs[spec->type] = created->id;
  }
  // A procedure published to alice, approved by an executive: a version and an acknowledgement.
  auto erin = services.members.AddUser(p.org_name,
                                       app::NewMember{.username = "erin",
                                                      .role = domain::Role::kExecutive,
                                                      .password = "a long enough approval secret"});
  ASSERT_THAT(erin, IsOk());
  app::Principal executive = p;
  executive.user_id = erin->user.id;
  executive.username = "erin";
  executive.role = domain::Role::kExecutive;
  executive.second_factor = false;
  auto doc = services.registers.Create(p, domain::Documents(),
                                       {{"title", "Backups"},
                                        {"type", "procedure"},
                                        {"distribution_people", {{{"person", p.user_id}}}}});
  ASSERT_THAT(doc, IsOk());
  auto draft = services.documents.NewDraft(p, doc->id, 0);
  ASSERT_THAT(draft, IsOk());
  auto written = services.documents.EditDraft(p, draft->id, draft->version, {{"body", "Nightly."}});
  ASSERT_THAT(written, IsOk());
  auto step = services.documents.Advance(p, draft->id, written->version,
                                         app::DocumentService::Step::kSubmit);
  ASSERT_THAT(step, IsOk());
  step = services.documents.Advance(executive, draft->id, step->version,
                                    app::DocumentService::Step::kApprove);
  ASSERT_THAT(step, IsOk());
  ASSERT_THAT(
      services.documents.Advance(p, draft->id, step->version, app::DocumentService::Step::kPublish),
      IsOk());
  // An awareness campaign launched to alice: a completion.
  auto campaign = services.registers.Create(p, domain::AwarenessCampaigns(),
                                            {{"topic", "Phishing"},
                                             {"due_date", "2031-01-31"},
                                             {"audience_people", {{{"person", p.user_id}}}}});
  ASSERT_THAT(campaign, IsOk());
  ASSERT_THAT(services.awareness.Launch(p, campaign->id, campaign->version), IsOk());
  // A spreadsheet imported with its rows' identifiers, a saved mapping, and an upload kept for
  // the import page.
  const std::string csv = "Ref,Title,Kind\nCI-1,Imported issue,internal\n";
  auto sheet = app::ImportService::Read(csv);
  ASSERT_THAT(sheet, IsOk());
  app::ImportOptions import{
      .columns = {{"Ref", "external_id"}, {"Title", "title"}, {"Kind", "kind"}}, .apply = true};
  auto imported = services.imports.Run(p, domain::ContextIssues(), *sheet, import);
  ASSERT_THAT(imported, IsOk());
  ASSERT_TRUE(imported->applied);
  ASSERT_THAT(services.imports.SaveMapping(p, domain::ContextIssues(), "Old register", import),
              IsOk());
  ASSERT_THAT(services.imports.KeepUpload(p, domain::ContextIssues(), "issues.csv", csv), IsOk());
  // A create sent with an Idempotency-Key, its answer kept.
  app::IdempotencyClaim claim = services.idempotency.Claim(p, "create-once", "hash");
  {
    const app::IdempotencyScope scope(claim);
    ASSERT_THAT(services.registers.Create(p, domain::ContextIssues(),
                                          {{"title", "Sent once"}, {"kind", "internal"}}),
                IsOk());
  }
  ASSERT_THAT(services.idempotency.KeepAnswer(
                  claim, {.status = 201, .content_type = "application/json", .body = "{}"}),
              IsOk());
  // Last: a successful sign-in clears the account's failures.
  ASSERT_THAT(services.auth.SignIn({.username = "alice", .password = "not the passphrase"}),
              StatusIs(Code::kUnauthenticated));
}

// A raw connection to the database at `url` on `backend`.
struct RawConnection {
  std::unique_ptr<SqlDriver> driver;
  std::unique_ptr<SqlConnection> conn;
};
RawConnection Connect(Backend backend, const std::string& url) {
  RawConnection out;
  auto driver = backend == Backend::kSqlite ? OpenSqliteDriver(url) : OpenPostgresDriver(url);
  EXPECT_THAT(driver, IsOk());
  if (!driver.ok()) return out;
  out.driver = std::move(driver).value();
  auto conn = out.driver->Connect();
  EXPECT_THAT(conn, IsOk());
  if (conn.ok()) out.conn = std::move(conn).value();
  return out;
}

std::vector<std::string> Strings(SqlConnection& conn, const std::string& sql,
                                 const std::vector<SqlValue>& params = {}) {
  std::vector<std::string> out;
  auto rows = conn.Query(sql, params);
  EXPECT_THAT(rows, IsOk()) << sql;
  if (!rows.ok()) return out;
  while (*(*rows)->Next()) out.push_back((*rows)->Text(0));
  return out;
}

// The tables that hold no rows of their own, listed here independently of the copy: the list of
// migrations each database keeps, SQLite's own tables, and SQLite's FTS5 search indexes of the
// registers with their shadow tables (PostgreSQL indexes the registers' columns instead).
bool NotRows(Backend backend, const std::string& table) {
  if (table == "schema_migrations") return true;
  if (backend == Backend::kPostgres) return false;
  if (table.starts_with("sqlite_")) return true;
  for (const auto* spec : domain::AllRegisters()) {
    for (const char* suffix : {"", "_data", "_idx", "_content", "_docsize", "_config"}) {
      if (table == spec->table + "_search" + suffix) return true;
    }
  }
  return false;
}

struct TableDigest {
  int64_t rows = 0;
  std::string sha256;
  bool operator==(const TableDigest&) const = default;
};
void PrintTo(const TableDigest& d, std::ostream* os) { *os << d.rows << " rows, " << d.sha256; }

// One value as text, the same on both backends: NULL as \N; integers in decimal; decimals as
// the shortest text that reads back (SQLite writes 100.0, PostgreSQL 100); booleans as
// 0/1 (SQLite stores them as integers); BLOBs in hex; JSON objects and arrays re-serialised with
// sorted keys (PostgreSQL's JSONB reorders and respaces them); other text as it is.
std::string Normalised(const SqlRows& rows, int col, const std::string& type) {
  if (rows.IsNull(col)) return "\\N";
  if (type == "boolean") return rows.Bool(col) ? "1" : "0";
  if (type.find("int") != std::string::npos) return std::to_string(rows.Int(col));
  if (type == "real" || type == "double precision") return FormatNumber(rows.Real(col));
  if (type == "bytea" || type == "blob") return "x" + HexEncode(rows.Blob(col));
  std::string text = rows.Text(col);
  if (!text.empty() && (text[0] == '{' || text[0] == '[')) {
    auto json = domain::Json::parse(text, nullptr, false);
    if (!json.is_discarded()) return json.dump();
  }
  return text;
}

// Every table holding rows, by name: how many rows and the SHA-256 of their normalised lines
// (columns by name, values tab-separated, the lines sorted, so neither the column order of each
// backend's migrations nor the order rows come in matters).
std::map<std::string, TableDigest> Digests(Backend backend, const std::string& url) {
  std::map<std::string, TableDigest> out;
  RawConnection raw = Connect(backend, url);
  if (raw.conn == nullptr) return out;
  SqlConnection& conn = *raw.conn;
  const std::vector<std::string> tables =
      backend == Backend::kSqlite
          ? Strings(conn, "SELECT name FROM sqlite_master WHERE type = 'table'")
          : Strings(conn,
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                    "current_schema() AND table_type = 'BASE TABLE'");
  for (const auto& table : tables) {
    if (NotRows(backend, table)) continue;
    std::vector<std::pair<std::string, std::string>> columns;  // name, lower-case type
    auto rows = backend == Backend::kSqlite
                    ? conn.Query("SELECT name, lower(type) FROM pragma_table_info(?)", {table})
                    : conn.Query(
                          "SELECT column_name, data_type FROM information_schema.columns WHERE "
                          "table_schema = current_schema() AND table_name = ?",
                          {table});
    EXPECT_THAT(rows, IsOk());
    if (!rows.ok()) continue;
    while (*(*rows)->Next()) columns.emplace_back((*rows)->Text(0), (*rows)->Text(1));
    std::sort(columns.begin(), columns.end());
    std::string list;
    for (const auto& [name, type] : columns) list += (list.empty() ? "\"" : ", \"") + name + "\"";
    auto data = conn.Query(fmt::format("SELECT {} FROM \"{}\"", list, table), {});
    EXPECT_THAT(data, IsOk()) << table;
    if (!data.ok()) continue;
    std::vector<std::string> lines;
    while (*(*data)->Next()) {
      std::string line;
      for (size_t i = 0; i < columns.size(); ++i) {
        line += (i == 0 ? "" : "\t") + Normalised(**data, static_cast<int>(i), columns[i].second);
      }
      lines.push_back(std::move(line));
    }
    std::sort(lines.begin(), lines.end());
    std::string all;
    for (const auto& line : lines) all += line + "\n";
    out[table] = {static_cast<int64_t>(lines.size()), Sha256Hex(all)};
  }
  return out;
}

// Every table of `copy` holds the rows of `source`'s table of the same name, and the source
// holds rows in every table (so that a table left out cannot pass unnoticed).
void ExpectEveryTableCopied(const Opened& source, const Opened& copy) {
  const auto from = Digests(source.db->backend(), source.db->url());
  const auto to = Digests(copy.db->backend(), copy.db->url());
  ASSERT_FALSE(from.empty());
  std::set<std::string> names_from, names_to;
  for (const auto& [name, digest] : from) {
    names_from.insert(name);
    EXPECT_GT(digest.rows, 0) << name << " is empty in the source: populate it";
  }
  for (const auto& [name, digest] : to) names_to.insert(name);
  EXPECT_EQ(names_from, names_to);
  for (const auto& [name, digest] : from) {
    auto it = to.find(name);
    if (it == to.end()) continue;
    EXPECT_EQ(it->second, digest) << "table " << name << " differs after the copy";
  }
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

// An installation populated on `source` and copied to `copy`, every table compared.
void PopulateCopyAndCompare(const Opened& source, const Opened& copy) {
  ASSERT_TRUE(source.store && copy.store);
  PopulateEveryTable(*source.store);
  ASSERT_THAT(source.store->CopyTo(*copy.store), IsOk());
  ExpectEveryTableCopied(source, copy);
}

TEST(CopyInstallation, CopiesEveryTableRowForRowFromSqliteToPostgres) {
  Opened sqlite = Open(Backend::kSqlite);
  Opened postgres = Open(Backend::kPostgres);
  PopulateCopyAndCompare(sqlite, postgres);
}

TEST(CopyInstallation, CopiesEveryTableRowForRowFromPostgresToSqlite) {
  Opened postgres = Open(Backend::kPostgres);
  Opened sqlite = Open(Backend::kSqlite);
  PopulateCopyAndCompare(postgres, sqlite);
  if (HasFatalFailure()) return;
  // The search index is rebuilt at the destination, and the heat map's counts are not doubled.
  ListQuery q;
  q.search = "ransom";
  EXPECT_EQ(sqlite.store->List(domain::ContextIssues(), 1, q)->records.size(), 1u);
  auto counts = sqlite.store->RiskRatingCounts(1, false);
  ASSERT_THAT(counts, IsOk());
  int64_t risks = 0;
  for (const auto& c : *counts) risks += c.count;
  EXPECT_EQ(risks, 1);
}

// Rows are read a page (1,000 rows) at a time after the last primary key read: tables of several
// pages, one with a composite key that starts with a text column, one with no primary key at
// all, arrive whole in both directions.
TEST(CopyInstallation, CopiesTablesOfManyPagesInBothDirections) {
  Opened sqlite = Open(Backend::kSqlite);
  Opened postgres = Open(Backend::kPostgres);
  Opened back = Open(Backend::kSqlite);
  ASSERT_TRUE(sqlite.store && postgres.store && back.store);
  PopulateEveryTable(*sqlite.store);
  ASSERT_EQ(sqlite.db
                ->Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                       "WHERE i < 2500) "
                       "INSERT INTO recovery_codes (user_id, code_hash) "
                       "SELECT 1 + i % 2, 'code ' || i FROM n")
                .outcome,
            test::RawResult::Outcome::kOk);
  ASSERT_EQ(sqlite.db
                ->Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                       "WHERE i < 2100) "
                       "INSERT INTO sign_in_failures (subject, at) "
                       "SELECT 'user ' || (i % 7), '2026-01-01T00:00:00.' || i || 'Z' FROM n")
                .outcome,
            test::RawResult::Outcome::kOk);
  ASSERT_GT(sqlite.db->QueryInt("SELECT COUNT(*) FROM recovery_codes"), 2500);
  ASSERT_THAT(sqlite.store->CopyTo(*postgres.store), IsOk());
  ExpectEveryTableCopied(sqlite, postgres);
  ASSERT_THAT(postgres.store->CopyTo(*back.store), IsOk());
  ExpectEveryTableCopied(postgres, back);
  EXPECT_EQ(back.db->QueryInt("SELECT COUNT(*) FROM recovery_codes"),
            sqlite.db->QueryInt("SELECT COUNT(*) FROM recovery_codes"));
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

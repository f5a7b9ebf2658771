// readiness_load: readiness for certification at scale (docs/performance.md, "Readiness at
// 100,000 risks").
//
// On a temporary SQLite database (the default) or on a fresh database of its own on a
// PostgreSQL cluster (--pg-url URL) it
//   1. initialises an organisation, a writing user and an API token;
//   2. seeds through Store::Write in batches (one transaction each), dated 30 days ago, every
//      record normalised by domain::ValidateFields as the API would: --risks risks (one in a
//      hundred without an owner, levels from low to critical, reviews spread over a year around
//      today), --documents published documents serving clauses and controls, the recurring
//      work of a large organisation (500 implemented controls with evidence, 200 suppliers with
//      their assessments, 50 communications and 100 activities with their entries) and a few
//      records of the other registers; then --changes risks changed today (owners named);
//   3. starts the server in this process and measures, with one keep-alive client, the readiness
//      API and page, the overview and the guided path (today's readiness kept while nothing
//      changes), the first readiness after a change (a risk renamed before each request), and
//      the readiness of yesterday (the changes of today undone from the audit trail): client and
//      server (Server-Timing) latency percentiles, bytes and SQL statements per request. The
//      readiness of the day before the seed (every record undone) is timed a few times apart,
//      as the worst case of time travel.
// Every loop is bounded; the program stops by itself and deletes its database unless --keep-db
// (SQLite only). Prints a table, then one line of JSON starting with {"bench":"readiness_load".
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "app/services.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "domain/annex_a.h"
#include "domain/context.h"
#include "domain/documents.h"
#include "domain/evidence.h"
#include "domain/operation.h"
#include "domain/risk.h"
#include "domain/support.h"
#include "http/server.h"
#include "load_support.h"
#include "store/store.h"

namespace rampart::bench {
namespace {

struct Options : RunOptions {
  int risks = 100000;
  int documents = 10000;
  int changes = 100;
};

Options Parse(int argc, char** argv) {
  Options o;
  ParseRunOptions(
      argc, argv, o,
      [&](const std::string& a, const std::function<std::string()>& next) {
        if (a == "--risks") {
          o.risks = std::atoi(next().c_str());
        } else if (a == "--documents") {
          o.documents = std::atoi(next().c_str());
        } else if (a == "--changes") {
          o.changes = std::atoi(next().c_str());
        } else {
          return false;
        }
        return true;
      },
      "readiness_load [--backend sqlite|postgres] [--pg-url URL] [--risks N] [--documents N] "
      "[--changes N] [--batch N] [--requests N] [--warmup N] [--keep-db PATH]");
  o.risks = std::clamp(o.risks, 10, 10'000'000);
  o.documents = std::clamp(o.documents, 10, 1'000'000);
  o.changes = std::clamp(o.changes, 1, o.risks);
  return o;
}

const char* const kLevels[] = {"Low", "Medium", "High", "Critical"};

void Run(const Options& o) {
  Json report = {{"bench", "readiness_load"},
                 {"backend", o.postgres ? "postgres" : "sqlite"},
                 {"risks", o.risks},
                 {"documents", o.documents},
                 {"changes", o.changes},
                 {"cores", std::thread::hardware_concurrency()},
                 {"loadavg_start", LoadAverage()}};
  BenchDatabase database(o);
  const std::string& db = database.url();
  fmt::print("Rampart readiness_load ({}): {} risks, {} documents, {} changed today\n\n",
             o.postgres ? "PostgreSQL " + database.postgres()->server_version() : "SQLite", o.risks,
             o.documents, o.changes);

  std::string token;
  std::string today;
  {
    SystemClock clock;
    auto st = Check(store::OpenStore(db), "opening the store");
    (void)Check(st->Migrate(), "migrating");
    app::Services services(*st, clock);
    BenchTenant tenant = SetUpTenant(*st, services, clock, "readiness_load");
    token = tenant.token;
    store::Actor actor = tenant.actor;
    today = actor.now.substr(0, 10);
    actor.now = domain::AddDays(today, -30) + actor.now.substr(10);

    std::vector<store::Mutation> ms;
    const auto& risks = domain::Risks();
    for (int i = 0; i < o.risks; ++i) {
      Json f = Normalised(risks, {{"title", fmt::format("Risk {}", i)},
                                  {"owner", i % 100 == 0 ? Json() : Json(actor.user_id)},
                                  {"next_review", domain::AddDays(today, (i % 365) - 180)}});
      f["number"] = i + 1;
      f["status"] = i % 5 == 0 ? "identified" : i % 5 == 1 ? "analysed" : "treated";
      if (i % 5 != 0) {
        f["inherent_likelihood"] = 1 + i % 5;
        f["inherent_impact"] = 1 + (i / 5) % 5;
        f["inherent_level"] = kLevels[i % 4];
      }
      ms.push_back(Insert(risks, std::move(f)));
    }
    double risks_s = 0;
    auto written = WriteAll(*st, actor, ms, o.batch, risks_s);
    const auto& docs = domain::Documents();
    const std::vector<std::string> clauses = {"4.3", "5.2", "6.1.2", "7.5.1", "8.1", "9.1"};
    const std::vector<std::string> controls = {"5.1", "5.10", "5.26", "5.31", "5.37", "8.9"};
    for (int i = 0; i < o.documents; ++i) {
      Json f = Normalised(docs, {{"title", fmt::format("Procedure {}", i)},
                                 {"type", i == 0 ? "isms_policy" : "procedure"},
                                 {"clauses", Json::array({clauses[i % clauses.size()]})},
                                 {"annex_controls", Json::array({controls[i % controls.size()]})},
                                 {"owner", actor.user_id},
                                 {"next_review", domain::AddDays(today, 100 + i % 200)}});
      f["status"] = "published";
      f["series"] = i == 0 ? "POL" : "PRO";
      f["number"] = i + 1;
      ms.push_back(Insert(docs, std::move(f)));
    }
    double docs_s = 0;
    (void)WriteAll(*st, actor, ms, o.batch, docs_s);
    for (int i = 0; i < 20; ++i) {
      ms.push_back(
          Insert(domain::ContextIssues(),
                 Normalised(domain::ContextIssues(),
                            {{"title", fmt::format("Issue {}", i)}, {"kind", "internal"}})));
    }
    // The recurring work at the size of a large organisation: 500 implemented controls with a
    // file of evidence each (one in ten expired), 200 suppliers with two assessments each (one
    // in ten with its certificate expired), 50
    // communications with a year of monthly entries, 100 activities with two years of monthly
    // occurrences.
    double other_s = 0;
    (void)WriteAll(*st, actor, ms, o.batch, other_s);
    const auto& ctl = domain::AppliedControls();
    for (int i = 0; i < 500; ++i) {
      ms.push_back(Insert(ctl, Normalised(ctl, {{"name", fmt::format("Control {}", i)},
                                                {"status", "implemented"}})));
    }
    const auto controls_written = WriteAll(*st, actor, ms, o.batch, other_s);
    for (size_t i = 0; i < controls_written.size(); ++i) {
      const std::string content = fmt::format("evidence {}", i);
      const domain::EvidenceFile file{.org_id = actor.org_id,
                                      .record_type = ctl.type,
                                      .record_id = controls_written[i].id,
                                      .title = "Report",
                                      .file_name = "report.txt",
                                      .content_type = "text/plain",
                                      .size = static_cast<int64_t>(content.size()),
                                      .sha256 = Sha256Hex(content),
                                      .expires = domain::AddDays(today, i % 10 == 0 ? -5 : 200),
                                      .uploaded_by = actor.user_id,
                                      .uploaded_at = actor.now};
      if (!st->AddEvidence(file, content,
                           {.org_id = actor.org_id,
                            .actor_id = actor.user_id,
                            .actor = actor.username,
                            .at = actor.now,
                            .action = "upload",
                            .record_type = "evidence_file"})
               .ok()) {
        Die("seeding evidence failed");
      }
    }
    const auto& sup = domain::Suppliers();
    for (int i = 0; i < 200; ++i) {
      ms.push_back(Insert(sup, Normalised(sup, {{"name", fmt::format("Supplier {}", i)},
                                                {"services", "Hosting"},
                                                {"criticality", "medium"},
                                                {"owner", actor.user_id},
                                                {"status", "active"}})));
    }
    const auto suppliers = WriteAll(*st, actor, ms, o.batch, other_s);
    const auto& assess = domain::SupplierAssessments();
    for (size_t i = 0; i < suppliers.size() * 2; ++i) {
      ms.push_back(Insert(
          assess, Normalised(assess, {{"supplier", suppliers[i / 2].id},
                                      {"title", "Certificate check"},
                                      {"date", domain::AddDays(today, -400 + 365 * (i % 2))},
                                      {"method", "certificate_review"},
                                      {"certificate", "ISO/IEC 27001"},
                                      {"rating", "satisfactory"},
                                      {"certificate_expires",
                                       domain::AddDays(today, i / 2 % 10 == 0 ? -3 : 300)}})));
    }
    (void)WriteAll(*st, actor, ms, o.batch, other_s);
    const auto& comm = domain::Communications();
    for (int i = 0; i < 50; ++i) {
      ms.push_back(Insert(comm, Normalised(comm, {{"title", fmt::format("Newsletter {}", i)},
                                                  {"frequency", "monthly"},
                                                  {"channel", "email"},
                                                  {"status", "active"}})));
    }
    const auto comms = WriteAll(*st, actor, ms, o.batch, other_s);
    const auto& log = domain::CommunicationLog();
    for (size_t i = 0; i < comms.size() * 12; ++i) {
      ms.push_back(
          Insert(log, Normalised(log, {{"communication", comms[i / 12].id},
                                       {"summary", "Sent"},
                                       {"date", domain::AddMonths(today, -12 + int(i % 12))}})));
    }
    (void)WriteAll(*st, actor, ms, o.batch, other_s);
    const auto& act = domain::OperationalActivities();
    for (int i = 0; i < 100; ++i) {
      ms.push_back(Insert(act, Normalised(act, {{"title", fmt::format("Activity {}", i)},
                                                {"applied_control", controls_written[i].id},
                                                {"every", 1},
                                                {"period", "months"},
                                                {"start_date", domain::AddMonths(today, -24)},
                                                {"owner", actor.user_id},
                                                {"status", "active"}})));
    }
    const auto activities = WriteAll(*st, actor, ms, o.batch, other_s);
    const auto& occ = domain::ActivityOccurrences();
    for (size_t i = 0; i < activities.size() * 24; ++i) {
      ms.push_back(
          Insert(occ, Normalised(occ, {{"activity", activities[i / 24].id},
                                       {"summary", "Done"},
                                       {"date", domain::AddMonths(today, -24 + int(i % 24))},
                                       {"outcome", "completed"}})));
    }
    (void)WriteAll(*st, actor, ms, o.batch, other_s);
    // Today: owners named for some of the unowned risks (what yesterday's readiness undoes).
    actor.now = FormatUtc(clock.Now());
    for (int i = 0; i < o.changes; ++i) {
      const auto& r = written[static_cast<size_t>(i) * 100 % written.size()];
      Json after = r.fields;
      after["owner"] = actor.user_id;
      after["title"] = r.fields["title"].get<std::string>() + " (reviewed)";
      ms.push_back({.kind = store::Mutation::Kind::kUpdate,
                    .spec = &risks,
                    .id = r.id,
                    .expected_version = r.version,
                    .fields = after,
                    .action = "update",
                    .diff = domain::DiffFields(risks, r.fields, after)});
    }
    double changes_s = 0;
    (void)WriteAll(*st, actor, ms, o.batch, changes_s);
    fmt::print("Seeding through Store::Write, batches of {} (one transaction each)\n", o.batch);
    fmt::print("  risks      {:>8}  {:>7.2f} s\n  documents  {:>8}  {:>7.2f} s\n", o.risks, risks_s,
               o.documents, docs_s);
    fmt::print("  changed today {:>5}  {:>7.2f} s\n\n", o.changes, changes_s);
    report["seed_s"] = {{"risks", risks_s}, {"documents", docs_s}, {"changes", changes_s}};
  }

  auto instance = std::make_unique<Instance>(db);
  Instance& inst = *instance;
  if (!WaitHealthy(inst.port())) Die("the server did not answer /healthz");
  store::Store& st = inst.store();
  const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  auto client = NewClient(inst.port(), 300);
  httplib::Client* client_ptr = client.get();
  const std::string yesterday = domain::AddDays(today, -1);
  struct Req {
    std::string name, path;
  };
  const std::vector<Req> reqs = {
      {"API readiness", "/api/v1/readiness"},
      {"API readiness as_of yesterday", "/api/v1/readiness?as_of=" + yesterday},
      {"web /readiness", "/readiness"},
      {"web / (overview)", "/"},
      {"web /getting-started", "/getting-started"},
      {"API readiness/history", "/api/v1/readiness/history"},
  };
  // The answers are what was seeded: a broken query cannot pass as fast.
  {
    const Json now = Json::parse(Fetch(*client, reqs[0].path, auth, true).body, nullptr, false);
    const Json then = Json::parse(Fetch(*client, reqs[1].path, auth, true).body, nullptr, false);
    auto owner = [](const Json& body) -> int64_t {
      for (const auto& c : body["checks"]) {
        if (c["id"] == "6.1.2-risk-owner") return c["count"].get<int64_t>();
      }
      return -1;
    };
    const int64_t unowned = (o.risks + 99) / 100;
    const int64_t named_today = std::min<int64_t>(o.changes, unowned);
    if (owner(then) != std::min<int64_t>(unowned, 10000) ||
        owner(now) != std::min<int64_t>(unowned - named_today, 10000)) {
      Die(fmt::format("unowned risks today {} and yesterday {}, seeded {} and {} named today",
                      owner(now), owner(then), unowned, named_today));
    }
    report["unowned"] = {{"today", owner(now)}, {"yesterday", owner(then)}};
  }
  Series healthz = Measure(*client, st, "/healthz", {}, o.warmup * 5, o.requests * 5);
  healthz.name = "GET /healthz";
  std::vector<Series> results;
  for (const auto& r : reqs) {
    int count = o.requests, warmup = o.warmup;
    if (Fetch(*client, r.path, auth).client_ms > 200.0) {  // a slow page: a bounded run
      count = std::max(5, count / 10);
      warmup = std::min(warmup, 2);
    }
    Series s = Measure(*client, st, r.path, auth, warmup, count);
    s.name = r.name;
    results.push_back(std::move(s));
  }
  // The first assessment after a change (today's readiness is kept until a record changes): a
  // risk renamed through the store, then the readiness read, each time.
  {
    const auto& risks = domain::Risks();
    auto first = Check(st.List(risks, 1, {.limit = 1}), "reading a risk");
    if (first.records.empty()) Die("no risk to change");
    const int64_t id = first.records.front().id;
    std::vector<double> client, server;
    uint64_t statements = 0;
    const int n = std::max(5, o.requests / 5);
    for (int i = 0; i < n; ++i) {
      auto r = Check(st.Get(risks, 1, id), "reading the risk");
      Json after = r.fields;
      after["title"] = fmt::format("Risk renamed {}", i);
      store::Actor actor{
          .org_id = 1, .user_id = 1, .username = "bench", .now = FormatUtc(SystemClock().Now())};
      (void)Check(st.Write(actor, {{.kind = store::Mutation::Kind::kUpdate,
                                    .spec = &risks,
                                    .id = id,
                                    .expected_version = r.version,
                                    .fields = after,
                                    .action = "update",
                                    .diff = domain::DiffFields(risks, r.fields, after)}}),
                  "changing the risk");
      const uint64_t before = st.StatementCount();
      Sample sample = Fetch(*client_ptr, reqs[0].path, auth);
      statements += st.StatementCount() - before;
      client.push_back(sample.client_ms);
      server.push_back(sample.server_ms);
    }
    Series cold;
    cold.name = "API readiness after a change";
    cold.path = reqs[0].path;
    cold.client = Summarise(client);
    cold.server = Summarise(server);
    cold.bytes = 0;
    cold.statements = static_cast<double>(statements) / n;
    results.push_back(std::move(cold));
  }
  // The worst case: the day before the seed, every record undone.
  const std::string before = domain::AddDays(today, -31);
  Series worst = Measure(*client, st, "/api/v1/readiness?as_of=" + before, auth, 0, 3);
  worst.name = "API readiness as_of before the seed";
  results.push_back(std::move(worst));

  fmt::print("Sequential latency, one keep-alive client; ms; server = Server-Timing\n");
  fmt::print("  {:<40} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>6}\n", "request", "cli p50",
             "cli p95", "cli p99", "srv p50", "srv p95", "srv p99", "bytes", "SQL/rq");
  Json rows = Json::array();
  std::vector<const Series*> all = {&healthz};
  for (const auto& r : results) all.push_back(&r);
  for (const auto* s : all) {
    fmt::print("  {:<40} {:>8.3f} {:>8.3f} {:>8.3f} {:>8.3f} {:>8.3f} {:>8.3f} {:>8.0f} {:>6.1f}\n",
               s->name, s->client.p50, s->client.p95, s->client.p99, s->server.p50, s->server.p95,
               s->server.p99, s->bytes, s->statements);
    rows.push_back({{"name", s->name},
                    {"path", s->path},
                    {"client", ToJson(s->client)},
                    {"server", ToJson(s->server)},
                    {"bytes", s->bytes},
                    {"statements", s->statements}});
  }
  report["requests"] = std::move(rows);
  fmt::print("\nBudget (issue 15: readiness within 100 ms of server time, read as p95)\n");
  Json budget = Json::array();
  for (size_t i = 0; i + 1 < results.size(); ++i) {
    const auto& s = results[i];
    const bool within = s.server.p95 < 100.0;
    fmt::print("  {:<40} server p50 {:>8.3f}  p95 {:>8.3f}  p99 {:>8.3f} ms  {}\n", s.name,
               s.server.p50, s.server.p95, s.server.p99, within ? "within" : "OVER");
    budget.push_back({{"name", s.name},
                      {"p50", s.server.p50},
                      {"p95", s.server.p95},
                      {"p99", s.server.p99},
                      {"within", within}});
  }
  report["budget"] = std::move(budget);
  instance.reset();
  database.Finish();
  report["loadavg_end"] = LoadAverage();
  fmt::print("\nload average at the end: {}\n\n{}\n", LoadAverage(), report.dump());
}

}  // namespace
}  // namespace rampart::bench

int main(int argc, char** argv) {
  rampart::bench::Run(rampart::bench::Parse(argc, argv));
  return 0;
}

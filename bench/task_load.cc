// task_load: the Tasks register at scale (docs/performance.md, "Tasks at 100,000").
//
// On a temporary SQLite database (the default) or on a fresh database of its own on a
// PostgreSQL cluster (--pg-url URL) it
//   1. initialises an organisation, a writing user and an API token, and adds --people members
//      with the contributor role (through the store: no password hashing), and an API token for
//      the busiest of them;
//   2. seeds through Store::Write in batches (one transaction each), every record normalised by
//      domain::ValidateFields as the API would (every field present): --nonconformities open
//      nonconformities, numbered by the store as every insert is; then --tasks tasks, a tenth of
//      them owned by one person (the busy one) and the rest spread over the others, due over two
//      years around today, mostly open (70% open, 10% in progress, 15% done, 5% cancelled), one in
//      fifty recurring, and a tenth of them for a nonconformity (record_type "nonconformity",
//      record_id spread evenly over the seeded ones);
//   3. starts the server in this process and measures, with one keep-alive client, the tasks list
//      (default sort, -due_date, open tasks of one owner, text search, the tasks of one record),
//      the web list page, a nonconformity's page (its corrective actions) and My work as the busy
//      person: client and server (Server-Timing) latency percentiles, bytes and SQL statements
//      per request, against /healthz; then the query plans of the lists as the store builds them.
// Every loop is bounded; the program stops by itself and deletes its database unless --keep-db
// (SQLite only); the PostgreSQL database is dropped at the end, also when the program dies.
// Prints a table, then one line of JSON starting with {"bench":"task_load".
#include <fmt/format.h>
#include <httplib.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "app/services.h"
#include "base/clock.h"
#include "domain/improvement.h"
#include "domain/register.h"
#include "domain/support.h"
#include "domain/tasks.h"
#include "http/server.h"
#include "load_support.h"
#include "store/store.h"

namespace rampart::bench {
namespace {

struct Options : RunOptions {
  int tasks = 100000;
  int nonconformities = 1000;
  int people = 500;
};

Options Parse(int argc, char** argv) {
  Options o;
  ParseRunOptions(
      argc, argv, o,
      [&](const std::string& a, const std::function<std::string()>& next) {
        if (a == "--tasks") {
          o.tasks = std::atoi(next().c_str());
        } else if (a == "--nonconformities") {
          o.nonconformities = std::atoi(next().c_str());
        } else if (a == "--people") {
          o.people = std::atoi(next().c_str());
        } else {
          return false;
        }
        return true;
      },
      "task_load [--backend sqlite|postgres] [--pg-url URL] [--tasks N] [--nonconformities N] "
      "[--people N] [--batch N] [--requests N] [--warmup N] [--keep-db PATH]");
  o.tasks = std::clamp(o.tasks, 20, 10'000'000);
  o.nonconformities = std::clamp(o.nonconformities, 1, 1'000'000);
  o.people = std::clamp(o.people, 2, 100'000);
  return o;
}

const char* const kVerbs[] = {"Review", "Update", "Check", "Test", "Renew", "Remove", "Document"};
const char* const kObjects[] = {"access rights to the payroll system",
                                "the firewall rules",
                                "the supplier contract",
                                "backup restores of the file server",
                                "the incident response plan",
                                "leavers' accounts",
                                "the asset inventory",
                                "laptop encryption",
                                "the risk treatment plan",
                                "the business continuity plan",
                                "privileged accounts",
                                "the visitor log",
                                "patch levels of the web servers"};
const char* const kRequirements[] = {"A.5.18", "A.5.15", "A.8.13", "A.5.24", "7.5.3",
                                     "9.2.2",  "A.8.8",  "A.5.9",  "A.6.3",  "A.8.24"};

struct PlanQuery {
  std::string name, sql;
  std::vector<std::string> params;
};

// The lists' statements as SqlStore::List builds them (WHERE from the filters in the request's
// order, ORDER BY the sort then id, LIMIT one more than the page).
std::vector<PlanQuery> Queries(bool postgres, int64_t org, int64_t owner, int64_t typical,
                               int64_t nc) {
  const std::string o = std::to_string(org);
  const std::string search =
      postgres ? "(title ILIKE ? ESCAPE '\\' OR description ILIKE ? ESCAPE '\\' OR outcome ILIKE "
                 "? ESCAPE '\\')"
               : "id IN (SELECT rowid FROM tasks_search WHERE tasks_search MATCH ?)";
  std::vector<std::string> search_params =
      postgres ? std::vector<std::string>{o, "%payroll%", "%payroll%", "%payroll%", "51"}
               : std::vector<std::string>{o, "\"payroll\"", "51"};
  return {
      {"list, default sort (due_date)",
       "SELECT * FROM tasks WHERE org_id = ? ORDER BY due_date ASC NULLS FIRST, id ASC LIMIT ?",
       {o, "51"}},
      {"list, sort=-due_date",
       "SELECT * FROM tasks WHERE org_id = ? ORDER BY due_date DESC NULLS LAST, id DESC LIMIT ?",
       {o, "51"}},
      {"list, status=open&owner=<busy>",
       "SELECT * FROM tasks WHERE org_id = ? AND status = ? AND owner = ? ORDER BY due_date ASC "
       "NULLS FIRST, id ASC LIMIT ?",
       {o, "open", std::to_string(owner), "51"}},
      {"list, status=open&owner=<typical>",
       "SELECT * FROM tasks WHERE org_id = ? AND status = ? AND owner = ? ORDER BY due_date ASC "
       "NULLS FIRST, id ASC LIMIT ?",
       {o, "open", std::to_string(typical), "51"}},
      {"list, q=payroll",
       "SELECT * FROM tasks WHERE org_id = ? AND " + search +
           " ORDER BY due_date ASC NULLS FIRST, id ASC LIMIT ?",
       search_params},
      {"list, record_type=nonconformity&record_id=<id>",
       "SELECT * FROM tasks WHERE org_id = ? AND record_type = ? AND record_id = ? ORDER BY "
       "due_date ASC NULLS FIRST, id ASC LIMIT ?",
       {o, "nonconformity", std::to_string(nc), "51"}},
      {"My work: TaskService::Mine (owner, status IN open, in_progress)",
       "SELECT * FROM tasks WHERE org_id = ? AND owner = ? AND status IN (?, ?) ORDER BY due_date "
       "ASC NULLS FIRST, id ASC LIMIT ?",
       {o, std::to_string(owner), "open", "in_progress", "101"}},
      {"web list page: capped count",
       "SELECT COUNT(*) FROM (SELECT 1 FROM tasks WHERE org_id = ? LIMIT 10001) AS capped",
       {o}},
  };
}

void Run(const Options& o) {
  Json report = {{"bench", "task_load"},
                 {"backend", o.postgres ? "postgres" : "sqlite"},
                 {"tasks", o.tasks},
                 {"nonconformities", o.nonconformities},
                 {"people", o.people},
                 {"cores", std::thread::hardware_concurrency()},
                 {"loadavg_start", LoadAverage()}};
  BenchDatabase database(o);
  const std::string& db = database.url();
  fmt::print(
      "Rampart task_load ({}): {} tasks, {} nonconformities, {} people, {} cores, load average "
      "{}\n\n",
      o.postgres ? "PostgreSQL " + database.postgres()->server_version() : "SQLite", o.tasks,
      o.nonconformities, o.people, std::thread::hardware_concurrency(), LoadAverage());

  std::string token, busy_token;
  store::Actor actor;
  int64_t busy = 0, typical = 0, nc = 0;
  int busy_tasks = 0, busy_open = 0, typical_tasks = 0, typical_open = 0, nc_tasks = 0;
  {
    SystemClock clock;
    auto st = Check(store::OpenStore(db), "opening the store");
    (void)Check(st->Migrate(), "migrating");
    app::Services services(*st, clock);
    const BenchTenant tenant = SetUpTenant(*st, services, clock, "task_load");
    token = tenant.token;
    actor = tenant.actor;
    const std::string today = actor.now.substr(0, 10);

    // Members: contributors, who read the registers (so My work lists their tasks) and edit what
    // they own.
    auto t0 = SteadyClock::now();
    std::vector<int64_t> people;
    for (int i = 0; i < o.people; ++i) {
      domain::User u{.username = fmt::format("person{:05}", i),
                     .display_name = fmt::format("Person {}", i),
                     .password_hash = "$argon2id$v=19$m=65536,t=3,p=1$bm90LXVzZWQ$bm90LXVzZWQ",
                     .created_at = actor.now};
      auto user = Check(
          st->CreateUser(
              u, domain::Membership{.org_id = actor.org_id, .role = domain::Role::kContributor},
              store::AuditDraft{.org_id = actor.org_id,
                                .actor_id = actor.user_id,
                                .actor = actor.username,
                                .at = actor.now,
                                .action = "user.create",
                                .record_type = "user"}),
          "adding a member");
      people.push_back(user.id);
    }
    const double people_s = MsSince(t0) / 1000.0;
    busy = people[0];
    typical = people[1];  // one of the others
    busy_token = Check(services.members.CreateToken("person00000", "", "task_load", false, ""),
                       "creating the busy person's token");

    // Nonconformities: open, detected over the last year, owned by the people in turn.
    const auto& ncs_spec = domain::Nonconformities();
    std::vector<store::Mutation> ms;
    ms.reserve(static_cast<size_t>(o.nonconformities));
    for (int i = 0; i < o.nonconformities; ++i) {
      const char* requirement = kRequirements[i % 10];
      ms.push_back(Insert(
          ncs_spec,
          Normalised(
              ncs_spec,
              {{"title", fmt::format("Finding {}: {} not met", i, requirement)},
               {"source", "internal_audit"},
               {"source_reference", fmt::format("Internal audit {}", 2024 + i % 3)},
               {"grade", "minor"},
               {"description",
                fmt::format("Sampled records did not show that {} was applied.", kObjects[i % 13])},
               {"requirement", requirement},
               {"detected_on", domain::AddDays(today, -(i % 365))},
               {"owner", people[static_cast<size_t>(i) % people.size()]},
               {"status", "open"}})));
    }
    double ncs_s = 0;
    auto ncs = WriteAll(*st, actor, ms, o.batch, ncs_s);
    nc = ncs.front().id;

    // Tasks. A tenth owned by the busy person, the rest spread over the others; due from a year
    // ago to a year ahead; every tenth for a nonconformity, spread evenly over them.
    const auto& tasks_spec = domain::Tasks();
    std::mt19937 rng(13);
    ms.reserve(static_cast<size_t>(o.tasks));
    std::vector<std::string> completed;  // completed_on of each task, or empty
    t0 = SteadyClock::now();
    for (int i = 0; i < o.tasks; ++i) {
      const int64_t owner =
          i % 10 == 3 ? busy : people[1 + rng() % static_cast<uint32_t>(people.size() - 1)];
      const std::string due = domain::AddDays(today, static_cast<int>(rng() % 730) - 365);
      const int s = static_cast<int>(rng() % 20);
      const char* status = s < 14 ? "open" : s < 16 ? "in_progress" : s < 19 ? "done" : "cancelled";
      domain::Json f = {
          {"title", fmt::format("{} {} ({})", kVerbs[i % 7], kObjects[(i / 7) % 13], i)},
          {"description",
           fmt::format("Step {} of the plan; keep the evidence with the task.", 1 + i % 9)},
          {"owner", owner},
          {"due_date", due},
          {"priority", i % 5 == 0  ? "high"
                       : i % 5 < 3 ? "medium"
                                   : "low"},
          {"status", status}};
      if (i % 10 == 5) {
        const auto& of = ncs[static_cast<size_t>(i / 10) % ncs.size()];
        f["record_type"] = "nonconformity";
        f["record_id"] = of.id;
        if (of.id == nc) ++nc_tasks;
      }
      if (i % 50 == 7) {
        f["recurrence_every"] = 1 + i % 3;
        f["recurrence_unit"] = i % 2 == 0 ? "months" : "years";
        f["recurrence_from"] = i % 4 < 2 ? "due_date" : "completion";
      }
      if (std::string(status) == "done") f["outcome"] = "Done as planned; evidence attached.";
      domain::Json fields = Normalised(tasks_spec, f);
      fields["recurred"] = false;  // what app::TaskService sets on a task written through it
      // completed_on is read-only (the task service stamps it when a task is marked done).
      if (std::string(status) == "done") fields["completed_on"] = domain::AddDays(due, -3);
      if (owner == busy) {
        ++busy_tasks;
        if (s < 16) ++busy_open;
      } else if (owner == typical) {
        ++typical_tasks;
        if (s < 14) ++typical_open;
      }
      ms.push_back(Insert(tasks_spec, std::move(fields)));
    }
    const double validate_s = MsSince(t0) / 1000.0;
    double tasks_s = 0;
    t0 = SteadyClock::now();
    (void)WriteAll(*st, actor, ms, o.batch, tasks_s);
    const double tasks_total_s = MsSince(t0) / 1000.0;
    fmt::print("Seeding through Store::Write, batches of {} (one transaction each)\n", o.batch);
    fmt::print("  members          {:>8}  {:>7.2f} s (one CreateUser each)\n", o.people, people_s);
    fmt::print("  nonconformities  {:>8}  {:>7.2f} s in Write (numbered in the insert)\n",
               o.nonconformities, ncs_s);
    fmt::print(
        "  tasks            {:>8}  {:>7.2f} s in Write ({:.0f} rows/s); ValidateFields and "
        "DiffFields {:.2f} s\n",
        o.tasks, tasks_s, o.tasks / tasks_total_s, validate_s);
    fmt::print(
        "  the busy person owns {} tasks, {} of them open or in progress; a typical one {} ({} "
        "open); nonconformity {} has {} tasks\n\n",
        busy_tasks, busy_open, typical_tasks, typical_open, nc, nc_tasks);
    report["seed_s"] = {{"nonconformities", ncs_s},
                        {"tasks", tasks_s},
                        {"tasks_rows_per_s", o.tasks / tasks_total_s},
                        {"validate", validate_s}};
    report["busy"] = {{"tasks", busy_tasks}, {"open_or_in_progress", busy_open}};
    report["typical"] = {{"tasks", typical_tasks}, {"open", typical_open}};
    report["nonconformity_tasks"] = nc_tasks;
  }

  auto instance = std::make_unique<Instance>(db);
  Instance& inst = *instance;
  if (!WaitHealthy(inst.port())) Die("the server did not answer /healthz");
  store::Store& st = inst.store();
  const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  const httplib::Headers busy_auth = {{"Authorization", "Bearer " + busy_token}};
  auto client = NewClient(inst.port(), 60);
  const std::string n = std::to_string(nc);
  struct Req {
    std::string name, path;
    const httplib::Headers* headers;
  };
  const std::vector<Req> reqs = {
      {"API tasks limit=50 (by due_date)", "/api/v1/tasks?limit=50", &auth},
      {"API tasks sort=-due_date", "/api/v1/tasks?sort=-due_date&limit=50", &auth},
      {"API tasks status=open&owner=<busy>",
       fmt::format("/api/v1/tasks?status=open&owner={}&limit=50", busy), &auth},
      {"API tasks status=open&owner=<typical>",
       fmt::format("/api/v1/tasks?status=open&owner={}&limit=50", typical), &auth},
      {"API tasks q=payroll", "/api/v1/tasks?q=payroll&limit=50", &auth},
      {"API tasks record_type=nc&record_id=<id>",
       "/api/v1/tasks?record_type=nonconformity&record_id=" + n + "&limit=50", &auth},
      {"web /tasks", "/tasks", &auth},
      {"web /nonconformities/<id>", "/nonconformities/" + n, &auth},
      {"API my/work (busy person)", "/api/v1/my/work", &busy_auth},
  };
  // The answers are what was seeded: a broken filter cannot pass as fast.
  {
    auto count = [&](const std::string& path, const httplib::Headers& h) {
      const Json body = Json::parse(Fetch(*client, path, h, true).body, nullptr, false);
      if (!body.is_object() || !body.contains("data")) Die("GET " + path + ": no data");
      return body["data"].size();
    };
    const size_t of_nc = count(reqs[5].path, auth);
    if (static_cast<int>(of_nc) != std::min(nc_tasks, 50)) {
      Die(fmt::format("{}: {} tasks, {} seeded", reqs[5].path, of_nc, nc_tasks));
    }
    const Json work =
        Json::parse(Fetch(*client, "/api/v1/my/work", busy_auth, true).body, nullptr, false);
    if (!work.is_object() || !work["tasks"].is_array() ||
        static_cast<int>(work["tasks"].size()) != std::min(busy_open, 100)) {
      Die(fmt::format("/api/v1/my/work of the busy person: {} tasks, {} open seeded",
                      work.is_object() && work["tasks"].is_array() ? work["tasks"].size() : 0,
                      busy_open));
    }
    report["my_work_tasks"] = work["tasks"].size();
  }
  Series healthz = Measure(*client, st, "/healthz", {}, o.warmup * 5, o.requests * 5);
  healthz.name = "GET /healthz";
  std::vector<Series> results;
  for (const auto& r : reqs) {
    int count = o.requests, warmup = o.warmup;
    if (Fetch(*client, r.path, *r.headers).client_ms > 50.0) {  // a slow page: a bounded run
      count = std::max(5, count / 10);
      warmup = std::min(warmup, 2);
    }
    Series s = Measure(*client, st, r.path, *r.headers, warmup, count);
    s.name = r.name;
    results.push_back(std::move(s));
  }
  fmt::print("Sequential latency, one keep-alive client; ms; server = Server-Timing\n");
  fmt::print("  {:<40} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>6}\n", "request", "cli p50",
             "cli p95", "cli p99", "srv p50", "srv p95", "srv p99", "bytes", "SQL/rq");
  Json rows = Json::array();
  for (const auto* s : [&] {
         std::vector<const Series*> all = {&healthz};
         for (const auto& r : results) all.push_back(&r);
         return all;
       }()) {
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

  // Query plans of the lists, as the store builds them.
  Json plans = Json::object();
  if (o.postgres) {
    fmt::print("\nQuery plans (PostgreSQL EXPLAIN (ANALYZE, BUFFERS, COSTS OFF))\n");
    PGconn* pg = PgConnect(db);
    for (const auto& q : Queries(true, actor.org_id, busy, typical, nc)) {
      auto lines = Plan(pg, q.sql, q.params);
      fmt::print("  {}:\n", q.name);
      for (const auto& l : lines) fmt::print("    {}\n", l);
      plans[q.name] = lines;
    }
    PQfinish(pg);
  } else {
    fmt::print("\nQuery plans (SQLite EXPLAIN QUERY PLAN)\n");
    sqlite3* pdb = nullptr;
    if (sqlite3_open_v2(db.c_str(), &pdb, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      for (const auto& q : Queries(false, actor.org_id, busy, typical, nc)) {
        auto lines = Plan(pdb, q.sql);
        fmt::print("  {}:\n", q.name);
        for (const auto& l : lines) fmt::print("    {}\n", l);
        plans[q.name] = lines;
      }
    }
    sqlite3_close_v2(pdb);
  }
  report["plans"] = std::move(plans);

  fmt::print(
      "\nBudget (DESIGN.md: a list of 50 within a few ms of server time, read as server p95 "
      "and p99 < 5 ms)\n");
  Json budget = Json::array();
  for (const auto& s : results) {
    if (s.name.rfind("API tasks", 0) != 0 && s.name != "web /tasks") continue;
    const bool within = s.server.p95 < 5.0;
    fmt::print("  {:<40} server p50 {:>7.3f}  p95 {:>7.3f}  p99 {:>7.3f} ms  {}{}\n", s.name,
               s.server.p50, s.server.p95, s.server.p99, within ? "within" : "OVER",
               within && s.server.p99 >= 5.0 ? " (p99 over)" : "");
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

// list_load: the end-to-end load scenario behind docs/performance.md.
//
// On a temporary SQLite database (the default, or --backend sqlite) or on a fresh database of
// its own on a PostgreSQL cluster (--pg-url URL, or --backend postgres with --pg-url) it
//   1. initialises an organisation, a writing user and an API token;
//   2. starts the server in this process (port 0, loopback) and times start-up to the first
//      /healthz answer, with VmRSS before and after;
//   3. bulk-loads context issues through Store::Write in large batches (rows/s);
//   4. restarts the server on the loaded database (start-up and idle memory again);
//   5. measures with keep-alive httplib clients: the list API (latency percentiles, client and
//      Server-Timing), cursor pages, totals, a selective filter, a search, a single-record read,
//      /healthz and the web pages of the register; throughput and CPU per request with
//      concurrent clients (on PostgreSQL also the CPU time of the database server's processes,
//      when the cluster runs on this machine); page sizes 5/50/500; the SQL statements per
//      request; the store call and token authentication alone;
//   6. prints the query plans of the list query, its cursor form, its COUNT, the selective
//      filter and the search: SQLite's EXPLAIN QUERY PLAN, or PostgreSQL's EXPLAIN (ANALYZE);
//   7. with --rampart BIN, starts the real `rampart serve` as a separate process on the loaded
//      database (the same URL): start-up to first answer, its VmRSS idle and after list
//      traffic, and the throughput of /healthz, the list and one record with the clients in
//      this process and the server in its own (its CPU per request read from /proc). Comparing
//      two builds' transports, pass each build's binary to one list_load.
// Every loop is bounded; the program stops by itself and deletes its database unless --keep-db
// (SQLite only). The PostgreSQL database is created with CREATE DATABASE on the cluster that
// --pg-url names and dropped at the end, also when the program dies half-way.
// Prints human-readable tables, then one line of JSON starting with {"bench":"list_load".
#include <fmt/format.h>
#include <httplib.h>
#include <libpq-fe.h>
#include <malloc.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/record_codec.h"
#include "app/services.h"
#include "base/clock.h"
#include "base/text.h"
#include "domain/context.h"
#include "domain/register.h"
#include "http/server.h"
#include "load_support.h"
#include "store/store.h"

namespace rampart::bench {
namespace {

long RssKb() { return VmKb("self", "VmRSS"); }
double Mb(long kb) { return static_cast<double>(kb) / 1024.0; }

struct Options : RunOptions {
  int rows = 100000;
  int walks = 100;
  int walk_depth = 10;
  int startup_runs = 9;  // starts of `rampart serve` (median reported)
  std::string rampart;   // the rampart binary, for the separate-process measurement
  Options() {
    requests = 2000;
    warmup = 200;
    seconds = 5.0;
  }
};

Options ParseOptions(int argc, char** argv) {
  Options o;
  ParseRunOptions(
      argc, argv, o,
      [&](const std::string& a, const std::function<std::string()>& next) {
        if (a == "--rows") {
          o.rows = std::atoi(next().c_str());
        } else if (a == "--walks") {
          o.walks = std::atoi(next().c_str());
        } else if (a == "--startup-runs") {
          o.startup_runs = std::atoi(next().c_str());
        } else if (a == "--rampart") {
          o.rampart = next();
        } else {
          return false;
        }
        return true;
      },
      "list_load [--backend sqlite|postgres] [--pg-url URL] [--rows N] [--batch N] "
      "[--requests N] [--warmup N] [--threads N] [--seconds S] [--walks N] [--keep-db PATH] "
      "[--rampart BIN] [--startup-runs N]");
  o.rows = std::clamp(o.rows, 1, 10'000'000);
  o.walks = std::clamp(o.walks, 1, 10'000);
  o.startup_runs = std::clamp(o.startup_runs, 1, 100);
  return o;
}

// Parent pid and utime + stime (clock ticks) from /proc/PID/stat.
bool ReadStat(long pid, long* ppid, long* ticks) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return false;
  const auto close = line.rfind(')');  // the command name may hold spaces and parentheses
  if (close == std::string::npos) return false;
  std::vector<std::string> f;  // f[0] is field 3 (state)
  std::string word;
  for (size_t i = close + 2; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == ' ') {
      f.push_back(word);
      word.clear();
    } else {
      word += line[i];
    }
  }
  if (f.size() < 13) return false;
  if (ppid != nullptr) *ppid = std::atol(f[1].c_str());
  if (ticks != nullptr) *ticks = std::atol(f[11].c_str()) + std::atol(f[12].c_str());
  return true;
}

// CPU time (ms, user + system) of one process, from /proc; -1 when it cannot be read.
double ProcessCpuMs(long pid) {
  long ticks = 0;
  if (!ReadStat(pid, nullptr, &ticks)) return -1;
  return static_cast<double>(ticks) * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU time (ms, user + system) of the PostgreSQL server's processes: the postmaster and its
// children (backends, autovacuum, checkpointer, ...), read from /proc. The postmaster is the
// parent of the backend serving `conn`. Not available (Ms() < 0) when the server runs elsewhere
// or its processes cannot be read.
class PgServerCpu {
 public:
  explicit PgServerCpu(PGconn* conn) {
    const auto rows = PgQuery(conn, "SELECT pg_backend_pid()", {});
    long ppid = -1;
    if (!rows.empty() && ReadStat(std::atol(rows[0][0].c_str()), &ppid, nullptr) && ppid > 1) {
      postmaster_ = ppid;
    }
  }
  bool available() const { return postmaster_ > 0; }

  double Ms() const {
    if (postmaster_ <= 0) return -1;
    const double tick_ms = 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
    double total = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
      const std::string name = entry.path().filename().string();
      if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
      const long pid = std::atol(name.c_str());
      long ppid = -1, ticks = 0;
      if (!ReadStat(pid, &ppid, &ticks)) continue;
      if (pid == postmaster_ || ppid == postmaster_) total += static_cast<double>(ticks) * tick_ms;
    }
    return total;
  }

 private:
  long postmaster_ = -1;
};

// What the planner knows about context_issues: rows, changes since the last ANALYZE and when
// (auto)analyze last ran. Plans on PostgreSQL depend on it.
Json PgTableStats(PGconn* conn) {
  const auto rows =
      PgQuery(conn,
              "SELECT n_live_tup, n_mod_since_analyze, "
              "COALESCE(last_analyze::text, ''), COALESCE(last_autoanalyze::text, ''), "
              "autoanalyze_count, autovacuum_count FROM pg_stat_user_tables "
              "WHERE relname = 'context_issues'",
              {});
  if (rows.empty()) return Json();
  const auto& r = rows[0];
  return {{"n_live_tup", std::atol(r[0].c_str())},
          {"n_mod_since_analyze", std::atol(r[1].c_str())},
          {"last_analyze", r[2]},
          {"last_autoanalyze", r[3]},
          {"autoanalyze_count", std::atol(r[4].c_str())},
          {"autovacuum_count", std::atol(r[5].c_str())}};
}

std::string DescribeStats(const Json& s) {
  if (!s.is_object()) return "no statistics row";
  const std::string when = s["last_autoanalyze"].get<std::string>().empty()
                               ? s["last_analyze"].get<std::string>()
                               : s["last_autoanalyze"].get<std::string>();
  return fmt::format("n_live_tup {}, changed since last analyze {}, last analyze {}",
                     s["n_live_tup"].get<long>(), s["n_mod_since_analyze"].get<long>(),
                     when.empty() ? "never" : when);
}

// ---------------------------------------------------------------------------------------------
// Data

// Deterministic, varied context issues: titles in random order relative to id, kind about half
// external, SWOT quadrant consistent with kind, PESTLE for external issues only.
class IssueMaker {
 public:
  explicit IssueMaker(int64_t owner) : owner_(owner), rng_(20270101) {}

  Json Next(int i) {
    static const std::vector<std::string> kSubjects = {
        "Supplier",    "Cloud hosting", "Ransomware", "Regulator",   "Staff turnover",
        "Data centre", "Payment",       "Customer",   "Legacy ERP",  "Remote work",
        "AI tooling",  "Energy price",  "Flood risk", "Open source", "Privacy law",
        "Market",      "Board",         "Contractor", "Identity",    "Backup"};
    static const std::vector<std::string> kPredicates = {
        "concentration",  "outage exposure", "skills gap",      "budget pressure",
        "new obligation", "dependency",      "audit finding",   "growth",
        "consolidation",  "price change",    "talent shortage", "certification demand",
        "incident trend", "contract change", "policy gap",      "migration"};
    static const std::vector<std::string> kPlaces = {"EU",    "UK",    "US",  "APAC",    "HQ",
                                                     "plant", "sales", "R&D", "finance", "IT"};
    static const std::vector<std::string> kPestle = {"political",     "economic", "social",
                                                     "technological", "legal",    "environmental"};
    Json in = Json::object();
    in["title"] = fmt::format("{} {} ({}) #{:06d}", Pick(kSubjects), Pick(kPredicates),
                              Pick(kPlaces), Uniform(0, 999999));
    in["description"] = fmt::format(
        "Issue {} observed in the {} area; it affects how the ISMS protects information and is "
        "reviewed by the ISMS manager.",
        i, Pick(kPlaces));
    const bool external = Uniform(0, 1) == 1;
    in["kind"] = external ? "external" : "internal";
    const int q = Uniform(0, 9);  // one in ten without a quadrant
    if (q > 0) {
      in["swot"] = external ? (q % 2 == 0 ? "opportunity" : "threat")
                            : (q % 2 == 0 ? "strength" : "weakness");
    }
    if (external && Uniform(0, 4) > 0) in["pestle"] = Pick(kPestle);
    in["climate_related"] = Uniform(0, 9) == 0;
    if (Uniform(0, 1) == 0) in["effect"] = "Raises the likelihood of related risks.";
    if (Uniform(0, 1) == 0) in["owner"] = owner_;
    const int s = Uniform(0, 9);
    in["status"] = s < 6 ? "active" : (s < 9 ? "monitoring" : "closed");
    if (Uniform(0, 3) > 0) {
      in["next_review"] =
          fmt::format("{}-{:02d}-{:02d}", 2026 + Uniform(0, 1), Uniform(1, 12), Uniform(1, 28));
    }
    return in;
  }

 private:
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  const std::string& Pick(const std::vector<std::string>& v) {
    return v[static_cast<size_t>(Uniform(0, static_cast<int>(v.size()) - 1))];
  }

  int64_t owner_;
  std::mt19937_64 rng_;
};

struct LoadResult {
  double prepare_s = 0;  // ValidateFields + DiffFields: what an importer does before the store
  double write_s = 0;    // Store::Write
  int rows = 0;
};

LoadResult Load(store::Store& st, const store::Actor& actor, int rows, int batch) {
  const auto& spec = domain::ContextIssues();
  IssueMaker maker(actor.user_id);
  LoadResult r;
  for (int done = 0; done < rows;) {
    const int n = std::min(batch, rows - done);
    std::vector<store::Mutation> ms;
    ms.reserve(n);
    auto t0 = SteadyClock::now();
    for (int i = 0; i < n; ++i) {
      std::vector<domain::FieldError> errors;
      Json fields = domain::ValidateFields(spec, maker.Next(done + i), domain::WriteMode::kCreate,
                                           nullptr, errors);
      if (!errors.empty())
        Die("generated an invalid issue: " + errors[0].field + ": " + errors[0].message);
      Json diff = domain::DiffFields(spec, Json(), fields);
      ms.push_back({.kind = store::Mutation::Kind::kInsert,
                    .spec = &spec,
                    .fields = std::move(fields),
                    .action = "create",
                    .diff = std::move(diff)});
    }
    r.prepare_s += MsSince(t0) / 1000.0;
    t0 = SteadyClock::now();
    (void)Check(st.Write(actor, ms), "writing a batch");
    r.write_s += MsSince(t0) / 1000.0;
    done += n;
  }
  r.rows = rows;
  return r;
}

// ---------------------------------------------------------------------------------------------
// Query plans: SQLite's EXPLAIN QUERY PLAN on a second connection, or PostgreSQL's
// EXPLAIN (ANALYZE) with the values the benchmark's requests use.

const char* kListColumns =
    "id, org_id, version, created_at, updated_at, created_by, updated_by, title, description, "
    "kind, swot, pestle, climate_related, effect, owner, status, next_review";

struct PlanQuery {
  std::string name, sql;
  std::vector<std::string> params;  // for PostgreSQL; SQLite plans with unbound parameters
};

// The queries as SqlStore::List and SqlStore::Count build them for ?kind=external&sort=title
// (first page, a cursor page, the COUNT of &total=true), for the selective filter
// ?owner=<nobody's>&sort=title and for the search ?q=zzzz&sort=title. `cursor` is the sort key
// (title, id) of the last row of a page.
std::vector<PlanQuery> ListQueries(bool postgres, int64_t org_id, int64_t owner,
                                   const std::pair<std::string, std::string>& cursor) {
  const std::string org = std::to_string(org_id);
  const std::string select =
      fmt::format("SELECT {} FROM context_issues WHERE org_id = ?", kListColumns);
  const std::string order = " ORDER BY title ASC NULLS FIRST, id ASC LIMIT ?";
  std::string search;
  std::vector<std::string> search_params = {org};
  if (postgres) {  // PostgresDriver::SearchCondition: ILIKE over the searchable fields
    search =
        "(title ILIKE ? ESCAPE '\\' OR description ILIKE ? ESCAPE '\\' OR effect ILIKE ? "
        "ESCAPE '\\')";
    search_params.insert(search_params.end(), {"%zzzz%", "%zzzz%", "%zzzz%"});
  } else {  // SqliteDriver::SearchCondition: the trigram FTS5 table
    search = "id IN (SELECT rowid FROM context_issues_search WHERE context_issues_search MATCH ?)";
    search_params.push_back("\"zzzz\"");
  }
  search_params.push_back("51");
  return {
      {"first page", select + " AND kind = ?" + order, {org, "external", "51"}},
      {"cursor page",
       select + " AND kind = ? AND (title, id) > (?, ?)" + order,
       {org, "external", cursor.first, cursor.second, "51"}},
      {"total (COUNT)",
       "SELECT COUNT(*) FROM context_issues WHERE org_id = ? AND kind = ?",
       {org, "external"}},
      {"selective filter", select + " AND owner = ?" + order, {org, std::to_string(owner), "51"}},
      {"search", select + " AND " + search + order, search_params},
  };
}

// ---------------------------------------------------------------------------------------------
// `rampart serve` as a separate process.

struct ProcessResult {
  bool ran = false;
  double startup_ms = 0;
  long rss_idle_kb = 0;
  long rss_after_kb = 0;
  long hwm_kb = 0;
  // Throughput against the separate process (clients in this process, server in its own, as
  // in production): db_cpu_us of each Rate is the `rampart serve` process's CPU per request.
  Rate healthz, list, one;
};

ProcessResult MeasureProcess(const std::string& binary, const std::string& db,
                             const httplib::Headers& h, const std::string& list_path,
                             const std::string& one_path, const Options* traffic) {
  ProcessResult r;
  int out[2];
  if (pipe(out) != 0) return r;
  const auto start = SteadyClock::now();
  const pid_t pid = fork();
  if (pid < 0) return r;
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    execl(binary.c_str(), binary.c_str(), "serve", "--db", db.c_str(), "--listen", "127.0.0.1:0",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  // "Rampart is serving on http://127.0.0.1:PORT/"
  std::string text;
  char buf[256];
  int port = 0;
  const std::string marker = "http://127.0.0.1:";
  while (port == 0) {
    const ssize_t got = read(out[0], buf, sizeof buf);
    if (got <= 0) break;
    text.append(buf, static_cast<size_t>(got));
    const auto at = text.find(marker);
    if (at != std::string::npos && text.find('/', at + marker.size()) != std::string::npos) {
      port = std::atoi(text.c_str() + at + marker.size());
    }
  }
  // The server logs every request to the pipe: drain it, or a full pipe would stall the server.
  std::thread drain([fd = out[0]] {
    char sink[4096];
    while (read(fd, sink, sizeof sink) > 0) {
    }
  });
  if (port > 0 && WaitHealthy(port)) {
    r.startup_ms = MsSince(start);
    r.ran = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    r.rss_idle_kb = VmKb(std::to_string(pid), "VmRSS");
  }
  if (r.ran && traffic != nullptr) {
    auto c = NewClient(port);
    for (int i = 0; i < 500; ++i) (void)Fetch(*c, list_path, h);
    (void)Throughput(port, list_path, h, traffic->threads, 1.0);
    const auto server_cpu_ms = [pid] { return ProcessCpuMs(pid); };
    r.healthz = Throughput(port, "/healthz", {}, traffic->threads, traffic->seconds, server_cpu_ms);
    r.list = Throughput(port, list_path, h, traffic->threads, traffic->seconds, server_cpu_ms);
    r.one = Throughput(port, one_path, h, traffic->threads, traffic->seconds, server_cpu_ms);
    r.rss_after_kb = VmKb(std::to_string(pid), "VmRSS");
    r.hwm_kb = VmKb(std::to_string(pid), "VmHWM");
  }
  kill(pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 500 && waitpid(pid, &status, WNOHANG) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (waitpid(pid, &status, WNOHANG) == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  drain.join();  // the pipe's write end closed with the process
  close(out[0]);
  return r;
}

// ---------------------------------------------------------------------------------------------

std::string Verdict(bool met) { return met ? "met" : "NOT met"; }

void PrintSeriesRow(const std::string& name, const Series& s) {
  fmt::print("  {:<34} {:>8.3f} {:>8.3f} {:>8.3f} {:>8.3f} {:>8.3f} {:>9.0f} {:>6.1f}\n", name,
             s.client.p50, s.client.p90, s.client.p99, s.server.n ? s.server.p50 : 0.0,
             s.server.n ? s.server.p99 : 0.0, s.bytes, s.statements);
}

void PrintSeriesHeader() {
  fmt::print("  {:<34} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>6}\n", "request", "cli p50",
             "cli p90", "cli p99", "srv p50", "srv p99", "bytes", "SQL/rq");
}

Json SeriesJson(const Series& s) {
  return {{"client_ms", ToJson(s.client)},
          {"server_ms", ToJson(s.server)},
          {"bytes", s.bytes},
          {"statements_per_request", s.statements}};
}

int Run(const Options& o) {
  const long rss_start_kb = RssKb();
  // The JSON line's keys come out sorted; none sorts before "bench", so the line still starts
  // with {"bench":"list_load" (hence "db_backend", not "backend").
  Json report = {{"bench", "list_load"},
                 {"db_backend", o.postgres ? "postgres" : "sqlite"},
                 {"rows", o.rows},
                 {"cores", std::thread::hardware_concurrency()}};
  // The database: a file in a temporary directory, or a fresh database on the cluster.
  BenchDatabase database(o);
  const std::string& db = database.url();
  if (const PgDatabase* pg_database = database.postgres()) {
    // The settings that shape the figures (a throwaway test cluster runs without durability).
    PGconn* conn = PgConnect(db);
    Json settings = Json::object();
    for (const auto& row : PgQuery(conn,
                                   "SELECT name, current_setting(name) FROM pg_settings "
                                   "WHERE name IN ('fsync', 'synchronous_commit', "
                                   "'full_page_writes', 'wal_level', 'shared_buffers', "
                                   "'work_mem', 'effective_cache_size', 'random_page_cost', "
                                   "'max_connections', 'jit', 'autovacuum') ORDER BY name",
                                   {})) {
      settings[row[0]] = row[1];
    }
    PQfinish(conn);
    report["postgres"] = {{"server_version", pg_database->server_version()},
                          {"database", pg_database->name()},
                          {"settings", settings}};
  }

  // --- Setup: organisation, a writing user (no pending password change), an API token.
  std::string token;
  store::Actor actor;
  int64_t admin_id = 0;  // owns no issue: a filter value that matches nothing
  {
    SystemClock clock;
    auto st = Check(store::OpenStore(db), "opening the store");
    (void)Check(st->Migrate(), "migrating");
    app::Services services(*st, clock);
    const BenchTenant tenant = SetUpTenant(*st, services, clock, "list_load");
    token = tenant.token;
    admin_id = tenant.admin_id;
    actor = tenant.actor;
  }
  const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  const std::string list_path = "/api/v1/context-issues?kind=external&sort=title&limit=50";

  fmt::print(
      "Rampart list_load ({}): {} context issues, {} hardware threads, load average {}, "
      "database {}\n",
      o.postgres ? "PostgreSQL" : "SQLite", o.rows, std::thread::hardware_concurrency(),
      LoadAverage(), db);
  if (o.postgres) {
    fmt::print("  PostgreSQL {}, settings:", database.postgres()->server_version());
    for (const auto& [k, v] : report["postgres"]["settings"].items()) {
      fmt::print(" {}={}", k, v.get<std::string>());
    }
    fmt::print("\n");
  }
  fmt::print("\n");
  report["loadavg_start"] = LoadAverage();

  // --- (d) start-up on the empty database, then the bulk load.
  double startup_empty_ms = 0, startup_loaded_ms = 0;
  long rss_idle_empty_kb = 0, rss_after_load_kb = 0, rss_idle_loaded_kb = 0;
  LoadResult load;
  {
    const auto t0 = SteadyClock::now();
    Instance inst(db);
    if (!WaitHealthy(inst.port())) Die("the server did not answer /healthz");
    startup_empty_ms = MsSince(t0);
    rss_idle_empty_kb = RssKb();
    load = Load(inst.store(), actor, o.rows, o.batch);
    rss_after_load_kb = RssKb();
  }
  // The load's freed heap stays mapped in this process; trim it so that the idle reading below
  // approximates a freshly started server (the --rampart measurement is the exact one).
  malloc_trim(0);
  const double write_rps = load.rows / load.write_s;
  const double import_rps = load.rows / (load.prepare_s + load.write_s);
  fmt::print("Bulk load ({} rows, batches of {}, one transaction each)\n", load.rows, o.batch);
  fmt::print("  Store::Write only                  {:>10.0f} rows/s  ({:.2f} s)\n", write_rps,
             load.write_s);
  fmt::print("  ValidateFields+DiffFields+Write    {:>10.0f} rows/s  ({:.2f} s)\n\n", import_rps,
             load.prepare_s + load.write_s);
  report["load"] = {{"rows", load.rows},
                    {"batch", o.batch},
                    {"write_s", load.write_s},
                    {"prepare_s", load.prepare_s},
                    {"write_rows_per_s", write_rps},
                    {"import_rows_per_s", import_rps}};

  const auto t0 = SteadyClock::now();
  auto instance = std::make_unique<Instance>(db);
  Instance& inst = *instance;
  if (!WaitHealthy(inst.port())) Die("the server did not answer /healthz");
  startup_loaded_ms = MsSince(t0);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  rss_idle_loaded_kb = RssKb();

  auto client = NewClient(inst.port());
  store::Store& st = inst.store();

  // PostgreSQL: a connection of the benchmark's own for the planner's statistics, the query
  // plans and the server processes' CPU time.
  PGconn* pg = o.postgres ? PgConnect(db) : nullptr;
  std::optional<PgServerCpu> pg_cpu;
  std::function<double()> db_cpu_ms;
  if (pg != nullptr) {
    pg_cpu.emplace(pg);
    if (pg_cpu->available()) db_cpu_ms = [&pg_cpu] { return pg_cpu->Ms(); };
    const Json stats = PgTableStats(pg);
    fmt::print("PostgreSQL statistics before the HTTP runs: {}\n", DescribeStats(stats));
    fmt::print("PostgreSQL server CPU time: {}\n\n",
               pg_cpu->available() ? "measured from /proc (local cluster)"
                                   : "not available (server not local or not readable)");
    report["postgres"]["stats_before_http"] = stats;
  }

  // --- (a) sequential latency.
  Series list = Measure(*client, st, list_path, auth, o.warmup, o.requests);
  Series healthz = Measure(*client, st, "/healthz", {}, o.warmup, o.requests);
  Series get_one = Measure(*client, st, "/api/v1/context-issues/" + std::to_string(o.rows / 2),
                           auth, o.warmup, o.requests);
  Series list_total = Measure(*client, st, list_path + "&total=true", auth, o.warmup / 4,
                              std::max(10, o.requests / 4));
  // Cursor walks: page 1, then next_cursor `walk_depth - 1` times.
  std::vector<double> cursor_client, cursor_server;
  std::vector<double> deep_server;  // the last page of each walk
  size_t cursor_bytes = 0;
  const uint64_t walk_statements_before = st.StatementCount();
  for (int w = 0; w < o.walks; ++w) {
    std::string path = list_path;
    for (int depth = 1; depth <= o.walk_depth; ++depth) {
      Sample s = Fetch(*client, path, auth, /*keep_body=*/true);
      if (depth > 1) {
        cursor_client.push_back(s.client_ms);
        cursor_server.push_back(s.server_ms);
        cursor_bytes += s.bytes;
      }
      if (depth == o.walk_depth) deep_server.push_back(s.server_ms);
      const Json body = Json::parse(s.body, nullptr, false);
      if (!body.is_object() || body["data"].size() != 50 || !body["next_cursor"].is_string()) {
        Die("unexpected list page at depth " + std::to_string(depth));
      }
      path = list_path + "&cursor=" + UrlEncode(body["next_cursor"].get<std::string>());
    }
  }
  const double walk_statements =
      static_cast<double>(st.StatementCount() - walk_statements_before) / (o.walks * o.walk_depth);
  // One cursor page (the last of a walk) fetched over and over: the cursor query by itself.
  std::string deep_path;
  {
    std::string path = list_path;
    for (int depth = 1; depth < o.walk_depth; ++depth) {
      const Json body = Json::parse(Fetch(*client, path, auth, true).body, nullptr, false);
      path = list_path + "&cursor=" + UrlEncode(body["next_cursor"].get<std::string>());
    }
    deep_path = path;
  }
  Series deep = Measure(*client, st, deep_path, auth, o.warmup, o.requests);
  // The web pages that show the same register: the list page (50 rows and a total), the SWOT
  // page (four lists of 100 and five totals) and the overview (totals).
  const int page_requests = std::max(10, o.requests / 10);
  Series web_list = Measure(*client, st, "/context-issues?kind=external&sort=title", auth,
                            o.warmup / 10, page_requests);
  Series web_swot =
      Measure(*client, st, "/context-issues/swot", auth, o.warmup / 10, page_requests);
  Series web_overview = Measure(*client, st, "/", auth, o.warmup / 10, page_requests);
  // Selective queries: a filter value that matches nothing, sorted by the default sort (title),
  // and a search for text that no record contains. Few requests: each may scan the register.
  const int slow_requests = std::max(5, o.requests / 100);
  Series rare_filter =
      Measure(*client, st,
              "/api/v1/context-issues?owner=" + std::to_string(admin_id) + "&sort=title&limit=50",
              auth, 2, slow_requests);
  Series rare_search = Measure(*client, st, "/api/v1/context-issues?q=zzzz&sort=title&limit=50",
                               auth, 2, slow_requests);
  Series cursor{.client = Summarise(cursor_client),
                .server = Summarise(cursor_server),
                .bytes = static_cast<double>(cursor_bytes) / cursor_client.size(),
                .statements = walk_statements};

  // The same query without HTTP: the store call alone, and token authentication alone.
  std::vector<double> store_ms, auth_ms;
  {
    domain::ListQuery q{.filters = {{"kind", "external"}}, .sort = "title", .limit = 50};
    for (int i = 0; i < o.requests; ++i) {
      auto t = SteadyClock::now();
      auto page = st.List(domain::ContextIssues(), actor.org_id, q);
      store_ms.push_back(MsSince(t));
      if (!page.ok() || page->records.size() != 50) Die("Store::List failed");
      t = SteadyClock::now();
      auto p = inst.services().auth.AuthenticateToken(token);
      auth_ms.push_back(MsSince(t));
      if (!p.ok()) Die("AuthenticateToken failed");
    }
  }
  const Percentiles store_p = Summarise(store_ms), auth_p = Summarise(auth_ms);

  fmt::print("Sequential latency, one keep-alive client, {} requests after {} warm-up (ms)\n",
             o.requests, o.warmup);
  PrintSeriesHeader();
  PrintSeriesRow("GET /healthz", healthz);
  PrintSeriesRow("GET list kind=external sort=title", list);
  PrintSeriesRow("  same, cursor pages 2.." + std::to_string(o.walk_depth), cursor);
  PrintSeriesRow("  same, page " + std::to_string(o.walk_depth) + " only (fixed cursor)", deep);
  PrintSeriesRow("  same, &total=true", list_total);
  PrintSeriesRow("GET list owner=<nobody's> sort=title", rare_filter);
  PrintSeriesRow("GET list q=<no match> sort=title", rare_search);
  PrintSeriesRow("GET one issue by id", get_one);
  PrintSeriesRow("web list page (50 rows + total)", web_list);
  PrintSeriesRow("web SWOT page", web_swot);
  PrintSeriesRow("web overview page", web_overview);
  fmt::print(
      "  in-process, no HTTP: Store::List p50 {:.3f} p99 {:.3f}; AuthenticateToken p50 "
      "{:.3f} p99 {:.3f}\n",
      store_p.p50, store_p.p99, auth_p.p50, auth_p.p99);
  fmt::print("  page {} of the walks: server p50 {:.3f} p99 {:.3f}\n\n", o.walk_depth,
             Summarise(deep_server).p50, Summarise(deep_server).p99);
  report["latency"] = {{"healthz", SeriesJson(healthz)},
                       {"list", SeriesJson(list)},
                       {"list_cursor_pages", SeriesJson(cursor)},
                       {"list_with_total", SeriesJson(list_total)},
                       {"list_fixed_cursor_page", SeriesJson(deep)},
                       {"list_selective_filter", SeriesJson(rare_filter)},
                       {"list_search_no_match", SeriesJson(rare_search)},
                       {"web_list_page", SeriesJson(web_list)},
                       {"web_swot_page", SeriesJson(web_swot)},
                       {"web_overview_page", SeriesJson(web_overview)},
                       {"get_one", SeriesJson(get_one)},
                       {"store_list_ms", ToJson(store_p)},
                       {"authenticate_token_ms", ToJson(auth_p)}};

  // --- (c) page size.
  fmt::print("Page size (list kind=external sort=title; {} requests each)\n", o.requests / 4);
  PrintSeriesHeader();
  Json sizes = Json::object();
  std::map<int, Series> by_limit;
  for (int limit : {5, 50, 500}) {
    const std::string p =
        "/api/v1/context-issues?kind=external&sort=title&limit=" + std::to_string(limit);
    Series s = Measure(*client, st, p, auth, o.warmup / 4, std::max(10, o.requests / 4));
    by_limit[limit] = s;
    PrintSeriesRow("limit=" + std::to_string(limit), s);
    sizes[std::to_string(limit)] = SeriesJson(s);
  }
  const double per_row_us =
      (by_limit[500].server.p50 - by_limit[5].server.p50) * 1000.0 / (500 - 5);
  fmt::print("  marginal server time per row: {:.2f} us\n\n", per_row_us);
  report["page_size"] = sizes;
  report["page_size"]["server_us_per_row"] = per_row_us;

  // --- (b) throughput.
  const std::string one = "/api/v1/context-issues/" + std::to_string(o.rows / 2);
  const Rate healthz_rate =
      Throughput(inst.port(), "/healthz", {}, o.threads, o.seconds, db_cpu_ms);
  const Rate list_rate = Throughput(inst.port(), list_path, auth, o.threads, o.seconds, db_cpu_ms);
  const Rate get_rate = Throughput(inst.port(), one, auth, o.threads, o.seconds, db_cpu_ms);
  fmt::print(
      "Throughput, {} keep-alive clients x {:.0f} s each (clients and server share the {} "
      "cores)\n",
      o.threads, o.seconds, std::thread::hardware_concurrency());
  if (db_cpu_ms) {
    fmt::print(
        "  (CPU columns are this process; \"db CPU\" is the PostgreSQL server's processes, which "
        "share the same cores)\n");
  }
  fmt::print("  {:<22} {:>9} {:>9} {:>14} {:>11} {:>10}{}\n", "request", "req/s", "vs healthz",
             "CPU us/req all", "server CPU", "vs healthz", db_cpu_ms ? "     db CPU" : "");
  auto rate_row = [&](const std::string& name, const Rate& r) {
    fmt::print("  {:<22} {:>9.0f} {:>9.2f}x {:>14.1f} {:>11.1f} {:>9.2f}x{}\n", name, r.rps,
               healthz_rate.rps / r.rps, r.cpu_us, r.server_cpu_us,
               r.server_cpu_us / healthz_rate.server_cpu_us,
               r.db_cpu_us >= 0 ? fmt::format(" {:>10.1f}", r.db_cpu_us) : "");
  };
  rate_row("GET /healthz", healthz_rate);
  rate_row("GET list (50 rows)", list_rate);
  rate_row("GET one issue by id", get_rate);
  fmt::print("\n");
  auto rate_json = [](const Rate& r) {
    Json j = {{"rps", r.rps},
              {"cpu_us_per_request", r.cpu_us},
              {"server_cpu_us_per_request", r.server_cpu_us}};
    if (r.db_cpu_us >= 0) j["db_cpu_us_per_request"] = r.db_cpu_us;
    return j;
  };
  const double healthz_rps = healthz_rate.rps, list_rps = list_rate.rps;
  report["throughput"] = {{"threads", o.threads},
                          {"seconds", o.seconds},
                          {"healthz", rate_json(healthz_rate)},
                          {"list", rate_json(list_rate)},
                          {"get_one", rate_json(get_rate)},
                          {"healthz_over_list", healthz_rate.rps / list_rate.rps},
                          {"healthz_over_get_one", healthz_rate.rps / get_rate.rps}};

  const long rss_after_http_kb = RssKb();

  // --- Query plans.
  Json plans = Json::object();
  if (pg != nullptr) {
    fmt::print(
        "Query plans (EXPLAIN (ANALYZE, BUFFERS, COSTS OFF), as SqlStore::List and Count build "
        "them)\n");
    const Json stats = PgTableStats(pg);
    fmt::print("  statistics: {}\n", DescribeStats(stats));
    report["postgres"]["stats_at_plans"] = stats;
    // The cursor of page 10: the sort key of the 450th external issue in title order.
    const auto key = PgQuery(pg,
                             "SELECT title, id FROM context_issues WHERE org_id = $1 AND kind = "
                             "'external' ORDER BY title, id OFFSET 449 LIMIT 1",
                             {std::to_string(actor.org_id)});
    const auto cursor = key.empty() ? std::make_pair(std::string(), std::string("0"))
                                    : std::make_pair(key[0][0], key[0][1]);
    for (const auto& q : ListQueries(true, actor.org_id, admin_id, cursor)) {
      auto lines = Plan(pg, q.sql, q.params);
      fmt::print("  {}:\n", q.name);
      for (const auto& l : lines) fmt::print("    {}\n", l);
      plans[q.name] = lines;
    }
  } else {
    fmt::print("Query plans (EXPLAIN QUERY PLAN, as SqlStore::List and Count build them)\n");
    sqlite3* pdb = nullptr;
    if (sqlite3_open_v2(db.c_str(), &pdb, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      for (const auto& q : ListQueries(false, actor.org_id, admin_id, {})) {
        auto lines = Plan(pdb, q.sql);
        fmt::print("  {}:\n", q.name);
        for (const auto& l : lines) fmt::print("    {}\n", l);
        plans[q.name] = lines;
      }
    }
    sqlite3_close_v2(pdb);
  }
  fmt::print("\n");
  report["plans"] = plans;

  // --- (d) memory and start-up.
  fmt::print("Start-up and memory (this process: server + clients)\n");
  fmt::print("  start-up to first /healthz, empty database    {:>8.1f} ms\n", startup_empty_ms);
  fmt::print("  start-up to first /healthz, {} rows       {:>8.1f} ms\n", o.rows,
             startup_loaded_ms);
  fmt::print("  VmRSS at program start                        {:>8.1f} MB\n", Mb(rss_start_kb));
  fmt::print("  VmRSS idle after start-up, empty database     {:>8.1f} MB\n",
             Mb(rss_idle_empty_kb));
  fmt::print("  VmRSS after the bulk load                     {:>8.1f} MB\n",
             Mb(rss_after_load_kb));
  fmt::print("  VmRSS idle after restart on the loaded db     {:>8.1f} MB\n",
             Mb(rss_idle_loaded_kb));
  fmt::print("  VmRSS after the HTTP runs                     {:>8.1f} MB\n",
             Mb(rss_after_http_kb));
  report["startup_ms"] = {{"empty", startup_empty_ms}, {"loaded", startup_loaded_ms}};
  report["rss_mb"] = {{"start", Mb(rss_start_kb)},
                      {"idle_empty", Mb(rss_idle_empty_kb)},
                      {"after_load", Mb(rss_after_load_kb)},
                      {"idle_loaded", Mb(rss_idle_loaded_kb)},
                      {"after_http", Mb(rss_after_http_kb)}};

  ProcessResult proc;
  if (!o.rampart.empty()) {
    proc = MeasureProcess(o.rampart, db, auth, list_path, one, &o);
    std::vector<double> startups = {proc.startup_ms};
    for (int i = 1; proc.ran && i < o.startup_runs; ++i) {
      ProcessResult again = MeasureProcess(o.rampart, db, auth, list_path, one, nullptr);
      if (again.ran) startups.push_back(again.startup_ms);
    }
    const Percentiles sp = Summarise(startups);
    if (proc.ran) {
      fmt::print(
          "  `rampart serve` process, {} starts: start-up to first /healthz min {:.1f} / "
          "median {:.1f} / max {:.1f} ms\n",
          sp.n, startups.empty() ? 0.0 : *std::min_element(startups.begin(), startups.end()),
          sp.p50, sp.max);
      fmt::print(
          "  `rampart serve` process: VmRSS idle {:.1f} MB, after list traffic {:.1f} MB "
          "(peak {:.1f} MB)\n",
          Mb(proc.rss_idle_kb), Mb(proc.rss_after_kb), Mb(proc.hwm_kb));
      fmt::print(
          "  `rampart serve` process, {} keep-alive clients in this process for {:.1f} s each:\n",
          o.threads, o.seconds);
      const auto rate_row = [](const char* name, const Rate& r) {
        fmt::print("    {:<20} {:>9.0f} req/s   server process CPU {:>7.1f} us/request\n", name,
                   r.rps, r.db_cpu_us);
      };
      rate_row("/healthz", proc.healthz);
      rate_row("list of 50", proc.list);
      rate_row("one record", proc.one);
      const auto rate_json = [](const Rate& r) {
        return Json{{"rps", r.rps}, {"server_process_cpu_us", r.db_cpu_us}};
      };
      proc.startup_ms = sp.p50;
      report["process"] = {{"startup_ms", ToJson(sp)},
                           {"rss_idle_mb", Mb(proc.rss_idle_kb)},
                           {"rss_after_traffic_mb", Mb(proc.rss_after_kb)},
                           {"rss_peak_mb", Mb(proc.hwm_kb)},
                           {"throughput",
                            {{"threads", o.threads},
                             {"healthz", rate_json(proc.healthz)},
                             {"list", rate_json(proc.list)},
                             {"get_one", rate_json(proc.one)}}}};
    } else {
      fmt::print("  `rampart serve` process: did not start ({})\n", o.rampart);
    }
  }
  fmt::print("\n");

  // --- Budgets (docs/performance.md explains each).
  const double startup_ms = proc.ran ? proc.startup_ms : startup_loaded_ms;
  const double idle_mb = proc.ran ? Mb(proc.rss_idle_kb) : Mb(rss_idle_loaded_kb);
  struct Budget {
    std::string name, figure;
    bool met;
  };
  const std::vector<Budget> budgets = {
      {"list of 50, filtered+sorted, server p99 < 5 ms", fmt::format("{:.3f} ms", list.server.p99),
       list.server.p99 < 5.0},
      {"SQL statements per request independent of page size",
       fmt::format("{:.1f} / {:.1f} / {:.1f}", by_limit[5].statements, by_limit[50].statements,
                   by_limit[500].statements),
       by_limit[5].statements == by_limit[500].statements},
      {"list, selective filter + sort=title, server p99 < 5 ms",
       fmt::format("{:.3f} ms", rare_filter.server.p99), rare_filter.server.p99 < 5.0},
      {"web list page (50 + total), server p99 < 5 ms",
       fmt::format("{:.3f} ms", web_list.server.p99), web_list.server.p99 < 5.0},
      {"list throughput within 2x of /healthz", fmt::format("{:.2f}x", healthz_rps / list_rps),
       healthz_rps / list_rps <= 2.0},
      {"one-record read throughput within 2x of /healthz",
       fmt::format("{:.2f}x", healthz_rps / get_rate.rps), healthz_rps / get_rate.rps <= 2.0},
      {"bulk import >= 100,000 rows/s (Store::Write)", fmt::format("{:.0f} rows/s", write_rps),
       write_rps >= 100000},
      {proc.ran ? "start-up < 200 ms (median of rampart serve starts)" : "start-up < 200 ms",
       fmt::format("{:.1f} ms", startup_ms), startup_ms < 200},
      {"idle memory < 30 MB", fmt::format("{:.1f} MB", idle_mb), idle_mb < 30},
  };
  fmt::print("Budgets (DESIGN.md)\n");
  Json bj = Json::array();
  for (const auto& b : budgets) {
    fmt::print("  {:<54} {:>16}  {}\n", b.name, b.figure, Verdict(b.met));
    bj.push_back({{"budget", b.name}, {"figure", b.figure}, {"met", b.met}});
  }
  report["budgets"] = bj;
  report["loadavg_end"] = LoadAverage();
  fmt::print("\nload average at the end: {}\n", LoadAverage());
  fmt::print("\n{}\n", report.dump());
  std::fflush(stdout);

  instance.reset();  // closes the store's connections before the database goes
  if (pg != nullptr) PQfinish(pg);
  database.Finish();
  return 0;
}

}  // namespace
}  // namespace rampart::bench

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows when piped
  return rampart::bench::Run(rampart::bench::ParseOptions(argc, argv));
}

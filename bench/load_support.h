// What the load benchmarks share (list_load, risk_load): timing and percentiles, dying with a
// message, a database of their own on a PostgreSQL cluster, the server in the benchmark's process
// and a client for it, the common command line, CPU time and load average, timed requests (one, a
// series, throughput), and query plans. Header-only: each benchmark is one program.
#pragma once

#include <errno.h>
#include <fmt/format.h>
#include <httplib.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/services.h"
#include "base/clock.h"
#include "http/server.h"
#include "store/store.h"

namespace rampart::bench {

using domain::Json;
using SteadyClock = std::chrono::steady_clock;

// VmRSS (or another Vm* line) of a process in KiB, from /proc/<pid>/status.
inline long VmKb(const std::string& pid, const std::string& key) {
  std::ifstream in("/proc/" + pid + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) return std::atol(line.c_str() + key.size() + 1);
  }
  return -1;
}

inline double MsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

[[noreturn]] inline void Die(const std::string& what) {
  fmt::print(stderr, "{}: {}\n", program_invocation_short_name, what);
  std::exit(1);
}

template <typename T>
T Check(Result<T> r, const char* what) {
  if (!r.ok()) Die(fmt::format("{}: {}", what, r.status().message()));
  return std::move(r).value();
}

struct Percentiles {
  size_t n = 0;
  double p50 = 0, p90 = 0, p95 = 0, p99 = 0, max = 0, mean = 0;
};

inline Percentiles Summarise(std::vector<double> v) {
  Percentiles p;
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<size_t>(q * v.size()))]; };
  p.n = v.size();
  p.p50 = at(0.50);
  p.p90 = at(0.90);
  p.p95 = at(0.95);
  p.p99 = at(0.99);
  p.max = v.back();
  double sum = 0;
  for (double x : v) sum += x;
  p.mean = sum / static_cast<double>(v.size());
  return p;
}

inline Json ToJson(const Percentiles& p) {
  return {{"n", p.n},     {"p50", p.p50}, {"p90", p.p90},  {"p95", p.p95},
          {"p99", p.p99}, {"max", p.max}, {"mean", p.mean}};
}

// ---------------------------------------------------------------------------------------------
// Command line.

// What every load benchmark takes; each benchmark's Options adds its own and sets its defaults.
struct RunOptions {
  int batch = 5000;    // mutations per seeding transaction
  int requests = 200;  // per measured request
  int warmup = 20;
  int threads = 4;        // throughput clients
  double seconds = 2.0;   // per throughput run
  std::string keep_db;    // keep the SQLite database at this path (for sqlite3 / rampart serve)
  bool postgres = false;  // --backend postgres (or --pg-url alone)
  std::string pg_url;     // the cluster: a libpq keyword string or postgresql:// URI
};

// Reads the command line into `o`: the common options here, the benchmark's own through `own`
// (the option's name and a reader of its value; false: not one of them, so `usage`), then checks
// the backend options and bounds the common numbers.
inline void ParseRunOptions(
    int argc, char** argv, RunOptions& o,
    const std::function<bool(const std::string&, const std::function<std::string()>&)>& own,
    const std::string& usage) {
  bool backend_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const std::function<std::string()> next = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value after " + a);
      return argv[++i];
    };
    if (a == "--batch") {
      o.batch = std::atoi(next().c_str());
    } else if (a == "--requests") {
      o.requests = std::atoi(next().c_str());
    } else if (a == "--warmup") {
      o.warmup = std::atoi(next().c_str());
    } else if (a == "--threads") {
      o.threads = std::atoi(next().c_str());
    } else if (a == "--seconds") {
      o.seconds = std::atof(next().c_str());
    } else if (a == "--keep-db") {
      o.keep_db = next();
    } else if (a == "--backend") {
      const std::string b = next();
      if (b != "sqlite" && b != "postgres") Die("--backend is sqlite or postgres");
      o.postgres = b == "postgres";
      backend_given = true;
    } else if (a == "--pg-url") {
      o.pg_url = next();
    } else if (!own(a, next)) {
      Die("usage: " + usage);
    }
  }
  if (!o.pg_url.empty() && !backend_given) o.postgres = true;  // --pg-url alone: PostgreSQL
  if (o.postgres && o.pg_url.empty()) {
    Die("--backend postgres needs --pg-url URL (a cluster to create the benchmark's database on, "
        "e.g. from scripts/pg-test-cluster.sh start DIR)");
  }
  if (!o.postgres && !o.pg_url.empty()) Die("--pg-url is for --backend postgres");
  if (o.postgres && !o.keep_db.empty()) Die("--keep-db is for SQLite");
  o.batch = std::clamp(o.batch, 1, 100'000);
  o.requests = std::clamp(o.requests, 5, 1'000'000);
  o.warmup = std::clamp(o.warmup, 0, 1'000'000);
  o.threads = std::clamp(o.threads, 1, 64);
  o.seconds = std::clamp(o.seconds, 0.1, 120.0);
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: a database of the benchmark's own on the cluster that --pg-url names.

// A libpq connection; dies when there is none.
inline PGconn* PgConnect(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) Die("libpq: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    Die(fmt::format("cannot connect to PostgreSQL ({}): {}", conninfo, message));
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return conn;
}

// The rows of one statement as text (NULL as ""), with text parameters; an error is returned
// in `error` (and no rows).
inline std::vector<std::vector<std::string>> PgQuery(PGconn* conn, const std::string& sql,
                                                     const std::vector<std::string>& params,
                                                     std::string* error = nullptr) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  PGresult* res = PQexecParams(conn, sql.c_str(), static_cast<int>(params.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
  std::vector<std::vector<std::string>> rows;
  const auto status = PQresultStatus(res);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    std::string message = PQresultErrorMessage(res);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    PQclear(res);
    if (error == nullptr) Die(fmt::format("PostgreSQL: {}: {}", sql, message));
    *error = message;
    return rows;
  }
  for (int r = 0; r < PQntuples(res); ++r) {
    std::vector<std::string> row;
    for (int c = 0; c < PQnfields(res); ++c) row.emplace_back(PQgetvalue(res, r, c));
    rows.push_back(std::move(row));
  }
  PQclear(res);
  return rows;
}

// `?` placeholders to `$1`, `$2`, ... outside quoted literals, as the PostgreSQL driver does.
inline std::string Numbered(const std::string& sql) {
  std::string out;
  int n = 0;
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) {
      out += '$' + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

// CREATE DATABASE on the cluster, DROP DATABASE ... WITH (FORCE) at the end. Drop() also runs
// from atexit, so a run that dies half-way (Die) leaves no database behind.
class PgDatabase {
 public:
  explicit PgDatabase(std::string cluster_url) : cluster_url_(std::move(cluster_url)) {
    name_ = fmt::format("rampart_bench_{}_{}", getpid(), time(nullptr));
    PGconn* conn = PgConnect(cluster_url_);
    server_version_ = PQparameterStatus(conn, "server_version") != nullptr
                          ? PQparameterStatus(conn, "server_version")
                          : "";
    (void)PgQuery(conn, "CREATE DATABASE " + Quoted(conn), {});
    PQfinish(conn);
    auto url = store::PostgresUrlWithDatabase(cluster_url_, name_);
    if (!url.ok()) Die("--pg-url: " + url.status().message());
    url_ = *url;
    created_ = true;
  }
  ~PgDatabase() { Drop(); }
  PgDatabase(const PgDatabase&) = delete;
  PgDatabase& operator=(const PgDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  const std::string& server_version() const { return server_version_; }

  void Drop() {
    if (!created_) return;
    created_ = false;
    PGconn* conn = PQconnectdb(cluster_url_.c_str());
    if (conn != nullptr && PQstatus(conn) == CONNECTION_OK) {
      std::string error;
      (void)PgQuery(conn, "DROP DATABASE IF EXISTS " + Quoted(conn) + " WITH (FORCE)", {}, &error);
      if (!error.empty())
        fmt::print(stderr, "{}: could not drop {}: {}\n", program_invocation_short_name, name_,
                   error);
    } else {
      fmt::print(stderr, "{}: could not drop database {}: no connection\n",
                 program_invocation_short_name, name_);
    }
    PQfinish(conn);
  }

 private:
  std::string Quoted(PGconn* conn) const {
    char* id = PQescapeIdentifier(conn, name_.c_str(), name_.size());
    std::string out = id != nullptr ? id : name_;
    PQfreemem(id);
    return out;
  }

  std::string cluster_url_, name_, url_, server_version_;
  bool created_ = false;
};

inline PgDatabase* g_pg_database = nullptr;  // dropped by atexit when the program dies half-way

// The benchmark's database: a fresh one on the PostgreSQL cluster (dropped by Finish(), or at
// exit when the run dies half-way), or a SQLite file in a temporary directory (at --keep-db
// instead: replaced at the start and kept). Finish() once the server has closed its connections.
class BenchDatabase {
 public:
  explicit BenchDatabase(const RunOptions& o) : keep_(!o.keep_db.empty()) {
    if (o.postgres) {
      pg_ = std::make_unique<PgDatabase>(o.pg_url);
      g_pg_database = pg_.get();
      std::atexit([] {
        if (g_pg_database != nullptr) g_pg_database->Drop();
      });
      url_ = pg_->url();
      return;
    }
    char tmpl[] = "/tmp/rampart-bench-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) Die("cannot create a temporary directory");
    dir_ = tmpl;
    url_ = keep_ ? o.keep_db : dir_ + "/bench.db";
    if (keep_) {
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(url_ + suffix);
    }
  }
  BenchDatabase(const BenchDatabase&) = delete;
  BenchDatabase& operator=(const BenchDatabase&) = delete;

  // What the store opens: a SQLite path or a PostgreSQL URL.
  const std::string& url() const { return url_; }
  // The PostgreSQL database; nullptr on SQLite.
  const PgDatabase* postgres() const { return pg_.get(); }

  void Finish() {
    if (pg_ != nullptr) {
      pg_->Drop();
      g_pg_database = nullptr;
    } else if (!dir_.empty()) {
      if (keep_) {
        std::filesystem::remove(dir_);
      } else {
        std::filesystem::remove_all(dir_);
      }
      dir_.clear();
    }
  }

 private:
  bool keep_;
  std::unique_ptr<PgDatabase> pg_;
  std::string dir_, url_;
};

// ---------------------------------------------------------------------------------------------
// The organisation a benchmark seeds and reads.

struct BenchTenant {
  std::string token;     // an API token of the writing user
  store::Actor actor;    // who writes the seed
  int64_t admin_id = 0;  // the administrator `rampart init` created (owns nothing)
};

// Initialises the organisation "Bench Ltd" on a migrated store, adds the administrator "bench"
// (no password to change, so its token may write) and an API token named `program`.
inline BenchTenant SetUpTenant(store::Store& st, app::Services& services, const Clock& clock,
                               const std::string& program) {
  BenchTenant t;
  auto init = Check(services.auth.Initialise("Bench Ltd"), "initialising");
  auto user =
      Check(services.members.AddUser("", app::NewMember{.username = "bench",
                                                        .role = domain::Role::kAdmin,
                                                        .password = "load-test-password-not-"
                                                                    "secret"}),
            "adding the user")
          .user;
  t.token =
      Check(services.members.CreateToken("bench", "", program, false, ""), "creating a token");
  t.admin_id = Check(st.FindUser(init.username), "finding the administrator").id;
  t.actor = store::Actor{.org_id = init.org.id,
                         .user_id = user.id,
                         .username = user.username,
                         .now = FormatUtc(clock.Now())};
  return t;
}

// ---------------------------------------------------------------------------------------------
// The server in this process.

class Instance {
 public:
  // Opens the store, migrates, wires the services and serves on a free loopback port.
  explicit Instance(const std::string& db) {
    store_ = Check(store::OpenStore(db), "opening the store");
    (void)Check(store_->Migrate(), "migrating");
    services_ = std::make_unique<app::Services>(*store_, clock_);
    server_ = std::make_unique<http::Server>(
        *services_, http::ServerOptions{.host = "127.0.0.1", .port = 0, .server_timing = true});
    port_ = Check(server_->Bind(), "binding");
    thread_ = std::thread([this] {
      Status st = server_->Run();
      if (!st.ok())
        fmt::print(stderr, "{}: server stopped: {}\n", program_invocation_short_name, st.message());
    });
  }
  ~Instance() {
    server_->Stop();
    thread_.join();
  }
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  int port() const { return port_; }
  store::Store& store() { return *store_; }
  app::Services& services() { return *services_; }

 private:
  SystemClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<app::Services> services_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

inline std::unique_ptr<httplib::Client> NewClient(int port, int read_timeout_s = 30) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
  c->set_keep_alive(true);
  c->set_tcp_nodelay(true);
  c->set_connection_timeout(5, 0);
  c->set_read_timeout(read_timeout_s, 0);
  return c;
}

// Polls /healthz until it answers 200 (at most ~5 s); returns false if it never does.
inline bool WaitHealthy(int port) {
  auto c = NewClient(port);
  for (int i = 0; i < 5000; ++i) {
    auto res = c->Get("/healthz");
    if (res && res->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

inline double CpuMs(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

inline std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

// ---------------------------------------------------------------------------------------------
// Requests: one timed, a series of them, throughput.

struct Sample {
  double client_ms = 0;
  double server_ms = -1;  // from Server-Timing; -1 when absent (/healthz)
  size_t bytes = 0;
  std::string body;
};

// One GET; dies on a transport error or a non-200 status, so a broken run cannot pass as fast.
inline Sample Fetch(httplib::Client& c, const std::string& path, const httplib::Headers& headers,
                    bool keep_body = false) {
  const auto start = SteadyClock::now();
  auto res = c.Get(path.c_str(), headers);
  Sample s;
  s.client_ms = MsSince(start);
  if (!res) Die(fmt::format("GET {}: {}", path, httplib::to_string(res.error())));
  if (res->status != 200) Die(fmt::format("GET {}: status {}: {}", path, res->status, res->body));
  const std::string timing = res->get_header_value("Server-Timing");
  const auto dur = timing.find("dur=");
  if (dur != std::string::npos) s.server_ms = std::atof(timing.c_str() + dur + 4);
  s.bytes = res->body.size();
  if (keep_body) s.body = std::move(res->body);
  return s;
}

struct Series {
  std::string name, path;  // as the report shows it; the request
  Percentiles client, server;
  double bytes = 0;
  double statements = 0;  // SQL statements per request
};

inline Series Measure(httplib::Client& c, store::Store& st, const std::string& path,
                      const httplib::Headers& h, int warmup, int n) {
  for (int i = 0; i < warmup; ++i) (void)Fetch(c, path, h);
  std::vector<double> client, server;
  client.reserve(n);
  server.reserve(n);
  size_t bytes = 0;
  const uint64_t statements_before = st.StatementCount();
  for (int i = 0; i < n; ++i) {
    Sample s = Fetch(c, path, h);
    client.push_back(s.client_ms);
    if (s.server_ms >= 0) server.push_back(s.server_ms);
    bytes += s.bytes;
  }
  Series out;
  out.path = path;
  out.client = Summarise(std::move(client));
  out.server = Summarise(std::move(server));
  out.bytes = static_cast<double>(bytes) / n;
  out.statements = static_cast<double>(st.StatementCount() - statements_before) / n;
  return out;
}

struct Rate {
  double rps = 0;
  double cpu_us = 0;         // CPU time of the whole process (server and clients) per request
  double server_cpu_us = 0;  // the same without the client threads' own CPU time
  double db_cpu_us = -1;     // CPU time of the PostgreSQL server's processes; -1: not measured
};

// Requests per second with `threads` keep-alive clients hammering `path` for `seconds`, and the
// CPU time spent per request, split into clients' and everything else (the server). With
// `db_cpu_ms`, also the CPU time of the database server's processes (PostgreSQL), which this
// process's clock does not include.
inline Rate Throughput(int port, const std::string& path, const httplib::Headers& h, int threads,
                       double seconds, const std::function<double()>& db_cpu_ms = nullptr) {
  std::atomic<long> done{0};
  std::atomic<bool> failed{false};
  std::string failure;  // the first failed request's status or error
  std::mutex failure_mu;
  std::vector<double> client_cpu_ms(static_cast<size_t>(threads), 0.0);
  const auto deadline = SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                                                 std::chrono::duration<double>(seconds));
  std::vector<std::thread> pool;
  const auto start = SteadyClock::now();
  const double cpu_start = CpuMs(CLOCK_PROCESS_CPUTIME_ID);
  const double db_start = db_cpu_ms ? db_cpu_ms() : -1;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      auto c = NewClient(port);
      long mine = 0;
      while (SteadyClock::now() < deadline) {
        auto res = c->Get(path.c_str(), h);
        if (!res || res->status != 200) {
          const std::lock_guard lock(failure_mu);
          if (!failed.exchange(true)) {
            failure =
                res ? "status " + std::to_string(res->status) : httplib::to_string(res.error());
          }
          break;
        }
        ++mine;
      }
      done += mine;
      client_cpu_ms[static_cast<size_t>(t)] = CpuMs(CLOCK_THREAD_CPUTIME_ID);
    });
  }
  for (auto& t : pool) t.join();
  const double cpu_ms = CpuMs(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
  const double elapsed_s = MsSince(start) / 1000.0;
  const double db_ms = db_start >= 0 ? db_cpu_ms() - db_start : -1;
  if (failed) Die("a request failed during the throughput run of " + path + ": " + failure);
  double clients_ms = 0;
  for (double c : client_cpu_ms) clients_ms += c;
  const double n = static_cast<double>(done.load());
  return Rate{.rps = n / elapsed_s,
              .cpu_us = cpu_ms * 1000.0 / n,
              .server_cpu_us = (cpu_ms - clients_ms) * 1000.0 / n,
              .db_cpu_us = db_ms >= 0 ? db_ms * 1000.0 / n : -1};
}

// ---------------------------------------------------------------------------------------------
// Query plans.

inline std::vector<std::string> Plan(sqlite3* db, const std::string& sql) {
  std::vector<std::string> out;
  sqlite3_stmt* st = nullptr;
  const std::string q = "EXPLAIN QUERY PLAN " + sql;
  if (sqlite3_prepare_v2(db, q.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    out.push_back(std::string("error: ") + sqlite3_errmsg(db));
    return out;
  }
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 3)));
  }
  sqlite3_finalize(st);
  return out;
}

// EXPLAIN (ANALYZE, BUFFERS, COSTS OFF): the plan PostgreSQL picks for these parameter values
// (libpq's unnamed statements, as the store sends them, are planned for their values), run once.
inline std::vector<std::string> Plan(PGconn* conn, const std::string& sql,
                                     const std::vector<std::string>& params) {
  std::string error;
  const auto rows =
      PgQuery(conn, "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + Numbered(sql), params, &error);
  if (!error.empty()) return {"error: " + error};
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r[0]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Seeding through the store.

// Writes the mutations in batches of `batch`; returns the records written and adds the seconds
// spent in Store::Write to `write_s`.
inline std::vector<domain::Record> WriteAll(store::Store& st, const store::Actor& actor,
                                            std::vector<store::Mutation>& ms, int batch,
                                            double& write_s) {
  std::vector<domain::Record> out;
  out.reserve(ms.size());
  for (size_t done = 0; done < ms.size();) {
    const size_t n = std::min(static_cast<size_t>(batch), ms.size() - done);
    std::vector<store::Mutation> part(std::make_move_iterator(ms.begin() + done),
                                      std::make_move_iterator(ms.begin() + done + n));
    const auto t0 = SteadyClock::now();
    auto written = Check(st.Write(actor, part), "writing a batch");
    write_s += MsSince(t0) / 1000.0;
    for (auto& r : written) out.push_back(std::move(r));
    done += n;
  }
  ms.clear();
  return out;
}

// The record as the API would store it: validated and normalised (every field present, defaults
// applied); dies on a field error, so the seed cannot drift from the register's rules.
inline domain::Json Normalised(const domain::RegisterSpec& spec, const domain::Json& input) {
  std::vector<domain::FieldError> errors;
  domain::Json fields =
      domain::ValidateFields(spec, input, domain::WriteMode::kCreate, nullptr, errors);
  if (!errors.empty()) {
    Die(fmt::format("seeding a {}: {}: {} ({})", spec.type, errors.front().field,
                    errors.front().message, input.dump()));
  }
  return fields;
}

// The insert of a new record with its audit diff.
inline store::Mutation Insert(const domain::RegisterSpec& spec, domain::Json fields) {
  domain::Json diff = domain::DiffFields(spec, domain::Json(), fields);
  return {.kind = store::Mutation::Kind::kInsert,
          .spec = &spec,
          .fields = std::move(fields),
          .action = "create",
          .diff = std::move(diff)};
}

}  // namespace rampart::bench

// What the load benchmarks share (list_load, risk_load): timing and percentiles, dying with a
// message, a database of their own on a PostgreSQL cluster, the server in the benchmark's process
// and a client for it, CPU time and load average, and query plans. Header-only: each benchmark
// is one program.
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
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
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

// ---------------------------------------------------------------------------------------------
// The server in this process.

class Instance {
 public:
  // Opens the store, migrates, wires the services and serves on a free loopback port.
  explicit Instance(const std::string& db) {
    store_ = Check(store::OpenStore(db), "opening the store");
    (void)Check(store_->Migrate(), "migrating");
    services_ = std::make_unique<app::Services>(*store_, clock_);
    server_ = std::make_unique<http::Server>(*services_,
                                             http::ServerOptions{.host = "127.0.0.1", .port = 0});
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

}  // namespace rampart::bench

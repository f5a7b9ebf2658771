#include "support/test_backend.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <optional>
#include <random>
#include <string_view>
#include <utility>
#include <vector>

#include "support/test_store.h"  // TempDatabase

namespace rampart::test {
namespace {

constexpr const char* kPgUrlVariable = "RAMPART_TEST_PG_URL";

// --- SQLite: a temporary file ---

class SqliteDatabase final : public BackendDatabase {
 public:
  ~SqliteDatabase() override { sqlite3_close_v2(raw_); }  // before TempDatabase removes the file

  Backend backend() const override { return Backend::kSqlite; }
  const std::string& url() const override { return file_.path(); }

  RawResult Exec(const std::string& sql) override {
    sqlite3* db = Raw();
    if (db == nullptr) return {RawResult::Outcome::kError, "no raw connection"};
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    RawResult out;
    if (rc != SQLITE_OK) {
      out.outcome = (rc & 0xff) == SQLITE_CONSTRAINT ? RawResult::Outcome::kRefused
                                                     : RawResult::Outcome::kError;
      out.message = error != nullptr ? error : sqlite3_errstr(rc);
    }
    sqlite3_free(error);
    return out;
  }

  int64_t QueryInt(const std::string& sql) override {
    sqlite3* db = Raw();
    if (db == nullptr) return -1;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot prepare " << sql << ": " << sqlite3_errmsg(db);
      return -1;
    }
    int64_t value = -1;
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      value = sqlite3_column_int64(st, 0);
    } else if (rc != SQLITE_DONE) {
      ADD_FAILURE() << "cannot run " << sql << ": " << sqlite3_errmsg(db);
    }
    sqlite3_finalize(st);
    return value;
  }

 private:
  // Opened at first use, creating the file if no Store has yet: the database is empty either way.
  sqlite3* Raw() {
    if (raw_ == nullptr) {
      if (sqlite3_open_v2(file_.path().c_str(), &raw_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                          nullptr) != SQLITE_OK) {
        ADD_FAILURE() << "cannot open " << file_.path() << ": " << sqlite3_errmsg(raw_);
        sqlite3_close_v2(raw_);
        raw_ = nullptr;
        return nullptr;
      }
      sqlite3_busy_timeout(raw_, 10000);
    }
    return raw_;
  }

  TempDatabase file_;
  sqlite3* raw_ = nullptr;
};

// --- PostgreSQL: a database of its own on the test cluster ---

void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

// An open libpq connection, or the reason there is none.
Result<PGconn*> Connect(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) return Unavailable("libpq: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    return Unavailable(fmt::format("cannot connect to PostgreSQL ({}): {}", conninfo, message));
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  return conn;
}

// Runs a statement that returns no rows; the error message, if it fails.
std::optional<std::string> Command(PGconn* conn, const std::string& sql) {
  PGresult* res = PQexec(conn, sql.c_str());
  std::optional<std::string> error;
  if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
    error = res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn);
  }
  PQclear(res);
  return error;
}

class PostgresDatabase final : public BackendDatabase {
 public:
  static Result<std::unique_ptr<BackendDatabase>> Create() {
    const char* base = std::getenv(kPgUrlVariable);
    if (base == nullptr || *base == '\0') {
      return FailedPrecondition(fmt::format(
          "{} is not set, so the PostgreSQL backend cannot be tested. Run `make test`, or start a "
          "cluster with `scripts/pg-test-cluster.sh start DIR` and set {} to what it prints "
          "(stop it with `scripts/pg-test-cluster.sh stop DIR`). To test only SQLite, run "
          "--gtest_filter='*/sqlite'.",
          kPgUrlVariable, kPgUrlVariable));
    }
    std::random_device random;
    const std::string name =
        fmt::format("rampart_t_{}_{:08x}{:08x}", ::getpid(), random(), random());
    auto url = store::PostgresUrlWithDatabase(base, name);
    if (!url.ok()) {
      return InvalidArgument(fmt::format("{}: {}", kPgUrlVariable, url.status().message()));
    }
    ASSIGN_OR_RETURN(PGconn * admin, Connect(base));
    if (auto error = Command(admin, "CREATE DATABASE " + name)) {
      PQfinish(admin);
      return Unavailable(fmt::format("cannot create database {}: {}", name, *error));
    }
    return std::unique_ptr<BackendDatabase>(
        new PostgresDatabase(admin, name, std::move(url).value()));
  }

  ~PostgresDatabase() override {
    if (raw_ != nullptr) PQfinish(raw_);
    // FORCE: a connection some test left open (a leaked Store) must not keep the database.
    const std::string drop = "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)";
    auto error = Command(admin_, drop);
    if (error && PQstatus(admin_) != CONNECTION_OK) {
      // The server restarted since the database was created (tests/api/instances_test.cc), which
      // libpq notices only now: connect again.
      PQreset(admin_);
      error = Command(admin_, drop);
    }
    if (error) ADD_FAILURE() << "cannot drop test database " << name_ << ": " << *error;
    PQfinish(admin_);
  }

  Backend backend() const override { return Backend::kPostgres; }
  const std::string& url() const override { return url_; }

  RawResult Exec(const std::string& sql) override {
    PGconn* conn = Raw();
    if (conn == nullptr) return {RawResult::Outcome::kError, "no raw connection"};
    PGresult* res = PQexec(conn, sql.c_str());
    const ExecStatusType status = PQresultStatus(res);
    RawResult out;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
      const std::string_view sqlstate = state != nullptr ? state : "";
      out.outcome = sqlstate.substr(0, 2) == "23" || sqlstate == "P0001"
                        ? RawResult::Outcome::kRefused
                        : RawResult::Outcome::kError;
      out.message = res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn);
      while (!out.message.empty() && std::isspace(static_cast<unsigned char>(out.message.back()))) {
        out.message.pop_back();
      }
      if (!sqlstate.empty()) out.message += fmt::format(" (SQLSTATE {})", sqlstate);
    }
    PQclear(res);
    return out;
  }

  int64_t QueryInt(const std::string& sql) override {
    PGconn* conn = Raw();
    if (conn == nullptr) return -1;
    PGresult* res = PQexec(conn, sql.c_str());
    int64_t value = -1;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
      ADD_FAILURE() << "cannot run " << sql << ": "
                    << (res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn));
    } else if (PQntuples(res) > 0) {
      value = PQgetisnull(res, 0, 0) != 0 ? 0 : std::strtoll(PQgetvalue(res, 0, 0), nullptr, 10);
    }
    PQclear(res);
    return value;
  }

 private:
  PostgresDatabase(PGconn* admin, std::string name, std::string url)
      : admin_(admin), name_(std::move(name)), url_(std::move(url)) {}

  PGconn* Raw() {
    if (raw_ == nullptr) {
      auto conn = Connect(url_);
      if (!conn.ok()) {
        ADD_FAILURE() << conn.status().ToString();
        return nullptr;
      }
      raw_ = *conn;
    }
    return raw_;
  }

  PGconn* admin_;  // to the RAMPART_TEST_PG_URL database: created this one, drops it
  std::string name_;
  std::string url_;
  PGconn* raw_ = nullptr;
};

}  // namespace

std::string BackendName(Backend backend) {
  switch (backend) {
    case Backend::kSqlite:
      return "sqlite";
    case Backend::kPostgres:
      return "postgres";
  }
  return "unknown";
}

void PrintTo(RawResult::Outcome outcome, std::ostream* os) {
  switch (outcome) {
    case RawResult::Outcome::kOk:
      *os << "ok";
      return;
    case RawResult::Outcome::kRefused:
      *os << "refused";
      return;
    case RawResult::Outcome::kError:
      *os << "error";
      return;
  }
}

void PrintTo(const RawResult& result, std::ostream* os) {
  PrintTo(result.outcome, os);
  if (!result.message.empty()) *os << ": " << result.message;
}

Result<std::unique_ptr<BackendDatabase>> BackendDatabase::Create(Backend backend) {
  switch (backend) {
    case Backend::kSqlite:
      return std::unique_ptr<BackendDatabase>(std::make_unique<SqliteDatabase>());
    case Backend::kPostgres:
      return PostgresDatabase::Create();
  }
  return InvalidArgument("unknown backend");
}

std::string UnreachableUrl(Backend backend) {
  switch (backend) {
    case Backend::kSqlite:
      return "/nonexistent-directory/sub/rampart.db";
    case Backend::kPostgres:
      return "host=/nonexistent-directory/sub dbname=rampart user=postgres";
  }
  return "";
}

}  // namespace rampart::test

// The store backends under test: a fresh, empty database on each for every test, and a raw
// connection beside the Store for what the Store must not allow or cannot do.
//
// SQLite needs nothing. PostgreSQL needs a running cluster named by the environment variable
// RAMPART_TEST_PG_URL (a libpq connection string or URI of a database on it, whose user may
// create databases); `make test` starts one with scripts/pg-test-cluster.sh. Without it every
// PostgreSQL test fails, saying so: the suite never skips a backend silently.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "base/status.h"

namespace rampart::test {

enum class Backend { kSqlite, kPostgres };

// "sqlite", "postgres": the suffix of each contract test's name (…/StoreContractTest.X/sqlite).
std::string BackendName(Backend backend);
inline void PrintTo(Backend backend, std::ostream* os) { *os << BackendName(backend); }

// What became of a raw SQL statement.
struct RawResult {
  enum class Outcome {
    kOk,
    // A constraint or a trigger refused it: SQLITE_CONSTRAINT (which RAISE(ABORT) in a trigger
    // gives); on PostgreSQL SQLSTATE class 23 (integrity constraint violation) or P0001 (RAISE
    // EXCEPTION in a trigger).
    kRefused,
    kError,  // anything else: a syntax error, a missing table, a lost connection
  };
  Outcome outcome = Outcome::kOk;
  std::string message;  // the database's error message; empty when kOk
};
void PrintTo(RawResult::Outcome outcome, std::ostream* os);
void PrintTo(const RawResult& result, std::ostream* os);

// A fresh, empty database, removed when this object is destroyed (destroy every Store opened on
// it first). SQLite: a temporary file (TempDatabase). PostgreSQL: a database named
// rampart_t_<pid>_<random> created on the RAMPART_TEST_PG_URL cluster, dropped WITH (FORCE).
// Not thread-safe: use it from the test's thread.
class BackendDatabase {
 public:
  // Errors: kFailedPrecondition when RAMPART_TEST_PG_URL is unset; kUnavailable when the cluster
  // cannot be reached or the database cannot be created.
  static Result<std::unique_ptr<BackendDatabase>> Create(Backend backend);
  virtual ~BackendDatabase() = default;
  BackendDatabase(const BackendDatabase&) = delete;
  BackendDatabase& operator=(const BackendDatabase&) = delete;

  virtual Backend backend() const = 0;
  // What store::OpenStore takes to open this database: the file's path; a libpq keyword string.
  virtual const std::string& url() const = 0;
  // Runs `sql` (one statement or several) on the raw connection, opened at first use and kept
  // open until destruction; autocommit.
  virtual RawResult Exec(const std::string& sql) = 0;
  // The first column of the first row of `sql` as an integer (NULL reads as 0), or -1 when there
  // is no row; an error fails the test and returns -1.
  virtual int64_t QueryInt(const std::string& sql) = 0;

 protected:
  BackendDatabase() = default;
};

// A URL of `backend` that OpenStore cannot open: a file in a missing directory; a server whose
// socket directory does not exist.
std::string UnreachableUrl(Backend backend);

}  // namespace rampart::test

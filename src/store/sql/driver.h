// What the SQL store needs from a database library: connections that run parameterised
// statements and return rows, plus the few places where SQL dialects differ. One driver per
// backend (sqlite/, postgres/); everything else about storing an ISMS lives once, in SqlStore.
//
// Statements are written with `?` placeholders; a driver rewrites them for its library. Values
// are bound as SqlValue; booleans become 0/1 in SQLite and true/false in PostgreSQL.
// A connection is used by one thread at a time; a driver is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "base/status.h"
#include "store/migrations.h"

namespace rampart::store {

// Binary content: a BLOB in SQLite, bytea in PostgreSQL (text parameters cannot hold every byte).
struct SqlBlob {
  std::string bytes;
};

using SqlValue = std::variant<std::monostate, int64_t, bool, std::string, SqlBlob>;

// The rows of one statement, read front to back.
class SqlRows {
 public:
  virtual ~SqlRows() = default;
  // Moves to the next row: true when there is one.
  virtual Result<bool> Next() = 0;
  virtual bool IsNull(int col) const = 0;
  virtual int64_t Int(int col) const = 0;
  virtual bool Bool(int col) const = 0;
  virtual std::string Text(int col) const = 0;
  // The bytes of a BLOB / bytea column.
  virtual std::string Blob(int col) const = 0;
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  // Runs `sql` (one or more statements, no parameters).
  virtual Status Exec(const std::string& sql) = 0;
  // Runs one statement with parameters. Errors map to Status codes: a unique violation is
  // kAlreadyExists, a foreign-key, check or not-null violation kInvalidArgument, a lost
  // connection kUnavailable.
  virtual Result<std::unique_ptr<SqlRows>> Query(const std::string& sql,
                                                 const std::vector<SqlValue>& params) = 0;
  // Starts a transaction that serialises with every other writer (of every instance).
  virtual Status BeginWrite() = 0;
  // Starts a read-only transaction with a consistent snapshot.
  virtual Status BeginRead() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  // False when the connection is broken and must not be reused.
  virtual bool Healthy() const = 0;
  // True when the last statement failed only because of a concurrent transaction (a
  // serialization failure or deadlock): running the whole transaction again may succeed.
  virtual bool LastErrorRetryable() const = 0;
};

class SqlDriver {
 public:
  virtual ~SqlDriver() = default;
  virtual Result<std::unique_ptr<SqlConnection>> Connect() = 0;
  // Migrations of this dialect, ascending.
  virtual const std::vector<Migration>& Migrations() const = 0;
  // Held around Migrate(): several instances starting at once migrate one after the other.
  virtual Status LockMigrations(SqlConnection& conn) = 0;
  virtual Status UnlockMigrations(SqlConnection& conn) = 0;
  virtual Result<bool> ColumnExists(SqlConnection& conn, const std::string& table,
                                    const std::string& column) = 0;
  // The condition that `fields` of `table` contain `text` (case-insensitive), appending its
  // parameters; uses the dialect's text index.
  virtual std::string SearchCondition(const std::string& table,
                                      const std::vector<std::string>& fields,
                                      const std::string& text,
                                      std::vector<SqlValue>& params) const = 0;
  // Checks run after migrating (e.g. that each register's search index covers its fields).
  virtual Status CheckSchema(SqlConnection& conn) = 0;
  // After rows were inserted with explicit ids (copying an installation): makes the table's
  // next generated id follow the highest one.
  virtual Status ResetIdentity(SqlConnection& conn, const std::string& table) = 0;
  // Counts statements for Store::StatementCount.
  void SetStatementCounter(std::function<void()> counter) { count_ = std::move(counter); }

 protected:
  void Counted() const {
    if (count_) count_();
  }

 private:
  std::function<void()> count_;
};

// `%`, `_` and `\` escaped for LIKE ... ESCAPE '\'.
std::string EscapeLike(std::string_view s);

}  // namespace rampart::store

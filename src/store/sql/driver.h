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
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"
#include "base/text.h"
#include "store/migrations.h"

namespace rampart::store {

// Binary content: a BLOB in SQLite, bytea in PostgreSQL (text parameters cannot hold every byte).
struct SqlBlob {
  std::string bytes;
};

using SqlValue = std::variant<std::monostate, int64_t, bool, std::string, SqlBlob, double>;

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
  // A REAL / DOUBLE PRECISION column; by default read from its text (0 when that is no number).
  virtual double Real(int col) const { return ParseNumber(Text(col)).value_or(0); }
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

// How a column's values are read and bound when rows move between databases.
enum class ColumnKind { kText, kInt, kBool, kBlob, kReal };

// One column of a table, as the database's own catalogue describes it.
struct CatalogueColumn {
  std::string name;
  ColumnKind kind = ColumnKind::kText;
  // The database generates its values (PostgreSQL identity or serial): after rows are inserted
  // with explicit values, its counter must be moved past them (SqlDriver::ResetIdentity).
  bool generated = false;
};

// A table whose rows belong to an installation.
struct CatalogueTable {
  std::string name;
  std::vector<CatalogueColumn> columns;  // in the table's own order
  std::vector<std::string> primary_key;  // column names in key order; empty when it has none
  std::vector<std::string> references;   // the tables its foreign keys point to (sorted, unique)
};

// A table that exists in the database but is not copied as rows, and why.
struct SkippedTable {
  std::string name;
  std::string reason;
};

// Every table of the database's current schema, split into those holding an installation's rows
// and those that must not be copied as rows (each named with its reason), both sorted by name.
struct Catalogue {
  std::vector<CatalogueTable> tables;
  std::vector<SkippedTable> skipped;
};

// A trigger: the table it fires on and the text of its body (PostgreSQL: its function's).
struct CatalogueTrigger {
  std::string table;
  std::string body;
};

// Moves to `catalogue.skipped` every table that a trigger on another table inserts into (a
// table derived from another, such as the counts of risks per rating): the destination's own
// triggers fill it as the other table's rows are copied, so copying its rows too would count
// them twice. Used by each driver's ReadCatalogue.
void SkipTablesKeptByTriggers(Catalogue& catalogue, const std::vector<CatalogueTrigger>& triggers);

// Why schema_migrations is not copied, on either backend.
inline constexpr const char* kMigrationsNotCopied =
    "the destination's own migrations record which of them it applied (each dialect has its own "
    "migrations)";

// An identifier (read from the database's catalogue) quoted for SQL: "name", inner quotes
// doubled.
std::string QuoteIdentifier(std::string_view name);

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
  // `column` written so that the planner does not pick its index for a condition on it (SQLite:
  // "+column"; PostgreSQL, whose statistics choose well: the column as it is).
  virtual std::string Unindexed(const std::string& column) const = 0;
  // A table of the items of `column` (a JSON array of strings), for a FROM clause: one row per
  // item, its text in the column `items.value`; a null column gives no row.
  virtual std::string ListItems(const std::string& column) const = 0;
  // Checks run after migrating (e.g. that each register's search index covers its fields).
  virtual Status CheckSchema(SqlConnection& conn) = 0;
  // Reads the tables of the current schema and their columns, primary keys and foreign keys
  // from the database's own catalogue (SQLite: sqlite_master and the table_info,
  // foreign_key_list pragmas; PostgreSQL: information_schema and pg_catalog). Errors: those of
  // the connection.
  virtual Result<Catalogue> ReadCatalogue(SqlConnection& conn) = 0;
  // After rows were inserted with explicit values (copying an installation): makes the next
  // value the database generates for `column` of `table` (a column the catalogue marks
  // `generated`) follow the highest one. Both names come from the catalogue.
  virtual Status ResetIdentity(SqlConnection& conn, const std::string& table,
                               const std::string& column) = 0;
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

// The schema of a plain register, derived from its description (domain::RegisterSpec), in both
// SQL dialects; and the migration that brings a database's table in step with a description.
//
// A plain register's table, columns, CHECK constraints, foreign keys, indexes and text-search
// index follow from its fields: `make schema` (src/make_schema.cc) renders them with these
// functions into numbered migration files that are committed like hand-written ones. Nothing here
// runs when Rampart migrates a database: a migration, once written, is history and must give the
// same schema forever, whatever the description says later (docs/architecture.md).
//
// The conventions are those of the hand-written migrations 0002 and 0005:
//   system columns   id, org_id, version, created_at, updated_at, created_by, updated_by
//   kText, kLongText, kEnum   TEXT (PostgreSQL: TEXT COLLATE "C", so text sorts bytewise in both)
//   kDate            TEXT (YYYY-MM-DD) / DATE
//   kBool            INTEGER NOT NULL DEFAULT 0|1 / BOOLEAN NOT NULL DEFAULT false|true
//   kInteger, kUser, kRef     INTEGER / BIGINT; kInteger with bounds: CHECK (x BETWEEN a AND b)
//   kDecimal         REAL / DOUBLE PRECISION; with bounds: CHECK (x BETWEEN a AND b)
//   kList, kTable, kRefs      TEXT / JSONB (JSON; kRefs also as rows of record_links)
//   kEnum            CHECK (x IN ('a', 'b', ...))
//   NOT NULL         required fields, sequences, booleans and the lifecycle's state field
//   kUser            FOREIGN KEY (x, org_id) REFERENCES memberships(user_id, org_id)
//   kRef             FOREIGN KEY (x, org_id) REFERENCES <referred table>(id, org_id)
//   UNIQUE (id, org_id), so that other registers can refer to this one
// Indexes (IndexesOf): (org_id); (org_id, S, id) for the default sort S; (org_id, f, S, id) for
// each filterable field f; (org_id, f, id) for each other sortable field; (org_id, updated_at,
// id) and (org_id, created_at, id). PostgreSQL declares the sorted column NULLS FIRST, the order
// lists use. Lists of references filter through record_links and get no column index. Text
// search: SQLite an FTS5 trigram external-content table <table>_search with three triggers;
// PostgreSQL one pg_trgm GIN index <table>_search.
//
// Identifiers (table, field names) and choices come only from the static descriptions; a name
// that is not a plain lower-case identifier is refused (kInvalidArgument) rather than quoted.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/register.h"

namespace rampart::store {

enum class Dialect { kSqlite, kPostgres };

// An index a register's table should have: `columns` in order, starting with org_id.
struct IndexSpec {
  std::string name;
  std::vector<std::string> columns;
  // A sort index: present only when a live index starts with exactly these columns (a filter
  // index `(org_id, f, S, id)` leads with the same column but cannot give the order `f, id`).
  bool exact = false;
  // The column the index serves (a filter or sort column), or "org_id" for the plain one.
  const std::string& leading() const { return columns.size() > 1 ? columns[1] : columns[0]; }
};

// The column type of a field type in `dialect` ("TEXT", "BIGINT", "JSONB", ...).
std::string ColumnType(domain::FieldType type, Dialect dialect);

// The indexes of `spec`'s table, in the order they are created.
std::vector<IndexSpec> IndexesOf(const domain::RegisterSpec& spec);

// The searchable fields, in the order of the description.
std::vector<std::string> SearchFieldsOf(const domain::RegisterSpec& spec);

// The whole DDL of a new table for `spec`: CREATE TABLE, its indexes and its search index.
// A kRef field's table is that of the register named by `ref` (domain::FindRegisterByType, or
// `spec` itself). Errors: kInvalidArgument for an identifier that is not plain, a kRef to an
// unknown register or a register without fields.
Result<std::string> CreateTableSql(const domain::RegisterSpec& spec, Dialect dialect);

// "CREATE INDEX name ON table(columns);"
std::string CreateIndexSql(const domain::RegisterSpec& spec, const IndexSpec& index,
                           Dialect dialect);

// The search index of `spec` (empty when nothing is searchable). With `replace`, first drops the
// one an earlier migration made (SQLite: its triggers and FTS table; PostgreSQL: the index).
std::string SearchSql(const domain::RegisterSpec& spec, Dialect dialect, bool replace);

// What a database reports about one table (store/sql/schema_inspect.h reads it).
struct LiveColumn {
  std::string name;
  std::string type;  // as declared (SQLite) or information_schema.columns.data_type (PostgreSQL)
  bool not_null = false;
  // The values of a `CHECK (name IN (...))` on the column, when there is one.
  std::optional<std::vector<std::string>> choices;
};
struct LiveIndex {
  std::string name;
  std::vector<std::string> columns;
  bool unique = false;
};
struct LiveTable {
  bool exists = false;
  std::vector<LiveColumn> columns;
  // B-tree indexes, including those of UNIQUE constraints and primary keys.
  std::vector<LiveIndex> indexes;
  // The columns the text-search index covers: SQLite, those of <table>_search when its three
  // triggers exist; PostgreSQL, those of GIN indexes with gin_trgm_ops.
  std::vector<std::string> search;
  const LiveColumn* Column(std::string_view name) const;
  // True when some index has org_id first and `column` second.
  bool HasIndexLeadingWith(std::string_view column) const;
  // True when an index starts with exactly `columns`, in that order.
  bool HasIndexStartingWith(const std::vector<std::string>& columns) const;
  // True when a unique index covers exactly (id, org_id): other tables' composite foreign keys
  // can then refer to it (both databases require a unique key on the referred columns).
  bool IsReferable() const;
};

// What bringing a table in step with its description takes.
struct SchemaChange {
  std::string name;    // the migration's name after its number: "suppliers", "suppliers_schema"
  std::string sqlite;  // the migration's statements, without the header comment
  std::string postgres;
  bool empty() const { return sqlite.empty(); }
};

// The migration that brings `live` (read from SQLite, the reference dialect) in step with
// `spec`: the whole table when it does not exist; otherwise ADD COLUMN for missing columns,
// CREATE INDEX for missing indexes and a new search index when the searchable fields changed.
// What cannot be generated is appended to `problems`, each a sentence naming the register and
// field, and left out of the change: a changed set of choices or column type (SQLite must
// rebuild the table: write that migration by hand), a new required column (existing rows need a
// value) and a new user or reference column (SQLite cannot add a composite foreign key to an
// existing table).
Result<SchemaChange> PlanSchemaChange(const domain::RegisterSpec& spec, const LiveTable& live,
                                      std::vector<std::string>& problems);

// A unique index on (id, org_id) of `table`, for a table made before every register table had
// one (migration 0002), when a new register first refers to it.
std::string ReferableSql(const std::string& table);

// The comment that opens every generated migration file.
std::string GeneratedHeader(const domain::RegisterSpec& spec, Dialect dialect);

}  // namespace rampart::store

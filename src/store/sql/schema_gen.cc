#include "store/sql/schema_gen.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "domain/registers.h"

namespace rampart::store {

using domain::FieldSpec;
using domain::FieldType;
using domain::RegisterSpec;

namespace {

bool IsPlainIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 60 || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// 'value' with quotes doubled: a literal of a choice from a static description.
std::string Quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  return fmt::format("{}", fmt::join(items, sep));
}

// The default sort column without its direction ("" when none).
std::string SortColumn(const RegisterSpec& spec) {
  std::string s = spec.default_sort;
  if (!s.empty() && s[0] == '-') s.erase(0, 1);
  return s;
}

bool IsNotNull(const RegisterSpec& spec, const FieldSpec& f) {
  return f.required || f.sequence || f.type == FieldType::kBool ||
         (spec.lifecycle && spec.lifecycle->field == f.name);
}

// PostgreSQL's reserved key words and those reserved as column names (its documentation's table
// of SQL key words, "reserved" and "reserved (can be function or type)"): unquoted, none can name
// a column ("similar" failed a migration only on PostgreSQL).
bool IsReservedWord(std::string_view name) {
  static const std::set<std::string_view> kReserved = {"all",
                                                       "analyse",
                                                       "analyze",
                                                       "and",
                                                       "any",
                                                       "array",
                                                       "as",
                                                       "asc",
                                                       "asymmetric",
                                                       "authorization",
                                                       "binary",
                                                       "both",
                                                       "case",
                                                       "cast",
                                                       "check",
                                                       "collate",
                                                       "collation",
                                                       "column",
                                                       "concurrently",
                                                       "constraint",
                                                       "create",
                                                       "cross",
                                                       "current_catalog",
                                                       "current_date",
                                                       "current_role",
                                                       "current_schema",
                                                       "current_time",
                                                       "current_timestamp",
                                                       "current_user",
                                                       "default",
                                                       "deferrable",
                                                       "desc",
                                                       "distinct",
                                                       "do",
                                                       "else",
                                                       "end",
                                                       "except",
                                                       "false",
                                                       "fetch",
                                                       "for",
                                                       "foreign",
                                                       "freeze",
                                                       "from",
                                                       "full",
                                                       "grant",
                                                       "group",
                                                       "having",
                                                       "ilike",
                                                       "in",
                                                       "initially",
                                                       "inner",
                                                       "intersect",
                                                       "into",
                                                       "is",
                                                       "isnull",
                                                       "join",
                                                       "lateral",
                                                       "leading",
                                                       "left",
                                                       "like",
                                                       "limit",
                                                       "localtime",
                                                       "localtimestamp",
                                                       "natural",
                                                       "not",
                                                       "notnull",
                                                       "null",
                                                       "offset",
                                                       "on",
                                                       "only",
                                                       "or",
                                                       "order",
                                                       "outer",
                                                       "overlaps",
                                                       "placing",
                                                       "primary",
                                                       "references",
                                                       "returning",
                                                       "right",
                                                       "select",
                                                       "session_user",
                                                       "similar",
                                                       "some",
                                                       "symmetric",
                                                       "table",
                                                       "tablesample",
                                                       "then",
                                                       "to",
                                                       "trailing",
                                                       "true",
                                                       "union",
                                                       "unique",
                                                       "user",
                                                       "using",
                                                       "variadic",
                                                       "verbose",
                                                       "when",
                                                       "where",
                                                       "window",
                                                       "with"};
  return kReserved.contains(name);
}

Status CheckNames(const RegisterSpec& spec) {
  if (!IsPlainIdentifier(spec.table)) {
    return InvalidArgument(fmt::format("register {}: table name \"{}\" is not a plain identifier",
                                       spec.type, spec.table));
  }
  if (spec.fields.empty()) {
    return InvalidArgument(fmt::format("register {} has no fields", spec.type));
  }
  for (const auto& f : spec.fields) {
    if (!IsPlainIdentifier(f.name) || domain::IsSystemField(f.name) || f.name == "org_id" ||
        IsReservedWord(f.name)) {
      return InvalidArgument(
          fmt::format("register {}: field name \"{}\" cannot be a column", spec.type, f.name));
    }
  }
  return Status::Ok();
}

Result<std::string> RefTable(const RegisterSpec& spec, const FieldSpec& f) {
  if (f.ref == spec.type) return spec.table;
  const RegisterSpec* target = domain::FindRegisterByType(f.ref);
  if (target == nullptr || !IsPlainIdentifier(target->table)) {
    return InvalidArgument(fmt::format("register {}: field {} refers to unknown register \"{}\"",
                                       spec.type, f.name, f.ref));
  }
  return target->table;
}

// "name TYPE [NOT NULL] [DEFAULT x] [CHECK (...)]"
std::string ColumnDefinition(const RegisterSpec& spec, const FieldSpec& f, Dialect d) {
  std::string out = f.name + " " + ColumnType(f.type, d);
  if (IsNotNull(spec, f)) out += " NOT NULL";
  if (f.type == FieldType::kBool) {
    const bool on = f.default_value.is_boolean() && f.default_value.get<bool>();
    out += d == Dialect::kSqlite ? (on ? " DEFAULT 1" : " DEFAULT 0")
                                 : (on ? " DEFAULT true" : " DEFAULT false");
  }
  if (f.type == FieldType::kEnum && !f.choices.empty()) {
    std::vector<std::string> values;
    for (const auto& c : f.choices) values.push_back(Quote(c.value));
    out += fmt::format(" CHECK ({} IN ({}))", f.name, Join(values, ", "));
  }
  if ((f.type == FieldType::kInteger || f.type == FieldType::kDecimal) && f.max_value > 0) {
    out += fmt::format(" CHECK ({} BETWEEN {} AND {})", f.name, f.min_value, f.max_value);
  }
  return out;
}

Result<std::string> ForeignKey(const RegisterSpec& spec, const FieldSpec& f) {
  if (f.type == FieldType::kUser) {
    return fmt::format("FOREIGN KEY ({}, org_id) REFERENCES memberships(user_id, org_id)", f.name);
  }
  if (f.type == FieldType::kRef) {
    ASSIGN_OR_RETURN(std::string table, RefTable(spec, f));
    return fmt::format("FOREIGN KEY ({}, org_id) REFERENCES {}(id, org_id)", f.name, table);
  }
  return std::string();
}

std::string SqliteSearch(const RegisterSpec& spec, bool replace) {
  const auto fields = SearchFieldsOf(spec);
  if (fields.empty()) return "";
  const std::string& t = spec.table;
  const std::string cols = Join(fields, ", ");
  std::vector<std::string> news, olds;
  for (const auto& f : fields) {
    news.push_back("new." + f);
    olds.push_back("old." + f);
  }
  const std::string new_values = Join(news, ", ");
  const std::string old_values = Join(olds, ", ");
  std::string out;
  if (replace) {
    out += fmt::format(
        "DROP TRIGGER IF EXISTS {0}_search_insert;\nDROP TRIGGER IF EXISTS {0}_search_delete;\n"
        "DROP TRIGGER IF EXISTS {0}_search_update;\nDROP TABLE IF EXISTS {0}_search;\n",
        t);
  }
  out += fmt::format(
      "CREATE VIRTUAL TABLE {0}_search USING fts5(\n"
      "  {1}, content='{0}', content_rowid='id', tokenize='trigram');\n"
      "CREATE TRIGGER {0}_search_insert AFTER INSERT ON {0} BEGIN\n"
      "  INSERT INTO {0}_search(rowid, {1})\n"
      "  VALUES (new.id, {2});\n"
      "END;\n"
      "CREATE TRIGGER {0}_search_delete AFTER DELETE ON {0} BEGIN\n"
      "  INSERT INTO {0}_search({0}_search, rowid, {1})\n"
      "  VALUES ('delete', old.id, {3});\n"
      "END;\n"
      "CREATE TRIGGER {0}_search_update AFTER UPDATE ON {0} BEGIN\n"
      "  INSERT INTO {0}_search({0}_search, rowid, {1})\n"
      "  VALUES ('delete', old.id, {3});\n"
      "  INSERT INTO {0}_search(rowid, {1})\n"
      "  VALUES (new.id, {2});\n"
      "END;\n"
      "INSERT INTO {0}_search({0}_search) VALUES ('rebuild');\n",
      t, cols, new_values, old_values);
  return out;
}

std::string PostgresSearch(const RegisterSpec& spec, bool replace) {
  const auto fields = SearchFieldsOf(spec);
  if (fields.empty()) return "";
  std::vector<std::string> ops;
  for (const auto& f : fields) ops.push_back(f + " gin_trgm_ops");
  std::string out;
  if (replace) out += fmt::format("DROP INDEX IF EXISTS {}_search;\n", spec.table);
  out += fmt::format("CREATE INDEX {0}_search ON {0}\n  USING gin ({1});\n", spec.table,
                     Join(ops, ", "));
  return out;
}

}  // namespace

std::string ColumnType(FieldType type, Dialect d) {
  const bool lite = d == Dialect::kSqlite;
  switch (type) {
    case FieldType::kText:
    case FieldType::kLongText:
    case FieldType::kEnum:
    case FieldType::kColour:
      return lite ? "TEXT" : "TEXT COLLATE \"C\"";
    case FieldType::kDate:
      return lite ? "TEXT" : "DATE";
    case FieldType::kBool:
      return lite ? "INTEGER" : "BOOLEAN";
    case FieldType::kInteger:
    case FieldType::kUser:
    case FieldType::kRef:
      return lite ? "INTEGER" : "BIGINT";
    case FieldType::kDecimal:
      return lite ? "REAL" : "DOUBLE PRECISION";
    case FieldType::kList:
    case FieldType::kTable:
    case FieldType::kRefs:
      return lite ? "TEXT" : "JSONB";
  }
  return "TEXT";
}

std::vector<IndexSpec> IndexesOf(const RegisterSpec& spec) {
  const std::string& t = spec.table;
  const std::string sort = SortColumn(spec);
  const bool sort_is_field = !sort.empty() && spec.Field(sort) != nullptr;
  std::vector<IndexSpec> out;
  out.push_back({t + "_org", {"org_id"}});
  if (sort_is_field) out.push_back({t + "_" + sort, {"org_id", sort, "id"}});
  for (const auto& f : spec.fields) {
    if (f.name == sort || f.type == FieldType::kRefs) continue;
    if (f.filterable) {
      IndexSpec index{t + "_" + f.name, {"org_id", f.name}};
      if (!sort.empty()) index.columns.push_back(sort);
      index.columns.push_back("id");
      out.push_back(std::move(index));
    }
    if (!f.sortable) continue;
    if (!f.rank_column.empty()) {
      // A ranked field sorts by its rank (a risk level by its place in the methodology).
      out.push_back({t + "_r_" + f.name, {"org_id", f.rank_column, "id"}, /*exact=*/true});
    } else if (!f.filterable || !sort.empty()) {
      // Lists order by `f, id`: the filter index `(org_id, f, S, id)` cannot give that order
      // without sorting every matching row, so a field both filtered and sorted has both.
      out.push_back({t + "_s_" + f.name, {"org_id", f.name, "id"}, /*exact=*/f.filterable});
    }
  }
  for (const auto& f : spec.fields) {
    // A number counted within another field's value: the insert reads MAX(number) of its
    // series, one index step instead of a walk over the series (quadratic in bulk loads).
    if (f.sequence && !f.sequence_within.empty()) {
      out.push_back({t + "_w_" + f.name, {"org_id", f.sequence_within, f.name}});
    }
  }
  out.push_back({t + "_updated", {"org_id", "updated_at", "id"}});
  out.push_back({t + "_created", {"org_id", "created_at", "id"}});
  return out;
}

std::vector<std::string> SearchFieldsOf(const RegisterSpec& spec) {
  std::vector<std::string> out;
  for (const auto& f : spec.fields) {
    if (f.searchable) out.push_back(f.name);
  }
  return out;
}

std::string CreateIndexSql(const RegisterSpec& spec, const IndexSpec& index, Dialect d) {
  std::vector<std::string> cols = index.columns;
  // PostgreSQL: the sorted column (the one before the id tie-breaker) NULLS FIRST, as lists
  // order, so that the index is walked instead of sorting every matching row.
  if (d == Dialect::kPostgres && cols.size() >= 3 && cols.back() == "id") {
    cols[cols.size() - 2] += " NULLS FIRST";
  }
  return fmt::format("CREATE INDEX {} ON {}({});\n", index.name, spec.table, Join(cols, ", "));
}

std::string SearchSql(const RegisterSpec& spec, Dialect d, bool replace) {
  return d == Dialect::kSqlite ? SqliteSearch(spec, replace) : PostgresSearch(spec, replace);
}

Result<std::string> CreateTableSql(const RegisterSpec& spec, Dialect d) {
  RETURN_IF_ERROR(CheckNames(spec));
  const bool lite = d == Dialect::kSqlite;
  const std::string id = lite ? "INTEGER" : "BIGINT";
  const std::string text = lite ? "TEXT" : "TEXT COLLATE \"C\"";
  // The system columns, as every register table of migrations 0002 and 0005 has them.
  std::vector<std::string> lines = {
      lite ? "id INTEGER PRIMARY KEY" : "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
      "org_id " + id + " NOT NULL REFERENCES organisations(id)",
      "version " + id + " NOT NULL",
      "created_at " + text + " NOT NULL",
      "updated_at " + text + " NOT NULL",
      "created_by " + id + " NOT NULL REFERENCES users(id)",
      "updated_by " + id + " NOT NULL REFERENCES users(id)",
  };
  std::vector<std::string> keys = {"UNIQUE (id, org_id)"};
  for (const auto& f : spec.fields) {
    lines.push_back(ColumnDefinition(spec, f, d));
    if (!f.rank_column.empty()) lines.push_back(f.rank_column + " " + id);
    ASSIGN_OR_RETURN(std::string fk, ForeignKey(spec, f));
    if (!fk.empty()) keys.push_back(std::move(fk));
  }
  lines.insert(lines.end(), keys.begin(), keys.end());
  std::string out = fmt::format("CREATE TABLE {} (\n  {}\n);\n", spec.table, Join(lines, ",\n  "));
  for (const auto& index : IndexesOf(spec)) out += CreateIndexSql(spec, index, d);
  out += SearchSql(spec, d, /*replace=*/false);
  return out;
}

const LiveColumn* LiveTable::Column(std::string_view name) const {
  for (const auto& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

bool LiveTable::HasIndexLeadingWith(std::string_view column) const {
  for (const auto& i : indexes) {
    if (i.columns.size() > 1 && i.columns[0] == "org_id" && i.columns[1] == column) return true;
  }
  return false;
}

bool LiveTable::HasIndexStartingWith(const std::vector<std::string>& columns) const {
  for (const auto& i : indexes) {
    if (i.columns.size() >= columns.size() &&
        std::equal(columns.begin(), columns.end(), i.columns.begin())) {
      return true;
    }
  }
  return false;
}

bool LiveTable::IsReferable() const {
  for (const auto& i : indexes) {
    if (!i.unique || i.columns.size() != 2) continue;
    if ((i.columns[0] == "id" && i.columns[1] == "org_id") ||
        (i.columns[0] == "org_id" && i.columns[1] == "id")) {
      return true;
    }
  }
  return false;
}

std::string ReferableSql(const std::string& table) {
  return fmt::format("CREATE UNIQUE INDEX {0}_id_org ON {0}(id, org_id);\n", table);
}

Result<SchemaChange> PlanSchemaChange(const RegisterSpec& spec, const LiveTable& live,
                                      std::vector<std::string>& problems) {
  RETURN_IF_ERROR(CheckNames(spec));
  SchemaChange change;
  if (!live.exists) {
    change.name = spec.table;
    ASSIGN_OR_RETURN(change.sqlite, CreateTableSql(spec, Dialect::kSqlite));
    ASSIGN_OR_RETURN(change.postgres, CreateTableSql(spec, Dialect::kPostgres));
    return change;
  }
  change.name = spec.table + "_schema";
  for (const auto& f : spec.fields) {
    if (!f.rank_column.empty() && live.Column(f.rank_column) == nullptr) {
      change.sqlite +=
          fmt::format("ALTER TABLE {} ADD COLUMN {} INTEGER;\n", spec.table, f.rank_column);
      change.postgres +=
          fmt::format("ALTER TABLE {} ADD COLUMN {} BIGINT;\n", spec.table, f.rank_column);
    }
    const LiveColumn* col = live.Column(f.name);
    if (col == nullptr) {
      if (f.type == FieldType::kUser || f.type == FieldType::kRef) {
        problems.push_back(fmt::format(
            "{}.{}: a new user or reference column needs a composite foreign key, which SQLite "
            "cannot add to an existing table: write this migration by hand (rebuild the table)",
            spec.table, f.name));
        continue;
      }
      if (IsNotNull(spec, f) && f.type != FieldType::kBool) {
        problems.push_back(fmt::format(
            "{}.{}: a new NOT NULL column needs a value for the rows that exist: write this "
            "migration by hand",
            spec.table, f.name));
        continue;
      }
      for (Dialect d : {Dialect::kSqlite, Dialect::kPostgres}) {
        (d == Dialect::kSqlite ? change.sqlite : change.postgres) += fmt::format(
            "ALTER TABLE {} ADD COLUMN {};\n", spec.table, ColumnDefinition(spec, f, d));
      }
      continue;
    }
    if (col->type != ColumnType(f.type, Dialect::kSqlite)) {
      problems.push_back(fmt::format(
          "{}.{}: the column is {} but the description's type needs {}: write this migration by "
          "hand",
          spec.table, f.name, col->type, ColumnType(f.type, Dialect::kSqlite)));
    }
    if (f.type == FieldType::kEnum) {
      std::vector<std::string> want;
      for (const auto& c : f.choices) want.push_back(c.value);
      std::vector<std::string> have = col->choices.value_or(std::vector<std::string>{});
      std::sort(want.begin(), want.end());
      std::sort(have.begin(), have.end());
      if (want != have) {
        problems.push_back(fmt::format(
            "{}.{}: the database accepts ({}) but the description's choices are ({}): changing "
            "a CHECK means rebuilding the table in SQLite, so write this migration by hand",
            spec.table, f.name, Join(have, ", "), Join(want, ", ")));
      }
    }
  }
  std::vector<std::string> names;
  for (const auto& i : live.indexes) names.push_back(i.name);
  for (auto index : IndexesOf(spec)) {
    if (index.columns.size() < 2) continue;
    if (index.exact ? live.HasIndexStartingWith(index.columns)
                    : live.HasIndexLeadingWith(index.leading())) {
      continue;
    }
    while (std::find(names.begin(), names.end(), index.name) != names.end()) index.name += "_x";
    names.push_back(index.name);
    change.sqlite += CreateIndexSql(spec, index, Dialect::kSqlite);
    change.postgres += CreateIndexSql(spec, index, Dialect::kPostgres);
  }
  std::vector<std::string> searched = live.search;
  std::vector<std::string> searchable = SearchFieldsOf(spec);
  std::sort(searched.begin(), searched.end());
  std::sort(searchable.begin(), searchable.end());
  if (searched != searchable) {
    change.sqlite += SearchSql(spec, Dialect::kSqlite, /*replace=*/true);
    change.postgres += SearchSql(spec, Dialect::kPostgres, /*replace=*/true);
  }
  return change;
}

std::string GeneratedHeader(const RegisterSpec& spec, Dialect d) {
  return fmt::format(
      "-- Generated by `make schema` from the description of register {} (its RegisterSpec),\n"
      "-- {} dialect. Do not edit by hand: a migration is history, applied as written to every\n"
      "-- database forever. To change the schema, change the description and run `make schema`,\n"
      "-- which writes a new migration.\n",
      spec.type, d == Dialect::kSqlite ? "SQLite" : "PostgreSQL");
}

}  // namespace rampart::store

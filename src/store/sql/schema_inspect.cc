#include "store/sql/schema_inspect.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <utility>

#include "store/sql/sql_util.h"

namespace rampart::store {

namespace {

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Every row of `sql`, each read by `read`.
template <typename Read>
auto Rows(SqlConnection& conn, const std::string& sql, const Params& params, Read read)
    -> Result<std::vector<decltype(read(std::declval<SqlRows&>()))>> {
  ASSIGN_OR_RETURN(auto rows, conn.Query(sql, params));
  return ReadAll(*rows, read);
}

std::string Text0(const SqlRows& r) { return r.IsNull(0) ? std::string() : r.Text(0); }

Result<LiveTable> InspectSqlite(SqlConnection& conn, const std::string& table) {
  LiveTable live;
  ASSIGN_OR_RETURN(auto create,
                   Rows(conn, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                        {table}, Text0));
  if (create.empty()) return live;
  live.exists = true;
  ASSIGN_OR_RETURN(
      live.columns,
      Rows(conn, "SELECT name, type, \"notnull\" FROM pragma_table_info(?) ORDER BY cid", {table},
           [&](const SqlRows& r) {
             return LiveColumn{.name = r.Text(0),
                               .type = Upper(r.Text(1)),
                               .not_null = r.Int(2) != 0,
                               .choices = CheckedChoices(create[0], r.Text(0))};
           }));
  ASSIGN_OR_RETURN(
      auto names,
      Rows(conn, "SELECT name, \"unique\" FROM pragma_index_list(?) ORDER BY name", {table},
           [](const SqlRows& r) { return std::pair(r.Text(0), r.Int(1) != 0); }));
  for (const auto& [name, unique] : names) {
    ASSIGN_OR_RETURN(
        auto columns,
        Rows(conn, "SELECT name FROM pragma_index_info(?) ORDER BY seqno", {name}, Text0));
    live.indexes.push_back({.name = name, .columns = std::move(columns), .unique = unique});
  }
  // The search table counts only with the three triggers that keep it in step.
  ASSIGN_OR_RETURN(
      auto triggers,
      Rows(conn,
           "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
           "AND name IN (?, ?, ?)",
           {table, table + "_search_insert", table + "_search_delete", table + "_search_update"},
           Text0));
  if (triggers.size() != 3) return live;
  ASSIGN_OR_RETURN(live.search, Rows(conn, "SELECT name FROM pragma_table_info(?) ORDER BY cid",
                                     {table + "_search"}, Text0));
  return live;
}

Result<LiveTable> InspectPostgres(SqlConnection& conn, const std::string& table) {
  LiveTable live;
  ASSIGN_OR_RETURN(live.columns,
                   Rows(conn,
                        "SELECT column_name, data_type, is_nullable, COALESCE(collation_name, '') "
                        "FROM information_schema.columns "
                        "WHERE table_schema = current_schema() AND table_name = ? "
                        "ORDER BY ordinal_position",
                        {table}, [](const SqlRows& r) {
                          std::string type = Upper(r.Text(1));
                          if (r.Text(3) == "C") type += " COLLATE \"C\"";
                          return LiveColumn{.name = r.Text(0),
                                            .type = type,
                                            .not_null = r.Text(2) == "NO",
                                            .choices = std::nullopt};
                        }));
  live.exists = !live.columns.empty();
  if (!live.exists) return live;
  // Choices: CHECK constraints on one column that compare it with string literals, which
  // PostgreSQL shows as "CHECK ((kind = ANY (ARRAY['internal'::text, 'external'::text])))".
  ASSIGN_OR_RETURN(auto checks,
                   Rows(conn,
                        "SELECT a.attname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                        "JOIN pg_class t ON t.oid = c.conrelid "
                        "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = c.conkey[1] "
                        "WHERE c.contype = 'c' AND array_length(c.conkey, 1) = 1 "
                        "AND t.relname = ? AND pg_table_is_visible(t.oid)",
                        {table}, [](const SqlRows& r) { return std::pair(r.Text(0), r.Text(1)); }));
  for (const auto& [column, def] : checks) {
    if (def.find("= ANY") == std::string::npos && def.find("= '") == std::string::npos) continue;
    for (auto& c : live.columns) {
      if (c.name == column) c.choices = QuotedValues(def);
    }
  }
  // Every index column with its index's access method and operator class, in key order.
  struct Key {
    std::string index, method, column, opclass;
    bool unique;
  };
  ASSIGN_OR_RETURN(
      auto keys,
      Rows(conn,
           "SELECT ic.relname, am.amname, COALESCE(a.attname, ''), oc.opcname, x.indisunique "
           "FROM pg_index x "
           "JOIN pg_class t ON t.oid = x.indrelid "
           "JOIN pg_class ic ON ic.oid = x.indexrelid "
           "JOIN pg_am am ON am.oid = ic.relam "
           "CROSS JOIN LATERAL unnest(x.indkey::int2[], x.indclass::oid[]) "
           "  WITH ORDINALITY AS k(attnum, opclass, ord) "
           "JOIN pg_opclass oc ON oc.oid = k.opclass "
           "LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
           "WHERE t.relname = ? AND pg_table_is_visible(t.oid) "
           "ORDER BY ic.relname, k.ord",
           {table}, [](const SqlRows& r) {
             return Key{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Bool(4)};
           }));
  for (const auto& k : keys) {
    if (k.method == "btree") {
      if (live.indexes.empty() || live.indexes.back().name != k.index) {
        live.indexes.push_back({.name = k.index, .columns = {}, .unique = k.unique});
      }
      live.indexes.back().columns.push_back(k.column);
    } else if (k.method == "gin" && k.opclass == "gin_trgm_ops" &&
               std::find(live.search.begin(), live.search.end(), k.column) == live.search.end()) {
      live.search.push_back(k.column);
    }
  }
  return live;
}

}  // namespace

std::vector<std::string> QuotedValues(std::string_view text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\'') continue;
    std::string value;
    for (++i; i < text.size(); ++i) {
      if (text[i] == '\'') {
        if (i + 1 < text.size() && text[i + 1] == '\'') {
          value += '\'';
          ++i;
          continue;
        }
        break;
      }
      value += text[i];
    }
    out.push_back(std::move(value));
  }
  return out;
}

std::optional<std::vector<std::string>> CheckedChoices(const std::string& create_sql,
                                                       const std::string& column) {
  // The column name comes from a static description: plain lower-case letters, digits, '_'.
  const std::regex check("CHECK\\s*\\(\\s*" + column + "\\s+IN\\s*\\(([^)]*)\\)\\s*\\)",
                         std::regex::icase);
  std::smatch m;
  if (!std::regex_search(create_sql, m, check)) return std::nullopt;
  return QuotedValues(m[1].str());
}

Result<LiveTable> InspectTable(SqlConnection& conn, Dialect dialect, const std::string& table) {
  return dialect == Dialect::kSqlite ? InspectSqlite(conn, table) : InspectPostgres(conn, table);
}

}  // namespace rampart::store

#include "store/sql/schema_inspect.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace rampart::store {

namespace {

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

Result<LiveTable> InspectSqlite(SqlConnection& conn, const std::string& table) {
  LiveTable live;
  std::string create_sql;
  {
    ASSIGN_OR_RETURN(
        auto rows,
        conn.Query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", {table}));
    ASSIGN_OR_RETURN(bool found, rows->Next());
    if (!found) return live;
    live.exists = true;
    create_sql = rows->Text(0);
  }
  {
    ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT name, type, \"notnull\" FROM "
                                           "pragma_table_info(?) ORDER BY cid",
                                           {table}));
    while (true) {
      ASSIGN_OR_RETURN(bool more, rows->Next());
      if (!more) break;
      LiveColumn c{
          .name = rows->Text(0), .type = Upper(rows->Text(1)), .not_null = rows->Int(2) != 0};
      c.choices = CheckedChoices(create_sql, c.name);
      live.columns.push_back(std::move(c));
    }
  }
  std::vector<std::string> names;
  {
    ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT name FROM pragma_index_list(?)", {table}));
    while (true) {
      ASSIGN_OR_RETURN(bool more, rows->Next());
      if (!more) break;
      names.push_back(rows->Text(0));
    }
  }
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    LiveIndex index{.name = name, .columns = {}};
    ASSIGN_OR_RETURN(auto rows,
                     conn.Query("SELECT name FROM pragma_index_info(?) ORDER BY seqno", {name}));
    while (true) {
      ASSIGN_OR_RETURN(bool more, rows->Next());
      if (!more) break;
      index.columns.push_back(rows->IsNull(0) ? std::string() : rows->Text(0));
    }
    live.indexes.push_back(std::move(index));
  }
  // The search table counts only with the three triggers that keep it in step.
  {
    ASSIGN_OR_RETURN(auto rows,
                     conn.Query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND "
                                "tbl_name = ? AND name IN (?, ?, ?)",
                                {table, table + "_search_insert", table + "_search_delete",
                                 table + "_search_update"}));
    ASSIGN_OR_RETURN(bool found, rows->Next());
    if (!found || rows->Int(0) != 3) return live;
  }
  ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT name FROM pragma_table_info(?) ORDER BY cid",
                                         {table + "_search"}));
  while (true) {
    ASSIGN_OR_RETURN(bool more, rows->Next());
    if (!more) break;
    live.search.push_back(rows->Text(0));
  }
  return live;
}

Result<LiveTable> InspectPostgres(SqlConnection& conn, const std::string& table) {
  LiveTable live;
  {
    ASSIGN_OR_RETURN(auto rows,
                     conn.Query("SELECT column_name, data_type, is_nullable, "
                                "COALESCE(collation_name, '') FROM information_schema.columns "
                                "WHERE table_schema = current_schema() AND table_name = ? "
                                "ORDER BY ordinal_position",
                                {table}));
    while (true) {
      ASSIGN_OR_RETURN(bool more, rows->Next());
      if (!more) break;
      std::string type = Upper(rows->Text(1));
      if (rows->Text(3) == "C") type += " COLLATE \"C\"";
      live.columns.push_back(
          {.name = rows->Text(0), .type = type, .not_null = rows->Text(2) == "NO", .choices = {}});
    }
  }
  live.exists = !live.columns.empty();
  if (!live.exists) return live;
  // Choices: CHECK constraints on one column that compare it with string literals, which
  // PostgreSQL shows as "CHECK ((kind = ANY (ARRAY['internal'::text, 'external'::text])))".
  {
    ASSIGN_OR_RETURN(auto rows,
                     conn.Query("SELECT a.attname, pg_get_constraintdef(c.oid) "
                                "FROM pg_constraint c "
                                "JOIN pg_class t ON t.oid = c.conrelid "
                                "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = "
                                "c.conkey[1] "
                                "WHERE c.contype = 'c' AND array_length(c.conkey, 1) = 1 "
                                "AND t.relname = ? AND pg_table_is_visible(t.oid)",
                                {table}));
    while (true) {
      ASSIGN_OR_RETURN(bool more, rows->Next());
      if (!more) break;
      const std::string column = rows->Text(0);
      const std::string def = rows->Text(1);
      if (def.find("= ANY") == std::string::npos && def.find("= '") == std::string::npos) continue;
      for (auto& c : live.columns) {
        if (c.name == column) c.choices = QuotedValues(def);
      }
    }
  }
  // Every index column with its index's access method and operator class, in key order.
  ASSIGN_OR_RETURN(
      auto rows,
      conn.Query("SELECT ic.relname, am.amname, COALESCE(a.attname, ''), oc.opcname "
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
                 {table}));
  while (true) {
    ASSIGN_OR_RETURN(bool more, rows->Next());
    if (!more) break;
    const std::string index = rows->Text(0);
    const std::string method = rows->Text(1);
    const std::string column = rows->Text(2);
    if (method == "btree") {
      if (live.indexes.empty() || live.indexes.back().name != index) {
        live.indexes.push_back({.name = index, .columns = {}});
      }
      live.indexes.back().columns.push_back(column);
    } else if (method == "gin" && rows->Text(3) == "gin_trgm_ops" &&
               std::find(live.search.begin(), live.search.end(), column) == live.search.end()) {
      live.search.push_back(column);
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

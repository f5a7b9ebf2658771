// Copying an installation (Store::CopyTo) by introspection: the tables, their columns, keys and
// foreign keys are read from the source database's own catalogue (SqlDriver::ReadCatalogue), so
// a table or column added by a migration is copied without a change here.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "base/text.h"
#include "store/backup.h"
#include "store/sql/sql_store.h"
#include "store/sql/sql_util.h"

namespace rampart::store {

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void SkipTablesKeptByTriggers(Catalogue& catalogue, const std::vector<CatalogueTrigger>& triggers) {
  auto identifier_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  };
  std::vector<CatalogueTable> kept;
  for (auto& t : catalogue.tables) {
    std::string by;
    for (const auto& trigger : triggers) {
      if (trigger.table == t.name) continue;
      const std::string body = ToLower(trigger.body);
      const std::string insert = "insert into " + ToLower(t.name);
      for (size_t at = body.find(insert); at != std::string::npos; at = body.find(insert, at + 1)) {
        const size_t end = at + insert.size();
        if (end == body.size() || !identifier_char(body[end])) {
          by = trigger.table;
          break;
        }
      }
      if (!by.empty()) break;
    }
    if (by.empty()) {
      kept.push_back(std::move(t));
    } else {
      catalogue.skipped.push_back(
          {t.name, fmt::format("kept by the triggers on {}: the destination's triggers fill it as "
                               "the rows of {} are copied (copying its rows too would count them "
                               "twice)",
                               by, by)});
    }
  }
  catalogue.tables = std::move(kept);
  std::sort(catalogue.skipped.begin(), catalogue.skipped.end(),
            [](const SkippedTable& a, const SkippedTable& b) { return a.name < b.name; });
}

namespace {

// Rows are read a page at a time (by primary key) and written several to a statement: memory
// stays bounded on installations of any size, and PostgreSQL is not asked once per row.
constexpr int kPageRows = 1000;
constexpr size_t kMaxParams = 999;          // SQLite's lowest limit of bound parameters
constexpr size_t kMaxBatchBytes = 8 << 20;  // evidence blobs: flush well before memory matters

// Parents before children: the tables in an order that satisfies their foreign keys, derived
// from the foreign keys themselves (Kahn's algorithm, ties broken by name so the order is the
// same every time). The migrations' order would not do: one migration creates several tables,
// and a later one may add a reference to a table created after the referencing one. A reference
// of a table to itself orders nothing here (rows are copied in primary-key order). Errors:
// kInternal when the references form a cycle, or name a table that is not copied.
Result<std::vector<const CatalogueTable*>> InsertionOrder(const Catalogue& catalogue) {
  std::map<std::string, const CatalogueTable*> by_name;
  for (const auto& t : catalogue.tables) by_name[t.name] = &t;
  std::map<std::string, int> waiting;  // unmet parents
  std::map<std::string, std::vector<std::string>> children;
  for (const auto& t : catalogue.tables) {
    waiting[t.name];
    for (const auto& parent : t.references) {
      if (parent == t.name) continue;
      if (!by_name.contains(parent)) {
        return Internal(fmt::format("table {} references {}, which is not copied", t.name, parent));
      }
      ++waiting[t.name];
      children[parent].push_back(t.name);
    }
  }
  std::set<std::string> ready;
  for (const auto& [name, n] : waiting) {
    if (n == 0) ready.insert(name);
  }
  std::vector<const CatalogueTable*> order;
  while (!ready.empty()) {
    const std::string name = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(by_name[name]);
    for (const auto& child : children[name]) {
      if (--waiting[child] == 0) ready.insert(child);
    }
  }
  if (order.size() != catalogue.tables.size()) {
    std::string cycle;
    for (const auto& [name, n] : waiting) {
      if (n > 0) cycle += (cycle.empty() ? "" : ", ") + name;
    }
    return Internal("the foreign keys of these tables form a cycle: " + cycle);
  }
  return order;
}

// The destination must hold the same tables with the same columns as the source (both migrated
// to the same version); a difference is refused rather than copied in part.
Status SameSchema(const Catalogue& from, const Catalogue& to) {
  std::map<std::string, std::set<std::string>> columns;
  for (const auto& t : to.tables) {
    for (const auto& c : t.columns) columns[t.name].insert(c.name);
  }
  for (const auto& t : from.tables) {
    auto it = columns.find(t.name);
    if (it == columns.end()) {
      return FailedPrecondition(fmt::format(
          "the destination has no table {}; migrate both databases to the same version", t.name));
    }
    std::set<std::string> mine;
    for (const auto& c : t.columns) mine.insert(c.name);
    if (mine != it->second) {
      return FailedPrecondition(
          fmt::format("table {} has other columns at the destination; migrate both databases to "
                      "the same version",
                      t.name));
    }
    columns.erase(it);
  }
  if (!columns.empty()) {
    return FailedPrecondition(
        fmt::format("the source has no table {}; migrate both databases to the same version",
                    columns.begin()->first));
  }
  return Status::Ok();
}

SqlValue ReadValue(const SqlRows& rows, int col, ColumnKind kind) {
  if (rows.IsNull(col)) return std::monostate{};
  switch (kind) {
    case ColumnKind::kInt:
      return rows.Int(col);
    case ColumnKind::kBool:
      return rows.Bool(col);
    case ColumnKind::kBlob:
      return SqlBlob{rows.Blob(col)};
    case ColumnKind::kReal:
      return rows.Real(col);
    case ColumnKind::kText:
      break;
  }
  return rows.Text(col);
}

size_t ValueBytes(const SqlValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return s->size();
  if (const auto* b = std::get_if<SqlBlob>(&v)) return b->bytes.size();
  return sizeof(int64_t);
}

// INSERTs rows into one table, several to a statement.
class BatchInsert {
 public:
  BatchInsert(SqlConnection& out, const CatalogueTable& table) : out_(out) {
    for (const auto& c : table.columns) {
      columns_ += (columns_.empty() ? "" : ", ") + QuoteIdentifier(c.name);
      tuple_ += tuple_.empty() ? "(?" : ", ?";
    }
    tuple_ += ")";
    prefix_ = fmt::format("INSERT INTO {} ({}) VALUES ", QuoteIdentifier(table.name), columns_);
    width_ = table.columns.size();
    rows_per_statement_ = std::max<size_t>(1, kMaxParams / std::max<size_t>(1, width_));
  }

  Status Add(std::vector<SqlValue> row) {
    for (auto& v : row) {
      bytes_ += ValueBytes(v);
      params_.push_back(std::move(v));
    }
    if (params_.size() / width_ >= rows_per_statement_ || bytes_ >= kMaxBatchBytes) {
      return Flush();
    }
    return Status::Ok();
  }

  Status Flush() {
    const size_t rows = params_.size() / width_;
    if (rows == 0) return Status::Ok();
    std::string sql = prefix_;
    for (size_t i = 0; i < rows; ++i) sql += (i == 0 ? "" : ", ") + tuple_;
    Status st = Run(out_, sql, params_);
    params_.clear();
    bytes_ = 0;
    return st;
  }

 private:
  SqlConnection& out_;
  std::string columns_;
  std::string tuple_;
  std::string prefix_;
  size_t width_ = 1;
  size_t rows_per_statement_ = 1;
  Params params_;
  size_t bytes_ = 0;
};

// Copies every row of `table` from `in` to `out`: a page at a time after the last primary key
// read (keyset pagination, the same on both backends); a table without a primary key is read in
// one statement, ordered by all its columns.
Status CopyRows(SqlConnection& in, SqlConnection& out, const CatalogueTable& table) {
  if (table.columns.empty()) return Status::Ok();
  std::string columns;
  for (const auto& c : table.columns)
    columns += (columns.empty() ? "" : ", ") + QuoteIdentifier(c.name);
  std::vector<int> key;  // positions of the primary key's columns
  std::string key_list;
  std::string key_marks;
  for (const auto& k : table.primary_key) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (table.columns[i].name == k) key.push_back(static_cast<int>(i));
    }
    key_list += (key_list.empty() ? "" : ", ") + QuoteIdentifier(k);
    key_marks += key_marks.empty() ? "?" : ", ?";
  }
  if (key.size() != table.primary_key.size()) {
    return Internal(
        fmt::format("the primary key of {} names a column it does not have", table.name));
  }
  const std::string select = fmt::format("SELECT {} FROM {}", columns, QuoteIdentifier(table.name));
  BatchInsert batch(out, table);
  Params after;  // the last key read
  while (true) {
    std::string sql = select;
    if (key.empty()) {
      sql += " ORDER BY " + columns;
    } else {
      if (!after.empty()) sql += fmt::format(" WHERE ({}) > ({})", key_list, key_marks);
      sql += fmt::format(" ORDER BY {} LIMIT {}", key_list, kPageRows);
    }
    ASSIGN_OR_RETURN(auto rows, in.Query(sql, after));
    int read = 0;
    while (true) {
      ASSIGN_OR_RETURN(bool row, rows->Next());
      if (!row) break;
      ++read;
      std::vector<SqlValue> values;
      values.reserve(table.columns.size());
      for (size_t i = 0; i < table.columns.size(); ++i) {
        values.push_back(ReadValue(*rows, static_cast<int>(i), table.columns[i].kind));
      }
      if (!key.empty()) {
        after.clear();
        for (int k : key) after.push_back(values[k]);
      }
      RETURN_IF_ERROR(batch.Add(std::move(values)));
    }
    if (key.empty() || read < kPageRows) break;
  }
  return batch.Flush();
}

}  // namespace

Status SqlStore::CopyTo(Store& destination) {
  auto* dst = dynamic_cast<SqlStore*>(&destination);
  if (dst == nullptr || dst == this) return InvalidArgument("cannot copy into this destination");
  ASSIGN_OR_RETURN(auto orgs, dst->ListOrganisations());
  bool any_event = false;
  RETURN_IF_ERROR(dst->ScanAudit([&](const domain::AuditEvent&) {
    any_event = true;
    return false;
  }));
  if (!orgs.empty() || any_event) {
    return FailedPrecondition("the destination database is not empty; copy into a new database");
  }
  ASSIGN_OR_RETURN(auto src, Acquire());
  RETURN_IF_ERROR(src->BeginRead());  // one consistent snapshot of the source
  Status st = [&]() -> Status {
    ASSIGN_OR_RETURN(Catalogue from, driver_->ReadCatalogue(*src));
    // A backup file's manifest (store/backup.h) describes the backup, not the installation.
    std::erase_if(from.tables,
                  [](const CatalogueTable& t) { return t.name == kBackupManifestTable; });
    ASSIGN_OR_RETURN(const auto order, InsertionOrder(from));
    return dst->InWriteTx([&](SqlConnection& out) -> Status {
      ASSIGN_OR_RETURN(const Catalogue to, dst->driver_->ReadCatalogue(out));
      RETURN_IF_ERROR(SameSchema(from, to));
      for (const CatalogueTable* t : order) {
        RETURN_IF_ERROR(CopyRows(*src, out, *t));
      }
      // The destination's generated ids continue after the copied ones.
      for (const auto& t : to.tables) {
        for (const auto& c : t.columns) {
          if (c.generated) RETURN_IF_ERROR(dst->driver_->ResetIdentity(out, t.name, c.name));
        }
      }
      return Status::Ok();
    });
  }();
  (void)src->Commit();
  return st;
}

}  // namespace rampart::store

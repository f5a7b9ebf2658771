#include "store/sqlite/sqlite_driver.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <set>
#include <unordered_map>

#include "base/text.h"
#include "domain/registers.h"
#include "store/sql/sql_util.h"

namespace rampart::store {

namespace {

constexpr int kBusyTimeoutMs = 10000;
constexpr const char* kDiskFull =
    "the database or its disk is full: nothing was written; free space and try again (reading "
    "still works)";

Status MapError(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  const std::string msg = fmt::format("{}: {}", what, db != nullptr ? sqlite3_errmsg(db) : "");
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Unavailable("the database is busy; try again");
  }
  if (primary == SQLITE_FULL) return InsufficientStorage(kDiskFull);
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return AlreadyExists(msg);
  }
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
    return InvalidArgument("a referenced record does not exist in this organisation");
  }
  if (primary == SQLITE_CONSTRAINT) return InvalidArgument(msg);
  return Internal(msg);
}

// The rows of a cached prepared statement; resets it when done, so it can be reused.
class SqliteRows final : public SqlRows {
 public:
  SqliteRows(sqlite3* db, sqlite3_stmt* st) : db_(db), st_(st) {}
  ~SqliteRows() override {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  SqliteRows(const SqliteRows&) = delete;
  SqliteRows& operator=(const SqliteRows&) = delete;

  // Runs the statement up to its first row.
  Status Start() {
    first_ = Step();
    return first_.ok() ? Status::Ok() : first_.status();
  }
  Result<bool> Next() override {
    if (!started_) {
      started_ = true;
      return first_;
    }
    if (!first_.ok() || !*first_) return false;
    return Step();
  }
  bool IsNull(int col) const override { return sqlite3_column_type(st_, col) == SQLITE_NULL; }
  int64_t Int(int col) const override { return sqlite3_column_int64(st_, col); }
  bool Bool(int col) const override { return sqlite3_column_int64(st_, col) != 0; }
  double Real(int col) const override { return sqlite3_column_double(st_, col); }
  std::string Text(int col) const override {
    const auto* p = sqlite3_column_text(st_, col);
    return p != nullptr ? std::string(reinterpret_cast<const char*>(p),
                                      static_cast<size_t>(sqlite3_column_bytes(st_, col)))
                        : std::string();
  }
  std::string Blob(int col) const override {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(st_, col));
    return p != nullptr ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(st_, col)))
                        : std::string();
  }

 private:
  Result<bool> Step() {
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return MapError(db_, sqlite3_extended_errcode(db_), "running SQL");
  }

  sqlite3* db_;
  sqlite3_stmt* st_;
  Result<bool> first_ = false;
  bool started_ = false;
};

class SqliteConnection final : public SqlConnection {
 public:
  SqliteConnection(sqlite3* db, std::function<void()> counted)
      : db_(db), counted_(std::move(counted)) {}
  ~SqliteConnection() override {
    for (auto& [_, st] : cache_) sqlite3_finalize(st);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Status Exec(const std::string& sql) override {
    counted_();
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err != nullptr ? err : "";
      sqlite3_free(err);
      Status st = MapError(db_, sqlite3_extended_errcode(db_), "executing SQL");
      return st.code() == Code::kInternal ? Internal(msg) : st;
    }
    return Status::Ok();
  }

  Result<std::unique_ptr<SqlRows>> Query(const std::string& sql,
                                         const std::vector<SqlValue>& params) override {
    counted_();
    sqlite3_stmt* st = nullptr;
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      st = it->second;
    } else {
      const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                        SQLITE_PREPARE_PERSISTENT, &st, nullptr);
      if (rc != SQLITE_OK) return MapError(db_, rc, "preparing SQL");
      cache_.emplace(sql, st);
    }
    int pos = 0;
    for (const auto& p : params) {
      ++pos;
      if (std::holds_alternative<int64_t>(p)) {
        sqlite3_bind_int64(st, pos, std::get<int64_t>(p));
      } else if (std::holds_alternative<bool>(p)) {
        sqlite3_bind_int64(st, pos, std::get<bool>(p) ? 1 : 0);
      } else if (std::holds_alternative<std::string>(p)) {
        const auto& s = std::get<std::string>(p);
        sqlite3_bind_text(st, pos, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      } else if (std::holds_alternative<double>(p)) {
        sqlite3_bind_double(st, pos, std::get<double>(p));
      } else if (std::holds_alternative<SqlBlob>(p)) {
        const auto& b = std::get<SqlBlob>(p).bytes;
        sqlite3_bind_blob64(st, pos, b.data(), b.size(), SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_null(st, pos);
      }
    }
    auto rows = std::make_unique<SqliteRows>(db_, st);
    RETURN_IF_ERROR(rows->Start());
    return std::unique_ptr<SqlRows>(std::move(rows));
  }

  Status BeginWrite() override { return Exec("BEGIN IMMEDIATE"); }
  Status BeginRead() override { return Exec("BEGIN"); }
  Status Commit() override { return Exec("COMMIT"); }
  Status Rollback() override { return Exec("ROLLBACK"); }
  bool Healthy() const override { return true; }
  // BEGIN IMMEDIATE serialises writers; a busy database is reported as kUnavailable instead.
  bool LastErrorRetryable() const override { return false; }

 private:
  sqlite3* db_;
  std::function<void()> counted_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

class SqliteDriver final : public SqlDriver {
 public:
  explicit SqliteDriver(std::string path) : path_(std::move(path)) {}

  Result<std::unique_ptr<SqlConnection>> Connect() override {
    sqlite3* db = nullptr;
    const int rc =
        sqlite3_open_v2(path_.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close_v2(db);
      return Unavailable(fmt::format("cannot open database {}: {}", path_, msg));
    }
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    sqlite3_extended_result_codes(db, 1);
    auto conn = std::make_unique<SqliteConnection>(db, [this] { Counted(); });
    RETURN_IF_ERROR(
        conn->Exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"));
    return std::unique_ptr<SqlConnection>(std::move(conn));
  }

  const std::vector<Migration>& Migrations() const override { return SqliteMigrations(); }

  // Each migration runs in its own BEGIN IMMEDIATE transaction and is skipped when already
  // applied, which serialises concurrent starts without a separate lock.
  Status LockMigrations(SqlConnection&) override { return Status::Ok(); }
  Status UnlockMigrations(SqlConnection&) override { return Status::Ok(); }

  Result<bool> ColumnExists(SqlConnection& conn, const std::string& table,
                            const std::string& column) override {
    ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT 1 FROM pragma_table_info(?) WHERE name = ?",
                                           {table, column}));
    return rows->Next();
  }

  std::string Unindexed(const std::string& column) const override { return "+" + column; }

  std::string ListItems(const std::string& column) const override {
    return "json_each(" + column + ") AS items";
  }

  std::string SearchCondition(const std::string& table, const std::vector<std::string>& fields,
                              const std::string& text,
                              std::vector<SqlValue>& params) const override {
    if (Utf8Length(text) >= 3) {
      // The trigram index finds substrings of three characters or more; the text is searched
      // as one quoted phrase, so FTS syntax in it is plain text.
      std::string phrase = "\"";
      for (char c : text) phrase += c == '"' ? std::string("\"\"") : std::string(1, c);
      params.emplace_back(phrase + "\"");
      return fmt::format("id IN (SELECT rowid FROM {0}_search WHERE {0}_search MATCH ?)", table);
    }
    // Shorter text is below the index's grain: scan.
    std::string any;
    for (const auto& f : fields) {
      any += fmt::format("{}{} LIKE ? ESCAPE '\\'", any.empty() ? "" : " OR ", f);
      params.emplace_back("%" + EscapeLike(text) + "%");
    }
    return "(" + any + ")";
  }

  // A register with searchable fields has a search index over exactly those fields.
  // SQLite's rowids continue from the highest one by themselves.
  Status ResetIdentity(SqlConnection&, const std::string&, const std::string&) override {
    return Status::Ok();
  }

  Result<Catalogue> ReadCatalogue(SqlConnection& conn) override {
    auto pair = [](const SqlRows& r) { return std::make_pair(r.Text(0), r.Text(1)); };
    ASSIGN_OR_RETURN(auto tables, conn.Query("SELECT name, COALESCE(sql, '') FROM sqlite_master "
                                             "WHERE type = 'table' ORDER BY name",
                                             {}));
    ASSIGN_OR_RETURN(const auto all, ReadAll(*tables, pair));  // name, CREATE statement
    std::set<std::string> indexes;                             // the FTS5 virtual tables
    for (const auto& [name, sql] : all) {
      if (ToLower(sql.substr(0, 20)) == "create virtual table") indexes.insert(name);
    }
    // The tables FTS5 keeps each index in (an external-content index has no _content).
    auto shadow_of = [&](const std::string& name) -> std::string {
      for (const char* suffix : {"_data", "_idx", "_content", "_docsize", "_config"}) {
        const std::string_view s(suffix);
        if (name.size() > s.size() && name.ends_with(s) &&
            indexes.contains(name.substr(0, name.size() - s.size()))) {
          return name.substr(0, name.size() - s.size());
        }
      }
      return "";
    };
    Catalogue out;
    for (const auto& [name, sql] : all) {
      if (name.starts_with("sqlite_")) {
        out.skipped.push_back(
            {name,
             "SQLite's own bookkeeping (sqlite_sequence: AUTOINCREMENT counters, sqlite_stat*: "
             "ANALYZE statistics); the destination keeps its own"});
      } else if (name == "schema_migrations") {
        out.skipped.push_back({name, kMigrationsNotCopied});
      } else if (indexes.contains(name)) {
        out.skipped.push_back(
            {name,
             "an FTS5 search index (a virtual table): rebuilt at the destination, whose "
             "triggers index each register row as it is inserted"});
      } else if (const std::string index = shadow_of(name); !index.empty()) {
        out.skipped.push_back({name, "a shadow table of the FTS5 search index " + index +
                                         ", rebuilt with it at the destination"});
      } else {
        ASSIGN_OR_RETURN(auto t, ReadTable(conn, name));
        out.tables.push_back(std::move(t));
      }
    }
    ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT tbl_name, COALESCE(sql, '') FROM sqlite_master "
                                           "WHERE type = 'trigger' ORDER BY name",
                                           {}));
    ASSIGN_OR_RETURN(const auto triggers, ReadAll(*rows, [](const SqlRows& r) {
                       return CatalogueTrigger{r.Text(0), r.Text(1)};
                     }));
    SkipTablesKeptByTriggers(out, triggers);
    return out;
  }

  Status CheckSchema(SqlConnection& conn) override {
    for (const auto* spec : domain::AllRegisters()) {
      for (const auto& f : spec->fields) {
        if (!f.searchable) continue;
        ASSIGN_OR_RETURN(bool found, ColumnExists(conn, spec->table + "_search", f.name));
        if (!found) {
          return Internal(
              fmt::format("register {} searches field {} but {}_search does not "
                          "index it",
                          spec->type, f.name, spec->table));
        }
      }
    }
    return Status::Ok();
  }

 private:
  // A table's columns (kinds by SQLite's affinity rules on the declared type), primary key and
  // the tables its foreign keys reference.
  static Result<CatalogueTable> ReadTable(SqlConnection& conn, const std::string& name) {
    auto text = [](const SqlRows& r) { return r.Text(0); };
    CatalogueTable t{.name = name};
    ASSIGN_OR_RETURN(
        auto columns,
        conn.Query("SELECT name, lower(type) FROM pragma_table_info(?) ORDER BY cid", {name}));
    ASSIGN_OR_RETURN(t.columns, ReadAll(*columns, [](const SqlRows& r) {
                       const std::string type = r.Text(1);
                       const ColumnKind kind =
                           type.find("int") != std::string::npos    ? ColumnKind::kInt
                           : type.find("bool") != std::string::npos ? ColumnKind::kBool
                           : type.find("blob") != std::string::npos ? ColumnKind::kBlob
                           : type.find("real") != std::string::npos ? ColumnKind::kReal
                                                                    : ColumnKind::kText;
                       // SQLite generates rowids by itself, past the highest one: nothing to
                       // reset.
                       return CatalogueColumn{r.Text(0), kind, false};
                     }));
    ASSIGN_OR_RETURN(
        auto key,
        conn.Query("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", {name}));
    ASSIGN_OR_RETURN(t.primary_key, ReadAll(*key, text));
    ASSIGN_OR_RETURN(auto parents,
                     conn.Query("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?) "
                                "ORDER BY 1",
                                {name}));
    ASSIGN_OR_RETURN(t.references, ReadAll(*parents, text));
    return t;
  }

  std::string path_;
};

}  // namespace

Result<std::unique_ptr<SqlDriver>> OpenSqliteDriver(const std::string& path) {
  auto driver = std::make_unique<SqliteDriver>(path);
  ASSIGN_OR_RETURN(auto probe, driver->Connect());  // fails early on a bad path
  return std::unique_ptr<SqlDriver>(std::move(driver));
}

}  // namespace rampart::store

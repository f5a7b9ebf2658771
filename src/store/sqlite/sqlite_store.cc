#include "store/sqlite/sqlite_store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <unordered_map>

#include "base/crypto.h"
#include "base/text.h"
#include "domain/registers.h"
#include "store/migrations.h"

namespace rampart::store {

using domain::FieldSpec;
using domain::FieldType;
using domain::Record;
using domain::RegisterSpec;

namespace {

constexpr int kBusyTimeoutMs = 10000;

Status MapError(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  const std::string msg = fmt::format("{}: {}", what, db != nullptr ? sqlite3_errmsg(db) : "");
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Unavailable("the database is busy; try again");
  }
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return AlreadyExists(msg);
  }
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
    return InvalidArgument("a referenced record does not exist in this organisation");
  }
  if (primary == SQLITE_CONSTRAINT) return InvalidArgument(msg);
  return Internal(msg);
}

}  // namespace

// One SQLite connection with its prepared-statement cache. Used by one thread at a time.
class SqliteConnection {
 public:
  SqliteConnection(sqlite3* db, SqliteStore* store) : db_(db), store_(store) {}
  ~SqliteConnection() {
    for (auto& [_, st] : cache_) sqlite3_finalize(st);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  sqlite3* db() const { return db_; }

  Status Exec(const std::string& sql) {
    char* err = nullptr;
    store_->Counted();
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err != nullptr ? err : "";
      sqlite3_free(err);
      Status st = MapError(db_, rc, "executing SQL");
      return st.code() == Code::kInternal ? Internal(msg) : st;
    }
    return Status::Ok();
  }

  Result<sqlite3_stmt*> Prepare(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* st = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &st, nullptr);
    if (rc != SQLITE_OK) return MapError(db_, rc, "preparing SQL");
    cache_.emplace(sql, st);
    return st;
  }

  SqliteStore* store() const { return store_; }

 private:
  sqlite3* db_;
  SqliteStore* store_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

namespace {

// A prepared statement in use: binds by position, steps, reads columns; resets on destruction.
class Stmt {
 public:
  Stmt(SqliteConnection& conn, sqlite3_stmt* st) : conn_(conn), st_(st) {}
  ~Stmt() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Int(int64_t v) {
    sqlite3_bind_int64(st_, ++pos_, v);
    return *this;
  }
  Stmt& Text(std::string_view v) {
    sqlite3_bind_text(st_, ++pos_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Null() {
    sqlite3_bind_null(st_, ++pos_);
    return *this;
  }
  // Binds a field value in its column representation.
  Stmt& Value(const FieldSpec& f, const domain::Json& v) {
    if (v.is_null()) return Null();
    switch (f.type) {
      case FieldType::kBool:
        return Int(v.get<bool>() ? 1 : 0);
      case FieldType::kInteger:
      case FieldType::kUser:
        return Int(v.get<int64_t>());
      case FieldType::kList:
      case FieldType::kTable:
        return Text(v.dump());
      default:
        return Text(v.get_ref<const std::string&>());
    }
  }
  Stmt& Json(const domain::Json& v) {
    if (v.is_null()) return Null();
    if (v.is_boolean()) return Int(v.get<bool>() ? 1 : 0);
    if (v.is_number_integer()) return Int(v.get<int64_t>());
    if (v.is_string()) return Text(v.get_ref<const std::string&>());
    return Text(v.dump());
  }

  // Steps once: true when a row is available.
  Result<bool> Step() {
    if (!counted_) {
      conn_.store()->Counted();
      counted_ = true;
    }
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return MapError(conn_.db(), sqlite3_extended_errcode(conn_.db()), "running SQL");
  }
  Status Run() {
    auto r = Step();
    return r.ok() ? Status::Ok() : r.status();
  }

  bool IsNull(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }
  int64_t ColInt(int col) const { return sqlite3_column_int64(st_, col); }
  std::string ColText(int col) const {
    const auto* p = sqlite3_column_text(st_, col);
    return p != nullptr ? std::string(reinterpret_cast<const char*>(p),
                                      static_cast<size_t>(sqlite3_column_bytes(st_, col)))
                        : std::string();
  }
  domain::Json ColValue(const FieldSpec& f, int col) const {
    if (IsNull(col)) return f.type == FieldType::kBool ? domain::Json(false) : domain::Json();
    switch (f.type) {
      case FieldType::kBool:
        return ColInt(col) != 0;
      case FieldType::kInteger:
      case FieldType::kUser:
        return ColInt(col);
      case FieldType::kList:
      case FieldType::kTable:
        return domain::Json::parse(ColText(col), nullptr, /*allow_exceptions=*/false);
      default:
        return ColText(col);
    }
  }

 private:
  SqliteConnection& conn_;
  sqlite3_stmt* st_;
  int pos_ = 0;
  bool counted_ = false;
};

Result<std::unique_ptr<Stmt>> Prepare(SqliteConnection& conn, const std::string& sql) {
  ASSIGN_OR_RETURN(sqlite3_stmt * st, conn.Prepare(sql));
  return std::make_unique<Stmt>(conn, st);
}

// A write transaction: BEGIN IMMEDIATE now, ROLLBACK unless committed.
class WriteTx {
 public:
  explicit WriteTx(SqliteConnection& conn) : conn_(conn) {}
  ~WriteTx() {
    if (open_) (void)conn_.Exec("ROLLBACK");
  }
  Status Begin() {
    RETURN_IF_ERROR(conn_.Exec("BEGIN IMMEDIATE"));
    open_ = true;
    return Status::Ok();
  }
  Status Commit() {
    RETURN_IF_ERROR(conn_.Exec("COMMIT"));
    open_ = false;
    return Status::Ok();
  }

 private:
  SqliteConnection& conn_;
  bool open_ = false;
};

std::string SelectColumns(const RegisterSpec& spec) {
  std::string cols = "id, org_id, version, created_at, updated_at, created_by, updated_by";
  for (const auto& f : spec.fields) cols += ", " + f.name;
  return cols;
}

Record ReadRecord(const RegisterSpec& spec, const Stmt& st) {
  Record r;
  r.id = st.ColInt(0);
  r.org_id = st.ColInt(1);
  r.version = st.ColInt(2);
  r.created_at = st.ColText(3);
  r.updated_at = st.ColText(4);
  r.created_by = st.ColInt(5);
  r.updated_by = st.ColInt(6);
  int col = 7;
  for (const auto& f : spec.fields) r.fields[f.name] = st.ColValue(f, col++);
  return r;
}

domain::AuditEvent ReadEvent(const Stmt& st) {
  domain::AuditEvent e;
  e.seq = st.ColInt(0);
  e.at = st.ColText(1);
  e.org_id = st.ColInt(2);
  e.actor_id = st.ColInt(3);
  e.actor = st.ColText(4);
  e.action = st.ColText(5);
  e.record_type = st.ColText(6);
  e.record_id = st.ColInt(7);
  e.diff = domain::Json::parse(st.ColText(8), nullptr, false);
  e.prev_hash = st.ColText(9);
  e.hash = st.ColText(10);
  return e;
}

constexpr const char* kEventColumns =
    "seq, at, org_id, actor_id, actor, action, record_type, record_id, diff, prev_hash, hash";

// Appends to the chain; the caller holds the write transaction.
Status AppendAuditTx(SqliteConnection& conn, const AuditDraft& d) {
  domain::AuditEvent e;
  {
    ASSIGN_OR_RETURN(auto last,
                     Prepare(conn, "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"));
    ASSIGN_OR_RETURN(bool row, last->Step());
    e.seq = row ? last->ColInt(0) + 1 : 1;
    e.prev_hash = row ? last->ColText(1) : std::string(domain::kGenesisHash);
  }
  e.at = d.at;
  e.org_id = d.org_id;
  e.actor_id = d.actor_id;
  e.actor = d.actor;
  e.action = d.action;
  e.record_type = d.record_type;
  e.record_id = d.record_id;
  e.diff = d.diff.is_null() ? domain::Json::object() : d.diff;
  e.hash = domain::ComputeAuditHash(e);
  ASSIGN_OR_RETURN(auto ins, Prepare(conn, fmt::format("INSERT INTO audit_events ({}) VALUES "
                                                       "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                                       kEventColumns)));
  ins->Int(e.seq).Text(e.at).Int(e.org_id).Int(e.actor_id).Text(e.actor).Text(e.action);
  // Encoded as CanonicalEncoding() encodes it (invalid UTF-8 replaced, never thrown), so the
  // stored diff reads back to the bytes that were hashed.
  ins->Text(e.record_type).Int(e.record_id);
  ins->Text(e.diff.dump(-1, ' ', false, domain::Json::error_handler_t::replace));
  ins->Text(e.prev_hash).Text(e.hash);
  return ins->Run();
}

Result<Record> GetTx(SqliteConnection& conn, const RegisterSpec& spec, int64_t org_id, int64_t id) {
  ASSIGN_OR_RETURN(auto st, Prepare(conn, fmt::format("SELECT {} FROM {} WHERE org_id = ? AND "
                                                      "id = ?",
                                                      SelectColumns(spec), spec.table)));
  st->Int(org_id).Int(id);
  ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound(fmt::format("no {} with id {}", ToLower(spec.singular), id));
  return ReadRecord(spec, *st);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Connections

void SqliteStore::ReturnToPool::operator()(SqliteConnection* conn) const {
  std::lock_guard lock(store->mu_);
  store->idle_.emplace_back(conn);
}

SqliteStore::SqliteStore(std::string path) : path_(std::move(path)) {}
SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  auto store = std::unique_ptr<SqliteStore>(new SqliteStore(path));
  ASSIGN_OR_RETURN(auto conn, store->Acquire());  // fails early on a bad path
  return store;
}

Result<SqliteStore::ConnPtr> SqliteStore::Acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      SqliteConnection* c = idle_.back().release();
      idle_.pop_back();
      return ConnPtr(c, ReturnToPool{this});
    }
  }
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
  ConnPtr conn(new SqliteConnection(db, this), ReturnToPool{this});
  RETURN_IF_ERROR(
      conn->Exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"));
  return conn;
}

// ---------------------------------------------------------------------------------------------
// Migrations

Result<int> SqliteStore::Migrate() {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  RETURN_IF_ERROR(conn->Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at TEXT NOT NULL)"));
  int applied = 0;
  for (const auto& m : SqliteMigrations()) {
    WriteTx tx(*conn);
    RETURN_IF_ERROR(tx.Begin());
    ASSIGN_OR_RETURN(auto check,
                     Prepare(*conn, "SELECT 1 FROM schema_migrations WHERE number = ?"));
    check->Int(m.number);
    ASSIGN_OR_RETURN(bool done, check->Step());
    check.reset();
    if (done) continue;
    Status st = conn->Exec(std::string(m.sql));
    if (!st.ok()) return Internal(fmt::format("migration {} failed: {}", m.name, st.message()));
    ASSIGN_OR_RETURN(auto rec, Prepare(*conn,
                                       "INSERT INTO schema_migrations (number, name, "
                                       "applied_at) VALUES (?, ?, datetime('now'))"));
    rec->Int(m.number).Text(m.name);
    RETURN_IF_ERROR(rec->Run());
    rec.reset();
    RETURN_IF_ERROR(tx.Commit());
    ++applied;
  }
  // The register descriptions and the schema must agree: a field without its column is a
  // programming error caught at start-up, not at the first write.
  for (const RegisterSpec* spec : domain::AllRegisters()) {
    for (const auto& f : spec->fields) {
      ASSIGN_OR_RETURN(auto col,
                       Prepare(*conn, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?"));
      col->Text(spec->table).Text(f.name);
      ASSIGN_OR_RETURN(bool found, col->Step());
      if (!found) {
        return Internal(
            fmt::format("register {} describes field {} but table {} has no such "
                        "column",
                        spec->type, f.name, spec->table));
      }
    }
  }
  // A register with searchable fields has a search index over exactly those fields.
  for (const RegisterSpec* spec : domain::AllRegisters()) {
    for (const auto& f : spec->fields) {
      if (!f.searchable) continue;
      ASSIGN_OR_RETURN(auto col,
                       Prepare(*conn, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?"));
      col->Text(spec->table + "_search").Text(f.name);
      ASSIGN_OR_RETURN(bool found, col->Step());
      if (!found) {
        return Internal(fmt::format("register {} searches field {} but {}_search does not index it",
                                    spec->type, f.name, spec->table));
      }
    }
  }
  return applied;
}

Result<int> SqliteStore::SchemaVersion() {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto st, Prepare(*conn,
                                    "SELECT COALESCE(MAX(number), 0) FROM "
                                    "schema_migrations"));
  ASSIGN_OR_RETURN(bool row, st->Step());
  return row ? static_cast<int>(st->ColInt(0)) : 0;
}

// ---------------------------------------------------------------------------------------------
// Registers

Result<Record> SqliteStore::Get(const RegisterSpec& spec, int64_t org_id, int64_t id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  return GetTx(*conn, spec, org_id, id);
}

namespace {

domain::Json SortValue(const Record& r, const std::string& sort) {
  if (sort == "id") return r.id;
  if (sort == "created_at") return r.created_at;
  if (sort == "updated_at") return r.updated_at;
  return r.fields.value(sort, domain::Json());
}

std::string EscapeLike(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

namespace {

// The WHERE clause of a list or count: organisation, filters, search. Appends bind values.
Status BuildWhere(const RegisterSpec& spec, int64_t org_id, const ListQuery& q, std::string& where,
                  std::vector<domain::Json>& binds) {
  where = "org_id = ?";
  binds = {org_id};
  for (const auto& f : q.filters) {
    const FieldSpec* fs = spec.Field(f.field);
    if (fs == nullptr || !fs->filterable) {
      return InvalidArgument(fmt::format("cannot filter by \"{}\"", f.field), f.field);
    }
    if (f.value.is_null()) {
      where += fmt::format(" AND {} IS NULL", fs->name);
    } else {
      where += fmt::format(" AND {} = ?", fs->name);
      binds.push_back(f.value);
    }
  }
  if (!q.search.empty()) {
    const bool searchable = std::any_of(spec.fields.begin(), spec.fields.end(),
                                        [](const FieldSpec& f) { return f.searchable; });
    if (searchable && Utf8Length(q.search) >= 3) {
      // The trigram index (migration 0003) finds substrings of three characters or more.
      where += fmt::format(" AND id IN (SELECT rowid FROM {0}_search WHERE {0}_search MATCH ?)",
                           spec.table);
      std::string phrase = "\"";
      for (char c : q.search) phrase += c == '"' ? std::string("\"\"") : std::string(1, c);
      binds.emplace_back(phrase + "\"");
    } else if (searchable) {
      // Shorter text is below the index's grain: scan.
      std::string any;
      for (const auto& f : spec.fields) {
        if (!f.searchable) continue;
        any += fmt::format("{}{} LIKE ? ESCAPE '\\'", any.empty() ? "" : " OR ", f.name);
        binds.emplace_back("%" + EscapeLike(q.search) + "%");
      }
      where += " AND (" + any + ")";
    }
  }
  return Status::Ok();
}

}  // namespace

Result<int64_t> SqliteStore::Count(const RegisterSpec& spec, int64_t org_id, const ListQuery& q) {
  std::string where;
  std::vector<domain::Json> binds;
  RETURN_IF_ERROR(BuildWhere(spec, org_id, q, where, binds));
  ASSIGN_OR_RETURN(auto conn, Acquire());
  const std::string sql =
      q.total_limit > 0 ? fmt::format("SELECT COUNT(*) FROM (SELECT 1 FROM {} WHERE {} LIMIT ?)",
                                      spec.table, where)
                        : fmt::format("SELECT COUNT(*) FROM {} WHERE {}", spec.table, where);
  ASSIGN_OR_RETURN(auto st, Prepare(*conn, sql));
  for (const auto& b : binds) st->Json(b);
  if (q.total_limit > 0) st->Int(q.total_limit + 1);
  ASSIGN_OR_RETURN(bool row, st->Step());
  return row ? st->ColInt(0) : 0;
}

Result<Page> SqliteStore::List(const RegisterSpec& spec, int64_t org_id, const ListQuery& q) {
  if (!spec.IsSortable(q.sort)) {
    return InvalidArgument(fmt::format("cannot sort by \"{}\"", q.sort), "sort");
  }
  if (q.limit < 1 || q.limit > 500) {
    return InvalidArgument("limit must be between 1 and 500", "limit");
  }
  std::string where;
  std::vector<domain::Json> binds;
  RETURN_IF_ERROR(BuildWhere(spec, org_id, q, where, binds));

  const std::string& s = q.sort;
  if (!q.cursor.empty()) {
    auto raw = Base64UrlDecode(q.cursor);
    domain::Json c = raw.ok() ? domain::Json::parse(*raw, nullptr, false) : domain::Json();
    if (!c.is_array() || c.size() != 4 || c[0] != s || c[1] != q.descending ||
        !c[3].is_number_integer()) {
      return InvalidArgument("the cursor is not valid for this list and sort order", "cursor");
    }
    const domain::Json& v = c[2];
    const int64_t last_id = c[3].get<int64_t>();
    if (s == "id") {
      where += q.descending ? " AND id < ?" : " AND id > ?";
      binds.emplace_back(last_id);
    } else if (!q.descending) {  // ASC NULLS FIRST, id ASC
      if (v.is_null()) {
        where += fmt::format(" AND (({0} IS NULL AND id > ?) OR {0} IS NOT NULL)", s);
        binds.emplace_back(last_id);
      } else {
        where += fmt::format(" AND ({0} > ? OR ({0} = ? AND id > ?))", s);
        binds.insert(binds.end(), {v, v, last_id});
      }
    } else {  // DESC NULLS LAST, id DESC
      if (v.is_null()) {
        where += fmt::format(" AND ({} IS NULL AND id < ?)", s);
        binds.emplace_back(last_id);
      } else {
        where += fmt::format(" AND ({0} < ? OR ({0} = ? AND id < ?) OR {0} IS NULL)", s);
        binds.insert(binds.end(), {v, v, last_id});
      }
    }
  }
  std::string order;
  if (s == "id") {
    order = q.descending ? "id DESC" : "id ASC";
  } else {
    order = q.descending ? fmt::format("{} DESC NULLS LAST, id DESC", s)
                         : fmt::format("{} ASC NULLS FIRST, id ASC", s);
  }
  ASSIGN_OR_RETURN(auto conn, Acquire());
  Page page;
  {
    ASSIGN_OR_RETURN(auto st,
                     Prepare(*conn, fmt::format("SELECT {} FROM {} WHERE {} ORDER BY {} LIMIT ?",
                                                SelectColumns(spec), spec.table, where, order)));
    for (const auto& b : binds) st->Json(b);
    st->Int(q.limit + 1);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      page.records.push_back(ReadRecord(spec, *st));
    }
  }
  if (static_cast<int>(page.records.size()) > q.limit) {
    page.records.pop_back();
    const Record& last = page.records.back();
    page.next_cursor =
        Base64UrlEncode(domain::Json::array({s, q.descending, SortValue(last, s), last.id}).dump());
  }
  if (q.with_total) {
    conn.reset();
    ASSIGN_OR_RETURN(page.total, Count(spec, org_id, q));
    if (q.total_limit > 0 && *page.total > q.total_limit) {
      page.total = q.total_limit;
      page.total_capped = true;
    }
  }
  return page;
}

Result<std::vector<Record>> SqliteStore::Write(const Actor& actor,
                                               const std::vector<Mutation>& mutations) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  WriteTx tx(*conn);
  RETURN_IF_ERROR(tx.Begin());
  std::vector<Record> out;
  for (const auto& m : mutations) {
    const RegisterSpec& spec = *m.spec;
    int64_t id = m.id;
    Record written;
    if (m.kind == Mutation::Kind::kInsert) {
      std::string cols = "org_id, version, created_at, updated_at, created_by, updated_by";
      std::string qs = "?, 1, ?, ?, ?, ?";
      for (const auto& f : spec.fields) {
        cols += ", " + f.name;
        // Numbered inside the write lock, so concurrent inserts never share a number.
        qs += f.sequence ? fmt::format(
                               ", (SELECT COALESCE(MAX({}), 0) + 1 FROM {} WHERE org_id "
                               "= ?)",
                               f.name, spec.table)
                         : std::string(", ?");
      }
      ASSIGN_OR_RETURN(auto st, Prepare(*conn, fmt::format("INSERT INTO {} ({}) VALUES ({})",
                                                           spec.table, cols, qs)));
      st->Int(actor.org_id).Text(actor.now).Text(actor.now).Int(actor.user_id).Int(actor.user_id);
      for (const auto& f : spec.fields) {
        if (f.sequence) {
          st->Int(actor.org_id);
        } else {
          st->Value(f, m.fields.value(f.name, domain::Json()));
        }
      }
      RETURN_IF_ERROR(st->Run());
      id = sqlite3_last_insert_rowid(conn->db());
    } else {
      // The version check: only a row at the expected version changes.
      auto current = GetTx(*conn, spec, actor.org_id, id);
      if (!current.ok()) return current.status();
      if (current->version != m.expected_version) {
        return Conflict(
            fmt::format("{} {} is at version {}, not {}: it was changed by someone "
                        "else; reload and try again",
                        spec.singular, id, current->version, m.expected_version));
      }
      if (m.kind == Mutation::Kind::kUpdate) {
        std::string sets = "version = version + 1, updated_at = ?, updated_by = ?";
        for (const auto& f : spec.fields) sets += fmt::format(", {} = ?", f.name);
        ASSIGN_OR_RETURN(auto st, Prepare(*conn, fmt::format("UPDATE {} SET {} WHERE org_id = ? "
                                                             "AND id = ? AND version = ?",
                                                             spec.table, sets)));
        st->Text(actor.now).Int(actor.user_id);
        for (const auto& f : spec.fields) st->Value(f, m.fields.value(f.name, domain::Json()));
        st->Int(actor.org_id).Int(id).Int(m.expected_version);
        RETURN_IF_ERROR(st->Run());
      } else {
        written = std::move(current).value();
        ASSIGN_OR_RETURN(auto st, Prepare(*conn, fmt::format("DELETE FROM {} WHERE org_id = ? AND "
                                                             "id = ? AND version = ?",
                                                             spec.table)));
        st->Int(actor.org_id).Int(id).Int(m.expected_version);
        RETURN_IF_ERROR(st->Run());
      }
    }
    if (m.kind != Mutation::Kind::kDelete) {
      ASSIGN_OR_RETURN(written, GetTx(*conn, spec, actor.org_id, id));
    }
    RETURN_IF_ERROR(AppendAuditTx(*conn, AuditDraft{.org_id = actor.org_id,
                                                    .actor_id = actor.user_id,
                                                    .actor = actor.username,
                                                    .at = actor.now,
                                                    .action = m.action,
                                                    .record_type = spec.type,
                                                    .record_id = id,
                                                    .diff = m.diff}));
    out.push_back(std::move(written));
  }
  RETURN_IF_ERROR(tx.Commit());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Organisations and users

namespace {

constexpr const char* kUserColumns =
    "id, username, display_name, password_hash, must_change_password, disabled, created_at";

domain::User ReadUser(const Stmt& st) {
  domain::User u;
  u.id = st.ColInt(0);
  u.username = st.ColText(1);
  u.display_name = st.ColText(2);
  u.password_hash = st.ColText(3);
  u.must_change_password = st.ColInt(4) != 0;
  u.disabled = st.ColInt(5) != 0;
  u.created_at = st.ColText(6);
  return u;
}

Result<domain::Organisation> ReadOrganisation(Stmt& st) {
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound("no such organisation");
  return domain::Organisation{st.ColInt(0), st.ColText(1), st.ColText(2)};
}

}  // namespace

Result<domain::Organisation> SqliteStore::CreateOrganisation(const std::string& name,
                                                             const AuditDraft& audit) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  WriteTx tx(*conn);
  RETURN_IF_ERROR(tx.Begin());
  {
    ASSIGN_OR_RETURN(auto st, Prepare(*conn,
                                      "INSERT INTO organisations (name, created_at) "
                                      "VALUES (?, ?)"));
    st->Text(name).Text(audit.at);
    Status s = st->Run();
    if (s.code() == Code::kAlreadyExists) {
      return AlreadyExists(fmt::format("an organisation named \"{}\" exists already", name),
                           "name");
    }
    RETURN_IF_ERROR(s);
  }
  const int64_t id = sqlite3_last_insert_rowid(conn->db());
  AuditDraft a = audit;
  a.org_id = id;
  a.record_id = id;
  RETURN_IF_ERROR(AppendAuditTx(*conn, a));
  RETURN_IF_ERROR(tx.Commit());
  return domain::Organisation{id, name, audit.at};
}

Result<domain::Organisation> SqliteStore::FindOrganisation(const std::string& name) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto st, Prepare(*conn,
                                    "SELECT id, name, created_at FROM organisations WHERE "
                                    "name = ?"));
  st->Text(name);
  return ReadOrganisation(*st);
}

Result<domain::Organisation> SqliteStore::GetOrganisation(int64_t id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto st, Prepare(*conn,
                                    "SELECT id, name, created_at FROM organisations WHERE "
                                    "id = ?"));
  st->Int(id);
  return ReadOrganisation(*st);
}

Result<std::vector<domain::Organisation>> SqliteStore::ListOrganisations() {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto st, Prepare(*conn,
                                    "SELECT id, name, created_at FROM organisations ORDER "
                                    "BY id"));
  std::vector<domain::Organisation> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    out.push_back({st->ColInt(0), st->ColText(1), st->ColText(2)});
  }
  return out;
}

Result<domain::User> SqliteStore::CreateUser(const domain::User& user, int64_t org_id,
                                             domain::Role role, AuditDraft audit) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  WriteTx tx(*conn);
  RETURN_IF_ERROR(tx.Begin());
  {
    ASSIGN_OR_RETURN(auto st, Prepare(*conn,
                                      "INSERT INTO users (username, display_name, "
                                      "password_hash, must_change_password, disabled, "
                                      "created_at) VALUES (?, ?, ?, ?, 0, ?)"));
    st->Text(user.username).Text(user.display_name).Text(user.password_hash);
    st->Int(user.must_change_password ? 1 : 0).Text(user.created_at);
    Status s = st->Run();
    if (s.code() == Code::kAlreadyExists) {
      return AlreadyExists(fmt::format("the user name \"{}\" is taken", user.username), "username");
    }
    RETURN_IF_ERROR(s);
  }
  domain::User out = user;
  out.id = sqlite3_last_insert_rowid(conn->db());
  {
    ASSIGN_OR_RETURN(auto st, Prepare(*conn,
                                      "INSERT INTO memberships (user_id, org_id, role) "
                                      "VALUES (?, ?, ?)"));
    st->Int(out.id).Int(org_id).Text(domain::RoleName(role));
    RETURN_IF_ERROR(st->Run());
  }
  audit.record_id = out.id;
  RETURN_IF_ERROR(AppendAuditTx(*conn, audit));
  RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<domain::User> SqliteStore::FindUser(const std::string& username) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto st, Prepare(*conn, fmt::format("SELECT {} FROM users WHERE username = ?",
                                                       kUserColumns)));
  st->Text(username);
  ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound(fmt::format("no user named \"{}\"", username));
  return ReadUser(*st);
}

Result<domain::User> SqliteStore::GetUser(int64_t id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto st,
                   Prepare(*conn, fmt::format("SELECT {} FROM users WHERE id = ?", kUserColumns)));
  st->Int(id);
  ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound(fmt::format("no user with id {}", id));
  return ReadUser(*st);
}

Result<std::optional<domain::Membership>> SqliteStore::GetMembership(int64_t user_id,
                                                                     int64_t org_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto st, Prepare(*conn,
                                    "SELECT role FROM memberships WHERE user_id = ? AND "
                                    "org_id = ?"));
  st->Int(user_id).Int(org_id);
  ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return std::optional<domain::Membership>();
  const auto role = domain::ParseRole(st->ColText(0));
  if (!role) return Internal("unknown role in the database: " + st->ColText(0));
  return std::optional<domain::Membership>(domain::Membership{user_id, org_id, *role});
}

Result<std::vector<domain::Membership>> SqliteStore::Memberships(int64_t user_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto st, Prepare(*conn,
                                    "SELECT org_id, role FROM memberships WHERE user_id = "
                                    "? ORDER BY org_id"));
  st->Int(user_id);
  std::vector<domain::Membership> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    const auto role = domain::ParseRole(st->ColText(1));
    if (!role) return Internal("unknown role in the database: " + st->ColText(1));
    out.push_back({user_id, st->ColInt(0), *role});
  }
  return out;
}

Result<std::vector<UserSummary>> SqliteStore::ListMembers(int64_t org_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto st, Prepare(*conn,
                                    "SELECT u.id, u.username, u.display_name, u.disabled, "
                                    "m.role FROM users u JOIN memberships m ON m.user_id "
                                    "= u.id WHERE m.org_id = ? ORDER BY u.username"));
  st->Int(org_id);
  std::vector<UserSummary> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    out.push_back(
        {st->ColInt(0), st->ColText(1), st->ColText(2), st->ColInt(3) != 0, st->ColText(4)});
  }
  return out;
}

Status SqliteStore::SetPassword(int64_t user_id, const std::string& password_hash, bool must_change,
                                const AuditDraft& audit) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  WriteTx tx(*conn);
  RETURN_IF_ERROR(tx.Begin());
  {
    ASSIGN_OR_RETURN(auto st, Prepare(*conn,
                                      "UPDATE users SET password_hash = ?, "
                                      "must_change_password = ? WHERE id = ?"));
    st->Text(password_hash).Int(must_change ? 1 : 0).Int(user_id);
    RETURN_IF_ERROR(st->Run());
  }
  if (sqlite3_changes(conn->db()) == 0) return NotFound("no such user");
  RETURN_IF_ERROR(AppendAuditTx(*conn, audit));
  return tx.Commit();
}

Status SqliteStore::DisableUser(int64_t user_id, const AuditDraft& audit) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  WriteTx tx(*conn);
  RETURN_IF_ERROR(tx.Begin());
  for (const char* sql :
       {"UPDATE users SET disabled = 1 WHERE id = ?", "DELETE FROM sessions WHERE user_id = ?",
        "UPDATE api_tokens SET revoked = 1 WHERE user_id = ?"}) {
    ASSIGN_OR_RETURN(auto st, Prepare(*conn, sql));
    st->Int(user_id);
    RETURN_IF_ERROR(st->Run());
  }
  RETURN_IF_ERROR(AppendAuditTx(*conn, audit));
  return tx.Commit();
}

// ---------------------------------------------------------------------------------------------
// Sessions and tokens

Status SqliteStore::CreateSession(const domain::Session& s, const AuditDraft& audit) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  WriteTx tx(*conn);
  RETURN_IF_ERROR(tx.Begin());
  {
    ASSIGN_OR_RETURN(auto st, Prepare(*conn,
                                      "INSERT INTO sessions (id_hash, user_id, org_id, "
                                      "csrf_token, created_at, expires_at) VALUES (?, ?, "
                                      "?, ?, ?, ?)"));
    st->Text(s.id_hash).Int(s.user_id).Int(s.org_id).Text(s.csrf_token).Text(s.created_at);
    st->Text(s.expires_at);
    RETURN_IF_ERROR(st->Run());
  }
  RETURN_IF_ERROR(AppendAuditTx(*conn, audit));
  return tx.Commit();
}

Result<domain::Session> SqliteStore::FindSession(const std::string& id_hash) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto st, Prepare(*conn,
                                    "SELECT id_hash, user_id, org_id, csrf_token, "
                                    "created_at, expires_at FROM sessions WHERE id_hash "
                                    "= ?"));
  st->Text(id_hash);
  ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound("no such session");
  return domain::Session{st->ColText(0), st->ColInt(1),  st->ColInt(2),
                         st->ColText(3), st->ColText(4), st->ColText(5)};
}

namespace {

// Columns: user (id, username, display_name, must_change_password, disabled), organisation
// (id, name), role, then the credential's own columns.
constexpr const char* kOwnerColumns =
    "u.id, u.username, u.display_name, u.must_change_password, u.disabled, o.id, o.name, m.role";

CredentialOwner ReadOwner(const Stmt& st) {
  CredentialOwner c;
  c.user.id = st.ColInt(0);
  c.user.username = st.ColText(1);
  c.user.display_name = st.ColText(2);
  c.user.must_change_password = st.ColInt(3) != 0;
  c.user.disabled = st.ColInt(4) != 0;
  c.org_id = st.ColInt(5);
  c.org_name = st.ColText(6);
  if (!st.IsNull(7)) c.role = domain::ParseRole(st.ColText(7));
  return c;
}

}  // namespace

Result<CredentialOwner> SqliteStore::FindSessionOwner(const std::string& id_hash) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto st,
                   Prepare(*conn, fmt::format("SELECT {}, s.csrf_token, s.expires_at FROM "
                                              "sessions s JOIN users u ON u.id = s.user_id JOIN "
                                              "organisations o ON o.id = s.org_id LEFT JOIN "
                                              "memberships m ON m.user_id = s.user_id AND "
                                              "m.org_id = s.org_id WHERE s.id_hash = ?",
                                              kOwnerColumns)));
  st->Text(id_hash);
  ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound("no such session");
  CredentialOwner c = ReadOwner(*st);
  c.csrf_token = st->ColText(8);
  c.expires_at = st->ColText(9);
  return c;
}

Result<CredentialOwner> SqliteStore::FindTokenOwner(const std::string& token_hash) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto st,
                   Prepare(*conn, fmt::format("SELECT {}, t.revoked FROM api_tokens t JOIN "
                                              "users u ON u.id = t.user_id JOIN organisations o "
                                              "ON o.id = t.org_id LEFT JOIN memberships m ON "
                                              "m.user_id = t.user_id AND m.org_id = t.org_id "
                                              "WHERE t.token_hash = ?",
                                              kOwnerColumns)));
  st->Text(token_hash);
  ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound("no such token");
  CredentialOwner c = ReadOwner(*st);
  c.revoked = st->ColInt(8) != 0;
  return c;
}

Status SqliteStore::DeleteSession(const std::string& id_hash, const AuditDraft& audit) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  WriteTx tx(*conn);
  RETURN_IF_ERROR(tx.Begin());
  {
    ASSIGN_OR_RETURN(auto st, Prepare(*conn, "DELETE FROM sessions WHERE id_hash = ?"));
    st->Text(id_hash);
    RETURN_IF_ERROR(st->Run());
  }
  RETURN_IF_ERROR(AppendAuditTx(*conn, audit));
  return tx.Commit();
}

Result<domain::ApiToken> SqliteStore::CreateToken(const domain::ApiToken& t, AuditDraft audit) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  WriteTx tx(*conn);
  RETURN_IF_ERROR(tx.Begin());
  {
    ASSIGN_OR_RETURN(auto st, Prepare(*conn,
                                      "INSERT INTO api_tokens (token_hash, user_id, "
                                      "org_id, name, created_at) VALUES (?, ?, ?, ?, ?)"));
    st->Text(t.token_hash).Int(t.user_id).Int(t.org_id).Text(t.name).Text(t.created_at);
    RETURN_IF_ERROR(st->Run());
  }
  domain::ApiToken out = t;
  out.id = sqlite3_last_insert_rowid(conn->db());
  audit.record_id = out.id;
  RETURN_IF_ERROR(AppendAuditTx(*conn, audit));
  RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<domain::ApiToken> SqliteStore::FindToken(const std::string& token_hash) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto st, Prepare(*conn,
                                    "SELECT id, token_hash, user_id, org_id, name, "
                                    "created_at, revoked FROM api_tokens WHERE token_hash "
                                    "= ?"));
  st->Text(token_hash);
  ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return NotFound("no such token");
  return domain::ApiToken{st->ColInt(0),  st->ColText(1), st->ColInt(2),     st->ColInt(3),
                          st->ColText(4), st->ColText(5), st->ColInt(6) != 0};
}

// ---------------------------------------------------------------------------------------------
// Audit trail

Status SqliteStore::AppendAudit(const AuditDraft& audit) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  WriteTx tx(*conn);
  RETURN_IF_ERROR(tx.Begin());
  RETURN_IF_ERROR(AppendAuditTx(*conn, audit));
  return tx.Commit();
}

Result<std::vector<domain::AuditEvent>> SqliteStore::RecordHistory(int64_t org_id,
                                                                   const std::string& record_type,
                                                                   int64_t record_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto st, Prepare(*conn, fmt::format("SELECT {} FROM audit_events WHERE org_id "
                                                       "= ? AND record_type = ? AND record_id = "
                                                       "? ORDER BY seq",
                                                       kEventColumns)));
  st->Int(org_id).Text(record_type).Int(record_id);
  std::vector<domain::AuditEvent> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    out.push_back(ReadEvent(*st));
  }
  return out;
}

Result<std::vector<domain::AuditEvent>> SqliteStore::RecentEvents(int64_t org_id, int limit) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto st, Prepare(*conn, fmt::format("SELECT {} FROM audit_events WHERE org_id "
                                                       "= ? ORDER BY seq DESC LIMIT ?",
                                                       kEventColumns)));
  st->Int(org_id).Int(limit);
  std::vector<domain::AuditEvent> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    out.push_back(ReadEvent(*st));
  }
  return out;
}

Status SqliteStore::ScanAudit(const std::function<bool(const domain::AuditEvent&)>& fn) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  // One read transaction: a consistent snapshot of the chain while it is walked.
  RETURN_IF_ERROR(conn->Exec("BEGIN"));
  Status result = Status::Ok();
  {
    auto st =
        Prepare(*conn, fmt::format("SELECT {} FROM audit_events ORDER BY seq", kEventColumns));
    if (!st.ok()) {
      result = st.status();
    } else {
      while (true) {
        auto row = (*st)->Step();
        if (!row.ok()) {
          result = row.status();
          break;
        }
        if (!*row || !fn(ReadEvent(**st))) break;
      }
    }
  }
  (void)conn->Exec("COMMIT");
  return result;
}

}  // namespace rampart::store

#include "store/sql/sql_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <variant>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/memory.h"
#include "base/text.h"
#include "domain/registers.h"
#include "store/sql/sql_util.h"

namespace rampart::store {

using domain::FieldSpec;
using domain::FieldType;
using domain::Json;
using domain::Record;
using domain::RegisterSpec;

std::string EscapeLike(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

namespace {

SqlValue JsonParam(const Json& v) {
  if (v.is_null()) return std::monostate{};
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) return v.get<double>();
  if (v.is_string()) return v.get<std::string>();
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// A field value in its column representation.
SqlValue FieldParam(const FieldSpec& f, const Json& v) {
  if (v.is_null()) return std::monostate{};
  switch (f.type) {
    case FieldType::kList:
    case FieldType::kTable:
    case FieldType::kRefs:
      return v.dump(-1, ' ', false, Json::error_handler_t::replace);
    default:
      return JsonParam(v);
  }
}

Json ColumnValue(const FieldSpec& f, const SqlRows& r, int col) {
  if (r.IsNull(col)) return f.type == FieldType::kBool ? Json(false) : Json();
  switch (f.type) {
    case FieldType::kBool:
      return r.Bool(col);
    case FieldType::kInteger:
    case FieldType::kUser:
    case FieldType::kRef:
      return r.Int(col);
    case FieldType::kDecimal:
      return r.Real(col);
    case FieldType::kList:
    case FieldType::kTable:
    case FieldType::kRefs:
      return Json::parse(r.Text(col), nullptr, /*allow_exceptions=*/false);
    default:
      return r.Text(col);
  }
}

std::string SelectColumns(const RegisterSpec& spec) {
  std::string cols = "id, org_id, version, created_at, updated_at, created_by, updated_by";
  for (const auto& f : spec.fields) cols += ", " + f.name;
  return cols;
}

Record ReadRecord(const RegisterSpec& spec, const SqlRows& r) {
  Record rec;
  rec.id = r.Int(0);
  rec.org_id = r.Int(1);
  rec.version = r.Int(2);
  rec.created_at = r.Text(3);
  rec.updated_at = r.Text(4);
  rec.created_by = r.Int(5);
  rec.updated_by = r.Int(6);
  int col = 7;
  for (const auto& f : spec.fields) rec.fields[f.name] = ColumnValue(f, r, col++);
  return rec;
}

constexpr const char* kEventColumns =
    "seq, at, org_id, actor_id, actor, action, record_type, record_id, diff, prev_hash, hash, "
    "address, encoding";

domain::AuditEvent ReadEvent(const SqlRows& r) {
  domain::AuditEvent e;
  e.seq = r.Int(0);
  e.at = r.Text(1);
  e.org_id = r.Int(2);
  e.actor_id = r.Int(3);
  e.actor = r.Text(4);
  e.action = r.Text(5);
  e.record_type = r.Text(6);
  e.record_id = r.Int(7);
  e.diff = Json::parse(r.Text(8), nullptr, false);
  e.prev_hash = r.Text(9);
  e.hash = r.Text(10);
  e.address = r.Text(11);
  e.encoding = static_cast<int>(r.Int(12));
  return e;
}

}  // namespace

// Runs a statement whose rows are not needed.
Status Run(SqlConnection& conn, const std::string& sql, const Params& params) {
  return conn.Query(sql, params).status();
}

// Runs a query expected to give at most one row; nullopt-like false when none.
Result<std::unique_ptr<SqlRows>> One(SqlConnection& conn, const std::string& sql,
                                     const Params& params, bool& found) {
  ASSIGN_OR_RETURN(auto rows, conn.Query(sql, params));
  ASSIGN_OR_RETURN(found, rows->Next());
  return rows;
}

namespace {

// Places event `e` (its content filled in) in the chain after `tip`, read from the database when
// not known yet: its number, the previous event's hash and its own; leaves `tip` at it.
Status ChainEvent(SqlConnection& conn, domain::AuditEvent& e, AuditTip& tip) {
  NoteAuditedRecord(e.record_type, e.record_id);
  if (tip.seq > 0) {
    e.seq = tip.seq + 1;
    e.prev_hash = tip.hash;
  } else {
    bool found = false;
    ASSIGN_OR_RETURN(
        auto last,
        One(conn, "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1", {}, found));
    e.seq = found ? last->Int(0) + 1 : 1;
    e.prev_hash = found ? last->Text(1) : std::string(domain::kGenesisHash);
  }
  e.encoding = domain::kCurrentAuditEncoding;
  e.hash = domain::ComputeAuditHash(e);
  tip = {e.seq, e.hash};
  return Status::Ok();
}

// The columns of an audit_events row (kEventColumns) for `e`, appended to `params`.
void AppendEventParams(const domain::AuditEvent& e, Params& params) {
  // Encoded as CanonicalEncoding() encodes it (invalid UTF-8 replaced, never thrown), so the
  // stored diff reads back to the bytes that were hashed.
  params.insert(params.end(),
                {e.seq, e.at, e.org_id, e.actor_id, e.actor, e.action, e.record_type, e.record_id,
                 e.diff.dump(-1, ' ', false, Json::error_handler_t::replace), e.prev_hash, e.hash,
                 e.address, int64_t{e.encoding}});
}

constexpr size_t kEventParams = 13;  // the columns of kEventColumns
constexpr const char* kEventPlaceholders = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

}  // namespace

namespace {

// The event of `d`, before the chain places it (seq, prev_hash and hash unset).
domain::AuditEvent EventOf(AuditDraft d) {
  domain::AuditEvent e;
  e.at = std::move(d.at);
  e.org_id = d.org_id;
  e.actor_id = d.actor_id;
  e.actor = std::move(d.actor);
  e.action = std::move(d.action);
  e.record_type = std::move(d.record_type);
  e.record_id = d.record_id;
  e.diff = d.diff.is_null() ? Json::object() : std::move(d.diff);
  e.address = std::move(d.address);
  return e;
}

}  // namespace

// Appends to the chain; the caller holds the write transaction, which serialises appends.
Status AppendAuditTx(SqlConnection& conn, const AuditDraft& d, AuditTip* tip) {
  domain::AuditEvent e = EventOf(d);
  AuditTip next = tip != nullptr ? *tip : AuditTip{};
  RETURN_IF_ERROR(ChainEvent(conn, e, next));
  static const std::string kInsert =
      fmt::format("INSERT INTO audit_events ({}) VALUES {}", kEventColumns, kEventPlaceholders);
  Params params;
  params.reserve(kEventParams);
  AppendEventParams(e, params);
  RETURN_IF_ERROR(Run(conn, kInsert, params));
  if (tip != nullptr) *tip = std::move(next);
  return Status::Ok();
}

namespace {

Result<Record> GetTx(SqlConnection& conn, const RegisterSpec& spec, int64_t org_id, int64_t id) {
  bool found = false;
  ASSIGN_OR_RETURN(auto rows, One(conn,
                                  fmt::format("SELECT {} FROM {} WHERE org_id = ? AND id = ?",
                                              SelectColumns(spec), spec.table),
                                  {org_id, id}, found));
  if (!found) return NotFound(fmt::format("no {} with id {}", ToLower(spec.singular), id));
  return ReadRecord(spec, *rows);
}

// Keeps the record_links rows of the record's list-of-references fields equal to its lists.
Status WriteLinks(SqlConnection& conn, const RegisterSpec& spec, int64_t org_id, int64_t id,
                  const Mutation& m) {
  for (const auto& f : spec.fields) {
    if (f.type != FieldType::kRefs) continue;
    if (m.kind != Mutation::Kind::kInsert) {
      RETURN_IF_ERROR(Run(conn,
                          "DELETE FROM record_links WHERE record_type = ? AND record_id = ? AND "
                          "field = ?",
                          {spec.type, id, f.name}));
    }
    if (m.kind == Mutation::Kind::kDelete) continue;
    const Json& ids = m.fields.value(f.name, Json());
    if (!ids.is_array()) continue;
    for (const auto& target : ids) {
      RETURN_IF_ERROR(Run(conn,
                          "INSERT INTO record_links (org_id, record_type, record_id, field, "
                          "target_id) VALUES (?, ?, ?, ?, ?)",
                          {org_id, spec.type, id, f.name, target.get<int64_t>()}));
    }
  }
  return Status::Ok();
}

Json SortValue(const Record& r, const std::string& sort) {
  if (sort == "id") return r.id;
  if (sort == "created_at") return r.created_at;
  if (sort == "updated_at") return r.updated_at;
  return r.fields.value(sort, Json());
}

// The WHERE clause of a list or count: organisation, filters, search.
Status BuildWhere(const SqlDriver& driver, const RegisterSpec& spec, int64_t org_id,
                  const ListQuery& q, std::string& where, Params& params) {
  where = "org_id = ?";
  params = {org_id};
  bool by_links = false;
  for (const auto& f : q.filters) {
    if (f.field == "id" && f.value.is_array()) {  // the records with these ids
      std::string qs;
      for (const auto& v : f.value) {
        if (!v.is_number_integer()) return InvalidArgument("ids are whole numbers", "id");
        qs += qs.empty() ? "?" : ", ?";
        params.emplace_back(v.get<int64_t>());
      }
      where += qs.empty() ? " AND 1 = 0" : fmt::format(" AND id IN ({})", qs);
      continue;
    }
    const FieldSpec* fs = spec.Field(f.field);
    if (fs == nullptr || !fs->filterable) {
      return InvalidArgument(fmt::format("cannot filter by \"{}\"", f.field), f.field);
    }
    if (f.match != domain::Filter::Match::kEquals) {
      if (fs->type != FieldType::kDate ||
          !IsValidDate(f.value.is_string() ? f.value.get<std::string>() : "")) {
        return InvalidArgument(fmt::format("\"{}\" is compared with a date", f.field), f.field);
      }
      where += fmt::format(" AND {} {} ?", fs->name,
                           f.match == domain::Filter::Match::kBefore ? "<" : ">=");
      params.push_back(FieldParam(*fs, f.value));
      continue;
    }
    if (fs->type == FieldType::kRefs) {
      // "Records whose list holds this id" through the link rows (an empty list: none).
      if (f.value.is_null()) {
        where += fmt::format(" AND {} IS NULL", fs->name);
      } else {
        where +=
            " AND id IN (SELECT record_id FROM record_links WHERE org_id = ? AND "
            "record_type = ? AND field = ? AND target_id = ?)";
        params.insert(params.end(), {org_id, spec.type, fs->name, JsonParam(f.value)});
        by_links = true;
      }
    } else if (f.value.is_null()) {
      where += fmt::format(" AND {} IS NULL", fs->name);
    } else if (f.value.is_array()) {  // any of the values, null among them: or empty
      std::string qs;
      bool or_empty = false;
      for (const auto& v : f.value) {
        if (v.is_null()) {
          or_empty = true;
          continue;
        }
        qs += qs.empty() ? "?" : ", ?";
        params.push_back(FieldParam(*fs, v));
      }
      // Several choices (a register's open states) keep most records; beside a filter of one
      // value (no owner, past review) that one should choose the index. SQLite has no
      // statistics to tell (the store runs no ANALYZE) and took the states' index: 100,000
      // risks walked for the 900 without an owner (31 ms; 1 ms so). Choices only: a few ids
      // are narrow, and an enum is text, as its column (SQLite's "+" drops the column's
      // affinity).
      const bool broad =
          fs->type == FieldType::kEnum && f.value.size() > 1 &&
          std::any_of(q.filters.begin(), q.filters.end(), [&](auto& g) {
            return &g != &f && (g.field == "id" || !g.value.is_array() || g.value.size() == 1);
          });
      const std::string column = broad ? driver.Unindexed(fs->name) : fs->name;
      if (qs.empty()) {
        where += or_empty ? fmt::format(" AND {} IS NULL", fs->name) : " AND 1 = 0";
      } else if (or_empty) {
        where += fmt::format(" AND ({} IN ({}) OR {} IS NULL)", column, qs, fs->name);
      } else {
        where += fmt::format(" AND {} IN ({})", column, qs);
      }
    } else {
      where += fmt::format(" AND {} = ?", fs->name);
      params.push_back(FieldParam(*fs, f.value));
    }
  }
  if (by_links) {
    // Find the records from their links (by id), not by walking the register in the page's
    // order and testing each: "+" keeps the organisation's indexes out of the plan. Without
    // statistics SQLite assumes an organisation holds a few records and walked all 100,000
    // risks for the 17 of one asset (17 ms; under 1 ms this way); with statistics both
    // databases choose this plan anyway, as a record has a few links on average.
    where.insert(0, "+");
  }
  if (!q.search.empty()) {
    std::vector<std::string> fields;
    for (const auto& f : spec.fields) {
      if (f.searchable) fields.push_back(f.name);
    }
    if (!fields.empty()) {
      where += " AND " + driver.SearchCondition(spec.table, fields, q.search, params);
    }
  }
  return Status::Ok();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Connections

SqlStore::SqlStore(std::unique_ptr<SqlDriver> driver, int pool_size,
                   std::chrono::milliseconds idle_close)
    : driver_(std::move(driver)),
      pool_size_(std::max(1, pool_size)),
      idle_close_(std::max(idle_close, std::chrono::milliseconds(1))) {
  driver_->SetStatementCounter([this] { CountStatement(); });
  closer_ = std::thread([this] { CloseIdle(); });
}

SqlStore::~SqlStore() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  stop_changed_.notify_all();
  closer_.join();
}

void SqlStore::CloseIdle() {
  std::unique_lock lock(mu_);
  while (!stop_changed_.wait_for(lock, idle_close_, [this] { return stop_; })) {
    const auto cutoff = std::chrono::steady_clock::now() - idle_close_;
    // The oldest first; the most recently returned one stays for the next request.
    size_t n = 0;
    while (n + 1 < idle_.size() && idle_[n].since <= cutoff) ++n;
    if (n == 0) continue;
    std::vector<IdleConnection> closing(std::make_move_iterator(idle_.begin()),
                                        std::make_move_iterator(idle_.begin() + n));
    idle_.erase(idle_.begin(), idle_.begin() + n);
    open_ -= static_cast<int>(n);
    available_.notify_all();
    lock.unlock();
    closing.clear();  // closes them, outside the lock
    // What they held is a few MB each, under the slack at which the server's MemoryKeeper trims
    // by itself: give it back now.
    MemoryKeeper::Trim();
    lock.lock();
  }
}

void SqlStore::ReturnToPool::operator()(SqlConnection* conn) const {
  std::unique_ptr<SqlConnection> owned(conn);
  std::lock_guard lock(store->mu_);
  if (owned->Healthy()) {
    store->idle_.push_back({std::move(owned), std::chrono::steady_clock::now()});
  } else {
    // A broken connection usually means the database restarted, which broke the idle ones too:
    // drop them all, so that the next requests connect afresh instead of failing one by one.
    store->open_ -= 1 + static_cast<int>(store->idle_.size());
    store->idle_.clear();
  }
  store->available_.notify_all();
}

namespace {

// Set on the thread running a WriteInBatches producer: the producer's write transaction holds a
// connection while the reads the producer makes (a write hook's) wait for one, so that thread
// may open one beyond the pool's size (only one thread at a time is inside a write transaction).
thread_local bool producing_batches = false;

}  // namespace

Result<SqlStore::ConnPtr> SqlStore::Acquire() {
  {
    std::unique_lock lock(mu_);
    const int allowed = pool_size_ + (producing_batches ? 1 : 0);
    if (idle_.empty() && open_ >= allowed) ++waits_;
    available_.wait(lock, [this, allowed] { return !idle_.empty() || open_ < allowed; });
    if (!idle_.empty()) {
      SqlConnection* c = idle_.back().conn.release();
      idle_.pop_back();
      return ConnPtr(c, ReturnToPool{this});
    }
    ++open_;
  }
  auto conn = driver_->Connect();
  if (!conn.ok()) {
    std::lock_guard lock(mu_);
    --open_;
    available_.notify_one();
    return conn.status();
  }
  return ConnPtr(conn->release(), ReturnToPool{this});
}

PoolStats SqlStore::Pool() {
  std::lock_guard lock(mu_);
  return PoolStats{
      .size = pool_size_, .open = open_, .idle = static_cast<int>(idle_.size()), .waits = waits_};
}

Result<int64_t> SqlStore::AuditChainLength() {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(auto row,
                   One(*conn, "SELECT COALESCE(MAX(seq), 0) FROM audit_events", {}, found));
  return found ? row->Int(0) : 0;
}

Status SqlStore::InWriteTx(const std::function<Status(SqlConnection&)>& body) {
  // A transaction that lost to a concurrent one (serialization failure, deadlock) is run again
  // a few times before the caller is told of the conflict.
  constexpr int kAttempts = 3;
  ASSIGN_OR_RETURN(auto conn, Acquire());
  for (int attempt = 1;; ++attempt) {
    Status st = conn->BeginWrite();
    if (st.ok()) st = body(*conn);
    if (st.ok()) st = KeepIdempotencyClaimTx(*conn);
    if (st.ok()) st = conn->Commit();
    IdempotencyClaimCommitted(st.ok());
    if (st.ok()) return st;
    const bool retry = conn->LastErrorRetryable();
    (void)conn->Rollback();
    if (!retry) return st;
    if (attempt == kAttempts) {
      return Conflict("the change kept colliding with concurrent changes; try again");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Migrations

Result<int> SqlStore::Migrate() {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  RETURN_IF_ERROR(driver_->LockMigrations(*conn));
  int applied = 0;
  Status st = [&]() -> Status {
    const auto& migrations = driver_->Migrations();
    const int newest_known = migrations.empty() ? 0 : migrations.back().number;
    ASSIGN_OR_RETURN(const bool had_table,
                     driver_->ColumnExists(*conn, "schema_migrations", "number"));
    int64_t at = 0;
    if (had_table) {
      bool found = false;
      ASSIGN_OR_RETURN(
          auto newest,
          One(*conn, "SELECT COALESCE(MAX(number), 0) FROM schema_migrations", {}, found));
      at = found ? newest->Int(0) : 0;
    }
    // A database a newer Rampart has migrated: this one would read and write tables it does not
    // know the shape of.
    if (at > newest_known) {
      return FailedPrecondition(fmt::format(
          "the database's schema is at version {}, newer than this Rampart knows (version {}): "
          "run the Rampart that migrated it (or a newer one), or restore a backup made before "
          "the upgrade",
          at, newest_known));
    }
    // A database Rampart has never migrated takes every migration, and the table recording
    // them, in one transaction: when one fails (a database that already holds other tables of
    // the same names), nothing of Rampart's stays behind.
    const bool fresh = at == 0;
    if (fresh) RETURN_IF_ERROR(conn->BeginWrite());
    Status created = conn->Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT "
        "NULL, applied_at TEXT NOT NULL)");
    if (!created.ok()) {
      if (fresh) (void)conn->Rollback();
      return created;
    }
    for (const auto& m : migrations) {
      if (!fresh) RETURN_IF_ERROR(conn->BeginWrite());
      bool done = false;
      auto check =
          One(*conn, "SELECT 1 FROM schema_migrations WHERE number = ?", {int64_t{m.number}}, done);
      Status step = check.status();
      check = std::unique_ptr<SqlRows>();
      if (step.ok() && !done) {
        step = conn->Exec(std::string(m.sql));
        if (!step.ok()) {
          step = Internal(fmt::format("migration {} failed: {}", m.name, step.message()));
        }
      }
      if (step.ok() && !done) {
        step =
            Run(*conn, "INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)",
                {int64_t{m.number}, m.name, FormatUtc(std::chrono::system_clock::now())});
      }
      if (step.ok() && !fresh) step = conn->Commit();
      if (!step.ok()) {
        (void)conn->Rollback();
        return step;
      }
      if (!done) ++applied;
    }
    if (fresh) {
      Status committed = conn->Commit();
      if (!committed.ok()) {
        (void)conn->Rollback();
        return committed;
      }
    }
    // The register descriptions and the schema must agree: a field without its column is a
    // programming error caught at start-up, not at the first write.
    for (const RegisterSpec* spec : domain::AllRegisters()) {
      for (const auto& f : spec->fields) {
        ASSIGN_OR_RETURN(bool found, driver_->ColumnExists(*conn, spec->table, f.name));
        if (!found) {
          return Internal(
              fmt::format("register {} describes field {} but table {} has no such "
                          "column",
                          spec->type, f.name, spec->table));
        }
      }
    }
    return driver_->CheckSchema(*conn);
  }();
  Status unlock = driver_->UnlockMigrations(*conn);
  RETURN_IF_ERROR(st);
  RETURN_IF_ERROR(unlock);
  return applied;
}

Result<int> SqlStore::SchemaVersion() {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(auto rows,
                   One(*conn, "SELECT COALESCE(MAX(number), 0) FROM schema_migrations", {}, found));
  return found ? static_cast<int>(rows->Int(0)) : 0;
}

// ---------------------------------------------------------------------------------------------
// Registers

Result<Record> SqlStore::Get(const RegisterSpec& spec, int64_t org_id, int64_t id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  return GetTx(*conn, spec, org_id, id);
}

Result<int64_t> SqlStore::Count(const RegisterSpec& spec, int64_t org_id, const ListQuery& q) {
  std::string where;
  Params params;
  RETURN_IF_ERROR(BuildWhere(*driver_, spec, org_id, q, where, params));
  std::string sql = fmt::format("SELECT COUNT(*) FROM {} WHERE {}", spec.table, where);
  if (q.total_limit > 0) {
    sql = fmt::format("SELECT COUNT(*) FROM (SELECT 1 FROM {} WHERE {} LIMIT ?) AS capped",
                      spec.table, where);
    params.emplace_back(q.total_limit + 1);
  }
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(auto rows, One(*conn, sql, params, found));
  return found ? rows->Int(0) : 0;
}

Result<Page> SqlStore::List(const RegisterSpec& spec, int64_t org_id, const ListQuery& q) {
  if (!spec.IsSortable(q.sort)) {
    return InvalidArgument(fmt::format("cannot sort by \"{}\"", q.sort), "sort");
  }
  if (q.limit < 1 || q.limit > 500) {
    return InvalidArgument("limit must be between 1 and 500", "limit");
  }
  std::string where;
  Params params;
  RETURN_IF_ERROR(BuildWhere(*driver_, spec, org_id, q, where, params));
  const FieldSpec* sort_field = spec.Field(q.sort);
  // A ranked field (a risk level) sorts by its hidden rank column, and its cursors carry ranks.
  const bool ranked = sort_field != nullptr && !sort_field->rank_column.empty();
  const std::string& s = ranked ? sort_field->rank_column : q.sort;
  auto sort_param = [&](const Json& v) {
    return sort_field != nullptr && !ranked ? FieldParam(*sort_field, v) : JsonParam(v);
  };
  // A cursor is [sort, descending, sort value, id] for the page after that record, with a fifth
  // element "before" for the page before it. A page before is read in the opposite order (DESC
  // NULLS LAST is exactly ASC NULLS FIRST reversed, and the other way round) and turned back.
  bool before = false;
  bool descending = q.descending;
  if (!q.cursor.empty()) {
    auto raw = Base64UrlDecode(q.cursor);
    const Json c = raw.ok() ? Json::parse(*raw, nullptr, false) : Json();
    if (!c.is_array() || (c.size() != 4 && !(c.size() == 5 && c[4] == "before")) ||
        c[0] != q.sort || c[1] != q.descending || !c[3].is_number_integer() ||
        (ranked && !c[2].is_null() && !c[2].is_number_integer())) {
      return InvalidArgument("the cursor is not valid for this list and sort order", "cursor");
    }
    before = c.size() == 5;
    descending = q.descending != before;
    const Json& v = c[2];
    const int64_t last_id = c[3].get<int64_t>();
    if (s == "id") {
      where += descending ? " AND id < ?" : " AND id > ?";
      params.emplace_back(last_id);
    } else if (!descending) {  // ASC NULLS FIRST, id ASC
      if (v.is_null()) {
        where += fmt::format(" AND (({0} IS NULL AND id > ?) OR {0} IS NOT NULL)", s);
        params.emplace_back(last_id);
      } else {
        // A row-value comparison lets the index seek to the cursor instead of filtering.
        where += fmt::format(" AND ({}, id) > (?, ?)", s);
        params.insert(params.end(), {sort_param(v), last_id});
      }
    } else {  // DESC NULLS LAST, id DESC
      if (v.is_null()) {
        where += fmt::format(" AND ({} IS NULL AND id < ?)", s);
        params.emplace_back(last_id);
      } else if (sort_field == nullptr || sort_field->required) {  // never NULL
        where += fmt::format(" AND ({}, id) < (?, ?)", s);
        params.insert(params.end(), {sort_param(v), last_id});
      } else {
        where += fmt::format(" AND (({0}, id) < (?, ?) OR {0} IS NULL)", s);
        params.insert(params.end(), {sort_param(v), last_id});
      }
    }
  }
  std::string order;
  if (s == "id") {
    order = descending ? "id DESC" : "id ASC";
  } else {
    order = descending ? fmt::format("{} DESC NULLS LAST, id DESC", s)
                       : fmt::format("{} ASC NULLS FIRST, id ASC", s);
  }
  params.emplace_back(int64_t{q.limit + 1});
  Page page;
  std::vector<Json> ranks;  // a ranked sort's values, one per record
  {
    ASSIGN_OR_RETURN(auto conn, Acquire());
    const std::string columns = SelectColumns(spec) + (ranked ? ", " + s : std::string());
    ASSIGN_OR_RETURN(auto rows,
                     conn->Query(fmt::format("SELECT {} FROM {} WHERE {} ORDER BY {} LIMIT ?",
                                             columns, spec.table, where, order),
                                 params));
    const int rank_col = 7 + static_cast<int>(spec.fields.size());
    while (true) {
      ASSIGN_OR_RETURN(bool row, rows->Next());
      if (!row) break;
      page.records.push_back(ReadRecord(spec, *rows));
      if (ranked) ranks.push_back(rows->IsNull(rank_col) ? Json() : Json(rows->Int(rank_col)));
    }
  }
  const bool more = static_cast<int>(page.records.size()) > q.limit;
  if (more) {
    page.records.pop_back();
    if (ranked) ranks.pop_back();
  }
  if (before) {
    std::reverse(page.records.begin(), page.records.end());
    std::reverse(ranks.begin(), ranks.end());
  }
  auto cursor_at = [&](size_t i, bool going_back) {
    const Record& r = page.records[i];
    Json c = Json::array({q.sort, q.descending, ranked ? ranks[i] : SortValue(r, s), r.id});
    if (going_back) c.push_back("before");
    return Base64UrlEncode(c.dump());
  };
  if (!page.records.empty()) {
    // Going forward, a page after a cursor has records before it; going back, the cursor's own
    // record comes after the page.
    if (before ? more : !q.cursor.empty()) page.prev_cursor = cursor_at(0, true);
    if (before || more) page.next_cursor = cursor_at(page.records.size() - 1, false);
  }
  if (q.with_total) {
    ASSIGN_OR_RETURN(page.total, Count(spec, org_id, q));
    if (q.total_limit > 0 && *page.total > q.total_limit) {
      page.total = q.total_limit;
      page.total_capped = true;
    }
  }
  return page;
}

Result<std::map<int64_t, std::string>> SqlStore::Titles(const RegisterSpec& spec, int64_t org_id,
                                                        const std::vector<int64_t>& ids) {
  std::map<int64_t, std::string> out;
  if (ids.empty()) return out;
  Params params = {org_id};
  const std::string qs = BindList(ids, params);
  // By primary key: without "+" SQLite, lacking statistics, walked the organisation's whole
  // title index and tested every id (12 ms for 465 risk titles among 100,000).
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query(fmt::format("SELECT id, {} FROM {} WHERE +org_id = ? "
                                                      "AND id IN ({})",
                                                      spec.title_field, spec.table, qs),
                                          params));
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Next());
    if (!row) break;
    out[rows->Int(0)] = rows->IsNull(1) ? std::string() : rows->Text(1);
  }
  return out;
}

Result<std::vector<Referrers>> SqlStore::ReferrersOf(const RegisterSpec& target, int64_t org_id,
                                                     int64_t id) {
  std::vector<Referrers> out;
  ASSIGN_OR_RETURN(auto conn, Acquire());
  for (const RegisterSpec* spec : domain::AllRegisters()) {
    Referrers found{.spec = spec};
    for (const auto& f : spec->fields) {
      if (f.ref != target.type) continue;
      // The referring records' ids in order: a reference is a column, a list of references
      // has rows in record_links.
      const bool column = f.type == FieldType::kRef;
      const std::string from =
          column ? fmt::format("FROM {} WHERE org_id = ? AND {} = ?", spec->table, f.name)
                 : "FROM record_links WHERE org_id = ? AND record_type = ? AND field = ? AND "
                   "target_id = ?";
      const Params params = column ? Params{org_id, id} : Params{org_id, spec->type, f.name, id};
      bool counted = false;
      ASSIGN_OR_RETURN(auto count, One(*conn, "SELECT COUNT(*) " + from, params, counted));
      if (!counted || count->Int(0) == 0) continue;
      found.count += count->Int(0);
      Params limited = params;
      limited.emplace_back(int64_t{Referrers::kReferrerIds});
      ASSIGN_OR_RETURN(auto rows, conn->Query(fmt::format("SELECT {} {} ORDER BY 1 LIMIT ?",
                                                          column ? "id" : "record_id", from),
                                              limited));
      while (true) {
        ASSIGN_OR_RETURN(bool row, rows->Next());
        if (!row) break;
        found.ids.push_back(rows->Int(0));
      }
    }
    if (found.count == 0) continue;
    // Two fields of one register may name the same record; keep the first few distinct ids.
    std::sort(found.ids.begin(), found.ids.end());
    found.ids.erase(std::unique(found.ids.begin(), found.ids.end()), found.ids.end());
    if (found.ids.size() > Referrers::kReferrerIds) found.ids.resize(Referrers::kReferrerIds);
    out.push_back(std::move(found));
  }
  return out;
}

Result<std::vector<GroupCount>> SqlStore::RiskRatingCounts(int64_t org_id, bool residual) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows,
                   conn->Query("SELECT likelihood, impact, risks FROM "
                               "risk_rating_counts WHERE org_id = ? AND kind = ? AND "
                               "risks > 0",
                               {org_id, std::string(residual ? "residual" : "inherent")}));
  std::vector<GroupCount> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Next());
    if (!row) break;
    GroupCount g;
    for (int col = 0; col < 2; ++col) {
      const int64_t v = rows->Int(col);
      g.values.push_back(v == 0 ? Json() : Json(v));  // 0: not rated
    }
    g.count = rows->Int(2);
    out.push_back(std::move(g));
  }
  return out;
}

Result<std::vector<GroupCount>> SqlStore::CountBy(const RegisterSpec& spec, int64_t org_id,
                                                  const ListQuery& q,
                                                  const std::vector<std::string>& fields,
                                                  const std::string& latest_of) {
  if (fields.empty() || fields.size() > 2) return InvalidArgument("group by one or two fields");
  const FieldSpec* latest = latest_of.empty() ? nullptr : spec.Field(latest_of);
  if (!latest_of.empty() && (latest == nullptr || !latest->sortable)) {
    return InvalidArgument(fmt::format("no latest \"{}\" of {}", latest_of, ToLower(spec.plural)),
                           latest_of);
  }
  if (fields.size() == 1) {
    const FieldSpec* f = spec.Field(fields.front());
    if (f != nullptr && f->type == FieldType::kList && latest == nullptr) {
      return CountByItem(spec, org_id, q, *f);
    }
  }
  std::vector<const FieldSpec*> specs;
  std::string cols;
  for (const auto& name : fields) {
    const FieldSpec* f = spec.Field(name);
    if (f == nullptr || !f->filterable || f->type == FieldType::kRefs) {
      return InvalidArgument(fmt::format("cannot count {} by \"{}\"", ToLower(spec.plural), name),
                             name);
    }
    specs.push_back(f);
    cols += (cols.empty() ? "" : ", ") + f->name;
  }
  std::string where;
  Params params;
  RETURN_IF_ERROR(BuildWhere(*driver_, spec, org_id, q, where, params));
  ASSIGN_OR_RETURN(auto conn, Acquire());
  const std::string max = latest == nullptr ? "" : ", MAX(" + latest->name + ")";
  ASSIGN_OR_RETURN(auto rows, conn->Query(fmt::format("SELECT {0}, COUNT(*){3} FROM {1} WHERE {2} "
                                                      "GROUP BY {0}",
                                                      cols, spec.table, where, max),
                                          params));
  std::vector<GroupCount> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Next());
    if (!row) break;
    GroupCount g;
    for (size_t i = 0; i < specs.size(); ++i) {
      g.values.push_back(ColumnValue(*specs[i], *rows, static_cast<int>(i)));
    }
    g.count = rows->Int(static_cast<int>(specs.size()));
    if (latest != nullptr)
      g.latest = ColumnValue(*latest, *rows, static_cast<int>(specs.size()) + 1);
    out.push_back(std::move(g));
  }
  return out;
}

Result<std::vector<GroupCount>> SqlStore::CountByItem(const RegisterSpec& spec, int64_t org_id,
                                                      const ListQuery& q, const FieldSpec& list) {
  std::string where;
  Params params;
  RETURN_IF_ERROR(BuildWhere(*driver_, spec, org_id, q, where, params));
  ASSIGN_OR_RETURN(auto conn, Acquire());
  // The matching records' lists first, then their items: the WHERE clause names the register's
  // columns unqualified, which the items' table (SQLite's json_each has an "id") would shadow.
  ASSIGN_OR_RETURN(
      auto rows,
      conn->Query(fmt::format("SELECT items.value, COUNT(*) FROM (SELECT "
                              "{0} AS list FROM {1} WHERE {2}) matched, {3} "
                              "GROUP BY items.value",
                              list.name, spec.table, where, driver_->ListItems("matched.list")),
                  params));
  std::vector<GroupCount> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Next());
    if (!row) break;
    GroupCount g;
    g.values.push_back(rows->IsNull(0) ? Json() : Json(rows->Text(0)));
    g.count = rows->Int(1);
    out.push_back(std::move(g));
  }
  return out;
}

Result<std::vector<GroupCount>> SqlStore::LatestExpiryBy(const RegisterSpec& spec, int64_t org_id,
                                                         const std::string& group_field,
                                                         const std::string& date_field) {
  const FieldSpec* group = spec.Field(group_field);
  const FieldSpec* date = spec.Field(date_field);
  if (group == nullptr || group->type != FieldType::kRef || !group->filterable) {
    return InvalidArgument(
        fmt::format("cannot group {} by \"{}\"", ToLower(spec.plural), group_field), group_field);
  }
  if (date == nullptr || date->type != FieldType::kDate) {
    return InvalidArgument(fmt::format("no date \"{}\" of {}", date_field, ToLower(spec.plural)),
                           date_field);
  }
  ASSIGN_OR_RETURN(auto conn, Acquire());
  // The evidence files of each record joined to it (by the index on (org_id, record_type,
  // record_id)); the two maxima are compared here, one being a DATE in PostgreSQL and the other
  // a text.
  ASSIGN_OR_RETURN(
      auto rows,
      conn->Query(fmt::format("SELECT r.{0}, COUNT(DISTINCT r.id), MAX(r.{1}), MAX(e.expires) "
                              "FROM {2} r LEFT JOIN evidence_files e ON e.org_id = r.org_id AND "
                              "e.record_type = ? AND e.record_id = r.id "
                              "WHERE r.org_id = ? AND r.{0} IS NOT NULL GROUP BY r.{0}",
                              group->name, date->name, spec.table),
                  {spec.type, org_id}));
  std::vector<GroupCount> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Next());
    if (!row) break;
    GroupCount g;
    g.values.push_back(rows->Int(0));
    g.count = rows->Int(1);
    const std::string own = rows->IsNull(2) ? "" : rows->Text(2);
    const std::string attached = rows->IsNull(3) ? "" : rows->Text(3);
    const std::string latest = std::max(own, attached);
    if (!latest.empty()) g.latest = latest;
    out.push_back(std::move(g));
  }
  return out;
}

Result<std::vector<Record>> SqlStore::LatestPerGroup(const RegisterSpec& spec, int64_t org_id,
                                                     const std::string& group_field,
                                                     const std::vector<int64_t>& group_ids,
                                                     const std::string& order_field) {
  const FieldSpec* group = spec.Field(group_field);
  const FieldSpec* order = spec.Field(order_field);
  const RegisterSpec* parent = group == nullptr ? nullptr : domain::FindRegisterByType(group->ref);
  if (group == nullptr || group->type != FieldType::kRef || !group->filterable ||
      parent == nullptr) {
    return InvalidArgument(
        fmt::format("cannot group {} by \"{}\"", ToLower(spec.plural), group_field), group_field);
  }
  if (order == nullptr || !order->sortable) {
    return InvalidArgument(
        fmt::format("cannot order {} by \"{}\"", ToLower(spec.plural), order_field), order_field);
  }
  std::vector<Record> out;
  if (group_ids.empty()) return out;
  // For each group record of the organisation among the ids, the id of its latest record by the
  // index (org_id, group, order, id); then those records by primary key.
  Params params = {org_id, org_id, org_id};
  const std::string in = BindList(group_ids, params);
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(
      auto rows,
      conn->Query(
          fmt::format("SELECT {0} FROM {1} WHERE org_id = ? AND id IN (SELECT (SELECT "
                      "x.id FROM {1} x WHERE x.org_id = ? AND x.{2} = g.id ORDER BY "
                      "x.{3} DESC, x.id DESC LIMIT 1) FROM {4} g WHERE g.org_id = ? AND "
                      "g.id IN ({5}))",
                      SelectColumns(spec), spec.table, group->name, order->name, parent->table, in),
          params));
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Next());
    if (!row) break;
    out.push_back(ReadRecord(spec, *rows));
  }
  return out;
}

namespace {

// An import writes thousands of inserts in one Write: consecutive inserts into one register go
// to the database in multi-row INSERT statements of these sizes, largest first (so that a
// connection caches a few statement texts per register, not one per count). Besides the
// statements saved, SQLite's FTS5 writes the index entries it holds in memory to disk at the end
// of every statement run with a statement journal, which an insert into a table with triggers
// is: inserted one per statement, each row cost a segment of the search index and its merging,
// most of the insert's time (bench/store_write_bench).
constexpr size_t kInsertChunks[] = {256, 64, 16, 4, 1};

// The number of rows of the next multi-row statement when `left` rows remain.
size_t ChunkFor(size_t left) {
  for (size_t chunk : kInsertChunks) {
    if (chunk <= left) return chunk;
  }
  return 1;
}

// Inserts rows of `per_row` values each, taken in order from `params`, in multi-row statements:
// `insert` ("INSERT INTO t (a, b) VALUES ") followed by `row` ("(?, ?)") once per row.
Status InsertRows(SqlConnection& conn, const std::string& insert, const std::string& row,
                  size_t per_row, Params params) {
  const size_t rows = params.size() / per_row;
  for (size_t done = 0; done < rows;) {
    const size_t n = ChunkFor(rows - done);
    std::string sql = insert + row;
    for (size_t i = 1; i < n; ++i) sql.append(", ").append(row);
    const auto from = params.begin() + static_cast<std::ptrdiff_t>(done * per_row);
    RETURN_IF_ERROR(
        Run(conn, sql,
            Params(std::make_move_iterator(from),
                   std::make_move_iterator(from + static_cast<std::ptrdiff_t>(n * per_row)))));
    done += n;
  }
  return Status::Ok();
}

// The record_links rows of a new record's lists of references (as WriteLinks inserts them),
// appended to `params`, five values a row.
void AppendLinkParams(const RegisterSpec& spec, int64_t org_id, int64_t id, const Mutation& m,
                      Params& params) {
  for (const auto& f : spec.fields) {
    if (f.type != FieldType::kRefs) continue;
    const Json& ids = m.fields.value(f.name, Json());
    if (!ids.is_array()) continue;
    for (const auto& target : ids) {
      params.insert(params.end(), {org_id, spec.type, id, f.name, target.get<int64_t>()});
    }
  }
}

// Appends `events` (their content filled in) to the chain after `tip`, in order, in multi-row
// statements; leaves `tip` at the last.
Status AppendAuditEventsTx(SqlConnection& conn, std::vector<domain::AuditEvent>& events,
                           AuditTip& tip) {
  Params params;
  params.reserve(events.size() * kEventParams);
  for (auto& e : events) {
    RETURN_IF_ERROR(ChainEvent(conn, e, tip));
    AppendEventParams(e, params);
  }
  static const std::string kInsert =
      fmt::format("INSERT INTO audit_events ({}) VALUES ", kEventColumns);
  return InsertRows(conn, kInsert, kEventPlaceholders, kEventParams, std::move(params));
}

// A sequence's scope value as a key ("s:ISMS" for the text ISMS).
std::string ScopeKey(const SqlValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return fmt::format("i:{}", *i);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "b:1" : "b:0";
  if (const auto* s = std::get_if<std::string>(&v)) return "s:" + *s;
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("d:{}", *d);
  if (const auto* x = std::get_if<SqlBlob>(&v)) return "x:" + x->bytes;
  return "n:";
}

// The numbers of the sequence fields of one write's inserts. The highest number in use is read
// once per register, field and scope, and counted on here: the write transaction excludes every
// other writer (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock), so nothing else numbers
// records meanwhile, and the inserts of this write are counted as they are numbered.
class SequenceNumbers {
 public:
  // The number of field `f` (a sequence of `spec`) for a new record with `fields`.
  Result<int64_t> Next(SqlConnection& conn, const RegisterSpec& spec, const FieldSpec& f,
                       int64_t org_id, const Json& fields) {
    Params params = {org_id};
    std::string within;
    std::string key;
    if (!f.sequence_within.empty()) {
      const FieldSpec* scope = spec.Field(f.sequence_within);
      params.push_back(FieldParam(*scope, fields.value(f.sequence_within, Json())));
      // "scope = NULL" matches no record: a record without a scope is number 1, as it always was.
      if (std::holds_alternative<std::monostate>(params.back())) return 1;
      within = fmt::format(" AND {} = ?", f.sequence_within);
      key = ScopeKey(params.back());
    }
    auto [it, added] = last_.try_emplace(std::make_tuple(&spec, f.name, key), 0);
    if (added) {
      bool found = false;
      auto rows = One(conn,
                      fmt::format("SELECT COALESCE(MAX({}), 0) FROM {} WHERE org_id = ?{}", f.name,
                                  spec.table, within),
                      params, found);
      if (!rows.ok()) {
        last_.erase(it);
        return rows.status();
      }
      it->second = found ? (*rows)->Int(0) : 0;
    }
    return ++it->second;
  }

  // Forgets what was counted for `spec`: an update or a delete may change its highest numbers.
  void Forget(const RegisterSpec& spec) {
    std::erase_if(last_, [&](const auto& entry) { return std::get<0>(entry.first) == &spec; });
  }

 private:
  std::map<std::tuple<const RegisterSpec*, std::string, std::string>, int64_t> last_;
};

// Inserts the records of `ms` (inserts into `spec`, in the order given) in as few statements as
// kInsertChunks allows, and appends their ids to `ids`, in the same order, and, when `written` is
// given, the records as written (read back) to it.
Status InsertRecords(SqlConnection& conn, const Actor& actor, const RegisterSpec& spec,
                     const std::vector<const Mutation*>& ms, SequenceNumbers& sequences,
                     std::vector<int64_t>& ids, std::vector<Record>* written) {
  std::string cols = "org_id, version, created_at, updated_at, created_by, updated_by";
  std::string row = "(?, 1, ?, ?, ?, ?";
  size_t per_row = 5;
  for (const auto& f : spec.fields) {
    cols += ", " + f.name;
    row += ", ?";
    ++per_row;
    if (!f.rank_column.empty()) {
      cols += ", " + f.rank_column;
      row += ", ?";
      ++per_row;
    }
  }
  row += ")";
  const std::string insert = fmt::format("INSERT INTO {} ({}) VALUES {}", spec.table, cols, row);
  const std::string returning =
      " RETURNING " + (written != nullptr ? SelectColumns(spec) : std::string("id"));
  for (size_t done = 0; done < ms.size();) {
    const size_t n = ChunkFor(ms.size() - done);
    std::string sql = insert;
    sql.reserve(insert.size() + (n - 1) * (row.size() + 2) + returning.size());
    for (size_t i = 1; i < n; ++i) sql.append(", ").append(row);
    sql += returning;
    Params params;
    params.reserve(n * per_row);
    for (size_t i = done; i < done + n; ++i) {
      const Json& fields = ms[i]->fields;
      params.insert(params.end(),
                    {actor.org_id, actor.now, actor.now, actor.user_id, actor.user_id});
      for (const auto& f : spec.fields) {
        if (f.sequence) {
          ASSIGN_OR_RETURN(int64_t number, sequences.Next(conn, spec, f, actor.org_id, fields));
          params.emplace_back(number);
        } else {
          params.push_back(FieldParam(f, fields.value(f.name, Json())));
        }
        if (!f.rank_column.empty()) {
          params.push_back(JsonParam(fields.value(f.rank_column, Json())));
        }
      }
    }
    ASSIGN_OR_RETURN(auto rows, conn.Query(sql, params));
    const size_t first = ids.size();
    while (true) {
      ASSIGN_OR_RETURN(bool more, rows->Next());
      if (!more) break;
      if (written != nullptr) {
        written->push_back(ReadRecord(spec, *rows));
        ids.push_back(written->back().id);
      } else {
        ids.push_back(rows->Int(0));
      }
    }
    if (ids.size() - first != n) return Internal("the insert did not return every row");
    // Ids are given in the order the rows are inserted, that of the VALUES; the order of
    // RETURNING's rows is not specified.
    std::sort(ids.begin() + static_cast<std::ptrdiff_t>(first), ids.end());
    if (written != nullptr) {
      std::sort(written->end() - static_cast<std::ptrdiff_t>(n), written->end(),
                [](const Record& a, const Record& b) { return a.id < b.id; });
    }
    done += n;
  }
  return Status::Ok();
}

// `given` with its fields that refer to records written before it in the same write (ids_of)
// set, with their audit diffs, from `ids`, the ids written so far.
Result<Mutation> WithIdsOf(const Mutation& given, const std::vector<int64_t>& ids) {
  Mutation filled = given;
  for (const auto& [field, at] : given.ids_of) {
    if (at >= ids.size()) return Internal("a mutation refers to one not written before it");
    if (field.starts_with('/')) {
      // A place inside a field (a table's cell, "/decisions/2/follow_up"): the field's
      // diff takes the whole field as written.
      filled.fields[Json::json_pointer(field)] = ids[at];
      const std::string top = field.substr(1, field.find('/', 1) - 1);
      Json from = filled.diff.contains(top) ? filled.diff[top].value("from", Json()) : Json();
      filled.diff[top] = {{"from", from}, {"to", filled.fields[top]}};
      continue;
    }
    filled.fields[field] = ids[at];
    Json from = filled.diff.contains(field) ? filled.diff[field].value("from", Json()) : Json();
    filled.diff[field] = {{"from", from}, {"to", ids[at]}};
  }
  return filled;
}

// The most inserts into one register written together: their statement parameters, link rows
// and audit events are held at once. A multiple of the largest insert statement (256 rows).
constexpr size_t kMaxInsertRun = 1024;

// Writes `mutations` in the open write transaction of `conn`, their events continuing the chain
// at `tip`: returns the id each wrote, in order, and appends to `records`, when given, each
// record as written (deleted records as they were).
Result<std::vector<int64_t>> WriteMutationsTx(SqlConnection& conn, const Actor& actor,
                                              const std::vector<Mutation>& mutations, AuditTip& tip,
                                              SequenceNumbers& sequences,
                                              std::vector<Record>* records) {
  std::vector<int64_t> ids;
  ids.reserve(mutations.size());
  // The last steps of each change, after its audit event: the record's external key, and the
  // record as written for the caller.
  auto keep = [&](const Mutation& m, int64_t id, Record* written) -> Status {
    if (!m.external_id.empty() || m.kind == Mutation::Kind::kDelete) {
      RETURN_IF_ERROR(WriteExternalKey(conn, actor.org_id, m.spec->type, id, m.external_id,
                                       m.kind == Mutation::Kind::kDelete));
    }
    ids.push_back(id);
    if (records != nullptr) records->push_back(std::move(*written));
    return Status::Ok();
  };
  auto event = [&](const Mutation& m, int64_t id) {
    return EventOf({.org_id = actor.org_id,
                    .actor_id = actor.user_id,
                    .actor = actor.username,
                    .at = actor.now,
                    .action = m.action,
                    .record_type = m.spec->type,
                    .record_id = id,
                    .diff = m.diff,
                    .address = actor.address});
  };
  for (size_t i = 0; i < mutations.size();) {
    Mutation filled;
    if (!mutations[i].ids_of.empty()) {
      ASSIGN_OR_RETURN(filled, WithIdsOf(mutations[i], ids));
    }
    const Mutation& m = mutations[i].ids_of.empty() ? mutations[i] : filled;
    const RegisterSpec& spec = *m.spec;
    if (m.kind == Mutation::Kind::kInsert) {
      // This insert and the inserts into the same register after it that refer to no record
      // of this write, inserted together (up to kMaxInsertRun).
      std::vector<const Mutation*> run = {&m};
      size_t next = i + 1;
      while (next < mutations.size() && run.size() < kMaxInsertRun &&
             mutations[next].kind == Mutation::Kind::kInsert && mutations[next].spec == m.spec &&
             mutations[next].ids_of.empty()) {
        run.push_back(&mutations[next++]);
      }
      std::vector<int64_t> run_ids;
      run_ids.reserve(run.size());
      std::vector<Record> written;
      if (records != nullptr) written.reserve(run.size());
      RETURN_IF_ERROR(InsertRecords(conn, actor, spec, run, sequences, run_ids,
                                    records != nullptr ? &written : nullptr));
      // Their link rows and audit events, in the order of the mutations, as one change after
      // another would have written them.
      Params links;
      std::vector<domain::AuditEvent> events;
      events.reserve(run.size());
      for (size_t k = 0; k < run.size(); ++k) {
        AppendLinkParams(spec, actor.org_id, run_ids[k], *run[k], links);
        events.push_back(event(*run[k], run_ids[k]));
      }
      static const std::string kLinks =
          "INSERT INTO record_links (org_id, record_type, record_id, field, target_id) VALUES ";
      RETURN_IF_ERROR(InsertRows(conn, kLinks, "(?, ?, ?, ?, ?)", 5, std::move(links)));
      RETURN_IF_ERROR(AppendAuditEventsTx(conn, events, tip));
      for (size_t k = 0; k < run.size(); ++k) {
        RETURN_IF_ERROR(keep(*run[k], run_ids[k], records != nullptr ? &written[k] : nullptr));
      }
      i = next;
      continue;
    }
    sequences.Forget(spec);
    const int64_t id = m.id;
    Record written;
    // The version check: only a row at the expected version changes.
    ASSIGN_OR_RETURN(Record current, GetTx(conn, spec, actor.org_id, id));
    if (current.version != m.expected_version) {
      return Conflict(
          fmt::format("{} {} is at version {}, not {}: it was changed by someone "
                      "else; reload and try again",
                      spec.singular, id, current.version, m.expected_version));
    }
    if (m.kind == Mutation::Kind::kUpdate) {
      std::string sets = "version = version + 1, updated_at = ?, updated_by = ?";
      Params params = {actor.now, actor.user_id};
      for (const auto& f : spec.fields) {
        sets += fmt::format(", {} = ?", f.name);
        params.push_back(FieldParam(f, m.fields.value(f.name, Json())));
        // A writer that did not rank the field (it kept the level) leaves the rank as it is.
        if (!f.rank_column.empty() && m.fields.contains(f.rank_column)) {
          sets += fmt::format(", {} = ?", f.rank_column);
          params.push_back(JsonParam(m.fields[f.rank_column]));
        }
      }
      params.insert(params.end(), {actor.org_id, id, m.expected_version});
      bool found = false;
      ASSIGN_OR_RETURN(auto rows, One(conn,
                                      fmt::format("UPDATE {} SET {} WHERE org_id = ? AND id = "
                                                  "? AND version = ? RETURNING {}",
                                                  spec.table, sets, SelectColumns(spec)),
                                      params, found));
      if (!found) return Internal("the update returned no row");
      written = ReadRecord(spec, *rows);
      rows.reset();
      // Link rows change only with the list they mirror.
      bool links_changed = false;
      for (const auto& f : spec.fields) {
        if (f.type == FieldType::kRefs &&
            current.fields.value(f.name, Json()) != written.fields.value(f.name, Json())) {
          links_changed = true;
        }
      }
      if (links_changed) RETURN_IF_ERROR(WriteLinks(conn, spec, actor.org_id, id, m));
    } else {
      written = std::move(current);
      RETURN_IF_ERROR(
          Run(conn,
              fmt::format("DELETE FROM {} WHERE org_id = ? AND id = ? AND version = ?", spec.table),
              {actor.org_id, id, m.expected_version}));
    }
    if (m.kind == Mutation::Kind::kDelete) {
      RETURN_IF_ERROR(WriteLinks(conn, spec, actor.org_id, id, m));
    }
    std::vector<domain::AuditEvent> events = {event(m, id)};
    RETURN_IF_ERROR(AppendAuditEventsTx(conn, events, tip));
    RETURN_IF_ERROR(keep(m, id, &written));
    ++i;
  }
  return ids;
}

}  // namespace

Result<std::vector<Record>> SqlStore::Write(const Actor& actor,
                                            const std::vector<Mutation>& mutations) {
  std::vector<Record> out;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    out.clear();  // a retried transaction starts over
    AuditTip tip;
    SequenceNumbers sequences;
    return WriteMutationsTx(conn, actor, mutations, tip, sequences, &out).status();
  }));
  return out;
}

Status SqlStore::WriteInBatches(const Actor& actor,
                                const std::function<Status(const BatchWriter& write)>& produce) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    // Per attempt: a retried transaction starts the chain and the numbering over.
    AuditTip tip;
    SequenceNumbers sequences;
    const BatchWriter write =
        [&](const std::vector<Mutation>& batch) -> Result<std::vector<int64_t>> {
      return WriteMutationsTx(conn, actor, batch, tip, sequences, nullptr);
    };
    struct Producing {
      Producing() { producing_batches = true; }
      ~Producing() { producing_batches = false; }
    } producing;
    return produce(write);
  });
}

// ---------------------------------------------------------------------------------------------
// Audit trail

Status SqlStore::AppendAudit(const AuditDraft& audit) {
  return InWriteTx([&](SqlConnection& conn) { return AppendAuditTx(conn, audit); });
}

Result<std::vector<domain::AuditEvent>> SqlStore::RecordHistory(int64_t org_id,
                                                                const std::string& record_type,
                                                                int64_t record_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query(fmt::format("SELECT {} FROM audit_events WHERE org_id "
                                                      "= ? AND record_type = ? AND record_id = "
                                                      "? ORDER BY seq",
                                                      kEventColumns),
                                          {org_id, record_type, record_id}));
  return ReadAll(*rows, ReadEvent);
}

Result<std::vector<domain::AuditEvent>> SqlStore::RecentEvents(int64_t org_id, int limit) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query(fmt::format("SELECT {} FROM audit_events WHERE org_id "
                                                      "= ? ORDER BY seq DESC LIMIT ?",
                                                      kEventColumns),
                                          {org_id, int64_t{limit}}));
  return ReadAll(*rows, ReadEvent);
}

Result<AuditPage> SqlStore::ListAudit(int64_t org_id, const AuditQuery& q) {
  std::string where = "org_id = ?";
  Params params = {org_id};
  if (q.actor_id) {
    where += " AND actor_id = ?";
    params.emplace_back(*q.actor_id);
  }
  if (!q.record_type.empty()) {
    where += " AND record_type = ?";
    params.emplace_back(q.record_type);
    if (q.record_id > 0) {
      where += " AND record_id = ?";
      params.emplace_back(q.record_id);
    }
  }
  if (!q.action.empty()) {
    where += " AND action = ?";
    params.emplace_back(q.action);
  }
  // Times are ISO 8601 UTC text with milliseconds, which compare as text.
  if (!q.from.empty()) {
    where += " AND at >= ?";
    params.emplace_back(q.from + "T00:00:00.000Z");
  }
  if (!q.to.empty()) {
    where += " AND at <= ?";
    params.emplace_back(q.to + "T23:59:59.999Z");
  }
  // The page before (newer events) is read oldest first from its cursor and turned round.
  const bool newer = q.after_seq > 0;
  if (newer) {
    where += " AND seq > ?";
    params.emplace_back(q.after_seq);
  } else if (q.before_seq > 0) {
    where += " AND seq < ?";
    params.emplace_back(q.before_seq);
  }
  params.emplace_back(int64_t{q.limit + 1});
  AuditPage page;
  {
    ASSIGN_OR_RETURN(auto conn, Acquire());
    ASSIGN_OR_RETURN(auto rows,
                     conn->Query(fmt::format("SELECT {} FROM audit_events WHERE {} ORDER BY seq {} "
                                             "LIMIT ?",
                                             kEventColumns, where, newer ? "ASC" : "DESC"),
                                 params));
    ASSIGN_OR_RETURN(page.events, ReadAll(*rows, ReadEvent));
  }
  const bool more = static_cast<int>(page.events.size()) > q.limit;
  if (more) page.events.pop_back();
  if (newer) std::reverse(page.events.begin(), page.events.end());
  if (!page.events.empty()) {
    if (newer ? true : more) page.older = page.events.back().seq;
    if (newer ? more : q.before_seq > 0) page.newer = page.events.front().seq;
  }
  return page;
}

Result<std::vector<domain::AuditEvent>> SqlStore::EventsSince(
    int64_t org_id, const std::vector<std::string>& record_types, int64_t after, int limit) {
  if (record_types.empty()) return InvalidArgument("name at least one record type");
  Params params = {org_id, after};
  const std::string types = BindList(record_types, params);
  params.emplace_back(int64_t{limit});
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query(fmt::format("SELECT {} FROM audit_events WHERE org_id "
                                                      "= ? AND seq > ? AND record_type IN ({}) "
                                                      "ORDER BY seq LIMIT ?",
                                                      kEventColumns, types),
                                          params));
  return ReadAll(*rows, ReadEvent);
}

Status SqlStore::ScanAudit(const std::function<bool(const domain::AuditEvent&)>& fn) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  // One snapshot for the whole walk, read in pages so memory stays flat on a long chain.
  RETURN_IF_ERROR(conn->BeginRead());
  Status result = Status::Ok();
  int64_t after = 0;
  bool more = true;
  while (more && result.ok()) {
    auto rows =
        conn->Query(fmt::format("SELECT {} FROM audit_events WHERE seq > ? ORDER BY seq LIMIT 1000",
                                kEventColumns),
                    {after});
    if (!rows.ok()) {
      result = rows.status();
      break;
    }
    int n = 0;
    while (true) {
      auto row = (*rows)->Next();
      if (!row.ok()) {
        result = row.status();
        break;
      }
      if (!*row) break;
      ++n;
      const domain::AuditEvent e = ReadEvent(**rows);
      after = e.seq;
      if (!fn(e)) {
        more = false;
        break;
      }
    }
    if (n < 1000) more = false;
  }
  (void)conn->Commit();
  return result;
}

}  // namespace rampart::store

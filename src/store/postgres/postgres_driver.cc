#include "store/postgres/postgres_driver.h"

#include <dlfcn.h>
#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <list>
#include <string_view>
#include <unordered_map>

#include "base/embedded.h"
#include "store/sql/sql_util.h"
#include "store/store.h"

namespace rampart {
extern const EmbeddedFile kPostgresMigrationFiles[];
}

namespace rampart::store {

namespace {

// libpq, loaded when a PostgreSQL database is first opened rather than linked (issue 17: idle
// memory): with it come Kerberos, LDAP, SASL and GnuTLS, some 3 MB of pages that a server on
// SQLite never uses. Every entry point of this file (OpenPostgresDriver, PostgresUrlWithDatabase)
// calls LoadLibpq first; the rest runs on connections made after it.
// clang-format off
#define RAMPART_LIBPQ_FUNCTIONS(X)                                                          \
  X(PQclear) X(PQcmdStatus) X(PQconnectdbParams) X(PQconninfoFree) X(PQconninfoParse)     \
  X(PQerrorMessage) X(PQexec) X(PQexecParams) X(PQexecPrepared) X(PQfinish) X(PQfreemem)  \
  X(PQgetisnull) X(PQgetlength) X(PQgetvalue) X(PQntuples) X(PQprepare)                   \
  X(PQresultErrorField) X(PQresultErrorMessage) X(PQresultStatus) X(PQsetNoticeProcessor) \
  X(PQstatus) X(PQtransactionStatus) X(PQunescapeBytea)
// clang-format on

struct Libpq {
#define RAMPART_LIBPQ_MEMBER(f) decltype(&::f) f = nullptr;
  RAMPART_LIBPQ_FUNCTIONS(RAMPART_LIBPQ_MEMBER)
#undef RAMPART_LIBPQ_MEMBER
};

// Set once, by LoadLibpq; never unloaded.
const Libpq* pq = nullptr;

Status LoadLibpq() {
  static const Status loaded = []() -> Status {
    constexpr const char* kLibrary = "libpq.so.5";
    void* handle = dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (handle == nullptr) {
      const char* why = dlerror();
      return Unavailable(fmt::format(
          "PostgreSQL needs libpq ({}, Debian package libpq5), which cannot be loaded: {}",
          kLibrary, why != nullptr ? why : "dlopen failed"));
    }
    static Libpq lib;
#define RAMPART_LIBPQ_LOAD(f)                                  \
  lib.f = reinterpret_cast<decltype(&::f)>(dlsym(handle, #f)); \
  if (lib.f == nullptr) return Unavailable(fmt::format("{} has no function {}", kLibrary, #f));
    RAMPART_LIBPQ_FUNCTIONS(RAMPART_LIBPQ_LOAD)
#undef RAMPART_LIBPQ_LOAD
    pq = &lib;
    return Status::Ok();
  }();
  return loaded;
}

// Advisory lock keys (arbitrary, fixed): one for writes, one for migrations.
constexpr int64_t kWriteLock = 7261001;
constexpr int64_t kMigrationLock = 7261000;

// Set on every new connection, and again after a DISCARD ALL (which resets them). PostgreSQL's
// plan cache is left as it is by default (plan_cache_mode auto, see PgConnection::Run).
constexpr const char* kSessionSettings = "SET client_min_messages = warning";

Status MapError(PGconn* conn, const PGresult* res) {
  const char* state = res != nullptr ? pq->PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string code = state != nullptr ? state : "";
  std::string msg = res != nullptr ? pq->PQresultErrorMessage(res) : pq->PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  if (pq->PQstatus(conn) != CONNECTION_OK || code.rfind("08", 0) == 0 ||
      code.rfind("57P", 0) == 0) {
    return Unavailable("the database is unreachable; try again (" + msg + ")");
  }
  if (code == "53100") {  // disk_full
    return InsufficientStorage(
        "the database's disk is full: nothing was written; free space and try again (reading "
        "still works)");
  }
  if (code == "23505") return AlreadyExists(msg);
  if (code == "23503") {
    return InvalidArgument("a referenced record does not exist in this organisation");
  }
  if (code.rfind("23", 0) == 0 || code.rfind("22", 0) == 0) return InvalidArgument(msg);
  if (code == "40001" || code == "40P01") {
    return Conflict("a concurrent change got in the way; try again");
  }
  return Internal(msg);
}

// `?` placeholders to `$1`, `$2`, ... (outside quoted literals).
std::string Numbered(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

class PgRows final : public SqlRows {
 public:
  explicit PgRows(PGresult* res) : res_(res), rows_(pq->PQntuples(res)) {}
  ~PgRows() override { pq->PQclear(res_); }
  PgRows(const PgRows&) = delete;
  PgRows& operator=(const PgRows&) = delete;

  Result<bool> Next() override { return ++row_ < rows_; }
  bool IsNull(int col) const override { return pq->PQgetisnull(res_, row_, col) != 0; }
  int64_t Int(int col) const override {
    return std::strtoll(pq->PQgetvalue(res_, row_, col), nullptr, 10);
  }
  bool Bool(int col) const override {
    const char* v = pq->PQgetvalue(res_, row_, col);
    return v[0] == 't' || v[0] == '1';
  }
  std::string Text(int col) const override {
    return {pq->PQgetvalue(res_, row_, col), static_cast<size_t>(pq->PQgetlength(res_, row_, col))};
  }
  std::string Blob(int col) const override {
    // Results come in text format: bytea as \x followed by hex digits.
    size_t n = 0;
    unsigned char* bytes = pq->PQunescapeBytea(
        reinterpret_cast<const unsigned char*>(pq->PQgetvalue(res_, row_, col)), &n);
    if (bytes == nullptr) return {};
    std::string out(reinterpret_cast<const char*>(bytes), n);
    pq->PQfreemem(bytes);
    return out;
  }

 private:
  PGresult* res_;
  int rows_;
  int row_ = -1;
};

// What libpq is given for a statement's parameters: text, except blobs, sent as binary.
struct PgParams {
  explicit PgParams(const std::vector<SqlValue>& params)
      : text(params.size()),
        values(params.size(), nullptr),
        lengths(params.size(), 0),
        formats(params.size(), 0) {
    for (size_t i = 0; i < params.size(); ++i) {
      const auto& p = params[i];
      if (std::holds_alternative<int64_t>(p)) {
        text[i] = std::to_string(std::get<int64_t>(p));
      } else if (std::holds_alternative<bool>(p)) {
        text[i] = std::get<bool>(p) ? "true" : "false";
      } else if (std::holds_alternative<std::string>(p)) {
        text[i] = std::get<std::string>(p);
      } else if (std::holds_alternative<double>(p)) {
        text[i] = FormatNumber(std::get<double>(p));  // the shortest text that reads back exactly
      } else if (std::holds_alternative<SqlBlob>(p)) {
        const auto& b = std::get<SqlBlob>(p).bytes;
        values[i] = b.data();
        lengths[i] = static_cast<int>(b.size());
        formats[i] = 1;
        continue;
      } else {
        continue;  // NULL
      }
      values[i] = text[i].c_str();
    }
  }
  int size() const { return static_cast<int>(values.size()); }

  std::vector<std::string> text;
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
};

std::string SqlState(const PGresult* res) {
  const char* state = res != nullptr ? pq->PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  return state != nullptr ? state : "";
}

// True when `sql` contains `word` in any case (DISCARD, DEALLOCATE: statements that drop the
// session's prepared statements).
bool MentionsCi(std::string_view sql, std::string_view word) {
  return std::search(sql.begin(), sql.end(), word.begin(), word.end(), [](char a, char b) {
           return std::toupper(static_cast<unsigned char>(a)) == b;
         }) != sql.end();
}

// True when the best plan of `sql` depends on the values bound to it, so that a generic plan,
// made for any value, can read far more than one made for the values: a pattern, a MIN or MAX,
// a LIMIT (see PgConnection::Run).
bool UnknownValueHurts(std::string_view sql) {
  return MentionsCi(sql, "LIKE ?") || MentionsCi(sql, "MAX(") || MentionsCi(sql, "MIN(") ||
         MentionsCi(sql, "LIMIT");
}

class PgConnection final : public SqlConnection {
 public:
  PgConnection(PGconn* conn, std::function<void()> counted)
      : conn_(conn), counted_(std::move(counted)) {}
  ~PgConnection() override { pq->PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Status Exec(const std::string& sql) override {
    counted_();
    PGresult* res = pq->PQexec(conn_, sql.c_str());
    const auto status = pq->PQresultStatus(res);
    retryable_ = IsRetryable(res);
    Status st = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ? Status::Ok()
                                                                        : MapError(conn_, res);
    pq->PQclear(res);
    // DISCARD ALL or DEALLOCATE drop (some of) the session's prepared statements: drop the rest
    // too, so that the cache and the session agree again.
    const bool discard = MentionsCi(sql, "DISCARD");
    if (discard || MentionsCi(sql, "DEALLOCATE")) DropAll();
    if (discard) SettleSession();
    return st;
  }

  Result<std::unique_ptr<SqlRows>> Query(const std::string& sql,
                                         const std::vector<SqlValue>& params) override {
    counted_();
    const PgParams bound(params);
    // A statement in a transaction that has not begun yet (autocommit) can be run again after
    // PostgreSQL refused to run its prepared form: nothing of it ran.
    const bool autocommit = pq->PQtransactionStatus(conn_) == PQTRANS_IDLE;
    PGresult* res = Run(sql, bound);
    bool stale = pq->PQresultStatus(res) == PGRES_FATAL_ERROR && Stale(sql, res);
    if (stale && autocommit) {
      pq->PQclear(res);
      res = Run(sql, bound);
      stale = false;
    }
    const auto status = pq->PQresultStatus(res);
    // In a transaction, the refusal aborted it: running the whole transaction again prepares
    // the statement afresh.
    retryable_ = stale || IsRetryable(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      Status st = MapError(conn_, res);
      pq->PQclear(res);
      if (pq->PQstatus(conn_) != CONNECTION_OK) Forget();  // a new session would have none of them
      return st;
    }
    const std::string_view tag = pq->PQcmdStatus(res);
    if (tag.starts_with("DEALLOCATE") || tag.starts_with("DISCARD")) DropAll();
    if (tag.starts_with("DISCARD")) SettleSession();
    return std::unique_ptr<SqlRows>(std::make_unique<PgRows>(res));
  }

  Status BeginWrite() override {
    return Exec(fmt::format("BEGIN; SELECT pg_advisory_xact_lock({})", kWriteLock));
  }
  Status BeginRead() override { return Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); }
  Status Commit() override { return Exec("COMMIT"); }
  Status Rollback() override { return Exec("ROLLBACK"); }
  bool LastErrorRetryable() const override { return retryable_; }
  bool Healthy() const override {
    return pq->PQstatus(conn_) == CONNECTION_OK && pq->PQtransactionStatus(conn_) == PQTRANS_IDLE;
  }

 private:
  // A statement text this connection has run: its `$n` form, and the name of its prepared form
  // on the server once it has one (from its second use on).
  struct Statement {
    bool unnamed = false;  // never prepared: UnknownValueHurts
    std::string name;
    std::list<const std::string*>::iterator used;  // its place in used_
  };

  static bool IsRetryable(const PGresult* res) {
    const std::string state = SqlState(res);
    return state == "40001" || state == "40P01";
  }

  // Runs `sql`: the first time unnamed (PQexecParams: parsed and planned for this one run), from
  // the second time on as a named prepared statement (PQprepare once, then PQexecPrepared),
  // which PostgreSQL parses once per connection and, after five runs planned for their values,
  // plans once (a generic plan) if that plan is estimated no costlier: a record by id, the token
  // check, a count. That is where most of a short statement's time went (planning a join).
  //
  // A statement whose best plan depends on its values is never prepared, so that each run is
  // planned for its values as before. Such statements are told by their text
  // (UnknownValueHurts): `MIN(` / `MAX(` (the SoA's newest audit event of a record type: the
  // generic plan walked the whole audit trail backwards, 25 ms at 110,000 events against
  // 0.08 ms), a pattern (`LIKE ?`: an unknown pattern's matches are a fixed guess), `LIMIT` (a
  // page: how far an index walk goes depends on how many rows the values match).
  PGresult* Run(const std::string& sql, const PgParams& p) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
      if (statements_.size() >= kMaxTracked) Evict(/*prepared_only=*/false);
      it = statements_.emplace(sql, Statement{.unnamed = UnknownValueHurts(sql)}).first;
      used_.push_front(&it->first);
      it->second.used = used_.begin();
      return Unnamed(sql, p);
    }
    Statement& s = it->second;
    used_.splice(used_.begin(), used_, s.used);  // now the most recently used
    if (s.unnamed) return Unnamed(sql, p);
    if (s.name.empty()) {
      // A transaction that already failed refuses everything but its end: say so as ever.
      if (pq->PQtransactionStatus(conn_) == PQTRANS_INERROR) return Unnamed(sql, p);
      DeallocateOrphans();
      if (prepared_ >= kMaxPrepared) Evict(/*prepared_only=*/true);
      std::string name = fmt::format("r{}", ++next_name_);
      PGresult* prep = pq->PQprepare(conn_, name.c_str(), Numbered(sql).c_str(), p.size(), nullptr);
      if (pq->PQresultStatus(prep) != PGRES_COMMAND_OK) return prep;  // the statement's own error
      pq->PQclear(prep);
      s.name = std::move(name);
      ++prepared_;
    }
    return pq->PQexecPrepared(conn_, s.name.c_str(), p.size(), p.values.data(), p.lengths.data(),
                              p.formats.data(), 0);
  }

  PGresult* Unnamed(const std::string& sql, const PgParams& p) {
    return pq->PQexecParams(conn_, Numbered(sql).c_str(), p.size(), nullptr, p.values.data(),
                            p.lengths.data(), p.formats.data(), 0);
  }

  // True when PostgreSQL refused the prepared form of `sql` for a reason that preparing it again
  // cures, after dropping what the cache knew: the session no longer has it (26000: someone ran
  // DISCARD or DEALLOCATE, or a pooler gave us another session), or the tables it reads changed
  // the columns it returns (0A000 "cached plan must not change result type").
  bool Stale(const std::string& sql, const PGresult* res) {
    const std::string state = SqlState(res);
    if (state == "26000") {
      DropAll();  // whatever else of ours the session still has goes too
      return true;
    }
    if (state == "0A000") {
      auto it = statements_.find(sql);
      if (it == statements_.end() || it->second.name.empty()) return false;
      // In a transaction the refusal aborted it, which refuses a DEALLOCATE too: that waits for
      // the next statement prepared after the transaction.
      orphans_.push_back(it->second.name);
      Erase(it);
      if (pq->PQtransactionStatus(conn_) != PQTRANS_INERROR) DeallocateOrphans();
      return true;
    }
    return false;
  }

  // Drops the least recently used statement (a prepared one when `prepared_only`).
  void Evict(bool prepared_only) {
    for (auto u = used_.rbegin(); u != used_.rend(); ++u) {
      auto it = statements_.find(**u);
      if (prepared_only && it->second.name.empty()) continue;
      if (!it->second.name.empty()) Deallocate(it->second.name);
      Erase(it);
      return;
    }
  }

  void Erase(std::unordered_map<std::string, Statement>::iterator it) {
    if (!it->second.name.empty()) --prepared_;
    used_.erase(it->second.used);
    statements_.erase(it);
  }

  void Deallocate(const std::string& name) {
    pq->PQclear(pq->PQexec(conn_, ("DEALLOCATE " + name).c_str()));
  }

  void DeallocateOrphans() {
    for (const auto& name : orphans_) Deallocate(name);
    orphans_.clear();
  }

  // When the session lost some of its prepared statements (a DISCARD or DEALLOCATE run through
  // this connection, or behind its back): forgets them all and deallocates whatever is left,
  // now or, in a failed transaction, before the next statement is prepared.
  void DropAll() {
    Forget();
    orphans_.push_back("ALL");
    if (pq->PQtransactionStatus(conn_) != PQTRANS_INERROR) DeallocateOrphans();
  }

  // After a DISCARD ALL, which also resets the session's settings: kSessionSettings again.
  void SettleSession() {
    if (pq->PQtransactionStatus(conn_) == PQTRANS_IDLE)
      pq->PQclear(pq->PQexec(conn_, kSessionSettings));
  }

  // Forgets every statement: the session has none of them any more.
  void Forget() {
    statements_.clear();
    used_.clear();
    orphans_.clear();
    prepared_ = 0;
  }

  // At most this many statement texts per connection, of which at most kMaxPrepared prepared
  // (a prepared statement holds its parse tree and plans in the server process: some kB each).
  static constexpr size_t kMaxTracked = 256;
  static constexpr size_t kMaxPrepared = 128;

  PGconn* conn_;
  std::function<void()> counted_;
  bool retryable_ = false;
  std::unordered_map<std::string, Statement> statements_;
  std::list<const std::string*> used_;  // keys of statements_, most recently used first
  std::vector<std::string> orphans_;    // prepared, forgotten, not yet deallocated
  size_t prepared_ = 0;
  uint64_t next_name_ = 0;
};

class PostgresDriver final : public SqlDriver {
 public:
  explicit PostgresDriver(std::string conninfo) : conninfo_(std::move(conninfo)) {}

  Result<std::unique_ptr<SqlConnection>> Connect() override {
    // Defaults first: what the URL itself says overrides them. A dead network path must not
    // hold a request thread for minutes.
    const char* keys[] = {"connect_timeout", "keepalives", "keepalives_idle", "dbname", nullptr};
    const char* values[] = {"10", "1", "30", conninfo_.c_str(), nullptr};
    PGconn* conn = pq->PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (pq->PQstatus(conn) != CONNECTION_OK) {
      std::string msg = pq->PQerrorMessage(conn);
      while (!msg.empty() && msg.back() == '\n') msg.pop_back();
      pq->PQfinish(conn);
      return Unavailable("cannot connect to PostgreSQL: " + msg);
    }
    pq->PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    auto c = std::make_unique<PgConnection>(conn, [this] { Counted(); });
    RETURN_IF_ERROR(c->Exec(kSessionSettings));
    return std::unique_ptr<SqlConnection>(std::move(c));
  }

  const std::vector<Migration>& Migrations() const override {
    static const std::vector<Migration> kAll = LoadMigrations(kPostgresMigrationFiles);
    return kAll;
  }

  Status LockMigrations(SqlConnection& conn) override {
    return conn.Exec(fmt::format("SELECT pg_advisory_lock({})", kMigrationLock));
  }
  Status UnlockMigrations(SqlConnection& conn) override {
    return conn.Exec(fmt::format("SELECT pg_advisory_unlock({})", kMigrationLock));
  }

  // Read from pg_catalog: Migrate asks this once per register field at every start (some 500
  // times), and the same question of information_schema.columns, a view over a dozen
  // catalogues, cost 0.4 ms of parse and plan each on the server, and a second of start-up in
  // all on the benchmark machine (docs/performance.md, issue 17).
  Result<bool> ColumnExists(SqlConnection& conn, const std::string& table,
                            const std::string& column) override {
    ASSIGN_OR_RETURN(auto rows,
                     conn.Query("SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = "
                                "a.attrelid WHERE a.attrelid = to_regclass(quote_ident("
                                "current_schema()) || '.' || quote_ident(?)) AND a.attname = ? "
                                "AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', "
                                "'p', 'v', 'm', 'f')",
                                {table, column}));
    return rows->Next();
  }

  // Statistics choose the index well here.
  std::string Unindexed(const std::string& column) const override { return column; }

  std::string ListItems(const std::string& column) const override {
    // A scalar (never written, but a hand-edited row could hold one) gives no row, not an error.
    return fmt::format(
        "jsonb_array_elements_text(CASE jsonb_typeof({0}) WHEN 'array' THEN {0} END) AS "
        "items(value)",
        column);
  }

  // Case-insensitive substring match; the pg_trgm indexes of migration 0003 serve ILIKE.
  std::string SearchCondition(const std::string&, const std::vector<std::string>& fields,
                              const std::string& text,
                              std::vector<SqlValue>& params) const override {
    std::string any;
    for (const auto& f : fields) {
      any += fmt::format("{}{} ILIKE ? ESCAPE '\\'", any.empty() ? "" : " OR ", f);
      params.emplace_back("%" + EscapeLike(text) + "%");
    }
    return "(" + any + ")";
  }

  Status CheckSchema(SqlConnection&) override { return Status::Ok(); }

  Result<Catalogue> ReadCatalogue(SqlConnection& conn) override {
    auto text = [](const SqlRows& r) { return r.Text(0); };
    Catalogue out;
    ASSIGN_OR_RETURN(auto tables, conn.Query("SELECT table_name FROM information_schema.tables "
                                             "WHERE table_schema = current_schema() AND "
                                             "table_type = 'BASE TABLE' ORDER BY table_name",
                                             {}));
    ASSIGN_OR_RETURN(const auto names, ReadAll(*tables, text));
    for (const auto& name : names) {
      if (name == "schema_migrations") {
        out.skipped.push_back({name, kMigrationsNotCopied});
        continue;
      }
      CatalogueTable t{.name = name};
      // A generated column (GENERATED ALWAYS AS ... STORED) is computed by the destination.
      ASSIGN_OR_RETURN(
          auto columns,
          conn.Query("SELECT column_name, data_type, is_identity = 'YES' OR "
                     "COALESCE(column_default, '') LIKE 'nextval(%' "
                     "FROM information_schema.columns WHERE table_schema = current_schema() AND "
                     "table_name = ? AND is_generated <> 'ALWAYS' ORDER BY ordinal_position",
                     {name}));
      ASSIGN_OR_RETURN(t.columns, ReadAll(*columns, [](const SqlRows& r) {
                         const std::string type = r.Text(1);
                         const ColumnKind kind =
                             type == "bigint" || type == "integer" || type == "smallint"
                                 ? ColumnKind::kInt
                             : type == "boolean"          ? ColumnKind::kBool
                             : type == "bytea"            ? ColumnKind::kBlob
                             : type == "double precision" ? ColumnKind::kReal
                                                          : ColumnKind::kText;
                         return CatalogueColumn{r.Text(0), kind, r.Bool(2)};
                       }));
      ASSIGN_OR_RETURN(
          auto key,
          conn.Query("SELECT k.column_name FROM information_schema.table_constraints c "
                     "JOIN information_schema.key_column_usage k ON k.constraint_schema = "
                     "c.constraint_schema AND k.constraint_name = c.constraint_name AND "
                     "k.table_name = c.table_name WHERE c.constraint_type = 'PRIMARY KEY' AND "
                     "c.table_schema = current_schema() AND c.table_name = ? "
                     "ORDER BY k.ordinal_position",
                     {name}));
      ASSIGN_OR_RETURN(t.primary_key, ReadAll(*key, text));
      ASSIGN_OR_RETURN(auto parents,
                       conn.Query("SELECT DISTINCT parent.relname FROM pg_constraint k "
                                  "JOIN pg_class child ON child.oid = k.conrelid "
                                  "JOIN pg_class parent ON parent.oid = k.confrelid "
                                  "JOIN pg_namespace n ON n.oid = child.relnamespace "
                                  "WHERE k.contype = 'f' AND n.nspname = current_schema() AND "
                                  "child.relname = ? ORDER BY 1",
                                  {name}));
      ASSIGN_OR_RETURN(t.references, ReadAll(*parents, text));
      out.tables.push_back(std::move(t));
    }
    ASSIGN_OR_RETURN(auto rows,
                     conn.Query("SELECT c.relname, p.prosrc FROM pg_trigger t "
                                "JOIN pg_class c ON c.oid = t.tgrelid "
                                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                "JOIN pg_proc p ON p.oid = t.tgfoid "
                                "WHERE NOT t.tgisinternal AND n.nspname = current_schema() "
                                "ORDER BY t.tgname",
                                {}));
    ASSIGN_OR_RETURN(const auto triggers, ReadAll(*rows, [](const SqlRows& r) {
                       return CatalogueTrigger{r.Text(0), r.Text(1)};
                     }));
    SkipTablesKeptByTriggers(out, triggers);
    return out;
  }

  Status ResetIdentity(SqlConnection& conn, const std::string& table,
                       const std::string& column) override {
    // pg_get_serial_sequence parses its first argument as a (quoted) table name and takes the
    // second literally.
    ASSIGN_OR_RETURN(auto rows,
                     conn.Query(fmt::format("SELECT setval(pg_get_serial_sequence(?, ?), "
                                            "COALESCE((SELECT MAX({0}) FROM {1}), 0) + 1, "
                                            "false)",
                                            QuoteIdentifier(column), QuoteIdentifier(table)),
                                {QuoteIdentifier(table), column}));
    return Status::Ok();
  }

 private:
  std::string conninfo_;
};

}  // namespace

Result<std::unique_ptr<SqlDriver>> OpenPostgresDriver(const std::string& conninfo) {
  RETURN_IF_ERROR(LoadLibpq());
  auto driver = std::make_unique<PostgresDriver>(conninfo);
  ASSIGN_OR_RETURN(auto probe, driver->Connect());  // fails early when unreachable
  return std::unique_ptr<SqlDriver>(std::move(driver));
}

namespace {

// Quotes a libpq keyword value when it needs it (empty, spaces, quotes, backslashes).
std::string QuoteConninfoValue(std::string_view value) {
  if (!value.empty() && value.find_first_of(" \t\n'\\") == std::string_view::npos) {
    return std::string(value);
  }
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

Result<std::string> PostgresUrlWithDatabase(const std::string& url, const std::string& dbname) {
  RETURN_IF_ERROR(LoadLibpq());
  char* error = nullptr;
  PQconninfoOption* options = pq->PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    const std::string message = error != nullptr ? error : "out of memory";
    pq->PQfreemem(error);
    return InvalidArgument("not a libpq connection string: " + message, "db");
  }
  std::vector<std::pair<std::string, std::string>> set;
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr && std::string_view(o->keyword) != "dbname") {
      set.emplace_back(o->keyword, o->val);
    }
  }
  pq->PQconninfoFree(options);
  set.emplace_back("dbname", dbname);
  constexpr std::array<std::string_view, 5> kFirst = {"host", "hostaddr", "port", "dbname", "user"};
  std::string out;
  auto add = [&](const std::string& k, const std::string& v) {
    out += fmt::format("{}{}={}", out.empty() ? "" : " ", k, QuoteConninfoValue(v));
  };
  for (std::string_view first : kFirst) {
    for (const auto& [k, v] : set) {
      if (k == first) add(k, v);
    }
  }
  for (const auto& [k, v] : set) {
    if (std::find(kFirst.begin(), kFirst.end(), k) == kFirst.end()) add(k, v);
  }
  return out;
}

}  // namespace rampart::store

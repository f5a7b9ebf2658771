// What only the PostgreSQL backend does: the forms of its URL, and losing its connections. Runs
// on the cluster named by RAMPART_TEST_PG_URL, like the postgres half of the store contract
// suite (tests/contract), which covers everything every backend does.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "domain/context.h"
#include "store/migrations.h"
#include "store/postgres/postgres_driver.h"
#include "store/sql/driver.h"
#include "store/store.h"
#include "support/fixed_clock.h"
#include "support/status_matchers.h"
#include "support/test_backend.h"
#include "support/test_store.h"

namespace rampart::store {
namespace {

using test::Backend;
using test::IsOk;
using test::RawResult;
using test::StatusIs;

// The keywords a libpq connection string sets.
std::map<std::string, std::string> ParseConninfo(const std::string& conninfo) {
  std::map<std::string, std::string> out;
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    ADD_FAILURE() << "cannot parse " << conninfo << ": " << (error != nullptr ? error : "");
    PQfreemem(error);
    return out;
  }
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr) out[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  return out;
}

std::string PercentEncode(std::string_view s) {
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// `conninfo` as a URI: SCHEME://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?other=keywords], the host
// percent-encoded (a socket directory becomes %2Ftmp%2F...).
std::string ToUri(const std::string& scheme, const std::string& conninfo) {
  auto kw = ParseConninfo(conninfo);
  std::string uri = scheme + "://";
  if (kw.contains("user")) {
    uri += PercentEncode(kw["user"]);
    if (kw.contains("password")) uri += ":" + PercentEncode(kw["password"]);
    uri += "@";
  }
  uri += PercentEncode(kw["host"]);
  if (kw.contains("port")) uri += ":" + kw["port"];
  uri += "/" + PercentEncode(kw["dbname"]);
  char sep = '?';
  for (const auto& [k, v] : kw) {
    if (k == "user" || k == "password" || k == "host" || k == "port" || k == "dbname") continue;
    uri += fmt::format("{}{}={}", sep, k, PercentEncode(v));
    sep = '&';
  }
  return uri;
}

class PostgresStore : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = test::BackendDatabase::Create(Backend::kPostgres);
    ASSERT_THAT(db, IsOk());
    db_ = std::move(db).value();
  }

  std::unique_ptr<test::BackendDatabase> db_;
};

TEST_F(PostgresStore, OpensAKeywordStringAPostgresqlUriAndAPostgresUri) {
  auto keywords = OpenStore(db_->url());
  ASSERT_THAT(keywords, IsOk()) << db_->url();
  ASSERT_THAT((*keywords)->Migrate(), IsOk());
  for (const std::string scheme : {"postgresql", "postgres"}) {
    const std::string uri = ToUri(scheme, db_->url());
    SCOPED_TRACE(uri);
    auto store = OpenStore(uri);
    ASSERT_THAT(store, IsOk());
    EXPECT_EQ(*(*store)->SchemaVersion(), SqliteMigrations().back().number);  // the same database
  }
}

// Lost connections (a restarted server, a failover) cost at most one kUnavailable; the store then
// reconnects and keeps serving.
TEST_F(PostgresStore, ReconnectsAfterItsConnectionsAreTerminated) {
  auto opened = test::OpenMigratedStore(db_->url());
  ASSERT_THAT(opened, IsOk());
  auto& store = **opened;
  test::FixedClock clock(test::TestEpoch());
  ASSERT_THAT(test::CreateTenant(store, "Acme", "alice", FormatUtc(clock.Now())), IsOk());

  ASSERT_EQ(db_->Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                      " WHERE datname = current_database() AND pid <> pg_backend_pid()")
                .outcome,
            RawResult::Outcome::kOk);
  const auto first = store.FindOrganisation("Acme");
  if (!first.ok()) {
    EXPECT_THAT(first, StatusIs(Code::kUnavailable));
  }
  const auto second = store.FindOrganisation("Acme");
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->name, "Acme");
  EXPECT_THAT(test::CreateTenant(store, "Globex", "bob", FormatUtc(clock.Now())), IsOk());
}

// A full disk (SQLSTATE 53100 disk_full, raised here by a trigger where PostgreSQL would raise it
// on a full volume) is kInsufficientStorage, saying so, and writes nothing; reads go on (issue
// 17; tests/cli/serve_disk_full_test.sh fills a real tmpfs under SQLite).
TEST_F(PostgresStore, ADiskFullIsInsufficientStorage) {
  auto opened = test::OpenMigratedStore(db_->url());
  ASSERT_THAT(opened, IsOk());
  auto& store = **opened;
  auto tenant = test::CreateTenant(store, "Acme", "alice", "2026-03-01T12:00:00.000Z");
  ASSERT_THAT(tenant, IsOk());
  ASSERT_EQ(db_->Exec("CREATE FUNCTION full_disk() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                      "RAISE EXCEPTION 'could not extend file: No space left on device' USING "
                      "ERRCODE = '53100'; END $$; CREATE TRIGGER full_disk BEFORE INSERT ON "
                      "context_issues FOR EACH ROW EXECUTE FUNCTION full_disk()")
                .outcome,
            RawResult::Outcome::kOk);
  const Actor actor{.org_id = tenant->org.id,
                    .user_id = tenant->admin.id,
                    .username = "alice",
                    .now = "2026-03-01T12:00:00.000Z"};
  const auto written = store.Write(actor, {Mutation{.kind = Mutation::Kind::kInsert,
                                                    .spec = &domain::ContextIssues(),
                                                    .fields = {{"title", "Supplier concentration"},
                                                               {"kind", "internal"},
                                                               {"status", "active"},
                                                               {"climate_related", false}},
                                                    .action = "create",
                                                    .diff = Json::object()}});
  EXPECT_THAT(written, StatusIs(Code::kInsufficientStorage));
  EXPECT_THAT(written.status().message(),
              ::testing::HasSubstr("disk is full: nothing was written"));
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM audit_events WHERE action = 'create' AND "
                          "record_type = 'context_issue'"),
            0);
  EXPECT_THAT(store.Count(domain::ContextIssues(), tenant->org.id, {}), IsOk());
}

// Prepared statements (issue 17): a connection runs a statement text unnamed the first time
// (parsed and planned for that run) and from its second use on as a named prepared statement,
// prepared once per connection; pg_prepared_statements shows what the session holds.
class PostgresStatements : public PostgresStore {
 protected:
  void SetUp() override {
    PostgresStore::SetUp();
    ASSERT_EQ(db_->Exec("CREATE TABLE probe (id BIGINT PRIMARY KEY, name TEXT NOT NULL); "
                        "INSERT INTO probe VALUES (1, 'one'), (2, 'two'), (3, 'three')")
                  .outcome,
              RawResult::Outcome::kOk);
    auto driver = OpenPostgresDriver(db_->url());
    ASSERT_THAT(driver, IsOk());
    driver_ = std::move(driver).value();
    driver_->SetStatementCounter([this] { ++statements_; });
    auto conn = driver_->Connect();
    ASSERT_THAT(conn, IsOk());
    conn_ = std::move(conn).value();
    statements_ = 0;  // Connect ran one (SET client_min_messages)
  }

  // The name of `id`'s row, read with kByIdSql on `conn`.
  static std::string NameOf(SqlConnection& conn, int64_t id) {
    auto rows = conn.Query(kByIdSql, {id});
    if (!rows.ok()) return "error: " + std::string(rows.status().message());
    auto next = (*rows)->Next();
    return next.ok() && *next ? (*rows)->Text(0) : "no row";
  }

  // The session's prepared statements that read `probe`: text → times executed. Each look is a
  // text of its own (a numbered comment), run once, so never prepared itself.
  std::map<std::string, int64_t> Prepared(SqlConnection& conn) {
    std::map<std::string, int64_t> out;
    auto rows = conn.Query(
        fmt::format("SELECT statement, custom_plans + generic_plans FROM pg_prepared_statements "
                    "WHERE statement LIKE '%FROM probe%' /* look {} */",
                    ++looks_),
        {});
    if (!rows.ok()) {
      ADD_FAILURE() << rows.status().message();
      return out;
    }
    while (*(*rows)->Next()) out[(*rows)->Text(0)] = (*rows)->Int(1);
    return out;
  }

  // The prepared statement's name on the server (r1, r2, ...), or "" when it has none.
  std::string ServerName(SqlConnection& conn) {
    auto rows = conn.Query(
        fmt::format("SELECT name FROM pg_prepared_statements WHERE statement = ? /* look {} */",
                    ++looks_),
        {std::string(kByIdNumbered)});
    if (!rows.ok() || !*(*rows)->Next()) return "";
    return (*rows)->Text(0);
  }

  static constexpr const char* kByIdSql = "SELECT name FROM probe WHERE id = ?";
  static constexpr const char* kByIdNumbered = "SELECT name FROM probe WHERE id = $1";

  std::unique_ptr<SqlDriver> driver_;
  std::unique_ptr<SqlConnection> conn_;
  int statements_ = 0;
  int looks_ = 0;
};

TEST_F(PostgresStatements, PreparesAStatementOnItsSecondUseOnceAndRunsItAfter) {
  EXPECT_EQ(NameOf(*conn_, 1), "one");
  EXPECT_THAT(Prepared(*conn_), ::testing::IsEmpty());  // the first run was unnamed
  EXPECT_EQ(NameOf(*conn_, 2), "two");
  EXPECT_EQ(Prepared(*conn_), (std::map<std::string, int64_t>{{kByIdNumbered, 1}}));
  const std::string name = ServerName(*conn_);
  EXPECT_THAT(name, ::testing::StartsWith("r"));
  const std::string names[] = {"one", "two", "three"};
  for (int i = 0; i < 10; ++i) EXPECT_EQ(NameOf(*conn_, 1 + i % 3), names[i % 3]);
  // Still the one prepared statement, run 11 times; not prepared again.
  EXPECT_EQ(Prepared(*conn_), (std::map<std::string, int64_t>{{kByIdNumbered, 11}}));
  EXPECT_EQ(ServerName(*conn_), name);
  // PostgreSQL planned the first five runs for their values, then kept one generic plan.
  auto plans = conn_->Query(
      "SELECT custom_plans, generic_plans FROM pg_prepared_statements WHERE statement = ?",
      {std::string(kByIdNumbered)});
  ASSERT_THAT(plans, IsOk());
  ASSERT_TRUE(*(*plans)->Next());
  EXPECT_EQ((*plans)->Int(0), 5);
  EXPECT_EQ((*plans)->Int(1), 6);
  // Store::StatementCount counts statements run, not prepares: 12 reads, 3 looks at the
  // session's statements, 2 at the name, 1 at the plans.
  EXPECT_EQ(statements_, 12 + 3 + 2 + 1);
  // A value that finds nothing and an error are answered as before.
  EXPECT_EQ(NameOf(*conn_, 99), "no row");
  EXPECT_THAT(conn_->Query("SELECT name FROM probe WHERE id = ?", {std::string("x")}),
              StatusIs(Code::kInvalidArgument));  // 22P02: not a bigint
  EXPECT_EQ(NameOf(*conn_, 1), "one");
}

TEST_F(PostgresStatements, EachConnectionPreparesItsOwn) {
  EXPECT_EQ(NameOf(*conn_, 1), "one");
  EXPECT_EQ(NameOf(*conn_, 1), "one");
  auto other = driver_->Connect();
  ASSERT_THAT(other, IsOk());
  EXPECT_THAT(Prepared(**other), ::testing::IsEmpty());
  EXPECT_EQ(NameOf(**other, 2), "two");
  EXPECT_EQ(NameOf(**other, 2), "two");
  EXPECT_EQ(NameOf(**other, 3), "three");
  EXPECT_EQ(Prepared(**other), (std::map<std::string, int64_t>{{kByIdNumbered, 2}}));
  EXPECT_EQ(Prepared(*conn_), (std::map<std::string, int64_t>{{kByIdNumbered, 1}}));
}

// A statement whose best plan depends on its values is never prepared, so that PostgreSQL
// plans every run for its values: a pattern (the search), a MIN or MAX, a LIMIT. A generic plan
// walked the whole register for a rare search term, and the whole audit trail for the newest
// event of a rare record type.
TEST_F(PostgresStatements, NeverPreparesAStatementWhosePlanDependsOnItsValues) {
  const std::string search =
      "SELECT name FROM probe WHERE name ILIKE ? ESCAPE '\\' ORDER BY id LIMIT ?";
  auto names = [&](const std::string& pattern) {
    std::vector<std::string> out;
    auto rows = conn_->Query(search, {pattern, int64_t{10}});
    if (!rows.ok()) return std::vector<std::string>{"error"};
    while (*(*rows)->Next()) out.push_back((*rows)->Text(0));
    return out;
  };
  auto first = [&](const std::string& sql, const std::vector<SqlValue>& params) {
    auto rows = conn_->Query(sql, params);
    if (!rows.ok() || !*(*rows)->Next()) return std::string("none");
    return (*rows)->Text(0);
  };
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(names("%T%"), (std::vector<std::string>{"two", "three"}));
    EXPECT_EQ(names("%zzzz%"), std::vector<std::string>{});
    EXPECT_EQ(first("SELECT MAX(id) FROM probe WHERE name <> ?", {std::string("three")}), "2");
    EXPECT_EQ(first("SELECT min(id) FROM probe WHERE name <> ?", {std::string("one")}), "2");
    EXPECT_EQ(first("SELECT name FROM probe WHERE id > ? ORDER BY id limit 1", {int64_t{1}}),
              "two");
  }
  EXPECT_THAT(Prepared(*conn_), ::testing::IsEmpty());
  // A pattern written into the statement is no parameter: that statement is prepared.
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(first("SELECT name FROM probe WHERE name LIKE 'o%' AND id = ?", {int64_t{1}}), "one");
  }
  EXPECT_EQ(Prepared(*conn_), (std::map<std::string, int64_t>{
                                  {"SELECT name FROM probe WHERE name LIKE 'o%' AND id = $1", 1}}));
}

// A connection keeps at most 128 prepared statements: the least recently used one is
// deallocated on the server to make room.
TEST_F(PostgresStatements, KeepsAtMost128PreparedStatementsTheMostRecentlyUsed) {
  constexpr int kTexts = 140;
  auto text = [](int i) { return fmt::format("SELECT name FROM probe WHERE id = ? + {}", i); };
  for (int i = 0; i < kTexts; ++i) {
    for (int run = 0; run < 2; ++run) {
      auto rows = conn_->Query(text(i), {int64_t{1 - i}});
      ASSERT_THAT(rows, IsOk());
      ASSERT_TRUE(*(*rows)->Next());
      EXPECT_EQ((*rows)->Text(0), "one");
    }
  }
  const auto prepared = Prepared(*conn_);
  EXPECT_EQ(prepared.size(), 128u);
  for (int i = 0; i < kTexts; ++i) {
    const std::string numbered = fmt::format("SELECT name FROM probe WHERE id = $1 + {}", i);
    EXPECT_EQ(prepared.contains(numbered), i >= kTexts - 128) << numbered;
  }
  // An evicted one comes back when used twice again, evicting the least recently used.
  for (int run = 0; run < 2; ++run) ASSERT_THAT(conn_->Query(text(0), {int64_t{1}}), IsOk());
  const auto after = Prepared(*conn_);
  EXPECT_EQ(after.size(), 128u);
  EXPECT_TRUE(after.contains("SELECT name FROM probe WHERE id = $1 + 0"));
  EXPECT_FALSE(
      after.contains(fmt::format("SELECT name FROM probe WHERE id = $1 + {}", kTexts - 128)));
}

// DISCARD ALL through the connection drops the session's prepared statements: the connection
// forgets them and prepares again, without an error, also inside a transaction.
TEST_F(PostgresStatements, PreparesAgainAfterADiscardThroughTheConnection) {
  EXPECT_EQ(NameOf(*conn_, 1), "one");
  EXPECT_EQ(NameOf(*conn_, 1), "one");
  const std::string before = ServerName(*conn_);
  ASSERT_THAT(conn_->Exec("DISCARD ALL"), IsOk());
  ASSERT_THAT(conn_->BeginRead(), IsOk());
  EXPECT_EQ(NameOf(*conn_, 2), "two");  // unnamed again
  EXPECT_EQ(NameOf(*conn_, 3), "three");
  ASSERT_THAT(conn_->Commit(), IsOk());
  EXPECT_EQ(Prepared(*conn_), (std::map<std::string, int64_t>{{kByIdNumbered, 1}}));
  EXPECT_NE(ServerName(*conn_), before);
  EXPECT_TRUE(conn_->Healthy());
  // DISCARD ALL also reset the session's settings: the connection set them again.
  auto level = conn_->Query("SELECT current_setting('client_min_messages')", {});
  ASSERT_THAT(level, IsOk());
  ASSERT_TRUE(*(*level)->Next());
  EXPECT_EQ((*level)->Text(0), "warning");
}

// A session that lost the prepared statements behind the connection's back (as through a
// connection pooler; here a DO block): outside a transaction the statement runs again at
// once; inside one the transaction fails, retryable, and runs after a rollback.
TEST_F(PostgresStatements, PreparesAgainWhenTheSessionLostThemBehindItsBack) {
  const std::string lose_them = "DO $$ BEGIN EXECUTE 'DEAL' || 'LOCATE ALL'; END $$";
  EXPECT_EQ(NameOf(*conn_, 1), "one");
  EXPECT_EQ(NameOf(*conn_, 1), "one");
  ASSERT_THAT(conn_->Exec(lose_them), IsOk());
  EXPECT_EQ(NameOf(*conn_, 2), "two");  // refused as prepared, run again unnamed
  EXPECT_THAT(Prepared(*conn_), ::testing::IsEmpty());
  EXPECT_EQ(NameOf(*conn_, 3), "three");
  EXPECT_EQ(Prepared(*conn_), (std::map<std::string, int64_t>{{kByIdNumbered, 1}}));

  ASSERT_THAT(conn_->Exec(lose_them), IsOk());
  ASSERT_THAT(conn_->BeginRead(), IsOk());
  EXPECT_THAT(conn_->Query(kByIdSql, {int64_t{1}}), StatusIs(Code::kInternal));
  EXPECT_TRUE(conn_->LastErrorRetryable());
  ASSERT_THAT(conn_->Rollback(), IsOk());
  ASSERT_THAT(conn_->BeginRead(), IsOk());
  EXPECT_EQ(NameOf(*conn_, 1), "one");
  EXPECT_EQ(NameOf(*conn_, 2), "two");
  ASSERT_THAT(conn_->Commit(), IsOk());
  EXPECT_EQ(Prepared(*conn_), (std::map<std::string, int64_t>{{kByIdNumbered, 1}}));
}

// A table that changed the columns a prepared statement returns (SELECT * after ADD COLUMN:
// "cached plan must not change result type"): the statement is prepared again and returns the
// new columns.
TEST_F(PostgresStatements, PreparesAgainWhenTheResultTypeChanged) {
  const std::string all = "SELECT * FROM probe WHERE id = ?";
  auto columns = [&](SqlConnection& conn) -> std::string {
    auto rows = conn.Query(all, {int64_t{1}});
    if (!rows.ok()) return "error: " + std::string(rows.status().message());
    if (!*(*rows)->Next()) return "no row";
    std::string out = (*rows)->Text(1);
    for (int c = 2; c < 3; ++c) out += (*rows)->IsNull(c) ? "" : "," + (*rows)->Text(c);
    return out;
  };
  EXPECT_EQ(columns(*conn_), "one");
  EXPECT_EQ(columns(*conn_), "one");
  ASSERT_EQ(db_->Exec("ALTER TABLE probe ADD COLUMN extra TEXT NOT NULL DEFAULT 'x'").outcome,
            RawResult::Outcome::kOk);
  EXPECT_EQ(columns(*conn_), "one,x");
  EXPECT_EQ(columns(*conn_), "one,x");
  ASSERT_EQ(db_->Exec("ALTER TABLE probe ADD COLUMN more TEXT").outcome, RawResult::Outcome::kOk);
  ASSERT_THAT(conn_->BeginRead(), IsOk());
  EXPECT_THAT(conn_->Query(all, {int64_t{1}}), StatusIs(Code::kInternal));
  EXPECT_TRUE(conn_->LastErrorRetryable());
  ASSERT_THAT(conn_->Rollback(), IsOk());
  EXPECT_EQ(columns(*conn_), "one,x");
  EXPECT_EQ(columns(*conn_), "one,x");
  EXPECT_EQ(Prepared(*conn_).size(), 1u);
}

// A connection whose session ended (the server restarted, the backend was terminated) fails
// once and is not reused; a new connection prepares its statements afresh.
TEST_F(PostgresStatements, ANewSessionPreparesAfresh) {
  EXPECT_EQ(NameOf(*conn_, 1), "one");
  EXPECT_EQ(NameOf(*conn_, 1), "one");
  auto pid = conn_->Query("SELECT pg_backend_pid()", {});
  ASSERT_THAT(pid, IsOk());
  ASSERT_TRUE(*(*pid)->Next());
  ASSERT_EQ(db_->Exec(fmt::format("SELECT pg_terminate_backend({})", (*pid)->Int(0))).outcome,
            RawResult::Outcome::kOk);
  EXPECT_THAT(conn_->Query(kByIdSql, {int64_t{2}}), StatusIs(Code::kUnavailable));
  EXPECT_FALSE(conn_->Healthy());
  auto fresh = driver_->Connect();
  ASSERT_THAT(fresh, IsOk());
  EXPECT_EQ(NameOf(**fresh, 2), "two");
  EXPECT_THAT(Prepared(**fresh), ::testing::IsEmpty());
  EXPECT_EQ(NameOf(**fresh, 3), "three");
  EXPECT_EQ(Prepared(**fresh), (std::map<std::string, int64_t>{{kByIdNumbered, 1}}));
}

// What Migrate refuses, on both backends (issue 17).
class MigrateRefuses : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = test::BackendDatabase::Create(GetParam());
    ASSERT_THAT(db, IsOk());
    db_ = std::move(db).value();
  }
  std::unique_ptr<test::BackendDatabase> db_;
};

// A database a newer Rampart migrated is refused before anything is applied, naming both
// versions.
TEST_P(MigrateRefuses, ADatabaseMigratedByANewerRampart) {
  auto store = OpenStore(db_->url());
  ASSERT_THAT(store, IsOk());
  ASSERT_THAT((*store)->Migrate(), IsOk());
  const int newest = SqliteMigrations().back().number;
  ASSERT_EQ(db_->Exec(fmt::format("INSERT INTO schema_migrations (number, name, applied_at) "
                                  "VALUES ({}, 'from_the_future', '2030-01-01T00:00:00Z')",
                                  newest + 5))
                .outcome,
            RawResult::Outcome::kOk);
  auto again = OpenStore(db_->url());
  ASSERT_THAT(again, IsOk());
  const auto refused = (*again)->Migrate();
  EXPECT_THAT(refused, StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(refused.status().message(),
              ::testing::HasSubstr(
                  fmt::format("schema is at version {}, newer than this Rampart knows (version {})",
                              newest + 5, newest)));
}

// A database that already holds a table of one of Rampart's names (another application's) is
// refused by the migration that creates it, and none of the migrations before it stays
// applied: they all run in one transaction on a database Rampart has never migrated.
TEST_P(MigrateRefuses, AForeignDatabaseAndLeavesNothingApplied) {
  ASSERT_EQ(db_->Exec("CREATE TABLE context_issues (id INTEGER PRIMARY KEY, what TEXT)").outcome,
            RawResult::Outcome::kOk);
  auto store = OpenStore(db_->url());
  ASSERT_THAT(store, IsOk());
  const auto refused = (*store)->Migrate();
  EXPECT_THAT(refused, StatusIs(Code::kInternal));
  EXPECT_THAT(refused.status().message(), ::testing::HasSubstr("migration 0002_context failed"));
  // Nothing of Rampart's stays: not the first migration's tables, not the table of migrations.
  for (const std::string table : {"organisations", "schema_migrations"}) {
    const std::string count =
        GetParam() == Backend::kSqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE name = '" + table + "'"
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '" + table + "'";
    EXPECT_EQ(db_->QueryInt(count), 0) << table;
  }
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM context_issues"), 0);  // theirs, untouched
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrateRefuses,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) {
                           return info.param == Backend::kSqlite ? "sqlite" : "postgres";
                         });

}  // namespace
}  // namespace rampart::store

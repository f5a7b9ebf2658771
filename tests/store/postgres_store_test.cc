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

#include "base/clock.h"
#include "domain/context.h"
#include "store/migrations.h"
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

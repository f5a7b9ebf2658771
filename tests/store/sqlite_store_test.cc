// What only the SQLite backend does: its migration files and the SQLite forms of OpenStore's URL.
// Everything every backend does is in the store contract suite (tests/contract).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "store/migrations.h"
#include "store/store.h"
#include "support/status_matchers.h"
#include "support/test_store.h"

namespace rampart::store {
namespace {

using test::IsOk;
using test::StatusIs;
using ::testing::HasSubstr;

TEST(SqliteStoreMigrate, NumbersMigrationsFromTheirFileNames) {
  const auto& all = SqliteMigrations();
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0].number, 1);
  EXPECT_EQ(all[0].name, "0001_foundation");
  EXPECT_EQ(all[1].number, 2);
  EXPECT_EQ(all[1].name, "0002_context");
  EXPECT_THAT(std::string(all[1].sql), HasSubstr("CREATE TABLE context_issues"));
  EXPECT_EQ(all[2].number, 3);
  EXPECT_EQ(all[2].name, "0003_search");
  EXPECT_EQ(all[3].number, 4);
  EXPECT_EQ(all[3].name, "0004_access");
  EXPECT_EQ(all[4].number, 7);
  EXPECT_EQ(all[4].name, "0007_evidence");
}

TEST(OpenStore, RefusesAnEmptyUrlOrSqliteUrl) {
  EXPECT_THAT(OpenStore(""), StatusIs(Code::kInvalidArgument, "db"));
  EXPECT_THAT(OpenStore("sqlite:"), StatusIs(Code::kInvalidArgument, "db"));
}

TEST(OpenStore, AcceptsASqliteUrl) {
  test::TempDatabase db;
  auto store = OpenStore("sqlite:" + db.path());
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT((*store)->Migrate(), IsOk());
}

}  // namespace
}  // namespace rampart::store

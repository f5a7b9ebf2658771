// InstallationService: migrating a database and copying an installation into another, as
// `rampart migrate` and `rampart copy` do (SQLite files; both backends are covered by
// tests/store/copy_test.cc).
#include "app/installation_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/migrations.h"
#include "support/status_matchers.h"
#include "support/test_store.h"

namespace rampart::app {
namespace {

using test::IsOk;
using test::StatusIs;

// Read in the test, not at namespace scope: the embedded migrations are a global initialised at
// start-up, in an order relative to this file's globals that is not defined.
int Latest() { return static_cast<int>(store::SqliteMigrations().size()); }

TEST(InstallationService, MigratesANewDatabaseOnceAndThenHasNothingToApply) {
  test::TempDatabase db;
  const int latest = Latest();
  ASSERT_GT(latest, 0);
  InstallationService installations;
  auto first = installations.Migrate(db.path());
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->applied, latest);
  EXPECT_EQ(first->version, latest);
  auto again = installations.Migrate(db.path());
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->applied, 0);
  EXPECT_EQ(again->version, latest);
}

TEST(InstallationService, CopiesIntoANewDatabaseAndVerifiesTheAuditTrailThere) {
  test::TempDatabase from;
  test::TempDatabase to;
  {
    auto source = test::OpenMigratedStore(from.path());
    ASSERT_THAT(source, IsOk());
    ASSERT_THAT(test::CreateTenant(**source, "Acme", "alice", "2026-01-01T00:00:00.000Z"), IsOk());
    ASSERT_THAT(test::CreateTenant(**source, "Globex", "gary", "2026-01-02T00:00:00.000Z"), IsOk());
  }
  InstallationService installations;
  auto copied = installations.Copy(from.path(), to.path());
  ASSERT_THAT(copied, IsOk());
  EXPECT_EQ(copied->organisations, 2u);
  EXPECT_TRUE(copied->verified.intact);
  EXPECT_GT(copied->verified.events, 0);
  EXPECT_EQ(copied->verified.head_hash.size(), 64u);
  // The destination now holds data: a second copy is refused, and nothing is added.
  EXPECT_THAT(installations.Copy(from.path(), to.path()), StatusIs(Code::kFailedPrecondition));
  test::RawDatabase raw(to.path());
  EXPECT_EQ(raw.QueryInt("SELECT COUNT(*) FROM organisations"), 2);
}

TEST(InstallationService, RefusesToCopyADatabaseOntoItself) {
  test::TempDatabase db;
  InstallationService installations;
  EXPECT_THAT(installations.Copy(db.path(), db.path()), StatusIs(Code::kInvalidArgument, "to"));
}

}  // namespace
}  // namespace rampart::app

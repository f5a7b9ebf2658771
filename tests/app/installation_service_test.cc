// InstallationService: migrating a database and copying an installation into another, as
// `rampart migrate` and `rampart copy` do (SQLite files; both backends are covered by
// tests/store/copy_test.cc).
#include "app/installation_service.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "store/checks.h"
#include "store/migrations.h"
#include "support/damage.h"
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
  ASSERT_THAT(installations.Open(db.path(), /*migrate=*/false, store::DatabaseUse::kCreate),
              IsOk());
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

// Only `rampart init` (kCreate) makes a database: a mistyped path or an empty file is refused
// naming it, and a command that only reads leaves nothing behind.
TEST(InstallationService, OnlyCreatingOpensAMissingOrEmptyFile) {
  test::TempDatabase db;
  const std::filesystem::path file = db.path();
  ASSERT_FALSE(std::filesystem::exists(file));
  InstallationService installations;
  for (auto use : {store::DatabaseUse::kRead, store::DatabaseUse::kWrite}) {
    auto opened = installations.Open(db.path(), /*migrate=*/false, use);
    EXPECT_THAT(opened, StatusIs(Code::kNotFound));
    EXPECT_THAT(opened.status().message(),
                ::testing::HasSubstr("no Rampart database at " + db.path()));
    EXPECT_FALSE(std::filesystem::exists(file));
  }
  EXPECT_THAT(installations.Migrate(db.path()), StatusIs(Code::kNotFound));
  EXPECT_THAT(installations.Migrate("sqlite:" + db.path()), StatusIs(Code::kNotFound));
  EXPECT_FALSE(std::filesystem::exists(file));
  std::ofstream(file).close();  // a 0-byte file is no database either
  auto empty = installations.Open(db.path(), /*migrate=*/true);
  EXPECT_THAT(empty, StatusIs(Code::kNotFound));
  EXPECT_THAT(empty.status().message(), ::testing::HasSubstr("(the file is empty)"));
  EXPECT_EQ(std::filesystem::file_size(file), 0u);
  ASSERT_THAT(installations.Open(db.path(), /*migrate=*/true, store::DatabaseUse::kCreate), IsOk());
  EXPECT_THAT(installations.Open(db.path(), /*migrate=*/true), IsOk());
}

TEST(InstallationService, RefusesADatabaseMigratedByANewerRampartNamingBothVersions) {
  test::TempDatabase db;
  InstallationService installations;
  ASSERT_THAT(installations.Open(db.path(), /*migrate=*/true, store::DatabaseUse::kCreate), IsOk());
  const int future = Latest() + 1;
  {
    test::RawDatabase raw(db.path());
    ASSERT_EQ(raw.Exec("INSERT INTO schema_migrations (number, name, applied_at) VALUES (" +
                       std::to_string(future) + ", 'from_the_future', '2030-01-01T00:00:00Z')"),
              0);
  }
  auto opened = installations.Open(db.path());
  EXPECT_THAT(opened, StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(opened.status().message(),
              ::testing::HasSubstr(fmt::format("schema is at version {}, newer than this Rampart "
                                               "knows (version {})",
                                               future, Latest())));
  EXPECT_THAT(installations.Migrate(db.path()), StatusIs(Code::kFailedPrecondition));
}

// A database whose pages are damaged is refused by the start's quick check, naming the file and
// what to do; a sound one passes.
TEST(InstallationService, TheIntegrityCheckRefusesADamagedFile) {
  test::TempDatabase db;
  {
    auto store = test::OpenMigratedStore(db.path());
    ASSERT_THAT(store, IsOk());
    ASSERT_THAT(test::CreateTenant(**store, "Acme", "alice", "2026-01-01T00:00:00.000Z"), IsOk());
  }
  EXPECT_THAT(store::CheckIntegrity(db.path()), IsOk());
  {
    test::RawDatabase raw(db.path());
    ASSERT_EQ(raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)"), 0);
  }
  // 64 KiB of noise in the middle of the file, as a failing disk or a stray write leaves it.
  test::OverwriteMiddle(db.path());
  const Status damaged = store::CheckIntegrity(db.path());
  EXPECT_EQ(damaged.code(), Code::kFailedPrecondition) << damaged.ToString();
  EXPECT_THAT(damaged.message(), ::testing::AllOf(::testing::HasSubstr("is damaged"),
                                                  ::testing::HasSubstr("restore")));
}

// As a user who may not write the file (or, running as root, as `nobody` in a child process):
// refused at the start for writing, accepted for reading.
TEST(InstallationService, RefusesToWriteAFileItMayNotWrite) {
  test::TempDatabase db;
  InstallationService installations;
  ASSERT_THAT(installations.Open(db.path(), /*migrate=*/true, store::DatabaseUse::kCreate), IsOk());
  std::filesystem::permissions(db.path(), std::filesystem::perms::owner_read |
                                              std::filesystem::perms::group_read |
                                              std::filesystem::perms::others_read);
  auto check = [&](store::DatabaseUse use) -> std::pair<int, std::string> {
    if (::geteuid() != 0) {
      const Status st = store::CheckBeforeOpen(db.path(), use);
      return {static_cast<int>(st.code()), st.message()};
    }
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) return {-1, "pipe"};
    const pid_t child = ::fork();
    if (child == 0) {
      ::close(pipe_fds[0]);
      if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(100);
      const Status st = store::CheckBeforeOpen(db.path(), use);
      const std::string message = st.message();
      (void)!::write(pipe_fds[1], message.data(), message.size());
      ::_exit(static_cast<int>(st.code()));
    }
    ::close(pipe_fds[1]);
    std::string message;
    char buf[512];
    for (ssize_t n; (n = ::read(pipe_fds[0], buf, sizeof buf)) > 0;) message.append(buf, n);
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, message};
  };
  const auto [write_code, write_message] = check(store::DatabaseUse::kWrite);
  ASSERT_NE(write_code, 100) << "cannot become nobody";
  EXPECT_EQ(write_code, static_cast<int>(Code::kFailedPrecondition)) << write_message;
  EXPECT_THAT(write_message, ::testing::HasSubstr("is read-only for this process"));
  const auto [read_code, read_message] = check(store::DatabaseUse::kRead);
  EXPECT_EQ(read_code, static_cast<int>(Code::kOk)) << read_message;
}

}  // namespace
}  // namespace rampart::app

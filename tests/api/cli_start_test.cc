// What the command line refuses before it serves or changes a database (issue 17): a missing or
// empty file (only `init` creates one), a damaged file, a database rolled back behind its signed
// audit checkpoints. Each is a clear message and a non-zero exit, and leaves no file behind.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "api/cli_run.h"
#include "support/damage.h"

namespace rampart::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

class CliStartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("rampart-cli-start-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "rampart.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  static CliOutcome Cli(std::vector<std::string> args) { return RunCli(std::move(args)); }

  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(CliStartTest, EveryCommandButInitRefusesAMissingDatabaseAndCreatesNothing) {
  const std::string typo = (dir_ / "rampart.dbb").string();
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"serve", "--db", typo, "--listen", "127.0.0.1:0"},
                                             {"migrate", "--db", typo},
                                             {"audit", "verify", "--db", typo},
                                             {"org", "list", "--db", typo},
                                             {"check", "--db", typo}}) {
    SCOPED_TRACE(args[0]);
    const CliOutcome o = Cli(args);
    EXPECT_EQ(o.code, 3);
    EXPECT_THAT(o.err, AllOf(HasSubstr("there is no Rampart database at " + typo),
                             HasSubstr("only `rampart init --db " + typo)));
    EXPECT_FALSE(std::filesystem::exists(typo));
  }
  std::ofstream(db_).close();  // 0 bytes
  const CliOutcome empty = Cli({"serve", "--db", db_, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(empty.code, 3);
  EXPECT_THAT(empty.err, HasSubstr("(the file is empty)"));
  EXPECT_EQ(std::filesystem::file_size(db_), 0u);
  std::filesystem::remove(db_);
  const CliOutcome init = Cli({"init", "--db", db_, "--org", "Acme"});
  ASSERT_EQ(init.code, 0) << init.err;
  EXPECT_THAT(Cli({"audit", "verify", "--db", db_}).out, HasSubstr("Audit trail intact"));
}

TEST_F(CliStartTest, ServeRefusesADamagedDatabase) {
  ASSERT_EQ(Cli({"init", "--db", db_, "--org", "Acme"}).code, 0);
  ASSERT_FALSE(std::filesystem::exists(db_ + "-wal") &&
               std::filesystem::file_size(db_ + "-wal") > 0);
  test::OverwriteMiddle(db_);
  const CliOutcome o = Cli({"serve", "--db", db_, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(o.code, 4);
  EXPECT_THAT(o.err, AllOf(HasSubstr("the database " + db_ + " is damaged"),
                           HasSubstr("restore the database from a backup")));
}

// A database put back to an earlier copy (its newest events gone) no longer reaches the
// checkpoint signed after them: serve refuses it and says why.
TEST_F(CliStartTest, ServeRefusesADatabaseBehindItsSignedCheckpoints) {
  ASSERT_EQ(Cli({"init", "--db", db_, "--org", "Acme"}).code, 0);
  const std::string earlier = (dir_ / "earlier.db").string();
  std::filesystem::copy_file(db_, earlier);
  const CliOutcome added = Cli({"org", "add", "--db", db_, "--name", "Globex"});
  ASSERT_EQ(added.code, 0) << added.err;
  const CliOutcome signed_now = Cli({"audit", "checkpoint", "--db", db_});
  ASSERT_EQ(signed_now.code, 0) << signed_now.err;
  std::filesystem::copy_file(earlier, db_, std::filesystem::copy_options::overwrite_existing);
  const CliOutcome o = Cli({"serve", "--db", db_, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(o.code, 4);
  EXPECT_THAT(o.err, AllOf(HasSubstr("the audit trail does not match its signed checkpoints"),
                           HasSubstr("rolled back")));
}

}  // namespace
}  // namespace rampart::testing

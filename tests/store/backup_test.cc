// Backups (issue 17): taken while writers keep writing, on either backend, restored into the
// other backend and back, they hold every write acknowledged before the backup started; and a
// backup that was changed after it was written, or a file that is no backup, is refused naming
// what does not match.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "app/installation_service.h"
#include "base/clock.h"
#include "base/file_digest.h"
#include "domain/context.h"
#include "domain/register.h"
#include "store/migrations.h"
#include "store/store.h"
#include "support/status_matchers.h"
#include "support/test_backend.h"
#include "support/test_store.h"

namespace rampart::app {
namespace {

using test::Backend;
using test::BackendDatabase;
using test::IsOk;
using test::StatusIs;
using ::testing::HasSubstr;

std::string NameOf(Backend b) { return b == Backend::kSqlite ? "sqlite" : "postgres"; }

// A file name in the temporary directory, removed with what sits beside it.
class BackupPath {
 public:
  BackupPath() {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("rampart-backup-test-" + std::to_string(::getpid()) + "-" +
              std::to_string(counter++) + ".backup"))
                .string();
    Clean();
  }
  ~BackupPath() { Clean(); }
  const std::string& path() const { return path_; }

 private:
  void Clean() {
    std::error_code ec;
    for (const char* suffix : {"", ".sha256", ".partial", ".partial-wal", ".partial-shm"}) {
      std::filesystem::remove(path_ + suffix, ec);
    }
  }
  std::string path_;
};

// The titles of every context issue of `org_id` in the database at `url`.
std::set<std::string> Titles(const std::string& url, int64_t org_id) {
  std::set<std::string> titles;
  auto store = store::OpenStore(url);
  EXPECT_THAT(store, IsOk());
  if (!store.ok()) return titles;
  domain::ListQuery q;
  q.limit = 500;
  while (true) {
    auto page = (*store)->List(domain::ContextIssues(), org_id, q);
    EXPECT_THAT(page, IsOk());
    if (!page.ok()) break;
    for (const auto& r : page->records) titles.insert(r.fields.value("title", ""));
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  return titles;
}

class BackupUnderLoad : public ::testing::TestWithParam<std::pair<Backend, Backend>> {};

// Four writers insert context issues one write at a time; the backup starts while they write
// and they go on during it. Restored into the other backend, the backup holds every issue whose
// write was acknowledged before the backup started, and nothing that was never written; backed
// up again there and restored into the first backend, the same.
TEST_P(BackupUnderLoad, RestoresEveryWriteAcknowledgedBeforeTheBackupStarted) {
  const auto [from_backend, to_backend] = GetParam();
  auto source = BackendDatabase::Create(from_backend);
  ASSERT_THAT(source, IsOk());
  const std::string url = (*source)->url();
  auto opened = InstallationService().Open(url, /*migrate=*/true, store::DatabaseUse::kCreate);
  ASSERT_THAT(opened, IsOk());
  store::Store& store = **opened;
  auto tenant = test::CreateTenant(store, "Acme", "alice", "2026-01-01T00:00:00.000Z");
  ASSERT_THAT(tenant, IsOk());
  const store::Actor actor{.org_id = tenant->org.id,
                           .user_id = tenant->admin.id,
                           .username = "alice",
                           .now = "2026-01-01T00:00:00.000Z"};

  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::pair<std::string, std::chrono::steady_clock::time_point>> acknowledged;
  std::set<std::string> attempted;
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; !stop.load(); ++i) {
        const std::string title = fmt::format("writer {} issue {}", w, i);
        {
          std::lock_guard lock(mu);
          attempted.insert(title);
        }
        const domain::Json fields = {{"title", title},
                                     {"kind", "internal"},
                                     {"status", "active"},
                                     {"climate_related", false}};
        auto written = store.Write(actor, {store::Mutation{.kind = store::Mutation::Kind::kInsert,
                                                           .spec = &domain::ContextIssues(),
                                                           .fields = fields,
                                                           .action = "create",
                                                           .diff = domain::Json::object()}});
        if (written.ok()) {
          std::lock_guard lock(mu);
          acknowledged.emplace_back(title, std::chrono::steady_clock::now());
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  BackupPath first;
  const auto backup_started = std::chrono::steady_clock::now();
  auto backed_up = InstallationService().Backup(url, first.path());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_THAT(backed_up, IsOk());
  EXPECT_EQ(backed_up->manifest.source, from_backend == Backend::kSqlite ? "sqlite" : "postgresql");

  std::set<std::string> before_backup;
  for (const auto& [title, at] : acknowledged) {
    if (at < backup_started) before_backup.insert(title);
  }
  ASSERT_GT(before_backup.size(), 10u) << "the writers wrote too little to test anything";
  ASSERT_LT(before_backup.size(), acknowledged.size()) << "no write went on during the backup";
  EXPECT_GE(backed_up->manifest.tables.at("context_issues"),
            static_cast<int64_t>(before_backup.size()));

  auto other = BackendDatabase::Create(to_backend);
  ASSERT_THAT(other, IsOk());
  auto restored = InstallationService().Restore(first.path(), (*other)->url());
  ASSERT_THAT(restored, IsOk());
  EXPECT_TRUE(restored->verified.intact);
  EXPECT_EQ(restored->verified.head_hash, backed_up->manifest.audit_head_hash);
  const std::set<std::string> there = Titles((*other)->url(), tenant->org.id);
  EXPECT_EQ(static_cast<int64_t>(there.size()), backed_up->manifest.tables.at("context_issues"));
  for (const auto& title : before_backup) {
    ASSERT_TRUE(there.contains(title)) << title << " was acknowledged before the backup";
  }
  for (const auto& title : there) {
    ASSERT_TRUE(attempted.contains(title)) << title << " was never written";
  }

  // And back: the restored database backed up on its backend, restored into the first one.
  BackupPath second;
  auto again = InstallationService().Backup((*other)->url(), second.path());
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->manifest.tables, backed_up->manifest.tables);
  auto home = BackendDatabase::Create(from_backend);
  ASSERT_THAT(home, IsOk());
  auto back = InstallationService().Restore(second.path(), (*home)->url());
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(back->verified.head_hash, backed_up->manifest.audit_head_hash);
  EXPECT_EQ(Titles((*home)->url(), tenant->org.id), there);
}

INSTANTIATE_TEST_SUITE_P(Backends, BackupUnderLoad,
                         ::testing::Values(std::pair{Backend::kSqlite, Backend::kPostgres},
                                           std::pair{Backend::kPostgres, Backend::kSqlite}),
                         [](const auto& info) {
                           return NameOf(info.param.first) + "_to_" + NameOf(info.param.second);
                         });

class BackupChecks : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = InstallationService().Open(db_.path(), true, store::DatabaseUse::kCreate);
    ASSERT_THAT(opened, IsOk());
    ASSERT_THAT(test::CreateTenant(**opened, "Acme", "alice", "2026-01-01T00:00:00.000Z"), IsOk());
    ASSERT_THAT(InstallationService().Backup(db_.path(), backup_.path()), IsOk());
  }
  void RewriteSha256() {
    auto sha = FileSha256Hex(backup_.path());
    ASSERT_THAT(sha, IsOk());
    std::ofstream(backup_.path() + ".sha256") << *sha << "  x.backup\n";
  }
  test::TempDatabase db_;
  BackupPath backup_;
};

TEST_F(BackupChecks, ASoundBackupVerifiesWithOrWithoutItsDigestFile) {
  auto check = InstallationService().VerifyBackup(backup_.path());
  ASSERT_THAT(check, IsOk());
  EXPECT_TRUE(check->sha256_checked);
  EXPECT_EQ(check->manifest.tables.at("organisations"), 1);
  EXPECT_EQ(check->manifest.schema_version, store::SqliteMigrations().back().number);
  std::filesystem::remove(backup_.path() + ".sha256");
  check = InstallationService().VerifyBackup(backup_.path());
  ASSERT_THAT(check, IsOk());
  EXPECT_FALSE(check->sha256_checked);
  // Verifying never changed the file.
  std::filesystem::remove(backup_.path() + ".sha256");
  EXPECT_THAT(InstallationService().Backup(db_.path(), backup_.path()),
              StatusIs(Code::kAlreadyExists, "to"));
}

TEST_F(BackupChecks, ARowTakenOutIsFoundEvenWithTheDigestRewritten) {
  {
    test::RawDatabase raw(backup_.path());
    ASSERT_EQ(raw.Exec("DELETE FROM memberships"), 0);
  }
  RewriteSha256();
  auto check = InstallationService().VerifyBackup(backup_.path());
  EXPECT_THAT(check, StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(check.status().message(),
              HasSubstr("rows do not match its manifest: memberships: 1 rows expected, 0 found"));
  test::TempDatabase into;
  EXPECT_THAT(InstallationService().Restore(backup_.path(), into.path()),
              StatusIs(Code::kFailedPrecondition));
  EXPECT_FALSE(std::filesystem::exists(into.path()));
}

TEST_F(BackupChecks, AChangedFileIsRefusedByItsDigest) {
  {
    std::fstream f(backup_.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.put('\x7f');
  }
  auto check = InstallationService().VerifyBackup(backup_.path());
  EXPECT_THAT(check, StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(check.status().message(), HasSubstr("the file was changed or damaged"));
}

TEST_F(BackupChecks, ADatabaseIsNoBackupAndARestoreNeedsAnEmptyDatabase) {
  auto check = InstallationService().VerifyBackup(db_.path());
  EXPECT_THAT(check, StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(check.status().message(), HasSubstr("holds no backup manifest"));
  EXPECT_THAT(InstallationService().VerifyBackup(backup_.path() + ".missing"),
              StatusIs(Code::kNotFound));
  EXPECT_THAT(InstallationService().Restore(backup_.path(), db_.path()),
              StatusIs(Code::kFailedPrecondition));
}

}  // namespace
}  // namespace rampart::app

#include "support/test_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

namespace rampart::test {

TempDatabase::TempDatabase() {
  static std::atomic<int> counter{0};
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info != nullptr ? std::string(info->test_suite_name()) + "." + info->name()
                                     : std::string("no-test");
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  path_ = (std::filesystem::temp_directory_path() /
           ("rampart-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
            name + ".db"))
              .string();
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path_ + suffix);
  }
}

TempDatabase::~TempDatabase() {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path_ + suffix, ec);
  }
}

RawDatabase::RawDatabase(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db_);
  }
  sqlite3_busy_timeout(db_, 10000);
}

RawDatabase::~RawDatabase() { sqlite3_close_v2(db_); }

int RawDatabase::Exec(const std::string& sql, std::string* error) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (error != nullptr) *error = err != nullptr ? err : "";
  sqlite3_free(err);
  return rc;
}

int64_t RawDatabase::QueryInt(const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot prepare " << sql << ": " << sqlite3_errmsg(db_);
    return -1;
  }
  const int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  return v;
}

Result<std::unique_ptr<store::Store>> OpenMigratedStore(const std::string& path) {
  ASSIGN_OR_RETURN(auto s, store::OpenStore(path));
  RETURN_IF_ERROR(s->Migrate());
  return s;
}

Result<Tenant> CreateTenant(store::Store& store, const std::string& org_name,
                            const std::string& username, const std::string& now) {
  store::AuditDraft org_event{
      .actor = "system", .at = now, .action = "create", .record_type = "organisation"};
  ASSIGN_OR_RETURN(auto org, store.CreateOrganisation(org_name, org_event));
  ASSIGN_OR_RETURN(auto user, AddMember(store, org.id, username, now));
  return Tenant{org, user};
}

Result<domain::User> AddMember(store::Store& store, int64_t org_id, const std::string& username,
                               const std::string& now) {
  domain::User u{
      .username = username, .display_name = username, .password_hash = "x", .created_at = now};
  store::AuditDraft event{
      .org_id = org_id, .actor = "system", .at = now, .action = "create", .record_type = "user"};
  return store.CreateUser(u, domain::Membership{0, org_id, domain::Role::kAdmin, {}, {}}, event);
}

}  // namespace rampart::test

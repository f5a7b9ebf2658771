// Test databases: temporary files, a migrated Store on them, a raw SQLite connection beside it,
// and organisations with members.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "domain/identity.h"
#include "store/store.h"

struct sqlite3;

namespace rampart::test {

// A database file path unique to this process and test, removed with its WAL and SHM files when
// the object is destroyed. The file itself is not created.
class TempDatabase {
 public:
  TempDatabase();
  ~TempDatabase();
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A second, plain SQLite connection to a test database, for what the Store must not allow or
// cannot do: tampering with the audit trail, reading raw rows.
class RawDatabase {
 public:
  explicit RawDatabase(const std::string& path);
  ~RawDatabase();
  RawDatabase(const RawDatabase&) = delete;
  RawDatabase& operator=(const RawDatabase&) = delete;
  // Runs `sql`; returns the SQLite result code (SQLITE_OK is 0) and the error message, if any.
  int Exec(const std::string& sql, std::string* error = nullptr);
  // The first column of the first row of `sql`, or -1 when there is no row.
  int64_t QueryInt(const std::string& sql);

 private:
  sqlite3* db_ = nullptr;
};

// Opens `path` with store::OpenStore and applies the migrations.
Result<std::unique_ptr<store::Store>> OpenMigratedStore(const std::string& path);

// An organisation with one administrator, created directly in the store.
struct Tenant {
  domain::Organisation org;
  domain::User admin;
};
// Creates organisation `org_name` and its administrator `username` (password hash "x": the user
// cannot sign in).
Result<Tenant> CreateTenant(store::Store& store, const std::string& org_name,
                            const std::string& username, const std::string& now);
// Adds user `username` to `org_id` as an administrator.
Result<domain::User> AddMember(store::Store& store, int64_t org_id, const std::string& username,
                               const std::string& now);

}  // namespace rampart::test

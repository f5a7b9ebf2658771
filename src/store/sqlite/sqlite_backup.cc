// The manifest inside a backup file (store/backup.h), through SQLite's API.
#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>

#include "store/backup.h"

namespace rampart::store {

namespace {

// A plain connection to a backup file; closed on destruction.
class BackupFile {
 public:
  static Result<BackupFile> Open(const std::string& path, bool write) {
    if (!std::filesystem::exists(path)) {
      return NotFound(fmt::format("there is no backup file {}", path));
    }
    sqlite3* db = nullptr;
    const int flags = (write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
      std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close_v2(db);
      return FailedPrecondition(fmt::format("{} is not a Rampart backup: {}", path, msg));
    }
    sqlite3_busy_timeout(db, 10000);
    return BackupFile(path, db);
  }
  BackupFile(BackupFile&& o) noexcept : path_(std::move(o.path_)), db_(o.db_) { o.db_ = nullptr; }
  BackupFile(const BackupFile&) = delete;
  BackupFile& operator=(const BackupFile&) = delete;
  BackupFile& operator=(BackupFile&&) = delete;
  ~BackupFile() { sqlite3_close_v2(db_); }

  Status Exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string msg = error != nullptr ? error : sqlite3_errmsg(db_);
      sqlite3_free(error);
      return NotABackup(msg);
    }
    return Status::Ok();
  }
  sqlite3* db() const { return db_; }
  Status NotABackup(const std::string& why) const {
    return FailedPrecondition(fmt::format("{} is not a Rampart backup: {}", path_, why));
  }

 private:
  BackupFile(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace

Status WriteBackupManifest(const std::string& sqlite_path, const std::string& manifest) {
  ASSIGN_OR_RETURN(auto file, BackupFile::Open(sqlite_path, /*write=*/true));
  RETURN_IF_ERROR(file.Exec("SELECT 1 FROM schema_migrations LIMIT 1"));
  RETURN_IF_ERROR(file.Exec(fmt::format(
      "BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS {} (manifest TEXT NOT NULL); DELETE FROM {};",
      kBackupManifestTable, kBackupManifestTable)));
  sqlite3_stmt* stmt = nullptr;
  const std::string sql = fmt::format("INSERT INTO {} (manifest) VALUES (?)", kBackupManifestTable);
  int rc = sqlite3_prepare_v2(file.db(), sql.c_str(), -1, &stmt, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(stmt, 1, manifest.data(), static_cast<int>(manifest.size()),
                      SQLITE_TRANSIENT);
    rc = sqlite3_step(stmt);
  }
  const std::string error = sqlite3_errmsg(file.db());
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) {
    (void)file.Exec("ROLLBACK");
    return Internal(fmt::format("cannot write the manifest into {}: {}", sqlite_path, error));
  }
  // The file is left whole and on its own: its write-ahead log folded in and the rollback
  // journal mode set, so that it is one file to copy, hash and move, and reading it changes
  // nothing (opening a WAL file needs its -shm file).
  return file.Exec("COMMIT; PRAGMA journal_mode=DELETE;");
}

Result<std::string> ReadBackupManifest(const std::string& sqlite_path) {
  ASSIGN_OR_RETURN(auto file, BackupFile::Open(sqlite_path, /*write=*/false));
  sqlite3_stmt* stmt = nullptr;
  const std::string sql = fmt::format("SELECT manifest FROM {}", kBackupManifestTable);
  if (sqlite3_prepare_v2(file.db(), sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    std::string why = sqlite3_errmsg(file.db());
    sqlite3_finalize(stmt);
    return file.NotABackup(
        why.find("no such table") != std::string::npos ? "it holds no backup manifest" : why);
  }
  std::string manifest;
  const int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    manifest = text != nullptr ? text : "";
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW) return file.NotABackup("its backup manifest is empty");
  return manifest;
}

}  // namespace rampart::store

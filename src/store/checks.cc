#include "store/checks.h"

#include <fmt/format.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "store/postgres/postgres_driver.h"
#include "store/sql/driver.h"
#include "store/store.h"

namespace rampart::store {

std::string SqlitePathOf(const std::string& url) {
  if (IsPostgresUrl(url)) return "";
  std::string path = url;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  if (path.rfind("//", 0) == 0) path = path.substr(2);
  return path;
}

Status CheckBeforeOpen(const std::string& url, DatabaseUse use) {
  const std::string path = SqlitePathOf(url);
  if (path.empty()) return Status::Ok();  // PostgreSQL, or no path (OpenStore names that)
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  const bool exists = !ec && fs::exists(status);
  if (exists && fs::is_directory(status)) {
    return InvalidArgument(fmt::format("{} is a directory, not a database file", path), "db");
  }
  const bool empty = exists && fs::file_size(path, ec) == 0 && !ec;
  if (use == DatabaseUse::kCreate) return Status::Ok();
  if (!exists || empty) {
    return NotFound(fmt::format(
        "there is no Rampart database at {}{}: only `rampart init --db {} --org NAME` creates "
        "one (is the path mistyped?)",
        path, exists ? " (the file is empty)" : "", path));
  }
  if (use == DatabaseUse::kRead) return Status::Ok();
  if (::access(path.c_str(), W_OK) != 0) {
    return FailedPrecondition(fmt::format(
        "the database file {} is read-only for this process (its permissions, or a read-only "
        "file system): Rampart writes to it; give the user running Rampart write access",
        path));
  }
  fs::path dir = fs::absolute(fs::path(path), ec).parent_path();
  if (::access(dir.c_str(), W_OK) != 0) {
    return FailedPrecondition(fmt::format(
        "the directory {} is read-only for this process: SQLite keeps the database's -wal and "
        "-shm files beside it; give the user running Rampart write access to the directory",
        dir.string()));
  }
  return Status::Ok();
}

Status CheckWritable(const std::string& url) {
  if (!IsPostgresUrl(url)) return CheckBeforeOpen(url, DatabaseUse::kWrite);
  ASSIGN_OR_RETURN(auto driver, OpenPostgresDriver(url));
  ASSIGN_OR_RETURN(auto conn, driver->Connect());
  ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT pg_is_in_recovery(), "
                                          "current_setting('default_transaction_read_only')",
                                          {}));
  ASSIGN_OR_RETURN(bool found, rows->Next());
  if (!found) return Unavailable("PostgreSQL did not say whether it takes writes");
  if (rows->Bool(0)) {
    return FailedPrecondition("PostgreSQL is a standby in recovery: it takes no writes");
  }
  if (rows->Text(1) == "on") {
    return FailedPrecondition(
        "PostgreSQL's sessions are read-only (default_transaction_read_only)");
  }
  return Status::Ok();
}

Result<int64_t> FreeBytes(const std::string& url) {
  const std::string path = SqlitePathOf(url);
  if (path.empty()) return int64_t{-1};
  std::error_code ec;
  const auto dir = std::filesystem::absolute(std::filesystem::path(path), ec).parent_path();
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) != 0) {
    return Internal(fmt::format("cannot read the free space of {}", dir.string()));
  }
  return static_cast<int64_t>(fs.f_bavail) * static_cast<int64_t>(fs.f_frsize);
}

}  // namespace rampart::store

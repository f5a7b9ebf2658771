#include "store/checks.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
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

namespace {

// What a clean stop mark holds of the file: "rampart-clean-stop 1 DEV INO SIZE MTIME CTIME".
Result<std::string> FileState(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Internal(fmt::format("cannot read the state of {}: {}", path, std::strerror(errno)));
  }
  auto ns = [](const timespec& t) { return int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec; };
  return fmt::format("rampart-clean-stop 1 {} {} {} {} {}\n", static_cast<uint64_t>(st.st_dev),
                     static_cast<uint64_t>(st.st_ino), static_cast<int64_t>(st.st_size),
                     ns(st.st_mtim), ns(st.st_ctim));
}

}  // namespace

Status MarkCleanStop(const std::string& url) {
  const std::string path = SqlitePathOf(url);
  if (path.empty()) return Status::Ok();
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string wal = path + "-wal";
  if (fs::exists(wal, ec) && fs::file_size(wal, ec) > 0) {
    return FailedPrecondition(
        fmt::format("{} still has a write-ahead log: not a clean stop", path));
  }
  ASSIGN_OR_RETURN(const std::string state, FileState(path));
  // Written whole under another name, then renamed: a mark is there complete or not at all.
  const std::string mark = path + ".clean";
  const std::string part = mark + ".part";
  {
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    out << state;
    out.close();
    if (!out) {
      fs::remove(part, ec);
      return Internal(fmt::format("cannot write {}", part));
    }
  }
  fs::rename(part, mark, ec);
  if (ec) {
    fs::remove(part, ec);
    return Internal(fmt::format("cannot write {}: {}", mark, ec.message()));
  }
  return Status::Ok();
}

bool TakeCleanStop(const std::string& url) {
  const std::string path = SqlitePathOf(url);
  if (path.empty()) return false;
  namespace fs = std::filesystem;
  const std::string mark = path + ".clean";
  std::string kept;
  {
    std::ifstream in(mark, std::ios::binary);
    if (!in) return false;
    std::getline(in, kept);
  }
  std::error_code ec;
  fs::remove(mark, ec);
  if (ec) return false;  // a mark that stays would vouch for a file written after it
  const std::string wal = path + "-wal";
  if (fs::exists(wal, ec) && fs::file_size(wal, ec) > 0) return false;
  const auto now = FileState(path);
  return now.ok() && *now == kept + "\n";
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

// SQLite's own check of a database file (store/checks.h): quick_check through SQLite's API.
#include <fmt/format.h>
#include <sqlite3.h>

#include "store/checks.h"

namespace rampart::store {

namespace {

// Restoring is what to do with a damaged file.
constexpr const char* kRestoreAdvice =
    "restore the database from a backup (`rampart restore --from BACKUP --db PATH`), or start "
    "from a copy you trust";

}  // namespace

Status CheckIntegrity(const std::string& url) {
  const std::string path = SqlitePathOf(url);
  if (path.empty()) return Status::Ok();
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  auto damaged = [&](const std::string& what) {
    return FailedPrecondition(
        fmt::format("the database {} is damaged ({}): {}", path, what, kRestoreAdvice));
  };
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Unavailable(fmt::format("cannot open database {}: {}", path, msg));
  }
  sqlite3_busy_timeout(db, 10000);
  // At most five problems: enough to say what is wrong, not the thousands a bad page can give.
  sqlite3_stmt* stmt = nullptr;
  rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(5)", -1, &stmt, nullptr);
  std::string problems;
  Status result = Status::Ok();
  if (rc != SQLITE_OK) {
    result = damaged(sqlite3_errmsg(db));
  } else {
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      const std::string line = text != nullptr ? text : "";
      if (line == "ok") continue;
      if (!problems.empty()) problems += "; ";
      problems += line;
    }
    if (rc != SQLITE_DONE) {
      const int primary = rc & 0xff;
      result = primary == SQLITE_BUSY || primary == SQLITE_LOCKED
                   ? Unavailable("the database is busy; try again")
                   : damaged(sqlite3_errmsg(db));
    } else if (!problems.empty()) {
      result = damaged("SQLite's quick_check: " + problems);
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close_v2(db);
  return result;
}

}  // namespace rampart::store

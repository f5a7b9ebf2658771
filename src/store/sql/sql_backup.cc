// Counting rows in one snapshot, on either backend (store/backup.h).
#include <fmt/format.h>

#include "store/backup.h"
#include "store/checks.h"
#include "store/postgres/postgres_driver.h"
#include "store/sql/driver.h"
#include "store/sqlite/sqlite_driver.h"
#include "store/store.h"

namespace rampart::store {

Result<std::map<std::string, int64_t>> CountRows(const std::string& url) {
  std::unique_ptr<SqlDriver> driver;
  if (IsPostgresUrl(url)) {
    ASSIGN_OR_RETURN(driver, OpenPostgresDriver(url));
  } else {
    RETURN_IF_ERROR(CheckBeforeOpen(url, DatabaseUse::kRead));
    ASSIGN_OR_RETURN(driver, OpenSqliteDriver(SqlitePathOf(url)));
  }
  ASSIGN_OR_RETURN(auto conn, driver->Connect());
  RETURN_IF_ERROR(conn->BeginRead());
  std::map<std::string, int64_t> counts;
  Status st = [&]() -> Status {
    ASSIGN_OR_RETURN(const Catalogue catalogue, driver->ReadCatalogue(*conn));
    for (const auto& t : catalogue.tables) {
      if (t.name == kBackupManifestTable) continue;
      ASSIGN_OR_RETURN(auto rows,
                       conn->Query("SELECT COUNT(*) FROM " + QuoteIdentifier(t.name), {}));
      ASSIGN_OR_RETURN(bool found, rows->Next());
      counts[t.name] = found ? rows->Int(0) : 0;
    }
    return Status::Ok();
  }();
  (void)conn->Commit();
  RETURN_IF_ERROR(st);
  return counts;
}

}  // namespace rampart::store

#include "store/checks.h"
#include "store/postgres/postgres_driver.h"
#include "store/sql/sql_store.h"
#include "store/sqlite/sqlite_driver.h"
#include "store/store.h"

namespace rampart::store {

bool IsPostgresUrl(const std::string& url) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) return true;
  // A libpq keyword string starts with a keyword: "host=/run/postgresql dbname=rampart". A
  // file path has a '/' or no '=' before its first '=' ("/data/host=a/x.db" is a file).
  const auto eq = url.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  const std::string key = url.substr(0, eq);
  return key.find_first_not_of("abcdefghijklmnopqrstuvwxyz_ ") == std::string::npos;
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options) {
  if (url.empty()) return InvalidArgument("no database given: use --db or RAMPART_DB", "db");
  if (options.pool_size < 1 || options.pool_size > 1000) {
    return InvalidArgument("the connection pool holds 1 to 1000 connections", "pool_size");
  }
  if (IsPostgresUrl(url)) {
    ASSIGN_OR_RETURN(auto driver, OpenPostgresDriver(url));
    return std::unique_ptr<Store>(std::make_unique<SqlStore>(std::move(driver), options.pool_size));
  }
  const std::string path = SqlitePathOf(url);
  if (path.empty()) return InvalidArgument("the SQLite URL names no file", "db");
  ASSIGN_OR_RETURN(auto driver, OpenSqliteDriver(path));
  // SQLite: one connection per concurrent thread; the pool size only bounds them.
  return std::unique_ptr<Store>(std::make_unique<SqlStore>(std::move(driver), options.pool_size));
}

}  // namespace rampart::store

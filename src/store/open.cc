#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace rampart::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  if (url.empty()) return InvalidArgument("no database given: use --db or RAMPART_DB", "db");
  if (url.rfind("postgresql:", 0) == 0 || url.rfind("postgres:", 0) == 0) {
    return InvalidArgument("PostgreSQL is not supported by this build yet; use a SQLite path",
                           "db");
  }
  std::string path = url;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  if (path.rfind("//", 0) == 0) path = path.substr(2);
  if (path.empty()) return InvalidArgument("the SQLite URL names no file", "db");
  ASSIGN_OR_RETURN(auto s, SqliteStore::Open(path));
  return std::unique_ptr<Store>(std::move(s));
}

}  // namespace rampart::store

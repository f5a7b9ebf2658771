#include "support/sql_backend.h"

#include "store/migrations.h"
#include "store/postgres/postgres_driver.h"
#include "store/sqlite/sqlite_driver.h"

namespace rampart::test {

Result<std::unique_ptr<MigratedBackend>> MigratedBackend::Open(Backend backend) {
  auto out = std::make_unique<MigratedBackend>();
  ASSIGN_OR_RETURN(out->db, BackendDatabase::Create(backend));
  ASSIGN_OR_RETURN(out->store, OpenMigratedStore(out->db->url()));
  ASSIGN_OR_RETURN(out->tenant,
                   CreateTenant(*out->store, "Acme", "alice", "2026-01-01T00:00:00.000Z"));
  ASSIGN_OR_RETURN(out->driver, backend == Backend::kSqlite
                                    ? store::OpenSqliteDriver(out->db->url())
                                    : store::OpenPostgresDriver(out->db->url()));
  ASSIGN_OR_RETURN(out->conn, out->driver->Connect());
  return out;
}

Result<ScratchSqlite> ScratchSqlite::Open() {
  ScratchSqlite out;
  ASSIGN_OR_RETURN(out.driver, store::OpenSqliteDriver(":memory:"));
  ASSIGN_OR_RETURN(out.conn, out.driver->Connect());
  for (const auto& m : store::SqliteMigrations()) {
    RETURN_IF_ERROR(out.conn->Exec(std::string(m.sql)));
  }
  return out;
}

}  // namespace rampart::test

// Raw SQL connections for the schema suites (tests/store/schema_gen_test.cc,
// tests/contract/schema_drift_test.cc): a migrated database on a backend with one organisation,
// reached through the backend's own SqlDriver (statements with bound `?` parameters, autocommit),
// and a scratch in-memory SQLite database with every SQLite migration applied.
#pragma once

#include <memory>

#include "base/status.h"
#include "store/sql/driver.h"
#include "store/store.h"
#include "support/test_backend.h"
#include "support/test_store.h"

namespace rampart::test {

// A fresh database on `backend`, migrated, with the organisation "Acme" and its administrator
// "alice"; `conn` is a connection of its own beside `store`. Members are destroyed in reverse
// order: the connection before its driver, every Store before the database is dropped.
struct MigratedBackend {
  std::unique_ptr<BackendDatabase> db;
  std::unique_ptr<store::Store> store;
  Tenant tenant;
  std::unique_ptr<store::SqlDriver> driver;
  std::unique_ptr<store::SqlConnection> conn;

  // Errors: those of BackendDatabase::Create, migrating, and connecting.
  static Result<std::unique_ptr<MigratedBackend>> Open(Backend backend);
};

// An in-memory SQLite database with every migration compiled into the binary applied: what
// `make schema` reads, without a file. The connection holds a reference to `driver`.
struct ScratchSqlite {
  std::unique_ptr<store::SqlDriver> driver;
  std::unique_ptr<store::SqlConnection> conn;

  static Result<ScratchSqlite> Open();
};

}  // namespace rampart::test

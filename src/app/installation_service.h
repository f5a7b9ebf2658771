// Whole installations, for the commands that work on databases rather than on an organisation:
// `rampart migrate` (bring a database's schema up to date) and `rampart copy` (move an
// installation into an empty database, on either backend, and verify its audit chain there).
// The command line only parses flags and prints what these return.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "app/audit_service.h"
#include "base/status.h"
#include "store/store.h"

namespace rampart::app {

// What migrating did.
struct MigrationOutcome {
  int applied = 0;  // migrations applied now
  int version = 0;  // the schema's version afterwards
};

// What copying did: the destination's organisations and its verified audit chain.
struct CopyOutcome {
  size_t organisations = 0;
  AuditVerification verified;
};

// Stateless apart from the options it opens stores with; thread-compatible.
class InstallationService {
 public:
  explicit InstallationService(store::StoreOptions options = {}) : options_(options) {}

  // Opens the database at `url` for a command, applying its pending migrations when `migrate`
  // (reading the audit chain needs none). Errors: those of store::OpenStore and Store::Migrate.
  Result<std::unique_ptr<store::Store>> Open(const std::string& url, bool migrate = true);
  // True when `url` names a PostgreSQL database (else a SQLite file).
  static bool IsPostgres(const std::string& url);

  // Opens the database at `url` and applies its pending migrations. Errors: those of
  // store::OpenStore and Store::Migrate.
  Result<MigrationOutcome> Migrate(const std::string& url);

  // Opens both databases, migrates both to the current schema, copies every table of `from`
  // into `to` (Store::CopyTo) and verifies the audit chain at the destination. Errors:
  // kInvalidArgument (field "to") when both URLs are the same; kFailedPrecondition when the
  // destination holds data; kInternal when the copied audit chain does not verify; those of
  // opening, migrating and copying.
  Result<CopyOutcome> Copy(const std::string& from, const std::string& to);

 private:
  store::StoreOptions options_;
};

}  // namespace rampart::app

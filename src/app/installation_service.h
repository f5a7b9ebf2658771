// Whole installations, for the commands that work on databases rather than on an organisation:
// `rampart migrate` (bring a database's schema up to date), `rampart copy` (move an installation
// into an empty database, on either backend, and verify its audit chain there), and `rampart
// backup` / `backup verify` / `restore`. The command line only parses flags and prints what
// these return.
//
// A backup is one SQLite file, whatever the backend backed up: the installation's rows copied
// from one consistent snapshot (Store::CopyTo) while the server keeps writing, and a manifest
// inside it (store/backup.h) naming when it was taken, the schema version, the rows of every
// table and the audit chain's length and last hash. Beside it, `FILE.sha256` holds the SHA-256
// of the whole file in sha256sum's format. Verifying reads a copy of the file (in the temporary
// directory), so the backup itself is never changed; restoring verifies first, copies into an
// empty database of either backend and checks the rows and the audit chain there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/audit_service.h"
#include "base/status.h"
#include "store/checks.h"
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

// What a backup's manifest says.
struct BackupManifest {
  std::string created_at;  // UTC ISO 8601: the snapshot was taken just before
  int schema_version = 0;
  std::string source;                     // the backend backed up: "sqlite" or "postgresql"
  std::map<std::string, int64_t> tables;  // rows per table
  int64_t audit_events = 0;
  std::string audit_head_hash;  // the last event's hash
};
std::string BackupManifestJson(const BackupManifest& m);
// kInvalidArgument naming what is missing or malformed.
Result<BackupManifest> ParseBackupManifest(const std::string& json);

struct BackupOutcome {
  std::string file;
  std::string sha256;  // of the whole file (also in `file`.sha256)
  BackupManifest manifest;
};

struct BackupCheck {
  BackupManifest manifest;
  std::string sha256;
  bool sha256_checked = false;  // `file`.sha256 was there (and matched)
};

struct RestoreOutcome {
  BackupManifest manifest;
  size_t organisations = 0;
  AuditVerification verified;  // the chain at the destination
};

// Stateless apart from the options it opens stores with; thread-compatible.
class InstallationService {
 public:
  explicit InstallationService(store::StoreOptions options = {}) : options_(options) {}

  // Opens the database at `url` for a command, applying its pending migrations when `migrate`
  // (reading the audit chain needs none). Only `use` kCreate makes a SQLite file that is not
  // there (store::CheckBeforeOpen). Errors: those of store::CheckBeforeOpen, store::OpenStore and
  // Store::Migrate.
  Result<std::unique_ptr<store::Store>> Open(const std::string& url, bool migrate = true,
                                             store::DatabaseUse use = store::DatabaseUse::kWrite);
  // True when `url` names a PostgreSQL database (else a SQLite file).
  static bool IsPostgres(const std::string& url);

  // What `serve` checks before it opens the database at `url`: there and writable
  // (store::CheckBeforeOpen) and sound (store::CheckIntegrity, SQLite's quick_check of every
  // page). The page check is skipped when the file is as a clean stop left it
  // (store::TakeCleanStop) unless `every_page` asks for it. True when the pages were checked.
  static Result<bool> CheckBeforeServing(const std::string& url, bool every_page = false);
  // After `serve` stopped cleanly and closed the database at `url`: remembers the file as it was
  // left (store::MarkCleanStop), for the next CheckBeforeServing.
  static Status MarkCleanStop(const std::string& url);
  // What /readyz reports of the serving `store` (at `url`): "database" (answers), "schema" (at
  // this Rampart's version), "writable" (store::CheckWritable) and, for SQLite, "disk" (at least
  // kLowDiskBytes free beside the file); each "ok" or what is wrong.
  static constexpr int64_t kLowDiskBytes = int64_t{64} << 20;
  static std::vector<std::pair<std::string, std::string>> Readiness(store::Store& store,
                                                                    const std::string& url);

  // Opens the database at `url` (which must exist) and applies its pending migrations. Errors:
  // those of Open.
  Result<MigrationOutcome> Migrate(const std::string& url);

  // Opens both databases (`to` is created when it is a SQLite file not there yet), migrates both
  // to the current schema, copies every table of `from`
  // into `to` (Store::CopyTo) and verifies the audit chain at the destination. Errors:
  // kInvalidArgument (field "to") when both URLs are the same; kFailedPrecondition when the
  // destination holds data; kInternal when the copied audit chain does not verify; those of
  // opening, migrating and copying.
  Result<CopyOutcome> Copy(const std::string& from, const std::string& to);

  // Backs up the installation at `url` into `file` (which must not exist; written as
  // `file`.partial and renamed when whole), and writes `file`.sha256. The server may keep
  // writing meanwhile: the backup holds every write committed before its snapshot. Errors:
  // kAlreadyExists when `file` exists; those of Copy; kInternal when the file cannot be written.
  Result<BackupOutcome> Backup(const std::string& url, const std::string& file);
  // Checks a backup without restoring it: the file's SHA-256 against `file`.sha256 (when
  // there), SQLite's quick_check, the rows of every table against the manifest, and the audit
  // chain (intact, with the manifest's length and last hash). Errors: kNotFound without the
  // file; kFailedPrecondition naming the first thing that does not match.
  Result<BackupCheck> VerifyBackup(const std::string& file);
  // Verifies `file`, then copies it into the empty database at `url` (a SQLite file is created),
  // and checks there the rows of every table and the audit chain against the backup. Errors:
  // those of VerifyBackup and Copy; kInternal when the restored database does not match.
  Result<RestoreOutcome> Restore(const std::string& file, const std::string& url);

 private:
  store::StoreOptions options_;
};

}  // namespace rampart::app

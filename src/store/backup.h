// What a backup needs of the database layer (issue 17), on either backend, beside
// Store::CopyTo which takes the consistent snapshot: the rows of every table counted in one
// snapshot, and the manifest a backup file carries inside it.
//
// A backup file is a SQLite database holding Rampart's schema and an installation's rows (what
// `rampart copy` writes), plus one table, `backup_manifest`, holding the backup's manifest as
// JSON text. Copying from such a file leaves that table out (Store::CopyTo).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "base/status.h"

namespace rampart::store {

inline constexpr const char* kBackupManifestTable = "backup_manifest";

// The number of rows of every table that holds an installation's rows (those Store::CopyTo
// copies), by name, read in one snapshot of the database at `url` (a SQLite path or a
// PostgreSQL URL). Errors: kUnavailable when it cannot be reached; those of reading.
Result<std::map<std::string, int64_t>> CountRows(const std::string& url);

// Writes `manifest` (JSON text) into the backup file at `sqlite_path`, replacing one written
// before. kFailedPrecondition when the file holds no Rampart schema.
Status WriteBackupManifest(const std::string& sqlite_path, const std::string& manifest);

// The manifest of the backup file at `sqlite_path`, without changing the file. kNotFound when
// the file does not exist; kFailedPrecondition when it is not a SQLite database or holds no
// manifest (not a Rampart backup).
Result<std::string> ReadBackupManifest(const std::string& sqlite_path);

}  // namespace rampart::store

// The SQLite driver of the SQL store: one database file in WAL mode with foreign keys on and
// synchronous=FULL. Writes take the write lock up front (BEGIN IMMEDIATE); text search uses a
// trigram FTS5 index per register (migration 0003).
#pragma once

#include <memory>
#include <string>

#include "store/sql/driver.h"

namespace rampart::store {

// Checks that `path` can be opened (creating the file) and returns a driver for it.
Result<std::unique_ptr<SqlDriver>> OpenSqliteDriver(const std::string& path);

}  // namespace rampart::store

// The PostgreSQL driver of the SQL store (libpq). Several Rampart instances may share one
// database: every write transaction takes one transaction-scoped advisory lock, which
// serialises the version check, the change and the audit-chain append across instances, and
// Migrate() holds a session advisory lock so that instances starting together migrate once.
// Text search uses pg_trgm indexes (migration 0003). Each connection prepares a statement text on
// its second use (PQprepare, a named statement of its session) and runs the prepared form from
// then on, keeping at most 128 prepared per connection, the most recently used; a statement whose
// plan depends on its values (a pattern, MIN/MAX, LIMIT) is never prepared.
#pragma once

#include <memory>
#include <string>

#include "store/sql/driver.h"

namespace rampart::store {

// `conninfo` is a postgresql:// URI or a libpq keyword string ("host=/run/pg dbname=rampart").
// Checks that a connection can be made.
Result<std::unique_ptr<SqlDriver>> OpenPostgresDriver(const std::string& conninfo);

}  // namespace rampart::store

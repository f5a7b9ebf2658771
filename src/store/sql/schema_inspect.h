// Reads a table's live schema from a database: its columns with type and nullability, its
// B-tree indexes, the columns of its text-search index and the choices of its
// `CHECK (x IN (...))` constraints. Used by `make schema` (on a scratch SQLite database) and by
// the schema drift test (on every backend).
#pragma once

#include <string>

#include "base/status.h"
#include "store/sql/driver.h"
#include "store/sql/schema_gen.h"

namespace rampart::store {

// `table` must come from a static description; it is bound as a parameter, never spliced.
// PostgreSQL types read as the generator writes them ("BIGINT", "TEXT COLLATE \"C\"", "JSONB").
// A table that does not exist gives `exists == false` and nothing else. Errors: those of the
// connection.
Result<LiveTable> InspectTable(SqlConnection& conn, Dialect dialect, const std::string& table);

// The '...' literals in `text`, in order (a doubled quote inside one reads as one quote).
std::vector<std::string> QuotedValues(std::string_view text);

// The quoted values of `CHECK (column IN ('a', 'b', ...))` in a CREATE TABLE statement, or
// nullopt when there is no such constraint on `column`.
std::optional<std::vector<std::string>> CheckedChoices(const std::string& create_sql,
                                                       const std::string& column);

}  // namespace rampart::store

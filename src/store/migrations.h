// Numbered schema migrations, compiled into the binary from src/store/migrations/<dialect>/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rampart {
struct EmbeddedFile;
}

namespace rampart::store {

struct Migration {
  int number;        // from the file name: 0002_context.sql -> 2
  std::string name;  // "0002_context"
  std::string_view sql;
};

// The SQLite migrations in ascending order (PostgreSQL's live in postgres/postgres_driver.cc).
const std::vector<Migration>& SqliteMigrations();

// The migrations of an embedded file table (NNNN_name.sql files), ascending.
std::vector<Migration> LoadMigrations(const EmbeddedFile* table);

}  // namespace rampart::store

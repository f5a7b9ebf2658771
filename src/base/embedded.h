// Files compiled into the binary by cmake/embed.cmake (web assets, migrations, catalogues).
// Tables end with an entry whose path is empty. Immutable; safe from any thread.
#pragma once

#include <string_view>

namespace rampart {

struct EmbeddedFile {
  std::string_view path;
  std::string_view data;
};

// Looks up `path` in a table; nullptr when absent.
inline const EmbeddedFile* FindEmbedded(const EmbeddedFile* table, std::string_view path) {
  for (; !table->path.empty(); ++table) {
    if (table->path == path) return table;
  }
  return nullptr;
}

}  // namespace rampart

#include "store/migrations.h"

#include <algorithm>
#include <string>

#include "base/embedded.h"

namespace rampart {
extern const EmbeddedFile kSqliteMigrationFiles[];
}

namespace rampart::store {

std::vector<Migration> LoadMigrations(const EmbeddedFile* table) {
  std::vector<Migration> out;
  for (const EmbeddedFile* f = table; !f->path.empty(); ++f) {
    std::string_view base = f->path.substr(f->path.rfind('/') + 1);
    base = base.substr(0, base.find('.'));
    out.push_back({std::stoi(std::string(base.substr(0, 4))), std::string(base), f->data});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.number < b.number; });
  return out;
}

const std::vector<Migration>& SqliteMigrations() {
  static const std::vector<Migration> kAll = LoadMigrations(kSqliteMigrationFiles);
  return kAll;
}

}  // namespace rampart::store

// `make schema`: writes the migrations that bring the schema in step with the register
// descriptions.
//
//   make_schema [--check] MIGRATIONS_DIR      (MIGRATIONS_DIR: src/store/migrations)
//
// Applies the migration files of MIGRATIONS_DIR/sqlite to a scratch in-memory SQLite database,
// compares every register of domain::AllRegisters() with the resulting tables and, for each
// register whose table is missing or lacks columns, indexes or search columns, writes a new
// numbered pair MIGRATIONS_DIR/{sqlite,postgres}/NNNN_<name>.sql rendered by
// store/sql/schema_gen.h. What cannot be generated (a changed set of choices, a changed type, a
// new required or reference column on an existing table) is reported and nothing is written: that
// migration is written by hand. With --check, writes nothing and exits 1 when a migration is due.
// Exit status: 0 in step (or written), 1 a migration is due (--check) or cannot be generated,
// 2 usage or I/O errors.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "domain/registers.h"
#include "store/sql/schema_gen.h"
#include "store/sql/schema_inspect.h"
#include "store/sqlite/sqlite_driver.h"

namespace fs = std::filesystem;
using namespace rampart;
using namespace rampart::store;

namespace {

// NNNN_name.sql files of one dialect, by number.
std::map<int, fs::path> MigrationFiles(const fs::path& dir) {
  std::map<int, fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".sql" || name.size() < 6 || name[4] != '_') continue;
    out[std::stoi(name.substr(0, 4))] = entry.path();
  }
  return out;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The changes every register needs, given the scratch database; problems appended.
Result<std::vector<std::pair<const domain::RegisterSpec*, SchemaChange>>> Plan(
    SqlConnection& conn, std::vector<std::string>& problems) {
  std::vector<std::pair<const domain::RegisterSpec*, SchemaChange>> out;
  for (const domain::RegisterSpec* spec : domain::AllRegisters()) {
    ASSIGN_OR_RETURN(LiveTable live, InspectTable(conn, Dialect::kSqlite, spec->table));
    ASSIGN_OR_RETURN(SchemaChange change, PlanSchemaChange(*spec, live, problems));
    if (!live.exists) {
      // A new table's references (and lists of references) need a unique (id, org_id) on each
      // table they refer to.
      for (const auto& f : spec->fields) {
        const domain::RegisterSpec* target = domain::FindRegisterByType(f.ref);
        const bool refers = f.type == domain::FieldType::kRef || f.type == domain::FieldType::kRefs;
        if (!refers || target == nullptr || target == spec) continue;
        ASSIGN_OR_RETURN(LiveTable referred, InspectTable(conn, Dialect::kSqlite, target->table));
        if (!referred.exists || referred.IsReferable()) continue;
        change.sqlite = ReferableSql(target->table) + change.sqlite;
        change.postgres = ReferableSql(target->table) + change.postgres;
      }
    }
    if (!change.empty()) out.emplace_back(spec, std::move(change));
  }
  return out;
}

int Run(const fs::path& dir, bool check) {
  const auto sqlite_files = MigrationFiles(dir / "sqlite");
  const auto postgres_files = MigrationFiles(dir / "postgres");
  for (const auto& [number, path] : sqlite_files) {
    auto other = postgres_files.find(number);
    if (other == postgres_files.end() || other->second.filename() != path.filename()) {
      std::cerr << fmt::format("make_schema: {} has no PostgreSQL twin of the same name\n",
                               path.string());
      return 2;
    }
  }
  if (sqlite_files.size() != postgres_files.size()) {
    std::cerr << "make_schema: the sqlite and postgres migrations differ in number\n";
    return 2;
  }
  auto driver = OpenSqliteDriver(":memory:");
  if (!driver.ok()) {
    std::cerr << "make_schema: " << driver.status().ToString() << "\n";
    return 2;
  }
  auto conn = (*driver)->Connect();
  if (!conn.ok()) {
    std::cerr << "make_schema: " << conn.status().ToString() << "\n";
    return 2;
  }
  for (const auto& [number, path] : sqlite_files) {
    Status st = (*conn)->Exec(ReadFile(path));
    if (!st.ok()) {
      std::cerr << fmt::format("make_schema: {}: {}\n", path.string(), st.ToString());
      return 2;
    }
  }
  std::vector<std::string> problems;
  auto planned = Plan(**conn, problems);
  if (!planned.ok()) {
    std::cerr << "make_schema: " << planned.status().ToString() << "\n";
    return 2;
  }
  if (!problems.empty()) {
    for (const auto& p : problems) std::cerr << "make_schema: " << p << "\n";
    std::cerr << "make_schema: nothing written\n";
    return 1;
  }
  if (planned->empty()) {
    std::cout << "make_schema: every register's table is in step with its description; "
                 "nothing to write\n";
    return 0;
  }
  int number = sqlite_files.empty() ? 1 : sqlite_files.rbegin()->first + 1;
  for (const auto& [spec, change] : *planned) {
    const std::string name = fmt::format("{:04d}_{}.sql", number++, change.name);
    if (check) {
      std::cout << fmt::format("make_schema: register {} needs a migration ({}):\n{}", spec->type,
                               name, change.sqlite);
      continue;
    }
    // What is written must apply: the SQLite half is run on the scratch database first.
    Status st = (*conn)->Exec(change.sqlite);
    if (!st.ok()) {
      std::cerr << fmt::format("make_schema: the generated {} does not apply: {}\n", name,
                               st.ToString());
      return 2;
    }
    for (const auto& [dialect, sub, sql] :
         {std::tuple{Dialect::kSqlite, "sqlite", change.sqlite},
          std::tuple{Dialect::kPostgres, "postgres", change.postgres}}) {
      const fs::path path = dir / sub / name;
      std::ofstream out(path, std::ios::binary);
      out << GeneratedHeader(*spec, dialect) << sql;
      out.close();
      if (!out) {
        std::cerr << "make_schema: cannot write " << path.string() << "\n";
        return 2;
      }
      std::cout << "make_schema: wrote " << path.string() << "\n";
    }
  }
  if (check) return 1;
  // The written migrations must leave nothing to do.
  auto again = Plan(**conn, problems);
  if (!again.ok() || !again->empty() || !problems.empty()) {
    std::cerr << "make_schema: the schema is still not in step after the written migrations "
                 "(a generator bug)\n";
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const bool check = std::find(args.begin(), args.end(), "--check") != args.end();
  args.erase(std::remove(args.begin(), args.end(), "--check"), args.end());
  if (args.size() != 1 || !fs::is_directory(fs::path(args[0]) / "sqlite")) {
    std::cerr << "usage: make_schema [--check] MIGRATIONS_DIR (src/store/migrations)\n";
    return 2;
  }
  return Run(args[0], check);
}

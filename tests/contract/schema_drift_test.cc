// Schema drift: the live schema of a freshly migrated database against every register
// description (domain::AllRegisters()), on each backend (…/sqlite, …/postgres). A description
// changed without its migration fails here: a field without its column or with a column of
// another type, a choice the database refuses or a value outside the choices it accepts, a
// reference the database does not check, a filterable or sortable field without an index that
// leads with it, a searchable field outside the text-search index. `make schema` writes the
// migrations that put such drift right (docs/architecture.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "domain/registers.h"
#include "store/postgres/postgres_driver.h"
#include "store/sql/schema_gen.h"
#include "store/sql/schema_inspect.h"
#include "store/sqlite/sqlite_driver.h"
#include "store/store.h"
#include "support/status_matchers.h"
#include "support/test_backend.h"
#include "support/test_store.h"

namespace rampart::store {
namespace {

using domain::FieldSpec;
using domain::FieldType;
using domain::RegisterSpec;
using test::Backend;
using test::IsOk;
using test::StatusIs;
using ::testing::Contains;

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return test::BackendName(info.param);
}

// The column type each field type must have, written out here rather than taken from the
// generator, so that the generator's mapping is checked too.
std::string ExpectedType(FieldType type, Backend backend) {
  const bool lite = backend == Backend::kSqlite;
  switch (type) {
    case FieldType::kText:
    case FieldType::kLongText:
    case FieldType::kEnum:
      return lite ? "TEXT" : "TEXT COLLATE \"C\"";
    case FieldType::kDate:
      return lite ? "TEXT" : "DATE";
    case FieldType::kBool:
      return lite ? "INTEGER" : "BOOLEAN";
    case FieldType::kInteger:
    case FieldType::kUser:
    case FieldType::kRef:
      return lite ? "INTEGER" : "BIGINT";
    case FieldType::kList:
    case FieldType::kTable:
    case FieldType::kRefs:
      return lite ? "TEXT" : "JSONB";
  }
  return "?";
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A migrated database on the backend under test with one organisation, and a raw connection to
// it through the backend's driver (statements with bound parameters, autocommit).
class SchemaDrift : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = test::BackendDatabase::Create(GetParam());
    ASSERT_THAT(db, IsOk());
    db_ = std::move(db).value();
    auto store = test::OpenMigratedStore(db_->url());
    ASSERT_THAT(store, IsOk());
    store_ = std::move(store).value();
    auto tenant = test::CreateTenant(*store_, "Acme", "alice", "2026-01-01T00:00:00.000Z");
    ASSERT_THAT(tenant, IsOk());
    tenant_ = *tenant;
    auto driver = GetParam() == Backend::kSqlite ? OpenSqliteDriver(db_->url())
                                                 : OpenPostgresDriver(db_->url());
    ASSERT_THAT(driver, IsOk());
    driver_ = std::move(driver).value();
    auto conn = driver_->Connect();
    ASSERT_THAT(conn, IsOk());
    conn_ = std::move(conn).value();
  }

  Dialect dialect() const {
    return GetParam() == Backend::kSqlite ? Dialect::kSqlite : Dialect::kPostgres;
  }

  LiveTable Inspect(const std::string& table) {
    auto live = InspectTable(*conn_, dialect(), table);
    EXPECT_THAT(live, IsOk());
    return live.ok() ? *live : LiveTable{};
  }

  // A value `f` accepts whatever the rest of the record says.
  Result<SqlValue> ValueFor(const FieldSpec& f) {
    switch (f.type) {
      case FieldType::kText:
      case FieldType::kLongText:
        return SqlValue{std::string("x")};
      case FieldType::kEnum:
        return SqlValue{f.choices.front().value};
      case FieldType::kDate:
        return SqlValue{std::string("2026-01-01")};
      case FieldType::kBool:
        return SqlValue{false};
      case FieldType::kInteger:
        return SqlValue{int64_t{f.max_value > 0 ? f.min_value : 1}};
      case FieldType::kUser:
        return SqlValue{tenant_.admin.id};
      case FieldType::kRef: {
        const RegisterSpec* target = domain::FindRegisterByType(f.ref);
        if (target == nullptr) return InvalidArgument("unknown register " + f.ref);
        ASSIGN_OR_RETURN(int64_t id, RowOf(*target));
        return SqlValue{id};
      }
      case FieldType::kList:
      case FieldType::kTable:
      case FieldType::kRefs:
        return SqlValue{std::string("[]")};
    }
    return SqlValue{};
  }

  // The id of a row of `spec`'s table in the organisation, inserted with raw SQL the first time:
  // every field that must not be empty gets a value it accepts; references get rows of their own.
  Result<int64_t> RowOf(const RegisterSpec& spec) {
    if (auto it = rows_.find(spec.type); it != rows_.end()) return it->second;
    const LiveTable live = Inspect(spec.table);
    std::string cols = "org_id, version, created_at, updated_at, created_by, updated_by";
    std::string marks = "?, ?, ?, ?, ?, ?";
    std::vector<SqlValue> params = {tenant_.org.id,
                                    int64_t{1},
                                    std::string("2026-01-01T00:00:00.000Z"),
                                    std::string("2026-01-01T00:00:00.000Z"),
                                    tenant_.admin.id,
                                    tenant_.admin.id};
    for (const auto& f : spec.fields) {
      const LiveColumn* col = live.Column(f.name);
      if (col == nullptr || !(col->not_null || f.required || f.type == FieldType::kRef)) continue;
      ASSIGN_OR_RETURN(SqlValue v, ValueFor(f));
      cols += ", " + f.name;
      marks += ", ?";
      params.push_back(std::move(v));
    }
    ASSIGN_OR_RETURN(auto rows, conn_->Query("INSERT INTO " + spec.table + " (" + cols +
                                                 ") VALUES (" + marks + ") RETURNING id",
                                             params));
    ASSIGN_OR_RETURN(bool found, rows->Next());
    if (!found) return Internal("no id returned");
    const int64_t id = rows->Int(0);
    rows_[spec.type] = id;
    return id;
  }

  // Sets `field` of row `id` to `value`: the database's verdict.
  Status Set(const RegisterSpec& spec, const std::string& field, int64_t id, SqlValue value) {
    return conn_
        ->Query("UPDATE " + spec.table + " SET " + field + " = ? WHERE id = ?",
                {std::move(value), id})
        .status();
  }

  std::unique_ptr<test::BackendDatabase> db_;
  std::unique_ptr<Store> store_;
  test::Tenant tenant_;
  std::unique_ptr<SqlDriver> driver_;
  std::unique_ptr<SqlConnection> conn_;
  std::map<std::string, int64_t> rows_;
};
INSTANTIATE_TEST_SUITE_P(, SchemaDrift, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendName);

TEST_P(SchemaDrift, EveryFieldHasAColumnOfItsType) {
  for (const RegisterSpec* spec : domain::AllRegisters()) {
    SCOPED_TRACE(spec->type);
    const LiveTable live = Inspect(spec->table);
    ASSERT_TRUE(live.exists) << "no table " << spec->table;
    for (const char* system :
         {"id", "org_id", "version", "created_at", "updated_at", "created_by", "updated_by"}) {
      const LiveColumn* col = live.Column(system);
      ASSERT_NE(col, nullptr) << spec->table << " has no system column " << system;
      // SQLite's INTEGER PRIMARY KEY is the rowid, never null but not declared NOT NULL.
      if (std::string(system) != "id") EXPECT_TRUE(col->not_null) << spec->table << "." << system;
    }
    for (const auto& f : spec->fields) {
      const LiveColumn* col = live.Column(f.name);
      ASSERT_NE(col, nullptr) << spec->table << " has no column " << f.name;
      EXPECT_EQ(col->type, ExpectedType(f.type, GetParam())) << spec->table << "." << f.name;
      if (f.required) EXPECT_TRUE(col->not_null) << spec->table << "." << f.name << " is required";
    }
  }
}

TEST_P(SchemaDrift, EveryChoiceIsAcceptedAndNothingElse) {
  int checked = 0;
  for (const RegisterSpec* spec : domain::AllRegisters()) {
    SCOPED_TRACE(spec->type);
    auto id = RowOf(*spec);
    ASSERT_THAT(id, IsOk());
    for (const auto& f : spec->fields) {
      if (f.type != FieldType::kEnum) continue;
      for (const auto& c : f.choices) {
        EXPECT_THAT(Set(*spec, f.name, *id, c.value), IsOk())
            << spec->table << "." << f.name << " refuses its choice " << c.value;
      }
      // The CHECK names exactly the choices: a choice dropped from the description is refused
      // again by the database only with a migration.
      const LiveTable live = Inspect(spec->table);
      std::vector<std::string> want;
      for (const auto& c : f.choices) want.push_back(c.value);
      std::vector<std::string> have =
          live.Column(f.name)->choices.value_or(std::vector<std::string>{});
      std::sort(want.begin(), want.end());
      std::sort(have.begin(), have.end());
      EXPECT_EQ(have, want) << "the CHECK of " << spec->table << "." << f.name
                            << " does not name exactly the description's choices";
      const Status bogus = Set(*spec, f.name, *id, std::string("not-a-choice"));
      EXPECT_THAT(bogus, StatusIs(Code::kInvalidArgument))
          << spec->table << "." << f.name << " accepts a value outside its choices";
      EXPECT_THAT(Lower(std::string(bogus.message())), ::testing::HasSubstr("check constraint"))
          << spec->table << "." << f.name;
      ++checked;
    }
  }
  EXPECT_GE(checked, 20);  // every register has at least one choice field
}

TEST_P(SchemaDrift, EveryBoundedIntegerKeepsItsBounds) {
  int checked = 0;
  for (const RegisterSpec* spec : domain::AllRegisters()) {
    SCOPED_TRACE(spec->type);
    auto id = RowOf(*spec);
    ASSERT_THAT(id, IsOk());
    for (const auto& f : spec->fields) {
      if (f.type != FieldType::kInteger || f.max_value <= 0) continue;
      EXPECT_THAT(Set(*spec, f.name, *id, int64_t{f.min_value}), IsOk()) << f.name;
      EXPECT_THAT(Set(*spec, f.name, *id, int64_t{f.max_value}), IsOk()) << f.name;
      EXPECT_THAT(Set(*spec, f.name, *id, int64_t{f.min_value - 1}),
                  StatusIs(Code::kInvalidArgument))
          << spec->table << "." << f.name << " accepts a value below its bounds";
      EXPECT_THAT(Set(*spec, f.name, *id, int64_t{f.max_value + 1}),
                  StatusIs(Code::kInvalidArgument))
          << spec->table << "." << f.name << " accepts a value above its bounds";
      ++checked;
    }
  }
  EXPECT_GE(checked, 8);  // C/I/A, the risk ratings, the reassessment interval
}

TEST_P(SchemaDrift, EveryUserAndReferenceIsAForeignKey) {
  int checked = 0;
  for (const RegisterSpec* spec : domain::AllRegisters()) {
    SCOPED_TRACE(spec->type);
    auto id = RowOf(*spec);
    ASSERT_THAT(id, IsOk());
    for (const auto& f : spec->fields) {
      if (f.type != FieldType::kUser && f.type != FieldType::kRef) continue;
      EXPECT_THAT(Set(*spec, f.name, *id, int64_t{987654321}), StatusIs(Code::kInvalidArgument))
          << spec->table << "." << f.name << " accepts a record that does not exist";
      ++checked;
    }
  }
  EXPECT_GE(checked, 10);
}

TEST_P(SchemaDrift, EveryFilterableOrSortableFieldLeadsAnIndex) {
  for (const RegisterSpec* spec : domain::AllRegisters()) {
    SCOPED_TRACE(spec->type);
    const LiveTable live = Inspect(spec->table);
    for (const auto& f : spec->fields) {
      // Lists of references filter through record_links (checked below), not a column.
      if (!(f.filterable || f.sortable) || f.type == FieldType::kRefs) continue;
      EXPECT_TRUE(live.HasIndexLeadingWith(f.name))
          << "no index of " << spec->table << " starts with (org_id, " << f.name << ")";
    }
    for (const char* system : {"updated_at", "created_at"}) {
      ASSERT_TRUE(spec->IsSortable(system));
      EXPECT_TRUE(live.HasIndexLeadingWith(system))
          << "no index of " << spec->table << " starts with (org_id, " << system << ")";
    }
  }
  const LiveTable links = Inspect("record_links");
  const std::vector<std::string> by_target = {"org_id", "record_type", "field", "target_id"};
  EXPECT_TRUE(std::any_of(links.indexes.begin(), links.indexes.end(), [&](const LiveIndex& i) {
    return i.columns.size() >= 4 &&
           std::equal(by_target.begin(), by_target.end(), i.columns.begin());
  })) << "record_links has no index for filtering by a reference";
}

TEST_P(SchemaDrift, TheSearchIndexCoversEverySearchableField) {
  for (const RegisterSpec* spec : domain::AllRegisters()) {
    SCOPED_TRACE(spec->type);
    const LiveTable live = Inspect(spec->table);
    for (const auto& name : SearchFieldsOf(*spec)) {
      EXPECT_THAT(live.search, Contains(name))
          << "the text-search index of " << spec->table << " does not cover " << name;
    }
  }
}

}  // namespace
}  // namespace rampart::store

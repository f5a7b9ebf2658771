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
#include "store/sql/schema_gen.h"
#include "store/sql/schema_inspect.h"
#include "store/store.h"
#include "support/sql_backend.h"
#include "support/status_matchers.h"

namespace rampart::store {
namespace {

using domain::FieldSpec;
using domain::FieldType;
using domain::RegisterSpec;
using test::Backend;
using test::IsOk;
using test::StatusIs;
using ::testing::Contains;
using ::testing::HasSubstr;

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return test::BackendName(info.param);
}

// The column type each field type must have (SQLite, PostgreSQL), written out here rather than
// taken from the generator, so that the generator's mapping is checked too.
const std::map<FieldType, std::pair<std::string, std::string>> kExpectedTypes = {
    {FieldType::kText, {"TEXT", "TEXT COLLATE \"C\""}},
    {FieldType::kLongText, {"TEXT", "TEXT COLLATE \"C\""}},
    {FieldType::kEnum, {"TEXT", "TEXT COLLATE \"C\""}},
    {FieldType::kDate, {"TEXT", "DATE"}},
    {FieldType::kBool, {"INTEGER", "BOOLEAN"}},
    {FieldType::kInteger, {"INTEGER", "BIGINT"}},
    {FieldType::kDecimal, {"REAL", "DOUBLE PRECISION"}},
    {FieldType::kUser, {"INTEGER", "BIGINT"}},
    {FieldType::kRef, {"INTEGER", "BIGINT"}},
    {FieldType::kList, {"TEXT", "JSONB"}},
    {FieldType::kTable, {"TEXT", "JSONB"}},
    {FieldType::kRefs, {"TEXT", "JSONB"}},
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A migrated database on the backend under test with one organisation, and a raw connection to
// it through the backend's driver (statements with bound parameters, autocommit).
class SchemaDrift : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto backend = test::MigratedBackend::Open(GetParam());
    ASSERT_THAT(backend, IsOk());
    b_ = std::move(backend).value();
  }

  Dialect dialect() const {
    return GetParam() == Backend::kSqlite ? Dialect::kSqlite : Dialect::kPostgres;
  }

  LiveTable Inspect(const std::string& table) {
    auto live = InspectTable(*b_->conn, dialect(), table);
    EXPECT_THAT(live, IsOk());
    return live.ok() ? *live : LiveTable{};
  }

  // A value `f` accepts whatever the rest of the record says.
  Result<SqlValue> ValueFor(const FieldSpec& f) {
    switch (f.type) {
      case FieldType::kText:
      case FieldType::kLongText:
        return SqlValue{std::string("x")};
      case FieldType::kColour:
        return SqlValue{std::string("#336699")};
      case FieldType::kEnum:
        return SqlValue{f.choices.front().value};
      case FieldType::kDate:
        return SqlValue{std::string("2026-01-01")};
      case FieldType::kBool:
        return SqlValue{false};
      case FieldType::kInteger:
        return SqlValue{int64_t{f.max_value > 0 ? f.min_value : 1}};
      case FieldType::kDecimal:
        return SqlValue{f.max_value > 0 ? static_cast<double>(f.min_value) : 0.5};
      case FieldType::kUser:
        return SqlValue{b_->tenant.admin.id};
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
    std::vector<SqlValue> params = {b_->tenant.org.id,
                                    int64_t{1},
                                    std::string("2026-01-01T00:00:00.000Z"),
                                    std::string("2026-01-01T00:00:00.000Z"),
                                    b_->tenant.admin.id,
                                    b_->tenant.admin.id};
    for (const auto& f : spec.fields) {
      const LiveColumn* col = live.Column(f.name);
      if (col == nullptr || !(col->not_null || f.required || f.type == FieldType::kRef)) continue;
      // A record referring to its own register (a role reporting to another) starts the chain:
      // its optional reference stays empty.
      if (f.type == FieldType::kRef && f.ref == spec.type && !f.required && !col->not_null) {
        continue;
      }
      ASSIGN_OR_RETURN(SqlValue v, ValueFor(f));
      cols += ", " + f.name;
      marks += ", ?";
      params.push_back(std::move(v));
    }
    ASSIGN_OR_RETURN(auto rows, b_->conn->Query("INSERT INTO " + spec.table + " (" + cols +
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
    return b_->conn
        ->Query("UPDATE " + spec.table + " SET " + field + " = ? WHERE id = ?",
                {std::move(value), id})
        .status();
  }

  // Calls `check(spec, field, id)` for every field of every register that `wanted` selects,
  // with the id of a row of that register; returns how many fields it checked.
  template <typename Wanted, typename Check>
  int ForEachField(Wanted wanted, Check check) {
    int checked = 0;
    for (const RegisterSpec* spec : domain::AllRegisters()) {
      SCOPED_TRACE(spec->type);
      auto id = RowOf(*spec);
      EXPECT_THAT(id, IsOk());
      if (!id.ok()) continue;
      for (const auto& f : spec->fields) {
        if (!wanted(f)) continue;
        check(*spec, f, *id);
        ++checked;
      }
    }
    return checked;
  }

  std::unique_ptr<test::MigratedBackend> b_;
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
      if (std::string(system) != "id") {
        EXPECT_TRUE(col->not_null) << spec->table << "." << system;
      }
    }
    for (const auto& f : spec->fields) {
      const LiveColumn* col = live.Column(f.name);
      ASSERT_NE(col, nullptr) << spec->table << " has no column " << f.name;
      EXPECT_EQ(col->type, GetParam() == Backend::kSqlite ? kExpectedTypes.at(f.type).first
                                                          : kExpectedTypes.at(f.type).second)
          << spec->table << "." << f.name;
      if (f.required) {
        EXPECT_TRUE(col->not_null) << spec->table << "." << f.name << " is required";
      }
    }
  }
}

TEST_P(SchemaDrift, EveryChoiceIsAcceptedAndNothingElse) {
  const int checked = ForEachField(
      [](const FieldSpec& f) { return f.type == FieldType::kEnum; },
      [&](const RegisterSpec& spec, const FieldSpec& f, int64_t id) {
        const std::string where = spec.table + "." + f.name;
        std::vector<std::string> want;
        for (const auto& c : f.choices) {
          EXPECT_THAT(Set(spec, f.name, id, c.value), IsOk()) << where << " refuses " << c.value;
          want.push_back(c.value);
        }
        const Status bogus = Set(spec, f.name, id, std::string("not-a-choice"));
        EXPECT_THAT(bogus, StatusIs(Code::kInvalidArgument)) << where << " accepts any value";
        EXPECT_THAT(Lower(std::string(bogus.message())), HasSubstr("check constraint")) << where;
        // The CHECK names exactly the choices: a choice dropped from the description is refused
        // by the database only after a migration.
        const LiveTable live = Inspect(spec.table);
        const LiveColumn* col = live.Column(f.name);
        ASSERT_NE(col, nullptr) << where;
        std::vector<std::string> have = col->choices.value_or(std::vector<std::string>{});
        std::sort(want.begin(), want.end());
        std::sort(have.begin(), have.end());
        EXPECT_EQ(have, want) << "the CHECK of " << where
                              << " does not name exactly the description's choices";
      });
  EXPECT_GE(checked, 20);  // every register has at least one choice field
}

TEST_P(SchemaDrift, EveryBoundedIntegerKeepsItsBounds) {
  const int checked = ForEachField(
      [](const FieldSpec& f) { return f.type == FieldType::kInteger && f.max_value > 0; },
      [&](const RegisterSpec& spec, const FieldSpec& f, int64_t id) {
        const std::string where = spec.table + "." + f.name;
        EXPECT_THAT(Set(spec, f.name, id, int64_t{f.min_value}), IsOk()) << where;
        EXPECT_THAT(Set(spec, f.name, id, int64_t{f.max_value}), IsOk()) << where;
        EXPECT_THAT(Set(spec, f.name, id, int64_t{f.min_value - 1}),
                    StatusIs(Code::kInvalidArgument))
            << where << " accepts a value below its bounds";
        EXPECT_THAT(Set(spec, f.name, id, int64_t{f.max_value + 1}),
                    StatusIs(Code::kInvalidArgument))
            << where << " accepts a value above its bounds";
      });
  EXPECT_GE(checked, 8);  // C/I/A, the risk ratings, the reassessment interval
}

TEST_P(SchemaDrift, EveryDecimalKeepsItsFraction) {
  const int checked =
      ForEachField([](const FieldSpec& f) { return f.type == FieldType::kDecimal; },
                   [&](const RegisterSpec& spec, const FieldSpec& f, int64_t id) {
                     const std::string where = spec.table + "." + f.name;
                     EXPECT_THAT(Set(spec, f.name, id, 95.125), IsOk()) << where;
                     auto rows = b_->conn->Query(
                         "SELECT " + f.name + " FROM " + spec.table + " WHERE id = ?", {id});
                     ASSERT_THAT(rows, IsOk()) << where;
                     ASSERT_TRUE(*(*rows)->Next()) << where;
                     EXPECT_EQ((*rows)->Real(0), 95.125) << where;
                   });
  EXPECT_GE(checked, 3);  // an objective's target, baseline and current value
}

TEST_P(SchemaDrift, EveryUserAndReferenceIsAForeignKey) {
  const int checked = ForEachField(
      [](const FieldSpec& f) { return f.type == FieldType::kUser || f.type == FieldType::kRef; },
      [&](const RegisterSpec& spec, const FieldSpec& f, int64_t id) {
        EXPECT_THAT(Set(spec, f.name, id, int64_t{987654321}), StatusIs(Code::kInvalidArgument))
            << spec.table << "." << f.name << " accepts a record that does not exist";
      });
  EXPECT_GE(checked, 10);
}

TEST_P(SchemaDrift, EveryReferredTableHasAUniqueIdAndOrganisation) {
  for (const RegisterSpec* spec : domain::AllRegisters()) {
    for (const auto& f : spec->fields) {
      if (f.type != FieldType::kRef && f.type != FieldType::kRefs) continue;
      const RegisterSpec* target = domain::FindRegisterByType(f.ref);
      ASSERT_NE(target, nullptr) << spec->type << "." << f.name << " refers to " << f.ref;
      EXPECT_TRUE(Inspect(target->table).IsReferable())
          << spec->table << "." << f.name << " refers to " << target->table
          << ", which has no unique (id, org_id)";
    }
  }
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
    // Lists order by (sort column, id): a sorted page walks an index in that order instead of
    // sorting every matching row. A ranked field (a risk level) sorts by its rank column.
    for (const auto& f : spec->fields) {
      if (!f.sortable || f.type == FieldType::kRefs) continue;
      const std::string column = f.rank_column.empty() ? f.name : f.rank_column;
      if (!f.rank_column.empty()) {
        ASSERT_NE(live.Column(f.rank_column), nullptr) << spec->table << "." << f.rank_column;
        const std::string& type = live.Column(f.rank_column)->type;
        EXPECT_TRUE(type == "INTEGER" || type == "BIGINT") << f.rank_column << ": " << type;
      }
      // A unique (org_id, column) (a scope's version number) orders the rows by itself.
      const bool unique =
          std::any_of(live.indexes.begin(), live.indexes.end(), [&](const LiveIndex& i) {
            return i.unique && i.columns == std::vector<std::string>{"org_id", column};
          });
      EXPECT_TRUE(unique || live.HasIndexStartingWith({"org_id", column, "id"}))
          << "no index of " << spec->table << " starts with (org_id, " << column << ", id)";
    }
    // A number within a series is read as MAX(number) of its series on every insert.
    for (const auto& f : spec->fields) {
      if (!f.sequence || f.sequence_within.empty()) continue;
      EXPECT_TRUE(live.HasIndexStartingWith({"org_id", f.sequence_within, f.name}))
          << "no index of " << spec->table << " starts with (org_id, " << f.sequence_within << ", "
          << f.name << ")";
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

// The schema generator (store/sql/schema_gen.h): the DDL it renders for a small description,
// that DDL applied on each backend (…/sqlite, …/postgres) after the real migrations, the change
// it plans for a description that grew, and what it refuses to generate.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// A small register with one field of every kind the generator treats differently.
RegisterSpec Widgets() {
  RegisterSpec s{.type = "widget",
                 .table = "widgets",
                 .path = "widgets",
                 .singular = "Widget",
                 .plural = "Widgets",
                 .clause = "",
                 .title_field = "name"};
  FieldSpec owner = domain::OwnerField();
  FieldSpec asset{.name = "asset", .label = "Asset", .type = FieldType::kRef};
  asset.ref = "asset";
  asset.filterable = true;
  FieldSpec parts{.name = "parts", .label = "Parts", .type = FieldType::kRefs};
  parts.ref = "asset";
  parts.filterable = true;
  FieldSpec active{.name = "active", .label = "Active", .type = FieldType::kBool};
  active.filterable = true;
  active.default_value = true;
  FieldSpec size{.name = "size", .label = "Size", .type = FieldType::kInteger};
  size.min_value = 1;
  size.max_value = 9;
  size.sortable = true;
  FieldSpec rows{.name = "rows", .label = "Rows", .type = FieldType::kTable};
  rows.columns = {{.name = "text", .label = "Text"}};
  s.fields = {
      {.name = "name", .label = "Name", .required = true, .sortable = true, .searchable = true},
      {.name = "kind",
       .label = "Kind",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"plain", "Plain"}, {"o'clock", "O'clock"}},
       .filterable = true},
      {.name = "notes", .label = "Notes", .type = FieldType::kLongText, .searchable = true},
      owner,
      asset,
      parts,
      active,
      size,
      {.name = "tags", .label = "Tags", .type = FieldType::kList},
      rows,
      {.name = "due", .label = "Due", .type = FieldType::kDate, .sortable = true},
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .choices = {{"open", "Open"}, {"done", "Done"}},
       .filterable = true,
       .default_value = "open"},
  };
  s.default_sort = "name";
  s.lifecycle = domain::Lifecycle{.field = "status", .transitions = {}, .editable_in = {}};
  return s;
}

TEST(SchemaGen, RendersTheSqliteTableWithTheConventionsOfTheHandWrittenMigrations) {
  auto sql = CreateTableSql(Widgets(), Dialect::kSqlite);
  ASSERT_THAT(sql, IsOk());
  EXPECT_THAT(*sql, HasSubstr("CREATE TABLE widgets (\n  id INTEGER PRIMARY KEY,\n"
                              "  org_id INTEGER NOT NULL REFERENCES organisations(id),\n"
                              "  version INTEGER NOT NULL,\n  created_at TEXT NOT NULL,\n"
                              "  updated_at TEXT NOT NULL,\n"
                              "  created_by INTEGER NOT NULL REFERENCES users(id),\n"
                              "  updated_by INTEGER NOT NULL REFERENCES users(id),\n"
                              "  name TEXT NOT NULL,\n"
                              "  kind TEXT NOT NULL CHECK (kind IN ('plain', 'o''clock')),\n"
                              "  notes TEXT,\n  owner INTEGER,\n  asset INTEGER,\n"
                              "  parts TEXT,\n  active INTEGER NOT NULL DEFAULT 1,\n"
                              "  size INTEGER CHECK (size BETWEEN 1 AND 9),\n  tags TEXT,\n"
                              "  rows TEXT,\n  due TEXT,\n"
                              "  status TEXT NOT NULL CHECK (status IN ('open', 'done')),\n"
                              "  UNIQUE (id, org_id),\n"
                              "  FOREIGN KEY (owner, org_id) REFERENCES memberships(user_id, "
                              "org_id),\n"
                              "  FOREIGN KEY (asset, org_id) REFERENCES assets(id, org_id)\n);\n"));
  EXPECT_THAT(*sql, HasSubstr("CREATE INDEX widgets_kind ON widgets(org_id, kind, name, id);\n"));
  EXPECT_THAT(*sql, HasSubstr("CREATE VIRTUAL TABLE widgets_search USING fts5(\n  name, notes, "
                              "content='widgets', content_rowid='id', tokenize='trigram');\n"));
  EXPECT_THAT(*sql, HasSubstr("CREATE TRIGGER widgets_search_update AFTER UPDATE ON widgets"));
  EXPECT_THAT(*sql, HasSubstr("INSERT INTO widgets_search(widgets_search) VALUES ('rebuild');\n"));
}

TEST(SchemaGen, RendersThePostgresTableWithItsTypesAndNullsFirstIndexes) {
  auto sql = CreateTableSql(Widgets(), Dialect::kPostgres);
  ASSERT_THAT(sql, IsOk());
  EXPECT_THAT(*sql, HasSubstr("  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"));
  EXPECT_THAT(*sql, HasSubstr("  created_at TEXT COLLATE \"C\" NOT NULL,\n"));
  EXPECT_THAT(*sql, HasSubstr("  kind TEXT COLLATE \"C\" NOT NULL CHECK (kind IN ('plain', "
                              "'o''clock')),\n"));
  EXPECT_THAT(*sql, HasSubstr("  active BOOLEAN NOT NULL DEFAULT true,\n"));
  EXPECT_THAT(*sql, HasSubstr("  parts JSONB,\n"));
  EXPECT_THAT(*sql, HasSubstr("  due DATE,\n"));
  EXPECT_THAT(*sql, HasSubstr("  size BIGINT CHECK (size BETWEEN 1 AND 9),\n"));
  EXPECT_THAT(*sql, HasSubstr("CREATE INDEX widgets_kind ON widgets(org_id, kind, name NULLS "
                              "FIRST, id);\n"));
  EXPECT_THAT(*sql, HasSubstr("CREATE INDEX widgets_s_due ON widgets(org_id, due NULLS FIRST, "
                              "id);\n"));
  EXPECT_THAT(*sql, HasSubstr("CREATE INDEX widgets_search ON widgets\n  USING gin (name "
                              "gin_trgm_ops, notes gin_trgm_ops);\n"));
}

TEST(SchemaGen, IndexesTheDefaultSortEachFilterAndEachSortAndTheStamps) {
  const auto indexes = IndexesOf(Widgets());
  using Cols = std::vector<std::string>;
  EXPECT_THAT(indexes,
              ElementsAre(AllOf(Field(&IndexSpec::name, "widgets_org"),
                                Field(&IndexSpec::columns, Cols{"org_id"})),
                          AllOf(Field(&IndexSpec::name, "widgets_name"),
                                Field(&IndexSpec::columns, Cols{"org_id", "name", "id"})),
                          AllOf(Field(&IndexSpec::name, "widgets_kind"),
                                Field(&IndexSpec::columns, Cols{"org_id", "kind", "name", "id"})),
                          AllOf(Field(&IndexSpec::name, "widgets_owner"),
                                Field(&IndexSpec::columns, Cols{"org_id", "owner", "name", "id"})),
                          // Filtered and sorted: the filter index cannot give `owner, id`.
                          AllOf(Field(&IndexSpec::name, "widgets_s_owner"),
                                Field(&IndexSpec::columns, Cols{"org_id", "owner", "id"})),
                          AllOf(Field(&IndexSpec::name, "widgets_asset"),
                                Field(&IndexSpec::columns, Cols{"org_id", "asset", "name", "id"})),
                          // parts (a list of references) filters through record_links.
                          AllOf(Field(&IndexSpec::name, "widgets_active"),
                                Field(&IndexSpec::columns, Cols{"org_id", "active", "name", "id"})),
                          AllOf(Field(&IndexSpec::name, "widgets_s_size"),
                                Field(&IndexSpec::columns, Cols{"org_id", "size", "id"})),
                          AllOf(Field(&IndexSpec::name, "widgets_s_due"),
                                Field(&IndexSpec::columns, Cols{"org_id", "due", "id"})),
                          AllOf(Field(&IndexSpec::name, "widgets_status"),
                                Field(&IndexSpec::columns, Cols{"org_id", "status", "name", "id"})),
                          AllOf(Field(&IndexSpec::name, "widgets_updated"),
                                Field(&IndexSpec::columns, Cols{"org_id", "updated_at", "id"})),
                          AllOf(Field(&IndexSpec::name, "widgets_created"),
                                Field(&IndexSpec::columns, Cols{"org_id", "created_at", "id"}))));
}

// A ranked field (a risk level) has its hidden rank column and sorts by it, indexed; a table that
// lacks them gets them in a change.
TEST(SchemaGen, GivesARankedFieldItsRankColumnAndItsSortIndex) {
  RegisterSpec spec = Widgets();
  FieldSpec level{.name = "level", .label = "Level"};
  level.filterable = level.sortable = true;
  level.rank_column = "level_rank";
  spec.fields.push_back(level);
  auto sql = CreateTableSql(spec, Dialect::kSqlite);
  ASSERT_THAT(sql, IsOk());
  EXPECT_THAT(*sql, HasSubstr("  level TEXT,\n  level_rank INTEGER,\n"));
  EXPECT_THAT(*sql, HasSubstr("CREATE INDEX widgets_level ON widgets(org_id, level, name, id);\n"));
  EXPECT_THAT(*sql,
              HasSubstr("CREATE INDEX widgets_r_level ON widgets(org_id, level_rank, id);\n"));
  EXPECT_THAT(*sql, Not(HasSubstr("widgets_s_level")));
  auto pg = CreateTableSql(spec, Dialect::kPostgres);
  ASSERT_THAT(pg, IsOk());
  EXPECT_THAT(*pg, HasSubstr("  level_rank BIGINT,\n"));
  EXPECT_THAT(*pg, HasSubstr("CREATE INDEX widgets_r_level ON widgets(org_id, level_rank NULLS "
                             "FIRST, id);\n"));
}

TEST(SchemaGen, RefusesNamesThatAreNotPlainIdentifiersAndUnknownReferences) {
  RegisterSpec bad_field = Widgets();
  bad_field.fields[0].name = "name; DROP TABLE users";
  EXPECT_THAT(CreateTableSql(bad_field, Dialect::kSqlite), StatusIs(Code::kInvalidArgument));
  RegisterSpec bad_table = Widgets();
  bad_table.table = "Widgets";
  EXPECT_THAT(CreateTableSql(bad_table, Dialect::kPostgres), StatusIs(Code::kInvalidArgument));
  RegisterSpec system = Widgets();
  system.fields[0].name = "version";
  EXPECT_THAT(CreateTableSql(system, Dialect::kSqlite), StatusIs(Code::kInvalidArgument));
  RegisterSpec unknown = Widgets();
  unknown.fields[4].ref = "gadget";
  EXPECT_THAT(CreateTableSql(unknown, Dialect::kSqlite), StatusIs(Code::kInvalidArgument));
  // A word PostgreSQL reserves cannot name a column in either dialect (a migration must run on
  // both): "similar" once failed only there.
  for (const char* word : {"similar", "order", "user", "group", "like"}) {
    RegisterSpec reserved = Widgets();
    reserved.fields[0].name = word;
    const auto sql = CreateTableSql(reserved, Dialect::kSqlite);
    ASSERT_THAT(sql, StatusIs(Code::kInvalidArgument)) << word;
    EXPECT_THAT(sql.status().message(), HasSubstr("cannot be a column")) << word;
  }
}

TEST(SchemaGen, ReadsTheChoicesOfACheckConstraint) {
  const std::string sql =
      "CREATE TABLE t (kind TEXT NOT NULL CHECK (kind IN ('a', 'b''c',\n   'd')), "
      "subkind TEXT CHECK (subkind IN ('x')), n INTEGER CHECK (n BETWEEN 1 AND 5))";
  EXPECT_EQ(CheckedChoices(sql, "kind"), (std::vector<std::string>{"a", "b'c", "d"}));
  EXPECT_EQ(CheckedChoices(sql, "subkind"), (std::vector<std::string>{"x"}));
  EXPECT_EQ(CheckedChoices(sql, "n"), std::nullopt);
  EXPECT_EQ(CheckedChoices(sql, "other"), std::nullopt);
}

TEST(SchemaGen, PlansTheWholeTableWhenItDoesNotExist) {
  std::vector<std::string> problems;
  auto change = PlanSchemaChange(Widgets(), LiveTable{}, problems);
  ASSERT_THAT(change, IsOk());
  EXPECT_THAT(problems, IsEmpty());
  EXPECT_EQ(change->name, "widgets");
  EXPECT_EQ(change->sqlite, *CreateTableSql(Widgets(), Dialect::kSqlite));
  EXPECT_EQ(change->postgres, *CreateTableSql(Widgets(), Dialect::kPostgres));
}

// The generated DDL applied after the real migrations, on each backend.
class SchemaGenApplied : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto backend = test::MigratedBackend::Open(GetParam());
    ASSERT_THAT(backend, IsOk());
    b_ = std::move(backend).value();
    conn_ = b_->conn.get();
  }

  bool lite() const { return GetParam() == Backend::kSqlite; }
  Dialect dialect() const { return lite() ? Dialect::kSqlite : Dialect::kPostgres; }

  Status Apply(const std::string& sql) { return conn_->Exec(sql); }

  LiveTable Inspect() {
    auto live = InspectTable(*conn_, dialect(), "widgets");
    EXPECT_THAT(live, IsOk());
    return live.ok() ? *live : LiveTable{};
  }

  // Inserts a widget of `kind`: the database's verdict.
  Status Insert(const std::string& kind, int64_t size = 5) {
    return conn_
        ->Query(
            "INSERT INTO widgets (org_id, version, created_at, updated_at, created_by, "
            "updated_by, name, kind, size, status) VALUES (?, 1, 'a', 'a', ?, ?, 'w', ?, ?, "
            "'open')",
            {b_->tenant.org.id, b_->tenant.admin.id, b_->tenant.admin.id, kind, size})
        .status();
  }

  std::unique_ptr<test::MigratedBackend> b_;
  SqlConnection* conn_ = nullptr;  // b_'s
};
INSTANTIATE_TEST_SUITE_P(, SchemaGenApplied,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return test::BackendName(info.param); });

TEST_P(SchemaGenApplied, CreatesTheColumnsChecksIndexesAndSearchOfTheDescription) {
  auto sql = CreateTableSql(Widgets(), dialect());
  ASSERT_THAT(sql, IsOk());
  ASSERT_THAT(Apply(*sql), IsOk());
  const LiveTable live = Inspect();
  ASSERT_TRUE(live.exists);
  ASSERT_THAT(live.columns, SizeIs(7 + Widgets().fields.size()));
  const auto type = [&](const char* name) {
    const LiveColumn* c = live.Column(name);
    return c == nullptr ? std::string("missing") : c->type;
  };
  EXPECT_EQ(type("name"), lite() ? "TEXT" : "TEXT COLLATE \"C\"");
  EXPECT_EQ(type("owner"), lite() ? "INTEGER" : "BIGINT");
  EXPECT_EQ(type("active"), lite() ? "INTEGER" : "BOOLEAN");
  EXPECT_EQ(type("parts"), lite() ? "TEXT" : "JSONB");
  EXPECT_EQ(type("due"), lite() ? "TEXT" : "DATE");
  EXPECT_TRUE(live.Column("kind")->not_null);
  EXPECT_TRUE(live.Column("status")->not_null);  // the lifecycle's state
  EXPECT_FALSE(live.Column("notes")->not_null);
  for (const char* column : {"name", "kind", "owner", "asset", "active", "size", "due", "status",
                             "updated_at", "created_at"}) {
    EXPECT_TRUE(live.HasIndexLeadingWith(column)) << column;
  }
  EXPECT_FALSE(live.HasIndexLeadingWith("parts"));
  EXPECT_THAT(live.search, ElementsAre("name", "notes"));
  EXPECT_TRUE(live.IsReferable());

  EXPECT_THAT(Insert("plain"), IsOk());
  EXPECT_THAT(Insert("o'clock"), IsOk());
  EXPECT_THAT(Insert("bogus"), StatusIs(Code::kInvalidArgument));
  EXPECT_THAT(Insert("plain", 10), StatusIs(Code::kInvalidArgument));
  // An owner must be a member of the record's organisation.
  EXPECT_THAT(conn_->Query("UPDATE widgets SET owner = ?", {int64_t{987654}}).status(),
              StatusIs(Code::kInvalidArgument));
  EXPECT_THAT(conn_->Query("UPDATE widgets SET owner = ?", {b_->tenant.admin.id}).status(), IsOk());
  EXPECT_THAT(conn_->Query("UPDATE widgets SET asset = ?", {int64_t{987654}}).status(),
              StatusIs(Code::kInvalidArgument));
}

TEST_P(SchemaGenApplied, AddsTheColumnsIndexesAndSearchOfADescriptionThatGrew) {
  ASSERT_THAT(Apply(*CreateTableSql(Widgets(), dialect())), IsOk());
  RegisterSpec grown = Widgets();
  grown.fields.push_back({.name = "colour",
                          .label = "Colour",
                          .type = FieldType::kEnum,
                          .choices = {{"red", "Red"}, {"blue", "Blue"}},
                          .filterable = true,
                          .searchable = true});
  grown.fields.push_back({.name = "spare", .label = "Spare", .type = FieldType::kBool});
  // What the plan is made from: the SQLite twin of this database.
  auto scratch = test::ScratchSqlite::Open();
  ASSERT_THAT(scratch, IsOk());
  SqlConnection& ref_conn = *scratch->conn;
  ASSERT_THAT(ref_conn.Exec(*CreateTableSql(Widgets(), Dialect::kSqlite)), IsOk());
  auto before = InspectTable(ref_conn, Dialect::kSqlite, "widgets");
  ASSERT_THAT(before, IsOk());

  std::vector<std::string> problems;
  auto change = PlanSchemaChange(grown, *before, problems);
  ASSERT_THAT(change, IsOk());
  EXPECT_THAT(problems, IsEmpty());
  EXPECT_EQ(change->name, "widgets_schema");
  EXPECT_THAT(change->sqlite,
              HasSubstr("ALTER TABLE widgets ADD COLUMN colour TEXT CHECK (colour IN ('red', "
                        "'blue'));\n"));
  EXPECT_THAT(change->sqlite,
              HasSubstr("ALTER TABLE widgets ADD COLUMN spare INTEGER NOT NULL DEFAULT 0;\n"));
  EXPECT_THAT(change->sqlite,
              HasSubstr("CREATE INDEX widgets_colour ON widgets(org_id, colour, name, id);\n"));
  ASSERT_THAT(Insert("plain"), IsOk());  // a row that exists before the change
  ASSERT_THAT(Apply(lite() ? change->sqlite : change->postgres), IsOk());

  const LiveTable live = Inspect();
  ASSERT_NE(live.Column("colour"), nullptr);
  EXPECT_TRUE(live.HasIndexLeadingWith("colour"));
  EXPECT_THAT(live.search, ElementsAre("name", "notes", "colour"));
  EXPECT_THAT(conn_->Query("UPDATE widgets SET colour = ?", {std::string("green")}).status(),
              StatusIs(Code::kInvalidArgument));
  EXPECT_THAT(conn_->Query("UPDATE widgets SET colour = ?", {std::string("red")}).status(), IsOk());
  if (lite()) {
    // The rebuilt search index holds the row that existed before.
    EXPECT_EQ(b_->db->QueryInt("SELECT COUNT(*) FROM widgets_search WHERE widgets_search MATCH "
                               "'\"red\"'"),
              1);
    // In step now: nothing more to plan.
    problems.clear();
    auto again = PlanSchemaChange(grown, live, problems);
    ASSERT_THAT(again, IsOk());
    EXPECT_THAT(problems, IsEmpty());
    EXPECT_EQ(again->sqlite, "");
  }
}

TEST_P(SchemaGenApplied, AddsABoundedDecimalThatKeepsItsFraction) {
  ASSERT_THAT(Apply(*CreateTableSql(Widgets(), dialect())), IsOk());
  RegisterSpec grown = Widgets();
  grown.fields.push_back({.name = "share",
                          .label = "Share",
                          .type = FieldType::kDecimal,
                          .sortable = true,
                          .min_value = 0,
                          .max_value = 100});
  auto scratch = test::ScratchSqlite::Open();
  ASSERT_THAT(scratch, IsOk());
  ASSERT_THAT(scratch->conn->Exec(*CreateTableSql(Widgets(), Dialect::kSqlite)), IsOk());
  auto before = InspectTable(*scratch->conn, Dialect::kSqlite, "widgets");
  ASSERT_THAT(before, IsOk());
  std::vector<std::string> problems;
  auto change = PlanSchemaChange(grown, *before, problems);
  ASSERT_THAT(change, IsOk());
  EXPECT_THAT(problems, IsEmpty());
  EXPECT_THAT(change->sqlite, HasSubstr("ALTER TABLE widgets ADD COLUMN share REAL CHECK (share "
                                        "BETWEEN 0 AND 100);\n"));
  EXPECT_THAT(change->postgres,
              HasSubstr("ALTER TABLE widgets ADD COLUMN share DOUBLE PRECISION CHECK (share "
                        "BETWEEN 0 AND 100);\n"));
  ASSERT_THAT(Apply(lite() ? change->sqlite : change->postgres), IsOk());
  EXPECT_EQ(Inspect().Column("share")->type, lite() ? "REAL" : "DOUBLE PRECISION");
  EXPECT_TRUE(Inspect().HasIndexLeadingWith("share"));

  ASSERT_THAT(Insert("plain"), IsOk());
  EXPECT_THAT(conn_->Query("UPDATE widgets SET share = ?", {100.5}).status(),
              StatusIs(Code::kInvalidArgument));
  ASSERT_THAT(conn_->Query("UPDATE widgets SET share = ?", {12.75}).status(), IsOk());
  auto rows = conn_->Query("SELECT share FROM widgets", {});
  ASSERT_THAT(rows, IsOk());
  ASSERT_TRUE(*(*rows)->Next());
  EXPECT_EQ((*rows)->Real(0), 12.75);
}

TEST(SchemaGen, ReportsWhatItCannotGenerateAndLeavesItOut) {
  auto scratch = test::ScratchSqlite::Open();
  ASSERT_THAT(scratch, IsOk());
  SqlConnection& conn = *scratch->conn;
  ASSERT_THAT(conn.Exec(*CreateTableSql(Widgets(), Dialect::kSqlite)), IsOk());
  auto live = InspectTable(conn, Dialect::kSqlite, "widgets");
  ASSERT_THAT(live, IsOk());

  RegisterSpec changed = Widgets();
  changed.fields[1].choices.push_back({"fancy", "Fancy"});  // kind
  FieldSpec keeper{.name = "keeper", .label = "Keeper", .type = FieldType::kUser};
  changed.fields.push_back(keeper);
  changed.fields.push_back(
      {.name = "code", .label = "Code", .type = FieldType::kText, .required = true});
  std::vector<std::string> problems;
  auto change = PlanSchemaChange(changed, *live, problems);
  ASSERT_THAT(change, IsOk());
  EXPECT_EQ(change->sqlite, "");
  ASSERT_THAT(problems, SizeIs(3));
  EXPECT_THAT(problems[0], HasSubstr("widgets.kind"));
  EXPECT_THAT(problems[0], HasSubstr("fancy"));
  EXPECT_THAT(problems[0], HasSubstr("write this migration by hand"));
  EXPECT_THAT(problems[1], HasSubstr("widgets.keeper"));
  EXPECT_THAT(problems[2], HasSubstr("widgets.code"));
}

// The tables of migration 0002 were made without a unique (id, org_id); the index that a first
// reference to one of them needs makes it referable on both backends.
TEST_P(SchemaGenApplied, MakesAnOlderTableReferable) {
  auto before = InspectTable(*conn_, dialect(), "context_issues");
  ASSERT_THAT(before, IsOk());
  EXPECT_FALSE(before->IsReferable());
  ASSERT_THAT(Apply(ReferableSql("context_issues")), IsOk());
  auto after = InspectTable(*conn_, dialect(), "context_issues");
  ASSERT_THAT(after, IsOk());
  EXPECT_TRUE(after->IsReferable());
  EXPECT_THAT(Apply("CREATE TABLE notes_on_issues (id BIGINT PRIMARY KEY, org_id BIGINT NOT NULL, "
                    "issue BIGINT, FOREIGN KEY (issue, org_id) REFERENCES context_issues(id, "
                    "org_id))"),
              IsOk());
  EXPECT_THAT(conn_
                  ->Query("INSERT INTO notes_on_issues (id, org_id, issue) VALUES (1, ?, 42)",
                          {b_->tenant.org.id})
                  .status(),
              StatusIs(Code::kInvalidArgument));
}

// The hand-written migrations and the generator agree on every register: `make schema` has
// nothing to write (the tool reads SQLite, the reference dialect; the drift test checks both).
TEST(SchemaGen, FindsEveryRegisterInStepWithTheMigrations) {
  auto scratch = test::ScratchSqlite::Open();
  ASSERT_THAT(scratch, IsOk());
  SqlConnection& conn = *scratch->conn;
  for (const RegisterSpec* spec : domain::AllRegisters()) {
    SCOPED_TRACE(spec->type);
    auto live = InspectTable(conn, Dialect::kSqlite, spec->table);
    ASSERT_THAT(live, IsOk());
    std::vector<std::string> problems;
    auto change = PlanSchemaChange(*spec, *live, problems);
    ASSERT_THAT(change, IsOk());
    EXPECT_THAT(problems, IsEmpty());
    EXPECT_EQ(change->sqlite, "");
  }
}

}  // namespace
}  // namespace rampart::store

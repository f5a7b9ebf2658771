#include "app/record_codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "base/text.h"
#include "domain/context.h"
#include "domain/leadership.h"
#include "domain/planning.h"
#include "domain/risk.h"

namespace rampart::app {
namespace {

using domain::ContextIssues;
using domain::InterestedParties;
using domain::Json;
using domain::Record;
using domain::Risks;
using domain::ScopeStatements;
using Form = std::multimap<std::string, std::string>;

TEST(RecordToJson, AddsTheSystemColumnsToTheFields) {
  Record r;
  r.id = 7;
  r.org_id = 1;
  r.version = 3;
  r.created_at = "2026-01-01T00:00:00.000Z";
  r.updated_at = "2026-02-01T00:00:00.000Z";
  r.created_by = 2;
  r.updated_by = 4;
  r.fields = {{"title", "T"}, {"owner", nullptr}};
  EXPECT_EQ(RecordToJson(r), Json::parse(R"({"id": 7, "version": 3,
      "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-02-01T00:00:00.000Z",
      "created_by": 2, "updated_by": 4, "title": "T", "owner": null})"));
}

TEST(FormToInput, ConvertsEachFieldType) {
  const Form form = {{"title", "Energy prices"},
                     {"kind", "external"},
                     {"climate_related", "on"},
                     {"owner", " 12 "},
                     {"next_review", "2026-06-30"}};
  const Json in = FormToInput(ContextIssues(), form);
  EXPECT_EQ(in["title"], "Energy prices");
  EXPECT_EQ(in["climate_related"], true);
  EXPECT_EQ(in["owner"], 12);
  EXPECT_EQ(in["next_review"], "2026-06-30");
  EXPECT_FALSE(in.contains("description"));  // absent from the form: absent, so defaults apply
}

TEST(FormToInput, ReadsAnAbsentCheckboxAsFalseAndAnEmptyUserAsNull) {
  const Json in = FormToInput(ContextIssues(), {{"owner", ""}});
  EXPECT_EQ(in["climate_related"], false);
  EXPECT_TRUE(in["owner"].is_null());
}

TEST(FormToInput, LeavesAbsentFieldsOutSoDefaultsApply) {
  const Json in = FormToInput(ContextIssues(), {{"title", "T"}, {"kind", "internal"}});
  EXPECT_FALSE(in.contains("status"));
  std::vector<domain::FieldError> errors;
  const Json fields =
      domain::ValidateFields(ContextIssues(), in, domain::WriteMode::kCreate, nullptr, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(fields["status"], "active");
}

TEST(FormToInput, PassesAnUnconvertibleNumberOnForValidationToName) {
  const Json in = FormToInput(ContextIssues(), {{"owner", "alice"}});
  EXPECT_EQ(in["owner"], "alice");
  std::vector<domain::FieldError> errors;
  (void)domain::ValidateFields(ContextIssues(), in, domain::WriteMode::kCreate, nullptr, errors);
  ASSERT_FALSE(errors.empty());
  bool owner_named = false;
  for (const auto& e : errors) owner_named = owner_named || e.field == "owner";
  EXPECT_TRUE(owner_named);
}

TEST(FormToInput, SplitsAListTextareaIntoTrimmedLines) {
  const Json in = FormToInput(ScopeStatements(), {{"units", " IT \r\n\r\nFinance\n"}});
  EXPECT_EQ(in["units"], Json({"IT", "Finance"}));
}

TEST(FormToInput, LeavesOutReadOnlyFields) {
  const Json in = FormToInput(ScopeStatements(), {{"title", "S"}, {"status", "approved"}});
  EXPECT_FALSE(in.contains("status"));
  EXPECT_FALSE(in.contains("approved_by"));
  EXPECT_FALSE(in.contains("version_number"));
}

TEST(FormToInput, CollectsTableRowsInIndexOrderAcrossGaps) {
  const Form form = {
      {"requirements[3][text]", "Second"},  {"requirements[3][source]", "legal"},
      {"requirements[0][text]", "First"},   {"requirements[0][source]", "contractual"},
      {"requirements[0][addressed]", "on"}, {"requirements[0][how]", "SLA"},
      {"requirements[x][text]", "ignored"}, {"requirements[1]", "ignored"}};
  const Json in = FormToInput(InterestedParties(), form);
  EXPECT_EQ(in["requirements"], Json::parse(R"([
      {"text": "First", "source": "contractual", "addressed": true, "how": "SLA"},
      {"text": "Second", "source": "legal", "addressed": false, "how": null}])"));
}

TEST(FormToInput, DropsRowsLeftBlank) {
  const Form form = {{"exclusions[0][item]", "  "},
                     {"exclusions[0][justification]", ""},
                     {"exclusions[1][item]", "Shop"},
                     {"exclusions[1][justification]", "No data"},
                     {"exclusions[2][item]", ""}};
  const Json in = FormToInput(ScopeStatements(), form);
  EXPECT_EQ(in["exclusions"], Json::parse(R"([{"item": "Shop", "justification": "No data"}])"));
}

TEST(FormToInput, KeepsARowWithOnlyATickedBox) {
  const Json in = FormToInput(InterestedParties(), {{"requirements[0][addressed]", "on"}});
  ASSERT_EQ(in["requirements"].size(), 1u);
  EXPECT_EQ(in["requirements"][0]["addressed"], true);
}

TEST(FormToInput, GivesAnEmptyTableForNoRows) {
  const Json in = FormToInput(InterestedParties(), {{"name", "P"}});
  EXPECT_EQ(in["requirements"], Json::array());
}

TEST(RecordsToCsv, WritesAHeaderAndOneRowPerRecord) {
  Record r;
  r.id = 1;
  r.version = 2;
  r.created_at = "2026-01-01T00:00:00.000Z";
  r.updated_at = "2026-01-02T00:00:00.000Z";
  std::vector<domain::FieldError> errors;
  r.fields = domain::ValidateFields(ContextIssues(),
                                    {{"title", "=HYPERLINK(\"http://evil\")"},
                                     {"kind", "external"},
                                     {"owner", 5},
                                     {"description", "Costs, rising"}},
                                    domain::WriteMode::kCreate, nullptr, errors);
  ASSERT_TRUE(errors.empty());
  const std::vector<domain::UserSummary> members = {
      {.id = 5, .username = "alice", .display_name = "Alice Martin"}};
  const std::string csv = RecordsToCsv(ContextIssues(), {r}, members);
  EXPECT_EQ(csv,
            "id,version,title,description,kind,swot,pestle,climate_related,effect,owner,"
            "owner_name,status,next_review,created_at,updated_at\r\n"
            "1,2,\"'=HYPERLINK(\"\"http://evil\"\")\",\"Costs, rising\",external,,,false,,alice,"
            "Alice Martin,active,,2026-01-01T00:00:00.000Z,2026-01-02T00:00:00.000Z\r\n");
}

TEST(RecordsToCsv, WritesDecimalsAsPeopleWriteThem) {
  std::vector<domain::FieldError> errors;
  // From a form: the numbers arrive as text and are read as numbers.
  Record r;
  r.id = 3;
  r.version = 1;
  r.fields =
      domain::ValidateFields(domain::Objectives(),
                             FormToInput(domain::Objectives(), {{"title", "Phishing"},
                                                                {"due_date", "2027-06-30"},
                                                                {"target_value", "95.50"},
                                                                {"unit", "%"},
                                                                {"direction", "decrease"},
                                                                {"baseline_value", "100"},
                                                                {"current_value", "12.250"}}),
                             domain::WriteMode::kCreate, nullptr, errors);
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(r.fields["target_value"], 95.5);
  const std::string csv = RecordsToCsv(domain::Objectives(), {r}, {});
  EXPECT_NE(csv.find(",95.5,%,decrease,100,12.25,planned,"), std::string::npos) << csv;
}

TEST(RecordsToCsv, WritesListsAsLinesAndTablesAsOneLinePerRow) {
  Record r;
  r.id = 1;
  r.version = 1;
  std::vector<domain::FieldError> errors;
  r.fields = domain::ValidateFields(ScopeStatements(),
                                    {{"title", "S"},
                                     {"units", {"IT", "Finance"}},
                                     {"exclusions",
                                      {{{"item", "Shop"}, {"justification", "No data"}},
                                       {{"item", "Canteen"}, {"justification", "Outsourced"}}}}},
                                    domain::WriteMode::kCreate, nullptr, errors);
  ASSERT_TRUE(errors.empty());
  const auto rows = ParseCsv(RecordsToCsv(ScopeStatements(), {r}, {}));
  ASSERT_EQ(rows.size(), 2u);
  const auto column = [&](const std::string& name) {
    const auto it = std::find(rows[0].begin(), rows[0].end(), name);
    EXPECT_NE(it, rows[0].end()) << name;
    return rows[1].at(static_cast<size_t>(it - rows[0].begin()));
  };
  EXPECT_EQ(column("units"), "IT\nFinance");
  EXPECT_EQ(column("exclusions"),
            "Shop — justification: No data\nCanteen — justification: Outsourced");
}

TEST(RecordsToCsv, ShowsTheIdOfAnOwnerWhoIsNotAMember) {
  Record r;
  r.fields = {{"title", "T"}, {"owner", 9}};
  for (const auto& f : ContextIssues().fields) {
    if (!r.fields.contains(f.name)) r.fields[f.name] = nullptr;
  }
  const std::string csv = RecordsToCsv(ContextIssues(), {r}, {});
  EXPECT_NE(csv.find(",9,,"), std::string::npos) << csv;
}

// A risk names its assets, threat and applied controls by id, each followed by their titles, and
// its treatment actions one line per action with the owner's user name.
TEST(RecordsToSheet, NamesReferencesBesideTheirIdsAndFlattensTables) {
  Record r;
  r.id = 4;
  r.version = 1;
  r.fields = Json::object();
  for (const auto& f : Risks().fields) r.fields[f.name] = nullptr;
  r.fields["title"] = "Ransomware";
  r.fields["assets"] = {1, 2};
  r.fields["threat"] = 7;
  r.fields["controls"] = Json::array();
  r.fields["owner"] = 5;
  r.fields["actions"] = {
      {{"action", "Deploy EDR"}, {"owner", 5}, {"due", "2026-05-01"}, {"status", "open"}},
      {{"action", "Train staff"}, {"owner", nullptr}, {"due", nullptr}, {"status", "done"}}};
  const std::vector<domain::UserSummary> members = {
      {.id = 5, .username = "alice", .display_name = "Alice Martin"}};
  const RefTitles titles = {{"asset", {{1, "Mail server"}, {2, "Laptops"}}},
                            {"threat", {{7, "Ransomware gang"}}}};
  const ExportSheet sheet = RecordsToSheet(Risks(), {r}, members, titles);
  ASSERT_EQ(sheet.rows.size(), 1u);
  ASSERT_EQ(sheet.rows[0].size(), sheet.header.size());
  const auto column = [&](const std::string& name) {
    const auto it = std::find(sheet.header.begin(), sheet.header.end(), name);
    EXPECT_NE(it, sheet.header.end()) << name;
    return it == sheet.header.end() ? std::string("(none)")
                                    : sheet.rows[0][static_cast<size_t>(it - sheet.header.begin())];
  };
  const auto position = [&](const std::string& name) {
    return std::find(sheet.header.begin(), sheet.header.end(), name) - sheet.header.begin();
  };
  EXPECT_EQ(position("assets_name"), position("assets") + 1);
  EXPECT_EQ(position("owner_name"), position("owner") + 1);
  EXPECT_EQ(column("assets"), "1\n2");
  EXPECT_EQ(column("assets_name"), "Mail server\nLaptops");
  EXPECT_EQ(column("threat"), "7");
  EXPECT_EQ(column("threat_name"), "Ransomware gang");
  EXPECT_EQ(column("vulnerability"), "");
  EXPECT_EQ(column("vulnerability_name"), "");
  EXPECT_EQ(column("controls"), "");
  EXPECT_EQ(column("controls_name"), "");
  EXPECT_EQ(column("owner"), "alice");
  EXPECT_EQ(column("owner_name"), "Alice Martin");
  EXPECT_EQ(column("actions"),
            "Deploy EDR — owner: alice — due: 2026-05-01 — status: open\n"
            "Train staff — status: done");
  // A record referred to that the titles do not hold (no longer readable) keeps its id.
  const ExportSheet bare = RecordsToSheet(Risks(), {r}, members, {});
  EXPECT_EQ(bare.rows[0][static_cast<size_t>(position("threat_name"))], "#7");
}

// A role's holders are rows named by the person: their export line starts with the user name,
// and a change of a holder's note is that holder's change.
TEST(RowNameColumn, NamesARowByItsPersonWhenThatComesFirst) {
  const domain::FieldSpec* holders = domain::IsmsRoles().Field("holders");
  ASSERT_NE(holders, nullptr);
  EXPECT_EQ(RowNameColumn(*holders).name, "person");
  const auto changes =
      DiffTableRows(*holders, {{{"person", 5}, {"since", "2026-01-01"}}},
                    {{{"person", 5}, {"since", "2026-01-01"}, {"note", "acting"}}});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, RowChange::Kind::kChanged);
  ASSERT_EQ(changes[0].columns.size(), 1u);
  EXPECT_EQ(changes[0].columns[0]->name, "note");
}

TEST(DiffTableRows, MatchesRowsByTheirNameAndListsWhatChanged) {
  const domain::FieldSpec* actions = Risks().Field("actions");
  ASSERT_NE(actions, nullptr);
  EXPECT_EQ(RowNameColumn(*actions).name, "action");
  const Json before = {{{"action", "Deploy EDR"}, {"owner", 5}, {"status", "open"}},
                       {{"action", "Buy a safe"}, {"owner", 5}, {"status", "open"}},
                       {{"action", "Train staff"}, {"status", "open"}}};
  const Json after = {{{"action", "Train staff"}, {"status", "open"}},
                      {{"action", "Deploy EDR"}, {"owner", 6}, {"status", "done"}},
                      {{"action", "Patch servers"}, {"status", "open"}}};
  const auto changes = DiffTableRows(*actions, before, after);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].kind, RowChange::Kind::kChanged);
  EXPECT_EQ(changes[0].before["action"], "Deploy EDR");
  ASSERT_EQ(changes[0].columns.size(), 2u);
  EXPECT_EQ(changes[0].columns[0]->name, "owner");
  EXPECT_EQ(changes[0].columns[1]->name, "status");
  EXPECT_EQ(changes[1].kind, RowChange::Kind::kRemoved);
  EXPECT_EQ(changes[1].before["action"], "Buy a safe");
  EXPECT_EQ(changes[2].kind, RowChange::Kind::kAdded);
  EXPECT_EQ(changes[2].after["action"], "Patch servers");
  // A new table: every row added; an unchanged one: nothing.
  EXPECT_EQ(DiffTableRows(*actions, Json(), after).size(), 3u);
  EXPECT_TRUE(DiffTableRows(*actions, after, after).empty());
}

}  // namespace
}  // namespace rampart::app

#include "app/record_codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "domain/context.h"

namespace rampart::app {
namespace {

using domain::ContextIssues;
using domain::InterestedParties;
using domain::Json;
using domain::Record;
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
  const std::vector<store::UserSummary> members = {{.id = 5, .username = "alice"}};
  const std::string csv = RecordsToCsv(ContextIssues(), {r}, members);
  EXPECT_EQ(csv,
            "id,version,title,description,kind,swot,pestle,climate_related,effect,owner,status,"
            "next_review,created_at,updated_at\r\n"
            "1,2,\"'=HYPERLINK(\"\"http://evil\"\")\",\"Costs, rising\",external,,,false,,alice,"
            "active,,2026-01-01T00:00:00.000Z,2026-01-02T00:00:00.000Z\r\n");
}

TEST(RecordsToCsv, WritesListsAsLinesAndTablesAsJson) {
  Record r;
  r.id = 1;
  r.version = 1;
  std::vector<domain::FieldError> errors;
  r.fields =
      domain::ValidateFields(ScopeStatements(),
                             {{"title", "S"},
                              {"units", {"IT", "Finance"}},
                              {"exclusions", {{{"item", "Shop"}, {"justification", "No data"}}}}},
                             domain::WriteMode::kCreate, nullptr, errors);
  ASSERT_TRUE(errors.empty());
  const std::string csv = RecordsToCsv(ScopeStatements(), {r}, {});
  EXPECT_NE(csv.find(",\"IT\nFinance\","), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"[{\"\"item\"\":\"\"Shop\"\",\"\"justification\"\":\"\"No data\"\"}]\""),
            std::string::npos)
      << csv;
}

TEST(RecordsToCsv, ShowsTheIdOfAnOwnerWhoIsNotAMember) {
  Record r;
  r.fields = {{"title", "T"}, {"owner", 9}};
  for (const auto& f : ContextIssues().fields) {
    if (!r.fields.contains(f.name)) r.fields[f.name] = nullptr;
  }
  const std::string csv = RecordsToCsv(ContextIssues(), {r}, {});
  EXPECT_NE(csv.find(",9,"), std::string::npos) << csv;
}

}  // namespace
}  // namespace rampart::app

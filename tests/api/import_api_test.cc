// Spreadsheet import over the API (import_api.cc): a dry run by default, apply all or nothing,
// the export imported back unchanged, saved mappings, every refusal with its field, and the
// statements an import takes not growing with its rows.
#include <fmt/format.h>
#include <gmock/gmock.h>

#include <string>

#include "api_fixture.h"
#include "base/text.h"

namespace rampart::testing {
namespace {

using ::testing::HasSubstr;

class ImportApi : public ApiTest {
 protected:
  httplib::Result Import(const std::string& path, const std::string& file,
                         const std::map<std::string, std::string>& fields = {},
                         const std::string& token = "") {
    httplib::MultipartFormDataItems items = {{"file", file, "import.csv", "text/csv"}};
    for (const auto& [k, v] : fields) items.push_back({k, v, "", ""});
    return Client().Post(path, {{"Authorization", "Bearer " + (token.empty() ? token_ : token)}},
                         items);
  }
  int64_t Total(const std::string& path) {
    return Body(Get(path + "?total=true"))["total"].get<int64_t>();
  }
};

TEST_F(ImportApi, ADryRunByDefaultReportsEachRowAndChangesNothing) {
  const std::string csv =
      "Title;Internal or external;Owner;Next review\n"
      "Supplier outage;Internal;alice;31/12/2026\n"
      "New regulation;Sideways;alice;2026-12-31\n";
  auto r = Import("/api/v1/context-issues/import", csv);
  ASSERT_EQ(r->status, 200) << r->body;
  const Json j = Body(r);
  EXPECT_EQ(j["applied"], false);
  EXPECT_EQ(j["format"], "csv");
  EXPECT_EQ(j["columns"]["Internal or external"], "kind");
  EXPECT_EQ(j["summary"],
            Json({{"rows", 2}, {"created", 1}, {"updated", 0}, {"unchanged", 0}, {"errors", 1}}));
  EXPECT_EQ(j["rows"][0]["outcome"], "created");
  EXPECT_EQ(j["rows"][0]["row"], 2);
  EXPECT_EQ(j["rows"][1]["outcome"], "error");
  EXPECT_EQ(j["rows"][1]["row"], 3);
  EXPECT_EQ(j["rows"][1]["errors"],
            Json::array({{{"field", "kind"},
                          {"message",
                           "Internal or external: \"Sideways\" is not one of "
                           "Internal, External"}}}));
  EXPECT_EQ(Total("/api/v1/context-issues"), 0);

  // Applying with an error writes nothing and says why, with the report.
  auto refused = Import("/api/v1/context-issues/import", csv, {{"apply", "true"}});
  ASSERT_EQ(refused->status, 400);
  EXPECT_EQ(Error(refused), "invalid_argument/file");
  EXPECT_THAT(Body(refused)["error"]["message"].get<std::string>(),
              HasSubstr("1 of 2 rows have errors: nothing was imported"));
  EXPECT_EQ(Body(refused)["import"]["summary"]["errors"], 1);
  EXPECT_EQ(Total("/api/v1/context-issues"), 0);
}

TEST_F(ImportApi, AppliedRowsAreRecordsWithHistoryAndTheExportImportsBackUnchanged) {
  auto r = Import("/api/v1/context-issues/import",
                  "Title,Kind,SWOT,Climate-related\n"
                  "Supplier outage,internal,weakness,no\n"
                  "\"New regulation, EU\",External,Threat,yes\n",
                  {{"apply", "true"}});
  ASSERT_EQ(r->status, 200) << r->body;
  const Json j = Body(r);
  EXPECT_EQ(j["applied"], true);
  EXPECT_EQ(j["summary"]["created"], 2);
  const int64_t id = j["rows"][1]["id"].get<int64_t>();
  auto rec = Body(Get("/api/v1/context-issues/" + std::to_string(id)));
  EXPECT_EQ(rec["title"], "New regulation, EU");
  EXPECT_EQ(rec["swot"], "threat");
  EXPECT_EQ(rec["climate_related"], true);
  auto history = Body(Get("/api/v1/context-issues/" + std::to_string(id) + "/history"));
  ASSERT_EQ(history["data"].size(), 1U);
  EXPECT_EQ(history["data"][0]["action"], "create");

  for (const std::string format : {"csv", "xlsx"}) {
    SCOPED_TRACE(format);
    auto exported = Get("/api/v1/context-issues/export?format=" + format);
    ASSERT_EQ(exported->status, 200);
    auto back = Import("/api/v1/context-issues/import", exported->body, {{"apply", "true"}});
    ASSERT_EQ(back->status, 200) << back->body;
    EXPECT_EQ(Body(back)["summary"]["unchanged"], 2) << back->body;
    EXPECT_EQ(Body(back)["summary"]["created"], 0);
  }
  EXPECT_EQ(Total("/api/v1/context-issues"), 2);
}

TEST_F(ImportApi, RefusalsNameWhatIsWrongAndChangeNothing) {
  const std::string path = "/api/v1/context-issues/import";
  auto no_file =
      Client().Post(path, {{"Authorization", "Bearer " + token_}}, "{}", "application/json");
  EXPECT_EQ(Error(no_file), "invalid_argument/file");
  auto utf16 = Import(path, std::string("\xff\xfeT\0i\0t\0l\0e\0", 12));
  EXPECT_EQ(Error(utf16), "invalid_argument/file");
  EXPECT_THAT(Body(utf16)["error"]["message"].get<std::string>(), HasSubstr("UTF-16"));
  auto formula = Import(path, "Title,Kind\n=HYPERLINK(\"http://x\"),internal\n");
  EXPECT_EQ(Error(formula), "invalid_argument/file");
  EXPECT_THAT(Body(formula)["error"]["message"].get<std::string>(), HasSubstr("formula"));
  const std::string ok = "Title,Kind\nA,internal\n";
  EXPECT_EQ(Error(Import(path, ok, {{"mapping", "{not json"}})), "invalid_argument/mapping");
  EXPECT_EQ(Error(Import(path, ok, {{"mapping", R"({"columns":{"Nope":"title"}})"}})),
            "invalid_argument/columns");
  EXPECT_EQ(Error(Import(path, ok, {{"mapping", R"({"columns":{"Title":"version"}})"}})),
            "invalid_argument/columns");
  EXPECT_EQ(Error(Import(path, ok, {{"apply", "maybe"}})), "invalid_argument/apply");
  EXPECT_EQ(Error(Import(path, ok, {{"dates", "yesterday"}})), "invalid_argument/dates");
  EXPECT_EQ(Error(Import(path, ok, {{"mapping_id", "999"}})), "invalid_argument/mapping_id");
  // A spreadsheet is an upload: the upload limit, not the 64 KiB of other bodies, applies.
  std::string wide = "Title,Kind\n";
  while (wide.size() < 200 * 1024) wide += "An issue with a long enough title,internal\n";
  auto big = Import(path, wide);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 200) << big->body.substr(0, 300);
  // A viewer may not; registers written only by their workflow or approved version by version
  // have no import.
  const Session viewer = Member("vera", domain::Role::kViewer);
  httplib::MultipartFormDataItems items = {{"file", ok, "a.csv", "text/csv"}};
  auto h = SessionHeaders(viewer);
  EXPECT_EQ(Client().Post(path, h, items)->status, 403);
  EXPECT_EQ(Import("/api/v1/scope/import", ok)->status, 404);
  EXPECT_EQ(Import("/api/v1/risk-acceptances/import", ok)->status, 404);
  EXPECT_EQ(Total("/api/v1/context-issues"), 0);
}

TEST_F(ImportApi, TheProposalAndSavedMappings) {
  const std::string csv = "Headline,Kind,Ref\nSupplier outage,internal,CI-1\n";
  auto proposal = Import("/api/v1/context-issues/import/mapping", csv);
  ASSERT_EQ(proposal->status, 200) << proposal->body;
  const Json p = Body(proposal);
  EXPECT_EQ(p["rows"], 1);
  EXPECT_EQ(
      p["columns"][0],
      Json({{"header", "Headline"}, {"target", ""}, {"why", "no field of this name or label"}}));
  EXPECT_EQ(p["columns"][1]["target"], "kind");
  EXPECT_EQ(p["sample"][0][0], "Supplier outage");
  EXPECT_EQ(p["targets"][0], Json({{"value", ""}, {"label", "Not imported"}}));

  auto saved = Post("/api/v1/context-issues/import-mappings",
                    {{"name", "From the old register"},
                     {"columns", {{"Headline", "title"}, {"Ref", "external_id"}}},
                     {"dates", "month-first"}});
  ASSERT_EQ(saved->status, 200) << saved->body;
  const std::string id = std::to_string(Body(saved)["id"].get<int64_t>());
  auto list = Body(Get("/api/v1/context-issues/import-mappings"));
  ASSERT_EQ(list["data"].size(), 1U);
  EXPECT_EQ(list["data"][0]["dates"], "month-first");
  EXPECT_TRUE(Body(Get("/api/v1/risks/import-mappings"))["data"].empty());

  // Used by id: its choices, the proposal for the rest; applied twice, one record.
  for (int i = 0; i < 2; ++i) {
    auto r = Import("/api/v1/context-issues/import", csv, {{"mapping_id", id}, {"apply", "true"}});
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(Body(r)["columns"]["Headline"], "title");
  }
  EXPECT_EQ(Total("/api/v1/context-issues"), 1);

  EXPECT_EQ(Error(Post("/api/v1/context-issues/import-mappings",
                       {{"name", ""}, {"columns", Json::object()}})),
            "invalid_argument/name");
  EXPECT_EQ(Error(Post("/api/v1/context-issues/import-mappings",
                       {{"name", "x"}, {"columns", {{"A", "created_at"}}}})),
            "invalid_argument/columns");
  EXPECT_EQ(Delete("/api/v1/context-issues/import-mappings/" + id, "")->status, 204);
  EXPECT_EQ(Delete("/api/v1/context-issues/import-mappings/" + id, "")->status, 404);
}

TEST_F(ImportApi, StatementsDoNotGrowWithTheRows) {
  // Risks naming assets by title and an owner, with the methodology's levels computed per row.
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(Post("/api/v1/assets", {{"name", "Asset " + std::to_string(i)}, {"type", "hardware"}})
                  ->status,
              201);
  }
  auto statements = [&](int rows) {
    std::string csv = "Title,Assets,Owner,Inherent likelihood,Inherent impact\n";
    for (int i = 0; i < rows; ++i) {
      csv += fmt::format("Risk {},Asset {},alice,2,3\n", i, i % 3);
    }
    const uint64_t before = store_->StatementCount();
    auto r = Import("/api/v1/risks/import", csv);
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(Body(r)["summary"]["created"], rows) << r->body;
    return store_->StatementCount() - before;
  };
  EXPECT_EQ(statements(5), statements(50));
}

}  // namespace
}  // namespace rampart::testing

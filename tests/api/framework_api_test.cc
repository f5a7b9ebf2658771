// Frameworks and OSCAL over the API and the pages (framework_api.cc, framework_pages.cc): import
// by upload and the built-in framework, coverage with its filter, delete with its version, the
// OSCAL documents as attachments, refusals with their fields, and the statements the coverage
// takes not growing with the controls.
#include <fmt/format.h>
#include <gmock/gmock.h>

#include <fstream>
#include <iterator>
#include <string>

#include "api_fixture.h"
#include "domain/risk.h"
#include "http/errors.h"

namespace rampart::testing {
namespace {

using ::testing::HasSubstr;

// A small catalog: two groups, a control with an enhancement, a withdrawn one.
constexpr const char* kCatalog = R"json({"catalog": {
  "uuid": "0b1c2d3e-4f50-4617-8899-aabbccddeeff",
  "metadata": {"title": "Acme baseline", "last-modified": "2026-11-01T00:00:00Z",
               "version": "2026.1", "oscal-version": "1.1.2"},
  "groups": [
    {"id": "ac", "title": "Access", "controls": [
      {"id": "ac-1", "title": "Access policy",
       "props": [{"name": "label", "value": "AC-1"}],
       "parts": [{"id": "ac-1_smt", "name": "statement", "prose": "Keep an access policy."}],
       "controls": [{"id": "ac-1.1", "title": "Reviewed yearly",
                     "props": [{"name": "label", "value": "AC-1(1)"}]}]},
      {"id": "ac-2", "title": "Old control",
       "props": [{"name": "status", "value": "withdrawn"}]}]},
    {"id": "bk", "title": "Backup", "controls": [{"id": "bk-1", "title": "Backups"}]}]}})json";

class FrameworkApi : public SignedInTest {
 protected:
  httplib::Result Upload(const std::string& file, const std::string& catalog = "",
                         const std::string& token = "") {
    httplib::MultipartFormDataItems items = {{"file", file, "catalog.json", "application/json"}};
    if (!catalog.empty()) items.push_back({"catalog", catalog, "cat.json", "application/json"});
    return Client().Post("/api/v1/frameworks",
                         {{"Authorization", "Bearer " + (token.empty() ? token_ : token)}}, items);
  }
  Json ControlsOf(int64_t id, const std::string& query = "") {
    auto r = Get(fmt::format("/api/v1/frameworks/{}/controls{}", id, query));
    EXPECT_EQ(r->status, 200) << r->body;
    return Body(r);
  }
};

TEST_F(FrameworkApi, ImportsACatalogAndShowsItsCoverage) {
  auto r = Upload(kCatalog);
  ASSERT_EQ(r->status, 201) << r->body;
  const Json f = Body(r);
  const int64_t id = f["id"].get<int64_t>();
  EXPECT_EQ(r->get_header_value("Location"), fmt::format("/api/v1/frameworks/{}", id));
  EXPECT_EQ(f["title"], "Acme baseline");
  EXPECT_EQ(f["edition"], "2026.1");
  EXPECT_EQ(f["control_count"], 4);
  // Read through the register's own routes too.
  EXPECT_EQ(Body(Get("/api/v1/frameworks"))["data"].size(), 1u);

  Json c = ControlsOf(id);
  EXPECT_EQ(c["framework"]["id"], id);
  EXPECT_EQ(c["summary"], Json({{"controls", 4},
                                {"implemented", 0},
                                {"partial", 0},
                                {"none", 3},
                                {"withdrawn", 1},
                                {"unmapped", 3},
                                {"implemented_percent", 0}}));
  ASSERT_EQ(c["data"].size(), 4u);
  EXPECT_EQ(c["data"][1]["control_id"], "ac-1.1");
  EXPECT_EQ(c["data"][1]["parent"], "ac-1");
  EXPECT_EQ(c["data"][2]["coverage"], "withdrawn");

  // Map ac-1 to Annex A 5.15 and an implemented applied control there: implemented.
  auto control =
      Post("/api/v1/controls",
           {{"name", "Access policy v3"}, {"status", "implemented"}, {"annex_controls", {"5.15"}}});
  ASSERT_EQ(control->status, 201) << control->body;
  const Json ac1 = c["data"][0];
  auto mapped = Patch(fmt::format("/api/v1/framework-controls/{}", ac1["id"].get<int64_t>()),
                      {{"annex_controls", {"5.15"}}}, std::to_string(ac1["version"].get<int>()));
  ASSERT_EQ(mapped->status, 200) << mapped->body;
  c = ControlsOf(id, "?coverage=implemented");
  EXPECT_EQ(c["summary"]["implemented"], 1);
  EXPECT_EQ(c["summary"]["implemented_percent"], 33);
  ASSERT_EQ(c["data"].size(), 1u);
  EXPECT_EQ(c["data"][0]["control_id"], "ac-1");
  EXPECT_EQ(c["data"][0]["applied_controls"][0]["name"], "Access policy v3");

  auto bad = Get(fmt::format("/api/v1/frameworks/{}/controls?coverage=some", id));
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Error(bad), "invalid_argument/coverage");
  EXPECT_EQ(Get("/api/v1/frameworks/999999/controls")->status, 404);
}

TEST_F(FrameworkApi, RefusalsNameTheirFieldAndChangeNothing) {
  auto not_oscal = Upload(R"({"system-security-plan": {}})");
  EXPECT_EQ(not_oscal->status, 400);
  EXPECT_EQ(Error(not_oscal), "invalid_argument/file");
  auto profile = Upload(R"({"profile": {"uuid": "0b1c2d3e-4f50-4617-8899-aabbccddeef0",
      "metadata": {"title": "P", "last-modified": "2026-11-01T00:00:00Z", "version": "1",
                   "oscal-version": "1.1.2"},
      "imports": [{"href": "#x", "include-controls": [{"with-ids": ["bk-1", "zz-9"]}]}]}})");
  EXPECT_EQ(Error(profile), "invalid_argument/catalog");
  auto unknown = Upload(R"({"profile": {"uuid": "0b1c2d3e-4f50-4617-8899-aabbccddeef0",
      "metadata": {"title": "P", "last-modified": "2026-11-01T00:00:00Z", "version": "1",
                   "oscal-version": "1.1.2"},
      "imports": [{"href": "#x", "include-controls": [{"with-ids": ["bk-1", "zz-9"]}]}]}})",
                        kCatalog);
  EXPECT_EQ(Error(unknown), "invalid_argument/file");
  EXPECT_THAT(Body(unknown)["error"]["message"].get<std::string>(), HasSubstr("zz-9"));
  EXPECT_EQ(Error(Post("/api/v1/frameworks", {{"built_in", 2013}})), "invalid_argument/built_in");
  EXPECT_EQ(Error(Post("/api/v1/frameworks", {{"title", "Mine"}, {"source", "built_in"}})),
            "invalid_argument/source");
  // A viewer may read frameworks but not import or write one.
  const Session viewer = Member("vera", domain::Role::kViewer);
  auto h = SessionHeaders(viewer);
  EXPECT_EQ(
      Client()
          .Post("/api/v1/frameworks", h, R"({"built_in": "iso27001-2013"})", "application/json")
          ->status,
      403);
  EXPECT_EQ(Body(Get("/api/v1/frameworks"))["data"].size(), 0u);
  EXPECT_EQ(Body(Get("/api/v1/framework-controls"))["data"].size(), 0u);
  // Any other JSON is a framework written by hand.
  auto mine = Post("/api/v1/frameworks", {{"title", "Customer questionnaire"}});
  ASSERT_EQ(mine->status, 201) << mine->body;
  EXPECT_EQ(Body(mine)["source"], "written");
}

TEST_F(FrameworkApi, BuiltInOnceDeleteWithItsVersion) {
  auto r = Post("/api/v1/frameworks", {{"built_in", "iso27001-2013"}});
  ASSERT_EQ(r->status, 201) << r->body;
  const int64_t id = Body(r)["id"].get<int64_t>();
  auto again = Post("/api/v1/frameworks", {{"built_in", "iso27001-2013"}});
  EXPECT_EQ(again->status, 409);
  EXPECT_EQ(Error(again), "already_exists/built_in");
  const std::string path = fmt::format("/api/v1/frameworks/{}", id);
  EXPECT_EQ(Delete(path, "")->status, 428);
  EXPECT_EQ(Delete(path, "7")->status, 412);
  EXPECT_EQ(Delete(path, "1")->status, 204);
  EXPECT_EQ(Get(path)->status, 404);
  EXPECT_EQ(Body(Get("/api/v1/framework-controls?total=true"))["total"], 0);
}

// The coverage reads the same statements for 4 controls as for 114.
TEST_F(FrameworkApi, CoverageStatementsDoNotGrowWithControls) {
  const int64_t small = Body(Upload(kCatalog))["id"].get<int64_t>();
  const int64_t large =
      Body(Post("/api/v1/frameworks", {{"built_in", "iso27001-2013"}}))["id"].get<int64_t>();
  for (int i = 0; i < 3; ++i) {
    Post("/api/v1/controls", {{"name", fmt::format("Control {}", i)},
                              {"status", "implemented"},
                              {"annex_controls", {"5.1"}}});
  }
  const auto statements = [&](int64_t id) {
    ControlsOf(id);  // warm
    const uint64_t before = store_->StatementCount();
    ControlsOf(id);
    return store_->StatementCount() - before;
  };
  EXPECT_EQ(statements(small), statements(large));
  EXPECT_LE(statements(large), 8u);
}

TEST_F(FrameworkApi, OscalDocumentsAreAttachments) {
  auto catalog = Get("/api/v1/oscal/catalog");
  ASSERT_EQ(catalog->status, 200) << catalog->body;
  EXPECT_EQ(catalog->get_header_value("Content-Type"), "application/json");
  EXPECT_THAT(catalog->get_header_value("Content-Disposition"), HasSubstr("rampart-catalog.json"));
  EXPECT_EQ(Body(catalog)["catalog"]["groups"].size(), 4u);
  auto ssp = Get("/api/v1/oscal/ssp");
  EXPECT_EQ(ssp->status, http::HttpStatusFor(Code::kFailedPrecondition));
  EXPECT_EQ(Error(ssp), "failed_precondition/");
  EXPECT_THAT(Body(ssp)["error"]["message"].get<std::string>(),
              HasSubstr("Statement of Applicability"));
  const int64_t id = Body(Upload(kCatalog))["id"].get<int64_t>();
  auto back = Get(fmt::format("/api/v1/frameworks/{}/oscal", id));
  ASSERT_EQ(back->status, 200);
  EXPECT_EQ(Body(back)["catalog"]["uuid"], "0b1c2d3e-4f50-4617-8899-aabbccddeeff");
  // Imported again, the same controls.
  auto again = Upload(back->body);
  ASSERT_EQ(again->status, 201) << again->body;
  EXPECT_EQ(Body(again)["control_count"], 4);
}

TEST_F(FrameworkApi, PagesImportShowCoverageAndDelete) {
  auto list = Page("/frameworks");
  ASSERT_EQ(list->status, 200);
  EXPECT_THAT(list->body, HasSubstr("Import an OSCAL catalog or profile"));
  EXPECT_THAT(list->body, HasSubstr("/api/v1/oscal/ssp"));
  auto form = Page("/frameworks/oscal-import");
  ASSERT_EQ(form->status, 200);
  EXPECT_THAT(form->body, HasSubstr("name=\"catalog\""));
  auto added = Submit("/frameworks/built-in", "built_in=iso27001-2013");
  ASSERT_EQ(added->status, 303) << added->body;
  const std::string to = added->get_header_value("Location");
  EXPECT_THAT(to, HasSubstr("/coverage?notice=imported"));
  auto coverage = Page(to);
  ASSERT_EQ(coverage->status, 200);
  EXPECT_THAT(coverage->body, HasSubstr("Imported ISO/IEC 27001:2013 Annex A with 114 controls."));
  EXPECT_THAT(coverage->body, HasSubstr("A.18.2.3"));
  EXPECT_THAT(coverage->body, HasSubstr("0 of 114 controls implemented (0%)."));
  EXPECT_THAT(coverage->body, HasSubstr("5.36, 8.8"));
  // Refused on the page: said where it went wrong, 409 for the second time.
  auto twice = Submit("/frameworks/built-in", "built_in=iso27001-2013");
  EXPECT_EQ(twice->status, 409);
  EXPECT_THAT(twice->body, HasSubstr("already"));
  auto bad = Page(to.substr(0, to.find('?')) + "?coverage=<script>");
  ASSERT_EQ(bad->status, 200);
  EXPECT_THAT(bad->body, ::testing::Not(HasSubstr("<script>")));
  const std::string id = to.substr(std::string("/frameworks/").size(),
                                   to.find("/coverage") - std::string("/frameworks/").size());
  auto page = Page("/frameworks/" + id);
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("/frameworks/" + id + "/delete"));
  auto deleted = Submit("/frameworks/" + id + "/delete", "version=1");
  ASSERT_EQ(deleted->status, 303) << deleted->body;
  EXPECT_EQ(Page("/frameworks/" + id)->status, 404);
}

}  // namespace
}  // namespace rampart::testing

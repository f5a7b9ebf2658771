// The register routes of the JSON API, through a real server: CRUD, versions, validation, lists.
#include <algorithm>
#include <set>

#include "api_fixture.h"
#include "base/text.h"
#include "base/xlsx.h"
#include "support/xlsx_reader.h"

namespace rampart::testing {
namespace {

using RegisterApi = ApiTest;

TEST_F(RegisterApi, CreatesAContextIssueFromTitleAndKindOnly) {
  auto r = Post("/api/v1/context-issues", {{"title", "Cloud migration"}, {"kind", "external"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  const Json j = Body(r);
  EXPECT_EQ(j["title"], "Cloud migration");
  EXPECT_EQ(j["kind"], "external");
  EXPECT_EQ(j["status"], "active");  // the default
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(r->get_header_value("ETag"), "\"1\"");
  EXPECT_EQ(r->get_header_value("Location"),
            "/api/v1/context-issues/" + std::to_string(j["id"].get<int64_t>()));
}

TEST_F(RegisterApi, CreatesAContextIssueWithASwotQuadrant) {
  const Json j = CreateIssue("Skilled team", "internal", {{"swot", "strength"}});
  EXPECT_EQ(j["swot"], "strength");
  auto r = Get("/api/v1/context-issues/" + std::to_string(j["id"].get<int64_t>()));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Body(r)["swot"], "strength");
}

TEST_F(RegisterApi, RecordsAClimateChangeConsiderationLikeAnyOtherIssue) {
  const Json j =
      CreateIssue("Flooding of the data centre region", "external",
                  {{"swot", "threat"}, {"pestle", "environmental"}, {"climate_related", true}});
  EXPECT_EQ(j["climate_related"], true);
  auto r = Get("/api/v1/context-issues?climate_related=true");
  ASSERT_EQ(Body(r)["data"].size(), 1u);
}

TEST_F(RegisterApi, ReadingAMissingRecordIsNotFound) {
  auto r = Get("/api/v1/context-issues/999");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(Error(r), "not_found/");
}

TEST_F(RegisterApi, UpdateRequiresIfMatchAndRefusesAStaleVersion) {
  const Json j = CreateIssue("Legacy ERP");
  const std::string path = "/api/v1/context-issues/" + std::to_string(j["id"].get<int64_t>());
  auto missing = Patch(path, {{"status", "monitoring"}}, "");
  EXPECT_EQ(missing->status, 428);
  EXPECT_EQ(Error(missing), "precondition_required/");

  auto ok = Patch(path, {{"status", "monitoring"}}, "\"1\"");
  EXPECT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(Body(ok)["version"], 2);
  EXPECT_EQ(Body(ok)["title"], "Legacy ERP");  // PATCH keeps the other fields
  EXPECT_EQ(ok->get_header_value("ETag"), "\"2\"");

  auto stale = Patch(path, {{"status", "closed"}}, "\"1\"");
  EXPECT_EQ(stale->status, 412);
  EXPECT_EQ(Error(stale), "conflict/");
  EXPECT_EQ(Body(Get(path))["status"], "monitoring");  // the stale write changed nothing
}

TEST_F(RegisterApi, PutReplacesEveryField) {
  const Json j = CreateIssue("Remote work", "internal", {{"description", "Most staff at home"}});
  const std::string path = "/api/v1/context-issues/" + std::to_string(j["id"].get<int64_t>());
  auto r =
      Put(path, {{"title", "Hybrid work"}, {"kind", "internal"}, {"status", "active"}}, "\"1\"");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r)["title"], "Hybrid work");
  EXPECT_TRUE(Body(r)["description"].is_null());
}

TEST_F(RegisterApi, ConcurrentUpdatesWithTheSameVersionLetExactlyOneWin) {
  const Json j = CreateIssue("Contested");
  const std::string path = "/api/v1/context-issues/" + std::to_string(j["id"].get<int64_t>());
  std::vector<std::thread> writers;
  std::atomic<int> ok{0};
  std::atomic<int> refused{0};
  for (int i = 0; i < 6; ++i) {
    writers.emplace_back([&, i] {
      auto r = Patch(path, {{"title", "Writer " + std::to_string(i)}}, "\"1\"");
      if (r && r->status == 200) ++ok;
      if (r && r->status == 412) ++refused;
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), 5);
  EXPECT_EQ(Body(Get(path))["version"], 2);
}

TEST_F(RegisterApi, DeleteRequiresIfMatchAndKeepsTheHistory) {
  const Json j = CreateIssue("Short-lived");
  const std::string path = "/api/v1/context-issues/" + std::to_string(j["id"].get<int64_t>());
  EXPECT_EQ(Delete(path, "")->status, 428);
  EXPECT_EQ(Delete(path, "\"7\"")->status, 412);
  EXPECT_EQ(Delete(path, "\"1\"")->status, 204);
  EXPECT_EQ(Get(path)->status, 404);
  auto history = Get(path + "/history");
  ASSERT_EQ(history->status, 200);
  const Json events = Body(history)["data"];
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["action"], "create");
  EXPECT_EQ(events[1]["action"], "delete");
  EXPECT_EQ(events[1]["diff"]["title"]["from"], "Short-lived");
}

TEST_F(RegisterApi, HistoryShowsFieldLevelDiffs) {
  const Json j = CreateIssue("Supplier dependency", "external", {{"swot", "threat"}});
  const std::string path = "/api/v1/context-issues/" + std::to_string(j["id"].get<int64_t>());
  ASSERT_EQ(Patch(path, {{"pestle", "economic"}}, "\"1\"")->status, 200);
  const Json events = Body(Get(path + "/history"))["data"];
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1]["actor"], "alice");
  EXPECT_EQ(events[1]["diff"], Json({{"pestle", {{"from", nullptr}, {"to", "economic"}}}}));
}

// Bad input: a 4xx naming the field, and nothing written.
TEST_F(RegisterApi, BadInputNamesTheFieldAndWritesNothing) {
  struct Case {
    std::string body;
    std::string content_type;
    int status;
    std::string error;
  };
  const std::vector<Case> cases = {
      {R"({"kind":"internal"})", "application/json", 400, "invalid_argument/title"},
      {R"({"title":5,"kind":"internal"})", "application/json", 400, "invalid_argument/title"},
      {R"({"title":"x","kind":"sideways"})", "application/json", 400, "invalid_argument/kind"},
      {R"({"title":"x","kind":"internal","colour":"red"})", "application/json", 400,
       "invalid_argument/colour"},
      {R"({"title":"x","kind":"internal","next_review":"2026-02-30"})", "application/json", 400,
       "invalid_argument/next_review"},
      {R"({"title":"x","kind":"internal","climate_related":"yes"})", "application/json", 400,
       "invalid_argument/climate_related"},
      {R"({"title":"x","kind":"internal","owner":"bob"})", "application/json", 400,
       "invalid_argument/owner"},
      {R"({"title":"x","kind":"internal","owner":4242})", "application/json", 400,
       "invalid_argument/owner"},
      {R"({"title":"x","kind":"internal","pestle":"legal"})", "application/json", 400,
       "invalid_argument/pestle"},
      {R"({"title":"x","kind":)", "application/json", 400, "invalid_argument/"},
      {R"([1,2])", "application/json", 400, "invalid_argument/"},
      {R"({"title":"x","kind":"internal"})", "text/plain", 400, "invalid_argument/Content-Type"},
      {"{\"title\":\"" + std::string(300, 'a') + "\",\"kind\":\"internal\"}", "application/json",
       400, "invalid_argument/title"},
  };
  for (const auto& c : cases) {
    auto r = Client().Post("/api/v1/context-issues", Bearer(), c.body, c.content_type.c_str());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, c.status) << c.body;
    EXPECT_EQ(Error(r), c.error) << c.body;
  }
  auto big =
      Client().Post("/api/v1/context-issues", Bearer(),
                    "{\"title\":\"" + std::string(70 * 1024, 'a') + "\",\"kind\":\"internal\"}",
                    "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_EQ(Error(big), "too_large/");
  EXPECT_EQ(Body(Get("/api/v1/context-issues"))["data"].size(), 0u);
}

TEST_F(RegisterApi, ListsFilterSortAndPageWithCursors) {
  for (int i = 0; i < 7; ++i) {
    CreateIssue("Issue " + std::to_string(i), i % 2 == 0 ? "internal" : "external");
  }
  std::set<int64_t> seen;
  std::string cursor;
  int pages = 0;
  std::vector<std::string> titles;
  do {
    auto r = Get("/api/v1/context-issues?sort=-title&limit=3" +
                 (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r->status, 200) << r->body;
    const Json j = Body(r);
    for (const auto& rec : j["data"]) {
      EXPECT_TRUE(seen.insert(rec["id"].get<int64_t>()).second);
      titles.push_back(rec["title"]);
    }
    cursor = j["next_cursor"].is_string() ? j["next_cursor"].get<std::string>() : "";
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(titles.front(), "Issue 6");
  EXPECT_EQ(titles.back(), "Issue 0");

  auto external = Body(Get("/api/v1/context-issues?kind=external&total=true"));
  EXPECT_EQ(external["data"].size(), 3u);
  EXPECT_EQ(external["total"], 3);
  auto search = Body(Get("/api/v1/context-issues?q=issue%205"));
  ASSERT_EQ(search["data"].size(), 1u);
  EXPECT_EQ(search["data"][0]["title"], "Issue 5");
}

TEST_F(RegisterApi, BadListParametersNameTheParameter) {
  EXPECT_EQ(Error(Get("/api/v1/context-issues?sort=password")), "invalid_argument/sort");
  EXPECT_EQ(Error(Get("/api/v1/context-issues?kind=sideways")), "invalid_argument/kind");
  EXPECT_EQ(Error(Get("/api/v1/context-issues?colour=red")), "invalid_argument/colour");
  EXPECT_EQ(Error(Get("/api/v1/context-issues?limit=0")), "invalid_argument/limit");
  EXPECT_EQ(Error(Get("/api/v1/audit/events?limit=5abc")), "invalid_argument/limit");
  EXPECT_EQ(Error(Get("/api/v1/audit/events?limit=0")), "invalid_argument/limit");
  EXPECT_EQ(Error(Get("/api/v1/context-issues?cursor=bm90IGEgY3Vyc29y")),
            "invalid_argument/cursor");
}

TEST_F(RegisterApi, SqlInjectionInFiltersAndSortIsRefusedOrInert) {
  CreateIssue("Only one");
  for (const std::string q :
       {"sort=title%3B%20DROP%20TABLE%20context_issues", "sort=title%20--",
        "kind=internal%27%20OR%20%271%27%3D%271", "status=%27%29%20OR%201%3D1--",
        "owner=1%20OR%201%3D1", "limit=1%3B"}) {
    auto r = Get("/api/v1/context-issues?" + q);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << q;
  }
  auto search = Get("/api/v1/context-issues?q=%27%20OR%20%271%27%3D%271");
  EXPECT_EQ(search->status, 200);
  EXPECT_EQ(Body(search)["data"].size(), 0u);
  EXPECT_EQ(Body(Get("/api/v1/context-issues"))["data"].size(), 1u);
}

TEST_F(RegisterApi, SqlStatementsPerListDoNotGrowWithThePageSize) {
  for (int i = 0; i < 60; ++i) CreateIssue("Issue " + std::to_string(i));
  auto statements = [&](const std::string& query) {
    const uint64_t before = store_->StatementCount();
    auto r = Get("/api/v1/context-issues?" + query);
    EXPECT_EQ(r->status, 200);
    return store_->StatementCount() - before;
  };
  const uint64_t small = statements("limit=5&sort=title");
  const uint64_t large = statements("limit=50&sort=title");
  EXPECT_EQ(small, large);
  EXPECT_LE(large, 2u);  // authentication (one join) + the list
}

TEST_F(RegisterApi, InterestedPartyRequirementsAreValidatedRowByRow) {
  auto bad = Post("/api/v1/interested-parties", {{"name", "Data protection authority"},
                                                 {"type", "regulator"},
                                                 {"requirements",
                                                  {{{"text", "Report breaches within 72 hours"},
                                                    {"source", "legal"},
                                                    {"addressed", true}}}}});
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Error(bad), "invalid_argument/requirements[0].how");
  auto ok = Post("/api/v1/interested-parties",
                 {{"name", "Data protection authority"},
                  {"type", "regulator"},
                  {"requirements",
                   {{{"text", "Report breaches within 72 hours"},
                     {"source", "legal"},
                     {"addressed", true},
                     {"how", "Incident procedure IR-2"}},
                    {{"text", "Appoint a DPO"}, {"source", "regulatory"}}}}});
  ASSERT_EQ(ok->status, 201) << ok->body;
  const Json j = Body(ok);
  ASSERT_EQ(j["requirements"].size(), 2u);
  EXPECT_EQ(j["requirements"][1]["addressed"], false);
  EXPECT_EQ(Error(Post("/api/v1/interested-parties", {{"name", "X"}, {"type", "alien"}})),
            "invalid_argument/type");
}

TEST_F(RegisterApi, ExportsCsvWithEveryFieldAndNeutralisedFormulas) {
  CreateIssue("=HYPERLINK(\"http://evil\")", "internal", {{"description", "line one\nline two"}});
  auto r = Get("/api/v1/context-issues/export?format=csv");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(r->get_header_value("Content-Disposition").find("context-issues.csv"),
            std::string::npos);
  EXPECT_EQ(r->body.rfind("id,version,title,description,kind,swot,pestle,climate_related,effect,"
                          "owner,owner_name,status,next_review,created_at,updated_at\r\n",
                          0),
            0u);
  EXPECT_NE(r->body.find("\"'=HYPERLINK(\"\"http://evil\"\")\""), std::string::npos);
  EXPECT_NE(r->body.find("\"line one\nline two\""), std::string::npos);
  auto pdf = Get("/api/v1/context-issues/export?format=pdf");
  EXPECT_EQ(pdf->status, 400);
  EXPECT_EQ(Error(pdf), "invalid_argument/format");
  EXPECT_EQ(Body(pdf)["error"]["message"], "format must be csv or xlsx");
}

// Every register exports XLSX with the columns of its CSV: references by id beside their titles,
// treatment actions one line each. The titles take one statement per register referred to,
// whatever the number of records.
TEST_F(RegisterApi, ExportsXlsxWithTheColumnsOfTheCsvAndReferencesByName) {
  auto asset = [&](const std::string& name) {
    auto r = Post("/api/v1/assets", {{"name", name}, {"type", "service"}});
    EXPECT_EQ(r->status, 201) << r->body;
    return Body(r)["id"].get<int64_t>();
  };
  const int64_t mail = asset("Mail server");
  const int64_t laptops = asset("Laptops");
  auto threat = Post("/api/v1/threats", {{"name", "Ransomware gang"}, {"category", "deliberate"}});
  ASSERT_EQ(threat->status, 201) << threat->body;
  const int64_t threat_id = Body(threat)["id"].get<int64_t>();
  auto risk = Post(
      "/api/v1/risks",
      {{"title", "Ransomware encrypts mail"}, {"assets", {mail, laptops}}, {"threat", threat_id}});
  ASSERT_EQ(risk->status, 201) << risk->body;
  const int64_t alice = Body(risk)["created_by"].get<int64_t>();
  const std::string id = std::to_string(Body(risk)["id"].get<int64_t>());
  ASSERT_EQ(Patch("/api/v1/risks/" + id,
                  {{"owner", alice},
                   {"actions",
                    {{{"action", "Deploy EDR"},
                      {"owner", alice},
                      {"due", "2026-05-01"},
                      {"status", "open"}}}}},
                  "\"1\"")
                ->status,
            200);

  auto csv = Get("/api/v1/risks/export?format=csv");
  ASSERT_EQ(csv->status, 200) << csv->body;
  const auto csv_rows = ParseCsv(csv->body);
  auto xlsx = Get("/api/v1/risks/export?format=xlsx");
  ASSERT_EQ(xlsx->status, 200) << xlsx->body;
  EXPECT_EQ(xlsx->get_header_value("Content-Type"), kXlsxContentType);
  EXPECT_EQ(xlsx->get_header_value("Content-Disposition"), "attachment; filename=\"risks.xlsx\"");
  const auto cells = test::ReadXlsxCells(xlsx->body);
  ASSERT_TRUE(cells.has_value());
  ASSERT_EQ(cells->size(), 2u);
  ASSERT_EQ(csv_rows.size(), 2u);
  EXPECT_EQ((*cells)[0], csv_rows[0]);  // the same columns
  const auto cell = [&](const std::string& column) {
    const auto& header = (*cells)[0];
    const auto at = std::find(header.begin(), header.end(), column);
    EXPECT_NE(at, header.end()) << column;
    const auto& row = (*cells)[1];
    const size_t i = static_cast<size_t>(at - header.begin());
    return i < row.size() ? row[i] : std::string();
  };
  EXPECT_EQ(cell("id"), id);
  EXPECT_EQ(cell("title"), "Ransomware encrypts mail");
  EXPECT_EQ(cell("assets"), std::to_string(mail) + "\n" + std::to_string(laptops));
  EXPECT_EQ(cell("assets_name"), "Mail server\nLaptops");
  EXPECT_EQ(cell("threat"), std::to_string(threat_id));
  EXPECT_EQ(cell("threat_name"), "Ransomware gang");
  EXPECT_EQ(cell("owner"), "alice");
  EXPECT_EQ(cell("owner_name"), "alice");
  EXPECT_EQ(cell("actions"), "Deploy EDR — owner: alice — due: 2026-05-01 — status: open");

  EXPECT_EQ(Error(Get("/api/v1/risks/export?format=XLSX")), "invalid_argument/format");

  // More risks naming more assets: no more statements.
  auto statements = [&] {
    const uint64_t before = store_->StatementCount();
    EXPECT_EQ(Get("/api/v1/risks/export?format=xlsx")->status, 200);
    return store_->StatementCount() - before;
  };
  const uint64_t one = statements();
  for (int i = 0; i < 10; ++i) {
    const int64_t a = asset("Asset " + std::to_string(i));
    ASSERT_EQ(Post("/api/v1/risks",
                   {{"title", "Risk " + std::to_string(i)}, {"assets", {a}}, {"threat", threat_id}})
                  ->status,
              201);
  }
  EXPECT_EQ(statements(), one);
}

// A POST without a body says what is missing (it used to answer "the request could not be
// handled").
TEST_F(RegisterApi, ARequestWithoutABodySaysABodyIsMissing) {
  auto empty = Client().Post("/api/v1/context-issues", Bearer(), "", "application/json");
  ASSERT_EQ(empty->status, 400);
  EXPECT_EQ(Error(empty), "invalid_argument/");
  EXPECT_EQ(Body(empty)["error"]["message"], "the request has no body: send a JSON object");
  auto untyped = Client().Post("/api/v1/context-issues", Bearer(), "", "text/plain");
  ASSERT_EQ(untyped->status, 400);
  EXPECT_EQ(Error(untyped), "invalid_argument/Content-Type");
  EXPECT_EQ(Body(Get("/api/v1/context-issues?total=true"))["total"], 0);
}

}  // namespace
}  // namespace rampart::testing

// The server-rendered pages: forms with inline errors, escaping, the SWOT view, the scope.
#include "api_fixture.h"
#include "base/text.h"

namespace rampart::testing {
namespace {

class WebPages : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    session_ = SignIn("alice", kAlicePassword);
  }
  httplib::Result Page(const std::string& path) {
    return Client().Get(path, {{"Cookie", session_.cookie}});
  }
  httplib::Result Submit(const std::string& path, const std::string& form) {
    return Client().Post(path, {{"Cookie", session_.cookie}},
                         form + "&_csrf=" + UrlEncode(session_.csrf),
                         "application/x-www-form-urlencoded");
  }
  Session session_;
};

TEST_F(WebPages, AFormCreatesAContextIssueAndRedirectsToIt) {
  auto r = Submit("/context-issues",
                  "title=Ransomware+trend&kind=external&swot=threat&pestle=technological");
  ASSERT_EQ(r->status, 303) << r->body;
  const std::string location = r->get_header_value("Location");
  EXPECT_EQ(location.rfind("/context-issues/", 0), 0u);
  auto page = Page(location);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Ransomware trend"), std::string::npos);
  EXPECT_NE(page->body.find("History"), std::string::npos);
  auto swot = Page("/context-issues/swot");
  ASSERT_EQ(swot->status, 200);
  const auto threats = swot->body.find("swot-threat");
  ASSERT_NE(threats, std::string::npos);
  EXPECT_NE(swot->body.find("Ransomware trend", threats), std::string::npos);
}

TEST_F(WebPages, ABadSubmissionShowsTheErrorBesideTheFieldAndKeepsTheInput) {
  auto r = Submit("/context-issues", "title=&kind=internal&swot=threat&description=kept+text");
  ASSERT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("id=\"title-error\""), std::string::npos);
  EXPECT_NE(r->body.find("Title is required"), std::string::npos);
  EXPECT_NE(r->body.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(r->body.find("kept text"), std::string::npos);
  EXPECT_EQ(Body(Get("/api/v1/context-issues?total=true"))["total"], 0);
}

TEST_F(WebPages, UserTextIsEscapedEverywhere) {
  const std::string xss = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
  const Json j =
      CreateIssue(xss, "internal", {{"swot", "weakness"}, {"description", xss}, {"effect", xss}});
  const std::string id = std::to_string(j["id"].get<int64_t>());
  const std::vector<std::string> pages = {"/context-issues",
                                          "/context-issues/" + id,
                                          "/context-issues/" + id + "/edit",
                                          "/context-issues/swot",
                                          "/",
                                          "/audit"};
  for (const auto& path : pages) {
    auto page = Page(path);
    ASSERT_EQ(page->status, 200) << path;
    EXPECT_EQ(page->body.find("<script>alert"), std::string::npos) << path;
    EXPECT_EQ(page->body.find("<img src=x"), std::string::npos) << path;
  }
  EXPECT_NE(Page("/context-issues/" + id)->body.find("&lt;script&gt;alert(1)&lt;/script&gt;"),
            std::string::npos);
}

TEST_F(WebPages, EditingWithAStaleVersionIsRefusedAndExplained) {
  const Json j = CreateIssue("Shared record");
  const std::string id = std::to_string(j["id"].get<int64_t>());
  ASSERT_EQ(
      Patch("/api/v1/context-issues/" + id, {{"title", "Changed by someone"}}, "\"1\"")->status,
      200);
  auto r = Submit("/context-issues/" + id, "version=1&title=Mine&kind=internal&status=active");
  EXPECT_EQ(r->status, 412);
  EXPECT_NE(r->body.find("Someone else changed this record"), std::string::npos);
  EXPECT_EQ(Body(Get("/api/v1/context-issues/" + id))["title"], "Changed by someone");
}

TEST_F(WebPages, RequirementRowsAreAddedThroughTheForm) {
  auto r = Submit("/interested-parties",
                  "name=Key+customer&type=customer"
                  "&requirements%5B0%5D%5Btext%5D=ISO+27001+certificate"
                  "&requirements%5B0%5D%5Bsource%5D=contractual"
                  "&requirements%5B0%5D%5Baddressed%5D=true"
                  "&requirements%5B0%5D%5Bhow%5D=Certification+project"
                  "&requirements%5B1%5D%5Btext%5D=&requirements%5B1%5D%5Bsource%5D=");
  ASSERT_EQ(r->status, 303) << r->body;
  const Json parties = Body(Get("/api/v1/interested-parties"))["data"];
  ASSERT_EQ(parties.size(), 1u);
  ASSERT_EQ(parties[0]["requirements"].size(), 1u);
  EXPECT_EQ(parties[0]["requirements"][0]["addressed"], true);
}

TEST_F(WebPages, TheCurrentScopeIsOneClickAway) {
  auto none = Page("/scope/current");
  EXPECT_EQ(none->status, 303);
  EXPECT_EQ(none->get_header_value("Location"), "/scope");
  auto draft = Post("/api/v1/scope",
                    {{"title", "Scope"}, {"statement", "All of Acme."}, {"units", {"Acme"}}});
  const std::string id = std::to_string(Body(draft)["id"].get<int64_t>());
  auto approve = Submit("/scope/" + id + "/approve", "version=1");
  ASSERT_EQ(approve->status, 303) << approve->body;
  auto current = Page("/scope/current");
  EXPECT_EQ(current->get_header_value("Location"), "/scope/" + id);
  auto list = Page("/scope");
  EXPECT_NE(list->body.find("href=\"/scope/" + id + "\""), std::string::npos);
  EXPECT_NE(list->body.find("Read the current scope"), std::string::npos);
}

TEST_F(WebPages, StaticAssetsAreServedFromTheBinary) {
  auto css = Client().Get("/static/app.css");
  ASSERT_EQ(css->status, 200);
  EXPECT_EQ(css->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_FALSE(css->get_header_value("ETag").empty());
  EXPECT_EQ(Client().Get("/static/../../etc/passwd")->status, 404);
  EXPECT_EQ(Client().Get("/static/missing.css")->status, 404);
}

}  // namespace
}  // namespace rampart::testing

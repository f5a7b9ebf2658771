// The risk routes over HTTP: heat map (kind and the list's filters), acceptance with If-Match,
// treatment plan and its CSV.
#include <gmock/gmock.h>

#include <map>
#include <tuple>
#include <utility>

#include "api_fixture.h"
#include "base/text.h"
#include "domain/risk.h"

namespace rampart::testing {
namespace {

using RiskApi = ApiTest;
using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(RiskApi, HeatMapCountsTheFilteredRisksOfEachCell) {
  for (const char* treatment : {"modify", "retain"}) {
    auto r = Post("/api/v1/risks", Json{{"title", std::string("Ransomware ") + treatment},
                                        {"inherent_likelihood", 4},
                                        {"inherent_impact", 5},
                                        {"treatment", treatment}});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    EXPECT_EQ(Body(r)["inherent_level"], "Critical");
  }
  auto all = Get("/api/v1/risks/heatmap?kind=inherent");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->status, 200) << all->body;
  const Json map = Body(all);
  EXPECT_EQ(map["kind"], "inherent");
  ASSERT_EQ(map["cells"].size(), 25u);
  const Json& cell = map["cells"][3 * 5 + 4];  // likelihood 4, impact 5
  EXPECT_EQ(cell["likelihood"], 4);
  EXPECT_EQ(cell["impact"], 5);
  EXPECT_EQ(cell["count"], 2);
  EXPECT_EQ(cell["level"], "Critical");
  auto filtered = Get("/api/v1/risks/heatmap?kind=inherent&treatment=retain");
  EXPECT_EQ(Body(filtered)["cells"][3 * 5 + 4]["count"], 1);
  auto residual = Get("/api/v1/risks/heatmap?kind=residual");
  EXPECT_EQ(Body(residual)["unrated"], 2);
  auto bad = Get("/api/v1/risks/heatmap?kind=sideways");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Body(bad)["error"]["field"], "kind");
}

// The plan pages by risk like every list: limit and cursors count risks, a risk's actions stay
// on its page, total counts the plan's risks; the risk list's filters, search and sort apply.
TEST_F(RiskApi, TheTreatmentPlanPagesByRiskWithTheListsParameters) {
  for (const char* title : {"Alpha", "Bravo", "Charlie"}) {
    auto r = Post("/api/v1/risks",
                  Json{{"title", title},
                       {"inherent_likelihood", 3},
                       {"inherent_impact", 3},
                       {"treatment", "modify"},
                       {"status", "treatment_planned"},
                       {"actions",
                        {{{"action", std::string(title) + " one"}, {"status", "open"}},
                         {{"action", std::string(title) + " two"}, {"status", "open"}}}}});
    ASSERT_EQ(r->status, 201) << r->body;
  }
  ASSERT_EQ(Post("/api/v1/risks", Json{{"title", "Retained"},
                                       {"inherent_likelihood", 1},
                                       {"inherent_impact", 1},
                                       {"treatment", "retain"},
                                       {"status", "analysed"}})
                ->status,
            201);
  auto first = Get("/api/v1/risks/treatment-plan?limit=2&total=true");
  ASSERT_EQ(first->status, 200) << first->body;
  const Json one = Body(first);
  ASSERT_EQ(one["data"].size(), 4u);  // two risks, two actions each
  EXPECT_EQ(one["data"][0]["risk"]["title"], "Alpha");
  EXPECT_EQ(one["data"][0]["action"]["action"], "Alpha one");
  EXPECT_EQ(one["data"][3]["action"]["action"], "Bravo two");
  EXPECT_EQ(one["total"], 3);
  EXPECT_TRUE(one["prev_cursor"].is_null());
  ASSERT_TRUE(one["next_cursor"].is_string());
  auto second = Get("/api/v1/risks/treatment-plan?limit=2&cursor=" +
                    UrlEncode(one["next_cursor"].get<std::string>()));
  ASSERT_EQ(second->status, 200) << second->body;
  const Json two = Body(second);
  ASSERT_EQ(two["data"].size(), 2u);
  EXPECT_EQ(two["data"][0]["risk"]["title"], "Charlie");
  EXPECT_TRUE(two["next_cursor"].is_null());
  EXPECT_TRUE(two["prev_cursor"].is_string());
  EXPECT_FALSE(two.contains("total"));

  auto backwards = Body(Get("/api/v1/risks/treatment-plan?sort=-title&limit=1"));
  ASSERT_EQ(backwards["data"].size(), 2u);
  EXPECT_EQ(backwards["data"][0]["risk"]["title"], "Charlie");
  auto searched = Body(Get("/api/v1/risks/treatment-plan?q=bravo"));
  ASSERT_EQ(searched["data"].size(), 2u);
  EXPECT_EQ(searched["data"][1]["action"]["action"], "Bravo two");
  auto csv = Get("/api/v1/risks/treatment-plan/export?format=csv&q=bravo");
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_THAT(csv->body, HasSubstr("Bravo one"));
  EXPECT_THAT(csv->body, Not(HasSubstr("Alpha")));
  EXPECT_THAT(csv->body, Not(HasSubstr("Retained")));

  auto bad_sort = Get("/api/v1/risks/treatment-plan?sort=colour");
  EXPECT_EQ(bad_sort->status, 400);
  EXPECT_EQ(Body(bad_sort)["error"]["field"], "sort");
  auto bad_limit = Get("/api/v1/risks/treatment-plan?limit=501");
  EXPECT_EQ(bad_limit->status, 400);
  EXPECT_EQ(Body(bad_limit)["error"]["field"], "limit");
  auto bad_filter = Get("/api/v1/risks/treatment-plan/export?colour=red");
  EXPECT_EQ(bad_filter->status, 400);
  EXPECT_EQ(Body(bad_filter)["error"]["field"], "colour");
}

TEST_F(RiskApi, AcceptanceNeedsIfMatchAndShowsInTheTreatmentPlanUntilAccepted) {
  // The caller owns the risk: the owner may accept a low risk (an administrator as such may not:
  // the default criteria name the ISMS manager and executives).
  const Json me = Body(Get("/api/v1/auth/me"));
  auto r = Post("/api/v1/risks",
                Json{{"title", "Laptop theft"},
                     {"owner", me["user_id"]},
                     {"inherent_likelihood", 2},
                     {"inherent_impact", 2},
                     {"treatment", "modify"},
                     {"status", "analysed"},
                     {"actions",
                      {{{"action", "Encrypt disks"}, {"due", "2020-01-01"}, {"status", "open"}}}}});
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string id = std::to_string(Body(r)["id"].get<int64_t>());
  auto plan = Body(Get("/api/v1/risks/treatment-plan"));
  ASSERT_EQ(plan["data"].size(), 1u);
  EXPECT_EQ(plan["data"][0]["overdue"], true);
  auto csv = Get("/api/v1/risks/treatment-plan/export?format=csv");
  EXPECT_THAT(csv->body, HasSubstr("Encrypt disks"));
  EXPECT_THAT(csv->get_header_value("Content-Disposition"), HasSubstr("attachment"));
  EXPECT_THAT(csv->body, ::testing::StartsWith("risk_number,risk,risk_owner,"));
  EXPECT_THAT(csv->body, HasSubstr(",yes\r\n"));  // the overdue action
  auto xlsx = Get("/api/v1/risks/treatment-plan/export?format=xlsx");
  ASSERT_EQ(xlsx->status, 200);
  EXPECT_EQ(xlsx->body.substr(0, 2), "PK");  // a zip container
  EXPECT_EQ(xlsx->get_header_value("Content-Type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(Get("/api/v1/risks/treatment-plan/export?format=pdf")->status, 400);
  auto no_version = Post("/api/v1/risks/" + id + "/acceptance", Json{{"decision", "accepted"}});
  EXPECT_EQ(no_version->status, 428);
  httplib::Headers h = Bearer();
  h.emplace("If-Match", "\"1\"");
  auto bad = Post("/api/v1/risks/" + id + "/acceptance", Json{{"decision", "maybe"}}, h);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Body(bad)["error"]["field"], "decision");
  auto accepted = Post("/api/v1/risks/" + id + "/acceptance",
                       Json{{"decision", "accepted"}, {"comment", "Low after encryption"}}, h);
  ASSERT_EQ(accepted->status, 201) << accepted->body;
  EXPECT_EQ(Body(accepted)["level"], "Low");
  auto risk = Body(Get("/api/v1/risks/" + id));
  EXPECT_EQ(risk["status"], "accepted");
  EXPECT_EQ(risk["acceptance"], "accepted");
  EXPECT_EQ(Body(Get("/api/v1/risk-acceptances?risk=" + id))["data"].size(), 1u);
}

// A contributor named as a treatment action's owner sets that action's status, and only that:
// not another row, not another field; another contributor and a viewer are refused and nothing
// changes (issue 12 B5).
// A treatment action's owner is a member of the organisation, like every person a record names;
// the refusal names the row.
TEST_F(RiskApi, ATreatmentActionsOwnerIsAMemberOfTheOrganisation) {
  auto refused =
      Post("/api/v1/risks", {{"title", "Laptop theft"},
                             {"actions",
                              {{{"action", "Encrypt disks"}, {"status", "open"}},
                               {{"action", "Buy a safe"}, {"owner", 99999}, {"status", "open"}}}}});
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(Error(refused), "invalid_argument/actions[1].owner");
  EXPECT_EQ(Body(refused)["error"]["message"],
            "Owner: user 99999 is not an active member of this organisation");
  EXPECT_EQ(Body(Get("/api/v1/risks"))["data"].size(), 0u);
}

TEST_F(RiskApi, ATreatmentActionsOwnerSetsItsStatusAndNothingElse) {
  constexpr const char* kPassword = "a member's own passphrase";
  std::map<std::string, int64_t> ids;
  std::map<std::string, httplib::Headers> as;
  for (const auto& [name, role] :
       {std::pair{"cora", domain::Role::kContributor},
        std::pair{"colin", domain::Role::kContributor}, std::pair{"vera", domain::Role::kViewer}}) {
    auto added = services_->members.AddUser(
        "", app::NewMember{.username = name, .role = role, .password = kPassword});
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    ids[name] = added->user.id;
    as[name] = SessionHeaders(SignIn(name, kPassword));
  }
  const Json me = Body(Get("/api/v1/auth/me"));
  auto created = Post(
      "/api/v1/risks",
      Json{{"title", "Laptop theft"},
           {"owner", me["user_id"]},
           {"inherent_likelihood", 2},
           {"inherent_impact", 2},
           {"treatment", "modify"},
           {"status", "treatment_planned"},
           {"actions",
            Json::array({{{"action", "Encrypt disks"}, {"owner", ids["cora"]}, {"status", "open"}},
                         {{"action", "Buy a safe"}, {"status", "open"}}})}});
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string risk = "/api/v1/risks/" + std::to_string(Body(created)["id"].get<int64_t>());
  auto post = [&](const std::string& who, const std::string& row, const Json& body,
                  const std::string& if_match) {
    httplib::Headers h = as[who];
    if (!if_match.empty()) h.emplace("If-Match", if_match);
    return Client().Post(risk + "/actions/" + row + "/status", h, body.dump(), "application/json");
  };

  // Refusals first: each leaves the risk as it was.
  EXPECT_EQ(Error(post("colin", "0", {{"status", "done"}}, "\"1\"")), "permission_denied/");
  EXPECT_EQ(post("colin", "0", {{"status", "done"}}, "\"1\"")->status, 403);
  EXPECT_EQ(post("vera", "0", {{"status", "done"}}, "\"1\"")->status, 403);
  EXPECT_EQ(Error(post("vera", "0", {{"status", "done"}}, "\"1\"")), "permission_denied/");
  EXPECT_EQ(Error(post("cora", "1", {{"status", "done"}}, "\"1\"")), "permission_denied/");
  EXPECT_EQ(Error(post("cora", "2", {{"status", "done"}}, "\"1\"")), "not_found/row");
  EXPECT_EQ(Error(post("cora", "0", {{"status", "finished"}}, "\"1\"")), "invalid_argument/status");
  EXPECT_EQ(post("cora", "0", {{"status", "done"}}, "")->status, 428);
  EXPECT_EQ(post("cora", "0", {{"status", "done"}}, "\"7\"")->status, 412);
  // The rest of the risk stays the risk owner's.
  httplib::Headers cora_if_match = as["cora"];
  cora_if_match.emplace("If-Match", "\"1\"");
  auto patch =
      Client().Patch(risk, cora_if_match, Json{{"title", "Taken"}}.dump(), "application/json");
  EXPECT_EQ(Error(patch), "permission_denied/");
  Json unchanged = Body(Get(risk));
  EXPECT_EQ(unchanged["version"], 1);
  EXPECT_EQ(unchanged["actions"][0]["status"], "open");
  EXPECT_EQ(unchanged["title"], "Laptop theft");

  auto done = post("cora", "0", {{"status", "done"}}, "\"1\"");
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_EQ(done->get_header_value("ETag"), "\"2\"");
  const Json after = Body(done);
  EXPECT_EQ(after["actions"][0]["status"], "done");
  EXPECT_EQ(after["actions"][0]["action"], "Encrypt disks");
  EXPECT_EQ(after["actions"][1]["status"], "open");
  EXPECT_EQ(after["title"], "Laptop theft");
  EXPECT_EQ(after["owner"], me["user_id"]);
  // Written like any change: one event by cora with the row's diff.
  const Json events = Body(Get(risk + "/history"))["data"];
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1]["action"], "update");
  EXPECT_EQ(events[1]["actor"], "cora");
  EXPECT_EQ(events[1]["diff"].size(), 1u);
  EXPECT_TRUE(events[1]["diff"].contains("actions")) << events[1]["diff"].dump();
  // The risk owner may set any action's status.
  auto by_owner = Post(risk + "/actions/1/status", Json{{"status", "in_progress"}},
                       With(Bearer(), "If-Match", "\"2\""));
  ASSERT_EQ(by_owner->status, 200) << by_owner->body;
  EXPECT_EQ(Body(by_owner)["actions"][1]["status"], "in_progress");
}

// A rating outside the methodology's scale is refused naming the field and the real range
// (it said "1 to 6" on a 5-level scale: issue 12 B1).
TEST_F(RiskApi, ARatingOutsideTheScaleIsRefusedWithTheRealRange) {
  auto six = Post("/api/v1/risks",
                  Json{{"title", "Leak"}, {"inherent_likelihood", 6}, {"inherent_impact", 2}});
  ASSERT_TRUE(six);
  EXPECT_EQ(six->status, 400);
  EXPECT_EQ(Error(six), "invalid_argument/inherent_likelihood");
  EXPECT_EQ(Body(six)["error"]["message"],
            "likelihood is from 1 to 5 under the default methodology (none is approved yet)");
  auto nine = Post("/api/v1/risks",
                   Json{{"title", "Leak"}, {"inherent_likelihood", 2}, {"inherent_impact", 9}});
  EXPECT_EQ(Error(nine), "invalid_argument/inherent_impact");
  EXPECT_EQ(Body(nine)["error"]["message"],
            "impact is from 1 to 5 under the default methodology (none is approved yet)");
}

// -inherent_level gave Medium, Medium, High, Critical (by name); levels sort by the
// methodology's order, and the cursor pages through that order (issue 12 B2).
TEST_F(RiskApi, LevelsSortBySeverityAndPageByCursor) {
  for (const auto& [title, l, i] :
       std::vector<std::tuple<std::string, int, int>>{{"Phishing", 3, 3},
                                                      {"Ransomware", 5, 5},
                                                      {"Tailgating", 3, 2},
                                                      {"Laptop theft", 4, 3}}) {
    auto r = Post("/api/v1/risks",
                  Json{{"title", title}, {"inherent_likelihood", l}, {"inherent_impact", i}});
    ASSERT_EQ(r->status, 201) << r->body;
  }
  auto levels = [&](const std::string& query) {
    std::vector<std::string> out;
    auto r = Get("/api/v1/risks?" + query);
    EXPECT_EQ(r->status, 200) << r->body;
    const Json body = Body(r);
    for (const auto& rec : body["data"]) out.push_back(rec["inherent_level"]);
    return out;
  };
  EXPECT_EQ(levels("sort=-inherent_level"),
            (std::vector<std::string>{"Critical", "High", "Medium", "Medium"}));
  EXPECT_EQ(levels("sort=inherent_level"),
            (std::vector<std::string>{"Medium", "Medium", "High", "Critical"}));
  // Page by page, one risk a page: the same order, each risk once.
  std::vector<std::string> titles;
  std::string cursor;
  for (int n = 0; n < 10; ++n) {
    auto r = Get("/api/v1/risks?sort=-inherent_level&limit=1" +
                 (cursor.empty() ? std::string() : "&cursor=" + cursor));
    ASSERT_EQ(r->status, 200) << r->body;
    const Json page = Body(r);
    for (const auto& rec : page["data"]) titles.push_back(rec["title"]);
    EXPECT_FALSE(page["data"][0].contains("inherent_level_rank")) << "the rank stays hidden";
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"];
  }
  EXPECT_EQ(titles,
            (std::vector<std::string>{"Ransomware", "Laptop theft", "Tailgating", "Phishing"}));
}

// The form offers the methodology's levels as labelled choices and the level they give; the
// filters list them; the risk's page shows the labels (issue 12 B1).
TEST_F(RiskApi, PagesOfferAndShowRatingsAsTheMethodologysWords) {
  const Session s = SignIn("alice", kAlicePassword);
  const httplib::Headers cookie = {{"Cookie", s.cookie}};
  auto form = Client().Get("/risks/new", cookie);
  ASSERT_EQ(form->status, 200);
  EXPECT_THAT(form->body, HasSubstr("<option value=\"3\">3 — Possible</option>"));
  EXPECT_THAT(form->body, HasSubstr("<option value=\"5\">5 — Severe</option>"));
  EXPECT_THAT(form->body, HasSubstr("data-level-preview=\"inherent\""));
  EXPECT_THAT(form->body, Not(HasSubstr("type=\"number\" id=\"inherent_likelihood\"")));
  // Without script: the form posts the choices and the page shows the labels and the level.
  auto created = Client().Post(
      "/risks", cookie,
      "title=Phishing&inherent_likelihood=3&inherent_impact=4&_csrf=" + UrlEncode(s.csrf),
      "application/x-www-form-urlencoded");
  ASSERT_EQ(created->status, 303) << created->body;
  const std::string location = created->get_header_value("Location");
  const std::string risk_path = location.substr(0, location.find('?'));
  auto page = Client().Get(risk_path, cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("3 — Possible"));
  EXPECT_THAT(page->body, HasSubstr("4 — Major"));
  EXPECT_THAT(page->body, HasSubstr("High"));  // 12
  // Editing shows the level the saved ratings give.
  auto edit = Client().Get(risk_path + "/edit", cookie);
  EXPECT_THAT(edit->body, HasSubstr("<output id=\"inherent_level-preview\" "
                                    "aria-live=\"polite\">High</output>"));
  auto list = Client().Get("/risks", cookie);
  ASSERT_EQ(list->status, 200);
  EXPECT_THAT(list->body, HasSubstr("<option value=\"2\">2 — Unlikely</option>"));
  EXPECT_THAT(list->body, HasSubstr("id=\"filter-inherent_level\""));
  EXPECT_THAT(list->body, HasSubstr("<option value=\"Critical\">Critical</option>"));
  EXPECT_THAT(list->body, Not(HasSubstr("<option value=\"6\">")));
  // A refused form states the real range beside the field.
  auto refused =
      Client().Post("/risks", cookie,
                    "title=Leak&inherent_likelihood=6&inherent_impact=1&_csrf=" + UrlEncode(s.csrf),
                    "application/x-www-form-urlencoded");
  EXPECT_EQ(refused->status, 400);
  EXPECT_THAT(refused->body, HasSubstr("likelihood is from 1 to 5 under the default methodology"));
}

// Issue 12 B12: a level's roles that may accept are a list of role ids. The comma-separated
// string they were before is still accepted (and read as the list), so older clients keep
// working; an unknown role is refused naming the field and the value, and changes nothing.
TEST_F(RiskApi, TheRolesThatMayAcceptALevelAreAListAndTheOldStringStillWorks) {
  Json fields = domain::DefaultMethodologyFields();
  fields["title"] = "Risk methodology 2026";
  fields["risk_levels"][3]["accepted_by"] = "executive, admin";  // as clients sent it before
  auto created = Post("/api/v1/risk-methodology", fields);
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(Body(created)["risk_levels"][3]["accepted_by"], Json::array({"admin", "executive"}));
  const std::string item =
      "/api/v1/risk-methodology/" + std::to_string(Body(created)["id"].get<int64_t>());

  Json levels = Body(created)["risk_levels"];
  levels[3]["accepted_by"] = Json::array({"isms_manager"});
  auto listed = Patch(item, Json{{"risk_levels", levels}}, "\"1\"");
  ASSERT_EQ(listed->status, 200) << listed->body;
  EXPECT_EQ(Body(listed)["risk_levels"][3]["accepted_by"], Json::array({"isms_manager"}));

  levels[3]["accepted_by"] = "admin superuser";
  auto bad_string = Patch(item, Json{{"risk_levels", levels}}, "\"2\"");
  EXPECT_EQ(bad_string->status, 400);
  EXPECT_EQ(Error(bad_string), "invalid_argument/risk_levels[3].accepted_by[1]");
  EXPECT_EQ(Body(bad_string)["error"]["message"],
            "Roles that may accept: \"superuser\" is not one of the choices");
  levels[3]["accepted_by"] = Json::array({"chief"});
  auto bad_list = Patch(item, Json{{"risk_levels", levels}}, "\"2\"");
  EXPECT_EQ(bad_list->status, 400);
  EXPECT_EQ(Error(bad_list), "invalid_argument/risk_levels[3].accepted_by[0]");
  EXPECT_EQ(Body(bad_list)["error"]["message"],
            "Roles that may accept: \"chief\" is not one of the choices");
  const Json kept = Body(Get(item));
  EXPECT_EQ(kept["version"], 2);
  EXPECT_EQ(kept["risk_levels"][3]["accepted_by"], Json::array({"isms_manager"}));

  // The API document says a string is accepted too.
  const Json doc = Body(Get("/api/v1/openapi.json"));
  int described = 0;
  for (const auto& [name, schema] : doc["components"]["schemas"].items()) {
    if (!schema.contains("properties") || !schema["properties"].contains("risk_levels")) continue;
    const Json& accepted_by =
        schema["properties"]["risk_levels"]["items"]["properties"]["accepted_by"];
    EXPECT_EQ(accepted_by["type"], Json::array({"array", "string", "null"})) << name;
    EXPECT_THAT(accepted_by["description"].get<std::string>(),
                HasSubstr("A string of role ids separated by commas"))
        << name;
    ++described;
  }
  EXPECT_GE(described, 1);
}

}  // namespace
}  // namespace rampart::testing

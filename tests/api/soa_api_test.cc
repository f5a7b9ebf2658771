// The Statement of Applicability over HTTP: the 93 entries, decisions with If-Match, exports,
// versions and comparison, who may do what, organisation isolation, and its pages.
#include "api_fixture.h"
#include "base/text.h"
#include "base/xlsx.h"

namespace rampart::testing {
namespace {

const Json kIncluded = {{"applicable", true}, {"reasons", {"risk_treatment"}}};

class SoaApi : public ApiTest {
 protected:
  httplib::Result PutAs(const Session& s, const std::string& path, const Json& body,
                        const std::string& if_match) {
    return Client().Put(path, With(SessionHeaders(s), "If-Match", if_match), body.dump(),
                        "application/json");
  }
  // Decides every control through the API.
  void DecideAll() {
    const Json entries = Body(Get("/api/v1/soa"))["data"];
    for (const auto& e : entries) {
      auto r = Put("/api/v1/soa/" + e["control_id"].get<std::string>(), kIncluded,
                   "\"" + std::to_string(e["version"].get<int64_t>()) + "\"");
      ASSERT_EQ(r->status, 200) << r->body;
    }
  }
  httplib::Result Page(const Session& s, const std::string& path) {
    return Client().Get(path, {{"Cookie", s.cookie}});
  }
  httplib::Result Submit(const Session& s, const std::string& path, const std::string& form) {
    return Client().Post(path, {{"Cookie", s.cookie}}, form + "&_csrf=" + UrlEncode(s.csrf),
                         "application/x-www-form-urlencoded");
  }
};

TEST_F(SoaApi, ListsTheNinetyThreeEntriesAndFilters) {
  auto r = Get("/api/v1/soa");
  ASSERT_EQ(r->status, 200) << r->body;
  const Json data = Body(r)["data"];
  ASSERT_EQ(data.size(), 93u);
  EXPECT_EQ(data[0]["control_id"], "5.1");
  EXPECT_EQ(data[0]["title"], "Policies for information security");
  EXPECT_EQ(data[0]["applicable"], nullptr);
  EXPECT_EQ(data[0]["status"], "not_implemented");
  EXPECT_EQ(data[0]["version"], 0);
  EXPECT_EQ(Body(Get("/api/v1/soa?theme=People"))["data"].size(), 8u);
  const size_t preventive = Body(Get("/api/v1/soa?attribute=%23Preventive"))["data"].size();
  EXPECT_GT(preventive, 0u);
  EXPECT_LT(preventive, 93u);
  EXPECT_EQ(Body(Get("/api/v1/soa?applicable=undecided"))["data"].size(), 93u);
  EXPECT_EQ(Error(Get("/api/v1/soa?theme=Nope")), "invalid_argument/theme");
  EXPECT_EQ(Error(Get("/api/v1/soa?attribute=Nope")), "invalid_argument/attribute");
  EXPECT_EQ(Error(Get("/api/v1/soa/9.99")), "not_found/");
}

TEST_F(SoaApi, DecidesAControlWithIfMatch) {
  auto got = Get("/api/v1/soa/5.1");
  ASSERT_EQ(got->status, 200);
  EXPECT_EQ(got->get_header_value("ETag"), "\"0\"");
  EXPECT_EQ(Error(Put("/api/v1/soa/5.1", kIncluded, "")), "precondition_required/");
  auto first = Put("/api/v1/soa/5.1", kIncluded, "\"0\"");
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(first->get_header_value("ETag"), "\"1\"");
  EXPECT_EQ(Body(first)["applicable"], true);
  EXPECT_EQ(Body(first)["reasons"], Json({"risk_treatment"}));
  // The GET body can be sent back as it is; a stale version is refused.
  Json back = Body(first);
  back["justification"] = "Needed for every other control.";
  EXPECT_EQ(Error(Put("/api/v1/soa/5.1", back, "\"0\"")), "conflict/");
  auto second = Put("/api/v1/soa/5.1", back, "\"1\"");
  ASSERT_EQ(second->status, 200) << second->body;
  EXPECT_EQ(Body(second)["version"], 2);
  EXPECT_EQ(Body(Get("/api/v1/soa/5.1"))["justification"], "Needed for every other control.");
}

TEST_F(SoaApi, RefusesAnExclusionWithoutJustification) {
  auto r = Put("/api/v1/soa/7.4", {{"applicable", false}}, "\"0\"");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Error(r), "invalid_argument/justification");
  EXPECT_EQ(Error(Put("/api/v1/soa/7.4", {{"applicable", true}}, "\"0\"")),
            "invalid_argument/reasons");
  EXPECT_EQ(
      Error(Put(
          "/api/v1/soa/7.4",
          {{"applicable", true}, {"reasons", {"contractual"}}, {"status_override", "implemented"}},
          "\"0\"")),
      "invalid_argument/override_reason");
  EXPECT_EQ(Body(Get("/api/v1/soa/7.4"))["version"], 0);
}

TEST_F(SoaApi, ShowsTheStatusDerivedFromLinkedAppliedControls) {
  auto control =
      Post("/api/v1/controls",
           {{"name", "Backups"}, {"status", "in_progress"}, {"annex_controls", {"8.13"}}});
  ASSERT_EQ(control->status, 201) << control->body;
  const int64_t id = Body(control)["id"];
  auto risk = Post("/api/v1/risks", {{"title", "Ransomware"}, {"controls", {id}}});
  ASSERT_EQ(risk->status, 201) << risk->body;
  const Json line = Body(Get("/api/v1/soa/8.13"));
  EXPECT_EQ(line["derived_status"], "in_progress");
  EXPECT_EQ(line["applied_controls"][0]["id"], id);
  EXPECT_EQ(line["risks"], Json({Body(risk)["id"]}));
  EXPECT_EQ(line["risk_count"], 1);
}

TEST_F(SoaApi, ListingRunsTheSameStatementsForAnyNumberOfLinks) {
  auto statements = [&] {
    const uint64_t before = store_->StatementCount();
    EXPECT_EQ(Get("/api/v1/soa")->status, 200);
    return store_->StatementCount() - before;
  };
  statements();  // the token's first use is recorded once
  const uint64_t empty = statements();
  for (int i = 0; i < 10; ++i) {
    auto c = Post("/api/v1/controls", {{"name", "C" + std::to_string(i)},
                                       {"annex_controls", {"5." + std::to_string(i + 1)}}});
    ASSERT_EQ(c->status, 201);
    ASSERT_EQ(
        Post("/api/v1/risks", {{"title", "R" + std::to_string(i)}, {"controls", {Body(c)["id"]}}})
            ->status,
        201);
    ASSERT_EQ(Put("/api/v1/soa/5." + std::to_string(i + 1), kIncluded, "\"0\"")->status, 200);
  }
  // Applied controls naming Annex A controls were added: the events since are read, then
  // everything is derived again (applied controls, risk links, a check that nothing changed
  // meanwhile) and kept.
  EXPECT_EQ(statements(), empty + 4);
  EXPECT_EQ(statements(), empty);
  EXPECT_EQ(empty, 3u);  // authentication, last change of the links, entries
}

TEST_F(SoaApi, ExportsCsvAndXlsxWithEveryColumn) {
  ASSERT_EQ(Put("/api/v1/soa/5.1", kIncluded, "\"0\"")->status, 200);
  auto csv = Get("/api/v1/soa/export?format=csv");
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  const auto rows = ParseCsv(csv->body);
  ASSERT_EQ(rows.size(), 94u);
  ASSERT_EQ(rows[0].size(), 17u);
  EXPECT_EQ(rows[0][0], "Control");
  EXPECT_EQ(rows[0][16], "Risks");
  EXPECT_EQ(rows[1][0], "5.1");
  EXPECT_EQ(rows[1][8], "Yes");
  EXPECT_EQ(rows[1][9], "Risk treatment");
  for (const auto& row : rows) EXPECT_EQ(row.size(), 17u);

  auto xlsx = Get("/api/v1/soa/export?format=xlsx");
  ASSERT_EQ(xlsx->status, 200);
  EXPECT_EQ(xlsx->get_header_value("Content-Type"), kXlsxContentType);
  EXPECT_EQ(xlsx->body.substr(0, 2), "PK");
  EXPECT_NE(xlsx->get_header_value("Content-Disposition").find(".xlsx"), std::string::npos);
  EXPECT_EQ(Error(Get("/api/v1/soa/export?format=pdf")), "invalid_argument/format");
}

TEST_F(SoaApi, ApprovesVersionsAndComparesThem) {
  auto early = Post("/api/v1/soa/versions", {{"note", "too early"}});
  EXPECT_EQ(Error(early), "failed_precondition/");
  DecideAll();
  auto v1 = Post("/api/v1/soa/versions", {{"note", "Board, May"}});
  ASSERT_EQ(v1->status, 201) << v1->body;
  EXPECT_EQ(Body(v1)["number"], 1);
  EXPECT_EQ(v1->get_header_value("Location"), "/api/v1/soa/versions/1");
  ASSERT_EQ(Put("/api/v1/soa/8.7",
                {{"applicable", false}, {"justification", "Managed by the platform"}}, "\"1\"")
                ->status,
            200);
  ASSERT_EQ(Post("/api/v1/soa/versions", Json::object())->status, 201);
  const Json versions = Body(Get("/api/v1/soa/versions"))["data"];
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0]["number"], 2);
  EXPECT_FALSE(versions[0].contains("entries"));
  const Json one = Body(Get("/api/v1/soa/versions/1"));
  EXPECT_EQ(one["note"], "Board, May");
  EXPECT_EQ(one["entries"].size(), 93u);
  EXPECT_EQ(Error(Get("/api/v1/soa/versions/7")), "not_found/");

  auto diff = Get("/api/v1/soa/compare?from=1&to=2");
  ASSERT_EQ(diff->status, 200) << diff->body;
  const Json controls = Body(diff)["controls"];
  ASSERT_EQ(controls.size(), 1u);
  EXPECT_EQ(controls[0]["control_id"], "8.7");
  EXPECT_EQ(controls[0]["changes"][0],
            (Json{{"field", "applicable"}, {"from", true}, {"to", false}}));
  EXPECT_TRUE(Body(Get("/api/v1/soa/compare?from=2&to=current"))["controls"].empty());
  EXPECT_EQ(Error(Get("/api/v1/soa/compare?from=x")), "invalid_argument/from");
}

TEST_F(SoaApi, ManagersDecideExecutivesApproveOthersRead) {
  const Session viewer = Member("vera", domain::Role::kViewer);
  const Session contributor = Member("carl", domain::Role::kContributor);
  const Session manager = Member("mia", domain::Role::kIsmsManager);
  const Session executive = Member("ed", domain::Role::kExecutive);
  for (const Session* s : {&viewer, &contributor, &executive}) {
    EXPECT_EQ(PutAs(*s, "/api/v1/soa/5.1", kIncluded, "\"0\"")->status, 403);
    EXPECT_EQ(Get("/api/v1/soa", SessionHeaders(*s))->status, 200);
  }
  EXPECT_EQ(PutAs(manager, "/api/v1/soa/5.1", kIncluded, "\"0\"")->status, 200);
  auto approve = [&](const Session& s) {
    return Client().Post("/api/v1/soa/versions", SessionHeaders(s), "{}", "application/json");
  };
  EXPECT_EQ(approve(manager)->status, 403);
  EXPECT_EQ(approve(viewer)->status, 403);
  DecideAll();
  EXPECT_EQ(approve(executive)->status, 201);
}

TEST_F(SoaApi, AnotherOrganisationSeesNothingOfThisStatement) {
  DecideAll();
  ASSERT_EQ(Post("/api/v1/soa/versions", {{"note", "ACME-SECRET"}})->status, 201);
  ASSERT_EQ(
      Put("/api/v1/soa/5.1",
          {{"applicable", true}, {"reasons", {"contractual"}}, {"justification", "ACME-SECRET"}},
          "\"1\"")
          ->status,
      200);
  ASSERT_TRUE(services_->members.AddOrganisation("Globex").ok());
  ASSERT_TRUE(services_->members
                  .AddUser("Globex", app::NewMember{.username = "gary",
                                                    .role = domain::Role::kAdmin,
                                                    .password = kMemberPassword})
                  .ok());
  auto token = services_->members.CreateToken("gary", "Globex", "t", false, "");
  ASSERT_TRUE(token.ok());
  const auto gary = Bearer(*token);
  for (const std::string path :
       {"/api/v1/soa", "/api/v1/soa/5.1", "/api/v1/soa/versions", "/api/v1/soa/export?format=csv",
        "/api/v1/soa/compare?from=current&to=current"}) {
    auto r = Get(path, gary);
    ASSERT_EQ(r->status, 200) << path;
    EXPECT_EQ(r->body.find("ACME-SECRET"), std::string::npos) << path;
  }
  EXPECT_EQ(Body(Get("/api/v1/soa/5.1", gary))["applicable"], nullptr);
  EXPECT_EQ(Error(Get("/api/v1/soa/versions/1", gary)), "not_found/");
  EXPECT_EQ(Error(Get("/api/v1/soa/compare?from=1", gary)), "not_found/");
  EXPECT_EQ(Client().Get("/soa/versions/1", gary)->status, 404);
}

TEST_F(SoaApi, PagesListEditApproveCompareAndPrint) {
  const Session alice = SignIn("alice", kAlicePassword);
  auto list = Page(alice, "/soa");
  ASSERT_EQ(list->status, 200) << list->body;
  EXPECT_NE(list->body.find("Statement of Applicability"), std::string::npos);
  EXPECT_NE(list->body.find("/soa/5.1/edit"), std::string::npos);
  EXPECT_NE(list->body.find("0 of 93 controls decided"), std::string::npos);
  EXPECT_EQ(Page(alice, "/soa?theme=Physical")->status, 200);
  EXPECT_EQ(Page(alice, "/soa/5.1/edit")->status, 200);
  // An exclusion without justification is shown at its field, nothing saved.
  auto bad = Submit(alice, "/soa/5.1", "version=0&applicable=false&justification=");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("justify why the control is excluded"), std::string::npos);
  auto saved = Submit(alice, "/soa/5.1",
                      "version=0&applicable=true&reasons=risk_treatment&reasons=contractual&"
                      "justification=%3Cscript%3Ex%3C%2Fscript%3E");
  ASSERT_EQ(saved->status, 303) << saved->body;
  const Json line = Body(Get("/api/v1/soa/5.1"));
  EXPECT_EQ(line["reasons"], Json({"risk_treatment", "contractual"}));
  auto after = Page(alice, "/soa");
  EXPECT_EQ(after->body.find("<script>x"), std::string::npos);
  EXPECT_NE(after->body.find("&lt;script&gt;x"), std::string::npos);

  DecideAll();
  auto approved = Submit(alice, "/soa/versions", "note=First");
  ASSERT_EQ(approved->status, 303) << approved->body;
  EXPECT_EQ(approved->get_header_value("Location"), "/soa/versions/1?notice=approved");
  EXPECT_EQ(Page(alice, "/soa/versions")->status, 200);
  EXPECT_EQ(Page(alice, "/soa/versions/1")->status, 200);
  auto compare = Page(alice, "/soa/compare?from=1&to=current");
  EXPECT_EQ(compare->status, 200);
  EXPECT_NE(compare->body.find("Nothing changed"), std::string::npos);
  auto print = Page(alice, "/soa/print?version=1");
  ASSERT_EQ(print->status, 200);
  EXPECT_NE(print->body.find("print-doc"), std::string::npos);
  EXPECT_NE(print->body.find("Version 1, approved by"), std::string::npos);
  EXPECT_EQ(print->body.find("<nav"), std::string::npos);  // no navigation chrome
  EXPECT_EQ(Page(alice, "/soa/print")->status, 200);
  // A viewer reads but is offered no editing and is refused it.
  const Session viewer = Member("vic", domain::Role::kViewer);
  auto seen = Page(viewer, "/soa");
  EXPECT_EQ(seen->status, 200);
  EXPECT_EQ(seen->body.find("/soa/5.1/edit"), std::string::npos);
  EXPECT_EQ(Submit(viewer, "/soa/5.1", "version=1&applicable=true&reasons=contractual")->status,
            403);
}

TEST_F(SoaApi, DecidesSeveralControlsAtOnceOrNone) {
  auto decide = [&](const Json& body) { return Post("/api/v1/soa/decisions", body); };
  auto controls = [](std::initializer_list<std::pair<const char*, int>> cs) {
    Json out = Json::array();
    for (const auto& [id, version] : cs) out.push_back({{"control_id", id}, {"version", version}});
    return out;
  };
  // 5.1 overrides its status: it cannot be excluded with the others, and nothing is written.
  ASSERT_EQ(Put("/api/v1/soa/5.1",
                {{"applicable", true},
                 {"reasons", {"contractual"}},
                 {"status_override", "implemented"},
                 {"override_reason", "Checked by hand"}},
                "\"0\"")
                ->status,
            200);
  const Json exclude = {{"applicable", false}, {"justification", "Outsourced to the landlord"}};
  Json body = exclude;
  body["controls"] = controls({{"5.2", 0}, {"5.1", 1}, {"5.3", 0}});
  auto overridden = decide(body);
  EXPECT_EQ(overridden->status, 400);
  EXPECT_EQ(Error(overridden), "invalid_argument/controls");
  EXPECT_NE(Body(overridden)["error"]["message"].get<std::string>().find("control 5.1 overrides"),
            std::string::npos)
      << overridden->body;
  EXPECT_EQ(Body(Get("/api/v1/soa/5.2"))["version"], 0);

  body["controls"] = controls({{"5.3", 0}, {"5.2", 0}});
  auto decided = decide(body);
  ASSERT_EQ(decided->status, 200) << decided->body;
  const Json data = Body(decided)["data"];
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0]["control_id"], "5.2");  // catalogue order
  EXPECT_EQ(data[1]["control_id"], "5.3");
  for (const auto& line : data) {
    EXPECT_EQ(line["applicable"], false);
    EXPECT_EQ(line["justification"], "Outsourced to the landlord");
    EXPECT_EQ(line["version"], 1);
  }
  // One audit event per control.
  EXPECT_EQ(Body(Get("/api/v1/audit/events?record_type=soa_entry"))["data"].size(), 3u);
  // Decided so already: no new version; decided on a stale version: refused, nothing written.
  body["controls"] = controls({{"5.2", 1}});
  ASSERT_EQ(decide(body)->status, 200);
  EXPECT_EQ(Body(Get("/api/v1/soa/5.2"))["version"], 1);
  body["controls"] = controls({{"5.4", 0}, {"5.3", 0}});
  EXPECT_EQ(Error(decide(body)), "conflict/");
  EXPECT_EQ(Body(Get("/api/v1/soa/5.4"))["version"], 0);

  // Bad input names what is wrong.
  body["controls"] = controls({{"9.99", 0}});
  EXPECT_EQ(Error(decide(body)), "invalid_argument/controls");
  body["controls"] = controls({{"5.4", 0}, {"5.4", 0}});
  EXPECT_EQ(Error(decide(body)), "invalid_argument/controls");
  body["controls"] = Json::array();
  EXPECT_EQ(Error(decide(body)), "invalid_argument/controls");
  body["controls"] = Json::array({"5.4"});
  EXPECT_EQ(Error(decide(body)), "invalid_argument/controls");
  EXPECT_EQ(Error(decide(exclude)), "invalid_argument/controls");
  body = {{"controls", controls({{"5.4", 0}})}, {"applicable", false}};
  EXPECT_EQ(Error(decide(body)), "invalid_argument/justification");
  body = {{"controls", controls({{"5.4", 0}})},
          {"applicable", true},
          {"reasons", {"contractual"}},
          {"status_override", "implemented"}};
  EXPECT_EQ(Error(decide(body)), "invalid_argument/status_override");
  EXPECT_EQ(Body(Get("/api/v1/soa/5.4"))["version"], 0);
  // Only those who may decide.
  const Session viewer = Member("vera", domain::Role::kViewer);
  body = {{"controls", controls({{"5.4", 0}})}, {"applicable", true}, {"reasons", {"contractual"}}};
  EXPECT_EQ(
      Client()
          .Post("/api/v1/soa/decisions", SessionHeaders(viewer), body.dump(), "application/json")
          ->status,
      403);
  EXPECT_EQ(Body(Get("/api/v1/soa/5.4"))["version"], 0);
}

TEST_F(SoaApi, PagesDecideSeveralAndGoOnToTheNextControl) {
  const Session alice = SignIn("alice", kAlicePassword);
  auto list = Page(alice, "/soa?theme=People");
  ASSERT_EQ(list->status, 200);
  EXPECT_NE(list->body.find("Decide several controls at once"), std::string::npos);
  EXPECT_NE(list->body.find("form=\"soa-decide\" name=\"controls\" value=\"6.1:0\""),
            std::string::npos)
      << list->body;
  EXPECT_NE(list->body.find("All 8 controls shown"), std::string::npos);
  EXPECT_NE(list->body.find("/soa/6.1/edit?theme=People"), std::string::npos);

  // The ticked controls, with one justification.
  auto decided = Submit(alice, "/soa/decisions",
                        "filter_theme=People&scope=selected&controls=6.1%3A0&controls=6.2%3A0&"
                        "applicable=false&justification=No+staff+of+our+own");
  ASSERT_EQ(decided->status, 303) << decided->body;
  EXPECT_EQ(decided->get_header_value("Location"), "/soa?theme=People&notice=decided&count=2");
  EXPECT_EQ(Body(Get("/api/v1/soa/6.2"))["justification"], "No staff of our own");
  EXPECT_NE(Page(alice, "/soa?theme=People&notice=decided&count=2")
                ->body.find("2 controls were decided."),
            std::string::npos);
  // Refused: the error at its field, the input kept, nothing written.
  auto none =
      Submit(alice, "/soa/decisions", "scope=selected&applicable=false&justification=Kept+text");
  EXPECT_EQ(none->status, 400);
  EXPECT_NE(none->body.find("tick at least one control"), std::string::npos);
  EXPECT_NE(none->body.find(">Kept text</textarea>"), std::string::npos);
  auto no_reason =
      Submit(alice, "/soa/decisions",
             "filter_theme=People&scope=shown&shown=6.3%3A0&shown=6.4%3A0&applicable=true");
  EXPECT_EQ(no_reason->status, 400);
  EXPECT_NE(no_reason->body.find("id=\"reasons-error\""), std::string::npos);
  EXPECT_NE(no_reason->body.find("value=\"shown\" checked"), std::string::npos);
  EXPECT_EQ(Body(Get("/api/v1/soa/6.3"))["version"], 0);

  // One control: its attributes beside the form, and onward through the lines shown.
  auto edit = Page(alice, "/soa/6.3/edit?theme=People");
  ASSERT_EQ(edit->status, 200);
  EXPECT_NE(edit->body.find("Control 3 of 8 shown"), std::string::npos);
  EXPECT_NE(edit->body.find("ISO/IEC 27002 attributes"), std::string::npos);
  EXPECT_NE(edit->body.find("href=\"/soa?attribute=Preventive\""), std::string::npos);
  EXPECT_NE(edit->body.find("href=\"/soa/6.4/edit?theme=People\""), std::string::npos);
  EXPECT_NE(edit->body.find("Save and next"), std::string::npos);
  EXPECT_NE(edit->body.find("name=\"filter_theme\" value=\"People\""), std::string::npos);
  auto next = Submit(alice, "/soa/6.3",
                     "version=0&applicable=true&reasons=contractual&filter_theme=People&then=next");
  ASSERT_EQ(next->status, 303) << next->body;
  EXPECT_EQ(next->get_header_value("Location"),
            "/soa/6.4/edit?theme=People&notice=saved&saved=6.3");
  EXPECT_NE(
      Page(alice, next->get_header_value("Location"))
          ->body.find("6.3 Information security awareness, education and training was saved."),
      std::string::npos);
  // The last control shown has nothing after it.
  EXPECT_EQ(Page(alice, "/soa/6.8/edit?theme=People")->body.find("Save and next"),
            std::string::npos);
  auto last = Submit(alice, "/soa/6.8",
                     "version=0&applicable=true&reasons=contractual&filter_theme=People&then=next");
  EXPECT_EQ(last->get_header_value("Location"), "/soa?theme=People&notice=saved-last#c-6.8");

  // Those who may not decide are offered nothing and refused.
  const Session viewer = Member("vic", domain::Role::kViewer);
  EXPECT_EQ(Page(viewer, "/soa")->body.find("soa-decide"), std::string::npos);
  EXPECT_EQ(Submit(viewer, "/soa/decisions",
                   "scope=selected&controls=6.5%3A0&applicable=true&"
                   "reasons=contractual")
                ->status,
            403);
  EXPECT_EQ(Body(Get("/api/v1/soa/6.5"))["version"], 0);
}

}  // namespace
}  // namespace rampart::testing

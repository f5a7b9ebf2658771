// Readiness (issue 15) through the API, the page and `rampart check`: the checks with their
// offenders and fixes, a day before today from the audit trail, a bad day refused, who may read
// it, and the command's exit status and JUnit report (read by Python's XML parser) for a new
// organisation with blockers and for one without.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "api/cli_run.h"
#include "api_fixture.h"
#include "domain/annex_a.h"
#include "domain/context.h"
#include "domain/documents.h"
#include "domain/internal_audit.h"
#include "domain/leadership.h"
#include "domain/management_review.h"
#include "domain/mandatory_documents.h"
#include "domain/planning.h"
#include "domain/risk.h"
#include "http/web/web.h"
#include "support/raw_records.h"

namespace rampart::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ReadinessApi : public SignedInTest {
 protected:
  CliOutcome Check(std::vector<std::string> args) {
    args.insert(args.begin(), "check");
    args.push_back("--db");
    args.push_back(db_path_);
    return RunCli(std::move(args));
  }

  store::Actor Actor() const {
    return {.org_id = org_, .user_id = me_, .username = "alice", .now = FormatUtc(clock_.Now())};
  }

  static Json CheckOf(const Json& body, const std::string& id) {
    for (const auto& c : body["checks"]) {
      if (c["id"] == id) return c;
    }
    ADD_FAILURE() << "no check " << id;
    return Json::object();
  }

  // The records that clear every blocker: an approved scope, a published policy serving every
  // mandatory requirement, a held role, an approved methodology, a risk, objectives, the SoA
  // decided and approved, an active programme with an audit reported this month, a management
  // review held today.
  void ClearBlockers() {
    const std::string today = FormatDate(clock_.Now());
    test::InsertRaw(*store_, Actor(), domain::ScopeStatements(), {{"status", "approved"}});
    Json clauses = Json::array(), controls = Json::array();
    for (const auto& q : domain::MandatoryDocumentation()) {
      (q.annex_a ? controls : clauses).push_back(q.clause);
    }
    test::InsertRaw(*store_, Actor(), domain::Documents(),
                    {{"type", "isms_policy"},
                     {"status", "published"},
                     {"clauses", clauses},
                     {"annex_controls", controls}});
    test::InsertRaw(*store_, Actor(), domain::IsmsRoles(),
                    {{"status", "active"},
                     {"top_management", true},
                     {"holders", Json::array({{{"person", me_}, {"since", today}}})}});
    test::InsertRaw(*store_, Actor(), domain::RiskMethodologies(), {{"status", "approved"}});
    test::InsertRaw(*store_, Actor(), domain::Risks(), {{"owner", me_}});
    test::InsertRaw(*store_, Actor(), domain::Objectives(), {{"status", "planned"}});
    const int64_t programme =
        test::InsertRaw(*store_, Actor(), domain::AuditProgrammes(), {{"status", "active"}});
    test::InsertRaw(*store_, Actor(), domain::InternalAudits(),
                    {{"programme", programme}, {"status", "reported"}, {"actual_end", today}});
    test::InsertRaw(*store_, Actor(), domain::ManagementReviews(),
                    {{"status", "held"}, {"review_date", today}});
    Json all = Json::array();
    for (const auto& c : domain::AnnexAControls())
      all.push_back({{"control_id", c.id}, {"version", 0}});
    auto decided = Post("/api/v1/soa/decisions",
                        {{"controls", all}, {"applicable", false}, {"justification", "A test."}});
    ASSERT_EQ(decided->status, 200) << decided->body;
    auto approved = Post("/api/v1/soa/versions", {{"note", "Readiness test"}});
    ASSERT_EQ(approved->status, 201) << approved->body;
  }

  void SetUp() override {
    SignedInTest::SetUp();
    if (HasFatalFailure()) return;
    const Json me = Body(Get("/api/v1/auth/me"));
    me_ = me["user_id"].get<int64_t>();
    org_ = me["organisation"]["id"].get<int64_t>();
  }

  int64_t me_ = 0;
  int64_t org_ = 0;
};

TEST_F(ReadinessApi, ListsEveryCheckWithItsOffendersAndFix) {
  auto risk = Post("/api/v1/risks", {{"title", "Unowned laptop theft"}});
  ASSERT_EQ(risk->status, 201) << risk->body;
  const int64_t id = Body(risk)["id"].get<int64_t>();
  auto r = Get("/api/v1/readiness");
  ASSERT_EQ(r->status, 200) << r->body;
  const Json body = Body(r);
  EXPECT_EQ(body["as_of"], FormatDate(clock_.Now()));
  EXPECT_EQ(body["historical"], false);
  EXPECT_GE(body["checks_total"].get<int>(), 60);
  EXPECT_GT(body["outstanding"]["blockers"].get<int>(), 0);
  ASSERT_EQ(body["groups"].size(), 8u);
  EXPECT_EQ(body["groups"][0]["id"], "4");
  EXPECT_EQ(body["groups"][7]["id"], "A");

  const Json owner = CheckOf(body, "6.1.2-risk-owner");
  EXPECT_EQ(owner["severity"], "major");
  EXPECT_EQ(owner["passed"], false);
  EXPECT_EQ(owner["count"], 1);
  EXPECT_EQ(owner["register"], "risk");
  ASSERT_EQ(owner["offenders"].size(), 1u);
  EXPECT_EQ(owner["offenders"][0]["id"], id);
  EXPECT_EQ(owner["offenders"][0]["title"], "Unowned laptop theft");
  EXPECT_EQ(owner["offenders"][0]["href"], "/risks/" + std::to_string(id));
  EXPECT_EQ(owner["fix"], "Name the owner of each risk.");
  const Json soa = CheckOf(body, "6.1.3-soa-decided");
  EXPECT_EQ(soa["severity"], "blocker");
  EXPECT_EQ(soa["count"], 93);
  EXPECT_EQ(soa["offenders"][0]["href"], "/soa/5.1");
  EXPECT_TRUE(soa["register"].is_null());
}

TEST_F(ReadinessApi, AnEarlierDayFromTheAuditTrailAndABadDayRefused) {
  auto risk = Post("/api/v1/risks", {{"title", "Made today"}});
  ASSERT_EQ(risk->status, 201);
  const std::string yesterday = domain::AddDays(FormatDate(clock_.Now()), -1);
  auto then = Get("/api/v1/readiness?as_of=" + yesterday);
  ASSERT_EQ(then->status, 200) << then->body;
  EXPECT_EQ(Body(then)["as_of"], yesterday);
  EXPECT_EQ(Body(then)["historical"], true);
  EXPECT_EQ(CheckOf(Body(then), "6.1.2-risks")["passed"], false);
  EXPECT_EQ(CheckOf(Body(Get("/api/v1/readiness")), "6.1.2-risks")["passed"], true);

  auto bad = Get("/api/v1/readiness?as_of=yesterday");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Body(bad)["error"]["field"], "as_of");
  EXPECT_EQ(Body(bad)["error"]["code"], "invalid_argument");
  auto future = Get("/api/v1/readiness?as_of=2999-01-01");
  EXPECT_EQ(future->status, 400);
  EXPECT_THAT(Body(future)["error"]["message"].get<std::string>(), HasSubstr("after today"));
}

TEST_F(ReadinessApi, TheHistoryKeepsToday) {
  ASSERT_EQ(Get("/api/v1/readiness")->status, 200);
  auto h = Get("/api/v1/readiness/history?days=30");
  ASSERT_EQ(h->status, 200) << h->body;
  const Json data = Body(h)["data"];
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data[0]["day"], FormatDate(clock_.Now()));
  EXPECT_TRUE(data[0]["percent"].is_number());
  EXPECT_TRUE(data[0]["groups"].contains("6"));
  EXPECT_EQ(Get("/api/v1/readiness/history?days=0")->status, 400);
}

TEST_F(ReadinessApi, StaffMayNotReadIt) {
  std::map<domain::Role, int64_t> ids;
  std::map<domain::Role, Session> sessions;
  AddMemberOfEachRole("readiness members' password", ids, sessions);
  EXPECT_EQ(Get("/api/v1/readiness", SessionHeaders(sessions[domain::Role::kStaff]))->status, 403);
  EXPECT_EQ(Get("/api/v1/readiness", SessionHeaders(sessions[domain::Role::kAuditor]))->status,
            200);
  EXPECT_EQ(
      Get("/api/v1/readiness", SessionHeaders(sessions[domain::Role::kExternalAuditor]))->status,
      200);
}

TEST_F(ReadinessApi, ThePageShowsClausesFailedChecksAndTheDayPicker) {
  Post("/api/v1/risks", {{"title", "Unowned <b>risk</b>"}});
  auto page = Page("/readiness");
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("Readiness for certification"));
  EXPECT_THAT(page->body, HasSubstr("id=\"clause-6\""));
  EXPECT_THAT(page->body, HasSubstr("id=\"check-6.1.2-risk-owner\""));
  EXPECT_THAT(page->body, HasSubstr("Unowned &lt;b&gt;risk&lt;/b&gt;"));
  EXPECT_THAT(page->body, HasSubstr("type=\"date\""));
  EXPECT_THAT(page->body, HasSubstr("class=\"readiness-trend\""));  // today is kept
  const std::string yesterday = domain::AddDays(FormatDate(clock_.Now()), -1);
  auto then = Page("/readiness?as_of=" + yesterday);
  ASSERT_EQ(then->status, 200);
  EXPECT_THAT(then->body, HasSubstr("reconstructed from the audit trail"));
  EXPECT_EQ(Page("/readiness?as_of=not-a-day")->status, 400);
}

TEST_F(ReadinessApi, CheckExitsOneWithBlockersAndZeroWithoutThem) {
  auto blocked = Check({"--format", "text"});
  EXPECT_EQ(blocked.code, 1);
  EXPECT_THAT(blocked.out, HasSubstr("blocker 6.1.3 Every Annex A control is decided in the SoA"));
  EXPECT_THAT(blocked.err, HasSubstr("blockers outstanding: not ready for certification"));
  EXPECT_EQ(Check({"--format", "yaml"}).code, 2);
  EXPECT_EQ(Check({"--org", "Nobody"}).code, 3);

  ClearBlockers();
  auto json = Check({"--format", "json"});
  EXPECT_EQ(json.code, 0) << json.out;
  const Json body = Json::parse(json.out);
  EXPECT_EQ(body["outstanding"]["blockers"], 0);

  auto junit = Check({"--format", "junit"});
  ASSERT_EQ(junit.code, 0) << junit.err;
  const std::string file = (dir_ / "readiness.xml").string();
  std::ofstream(file) << junit.out;
  // Read by a JUnit consumer's parser: Python's ElementTree, counting the cases and failures.
  const std::string cmd =
      "python3 -c \"import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); "
      "cases = r.findall('./testsuite/testcase'); "
      "print(r.tag, len(cases), r.get('tests'), len(r.findall('.//failure')), r.get('failures'), "
      "len([f for f in r.iter('failure') if f.get('type') == 'blocker']))\" " +
      file;
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[256] = {};
  std::string parsed = fgets(buf, sizeof buf, p) != nullptr ? buf : "";
  ASSERT_EQ(pclose(p), 0) << parsed;
  std::istringstream in(parsed);
  std::string tag;
  int cases = 0, tests = 0, failures = 0, declared = 0, blockers = 0;
  in >> tag >> cases >> tests >> failures >> declared >> blockers;
  EXPECT_EQ(tag, "testsuites");
  EXPECT_EQ(cases, body["checks_total"].get<int>());
  EXPECT_EQ(tests, cases);
  EXPECT_EQ(failures, cases - body["checks_passed"].get<int>());
  EXPECT_EQ(declared, failures);
  EXPECT_EQ(blockers, 0);
}

TEST_F(ReadinessApi, TheOverviewLeadsEachRole) {
  std::map<domain::Role, int64_t> ids;
  std::map<domain::Role, Session> sessions;
  AddMemberOfEachRole("overview members' password", ids, sessions);
  auto page = [&](domain::Role role) {
    return Client().Get("/", {{"Cookie", sessions[role].cookie}});
  };
  auto manager = page(domain::Role::kIsmsManager);
  ASSERT_EQ(manager->status, 200);
  for (const char* card :
       {"ov-readiness", "ov-next", "ov-overdue", "ov-risks", "ov-soa", "ov-evidence"}) {
    EXPECT_THAT(manager->body, HasSubstr(std::string("id=\"") + card + "\"")) << card;
  }
  EXPECT_THAT(manager->body, Not(HasSubstr("id=\"ov-approvals\"")));
  auto exec = page(domain::Role::kExecutive);
  ASSERT_EQ(exec->status, 200);
  for (const char* card : {"ov-approvals", "ov-top-risks", "ov-objectives", "ov-review"}) {
    EXPECT_THAT(exec->body, HasSubstr(std::string("id=\"") + card + "\"")) << card;
  }
  auto auditor = page(domain::Role::kExternalAuditor);
  ASSERT_EQ(auditor->status, 200);
  for (const char* card : {"ov-coverage", "ov-findings", "ov-chain"}) {
    EXPECT_THAT(auditor->body, HasSubstr(std::string("id=\"") + card + "\"")) << card;
  }
  EXPECT_THAT(auditor->body, HasSubstr("Verified just now"));
  auto staff = page(domain::Role::kStaff);
  EXPECT_EQ(staff->status, 303);
  EXPECT_EQ(staff->get_header_value("Location"), "/my");
}

TEST_F(ReadinessApi, TheOverviewGroupsChangesAndChartsRisksByLevel) {
  for (int i = 0; i < 4; ++i) CreateIssue("Issue " + std::to_string(i));
  auto page = Page("/");
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("4 context issues</a>"));
  EXPECT_THAT(page->body, HasSubstr("<title id=\"ov-risks-t\">Risks by inherent level</title>"));
  // Security events read as sentences: what was done, to whom, or by the person alone.
  EXPECT_EQ(http::DescribeEvent("end_sessions").verb, "ended the sessions of");
  EXPECT_TRUE(http::DescribeEvent("end_sessions").names_record);
  EXPECT_EQ(http::DescribeEvent("enable_second_factor").verb, "turned on two-step sign-in");
  EXPECT_FALSE(http::DescribeEvent("enable_second_factor").names_record);
  EXPECT_EQ(http::DescribeEvent("sign_in").verb, "signed in");
  EXPECT_EQ(http::DescribeEvent("some_new_action").verb, "some new action");
}

TEST_F(ReadinessApi, TheGuidedPathStartsWithTheSetup) {
  auto page = Page("/getting-started");
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("Set up the organisation"));
  EXPECT_THAT(page->body, HasSubstr("id=\"stage-context\""));
  EXPECT_THAT(page->body, HasSubstr("aria-current=\"step\""));
  // A bad answer: the form again with the field named, nothing set up.
  auto bad = Submit("/getting-started/setup",
                    "name=Acme&size=huge&sector=software&isms_manager=" + std::to_string(me_) +
                        "&top_management=" + std::to_string(me_));
  EXPECT_EQ(bad->status, 400);
  EXPECT_THAT(bad->body, HasSubstr("id=\"setup-size-error\""));
  auto done = Submit("/getting-started/setup",
                     "name=Acme+Ltd&size=11-50&sector=finance&methodology=1&catalogues=1"
                     "&isms_manager=" +
                         std::to_string(me_) + "&top_management=" + std::to_string(me_));
  ASSERT_EQ(done->status, 303) << done->body;
  auto after = Page("/getting-started?notice=setup");
  ASSERT_EQ(after->status, 200);
  EXPECT_THAT(after->body, HasSubstr("The organisation is set up."));
  EXPECT_THAT(after->body, HasSubstr("11 to 50 people, Finance and insurance"));
  EXPECT_THAT(after->body, Not(HasSubstr("Set up the organisation</h2>")));
  // The risk method's stage is done by the methodology approved in the setup.
  const auto method = after->body.find("id=\"stage-method\"");
  ASSERT_NE(method, std::string::npos);
  EXPECT_NE(after->body.find("Done", method), std::string::npos);
  EXPECT_EQ(CheckOf(Body(Get("/api/v1/readiness")), "6.1.2-methodology")["passed"], true);
}

}  // namespace
}  // namespace rampart::testing

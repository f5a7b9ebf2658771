// Clause 7.2 through the API: competence requirements of ISMS roles, people's competence records
// (refusals name their field and change nothing), and the competence matrix: its exact cells,
// its reads (one statement per register, whatever the number of people) and its organisation.
#include <string>
#include <vector>

#include "api_fixture.h"
#include "base/clock.h"
#include "domain/support.h"

namespace rampart::testing {
namespace {

class CompetenceApi : public SignedInTest {
 protected:
  void SetUp() override {
    SignedInTest::SetUp();
    if (HasFatalFailure()) return;
    alice_ = Body(Get("/api/v1/auth/me"))["user_id"].get<int64_t>();
    today_ = FormatDate(clock_.Now());
  }

  int64_t AddPerson(const std::string& name) {
    auto added =
        services_->members.AddUser("", app::NewMember{.username = name,
                                                      .role = domain::Role::kContributor,
                                                      .password = "a long enough passphrase"});
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? added->user.id : 0;
  }

  int64_t Create(const std::string& path, const Json& body, const httplib::Headers& h = {}) {
    auto r = Post("/api/v1/" + path, body, h);
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 201) << path << ": " << r->body;
    return r && r->status == 201 ? Body(r)["id"].get<int64_t>() : 0;
  }

  int64_t Role(const std::string& name, const std::vector<int64_t>& holders,
               const httplib::Headers& h = {}) {
    Json rows = Json::array();
    for (int64_t p : holders) rows.push_back({{"person", p}});
    return Create(
        "isms-roles",
        {{"name", name}, {"responsibilities", "Keeps the ISMS running."}, {"holders", rows}}, h);
  }

  int64_t Requirement(int64_t role, const std::string& title, Json validity = nullptr) {
    return Create("competence-requirements", {{"role", role},
                                              {"title", title},
                                              {"level", "working"},
                                              {"demonstrated_by", "training"},
                                              {"validity_months", validity}});
  }

  std::string Day(int offset) const { return domain::AddDays(today_, offset); }

  int64_t alice_ = 0;
  std::string today_;
};

TEST_F(CompetenceApi, RefusesARequirementWithoutARoleOfTheOrganisation) {
  const Json body = {{"title", "Risk assessment method"}, {"demonstrated_by", "training"}};
  auto bare = Post("/api/v1/competence-requirements", body);
  EXPECT_EQ(bare->status, 400);
  EXPECT_EQ(Error(bare), "invalid_argument/role");
  Json unknown = body;
  unknown["role"] = 99999;
  auto refused = Post("/api/v1/competence-requirements", unknown);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(Error(refused), "invalid_argument/role");
  EXPECT_EQ(Body(Get("/api/v1/competence-requirements"))["data"].size(), 0u);

  Json held = body;
  held["role"] = Role("Risk owner", {alice_});
  auto created = Post("/api/v1/competence-requirements", held);
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(Body(created)["level"], "working");
  EXPECT_EQ(Body(created)["status"], "active");
}

TEST_F(CompetenceApi, RecordsAPersonsCompetenceOnlyWhenItsDatesHold) {
  const int64_t requirement = Requirement(Role("Internal auditor", {alice_}), "ISO 27001 auditing");
  const Json course = {{"person", alice_},
                       {"requirement", requirement},
                       {"kind", "certification"},
                       {"title", "Lead auditor course"},
                       {"provider", "Example Academy"}};
  auto undated = Post("/api/v1/competence-records", course);
  EXPECT_EQ(undated->status, 400);
  EXPECT_EQ(Error(undated), "invalid_argument/date_achieved");
  Json backwards = course;
  backwards["date_achieved"] = "2026-05-01";
  backwards["valid_until"] = "2026-04-30";
  auto refused = Post("/api/v1/competence-records", backwards);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(Error(refused), "invalid_argument/valid_until");
  Json planned = course;
  planned["status"] = "planned";
  auto undue = Post("/api/v1/competence-records", planned);
  EXPECT_EQ(undue->status, 400);
  EXPECT_EQ(Error(undue), "invalid_argument/due");
  Json stranger = course;
  stranger["person"] = 99999;
  stranger["date_achieved"] = "2026-05-01";
  auto not_member = Post("/api/v1/competence-records", stranger);
  EXPECT_EQ(not_member->status, 400);
  EXPECT_EQ(Error(not_member), "invalid_argument/person");
  EXPECT_EQ(Body(Get("/api/v1/competence-records"))["data"].size(), 0u);  // nothing written

  planned["due"] = "2027-03-31";
  const int64_t id = Create("competence-records", planned);
  const std::string path = "/api/v1/competence-records/" + std::to_string(id);
  // Completing the plan needs the date achieved.
  auto incomplete = Patch(path, {{"status", "completed"}}, "\"1\"");
  EXPECT_EQ(incomplete->status, 400);
  EXPECT_EQ(Error(incomplete), "invalid_argument/date_achieved");
  auto done = Patch(path, {{"status", "completed"}, {"date_achieved", "2026-11-20"}}, "\"1\"");
  ASSERT_EQ(done->status, 200) << done->body;
  // Completed is final: a renewal is a new record.
  auto back = Patch(path, {{"status", "planned"}, {"date_achieved", nullptr}}, "\"2\"");
  EXPECT_EQ(back->status, 400);
  EXPECT_EQ(Error(back), "invalid_argument/status");

  const int64_t bob = AddPerson("bob");
  Create("competence-records", {{"person", bob},
                                {"kind", "experience"},
                                {"title", "Two years running audits"},
                                {"date_achieved", "2025-01-01"}});
  auto alices = Body(Get("/api/v1/competence-records?person=" + std::to_string(alice_)));
  ASSERT_EQ(alices["data"].size(), 1u);
  EXPECT_EQ(alices["data"][0]["title"], "Lead auditor course");
  EXPECT_EQ(
      Body(Get("/api/v1/competence-records?requirement=" + std::to_string(requirement)))["data"]
          .size(),
      1u);
}

TEST_F(CompetenceApi, TheMatrixSaysForEachHolderWhetherEachRequirementIsMet) {
  const int64_t bob = AddPerson("bob");
  const int64_t carol = AddPerson("carol");
  const int64_t dave = AddPerson("dave");
  const int64_t manager = Role("ISMS manager", {alice_, bob, dave});
  const int64_t auditor = Role("Internal auditor", {carol});
  const int64_t retired_role = Role("Former role", {alice_});  // retired below
  const int64_t risk = Requirement(manager, "Risk assessment method", 12);
  const int64_t audit = Requirement(auditor, "Audit techniques");
  Requirement(retired_role, "Former skill");  // its role is retired: no column
  // alice: achieved 30 days ago, valid 12 months: met.
  const int64_t met = Create("competence-records", {{"person", alice_},
                                                    {"requirement", risk},
                                                    {"kind", "training"},
                                                    {"title", "Risk workshop"},
                                                    {"date_achieved", Day(-30)}});
  // bob: his own end is in 10 days: expiring.
  const int64_t expiring = Create("competence-records", {{"person", bob},
                                                         {"requirement", risk},
                                                         {"kind", "training"},
                                                         {"title", "Risk workshop"},
                                                         {"date_achieved", Day(-300)},
                                                         {"valid_until", Day(10)}});
  // dave: only an expired record: missing. carol: planned.
  Create("competence-records", {{"person", dave},
                                {"requirement", risk},
                                {"kind", "training"},
                                {"title", "Risk workshop"},
                                {"date_achieved", Day(-800)},
                                {"valid_until", Day(-1)}});
  const int64_t planned = Create("competence-records", {{"person", carol},
                                                        {"requirement", audit},
                                                        {"kind", "training"},
                                                        {"title", "Audit course"},
                                                        {"status", "planned"},
                                                        {"due", Day(45)}});
  auto retired =
      Patch("/api/v1/isms-roles/" + std::to_string(retired_role), {{"status", "retired"}}, "\"1\"");
  ASSERT_EQ(retired->status, 200) << retired->body;

  auto r = Get("/api/v1/competence-matrix");
  ASSERT_EQ(r->status, 200) << r->body;
  const Json m = Body(r);
  EXPECT_EQ(m["as_of"], today_);
  ASSERT_EQ(m["people"].size(), 4u);
  EXPECT_EQ(m["people"][0], Json({{"id", alice_}, {"name", "alice"}}));
  EXPECT_EQ(m["people"][3]["id"], dave);
  ASSERT_EQ(m["requirements"].size(), 2u);
  EXPECT_EQ(m["requirements"][0], Json({{"id", risk},
                                        {"title", "Risk assessment method"},
                                        {"level", "working"},
                                        {"role", manager},
                                        {"role_name", "ISMS manager"}}));
  EXPECT_EQ(m["requirements"][1]["id"], audit);
  auto cell = [&](size_t row, size_t column) { return m["rows"][row]["cells"][column]; };
  EXPECT_EQ(cell(0, 0), Json({{"requirement", risk},
                              {"state", "met"},
                              {"record", met},
                              {"valid_until", domain::AddDays(domain::AddMonths(Day(-30), 12), -1)},
                              {"due", nullptr}}));
  EXPECT_EQ(cell(0, 1)["state"], "not_required");
  EXPECT_EQ(cell(1, 0)["state"], "expiring");
  EXPECT_EQ(cell(1, 0)["record"], expiring);
  EXPECT_EQ(cell(1, 0)["valid_until"], Day(10));
  EXPECT_EQ(cell(2, 0)["state"], "not_required");
  EXPECT_EQ(cell(2, 1), Json({{"requirement", audit},
                              {"state", "planned"},
                              {"record", planned},
                              {"valid_until", nullptr},
                              {"due", Day(45)}}));
  EXPECT_EQ(cell(3, 0), Json({{"requirement", risk},
                              {"state", "missing"},
                              {"record", nullptr},
                              {"valid_until", nullptr},
                              {"due", nullptr}}));
  EXPECT_EQ(m["counts"],
            Json({{"met", 1}, {"expiring", 1}, {"planned", 1}, {"missing", 1}, {"gaps", 2}}));

  // The page: a gap's Plan opens the new record's form filled in for it.
  auto page = Page("/competence-matrix");
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("2 gaps"), std::string::npos);
  const std::string plan =
      "/competence-records/new?person=" + std::to_string(dave) +
      "&amp;requirement=" + std::to_string(risk) +
      "&amp;status=planned&amp;kind=training&amp;title=Risk%20assessment%20method";
  EXPECT_NE(page->body.find(plan), std::string::npos) << page->body;
  auto form = Page("/competence-records/new?person=" + std::to_string(dave) +
                   "&requirement=" + std::to_string(risk) + "&status=planned&kind=training");
  ASSERT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("<option value=\"planned\" selected"), std::string::npos);
}

TEST_F(CompetenceApi, TheMatrixReadsOneStatementPerRegisterWhateverTheNumberOfPeople) {
  auto statements = [&] {
    const uint64_t before = store_->StatementCount();
    auto r = Get("/api/v1/competence-matrix");
    EXPECT_EQ(r->status, 200) << r->body;
    return store_->StatementCount() - before;
  };
  std::vector<int64_t> people = {alice_};
  const int64_t role = Role("ISMS manager", people);
  const int64_t requirement = Requirement(role, "Risk assessment method");
  statements();  // the token's first use may be recorded
  const uint64_t one = statements();
  std::vector<int64_t> more;
  for (int i = 0; i < 12; ++i) more.push_back(AddPerson("person" + std::to_string(i)));
  const int64_t second = Role("Internal auditor", more);
  Requirement(second, "Audit techniques");
  for (const int64_t p : more) {
    Create("competence-records", {{"person", p},
                                  {"requirement", requirement},
                                  {"kind", "training"},
                                  {"title", "Workshop"},
                                  {"date_achieved", Day(-5)}});
  }
  EXPECT_EQ(statements(), one);
  EXPECT_LE(one, 5u);  // the token, the roles, the requirements, the records, the members
}

TEST_F(CompetenceApi, TheMatrixAndRecordsStayInTheirOrganisation) {
  ASSERT_TRUE(services_->members.AddOrganisation("Globex").ok());
  auto gary =
      services_->members.AddUser("Globex", app::NewMember{.username = "gary",
                                                          .role = domain::Role::kAdmin,
                                                          .password = "a long enough passphrase"});
  ASSERT_TRUE(gary.ok());
  auto token = services_->members.CreateToken("gary", "Globex", "t", false, "");
  ASSERT_TRUE(token.ok());
  const auto globex = Bearer(*token);
  const int64_t globex_role = Role("Globex auditor", {gary->user.id}, globex);
  auto r = Post("/api/v1/competence-requirements",
                {{"role", globex_role}, {"title", "GLOBEX-SKILL"}, {"demonstrated_by", "training"}},
                globex);
  ASSERT_EQ(r->status, 201) << r->body;
  const int64_t globex_requirement = Body(r)["id"].get<int64_t>();

  // Acme's matrix knows nothing of Globex; Acme cannot name Globex's requirement or role.
  Role("ISMS manager", {alice_});
  auto m = Get("/api/v1/competence-matrix");
  ASSERT_EQ(m->status, 200);
  EXPECT_EQ(Body(m)["requirements"].size(), 0u);
  EXPECT_EQ(m->body.find("GLOBEX"), std::string::npos);
  auto refused = Post("/api/v1/competence-records", {{"person", alice_},
                                                     {"requirement", globex_requirement},
                                                     {"kind", "training"},
                                                     {"title", "Borrowed"},
                                                     {"date_achieved", Day(-1)}});
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(Error(refused), "invalid_argument/requirement");
  auto role_refused =
      Post("/api/v1/competence-requirements",
           {{"role", globex_role}, {"title", "X"}, {"demonstrated_by", "training"}});
  EXPECT_EQ(role_refused->status, 400);
  EXPECT_EQ(Error(role_refused), "invalid_argument/role");

  // Globex's matrix has its own person and requirement.
  auto theirs = Body(Get("/api/v1/competence-matrix", globex));
  ASSERT_EQ(theirs["requirements"].size(), 1u);
  EXPECT_EQ(theirs["requirements"][0]["title"], "GLOBEX-SKILL");
  EXPECT_EQ(theirs["people"][0]["id"], gary->user.id);
  EXPECT_EQ(theirs["counts"]["missing"], 1);
}

}  // namespace
}  // namespace rampart::testing

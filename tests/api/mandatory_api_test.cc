// Clause 7.5.1 through the API and the page: what the standard requires documented, met by a
// published procedure in date, an SoA exclusion making an Annex A requirement not applicable,
// a bounded number of statements, and nothing of another organisation.
#include <algorithm>
#include <string>

#include "api_fixture.h"

namespace rampart::testing {
namespace {

class MandatoryApi : public SignedInTest {
 protected:
  static constexpr const char* kPassword = "documented 7.5.1 information";

  static Json Requirement(const Json& body, const std::string& id) {
    for (const auto& q : body["requirements"]) {
      if (q["id"] == id) return q;
    }
    ADD_FAILURE() << "no requirement " << id;
    return Json::object();
  }

  // Publishes a procedure serving `clauses` and `controls`, approved by an executive.
  int64_t PublishProcedure(const std::string& title, Json clauses, Json controls) {
    auto doc = Post("/api/v1/documents", {{"title", title},
                                          {"type", "procedure"},
                                          {"clauses", std::move(clauses)},
                                          {"annex_controls", std::move(controls)}});
    EXPECT_EQ(doc->status, 201) << doc->body;
    const int64_t id = Body(doc)["id"].get<int64_t>();
    auto draft = Post("/api/v1/documents/" + std::to_string(id) + "/versions", Json::object());
    const std::string v =
        "/api/v1/document-versions/" + std::to_string(Body(draft)["id"].get<int64_t>());
    auto edited =
        Patch(v + "/text", {{"body", "How it is done."}}, draft->get_header_value("ETag"));
    auto step = [&](const httplib::Headers& who, const std::string& name,
                    const httplib::Result& prev) {
      auto h = who;
      h.emplace("If-Match", prev->get_header_value("ETag"));
      auto r = Client().Post(v + "/" + name, h, "{}", "application/json");
      EXPECT_EQ(r->status, 200) << name << ": " << r->body;
      return r;
    };
    auto submitted = step(Bearer(), "submit", edited);
    auto approved = step(SessionHeaders(SignIn("erin", kPassword)), "approve", submitted);
    step(Bearer(), "publish", approved);
    return id;
  }

  void SetUp() override {
    SignedInTest::SetUp();
    if (HasFatalFailure()) return;
    auto erin = services_->members.AddUser(
        "", app::NewMember{
                .username = "erin", .role = domain::Role::kExecutive, .password = kPassword});
    ASSERT_TRUE(erin.ok()) << erin.status().ToString();
    me_ = Body(Get("/api/v1/auth/me"))["user_id"].get<int64_t>();
    today_ = FormatDate(clock_.Now());
  }

  // A nonconformity (clause 10.2) and a metric with `measurements` measurements (9.1).
  void RecordImprovementAndMeasurement(int measurements) {
    auto nc = Post("/api/v1/nonconformities", {{"title", "Leavers' accounts not removed"},
                                               {"source", "internal_audit"},
                                               {"grade", "minor"},
                                               {"description", "3 of 25 leavers still active."},
                                               {"requirement", "A.5.18"},
                                               {"detected_on", today_},
                                               {"owner", me_}});
    ASSERT_EQ(nc->status, 201) << nc->body;
    auto metric = Post("/api/v1/metrics", {{"title", "Patch coverage"},
                                           {"method", "The patch report."},
                                           {"measured_by", me_},
                                           {"unit", "%"},
                                           {"direction", "higher"},
                                           {"target_value", 95},
                                           {"start_date", domain::AddDays(today_, -10)}});
    ASSERT_EQ(metric->status, 201) << metric->body;
    const std::string path =
        "/api/v1/metrics/" + std::to_string(Body(metric)["id"].get<int64_t>()) + "/measurements";
    for (int i = 0; i < measurements; ++i) {
      auto m = Post(path, {{"value", 90 + i}, {"measured_on", domain::AddDays(today_, -i)}});
      ASSERT_EQ(m->status, 201) << m->body;
    }
  }

  int64_t me_ = 0;
  std::string today_;
};

TEST_F(MandatoryApi, NothingRecordedIsAGapForEveryRequirement) {
  auto r = Get("/api/v1/mandatory-documentation");
  ASSERT_EQ(r->status, 200) << r->body;
  const Json body = Body(r);
  EXPECT_EQ(body["counts"]["met"], 0);
  EXPECT_EQ(body["counts"]["gap"], 23);
  EXPECT_EQ(body["requirements"].size(), 23u);
  const Json scope = Requirement(body, "4.3");
  EXPECT_EQ(scope["state"], "gap");
  EXPECT_EQ(scope["what"], "ISMS scope");
  EXPECT_EQ(scope["title"], "Determining the scope of the information security management system");
  EXPECT_EQ(scope["gap"], "The ISMS scope has no approved version");
  EXPECT_EQ(Requirement(body, "A.5.37")["annex_a"], true);
}

TEST_F(MandatoryApi, APublishedProcedureAndAnSoaExclusionMeetTheirRequirements) {
  const int64_t doc = PublishProcedure("Internal audit programme", {"9.2.2"}, {"5.37"});
  Post("/api/v1/objectives", {{"title", "Fewer incidents"}, {"due_date", "2027-06-30"}});
  auto excluded = Put(
      "/api/v1/soa/8.9",
      {{"applicable", false}, {"justification", "No configurable systems of our own"}}, "\"0\"");
  ASSERT_EQ(excluded->status, 200) << excluded->body;

  const Json body = Body(Get("/api/v1/mandatory-documentation"));
  const Json audit = Requirement(body, "9.2.2");
  EXPECT_EQ(audit["state"], "met");
  ASSERT_EQ(audit["met_by"].size(), 1u);
  EXPECT_EQ(audit["met_by"][0]["type"], "document");
  EXPECT_EQ(audit["met_by"][0]["id"], doc);
  EXPECT_EQ(audit["met_by"][0]["title"], "PRO-001 Internal audit programme");
  EXPECT_EQ(audit["met_by"][0]["overdue"], false);
  EXPECT_TRUE(audit["gap"].is_null());
  EXPECT_EQ(Requirement(body, "A.5.37")["state"], "met");
  EXPECT_EQ(Requirement(body, "A.8.9")["state"], "not_applicable");
  EXPECT_EQ(Requirement(body, "9.3.3")["state"], "gap");
  EXPECT_EQ(Requirement(body, "7.5.1")["met_by"][0]["title"], "1 published document");
  EXPECT_EQ(body["counts"]["not_applicable"], 1);

  // The page shows the same, linked.
  auto page = Page("/mandatory-documentation");
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("href=\"/documents/" + std::to_string(doc) +
                            "\">PRO-001 Internal audit programme</a>"),
            std::string::npos);
  EXPECT_NE(page->body.find("No published document serves clause 6.1.3"), std::string::npos);
}

TEST_F(MandatoryApi, TheRecordsOfClauses8To10MeetTheirRequirements) {
  Json body = Body(Get("/api/v1/mandatory-documentation"));
  EXPECT_EQ(Requirement(body, "8.1")["gap"],
            "No occurrence of a planned operational activity is recorded as performed");
  EXPECT_EQ(Requirement(body, "9.1")["gap"], "No measurement is recorded");
  EXPECT_EQ(Requirement(body, "9.2.2")["gap"], "No internal audit has been reported");
  EXPECT_EQ(Requirement(body, "9.3.3")["gap"], "No management review has approved minutes");
  EXPECT_EQ(Requirement(body, "10.2")["gap"], "No nonconformity is recorded");

  RecordImprovementAndMeasurement(2);
  body = Body(Get("/api/v1/mandatory-documentation"));
  const Json measured = Requirement(body, "9.1");
  EXPECT_EQ(measured["state"], "met");
  ASSERT_EQ(measured["met_by"].size(), 1u);
  EXPECT_EQ(measured["met_by"][0]["type"], "measurement");
  EXPECT_EQ(measured["met_by"][0]["title"], "2 measurements");
  EXPECT_EQ(measured["met_by"][0]["count"], 2);
  EXPECT_EQ(Requirement(body, "10.2")["state"], "met");
  EXPECT_EQ(Requirement(body, "10.2")["met_by"][0]["title"], "1 nonconformity");
  EXPECT_EQ(Requirement(body, "9.3.3")["state"], "gap");
  EXPECT_EQ(Requirement(body, "8.1")["state"], "gap");

  // The page links the register and, for a gap, where it is closed.
  auto page = Page("/mandatory-documentation");
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("href=\"/measurements\">2 measurements</a>"), std::string::npos);
  EXPECT_NE(page->body.find("href=\"/management-reviews\""), std::string::npos);
}

TEST_F(MandatoryApi, ReadsABoundedNumberOfStatementsWhateverTheRecords) {
  auto statements = [&] {
    const uint64_t before = store_->StatementCount();
    EXPECT_EQ(Get("/api/v1/mandatory-documentation")->status, 200);
    return store_->StatementCount() - before;
  };
  statements();  // the token's first use may be recorded
  const uint64_t empty = statements();
  PublishProcedure("Backups", {"8.1"}, Json::array());
  PublishProcedure("Access reviews", {"9.1"}, Json::array());
  for (int i = 0; i < 5; ++i) {
    Post("/api/v1/objectives",
         {{"title", "Objective " + std::to_string(i)}, {"due_date", "2027-06-30"}});
  }
  RecordImprovementAndMeasurement(5);
  EXPECT_EQ(statements(), empty);
  EXPECT_LE(empty, 23u);  // six of them count the published documents by type, clause and control
}

TEST_F(MandatoryApi, ReadersMaySeeItStaffAndOtherOrganisationsSeeNothingOfIt) {
  PublishProcedure("ACME-ONLY audit programme", {"9.2.2"}, Json::array());
  ASSERT_TRUE(services_->members
                  .AddUser("", app::NewMember{.username = "sam",
                                              .role = domain::Role::kStaff,
                                              .password = kPassword})
                  .ok());
  auto staff = Get("/api/v1/mandatory-documentation", SessionHeaders(SignIn("sam", kPassword)));
  EXPECT_EQ(staff->status, 403);
  EXPECT_EQ(Error(staff), "permission_denied/");

  ASSERT_TRUE(services_->members.AddOrganisation("Globex").ok());
  ASSERT_TRUE(services_->members
                  .AddUser("Globex", app::NewMember{.username = "gary",
                                                    .role = domain::Role::kViewer,
                                                    .password = kPassword})
                  .ok());
  auto token = services_->members.CreateToken("gary", "Globex", "t", false, "");
  ASSERT_TRUE(token.ok());
  auto theirs = Get("/api/v1/mandatory-documentation", Bearer(*token));
  ASSERT_EQ(theirs->status, 200) << theirs->body;
  EXPECT_EQ(Requirement(Body(theirs), "9.2.2")["state"], "gap");
  EXPECT_EQ(theirs->body.find("ACME-ONLY"), std::string::npos);
}

}  // namespace
}  // namespace rampart::testing

// Internal audit (clause 9.2) through the API: an auditor who owns records in the audit's scope
// is refused (naming the field, changing nothing) unless an override with its reason is recorded,
// which its history and its page show; a nonconformity finding raises a nonconformity in the same
// write and links it, other findings do not; a programme's coverage and the statements it reads;
// who may write audits; and another organisation sees none of it.
#include <gmock/gmock.h>

#include <string>

#include "api_fixture.h"
#include "base/clock.h"
#include "domain/support.h"

namespace rampart::testing {
namespace {

class InternalAuditApi : public ApiTest {
 protected:
  static constexpr const char* kPassword = "audit without fear";

  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    today_ = FormatDate(clock_.Now());
    alice_ = Body(Get("/api/v1/auth/me"))["user_id"].get<int64_t>();
    bob_ = AddMember("bob", domain::Role::kAuditor);
    auto programme = Post("/api/v1/audit-programmes",
                          {{"title", "Internal audits 2026-2028"},
                           {"period_start", "2026-01-01"},
                           {"period_end", "2028-12-31"},
                           {"objectives", "Every clause and applicable control once in 3 years."},
                           {"owner", alice_}});
    ASSERT_EQ(programme->status, 201) << programme->body;
    programme_ = Body(programme)["id"].get<int64_t>();
  }
  int64_t AddMember(const std::string& name, domain::Role role) {
    auto added = services_->members.AddUser(
        "", app::NewMember{.username = name, .role = role, .password = kPassword});
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? added->user.id : 0;
  }
  static std::string Tag(const httplib::Result& r) { return r->get_header_value("ETag"); }

  Json Audit(int64_t lead, const Json& extra = Json::object()) const {
    Json a = {{"title", "Access control"},
              {"programme", programme_},
              {"clauses", {"9.2"}},
              {"annex_controls", {"5.15"}},
              {"criteria", "ISO/IEC 27001:2022 and the access control policy"},
              {"lead_auditor", lead},
              {"planned_start", today_},
              {"planned_end", domain::AddDays(today_, 2)}};
    for (const auto& [k, v] : extra.items()) a[k] = v;
    return a;
  }
  Json Finding(int64_t audit, const std::string& type) const {
    return {{"title", "Leavers keep access"},
            {"audit", audit},
            {"type", type},
            {"requirement", "A.5.18"},
            {"description", "3 of 25 leavers sampled still had active accounts."},
            {"evidence", "HR leaver list Q1 against the directory export of 2026-03-01."},
            {"found_on", today_},
            {"owner", alice_}};
  }
  size_t Count(const std::string& path) { return Body(Get(path))["data"].size(); }

  std::string today_;
  int64_t alice_ = 0;
  int64_t bob_ = 0;
  int64_t programme_ = 0;
};

TEST_F(InternalAuditApi, AnAuditorOwningAControlInScopeIsRefusedAndNothingIsWritten) {
  ASSERT_EQ(
      Post("/api/v1/controls",
           {{"name", "Quarterly access review"}, {"owner", alice_}, {"annex_controls", {"5.15"}}})
          ->status,
      201);
  const size_t events = Body(Get("/api/v1/audit/events?limit=1000"))["data"].size();
  auto lead = Post("/api/v1/internal-audits", Audit(alice_));
  EXPECT_EQ(lead->status, 400);
  EXPECT_EQ(Error(lead), "invalid_argument/lead_auditor");
  EXPECT_THAT(Body(lead)["error"]["message"].get<std::string>(),
              ::testing::HasSubstr("Quarterly access review"));
  auto team = Post("/api/v1/internal-audits", Audit(bob_, {{"team", {{{"auditor", alice_}}}}}));
  EXPECT_EQ(Error(team), "invalid_argument/team");
  EXPECT_EQ(Count("/api/v1/internal-audits"), 0u);
  EXPECT_EQ(Body(Get("/api/v1/audit/events?limit=1000"))["data"].size(), events);
  // Bob owns nothing in scope.
  auto ok = Post("/api/v1/internal-audits", Audit(bob_));
  ASSERT_EQ(ok->status, 201) << ok->body;
  // Adding alice to the team later is refused too.
  auto joined = Patch("/api/v1/internal-audits/" + std::to_string(Body(ok)["id"].get<int64_t>()),
                      {{"team", {{{"auditor", alice_}}}}}, Tag(ok));
  EXPECT_EQ(Error(joined), "invalid_argument/team");
}

TEST_F(InternalAuditApi, DocumentsProcessesAndRisksInScopeCountToo) {
  ASSERT_EQ(Post("/api/v1/documents", {{"title", "Internal audit procedure"},
                                       {"type", "procedure"},
                                       {"owner", alice_},
                                       {"clauses", {"9"}}})
                ->status,
            201);
  EXPECT_EQ(Error(Post("/api/v1/internal-audits", Audit(alice_, {{"annex_controls", Json()}}))),
            "invalid_argument/lead_auditor");
  auto process = Post("/api/v1/isms-processes", {{"name", "Access management"}, {"owner", bob_}});
  ASSERT_EQ(process->status, 201) << process->body;
  EXPECT_EQ(
      Error(Post("/api/v1/internal-audits", Audit(bob_, {{"clauses", Json()},
                                                         {"annex_controls", Json()},
                                                         {"processes", {Body(process)["id"]}}}))),
      "invalid_argument/lead_auditor");
  // A risk bob owns, treated by a control (not his) implementing the scoped Annex A control.
  auto control = Post("/api/v1/controls",
                      {{"name", "Access review"}, {"owner", alice_}, {"annex_controls", {"5.15"}}});
  ASSERT_EQ(control->status, 201);
  ASSERT_EQ(
      Post("/api/v1/risks",
           {{"title", "Excess privileges"}, {"owner", bob_}, {"controls", {Body(control)["id"]}}})
          ->status,
      201);
  auto risk = Post("/api/v1/internal-audits", Audit(bob_, {{"clauses", Json()}}));
  EXPECT_EQ(Error(risk), "invalid_argument/lead_auditor");
  EXPECT_THAT(Body(risk)["error"]["message"].get<std::string>(),
              ::testing::HasSubstr("Excess privileges"));
}

TEST_F(InternalAuditApi, AnOverrideWithItsReasonIsAcceptedAndRecorded) {
  ASSERT_EQ(Post("/api/v1/controls",
                 {{"name", "Access review"}, {"owner", alice_}, {"annex_controls", {"5.15"}}})
                ->status,
            201);
  auto no_reason =
      Post("/api/v1/internal-audits", Audit(alice_, {{"impartiality_override", true}}));
  EXPECT_EQ(Error(no_reason), "invalid_argument/impartiality_reason");
  auto created = Post("/api/v1/internal-audits",
                      Audit(alice_, {{"impartiality_override", true},
                                     {"impartiality_reason", "Two-person company; peer review."}}));
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string path =
      "/api/v1/internal-audits/" + std::to_string(Body(created)["id"].get<int64_t>());
  const Json history = Body(Get(path + "/history"))["data"];
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0]["diff"]["impartiality_override"]["to"], true);
  EXPECT_EQ(history[0]["diff"]["impartiality_reason"]["to"], "Two-person company; peer review.");
  const auto session = SessionHeaders(SignIn("alice", kAlicePassword));
  auto page = Client().Get("/internal-audits/" + std::to_string(Body(created)["id"].get<int64_t>()),
                           session);
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, ::testing::HasSubstr("Impartiality override recorded"));
  EXPECT_THAT(page->body, ::testing::HasSubstr("Two-person company; peer review."));
  // Taking the override away brings the check back.
  auto removed = Patch(path, {{"impartiality_override", false}}, Tag(created));
  EXPECT_EQ(Error(removed), "invalid_argument/lead_auditor");
}

TEST_F(InternalAuditApi, ANonconformityFindingRaisesALinkedNonconformity) {
  auto audit = Post("/api/v1/internal-audits", Audit(bob_));
  ASSERT_EQ(audit->status, 201) << audit->body;
  const int64_t audit_id = Body(audit)["id"].get<int64_t>();
  auto minor = Post("/api/v1/findings", Finding(audit_id, "minor_nonconformity"));
  ASSERT_EQ(minor->status, 201) << minor->body;
  ASSERT_TRUE(Body(minor)["nonconformity"].is_number_integer()) << minor->body;
  const int64_t nc_id = Body(minor)["nonconformity"].get<int64_t>();
  const Json nc = Body(Get("/api/v1/nonconformities/" + std::to_string(nc_id)));
  EXPECT_EQ(nc["source"], "internal_audit");
  EXPECT_EQ(nc["grade"], "minor");
  EXPECT_EQ(nc["requirement"], "A.5.18");
  EXPECT_EQ(nc["owner"], alice_);
  EXPECT_EQ(nc["status"], "open");
  EXPECT_EQ(nc["detected_on"], today_);
  EXPECT_THAT(nc["source_reference"].get<std::string>(), ::testing::HasSubstr("Access control"));
  // The finding's history names the nonconformity; the nonconformity's, its raising.
  const int64_t finding_id = Body(minor)["id"].get<int64_t>();
  const Json history = Body(Get("/api/v1/findings/" + std::to_string(finding_id) + "/history"));
  EXPECT_EQ(history["data"][0]["diff"]["nonconformity"]["to"], nc_id);
  EXPECT_EQ(Body(Get("/api/v1/nonconformities/" + std::to_string(nc_id) +
                     "/history"))["data"][0]["action"],
            "raise");
  // An observation raises none; the nonconformity field is not the caller's to set.
  auto observation = Post("/api/v1/findings", Finding(audit_id, "observation"));
  ASSERT_EQ(observation->status, 201);
  EXPECT_TRUE(Body(observation)["nonconformity"].is_null());
  EXPECT_EQ(Count("/api/v1/nonconformities"), 1u);
  Json forged = Finding(audit_id, "opportunity");
  forged["nonconformity"] = nc_id;
  EXPECT_EQ(Error(Post("/api/v1/findings", forged)), "invalid_argument/nonconformity");
  // An observation found to be a major nonconformity raises one when it becomes one.
  auto major = Patch("/api/v1/findings/" + std::to_string(Body(observation)["id"].get<int64_t>()),
                     {{"type", "major_nonconformity"}}, Tag(observation));
  ASSERT_EQ(major->status, 200) << major->body;
  EXPECT_EQ(Body(Get("/api/v1/nonconformities/" +
                     std::to_string(Body(major)["nonconformity"].get<int64_t>())))["grade"],
            "major");
  EXPECT_EQ(Count("/api/v1/nonconformities"), 2u);
  // The audit's page lists its findings; the finding's page links its nonconformity.
  const auto session = SessionHeaders(SignIn("alice", kAlicePassword));
  auto page = Client().Get("/internal-audits/" + std::to_string(audit_id), session);
  EXPECT_THAT(page->body, ::testing::HasSubstr("Findings (2)"));
  auto finding_page = Client().Get("/findings/" + std::to_string(finding_id), session);
  EXPECT_THAT(finding_page->body,
              ::testing::HasSubstr("href=\"/nonconformities/" + std::to_string(nc_id) + "\""));
}

TEST_F(InternalAuditApi, ANonconformityFindingWithoutAnAuditeeIsRefusedWithNothingWritten) {
  auto audit = Post("/api/v1/internal-audits", Audit(bob_));
  Json f = Finding(Body(audit)["id"].get<int64_t>(), "major_nonconformity");
  f.erase("owner");
  EXPECT_EQ(Error(Post("/api/v1/findings", f)), "invalid_argument/owner");
  EXPECT_EQ(Count("/api/v1/findings"), 0u);
  EXPECT_EQ(Count("/api/v1/nonconformities"), 0u);
}

TEST_F(InternalAuditApi, CoverageMarksTheAuditsOfEachClauseAndApplicableControl) {
  ASSERT_EQ(
      Put("/api/v1/soa/5.15", {{"applicable", true}, {"reasons", {"risk_treatment"}}}, "\"0\"")
          ->status,
      200);
  ASSERT_EQ(Put("/api/v1/soa/8.5", {{"applicable", true}, {"reasons", {"risk_treatment"}}}, "\"0\"")
                ->status,
            200);
  ASSERT_EQ(
      Put("/api/v1/soa/7.4", {{"applicable", false}, {"justification", "No premises."}}, "\"0\"")
          ->status,
      200);
  auto audit = Post("/api/v1/internal-audits", Audit(bob_));
  ASSERT_EQ(audit->status, 201);
  const int64_t audit_id = Body(audit)["id"].get<int64_t>();
  const std::string path = "/api/v1/audit-programmes/" + std::to_string(programme_) + "/coverage";
  auto statements = [&] {
    const uint64_t before = store_->StatementCount();
    auto r = Get(path);
    EXPECT_EQ(r->status, 200);
    return store_->StatementCount() - before;
  };
  const Json c = Body(Get(path));
  ASSERT_EQ(c["audits"].size(), 1u);
  EXPECT_EQ(c["audits"][0]["id"], audit_id);
  std::map<std::string, Json> rows;
  for (const auto& r : c["rows"])
    rows[r["kind"].get<std::string>() + r["id"].get<std::string>()] = r;
  EXPECT_EQ(rows["clause9.2"]["audits"], Json::array({audit_id}));
  EXPECT_EQ(rows["clause9.2.1"]["audits"], Json::array({audit_id}));
  EXPECT_EQ(rows["clause9.1"]["audits"], Json::array());
  EXPECT_EQ(rows["control5.15"]["audits"], Json::array({audit_id}));
  EXPECT_EQ(rows["control8.5"]["audits"], Json::array());
  EXPECT_FALSE(rows.contains("control7.4"));
  EXPECT_EQ(c["counts"]["uncovered_controls"], 1);
  EXPECT_EQ(c["counts"]["undecided_controls"], 90);
  EXPECT_THAT(c["uncovered"], ::testing::Contains(Json{{"kind", "control"}, {"id", "8.5"}}));
  // The statements read do not grow with the audits.
  statements();
  const uint64_t few = statements();
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(
        Post("/api/v1/internal-audits", Audit(bob_, {{"title", "A" + std::to_string(i)}}))->status,
        201);
  }
  EXPECT_EQ(statements(), few);
  EXPECT_EQ(Get("/api/v1/audit-programmes/999/coverage")->status, 404);
  const auto session = SessionHeaders(SignIn("alice", kAlicePassword));
  auto page =
      Client().Get("/audit-programmes/" + std::to_string(programme_) + "/coverage", session);
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, ::testing::HasSubstr("Not covered"));
}

TEST_F(InternalAuditApi, TheImpartialityCheckReadsABoundedNumberOfStatements) {
  for (int i = 0; i < 6; ++i) {
    ASSERT_EQ(Post("/api/v1/controls", {{"name", "Control " + std::to_string(i)},
                                        {"owner", bob_},
                                        {"annex_controls", {"8.5"}}})
                  ->status,
              201);
  }
  auto statements = [&](const std::string& title) {
    const uint64_t before = store_->StatementCount();
    auto r = Post("/api/v1/internal-audits", Audit(bob_, {{"title", title}}));
    EXPECT_EQ(r->status, 201) << r->body;
    return store_->StatementCount() - before;
  };
  statements("warm");
  const uint64_t few = statements("first");
  for (int i = 0; i < 6; ++i) {
    ASSERT_EQ(Post("/api/v1/documents", {{"title", "Doc " + std::to_string(i)},
                                         {"type", "procedure"},
                                         {"owner", bob_},
                                         {"clauses", {"4.1"}}})
                  ->status,
              201);
  }
  EXPECT_EQ(statements("second"), few);
}

TEST_F(InternalAuditApi, AuditorsAndAdministratorsWriteAuditsOthersRead) {
  auto manager = AddMember("mia", domain::Role::kIsmsManager);
  (void)manager;
  const auto bob = SessionHeaders(SignIn("bob", kPassword));
  const auto mia = SessionHeaders(SignIn("mia", kPassword));
  auto by_bob =
      Client().Post("/api/v1/internal-audits", bob, Audit(bob_).dump(), "application/json");
  ASSERT_EQ(by_bob->status, 201) << by_bob->body;
  auto by_mia =
      Client().Post("/api/v1/internal-audits", mia, Audit(bob_).dump(), "application/json");
  EXPECT_EQ(by_mia->status, 403);
  EXPECT_EQ(Client().Get("/api/v1/internal-audits", mia)->status, 200);
  // An auditor's nonconformity finding raises the nonconformity, though auditors do not write
  // the nonconformities register themselves.
  auto finding = Client().Post(
      "/api/v1/findings", bob,
      Finding(Body(by_bob)["id"].get<int64_t>(), "minor_nonconformity").dump(), "application/json");
  ASSERT_EQ(finding->status, 201) << finding->body;
  EXPECT_TRUE(Body(finding)["nonconformity"].is_number_integer());
  auto nc =
      Client().Post("/api/v1/nonconformities", bob, Json::object().dump(), "application/json");
  EXPECT_EQ(nc->status, 403);
}

TEST_F(InternalAuditApi, AnotherOrganisationSeesNoneOfIt) {
  auto audit = Post("/api/v1/internal-audits", Audit(bob_));
  const int64_t audit_id = Body(audit)["id"].get<int64_t>();
  ASSERT_EQ(Post("/api/v1/findings", Finding(audit_id, "minor_nonconformity"))->status, 201);
  ASSERT_TRUE(services_->members.AddOrganisation("Globex").ok());
  auto gary = services_->members.AddUser(
      "Globex",
      app::NewMember{.username = "gary", .role = domain::Role::kAdmin, .password = kPassword});
  ASSERT_TRUE(gary.ok()) << gary.status().ToString();
  const auto globex = SessionHeaders(SignIn("gary", kPassword));
  EXPECT_EQ(Get("/api/v1/internal-audits/" + std::to_string(audit_id), globex)->status, 404);
  EXPECT_EQ(Body(Get("/api/v1/findings", globex))["data"].size(), 0u);
  EXPECT_EQ(Body(Get("/api/v1/audit-programmes", globex))["data"].size(), 0u);
  EXPECT_EQ(
      Get("/api/v1/audit-programmes/" + std::to_string(programme_) + "/coverage", globex)->status,
      404);
  // Nor can it plan an audit in Acme's programme or raise a finding on Acme's audit.
  auto planned = Client().Post("/api/v1/internal-audits", globex, Audit(gary->user.id).dump(),
                               "application/json");
  EXPECT_EQ(Error(planned), "invalid_argument/programme");
  Json f = Finding(audit_id, "observation");
  f["owner"] = gary->user.id;
  auto raised = Client().Post("/api/v1/findings", globex, f.dump(), "application/json");
  EXPECT_EQ(Error(raised), "invalid_argument/audit");
}

}  // namespace
}  // namespace rampart::testing

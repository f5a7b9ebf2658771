// Clause 5.1 through the API: top management's commitments, logged automatically in the same
// write as the approval that makes them (a policy version approved, a resource granted, an
// objective approved, a planned change approved), once per approval, and kept as written; others
// logged by hand. Another organisation sees none of them.
#include <string>

#include "api_fixture.h"

namespace rampart::testing {
namespace {

class CommitmentApi : public ApiTest {
 protected:
  static constexpr const char* kPassword = "signed and sealed 2026";

  int64_t Me() { return Body(Get("/api/v1/auth/me"))["user_id"].get<int64_t>(); }
  Json Log(const std::string& query = "") {
    return Body(Get("/api/v1/commitments" + query))["data"];
  }
  static std::string Tag(const httplib::Result& r) { return r->get_header_value("ETag"); }
  static std::string Path(const std::string& base, const httplib::Result& r) {
    return base + "/" + std::to_string(Body(r)["id"].get<int64_t>());
  }
};

TEST_F(CommitmentApi, APlannedChangeApprovedLogsOneCommitment) {
  auto change = Post("/api/v1/changes", {{"title", "Move to SSO"}, {"purpose", "One sign-in."}});
  ASSERT_EQ(change->status, 201) << change->body;
  EXPECT_EQ(Log().size(), 0u);
  const std::string path = Path("/api/v1/changes", change);
  auto approved =
      Patch(path, {{"status", "approved"}, {"approved_by", Me()}, {"approved_on", "2026-11-20"}},
            Tag(change));
  ASSERT_EQ(approved->status, 200) << approved->body;
  Json log = Log();
  ASSERT_EQ(log.size(), 1u) << log.dump();
  EXPECT_EQ(log[0]["kind"], "change_approved");
  EXPECT_EQ(log[0]["committed_by"], Me());
  EXPECT_EQ(log[0]["committed_on"], "2026-11-20");
  EXPECT_EQ(log[0]["source_type"], "planned_change");
  EXPECT_EQ(log[0]["source_id"], Body(change)["id"]);
  EXPECT_EQ(log[0]["origin"], "automatic");
  EXPECT_NE(log[0]["statement"].get<std::string>().find("Move to SSO"), std::string::npos);

  // Saving the approved change again, or moving it on, logs nothing more.
  auto resaved = Patch(path, {{"outcome", "Under way."}}, Tag(approved));
  ASSERT_EQ(resaved->status, 200) << resaved->body;
  auto started = Patch(path, {{"status", "in_progress"}}, Tag(resaved));
  ASSERT_EQ(started->status, 200) << started->body;
  EXPECT_EQ(Log().size(), 1u);

  // The automatic entry is kept as written: no edit, no delete.
  const std::string entry = "/api/v1/commitments/" + std::to_string(log[0]["id"].get<int64_t>());
  auto edit = Patch(entry, {{"statement", "Something else"}}, "\"1\"");
  EXPECT_EQ(edit->status, 409);
  EXPECT_EQ(Error(edit), "failed_precondition/");
  auto del = Delete(entry, "\"1\"");
  EXPECT_EQ(del->status, 409);
  EXPECT_EQ(Error(del), "failed_precondition/");
  EXPECT_EQ(Log().size(), 1u);
  // Its history is the one creation, in the same write as the approval.
  EXPECT_EQ(Body(Get(entry + "/history"))["data"].size(), 1u);
}

TEST_F(CommitmentApi, AResourceGrantedAndAnObjectiveApprovedLogOneEachOnce) {
  auto resource =
      Post("/api/v1/resources",
           {{"name", "SIEM licence"}, {"kind", "tool"}, {"purpose", "Security monitoring."}});
  ASSERT_EQ(resource->status, 201) << resource->body;
  auto granted = Patch(Path("/api/v1/resources", resource),
                       {{"status", "granted"}, {"granted_by", Me()}, {"granted_on", "2026-10-01"}},
                       Tag(resource));
  ASSERT_EQ(granted->status, 200) << granted->body;
  auto again =
      Patch(Path("/api/v1/resources", resource), {{"purpose", "Log monitoring."}}, Tag(granted));
  ASSERT_EQ(again->status, 200) << again->body;
  Json log = Log("?kind=resources_granted");
  ASSERT_EQ(log.size(), 1u) << Log().dump();
  EXPECT_EQ(log[0]["committed_on"], "2026-10-01");
  EXPECT_EQ(log[0]["source_type"], "resource");

  auto objective = Post("/api/v1/objectives",
                        {{"title", "Phishing reports within an hour"}, {"due_date", "2027-06-30"}});
  ASSERT_EQ(objective->status, 201) << objective->body;
  const std::string path = Path("/api/v1/objectives", objective);
  auto half = Patch(path, {{"approved_by", Me()}}, Tag(objective));
  EXPECT_EQ(half->status, 400);
  EXPECT_EQ(Error(half), "invalid_argument/approved_on");
  auto approved =
      Patch(path, {{"approved_by", Me()}, {"approved_on", "2026-10-02"}}, Tag(objective));
  ASSERT_EQ(approved->status, 200) << approved->body;
  auto resaved = Patch(path, {{"description", "Faster reporting."}}, Tag(approved));
  ASSERT_EQ(resaved->status, 200) << resaved->body;
  log = Log("?kind=objectives_approved");
  ASSERT_EQ(log.size(), 1u) << Log().dump();
  EXPECT_EQ(log[0]["source_type"], "objective");
  EXPECT_EQ(log[0]["source_id"], Body(objective)["id"]);
  EXPECT_EQ(Log().size(), 2u);
}

TEST_F(CommitmentApi, APolicyApprovalLogsOneCommitmentByTheApprover) {
  auto erin = services_->members.AddUser(
      "",
      app::NewMember{.username = "erin", .role = domain::Role::kExecutive, .password = kPassword});
  ASSERT_TRUE(erin.ok()) << erin.status().ToString();
  auto doc = Post("/api/v1/documents", {{"title", "Access policy"}, {"type", "topic_policy"}});
  ASSERT_EQ(doc->status, 201) << doc->body;
  auto draft = Post(Path("/api/v1/documents", doc) + "/versions", Json::object());
  ASSERT_EQ(draft->status, 201) << draft->body;
  const std::string v1 = Path("/api/v1/document-versions", draft);
  auto edited = Patch(v1 + "/text", {{"body", "Access is granted by need."}}, Tag(draft));
  ASSERT_EQ(edited->status, 200) << edited->body;
  auto h = Bearer();
  h.emplace("If-Match", Tag(edited));
  auto submitted = Client().Post(v1 + "/submit", h, "{}", "application/json");
  ASSERT_EQ(submitted->status, 200) << submitted->body;
  auto as_erin = SessionHeaders(SignIn("erin", kPassword));
  as_erin.emplace("If-Match", Tag(submitted));
  auto approved = Client().Post(v1 + "/approve", as_erin, "{}", "application/json");
  ASSERT_EQ(approved->status, 200) << approved->body;
  const Json log = Log();
  ASSERT_EQ(log.size(), 1u) << log.dump();
  EXPECT_EQ(log[0]["kind"], "policy_approval");
  EXPECT_EQ(log[0]["committed_by"], erin->user.id);
  EXPECT_EQ(log[0]["source_type"], "document_version");
  EXPECT_EQ(log[0]["source_id"], Body(draft)["id"]);
  EXPECT_NE(log[0]["statement"].get<std::string>().find("Approved version 1 of POL-001"),
            std::string::npos)
      << log[0]["statement"];
}

TEST_F(CommitmentApi, ManualEntriesAreOrdinaryRecordsOfTheirOrganisation) {
  auto logged = Post("/api/v1/commitments", {{"kind", "management_review_attendance"},
                                             {"statement", "Attended the 2026 management review."},
                                             {"committed_by", Me()},
                                             {"committed_on", "2026-11-30"}});
  ASSERT_EQ(logged->status, 201) << logged->body;
  EXPECT_EQ(Body(logged)["origin"], "manual");
  auto forged = Post("/api/v1/commitments", {{"kind", "other"},
                                             {"statement", "Claimed."},
                                             {"committed_by", Me()},
                                             {"committed_on", "2026-11-30"},
                                             {"origin", "automatic"}});
  EXPECT_EQ(forged->status, 400);
  EXPECT_EQ(Error(forged), "invalid_argument/origin");
  const std::string path = Path("/api/v1/commitments", logged);
  auto edited = Patch(path, {{"statement", "Attended and chaired."}}, Tag(logged));
  ASSERT_EQ(edited->status, 200) << edited->body;

  ASSERT_TRUE(services_->members.AddOrganisation("Globex").ok());
  auto gary = services_->members.AddUser(
      "Globex",
      app::NewMember{.username = "gary", .role = domain::Role::kAdmin, .password = kPassword});
  ASSERT_TRUE(gary.ok()) << gary.status().ToString();
  const auto globex = SessionHeaders(SignIn("gary", kPassword));
  EXPECT_EQ(Get(path, globex)->status, 404);
  EXPECT_EQ(Body(Get("/api/v1/commitments", globex))["data"].size(), 0u);

  ASSERT_EQ(Delete(path, Tag(edited))->status, 204);
}

}  // namespace
}  // namespace rampart::testing

// Clause 7.3 through the API: an awareness campaign launched to its audience (roles and named
// people resolved to one completion each), newcomers asked later, each person completing their
// own from My work, the campaign's progress, closing it, and what staff and another
// organisation may and may not do.
#include <string>

#include "api_fixture.h"
#include "base/clock.h"
#include "domain/support.h"

namespace rampart::testing {
namespace {

class AwarenessApi : public ApiTest {
 protected:
  static constexpr const char* kPassword = "aware of the risks 7.3";

  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    today_ = FormatDate(clock_.Now());
  }
  int64_t AddMember(const std::string& name, domain::Role role) {
    auto added = services_->members.AddUser(
        "", app::NewMember{.username = name, .role = role, .password = kPassword});
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? added->user.id : 0;
  }
  httplib::Headers As(const std::string& name) { return SessionHeaders(SignIn(name, kPassword)); }
  httplib::Result PostAs(const httplib::Headers& who, const std::string& path,
                         const std::string& if_match = "") {
    auto h = who;
    if (!if_match.empty()) h.emplace("If-Match", if_match);
    return Client().Post(path, h, "{}", "application/json");
  }
  static std::string Tag(const httplib::Result& r) { return r->get_header_value("ETag"); }
  static std::string Campaign(int64_t id) {
    return "/api/v1/awareness-campaigns/" + std::to_string(id);
  }
  static std::string Completion(int64_t id) {
    return "/api/v1/awareness-completions/" + std::to_string(id);
  }
  // A procedure published by the administrator, approved by an ISMS manager: its id.
  int64_t PublishedProcedure() {
    AddMember("ivan", domain::Role::kIsmsManager);
    auto doc =
        Post("/api/v1/documents", {{"title", "Phishing: how to report"}, {"type", "procedure"}});
    EXPECT_EQ(doc->status, 201) << doc->body;
    const int64_t id = Body(doc)["id"].get<int64_t>();
    auto draft = Post("/api/v1/documents/" + std::to_string(id) + "/versions", Json::object());
    const std::string v =
        "/api/v1/document-versions/" + std::to_string(Body(draft)["id"].get<int64_t>());
    auto edited = Patch(v + "/text", {{"body", "Forward it to the security team."}}, Tag(draft));
    auto submitted = PostAs(Bearer(), v + "/submit", Tag(edited));
    auto approved = PostAs(As("ivan"), v + "/approve", Tag(submitted));
    auto published = PostAs(Bearer(), v + "/publish", Tag(approved));
    EXPECT_EQ(published->status, 200) << published->body;
    return id;
  }

  std::string today_;
};

TEST_F(AwarenessApi, ACampaignIsLaunchedToItsAudienceAndEachCompletesTheirOwn) {
  const int64_t sam = AddMember("sam", domain::Role::kStaff);
  const int64_t tess = AddMember("tess", domain::Role::kStaff);
  const int64_t olga = AddMember("olga", domain::Role::kViewer);
  const int64_t material = PublishedProcedure();
  const std::string material_path = "/api/v1/documents/" + std::to_string(material) + "/published";
  const Json plan = {{"topic", "Phishing"},
                     {"description", "Read the procedure and report the test mail."},
                     {"material", material},
                     {"audience_roles", {"staff"}},
                     {"audience_people", {{{"person", olga}}}},
                     {"due_date", domain::AddDays(today_, 14)}};

  Json undated = plan;
  undated.erase("due_date");
  auto refused = Post("/api/v1/awareness-campaigns", undated);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(Error(refused), "invalid_argument/due_date");
  Json launched_already = plan;
  launched_already["status"] = "launched";
  auto by_hand = Post("/api/v1/awareness-campaigns", launched_already);
  EXPECT_EQ(by_hand->status, 400);
  EXPECT_EQ(Error(by_hand), "invalid_argument/status");
  EXPECT_EQ(Body(Get("/api/v1/awareness-campaigns"))["data"].size(), 0u);

  auto created = Post("/api/v1/awareness-campaigns", plan);
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(Body(created)["status"], "planned");
  EXPECT_TRUE(Body(created)["launched_on"].is_null());
  const int64_t id = Body(created)["id"].get<int64_t>();
  const auto sam_s = As("sam");
  // Before the launch nobody is asked, and staff do not read the material.
  EXPECT_EQ(Body(Get("/api/v1/my/work", sam_s))["awareness"].size(), 0u);
  EXPECT_EQ(Get(material_path, sam_s)->status, 404);

  auto no_version = PostAs(Bearer(), Campaign(id) + "/launch");
  EXPECT_EQ(no_version->status, 428);
  auto stale = PostAs(Bearer(), Campaign(id) + "/launch", "\"99\"");
  EXPECT_EQ(stale->status, 412);
  EXPECT_EQ(PostAs(As("olga"), Campaign(id) + "/launch", Tag(created))->status, 403);
  EXPECT_EQ(PostAs(sam_s, Campaign(id) + "/launch", Tag(created))->status, 403);
  auto launched = PostAs(Bearer(), Campaign(id) + "/launch", Tag(created));
  ASSERT_EQ(launched->status, 200) << launched->body;
  EXPECT_EQ(Body(launched)["invited"], 3);  // sam and tess by role, olga by name
  EXPECT_EQ(Body(launched)["campaign"]["status"], "launched");
  EXPECT_EQ(Body(launched)["campaign"]["launched_on"], today_);

  // Asking again asks nobody twice, and writes nothing.
  auto again = PostAs(Bearer(), Campaign(id) + "/launch", Tag(launched));
  ASSERT_EQ(again->status, 200) << again->body;
  EXPECT_EQ(Body(again)["invited"], 0);
  EXPECT_EQ(Tag(again), Tag(launched));
  // A newcomer to the audience is asked on the next invitation.
  const int64_t uma = AddMember("uma", domain::Role::kStaff);
  auto newcomers = PostAs(Bearer(), Campaign(id) + "/launch", Tag(again));
  ASSERT_EQ(newcomers->status, 200) << newcomers->body;
  EXPECT_EQ(Body(newcomers)["invited"], 1);

  Json progress = Body(Get(Campaign(id) + "/progress"));
  EXPECT_EQ(progress["asked"], 4);
  EXPECT_EQ(progress["completed"], 0);
  EXPECT_EQ(progress["overdue"], 0);
  ASSERT_EQ(progress["waiting"].size(), 4u);
  EXPECT_EQ(progress["waiting"][0]["person"], std::min({sam, tess, olga, uma}));

  // Each person sees their own, reads the material, and completes their own once.
  const Json work = Body(Get("/api/v1/my/work", sam_s));
  ASSERT_EQ(work["awareness"].size(), 1u);
  EXPECT_EQ(work["awareness"][0]["title"], "Phishing");
  EXPECT_EQ(work["awareness"][0]["person"], sam);
  EXPECT_EQ(work["awareness"][0]["material"], material);
  const int64_t mine = work["awareness"][0]["id"].get<int64_t>();
  auto reads = Get(material_path, sam_s);
  ASSERT_EQ(reads->status, 200) << reads->body;
  EXPECT_EQ(Body(reads)["version"]["body"], "Forward it to the security team.");
  const auto tess_s = As("tess");
  auto not_hers = PostAs(tess_s, Completion(mine) + "/complete");
  EXPECT_EQ(not_hers->status, 404);
  EXPECT_EQ(Error(not_hers), "not_found/");
  auto done = PostAs(sam_s, Completion(mine) + "/complete");
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_EQ(Body(done)["status"], "completed");
  EXPECT_TRUE(Body(done)["completed_at"].is_string());
  auto twice = PostAs(sam_s, Completion(mine) + "/complete");
  EXPECT_EQ(twice->status, 409);
  EXPECT_EQ(Error(twice), "failed_precondition/");
  EXPECT_EQ(Body(Get("/api/v1/my/work", sam_s))["awareness"].size(), 0u);
  const Json record = Body(Get("/api/v1/my/awareness", sam_s))["data"];
  ASSERT_EQ(record.size(), 1u);
  EXPECT_EQ(record[0]["status"], "completed");

  progress = Body(Get(Campaign(id) + "/progress"));
  EXPECT_EQ(progress["completed"], 1);
  EXPECT_DOUBLE_EQ(progress["rate"].get<double>(), 0.25);
  EXPECT_EQ(progress["waiting"].size(), 3u);

  // Staff have their own work, not the registers.
  EXPECT_EQ(Get("/api/v1/awareness-campaigns", sam_s)->status, 403);
  EXPECT_EQ(Get("/api/v1/awareness-completions", sam_s)->status, 403);
  EXPECT_EQ(Get(Campaign(id) + "/progress", sam_s)->status, 403);
  // Completions are written by their workflow only.
  auto forged = Post("/api/v1/awareness-completions",
                     {{"campaign", id}, {"person", tess}, {"status", "completed"}});
  EXPECT_EQ(forged->status, 405);

  // Closing: who has not completed it is recorded as not completed, and can no longer.
  auto current = Get(Campaign(id));
  auto closed = PostAs(Bearer(), Campaign(id) + "/close", Tag(current));
  ASSERT_EQ(closed->status, 200) << closed->body;
  EXPECT_EQ(Body(closed)["status"], "closed");
  const Json tess_work = Body(Get("/api/v1/my/work", tess_s));
  EXPECT_EQ(tess_work["awareness"].size(), 0u);
  const Json tess_record = Body(Get("/api/v1/my/awareness", tess_s))["data"];
  ASSERT_EQ(tess_record.size(), 1u);
  EXPECT_EQ(tess_record[0]["status"], "missed");
  auto late = PostAs(tess_s, Completion(tess_record[0]["id"].get<int64_t>()) + "/complete");
  EXPECT_EQ(late->status, 409);
  progress = Body(Get(Campaign(id) + "/progress"));
  EXPECT_EQ(progress["asked"], 4);
  EXPECT_EQ(progress["completed"], 1);
  EXPECT_EQ(progress["waiting"].size(), 3u);
  auto relaunch = PostAs(Bearer(), Campaign(id) + "/launch", Tag(closed));
  EXPECT_EQ(relaunch->status, 409);
  EXPECT_EQ(Error(relaunch), "failed_precondition/");
  auto reclose = PostAs(Bearer(), Campaign(id) + "/close", Tag(closed));
  EXPECT_EQ(reclose->status, 409);
  // A closed campaign is kept as written.
  auto edit = Patch(Campaign(id), {{"topic", "Phishing 2"}}, Tag(closed));
  EXPECT_EQ(edit->status, 409) << edit->body;
}

TEST_F(AwarenessApi, PeopleWhoHaveNotCompletedByTheDueDateAreOverdue) {
  AddMember("sam", domain::Role::kStaff);
  auto created = Post("/api/v1/awareness-campaigns", {{"topic", "Clean desk"},
                                                      {"audience_roles", {"staff"}},
                                                      {"due_date", domain::AddDays(today_, -1)}});
  ASSERT_EQ(created->status, 201) << created->body;
  const int64_t id = Body(created)["id"].get<int64_t>();
  ASSERT_EQ(PostAs(Bearer(), Campaign(id) + "/launch", Tag(created))->status, 200);
  const Json progress = Body(Get(Campaign(id) + "/progress"));
  EXPECT_EQ(progress["asked"], 1);
  EXPECT_EQ(progress["overdue"], 1);
  const Json work = Body(Get("/api/v1/my/work", As("sam")));
  ASSERT_EQ(work["awareness"].size(), 1u);
  EXPECT_TRUE(domain::IsAwarenessOverdue(work["awareness"][0], today_));
}

TEST_F(AwarenessApi, AnAudienceOfNobodyIsRefusedAndNothingChanges) {
  auto created = Post("/api/v1/awareness-campaigns", {{"topic", "Incident reporting"},
                                                      {"audience_roles", {"auditor"}},
                                                      {"due_date", domain::AddDays(today_, 7)}});
  ASSERT_EQ(created->status, 201) << created->body;
  const int64_t id = Body(created)["id"].get<int64_t>();
  auto launch = PostAs(Bearer(), Campaign(id) + "/launch", Tag(created));
  EXPECT_EQ(launch->status, 409);
  EXPECT_EQ(Error(launch), "failed_precondition/audience_roles");
  auto after = Get(Campaign(id));
  EXPECT_EQ(Body(after)["status"], "planned");
  EXPECT_EQ(Tag(after), Tag(created));
  // Only a launched campaign is closed.
  auto close = PostAs(Bearer(), Campaign(id) + "/close", Tag(created));
  EXPECT_EQ(close->status, 409);
  EXPECT_EQ(Error(close), "failed_precondition/");
}

TEST_F(AwarenessApi, ProgressIsReadWithAFixedNumberOfStatements) {
  auto created = Post("/api/v1/awareness-campaigns", {{"topic", "Passwords"},
                                                      {"audience_roles", {"staff"}},
                                                      {"due_date", domain::AddDays(today_, 7)}});
  const int64_t id = Body(created)["id"].get<int64_t>();
  AddMember("sam", domain::Role::kStaff);
  auto launched = PostAs(Bearer(), Campaign(id) + "/launch", Tag(created));
  ASSERT_EQ(launched->status, 200);
  auto statements = [&] {
    const uint64_t before = store_->StatementCount();
    EXPECT_EQ(Get(Campaign(id) + "/progress")->status, 200);
    return store_->StatementCount() - before;
  };
  statements();
  const uint64_t few = statements();
  for (int i = 0; i < 12; ++i) AddMember("staff" + std::to_string(i), domain::Role::kStaff);
  auto invited = PostAs(Bearer(), Campaign(id) + "/launch", Tag(launched));
  ASSERT_EQ(Body(invited)["invited"], 12);
  EXPECT_EQ(statements(), few);
}

TEST_F(AwarenessApi, AnotherOrganisationFindsNoneOfIt) {
  AddMember("sam", domain::Role::kStaff);
  auto created = Post("/api/v1/awareness-campaigns", {{"topic", "Phishing"},
                                                      {"audience_roles", {"staff"}},
                                                      {"due_date", domain::AddDays(today_, 7)}});
  const int64_t id = Body(created)["id"].get<int64_t>();
  auto launched = PostAs(Bearer(), Campaign(id) + "/launch", Tag(created));
  ASSERT_EQ(launched->status, 200);
  const int64_t sams = Body(Get("/api/v1/my/work", As("sam")))["awareness"][0]["id"].get<int64_t>();
  ASSERT_TRUE(services_->members.AddOrganisation("Globex").ok());
  auto gary = services_->members.AddUser(
      "Globex",
      app::NewMember{.username = "gary", .role = domain::Role::kAdmin, .password = kPassword});
  ASSERT_TRUE(gary.ok()) << gary.status().ToString();
  const auto globex = As("gary");
  EXPECT_EQ(Get(Campaign(id), globex)->status, 404);
  EXPECT_EQ(Get(Campaign(id) + "/progress", globex)->status, 404);
  EXPECT_EQ(PostAs(globex, Campaign(id) + "/launch", Tag(launched))->status, 404);
  EXPECT_EQ(PostAs(globex, Campaign(id) + "/close", Tag(launched))->status, 404);
  EXPECT_EQ(PostAs(globex, Completion(sams) + "/complete")->status, 404);
  EXPECT_EQ(Body(Get("/api/v1/awareness-completions", globex))["data"].size(), 0u);
  EXPECT_EQ(Body(Get("/api/v1/my/work", globex))["awareness"].size(), 0u);
}

}  // namespace
}  // namespace rampart::testing

// Management review (clause 9.3) through the API: a draft's inputs written from the records as of
// its date (each of clause 9.3.2's, linking the records of the period), taken afresh at each
// change and frozen once held; held only on or after its date with an executive attending;
// minutes approved by top management only when every input is commented on, with the attendance
// logged in the commitments log; decisions followed up as a task, objective or improvement in
// one write, a refusal naming the decision's column; the next review reporting what became of
// them; the statements a snapshot takes do not grow with the records; the pages and the minutes
// ready to print.
#include <gmock/gmock.h>

#include <string>

#include "api_fixture.h"
#include "base/clock.h"
#include "domain/management_review.h"
#include "domain/support.h"

namespace rampart::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ManagementReviewApi : public ApiTest {
 protected:
  static constexpr const char* kPassword = "review the whole system";

  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    today_ = FormatDate(clock_.Now());
    alice_ = Body(Get("/api/v1/auth/me"))["user_id"].get<int64_t>();
    ceo_ = AddMember("ceo", domain::Role::kExecutive);
    manager_ = AddMember("manager", domain::Role::kIsmsManager);
  }
  int64_t AddMember(const std::string& name, domain::Role role) {
    auto added = services_->members.AddUser(
        "", app::NewMember{.username = name, .role = role, .password = kPassword});
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? added->user.id : 0;
  }
  httplib::Headers As(const std::string& name) { return SessionHeaders(SignIn(name, kPassword)); }
  static std::string Tag(const httplib::Result& r) { return r->get_header_value("ETag"); }
  static std::string Path(int64_t id) { return "/api/v1/management-reviews/" + std::to_string(id); }

  Json Review(const std::string& date, const Json& extra = Json::object()) const {
    Json r = {{"title", "Management review " + date},
              {"review_date", date},
              {"chair", ceo_},
              {"attendees",
               {{{"attendee", ceo_}, {"capacity", "Chief executive"}},
                {{"attendee", manager_}, {"capacity", "ISMS manager"}}}}};
    for (const auto& [k, v] : extra.items()) r[k] = v;
    return r;
  }
  static std::string Summary(const Json& review, const std::string& topic) {
    for (const auto& row : review["input_snapshot"]) {
      if (row["topic"] == topic) return row["summary"].get<std::string>();
    }
    return "(no row " + topic + ")";
  }
  Json AllComments() const {
    Json out = Json::array();
    for (const auto& t : domain::ReviewTopics()) {
      out.push_back({{"topic", std::string(t.value)}, {"comment", "Discussed; no concern."}});
    }
    return out;
  }
  int64_t AddNc(const std::string& title, const std::string& detected_on) {
    auto nc = Post("/api/v1/nonconformities", {{"title", title},
                                               {"source", "internal_audit"},
                                               {"grade", "minor"},
                                               {"description", "Found by the internal audit."},
                                               {"requirement", "A.5.18"},
                                               {"detected_on", detected_on},
                                               {"owner", alice_}});
    EXPECT_EQ(nc->status, 201) << nc->body;
    return Body(nc)["id"].get<int64_t>();
  }
  // A review held today with every input commented on, minutes and decisions.
  httplib::Result Held(const Json& decisions) {
    auto created = Post("/api/v1/management-reviews", Review(today_));
    EXPECT_EQ(created->status, 201) << created->body;
    return Patch(Path(Body(created)["id"].get<int64_t>()),
                 {{"status", "held"},
                  {"input_comments", AllComments()},
                  {"minutes", "The ISMS remains suitable, adequate and effective."},
                  {"decisions", decisions}},
                 Tag(created));
  }

  std::string today_;
  int64_t alice_ = 0;
  int64_t ceo_ = 0;
  int64_t manager_ = 0;
};

TEST_F(ManagementReviewApi, ADraftsInputsAreWrittenFromTheRecordsOfItsPeriod) {
  const int64_t nc = AddNc("Leavers keep access", today_);
  AddNc("Detected after the review", domain::AddDays(today_, 5));
  ASSERT_EQ(Post("/api/v1/improvements", {{"title", "Automate leaver removal"},
                                          {"source", "nonconformity"},
                                          {"raised_on", today_}})
                ->status,
            201);
  auto created = Post("/api/v1/management-reviews", Review(domain::AddDays(today_, 1)));
  ASSERT_EQ(created->status, 201) << created->body;
  const Json review = Body(created);
  EXPECT_EQ(review["status"], "draft");
  ASSERT_EQ(review["input_snapshot"].size(), domain::ReviewTopics().size());
  EXPECT_EQ(review["input_snapshot"][0]["topic"], "previous_actions");
  EXPECT_THAT(Summary(review, "previous_actions"), HasSubstr("first management review"));
  // The nonconformity detected in the period is linked; the one after its date is not.
  EXPECT_THAT(Summary(review, "nonconformities"),
              HasSubstr("[Leavers keep access](/nonconformities/" + std::to_string(nc) + ")"));
  EXPECT_THAT(Summary(review, "nonconformities"), Not(HasSubstr("Detected after the review")));
  EXPECT_THAT(Summary(review, "nonconformities"), HasSubstr("Open 2"));
  EXPECT_THAT(Summary(review, "improvement"), HasSubstr("Automate leaver removal"));
  EXPECT_THAT(Summary(review, "audits"), HasSubstr("No internal audit was completed so far."));
  // The preview says the same.
  auto preview = Get("/api/v1/management-reviews/inputs?date=" + domain::AddDays(today_, 1));
  ASSERT_EQ(preview->status, 200) << preview->body;
  EXPECT_EQ(Body(preview)["inputs"][3]["summary"], Summary(review, "nonconformities"));
  EXPECT_EQ(Body(preview)["inputs"][3]["clause"], "9.3.2 d) 1)");
  EXPECT_EQ(Error(Get("/api/v1/management-reviews/inputs?date=2026-13-01")),
            "invalid_argument/date");
  // A change of the draft takes the inputs afresh; a summary sent is refused (Rampart's).
  const int64_t id = review["id"].get<int64_t>();
  AddNc("Found meanwhile", today_);
  auto edited = Patch(Path(id), {{"minutes", "Draft agenda."}}, Tag(created));
  ASSERT_EQ(edited->status, 200) << edited->body;
  EXPECT_THAT(Summary(Body(edited), "nonconformities"), HasSubstr("Found meanwhile"));
  auto forged = Patch(Path(id), {{"input_snapshot", {{{"topic", "risks"}, {"summary", "Fine."}}}}},
                      Tag(edited));
  EXPECT_EQ(Error(forged), "invalid_argument/input_snapshot");
}

TEST_F(ManagementReviewApi, HeldOnOrAfterItsDateWithTopManagementThenFrozen) {
  auto future = Post("/api/v1/management-reviews", Review(domain::AddDays(today_, 3)));
  ASSERT_EQ(future->status, 201) << future->body;
  auto early = Patch(Path(Body(future)["id"].get<int64_t>()), {{"status", "held"}}, Tag(future));
  EXPECT_EQ(Error(early), "invalid_argument/status");
  EXPECT_THAT(Body(early)["error"]["message"].get<std::string>(), HasSubstr("on or after"));
  // Without an executive among the attendees.
  auto managers = Post("/api/v1/management-reviews",
                       Review(today_, {{"attendees", {{{"attendee", manager_}}}}}));
  ASSERT_EQ(managers->status, 201) << managers->body;
  const int64_t id = Body(managers)["id"].get<int64_t>();
  auto no_top = Patch(Path(id), {{"status", "held"}}, Tag(managers));
  EXPECT_EQ(Error(no_top), "invalid_argument/attendees");
  auto nobody = Patch(Path(id), {{"status", "held"}, {"attendees", Json()}}, Tag(managers));
  EXPECT_EQ(Error(nobody), "invalid_argument/attendees");
  EXPECT_EQ(Body(Get(Path(id)))["status"], "draft");
  // Held with the chief executive: frozen from then on.
  auto held =
      Patch(Path(id), {{"status", "held"}, {"attendees", {{{"attendee", ceo_}}}}}, Tag(managers));
  ASSERT_EQ(held->status, 200) << held->body;
  const Json frozen = Body(held)["input_snapshot"];
  AddNc("Raised after the review was held", today_);
  auto commented = Patch(Path(id), {{"input_comments", AllComments()}}, Tag(held));
  ASSERT_EQ(commented->status, 200) << commented->body;
  EXPECT_EQ(Body(commented)["input_snapshot"], frozen);
  EXPECT_THAT(Summary(Body(commented), "nonconformities"),
              Not(HasSubstr("Raised after the review was held")));
  // Back to draft is no transition.
  EXPECT_EQ(Error(Patch(Path(id), {{"status", "draft"}}, Tag(commented))),
            "invalid_argument/status");
}

TEST_F(ManagementReviewApi, TopManagementApprovesTheMinutesAndItsAttendanceIsLogged) {
  auto created = Post("/api/v1/management-reviews", Review(today_));
  ASSERT_EQ(created->status, 201) << created->body;
  const int64_t id = Body(created)["id"].get<int64_t>();
  auto held = Patch(Path(id), {{"status", "held"}}, Tag(created));
  ASSERT_EQ(held->status, 200) << held->body;
  const auto ceo = As("ceo");
  auto approve = [&](const httplib::Headers& who, const std::string& tag) {
    return Client().Post(Path(id) + "/approve", With(who, "If-Match", tag), "", "application/json");
  };
  // The ISMS manager may not; top management may, once the minutes are complete.
  EXPECT_EQ(approve(As("manager"), Tag(held))->status, 403);
  EXPECT_EQ(Error(approve(ceo, Tag(held))), "invalid_argument/input_comments");
  auto commented = Patch(Path(id), {{"input_comments", AllComments()}}, Tag(held));
  ASSERT_EQ(commented->status, 200);
  EXPECT_EQ(Error(approve(ceo, Tag(commented))), "invalid_argument/minutes");
  auto minuted =
      Patch(Path(id), {{"minutes", "Suitable, adequate and effective."}}, Tag(commented));
  EXPECT_EQ(Error(approve(ceo, Tag(minuted))), "invalid_argument/decisions");
  auto decided =
      Patch(Path(id), {{"decisions", {{{"decision", "Keep the ISMS as it is"}, {"kind", "none"}}}}},
            Tag(minuted));
  ASSERT_EQ(decided->status, 200) << decided->body;
  EXPECT_EQ(approve(ceo, Tag(minuted))->status, 412);  // a stale version
  auto approved = approve(ceo, Tag(decided));
  ASSERT_EQ(approved->status, 200) << approved->body;
  EXPECT_EQ(Body(approved)["status"], "approved");
  EXPECT_EQ(Body(approved)["approved_by"], ceo_);
  EXPECT_EQ(Body(approved)["approved_on"], today_);
  // The executive's attendance is in the commitments log; the ISMS manager's is not.
  const Json log = Body(Get("/api/v1/commitments?kind=management_review_attendance"))["data"];
  ASSERT_EQ(log.size(), 1u) << log.dump();
  EXPECT_EQ(log[0]["committed_by"], ceo_);
  EXPECT_THAT(log[0]["statement"].get<std::string>(),
              HasSubstr("Attended the management review \"Management review " + today_));
  EXPECT_EQ(log[0]["origin"], "automatic");
  EXPECT_EQ(log[0]["source_type"], "management_review");
  EXPECT_EQ(log[0]["source_id"], id);
  // Approved minutes are not edited, nor approved twice.
  EXPECT_EQ(Error(Patch(Path(id), {{"minutes", "Changed."}}, Tag(approved))),
            "failed_precondition/");
  EXPECT_EQ(Error(approve(ceo, Tag(approved))), "failed_precondition/");
}

TEST_F(ManagementReviewApi, DecisionsAreFollowedUpAndTheNextReviewReportsThem) {
  auto held =
      Held({{{"decision", "Automate leaver removal"},
             {"kind", "task"},
             {"owner", manager_},
             {"due", domain::AddDays(today_, 30)}},
            {{"decision", "Halve the phishing click rate"}, {"kind", "objective"}},
            {{"decision", "Adopt a password manager"}, {"kind", "improvement"}, {"owner", alice_}},
            {{"decision", "Nothing"}}});
  ASSERT_EQ(held->status, 200) << held->body;
  const int64_t id = Body(held)["id"].get<int64_t>();
  const std::string base = Path(id) + "/decisions/";
  auto follow = [&](int row, const std::string& tag) {
    return Client().Post(base + std::to_string(row) + "/follow-up", With(Bearer(), "If-Match", tag),
                         "", "application/json");
  };
  auto task = follow(0, Tag(held));
  ASSERT_EQ(task->status, 201) << task->body;
  EXPECT_EQ(Body(task)["title"], "Automate leaver removal");
  EXPECT_EQ(Body(task)["record_type"], "management_review");
  EXPECT_EQ(Body(task)["record_id"], id);
  EXPECT_EQ(Body(task)["owner"], manager_);
  auto after = Get(Path(id));
  EXPECT_EQ(Body(after)["decisions"][0]["follow_up"], Body(task)["id"]);
  // Once only; a stale version; an objective needs its due date (nothing is created).
  EXPECT_EQ(Error(follow(0, Tag(after))), "invalid_argument/decisions[0].follow_up");
  EXPECT_EQ(follow(1, Tag(held))->status, 412);
  const size_t objectives = Body(Get("/api/v1/objectives"))["data"].size();
  EXPECT_EQ(Error(follow(1, Tag(after))), "invalid_argument/decisions[1].due");
  EXPECT_EQ(Body(Get("/api/v1/objectives"))["data"].size(), objectives);
  EXPECT_EQ(Error(follow(3, Tag(after))), "invalid_argument/decisions[3].kind");
  EXPECT_EQ(Error(follow(7, Tag(after))), "invalid_argument/row");
  auto improvement = follow(2, Tag(after));
  ASSERT_EQ(improvement->status, 201) << improvement->body;
  EXPECT_EQ(Body(improvement)["source"], "management_review");
  EXPECT_EQ(Body(improvement)["status"], "accepted");
  // The follow-up is part of the review's history.
  const Json history = Body(Get(Path(id) + "/history"))["data"];
  EXPECT_EQ(history.back()["action"], "follow_up");
  // A forged follow-up naming no record is refused.
  auto now = Get(Path(id));
  Json decisions = Body(now)["decisions"];
  decisions[1]["follow_up"] = 999999;
  EXPECT_EQ(Error(Patch(Path(id), {{"decisions", decisions}}, Tag(now))),
            "invalid_argument/decisions[1].follow_up");
  // The task is done; the next review's inputs report the decisions and their follow-ups.
  auto done =
      Patch("/api/v1/tasks/" + std::to_string(Body(task)["id"].get<int64_t>()),
            {{"status", "done"}, {"outcome", "Leavers are removed by a script."}}, Tag(task));
  ASSERT_EQ(done->status, 200) << done->body;
  auto next = Get("/api/v1/management-reviews/inputs?date=" + domain::AddDays(today_, 90));
  ASSERT_EQ(next->status, 200);
  const std::string actions = Body(next)["inputs"][0]["summary"].get<std::string>();
  EXPECT_THAT(actions, HasSubstr("/management-reviews/" + std::to_string(id)));
  EXPECT_THAT(actions, HasSubstr("[Automate leaver removal](/tasks/" +
                                 std::to_string(Body(task)["id"].get<int64_t>()) + "): Done"));
  EXPECT_THAT(actions, HasSubstr("Halve the phishing click rate — not followed up in Rampart"));
  EXPECT_THAT(actions, HasSubstr("Adopt a password manager — [Adopt a password manager]"));
}

TEST_F(ManagementReviewApi, TheSnapshotsStatementsDoNotGrowWithTheRecords) {
  auto statements = [&] {
    const uint64_t before = store_->StatementCount();
    auto r = services_->reviews.Inputs(
        app::Principal{.user_id = alice_, .org_id = 1, .role = domain::Role::kAdmin}, today_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return store_->StatementCount() - before;
  };
  AddNc("One", today_);
  const uint64_t few = statements();
  for (int i = 0; i < 30; ++i) AddNc("More " + std::to_string(i), today_);
  EXPECT_EQ(statements(), few);
  EXPECT_LE(few, 25u);
}

TEST_F(ManagementReviewApi, TheReviewsPageAndItsMinutesReadyToPrint) {
  AddNc("Leavers <keep> access", today_);
  auto held = Held({{{"decision", "Automate leaver removal"}, {"kind", "task"}}});
  ASSERT_EQ(held->status, 200) << held->body;
  const int64_t id = Body(held)["id"].get<int64_t>();
  const auto session = SessionHeaders(SignIn("alice", kAlicePassword));
  auto page = Client().Get("/management-reviews/" + std::to_string(id), session);
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("Inputs (clause 9.3.2)"));
  EXPECT_THAT(page->body, HasSubstr("Leavers &lt;keep&gt; access"));
  EXPECT_THAT(page->body, Not(HasSubstr("<keep>")));
  EXPECT_THAT(page->body, HasSubstr("Create Task"));
  EXPECT_THAT(page->body, HasSubstr("Approve minutes"));
  auto minutes = Client().Get("/management-reviews/" + std::to_string(id) + "/minutes", session);
  ASSERT_EQ(minutes->status, 200);
  EXPECT_THAT(minutes->body, HasSubstr("Management review: Management review " + today_));
  EXPECT_THAT(minutes->body, HasSubstr("Minutes not approved yet."));
  EXPECT_THAT(minutes->body, HasSubstr("ceo, Chief executive (chair)"));
  EXPECT_THAT(minutes->body, HasSubstr("The ISMS remains suitable, adequate and effective."));
  EXPECT_THAT(minutes->body, Not(HasSubstr("Create Task")));
}

}  // namespace
}  // namespace rampart::testing

// Tasks and clause 10 through the API: a task for any record, checked to exist in the caller's
// organisation; a recurring task followed by the next when done; the caller's tasks on My work;
// a nonconformity taken from open to closed with its corrective actions as its tasks (action done
// only when they are, not effective reopens them, closed only after an effective review); an
// improvement; and what a contributor and another organisation may do.
#include <gmock/gmock.h>

#include <string>

#include "api_fixture.h"
#include "base/clock.h"
#include "domain/support.h"

namespace rampart::testing {
namespace {

class ImprovementApi : public ApiTest {
 protected:
  static constexpr const char* kPassword = "correct it at the root";

  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    today_ = FormatDate(clock_.Now());
    alice_ = Body(Get("/api/v1/auth/me"))["user_id"].get<int64_t>();
  }
  int64_t AddMember(const std::string& name, domain::Role role) {
    auto added = services_->members.AddUser(
        "", app::NewMember{.username = name, .role = role, .password = kPassword});
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? added->user.id : 0;
  }
  httplib::Headers As(const std::string& name) { return SessionHeaders(SignIn(name, kPassword)); }
  static std::string Tag(const httplib::Result& r) { return r->get_header_value("ETag"); }
  static std::string Nc(int64_t id) { return "/api/v1/nonconformities/" + std::to_string(id); }
  static std::string TaskPath(int64_t id) { return "/api/v1/tasks/" + std::to_string(id); }

  Json NcFields() const {
    return {{"title", "Leavers' accounts not removed"},
            {"source", "internal_audit"},
            {"grade", "minor"},
            {"description", "3 of 25 leavers sampled still had active accounts."},
            {"requirement", "A.5.18"},
            {"detected_on", today_},
            {"owner", alice_}};
  }
  Json PlanFields() const {
    return {{"status", "action_planned"},
            {"reaction", "The 3 accounts were disabled the same day."},
            {"root_cause_method", "five_whys"},
            {"root_cause", "HR's leaver notice does not reach IT."},
            {"similar_nonconformities", "Contractors leave the same way."},
            {"action_due", domain::AddDays(today_, 30)},
            {"effectiveness_due", domain::AddDays(today_, 90)},
            {"effectiveness_reviewer", alice_}};
  }
  Json ReviewFields(const std::string& result, const std::string& status) const {
    return {{"effectiveness", result},
            {"effectiveness_reviewed_on", today_},
            {"effectiveness_evidence", "Sample of 20 leavers checked."},
            {"status", status}};
  }
  Json Action(int64_t nc, const std::string& title) const {
    return {{"title", title},
            {"owner", alice_},
            {"due_date", domain::AddDays(today_, 20)},
            {"record_type", "nonconformity"},
            {"record_id", nc}};
  }

  std::string today_;
  int64_t alice_ = 0;
};

TEST_F(ImprovementApi, ATaskNamesARecordOfTheOrganisation) {
  auto missing = Post("/api/v1/tasks", {{"title", "Check"},
                                        {"owner", alice_},
                                        {"record_type", "nonconformity"},
                                        {"record_id", 999}});
  EXPECT_EQ(missing->status, 400);
  EXPECT_EQ(Error(missing), "invalid_argument/record_id");
  EXPECT_THAT(Body(missing)["error"]["message"].get<std::string>(),
              ::testing::HasSubstr("no nonconformity 999"));
  auto unknown = Post(
      "/api/v1/tasks",
      {{"title", "Check"}, {"owner", alice_}, {"record_type", "spreadsheet"}, {"record_id", 1}});
  EXPECT_EQ(Error(unknown), "invalid_argument/record_type");
  EXPECT_EQ(Body(Get("/api/v1/tasks"))["data"].size(), 0u);

  auto nc = Post("/api/v1/nonconformities", NcFields());
  ASSERT_EQ(nc->status, 201) << nc->body;
  const int64_t id = Body(nc)["id"].get<int64_t>();
  EXPECT_EQ(Body(nc)["number"], 1);
  auto task = Post("/api/v1/tasks", Action(id, "Send leaver notices to IT"));
  ASSERT_EQ(task->status, 201) << task->body;
  auto listed =
      Body(Get("/api/v1/tasks?record_type=nonconformity&record_id=" + std::to_string(id)));
  ASSERT_EQ(listed["data"].size(), 1u);
  EXPECT_EQ(listed["data"][0]["title"], "Send leaver notices to IT");
  // The record is referred to by its task: its page lists it.
  auto page = Client().Get("/nonconformities/" + std::to_string(id),
                           SessionHeaders(SignIn("alice", kAlicePassword)));
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, ::testing::HasSubstr("Corrective actions (1)"));
  EXPECT_THAT(page->body, ::testing::HasSubstr("Send leaver notices to IT"));
}

TEST_F(ImprovementApi, ARecurringTaskIsFollowedByTheNextWhenDone) {
  auto quarterly = Post("/api/v1/tasks", {{"title", "Quarterly access review"},
                                          {"owner", alice_},
                                          {"due_date", "2027-01-31"},
                                          {"recurrence_every", 3},
                                          {"recurrence_unit", "months"},
                                          {"recurrence_from", "due_date"}});
  ASSERT_EQ(quarterly->status, 201) << quarterly->body;
  const int64_t id = Body(quarterly)["id"].get<int64_t>();
  auto started = Patch(TaskPath(id), {{"status", "in_progress"}}, Tag(quarterly));
  ASSERT_EQ(started->status, 200) << started->body;
  EXPECT_EQ(Body(Get("/api/v1/tasks"))["data"].size(), 1u);  // not done yet: no next one
  auto unexplained = Patch(TaskPath(id), {{"status", "done"}}, Tag(started));
  EXPECT_EQ(Error(unexplained), "invalid_argument/outcome");
  auto done =
      Patch(TaskPath(id), {{"status", "done"}, {"outcome", "12 rights removed."}}, Tag(started));
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_EQ(Body(done)["completed_on"], today_);

  const Json all = Body(Get("/api/v1/tasks?sort=id"));
  ASSERT_EQ(all["data"].size(), 2u);
  const Json& next = all["data"][1];
  EXPECT_EQ(next["title"], "Quarterly access review");
  EXPECT_EQ(next["status"], "open");
  EXPECT_EQ(next["due_date"], "2027-04-30");
  EXPECT_TRUE(next["outcome"].is_null());
  EXPECT_TRUE(next["completed_on"].is_null());
  EXPECT_EQ(next["recurrence_every"], 3);
  // The next one is recorded in the audit trail as following from the first.
  const Json history = Body(Get(TaskPath(next["id"].get<int64_t>()) + "/history"));
  ASSERT_GE(history["data"].size(), 1u);
  EXPECT_EQ(history["data"][0]["action"], "recur");

  EXPECT_EQ(next["recurrence_anchor"], "2027-01-31");
  EXPECT_EQ(Body(done)["recurred"], true);

  // Reopened and done again, the task has its successor already: no second one.
  auto reopened = Patch(TaskPath(id), {{"status", "open"}}, Tag(done));
  ASSERT_EQ(reopened->status, 200) << reopened->body;
  EXPECT_TRUE(Body(reopened)["completed_on"].is_null());
  EXPECT_EQ(Body(Get("/api/v1/tasks"))["data"].size(), 2u);
  // A completed_on sent by a client is refused.
  auto stamped = Patch(TaskPath(id), {{"completed_on", "2026-01-01"}}, Tag(reopened));
  EXPECT_EQ(Error(stamped), "invalid_argument/completed_on");
  auto redone =
      Patch(TaskPath(id), {{"status", "done"}, {"outcome", "2 more removed."}}, Tag(reopened));
  ASSERT_EQ(redone->status, 200) << redone->body;
  EXPECT_EQ(Body(Get("/api/v1/tasks"))["data"].size(), 2u);

  // The series keeps to the 31st where the month has one: 30 April, then 31 July.
  const std::string next_path = TaskPath(next["id"].get<int64_t>());
  auto next_done = Patch(next_path, {{"status", "done"}, {"outcome", "Reviewed."}},
                         "\"" + std::to_string(next["version"].get<int64_t>()) + "\"");
  ASSERT_EQ(next_done->status, 200) << next_done->body;
  const Json three = Body(Get("/api/v1/tasks?sort=id"));
  ASSERT_EQ(three["data"].size(), 3u);
  EXPECT_EQ(three["data"][2]["due_date"], "2027-07-31");

  // A series given a last day ends there: the July task done, none follows.
  auto ending =
      Patch(TaskPath(three["data"][2]["id"].get<int64_t>()),
            {{"recurrence_until", "2027-09-30"}, {"status", "done"}, {"outcome", "Done."}},
            "\"" + std::to_string(three["data"][2]["version"].get<int64_t>()) + "\"");
  ASSERT_EQ(ending->status, 200) << ending->body;
  EXPECT_EQ(Body(Get("/api/v1/tasks"))["data"].size(), 3u);
}

TEST_F(ImprovementApi, ATaskIsGivenOnlyToARecordTheCallerMayChange) {
  auto nc = Post("/api/v1/nonconformities", NcFields());  // alice's
  ASSERT_EQ(nc->status, 201) << nc->body;
  const int64_t id = Body(nc)["id"].get<int64_t>();
  const int64_t carol = AddMember("carol", domain::Role::kContributor);
  Json task = Action(id, "Carol's idea");
  task["owner"] = carol;
  auto refused = Client().Post("/api/v1/tasks", As("carol"), task.dump(), "application/json");
  EXPECT_EQ(refused->status, 400) << refused->body;
  EXPECT_EQ(Error(refused), "invalid_argument/record_id");
  EXPECT_THAT(Body(refused)["error"]["message"].get<std::string>(),
              ::testing::HasSubstr("you may not change nonconformity"));
  EXPECT_EQ(Body(Get("/api/v1/tasks"))["data"].size(), 0u);
  // The nonconformity's owner gives carol the task; carol completes it.
  auto given = Post("/api/v1/tasks", task);
  ASSERT_EQ(given->status, 201) << given->body;
  auto completed = Client().Patch(
      TaskPath(Body(given)["id"].get<int64_t>()),
      [&] {
        auto h = As("carol");
        h.emplace("If-Match", Tag(given));
        return h;
      }(),
      Json({{"status", "done"}, {"outcome", "Done."}}).dump(), "application/json");
  EXPECT_EQ(completed->status, 200) << completed->body;
}

TEST_F(ImprovementApi, ARecordWithTasksIsNotDeleted) {
  auto nc = Post("/api/v1/nonconformities", NcFields());
  const int64_t id = Body(nc)["id"].get<int64_t>();
  auto task = Post("/api/v1/tasks", Action(id, "Send leaver notices to IT"));
  ASSERT_EQ(task->status, 201) << task->body;
  auto refused = Delete(Nc(id), Tag(nc));
  EXPECT_EQ(refused->status, 409) << refused->body;
  EXPECT_THAT(Body(refused)["error"]["message"].get<std::string>(),
              ::testing::HasSubstr("1 task (\"Send leaver notices to IT\")"));
  EXPECT_EQ(Get(Nc(id))->status, 200);
  ASSERT_EQ(Delete(TaskPath(Body(task)["id"].get<int64_t>()), Tag(task))->status, 204);
  EXPECT_EQ(Delete(Nc(id), Tag(nc))->status, 204);
}

TEST_F(ImprovementApi, EachRoundOfCorrectiveActionIsReviewedAfresh) {
  auto created = Post("/api/v1/nonconformities", NcFields());
  const int64_t id = Body(created)["id"].get<int64_t>();
  auto planned = Patch(Nc(id), PlanFields(), Tag(created));
  ASSERT_EQ(planned->status, 200) << planned->body;
  auto action = Post("/api/v1/tasks", Action(id, "Send leaver notices to IT"));
  const std::string action_path = TaskPath(Body(action)["id"].get<int64_t>());
  auto complete = [&](const std::string& outcome) {
    const Json t = Body(Get(action_path));
    auto r = Patch(action_path, {{"status", "done"}, {"outcome", outcome}},
                   "\"" + std::to_string(t["version"].get<int64_t>()) + "\"");
    EXPECT_EQ(r->status, 200) << r->body;
  };
  auto step = [&](const Json& fields) {
    const Json nc = Body(Get(Nc(id)));
    return Patch(Nc(id), fields, "\"" + std::to_string(nc["version"].get<int64_t>()) + "\"");
  };
  complete("Notices sent.");
  ASSERT_EQ(step({{"status", "action_done"}})->status, 200);
  ASSERT_EQ(step(ReviewFields("not_effective", "action_planned"))->status, 200);
  EXPECT_EQ(Body(Get(action_path))["status"], "open");

  // Done again: the first review was of the first round; the second round awaits its own.
  complete("Notices sent, contractors included.");
  auto redone = step({{"status", "action_done"}});
  ASSERT_EQ(redone->status, 200) << redone->body;
  EXPECT_TRUE(Body(redone)["effectiveness"].is_null());
  EXPECT_TRUE(Body(redone)["effectiveness_evidence"].is_null());
  // A second review finding it not effective reopens the action again.
  ASSERT_EQ(step(ReviewFields("not_effective", "action_planned"))->status, 200);
  EXPECT_EQ(Body(Get(action_path))["status"], "open");

  complete("Automated deprovisioning.");
  ASSERT_EQ(step({{"status", "action_done"}})->status, 200);
  ASSERT_EQ(step(ReviewFields("effective", "effectiveness_verified"))->status, 200);
  ASSERT_EQ(step({{"status", "closed"}})->status, 200);

  // Reopened after closing, it does not close again on the old review.
  ASSERT_EQ(step({{"status", "action_planned"}})->status, 200);
  auto done = step({{"status", "action_done"}});
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_TRUE(Body(done)["effectiveness"].is_null());
  auto unreviewed = step({{"status", "effectiveness_verified"}});
  EXPECT_EQ(Error(unreviewed), "invalid_argument/effectiveness");
}

TEST_F(ImprovementApi, MyWorkListsTheCallersOpenTasks) {
  const int64_t carl = AddMember("carl", domain::Role::kContributor);
  auto mine = Post("/api/v1/tasks", {{"title", "Rotate the backup keys"},
                                     {"owner", carl},
                                     {"due_date", domain::AddDays(today_, -1)}});
  ASSERT_EQ(mine->status, 201) << mine->body;
  ASSERT_EQ(Post("/api/v1/tasks", {{"title", "Someone else's"}, {"owner", alice_}})->status, 201);
  const auto carl_s = As("carl");
  const Json work = Body(Get("/api/v1/my/work", carl_s));
  ASSERT_EQ(work["tasks"].size(), 1u);
  EXPECT_EQ(work["tasks"][0]["title"], "Rotate the backup keys");
  // A contributor changes the tasks that name them, and only those.
  const int64_t id = Body(mine)["id"].get<int64_t>();
  auto h = carl_s;
  h.emplace("If-Match", Tag(mine));
  auto done =
      Client().Patch(TaskPath(id), h, Json({{"status", "done"}, {"outcome", "Rotated."}}).dump(),
                     "application/json");
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_EQ(Body(Get("/api/v1/my/work", carl_s))["tasks"].size(), 0u);
  auto other = Body(Get("/api/v1/tasks?owner=" + std::to_string(alice_)))["data"][0];
  auto h2 = carl_s;
  h2.emplace("If-Match", "\"" + std::to_string(other["version"].get<int64_t>()) + "\"");
  auto refused = Client().Patch(TaskPath(other["id"].get<int64_t>()), h2,
                                Json({{"status", "cancelled"}}).dump(), "application/json");
  EXPECT_EQ(refused->status, 403);
  // Staff have no tasks section: they do not read the ISMS's records.
  AddMember("sam", domain::Role::kStaff);
  EXPECT_EQ(Body(Get("/api/v1/my/work", As("sam")))["tasks"].size(), 0u);
}

TEST_F(ImprovementApi, ANonconformityClosesOnlyAfterItsActionIsDoneAndFoundEffective) {
  auto created = Post("/api/v1/nonconformities", NcFields());
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(Body(created)["status"], "open");
  const int64_t id = Body(created)["id"].get<int64_t>();

  auto unanalysed = Patch(Nc(id), {{"status", "action_planned"}}, Tag(created));
  EXPECT_EQ(Error(unanalysed), "invalid_argument/reaction");
  auto planned = Patch(Nc(id), PlanFields(), Tag(created));
  ASSERT_EQ(planned->status, 200) << planned->body;

  // Action done needs corrective actions, every one of them closed.
  auto none = Patch(Nc(id), {{"status", "action_done"}}, Tag(planned));
  EXPECT_EQ(none->status, 400);
  EXPECT_EQ(Error(none), "invalid_argument/status");
  EXPECT_THAT(Body(none)["error"]["message"].get<std::string>(),
              ::testing::HasSubstr("no corrective action is done"));
  auto a1 = Post("/api/v1/tasks", Action(id, "Send leaver notices to IT"));
  auto a2 = Post("/api/v1/tasks", Action(id, "Weekly reconciliation HR/AD"));
  ASSERT_EQ(a1->status, 201);
  ASSERT_EQ(a2->status, 201);
  auto a1_done = Patch(TaskPath(Body(a1)["id"].get<int64_t>()),
                       {{"status", "done"}, {"outcome", "HR workflow sends them."}}, Tag(a1));
  ASSERT_EQ(a1_done->status, 200);
  auto one_open = Patch(Nc(id), {{"status", "action_done"}}, Tag(planned));
  EXPECT_EQ(Error(one_open), "invalid_argument/status");
  EXPECT_THAT(
      Body(one_open)["error"]["message"].get<std::string>(),
      ::testing::HasSubstr("1 corrective action is not done yet: \"Weekly reconciliation HR/AD\""));
  EXPECT_EQ(Body(Get(Nc(id)))["status"], "action_planned");  // nothing changed
  auto a2_cancelled =
      Patch(TaskPath(Body(a2)["id"].get<int64_t>()), {{"status", "cancelled"}}, Tag(a2));
  ASSERT_EQ(a2_cancelled->status, 200);
  auto done = Patch(Nc(id), {{"status", "action_done"}}, Tag(planned));
  ASSERT_EQ(done->status, 200) << done->body;

  // Closing needs a verified effectiveness review.
  auto skip = Patch(Nc(id), {{"status", "closed"}}, Tag(done));
  EXPECT_EQ(Error(skip), "invalid_argument/status");
  auto unreviewed = Patch(Nc(id), {{"status", "effectiveness_verified"}}, Tag(done));
  EXPECT_EQ(Error(unreviewed), "invalid_argument/effectiveness");

  // Not effective: back to planning, and the done action is reopened in the same write.
  auto failed = Patch(Nc(id), ReviewFields("not_effective", "action_planned"), Tag(done));
  ASSERT_EQ(failed->status, 200) << failed->body;
  const Json reopened = Body(Get(TaskPath(Body(a1)["id"].get<int64_t>())));
  EXPECT_EQ(reopened["status"], "open");
  EXPECT_TRUE(reopened["completed_on"].is_null());
  const Json task_history = Body(Get(TaskPath(Body(a1)["id"].get<int64_t>()) + "/history"));
  EXPECT_EQ(task_history["data"].back()["action"], "reopen");
  EXPECT_EQ(Body(Get(TaskPath(Body(a2)["id"].get<int64_t>())))["status"], "cancelled");

  auto redone = Patch(TaskPath(Body(a1)["id"].get<int64_t>()),
                      {{"status", "done"}, {"outcome", "Now also for contractors."}},
                      "\"" + std::to_string(reopened["version"].get<int64_t>()) + "\"");
  ASSERT_EQ(redone->status, 200) << redone->body;
  auto done_again = Patch(Nc(id), {{"status", "action_done"}}, Tag(failed));
  ASSERT_EQ(done_again->status, 200) << done_again->body;
  auto verified =
      Patch(Nc(id), ReviewFields("effective", "effectiveness_verified"), Tag(done_again));
  ASSERT_EQ(verified->status, 200) << verified->body;
  auto closed = Patch(Nc(id), {{"status", "closed"}}, Tag(verified));
  ASSERT_EQ(closed->status, 200) << closed->body;
  EXPECT_EQ(Body(closed)["status"], "closed");
}

TEST_F(ImprovementApi, AnImprovementIsDecidedThenImplemented) {
  auto created = Post(
      "/api/v1/improvements",
      {{"title", "Automate deprovisioning"}, {"source", "nonconformity"}, {"raised_on", today_}});
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(Body(created)["number"], 1);
  const std::string path =
      "/api/v1/improvements/" + std::to_string(Body(created)["id"].get<int64_t>());
  auto undecided = Patch(path, {{"status", "accepted"}}, Tag(created));
  EXPECT_EQ(Error(undecided), "invalid_argument/decision");
  auto accepted = Patch(path,
                        {{"status", "accepted"},
                         {"decision", "Removes a manual step."},
                         {"decided_by", alice_},
                         {"decided_on", today_}},
                        Tag(created));
  ASSERT_EQ(accepted->status, 200) << accepted->body;
  auto implemented =
      Patch(path, {{"status", "implemented"}, {"outcome", "Deprovisioned in 1 h."}}, Tag(accepted));
  ASSERT_EQ(implemented->status, 200) << implemented->body;
}

TEST_F(ImprovementApi, AnotherOrganisationFindsNoneOfItAndCannotLinkToIt) {
  auto nc = Post("/api/v1/nonconformities", NcFields());
  const int64_t id = Body(nc)["id"].get<int64_t>();
  auto task = Post("/api/v1/tasks", Action(id, "Send leaver notices to IT"));
  ASSERT_EQ(task->status, 201);
  ASSERT_TRUE(services_->members.AddOrganisation("Globex").ok());
  auto gary = services_->members.AddUser(
      "Globex",
      app::NewMember{.username = "gary", .role = domain::Role::kAdmin, .password = kPassword});
  ASSERT_TRUE(gary.ok()) << gary.status().ToString();
  const auto globex = As("gary");
  EXPECT_EQ(Get(Nc(id), globex)->status, 404);
  EXPECT_EQ(Get(TaskPath(Body(task)["id"].get<int64_t>()), globex)->status, 404);
  EXPECT_EQ(Body(Get("/api/v1/tasks", globex))["data"].size(), 0u);
  EXPECT_EQ(Body(Get("/api/v1/nonconformities", globex))["data"].size(), 0u);
  // Globex cannot hang a task on Acme's nonconformity.
  auto h = globex;
  auto linked = Client().Post("/api/v1/tasks", h,
                              Json({{"title", "Peek"},
                                    {"owner", gary->user.id},
                                    {"record_type", "nonconformity"},
                                    {"record_id", id}})
                                  .dump(),
                              "application/json");
  EXPECT_EQ(linked->status, 400);
  EXPECT_EQ(Error(linked), "invalid_argument/record_id");
}

TEST_F(ImprovementApi, ARecordPageReadsItsTasksInOneStatement) {
  auto nc = Post("/api/v1/nonconformities", NcFields());
  const int64_t id = Body(nc)["id"].get<int64_t>();
  const auto session = SessionHeaders(SignIn("alice", kAlicePassword));
  auto statements = [&] {
    const uint64_t before = store_->StatementCount();
    EXPECT_EQ(Client().Get("/nonconformities/" + std::to_string(id), session)->status, 200);
    return store_->StatementCount() - before;
  };
  statements();
  const uint64_t few = statements();
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(Post("/api/v1/tasks", Action(id, "Action " + std::to_string(i)))->status, 201);
  }
  EXPECT_EQ(statements(), few);
}

}  // namespace
}  // namespace rampart::testing

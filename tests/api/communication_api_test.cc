// Clause 7.4 through the API and the pages: a communication's plan (refusals name their field
// and change nothing), its log through /api/v1/communications/{id}/log, and the "Overdue" flag
// read with one statement however many communications a list shows.
#include <string>
#include <vector>

#include "api_fixture.h"
#include "base/clock.h"
#include "domain/support.h"

namespace rampart::testing {
namespace {

class CommunicationApi : public SignedInTest {
 protected:
  void SetUp() override {
    SignedInTest::SetUp();
    if (HasFatalFailure()) return;
    alice_ = Body(Get("/api/v1/auth/me"))["user_id"].get<int64_t>();
    today_ = FormatDate(clock_.Now());
  }

  int64_t Communication(const std::string& title, const std::string& frequency) {
    auto r = Post("/api/v1/communications",
                  {{"title", title}, {"frequency", frequency}, {"channel", "email"}});
    EXPECT_EQ(r->status, 201) << r->body;
    return r->status == 201 ? Body(r)["id"].get<int64_t>() : 0;
  }

  void Log(int64_t id, int days_ago) {
    auto r = Post("/api/v1/communications/" + std::to_string(id) + "/log",
                  {{"summary", "Sent"}, {"date", domain::AddDays(today_, -days_ago)}});
    EXPECT_EQ(r->status, 201) << r->body;
  }

  int64_t alice_ = 0;
  std::string today_;
};

TEST_F(CommunicationApi, PlansACommunicationWithItsPartiesRolesAndCommunicator) {
  auto party = Post("/api/v1/interested-parties", {{"name", "Customers"}, {"type", "customer"}});
  ASSERT_EQ(party->status, 201) << party->body;
  auto role = Post("/api/v1/isms-roles",
                   {{"name", "ISMS manager"}, {"responsibilities", "Runs the ISMS."}});
  ASSERT_EQ(role->status, 201) << role->body;
  const Json plan = {{"title", "Security newsletter"},
                     {"subject", "Incidents, changes and reminders."},
                     {"frequency", "once"},
                     {"parties", {Body(party)["id"]}},
                     {"roles", {Body(role)["id"]}},
                     {"audience", "All staff"},
                     {"communicator", alice_},
                     {"channel", "email"}};
  auto undated = Post("/api/v1/communications", plan);
  EXPECT_EQ(undated->status, 400);
  EXPECT_EQ(Error(undated), "invalid_argument/date");
  Json bad_channel = plan;
  bad_channel["channel"] = "pigeon";
  bad_channel["date"] = "2027-01-15";
  auto refused = Post("/api/v1/communications", bad_channel);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(Error(refused), "invalid_argument/channel");
  EXPECT_EQ(Body(Get("/api/v1/communications"))["data"].size(), 0u);  // nothing was written

  Json dated = plan;
  dated["date"] = "2027-01-15";
  // Named people must be members of the organisation.
  Json stranger = dated;
  stranger["people"] = {{{"person", alice_ + 1000}}};
  auto no_member = Post("/api/v1/communications", stranger);
  EXPECT_EQ(no_member->status, 400);
  EXPECT_EQ(Error(no_member), "invalid_argument/people[0].person");
  dated["people"] = {{{"person", alice_}}};
  auto created = Post("/api/v1/communications", dated);
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(Body(created)["status"], "active");
  EXPECT_EQ(Body(created)["parties"], Json::array({Body(party)["id"]}));
  EXPECT_EQ(Body(created)["people"], Json::array({{{"person", alice_}}}));
  const std::string by_party =
      "/api/v1/communications?parties=" + std::to_string(Body(party)["id"].get<int64_t>());
  EXPECT_EQ(Body(Get(by_party))["data"].size(), 1u);
}

TEST_F(CommunicationApi, TheLogOfACommunicationIsListedAndAddedToThroughItsRoute) {
  const int64_t id = Communication("Security newsletter", "monthly");
  const std::string log = "/api/v1/communications/" + std::to_string(id) + "/log";
  auto undated = Post(log, {{"summary", "November issue"}});
  EXPECT_EQ(undated->status, 400);
  EXPECT_EQ(Error(undated), "invalid_argument/date");
  EXPECT_EQ(Body(Get(log))["data"].size(), 0u);

  auto first = Post(log, {{"summary", "October issue"}, {"date", "2026-10-01"}});
  ASSERT_EQ(first->status, 201) << first->body;
  EXPECT_EQ(Body(first)["communication"], id);
  // The route's communication wins over one in the body.
  auto second = Post(log, {{"summary", "November issue"},
                           {"date", "2026-11-02"},
                           {"communicated_by", alice_},
                           {"communication", 99999}});
  ASSERT_EQ(second->status, 201) << second->body;
  EXPECT_EQ(Body(second)["communication"], id);

  const Json entries = Body(Get(log))["data"];
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0]["summary"], "November issue");  // newest first
  EXPECT_EQ(entries[1]["summary"], "October issue");
  EXPECT_EQ(
      Body(Get("/api/v1/communication-log?communication=" + std::to_string(id)))["data"].size(),
      2u);

  EXPECT_EQ(Get("/api/v1/communications/99999/log")->status, 404);
  EXPECT_EQ(Post("/api/v1/communications/99999/log", {{"summary", "x"}, {"date", today_}})->status,
            404);

  // Another organisation's communication is not found.
  ASSERT_TRUE(services_->members.AddOrganisation("Globex").ok());
  auto gary =
      services_->members.AddUser("Globex", app::NewMember{.username = "gary",
                                                          .role = domain::Role::kAdmin,
                                                          .password = "a long enough passphrase"});
  ASSERT_TRUE(gary.ok());
  auto token = services_->members.CreateToken("gary", "Globex", "t", false, "");
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(Get(log, Bearer(*token))->status, 404);
  EXPECT_EQ(Post(log, {{"summary", "x"}, {"date", today_}}, Bearer(*token))->status, 404);
  EXPECT_EQ(Body(Get(log))["data"].size(), 2u);
}

TEST_F(CommunicationApi, FlagsOverdueCommunicationsOnTheListAndThePage) {
  const int64_t late = Communication("Monthly newsletter", "monthly");
  Log(late, 40);
  const int64_t recent = Communication("Quarterly report", "quarterly");
  Log(recent, 5);
  Communication("Incident notices", "on_event");

  auto list = Page("/communications");
  ASSERT_EQ(list->status, 200);
  size_t flags = 0;
  for (size_t at = list->body.find("badge badge-flag"); at != std::string::npos;
       at = list->body.find("badge badge-flag", at + 1)) {
    ++flags;
  }
  EXPECT_EQ(flags, 1u);
  const size_t flag = list->body.find("badge badge-flag");
  const size_t title = list->body.find("Monthly newsletter");
  ASSERT_NE(title, std::string::npos);
  EXPECT_LT(title, flag);
  EXPECT_EQ(list->body.find("</tr>", title), list->body.find("</tr>", flag));  // the same row

  auto page = Page("/communications/" + std::to_string(late));
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Overdue:"), std::string::npos);
  EXPECT_NE(page->body.find(domain::AddDays(today_, -40)), std::string::npos);  // its log
  EXPECT_EQ(Page("/communications/" + std::to_string(recent))->body.find("Overdue:"),
            std::string::npos);

  // The flags are read with one statement, however many communications the list shows.
  auto statements = [&] {
    const uint64_t before = store_->StatementCount();
    EXPECT_EQ(Page("/communications")->status, 200);
    return store_->StatementCount() - before;
  };
  statements();
  const uint64_t few = statements();
  for (int i = 0; i < 10; ++i) Log(Communication("Briefing " + std::to_string(i), "weekly"), 1);
  EXPECT_EQ(statements(), few);
}

}  // namespace
}  // namespace rampart::testing

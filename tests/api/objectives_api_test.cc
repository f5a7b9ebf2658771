// Clause 6.2's objectives through the API and the pages: a measurable target (decimals in and
// out), refusals naming their field and changing nothing, filters and sorts, the export's
// columns, the overdue flag and the progress toward the target.
#include <gmock/gmock.h>

#include <string>
#include <tuple>
#include <vector>

#include "api_fixture.h"
#include "support/xlsx_reader.h"

namespace rampart::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

using ObjectivesApi = SignedInTest;

Json Phishing() {
  return {{"title", "Phishing reported within an hour"},
          {"due_date", "2099-06-30"},
          {"evaluation", "Monthly report of the mail gateway."},
          {"target_value", 95.5},
          {"unit", "%"},
          {"direction", "increase"},
          {"baseline_value", "40"}};
}

// One field of every objective of a page of the list, in order.
std::vector<Json> Column(const Json& page, const char* field) {
  std::vector<Json> out;
  for (const auto& o : page["data"]) out.push_back(o[field]);
  return out;
}

TEST_F(ObjectivesApi, KeepsATargetAsDecimalsAndRefusesWhatIsNotANumber) {
  auto created = Post("/api/v1/objectives", Phishing());
  ASSERT_EQ(created->status, 201) << created->body;
  const Json objective = Body(created);
  EXPECT_EQ(objective["status"], "planned");
  EXPECT_EQ(objective["target_value"], 95.5);
  EXPECT_EQ(objective["baseline_value"], 40.0);  // sent as text, kept as the number
  EXPECT_TRUE(objective["baseline_value"].is_number());
  const std::string path = "/api/v1/objectives/" + std::to_string(objective["id"].get<int64_t>());

  Json words = Phishing();
  words["target_value"] = "ninety-five";
  auto refused = Post("/api/v1/objectives", words);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(Error(refused), "invalid_argument/target_value");
  EXPECT_THAT(Body(refused)["error"]["message"].get<std::string>(),
              HasSubstr("Target value must be a number"));

  Json no_unit = Phishing();
  no_unit.erase("unit");
  EXPECT_EQ(Error(Post("/api/v1/objectives", no_unit)), "invalid_argument/unit");
  Json undated = Phishing();
  undated.erase("due_date");
  EXPECT_EQ(Error(Post("/api/v1/objectives", undated)), "invalid_argument/due_date");
  EXPECT_EQ(Body(Get("/api/v1/objectives"))["data"].size(), 1u);  // none of them was created

  ASSERT_EQ(Patch(path, {{"status", "in_progress"}}, "\"1\"")->status, 200);
  auto short_of_it = Patch(path, {{"status", "achieved"}, {"current_value", 90.25}}, "\"2\"");
  EXPECT_EQ(short_of_it->status, 400);
  EXPECT_EQ(Error(short_of_it), "invalid_argument/current_value");
  EXPECT_EQ(Body(Get(path))["version"], 2);  // nothing refused changed it
  auto achieved = Patch(path, {{"status", "achieved"}, {"current_value", 96.75}}, "\"2\"");
  ASSERT_EQ(achieved->status, 200) << achieved->body;
  EXPECT_EQ(Body(achieved)["current_value"], 96.75);
}

TEST_F(ObjectivesApi, IsConsistentWithPoliciesAndOnlyPolicies) {
  auto policy = Post("/api/v1/documents",
                     {{"title", "Information security policy"}, {"type", "isms_policy"}});
  ASSERT_EQ(policy->status, 201) << policy->body;
  auto procedure = Post("/api/v1/documents", {{"title", "Backups"}, {"type", "procedure"}});
  ASSERT_EQ(procedure->status, 201) << procedure->body;
  Json o = Phishing();
  o["policies"] = {Body(policy)["id"], Body(procedure)["id"]};
  auto refused = Post("/api/v1/objectives", o);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(Error(refused), "invalid_argument/policies");
  EXPECT_THAT(refused->body, HasSubstr("PRO-001 Backups is not a policy"));
  EXPECT_EQ(Body(Get("/api/v1/objectives"))["data"].size(), 0u);

  o["policies"] = {Body(policy)["id"]};
  auto created = Post("/api/v1/objectives", o);
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(Body(created)["policies"], Json::array({Body(policy)["id"]}));
  const std::string by_policy =
      "/api/v1/objectives?policies=" + std::to_string(Body(policy)["id"].get<int64_t>());
  EXPECT_EQ(Body(Get(by_policy))["data"].size(), 1u);
}

TEST_F(ObjectivesApi, ListsByStatusSortedByDueDateOrTargetAndExportsDecimalsAsNumbers) {
  for (const auto& [title, due, target, status] :
       std::vector<std::tuple<std::string, std::string, double, std::string>>{
           {"Patch critical flaws in 7 days", "2099-03-31", 7, "in_progress"},
           {"Train every new joiner", "2099-01-31", 100, "planned"},
           {"Restore tests each quarter", "2099-02-28", 4, "in_progress"},
           {"Cut shadow IT", "2099-04-30", 12.5, "planned"}}) {
    auto r = Post("/api/v1/objectives", {{"title", title},
                                         {"due_date", due},
                                         {"target_value", target},
                                         {"unit", "units"},
                                         {"direction", "increase"}});
    ASSERT_EQ(r->status, 201) << r->body;
    if (status == "planned") continue;
    const std::string path = "/api/v1/objectives/" + std::to_string(Body(r)["id"].get<int64_t>());
    ASSERT_EQ(Patch(path, {{"status", status}}, "\"1\"")->status, 200);
  }
  EXPECT_THAT(Column(Body(Get("/api/v1/objectives?status=in_progress&sort=due_date")), "title"),
              ElementsAre("Restore tests each quarter", "Patch critical flaws in 7 days"));
  EXPECT_THAT(Column(Body(Get("/api/v1/objectives?sort=-due_date")), "title"),
              ElementsAre("Cut shadow IT", "Patch critical flaws in 7 days",
                          "Restore tests each quarter", "Train every new joiner"));
  auto by_target = Body(Get("/api/v1/objectives?sort=target_value&limit=2"));
  EXPECT_THAT(Column(by_target, "target_value"), ElementsAre(4.0, 7.0));
  // The next page continues after the decimal of the cursor.
  auto rest = Body(Get("/api/v1/objectives?sort=target_value&limit=2&cursor=" +
                       by_target["next_cursor"].get<std::string>()));
  EXPECT_THAT(Column(rest, "target_value"), ElementsAre(12.5, 100.0));
  EXPECT_EQ(Error(Get("/api/v1/objectives?status=done")), "invalid_argument/status");
  EXPECT_EQ(Error(Get("/api/v1/objectives?sort=baseline_value")), "invalid_argument/sort");

  auto csv = Get("/api/v1/objectives/export?format=csv&sort=target_value");
  ASSERT_EQ(csv->status, 200);
  EXPECT_EQ(
      csv->body.rfind("id,version,title,description,policies,policies_name,resources,owner,"
                      "owner_name,due_date,"
                      "evaluation,risks,risks_name,controls,controls_name,target_value,unit,"
                      "direction,baseline_value,current_value,status,approved_by,approved_by_name,"
                      "approved_on,next_review,"
                      "created_at,updated_at\r\n",
                      0),
      0u)
      << csv->body.substr(0, 300);
  // Decimals as people write them: 12.5 and 100, not 12.500000 or 100.0.
  EXPECT_THAT(csv->body, HasSubstr(",2099-04-30,,,,,,12.5,units,increase,,,planned,"));
  EXPECT_THAT(csv->body, HasSubstr(",2099-01-31,,,,,,100,units,increase,,,planned,"));
  // The spreadsheet has the same columns, a decimal in a number cell.
  auto xlsx = Get("/api/v1/objectives/export?format=xlsx&sort=target_value");
  ASSERT_EQ(xlsx->status, 200);
  const auto cells = test::ReadXlsxCells(xlsx->body);
  const auto types = test::ReadXlsxCellTypes(xlsx->body);
  ASSERT_TRUE(cells.has_value() && types.has_value());
  ASSERT_EQ(cells->size(), 5u);
  EXPECT_EQ((*cells)[0][15], "target_value");
  EXPECT_EQ((*cells)[3][15], "12.5");
  EXPECT_EQ((*types)[3][15], "n");
  EXPECT_EQ((*types)[3][2], "inlineStr");  // the title stays text
}

TEST_F(ObjectivesApi, PagesFlagAnOverdueObjectiveAndShowProgressTowardTheTarget) {
  Json late = Phishing();
  late["due_date"] = "2020-01-31";
  late["target_value"] = 95;
  late["current_value"] = 62;
  auto r = Post("/api/v1/objectives", late);
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string id = std::to_string(Body(r)["id"].get<int64_t>());
  ASSERT_EQ(Post("/api/v1/objectives", Phishing())->status, 201);  // due in 2099: not overdue

  auto list = Page("/objectives");
  ASSERT_EQ(list->status, 200);
  EXPECT_THAT(list->body, HasSubstr("2020-01-31 <span class=\"badge badge-overdue\">Overdue"));
  EXPECT_THAT(list->body, Not(HasSubstr("2099-06-30 <span class=\"badge badge-overdue\">")));
  EXPECT_THAT(list->body, HasSubstr(">95.5<"));  // a decimal in its column, as written

  auto page = Page("/objectives/" + id);
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("Overdue"));
  EXPECT_THAT(page->body, HasSubstr("40 % of the way from baseline 40 to target 95 % (current "
                                    "value 62 %)."));
  EXPECT_THAT(page->body, HasSubstr("<progress max=\"100\" value=\"40\""));

  // Cancelled, it is no longer overdue.
  ASSERT_EQ(Patch("/api/v1/objectives/" + id, {{"status", "cancelled"}}, "\"1\"")->status, 200);
  EXPECT_THAT(Page("/objectives/" + id)->body, Not(HasSubstr("badge-overdue")));
}

TEST_F(ObjectivesApi, TheFormTakesDecimalsAsTyped) {
  auto form = Page("/objectives/new");
  ASSERT_EQ(form->status, 200);
  EXPECT_THAT(form->body, HasSubstr("type=\"number\" id=\"target_value\""));
  EXPECT_THAT(form->body, HasSubstr("step=\"any\""));

  auto refused = Submit("/objectives",
                        "title=Backups&due_date=2099-01-31&target_value=lots&unit=%25&"
                        "direction=increase&status=planned");
  EXPECT_EQ(refused->status, 400);
  EXPECT_THAT(refused->body, HasSubstr("Target value must be a number"));
  EXPECT_THAT(refused->body, HasSubstr("value=\"lots\""));  // what was typed stays to be mended

  auto saved = Submit("/objectives",
                      "title=Backups&due_date=2099-01-31&target_value=99.5&unit=%25&"
                      "direction=increase&status=planned");
  ASSERT_EQ(saved->status, 303) << saved->body;
  const Json list = Body(Get("/api/v1/objectives"));
  ASSERT_EQ(list["data"].size(), 1u);
  EXPECT_EQ(list["data"][0]["target_value"], 99.5);
  const std::string location = saved->get_header_value("Location");  // /objectives/1?notice=...
  auto edit = Page(location.substr(0, location.find('?')) + "/edit");
  EXPECT_THAT(edit->body, HasSubstr("value=\"99.5\""));
}

}  // namespace
}  // namespace rampart::testing

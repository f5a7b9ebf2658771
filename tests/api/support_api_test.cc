// Clause 7's registers through the API: what a resource needs to be granted, its filters and
// sorts, and its export naming people.
#include <string>
#include <tuple>
#include <vector>

#include "api_fixture.h"

namespace rampart::testing {
namespace {

using SupportApi = ApiTest;

TEST_F(SupportApi, GrantsAResourceOnlyWithWhoInTopManagementAndWhen) {
  const int64_t alice = Body(Get("/api/v1/auth/me"))["user_id"].get<int64_t>();
  auto created = Post(
      "/api/v1/resources",
      {{"name", "Security analyst"}, {"kind", "people"}, {"amount", 20}, {"unit", "hours a week"}});
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(Body(created)["status"], "requested");
  const std::string path =
      "/api/v1/resources/" + std::to_string(Body(created)["id"].get<int64_t>());

  auto bare = Patch(path, {{"status", "granted"}}, "\"1\"");
  EXPECT_EQ(bare->status, 400);
  EXPECT_EQ(Error(bare), "invalid_argument/granted_by");

  auto stranger = Patch(
      path, {{"status", "granted"}, {"granted_by", 99999}, {"granted_on", "2026-11-02"}}, "\"1\"");
  EXPECT_EQ(stranger->status, 400);
  EXPECT_EQ(Error(stranger), "invalid_argument/granted_by");

  auto in_place = Patch(
      path, {{"status", "in_place"}, {"granted_by", alice}, {"granted_on", "2026-11-02"}}, "\"1\"");
  EXPECT_EQ(in_place->status, 400);  // not before it is granted
  EXPECT_EQ(Error(in_place), "invalid_argument/status");
  EXPECT_EQ(Body(Get(path))["version"], 1);  // nothing refused changed it

  auto granted = Patch(
      path, {{"status", "granted"}, {"granted_by", alice}, {"granted_on", "2026-11-02"}}, "\"1\"");
  ASSERT_EQ(granted->status, 200) << granted->body;
  EXPECT_EQ(Body(granted)["granted_by"], alice);

  auto csv = Get("/api/v1/resources/export?format=csv");
  ASSERT_EQ(csv->status, 200);
  EXPECT_EQ(csv->body.rfind("id,version,name,kind,purpose,owner,owner_name,amount,unit,"
                            "period_start,period_end,status,granted_by,granted_by_name,granted_on,"
                            "next_review,created_at,updated_at\r\n",
                            0),
            0u)
      << csv->body.substr(0, 300);
  // A user field exports the user name, then the person's name.
  EXPECT_NE(csv->body.find(",granted,alice,alice,2026-11-02,"), std::string::npos) << csv->body;
}

TEST_F(SupportApi, ListsResourcesByKindAndStatusSortedByAmount) {
  for (const auto& [name, kind, amount] : std::vector<std::tuple<std::string, std::string, int>>{
           {"Awareness platform", "tool", 9000},
           {"Penetration test", "service", 30000},
           {"SIEM licences", "tool", 25},
           {"ISMS budget", "budget", 40000}}) {
    auto r = Post("/api/v1/resources",
                  {{"name", name}, {"kind", kind}, {"amount", amount}, {"unit", "EUR"}});
    ASSERT_EQ(r->status, 201) << r->body;
  }
  auto tools = Body(Get("/api/v1/resources?kind=tool&sort=-amount"));
  ASSERT_EQ(tools["data"].size(), 2u);
  EXPECT_EQ(tools["data"][0]["name"], "Awareness platform");
  EXPECT_EQ(tools["data"][1]["name"], "SIEM licences");
  auto by_amount = Body(Get("/api/v1/resources?sort=amount&status=requested"));
  ASSERT_EQ(by_amount["data"].size(), 4u);
  EXPECT_EQ(by_amount["data"][0]["amount"], 25);
  EXPECT_EQ(by_amount["data"][3]["amount"], 40000);
  EXPECT_EQ(Error(Get("/api/v1/resources?kind=car")), "invalid_argument/kind");
}

}  // namespace
}  // namespace rampart::testing

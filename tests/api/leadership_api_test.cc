// Clauses 5.3 and 6.3 through the API: who holds an ISMS role (members of the organisation
// only), and planned changes found by the risks they affect, whose approval brings those
// risks' review forward.
#include <string>

#include "api_fixture.h"

namespace rampart::testing {
namespace {

using LeadershipApi = ApiTest;

TEST_F(LeadershipApi, HoldersOfARoleAreMembersOfTheOrganisation) {
  const int64_t alice = Body(Get("/api/v1/auth/me"))["user_id"].get<int64_t>();
  const Json role = {{"name", "Information security manager"},
                     {"responsibilities", "Runs the ISMS."}};
  Json stranger = role;
  stranger["holders"] = {{{"person", 99999}}};
  auto refused = Post("/api/v1/isms-roles", stranger);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(Error(refused), "invalid_argument/holders[0].person");
  EXPECT_EQ(Body(Get("/api/v1/isms-roles"))["data"].size(), 0u);  // nothing was written

  Json held = role;
  held["holders"] = {{{"person", alice}, {"since", "2026-01-01"}}};
  held["top_management"] = true;
  auto created = Post("/api/v1/isms-roles", held);
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(Body(created)["holders"][0]["person"], alice);

  // The deputy cannot hold the role too.
  const std::string path =
      "/api/v1/isms-roles/" + std::to_string(Body(created)["id"].get<int64_t>());
  auto deputy = Patch(path, {{"deputy", alice}}, "\"1\"");
  EXPECT_EQ(deputy->status, 400);
  EXPECT_EQ(Error(deputy), "invalid_argument/deputy");

  // Top management is a filter; the export names holders by user name, one per line.
  EXPECT_EQ(Body(Get("/api/v1/isms-roles?top_management=true"))["data"].size(), 1u);
  EXPECT_EQ(Body(Get("/api/v1/isms-roles?top_management=false"))["data"].size(), 0u);
  auto csv = Get("/api/v1/isms-roles/export?format=csv");
  ASSERT_EQ(csv->status, 200);
  EXPECT_NE(csv->body.find(",alice — since: 2026-01-01,"), std::string::npos) << csv->body;
}

TEST_F(LeadershipApi, APlannedChangeIsFoundByTheRisksItAffects) {
  auto risk = Post("/api/v1/risks", {{"title", "CRM data leak"}});
  ASSERT_EQ(risk->status, 201) << risk->body;
  const int64_t risk_id = Body(risk)["id"].get<int64_t>();
  auto change = Post("/api/v1/changes", {{"title", "Move the CRM to a SaaS provider"},
                                         {"purpose", "Retire the on-premises CRM."},
                                         {"risks", {risk_id}}});
  ASSERT_EQ(change->status, 201) << change->body;
  EXPECT_EQ(Body(change)["number"], 1);
  EXPECT_EQ(Body(change)["status"], "proposed");
  EXPECT_EQ(Post("/api/v1/changes", {{"title", "New office"}, {"purpose", "More room."}})->status,
            201);

  const Json found = Body(Get("/api/v1/changes?risks=" + std::to_string(risk_id)));
  ASSERT_EQ(found["data"].size(), 1u);
  EXPECT_EQ(found["data"][0]["title"], "Move the CRM to a SaaS provider");

  // Approving it asks by when the affected risk is reassessed.
  const int64_t alice = Body(Get("/api/v1/auth/me"))["user_id"].get<int64_t>();
  const std::string path = "/api/v1/changes/" + std::to_string(Body(change)["id"].get<int64_t>());
  auto approve =
      Patch(path, {{"status", "approved"}, {"approved_by", alice}, {"approved_on", "2026-11-20"}},
            "\"1\"");
  EXPECT_EQ(approve->status, 400);
  EXPECT_EQ(Error(approve), "invalid_argument/reassess_by");
  auto approved = Patch(path,
                        {{"status", "approved"},
                         {"approved_by", alice},
                         {"approved_on", "2026-11-20"},
                         {"reassess_by", "2027-01-31"}},
                        "\"1\"");
  EXPECT_EQ(approved->status, 200) << approved->body;

  // The approval brought the risk's review forward to that date, in the same transaction.
  const std::string risk_path = "/api/v1/risks/" + std::to_string(risk_id);
  const Json reviewed = Body(Get(risk_path));
  EXPECT_EQ(reviewed["next_review"], "2027-01-31");
  EXPECT_EQ(reviewed["version"], 2);
  const Json history = Body(Get(risk_path + "/history"));
  ASSERT_EQ(history["data"].size(), 2u) << history.dump();
  EXPECT_EQ(history["data"][1]["diff"]["next_review"]["to"], "2027-01-31");

  // Changing the change's outcome text does not touch the risk again.
  auto noted = Patch(path, {{"outcome", "Contract signed."}}, "\"2\"");
  EXPECT_EQ(noted->status, 200) << noted->body;
  EXPECT_EQ(Body(Get(risk_path))["version"], 2);

  // The risk cannot be deleted while the change names it.
  auto del = Delete(risk_path, "\"2\"");
  EXPECT_EQ(del->status, 409) << del->body;
}

}  // namespace
}  // namespace rampart::testing

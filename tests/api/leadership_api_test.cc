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

TEST_F(LeadershipApi, TheStandardProcessesAreAddedOnceInOneWrite) {
  auto added = Post("/api/v1/isms-processes/standard", Json::object());
  ASSERT_EQ(added->status, 200) << added->body;
  EXPECT_EQ(Body(added)["data"].size(), 9u);
  EXPECT_EQ(Body(added)["data"][0]["status"], "draft");
  // Renamed or not, a process of the same name is not added twice; a missing one is.
  const Json all = Body(Get("/api/v1/isms-processes?limit=100"))["data"];
  ASSERT_EQ(all.size(), 9u);
  const std::string first = "/api/v1/isms-processes/" + std::to_string(all[0]["id"].get<int64_t>());
  ASSERT_EQ(Delete(first, "\"1\"")->status, 204);
  auto again = Post("/api/v1/isms-processes/standard", Json::object());
  ASSERT_EQ(again->status, 200) << again->body;
  ASSERT_EQ(Body(again)["data"].size(), 1u);
  EXPECT_EQ(Body(again)["data"][0]["name"], all[0]["name"]);
  EXPECT_EQ(Body(Post("/api/v1/isms-processes/standard", Json::object()))["data"].size(), 0u);
  EXPECT_EQ(Body(Get("/api/v1/isms-processes?limit=100"))["data"].size(), 9u);
}

TEST_F(LeadershipApi, AProcessNameIsUniqueWithinTheOrganisation) {
  ASSERT_EQ(Post("/api/v1/isms-processes", {{"name", "Internal audit"}})->status, 201);
  auto twice = Post("/api/v1/isms-processes", {{"name", "Internal audit"}});
  EXPECT_EQ(twice->status, 400);
  EXPECT_EQ(Error(twice), "invalid_argument/name");
  EXPECT_NE(twice->body.find("already an ISMS process named"), std::string::npos) << twice->body;
  auto other = Post("/api/v1/isms-processes", {{"name", "Risk treatment"}});
  ASSERT_EQ(other->status, 201);
  const std::string path =
      "/api/v1/isms-processes/" + std::to_string(Body(other)["id"].get<int64_t>());
  auto renamed = Patch(path, {{"name", "Internal audit"}}, "\"1\"");
  EXPECT_EQ(Error(renamed), "invalid_argument/name");
  // Saving a process under its own name is no clash.
  EXPECT_EQ(Patch(path, {{"description", "Choosing controls."}}, "\"1\"")->status, 200);
}

TEST_F(LeadershipApi, TheRaciMatrixShowsEachRolesPartAndTheGaps) {
  auto role = [&](const std::string& name) {
    auto r = Post("/api/v1/isms-roles", {{"name", name}, {"responsibilities", "Its part."}});
    EXPECT_EQ(r->status, 201) << r->body;
    return Body(r)["id"].get<int64_t>();
  };
  const int64_t ciso = role("CISO");
  const int64_t auditor = role("Internal auditor");
  const int64_t ceo = role("Chief executive");
  auto audit = Post("/api/v1/isms-processes", {{"name", "Internal audit"},
                                               {"status", "active"},
                                               {"responsible", auditor},
                                               {"accountable", ceo},
                                               {"consulted", {ciso}}});
  ASSERT_EQ(audit->status, 201) << audit->body;
  auto risk = Post("/api/v1/isms-processes", {{"name", "Risk assessment"},
                                              {"status", "active"},
                                              {"responsible", ciso},
                                              {"informed", {ceo}}});
  ASSERT_EQ(risk->status, 201) << risk->body;
  // A role responsible cannot be consulted too.
  auto both = Post("/api/v1/isms-processes",
                   {{"name", "Awareness"}, {"responsible", ciso}, {"consulted", {ciso}}});
  EXPECT_EQ(Error(both), "invalid_argument/consulted");

  auto got = Get("/api/v1/raci");
  ASSERT_EQ(got->status, 200) << got->body;
  const Json m = Body(got);
  ASSERT_EQ(m["roles"].size(), 3u);
  EXPECT_EQ(m["roles"][0]["name"], "CISO");  // by name
  ASSERT_EQ(m["processes"].size(), 2u);
  const Json& audit_row = m["processes"][0];
  EXPECT_EQ(audit_row["name"], "Internal audit");
  EXPECT_FALSE(audit_row["missing_accountable"].get<bool>());
  EXPECT_EQ(audit_row["cells"][0]["letters"], "C");  // CISO
  EXPECT_EQ(audit_row["cells"][1]["letters"], "A");  // Chief executive
  EXPECT_EQ(audit_row["cells"][2]["letters"], "R");  // Internal auditor
  const Json& risk_row = m["processes"][1];
  EXPECT_TRUE(risk_row["missing_accountable"].get<bool>());
  EXPECT_FALSE(risk_row["missing_responsible"].get<bool>());
  EXPECT_EQ(risk_row["cells"][1]["letters"], "I");

  // The page shows the same matrix with the gap flagged.
  auto page = Get("/raci", SessionHeaders(SignIn("alice", kAlicePassword)));
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("No A"), std::string::npos);
  EXPECT_NE(page->body.find("<th scope=\"row\""), std::string::npos);
}

}  // namespace
}  // namespace rampart::testing

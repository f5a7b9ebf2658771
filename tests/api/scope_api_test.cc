// The ISMS scope (4.3): versioned statements, approval, superseded versions kept readable.
#include "api_fixture.h"

namespace rampart::testing {
namespace {

using ScopeApi = ApiTest;

TEST_F(ScopeApi, ApprovingANewVersionSupersedesThePreviousOneAndKeepsIt) {
  auto draft = Post("/api/v1/scope", {{"title", "ISMS scope 2026"}});
  ASSERT_EQ(draft->status, 201) << draft->body;
  const Json v1 = Body(draft);
  EXPECT_EQ(v1["version_number"], 1);
  EXPECT_EQ(v1["status"], "draft");
  const std::string p1 = "/api/v1/scope/" + std::to_string(v1["id"].get<int64_t>());

  EXPECT_EQ(Get("/api/v1/scope/current")->status, 404);
  EXPECT_EQ(Error(Client().Post(p1 + "/approve", Bearer(), "", "application/json")),
            "precondition_required/");
  // A draft that says nothing about what is in scope cannot be approved.
  EXPECT_EQ(Error(Client().Post(p1 + "/approve", With(Bearer(), "If-Match", "\"1\""), "",
                                "application/json")),
            "invalid_argument/statement");
  auto filled =
      Patch(p1,
            {{"statement", "Design, development and operation of the Acme platform."},
             {"units", {"Engineering", "Operations"}},
             {"locations", {"London office", "eu-west-1"}},
             {"exclusions",
              {{{"item", "Physical security of the cloud data centres"},
                {"justification", "Provided by the cloud provider (ISO 27001 certified)"}}}}},
            "\"1\"");
  ASSERT_EQ(filled->status, 200) << filled->body;
  auto approved =
      Client().Post(p1 + "/approve", With(Bearer(), "If-Match", "\"2\""), "", "application/json");
  ASSERT_EQ(approved->status, 200) << approved->body;
  EXPECT_EQ(Body(approved)["status"], "approved");
  EXPECT_FALSE(Body(approved)["approved_by"].is_null());
  EXPECT_FALSE(Body(approved)["approved_at"].is_null());
  EXPECT_EQ(Body(Get("/api/v1/scope/current"))["id"], v1["id"]);

  // An approved version is frozen.
  auto edit = Patch(p1, {{"title", "Changed"}}, "\"3\"");
  EXPECT_EQ(edit->status, 409);
  EXPECT_EQ(Error(edit), "failed_precondition/");
  EXPECT_EQ(Delete(p1, "\"3\"")->status, 409);
  EXPECT_EQ(Error(Patch(p1, {{"status", "draft"}}, "\"3\"")), "failed_precondition/");

  auto next = Client().Post(p1 + "/new-draft", Bearer(), "", "application/json");
  ASSERT_EQ(next->status, 201) << next->body;
  const Json v2 = Body(next);
  EXPECT_EQ(v2["version_number"], 2);
  EXPECT_EQ(v2["status"], "draft");
  EXPECT_EQ(v2["units"], Json({"Engineering", "Operations"}));
  EXPECT_EQ(v2["exclusions"].size(), 1u);
  const std::string p2 = "/api/v1/scope/" + std::to_string(v2["id"].get<int64_t>());
  ASSERT_EQ(Patch(p2, {{"services", {"Acme platform"}}}, "\"1\"")->status, 200);
  ASSERT_EQ(Client()
                .Post(p2 + "/approve", With(Bearer(), "If-Match", "\"2\""), "", "application/json")
                ->status,
            200);
  EXPECT_EQ(Body(Get("/api/v1/scope/current"))["id"], v2["id"]);
  const Json old = Body(Get(p1));
  EXPECT_EQ(old["status"], "superseded");
  EXPECT_EQ(old["statement"], "Design, development and operation of the Acme platform.");
  EXPECT_EQ(Body(Get("/api/v1/scope?status=superseded"))["data"].size(), 1u);
  // Approving twice is refused.
  EXPECT_EQ(Error(Client().Post(p2 + "/approve", With(Bearer(), "If-Match", "\"3\""), "",
                                "application/json")),
            "failed_precondition/");
}

TEST_F(ScopeApi, StatusAndApprovalCannotBeSetByEditing) {
  auto r = Post("/api/v1/scope", {{"title", "Sneaky"}, {"status", "approved"}});
  EXPECT_EQ(Error(r), "invalid_argument/status");
  auto r2 = Post("/api/v1/scope", {{"title", "Sneaky"}, {"version_number", 9}});
  EXPECT_EQ(Error(r2), "invalid_argument/version_number");
}

TEST_F(ScopeApi, AnExclusionNeedsAJustification) {
  auto r = Post("/api/v1/scope",
                {{"title", "Scope"}, {"exclusions", {{{"item", "Head office canteen"}}}}});
  EXPECT_EQ(Error(r), "invalid_argument/exclusions[0].justification");
}

}  // namespace
}  // namespace rampart::testing

// The routes every register of approved versions gets from its description (the ISMS scope, the
// risk methodology): approve, new draft, current and compare, checked for each such register.
#include "api_fixture.h"
#include "domain/registers.h"

namespace rampart::testing {
namespace {

// A draft each register of approved versions can approve: a new register of approved versions
// needs one here, and the test says so.
Json ApprovableDraft(const domain::RegisterSpec& spec) {
  if (spec.path == "scope") {
    return {{"title", "ISMS scope 2026"},
            {"statement", "The Acme platform."},
            {"units", {"Engineering"}},
            {"exclusions", {{{"item", "Shop"}, {"justification", "Closed"}}}}};
  }
  if (spec.path == "risk-methodology") {
    Json fields = domain::DefaultMethodologyFields();
    fields["title"] = "Risk methodology 2026";
    return fields;
  }
  return Json();
}

class VersionApi : public ApiTest {
 protected:
  httplib::Result Approve(const std::string& item, int64_t version) {
    return Client().Post(item + "/approve",
                         With(Bearer(), "If-Match", "\"" + std::to_string(version) + "\""), "",
                         "application/json");
  }
};

TEST_F(VersionApi, EveryRegisterOfApprovedVersionsApprovesDraftsAndComparesVersions) {
  int registers = 0;
  for (const domain::RegisterSpec* spec : domain::AllRegisters()) {
    if (!spec->versions) continue;
    ++registers;
    SCOPED_TRACE(spec->path);
    const std::string base = "/api/v1/" + spec->path;
    const Json draft = ApprovableDraft(*spec);
    ASSERT_TRUE(draft.is_object()) << "add an approvable draft of " << spec->path;

    auto created = Post(base, draft);
    ASSERT_EQ(created->status, 201) << created->body;
    const Json v1 = Body(created);
    const std::string item1 = base + "/" + std::to_string(v1["id"].get<int64_t>());
    auto approved = Approve(item1, 1);
    ASSERT_EQ(approved->status, 200) << approved->body;
    EXPECT_EQ(Body(approved)["status"], "approved");
    if (!spec->versions->own_current_route) {
      EXPECT_EQ(Body(Get(base + "/current"))["id"], v1["id"]);
    }

    auto next = Client().Post(item1 + "/new-draft", Bearer(), "", "application/json");
    ASSERT_EQ(next->status, 201) << next->body;
    const Json v2 = Body(next);
    EXPECT_EQ(v2["status"], "draft");
    EXPECT_EQ(v2["version_number"], v1["version_number"].get<int64_t>() + 1);
    const std::string item2 = base + "/" + std::to_string(v2["id"].get<int64_t>());
    ASSERT_EQ(Patch(item2, {{"title", "Revised"}}, "\"1\"")->status, 200);

    const std::string ids = "?from=" + std::to_string(v1["id"].get<int64_t>()) +
                            "&to=" + std::to_string(v2["id"].get<int64_t>());
    auto compared = Get(base + "/compare" + ids);
    ASSERT_EQ(compared->status, 200) << compared->body;
    const Json c = Body(compared);
    EXPECT_EQ(c["from"]["id"], v1["id"]);
    EXPECT_EQ(c["to"]["id"], v2["id"]);
    ASSERT_EQ(c["fields"].size(), spec->fields.size());
    Json changed = Json::array();
    for (const auto& f : c["fields"]) {
      if (f["changed"].get<bool>()) changed.push_back(f["name"]);
      if (f["name"] == "title") {
        EXPECT_EQ(f["from"], draft["title"]);
        EXPECT_EQ(f["to"], "Revised");
      }
    }
    EXPECT_EQ(changed, Json({"title", "version_number", "status", "approved_by", "approved_at"}));

    // The version approved first is superseded by approving the second.
    ASSERT_EQ(Approve(item2, 2)->status, 200);
    EXPECT_EQ(Body(Get(item1))["status"], "superseded");
    // Only a draft is approved.
    EXPECT_EQ(Error(Approve(item1, Body(Get(item1))["version"].get<int64_t>())),
              "failed_precondition/");
  }
  EXPECT_EQ(registers, 2);
}

TEST_F(VersionApi, AComparisonNamesTheVersionItCannotFind) {
  for (const domain::RegisterSpec* spec : domain::AllRegisters()) {
    if (!spec->versions) continue;
    SCOPED_TRACE(spec->path);
    const std::string base = "/api/v1/" + spec->path;
    auto created = Post(base, ApprovableDraft(*spec));
    ASSERT_EQ(created->status, 201) << created->body;
    const std::string id = std::to_string(Body(created)["id"].get<int64_t>());
    EXPECT_EQ(Error(Get(base + "/compare?to=" + id)), "invalid_argument/from");
    EXPECT_EQ(Error(Get(base + "/compare?from=x1&to=" + id)), "invalid_argument/from");
    EXPECT_EQ(Error(Get(base + "/compare?from=" + id)), "invalid_argument/to");
    EXPECT_EQ(Error(Get(base + "/compare?from=" + id + "&to=-3")), "invalid_argument/to");
    auto missing = Get(base + "/compare?from=" + id + "&to=99999");
    EXPECT_EQ(missing->status, 404);
    EXPECT_EQ(Error(missing), "not_found/to");
    EXPECT_EQ(Body(Get(base + "/compare?from=" + id + "&to=" + id))["fields"][0]["changed"], false);
  }
}

TEST_F(VersionApi, RegistersWithoutApprovedVersionsHaveNoVersionRoutes) {
  auto issue = CreateIssue("Supplier failure");
  const std::string item = "/api/v1/context-issues/" + std::to_string(issue["id"].get<int64_t>());
  EXPECT_EQ(Client().Post(item + "/approve", Bearer(), "", "application/json")->status, 404);
  EXPECT_EQ(Get("/api/v1/context-issues/compare?from=1&to=1")->status, 404);
}

}  // namespace
}  // namespace rampart::testing

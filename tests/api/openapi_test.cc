// GET /api/v1/openapi.json: an OpenAPI 3.1 document describing every route.
#include <functional>

#include "api_fixture.h"
#include "domain/registers.h"

namespace rampart::testing {
namespace {

using OpenApi = ApiTest;

void CollectRefs(const Json& j, std::vector<std::string>& refs) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (k == "$ref" && v.is_string()) refs.push_back(v.get<std::string>());
      CollectRefs(v, refs);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) CollectRefs(v, refs);
  }
}

TEST_F(OpenApi, IsAnOpenApi31DocumentWhoseReferencesResolve) {
  auto r = Get("/api/v1/openapi.json");
  ASSERT_EQ(r->status, 200);
  const Json doc = Body(r);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_TRUE(doc["info"]["title"].is_string());
  EXPECT_TRUE(doc["info"]["version"].is_string());
  std::vector<std::string> refs;
  CollectRefs(doc, refs);
  ASSERT_FALSE(refs.empty());
  for (const auto& ref : refs) {
    ASSERT_EQ(ref.rfind("#/", 0), 0u) << ref;
    const Json::json_pointer ptr(ref.substr(1));
    EXPECT_TRUE(doc.contains(ptr)) << "unresolved " << ref;
  }
  // Every operation has responses and a unique operationId.
  std::set<std::string> ids;
  for (const auto& [path, item] : doc["paths"].items()) {
    EXPECT_EQ(path[0], '/');
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      EXPECT_TRUE(op.contains("responses")) << method << " " << path;
      EXPECT_TRUE(ids.insert(op["operationId"].get<std::string>()).second) << path;
    }
  }
}

TEST_F(OpenApi, DescribesEveryRegisterRouteAndEveryRouteItDescribesExists) {
  const Json doc = Body(Get("/api/v1/openapi.json"));
  const Json& paths = doc["paths"];
  for (const auto* spec : domain::AllRegisters()) {
    const std::string base = "/api/v1/" + spec->path;
    for (const std::string p : {base, base + "/{id}", base + "/{id}/history", base + "/export"}) {
      EXPECT_TRUE(paths.contains(p)) << p;
    }
    for (const char* m : {"get", "put", "patch", "delete"}) {
      EXPECT_TRUE(paths[base + "/{id}"].contains(m)) << base << " " << m;
    }
    // Each field of the description is in the schema, with its enum values.
    const Json& props = doc["components"]["schemas"];
    for (const auto& f : spec->fields) {
      bool found = false;
      for (const auto& [name, schema] : props.items()) {
        if (schema.value("title", "") == spec->singular && schema["properties"].contains(f.name)) {
          found = true;
        }
      }
      EXPECT_TRUE(found) << spec->type << "." << f.name;
    }
  }
  for (const std::string p :
       {"/api/v1/scope/current", "/api/v1/scope/{id}/approve", "/api/v1/scope/{id}/new-draft",
        "/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/auth/me", "/api/v1/auth/password",
        "/api/v1/users", "/api/v1/audit/events", "/api/v1/audit/verify", "/api/v1/openapi.json",
        "/healthz"}) {
    EXPECT_TRUE(paths.contains(p)) << p;
  }
  // Every documented GET without path parameters answers (not 404) on the real server.
  for (const auto& [path, item] : paths.items()) {
    if (path.find('{') != std::string::npos || !item.contains("get")) continue;
    auto r = Get(path);
    ASSERT_TRUE(r);
    // 404 may mean "no such record" (no approved scope yet), never "no such route".
    EXPECT_EQ(r->body.find("no such page or route"), std::string::npos) << path;
  }
  EXPECT_EQ(paths["/api/v1/context-issues"]["post"]["requestBody"]["content"]["application/json"]
                 ["schema"]["$ref"],
            "#/components/schemas/ContextIssueInput");
  const Json input = doc["components"]["schemas"]["ContextIssueInput"];
  EXPECT_EQ(input["required"], Json({"title", "kind"}));
  EXPECT_EQ(input["properties"]["swot"]["enum"],
            Json({"strength", "weakness", "opportunity", "threat", nullptr}));
}

}  // namespace
}  // namespace rampart::testing

// GET /api/v1/openapi.json: an OpenAPI 3.1 document describing every route.
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "api_fixture.h"
#include "domain/access.h"
#include "domain/registers.h"
#include "http/router.h"

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
    for (const std::string& p : {base, base + "/{id}", base + "/{id}/history", base + "/export"}) {
      EXPECT_TRUE(paths.contains(p)) << p;
    }
    for (const char* m : {"get", "put", "patch", "delete"}) {
      // A workflow-only register (risk acceptances) is read here and written by its workflow.
      const bool expected = std::string(m) == "get" || !spec->workflow_only;
      EXPECT_EQ(paths[base + "/{id}"].contains(m), expected) << base << " " << m;
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
        "/healthz", "/readyz"}) {
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

// Who may call a route, as the document must say it (x-rampart-access).
std::string AccessOf(const http::Guard& g) {
  switch (g.access) {
    case http::Access::kPublic:
      return "public";
    case http::Access::kAnySignedIn:
      return "any signed-in user";
    case http::Access::kSecondFactorStep:
      return "second-factor step";
    case http::Access::kAccountSetup:
      return "account setup";
    case http::Access::kAccount:
      return "account";
    case http::Access::kPermission:
      return std::string(domain::PermissionName(g.permission));
  }
  return "?";
}

// A route pattern with each regex group as "{}": `/api/v1/users/(\d+)` -> `/api/v1/users/{}`.
std::string PatternShape(const std::string& pattern) {
  std::string out;
  int depth = 0;
  for (char c : pattern) {
    if (c == '(') {
      if (depth++ == 0) out += "{}";
    } else if (c == ')') {
      --depth;
    } else if (depth == 0) {
      out += c;
    }
  }
  return out;
}

// A documented path with each template as "{}": `/api/v1/users/{id}` -> `/api/v1/users/{}`.
std::string PathShape(const std::string& path) {
  std::string out;
  bool in_name = false;
  for (char c : path) {
    if (c == '{') {
      in_name = true;
      out += "{}";
    } else if (c == '}') {
      in_name = false;
    } else if (!in_name) {
      out += c;
    }
  }
  return out;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

TEST_F(OpenApi, DocumentsEveryApiRouteWithItsGuardAndNoRouteThatIsNotRegistered) {
  const Json doc = Body(Get("/api/v1/openapi.json"));
  const Json& paths = doc["paths"];
  // "get /api/v1/users/{}" -> the path as documented.
  std::map<std::string, std::string> documented;
  for (const auto& [path, item] : paths.items()) {
    if (path.rfind("/api/", 0) != 0) continue;
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      EXPECT_TRUE(documented.emplace(method + " " + PathShape(path), path).second)
          << method << " " << path << " is documented twice under different parameter names";
    }
  }
  std::set<std::string> registered;
  for (const auto& route : server_->Routes()) {
    // The API's routes and only they are under /api/.
    EXPECT_EQ(route.pattern.rfind("/api/", 0) == 0, route.surface == http::Surface::kApi)
        << route.pattern;
    if (route.pattern.rfind("/api/", 0) != 0) continue;
    const std::string shape = PatternShape(route.pattern);
    // Anything but groups would make the comparison with documented paths meaningless.
    EXPECT_EQ(shape.find_first_of("\\[]*+?^$|"), std::string::npos) << route.pattern;
    const std::string key = Lower(route.method) + " " + shape;
    registered.insert(key);
    const auto it = documented.find(key);
    if (it == documented.end()) {
      ADD_FAILURE() << route.method << " " << route.pattern << " is not documented";
      continue;
    }
    const Json& op = paths[it->second][Lower(route.method)];
    EXPECT_EQ(op.value("x-rampart-access", ""), AccessOf(route.guard)) << key;
    // Public operations, and only they, need no credentials.
    const bool no_credentials = op.contains("security") && op["security"].empty();
    EXPECT_EQ(no_credentials, route.guard.access == http::Access::kPublic) << key;
    // A route anyone signed in may call never answers 403 for a missing permission, but every
    // other signed-in route may refuse; public ones only refuse cross-site requests.
    if (route.guard.access != http::Access::kPublic) {
      EXPECT_TRUE(op["responses"].contains("401")) << key;
    }
    if (route.guard.access == http::Access::kPermission) {
      EXPECT_TRUE(op["responses"].contains("403")) << key;
    }
  }
  for (const auto& [key, path] : documented) {
    EXPECT_TRUE(registered.count(key)) << key << " (" << path << ") is documented but not a route";
  }
  // Beside the API, only the health and readiness checks (served by the server itself) are
  // documented.
  std::set<std::string> others;
  for (const auto& [path, item] : paths.items()) {
    if (path.rfind("/api/", 0) != 0) others.insert(path);
  }
  EXPECT_EQ(others, std::set<std::string>({"/healthz", "/readyz"}));
  auto health = Client().Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  // Without checks given (serve gives them: tests/cli/serve_readyz_test.sh), ready; every answer
  // names its request.
  auto ready = Client().Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  EXPECT_EQ(ready->body, R"({"checks":{},"status":"ready"})");
  EXPECT_EQ(ready->get_header_value("X-Request-Id").size(), 16u);
  // Identity and access are among them, so the walk above covered them.
  for (const std::string key :
       {"post /api/v1/auth/login", "get /api/v1/auth/me", "delete /api/v1/auth/tokens/{}",
        "delete /api/v1/users/{}/sessions/{}", "patch /api/v1/organisation"}) {
    EXPECT_TRUE(registered.count(key)) << key;
  }
}

// What a route states where it is registered is what the document publishes under its path and
// method, and it says enough for a reader: a summary, an operationId, tags and answers.
TEST_F(OpenApi, EveryApiRouteCarriesItsDocumentation) {
  const Json doc = Body(Get("/api/v1/openapi.json"));
  size_t api_routes = 0;
  for (const auto& route : server_->Routes()) {
    if (route.surface != http::Surface::kApi) {
      EXPECT_TRUE(route.doc.operation.is_null()) << route.pattern;
      continue;
    }
    ++api_routes;
    const std::string where = route.method + " " + route.pattern;
    const Json& op = route.doc.operation;
    ASSERT_TRUE(op.is_object()) << where;
    EXPECT_FALSE(op.value("summary", "").empty()) << where;
    EXPECT_FALSE(op.value("operationId", "").empty()) << where;
    EXPECT_FALSE(op.value("tags", Json::array()).empty()) << where;
    EXPECT_FALSE(op.value("responses", Json::object()).empty()) << where;
    // The guard is the route's, never stated twice.
    EXPECT_FALSE(op.contains("x-rampart-access")) << where;
    EXPECT_EQ(route.doc.path_parameters.size(), http::PatternGroups(route.pattern)) << where;
    // Found in the document, with the operation as stated.
    bool found = false;
    for (const auto& [path, item] : doc["paths"].items()) {
      const auto it = item.find(Lower(route.method));
      if (it == item.end() || PathShape(path) != PatternShape(route.pattern)) continue;
      found = true;
      for (const auto& [k, v] : op.items()) {
        if (k != "parameters") {
          EXPECT_EQ((*it)[k], v) << where << " " << k;
          continue;
        }
        // The document adds the shared Idempotency-Key header to the creates.
        Json stated = Json::array();
        for (const auto& p : (*it)[k]) {
          if (p.value("$ref", "") != "#/components/parameters/IdempotencyKey") stated.push_back(p);
        }
        EXPECT_EQ(stated, v) << where << " " << k;
      }
      if (!route.doc.path_parameters.empty()) {
        EXPECT_EQ(item["parameters"], route.doc.path_parameters) << where;
      }
    }
    EXPECT_TRUE(found) << where << " is not in the document";
  }
  // One documented operation per API route, and the health and readiness checks.
  size_t operations = 0;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) operations += method != "parameters";
  }
  EXPECT_EQ(operations, api_routes + 2);
}

// Every documented operation reaches a route of the running server: asked with path parameters
// naming nothing, each answers (an error of its own, such as 404 for the record or 400 for the
// body) rather than 404 "no such route" or 405.
TEST_F(OpenApi, EveryDocumentedOperationReachesARoute) {
  const Json doc = Body(Get("/api/v1/openapi.json"));
  auto c = Client();
  const auto auth = Bearer();
  for (const auto& [path, item] : doc["paths"].items()) {
    std::string concrete;
    for (size_t i = 0; i < path.size(); ++i) {
      if (path[i] != '{') {
        concrete += path[i];
        continue;
      }
      const size_t end = path.find('}', i);
      concrete += path.substr(i + 1, end - i - 1) == "control_id" ? "99.99" : "999999";
      i = end;
    }
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      auto send = [&]() -> httplib::Result {
        if (method == "post") return c.Post(concrete, auth, "{}", "application/json");
        if (method == "put") return c.Put(concrete, auth, "{}", "application/json");
        if (method == "patch") return c.Patch(concrete, auth, "{}", "application/json");
        if (method == "delete") return c.Delete(concrete, auth);
        return c.Get(concrete, auth);
      };
      const auto r = send();
      ASSERT_TRUE(r) << method << " " << concrete;
      EXPECT_NE(r->status, 405) << method << " " << concrete << ": " << r->body;
      EXPECT_EQ(r->body.find("no such page or route"), std::string::npos)
          << method << " " << concrete << ": " << r->body;
    }
  }
}

using OpenApiDeathTest = ApiTest;

// An API route cannot be added without its documentation, nor with path parameters that do not
// match its pattern's groups: the route table is fixed at start-up, so the server stops there.
TEST_F(OpenApiDeathTest, AnApiRouteWithoutItsDocumentationCannotBeAdded) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const http::Handler nothing = [](http::Request&) {};
  EXPECT_DEATH(
      {
        http::Router router(*services_);
        router.Get("/api/v1/undocumented", http::Surface::kApi, http::kRead, nothing);
      },
      "GET /api/v1/undocumented has no documentation");
  EXPECT_DEATH(
      {
        http::Router router(*services_);
        router.Get(R"(/api/v1/things/(\d+))", http::kRead, {.operation = {{"summary", "A thing"}}},
                   nothing);
      },
      "documents 0 path parameters for 1 groups");
  EXPECT_EQ(http::PatternGroups(R"(/api/v1/users/(\d+)/sessions/(\d+))"), 2u);
  EXPECT_EQ(http::PatternGroups(R"(/api/v1/soa/(\d+\.\d+))"), 1u);
  EXPECT_EQ(http::PatternGroups("/api/v1/openapi.json"), 0u);
}

TEST_F(OpenApi, EveryPathTemplateNamesAPathParameter) {
  const Json doc = Body(Get("/api/v1/openapi.json"));
  for (const auto& [path, item] : doc["paths"].items()) {
    std::set<std::string> names;
    for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
      names.insert(path.substr(open + 1, path.find('}', open) - open - 1));
    }
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      std::set<std::string> declared;
      for (const Json* params : {&item, &op}) {
        if (!params->contains("parameters")) continue;
        for (const auto& given : (*params)["parameters"]) {
          // A shared parameter (Idempotency-Key) is a reference to the components.
          const std::string ref = given.value("$ref", "");
          const Json& p =
              ref.empty() ? given : doc["components"]["parameters"][ref.substr(ref.rfind('/') + 1)];
          if (p["in"] == "path") {
            EXPECT_EQ(p["required"], true) << path;
            declared.insert(p["name"].get<std::string>());
          }
        }
      }
      EXPECT_EQ(declared, names) << method << " " << path;
    }
  }
}

// Problems of a value against a schema of the document are added as test failures: its type,
// enum, required properties and, for objects, properties the schema does not document.
class SchemaCheck {
 public:
  explicit SchemaCheck(const Json& doc) : doc_(doc) {}

  void Expect(const Json& schema, const Json& value, const std::string& where) const {
    const Json s = Flatten(schema);
    if (s.contains("type")) {
      const Json types = s["type"].is_array() ? s["type"] : Json::array({s["type"]});
      bool matches = false;
      for (const auto& t : types) matches = matches || Is(value, t.get<std::string>());
      if (!matches) {
        ADD_FAILURE() << where << ": " << value.dump() << " is not " << s["type"].dump();
        return;
      }
    }
    if (s.contains("enum")) {
      EXPECT_NE(std::find(s["enum"].begin(), s["enum"].end(), value), s["enum"].end())
          << where << ": " << value.dump() << " is not one of " << s["enum"].dump();
    }
    if (value.is_object() && s.contains("properties")) {
      for (const auto& name : s.value("required", Json::array())) {
        EXPECT_TRUE(value.contains(name.get<std::string>())) << where << " lacks " << name;
      }
      for (const auto& [name, v] : value.items()) {
        if (!s["properties"].contains(name)) {
          ADD_FAILURE() << where << "." << name << " is answered but not documented";
          continue;
        }
        Expect(s["properties"][name], v, where + "." + name);
      }
    }
    if (value.is_array() && s.contains("items")) {
      for (size_t i = 0; i < value.size(); ++i) {
        Expect(s["items"], value[i], where + "[" + std::to_string(i) + "]");
      }
    }
  }

  // The documented answer of `method path` with the response's status, checked against it.
  void ExpectAnswer(const std::string& method, const std::string& path,
                    const httplib::Result& r) const {
    ASSERT_TRUE(r) << method << " " << path;
    const std::string status = std::to_string(r->status);
    const std::string where = method + " " + path + " " + status;
    const Json::json_pointer op("/paths/" + Escape(path) + "/" + method);
    ASSERT_TRUE(doc_.contains(op)) << where << " is not documented";
    const Json& responses = doc_.at(op)["responses"];
    ASSERT_TRUE(responses.contains(status)) << where << " is not a documented answer: " << r->body;
    const Json response = Resolve(responses[status]);
    if (!response.contains("content")) {
      EXPECT_TRUE(r->body.empty()) << where;
      return;
    }
    const Json headers = response.value("headers", Json::object());
    for (const auto& [header, spec] : headers.items()) {
      EXPECT_TRUE(r->has_header(header)) << where << " lacks the documented " << header;
    }
    Expect(response["content"]["application/json"]["schema"], Json::parse(r->body, nullptr, false),
           where);
  }

 private:
  static std::string Escape(const std::string& path) {
    std::string out;
    for (char c : path) out += c == '/' ? "~1" : std::string(1, c);
    return out;
  }
  static bool Is(const Json& v, const std::string& type) {
    if (type == "null") return v.is_null();
    if (type == "string") return v.is_string();
    if (type == "integer") return v.is_number_integer();
    if (type == "number") return v.is_number();
    if (type == "boolean") return v.is_boolean();
    if (type == "array") return v.is_array();
    if (type == "object") return v.is_object();
    return false;
  }
  Json Resolve(const Json& schema) const {
    if (!schema.contains("$ref")) return schema;
    return Resolve(doc_.at(Json::json_pointer(schema["$ref"].get<std::string>().substr(1))));
  }
  // allOf as one object schema: the properties and required names of every part.
  Json Flatten(const Json& schema) const {
    Json s = Resolve(schema);
    if (!s.contains("allOf")) return s;
    Json out = {{"type", "object"}, {"properties", Json::object()}, {"required", Json::array()}};
    for (const auto& part : s["allOf"]) {
      const Json p = Flatten(part);
      const Json properties = p.value("properties", Json::object());
      for (const auto& [k, v] : properties.items()) {
        out["properties"][k] = v;
      }
      for (const auto& r : p.value("required", Json::array())) out["required"].push_back(r);
    }
    return out;
  }

  const Json& doc_;
};

TEST_F(OpenApi, IdentityAndAccessAnswersAreTheDocumentedOnes) {
  const Json doc = Body(Get("/api/v1/openapi.json"));
  const SchemaCheck check(doc);
  auto c = Client();

  auto login =
      c.Post("/api/v1/auth/login", Json{{"username", "alice"}, {"password", kAlicePassword}}.dump(),
             "application/json");
  check.ExpectAnswer("post", "/api/v1/auth/login", login);
  const Session s = SignIn("alice", kAlicePassword);
  const auto session = SessionHeaders(s);
  auto post = [&](const std::string& path, const Json& body) {
    return c.Post(path, session, body.dump(), "application/json");
  };
  auto patch = [&](const std::string& path, const Json& body) {
    return c.Patch(path, session, body.dump(), "application/json");
  };
  check.ExpectAnswer(
      "post", "/api/v1/auth/login",
      c.Post("/api/v1/auth/login", Json{{"username", "alice"}, {"password", "wrong"}}.dump(),
             "application/json"));
  check.ExpectAnswer("get", "/api/v1/auth/me", c.Get("/api/v1/auth/me", session));
  check.ExpectAnswer("get", "/api/v1/auth/me", Get("/api/v1/auth/me"));  // with a token
  check.ExpectAnswer("patch", "/api/v1/auth/profile",
                     patch("/api/v1/auth/profile", {{"display_name", "Alice A."}}));
  check.ExpectAnswer("post", "/api/v1/auth/password",
                     post("/api/v1/auth/password",
                          {{"current_password", "wrong"}, {"new_password", "another long one"}}));
  check.ExpectAnswer("post", "/api/v1/auth/reauthenticate",
                     post("/api/v1/auth/reauthenticate", {{"password", "wrong"}}));
  check.ExpectAnswer("post", "/api/v1/auth/organisation",
                     post("/api/v1/auth/organisation", {{"org_id", 999}}));
  check.ExpectAnswer("get", "/api/v1/auth/sessions", c.Get("/api/v1/auth/sessions", session));

  auto token = post("/api/v1/auth/tokens",
                    {{"name", "reports"}, {"read_only", true}, {"expires_on", "2999-12-31"}});
  check.ExpectAnswer("post", "/api/v1/auth/tokens", token);
  ASSERT_EQ(token->status, 201) << token->body;
  check.ExpectAnswer("get", "/api/v1/auth/tokens", c.Get("/api/v1/auth/tokens", session));
  check.ExpectAnswer(
      "delete", "/api/v1/auth/tokens/{id}",
      c.Delete("/api/v1/auth/tokens/" + std::to_string(Body(token)["id"].get<int64_t>()), session));
  check.ExpectAnswer("delete", "/api/v1/auth/tokens/{id}",
                     c.Delete("/api/v1/auth/tokens/999999", session));

  check.ExpectAnswer("get", "/api/v1/auth/second-factor",
                     c.Get("/api/v1/auth/second-factor", session));
  check.ExpectAnswer("post", "/api/v1/auth/second-factor",
                     post("/api/v1/auth/second-factor", Json::object()));
  check.ExpectAnswer("post", "/api/v1/auth/second-factor/confirm",
                     post("/api/v1/auth/second-factor/confirm", {{"code", "000000"}}));
  check.ExpectAnswer("post", "/api/v1/auth/second-factor/recovery-codes",
                     post("/api/v1/auth/second-factor/recovery-codes", {{"code", "000000"}}));

  check.ExpectAnswer("get", "/api/v1/roles", Get("/api/v1/roles"));
  check.ExpectAnswer("get", "/api/v1/organisation", Get("/api/v1/organisation"));
  check.ExpectAnswer(
      "patch", "/api/v1/organisation",
      patch("/api/v1/organisation", {{"second_factor_roles", {"external_auditor"}}}));
  check.ExpectAnswer("patch", "/api/v1/organisation",
                     patch("/api/v1/organisation", {{"second_factor_roles", {"nobody"}}}));

  auto added = post("/api/v1/users", {{"username", "bob"}, {"role", "viewer"}});
  check.ExpectAnswer("post", "/api/v1/users", added);
  ASSERT_EQ(added->status, 201) << added->body;
  check.ExpectAnswer("post", "/api/v1/users",
                     post("/api/v1/users", {{"username", "bob"}, {"role", "viewer"}}));
  const std::string bob = "/api/v1/users/" + std::to_string(Body(added)["id"].get<int64_t>());
  check.ExpectAnswer("get", "/api/v1/users", Get("/api/v1/users"));
  check.ExpectAnswer("get", "/api/v1/users/{id}", Get(bob));
  check.ExpectAnswer("get", "/api/v1/users/{id}", Get("/api/v1/users/999999"));
  check.ExpectAnswer("patch", "/api/v1/users/{id}",
                     patch(bob, {{"role", "contributor"}, {"expires_on", nullptr}}));
  check.ExpectAnswer("patch", "/api/v1/users/{id}", patch(bob, {{"colour", "blue"}}));
  auto reset = post(bob + "/reset-password", Json::object());
  check.ExpectAnswer("post", "/api/v1/users/{id}/reset-password", reset);
  ASSERT_EQ(reset->status, 200) << reset->body;
  SignIn("bob", Body(reset)["one_time_password"].get<std::string>());
  auto sessions = c.Get(bob + "/sessions", session);
  check.ExpectAnswer("get", "/api/v1/users/{id}/sessions", sessions);
  ASSERT_EQ(Body(sessions)["data"].size(), 1u) << sessions->body;
  check.ExpectAnswer(
      "delete", "/api/v1/users/{id}/sessions/{session_id}",
      c.Delete(bob + "/sessions/" + std::to_string(Body(sessions)["data"][0]["id"].get<int64_t>()),
               session));
  check.ExpectAnswer("delete", "/api/v1/users/{id}/sessions", c.Delete(bob + "/sessions", session));
  check.ExpectAnswer("delete", "/api/v1/users/{id}/second-factor",
                     c.Delete(bob + "/second-factor", session));

  check.ExpectAnswer("post", "/api/v1/auth/sessions/end-others",
                     post("/api/v1/auth/sessions/end-others", Json::object()));
  check.ExpectAnswer("post", "/api/v1/auth/logout", post("/api/v1/auth/logout", Json::object()));
  check.ExpectAnswer("get", "/api/v1/auth/me", c.Get("/api/v1/auth/me", session));  // 401
}

TEST_F(OpenApi, ThrottledSignInAnswersTheDocumented429WithRetryAfter) {
  const Json doc = Body(Get("/api/v1/openapi.json"));
  const Json& login = doc["paths"]["/api/v1/auth/login"]["post"];
  EXPECT_EQ(login["responses"]["429"]["$ref"], "#/components/responses/TooManyRequests");
  EXPECT_TRUE(doc["components"]["responses"]["TooManyRequests"]["headers"].contains("Retry-After"));
  const Json& body = login["requestBody"]["content"]["application/json"]["schema"];
  EXPECT_EQ(body["required"], Json({"username", "password"}));
  EXPECT_TRUE(body["properties"].contains("totp"));

  const SchemaCheck check(doc);
  auto attempt = [this] {
    return Client().Post("/api/v1/auth/login",
                         Json{{"username", "alice"}, {"password", "wrong"}}.dump(),
                         "application/json");
  };
  auto r = attempt();
  for (int i = 0; i < 10 && r && r->status != 429; ++i) r = attempt();
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 429) << r->body;
  check.ExpectAnswer("post", "/api/v1/auth/login", r);
}

TEST_F(OpenApi, RoleAndPermissionNamesAreTheDomainsOwn) {
  const Json doc = Body(Get("/api/v1/openapi.json"));
  Json roles = Json::array();
  for (const auto& r : domain::AllRoles()) roles.push_back(r.name);
  Json permissions = Json::array();
  for (const auto& p : domain::AllPermissions()) permissions.push_back(p.name);
  EXPECT_EQ(doc["components"]["schemas"]["RoleName"]["enum"], roles);
  EXPECT_EQ(doc["components"]["schemas"]["PermissionName"]["enum"], permissions);
  EXPECT_EQ(doc["components"]["schemas"]["MemberInput"]["properties"]["role"]["$ref"],
            "#/components/schemas/RoleName");
}

}  // namespace
}  // namespace rampart::testing

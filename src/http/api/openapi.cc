// The OpenAPI 3.1 document, assembled from the routes: each API route states its operation where
// it is registered (ApiDoc, http/router.h) and each area its component schemas (api_doc.h); this
// file adds who may call each operation (`x-rampart-access`) from the route's guard, turns the
// route patterns into paths, and adds what belongs to the whole document. The register routes'
// documentation is derived from the register descriptions, as are the routes themselves.
// tests/api/openapi_test.cc checks the document against Server::Routes(); the e2e_openapi test
// checks it with an external OpenAPI validator.
#include <string>

#include "base/text.h"
#include "domain/access.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/internal_audit_api.h"
#include "http/api/leadership_api.h"

namespace rampart::http {

using Json = nlohmann::json;

namespace {

// Who may call an operation, named from its route's guard.
std::string AccessOf(const Guard& g) {
  switch (g.access) {
    case Access::kPublic:
      return "public";
    case Access::kAnySignedIn:
      return "any signed-in user";
    case Access::kSecondFactorStep:
      return "second-factor step";
    case Access::kAccountSetup:
      return "account setup";
    case Access::kAccount:
      return "account";
    case Access::kPermission:
      return std::string(domain::PermissionName(g.permission));
  }
  return "";
}

// An operation: `fields` plus who may call it; a public one needs no credentials.
Json Operation(const Guard& g, Json fields) {
  fields["x-rampart-access"] = AccessOf(g);
  if (g.access == Access::kPublic) fields["security"] = Json::array();
  return fields;
}

// A route pattern as a documented path: each group replaced by its path parameter's name,
// `/api/v1/users/(\d+)` with "id" -> `/api/v1/users/{id}`.
std::string PathOf(const RouteInfo& route) {
  std::vector<std::string> names;
  for (const auto& p : route.doc.path_parameters) names.push_back(p["name"].get<std::string>());
  return RouteTemplate(route.pattern, names);
}

// The component schemas: the error answer's and each area's.
Json Components() {
  Json schemas = Json::object();
  schemas["Error"] = {{"type", "object"},
                      {"required", {"error"}},
                      {"properties",
                       {{"error",
                         {{"type", "object"},
                          {"required", {"code", "message", "field"}},
                          {"properties",
                           {{"code",
                             {{"type", "string"},
                              {"description",
                               "invalid_argument, not_found, already_exists, "
                               "failed_precondition, conflict, precondition_required, "
                               "unauthenticated, permission_denied, reauthentication_required "
                               "(403: prove the password again with POST "
                               "/api/v1/auth/reauthenticate), too_large, too_many_attempts, "
                               "unavailable, insufficient_storage (507: the database or "
                               "its disk is full; nothing was written, reading still works), "
                               "internal"}}},
                            {"message", {{"type", "string"}}},
                            {"field", {{"type", {"string", "null"}}}}}}}}}}};
  AddAccountSchemas(schemas);
  AddPeopleSchemas(schemas);
  AddRegisterSchemas(schemas);
  AddRiskSchemas(schemas);
  AddEvidenceSchemas(schemas);
  AddImportSchemas(schemas);
  AddSoaSchemas(schemas);
  AddFrameworkSchemas(schemas);
  AddSupportSchemas(schemas);
  AddMetricSchemas(schemas);
  AddManagementReviewSchemas(schemas);
  AddNotificationSchemas(schemas);
  AddInternalAuditSchemas(schemas);
  AddLeadershipSchemas(schemas);
  AddVersionSchemas(schemas);
  AddDocumentSchemas(schemas);
  AddReadinessSchemas(schemas);
  return schemas;
}

}  // namespace

Json OpenApiDocument(const std::vector<RouteInfo>& routes) {
  Json paths = Json::object();
  for (const RouteInfo& route : routes) {
    if (route.surface != Surface::kApi) continue;
    Json& item = paths[PathOf(route)];
    if (!route.doc.path_parameters.empty() && !item.contains("parameters")) {
      item["parameters"] = route.doc.path_parameters;
    }
    Json op = Operation(route.guard, route.doc.operation);
    if (route.method == "POST" && route.guard.access == Access::kPermission) {
      op["parameters"].push_back({{"$ref", "#/components/parameters/IdempotencyKey"}});
    }
    item[ToLower(route.method)] = std::move(op);
  }
  // Served by the HTTP server itself, outside the router: no guard, nothing to check.
  paths["/healthz"] = {
      {"get", Operation(Guard::Public(),
                        {{"summary", "Liveness"},
                         {"tags", Json::array({"Meta"})},
                         {"operationId", "healthz"},
                         {"responses", {{"200", JsonResponse("alive", {{"type", "object"}})}}}})}};
  paths["/readyz"] = {
      {"get",
       Operation(Guard::Public(),
                 {{"summary", "Readiness: the database reachable, migrated, writable, not full"},
                  {"tags", Json::array({"Meta"})},
                  {"operationId", "readyz"},
                  {"responses",
                   {{"200", JsonResponse("ready; each check \"ok\"", {{"type", "object"}})},
                    {"503", JsonResponse("not ready; the checks say what is wrong",
                                         {{"type", "object"}})}}}})}};

  const Json schemas = Components();
  return {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "Rampart API"},
        {"version", "1"},
        {"description",
         "The ISMS of one organisation as structured, versioned records (ISO/IEC 27001:2022).\n\n"
         "Each operation's `x-rampart-access` says who may call it: `public` (nobody signed in), "
         "`any signed-in user` (in any stage of signing in), `account setup` (signed in, even "
         "with a one-time password to change or a required second factor still to set up), "
         "`account` (fully signed in), or the permission the caller's role needs in the "
         "organisation, such as `records:read` (GET /api/v1/roles lists each role's "
         "permissions). A read-only API token is refused every state-changing request."}}},
      {"servers", Json::array({{{"url", "/"}}})},
      {"security", Json::array({{{"bearerAuth", Json::array()}}, {{"cookieAuth", Json::array()}}})},
      {"paths", paths},
      {"components",
       {{"schemas", schemas},
        {"responses",
         {{"Error",
           {{"description", "an error"},
            {"content", {{"application/json", {{"schema", Ref("Error")}}}}}}},
          {"TooManyRequests",
           {{"description", "too many failed attempts; try again later"},
            {"headers",
             {{"Retry-After",
               {{"description", "seconds until the next attempt is allowed"},
                {"schema", {{"type", "integer"}, {"minimum", 0}}}}}}},
            {"content", {{"application/json", {{"schema", Ref("Error")}}}}}}}}},
        {"parameters",
         {{"IdempotencyKey",
           {{"name", "Idempotency-Key"},
            {"in", "header"},
            {"required", false},
            {"description",
             "Makes the request safe to send again (1 to 255 printable ASCII characters of the "
             "caller's choosing, e.g. a UUID). Within 24 hours, the same caller sending the same "
             "key with the same request gets the first answer again, marked `Idempotent-Replayed: "
             "true`, and nothing is done twice; the key with another request is refused (400, "
             "field Idempotency-Key). A request refused or failed keeps no key. An answer that "
             "handed out a one-time password is not kept: sent again, the request is answered "
             "409."},
            {"schema", {{"type", "string"}, {"minLength", 1}, {"maxLength", 255}}}}}}},
        {"securitySchemes",
         {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}}},
          {"cookieAuth",
           {{"type", "apiKey"},
            {"in", "cookie"},
            {"name", "rampart_session"},
            {"description", "state-changing requests also need the X-CSRF-Token header"}}}}}}}};
}

}  // namespace rampart::http

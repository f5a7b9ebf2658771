// The OpenAPI 3.1 document, generated from the register descriptions so it cannot drift from
// the routes register_api.cc derives from the same descriptions.
#include <string>

#include "domain/registers.h"
#include "http/api/api.h"

namespace rampart::http {

using domain::FieldSpec;
using domain::FieldType;
using domain::RegisterSpec;
using Json = nlohmann::json;

namespace {

std::string SchemaName(const RegisterSpec& spec) {
  std::string out;
  bool upper = true;
  for (char c : spec.type) {
    if (c == '_') {
      upper = true;
    } else {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return out;
}

Json Ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

Json FieldSchema(const FieldSpec& f) {
  Json s;
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kLongText:
      s = {{"type", {"string", "null"}},
           {"maxLength",
            f.max_length > 0 ? f.max_length : (f.type == FieldType::kLongText ? 10000 : 200)}};
      break;
    case FieldType::kEnum: {
      Json values = Json::array();
      for (const auto& c : f.choices) values.push_back(c.value);
      values.push_back(nullptr);
      s = {{"type", {"string", "null"}}, {"enum", values}};
      break;
    }
    case FieldType::kDate:
      s = {{"type", {"string", "null"}}, {"format", "date"}};
      break;
    case FieldType::kBool:
      s = {{"type", "boolean"}};
      break;
    case FieldType::kInteger:
      s = {{"type", {"integer", "null"}}};
      break;
    case FieldType::kUser:
      s = {{"type", {"integer", "null"}}, {"description", "id of a user of the organisation"}};
      break;
    case FieldType::kList:
      s = {{"type", {"array", "null"}}, {"items", {{"type", "string"}, {"maxLength", 500}}}};
      break;
    case FieldType::kTable: {
      Json props = Json::object();
      Json required = Json::array();
      for (const auto& c : f.columns) {
        props[c.name] = FieldSchema(c);
        if (c.required) required.push_back(c.name);
      }
      s = {{"type", {"array", "null"}},
           {"items",
            {{"type", "object"},
             {"properties", props},
             {"required", required},
             {"additionalProperties", false}}}};
      break;
    }
  }
  s["title"] = f.label;
  if (!f.help.empty()) s["description"] = f.help;
  if (f.read_only) s["readOnly"] = true;
  return s;
}

Json RecordSchema(const RegisterSpec& spec, bool input) {
  Json props = Json::object();
  Json required = Json::array();
  if (!input) {
    props["id"] = {{"type", "integer"}};
    props["version"] = {{"type", "integer"}, {"description", "also the ETag"}};
    props["created_at"] = {{"type", "string"}, {"format", "date-time"}};
    props["updated_at"] = {{"type", "string"}, {"format", "date-time"}};
    props["created_by"] = {{"type", "integer"}};
    props["updated_by"] = {{"type", "integer"}};
    for (const char* f :
         {"id", "version", "created_at", "updated_at", "created_by", "updated_by"}) {
      required.push_back(f);
    }
  }
  for (const auto& f : spec.fields) {
    if (input && f.read_only) continue;
    props[f.name] = FieldSchema(f);
    if (!input || (f.required && f.default_value.is_null())) required.push_back(f.name);
  }
  Json s = {
      {"type", "object"}, {"title", spec.singular}, {"properties", props}, {"required", required}};
  if (input) s["additionalProperties"] = true;  // system fields are accepted and ignored
  return s;
}

Json ErrorResponses(std::initializer_list<int> codes) {
  Json out = Json::object();
  for (int c : codes) {
    out[std::to_string(c)] = {{"$ref", "#/components/responses/Error"}};
  }
  return out;
}

Json JsonBody(const Json& schema) {
  return {{"required", true}, {"content", {{"application/json", {{"schema", schema}}}}}};
}

Json JsonResponse(const std::string& description, const Json& schema) {
  return {{"description", description}, {"content", {{"application/json", {{"schema", schema}}}}}};
}

// Objects: b's members added to a. Arrays: b's items appended to a.
Json Merge(Json a, const Json& b) {
  if (a.is_array()) {
    for (const auto& v : b) a.push_back(v);
    return a;
  }
  for (const auto& [k, v] : b.items()) a[k] = v;
  return a;
}

const Json kIdParam = {
    {"name", "id"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}}}};
const Json kIfMatch = {{"name", "If-Match"},
                       {"in", "header"},
                       {"required", true},
                       {"description", "the record's ETag (its version); 412 when stale"},
                       {"schema", {{"type", "string"}}}};

Json ListParameters(const RegisterSpec& spec) {
  Json sorts = Json::array();
  for (const std::string n : {"id", "created_at", "updated_at"}) {
    sorts.push_back(n);
    sorts.push_back("-" + n);
  }
  for (const auto& f : spec.fields) {
    if (f.sortable) {
      sorts.push_back(f.name);
      sorts.push_back("-" + f.name);
    }
  }
  Json params = Json::array({
      {{"name", "limit"},
       {"in", "query"},
       {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}, {"default", 50}}}},
      {{"name", "cursor"},
       {"in", "query"},
       {"schema", {{"type", "string"}}},
       {"description", "next_cursor of the previous page"}},
      {{"name", "sort"}, {"in", "query"}, {"schema", {{"type", "string"}, {"enum", sorts}}}},
      {{"name", "q"},
       {"in", "query"},
       {"schema", {{"type", "string"}, {"maxLength", 200}}},
       {"description", "text to search for"}},
      {{"name", "total"},
       {"in", "query"},
       {"schema", {{"type", "boolean"}}},
       {"description", "also count the matching records"}},
  });
  for (const auto& f : spec.fields) {
    if (!f.filterable) continue;
    Json schema = FieldSchema(f);
    schema.erase("readOnly");
    params.push_back({{"name", f.name},
                      {"in", "query"},
                      {"schema", schema},
                      {"description", "only records whose " + f.label + " is this value"}});
  }
  return params;
}

Json BuildDocument() {
  Json paths = Json::object();
  Json schemas = Json::object();
  schemas["Error"] = {{"type", "object"},
                      {"required", {"error"}},
                      {"properties",
                       {{"error",
                         {{"type", "object"},
                          {"required", {"code", "message", "field"}},
                          {"properties",
                           {{"code", {{"type", "string"}}},
                            {"message", {{"type", "string"}}},
                            {"field", {{"type", {"string", "null"}}}}}}}}}}};
  schemas["AuditEvent"] = {{"type", "object"},
                           {"properties",
                            {{"seq", {{"type", "integer"}}},
                             {"at", {{"type", "string"}}},
                             {"actor", {{"type", "string"}}},
                             {"actor_id", {{"type", "integer"}}},
                             {"action", {{"type", "string"}}},
                             {"record_type", {{"type", "string"}}},
                             {"record_id", {{"type", "integer"}}},
                             {"diff", {{"type", "object"}}},
                             {"hash", {{"type", "string"}}},
                             {"prev_hash", {{"type", "string"}}}}}};
  const Json events = {
      {"type", "object"},
      {"properties", {{"data", {{"type", "array"}, {"items", Ref("AuditEvent")}}}}}};

  for (const RegisterSpec* spec : domain::AllRegisters()) {
    const std::string name = SchemaName(*spec);
    schemas[name] = RecordSchema(*spec, false);
    schemas[name + "Input"] = RecordSchema(*spec, true);
    const std::string base = "/api/v1/" + spec->path;
    const Json tags = Json::array({spec->plural});
    const Json list_schema = {{"type", "object"},
                              {"properties",
                               {{"data", {{"type", "array"}, {"items", Ref(name)}}},
                                {"next_cursor", {{"type", {"string", "null"}}}},
                                {"total", {{"type", "integer"}}}}}};
    paths[base] = {{"get",
                    {{"summary", "List " + spec->plural + " (clause " + spec->clause + ")"},
                     {"tags", tags},
                     {"operationId", "list_" + spec->type},
                     {"parameters", ListParameters(*spec)},
                     {"responses", Merge({{"200", JsonResponse("a page of records", list_schema)}},
                                         ErrorResponses({400, 401, 403}))}}},
                   {"post",
                    {{"summary", "Create a " + spec->singular},
                     {"tags", tags},
                     {"operationId", "create_" + spec->type},
                     {"requestBody", JsonBody(Ref(name + "Input"))},
                     {"responses", Merge({{"201", JsonResponse("created", Ref(name))}},
                                         ErrorResponses({400, 401, 403, 409, 413}))}}}};
    paths[base + "/export"] = {
        {"get",
         {{"summary", "Export " + spec->plural + " as CSV"},
          {"tags", tags},
          {"operationId", "export_" + spec->type},
          {"parameters",
           Merge(ListParameters(*spec),
                 Json::array({{{"name", "format"},
                               {"in", "query"},
                               {"schema", {{"type", "string"}, {"enum", {"csv"}}}}}}))},
          {"responses", Merge({{"200",
                                {{"description", "CSV file"},
                                 {"content", {{"text/csv", {{"schema", {{"type", "string"}}}}}}}}}},
                              ErrorResponses({400, 401}))}}}};
    const Json item_ok = JsonResponse("the record", Ref(name));
    paths[base + "/{id}"] = {
        {"parameters", Json::array({kIdParam})},
        {"get",
         {{"summary", "Read a " + spec->singular},
          {"tags", tags},
          {"operationId", "get_" + spec->type},
          {"responses", Merge({{"200", item_ok}}, ErrorResponses({401, 404}))}}},
        {"put",
         {{"summary", "Replace a " + spec->singular},
          {"tags", tags},
          {"operationId", "replace_" + spec->type},
          {"parameters", Json::array({kIfMatch})},
          {"requestBody", JsonBody(Ref(name + "Input"))},
          {"responses",
           Merge({{"200", item_ok}}, ErrorResponses({400, 401, 403, 404, 409, 412, 428}))}}},
        {"patch",
         {{"summary", "Change fields of a " + spec->singular},
          {"tags", tags},
          {"operationId", "update_" + spec->type},
          {"parameters", Json::array({kIfMatch})},
          {"requestBody", JsonBody({{"type", "object"}})},
          {"responses",
           Merge({{"200", item_ok}}, ErrorResponses({400, 401, 403, 404, 409, 412, 428}))}}},
        {"delete",
         {{"summary", "Delete a " + spec->singular},
          {"tags", tags},
          {"operationId", "delete_" + spec->type},
          {"parameters", Json::array({kIfMatch})},
          {"responses", Merge({{"204", {{"description", "deleted"}}}},
                              ErrorResponses({401, 403, 404, 409, 412, 428}))}}}};
    paths[base + "/{id}/history"] = {
        {"parameters", Json::array({kIdParam})},
        {"get",
         {{"summary", "History of a " + spec->singular},
          {"tags", tags},
          {"operationId", "history_" + spec->type},
          {"responses", Merge({{"200", JsonResponse("audit events, oldest first", events)}},
                              ErrorResponses({401, 404}))}}}};
  }

  const Json scope_tags = Json::array({"ISMS scope"});
  paths["/api/v1/scope/current"] = {
      {"get",
       {{"summary", "The approved ISMS scope in force"},
        {"tags", scope_tags},
        {"operationId", "current_scope"},
        {"responses", Merge({{"200", JsonResponse("the current version", Ref("ScopeStatement"))}},
                            ErrorResponses({401, 404}))}}}};
  paths["/api/v1/scope/{id}/approve"] = {
      {"parameters", Json::array({kIdParam})},
      {"post",
       {{"summary", "Approve a draft scope statement; the previous approved version is superseded"},
        {"tags", scope_tags},
        {"operationId", "approve_scope"},
        {"parameters", Json::array({kIfMatch})},
        {"responses", Merge({{"200", JsonResponse("approved", Ref("ScopeStatement"))}},
                            ErrorResponses({400, 401, 403, 404, 409, 412, 428}))}}}};
  paths["/api/v1/scope/{id}/new-draft"] = {
      {"parameters", Json::array({kIdParam})},
      {"post",
       {{"summary", "Start a new draft from a version"},
        {"tags", scope_tags},
        {"operationId", "new_scope_draft"},
        {"responses", Merge({{"201", JsonResponse("the new draft", Ref("ScopeStatement"))}},
                            ErrorResponses({401, 403, 404}))}}}};

  const Json auth_tags = Json::array({"Sign-in"});
  const Json me = {{"type", "object"},
                   {"properties",
                    {{"user_id", {{"type", "integer"}}},
                     {"username", {{"type", "string"}}},
                     {"display_name", {{"type", "string"}}},
                     {"organisation", {{"type", "object"}}},
                     {"role", {{"type", "string"}}},
                     {"must_change_password", {{"type", "boolean"}}},
                     {"csrf_token", {{"type", "string"}}}}}};
  paths["/api/v1/auth/login"] = {
      {"post",
       {{"summary", "Sign in; sets the session cookie and returns the CSRF token"},
        {"tags", auth_tags},
        {"operationId", "login"},
        {"security", Json::array()},
        {"requestBody",
         JsonBody({{"type", "object"},
                   {"required", {"username", "password"}},
                   {"properties",
                    {{"username", {{"type", "string"}}}, {"password", {{"type", "string"}}}}}})},
        {"responses",
         Merge({{"200", JsonResponse("signed in", me)}}, ErrorResponses({400, 401}))}}}};
  paths["/api/v1/auth/logout"] = {
      {"post",
       {{"summary", "Sign out"},
        {"tags", auth_tags},
        {"operationId", "logout"},
        {"responses", Merge({{"204", {{"description", "signed out"}}}}, ErrorResponses({401}))}}}};
  paths["/api/v1/auth/me"] = {
      {"get",
       {{"summary", "Who is signed in"},
        {"tags", auth_tags},
        {"operationId", "me"},
        {"responses", Merge({{"200", JsonResponse("the caller", me)}}, ErrorResponses({401}))}}}};
  paths["/api/v1/auth/password"] = {
      {"post",
       {{"summary", "Change the caller's password"},
        {"tags", auth_tags},
        {"operationId", "change_password"},
        {"requestBody",
         JsonBody(
             {{"type", "object"},
              {"required", {"current_password", "new_password"}},
              {"properties",
               {{"current_password", {{"type", "string"}}},
                {"new_password", {{"type", "string"}, {"minLength", 8}, {"maxLength", 128}}}}}})},
        {"responses",
         Merge({{"204", {{"description", "changed"}}}}, ErrorResponses({400, 401, 403}))}}}};
  paths["/api/v1/users"] = {
      {"get",
       {{"summary", "Members of the organisation (owners to choose from)"},
        {"tags", Json::array({"Organisation"})},
        {"operationId", "list_users"},
        {"responses",
         Merge({{"200", JsonResponse("members", {{"type", "object"}})}}, ErrorResponses({401}))}}}};
  paths["/api/v1/audit/events"] = {
      {"get",
       {{"summary", "Newest audit events of the organisation"},
        {"tags", Json::array({"Audit trail"})},
        {"operationId", "list_audit_events"},
        {"parameters",
         Json::array({{{"name", "limit"},
                       {"in", "query"},
                       {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}}}}})},
        {"responses", Merge({{"200", JsonResponse("events, newest first", events)}},
                            ErrorResponses({400, 401}))}}}};
  paths["/api/v1/audit/verify"] = {
      {"get",
       {{"summary", "Verify the audit trail's hash chain"},
        {"tags", Json::array({"Audit trail"})},
        {"operationId", "verify_audit_chain"},
        {"responses",
         Merge({{"200", JsonResponse("verification result",
                                     {{"type", "object"},
                                      {"properties",
                                       {{"intact", {{"type", "boolean"}}},
                                        {"events", {{"type", "integer"}}},
                                        {"first_bad_seq", {{"type", {"integer", "null"}}}},
                                        {"problem", {{"type", {"string", "null"}}}},
                                        {"head_hash", {{"type", "string"}}}}}})}},
               ErrorResponses({401}))}}}};
  paths["/api/v1/openapi.json"] = {
      {"get",
       {{"summary", "This document"},
        {"tags", Json::array({"Meta"})},
        {"operationId", "openapi"},
        {"responses", {{"200", JsonResponse("OpenAPI 3.1", {{"type", "object"}})}}}}}};
  paths["/healthz"] = {{"get",
                        {{"summary", "Liveness"},
                         {"tags", Json::array({"Meta"})},
                         {"operationId", "healthz"},
                         {"security", Json::array()},
                         {"responses", {{"200", JsonResponse("alive", {{"type", "object"}})}}}}}};

  return {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "Rampart API"},
        {"version", "1"},
        {"description",
         "The ISMS of one organisation as structured, versioned records (ISO/IEC 27001:2022)."}}},
      {"servers", Json::array({{{"url", "/"}}})},
      {"security", Json::array({{{"bearerAuth", Json::array()}}, {{"cookieAuth", Json::array()}}})},
      {"paths", paths},
      {"components",
       {{"schemas", schemas},
        {"responses",
         {{"Error",
           {{"description", "an error"},
            {"content", {{"application/json", {{"schema", Ref("Error")}}}}}}}}},
        {"securitySchemes",
         {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}}},
          {"cookieAuth",
           {{"type", "apiKey"},
            {"in", "cookie"},
            {"name", "rampart_session"},
            {"description", "state-changing requests also need the X-CSRF-Token header"}}}}}}}};
}

}  // namespace

const Json& OpenApiDocument() {
  static const Json kDoc = BuildDocument();
  return kDoc;
}

}  // namespace rampart::http

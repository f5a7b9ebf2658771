// The OpenAPI 3.1 document. Register routes are generated from the register descriptions, as
// register_api.cc derives its routes from the same descriptions; the other routes are described
// here by hand. Every operation says who may call it (`x-rampart-access`) using the guards the
// router uses, and tests/api/openapi_test.cc walks Server::Routes() so that the document and the
// registered routes, with their guards, cannot drift apart.
#include <fmt/format.h>
#include <cctype>
#include <string>

#include "base/text.h"
#include "base/xlsx.h"
#include "domain/access.h"
#include "domain/context.h"
#include "domain/evidence.h"
#include "domain/registers.h"
#include "domain/risk.h"
#include "domain/soa.h"
#include "http/api/api.h"

namespace rampart::http {

using domain::FieldSpec;
using domain::FieldType;
using domain::Permission;
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
    case FieldType::kList: {
      Json item = {{"type", "string"}, {"maxLength", 500}};
      if (!f.choices.empty()) {
        Json values = Json::array();
        for (const auto& c : f.choices) values.push_back(c.value);
        item = {{"type", "string"}, {"enum", values}};
      }
      s = {{"type", {"array", "null"}}, {"items", item}, {"uniqueItems", !f.choices.empty()}};
      break;
    }
    case FieldType::kRef:
      s = {{"type", {"integer", "null"}},
           {"description", fmt::format("id of a record of the {} register", f.ref)}};
      break;
    case FieldType::kRefs:
      s = {{"type", {"array", "null"}},
           {"items", {{"type", "integer"}, {"minimum", 1}}},
           {"uniqueItems", true},
           {"description", fmt::format("ids of records of the {} register", f.ref)}};
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

// 429 also says when to try again (Retry-After).
Json ErrorResponses(std::initializer_list<int> codes) {
  Json out = Json::object();
  for (int c : codes) {
    out[std::to_string(c)] = {{"$ref", c == 429 ? "#/components/responses/TooManyRequests"
                                                : "#/components/responses/Error"}};
  }
  return out;
}

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

const Json kString = {{"type", "string"}};
const Json kInteger = {{"type", "integer"}};
const Json kBoolean = {{"type", "boolean"}};
const Json kDateTime = {{"type", "string"}, {"format", "date-time"}};
const Json kDate = {{"type", "string"}, {"format", "date"}};

Json Described(Json schema, const std::string& description) {
  schema["description"] = description;
  return schema;
}

// `schema` that may also be null.
Json OrNull(Json schema) {
  schema["type"] = {schema["type"], "null"};
  return schema;
}

Json Object(const Json& properties, const Json& required) {
  return {{"type", "object"}, {"properties", properties}, {"required", required}};
}

// An object of these properties, every one always present.
Json ObjectOfAll(const Json& properties) {
  Json required = Json::array();
  for (const auto& [name, schema] : properties.items()) required.push_back(name);
  return Object(properties, required);
}

Json ArrayOf(const Json& items) { return {{"type", "array"}, {"items", items}}; }

// {"data": [...]}: a listing.
Json DataOf(const std::string& schema) { return ObjectOfAll({{"data", ArrayOf(Ref(schema))}}); }

// Schema `base` with more properties.
Json Extends(const std::string& base, const Json& more) {
  return {{"allOf", Json::array({Ref(base), more})}};
}

Json NoContent(const std::string& description) { return {{"description", description}}; }

Json PathParam(const std::string& name, const std::string& description) {
  return {{"name", name},
          {"in", "path"},
          {"required", true},
          {"description", description},
          {"schema", {{"type", "integer"}}}};
}

const char* const kSessionOnly =
    " Needs a session (signed in with the password): an API token gets 403.";

// Schemas of identity and access: the caller, sessions, tokens, members, roles, organisation.
void AddIdentitySchemas(Json& schemas) {
  Json role_names = Json::array();
  for (const auto& r : domain::AllRoles()) role_names.push_back(r.name);
  Json permission_names = Json::array();
  for (const auto& p : domain::AllPermissions()) permission_names.push_back(p.name);
  schemas["RoleName"] = {{"type", "string"},
                         {"enum", role_names},
                         {"description", "a role; GET /api/v1/roles lists what each may do"}};
  schemas["PermissionName"] = {{"type", "string"}, {"enum", permission_names}};
  const Json role = Ref("RoleName");

  schemas["OrganisationRef"] = ObjectOfAll({{"id", kInteger}, {"name", kString}});
  schemas["Me"] = ObjectOfAll(
      {{"user_id", kInteger},
       {"username", kString},
       {"display_name", kString},
       {"organisation", Described(Ref("OrganisationRef"), "the organisation acted for")},
       {"role", role},
       {"permissions",
        Described(ArrayOf(Ref("PermissionName")), "what the role allows in this organisation")},
       {"credential", {{"type", "string"}, {"enum", {"session", "token"}}}},
       {"read_only",
        Described(kBoolean, "a read-only API token: reads only, whatever the permissions")},
       {"must_change_password",
        Described(kBoolean,
                  "a one-time password must be changed first (POST /api/v1/auth/password)")},
       {"second_factor", Described(kBoolean, "a second factor (TOTP) is set up")},
       {"needs_second_factor",
        Described(kBoolean,
                  "the organisation requires a second factor for this role and none is set up: "
                  "only account set-up is allowed until it is")},
       {"awaiting_second_factor",
        Described(kBoolean, "the session waits for the second-factor code of signing in")}});
  schemas["SignedIn"] = Extends(
      "Me", ObjectOfAll({{"csrf_token",
                          Described(kString,
                                    "send as X-CSRF-Token with every state-changing request made "
                                    "with the session cookie")}}));
  schemas["Membership"] =
      ObjectOfAll({{"organisation", Ref("OrganisationRef")},
                   {"role", role},
                   {"expires_on", Described(OrNull(kDate), "the last day of access")}});
  schemas["Caller"] = Extends(
      "Me", ObjectOfAll({{"memberships", Described(ArrayOf(Ref("Membership")),
                                                   "every organisation the user can switch to")}}));

  schemas["Session"] =
      ObjectOfAll({{"id", Described(kInteger, "a handle to end the session by; not a credential")},
                   {"created_at", kDateTime},
                   {"last_seen_at", kDateTime},
                   {"expires_at", kDateTime},
                   {"address", Described(kString, "the client's address at sign-in")},
                   {"user_agent", kString},
                   {"organisation_id", kInteger},
                   {"awaiting_second_factor", kBoolean},
                   {"current", Described(kBoolean, "the session of this request")}});
  schemas["MemberSession"] = ObjectOfAll({{"id", kInteger},
                                          {"created_at", kDateTime},
                                          {"last_seen_at", kDateTime},
                                          {"address", kString},
                                          {"user_agent", kString}});
  schemas["Ended"] = ObjectOfAll({{"ended", Described(kInteger, "how many sessions ended")}});

  schemas["ApiToken"] = ObjectOfAll(
      {{"id", kInteger},
       {"name", kString},
       {"organisation_id", Described(kInteger, "the one organisation the token acts for")},
       {"read_only", kBoolean},
       {"created_at", kDateTime},
       {"expires_at", Described(OrNull(kDateTime), "null: does not expire")},
       {"last_used_at", OrNull(kDateTime)},
       {"revoked", kBoolean}});
  schemas["NewApiToken"] = Extends(
      "ApiToken",
      ObjectOfAll(
          {{"token",
            Described(kString, "the bearer token: shown in this answer only, never again")}}));
  schemas["ApiTokenInput"] = Object(
      {{"name", Described({{"type", "string"}, {"minLength", 1}, {"maxLength", 100}},
                          "what will use the token")},
       {"read_only", {{"type", "boolean"}, {"default", false}}},
       {"expires_on", Described(kDate,
                                "the last day the token works, not in the past; absent: the token "
                                "does not expire")}},
      Json::array({"name"}));

  schemas["SecondFactorStatus"] =
      ObjectOfAll({{"enabled", kBoolean},
                   {"required", Described(kBoolean, "required for the role and not set up yet")},
                   {"recovery_codes_left", kInteger}});
  schemas["SecondFactorEnrolment"] = ObjectOfAll(
      {{"secret", Described(kString, "base32, to type into an authenticator app by hand")},
       {"uri", Described(kString, "otpauth:// URI")},
       {"qr_svg", Described(kString, "the URI as a QR code (SVG)")}});
  schemas["RecoveryCodes"] =
      ObjectOfAll({{"recovery_codes",
                    Described(ArrayOf(kString),
                              "one-time codes for a lost phone: shown in this answer only")}});
  schemas["SecondFactorCode"] =
      Object({{"code", Described(kString, "the current code of the authenticator app")}},
             Json::array({"code"}));

  schemas["Member"] =
      ObjectOfAll({{"id", Described(kInteger, "the user's id")},
                   {"username", kString},
                   {"display_name", kString},
                   {"role", role},
                   {"expires_on", Described(OrNull(kDate), "the last day of access; null: no end")},
                   {"disabled", kBoolean},
                   {"second_factor", Described(kBoolean, "a second factor is set up")}});
  schemas["MemberInput"] = Object(
      {{"username", {{"type", "string"}, {"pattern", "^[a-z0-9][a-z0-9._-]{0,63}$"}}},
       {"display_name",
        Described({{"type", "string"}, {"maxLength", 100}}, "the user name when absent")},
       {"role", role},
       {"expires_on", Described(kDate,
                                "the last day of access; required for a role whose needs_expiry "
                                "is true (GET /api/v1/roles)")},
       {"password", Described({{"type", "string"}, {"minLength", 8}, {"maxLength", 128}},
                              "for a new account only (400 when the user exists); absent: a "
                              "one-time password is made and returned")}},
      Json::array({"username", "role"}));
  schemas["AddedMember"] =
      Extends("Member",
              Object({{"existing_user",
                       Described(kBoolean,
                                 "always false here: an administrator's add of a taken name is an "
                                 "invitation (202)")},
                      {"one_time_password",
                       Described(kString,
                                 "a new account without a chosen password: to be changed at first "
                                 "sign-in; shown in this answer only")},
                      {"one_time_password_expires_at",
                       Described(kString,
                                 "with one_time_password: when it stops working (UTC, 72 hours "
                                 "on); it works for one sign-in")}},
                     Json::array({"existing_user"})));
  schemas["Invited"] =
      ObjectOfAll({{"status", Described(kString, "\"invited\"")},
                   {"username", Described(kString, "the name asked for, as given")}});
  schemas["Invitation"] =
      ObjectOfAll({{"id", kInteger},
                   {"organisation", Described(kString, "the inviting organisation's name")},
                   {"role", kString},
                   {"expires_on", Described(OrNull(kDate), "the last day of the access offered")},
                   {"invited_by", Described(kString, "the inviting administrator's user name")},
                   {"created_at", kString}});
  Json change = Object({{"role", role},
                        {"expires_on", Described(OrNull(kDate), "null: access does not end")},
                        {"disabled", Described(kBoolean, "a disabled user cannot sign in")}},
                       Json::array());
  change["additionalProperties"] = false;
  schemas["MemberChange"] = change;
  schemas["OneTimePassword"] = ObjectOfAll(
      {{"one_time_password",
        Described(kString, "to be changed at first sign-in; shown in this answer only")},
       {"one_time_password_expires_at",
        Described(kString, "when it stops working (UTC, 72 hours on); it works for one sign-in")}});

  schemas["Role"] = ObjectOfAll({{"name", role},
                                 {"label", kString},
                                 {"summary", kString},
                                 {"needs_expiry", Described(kBoolean,
                                                            "a membership with this role must "
                                                            "end on a date (expires_on)")},
                                 {"permissions", ArrayOf(Ref("PermissionName"))}});
  schemas["Organisation"] = ObjectOfAll(
      {{"id", kInteger},
       {"name", kString},
       {"created_at", kDateTime},
       {"second_factor_roles",
        Described(ArrayOf(role), "members with these roles must set up a second factor")}});
  schemas["OrganisationChange"] =
      Object({{"second_factor_roles", ArrayOf(role)}}, Json::array({"second_factor_roles"}));
}

// Signing in and the caller's own account (auth_api.cc).
void AddAccountPaths(Json& paths) {
  const Json sign_in = Json::array({"Sign-in"});
  const Json account = Json::array({"Account"});
  const Json cookie_header = {
      {"Set-Cookie",
       {{"description", "the session cookie (HttpOnly, SameSite=Strict)"}, {"schema", kString}}}};

  paths["/api/v1/auth/login"] = {
      {"post",
       Operation(
           Guard::Public(),
           {{"summary", "Sign in; sets the session cookie and returns the CSRF token"},
            {"description",
             "Failed sign-ins are counted per account and per client address; too many answer 429 "
             "with Retry-After. An account with a second factor needs `totp`: without it, or with "
             "a "
             "wrong code, the answer is 401 naming the field `totp`."},
            {"tags", sign_in},
            {"operationId", "login"},
            {"requestBody",
             JsonBody(Object(
                 {{"username", kString},
                  {"password", kString},
                  {"totp", Described(kString,
                                     "the code of the authenticator app, or a recovery code; "
                                     "needed when the account has a second factor")}},
                 Json::array({"username", "password"})))},
            {"responses", Merge({{"200", Merge(JsonResponse("signed in", Ref("SignedIn")),
                                               {{"headers", cookie_header}})}},
                                ErrorResponses({400, 401, 403, 429}))}})}};
  paths["/api/v1/auth/logout"] = {
      {"post", Operation(Guard::AnySignedIn(),
                         {{"summary", "Sign out: ends the session and clears its cookie"},
                          {"tags", sign_in},
                          {"operationId", "logout"},
                          {"responses", Merge({{"204", NoContent("signed out")}},
                                              ErrorResponses({401, 403}))}})}};
  paths["/api/v1/auth/me"] = {
      {"get",
       Operation(Guard::AnySignedIn(),
                 {{"summary", "Who is signed in: organisation, role, permissions, memberships"},
                  {"tags", sign_in},
                  {"operationId", "me"},
                  {"responses", Merge({{"200", JsonResponse("the caller", Ref("Caller"))}},
                                      ErrorResponses({401}))}})}};

  paths["/api/v1/auth/password"] = {
      {"post",
       Operation(
           Guard::AccountSetup(),
           {{"summary", "Change the caller's password"},
            {"description",
             std::string(
                 "Also replaces a one-time password. Ends the user's other sessions and revokes "
                 "their API tokens unless keep_tokens is true; counts as re-authentication of "
                 "this session. A wrong current_password counts as a failed sign-in: after five "
                 "in 15 minutes (per account and per address) the answer is 429 "
                 "too_many_attempts with Retry-After. The new password may not contain the user "
                 "name, the person's name or the organisation's name.") +
                 kSessionOnly},
            {"tags", account},
            {"operationId", "change_password"},
            {"requestBody",
             JsonBody(Object(
                 {{"current_password", kString},
                  {"new_password", {{"type", "string"}, {"minLength", 8}, {"maxLength", 128}}},
                  {"keep_tokens",
                   Described(kBoolean, "keep the caller's API tokens working (default false)")}},
                 Json::array({"current_password", "new_password"})))},
            {"responses",
             Merge({{"204", NoContent("changed")}}, ErrorResponses({400, 401, 403, 429}))}})}};
  paths["/api/v1/auth/reauthenticate"] = {
      {"post",
       Operation(
           Guard::AccountSetup(),
           {{"summary", "Prove the password (and second factor) again"},
            {"description",
             std::string(
                 "Creating an API token and starting second-factor enrolment need the password "
                 "(and a code, when a second factor is set up) proved on this session within the "
                 "last 5 minutes: signing in, changing the password or this call. Without it they "
                 "answer 403 with the error code reauthentication_required. A wrong password or "
                 "code is 400 naming \"password\" or \"code\" and counts as a failed sign-in "
                 "(429 too_many_attempts when throttled).") +
                 kSessionOnly},
            {"tags", account},
            {"operationId", "reauthenticate"},
            {"requestBody",
             JsonBody(Object({{"password", kString},
                              {"code", Described(kString,
                                                 "a code of the authenticator app or a recovery "
                                                 "code; needed when a second factor is set up")}},
                             Json::array({"password"})))},
            {"responses", Merge({{"204", NoContent("re-authenticated")}},
                                ErrorResponses({400, 401, 403, 429}))}})}};
  paths["/api/v1/auth/profile"] = {
      {"patch",
       Operation(Guard::Account(),
                 {{"summary", "Change the caller's display name"},
                  {"tags", account},
                  {"operationId", "update_profile"},
                  {"requestBody",
                   JsonBody(Object({{"display_name",
                                     {{"type", "string"}, {"minLength", 1}, {"maxLength", 100}}}},
                                   Json::array({"display_name"})))},
                  {"responses",
                   Merge({{"204", NoContent("changed")}}, ErrorResponses({400, 401, 403}))}})}};
  paths["/api/v1/auth/organisation"] = {
      {"post",
       Operation(
           Guard::Account(),
           {{"summary", "Switch the session to another organisation the user belongs to"},
            {"description",
             "404 when the user is not a member of it; 409 with an API token, which acts for one "
             "organisation."},
            {"tags", account},
            {"operationId", "switch_organisation"},
            {"requestBody", JsonBody(Object({{"org_id", kInteger}}, Json::array({"org_id"})))},
            {"responses", Merge({{"204", NoContent("switched")}},
                                ErrorResponses({400, 401, 403, 404, 409}))}})}};

  paths["/api/v1/auth/invitations"] = {
      {"get",
       Operation(Guard::Account(),
                 {{"summary", "The caller's pending invitations to organisations"},
                  {"tags", account},
                  {"operationId", "list_own_invitations"},
                  {"responses", Merge({{"200", JsonResponse("invitations", DataOf("Invitation"))}},
                                      ErrorResponses({401, 403}))}})}};
  for (const char* verb : {"accept", "decline"}) {
    const bool accept = std::string(verb) == "accept";
    paths[std::string("/api/v1/auth/invitations/{id}/") + verb] = {
        {"parameters", Json::array({PathParam("id", "the invitation's id")})},
        {"post",
         Operation(Guard::Account(),
                   {{"summary", accept ? "Accept an invitation: become a member with the "
                                         "role offered"
                                       : "Decline an invitation"},
                    {"tags", account},
                    {"operationId", std::string(verb) + "_invitation"},
                    {"responses", Merge({{"200", JsonResponse(accept ? "accepted" : "declined",
                                                              Ref("Invitation"))}},
                                        accept ? ErrorResponses({401, 403, 404, 409})
                                               : ErrorResponses({401, 403, 404}))}})}};
  }
  paths["/api/v1/auth/sessions"] = {
      {"get", Operation(Guard::Account(),
                        {{"summary", "The caller's sessions, newest first"},
                         {"tags", account},
                         {"operationId", "list_own_sessions"},
                         {"responses", Merge({{"200", JsonResponse("sessions", DataOf("Session"))}},
                                             ErrorResponses({401, 403}))}})}};
  paths["/api/v1/auth/sessions/{id}"] = {
      {"parameters", Json::array({PathParam("id", "the session's id")})},
      {"delete",
       Operation(Guard::Account(), {{"summary", "End one of the caller's sessions"},
                                    {"tags", account},
                                    {"operationId", "end_own_session"},
                                    {"responses", Merge({{"204", NoContent("ended")}},
                                                        ErrorResponses({401, 403, 404}))}})}};
  paths["/api/v1/auth/sessions/end-others"] = {
      {"post", Operation(Guard::Account(),
                         {{"summary", "End every session of the caller but this one"},
                          {"tags", account},
                          {"operationId", "end_other_sessions"},
                          {"responses", Merge({{"200", JsonResponse("ended", Ref("Ended"))}},
                                              ErrorResponses({401, 403}))}})}};

  paths["/api/v1/auth/tokens"] = {
      {"get", Operation(Guard::Account(),
                        {{"summary", "The caller's API tokens, newest first (never their secret)"},
                         {"tags", account},
                         {"operationId", "list_own_tokens"},
                         {"responses", Merge({{"200", JsonResponse("tokens", DataOf("ApiToken"))}},
                                             ErrorResponses({401, 403}))}})},
      {"post",
       Operation(Guard::Account(),
                 {{"summary", "Create an API token for the current organisation"},
                  {"description",
                   std::string("The token is in this answer only. Needs the password proved "
                               "within the last 5 minutes (403 reauthentication_required: POST "
                               "/api/v1/auth/reauthenticate).") +
                       kSessionOnly},
                  {"tags", account},
                  {"operationId", "create_own_token"},
                  {"requestBody", JsonBody(Ref("ApiTokenInput"))},
                  {"responses",
                   Merge({{"201", JsonResponse("created, with the token", Ref("NewApiToken"))}},
                         ErrorResponses({400, 401, 403}))}})}};
  paths["/api/v1/auth/tokens/{id}"] = {
      {"parameters", Json::array({PathParam("id", "the token's id")})},
      {"delete",
       Operation(Guard::Account(), {{"summary", "Revoke one of the caller's API tokens"},
                                    {"tags", account},
                                    {"operationId", "revoke_own_token"},
                                    {"responses", Merge({{"204", NoContent("revoked")}},
                                                        ErrorResponses({401, 403, 404}))}})}};

  paths["/api/v1/auth/second-factor"] = {
      {"get",
       Operation(Guard::AccountSetup(),
                 {{"summary",
                   "Whether the caller has a second factor, and whether it is "
                   "required"},
                  {"tags", account},
                  {"operationId", "second_factor_status"},
                  {"responses", Merge({{"200", JsonResponse("status", Ref("SecondFactorStatus"))}},
                                      ErrorResponses({401, 403}))}})},
      {"post",
       Operation(
           Guard::AccountSetup(),
           {{"summary", "Start setting up a second factor (TOTP): a new secret to confirm"},
            {"description", std::string("409 when one is set up already. Needs the password "
                                        "proved within the last 5 minutes (403 "
                                        "reauthentication_required: POST "
                                        "/api/v1/auth/reauthenticate).") +
                                kSessionOnly},
            {"tags", account},
            {"operationId", "start_second_factor"},
            {"responses", Merge({{"200", JsonResponse("the secret", Ref("SecondFactorEnrolment"))}},
                                ErrorResponses({401, 403, 409}))}})},
      {"delete",
       Operation(Guard::Account(),
                 {{"summary", "Turn the caller's second factor off"},
                  {"description",
                   std::string("Needs the password and a current code. 409 when none is set "
                               "up.") +
                       kSessionOnly},
                  {"tags", account},
                  {"operationId", "disable_second_factor"},
                  {"requestBody", JsonBody(Object({{"password", kString}, {"code", kString}},
                                                  Json::array({"password", "code"})))},
                  {"responses", Merge({{"204", NoContent("turned off")}},
                                      ErrorResponses({400, 401, 403, 409}))}})}};
  paths["/api/v1/auth/second-factor/confirm"] = {
      {"post",
       Operation(Guard::AccountSetup(),
                 {{"summary", "Confirm the second factor being set up with a code from the app"},
                  {"description",
                   std::string("Returns the recovery codes, shown this once. 409 when set-up was "
                               "not started or is done.") +
                       kSessionOnly},
                  {"tags", account},
                  {"operationId", "confirm_second_factor"},
                  {"requestBody", JsonBody(Ref("SecondFactorCode"))},
                  {"responses", Merge({{"200", JsonResponse("set up", Ref("RecoveryCodes"))}},
                                      ErrorResponses({400, 401, 403, 409}))}})}};
  paths["/api/v1/auth/second-factor/recovery-codes"] = {
      {"post",
       Operation(
           Guard::Account(),
           {{"summary", "Replace the caller's recovery codes"},
            {"description",
             std::string("Needs a current code; the old recovery codes stop working.") +
                 kSessionOnly},
            {"tags", account},
            {"operationId", "new_recovery_codes"},
            {"requestBody", JsonBody(Ref("SecondFactorCode"))},
            {"responses", Merge({{"200", JsonResponse("the new codes", Ref("RecoveryCodes"))}},
                                ErrorResponses({400, 401, 403, 409}))}})}};
}

// The organisation's people and settings (member_api.cc).
void AddPeoplePaths(Json& paths) {
  const Json people = Json::array({"People"});
  const Json organisation = Json::array({"Organisation"});
  const Guard manage = Guard::Needs(Permission::kManageUsers);
  const Json user_id = Json::array({PathParam("id", "the user's id")});

  paths["/api/v1/roles"] = {
      {"get", Operation(kRead, {{"summary", "The roles and the permissions of each"},
                                {"tags", organisation},
                                {"operationId", "list_roles"},
                                {"responses", Merge({{"200", JsonResponse("roles, most powerful "
                                                                          "first",
                                                                          DataOf("Role"))}},
                                                    ErrorResponses({401, 403}))}})}};
  paths["/api/v1/organisation"] = {
      {"get",
       Operation(kRead, {{"summary", "The organisation acted for"},
                         {"tags", organisation},
                         {"operationId", "get_organisation"},
                         {"responses",
                          Merge({{"200", JsonResponse("the organisation", Ref("Organisation"))}},
                                ErrorResponses({401, 403}))}})},
      {"patch", Operation(Guard::Needs(Permission::kManageSettings),
                          {{"summary", "Choose the roles that must use a second factor"},
                           {"tags", organisation},
                           {"operationId", "update_organisation"},
                           {"requestBody", JsonBody(Ref("OrganisationChange"))},
                           {"responses",
                            Merge({{"200", JsonResponse("the organisation", Ref("Organisation"))}},
                                  ErrorResponses({400, 401, 403}))}})}};

  paths["/api/v1/users"] = {
      {"get",
       Operation(kRead, {{"summary", "Members of the organisation (owners to choose from)"},
                         {"tags", people},
                         {"operationId", "list_users"},
                         {"responses",
                          Merge({{"200", JsonResponse("members by user name", DataOf("Member"))}},
                                ErrorResponses({401, 403}))}})},
      {"post",
       Operation(manage,
                 {{"summary",
                   "Add a member: a new account, or an existing one to this "
                   "organisation"},
                  {"description",
                   "409 when the user is a member already. A name free in the whole "
                   "installation makes a new account (201); one without a chosen password gets "
                   "a one-time password, in this answer only. A taken name makes an invitation "
                   "the account's holder accepts or declines (202), with the same answer "
                   "whoever holds it: nothing about accounts outside the organisation is "
                   "shown."},
                  {"tags", people},
                  {"operationId", "add_user"},
                  {"requestBody", JsonBody(Ref("MemberInput"))},
                  {"responses", Merge({{"201", Merge(JsonResponse("added", Ref("AddedMember")),
                                                     {{"headers",
                                                       {{"Location",
                                                         {{"description", "/api/v1/users/{id}"},
                                                          {"schema", kString}}}}}})},
                                       {"202", JsonResponse("invited", Ref("Invited"))}},
                                      ErrorResponses({400, 401, 403, 409}))}})}};
  paths["/api/v1/users/{id}"] = {
      {"parameters", user_id},
      {"get",
       Operation(kRead, {{"summary", "A member"},
                         {"tags", people},
                         {"operationId", "get_user"},
                         {"responses", Merge({{"200", JsonResponse("the member", Ref("Member"))}},
                                             ErrorResponses({401, 403, 404}))}})},
      {"patch",
       Operation(manage,
                 {{"summary", "Change a member's role, end of access, or disable the account"},
                  {"description",
                   "409 when the change would leave the organisation without an active "
                   "administrator, or disables the caller."},
                  {"tags", people},
                  {"operationId", "update_user"},
                  {"requestBody", JsonBody(Ref("MemberChange"))},
                  {"responses", Merge({{"200", JsonResponse("the member", Ref("Member"))}},
                                      ErrorResponses({400, 401, 403, 404, 409}))}})},
      {"delete",
       Operation(manage,
                 {{"summary", "Remove a member from this organisation"},
                  {"description",
                   "Their access here ends now (the membership ends yesterday and is kept, so "
                   "records and history still name them); their sessions here end and their "
                   "tokens for it stop working. 409 for the caller or the last administrator."},
                  {"tags", people},
                  {"operationId", "remove_user"},
                  {"responses", Merge({{"204", {{"description", "removed"}}}},
                                      ErrorResponses({401, 403, 404, 409}))}})}};
  paths["/api/v1/users/{id}/reset-password"] = {
      {"parameters", user_id},
      {"post",
       Operation(manage, {{"summary", "Give a member a new one-time password; their sessions end"},
                          {"description", "409 for the caller's own account."},
                          {"tags", people},
                          {"operationId", "reset_user_password"},
                          {"responses", Merge({{"200", JsonResponse("the one-time password",
                                                                    Ref("OneTimePassword"))}},
                                              ErrorResponses({401, 403, 404, 409}))}})}};
  paths["/api/v1/users/{id}/sessions"] = {
      {"parameters", user_id},
      {"get",
       Operation(manage,
                 {{"summary", "A member's sessions"},
                  {"tags", people},
                  {"operationId", "list_user_sessions"},
                  {"responses", Merge({{"200", JsonResponse("sessions", DataOf("MemberSession"))}},
                                      ErrorResponses({401, 403, 404}))}})},
      {"delete",
       Operation(manage, {{"summary", "End every session of a member"},
                          {"tags", people},
                          {"operationId", "end_user_sessions"},
                          {"responses", Merge({{"200", JsonResponse("ended", Ref("Ended"))}},
                                              ErrorResponses({401, 403, 404}))}})}};
  paths["/api/v1/users/{id}/sessions/{session_id}"] = {
      {"parameters", Merge(user_id, Json::array({PathParam("session_id", "the session's id")}))},
      {"delete", Operation(manage, {{"summary", "End one session of a member"},
                                    {"tags", people},
                                    {"operationId", "end_user_session"},
                                    {"responses", Merge({{"204", NoContent("ended")}},
                                                        ErrorResponses({401, 403, 404}))}})}};
  paths["/api/v1/users/{id}/second-factor"] = {
      {"parameters", user_id},
      {"delete",
       Operation(manage,
                 {{"summary", "Remove a member's second factor (a lost phone)"},
                  {"description",
                   "The member sets one up again at next sign-in when the role requires it. 409 "
                   "when none is set up."},
                  {"tags", people},
                  {"operationId", "reset_user_second_factor"},
                  {"responses", Merge({{"204", NoContent("removed")}},
                                      ErrorResponses({401, 403, 404, 409}))}})}};
}

// Risk assessment and treatment beyond the registers' own routes.
void AddRiskPaths(Json& paths, Json& schemas) {
  const Json tags = Json::array({"Risk assessment and treatment"});
  const Json risk = Ref(SchemaName(domain::Risks()));
  const Json methodology = Ref(SchemaName(domain::RiskMethodologies()));
  const Json level_list = {{"type", "array"}, {"items", kString}};
  schemas["HeatMap"] =
      ObjectOfAll({{"kind", {{"type", "string"}, {"enum", {"inherent", "residual"}}}},
                   {"likelihood", Described(level_list, "likelihood scale labels, lowest first")},
                   {"impact", Described(level_list, "impact scale labels, lowest first")},
                   {"cells",
                    {{"type", "array"},
                     {"items", ObjectOfAll({{"likelihood", kInteger},
                                            {"impact", kInteger},
                                            {"level", kString},
                                            {"colour", kString},
                                            {"count", kInteger}})}}},
                   {"unrated", Described(kInteger, "matching risks without these ratings")}});
  paths["/api/v1/risk-methodology/current"] = {
      {"get",
       Operation(kRead,
                 {{"summary", "The risk methodology in force"},
                  {"description",
                   "The approved version, or the built-in default (`default`: true) until one is "
                   "approved; `methodology` is the computed matrix."},
                  {"tags", tags},
                  {"operationId", "current_risk_methodology"},
                  {"responses",
                   Merge({{"200", JsonResponse("the methodology",
                                               ObjectOfAll({{"methodology", {{"type", "object"}}},
                                                            {"default", {{"type", "boolean"}}},
                                                            {"record", methodology}}))}},
                         ErrorResponses({401, 403}))}})}};
  paths["/api/v1/risk-methodology/{id}/approve"] = {
      {"parameters", Json::array({kIdParam})},
      {"post",
       Operation(Guard::Needs(Permission::kApprove),
                 {{"summary", "Approve a draft methodology; every risk is re-evaluated"},
                  {"tags", tags},
                  {"operationId", "approve_risk_methodology"},
                  {"parameters", Json::array({kIfMatch})},
                  {"responses", Merge({{"200", JsonResponse("approved", methodology)}},
                                      ErrorResponses({400, 401, 403, 404, 409, 412, 428}))}})}};
  paths["/api/v1/risk-methodology/{id}/new-draft"] = {
      {"parameters", Json::array({kIdParam})},
      {"post", Operation(WriteGuard(domain::RiskMethodologies()),
                         {{"summary", "Start a new methodology draft from a version"},
                          {"tags", tags},
                          {"operationId", "new_risk_methodology_draft"},
                          {"responses", Merge({{"201", JsonResponse("the new draft", methodology)}},
                                              ErrorResponses({401, 403, 404}))}})}};
  paths["/api/v1/risks/{id}/acceptance"] = {
      {"parameters", Json::array({kIdParam})},
      {"post",
       Operation(
           kRead,
           {{"summary", "Accept (or refuse to accept) a risk's residual risk"},
            {"description",
             "Allowed to the risk owner for levels the owner may accept, and to the roles "
             "the acceptance criteria name for the level (403 otherwise). Records the "
             "decision with a frozen snapshot of the risk."},
            {"tags", tags},
            {"operationId", "accept_risk"},
            {"parameters", Json::array({kIfMatch})},
            {"requestBody",
             JsonBody(Object(
                 {{"decision", {{"type", "string"}, {"enum", {"accepted", "rejected"}}}},
                  {"comment", {{"type", "string"}, {"maxLength", 2000}}}},
                 Json::array({"decision"})))},
            {"responses", Merge({{"201", JsonResponse("the acceptance recorded",
                                                      Ref(SchemaName(domain::RiskAcceptances())))}},
                                ErrorResponses({400, 401, 403, 404, 409, 428}))}})}};
  for (const RegisterSpec* spec : {&domain::Threats(), &domain::Vulnerabilities()}) {
    paths["/api/v1/" + spec->path + "/catalogue"] = {
        {"post",
         Operation(Guard::Needs(Permission::kEditRecords),
                   {{"summary", "Add the shipped catalogue's " + ToLower(spec->plural) +
                                    " the organisation does not have yet"},
                    {"tags", tags},
                    {"operationId", "load_" + spec->type + "_catalogue"},
                    {"responses", Merge({{"200", JsonResponse("how many were added",
                                                              ObjectOfAll({{"added", kInteger}}))}},
                                        ErrorResponses({401, 403}))}})}};
  }
  paths["/api/v1/risks/heatmap"] = {
      {"get",
       Operation(
           kRead,
           {{"summary", "Risks counted by likelihood and impact"},
            {"description", "Takes the risk list's filters and search."},
            {"tags", tags},
            {"operationId", "risk_heatmap"},
            {"parameters",
             Json::array({{{"name", "kind"},
                           {"in", "query"},
                           {"schema", {{"type", "string"}, {"enum", {"inherent", "residual"}}}}}})},
            {"responses", Merge({{"200", JsonResponse("the heat map", Ref("HeatMap"))}},
                                ErrorResponses({400, 401, 403}))}})}};
  const Json plan_row = ObjectOfAll({{"risk", risk},
                                     {"action", {{"type", {"object", "null"}}}},
                                     {"overdue", {{"type", "boolean"}}}});
  paths["/api/v1/risks/treatment-plan"] = {
      {"get",
       Operation(kRead,
                 {{"summary", "The risk treatment plan"},
                  {"tags", tags},
                  {"operationId", "risk_treatment_plan"},
                  {"responses",
                   Merge({{"200",
                           JsonResponse(
                               "one row per action",
                               ObjectOfAll({{"data", {{"type", "array"}, {"items", plan_row}}}}))}},
                         ErrorResponses({401, 403}))}})}};
  paths["/api/v1/risks/treatment-plan/export"] = {
      {"get",
       Operation(kExport,
                 {{"summary", "The risk treatment plan as CSV or XLSX"},
                  {"tags", tags},
                  {"operationId", "export_risk_treatment_plan"},
                  {"parameters",
                   Json::array({{{"name", "format"},
                                 {"in", "query"},
                                 {"schema", {{"type", "string"}, {"enum", {"csv", "xlsx"}}}}}})},
                  {"responses", Merge({{"200", {{"description", "the file"}}}},
                                      ErrorResponses({400, 401, 403, 429}))}})}};
  const Json cycle = Ref(SchemaName(domain::RiskAssessments()));
  const Guard edit = Guard::Needs(Permission::kEditRecords);
  paths["/api/v1/risk-assessments/{id}/reviews"] = {
      {"parameters", Json::array({kIdParam})},
      {"post",
       Operation(edit, {{"summary", "Record a risk's review in an open assessment cycle"},
                        {"tags", tags},
                        {"operationId", "record_risk_review"},
                        {"requestBody",
                         JsonBody(Object({{"risk", kInteger},
                                          {"changes", {{"type", "string"}, {"maxLength", 2000}}}},
                                         Json::array({"risk", "changes"})))},
                        {"responses", Merge({{"201", JsonResponse("the cycle", cycle)}},
                                            ErrorResponses({400, 401, 403, 404, 412}))}})}};
  paths["/api/v1/risk-assessments/{id}/close"] = {
      {"parameters", Json::array({kIdParam})},
      {"post",
       Operation(edit,
                 {{"summary", "Close an assessment cycle with its summary"},
                  {"tags", tags},
                  {"operationId", "close_risk_assessment"},
                  {"parameters", Json::array({kIfMatch})},
                  {"requestBody",
                   JsonBody(Object({{"summary", {{"type", "string"}, {"maxLength", 10000}}}},
                                   Json::array()))},
                  {"responses", Merge({{"200", JsonResponse("the closed cycle", cycle)}},
                                      ErrorResponses({400, 401, 403, 404, 409, 412, 428}))}})}};
}

std::string EvidenceUploadDescription() {
  return fmt::format(
      "multipart/form-data. Up to the server's upload limit (20 MiB unless configured; 413 "
      "beyond). Accepted extensions: {}. The type is judged from the bytes: a file whose content "
      "is not what its extension says is refused (400, field `file`), as is an empty file. "
      "Identical content is stored once per organisation (by SHA-256).",
      domain::EvidenceExtensions());
}

Json EvidenceUploadBody() {
  return {
      {"required", true},
      {"content",
       {{"multipart/form-data",
         {{"schema",
           Object({{"file", {{"type", "string"}, {"contentMediaType", "application/octet-stream"}}},
                   {"title", {{"type", "string"}, {"maxLength", 200}}},
                   {"effective_date", {{"type", "string"}, {"format", "date"}}},
                   {"expires", Described({{"type", "string"}, {"format", "date"}},
                                         "the last day the evidence is valid")}},
                  {"file", "title"})}}}}}};
}

// Evidence files: the schema and the routes by file id (the routes by record are the
// registers').
void AddEvidence(Json& schemas, Json& paths) {
  const Json date = {{"type", {"string", "null"}}, {"format", "date"}};
  schemas["EvidenceFile"] = ObjectOfAll(
      {{"id", {{"type", "integer"}}},
       {"record_type", {{"type", "string"}}},
       {"record_id", {{"type", "integer"}}},
       {"title", {{"type", "string"}}},
       {"file_name", Described({{"type", "string"}}, "made safe: no path, quotes or controls")},
       {"content_type", {{"type", "string"}}},
       {"size", {{"type", "integer"}}},
       {"sha256", {{"type", "string"}}},
       {"effective_date", date},
       {"expires", date},
       {"expired", Described({{"type", "boolean"}}, "the expiry date has passed")},
       {"uploaded_by", {{"type", "integer"}}},
       {"uploaded_at", {{"type", "string"}}},
       {"content_url", {{"type", "string"}}}});
  const Json tags = Json::array({"Evidence files"});
  paths["/api/v1/evidence/{id}"] = {
      {"parameters", Json::array({kIdParam})},
      {"get", Operation(kRead, {{"summary", "An evidence file's metadata"},
                                {"tags", tags},
                                {"operationId", "get_evidence"},
                                {"responses",
                                 Merge({{"200", JsonResponse("the file", Ref("EvidenceFile"))}},
                                       ErrorResponses({401, 403, 404}))}})},
      {"delete",
       Operation(Guard::Needs(Permission::kEditOwnRecords),
                 {{"summary", "Delete an evidence file"},
                  {"description",
                   "Needs what changing the file's record needs. The content is deleted when no "
                   "other file of the organisation has it."},
                  {"tags", tags},
                  {"operationId", "delete_evidence"},
                  {"responses",
                   Merge({{"204", NoContent("deleted")}}, ErrorResponses({401, 403, 404}))}})}};
  paths["/api/v1/evidence/{id}/content"] = {
      {"parameters", Json::array({kIdParam})},
      {"get",
       Operation(kRead,
                 {{"summary", "Download an evidence file"},
                  {"description",
                   "As an attachment (Content-Disposition with an ASCII `filename` and a UTF-8 "
                   "`filename*`), with the checked content type, X-Content-Type-Options: nosniff "
                   "and the SHA-256 as ETag (If-None-Match answers 304)."},
                  {"tags", tags},
                  {"operationId", "download_evidence"},
                  {"responses",
                   Merge({{"200",
                           {{"description", "the file's bytes"},
                            {"content",
                             {{"application/octet-stream", {{"schema", {{"type", "string"}}}}}}}}},
                          {"304", NoContent("not modified")}},
                         ErrorResponses({401, 403, 404}))}})}};
}

// The Statement of Applicability: its lines, decisions, versions, comparison and export.
void AddSoaPaths(Json& paths, Json& schemas) {
  const Guard edit = Guard::Needs(Permission::kEditRecords);
  const Guard approve = Guard::Needs(Permission::kApprove);
  const Json tags = Json::array({"Statement of Applicability"});
  Json reasons = Json::array();
  for (const auto& c : domain::SoaReasons()) reasons.push_back(c.value);
  Json statuses = Json::array();
  for (const auto& c : domain::SoaStatuses()) statuses.push_back(c.value);
  const Json status = {{"type", "string"}, {"enum", statuses}};
  const Json reason_list = ArrayOf({{"type", "string"}, {"enum", reasons}});
  schemas["SoaEntry"] = ObjectOfAll(
      {{"control_id", Described(kString, "the Annex A control, e.g. \"5.1\"")},
       {"title", kString},
       {"theme", kString},
       {"attributes",
        Described({{"type", "object"}}, "ISO/IEC 27002 attribute values by attribute name")},
       {"applicable", Described(OrNull(kBoolean), "null while undecided")},
       {"reasons", reason_list},
       {"justification", OrNull(kString)},
       {"status", Described(status, "the override when given, else the derived status")},
       {"derived_status", Described(status, "from the linked applied controls")},
       {"status_override", OrNull(status)},
       {"override_reason", OrNull(kString)},
       {"applied_controls",
        ArrayOf(ObjectOfAll({{"id", kInteger}, {"name", kString}, {"status", kString}}))},
       {"risks", Described(ArrayOf(kInteger),
                           "ids of the risks treated by the linked applied controls, ascending: "
                           "all of them when one entry is read, exported or approved; the first "
                           "five in the list of all entries")},
       {"risk_count", Described(kInteger, "how many risks the linked applied controls treat")},
       {"version", Described(kInteger, "of the entry; 0 while undecided")},
       {"updated_at", OrNull(kDateTime)},
       {"updated_by", OrNull(kInteger)}});
  schemas["SoaEntryInput"] = Object(
      {{"applicable", kBoolean},
       {"reasons", Described(reason_list, "at least one when applicable; none when excluded")},
       {"justification", Described(OrNull(kString), "required when excluded")},
       {"status_override", OrNull(status)},
       {"override_reason", Described(OrNull(kString), "required with an override")}},
      Json::array({"applicable"}));
  schemas["SoaVersion"] =
      Object({{"number", kInteger},
              {"approved_by", kInteger},
              {"approver", kString},
              {"approved_at", kDateTime},
              {"note", OrNull(kString)},
              {"entries", ArrayOf(Ref("SoaEntry"))}},
             Json::array({"number", "approved_by", "approver", "approved_at", "note"}));
  auto query = [](const char* name, Json schema, const char* description) {
    return Json{{"name", name},
                {"in", "query"},
                {"schema", std::move(schema)},
                {"description", description}};
  };
  const Json control_param = {{"name", "control_id"},
                              {"in", "path"},
                              {"required", true},
                              {"description", "an Annex A control, e.g. 5.1"},
                              {"schema", {{"type", "string"}, {"pattern", "^[0-9]+\\.[0-9]+$"}}}};
  paths["/api/v1/soa"] = {
      {"get",
       Operation(
           kRead,
           {{"summary", "The Statement of Applicability: one entry per Annex A control"},
            {"tags", tags},
            {"operationId", "list_soa"},
            {"parameters",
             Json::array(
                 {query("theme", kString,
                        "Organizational, People, Physical or "
                        "Technological"),
                  query("attribute", kString, "an ISO/IEC 27002 attribute value, e.g. Preventive"),
                  query("applicable", {{"type", "string"}, {"enum", {"yes", "no", "undecided"}}},
                        "only decided or undecided entries")})},
            {"responses", Merge({{"200", JsonResponse("the entries", DataOf("SoaEntry"))}},
                                ErrorResponses({400, 401, 403}))}})}};
  paths["/api/v1/soa/export"] = {
      {"get",
       Operation(kExport,
                 {{"summary", "Export every entry with every column"},
                  {"tags", tags},
                  {"operationId", "export_soa"},
                  {"parameters",
                   Json::array({query("format", {{"type", "string"}, {"enum", {"csv", "xlsx"}}},
                                      "csv (default) or xlsx")})},
                  {"responses",
                   Merge({{"200",
                           {{"description", "the file"},
                            {"content",
                             {{"text/csv", {{"schema", kString}}},
                              {kXlsxContentType,
                               {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}}}},
                         ErrorResponses({400, 401, 403, 429}))}})}};
  paths["/api/v1/soa/versions"] = {
      {"get", Operation(kRead, {{"summary", "Approved versions, newest first"},
                                {"tags", tags},
                                {"operationId", "list_soa_versions"},
                                {"responses", Merge({{"200", JsonResponse("the versions (without "
                                                                          "entries)",
                                                                          DataOf("SoaVersion"))}},
                                                    ErrorResponses({401, 403}))}})},
      {"post",
       Operation(approve,
                 {{"summary", "Approve the statement as it is now; every control must be decided"},
                  {"tags", tags},
                  {"operationId", "approve_soa"},
                  {"requestBody", JsonBody(Object({{"note", OrNull(kString)}}, Json::array()))},
                  {"responses", Merge({{"201", JsonResponse("the new version", Ref("SoaVersion"))}},
                                      ErrorResponses({400, 401, 403, 409, 412}))}})}};
  paths["/api/v1/soa/versions/{number}"] = {
      {"parameters", Json::array({PathParam("number", "the version number")})},
      {"get", Operation(kRead, {{"summary", "An approved version with its entries"},
                                {"tags", tags},
                                {"operationId", "get_soa_version"},
                                {"responses",
                                 Merge({{"200", JsonResponse("the version", Ref("SoaVersion"))}},
                                       ErrorResponses({401, 403, 404}))}})}};
  const Json ref = {{"type", "string"}, {"description", "a version number or \"current\""}};
  paths["/api/v1/soa/compare"] = {
      {"get",
       Operation(
           kRead,
           {{"summary", "What changed between two versions, control by control"},
            {"tags", tags},
            {"operationId", "compare_soa"},
            {"parameters",
             Json::array({Merge(query("from", ref, "the earlier version"), {{"required", true}}),
                          query("to", ref, "the later version; current by default")})},
            {"responses",
             Merge({{"200",
                     JsonResponse(
                         "the changed controls",
                         ObjectOfAll({{"from", kString},
                                      {"to", kString},
                                      {"controls",
                                       ArrayOf(ObjectOfAll(
                                           {{"control_id", kString},
                                            {"title", kString},
                                            {"changes", ArrayOf(ObjectOfAll(
                                                            {{"field", kString},
                                                             {"from", Json::object()},
                                                             {"to", Json::object()}}))}}))}}))}},
                   ErrorResponses({400, 401, 403, 404}))}})}};
  const Json entry_ok = JsonResponse("the entry", Ref("SoaEntry"));
  paths["/api/v1/soa/{control_id}"] = {
      {"parameters", Json::array({control_param})},
      {"get", Operation(kRead, {{"summary", "One entry of the Statement of Applicability"},
                                {"tags", tags},
                                {"operationId", "get_soa_entry"},
                                {"responses",
                                 Merge({{"200", entry_ok}}, ErrorResponses({401, 403, 404}))}})},
      {"put",
       Operation(edit,
                 {{"summary", "Decide whether a control is applicable, and why"},
                  {"tags", tags},
                  {"operationId", "update_soa_entry"},
                  {"parameters", Json::array({Merge(kIfMatch, {{"description",
                                                                "the entry's ETag; \"0\" while "
                                                                "undecided; 412 when stale"}})})},
                  {"requestBody", JsonBody(Ref("SoaEntryInput"))},
                  {"responses",
                   Merge({{"200", entry_ok}}, ErrorResponses({400, 401, 403, 404, 412, 428}))}})}};
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
                           {{"code",
                             {{"type", "string"},
                              {"description",
                               "invalid_argument, not_found, already_exists, "
                               "failed_precondition, conflict, precondition_required, "
                               "unauthenticated, permission_denied, reauthentication_required "
                               "(403: prove the password again with POST "
                               "/api/v1/auth/reauthenticate), too_large, too_many_attempts, "
                               "unavailable, internal"}}},
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
                             {"prev_hash", {{"type", "string"}}},
                             {"address",
                              {{"type", Json::array({"string", "null"})},
                               {"description",
                                "the client's address; null for the command line and events "
                                "written before addresses were recorded"}}},
                             {"encoding",
                              {{"type", "integer"},
                               {"description",
                                "version of the canonical encoding the hash covers (1: without "
                                "the address; 2: with it), see docs/audit-trail.md"}}}}}};
  const Json events = {
      {"type", "object"},
      {"properties", {{"data", {{"type", "array"}, {"items", Ref("AuditEvent")}}}}}};

  for (const RegisterSpec* spec : domain::AllRegisters()) {
    const std::string name = SchemaName(*spec);
    schemas[name] = RecordSchema(*spec, false);
    schemas[name + "Input"] = RecordSchema(*spec, true);
    const std::string base = "/api/v1/" + spec->path;
    const Json tags = Json::array({spec->plural});
    const Guard write = WriteGuard(*spec);
    const Json list_schema = {{"type", "object"},
                              {"properties",
                               {{"data", {{"type", "array"}, {"items", Ref(name)}}},
                                {"next_cursor", {{"type", {"string", "null"}}}},
                                {"total", {{"type", "integer"}}}}}};
    paths[base] = {
        {"get",
         Operation(kRead,
                   {{"summary", "List " + spec->plural + " (clause " + spec->clause + ")"},
                    {"tags", tags},
                    {"operationId", "list_" + spec->type},
                    {"parameters", ListParameters(*spec)},
                    {"responses", Merge({{"200", JsonResponse("a page of records", list_schema)}},
                                        ErrorResponses({400, 401, 403}))}})},
        {"post",
         Operation(write, {{"summary", "Create a " + spec->singular},
                           {"tags", tags},
                           {"operationId", "create_" + spec->type},
                           {"requestBody", JsonBody(Ref(name + "Input"))},
                           {"responses", Merge({{"201", JsonResponse("created", Ref(name))}},
                                               ErrorResponses({400, 401, 403, 409, 413}))}})}};
    paths[base + "/export"] = {
        {"get",
         Operation(kExport,
                   {{"summary", "Export " + spec->plural + " as CSV"},
                    {"tags", tags},
                    {"operationId", "export_" + spec->type},
                    {"parameters",
                     Merge(ListParameters(*spec),
                           Json::array({{{"name", "format"},
                                         {"in", "query"},
                                         {"schema", {{"type", "string"}, {"enum", {"csv"}}}}}}))},
                    {"responses",
                     Merge({{"200",
                             {{"description", "CSV file"},
                              {"content", {{"text/csv", {{"schema", {{"type", "string"}}}}}}}}}},
                           ErrorResponses({400, 401, 403, 429}))}})}};
    const Json item_ok = JsonResponse("the record", Ref(name));
    paths[base + "/{id}"] = {
        {"parameters", Json::array({kIdParam})},
        {"get", Operation(kRead, {{"summary", "Read a " + spec->singular},
                                  {"tags", tags},
                                  {"operationId", "get_" + spec->type},
                                  {"responses",
                                   Merge({{"200", item_ok}}, ErrorResponses({401, 403, 404}))}})},
        {"put", Operation(write, {{"summary", "Replace a " + spec->singular},
                                  {"tags", tags},
                                  {"operationId", "replace_" + spec->type},
                                  {"parameters", Json::array({kIfMatch})},
                                  {"requestBody", JsonBody(Ref(name + "Input"))},
                                  {"responses",
                                   Merge({{"200", item_ok}},
                                         ErrorResponses({400, 401, 403, 404, 409, 412, 428}))}})},
        {"patch", Operation(write, {{"summary", "Change fields of a " + spec->singular},
                                    {"tags", tags},
                                    {"operationId", "update_" + spec->type},
                                    {"parameters", Json::array({kIfMatch})},
                                    {"requestBody", JsonBody({{"type", "object"}})},
                                    {"responses",
                                     Merge({{"200", item_ok}},
                                           ErrorResponses({400, 401, 403, 404, 409, 412, 428}))}})},
        {"delete",
         Operation(write, {{"summary", "Delete a " + spec->singular},
                           {"tags", tags},
                           {"operationId", "delete_" + spec->type},
                           {"parameters", Json::array({kIfMatch})},
                           {"responses", Merge({{"204", {{"description", "deleted"}}}},
                                               ErrorResponses({401, 403, 404, 409, 412, 428}))}})}};
    if (spec->workflow_only) {  // written by its workflow's routes only
      paths[base].erase("post");
      for (const char* method : {"put", "patch", "delete"}) paths[base + "/{id}"].erase(method);
    }
    paths[base + "/{id}/evidence"] = {
        {"parameters", Json::array({kIdParam})},
        {"get",
         Operation(kRead, {{"summary", "Evidence files of a " + spec->singular},
                           {"tags", tags},
                           {"operationId", "list_evidence_" + spec->type},
                           {"responses", Merge({{"200", JsonResponse("files, oldest first",
                                                                     DataOf("EvidenceFile"))}},
                                               ErrorResponses({401, 403, 404}))}})},
        {"post", Operation(write, {{"summary", "Attach an evidence file to a " + spec->singular},
                                   {"description", EvidenceUploadDescription()},
                                   {"tags", tags},
                                   {"operationId", "upload_evidence_" + spec->type},
                                   {"requestBody", EvidenceUploadBody()},
                                   {"responses",
                                    Merge({{"201", JsonResponse("attached", Ref("EvidenceFile"))}},
                                          ErrorResponses({400, 401, 403, 404, 413}))}})}};
    paths[base + "/{id}/history"] = {
        {"parameters", Json::array({kIdParam})},
        {"get",
         Operation(kRead, {{"summary", "History of a " + spec->singular},
                           {"tags", tags},
                           {"operationId", "history_" + spec->type},
                           {"responses",
                            Merge({{"200", JsonResponse("audit events, oldest first", events)}},
                                  ErrorResponses({401, 403, 404}))}})}};
  }

  const Json scope_tags = Json::array({"ISMS scope"});
  paths["/api/v1/scope/current"] = {
      {"get", Operation(kRead, {{"summary", "The approved ISMS scope in force"},
                                {"tags", scope_tags},
                                {"operationId", "current_scope"},
                                {"responses", Merge({{"200", JsonResponse("the current version",
                                                                          Ref("ScopeStatement"))}},
                                                    ErrorResponses({401, 403, 404}))}})}};
  paths["/api/v1/scope/{id}/approve"] = {
      {"parameters", Json::array({kIdParam})},
      {"post",
       Operation(Guard::Needs(Permission::kApprove),
                 {{"summary",
                   "Approve a draft scope statement; the previous approved version is superseded"},
                  {"tags", scope_tags},
                  {"operationId", "approve_scope"},
                  {"parameters", Json::array({kIfMatch})},
                  {"responses", Merge({{"200", JsonResponse("approved", Ref("ScopeStatement"))}},
                                      ErrorResponses({400, 401, 403, 404, 409, 412, 428}))}})}};
  paths["/api/v1/scope/{id}/new-draft"] = {
      {"parameters", Json::array({kIdParam})},
      {"post", Operation(WriteGuard(domain::ScopeStatements()),
                         {{"summary", "Start a new draft from a version"},
                          {"tags", scope_tags},
                          {"operationId", "new_scope_draft"},
                          {"responses",
                           Merge({{"201", JsonResponse("the new draft", Ref("ScopeStatement"))}},
                                 ErrorResponses({401, 403, 404}))}})}};

  AddRiskPaths(paths, schemas);
  AddIdentitySchemas(schemas);
  AddEvidence(schemas, paths);
  AddAccountPaths(paths);
  AddPeoplePaths(paths);
  AddSoaPaths(paths, schemas);

  const Guard audit = Guard::Needs(Permission::kReadAuditTrail);
  paths["/api/v1/audit/events"] = {
      {"get",
       Operation(
           audit,
           {{"summary", "Newest audit events of the organisation"},
            {"tags", Json::array({"Audit trail"})},
            {"operationId", "list_audit_events"},
            {"parameters",
             Json::array({{{"name", "limit"},
                           {"in", "query"},
                           {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}}}}})},
            {"responses", Merge({{"200", JsonResponse("events, newest first", events)}},
                                ErrorResponses({400, 401, 403}))}})}};
  paths["/api/v1/audit/verify"] = {
      {"get",
       Operation(
           audit,
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
                   ErrorResponses({401, 403}))}})}};
  paths["/api/v1/openapi.json"] = {
      {"get",
       Operation(Guard::Account(),
                 {{"summary", "This document"},
                  {"tags", Json::array({"Meta"})},
                  {"operationId", "openapi"},
                  {"responses", Merge({{"200", JsonResponse("OpenAPI 3.1", {{"type", "object"}})}},
                                      ErrorResponses({401, 403}))}})}};
  // Served by the HTTP server itself, outside the router: no guard, nothing to check.
  paths["/healthz"] = {
      {"get", Operation(Guard::Public(),
                        {{"summary", "Liveness"},
                         {"tags", Json::array({"Meta"})},
                         {"operationId", "healthz"},
                         {"responses", {{"200", JsonResponse("alive", {{"type", "object"}})}}}})}};

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

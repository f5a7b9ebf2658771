// Signing in and the caller's own account over JSON:
//   POST   /api/v1/auth/login                  {"username","password"[,"totp"]} -> session cookie
//   POST   /api/v1/auth/logout
//   GET    /api/v1/auth/me                     who, where, with which role and permissions
//   POST   /api/v1/auth/password               {"current_password","new_password"[,"keep_tokens"]}
//   POST   /api/v1/auth/reauthenticate         {"password"[,"code"]}: proof for token creation and
//                                               second-factor enrolment (403
//                                               reauthentication_required without it)
//   GET    /api/v1/auth/profile                {"display_name","email"}
//   PATCH  /api/v1/auth/profile                {"display_name"} and/or {"email"} ("" clears it)
//   POST   /api/v1/auth/organisation           {"org_id"}: switch the session's organisation
//   GET    /api/v1/auth/sessions               own sessions; DELETE …/sessions/{id} ends one
//   POST   /api/v1/auth/sessions/end-others
//   GET    /api/v1/auth/tokens                 own API tokens; POST creates, DELETE …/{id} revokes
//   GET    /api/v1/auth/second-factor          status; POST starts enrolment
//   POST   /api/v1/auth/second-factor/confirm  {"code"} -> recovery codes
//   POST   /api/v1/auth/second-factor/recovery-codes {"code"} -> new recovery codes
//   DELETE /api/v1/auth/second-factor          {"password","code"}
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using nlohmann::json;

namespace {

json Optional(const std::string& s) { return s.empty() ? json() : json(s); }

json MeJson(const app::Principal& p) {
  json permissions = json::array();
  for (const auto& info : domain::AllPermissions()) {
    if (p.Can(info.permission)) permissions.push_back(info.name);
  }
  return {{"user_id", p.user_id},
          {"username", p.username},
          {"display_name", p.display_name},
          {"organisation", {{"id", p.org_id}, {"name", p.org_name}}},
          {"role", domain::RoleName(p.role)},
          {"permissions", permissions},
          {"credential", p.credential == app::Credential::kToken ? "token" : "session"},
          {"read_only", p.read_only},
          {"must_change_password", p.must_change_password},
          {"second_factor", p.second_factor},
          {"needs_second_factor", p.needs_second_factor},
          {"awaiting_second_factor", p.awaiting_second_factor}};
}

json SessionJson(const domain::Session& s, int64_t current) {
  return {{"id", s.id},
          {"created_at", s.created_at},
          {"last_seen_at", s.last_seen_at},
          {"expires_at", s.expires_at},
          {"address", s.address},
          {"user_agent", s.user_agent},
          {"organisation_id", s.org_id},
          {"awaiting_second_factor", s.stage == domain::Session::Stage::kSecondFactor},
          {"current", s.id == current}};
}

json TokenJson(const domain::ApiToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"organisation_id", t.org_id},
          {"read_only", t.read_only},
          {"created_at", t.created_at},
          {"expires_at", Optional(t.expires_at)},
          {"last_used_at", Optional(t.last_used_at)},
          {"revoked", t.revoked}};
}

// Changing credentials takes a signed-in person, not a token acting for them.
bool RequireSession(Request& r) {
  if (r.principal.credential == app::Credential::kSession) return true;
  WriteJsonError(r.res, PermissionDenied("sign in with your password to change this; an API "
                                         "token cannot"));
  return false;
}

// A throttled request learns when it may try again.
void SetRetryAfter(Request& r, const Status& st) {
  if (st.code() == Code::kResourceExhausted) {
    r.res.SetHeader("Retry-After", std::to_string(r.services.auth.ThrottledFor(r.principal.username,
                                                                               r.client_address)));
  }
}

void RespondNoContent(Request& r, const Status& st) {
  if (!st.ok()) return WriteJsonError(r.res, st);
  r.res.status = 204;
}

}  // namespace

// Schemas of the caller's identity and account: the caller, sessions, tokens, second factor.
void AddAccountSchemas(json& schemas) {
  json role_names = json::array();
  for (const auto& r : domain::AllRoles()) role_names.push_back(r.name);
  json permission_names = json::array();
  for (const auto& p : domain::AllPermissions()) permission_names.push_back(p.name);
  schemas["RoleName"] = {{"type", "string"},
                         {"enum", role_names},
                         {"description", "a role; GET /api/v1/roles lists what each may do"}};
  schemas["PermissionName"] = {{"type", "string"}, {"enum", permission_names}};
  const json role = Ref("RoleName");

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
      json::array({"name"}));

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
             json::array({"code"}));
}

namespace {

// Signing in and out, and who is signed in.
void AddSignInRoutes(Router& router) {
  Router* rt = &router;
  const json sign_in = json::array({"Sign-in"});
  const json cookie_header = {
      {"Set-Cookie",
       {{"description", "the session cookie (HttpOnly, SameSite=Strict)"}, {"schema", kString}}}};

  router.Post(
      "/api/v1/auth/login", Guard::Public(),
      Doc({{"summary", "Sign in; sets the session cookie and returns the CSRF token"},
           {"description",
            "Failed sign-ins are counted per account and per client address; too many answer 429 "
            "with Retry-After. An account with a second factor needs `totp`: without it, or with a "
            "wrong code, the answer is 401 naming the field `totp`."},
           {"tags", sign_in},
           {"operationId", "login"},
           {"requestBody",
            JsonBody(
                Object({{"username", kString},
                        {"password", kString},
                        {"totp", Described(kString,
                                           "the code of the authenticator app, or a recovery code; "
                                           "needed when the account has a second factor")}},
                       json::array({"username", "password"})))},
           {"responses", Merge({{"200", Merge(JsonResponse("signed in", Ref("SignedIn")),
                                              {{"headers", cookie_header}})}},
                               ErrorResponses({400, 401, 403, 429}))}}),
      [rt](Request& r) {
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        for (const char* f : {"username", "password"}) {
          if (!body->contains(f) || !(*body)[f].is_string()) {
            return WriteJsonError(r.res, InvalidArgument(std::string(f) + " is required", f));
          }
        }
        if (body->contains("totp") && !(*body)["totp"].is_string()) {
          return WriteJsonError(r.res, InvalidArgument("totp must be a string of digits", "totp"));
        }
        app::SignInRequest in{.username = StringField(*body, "username"),
                              .password = StringField(*body, "password"),
                              .second_factor = StringField(*body, "totp"),
                              .address = r.client_address,
                              .user_agent = r.http.Header("User-Agent")};
        auto signed_in = r.services.auth.SignIn(in);
        if (!signed_in.ok()) {
          if (signed_in.status().code() == Code::kResourceExhausted) {
            r.res.SetHeader("Retry-After",
                            std::to_string(r.services.auth.ThrottledFor(in.username, in.address)));
          }
          return WriteJsonError(r.res, signed_in.status());
        }
        r.res.SetHeader("Set-Cookie", rt->SessionCookie(signed_in->session_token));
        json out = MeJson(signed_in->principal);
        out["csrf_token"] = signed_in->principal.csrf_token;
        WriteJson(r.res, 200, out);
      });
  router.Post(
      "/api/v1/auth/logout", Guard::AnySignedIn(),
      Doc({{"summary", "Sign out: ends the session and clears its cookie"},
           {"tags", sign_in},
           {"operationId", "logout"},
           {"responses", Merge({{"204", NoContent("signed out")}}, ErrorResponses({401, 403}))}}),
      [rt](Request& r) {
        if (!r.session_token.empty()) {
          Status st = r.services.auth.SignOut(r.principal, r.session_token);
          if (!st.ok()) return WriteJsonError(r.res, st);
        }
        r.res.SetHeader("Set-Cookie", rt->ClearSessionCookie());
        r.res.status = 204;
      });
  router.Get("/api/v1/auth/me", Guard::AnySignedIn(),
             Doc({{"summary", "Who is signed in: organisation, role, permissions, memberships"},
                  {"tags", sign_in},
                  {"operationId", "me"},
                  {"responses", Merge({{"200", JsonResponse("the caller", Ref("Caller"))}},
                                      ErrorResponses({401}))}}),
             [](Request& r) {
               json out = MeJson(r.principal);
               auto memberships = r.services.auth.Memberships(r.principal);
               if (!memberships.ok()) return WriteJsonError(r.res, memberships.status());
               json list = json::array();
               for (const auto& m : *memberships) {
                 list.push_back({{"organisation", {{"id", m.org_id}, {"name", m.org_name}}},
                                 {"role", domain::RoleName(m.role)},
                                 {"expires_on", Optional(m.expires_at)}});
               }
               out["memberships"] = list;
               WriteJson(r.res, 200, out);
             });
}

// The caller's password, re-authentication, name and organisation.
void AddAccountRoutes(Router& router) {
  const json account = json::array({"Account"});

  router.Post(
      "/api/v1/auth/password", Guard::AccountSetup(),
      Doc({{"summary", "Change the caller's password"},
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
                json::array({"current_password", "new_password"})))},
           {"responses",
            Merge({{"204", NoContent("changed")}}, ErrorResponses({400, 401, 403, 429}))}}),
      [](Request& r) {
        if (!RequireSession(r)) return;
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        if (body->contains("keep_tokens") && !(*body)["keep_tokens"].is_boolean()) {
          return WriteJsonError(
              r.res, InvalidArgument("keep_tokens must be true or false", "keep_tokens"));
        }
        const Status st = r.services.auth.ChangePassword(
            r.principal, r.session_token, StringField(*body, "current_password"),
            StringField(*body, "new_password"), r.client_address,
            body->value("keep_tokens", false) ? app::ApiTokensOnPasswordChange::kKeep
                                              : app::ApiTokensOnPasswordChange::kRevoke);
        SetRetryAfter(r, st);
        RespondNoContent(r, st);
      });
  router.Post(
      "/api/v1/auth/reauthenticate", Guard::AccountSetup(),
      Doc({{"summary", "Prove the password (and second factor) again"},
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
                            json::array({"password"})))},
           {"responses", Merge({{"204", NoContent("re-authenticated")}},
                               ErrorResponses({400, 401, 403, 429}))}}),
      [](Request& r) {
        if (!RequireSession(r)) return;
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        if (Status st = RequireStrings(*body, {"password", "code"}); !st.ok()) {
          return WriteJsonError(r.res, st);
        }
        const Status st = r.services.auth.Reauthenticate(
            r.principal, r.session_token, StringField(*body, "password"),
            StringField(*body, "code"), r.client_address);
        SetRetryAfter(r, st);
        RespondNoContent(r, st);
      });
  router.Patch(
      "/api/v1/auth/profile", Guard::Account(),
      Doc({{"summary", "Change the caller's display name or e-mail address"},
           {"description",
            "Either or both. The e-mail address is where reminder digests go; an empty string "
            "clears it; an address Rampart would not send to is a 400 naming `email`."},
           {"tags", account},
           {"operationId", "update_profile"},
           {"requestBody",
            JsonBody(Object(
                {{"display_name", {{"type", "string"}, {"minLength", 1}, {"maxLength", 100}}},
                 {"email", {{"type", "string"}, {"maxLength", 254}}}},
                json::array()))},
           {"responses", Merge({{"204", NoContent("changed")}}, ErrorResponses({400, 401, 403}))}}),
      [](Request& r) {
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        if (!body->is_object() || (!body->contains("display_name") && !body->contains("email"))) {
          return WriteJsonError(r.res,
                                InvalidArgument("give display_name or email", "display_name"));
        }
        if (body->contains("email") && !(*body)["email"].is_string()) {
          return WriteJsonError(r.res, InvalidArgument("email must be a string", "email"));
        }
        if (body->contains("display_name")) {
          const Status st =
              r.services.auth.SetDisplayName(r.principal, StringField(*body, "display_name"));
          if (!st.ok()) return RespondNoContent(r, st);
        }
        if (body->contains("email")) {
          const Status st = r.services.auth.SetEmail(r.principal, StringField(*body, "email"));
          if (!st.ok()) return RespondNoContent(r, st);
        }
        r.res.status = 204;
      });
  router.Get(
      "/api/v1/auth/profile", Guard::Account(),
      Doc({{"summary", "The caller's display name and e-mail address"},
           {"tags", account},
           {"operationId", "get_profile"},
           {"responses",
            Merge({{"200", JsonResponse("the profile", ObjectOfAll({{"display_name", kString},
                                                                    {"email", OrNull(kString)}}))}},
                  ErrorResponses({401, 403}))}}),
      [](Request& r) {
        auto email = r.services.auth.Email(r.principal);
        if (!email.ok()) return WriteJsonError(r.res, email.status());
        WriteJson(r.res, 200,
                  {{"display_name", r.principal.display_name},
                   {"email", email->empty() ? json() : json(*email)}});
      });
  router.Post(
      "/api/v1/auth/organisation", Guard::Account(),
      Doc({{"summary", "Switch the session to another organisation the user belongs to"},
           {"description",
            "404 when the user is not a member of it; 409 with an API token, which acts for one "
            "organisation."},
           {"tags", account},
           {"operationId", "switch_organisation"},
           {"requestBody", JsonBody(Object({{"org_id", kInteger}}, json::array({"org_id"})))},
           {"responses",
            Merge({{"204", NoContent("switched")}}, ErrorResponses({400, 401, 403, 404, 409}))}}),
      [](Request& r) {
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        if (!body->contains("org_id") || !(*body)["org_id"].is_number_integer()) {
          return WriteJsonError(r.res, InvalidArgument("org_id must be a number", "org_id"));
        }
        RespondNoContent(r, r.services.auth.SwitchOrganisation(r.principal, r.session_token,
                                                               (*body)["org_id"].get<int64_t>()));
      });
}

// The caller's own sessions.
void AddOwnSessionRoutes(Router& router) {
  const json account = json::array({"Account"});
  router.Get("/api/v1/auth/sessions", Guard::Account(),
             Doc({{"summary", "The caller's sessions, newest first"},
                  {"tags", account},
                  {"operationId", "list_own_sessions"},
                  {"responses", Merge({{"200", JsonResponse("sessions", DataOf("Session"))}},
                                      ErrorResponses({401, 403}))}}),
             [](Request& r) {
               auto sessions = r.services.auth.Sessions(r.principal);
               if (!sessions.ok()) return WriteJsonError(r.res, sessions.status());
               json data = json::array();
               for (const auto& s : *sessions)
                 data.push_back(SessionJson(s, r.principal.session_id));
               WriteJson(r.res, 200, json{{"data", data}});
             });
  router.Delete(
      R"(/api/v1/auth/sessions/(\d+))", Guard::Account(),
      Doc({{"summary", "End one of the caller's sessions"},
           {"tags", account},
           {"operationId", "end_own_session"},
           {"responses", Merge({{"204", NoContent("ended")}}, ErrorResponses({401, 403, 404}))}},
          json::array({PathParam("id", "the session's id")})),
      [](Request& r) { RespondNoContent(r, r.services.auth.EndSession(r.principal, r.PathId())); });
  router.Post("/api/v1/auth/sessions/end-others", Guard::Account(),
              Doc({{"summary", "End every session of the caller but this one"},
                   {"tags", account},
                   {"operationId", "end_other_sessions"},
                   {"responses", Merge({{"200", JsonResponse("ended", Ref("Ended"))}},
                                       ErrorResponses({401, 403}))}}),
              [](Request& r) {
                auto ended = r.services.auth.EndOtherSessions(r.principal, r.session_token);
                if (!ended.ok()) return WriteJsonError(r.res, ended.status());
                WriteJson(r.res, 200, json{{"ended", *ended}});
              });
}

// The caller's API tokens.
void AddOwnTokenRoutes(Router& router) {
  const json account = json::array({"Account"});
  router.Get("/api/v1/auth/tokens", Guard::Account(),
             Doc({{"summary", "The caller's API tokens, newest first (never their secret)"},
                  {"tags", account},
                  {"operationId", "list_own_tokens"},
                  {"responses", Merge({{"200", JsonResponse("tokens", DataOf("ApiToken"))}},
                                      ErrorResponses({401, 403}))}}),
             [](Request& r) {
               auto tokens = r.services.auth.Tokens(r.principal);
               if (!tokens.ok()) return WriteJsonError(r.res, tokens.status());
               json data = json::array();
               for (const auto& t : *tokens) data.push_back(TokenJson(t));
               WriteJson(r.res, 200, json{{"data", data}});
             });
  router.Post("/api/v1/auth/tokens", Guard::Account(),
              Doc({{"summary", "Create an API token for the current organisation"},
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
                          ErrorResponses({400, 401, 403}))}}),
              [](Request& r) {
                if (!RequireSession(r)) return;
                auto body = ParseJsonBody(r.http);
                if (!body.ok()) return WriteJsonError(r.res, body.status());
                if (Status st = RequireStrings(*body, {"name", "expires_on"}); !st.ok()) {
                  return WriteJsonError(r.res, st);
                }
                if (body->contains("read_only") && !(*body)["read_only"].is_boolean()) {
                  return WriteJsonError(
                      r.res, InvalidArgument("read_only must be true or false", "read_only"));
                }
                auto created = r.services.auth.CreateToken(r.principal, StringField(*body, "name"),
                                                           body->value("read_only", false),
                                                           StringField(*body, "expires_on"));
                if (!created.ok()) return WriteJsonError(r.res, created.status());
                json out = TokenJson(created->first);
                out["token"] = created->second;  // shown this once
                WriteJson(r.res, 201, out);
              });
  router.Delete(
      R"(/api/v1/auth/tokens/(\d+))", Guard::Account(),
      Doc({{"summary", "Revoke one of the caller's API tokens"},
           {"tags", account},
           {"operationId", "revoke_own_token"},
           {"responses", Merge({{"204", NoContent("revoked")}}, ErrorResponses({401, 403, 404}))}},
          json::array({PathParam("id", "the token's id")})),
      [](Request& r) {
        RespondNoContent(r, r.services.auth.RevokeToken(r.principal, r.PathId()));
      });
}

// The caller's second factor: status, enrolment, recovery codes, turning it off.
void AddSecondFactorRoutes(Router& router) {
  const json account = json::array({"Account"});
  router.Get("/api/v1/auth/second-factor", Guard::AccountSetup(),
             Doc({{"summary",
                   "Whether the caller has a second factor, and whether it is "
                   "required"},
                  {"tags", account},
                  {"operationId", "second_factor_status"},
                  {"responses", Merge({{"200", JsonResponse("status", Ref("SecondFactorStatus"))}},
                                      ErrorResponses({401, 403}))}}),
             [](Request& r) {
               auto state = r.services.auth.SecondFactorStatus(r.principal);
               if (!state.ok()) return WriteJsonError(r.res, state.status());
               WriteJson(r.res, 200,
                         json{{"enabled", r.principal.second_factor},
                              {"required", r.principal.needs_second_factor},
                              {"recovery_codes_left", state->unused_recovery_codes}});
             });
  router.Post(
      "/api/v1/auth/second-factor", Guard::AccountSetup(),
      Doc({{"summary", "Start setting up a second factor (TOTP): a new secret to confirm"},
           {"description", std::string("409 when one is set up already. Needs the password "
                                       "proved within the last 5 minutes (403 "
                                       "reauthentication_required: POST "
                                       "/api/v1/auth/reauthenticate).") +
                               kSessionOnly},
           {"tags", account},
           {"operationId", "start_second_factor"},
           {"responses", Merge({{"200", JsonResponse("the secret", Ref("SecondFactorEnrolment"))}},
                               ErrorResponses({401, 403, 409}))}}),
      [](Request& r) {
        if (!RequireSession(r)) return;
        auto started = r.services.auth.StartSecondFactor(r.principal);
        if (!started.ok()) return WriteJsonError(r.res, started.status());
        WriteJson(
            r.res, 200,
            json{{"secret", started->secret}, {"uri", started->uri}, {"qr_svg", started->qr_svg}});
      });
  router.Post("/api/v1/auth/second-factor/confirm", Guard::AccountSetup(),
              Doc({{"summary", "Confirm the second factor being set up with a code from the app"},
                   {"description",
                    std::string("Returns the recovery codes, shown this once. 409 when set-up was "
                                "not started or is done.") +
                        kSessionOnly},
                   {"tags", account},
                   {"operationId", "confirm_second_factor"},
                   {"requestBody", JsonBody(Ref("SecondFactorCode"))},
                   {"responses", Merge({{"200", JsonResponse("set up", Ref("RecoveryCodes"))}},
                                       ErrorResponses({400, 401, 403, 409}))}}),
              [](Request& r) {
                if (!RequireSession(r)) return;
                auto body = ParseJsonBody(r.http);
                if (!body.ok()) return WriteJsonError(r.res, body.status());
                auto codes =
                    r.services.auth.ConfirmSecondFactor(r.principal, StringField(*body, "code"));
                if (!codes.ok()) return WriteJsonError(r.res, codes.status());
                WriteJson(r.res, 200, json{{"recovery_codes", *codes}});
              });
  router.Post(
      "/api/v1/auth/second-factor/recovery-codes", Guard::Account(),
      Doc({{"summary", "Replace the caller's recovery codes"},
           {"description",
            std::string("Needs a current code; the old recovery codes stop working.") +
                kSessionOnly},
           {"tags", account},
           {"operationId", "new_recovery_codes"},
           {"requestBody", JsonBody(Ref("SecondFactorCode"))},
           {"responses", Merge({{"200", JsonResponse("the new codes", Ref("RecoveryCodes"))}},
                               ErrorResponses({400, 401, 403, 409}))}}),
      [](Request& r) {
        if (!RequireSession(r)) return;
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        auto codes = r.services.auth.NewRecoveryCodes(r.principal, StringField(*body, "code"));
        if (!codes.ok()) return WriteJsonError(r.res, codes.status());
        WriteJson(r.res, 200, json{{"recovery_codes", *codes}});
      });
  router.Delete("/api/v1/auth/second-factor", Guard::Account(),
                Doc({{"summary", "Turn the caller's second factor off"},
                     {"description",
                      std::string("Needs the password and a current code. 409 when none is set "
                                  "up.") +
                          kSessionOnly},
                     {"tags", account},
                     {"operationId", "disable_second_factor"},
                     {"requestBody", JsonBody(Object({{"password", kString}, {"code", kString}},
                                                     json::array({"password", "code"})))},
                     {"responses", Merge({{"204", NoContent("turned off")}},
                                         ErrorResponses({400, 401, 403, 409}))}}),
                [](Request& r) {
                  if (!RequireSession(r)) return;
                  auto body = ParseJsonBody(r.http);
                  if (!body.ok()) return WriteJsonError(r.res, body.status());
                  RespondNoContent(r, r.services.auth.DisableSecondFactor(
                                          r.principal, StringField(*body, "password"),
                                          StringField(*body, "code")));
                });
}

}  // namespace

void RegisterAuthApiRoutes(Router& router) {
  AddSignInRoutes(router);
  AddAccountRoutes(router);
  AddOwnSessionRoutes(router);
  AddOwnTokenRoutes(router);
  AddSecondFactorRoutes(router);
}

}  // namespace rampart::http

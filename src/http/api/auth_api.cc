// Signing in and the caller's own account over JSON:
//   POST   /api/v1/auth/login                  {"username","password"[,"totp"]} -> session cookie
//   POST   /api/v1/auth/logout
//   GET    /api/v1/auth/me                     who, where, with which role and permissions
//   POST   /api/v1/auth/password               {"current_password","new_password"[,"keep_tokens"]}
//   POST   /api/v1/auth/reauthenticate         {"password"[,"code"]}: proof for token creation and
//                                               second-factor enrolment (403
//                                               reauthentication_required without it)
//   PATCH  /api/v1/auth/profile                {"display_name"}
//   POST   /api/v1/auth/organisation           {"org_id"}: switch the session's organisation
//   GET    /api/v1/auth/sessions               own sessions; DELETE …/sessions/{id} ends one
//   POST   /api/v1/auth/sessions/end-others
//   GET    /api/v1/auth/tokens                 own API tokens; POST creates, DELETE …/{id} revokes
//   GET    /api/v1/auth/second-factor          status; POST starts enrolment
//   POST   /api/v1/auth/second-factor/confirm  {"code"} -> recovery codes
//   POST   /api/v1/auth/second-factor/recovery-codes {"code"} -> new recovery codes
//   DELETE /api/v1/auth/second-factor          {"password","code"}
#include "http/api/api.h"
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

void RegisterAuthApiRoutes(Router& router) {
  Router* rt = &router;
  router.Post("/api/v1/auth/login", Surface::kApi, Guard::Public(), [rt](Request& r) {
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
  router.Post("/api/v1/auth/logout", Surface::kApi, Guard::AnySignedIn(), [rt](Request& r) {
    if (!r.session_token.empty()) {
      Status st = r.services.auth.SignOut(r.principal, r.session_token);
      if (!st.ok()) return WriteJsonError(r.res, st);
    }
    r.res.SetHeader("Set-Cookie", rt->ClearSessionCookie());
    r.res.status = 204;
  });
  router.Get("/api/v1/auth/me", Surface::kApi, Guard::AnySignedIn(), [](Request& r) {
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
  router.Post("/api/v1/auth/password", Surface::kApi, Guard::AccountSetup(), [](Request& r) {
    if (!RequireSession(r)) return;
    auto body = ParseJsonBody(r.http);
    if (!body.ok()) return WriteJsonError(r.res, body.status());
    if (body->contains("keep_tokens") && !(*body)["keep_tokens"].is_boolean()) {
      return WriteJsonError(r.res,
                            InvalidArgument("keep_tokens must be true or false", "keep_tokens"));
    }
    const Status st = r.services.auth.ChangePassword(
        r.principal, r.session_token, StringField(*body, "current_password"),
        StringField(*body, "new_password"), r.client_address,
        body->value("keep_tokens", false) ? app::ApiTokensOnPasswordChange::kKeep
                                          : app::ApiTokensOnPasswordChange::kRevoke);
    SetRetryAfter(r, st);
    RespondNoContent(r, st);
  });
  router.Post("/api/v1/auth/reauthenticate", Surface::kApi, Guard::AccountSetup(), [](Request& r) {
    if (!RequireSession(r)) return;
    auto body = ParseJsonBody(r.http);
    if (!body.ok()) return WriteJsonError(r.res, body.status());
    if (Status st = RequireStrings(*body, {"password", "code"}); !st.ok()) {
      return WriteJsonError(r.res, st);
    }
    const Status st =
        r.services.auth.Reauthenticate(r.principal, r.session_token, StringField(*body, "password"),
                                       StringField(*body, "code"), r.client_address);
    SetRetryAfter(r, st);
    RespondNoContent(r, st);
  });
  router.Patch("/api/v1/auth/profile", Surface::kApi, Guard::Account(), [](Request& r) {
    auto body = ParseJsonBody(r.http);
    if (!body.ok()) return WriteJsonError(r.res, body.status());
    RespondNoContent(
        r, r.services.auth.SetDisplayName(r.principal, StringField(*body, "display_name")));
  });
  router.Post("/api/v1/auth/organisation", Surface::kApi, Guard::Account(), [](Request& r) {
    auto body = ParseJsonBody(r.http);
    if (!body.ok()) return WriteJsonError(r.res, body.status());
    if (!body->contains("org_id") || !(*body)["org_id"].is_number_integer()) {
      return WriteJsonError(r.res, InvalidArgument("org_id must be a number", "org_id"));
    }
    RespondNoContent(r, r.services.auth.SwitchOrganisation(r.principal, r.session_token,
                                                           (*body)["org_id"].get<int64_t>()));
  });

  // --- Sessions ---
  router.Get("/api/v1/auth/sessions", Surface::kApi, Guard::Account(), [](Request& r) {
    auto sessions = r.services.auth.Sessions(r.principal);
    if (!sessions.ok()) return WriteJsonError(r.res, sessions.status());
    json data = json::array();
    for (const auto& s : *sessions) data.push_back(SessionJson(s, r.principal.session_id));
    WriteJson(r.res, 200, json{{"data", data}});
  });
  router.Delete(R"(/api/v1/auth/sessions/(\d+))", Surface::kApi, Guard::Account(), [](Request& r) {
    RespondNoContent(r, r.services.auth.EndSession(r.principal, r.PathId()));
  });
  router.Post("/api/v1/auth/sessions/end-others", Surface::kApi, Guard::Account(), [](Request& r) {
    auto ended = r.services.auth.EndOtherSessions(r.principal, r.session_token);
    if (!ended.ok()) return WriteJsonError(r.res, ended.status());
    WriteJson(r.res, 200, json{{"ended", *ended}});
  });

  // --- API tokens ---
  router.Get("/api/v1/auth/tokens", Surface::kApi, Guard::Account(), [](Request& r) {
    auto tokens = r.services.auth.Tokens(r.principal);
    if (!tokens.ok()) return WriteJsonError(r.res, tokens.status());
    json data = json::array();
    for (const auto& t : *tokens) data.push_back(TokenJson(t));
    WriteJson(r.res, 200, json{{"data", data}});
  });
  router.Post("/api/v1/auth/tokens", Surface::kApi, Guard::Account(), [](Request& r) {
    if (!RequireSession(r)) return;
    auto body = ParseJsonBody(r.http);
    if (!body.ok()) return WriteJsonError(r.res, body.status());
    if (Status st = RequireStrings(*body, {"name", "expires_on"}); !st.ok()) {
      return WriteJsonError(r.res, st);
    }
    if (body->contains("read_only") && !(*body)["read_only"].is_boolean()) {
      return WriteJsonError(r.res, InvalidArgument("read_only must be true or false", "read_only"));
    }
    auto created = r.services.auth.CreateToken(r.principal, StringField(*body, "name"),
                                               body->value("read_only", false),
                                               StringField(*body, "expires_on"));
    if (!created.ok()) return WriteJsonError(r.res, created.status());
    json out = TokenJson(created->first);
    out["token"] = created->second;  // shown this once
    WriteJson(r.res, 201, out);
  });
  router.Delete(R"(/api/v1/auth/tokens/(\d+))", Surface::kApi, Guard::Account(), [](Request& r) {
    RespondNoContent(r, r.services.auth.RevokeToken(r.principal, r.PathId()));
  });

  // --- Second factor ---
  router.Get("/api/v1/auth/second-factor", Surface::kApi, Guard::AccountSetup(), [](Request& r) {
    auto state = r.services.auth.SecondFactorStatus(r.principal);
    if (!state.ok()) return WriteJsonError(r.res, state.status());
    WriteJson(r.res, 200,
              json{{"enabled", r.principal.second_factor},
                   {"required", r.principal.needs_second_factor},
                   {"recovery_codes_left", state->unused_recovery_codes}});
  });
  router.Post("/api/v1/auth/second-factor", Surface::kApi, Guard::AccountSetup(), [](Request& r) {
    if (!RequireSession(r)) return;
    auto started = r.services.auth.StartSecondFactor(r.principal);
    if (!started.ok()) return WriteJsonError(r.res, started.status());
    WriteJson(
        r.res, 200,
        json{{"secret", started->secret}, {"uri", started->uri}, {"qr_svg", started->qr_svg}});
  });
  router.Post(
      "/api/v1/auth/second-factor/confirm", Surface::kApi, Guard::AccountSetup(), [](Request& r) {
        if (!RequireSession(r)) return;
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        auto codes = r.services.auth.ConfirmSecondFactor(r.principal, StringField(*body, "code"));
        if (!codes.ok()) return WriteJsonError(r.res, codes.status());
        WriteJson(r.res, 200, json{{"recovery_codes", *codes}});
      });
  router.Post(
      "/api/v1/auth/second-factor/recovery-codes", Surface::kApi, Guard::Account(), [](Request& r) {
        if (!RequireSession(r)) return;
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        auto codes = r.services.auth.NewRecoveryCodes(r.principal, StringField(*body, "code"));
        if (!codes.ok()) return WriteJsonError(r.res, codes.status());
        WriteJson(r.res, 200, json{{"recovery_codes", *codes}});
      });
  router.Delete("/api/v1/auth/second-factor", Surface::kApi, Guard::Account(), [](Request& r) {
    if (!RequireSession(r)) return;
    auto body = ParseJsonBody(r.http);
    if (!body.ok()) return WriteJsonError(r.res, body.status());
    RespondNoContent(
        r, r.services.auth.DisableSecondFactor(r.principal, StringField(*body, "password"),
                                               StringField(*body, "code")));
  });
}

}  // namespace rampart::http

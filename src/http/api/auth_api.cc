// Sign-in over JSON, for scripts and single-page clients:
//   POST /api/v1/auth/login     {"username","password"} -> session cookie + CSRF token
//   POST /api/v1/auth/logout
//   GET  /api/v1/auth/me
//   POST /api/v1/auth/password  {"current_password","new_password"}
#include "http/api/api.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

namespace {

nlohmann::json MeJson(const app::Principal& p) {
  return {{"user_id", p.user_id},
          {"username", p.username},
          {"display_name", p.display_name},
          {"organisation", {{"id", p.org_id}, {"name", p.org_name}}},
          {"role", domain::RoleName(p.role)},
          {"must_change_password", p.must_change_password}};
}

std::string StringField(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

void RegisterAuthApiRoutes(Router& router) {
  Router* rt = &router;
  router.Post("/api/v1/auth/login", Surface::kApi, Access::kPublic, [rt](Request& r) {
    auto body = ParseJsonBody(r.http);
    if (!body.ok()) return WriteJsonError(r.res, body.status());
    for (const char* f : {"username", "password"}) {
      if (!body->contains(f) || !(*body)[f].is_string()) {
        return WriteJsonError(r.res, InvalidArgument(std::string(f) + " is required", f));
      }
    }
    auto signed_in =
        r.services.auth.SignIn(StringField(*body, "username"), StringField(*body, "password"));
    if (!signed_in.ok()) return WriteJsonError(r.res, signed_in.status());
    r.res.set_header("Set-Cookie", rt->SessionCookie(signed_in->session_token));
    nlohmann::json out = MeJson(signed_in->principal);
    out["csrf_token"] = signed_in->principal.csrf_token;
    WriteJson(r.res, 200, out);
  });
  router.Post("/api/v1/auth/logout", Surface::kApi, Access::kPendingPasswordChange,
              [rt](Request& r) {
                if (!r.session_token.empty()) {
                  Status st = r.services.auth.SignOut(r.principal, r.session_token);
                  if (!st.ok()) return WriteJsonError(r.res, st);
                }
                r.res.set_header("Set-Cookie", rt->ClearSessionCookie());
                r.res.status = 204;
              });
  router.Get("/api/v1/auth/me", Surface::kApi, Access::kPendingPasswordChange,
             [](Request& r) { WriteJson(r.res, 200, MeJson(r.principal)); });
  router.Post(
      "/api/v1/auth/password", Surface::kApi, Access::kPendingPasswordChange, [](Request& r) {
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        Status st =
            r.services.auth.ChangePassword(r.principal, StringField(*body, "current_password"),
                                           StringField(*body, "new_password"));
        if (!st.ok()) return WriteJsonError(r.res, st);
        r.res.status = 204;
      });
}

}  // namespace rampart::http

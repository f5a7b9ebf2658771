// Authentication, sessions, CSRF and origin checks, organisation isolation and headers.
#include "api_fixture.h"
#include "domain/identity.h"

namespace rampart::testing {
namespace {

using Security = ApiTest;

TEST_F(Security, HealthzAnswersWithoutAuthentication) {
  auto r = Client().Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Body(r)["status"], "ok");
}

TEST_F(Security, EveryOtherRouteRequiresAuthentication) {
  for (const std::string path :
       {"/api/v1/context-issues", "/api/v1/interested-parties", "/api/v1/scope",
        "/api/v1/scope/current", "/api/v1/openapi.json", "/api/v1/users", "/api/v1/audit/verify",
        "/api/v1/context-issues/export?format=csv", "/api/v1/context-issues/1/history"}) {
    auto r = Client().Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 401) << path;
    EXPECT_EQ(Error(r), "unauthenticated/") << path;
  }
  auto post = Client().Post("/api/v1/context-issues", R"({"title":"x","kind":"internal"})",
                            "application/json");
  EXPECT_EQ(post->status, 401);
  for (const std::string page : {"/", "/context-issues", "/context-issues/swot", "/scope",
                                 "/interested-parties/new", "/audit"}) {
    auto r = Client().Get(page);
    ASSERT_TRUE(r) << page;
    EXPECT_EQ(r->status, 303) << page;
    EXPECT_EQ(r->get_header_value("Location").rfind("/signin?next=", 0), 0u) << page;
  }
  EXPECT_EQ(Client().Get("/signin")->status, 200);
}

TEST_F(Security, AWrongOrRevokedTokenIsRefused) {
  EXPECT_EQ(Get("/api/v1/context-issues", Bearer("rpt_not-a-token"))->status, 401);
  EXPECT_EQ(
      Client().Get("/api/v1/context-issues", {{"Authorization", "Basic YWxpY2U6eA=="}})->status,
      401);
  ASSERT_TRUE(services_->members.DisableUser("alice").ok());
  auto r = Get("/api/v1/context-issues");
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(Error(r), "unauthenticated/");
}

TEST_F(Security, SignInRefusesWrongPasswordsWithOneMessage) {
  auto wrong = Client().Post("/api/v1/auth/login",
                             Json{{"username", "alice"}, {"password", "nope-nope"}}.dump(),
                             "application/json");
  auto nobody = Client().Post("/api/v1/auth/login",
                              Json{{"username", "nobody"}, {"password", "nope-nope"}}.dump(),
                              "application/json");
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(nobody->status, 401);
  EXPECT_EQ(Body(wrong)["error"]["message"], Body(nobody)["error"]["message"]);
  EXPECT_TRUE(wrong->get_header_value("Set-Cookie").empty());
}

TEST_F(Security, SessionCookiesAreHttpOnlyAndSameSiteStrict) {
  auto r = Client().Post("/api/v1/auth/login",
                         Json{{"username", "alice"}, {"password", kAlicePassword}}.dump(),
                         "application/json");
  ASSERT_EQ(r->status, 200);
  const std::string cookie = r->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  // 256 bits of randomness, base64url: 43 characters.
  const auto value = cookie.substr(cookie.find('=') + 1, cookie.find(';') - cookie.find('=') - 1);
  EXPECT_EQ(value.size(), 43u);
}

TEST_F(Security, StateChangesWithASessionNeedTheCsrfToken) {
  const Session s = SignIn("alice", kAlicePassword);
  const Json body = {{"title", "Via the browser"}, {"kind", "internal"}};
  auto without = Post("/api/v1/context-issues", body, SessionHeaders(s, false));
  EXPECT_EQ(without->status, 403);
  EXPECT_EQ(Error(without), "permission_denied/");
  auto wrong = Post("/api/v1/context-issues", body,
                    With(SessionHeaders(s, false), "X-CSRF-Token", "forged"));
  EXPECT_EQ(wrong->status, 403);
  auto with = Post("/api/v1/context-issues", body, SessionHeaders(s));
  EXPECT_EQ(with->status, 201) << with->body;
  // Reading needs no token.
  EXPECT_EQ(Get("/api/v1/context-issues", SessionHeaders(s, false))->status, 200);
  // The web form needs it too.
  auto form = Client().Post("/context-issues", SessionHeaders(s, false),
                            "title=Forged&kind=internal", "application/x-www-form-urlencoded");
  EXPECT_EQ(form->status, 403);
  EXPECT_EQ(Body(Get("/api/v1/context-issues?total=true"))["total"], 1);
}

TEST_F(Security, CrossSiteRequestsAreRefusedEvenWithTheToken) {
  const Session s = SignIn("alice", kAlicePassword);
  const Json body = {{"title", "Cross-site"}, {"kind", "internal"}};
  auto evil = Post("/api/v1/context-issues", body,
                   With(SessionHeaders(s), "Origin", "https://evil.example"));
  EXPECT_EQ(evil->status, 403);
  auto site =
      Post("/api/v1/context-issues", body, With(SessionHeaders(s), "Sec-Fetch-Site", "cross-site"));
  EXPECT_EQ(site->status, 403);
  auto same = Post("/api/v1/context-issues", body,
                   With(SessionHeaders(s), "Origin", "http://127.0.0.1:" + std::to_string(port_)));
  EXPECT_EQ(same->status, 201);
}

TEST_F(Security, SignOutEndsTheSession) {
  const Session s = SignIn("alice", kAlicePassword);
  EXPECT_EQ(Get("/api/v1/auth/me", SessionHeaders(s))->status, 200);
  EXPECT_EQ(Client().Post("/api/v1/auth/logout", SessionHeaders(s), "", "application/json")->status,
            204);
  EXPECT_EQ(Get("/api/v1/auth/me", SessionHeaders(s))->status, 401);
}

TEST_F(Security, TheOneTimePasswordMustBeChangedBeforeAnythingElse) {
  const Session s = SignIn("admin", admin_otp_);
  auto me = Body(Get("/api/v1/auth/me", SessionHeaders(s)));
  EXPECT_EQ(me["must_change_password"], true);
  auto blocked = Post("/api/v1/context-issues", {{"title", "Too early"}, {"kind", "internal"}},
                      SessionHeaders(s));
  EXPECT_EQ(blocked->status, 403);
  EXPECT_EQ(Get("/api/v1/context-issues", SessionHeaders(s))->status, 403);
  auto page = Client().Get("/context-issues", {{"Cookie", s.cookie}});
  EXPECT_EQ(page->status, 303);
  EXPECT_EQ(page->get_header_value("Location"), "/account/password");

  auto short_pw =
      Post("/api/v1/auth/password", {{"current_password", admin_otp_}, {"new_password", "short"}},
           SessionHeaders(s));
  EXPECT_EQ(Error(short_pw), "invalid_argument/new_password");
  auto wrong_current =
      Post("/api/v1/auth/password",
           {{"current_password", "guess-guess"}, {"new_password", "a much better one"}},
           SessionHeaders(s));
  EXPECT_EQ(Error(wrong_current), "invalid_argument/current_password");
  auto changed = Post("/api/v1/auth/password",
                      {{"current_password", admin_otp_}, {"new_password", "a much better one"}},
                      SessionHeaders(s));
  EXPECT_EQ(changed->status, 204);
  EXPECT_EQ(
      Post("/api/v1/context-issues", {{"title", "Now"}, {"kind", "internal"}}, SessionHeaders(s))
          ->status,
      201);
  // The one-time password no longer works.
  auto old = Client().Post("/api/v1/auth/login",
                           Json{{"username", "admin"}, {"password", admin_otp_}}.dump(),
                           "application/json");
  EXPECT_EQ(old->status, 401);
}

TEST_F(Security, NoRecordOfOneOrganisationIsVisibleToAnother) {
  // A second organisation with its own user and token.
  auto org = store_->CreateOrganisation(
      "Other Corp",
      {.at = "2026-01-01T00:00:00.000Z", .action = "create", .record_type = "organisation"});
  ASSERT_TRUE(org.ok());
  ASSERT_TRUE(services_->members
                  .AddUser("Other Corp", app::NewMember{.username = "mallory",
                                                        .role = domain::Role::kAdmin,
                                                        .password = "correct horse staple"})
                  .ok());
  auto mallory = services_->members.CreateToken("mallory", "", "t", false, "");
  ASSERT_TRUE(mallory.ok());

  const Json secret = CreateIssue("Acme secret weakness", "internal", {{"swot", "weakness"}});
  const std::string id = std::to_string(secret["id"].get<int64_t>());
  const auto m = Bearer(*mallory);
  EXPECT_EQ(Get("/api/v1/context-issues/" + id, m)->status, 404);
  EXPECT_EQ(Get("/api/v1/context-issues/" + id + "/history", m)->status, 404);
  EXPECT_EQ(Body(Get("/api/v1/context-issues", m))["data"].size(), 0u);
  EXPECT_EQ(Body(Get("/api/v1/context-issues?swot=weakness", m))["data"].size(), 0u);
  EXPECT_EQ(Body(Get("/api/v1/context-issues?q=secret", m))["data"].size(), 0u);
  auto csv = Get("/api/v1/context-issues/export?format=csv", m);
  EXPECT_EQ(csv->body.find("Acme secret"), std::string::npos);
  auto patch = Client().Patch("/api/v1/context-issues/" + id, With(m, "If-Match", "\"1\""),
                              R"({"title":"pwned"})", "application/json");
  EXPECT_EQ(patch->status, 404);
  auto del = Client().Delete("/api/v1/context-issues/" + id, With(m, "If-Match", "\"1\""));
  EXPECT_EQ(del->status, 404);
  // A reference to a user of another organisation is refused.
  auto users = Body(Get("/api/v1/users"));
  int64_t alice_id = 0;
  for (const auto& u : users["data"]) {
    if (u["username"] == "alice") alice_id = u["id"];
  }
  auto ref = Client().Post("/api/v1/context-issues", m,
                           Json{{"title", "x"}, {"kind", "internal"}, {"owner", alice_id}}.dump(),
                           "application/json");
  EXPECT_EQ(Error(ref), "invalid_argument/owner");
  // Mallory's events are not in Acme's trail and the other way round.
  const Json their_events = Body(Get("/api/v1/audit/events", m))["data"];
  for (const auto& e : their_events) {
    EXPECT_NE(e["record_id"], secret["id"]);
  }
  EXPECT_EQ(Body(Get("/api/v1/context-issues/" + id))["title"], "Acme secret weakness");
}

TEST_F(Security, EveryResponseCarriesStrictHeaders) {
  for (const std::string path : {"/healthz", "/signin", "/api/v1/context-issues", "/nowhere"}) {
    auto r = Get(path);
    ASSERT_TRUE(r) << path;
    const std::string csp = r->get_header_value("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << path;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path;
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(r->get_header_value("Referrer-Policy"), "same-origin") << path;
    EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store") << path;
  }
  auto missing = Get("/api/v1/no-such-register");
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(Error(missing), "not_found/");
}

}  // namespace
}  // namespace rampart::testing

// Issue 11, section 4 (accounts) over HTTP: the throttled password change, re-authentication
// before creating API tokens or enrolling a second factor, API tokens revoked by a password
// change, one-time passwords that work once, and the sign-in redirect kept on this site.
#include <string>

#include "api_fixture.h"
#include "base/text.h"

namespace rampart::testing {
namespace {

class AccountSecurity : public ApiTest {
 protected:
  httplib::Result PostAs(const Session& s, const std::string& path, const Json& body) {
    return Client().Post(path, SessionHeaders(s), body.dump(), "application/json");
  }
  httplib::Result SubmitAs(const Session& s, const std::string& path, const std::string& form) {
    return Client().Post(path, {{"Cookie", s.cookie}}, form + "&_csrf=" + UrlEncode(s.csrf),
                         "application/x-www-form-urlencoded");
  }
  // Makes the session's last proof of the password older than the re-authentication window.
  void AgeReauthentication(const Session& s) {
    const std::string value = s.cookie.substr(s.cookie.find('=') + 1);
    ASSERT_TRUE(store_
                    ->SetSessionReauthenticated(Sha256Hex(value),
                                                FormatUtc(clock_.Now() - std::chrono::minutes(6)))
                    .ok());
  }
  int CountEvents(const std::string& action) {
    int n = 0;
    EXPECT_TRUE(store_
                    ->ScanAudit([&](const domain::AuditEvent& e) {
                      n += e.action == action ? 1 : 0;
                      return true;
                    })
                    .ok());
    return n;
  }
};

// Regression (finding 7): 25 wrong current passwords gave 25 × 400, never 429.
TEST_F(AccountSecurity, WrongCurrentPasswordsAreThrottledLikeSignIn) {
  const Session alice = SignIn("alice", kAlicePassword);
  const Json wrong = {{"current_password", "a wrong guess"},
                      {"new_password", "a brand new passphrase"}};
  for (int i = 0; i < 5; ++i) {
    auto r = PostAs(alice, "/api/v1/auth/password", wrong);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(Error(r), "invalid_argument/current_password");
  }
  auto throttled = PostAs(alice, "/api/v1/auth/password", wrong);
  ASSERT_TRUE(throttled);
  EXPECT_EQ(throttled->status, 429);
  EXPECT_EQ(Error(throttled), "too_many_attempts/");
  ASSERT_TRUE(throttled->has_header("Retry-After"));
  EXPECT_GT(std::stoi(throttled->get_header_value("Retry-After")), 0);
  EXPECT_EQ(CountEvents("change_password_failed"), 5);
  // The same counters as signing in: the account cannot sign in now either.
  auto login = Client().Post("/api/v1/auth/login",
                             Json{{"username", "alice"}, {"password", kAlicePassword}}.dump(),
                             "application/json");
  EXPECT_EQ(login->status, 429);
}

// Regression (finding 8): a session cookie alone was enough to create an API token.
TEST_F(AccountSecurity, CreatingATokenOrEnrollingNeedsTheRecentPassword) {
  const Session alice = SignIn("alice", kAlicePassword);
  const Json token = {{"name", "ci"}, {"read_only", true}};
  // Just signed in: allowed.
  auto fresh = PostAs(alice, "/api/v1/auth/tokens", token);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->status, 201) << fresh->body;

  AgeReauthentication(alice);
  auto stale = PostAs(alice, "/api/v1/auth/tokens", token);
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 403);
  EXPECT_EQ(Error(stale), "reauthentication_required/");
  auto enrol = PostAs(alice, "/api/v1/auth/second-factor", Json::object());
  EXPECT_EQ(enrol->status, 403);
  EXPECT_EQ(Error(enrol), "reauthentication_required/");

  auto wrong = PostAs(alice, "/api/v1/auth/reauthenticate", {{"password", "not it"}});
  EXPECT_EQ(wrong->status, 400);
  EXPECT_EQ(Error(wrong), "invalid_argument/password");
  EXPECT_EQ(CountEvents("reauthenticate_failed"), 1);
  auto proved = PostAs(alice, "/api/v1/auth/reauthenticate", {{"password", kAlicePassword}});
  EXPECT_EQ(proved->status, 204) << proved->body;
  EXPECT_EQ(CountEvents("reauthenticate"), 1);
  auto again = PostAs(alice, "/api/v1/auth/tokens", token);
  EXPECT_EQ(again->status, 201) << again->body;
  EXPECT_EQ(PostAs(alice, "/api/v1/auth/second-factor", Json::object())->status, 200);
}

TEST_F(AccountSecurity, AnApiTokenCanNeitherReauthenticateNorCreateTokens) {
  auto reauth = Post("/api/v1/auth/reauthenticate", {{"password", kAlicePassword}});
  ASSERT_TRUE(reauth);
  EXPECT_EQ(reauth->status, 403);
  EXPECT_EQ(Error(reauth), "permission_denied/");
  auto create = Post("/api/v1/auth/tokens", {{"name", "more"}});
  EXPECT_EQ(create->status, 403);
  EXPECT_EQ(Error(create), "permission_denied/");
}

TEST_F(AccountSecurity, APasswordChangeRevokesTheApiTokensUnlessKept) {
  ASSERT_EQ(Get("/api/v1/auth/me")->status, 200);
  const Session alice = SignIn("alice", kAlicePassword);
  auto kept = PostAs(alice, "/api/v1/auth/password",
                     {{"current_password", kAlicePassword},
                      {"new_password", "second long passphrase"},
                      {"keep_tokens", true}});
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->status, 204) << kept->body;
  EXPECT_EQ(Get("/api/v1/auth/me")->status, 200);

  auto revoked = PostAs(
      alice, "/api/v1/auth/password",
      {{"current_password", "second long passphrase"}, {"new_password", "third long passphrase"}});
  EXPECT_EQ(revoked->status, 204) << revoked->body;
  auto me = Get("/api/v1/auth/me");
  EXPECT_EQ(me->status, 401);
  EXPECT_EQ(Error(me), "unauthenticated/");
  EXPECT_EQ(CountEvents("revoke_tokens"), 1);
  // The change proved the password: a new token right away.
  EXPECT_EQ(PostAs(alice, "/api/v1/auth/tokens", {{"name", "new"}})->status, 201);

  auto bad = PostAs(alice, "/api/v1/auth/password",
                    {{"current_password", "third long passphrase"},
                     {"new_password", "fourth long passphrase"},
                     {"keep_tokens", "yes"}});
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Error(bad), "invalid_argument/keep_tokens");
}

// Regression (finding 11): a password made of the organisation's name was accepted.
TEST_F(AccountSecurity, ANewPasswordWithTheOrganisationsNameIsRefused) {
  const Session alice = SignIn("alice", kAlicePassword);
  auto r = PostAs(alice, "/api/v1/auth/password",
                  {{"current_password", kAlicePassword}, {"new_password", "AcmeLtd forever!"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Error(r), "invalid_argument/new_password");
  EXPECT_NE(Body(r)["error"]["message"].get<std::string>().find("organisation's name"),
            std::string::npos);
}

// Regression (finding 9): the one-time password kept working after the first sign-in.
TEST_F(AccountSecurity, AOneTimePasswordWorksOnce) {
  auto login = [&] {
    return Client().Post("/api/v1/auth/login",
                         Json{{"username", "admin"}, {"password", admin_otp_}}.dump(),
                         "application/json");
  };
  auto first = login();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  auto second = login();
  EXPECT_EQ(second->status, 401);
  EXPECT_EQ(Error(second), "unauthenticated/");
  EXPECT_NE(second->body.find("ask an administrator for a new one"), std::string::npos);
}

// Web: the protected account pages send the person to /account/confirm and back.
TEST_F(AccountSecurity, TheTokenPageAsksForThePasswordAgainThenReturns) {
  const Session alice = SignIn("alice", kAlicePassword);
  AgeReauthentication(alice);
  auto create = SubmitAs(alice, "/account/tokens", "name=ci&read_only=true&expires_on=");
  ASSERT_TRUE(create);
  EXPECT_EQ(create->status, 303);
  EXPECT_EQ(create->get_header_value("Location"), "/account/confirm?next=/account/tokens");
  auto page = Client().Get("/account/confirm?next=%2Faccount%2Ftokens", {{"Cookie", alice.cookie}});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("value=\"/account/tokens\""), std::string::npos);
  auto wrong = SubmitAs(alice, "/account/confirm", "next=%2Faccount%2Ftokens&password=nope");
  EXPECT_EQ(wrong->status, 400);
  auto confirmed = SubmitAs(alice, "/account/confirm",
                            "next=%2Faccount%2Ftokens&password=" + UrlEncode(kAlicePassword));
  EXPECT_EQ(confirmed->status, 303);
  EXPECT_EQ(confirmed->get_header_value("Location"), "/account/tokens");
  auto created = SubmitAs(alice, "/account/tokens", "name=ci&read_only=true&expires_on=");
  EXPECT_EQ(created->status, 201) << created->body;
  // Confirming never leads off the site.
  auto off = SubmitAs(alice, "/account/confirm",
                      "next=%2F%09%2Fevil.example&password=" + UrlEncode(kAlicePassword));
  EXPECT_EQ(off->get_header_value("Location"), "/");
}

// Regression (finding 10): "/\t/evil.example" was followed after sign-in (browsers drop the tab).
TEST_F(AccountSecurity, SignInRedirectsOnlyWithinTheSite) {
  for (const std::string next :
       {"/%09/evil.example", "%2F%2Fevil.example", "/%5Cevil.example", "/%252F%252Fevil.example",
        "https%3A%2F%2Fevil.example", "/%0D%0ALocation:%20//evil.example"}) {
    auto r = Client().Post("/signin",
                           "username=alice&password=" + UrlEncode(kAlicePassword) + "&next=" + next,
                           "application/x-www-form-urlencoded");
    ASSERT_TRUE(r) << next;
    EXPECT_EQ(r->status, 303) << next;
    EXPECT_EQ(r->get_header_value("Location"), "/") << next;
  }
  auto ok = Client().Post(
      "/signin",
      "username=alice&password=" + UrlEncode(kAlicePassword) + "&next=%2Frisks%3Fsort%3Dtitle",
      "application/x-www-form-urlencoded");
  EXPECT_EQ(ok->get_header_value("Location"), "/risks?sort=title");
}

}  // namespace
}  // namespace rampart::testing

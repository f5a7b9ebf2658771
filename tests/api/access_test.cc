// The access-control suite: the role matrix over every route, read-only tokens, isolation of
// organisations, throttling, session handling and the method/origin rules, against a real server.
#include <gmock/gmock.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include "api/api_fixture.h"
#include "base/totp.h"
#include "domain/registers.h"
#include "http/router.h"

namespace rampart::testing {
namespace {

using domain::FieldType;
using domain::Permission;
using domain::Role;
using ::testing::HasSubstr;

constexpr const char* kPassword = "a long enough passphrase";

// Every log line of this test binary, captured from its start: the sink is added to the default
// logger before any server runs (adding it later would race with the servers' threads).
spdlog::sinks::ringbuffer_sink_mt* LogCapture() {
  static auto* sink = [] {
    auto s = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(100'000);
    spdlog::default_logger()->sinks().push_back(s);
    return s.get();  // the logger keeps it alive
  }();
  return sink;
}

class CaptureLogs : public ::testing::Environment {
 public:
  void SetUp() override { LogCapture(); }
};
const auto* const kCaptureLogs = ::testing::AddGlobalTestEnvironment(new CaptureLogs);

class AccessTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    AddMemberOfEachRole(kPassword, user_ids_, sessions_);
    if (HasFatalFailure()) return;
    // The person the /users/{id} routes act on (their password reset, sessions ended, ...).
    auto target = services_->members.AddUser(
        "", app::NewMember{.username = "target", .role = Role::kViewer, .password = kPassword});
    ASSERT_TRUE(target.ok());
    target_id_ = target->user.id;
    // One record per register, owned by the contributor.
    for (const auto* spec : domain::AllRegisters()) {
      if (spec->workflow_only) continue;
      auto r = Post("/api/v1/" + spec->path,
                    SampleRecord(*spec, user_ids_[Role::kContributor], RefsByType(record_ids_)));
      ASSERT_TRUE(r);
      ASSERT_EQ(r->status, 201) << spec->path << ": " << r->body;
      record_ids_[spec->path] = Body(r)["id"].get<int64_t>();
    }
    // An evidence file on the contributor's context issue, for the /evidence/{id} routes.
    evidence_id_ = AttachEvidence(
        "/api/v1/context-issues/" + std::to_string(record_ids_["context-issues"]) + "/evidence",
        Bearer(), "ACME-EVIDENCE");
  }

  // Uploads a text file holding `text`; returns its id.
  int64_t AttachEvidence(const std::string& route, const httplib::Headers& h,
                         const std::string& text) {
    auto r = Client().Post(
        route, h,
        httplib::MultipartFormDataItems{{"file", text + "\n", "evidence.txt", "text/plain"},
                                        {"title", text, "", ""}});
    EXPECT_TRUE(r);
    if (!r || r->status != 201) {
      ADD_FAILURE() << "upload failed: " << (r ? r->body : "no response");
      return 0;
    }
    return Body(r)["id"].get<int64_t>();
  }

  // A concrete path for a route pattern: ids of this fixture's records and users.
  std::string PathFor(const std::string& pattern) {
    std::string path = pattern;
    std::string id = "999999";
    for (const auto* spec : domain::AllRegisters()) {
      if (pattern.rfind("/api/v1/" + spec->path + "/", 0) == 0 ||
          pattern.rfind("/" + spec->path + "/", 0) == 0) {
        id = std::to_string(record_ids_[spec->path]);
      }
    }
    if (pattern.rfind("/api/v1/users/", 0) == 0 || pattern.rfind("/admin/users/", 0) == 0) {
      id = std::to_string(target_id_);
    }
    if (IsEvidenceRoute(pattern)) id = std::to_string(evidence_id_);
    // An Annex A control (the Statement of Applicability's entries).
    const std::string_view control_group = R"((\d+\.\d+))";
    if (const auto control = path.find(control_group); control != std::string::npos) {
      path.replace(control, control_group.size(), "5.1");
    }
    // A report (reports/risk-register).
    const std::string_view report_group = R"(([a-z0-9-]+))";
    if (const auto report = path.find(report_group); report != std::string::npos) {
      path.replace(report, report_group.size(), "risk-register");
    }
    const auto first = path.find(R"((\d+))");
    if (first != std::string::npos) path.replace(first, 5, id);
    for (auto more = path.find(R"((\d+))"); more != std::string::npos;
         more = path.find(R"((\d+))")) {
      path.replace(more, 5, "999999");
    }
    return path;
  }

  httplib::Result Call(const std::string& method, const std::string& path,
                       const httplib::Headers& headers) {
    auto c = Client();
    if (method == "GET") return c.Get(path, headers);
    if (method == "POST") return c.Post(path, headers, "", "application/json");
    if (method == "PUT") return c.Put(path, headers, "", "application/json");
    if (method == "PATCH") return c.Patch(path, headers, "", "application/json");
    return c.Delete(path, headers);
  }

  // The routes of one evidence file (its record's routes are the register's).
  static bool IsEvidenceRoute(const std::string& pattern) {
    return pattern.rfind("/api/v1/evidence/", 0) == 0 || pattern.rfind("/evidence/", 0) == 0;
  }

  // The register a route belongs to, if any.
  static const domain::RegisterSpec* RegisterOf(const std::string& pattern) {
    for (const auto* spec : domain::AllRegisters()) {
      for (const std::string& base : {"/api/v1/" + spec->path, "/" + spec->path}) {
        if (pattern == base || pattern.rfind(base + "/", 0) == 0) return spec;
      }
    }
    return nullptr;
  }

  struct Enrolment {
    std::string secret;                 // base32, as shown
    std::string code;                   // the code that confirmed it (now spent)
    std::vector<std::string> recovery;  // the ten recovery codes
  };
  // Sets up the second factor over the API for the session or token in `h`.
  Enrolment EnrolOverHttp(const httplib::Headers& h) {
    Enrolment e;
    auto start = Client().Post("/api/v1/auth/second-factor", h, "", "application/json");
    EXPECT_EQ(start->status, 200) << start->body;
    e.secret = Body(start).value("secret", "");
    e.code = TotpCode(Base32Decode(e.secret).value_or(""), ToUnixSeconds(clock_.Now()));
    auto confirm = Client().Post("/api/v1/auth/second-factor/confirm", h,
                                 Json{{"code", e.code}}.dump(), "application/json");
    EXPECT_EQ(confirm->status, 200) << confirm->body;
    const Json codes = Body(confirm)["recovery_codes"];
    for (const auto& c : codes) e.recovery.push_back(c);
    return e;
  }

  // Routes that end the caller's own session are tested on their own.
  static bool EndsTheSession(const http::RouteInfo& r) {
    return r.pattern == "/signout" || r.pattern == "/api/v1/auth/logout";
  }

  int64_t target_id_ = 0;
  int64_t evidence_id_ = 0;
  std::map<Role, int64_t> user_ids_;
  std::map<Role, Session> sessions_;
  std::map<std::string, int64_t> record_ids_;
};

// Every route × every role × its method: a role without the route's permission gets 403 from
// the router; a role with it gets past authorisation (whatever the handler then says about the
// empty request). Generated from the routes the server registered, so a new route is covered.
TEST_F(AccessTest, TheRoleMatrixMatchesThePermissionTable) {
  int checked = 0;
  for (const auto& route : server_->Routes()) {
    if (route.guard.access == http::Access::kPublic ||
        route.guard.access == http::Access::kSecondFactorStep || EndsTheSession(route)) {
      continue;
    }
    const std::string path = PathFor(route.pattern);
    for (const auto& info : domain::AllRoles()) {
      bool allowed = route.guard.access != http::Access::kPermission ||
                     domain::Can(info.role, route.guard.permission);
      // Holding only records:edit-own, a role changes the records naming it: the fixture's
      // records name the contributor where the register has a user field to do so. (An
      // evidence file's routes decide by the file's record, which names the contributor.)
      if (allowed && route.guard.access == http::Access::kPermission &&
          route.guard.permission == Permission::kEditOwnRecords &&
          !domain::Can(info.role, Permission::kEditRecords) && !IsEvidenceRoute(route.pattern)) {
        const auto* spec = RegisterOf(route.pattern);
        ASSERT_NE(spec, nullptr) << route.pattern;
        // A workflow-only register's records are changed by their use case, which decides by the
        // record they belong to (a document's draft version by the document's owner).
        if (!spec->workflow_only) {
          ASSERT_TRUE(HasWritableUserField(*spec)) << route.pattern;
        }
      }
      auto r = Call(route.method, path, SessionHeaders(sessions_[info.role]));
      ASSERT_TRUE(r) << route.method << " " << path;
      const std::string what = route.method + " " + path + " as " + std::string(info.name) + " (" +
                               std::to_string(r->status) + ")";
      if (allowed) {
        EXPECT_NE(r->status, 401) << what << ": " << r->body.substr(0, 200);
        EXPECT_NE(r->status, 403) << what << ": " << r->body.substr(0, 200);
      } else {
        EXPECT_EQ(r->status, 403) << what;
      }
      EXPECT_LT(r->status, 500) << what << ": " << r->body.substr(0, 200);
      ++checked;
    }
  }
  EXPECT_GT(checked, 7 * 40);
  // Nobody lost their session on the way.
  for (const auto& [role, s] : sessions_) {
    EXPECT_EQ(Get("/api/v1/auth/me", SessionHeaders(s))->status, 200) << domain::RoleName(role);
  }
}

// A read-only token reads what its role reads and changes nothing, on every route.
TEST_F(AccessTest, AReadOnlyTokenChangesNothingAnywhere) {
  auto token = services_->members.CreateToken("u-admin", "", "reader", true, "");
  ASSERT_TRUE(token.ok());
  const httplib::Headers h = Bearer(*token);
  for (const auto& route : server_->Routes()) {
    if (route.guard.access == http::Access::kPublic ||
        route.guard.access == http::Access::kSecondFactorStep) {
      continue;
    }
    const std::string path = PathFor(route.pattern);
    auto r = Call(route.method, path, h);
    ASSERT_TRUE(r);
    const std::string what = route.method + " " + path;
    if (route.method != "GET") {
      EXPECT_EQ(r->status, 403) << what;
      EXPECT_THAT(r->body, HasSubstr("read-only")) << what;
    } else if (route.guard.access != http::Access::kPermission ||
               domain::InfoOf(route.guard.permission).read_only) {
      EXPECT_NE(r->status, 403) << what << ": " << r->body.substr(0, 200);
      EXPECT_NE(r->status, 401) << what;
    } else {
      EXPECT_EQ(r->status, 403) << what;
    }
  }
}

// Denied by the use case too, not only by the router: a viewer's session cannot create through
// the API, and the database is unchanged.
TEST_F(AccessTest, AViewerCannotCreateAContributorCannotTakeOver) {
  const auto before = Body(Get("/api/v1/context-issues?total=true"))["total"];
  auto r = Client().Post("/api/v1/context-issues", SessionHeaders(sessions_[Role::kViewer]),
                         Json{{"title", "x"}, {"kind", "internal"}}.dump(), "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(Error(r), "permission_denied/");
  // The contributor edits their record but not alice's.
  const Json alices = CreateIssue("Alice's issue");
  auto h = SessionHeaders(sessions_[Role::kContributor]);
  h.emplace("If-Match", "\"1\"");
  auto theirs =
      Client().Patch("/api/v1/context-issues/" + std::to_string(record_ids_["context-issues"]), h,
                     Json{{"description", "updated by the owner"}}.dump(), "application/json");
  ASSERT_TRUE(theirs);
  EXPECT_EQ(theirs->status, 200) << theirs->body;
  auto other = Client().Patch("/api/v1/context-issues/" + std::to_string(alices["id"].get<int>()),
                              h, Json{{"title", "taken"}}.dump(), "application/json");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 403);
  EXPECT_EQ(Body(Get("/api/v1/context-issues?total=true"))["total"], before.get<int>() + 1);
}

// --- Organisations ---

class CrossOrganisationTest : public AccessTest {
 protected:
  void SetUp() override {
    AccessTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(services_->members.AddOrganisation("Globex").ok());
    auto added = services_->members.AddUser(
        "Globex", app::NewMember{.username = "gary", .role = Role::kAdmin, .password = kPassword});
    ASSERT_TRUE(added.ok());
    gary_id_ = added->user.id;
    auto token = services_->members.CreateToken("gary", "Globex", "t", false, "");
    ASSERT_TRUE(token.ok());
    gary_ = *token;
    for (const auto* spec : domain::AllRegisters()) {
      if (spec->workflow_only) continue;
      Json body = SampleRecord(*spec, gary_id_, RefsByType(globex_ids_));
      if (spec->title_field != "" && spec->Field(spec->title_field)->type == FieldType::kText) {
        body[spec->title_field] = "GLOBEX-SECRET";
      }
      auto r = Post("/api/v1/" + spec->path, body, Bearer(gary_));
      ASSERT_TRUE(r);
      ASSERT_EQ(r->status, 201) << r->body;
      globex_ids_[spec->path] = Body(r)["id"].get<int64_t>();
    }
  }

  int64_t gary_id_ = 0;
  std::string gary_;
  std::map<std::string, int64_t> globex_ids_;
};

// Acme's administrator tries every route and parameter at Globex's records and people: 404, or
// lists without them. Never their content.
TEST_F(CrossOrganisationTest, NoRouteOrParameterReachesAnotherOrganisation) {
  // The risk workflows: accepting, reviewing, approving, closing Globex's records.
  const std::string risk = std::to_string(globex_ids_["risks"]);
  httplib::Headers if_match = Bearer();
  if_match.emplace("If-Match", "\"1\"");
  EXPECT_EQ(Post("/api/v1/risks/" + risk + "/acceptance", Json{{"decision", "accepted"}}, if_match)
                ->status,
            404);
  EXPECT_EQ(Post("/api/v1/risk-methodology/" + std::to_string(globex_ids_["risk-methodology"]) +
                     "/approve",
                 Json::object(), if_match)
                ->status,
            404);
  EXPECT_EQ(Post("/api/v1/risk-assessments/" + std::to_string(globex_ids_["risk-assessments"]) +
                     "/reviews",
                 Json{{"risk", globex_ids_["risks"]}, {"changes", "x"}})
                ->status,
            404);
  for (const auto* spec : domain::AllRegisters()) {
    if (spec->workflow_only) continue;  // none of Globex's exists; written by the workflows above
    const std::string base = "/api/v1/" + spec->path;
    const std::string item = base + "/" + std::to_string(globex_ids_[spec->path]);
    const std::string web = "/" + spec->path + "/" + std::to_string(globex_ids_[spec->path]);
    for (const auto& path : {item, item + "/history", web, web + "/edit"}) {
      auto r = Get(path);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 404) << path;
      EXPECT_THAT(r->body, ::testing::Not(HasSubstr("GLOBEX-SECRET"))) << path;
    }
    EXPECT_EQ(Patch(item, Json{{"title", "x"}}, "\"1\"")->status, 404) << item;
    EXPECT_EQ(Put(item, SampleRecord(*spec, user_ids_[Role::kAdmin]), "\"1\"")->status, 404);
    EXPECT_EQ(Delete(item, "\"1\"")->status, 404) << item;
    // Lists, filters, search, export and the web list.
    for (const auto& path : {base, base + "?q=GLOBEX", base + "?owner=" + std::to_string(gary_id_),
                             base + "/export?format=csv", "/" + spec->path + "?q=GLOBEX",
                             "/" + spec->path + "?owner=" + std::to_string(gary_id_)}) {
      auto r = Get(path);
      ASSERT_TRUE(r);
      EXPECT_THAT(r->status, ::testing::AnyOf(200, 400)) << path;
      EXPECT_THAT(r->body, ::testing::Not(HasSubstr("GLOBEX-SECRET"))) << path;
    }
    // A reference to Globex's user is refused, naming the field.
    if (HasWritableUserField(*spec)) {
      auto r = Post(base, SampleRecord(*spec, gary_id_, RefsByType(record_ids_)));
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 400) << r->body;
      EXPECT_THAT(r->body, HasSubstr("is not an active member of this organisation"));
    }
  }
  // People and the trail.
  const std::string gary = "/api/v1/users/" + std::to_string(gary_id_);
  EXPECT_EQ(Get(gary)->status, 404);
  EXPECT_EQ(Get(gary + "/sessions")->status, 404);
  EXPECT_EQ(Patch(gary, Json{{"disabled", true}}, "")->status, 404);
  EXPECT_EQ(Client().Post(gary + "/reset-password", Bearer(), "", "application/json")->status, 404);
  EXPECT_EQ(Client().Delete(gary + "/sessions", Bearer())->status, 404);
  EXPECT_FALSE(store_->GetUser(gary_id_)->disabled);
  auto users = Get("/api/v1/users");
  EXPECT_THAT(users->body, ::testing::Not(HasSubstr("gary")));
  auto events = Get("/api/v1/audit/events?limit=1000");
  EXPECT_THAT(events->body, ::testing::Not(HasSubstr("GLOBEX-SECRET")));
  EXPECT_THAT(events->body, ::testing::Not(HasSubstr("gary")));
  // Evidence files: Acme's are not found by Globex, Globex's not by Acme, and neither attaches to
  // the other's records.
  const std::string acme_item = "/api/v1/evidence/" + std::to_string(evidence_id_);
  const std::string acme_record =
      "/api/v1/context-issues/" + std::to_string(record_ids_["context-issues"]) + "/evidence";
  for (const auto& path : {acme_item, acme_item + "/content", acme_record}) {
    auto r = Get(path, Bearer(gary_));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_THAT(r->body, ::testing::Not(HasSubstr("ACME-EVIDENCE"))) << path;
  }
  EXPECT_EQ(Client().Delete(acme_item, Bearer(gary_))->status, 404);
  auto attach = Client().Post(acme_record, Bearer(gary_),
                              httplib::MultipartFormDataItems{
                                  {"file", "x\n", "x.txt", "text/plain"}, {"title", "x", "", ""}});
  EXPECT_EQ(attach->status, 404);
  EXPECT_EQ(Get(acme_item)->status, 200);  // still there for Acme
  const std::string globex_record =
      "/api/v1/context-issues/" + std::to_string(globex_ids_["context-issues"]) + "/evidence";
  const int64_t globex_file = AttachEvidence(globex_record, Bearer(gary_), "GLOBEX-SECRET");
  const std::string globex_item = "/api/v1/evidence/" + std::to_string(globex_file);
  for (const auto& path : {globex_item, globex_item + "/content", globex_record,
                           "/context-issues/" + std::to_string(globex_ids_["context-issues"])}) {
    auto r = Get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_THAT(r->body, ::testing::Not(HasSubstr("GLOBEX-SECRET"))) << path;
  }
  EXPECT_EQ(Client().Delete(globex_item, Bearer())->status, 404);
  EXPECT_EQ(Client()
                .Post("/evidence/" + std::to_string(globex_file) + "/delete",
                      SessionHeaders(sessions_[Role::kAdmin]), "", "application/json")
                ->status,
            404);
  EXPECT_EQ(Get(globex_item, Bearer(gary_))->status, 200);
  // Gary's token acts only in Globex, whatever the request says.
  auto mine =
      Get("/api/v1/context-issues/" + std::to_string(record_ids_["context-issues"]), Bearer(gary_));
  EXPECT_EQ(mine->status, 404);
}

// A member of both switches; the session then acts with the other membership's role only.
TEST_F(CrossOrganisationTest, SwitchingOrganisationChangesRecordsAndRole) {
  ASSERT_TRUE(services_->members
                  .AddUser("Globex", app::NewMember{.username = "u-viewer", .role = Role::kAdmin})
                  .ok());
  const Session& s = sessions_[Role::kViewer];
  auto me = Body(Get("/api/v1/auth/me", SessionHeaders(s)));
  ASSERT_EQ(me["memberships"].size(), 2u);
  const int64_t globex = me["memberships"][1]["organisation"]["id"];
  auto sw = Client().Post("/api/v1/auth/organisation", SessionHeaders(s),
                          Json{{"org_id", globex}}.dump(), "application/json");
  ASSERT_TRUE(sw);
  EXPECT_EQ(sw->status, 204) << sw->body;
  me = Body(Get("/api/v1/auth/me", SessionHeaders(s)));
  EXPECT_EQ(me["organisation"]["name"], "Globex");
  EXPECT_EQ(me["role"], "admin");
  auto there = Get("/api/v1/context-issues", SessionHeaders(s));
  EXPECT_THAT(there->body, HasSubstr("GLOBEX-SECRET"));
  // Not a member of a third organisation: refused, nothing changes.
  auto no = Client().Post("/api/v1/auth/organisation", SessionHeaders(s),
                          Json{{"org_id", 424242}}.dump(), "application/json");
  EXPECT_EQ(no->status, 404);
  EXPECT_EQ(Body(Get("/api/v1/auth/me", SessionHeaders(s)))["organisation"]["name"], "Globex");
}

// --- Sessions, throttling, methods ---

TEST_F(AccessTest, ThrottledSignInAnswers429WithRetryAfter) {
  for (int i = 0; i < 5; ++i) {
    auto r = Client().Post("/api/v1/auth/login",
                           Json{{"username", "u-viewer"}, {"password", "wrong"}}.dump(),
                           "application/json");
    ASSERT_EQ(r->status, 401);
  }
  auto r = Client().Post("/api/v1/auth/login",
                         Json{{"username", "u-viewer"}, {"password", kPassword}}.dump(),
                         "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(Error(r), "too_many_attempts/");
  const int retry = std::stoi(r->get_header_value("Retry-After"));
  EXPECT_GT(retry, 14 * 60);
  EXPECT_LE(retry, 15 * 60 + 1);
  // The web sign-in says the same.
  auto web =
      Client().Post("/signin", "username=u-viewer&password=x", "application/x-www-form-urlencoded");
  EXPECT_EQ(web->status, 429);
  EXPECT_FALSE(web->get_header_value("Retry-After").empty());
  EXPECT_THAT(web->body, HasSubstr("too many failed sign-ins"));
}

TEST_F(AccessTest, SignInIssuesANewSessionIdWhateverTheBrowserSent) {
  const std::string planted = "rampart_session=" + RandomToken(32);
  auto r = Client().Post("/api/v1/auth/login", {{"Cookie", planted}},
                         Json{{"username", "u-viewer"}, {"password", kPassword}}.dump(),
                         "application/json");
  ASSERT_EQ(r->status, 200);
  const std::string cookie = r->get_header_value("Set-Cookie");
  EXPECT_THAT(cookie, ::testing::StartsWith("rampart_session="));
  EXPECT_EQ(cookie.find(planted), std::string::npos);
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("SameSite=Strict"));
  EXPECT_EQ(Get("/api/v1/auth/me", {{"Cookie", planted}})->status, 401);
}

TEST_F(AccessTest, SigningOutInvalidatesTheSessionEverywhere) {
  const Session s = SignIn("u-auditor", kPassword);
  ASSERT_EQ(Get("/api/v1/auth/me", SessionHeaders(s))->status, 200);
  auto out = Client().Post("/api/v1/auth/logout", SessionHeaders(s), "", "application/json");
  EXPECT_EQ(out->status, 204);
  EXPECT_THAT(out->get_header_value("Set-Cookie"), HasSubstr("Max-Age=0"));
  EXPECT_EQ(Get("/api/v1/auth/me", SessionHeaders(s))->status, 401);
  EXPECT_EQ(Get("/context-issues", SessionHeaders(s))->status, 303);  // to /signin
}

TEST_F(AccessTest, DisablingAUserEndsTheirSessionsAndTokensAtOnce) {
  auto token = services_->members.CreateToken("u-isms_manager", "", "ci", false, "");
  ASSERT_TRUE(token.ok());
  const Session& s = sessions_[Role::kIsmsManager];
  ASSERT_EQ(Get("/api/v1/context-issues", Bearer(*token))->status, 200);
  auto r = Patch("/api/v1/users/" + std::to_string(user_ids_[Role::kIsmsManager]),
                 Json{{"disabled", true}}, "");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r)["disabled"], true);
  EXPECT_EQ(Get("/api/v1/context-issues", Bearer(*token))->status, 401);
  EXPECT_EQ(Get("/api/v1/auth/me", SessionHeaders(s))->status, 401);
  auto again = Client().Post("/api/v1/auth/login",
                             Json{{"username", "u-isms_manager"}, {"password", kPassword}}.dump(),
                             "application/json");
  EXPECT_EQ(again->status, 401);
}

TEST_F(AccessTest, AStateChangeByGetAnswers405WithAllow) {
  for (const char* path : {"/api/v1/auth/logout", "/signout", "/api/v1/auth/password"}) {
    auto r = Get(path, SessionHeaders(sessions_[Role::kAdmin]));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 405) << path;
    EXPECT_EQ(r->get_header_value("Allow"), "POST") << path;
  }
  auto del = Client().Delete("/api/v1/context-issues", Bearer());
  EXPECT_EQ(del->status, 405);
  EXPECT_EQ(del->get_header_value("Allow"), "GET, POST");
  // A pattern with a group: its own methods, whatever the record.
  auto post = Client().Post("/api/v1/context-issues/12345", Bearer(), "{}", "application/json");
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "DELETE, GET, PATCH, PUT");
  EXPECT_EQ(Get("/api/v1/auth/me", SessionHeaders(sessions_[Role::kAdmin]))->status, 200);
}

TEST_F(AccessTest, ACrossSiteStateChangeIsRefusedEvenWithAValidSession) {
  const Session& s = sessions_[Role::kAdmin];
  for (const auto& [header, value] : std::vector<std::pair<std::string, std::string>>{
           {"Origin", "https://evil.example"}, {"Sec-Fetch-Site", "cross-site"}}) {
    auto h = SessionHeaders(s);
    h.emplace(header, value);
    auto r =
        Client().Post("/api/v1/context-issues", h,
                      Json{{"title", "csrf"}, {"kind", "internal"}}.dump(), "application/json");
    EXPECT_EQ(r->status, 403) << header;
  }
  // Without the CSRF token, too.
  auto r = Client().Post("/api/v1/context-issues", SessionHeaders(s, false),
                         Json{{"title", "csrf"}, {"kind", "internal"}}.dump(), "application/json");
  EXPECT_EQ(r->status, 403);
  EXPECT_THAT(Get("/api/v1/context-issues?q=csrf")->body, HasSubstr("\"data\":[]"));
}

// The second factor over HTTP: required for a role, enrolment, then sign-in with a code, a
// replayed code refused, and a user who must enrol can do nothing else meanwhile.
TEST_F(AccessTest, ARequiredSecondFactorBlocksEverythingButEnrolment) {
  auto req = Client().Patch("/api/v1/organisation", SessionHeaders(sessions_[Role::kAdmin]),
                            Json{{"second_factor_roles", {"auditor"}}}.dump(), "application/json");
  ASSERT_EQ(req->status, 200) << req->body;
  const Session& s = sessions_[Role::kAuditor];
  auto blocked = Get("/api/v1/context-issues", SessionHeaders(s));
  EXPECT_EQ(blocked->status, 403);
  EXPECT_THAT(blocked->body, HasSubstr("second factor"));
  EXPECT_EQ(Get("/context-issues", SessionHeaders(s))->get_header_value("Location"),
            "/account/second-factor");
  const Enrolment enrolled = EnrolOverHttp(SessionHeaders(s));
  const std::string& code = enrolled.code;
  EXPECT_EQ(enrolled.recovery.size(), 10u);
  EXPECT_EQ(Get("/api/v1/context-issues", SessionHeaders(s))->status, 200);

  // Signing in again needs the code; the code used at enrolment is spent.
  auto no_code = Client().Post("/api/v1/auth/login",
                               Json{{"username", "u-auditor"}, {"password", kPassword}}.dump(),
                               "application/json");
  EXPECT_EQ(no_code->status, 401);
  EXPECT_EQ(Error(no_code), "unauthenticated/totp");
  auto replay =
      Client().Post("/api/v1/auth/login",
                    Json{{"username", "u-auditor"}, {"password", kPassword}, {"totp", code}}.dump(),
                    "application/json");
  EXPECT_EQ(replay->status, 401);
  EXPECT_EQ(Error(replay), "unauthenticated/totp");
  const std::string recovery = enrolled.recovery.at(0);
  auto with_recovery = Client().Post(
      "/api/v1/auth/login",
      Json{{"username", "u-auditor"}, {"password", kPassword}, {"totp", recovery}}.dump(),
      "application/json");
  EXPECT_EQ(with_recovery->status, 200) << with_recovery->body;
  EXPECT_EQ(Body(with_recovery)["second_factor"], true);
}

// After everything above, no secret appears in a later response: tokens, session ids, TOTP
// secrets and recovery codes are shown once, at creation, and never again.
TEST_F(AccessTest, SecretsAreShownOnceAndNeverAgain) {
  // Everything the servers of this test binary have logged (the access log, errors).
  const auto logged = [] {
    std::string all;
    for (const auto& line : LogCapture()->last_formatted()) all += line;
    return all;
  };
  const Session& s = sessions_[Role::kExecutive];
  auto created =
      Client().Post("/api/v1/auth/tokens", SessionHeaders(s),
                    Json{{"name", "report"}, {"read_only", true}}.dump(), "application/json");
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string token = Body(created)["token"];
  const Enrolment enrolled = EnrolOverHttp(SessionHeaders(s));
  const std::string secret = enrolled.secret;
  ASSERT_FALSE(enrolled.recovery.empty());
  const std::string recovery = enrolled.recovery[0];
  const std::string session_id = s.cookie.substr(s.cookie.find('=') + 1);

  std::string everything;
  for (const char* path :
       {"/api/v1/auth/tokens", "/api/v1/auth/sessions", "/api/v1/auth/me",
        "/api/v1/auth/second-factor", "/api/v1/users", "/api/v1/audit/events?limit=1000",
        "/account", "/account/tokens", "/account/sessions", "/account/second-factor", "/audit"}) {
    auto r = Get(path, SessionHeaders(s));
    ASSERT_TRUE(r);
    everything += r->body;
    auto admin = Get(path, SessionHeaders(sessions_[Role::kAdmin]));
    everything += admin->body;
  }
  // A sign-in with a password in the body and a token in a header, logged like any request.
  Client().Post("/api/v1/auth/login",
                Json{{"username", "u-viewer"}, {"password", kPassword}}.dump(), "application/json");
  Get("/api/v1/auth/me", Bearer(token));
  const std::string log = logged();
  EXPECT_THAT(log, HasSubstr("POST /api/v1/auth/login 200"));
  EXPECT_THAT(log, HasSubstr("GET /api/v1/auth/me 200"));
  for (const std::string& secret_value :
       {token, secret, recovery, session_id, std::string(kPassword), std::string(kAlicePassword)}) {
    EXPECT_EQ(everything.find(secret_value), std::string::npos) << secret_value;
    EXPECT_EQ(log.find(secret_value), std::string::npos) << secret_value;
  }
}

// The audit trail records the security events, each with who did it.
TEST_F(AccessTest, TheTrailRecordsSecurityEvents) {
  const Session& admin = sessions_[Role::kAdmin];
  auto h = SessionHeaders(admin);
  Client().Post("/api/v1/auth/login", Json{{"username", "u-viewer"}, {"password", "wrong"}}.dump(),
                "application/json");
  const std::string viewer = "/api/v1/users/" + std::to_string(user_ids_[Role::kViewer]);
  ASSERT_EQ(Client().Patch(viewer, h, Json{{"role", "auditor"}}.dump(), "application/json")->status,
            200);
  auto token =
      Client().Post("/api/v1/auth/tokens", h, Json{{"name", "ci"}}.dump(), "application/json");
  ASSERT_EQ(token->status, 201);
  ASSERT_EQ(Client()
                .Delete("/api/v1/auth/tokens/" + std::to_string(Body(token)["id"].get<int>()), h)
                ->status,
            204);
  ASSERT_EQ(Client().Delete(viewer + "/sessions", h)->status, 200);
  ASSERT_EQ(Client().Patch(viewer, h, Json{{"disabled", true}}.dump(), "application/json")->status,
            200);
  EnrolOverHttp(h);

  std::map<std::string, Json> last;  // newest event per action
  const Json events = Body(Get("/api/v1/audit/events?limit=1000"));
  for (const auto& e : events["data"]) {
    if (!last.count(e["action"])) last[e["action"]] = e;
  }
  for (const char* action : {"sign_in", "sign_in_failed", "change_role", "create", "revoke",
                             "end_sessions", "disable", "enable_second_factor"}) {
    EXPECT_TRUE(last.count(action)) << action;
  }
  EXPECT_EQ(last["sign_in_failed"]["actor"], "u-viewer");
  EXPECT_EQ(last["change_role"]["actor"], "u-admin");
  EXPECT_EQ(last["change_role"]["diff"]["role"]["from"], "viewer");
  EXPECT_EQ(last["change_role"]["diff"]["role"]["to"], "auditor");
  EXPECT_EQ(last["revoke"]["record_type"], "api_token");
  EXPECT_EQ(last["disable"]["record_id"], user_ids_[Role::kViewer]);
  EXPECT_EQ(last["enable_second_factor"]["actor"], "u-admin");
}

// Security assessment finding 4: Globex's administrator added Acme's account to Globex (201 with
// its display name and second-factor status), learnt which names exist ("user exists already"),
// and Acme's administrator then got 409 managing their own member. Now a taken name is an
// invitation with one answer for every name, the account joins only when its holder accepts, and
// the organisation that created the account keeps control of it.
TEST_F(CrossOrganisationTest, AnAdministratorLearnsNothingAboutAnotherOrganisationsAccounts) {
  auto admin =
      Post("/api/v1/users", Json{{"username", "u-admin"}, {"role", "viewer"}}, Bearer(gary_));
  ASSERT_EQ(admin->status, 202) << admin->body;
  EXPECT_EQ(Body(admin), (Json{{"status", "invited"}, {"username", "u-admin"}}));
  auto viewer = Post("/api/v1/users",
                     Json{{"username", "u-viewer"}, {"role", "viewer"}, {"password", kPassword}},
                     Bearer(gary_));
  ASSERT_EQ(viewer->status, 202) << viewer->body;
  EXPECT_EQ(Body(viewer), (Json{{"status", "invited"}, {"username", "u-viewer"}}));
  // Nobody joined: Globex's list and lookups show neither.
  const Json globex_members = Body(Get("/api/v1/users", Bearer(gary_)));
  for (const auto& m : globex_members["data"]) {
    EXPECT_NE(m["username"], "u-admin");
    EXPECT_NE(m["username"], "u-viewer");
  }
  const std::string victim = "/api/v1/users/" + std::to_string(user_ids_[Role::kViewer]);
  EXPECT_EQ(Get(victim, Bearer(gary_))->status, 404);
  EXPECT_EQ(Call("POST", victim + "/reset-password", Bearer(gary_))->status, 404);

  // u-viewer sees the invitation and accepts it.
  const auto h = SessionHeaders(sessions_[Role::kViewer]);
  const Json mine = Body(Get("/api/v1/auth/invitations", h));
  ASSERT_EQ(mine["data"].size(), 1u) << mine;
  EXPECT_EQ(mine["data"][0]["organisation"], "Globex");
  EXPECT_EQ(mine["data"][0]["role"], "viewer");
  EXPECT_EQ(mine["data"][0]["invited_by"], "gary");
  const std::string id = std::to_string(mine["data"][0]["id"].get<int64_t>());
  EXPECT_EQ(Call("POST", "/api/v1/auth/invitations/" + id + "/accept", Bearer(gary_))->status, 404);
  auto accepted =
      Client().Post("/api/v1/auth/invitations/" + id + "/accept", h, "", "application/json");
  ASSERT_EQ(accepted->status, 200) << accepted->body;
  EXPECT_EQ(Body(accepted)["organisation"], "Globex");
  EXPECT_EQ(Get(victim, Bearer(gary_))->status, 200);

  // Globex manages the membership only; the account stays Acme's to manage.
  auto by_gary = Call("POST", victim + "/reset-password", Bearer(gary_));
  EXPECT_EQ(by_gary->status, 409) << by_gary->body;
  EXPECT_THAT(by_gary->body, HasSubstr("joined this organisation by invitation"));
  auto disable =
      Client().Patch(victim, Bearer(gary_), Json{{"disabled", true}}.dump(), "application/json");
  EXPECT_EQ(disable->status, 409) << disable->body;
  EXPECT_FALSE(store_->GetUser(user_ids_[Role::kViewer])->disabled);
  // u-viewer's Acme session is neither listed to gary nor ended by him.
  auto sessions = Get(victim + "/sessions", Bearer(gary_));
  ASSERT_EQ(sessions->status, 200);
  EXPECT_TRUE(Body(sessions)["data"].empty()) << sessions->body;
  EXPECT_EQ(Body(Client().Delete(victim + "/sessions", Bearer(gary_)))["ended"], 0);
  EXPECT_EQ(Get("/api/v1/auth/me", h)->status, 200);
  // Acme's administrator keeps full control (the old code answered 409 here).
  auto by_alice = Client().Post(victim + "/reset-password", Bearer(), "", "application/json");
  EXPECT_EQ(by_alice->status, 200) << by_alice->body;
  // The new one-time password comes with when it stops working (72 hours on).
  EXPECT_THAT(
      Body(by_alice)["one_time_password_expires_at"].get<std::string>(),
      ::testing::MatchesRegex(
          R"([0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9]Z)"))
      << by_alice->body;
  auto disabled =
      Client().Patch(victim, Bearer(), Json{{"disabled", true}}.dump(), "application/json");
  EXPECT_EQ(disabled->status, 200) << disabled->body;
  EXPECT_TRUE(store_->GetUser(user_ids_[Role::kViewer])->disabled);
}

// Finding 14: Acme's verification count moved when Globex wrote.
TEST_F(CrossOrganisationTest, AuditVerificationReportsOnlyTheCallersOrganisation) {
  const Json before = Body(Get("/api/v1/audit/verify"));
  ASSERT_EQ(before["intact"], true);
  auto r = Post("/api/v1/context-issues", Json{{"title", "Globex again"}, {"kind", "external"}},
                Bearer(gary_));
  ASSERT_EQ(r->status, 201) << r->body;
  const Json after = Body(Get("/api/v1/audit/verify"));
  EXPECT_EQ(after["intact"], true);
  EXPECT_EQ(after["events"], before["events"]);
  EXPECT_EQ(after["head_hash"], before["head_hash"]);
  const Json globex = Body(Get("/api/v1/audit/verify", Bearer(gary_)));
  EXPECT_NE(globex["head_hash"], after["head_hash"]);
}

TEST_F(AccessTest, WronglyTypedValuesAreRefusedNotIgnored) {
  const auto h = SessionHeaders(sessions_[Role::kAdmin]);
  auto token =
      Client().Post("/api/v1/auth/tokens", h, Json{{"name", "ci"}, {"expires_on", 20300101}}.dump(),
                    "application/json");
  EXPECT_EQ(token->status, 400);
  EXPECT_EQ(Error(token), "invalid_argument/expires_on");
  const std::string target = "/api/v1/users/" + std::to_string(target_id_);
  auto expiry = Client().Patch(target, h, Json{{"expires_on", false}}.dump(), "application/json");
  EXPECT_EQ(expiry->status, 400);
  EXPECT_EQ(Error(expiry), "invalid_argument/expires_on");
  auto both = Client().Patch(target, h, Json{{"role", "admin"}, {"disabled", true}}.dump(),
                             "application/json");
  EXPECT_EQ(both->status, 400);
  EXPECT_EQ(Error(both), "invalid_argument/disabled");
  const Json after = Body(Get(target));
  EXPECT_EQ(after["role"], "viewer");
  EXPECT_EQ(after["disabled"], false);
  EXPECT_TRUE(Body(Get("/api/v1/auth/tokens", h))["data"].empty());
}

// Guessing second-factor codes on a signed-in session counts like failed sign-ins.
TEST_F(AccessTest, GuessingCodesOnASignedInSessionIsThrottled) {
  const auto h = SessionHeaders(sessions_[Role::kIsmsManager]);
  EnrolOverHttp(h);
  for (int i = 0; i < 5; ++i) {
    auto r = Client().Post("/api/v1/auth/second-factor/recovery-codes", h,
                           Json{{"code", "00000" + std::to_string(i)}}.dump(), "application/json");
    ASSERT_EQ(r->status, 400) << r->body;
  }
  auto r = Client().Post("/api/v1/auth/second-factor/recovery-codes", h,
                         Json{{"code", "000009"}}.dump(), "application/json");
  EXPECT_EQ(r->status, 429);
}

// Throttling per address cannot be dodged by a forged X-Forwarded-For unless the server is told
// that a proxy sets it; behind one, the proxy's last entry is the client.
TEST_F(AccessTest, ForwardedForIsTrustedOnlyBehindAProxy) {
  for (int i = 0; i < 5; ++i) {
    auto r =
        Client().Post("/api/v1/auth/login", {{"X-Forwarded-For", "203.0.113." + std::to_string(i)}},
                      Json{{"username", "nobody-" + std::to_string(i)}, {"password", "x"}}.dump(),
                      "application/json");
    ASSERT_EQ(r->status, 401);
  }
  auto r = Client().Post("/api/v1/auth/login", {{"X-Forwarded-For", "198.51.100.1"}},
                         Json{{"username", "u-viewer"}, {"password", kPassword}}.dump(),
                         "application/json");
  EXPECT_EQ(r->status, 429);

  http::HttpRequest req;
  req.remote_addr = "10.0.0.5";
  req.headers.emplace("X-Forwarded-For", "192.0.2.77, 198.51.100.9");
  EXPECT_EQ(http::ClientAddress(req, false), "10.0.0.5");
  EXPECT_EQ(http::ClientAddress(req, true), "198.51.100.9");
  http::HttpRequest direct;
  direct.remote_addr = "10.0.0.6";
  EXPECT_EQ(http::ClientAddress(direct, true), "10.0.0.6");
}

// Removing someone from an organisation ends their access there at once and keeps them
// elsewhere; the account itself is untouched.
TEST_F(CrossOrganisationTest, RemovingAMemberEndsTheirAccessToThatOrganisationOnly) {
  // u-auditor (Acme's) accepts gary's invitation to Globex.
  auto invited =
      Post("/api/v1/users", Json{{"username", "u-auditor"}, {"role", "viewer"}}, Bearer(gary_));
  ASSERT_EQ(invited->status, 202);
  const Session& s = sessions_[Role::kAuditor];
  const Json mine = Body(Get("/api/v1/auth/invitations", SessionHeaders(s)));
  ASSERT_EQ(mine["data"].size(), 1u);
  auto joined = Client().Post("/api/v1/auth/invitations/" +
                                  std::to_string(mine["data"][0]["id"].get<int64_t>()) + "/accept",
                              SessionHeaders(s), "", "application/json");
  ASSERT_EQ(joined->status, 200) << joined->body;
  auto token = services_->members.CreateToken("u-auditor", "Acme Ltd", "ci", false, "");
  ASSERT_TRUE(token.ok());
  const std::string member = "/api/v1/users/" + std::to_string(user_ids_[Role::kAuditor]);
  // Disabling the account is for its home's (Acme's) administrators; Globex can only remove.
  EXPECT_EQ(Client()
                .Patch(member, Bearer(gary_), Json{{"disabled", true}}.dump(), "application/json")
                ->status,
            409);
  auto removed = Client().Delete(member, Bearer());
  ASSERT_EQ(removed->status, 204) << removed->body;
  EXPECT_EQ(Get("/api/v1/auth/me", SessionHeaders(s))->status, 401);
  EXPECT_EQ(Get("/api/v1/context-issues", Bearer(*token))->status, 401);
  // Still in Globex, with the same password.
  auto there = Client().Post("/api/v1/auth/login",
                             Json{{"username", "u-auditor"}, {"password", kPassword}}.dump(),
                             "application/json");
  ASSERT_EQ(there->status, 200) << there->body;
  EXPECT_EQ(Body(there)["organisation"]["name"], "Globex");
  EXPECT_FALSE(store_->GetUser(user_ids_[Role::kAuditor])->disabled);
  // The trail says who removed whom; a role and no end date bring them back.
  const Json events = Body(Get("/api/v1/audit/events?limit=5"));
  bool recorded = false;
  for (const auto& e : events["data"]) {
    recorded = recorded || (e["action"] == "remove_member" && e["actor"] == "alice");
  }
  EXPECT_TRUE(recorded);
  auto back = Patch(member, Json{{"role", "auditor"}, {"expires_on", ""}}, "");
  ASSERT_EQ(back->status, 200) << back->body;
  EXPECT_EQ(
      Client()
          .Post("/api/v1/auth/login",
                Json{{"username", "u-auditor"}, {"password", kPassword}}.dump(), "application/json")
          ->status,
      200);
  // Nobody removes themselves or the last administrator.
  auto self =
      Client().Delete("/api/v1/users/" + std::to_string(store_->FindUser("alice")->id), Bearer());
  EXPECT_EQ(self->status, 409);
}

}  // namespace
}  // namespace rampart::testing

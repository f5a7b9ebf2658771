// The server-rendered pages: forms with inline errors, escaping, the SWOT view, the scope, and
// the access pages (account, people, organisation) with the controls each role is offered.
#include <fmt/format.h>

#include <regex>

#include "api_fixture.h"
#include "base/text.h"
#include "base/totp.h"
#include "domain/risk.h"

namespace rampart::testing {
namespace {

class WebPages : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    session_ = SignIn("alice", kAlicePassword);
  }
  httplib::Result Page(const std::string& path) {
    return Client().Get(path, {{"Cookie", session_.cookie}});
  }
  httplib::Result Submit(const std::string& path, const std::string& form) {
    return SubmitAs(session_, path, form);
  }
  httplib::Result SubmitAs(const Session& s, const std::string& path, const std::string& form) {
    return Client().Post(path, {{"Cookie", s.cookie}}, form + "&_csrf=" + UrlEncode(s.csrf),
                         "application/x-www-form-urlencoded");
  }
  httplib::Result PageAs(const Session& s, const std::string& path) {
    return Client().Get(path, {{"Cookie", s.cookie}});
  }
  // A member of Acme with a password of their own, signed in.
  Session Member(const std::string& username, domain::Role role) {
    auto added = services_->members.AddUser(
        "", app::NewMember{.username = username, .role = role, .password = kMemberPassword});
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    member_id_ = added.ok() ? added->user.id : 0;
    return SignIn(username, kMemberPassword);
  }
  // The first match of `pattern`'s group in `body`, or empty.
  static std::string Find(const std::string& body, const std::string& pattern) {
    std::smatch m;
    return std::regex_search(body, m, std::regex(pattern)) ? m[1].str() : std::string();
  }
  static bool Has(const httplib::Result& r, const std::string& text) {
    return r->body.find(text) != std::string::npos;
  }

  static constexpr const char* kMemberPassword = "a member's own passphrase";
  Session session_;
  int64_t member_id_ = 0;
};

TEST_F(WebPages, AFormCreatesAContextIssueAndRedirectsToIt) {
  auto r = Submit("/context-issues",
                  "title=Ransomware+trend&kind=external&swot=threat&pestle=technological");
  ASSERT_EQ(r->status, 303) << r->body;
  const std::string location = r->get_header_value("Location");
  EXPECT_EQ(location.rfind("/context-issues/", 0), 0u);
  auto page = Page(location);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Ransomware trend"), std::string::npos);
  EXPECT_NE(page->body.find("History"), std::string::npos);
  auto swot = Page("/context-issues/swot");
  ASSERT_EQ(swot->status, 200);
  const auto threats = swot->body.find("swot-threat");
  ASSERT_NE(threats, std::string::npos);
  EXPECT_NE(swot->body.find("Ransomware trend", threats), std::string::npos);
}

TEST_F(WebPages, ABadSubmissionShowsTheErrorBesideTheFieldAndKeepsTheInput) {
  auto r = Submit("/context-issues", "title=&kind=internal&swot=threat&description=kept+text");
  ASSERT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("id=\"title-error\""), std::string::npos);
  EXPECT_NE(r->body.find("Title is required"), std::string::npos);
  EXPECT_NE(r->body.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(r->body.find("kept text"), std::string::npos);
  EXPECT_EQ(Body(Get("/api/v1/context-issues?total=true"))["total"], 0);
}

TEST_F(WebPages, UserTextIsEscapedEverywhere) {
  const std::string xss = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
  const Json j =
      CreateIssue(xss, "internal", {{"swot", "weakness"}, {"description", xss}, {"effect", xss}});
  const std::string id = std::to_string(j["id"].get<int64_t>());
  const std::vector<std::string> pages = {"/context-issues",
                                          "/context-issues/" + id,
                                          "/context-issues/" + id + "/edit",
                                          "/context-issues/swot",
                                          "/",
                                          "/audit"};
  for (const auto& path : pages) {
    auto page = Page(path);
    ASSERT_EQ(page->status, 200) << path;
    EXPECT_EQ(page->body.find("<script>alert"), std::string::npos) << path;
    EXPECT_EQ(page->body.find("<img src=x"), std::string::npos) << path;
  }
  EXPECT_NE(Page("/context-issues/" + id)->body.find("&lt;script&gt;alert(1)&lt;/script&gt;"),
            std::string::npos);
}

TEST_F(WebPages, EditingWithAStaleVersionIsRefusedAndExplained) {
  const Json j = CreateIssue("Shared record");
  const std::string id = std::to_string(j["id"].get<int64_t>());
  ASSERT_EQ(
      Patch("/api/v1/context-issues/" + id, {{"title", "Changed by someone"}}, "\"1\"")->status,
      200);
  auto r = Submit("/context-issues/" + id, "version=1&title=Mine&kind=internal&status=active");
  EXPECT_EQ(r->status, 412);
  EXPECT_NE(r->body.find("Someone else changed this record"), std::string::npos);
  EXPECT_EQ(Body(Get("/api/v1/context-issues/" + id))["title"], "Changed by someone");
}

TEST_F(WebPages, RequirementRowsAreAddedThroughTheForm) {
  auto r = Submit("/interested-parties",
                  "name=Key+customer&type=customer"
                  "&requirements%5B0%5D%5Btext%5D=ISO+27001+certificate"
                  "&requirements%5B0%5D%5Bsource%5D=contractual"
                  "&requirements%5B0%5D%5Baddressed%5D=true"
                  "&requirements%5B0%5D%5Bhow%5D=Certification+project"
                  "&requirements%5B1%5D%5Btext%5D=&requirements%5B1%5D%5Bsource%5D=");
  ASSERT_EQ(r->status, 303) << r->body;
  const Json parties = Body(Get("/api/v1/interested-parties"))["data"];
  ASSERT_EQ(parties.size(), 1u);
  ASSERT_EQ(parties[0]["requirements"].size(), 1u);
  EXPECT_EQ(parties[0]["requirements"][0]["addressed"], true);
}

TEST_F(WebPages, TheCurrentScopeIsOneClickAway) {
  auto none = Page("/scope/current");
  EXPECT_EQ(none->status, 303);
  EXPECT_EQ(none->get_header_value("Location"), "/scope");
  auto draft = Post("/api/v1/scope",
                    {{"title", "Scope"}, {"statement", "All of Acme."}, {"units", {"Acme"}}});
  const std::string id = std::to_string(Body(draft)["id"].get<int64_t>());
  auto approve = Submit("/scope/" + id + "/approve", "version=1");
  ASSERT_EQ(approve->status, 303) << approve->body;
  auto current = Page("/scope/current");
  EXPECT_EQ(current->get_header_value("Location"), "/scope/" + id);
  auto list = Page("/scope");
  EXPECT_NE(list->body.find("href=\"/scope/" + id + "\""), std::string::npos);
  EXPECT_NE(list->body.find("The ISMS scope in force is version 1"), std::string::npos);
  EXPECT_NE(list->body.find("Read the version in force"), std::string::npos);
}

TEST_F(WebPages, TwoScopeVersionsAreComparedSideBySide) {
  auto draft =
      Post("/api/v1/scope", {{"title", "Scope 2026"},
                             {"statement", "All of Acme."},
                             {"units", {"Acme"}},
                             {"exclusions", {{{"item", "Shop"}, {"justification", "Closed"}}}}});
  const std::string v1 = std::to_string(Body(draft)["id"].get<int64_t>());
  ASSERT_EQ(Submit("/scope/" + v1 + "/approve", "version=1")->status, 303);
  // The approved version offers a new draft and the comparison, not editing.
  auto approved = Page("/scope/" + v1);
  EXPECT_TRUE(Has(approved, "action=\"/scope/" + v1 + "/new-draft\""));
  EXPECT_TRUE(Has(approved, "href=\"/scope/compare?to=" + v1 + "\""));
  EXPECT_FALSE(Has(approved, "href=\"/scope/" + v1 + "/edit\""));
  auto next = Submit("/scope/" + v1 + "/new-draft", "");
  ASSERT_EQ(next->status, 303);
  const std::string v2 = Find(next->get_header_value("Location"), "/scope/(\\d+)/edit");
  ASSERT_FALSE(v2.empty());
  ASSERT_EQ(Patch("/api/v1/scope/" + v2,
                  {{"title", "Scope <2027>"},
                   {"exclusions",
                    {{{"item", "Shop"}, {"justification", "Sold"}},
                     {{"item", "Yard"}, {"justification", "Leased out"}}}}},
                  "\"1\"")
                ->status,
            200);

  auto page = Page("/scope/compare?from=" + v1 + "&to=" + v2);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_TRUE(Has(page, "6 fields differ between Version 1 and Version 2."));
  EXPECT_TRUE(Has(page, "<td class=\"compare-to\">Scope &lt;2027&gt;</td>"));
  EXPECT_TRUE(Has(page, "<del>Closed</del> → <ins>Sold</ins>"));
  EXPECT_TRUE(Has(page, "<tr class=\"row-added\">"));
  EXPECT_TRUE(Has(page, "<option value=\"" + v1 + "\" selected>Version 1 — Approved"));
  // Without `from`, a version is compared with the one before it.
  EXPECT_TRUE(Has(Page("/scope/compare?to=" + v2), "between Version 1 and Version 2"));
  // A version of another organisation, or none, is not found.
  auto missing = Page("/scope/compare?from=999&to=" + v2);
  EXPECT_EQ(missing->status, 404);
  EXPECT_TRUE(Has(missing, "These versions cannot be compared"));
}

TEST_F(WebPages, StaticAssetsAreServedFromTheBinary) {
  auto css = Client().Get("/static/app.css");
  ASSERT_EQ(css->status, 200);
  EXPECT_EQ(css->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_FALSE(css->get_header_value("ETag").empty());
  EXPECT_EQ(Client().Get("/static/../../etc/passwd")->status, 404);
  EXPECT_EQ(Client().Get("/static/missing.css")->status, 404);
}

TEST_F(WebPages, AViewerIsOfferedNoEditingControlsAndIsRefusedAnyway) {
  const std::string id = std::to_string(CreateIssue("Supplier concentration")["id"].get<int64_t>());
  const Session viewer = Member("vera", domain::Role::kViewer);
  auto list = PageAs(viewer, "/context-issues");
  ASSERT_EQ(list->status, 200);
  EXPECT_TRUE(Has(list, "Supplier concentration"));
  EXPECT_FALSE(Has(list, "href=\"/context-issues/new\""));
  auto detail = PageAs(viewer, "/context-issues/" + id);
  ASSERT_EQ(detail->status, 200);
  EXPECT_FALSE(Has(detail, "/context-issues/" + id + "/edit"));
  EXPECT_FALSE(Has(detail, "/context-issues/" + id + "/delete"));
  EXPECT_FALSE(Has(PageAs(viewer, "/context-issues/swot"), "/context-issues/new"));
  // Nor administration or the audit trail in the navigation.
  auto overview = PageAs(viewer, "/");
  EXPECT_FALSE(Has(overview, "href=\"/admin/users\""));
  EXPECT_FALSE(Has(overview, "href=\"/audit\""));
  EXPECT_TRUE(Has(Page("/"), "href=\"/admin/users\""));

  EXPECT_EQ(SubmitAs(viewer, "/context-issues", "title=Sneaky&kind=internal")->status, 403);
  EXPECT_EQ(SubmitAs(viewer, "/context-issues/" + id + "/delete", "version=1")->status, 403);
  EXPECT_EQ(PageAs(viewer, "/admin/users")->status, 403);
  EXPECT_EQ(Body(Get("/api/v1/context-issues?total=true"))["total"], 1);
}

TEST_F(WebPages, AContributorIsOfferedEditingOnlyOfRecordsNamingThem) {
  const Session carl = Member("carl", domain::Role::kContributor);
  const std::string own = std::to_string(
      CreateIssue("Carl's issue", "internal", {{"owner", member_id_}})["id"].get<int64_t>());
  const std::string other = std::to_string(CreateIssue("Someone else's")["id"].get<int64_t>());
  EXPECT_TRUE(Has(PageAs(carl, "/context-issues/" + own), "/context-issues/" + own + "/edit"));
  EXPECT_FALSE(Has(PageAs(carl, "/context-issues/" + other), "/context-issues/" + other + "/edit"));
  // New records start with them as owner, so that they may create them.
  EXPECT_TRUE(Has(PageAs(carl, "/context-issues"), "href=\"/context-issues/new\""));
  auto form = PageAs(carl, "/context-issues/new");
  ASSERT_EQ(form->status, 200);
  EXPECT_TRUE(Has(form, "<option value=\"" + std::to_string(member_id_) + "\" selected>"));
}

TEST_F(WebPages, AddingAPersonShowsTheOneTimePasswordOnlyInTheAnswer) {
  auto r = Submit("/admin/users", "username=bob&display_name=Bob+Builder&role=auditor&expires_on=");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  const std::string otp = Find(r->body, "id=\"one-time-password\"[^>]*>([^<]+)<");
  ASSERT_FALSE(otp.empty());
  auto login =
      Client().Post("/api/v1/auth/login", Json{{"username", "bob"}, {"password", otp}}.dump(),
                    "application/json");
  ASSERT_EQ(login->status, 200) << login->body;
  EXPECT_EQ(Body(login)["must_change_password"], true);
  auto again = Page("/admin/users");
  EXPECT_TRUE(Has(again, "Bob Builder"));
  EXPECT_FALSE(Has(again, otp));
}

TEST_F(WebPages, ABadNewPersonShowsTheErrorAtItsFieldAndAddsNobody) {
  const size_t before = Body(Get("/api/v1/users"))["data"].size();
  auto r = Submit("/admin/users", "username=eve&role=external_auditor&expires_on=");
  ASSERT_EQ(r->status, 400);
  EXPECT_TRUE(Has(r, "id=\"expires_on-error\""));
  EXPECT_TRUE(Has(r, "value=\"eve\""));
  auto bad_role = Submit("/admin/users", "username=eve&role=superuser");
  ASSERT_EQ(bad_role->status, 400);
  EXPECT_TRUE(Has(bad_role, "id=\"role-error\""));
  EXPECT_TRUE(Has(bad_role, "<option value=\"\" selected disabled>"));
  EXPECT_FALSE(Has(bad_role, "<option value=\"admin\" selected>"));
  auto bad_name = Submit("/admin/users", "username=Eve+Smith&role=viewer");
  ASSERT_EQ(bad_name->status, 400);
  EXPECT_TRUE(Has(bad_name, "id=\"username-error\""));
  EXPECT_EQ(Body(Get("/api/v1/users"))["data"].size(), before);
}

TEST_F(WebPages, AMembersRoleIsChangedAndRefusedChangesKeepTheForm) {
  Member("vera", domain::Role::kViewer);
  const std::string page = "/admin/users/" + std::to_string(member_id_);
  auto saved = Submit(page, "role=executive&expires_on=");
  ASSERT_EQ(saved->status, 303) << saved->body;
  EXPECT_EQ(Body(Get("/api/v1/users/" + std::to_string(member_id_)))["role"], "executive");
  auto refused = Submit(page, "role=external_auditor&expires_on=");
  ASSERT_EQ(refused->status, 400);
  EXPECT_TRUE(Has(refused, "id=\"expires_on-error\""));
  EXPECT_TRUE(Has(refused, "<option value=\"external_auditor\" selected>"));
  EXPECT_EQ(Body(Get("/api/v1/users/" + std::to_string(member_id_)))["role"], "executive");
  // Administrators cannot disable themselves; the page says why and changes nothing.
  const std::string alice = std::to_string(Body(Get("/api/v1/auth/me"))["user_id"].get<int64_t>());
  auto self = Submit("/admin/users/" + alice + "/disable", "");
  EXPECT_EQ(self->status, 409);
  EXPECT_TRUE(Has(self, "id=\"error-summary\""));
}

TEST_F(WebPages, ANewApiTokenIsShownOnceAndIsReadOnlyWhenAskedTo) {
  auto r = Submit("/account/tokens", "name=Nightly+export&read_only=true&expires_on=");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  const std::string token = Find(r->body, "id=\"new-token\"[^>]*value=\"(rpt_[^\"]+)\"");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(Get("/api/v1/context-issues", Bearer(token))->status, 200);
  EXPECT_EQ(
      Post("/api/v1/context-issues", {{"title", "x"}, {"kind", "internal"}}, Bearer(token))->status,
      403);
  auto list = Page("/account/tokens");
  EXPECT_TRUE(Has(list, "Nightly export"));
  EXPECT_FALSE(Has(list, token));
  auto nameless = Submit("/account/tokens", "name=&expires_on=");
  EXPECT_EQ(nameless->status, 400);
  EXPECT_TRUE(Has(nameless, "id=\"name-error\""));
}

TEST_F(WebPages, SecondFactorSetUpShowsTheQrCodeThenTheRecoveryCodesOnce) {
  auto start = Submit("/account/second-factor/start", "");
  ASSERT_EQ(start->status, 200) << start->body;
  EXPECT_TRUE(Has(start, "<svg"));
  std::string secret = Find(start->body, "id=\"totp-secret\">([A-Z2-7 ]+)<");
  secret.erase(std::remove(secret.begin(), secret.end(), ' '), secret.end());
  ASSERT_EQ(secret.size(), 32u);
  const auto key = Base32Decode(secret);
  ASSERT_TRUE(key);
  // A wrong code: the error at the field, and the same key again.
  auto wrong = Submit("/account/second-factor/confirm", "secret=" + secret + "&code=12345");
  ASSERT_EQ(wrong->status, 400);
  EXPECT_TRUE(Has(wrong, "id=\"confirm-code-error\""));
  EXPECT_TRUE(Has(wrong, "<svg"));
  const std::string code = TotpCode(*key, ToUnixSeconds(clock_.Now()));
  auto confirmed = Submit("/account/second-factor/confirm", "secret=" + secret + "&code=" + code);
  ASSERT_EQ(confirmed->status, 200) << confirmed->body;
  EXPECT_EQ(confirmed->get_header_value("Cache-Control"), "no-store");
  const std::regex item("<li><code>([0-9a-z]{5}-[0-9a-z]{5})</code></li>");
  const auto n =
      std::distance(std::sregex_iterator(confirmed->body.begin(), confirmed->body.end(), item),
                    std::sregex_iterator());
  EXPECT_EQ(n, 10);
  const std::string first = Find(confirmed->body, "<li><code>([0-9a-z-]+)</code></li>");
  auto status = Page("/account/second-factor");
  EXPECT_FALSE(Has(status, first));
  EXPECT_EQ(Find(status->body, "id=\"recovery-codes-left\">(\\d+)"), "10");
}

TEST_F(WebPages, TheSecondFactorPolicyIsSavedFromItsCheckboxes) {
  auto saved = Submit("/admin/organisation",
                      "second_factor_roles=viewer&second_factor_roles=external_auditor");
  ASSERT_EQ(saved->status, 303) << saved->body;
  auto org = Body(Get("/api/v1/organisation"));
  EXPECT_EQ(org["second_factor_roles"], Json({"viewer", "external_auditor"}));
  auto bad = Submit("/admin/organisation", "second_factor_roles=viewer&second_factor_roles=root");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Body(Get("/api/v1/organisation"))["second_factor_roles"], org["second_factor_roles"]);
  auto page = Page("/admin/organisation");
  EXPECT_TRUE(Has(page, "value=\"viewer\" checked"));
  EXPECT_FALSE(Has(page, "value=\"auditor\" checked"));
}

// Finding 4 on the pages: a taken name is an invitation with the same words for every name, which
// its holder accepts from their account page.
TEST_F(WebPages, ATakenNameIsAnInvitationAcceptedOnTheAccountPage) {
  auto beta = services_->members.AddOrganisation("Beta Ltd");
  ASSERT_TRUE(beta.ok());
  ASSERT_TRUE(services_->members
                  .AddUser("Beta Ltd", app::NewMember{.username = "bea",
                                                      .role = domain::Role::kAdmin,
                                                      .password = kMemberPassword})
                  .ok());
  const Session bea = SignIn("bea", kMemberPassword);
  // alice (Acme) adds "bea", who belongs to Beta: an invitation, not a member.
  auto r = Submit("/admin/users", "username=bea&display_name=&role=viewer&expires_on=");
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_TRUE(Has(r, "The user name bea is taken, so an invitation to Acme"));
  EXPECT_FALSE(Has(r, "one-time-password"));
  auto unknown_taken = Submit("/admin/users", "username=alice&display_name=&role=viewer");
  EXPECT_EQ(unknown_taken->status, 409);  // alice is Acme's own member: that may be said
  // bea is told on her home page and accepts on her account page.
  auto home = PageAs(bea, "/");
  EXPECT_TRUE(Has(home, "Acme Ltd invites you to join.")) << home->body;
  EXPECT_TRUE(Has(home, "href=\"/account\""));
  auto account = PageAs(bea, "/account");
  ASSERT_EQ(account->status, 200);
  EXPECT_TRUE(Has(account, "Invitations"));
  EXPECT_TRUE(Has(account, "alice invites you as Viewer."));
  const std::string action = Find(account->body, "action=\"(/account/invitations/[0-9]+/accept)\"");
  ASSERT_FALSE(action.empty()) << account->body;
  auto accepted = SubmitAs(bea, action, "x=1");
  ASSERT_EQ(accepted->status, 303) << accepted->body;
  EXPECT_EQ(accepted->get_header_value("Location"), "/account?notice=accepted");
  auto after = PageAs(bea, "/account?notice=accepted");
  EXPECT_TRUE(Has(after, "You have joined the organisation."));
  EXPECT_FALSE(Has(after, "invitations-title"));
  EXPECT_TRUE(Has(Page("/admin/users"), "bea"));
  // Answering it again: the page says what went wrong.
  auto again = SubmitAs(bea, action, "x=1");
  EXPECT_EQ(again->status, 404);
  EXPECT_TRUE(Has(again, "The invitation was not answered"));
}

TEST_F(WebPages, AMemberOfTwoOrganisationsSwitchesFromTheSidebar) {
  EXPECT_FALSE(Has(Page("/"), "id=\"org-switch\""));
  auto beta = services_->members.AddOrganisation("Beta Ltd");
  ASSERT_TRUE(beta.ok());
  ASSERT_TRUE(
      services_->members
          .AddUser("Beta Ltd", app::NewMember{.username = "alice", .role = domain::Role::kViewer})
          .ok());
  auto overview = Page("/");
  EXPECT_TRUE(Has(overview, "id=\"org-switch\""));
  auto moved = Submit("/account/organisation", "org_id=" + std::to_string(beta->id));
  ASSERT_EQ(moved->status, 303);
  EXPECT_EQ(moved->get_header_value("Location"), "/?notice=organisation");
  EXPECT_TRUE(Has(Page("/?notice=organisation"), "You are now working in Beta Ltd."));
  // A viewer in Beta: no administration there.
  EXPECT_EQ(Page("/admin/users")->status, 403);
  auto nowhere = Submit("/account/organisation", "org_id=999999");
  EXPECT_EQ(nowhere->status, 404);
  EXPECT_TRUE(Has(Page("/"), "Beta Ltd"));
}

TEST_F(WebPages, UserTextIsEscapedOnTheAccessPages) {
  const std::string xss = "<script>alert(1)</script>";
  ASSERT_EQ(
      Submit("/admin/users", "username=mallory&role=viewer&display_name=" + UrlEncode(xss))->status,
      201);
  ASSERT_EQ(Submit("/account/tokens", "name=" + UrlEncode(xss))->status, 201);
  ASSERT_EQ(Submit("/account/profile", "display_name=" + UrlEncode(xss))->status, 303);
  const std::string mallory =
      std::to_string(Body(Get("/api/v1/users"))["data"].back()["id"].get<int64_t>());
  const std::vector<std::string> pages = {"/admin/users",      "/admin/users/" + mallory,
                                          "/account",          "/account/tokens",
                                          "/account/sessions", "/admin/organisation"};
  for (const auto& path : pages) {
    auto page = Page(path);
    ASSERT_EQ(page->status, 200) << path;
    EXPECT_FALSE(Has(page, "<script>alert")) << path;
  }
}

// The pages post multipart forms: a long text (over the 8 KiB that Debian's cpp-httplib allows
// url-encoded bodies) is saved, and the CSRF token is read from the multipart body too.
TEST_F(WebPages, AFormWithALongTextIsSavedAsMultipart) {
  const auto form = Page("/context-issues/new");
  ASSERT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("enctype=\"multipart/form-data\""), std::string::npos);
  const std::string long_text(9000, 'x');
  httplib::MultipartFormDataItems items = {{"_csrf", session_.csrf, "", ""},
                                           {"title", "Long effect", "", ""},
                                           {"kind", "internal", "", ""},
                                           {"effect", long_text, "", ""}};
  auto r = Client().Post("/context-issues", {{"Cookie", session_.cookie}}, items);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303) << r->body.substr(0, 300);
  const Json list = Body(Get("/api/v1/context-issues?q=Long%20effect"));
  ASSERT_EQ(list["data"].size(), 1u);
  EXPECT_EQ(list["data"][0]["effect"], long_text);
  // Without the token, refused.
  httplib::MultipartFormDataItems forged = {{"title", "Forged", "", ""},
                                            {"kind", "internal", "", ""}};
  auto refused = Client().Post("/context-issues", {{"Cookie", session_.cookie}}, forged);
  EXPECT_EQ(refused->status, 403);
}

// The overview's "Recent changes" card reads the audit trail: only roles that may read the trail
// see it (it used to tell a viewer "Nothing has changed yet" whatever had changed).
TEST_F(WebPages, RecentChangesAreShownOnlyToRolesThatMayReadTheAuditTrail) {
  CreateIssue("Supplier concentration");
  const Session viewer = Member("vera", domain::Role::kViewer);
  auto theirs = PageAs(viewer, "/");
  ASSERT_EQ(theirs->status, 200);
  EXPECT_FALSE(Has(theirs, "Recent changes"));
  EXPECT_FALSE(Has(theirs, "Nothing has changed yet"));
  auto admins = Page("/");
  ASSERT_EQ(admins->status, 200);
  EXPECT_TRUE(Has(admins, "Recent changes"));
  EXPECT_TRUE(Has(admins, "href=\"/context-issues/"));
}

TEST_F(WebPages, LoadingTheShippedCatalogueSaysHowManyWereAdded) {
  auto first = Submit("/threats/catalogue", "x=1");
  ASSERT_EQ(first->status, 303);
  const std::string location = first->get_header_value("Location");
  const std::string n = Find(location, "notice=catalogue-([0-9]+)$");
  ASSERT_FALSE(n.empty()) << location;
  EXPECT_GT(std::stoi(n), 10);
  EXPECT_EQ(std::to_string(Body(Get("/api/v1/threats?total=true"))["total"].get<int64_t>()), n);
  EXPECT_TRUE(Has(Page(location), "Added " + n + " threats from the shipped catalogue."));
  auto again = Submit("/threats/catalogue", "x=1");
  ASSERT_EQ(again->status, 303);
  EXPECT_EQ(again->get_header_value("Location"), "/threats?notice=catalogue-0");
  EXPECT_TRUE(Has(Page("/threats?notice=catalogue-0"), "already here: nothing was added"));
  // A notice is only ever one of the product's own sentences.
  EXPECT_FALSE(Has(Page("/threats?notice=catalogue-%3Cb%3E"), "Added"));
}

// Lists page forward and back and say where the page is: "51–100 of 120 context issues".
TEST_F(WebPages, AListPagesForwardAndBackAndSaysWhichRecordsItShows) {
  for (int i = 0; i < 120; ++i) {
    char title[16];
    std::snprintf(title, sizeof title, "Issue %03d", i);
    CreateIssue(title);
  }
  const auto count = [](const httplib::Result& r) {
    return Find(r->body, "<span class=\"count\"[^>]*>([^<]*)</span>");
  };
  const auto link = [](const httplib::Result& r, const std::string& text) {
    std::string href = Find(r->body, "<a href=\"([^\"]*)\"[^>]*>" + text + "</a>");
    for (size_t at = href.find("&amp;"); at != std::string::npos; at = href.find("&amp;", at + 1)) {
      href.replace(at, 5, "&");
    }
    return href;
  };
  auto first = Page("/context-issues?sort=title");
  ASSERT_EQ(first->status, 200);
  EXPECT_EQ(count(first), "1–50 of 120 context issues");
  EXPECT_EQ(link(first, "← Previous page"), "");
  const std::string next = link(first, "Next page →");
  ASSERT_NE(next.find("&page=2"), std::string::npos) << next;
  auto second = Page(next);
  EXPECT_EQ(count(second), "51–100 of 120 context issues");
  EXPECT_TRUE(Has(second, "Issue 050"));
  EXPECT_FALSE(Has(second, "Issue 049"));
  // Back from page 2 is the first page itself.
  EXPECT_EQ(link(second, "← Previous page"), "/context-issues?sort=title");
  auto third = Page(link(second, "Next page →"));
  EXPECT_EQ(count(third), "101–120 of 120 context issues");
  EXPECT_EQ(link(third, "Next page →"), "");
  EXPECT_EQ(link(third, "« First page"), "/context-issues?sort=title");
  auto back = Page(link(third, "← Previous page"));
  EXPECT_EQ(count(back), "51–100 of 120 context issues");
  EXPECT_EQ(Find(back->body, "(Issue [0-9]+)"), "Issue 050");
  EXPECT_NE(link(back, "Next page →").find("&page=3"), std::string::npos);
  // A page number that is not one is ignored, not an error.
  auto odd = Page(next.substr(0, next.find("&page=")) + "&page=x");
  ASSERT_EQ(odd->status, 200);
  EXPECT_EQ(count(odd), "120 context issues");
}

// A list page counts the matching records up to 1,000 (kPageTotalLimit) and no further: a
// thousand are counted exactly, one more reads "more than 1,000" (each a one-transaction import).
TEST_F(WebPages, AListCountsUpToAThousandAndSaysMoreBeyond) {
  const auto import = [this](int from, int to) {
    std::string csv = "Title;Internal or external\n";
    for (int i = from; i < to; ++i) csv += fmt::format("Issue {:04d};Internal\n", i);
    httplib::MultipartFormDataItems items = {{"file", csv, "import.csv", "text/csv"},
                                             {"apply", "true", "", ""}};
    auto r = Client().Post("/api/v1/context-issues/import", {{"Authorization", "Bearer " + token_}},
                           items);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body.substr(0, 500);
    ASSERT_EQ(Body(r)["summary"]["created"], to - from) << r->body.substr(0, 500);
  };
  const auto count = [](const httplib::Result& r) {
    return Find(r->body, "<span class=\"count\"[^>]*>([^<]*)</span>");
  };
  import(0, 1000);
  EXPECT_EQ(count(Page("/context-issues?sort=title")), "1–50 of 1,000 context issues");
  import(1000, 1001);
  EXPECT_EQ(count(Page("/context-issues?sort=title")), "1–50 of more than 1,000 context issues");
  // A filter that matches fewer is counted exactly again; the API counts everything.
  EXPECT_EQ(count(Page("/context-issues?sort=title&q=Issue%20099")), "10 context issues");
  EXPECT_EQ(Body(Get("/api/v1/context-issues?total=true"))["total"], 1001);
}

// The treatment plan pages by risk like the register lists: 50 risks a page with every action
// of each, the count of risks and rows, the pager, and the toolbar's filters kept in the export.
TEST_F(WebPages, TheTreatmentPlanPagesByRiskAndKeepsItsFiltersInTheExport) {
  for (int i = 0; i < 55; ++i) {
    char title[16];
    std::snprintf(title, sizeof title, "Risk %03d", i);
    Json risk{{"title", title},
              {"inherent_likelihood", 3},
              {"inherent_impact", 3},
              {"treatment", "modify"},
              {"status", "treatment_planned"}};
    if (i == 0) {
      risk["actions"] = {{{"action", "Late"}, {"due", "2020-01-01"}, {"status", "open"}},
                         {{"action", "B"}, {"status", "open"}}};
    }
    auto r = Post("/api/v1/risks", risk);
    ASSERT_EQ(r->status, 201) << r->body;
  }
  const auto count = [](const httplib::Result& r) {
    return Find(r->body, "<span class=\"count\"[^>]*>([^<]*)</span>");
  };
  auto first = Page("/risks/treatment-plan");
  ASSERT_EQ(first->status, 200);
  EXPECT_EQ(count(first), "1–50 of 55 risks · 51 rows · 1 overdue");
  EXPECT_TRUE(Has(first, "Risk 049"));
  EXPECT_FALSE(Has(first, "Risk 050"));
  std::string next = Find(first->body, "<a href=\"([^\"]*)\"[^>]*>Next page →</a>");
  ASSERT_NE(next.find("&amp;page=2"), std::string::npos) << next;
  for (size_t at = next.find("&amp;"); at != std::string::npos; at = next.find("&amp;", at + 1)) {
    next.replace(at, 5, "&");
  }
  auto second = Page(next);
  ASSERT_EQ(second->status, 200);
  EXPECT_EQ(count(second), "51–55 of 55 risks · 5 rows");
  EXPECT_TRUE(Has(second, "Risk 054"));
  EXPECT_FALSE(Has(second, "Risk 049"));
  // The toolbar's search narrows the plan and the export links carry it.
  auto searched = Page("/risks/treatment-plan?q=Risk%20054&status=");
  ASSERT_EQ(searched->status, 200);
  EXPECT_EQ(count(searched), "1 risk · 1 row");
  EXPECT_TRUE(Has(searched, "/api/v1/risks/treatment-plan/export?q=Risk%20054&amp;format=csv"));
  auto nothing = Page("/risks/treatment-plan?q=nothing%20like%20it");
  EXPECT_TRUE(Has(nothing, "Nothing matches"));
  auto bad = Page("/risks/treatment-plan?sort=colour");
  EXPECT_EQ(bad->status, 400);
  EXPECT_TRUE(Has(bad, "cannot sort risks by"));
}

// A refused delete names and links the records that still refer to the record.
TEST_F(WebPages, ARefusedDeleteLinksTheRecordsThatReferToIt) {
  auto asset = Post("/api/v1/assets", {{"name", "Data centre"}, {"type", "service"}});
  ASSERT_EQ(asset->status, 201) << asset->body;
  const int64_t asset_id = Body(asset)["id"].get<int64_t>();
  auto risk = Post("/api/v1/risks",
                   {{"title", "Flood <in> the basement"}, {"assets", Json::array({asset_id})}});
  ASSERT_EQ(risk->status, 201) << risk->body;
  const std::string risk_id = std::to_string(Body(risk)["id"].get<int64_t>());
  auto refused = Submit("/assets/" + std::to_string(asset_id) + "/delete", "version=1");
  EXPECT_EQ(refused->status, 409);
  EXPECT_TRUE(Has(refused, "1 risk (&quot;Flood &lt;in&gt; the basement&quot;)")) << refused->body;
  EXPECT_TRUE(Has(refused, "<a href=\"/risks/" + risk_id + "\">Flood &lt;in&gt; the basement</a>"));
  EXPECT_EQ(Get("/api/v1/assets/" + std::to_string(asset_id))->status, 200);
}

// The history names referred-to records by title, linked to them, and says what changed inside a
// table row rather than counting rows.
TEST_F(WebPages, HistoryNamesRecordsByTitleAndShowsWhatChangedInATableRow) {
  auto asset = [&](const std::string& name) {
    auto r = Post("/api/v1/assets", {{"name", name}, {"type", "service"}});
    EXPECT_EQ(r->status, 201) << r->body;
    return std::to_string(Body(r)["id"].get<int64_t>());
  };
  const std::string mail = asset("Mail <server>");
  const std::string laptops = asset("Laptops");
  auto bob = services_->members.AddUser(
      "", app::NewMember{
              .username = "bob", .display_name = "Bob Stone", .role = domain::Role::kContributor});
  ASSERT_TRUE(bob.ok()) << bob.status().ToString();
  auto risk =
      Post("/api/v1/risks", {{"title", "Ransomware"},
                             {"assets", Json::array({std::stoll(mail)})},
                             {"actions",
                              {{{"action", "Deploy EDR"}, {"owner", nullptr}, {"status", "open"}},
                               {{"action", "Buy a safe"}, {"status", "open"}}}}});
  ASSERT_EQ(risk->status, 201) << risk->body;
  const std::string id = std::to_string(Body(risk)["id"].get<int64_t>());
  const int64_t alice = Body(risk)["created_by"].get<int64_t>();
  ASSERT_EQ(Patch("/api/v1/risks/" + id,
                  {{"assets", Json::array({std::stoll(mail), std::stoll(laptops)})},
                   {"actions",
                    {{{"action", "Deploy EDR"}, {"owner", bob->user.id}, {"status", "in_progress"}},
                     {{"action", "Patch servers"}, {"owner", alice}, {"status", "open"}}}}},
                  "\"1\"")
                ->status,
            200);
  auto page = Page("/risks/" + id);
  ASSERT_EQ(page->status, 200);
  const std::string history = page->body.substr(page->body.find("id=\"history-title\""));
  const std::string mail_link = "<a href=\"/assets/" + mail + "\">Mail &lt;server&gt;</a>";
  const std::string laptops_link = "<a href=\"/assets/" + laptops + "\">Laptops</a>";
  // Created: the assets by title; changed: before and after, by title.
  EXPECT_NE(history.find("<td class=\"diff-value\"><span class=\"ref-list\">" + mail_link +
                         "</span></td>"),
            std::string::npos)
      << history;
  EXPECT_NE(history.find("<td class=\"diff-from\"><span class=\"ref-list\">" + mail_link +
                         "</span></td><td class=\"diff-to\"><span class=\"ref-list\">" + mail_link +
                         ", " + laptops_link + "</span></td>"),
            std::string::npos)
      << history;
  EXPECT_EQ(history.find("<span class=\"ref-list\">#"), std::string::npos);
  // The treatment actions, row by row.
  EXPECT_NE(history.find("<li class=\"row-changed\">action &#39;Deploy EDR&#39;: owner — → Bob "
                         "Stone, status Open → In progress</li>"),
            std::string::npos)
      << history;
  EXPECT_NE(history.find("<li class=\"row-removed\">removed action &#39;Buy a safe&#39;</li>"),
            std::string::npos);
  EXPECT_NE(history.find("<li class=\"row-added\">added action &#39;Patch servers&#39; (owner "
                         "alice, status Open)</li>"),
            std::string::npos);
  EXPECT_EQ(history.find("entries"), std::string::npos);
  // The first event lists the rows it was created with.
  EXPECT_NE(history.find("<li>Deploy EDR (status Open)</li><li>Buy a safe (status Open)</li>"),
            std::string::npos);
}

// The methodology's fields as its form posts them: a table's cells as name[row][column], a set of
// choices in a row once per ticked value, an unticked box and an empty cell not at all.
std::string MethodologyForm(const Json& fields) {
  std::string form = "title=" + UrlEncode(fields["title"].get<std::string>()) +
                     "&assessment_interval_months=" + fields["assessment_interval_months"].dump();
  for (const char* table : {"likelihood_scale", "impact_scale", "risk_levels"}) {
    for (size_t i = 0; i < fields[table].size(); ++i) {
      for (const auto& [column, value] : fields[table][i].items()) {
        const std::string name = "&" + UrlEncode(fmt::format("{}[{}][{}]", table, i, column)) + "=";
        if (value.is_array()) {
          for (const auto& item : value) form += name + UrlEncode(item.get<std::string>());
        } else if (value.is_string()) {
          form += name + UrlEncode(value.get<std::string>());
        } else if (value.is_number_integer()) {
          form += name + value.dump();
        } else if (value == true) {
          form += name + "true";
        }
      }
    }
  }
  return form;
}

// Issue 12 B12: a level's colour is a colour input; the roles that may accept it are checkboxes
// labelled with the roles' names, ticked as saved, and saved as a list of role ids.
TEST_F(WebPages, TheMethodologyFormPicksColoursAndTicksTheRolesThatMayAccept) {
  Json fields = domain::DefaultMethodologyFields();
  fields["title"] = "Risk methodology 2026";
  auto created = Post("/api/v1/risk-methodology", fields);
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string id = std::to_string(Body(created)["id"].get<int64_t>());
  const Json saved = Body(created)["risk_levels"];
  ASSERT_EQ(saved[0]["accepted_by"], Json::array({"isms_manager", "executive"}));
  ASSERT_EQ(saved[3]["accepted_by"], Json::array({"executive"}));

  auto edit = Page("/risk-methodology/" + id + "/edit");
  ASSERT_EQ(edit->status, 200);
  EXPECT_EQ(
      Find(edit->body,
           R"re(<input type="color" [^>]*name="risk_levels\[0\]\[colour\]" value="([^"]*)")re"),
      saved[0]["colour"].get<std::string>());
  EXPECT_TRUE(Has(edit,
                  "<label class=\"check\"><input type=\"checkbox\" "
                  "name=\"risk_levels[3][accepted_by]\" value=\"executive\" checked> "
                  "Executive</label>"));
  EXPECT_TRUE(Has(edit,
                  "<label class=\"check\"><input type=\"checkbox\" "
                  "name=\"risk_levels[3][accepted_by]\" value=\"admin\"> "
                  "Administrator</label>"));
  EXPECT_TRUE(Has(edit,
                  "<label class=\"check\"><input type=\"checkbox\" "
                  "name=\"risk_levels[0][accepted_by]\" value=\"isms_manager\" checked> "
                  "ISMS manager</label>"));
  EXPECT_EQ(Find(edit->body, R"re((<input type="text"[^>]*name="risk_levels\[0\]\[colour\]"))re"),
            "");

  // Ticks Administrator and Executive on the top level and picks a colour in capitals.
  fields["risk_levels"][3]["accepted_by"] = Json::array({"executive", "admin"});
  fields["risk_levels"][0]["colour"] = "#12AB34";
  auto submitted = Submit("/risk-methodology/" + id, "version=1&" + MethodologyForm(fields));
  ASSERT_EQ(submitted->status, 303) << submitted->body;
  const Json after = Body(Get("/api/v1/risk-methodology/" + id));
  EXPECT_EQ(after["version"], 2);
  EXPECT_EQ(after["risk_levels"][3]["accepted_by"], Json::array({"admin", "executive"}));
  EXPECT_EQ(after["risk_levels"][0]["accepted_by"], saved[0]["accepted_by"]);
  EXPECT_EQ(after["risk_levels"][0]["colour"], "#12ab34");
  // The record's page names the roles.
  auto page = Page("/risk-methodology/" + id);
  EXPECT_TRUE(Has(page, "Administrator, Executive"));
}

// Issue 12 B12: an acceptance shows the risk as it was accepted with labels and names (owner by
// name, options by label, controls by title, actions as a table), not the JSON it is kept in.
TEST_F(WebPages, AnAcceptanceShowsTheAcceptedRiskReadablyNotItsJson) {
  const Json me = Body(Get("/api/v1/auth/me"));
  auto control = Post("/api/v1/controls", Json{{"name", "Full-disk encryption"}});
  ASSERT_EQ(control->status, 201) << control->body;
  auto risk =
      Post("/api/v1/risks", Json{{"title", "Laptop theft"},
                                 {"owner", me["user_id"]},
                                 {"inherent_likelihood", 2},
                                 {"inherent_impact", 2},
                                 {"residual_likelihood", 1},
                                 {"residual_impact", 2},
                                 {"controls", Json::array({Body(control)["id"]})},
                                 {"treatment", "modify"},
                                 {"status", "analysed"},
                                 {"actions", Json::array({Json{{"action", "Encrypt every laptop"},
                                                               {"owner", me["user_id"]},
                                                               {"status", "in_progress"}}})}});
  ASSERT_EQ(risk->status, 201) << risk->body;
  const std::string risk_id = std::to_string(Body(risk)["id"].get<int64_t>());
  httplib::Headers h = Bearer();
  h.emplace("If-Match", "\"1\"");
  auto accepted = Post("/api/v1/risks/" + risk_id + "/acceptance",
                       Json{{"decision", "accepted"}, {"comment", "Low once encrypted"}}, h);
  ASSERT_EQ(accepted->status, 201) << accepted->body;
  const std::string id = std::to_string(Body(accepted)["id"].get<int64_t>());

  auto page = Page("/risk-acceptances/" + id);
  ASSERT_EQ(page->status, 200);
  const auto start = page->body.find("<h2 id=\"snapshot-title\">The risk as decided on</h2>");
  ASSERT_NE(start, std::string::npos);
  const std::string snapshot =
      page->body.substr(start, page->body.find("</section>", start) - start);
  EXPECT_NE(snapshot.find("Revision 1 of <a href=\"/risks/" + risk_id +
                          "\">the risk</a>, rated "
                          "under the built-in default methodology."),
            std::string::npos)
      << snapshot;
  EXPECT_NE(snapshot.find("<dd>Laptop theft</dd>"), std::string::npos);
  EXPECT_NE(snapshot.find("<dd>" + me["display_name"].get<std::string>() + "</dd>"),
            std::string::npos)
      << snapshot;
  EXPECT_NE(snapshot.find("<dd>Modify (reduce)</dd>"), std::string::npos) << snapshot;
  EXPECT_NE(snapshot.find("<dd>Analysed</dd>"), std::string::npos);
  EXPECT_NE(snapshot.find("<dd>Low</dd>"), std::string::npos);
  EXPECT_NE(snapshot.find(">Full-disk encryption</a>"), std::string::npos);
  EXPECT_NE(snapshot.find("<td>Encrypt every laptop</td>"), std::string::npos);
  EXPECT_NE(snapshot.find("<td>In progress</td>"), std::string::npos);
  EXPECT_NE(page->body.find("recorded (shown on the record&#39;s page)"), std::string::npos);
  // No JSON anywhere on the page: not the snapshot's, not a field's, not the history's.
  const size_t json = page->body.find("{&quot;");
  EXPECT_EQ(json, std::string::npos)
      << page->body.substr(json == std::string::npos ? 0 : json - 300, 600);
  EXPECT_EQ(page->body.find("{\""), std::string::npos);
  EXPECT_EQ(page->body.find("&quot;fields&quot;"), std::string::npos);
}

}  // namespace
}  // namespace rampart::testing

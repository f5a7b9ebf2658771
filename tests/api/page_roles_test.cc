// Every page as every role (issue 12 B5: only what you may do is offered). Generated from the
// routes the server registered, like the role matrix of access_test.cc, so a new page or form is
// covered: each form a page offers posts to a route the role's permissions allow (and, for a role
// holding only records:edit-own, to a record naming it), each link to a form page leads to a
// page the role may use, and what the role may do on a page is offered there (new, edit and
// delete for those who may change the records; approve, accept, catalogue, the SoA's decisions,
// a treatment action's status for its owner). The expectations come from the permission table
// (domain::Can), the router's guards (http::Authorise) and the default methodology's acceptance
// criteria, not from the pages' own helpers.
#include <gmock/gmock.h>

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "api_fixture.h"
#include "base/text.h"
#include "domain/registers.h"
#include "domain/risk.h"
#include "domain/risk_methodology.h"
#include "http/router.h"

namespace rampart::testing {
namespace {

using domain::Permission;
using domain::RegisterSpec;
using domain::Role;

constexpr const char* kPassword = "a long enough passphrase";

struct SeededRecord {
  const RegisterSpec* spec;
  int64_t id;
  int64_t owner;  // the user its user fields name
};

class PageRoles : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    alice_id_ = Body(Get("/api/v1/auth/me"))["user_id"].get<int64_t>();
    AddMemberOfEachRole(kPassword, user_ids_, sessions_);
    if (HasFatalFailure()) return;
    const int64_t contributor = user_ids_[Role::kContributor];
    // Two records of each register: one naming the contributor, one naming alice.
    std::map<std::string, int64_t> first_ids;  // by path: what later registers' records name
    for (const auto* spec : domain::AllRegisters()) {
      if (spec->workflow_only) continue;
      for (const int64_t owner : {contributor, alice_id_}) {
        Json body = SampleRecord(*spec, owner, RefsByType(first_ids));
        for (const auto& f : spec->fields) {  // distinct texts, where a register wants them unique
          if (f.type == domain::FieldType::kText && body.contains(f.name)) {
            body[f.name] = body[f.name].get<std::string>() + " " + std::to_string(owner);
          }
        }
        auto r = Post("/api/v1/" + spec->path, body);
        ASSERT_TRUE(r);
        ASSERT_EQ(r->status, 201) << spec->path << ": " << r->body;
        records_.push_back({spec, Body(r)["id"].get<int64_t>(), owner});
        first_ids.emplace(spec->path, records_.back().id);
      }
    }
    // A risk ready for a decision (Low under the default methodology), owned by alice, whose
    // first treatment action the contributor owns.
    auto risk = Post(
        "/api/v1/risks",
        Json{
            {"title", "Laptop theft"},
            {"owner", alice_id_},
            {"inherent_likelihood", 2},
            {"inherent_impact", 2},
            {"treatment", "modify"},
            {"status", "treatment_planned"},
            {"actions",
             Json::array({{{"action", "Encrypt disks"}, {"owner", contributor}, {"status", "open"}},
                          {{"action", "Buy a safe"}, {"status", "open"}}})}});
    ASSERT_EQ(risk->status, 201) << risk->body;
    rated_risk_ = Body(risk)["id"].get<int64_t>();
    records_.push_back({&domain::Risks(), rated_risk_, alice_id_});
    // Evidence on the contributor's context issue, for its delete form.
    for (const auto& rec : records_) {
      if (rec.spec->path != "context-issues" || rec.owner != contributor) continue;
      auto up = Client().Post(
          "/api/v1/context-issues/" + std::to_string(rec.id) + "/evidence", Bearer(),
          httplib::MultipartFormDataItems{{"file", "minutes\n", "minutes.txt", "text/plain"},
                                          {"title", "Minutes", "", ""}});
      ASSERT_EQ(up->status, 201) << up->body;
      evidence_record_[Body(up)["id"].get<int64_t>()] = rec;
    }
    for (const auto& route : server_->Routes()) {
      if (route.surface == http::Surface::kWeb) {
        web_routes_.push_back({route, std::regex(route.pattern)});
      }
    }
  }

  app::Principal PrincipalOf(Role role) {
    app::Principal p;
    p.role = role;
    p.user_id = user_ids_[role];
    return p;
  }

  // The web route that answers `method` `path`, or null.
  const http::RouteInfo* RouteFor(const std::string& method, const std::string& path) const {
    for (const auto& [route, re] : web_routes_) {
      if (route.method == method && std::regex_match(path, re)) return &route;
    }
    return nullptr;
  }

  const SeededRecord* RecordOf(const RegisterSpec& spec, int64_t id) const {
    for (const auto& r : records_) {
      if (r.spec == &spec && r.id == id) return &r;
    }
    return nullptr;
  }

  // The register whose pages `path` is under (the longest matching path), or null.
  static const RegisterSpec* RegisterOf(const std::string& path) {
    const RegisterSpec* found = nullptr;
    for (const auto* spec : domain::AllRegisters()) {
      const std::string base = "/" + spec->path;
      if (path == base || path.rfind(base + "/", 0) == 0) found = spec;
    }
    return found;
  }

  // The permission table's answer for changing a record of `spec` naming `owner` (or a new one,
  // which starts naming the caller).
  bool MayWrite(Role role, const RegisterSpec& spec, int64_t owner) {
    if (spec.workflow_only) return false;
    if (domain::Can(role, spec.write_permission)) return true;
    return spec.EditableByOwners() && domain::Can(role, Permission::kEditOwnRecords) &&
           owner == user_ids_[role];
  }

  // Importing changes any of a register's records: its write permission itself, for a register
  // written directly whose records are not approved versions.
  static bool MayImport(Role role, const RegisterSpec& spec) {
    return app::ImportService::Imports(spec) && domain::Can(role, spec.write_permission);
  }

  // The default methodology's acceptance criteria for the rated risk (alice's, level Low); the
  // other risks are not rated, so nobody may decide on them yet.
  bool MayAccept(Role role, int64_t risk) {
    if (risk != rated_risk_) return false;
    const auto m = domain::DefaultMethodology();
    const auto& level = m.levels[*domain::LevelOf(m, 2, 2)];
    const bool by_role =
        std::find(level.may_accept.begin(), level.may_accept.end(), role) != level.may_accept.end();
    return by_role || (level.may_retain && user_ids_[role] == alice_id_);
  }

  // The rated risk's action `row`: the permission table's answer for its status.
  bool MaySetActionStatus(Role role, int64_t row) {
    if (MayWrite(role, domain::Risks(), alice_id_)) return true;
    return row == 0 && domain::Can(role, Permission::kEditOwnRecords) &&
           user_ids_[role] == user_ids_[Role::kContributor];
  }

  // A route of records:edit-own reached by a role without records:edit: the record it acts on
  // must name the user (an evidence file: its record; a treatment action: the action).
  void ExpectOwnRecord(Role role, const std::string& path, const std::string& what) {
    std::smatch m;
    if (std::regex_match(path, m, std::regex(R"(/risks/(\d+)/actions/(\d+)/status)"))) {
      EXPECT_EQ(std::stoll(m[1]), rated_risk_) << what;
      EXPECT_TRUE(MaySetActionStatus(role, std::stoll(m[2]))) << what;
      return;
    }
    if (std::regex_match(path, m, std::regex(R"(/evidence/(\d+)/.*)"))) {
      const auto rec = evidence_record_.find(std::stoll(m[1]));
      ASSERT_NE(rec, evidence_record_.end()) << what;
      EXPECT_EQ(rec->second.owner, user_ids_[role]) << what;
      return;
    }
    const RegisterSpec* spec = RegisterOf(path);
    ASSERT_NE(spec, nullptr) << what;
    if (std::regex_match(path, m, std::regex("/" + spec->path + R"(/(\d+)(/.*)?)"))) {
      const SeededRecord* rec = RecordOf(*spec, std::stoll(m[1]));
      ASSERT_NE(rec, nullptr) << what;
      EXPECT_TRUE(MayWrite(role, *spec, rec->owner)) << what;
    } else {
      EXPECT_TRUE(MayWrite(role, *spec, user_ids_[role])) << what;
    }
  }

  // The route answering `method` `path` lets the role through (the router's guard) and, for a
  // role holding only records:edit-own, acts on something naming the user.
  void ExpectAllowed(Role role, const std::string& method, const std::string& path,
                     const std::string& what) {
    const http::RouteInfo* route = RouteFor(method, path);
    ASSERT_NE(route, nullptr) << what;
    EXPECT_TRUE(http::Authorise(route->guard, PrincipalOf(role), method != "GET").ok()) << what;
    if (route->guard.access == http::Access::kPermission &&
        route->guard.permission == Permission::kEditOwnRecords &&
        !domain::Can(role, Permission::kEditRecords)) {
      ExpectOwnRecord(role, path, what);
    }
  }

  // The concrete pages of a GET route: one per seeded record of its register for a record's
  // page, an Annex A control for the SoA's, a member for the people pages.
  std::vector<std::string> PagesOf(const std::string& pattern) const {
    const std::string group = R"((\d+))";
    const std::string control = R"((\d+\.\d+))";
    std::string path = pattern;
    if (const auto at = path.find(control); at != std::string::npos) {
      path.replace(at, control.size(), "5.1");
    }
    const std::string report = R"(([a-z0-9-]+))";
    if (const auto at = path.find(report); at != std::string::npos) {
      path.replace(at, report.size(), "risk-register");  // a report, as PDF
    }
    const auto at = path.find(group);
    if (at == std::string::npos) return {path};
    std::vector<std::string> out;
    const RegisterSpec* spec = RegisterOf(pattern.substr(0, at));
    for (const auto& r : records_) {
      if (r.spec != spec) continue;
      std::string p = path;
      out.push_back(p.replace(at, group.size(), std::to_string(r.id)));
    }
    if (pattern.rfind("/admin/users/", 0) == 0) {
      std::string p = path;
      out.push_back(p.replace(at, group.size(), std::to_string(user_ids_.at(Role::kViewer))));
    }
    return out;
  }

  static std::string Unescape(std::string s) {
    for (auto at = s.find("&amp;"); at != std::string::npos; at = s.find("&amp;", at + 1)) {
      s.replace(at, 5, "&");
    }
    return s;
  }
  // The paths (without query or fragment) of every match of `pattern`'s group.
  static std::set<std::string> PathsIn(const std::string& body, const std::string& pattern) {
    std::set<std::string> out;
    const std::regex re(pattern);
    for (auto it = std::sregex_iterator(body.begin(), body.end(), re); it != std::sregex_iterator();
         ++it) {
      std::string p = Unescape((*it)[1].str());
      p = p.substr(0, p.find_first_of("?#"));
      if (!p.empty() && p[0] == '/') out.insert(p);
    }
    return out;
  }

  int64_t alice_id_ = 0;
  int64_t rated_risk_ = 0;
  std::map<Role, int64_t> user_ids_;
  std::map<Role, Session> sessions_;
  std::vector<SeededRecord> records_;
  std::map<int64_t, SeededRecord> evidence_record_;
  std::vector<std::pair<http::RouteInfo, std::regex>> web_routes_;
};

TEST_F(PageRoles, EveryPageOffersEachRoleWhatItMayDoAndNothingElse) {
  std::vector<std::string> pages;
  for (const auto& [route, re] : web_routes_) {
    if (route.method != "GET" || route.guard.access == http::Access::kPublic ||
        route.guard.access == http::Access::kSecondFactorStep) {
      continue;
    }
    for (const auto& p : PagesOf(route.pattern)) pages.push_back(p);
  }
  ASSERT_GT(pages.size(), 40u);
  int forms = 0, links = 0;
  for (const auto& info : domain::AllRoles()) {
    const Role role = info.role;
    const app::Principal principal = PrincipalOf(role);
    const httplib::Headers headers = {{"Cookie", sessions_[role].cookie}};
    std::set<std::string> form_pages;  // linked to: each is opened once as this role
    for (const auto& page : pages) {
      const std::string what = page + " as " + std::string(info.name);
      const http::RouteInfo* route = RouteFor("GET", page);
      ASSERT_NE(route, nullptr) << what;
      auto r = Client().Get(page, headers);
      ASSERT_TRUE(r) << what;
      EXPECT_LT(r->status, 500) << what << ": " << r->body.substr(0, 300);
      if (!http::Authorise(route->guard, principal, false).ok()) {
        EXPECT_EQ(r->status, 403) << what;
        continue;
      }
      // A register's edit page for a record the role may not change answers 403, not a form.
      std::smatch m;
      const RegisterSpec* spec = RegisterOf(page);
      if (spec != nullptr &&
          std::regex_match(page, m, std::regex("/" + spec->path + R"(/(\d+)/edit)"))) {
        const SeededRecord* rec = RecordOf(*spec, std::stoll(m[1]));
        ASSERT_NE(rec, nullptr) << what;
        EXPECT_EQ(r->status, MayWrite(role, *spec, rec->owner) ? 200 : 403) << what;
      }
      if (r->status != 200) continue;
      const std::string& body = r->body;

      // Every form posts where the role may post.
      const auto actions = PathsIn(body, R"re(<form method="post" action="([^"]*)")re");
      const auto hrefs = PathsIn(body, R"re(href="([^"]*)")re");
      for (const auto& action : actions) {
        const std::string where = what + ": form to " + action;
        ExpectAllowed(role, "POST", action, where);
        if (std::regex_match(action, m, std::regex(R"(/risks/(\d+)/acceptance)"))) {
          EXPECT_TRUE(MayAccept(role, std::stoll(m[1]))) << where;
        }
        ++forms;
      }
      // Every link to a form page leads to one the role may use.
      for (const auto& href : hrefs) {
        if (!href.ends_with("/new") && !href.ends_with("/edit")) continue;
        const std::string where = what + ": link to " + href;
        ExpectAllowed(role, "GET", href, where);
        form_pages.insert(href);
        ++links;
      }

      // What the role may do here is offered.
      const auto offers_link = [&](const std::string& href) { return hrefs.count(href) > 0; };
      const auto offers_form = [&](const std::string& action) { return actions.count(action) > 0; };
      if (page == "/soa") {
        EXPECT_EQ(offers_link("/soa/5.1/edit"), domain::Can(role, Permission::kEditRecords))
            << what;
      }
      if (page == "/threats" || page == "/vulnerabilities") {
        EXPECT_EQ(offers_form(page + "/catalogue"), domain::Can(role, Permission::kEditRecords))
            << what;
      }
      if (spec == nullptr || spec->workflow_only) continue;
      if (page == "/" + spec->path) {
        EXPECT_EQ(offers_link(page + "/new"), MayWrite(role, *spec, user_ids_[role])) << what;
        EXPECT_EQ(offers_link(page + "/import"), MayImport(role, *spec)) << what;
        continue;
      }
      if (page == "/" + spec->path + "/import") {
        EXPECT_TRUE(MayImport(role, *spec)) << what;
        EXPECT_TRUE(offers_form(page)) << what;
        continue;
      }
      if (!std::regex_match(page, m, std::regex("/" + spec->path + R"(/(\d+))"))) continue;
      const SeededRecord* rec = RecordOf(*spec, std::stoll(m[1]));
      ASSERT_NE(rec, nullptr) << what;
      // Every seeded record is in an editable state (new, open, a draft).
      const bool may_write = MayWrite(role, *spec, rec->owner);
      EXPECT_EQ(offers_link(page + "/edit"), may_write) << what;
      EXPECT_EQ(offers_form(page + "/delete"), may_write) << what;
      if (spec->versions) {
        EXPECT_EQ(offers_form(page + "/approve"), domain::Can(role, Permission::kApprove)) << what;
      }
      if (spec == &domain::Risks()) {
        EXPECT_EQ(offers_form(page + "/acceptance"), MayAccept(role, rec->id)) << what;
        if (rec->id == rated_risk_) {
          EXPECT_EQ(offers_form(page + "/actions/0/status"), MaySetActionStatus(role, 0)) << what;
          EXPECT_EQ(offers_form(page + "/actions/1/status"), MaySetActionStatus(role, 1)) << what;
        }
      }
    }
    // The linked form pages open (none is a form that the role's save would be refused).
    for (const auto& href : form_pages) {
      auto r = Client().Get(href, headers);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 200) << href << " as " << info.name;
    }
  }
  EXPECT_GT(forms, 100);
  EXPECT_GT(links, 20);
}

// The issue's cases, spelled out: a contributor is not given the edit form of a risk they do not
// own (403 with the reason, and a save is refused without a form), and the acceptance form is
// not offered to viewers and auditors.
TEST_F(PageRoles, AContributorGetsNoFormForARiskTheyDoNotOwnNorViewersTheAcceptance) {
  const std::string risk = "/risks/" + std::to_string(rated_risk_);
  const httplib::Headers contributor = {{"Cookie", sessions_[Role::kContributor].cookie}};
  auto edit = Client().Get(risk + "/edit", contributor);
  ASSERT_TRUE(edit);
  EXPECT_EQ(edit->status, 403);
  EXPECT_THAT(edit->body, ::testing::HasSubstr("You cannot do this"));
  EXPECT_THAT(edit->body,
              ::testing::HasSubstr("may change only risks that name you as owner or assignee"));
  EXPECT_THAT(edit->body, ::testing::Not(::testing::HasSubstr("Save changes")));
  auto save =
      Client().Post(risk, contributor,
                    "title=Taken&version=1&_csrf=" + UrlEncode(sessions_[Role::kContributor].csrf),
                    "application/x-www-form-urlencoded");
  ASSERT_TRUE(save);
  EXPECT_EQ(save->status, 403);
  EXPECT_THAT(save->body, ::testing::Not(::testing::HasSubstr("Save changes")));
  EXPECT_EQ(Body(Get("/api/v1/risks/" + std::to_string(rated_risk_)))["title"], "Laptop theft");
  // The contributor owns the first action: its status is offered, the risk's edit is not.
  auto page = Client().Get(risk, contributor);
  EXPECT_THAT(page->body, ::testing::HasSubstr("action=\"" + risk + "/actions/0/status\""));
  EXPECT_THAT(page->body, ::testing::Not(::testing::HasSubstr("href=\"" + risk + "/edit\"")));
  for (const Role role : {Role::kViewer, Role::kAuditor}) {
    auto p = Client().Get(risk, {{"Cookie", sessions_[role].cookie}});
    ASSERT_EQ(p->status, 200);
    EXPECT_THAT(p->body, ::testing::Not(::testing::HasSubstr(risk + "/acceptance")));
    EXPECT_THAT(p->body, ::testing::HasSubstr("Not yours to decide: a risk at level Low may be "
                                              "accepted by the risk owner, a member with the "
                                              "role ISMS manager or a member with the role "
                                              "Executive."));
  }
  auto exec = Client().Get(risk, {{"Cookie", sessions_[Role::kExecutive].cookie}});
  EXPECT_THAT(exec->body, ::testing::HasSubstr("action=\"" + risk + "/acceptance\""));
}

// The import pages of every register written directly: an ISMS manager's, not a viewer's nor a
// contributor's (who may change only their own records, while an import changes any).
TEST_F(PageRoles, EveryRegistersImportPageIsForThoseWhoMayChangeAnyOfItsRecords) {
  int registers = 0;
  for (const auto* spec : domain::AllRegisters()) {
    const std::string page = "/" + spec->path + "/import";
    const bool importable = app::ImportService::Imports(*spec);
    registers += importable ? 1 : 0;
    for (const Role role : {Role::kIsmsManager, Role::kViewer, Role::kContributor}) {
      auto r = Client().Get(page, {{"Cookie", sessions_[role].cookie}});
      ASSERT_TRUE(r);
      const std::string what = page + " as " + std::string(domain::RoleName(role));
      // Without an import (drafted and approved one by one, or written by a workflow): no page.
      EXPECT_EQ(r->status, !importable ? 404 : MayImport(role, *spec) ? 200 : 403) << what;
    }
  }
  EXPECT_GT(registers, 20);
  const httplib::Headers viewer = {{"Cookie", sessions_[Role::kViewer].cookie}};
  const httplib::Headers manager = {{"Cookie", sessions_[Role::kIsmsManager].cookie}};
  EXPECT_EQ(Client().Get("/context-issues/import", viewer)->status, 403);
  EXPECT_EQ(Client().Get("/context-issues/import", manager)->status, 200);
}

// The contributor who owns a treatment action sets its status from the risk's page.
TEST_F(PageRoles, ATreatmentActionsOwnerSetsItsStatusFromTheRisksPage) {
  const std::string risk = "/risks/" + std::to_string(rated_risk_);
  const Session& s = sessions_[Role::kContributor];
  auto done = Client().Post(risk + "/actions/0/status", {{"Cookie", s.cookie}},
                            "status=done&version=1&_csrf=" + UrlEncode(s.csrf),
                            "application/x-www-form-urlencoded");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 303) << done->body;
  auto refused = Client().Post(risk + "/actions/1/status", {{"Cookie", s.cookie}},
                               "status=done&version=2&_csrf=" + UrlEncode(s.csrf),
                               "application/x-www-form-urlencoded");
  EXPECT_EQ(refused->status, 403);
  EXPECT_THAT(refused->body,
              ::testing::HasSubstr("may change the status only of treatment actions naming you"));
  const Json after = Body(Get("/api/v1/risks/" + std::to_string(rated_risk_)));
  EXPECT_EQ(after["actions"][0]["status"], "done");
  EXPECT_EQ(after["actions"][1]["status"], "open");
  EXPECT_EQ(after["version"], 2);
}

}  // namespace
}  // namespace rampart::testing

// Administration of the current organisation (users:manage; the organisation's settings need
// settings:manage):
//   GET  /admin/users                           members, and the form to add a person
//   POST /admin/users                           add; a new account's one-time password is shown
//                                               in the answer, once
//   GET  /admin/users/{id}                      a member: role, end date, status, sessions
//   POST /admin/users/{id}                      role and end date
//   POST /admin/users/{id}/disable, …/enable
//   POST /admin/users/{id}/reset-password       a new one-time password, shown once
//   POST /admin/users/{id}/reset-second-factor  for a lost phone
//   POST /admin/users/{id}/sessions/end         every session; …/sessions/{sid}/end one
//   GET  /admin/organisation, POST              the second-factor requirement per role
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "base/text.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

namespace {

using domain::Permission;
using domain::Role;
using Members = std::vector<domain::UserSummary>;

const Guard kManageUsers = Guard::Needs(Permission::kManageUsers);
const Guard kManageSettings = Guard::Needs(Permission::kManageSettings);

std::string RoleLabel(const std::string& name) {
  const auto role = domain::ParseRole(name);
  return role ? std::string(domain::InfoOf(*role).label) : name;
}

std::string PersonName(const domain::UserSummary& m) {
  return m.display_name.empty() ? m.username : m.display_name;
}

bool Ended(const domain::UserSummary& m, const std::string& today) {
  return !m.expires_at.empty() && m.expires_at < today;
}

bool RequiredFor(const domain::Organisation& org, const std::string& role) {
  return std::any_of(org.second_factor_roles.begin(), org.second_factor_roles.end(),
                     [&](Role r) { return domain::RoleName(r) == role; });
}

void StatusBadge(Html& h, const domain::UserSummary& m, const std::string& today) {
  if (m.disabled) {
    h.Element("span", {{"class", "badge badge-danger"}}, "Disabled");
  } else if (Ended(m, today)) {
    h.Element("span", {{"class", "badge badge-off"}}, "Access ended");
  } else {
    h.Element("span", {{"class", "badge badge-on"}}, "Active");
  }
}

void SecondFactorBadge(Html& h, const domain::UserSummary& m, bool required) {
  if (m.second_factor) {
    h.Element("span", {{"class", "badge badge-on"}}, "On");
  } else if (required) {
    h.Element("span", {{"class", "badge badge-warn"}, {"title", "Required for this role"}},
              "Not set up");
  } else {
    h.Element("span", {{"class", "badge badge-off"}}, "Off");
  }
}

// The role choice: each option says what the role may do; the least powerful role is the
// default for a new person.
void RoleSelect(Html& h, const std::string& id, const std::string& current, const Status& error) {
  const bool bad = !error.ok() && error.field() == "role";
  h.Open("div", {{"class", bad ? "form-field has-error" : "form-field"}});
  h.Open("label", {{"for", id}}).Text("Role");
  h.Element("span", {{"class", "req"}, {"aria-hidden", "true"}}, " *");
  h.Element("span", {{"class", "visually-hidden"}}, " (required)");
  h.Close("label");
  h.Open("select", {{"id", id},
                    {"name", "role"},
                    {"required", "required"},
                    {"autofocus", bad ? "autofocus" : ""},
                    {"aria-invalid", bad ? "true" : "false"},
                    {"aria-describedby", bad ? id + "-error" : ""}});
  // A role that is not one (a tampered form) selects nothing, rather than the first and most
  // powerful role.
  if (!domain::ParseRole(current)) {
    h.Open("option", {{"value", ""}, Attr::Flag("selected"), Attr::Flag("disabled")})
        .Text("Choose a role…")
        .Close("option");
  }
  for (const auto& info : domain::AllRoles()) {
    const std::string label = std::string(info.label) + " — " + std::string(info.summary);
    if (info.name == current) {
      h.Open("option", {{"value", info.name}, Attr::Flag("selected")}).Text(label).Close("option");
    } else {
      h.Element("option", {{"value", info.name}}, label);
    }
  }
  h.Close("select");
  if (bad) h.Element("p", {{"class", "field-error"}, {"id", id + "-error"}}, error.message());
  // Every role side by side, without JavaScript: a disclosure under the choice.
  h.Open("details", {{"class", "role-guide"}});
  h.Element("summary", {}, "What each role may do");
  h.Open("dl");
  for (const auto& info : domain::AllRoles()) {
    h.Open("div").Element("dt", {}, info.label).Element("dd", {}, info.summary).Close("div");
  }
  h.Close("dl").Close("details");
  h.Close("div");
}

Result<Role> RoleFromForm(const Request& r) {
  const auto role = domain::ParseRole(r.Form("role"));
  if (!role) return InvalidArgument("choose one of the roles", "role");
  return *role;
}

// A password made by Rampart, shown in the answer to the request that made it and never again.
void OneTimePasswordCallout(Html& h, const std::string& title, const std::string& username,
                            const app::OneTimePassword& otp) {
  h.Open("section", {{"class", "callout callout-warn secret-once"},
                     {"aria-labelledby", "otp-title"},
                     {"role", "status"}});
  h.Element("h2", {{"id", "otp-title"}}, title);
  h.Element("p", {},
            "Give them this one-time password through another channel than their user name (in "
            "person or by phone). It is shown only now; it works for one sign-in, until " +
                ShortTime(otp.expires_at) + ", at which they choose their own password.");
  h.Open("dl", {{"class", "summary-list summary-inline"}});
  h.Open("div").Element("dt", {}, "User name");
  h.Open("dd").Element("code", {}, username).Close("dd").Close("div");
  h.Open("div").Element("dt", {}, "One-time password");
  h.Open("dd", {{"class", "secret-row"}});
  h.Element("code", {{"id", "one-time-password"}, {"class", "secret-key"}}, otp.password);
  h.Element("button",
            {{"type", "button"},
             {"class", "button button-secondary button-small"},
             {"data-copy", "one-time-password"},
             Attr::Flag("hidden")},
            "Copy");
  h.Close("dd").Close("div");
  h.Close("dl");
  h.Close("section");
}

// ---------------------------------------------------------------------------------------------
// People

struct AddForm {
  std::string username;
  std::string display_name;
  std::string role = std::string(domain::RoleName(Role::kViewer));
  std::string expires_on;
  std::string email;
};

void UsersPage(Request& r, const AddForm& form, const Status& error, const SafeHtml& added,
               int status) {
  auto members = r.services.members.List(r.principal);
  auto org = r.services.members.Organisation(r.principal);
  if (!members.ok() || !org.ok()) {
    Html h;
    ErrorAlert(h, "The members could not be loaded",
               (!members.ok() ? members.status() : org.status()).message());
    return RenderPage(r, {.title = "People", .nav = "people"}, h.Take(), 500);
  }
  const std::string today = Today(r);
  Html actions;
  actions.Link("#add", "Add a person", "button button-primary");
  if (r.principal.Can(Permission::kManageSettings)) {
    actions.Link("/admin/organisation", "Two-step verification policy", "button button-secondary");
  }
  Html h;
  h.Append(added);
  h.Open("section", {{"class", "card table-card"}, {"aria-labelledby", "members-title"}});
  h.Open("div", {{"class", "table-meta"}});
  h.Element("h2", {{"id", "members-title"}, {"class", "count"}},
            fmt::format("{} {}", members->size(), members->size() == 1 ? "member" : "members"));
  h.Close("div");
  const Table table{.cls = "data-table stack-narrow no-sort labelled-badges",
                    .caption = "Members of " + r.principal.org_name,
                    .columns = {{.label = "Person"},
                                {.label = "Role"},
                                {.label = "E-mail"},
                                {.label = "Access ends"},
                                {.label = "Two-step verification"},
                                {.label = "Status"}}};
  table.Open(h);
  for (const auto& m : *members) {
    h.Open("tr", {{"class", m.disabled || Ended(m, today) ? "is-inactive-row" : ""}});
    h.Open("td", {{"class", "cell-title"}}).Open("div", {{"class", "cell-line"}});
    h.Link(fmt::format("/admin/users/{}", m.id), PersonName(m));
    if (m.id == r.principal.user_id) h.Element("span", {{"class", "tag"}}, "You");
    h.Close("div");
    h.Element("span", {{"class", "cell-sub"}}, m.username);
    h.Close("td");
    h.Element("td", {{"data-label", "Role"}}, RoleLabel(m.role));
    h.Element("td", {{"data-label", "E-mail"}}, m.email.empty() ? "—" : m.email);
    h.Element("td", {{"class", "cell-date"}, {"data-label", "Access ends"}},
              m.expires_at.empty() ? "—" : m.expires_at);
    h.Open("td", {{"data-label", "Two-step verification"}});
    SecondFactorBadge(h, m, RequiredFor(*org, m.role));
    h.Close("td");
    h.Open("td", {{"data-label", "Status"}});
    StatusBadge(h, m, today);
    h.Close("td").Close("tr");
  }
  table.Close(h);
  h.Close("section");

  h.Open("section", {{"class", "card"}, {"id", "add"}, {"aria-labelledby", "add-title"}});
  h.Element("h2", {{"id", "add-title"}}, "Add a person");
  h.Element("p", {{"class", "muted"}},
            "A new account gets a one-time password, shown once here. A user name that is "
            "taken gets an invitation instead: its holder joins when they accept it, signed in "
            "with their own password.");
  if (!error.ok() && error.field() != "username" && error.field() != "display_name" &&
      error.field() != "role" && error.field() != "expires_on" && error.field() != "email") {
    ErrorAlert(h, "Nobody was added", error.message());
  }
  OpenPostForm(h, r, "/admin/users", "add-person");
  h.Open("div", {{"class", "form-grid form-grid-flush"}});
  Input(h,
        {.name = "username",
         .label = "User name",
         .value = form.username,
         .help = "What they sign in with: a-z, 0-9, '.', '_' and '-'.",
         .autocomplete = "off",
         .maxlength = "64",
         .required = true},
        error);
  Input(h,
        {.name = "display_name",
         .label = "Display name",
         .value = form.display_name,
         .help = "Their full name, as others see it. The user name when left empty.",
         .autocomplete = "off",
         .maxlength = "100"},
        error);
  RoleSelect(h, "role", form.role, error);
  Input(h,
        {.name = "expires_on",
         .label = "End of access",
         .type = "date",
         .value = form.expires_on,
         .help = "The last day they can sign in. Required for external auditors; useful for "
                 "contractors.",
         .min = today},
        error);
  Input(h,
        {.name = "email",
         .label = "E-mail address",
         .type = "email",
         .value = form.email,
         .help = "Where their daily reminders go (a new account only). Optional.",
         .autocomplete = "off",
         .maxlength = "254"},
        error);
  h.Close("div");
  h.Open("div", {{"class", "form-actions form-actions-flush"}});
  h.Element("button", {{"type", "submit"}, {"class", "button button-primary"}}, "Add person");
  h.Close("div").Close("form");
  h.Close("section");

  RenderPage(r,
             {.title = "People",
              .nav = "people",
              .subtitle = r.principal.org_name + " · who has access, and with which role",
              .actions = actions.Take()},
             h.Take(), status);
}

// ---------------------------------------------------------------------------------------------
// One member

struct MemberView {
  bool resubmitted = false;  // the role form was refused: show what was sent
  std::string role;
  std::string expires_on;
  Status role_error = Status::Ok();    // from the role form
  Status action_error = Status::Ok();  // from a button (disable, reset, end sessions)
  app::OneTimePassword one_time_password;
  std::optional<std::string> email;   // as typed when the e-mail form was refused
  Status email_error = Status::Ok();  // from the e-mail form
};

std::string MemberNotice(const std::string& key) {
  if (key == "saved") return "The role and end of access have been saved.";
  if (key == "email") return "The e-mail address has been saved.";
  if (key == "disabled") return "The account is disabled: it cannot sign in.";
  if (key == "enabled") return "The account is enabled again.";
  if (key == "second-factor") {
    return "Two-step verification has been reset: they set it up again when they next sign in.";
  }
  if (key == "session") return "The session has been ended.";
  if (key == "sessions") return "Every session of this person has been ended.";
  if (key == "removed") {
    return "They have been removed from this organisation: their access here has ended. Give "
           "them a role and end of access again to bring them back.";
  }
  return "";
}

void MemberPage(Request& r, int64_t id, const MemberView& v, int status) {
  auto m = r.services.members.Get(r.principal, id);
  if (!m.ok()) {
    Html h;
    h.Open("div", {{"class", "card empty-state"}});
    h.Element("h2", {}, "No such member");
    h.Element("p", {}, m.status().message());
    h.Link("/admin/users", "All people", "button button-secondary");
    h.Close("div");
    return RenderPage(r,
                      {.title = "Not found",
                       .nav = "people",
                       .crumbs = {{"People", "/admin/users"}, {"Not found", ""}}},
                      h.Take(), HttpStatusFor(m.status().code()));
  }
  auto org = r.services.members.Organisation(r.principal);
  auto sessions = r.services.members.Sessions(r.principal, id);
  const std::string today = Today(r);
  const bool self = id == r.principal.user_id;
  const std::string base = fmt::format("/admin/users/{}", id);
  const std::string name = PersonName(*m);

  Html h;
  if (!v.one_time_password.password.empty()) {
    OneTimePasswordCallout(h, "New one-time password for " + name, m->username,
                           v.one_time_password);
  }
  if (!v.action_error.ok()) ErrorAlert(h, "Nothing was changed", v.action_error.message());
  h.Open("div", {{"class", "account-grid"}});

  // Role and end of access.
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "role-title"}});
  h.Element("h2", {{"id", "role-title"}}, "Role and access");
  if (!v.role_error.ok() && v.role_error.field() != "role" &&
      v.role_error.field() != "expires_on") {
    ErrorAlert(h, "Not saved", v.role_error.message());
  }
  OpenPostForm(h, r, base, "stack");
  RoleSelect(h, "role", v.resubmitted ? v.role : m->role, v.role_error);
  Input(h,
        {.name = "expires_on",
         .label = "End of access",
         .type = "date",
         .value = v.resubmitted ? v.expires_on : m->expires_at,
         .help = "The last day they can sign in; empty for no end. Required for external "
                 "auditors.",
         .min = today},
        v.role_error);
  h.Open("div").Element("button", {{"type", "submit"}, {"class", "button button-primary"}},
                        "Save role and access");
  h.Close("div").Close("form");
  h.Close("section");

  // The account: status, second factor, password.
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "account-title"}});
  h.Element("h2", {{"id", "account-title"}}, "Account");
  h.Open("dl", {{"class", "summary-list"}});
  h.Open("div").Element("dt", {}, "User name").Element("dd", {}, m->username).Close("div");
  h.Open("div").Element("dt", {}, "Status").Open("dd");
  StatusBadge(h, *m, today);
  h.Close("dd").Close("div");
  h.Open("div").Element("dt", {}, "Two-step verification").Open("dd");
  SecondFactorBadge(h, *m, org.ok() && RequiredFor(*org, m->role));
  h.Close("dd").Close("div");
  h.Close("dl");
  OpenPostForm(h, r, base + "/email", "stack");
  Input(h,
        {.name = "email",
         .label = "E-mail address",
         .type = "email",
         .value = v.email ? *v.email : m->email,
         .help = "Where their daily reminders go. Empty: reminders in Rampart only.",
         .autocomplete = "off",
         .maxlength = "254"},
        v.email_error);
  h.Open("div").Element("button", {{"type", "submit"}, {"class", "button button-secondary"}},
                        "Save e-mail address");
  h.Close("div").Close("form");
  h.Open("ul", {{"class", "action-list"}});
  if (self) {
    h.Open("li").Open("p", {{"class", "muted"}});
    h.Text("This is you: change your own password and second factor on ");
    h.Link("/account", "your account page").Text(".");
    h.Close("p").Close("li");
  } else {
    h.Open("li").Open("div");
    h.Element("strong", {}, "Reset password");
    h.Element("p", {{"class", "muted"}},
              "Ends their sessions and makes a one-time password for you to pass on.");
    h.Close("div");
    ButtonForm(h, r, base + "/reset-password",
               {.label = "Reset password",
                .confirm = "Reset the password of " + name + "? Their sessions end."});
    h.Close("li");
    if (m->second_factor) {
      h.Open("li").Open("div");
      h.Element("strong", {}, "Reset two-step verification");
      h.Element("p", {{"class", "muted"}},
                "For a lost phone: their authenticator and recovery codes stop working, and "
                "they set it up again when they next sign in.");
      h.Close("div");
      ButtonForm(h, r, base + "/reset-second-factor",
                 {.label = "Reset two-step verification",
                  .confirm = "Reset the two-step verification of " + name + "?"});
      h.Close("li");
    }
    h.Open("li").Open("div");
    h.Element("strong", {}, "Remove from this organisation");
    h.Element("p", {{"class", "muted"}},
              "Their access to this organisation ends now; their account, other organisations, "
              "records and history stay.");
    h.Close("div");
    ButtonForm(h, r, base + "/remove",
               {.label = "Remove",
                .cls = "button button-danger",
                .confirm = "Remove " + name + " from this organisation?"});
    h.Close("li");
    h.Open("li").Open("div");
    h.Element("strong", {}, m->disabled ? "Enable the account" : "Disable the account");
    h.Element("p", {{"class", "muted"}},
              m->disabled ? "They can sign in again with their password."
                          : "They can no longer sign in and their sessions stop working; their "
                            "records and history stay.");
    h.Close("div");
    if (m->disabled) {
      ButtonForm(h, r, base + "/enable", {.label = "Enable"});
    } else {
      ButtonForm(h, r, base + "/disable",
                 {.label = "Disable",
                  .cls = "button button-danger",
                  .confirm = "Disable the account of " + name + "?"});
    }
    h.Close("li");
  }
  h.Close("ul");
  h.Close("section");

  // Sessions.
  h.Open("section",
         {{"class", "card table-card account-wide"}, {"aria-labelledby", "sessions-title"}});
  h.Open("div", {{"class", "card-head"}});
  h.Element("h2", {{"id", "sessions-title"}}, "Sessions");
  if (sessions.ok() && !sessions->empty()) {
    ButtonForm(h, r, base + "/sessions/end",
               {.label = "End all sessions",
                .cls = "button button-danger",
                .confirm = self ? "End all your sessions, this one included?"
                                : "End every session of " + name + "?"});
  }
  h.Close("div");
  if (!sessions.ok()) {
    h.Element("p", {{"class", "card-body muted"}}, "The sessions could not be loaded.");
  } else if (sessions->empty()) {
    h.Element("p", {{"class", "card-body muted"}}, "Not signed in anywhere.");
  } else {
    // The administrator's own session is marked, and its button ends it like the others.
    SessionsTable(h, r, *sessions,
                  {.caption = "Sessions of " + name,
                   .current_session = self ? r.principal.session_id : 0,
                   .sessions_url = base + "/sessions"});
  }
  h.Close("section");
  h.Close("div");

  RenderPage(r,
             {.title = name,
              .nav = "people",
              .crumbs = {{"People", "/admin/users"}, {name, ""}},
              .subtitle = m->username + " · " + RoleLabel(m->role) +
                          (m->expires_at.empty() ? "" : " until " + m->expires_at),
              .notice = MemberNotice(r.Query("notice"))},
             h.Take(), status);
}

// The answer to a member's button: back to the page with a notice, or the page with the error.
void AfterAction(Request& r, const Status& st, const std::string& notice) {
  if (st.ok()) {
    return r.res.SetRedirect(fmt::format("/admin/users/{}?notice={}", r.PathId(), notice), 303);
  }
  MemberPage(r, r.PathId(), {.action_error = st}, HttpStatusFor(st.code()));
}

// ---------------------------------------------------------------------------------------------
// Organisation

void OrganisationPage(Request& r, const Status& error, int status) {
  auto org = r.services.members.Organisation(r.principal);
  auto members = r.services.members.List(r.principal);
  if (!org.ok() || !members.ok()) {
    Html h;
    ErrorAlert(h, "The organisation could not be loaded",
               (!org.ok() ? org.status() : members.status()).message());
    return RenderPage(r, {.title = "Organisation", .nav = "organisation"}, h.Take(), 500);
  }
  const std::string today = Today(r);
  // Per role: active members, and how many of them have a second factor.
  std::map<std::string, std::pair<int, int>> counts;
  for (const auto& m : *members) {
    if (m.disabled || Ended(m, today)) continue;
    auto& [all, with] = counts[m.role];
    ++all;
    if (m.second_factor) ++with;
  }
  Html h;
  if (!error.ok()) ErrorAlert(h, "Not saved", error.message());
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "sf-policy-title"}});
  h.Element("h2", {{"id", "sf-policy-title"}}, "Two-step verification");
  h.Element("p", {{"class", "muted"}},
            "Members with a role ticked here must set up an authenticator app before they can "
            "do anything else; anyone without one is sent to the set-up at their next page. "
            "Tick your own role and you will be asked too.");
  OpenPostForm(h, r, "/admin/organisation", "");
  h.Open("fieldset", {{"class", "choice-list"}, {"aria-describedby", "sf-policy-help"}});
  h.Element("legend", {}, "Require two-step verification for");
  for (const auto& info : domain::AllRoles()) {
    const std::string name(info.name);
    const std::string id = "sf-role-" + name;
    const bool on = std::find(org->second_factor_roles.begin(), org->second_factor_roles.end(),
                              info.role) != org->second_factor_roles.end();
    const auto [all, with] = counts.contains(name) ? counts[name] : std::pair<int, int>{0, 0};
    h.Open("div", {{"class", "choice"}});
    if (on) {
      h.Void("input", {{"type", "checkbox"},
                       {"id", id},
                       {"name", "second_factor_roles"},
                       {"value", name},
                       Attr::Flag("checked"),
                       {"aria-describedby", id + "-detail"}});
    } else {
      h.Void("input", {{"type", "checkbox"},
                       {"id", id},
                       {"name", "second_factor_roles"},
                       {"value", name},
                       {"aria-describedby", id + "-detail"}});
    }
    h.Open("label", {{"for", id}}).Text(info.label).Close("label");
    h.Open("p", {{"class", "choice-detail"}, {"id", id + "-detail"}});
    h.Text(info.summary);
    h.Element("span", {{"class", all > 0 && with < all ? "choice-count is-short" : "choice-count"}},
              all == 0 ? "No members"
                       : fmt::format("{} of {} {} set up", with, all,
                                     all == 1 ? "member has it" : "members have it"));
    h.Close("p");
    h.Close("div");
  }
  h.Close("fieldset");
  h.Element("p", {{"class", "help"}, {"id", "sf-policy-help"}},
            "A member who loses their phone signs in with a recovery code, or an administrator "
            "resets their two-step verification from their page under People.");
  h.Open("div", {{"class", "form-actions form-actions-flush"}});
  h.Element("button", {{"type", "submit"}, {"class", "button button-primary"}}, "Save");
  h.Close("div").Close("form").Close("section");

  RenderPage(r,
             {.title = "Organisation",
              .nav = "organisation",
              .subtitle = org->name + " · created " + org->created_at.substr(0, 10),
              .notice = r.Query("notice") == "saved" ? "Saved." : ""},
             h.Take(), status);
}

}  // namespace

void AddAdminPages(Router& router) {
  const std::string member = R"(/admin/users/(\d+))";

  router.Get("/admin/users", Surface::kWeb, kManageUsers,
             [](Request& r) { UsersPage(r, {}, Status::Ok(), {}, 200); });
  router.Post("/admin/users", Surface::kWeb, kManageUsers, [](Request& r) {
    const AddForm form{.username = std::string(Trim(r.Form("username"))),
                       .display_name = std::string(Trim(r.Form("display_name"))),
                       .role = r.Form("role"),
                       .expires_on = std::string(Trim(r.Form("expires_on"))),
                       .email = std::string(Trim(r.Form("email")))};
    auto role = RoleFromForm(r);
    Result<app::AddedMember> added = role.status();
    if (role.ok()) {
      added = r.services.members.Add(r.principal, {.username = form.username,
                                                   .display_name = form.display_name,
                                                   .role = *role,
                                                   .expires_on = form.expires_on,
                                                   .password = "",
                                                   .email = form.email});
    }
    if (!added.ok()) {
      Status st = added.status();
      // Already a member: the user name is what to change.
      if (st.code() == Code::kAlreadyExists && st.field().empty()) {
        st = Status(st.code(), st.message(), "username");
      }
      return UsersPage(r, form, st, {}, HttpStatusFor(st.code()));
    }
    r.res.SetHeader("Cache-Control", "no-store");
    Html done;
    const std::string name =
        added->user.display_name.empty() ? added->user.username : added->user.display_name;
    if (added->invited) {
      // The same words for every taken name: nothing about the account behind it.
      done.Open("div", {{"class", "callout callout-ok"}, {"role", "status"}});
      done.Text(fmt::format(
          "The user name {} is taken, so an invitation to {} as {} was made. If it is the "
          "person you mean, they join when they accept it on their account page.",
          form.username, r.principal.org_name, domain::InfoOf(*role).label));
      done.Close("div");
      return UsersPage(r, {}, Status::Ok(), done.Take(), 202);
    }
    if (added->one_time_password.empty()) {
      done.Open("div", {{"class", "callout callout-ok"}, {"role", "status"}});
      done.Text(fmt::format("{} was added to {} as {}.", name, r.principal.org_name,
                            domain::InfoOf(*role).label));
      done.Close("div");
    } else {
      OneTimePasswordCallout(
          done, fmt::format("{} was added as {}", name, domain::InfoOf(*role).label),
          added->user.username, {added->one_time_password, added->one_time_password_expires_at});
    }
    UsersPage(r, {}, Status::Ok(), done.Take(), 201);
  });

  router.Get(member, Surface::kWeb, kManageUsers,
             [](Request& r) { MemberPage(r, r.PathId(), {}, 200); });
  router.Post(member, Surface::kWeb, kManageUsers, [](Request& r) {
    const std::string expires(Trim(r.Form("expires_on")));
    auto role = RoleFromForm(r);
    Status st = role.ok() ? r.services.members.SetRole(r.principal, r.PathId(), *role, expires)
                          : role.status();
    if (st.ok()) {
      return r.res.SetRedirect(fmt::format("/admin/users/{}?notice=saved", r.PathId()), 303);
    }
    MemberPage(
        r, r.PathId(),
        {.resubmitted = true, .role = r.Form("role"), .expires_on = expires, .role_error = st},
        HttpStatusFor(st.code()));
  });
  router.Post(member + "/email", Surface::kWeb, kManageUsers, [](Request& r) {
    const std::string email = r.Form("email");
    Status st = r.services.members.SetEmail(r.principal, r.PathId(), email);
    if (st.ok()) {
      return r.res.SetRedirect(fmt::format("/admin/users/{}?notice=email", r.PathId()), 303);
    }
    if (st.field() != "email") return AfterAction(r, st, "");
    MemberPage(r, r.PathId(), {.email = email, .email_error = st}, HttpStatusFor(st.code()));
  });
  router.Post(member + "/disable", Surface::kWeb, kManageUsers, [](Request& r) {
    AfterAction(r, r.services.members.SetDisabled(r.principal, r.PathId(), true), "disabled");
  });
  router.Post(member + "/remove", Surface::kWeb, kManageUsers, [](Request& r) {
    AfterAction(r, r.services.members.RemoveFromOrganisation(r.principal, r.PathId()), "removed");
  });
  router.Post(member + "/enable", Surface::kWeb, kManageUsers, [](Request& r) {
    AfterAction(r, r.services.members.SetDisabled(r.principal, r.PathId(), false), "enabled");
  });
  router.Post(member + "/reset-second-factor", Surface::kWeb, kManageUsers, [](Request& r) {
    AfterAction(r, r.services.members.ResetSecondFactor(r.principal, r.PathId()), "second-factor");
  });
  router.Post(member + "/sessions/end", Surface::kWeb, kManageUsers, [](Request& r) {
    auto ended = r.services.members.EndSessions(r.principal, r.PathId());
    AfterAction(r, ended.status(), "sessions");
  });
  router.Post(member + R"(/sessions/(\d+)/end)", Surface::kWeb, kManageUsers, [](Request& r) {
    AfterAction(r, r.services.members.EndSession(r.principal, r.PathId(1), r.PathId(2)), "session");
  });
  router.Post(member + "/reset-password", Surface::kWeb, kManageUsers, [](Request& r) {
    auto otp = r.services.members.ResetPassword(r.principal, r.PathId());
    if (!otp.ok()) return AfterAction(r, otp.status(), "");
    r.res.SetHeader("Cache-Control", "no-store");
    MemberPage(r, r.PathId(), {.one_time_password = *otp}, 200);
  });

  router.Get("/admin/organisation", Surface::kWeb, kManageSettings,
             [](Request& r) { OrganisationPage(r, Status::Ok(), 200); });
  router.Post("/admin/organisation", Surface::kWeb, kManageSettings, [](Request& r) {
    std::vector<Role> roles;
    Status st = Status::Ok();
    for (auto [it, end] = r.form.equal_range("second_factor_roles"); it != end; ++it) {
      const auto role = domain::ParseRole(it->second);
      if (!role) {
        st = InvalidArgument("unknown role \"" + it->second + "\"", "second_factor_roles");
        break;
      }
      roles.push_back(*role);
    }
    if (st.ok()) st = r.services.members.SetSecondFactorRoles(r.principal, roles);
    if (!st.ok()) return OrganisationPage(r, st, HttpStatusFor(st.code()));
    r.res.SetRedirect("/admin/organisation?notice=saved", 303);
  });
}

}  // namespace rampart::http

// The signed-in person's own account:
//   GET  /account                               profile, organisations, security at a glance
//   POST /account/profile                       display name
//   POST /account/organisation                  move the session to another organisation
//   GET  /account/sessions                      own sessions
//   POST /account/sessions/{id}/end             end one; POST /account/sessions/end-others
//   GET  /account/tokens                        API tokens and the form to create one
//   POST /account/tokens                        create (the token is shown in the answer, once)
//   POST /account/tokens/{id}/revoke
//   GET  /account/second-factor                 status or set-up (open while the set-up is
//                                               required, before anything else)
//   POST /account/second-factor/start           a new secret: QR code, key, confirmation form
//   POST /account/second-factor/confirm         turns it on; the recovery codes are shown once
//   POST /account/second-factor/recovery-codes  new codes for a current code (shown once)
//   POST /account/second-factor/disable         password and a code
// Secrets (a new token, recovery codes, the enrolment key) are written only into the answer to
// the POST that made them; no GET shows them again.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <optional>

#include "app/principal.h"
#include "base/qr.h"
#include "base/text.h"
#include "base/totp.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

namespace {

constexpr std::string_view kSecondFactorPath = "/account/second-factor";

// An error and the form it belongs to, on pages with several forms.
struct FormError {
  std::string form;
  Status status = Status::Ok();
  const Status& For(std::string_view f) const {
    static const Status kOk = Status::Ok();
    return form == f ? status : kOk;
  }
};

std::optional<int64_t> ParseId(const std::string& s) {
  int64_t n = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || n <= 0) return std::nullopt;
  return n;
}

std::string RoleLabel(domain::Role role) { return std::string(domain::InfoOf(role).label); }

PageFrame AccountFrame(const Request& r, const std::string& title, const std::string& crumb,
                       const std::string& notice = {}) {
  PageFrame f{.title = title,
              .nav = "account",
              .crumbs = {},
              .subtitle = r.principal.display_name + " · " + r.principal.username + " · " +
                          RoleLabel(r.principal.role) + " in " + r.principal.org_name,
              .actions = {},
              .notice = notice};
  if (!crumb.empty()) f.crumbs = {{"Account", "/account"}, {crumb, ""}};
  return f;
}

void StateBadge(Html& h, bool on, std::string_view on_text = "On",
                std::string_view off_text = "Off") {
  h.Element("span", {{"class", on ? "badge badge-on" : "badge badge-off"}},
            on ? on_text : off_text);
}

bool SecondFactorRequired(Request& r) {
  auto org = r.services.members.Organisation(r.principal);
  if (!org.ok()) return false;
  const auto& roles = org->second_factor_roles;
  return std::find(roles.begin(), roles.end(), r.principal.role) != roles.end();
}

// ---------------------------------------------------------------------------------------------
// Profile

// `email`: the address as typed when a change was refused; the stored one when nullopt.
void ProfilePage(Request& r, const std::string& display_name, const Status& error, int status,
                 std::optional<std::string> email = std::nullopt) {
  Html h;
  if (!email) {
    auto stored = r.services.auth.Email(r.principal);
    email = stored.ok() ? *stored : std::string();
  }
  AccountTabs(h, "/account");
  auto memberships = r.services.auth.Memberships(r.principal);
  auto sessions = r.services.auth.Sessions(r.principal);
  auto tokens = r.services.auth.Tokens(r.principal);
  if (!error.ok() && error.field() != "display_name" && error.field() != "email") {
    ErrorAlert(h,
               error.field() == "invitation" ? "The invitation was not answered"
                                             : "Your name was not changed",
               error.message());
  }
  h.Open("div", {{"class", "account-grid"}});

  h.Open("section", {{"class", "card"}, {"aria-labelledby", "profile-title"}});
  h.Element("h2", {{"id", "profile-title"}}, "Profile");
  h.Open("dl", {{"class", "summary-list"}});
  auto row = [&](const std::string& term, const std::string& value) {
    h.Open("div").Element("dt", {}, term).Element("dd", {}, value).Close("div");
  };
  row("User name", r.principal.username);
  h.Open("div").Element("dt", {}, "Role");
  h.Open("dd").Text(RoleLabel(r.principal.role));
  h.Element("span", {{"class", "muted block"}}, domain::InfoOf(r.principal.role).summary);
  h.Close("dd").Close("div");
  row("Organisation", r.principal.org_name);
  std::string ends = "No end date";
  if (memberships.ok()) {
    for (const auto& m : *memberships) {
      if (m.org_id == r.principal.org_id && !m.expires_at.empty()) {
        ends = "Through " + m.expires_at;
      }
    }
  }
  row("Access", ends);
  h.Close("dl");
  OpenPostForm(h, r, "/account/profile", "stack profile-form");
  Input(h,
        {.name = "display_name",
         .label = "Display name",
         .value = display_name,
         .help = "How you appear to others: in lists of owners and in the audit trail's "
                 "history.",
         .autocomplete = "name",
         .maxlength = "100",
         .required = true},
        error);
  h.Open("div").Element("button", {{"type", "submit"}, {"class", "button button-primary"}},
                        "Save name");
  h.Close("div").Close("form");
  OpenPostForm(h, r, "/account/email", "stack profile-form");
  Input(h,
        {.name = "email",
         .label = "E-mail address",
         .type = "email",
         .value = *email,
         .help = "Where your daily reminders go (tasks due, reviews, documents to acknowledge, "
                 "measurements). Leave it empty for reminders in Rampart only.",
         .autocomplete = "email",
         .maxlength = "254"},
        error);
  h.Open("div").Element("button", {{"type", "submit"}, {"class", "button button-primary"}},
                        "Save e-mail address");
  h.Close("div").Close("form");
  h.Close("section");

  // Security at a glance, each line leading to its page.
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "security-title"}});
  h.Element("h2", {{"id", "security-title"}}, "Security");
  h.Open("ul", {{"class", "link-list"}});
  auto item = [&](const std::string& href, const std::string& title, const std::string& detail,
                  int badge) {
    h.Open("li").Open("a", {{"href", href}});
    h.Open("span").Element("strong", {}, title);
    h.Element("span", {{"class", "muted block"}}, detail).Close("span");
    if (badge >= 0) StateBadge(h, badge == 1);
    h.Element("span", {{"class", "link-list-arrow"}, {"aria-hidden", "true"}}, "→");
    h.Close("a").Close("li");
  };
  item("/account/password", "Password", "Change it; other sessions end.", -1);
  item(std::string(kSecondFactorPath), "Two-step verification",
       r.principal.second_factor ? "A code from your authenticator app after your password."
                                 : "Not set up: your password alone signs you in.",
       r.principal.second_factor ? 1 : 0);
  size_t active_sessions = 0;
  if (sessions.ok()) {
    for (const auto& s : *sessions) {
      if (s.stage == domain::Session::Stage::kActive) ++active_sessions;
    }
  }
  item("/account/sessions", "Sessions",
       active_sessions == 1 ? "Signed in here only."
                            : fmt::format("Signed in on {} browsers or devices.", active_sessions),
       -1);
  size_t live_tokens = 0;
  const std::string now = FormatUtc(r.services.clock.Now());
  if (tokens.ok()) {
    for (const auto& t : *tokens) {
      if (!t.revoked && (t.expires_at.empty() || t.expires_at > now)) ++live_tokens;
    }
  }
  item("/account/tokens", "API tokens",
       live_tokens == 0
           ? "None active."
           : fmt::format("{} active {}.", live_tokens, live_tokens == 1 ? "token" : "tokens"),
       -1);
  h.Close("ul").Close("section");

  // Organisations: where the person works, and the switch between them.
  if (memberships.ok() && !memberships->empty()) {
    h.Open("section",
           {{"class", "card table-card account-wide"}, {"aria-labelledby", "orgs-title"}});
    h.Element("h2", {{"id", "orgs-title"}}, "Organisations");
    const Table table{.cls = "data-table stack-narrow no-sort labelled-badges",
                      .columns = {{.label = "Organisation"},
                                  {.label = "Your role"},
                                  {.label = "Access ends"},
                                  {.label = "Action", .shown = Visibility::kVisuallyHidden}}};
    table.Open(h);
    for (const auto& m : *memberships) {
      h.Open("tr");
      h.Element("td", {{"class", "cell-title"}}, m.org_name);
      h.Element("td", {{"data-label", "Your role"}}, RoleLabel(m.role));
      h.Element("td", {{"class", "cell-date"}, {"data-label", "Access ends"}},
                m.expires_at.empty() ? "—" : m.expires_at);
      h.Open("td", {{"class", "cell-action"}});
      if (m.org_id == r.principal.org_id) {
        h.Element("span", {{"class", "badge badge-on"}}, "Current");
      } else {
        ButtonForm(h, r, "/account/organisation",
                   {.label = "Switch",
                    .cls = "button button-secondary button-small",
                    .aria_label = "Switch to " + m.org_name,
                    .hidden = {{"org_id", std::to_string(m.org_id)}}});
      }
      h.Close("td").Close("tr");
    }
    table.Close(h);
    h.Close("section");
  }
  // Invitations: organisations whose administrators asked this person to join; nothing happens
  // until they accept.
  auto invitations = r.services.members.Invitations(r.principal);
  if (invitations.ok() && !invitations->empty()) {
    h.Open("section", {{"class", "card account-wide"}, {"aria-labelledby", "invitations-title"}});
    h.Element("h2", {{"id", "invitations-title"}}, "Invitations");
    h.Open("ul", {{"class", "invitation-list"}});
    for (const auto& i : *invitations) {
      h.Open("li");
      h.Open("span").Element("strong", {}, i.org_name);
      h.Element("span", {{"class", "muted block"}},
                fmt::format("{} invites you as {}{}.", i.invited_by, RoleLabel(i.role),
                            i.expires_at.empty() ? "" : ", through " + i.expires_at));
      h.Close("span");
      const std::string base = "/account/invitations/" + std::to_string(i.id);
      ButtonForm(h, r, base + "/accept",
                 {.label = "Accept",
                  .cls = "button button-primary button-small",
                  .aria_label = "Accept the invitation of " + i.org_name});
      ButtonForm(h, r, base + "/decline",
                 {.label = "Decline",
                  .cls = "button button-secondary button-small",
                  .aria_label = "Decline the invitation of " + i.org_name});
      h.Close("li");
    }
    h.Close("ul").Close("section");
  }
  h.Close("div");

  std::string notice;
  if (r.Query("notice") == "accepted") notice = "You have joined the organisation.";
  if (r.Query("notice") == "declined") notice = "The invitation has been declined.";
  if (r.Query("notice") == "name") notice = "Your name has been saved.";
  if (r.Query("notice") == "email") notice = "Your e-mail address has been saved.";
  if (r.Query("notice") == "password") notice = "Your password has been changed.";
  RenderPage(r, AccountFrame(r, "Your account", "", notice), h.Take(), status);
}

// ---------------------------------------------------------------------------------------------
// Sessions

void SessionsPage(Request& r, const Status& error, int status) {
  Html h;
  AccountTabs(h, "/account/sessions");
  if (!error.ok()) ErrorAlert(h, "Nothing was ended", error.message());
  auto sessions = r.services.auth.Sessions(r.principal);
  if (!sessions.ok()) {
    ErrorAlert(h, "Your sessions could not be loaded", sessions.status().message());
    return RenderPage(r, AccountFrame(r, "Sessions", "Sessions"), h.Take(), 500);
  }
  const bool others = std::any_of(sessions->begin(), sessions->end(),
                                  [&](const auto& s) { return s.id != r.principal.session_id; });
  h.Open("section", {{"class", "card table-card"}, {"aria-labelledby", "sessions-title"}});
  h.Open("div", {{"class", "card-head"}});
  h.Open("div").Element("h2", {{"id", "sessions-title"}}, "Where you are signed in");
  const auto& opts = r.services.auth.options();
  h.Element("p", {{"class", "muted"}},
            fmt::format("A session ends {} hours after signing in, or after {} minutes without "
                        "activity. End any you do not recognise, then change your password.",
                        opts.session_lifetime.count() / 3600, opts.session_idle.count() / 60));
  h.Close("div");
  if (others) {
    ButtonForm(h, r, "/account/sessions/end-others",
               {.label = "Sign out everywhere else",
                .cls = "button button-danger",
                .confirm = "End every other session of yours?"});
  }
  h.Close("div");
  SessionsTable(h, r, *sessions,
                {.caption = "Your sessions",
                 .current_session = r.principal.session_id,
                 .sessions_url = "/account/sessions",
                 .show_ends = true,
                 .sign_out_current = true});
  h.Close("section");

  std::string notice;
  if (r.Query("notice") == "ended") notice = "The session has been ended.";
  if (r.Query("notice") == "others") {
    const std::string n = r.Query("n");
    notice = n == "1"     ? "Signed out everywhere else: 1 session ended."
             : ParseId(n) ? "Signed out everywhere else: " + n + " sessions ended."
                          : "Signed out everywhere else.";
  }
  RenderPage(r, AccountFrame(r, "Sessions", "Sessions", notice), h.Take(), status);
}

// ---------------------------------------------------------------------------------------------
// API tokens

struct TokenForm {
  std::string name;
  bool read_only = true;
  std::string expires_on;
};

void TokensPage(Request& r, const TokenForm& form, const Status& error,
                const std::string& new_token, int status) {
  Html h;
  AccountTabs(h, "/account/tokens");
  if (!new_token.empty()) {
    h.Open("section", {{"class", "callout callout-warn secret-once"},
                       {"aria-labelledby", "new-token-title"},
                       {"role", "status"}});
    h.Element("h2", {{"id", "new-token-title"}}, "Copy your new token now");
    h.Element("p", {},
              "It is shown only this once: Rampart keeps nothing but a hash of it. If you lose "
              "it, revoke it and create another.");
    h.Open("div", {{"class", "secret-row"}});
    h.Element("label", {{"for", "new-token"}, {"class", "visually-hidden"}}, "New API token");
    h.Void("input", {{"type", "text"},
                     {"id", "new-token"},
                     {"class", "secret-value"},
                     {"value", new_token},
                     Attr::Flag("readonly"),
                     {"spellcheck", "false"},
                     {"autocomplete", "off"}});
    h.Element("button",
              {{"type", "button"},
               {"class", "button button-secondary"},
               {"data-copy", "new-token"},
               Attr::Flag("hidden")},
              "Copy");
    h.Close("div");
    h.Open("p", {{"class", "muted"}}).Text("Send it as ");
    h.Element("code", {}, "Authorization: Bearer rpt_…");
    h.Text(" to the API at ");
    h.Element("code", {}, "/api/v1/");
    h.Text(".").Close("p");
    h.Close("section");
  }
  if (!error.ok() && error.field() != "name" && error.field() != "expires_on") {
    ErrorAlert(h, "Nothing was changed", error.message());
  }

  auto tokens = r.services.auth.Tokens(r.principal);
  auto memberships = r.services.auth.Memberships(r.principal);
  std::map<int64_t, std::string> org_names;
  if (memberships.ok()) {
    for (const auto& m : *memberships) org_names[m.org_id] = m.org_name;
  }
  const bool several = org_names.size() > 1;
  const std::string now = FormatUtc(r.services.clock.Now());

  h.Open("section", {{"class", "card table-card"}, {"aria-labelledby", "tokens-title"}});
  h.Open("div", {{"class", "card-head"}});
  h.Open("div").Element("h2", {{"id", "tokens-title"}}, "Your API tokens");
  h.Element("p", {{"class", "muted"}},
            "A token lets a script or tool use the API as you, in one organisation, with your "
            "role's permissions; a read-only token only reads.");
  h.Close("div").Close("div");
  if (!tokens.ok()) {
    h.Element("p", {{"class", "card-body muted"}}, "Your tokens could not be loaded.");
  } else if (tokens->empty()) {
    h.Element("p", {{"class", "card-body muted"}}, "You have no API tokens.");
  } else {
    const Table table{.cls = "data-table stack-narrow no-sort labelled-badges",
                      .caption = "Your API tokens",
                      .columns = {{.label = "Name"},
                                  {.label = "Access"},
                                  {.label = "Created"},
                                  {.label = "Expires"},
                                  {.label = "Last used"},
                                  {.label = "Status"},
                                  {.label = "Action", .shown = Visibility::kVisuallyHidden}}};
    table.Open(h);
    for (const auto& t : *tokens) {
      const bool expired = !t.expires_at.empty() && t.expires_at <= now;
      const bool live = !t.revoked && !expired;
      h.Open("tr", {{"class", live ? "" : "is-inactive-row"}});
      h.Open("td", {{"class", "cell-title"}}).Text(t.name);
      // A token acts in one organisation: named when the person works in several.
      if (several) {
        const auto it = org_names.find(t.org_id);
        h.Element("span", {{"class", "cell-sub"}},
                  it == org_names.end() ? "another organisation" : it->second);
      }
      h.Close("td");
      h.Open("td", {{"data-label", "Access"}});
      h.Element("span", {{"class", t.read_only ? "badge badge-read" : "badge badge-write"}},
                t.read_only ? "Read-only" : "Read and write");
      h.Close("td");
      h.Element("td", {{"class", "cell-date"}, {"data-label", "Created"}},
                t.created_at.substr(0, 10));
      h.Element("td", {{"class", "cell-date"}, {"data-label", "Expires"}},
                t.expires_at.empty() ? "Never" : t.expires_at.substr(0, 10));
      h.Element("td", {{"class", "cell-date"}, {"data-label", "Last used"}},
                t.last_used_at.empty() ? "Never" : ShortTime(t.last_used_at));
      h.Open("td", {{"data-label", "Status"}});
      if (t.revoked) {
        h.Element("span", {{"class", "badge badge-off"}}, "Revoked");
      } else if (expired) {
        h.Element("span", {{"class", "badge badge-off"}}, "Expired");
      } else {
        h.Element("span", {{"class", "badge badge-on"}}, "Active");
      }
      h.Close("td");
      h.Open("td", {{"class", "cell-action"}});
      if (live) {
        ButtonForm(
            h, r, fmt::format("/account/tokens/{}/revoke", t.id),
            {.label = "Revoke",
             .cls = "button button-danger button-small",
             .confirm = "Revoke the token \"" + t.name + "\"? Whatever uses it stops working.",
             .aria_label = "Revoke " + t.name});
      }
      h.Close("td").Close("tr");
    }
    table.Close(h);
  }
  h.Close("section");

  h.Open("section", {{"class", "card"}, {"aria-labelledby", "create-token-title"}});
  h.Element("h2", {{"id", "create-token-title"}}, "Create a token");
  OpenPostForm(h, r, "/account/tokens", "token-form");
  h.Open("div", {{"class", "form-grid form-grid-flush"}});
  Input(h,
        {.name = "name",
         .label = "Name",
         .value = form.name,
         .help = "What will use it, so you recognise it later: \"Nightly export\".",
         .autocomplete = "off",
         .maxlength = "100",
         .required = true},
        error);
  Input(h,
        {.name = "expires_on",
         .label = "Expires after",
         .type = "date",
         .value = form.expires_on,
         .help = "It works through this day. Leave empty for a token that never expires (not "
                 "recommended).",
         .min = Today(r)},
        error);
  h.Open("div", {{"class", "form-field form-field-wide form-field-check"}});
  h.Open("label", {{"class", "check"}});
  if (form.read_only) {
    h.Void("input", {{"type", "checkbox"},
                     {"id", "read_only"},
                     {"name", "read_only"},
                     {"value", "true"},
                     Attr::Flag("checked"),
                     {"aria-describedby", "read_only-help"}});
  } else {
    h.Void("input", {{"type", "checkbox"},
                     {"id", "read_only"},
                     {"name", "read_only"},
                     {"value", "true"},
                     {"aria-describedby", "read_only-help"}});
  }
  h.Element("span", {}, "Read-only");
  h.Close("label");
  h.Element("p", {{"class", "help"}, {"id", "read_only-help"}},
            "Reads and exports records but changes nothing. Keep it on unless the tool has to "
            "write.");
  h.Close("div");
  h.Close("div");
  h.Open("div", {{"class", "form-actions form-actions-flush"}});
  h.Element("button", {{"type", "submit"}, {"class", "button button-primary"}}, "Create token");
  h.Close("div").Close("form").Close("section");

  std::string notice;
  if (r.Query("notice") == "revoked") notice = "The token has been revoked.";
  RenderPage(r, AccountFrame(r, "API tokens", "API tokens", notice), h.Take(), status);
}

// ---------------------------------------------------------------------------------------------
// Second factor

enum class SfMode { kStatus, kEnrol, kCodes };

struct SfView {
  SfMode mode = SfMode::kStatus;
  app::SecondFactorEnrolment enrolment;     // kEnrol
  std::vector<std::string> recovery_codes;  // kCodes
  bool turned_on = false;                   // kCodes: just enrolled (not new codes)
  FormError error;
};

// "JBSW Y3DP EHPK 3PXP": easier to type from the screen.
std::string Grouped(const std::string& secret) {
  std::string out;
  for (size_t i = 0; i < secret.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += ' ';
    out += secret[i];
  }
  return out;
}

void RequiredCallout(Html& h, const Request& r, bool enrolled) {
  h.Open("div", {{"class", enrolled ? "callout" : "callout callout-warn"}});
  if (enrolled) {
    h.Text(fmt::format(
        "{} requires two-step verification for your role ({}). If you turn it off, you will have "
        "to set it up again before you can continue.",
        r.principal.org_name, RoleLabel(r.principal.role)));
  } else {
    h.Text(
        fmt::format("{} requires two-step verification for your role ({}). Set it up to "
                    "continue: it takes a minute and an authenticator app on your phone.",
                    r.principal.org_name, RoleLabel(r.principal.role)));
  }
  h.Close("div");
}

void EnrolSteps(Html& h, const Request& r, const SfView& v) {
  const Status& err = v.error.For("confirm");
  if (!err.ok() && err.field() != "code") ErrorAlert(h, "Not turned on", err.message());
  h.Open("ol", {{"class", "steps"}});
  h.Open("li", {{"class", "step"}});
  h.Element("h2", {}, "Scan the QR code");
  h.Element("p", {{"class", "muted"}},
            "Open your authenticator app (any app for time-based codes: a password manager, "
            "FreeOTP, Google or Microsoft Authenticator) and add an account by scanning:");
  h.Open("div", {{"class", "qr"}})
      .Append(SafeHtml::FromTrusted(v.enrolment.qr_svg,
                                    "base/qr.h draws the SVG from the otpauth URI and escapes "
                                    "the one text in it, its label"))
      .Close("div");
  h.Open("p", {{"class", "muted"}}).Text("Cannot scan it? Enter this key instead:").Close("p");
  h.Element("code", {{"class", "secret-key"}, {"id", "totp-secret"}}, Grouped(v.enrolment.secret));
  h.Close("li");
  h.Open("li", {{"class", "step"}});
  h.Element("h2", {}, "Enter the code it shows");
  OpenPostForm(h, r, "/account/second-factor/confirm", "stack");
  // The key travels back only so that a mistyped code can show the same QR code again; the
  // service checks the code against the key it stored at the start, never against this one.
  h.Void("input", {{"type", "hidden"}, {"name", "secret"}, {"value", v.enrolment.secret}});
  Input(h,
        {.name = "code",
         .label = "6-digit code",
         .id = "confirm-code",
         .autocomplete = "one-time-code",
         .inputmode = "numeric",
         .maxlength = "7",
         .required = true,
         .autofocus = true},
        err);
  h.Element("button", {{"type", "submit"}, {"class", "button button-primary"}},
            "Turn on two-step verification");
  h.Close("form");
  h.Close("li");
  h.Close("ol");
}

void RecoveryCodes(Html& h, const Request& r, const SfView& v) {
  h.Open("section", {{"class", "callout callout-warn secret-once"},
                     {"aria-labelledby", "codes-title"},
                     {"role", "status"}});
  h.Element("h2", {{"id", "codes-title"}},
            v.turned_on ? "Two-step verification is on: save your recovery codes"
                        : "Your new recovery codes");
  h.Element("p", {},
            "Each code signs you in once if you lose your phone. They are shown only now: keep "
            "them in your password manager, or print them and store them somewhere safe." +
                std::string(v.turned_on ? "" : " Your previous codes no longer work."));
  h.Open("ol", {{"class", "recovery-codes"}, {"id", "recovery-codes"}});
  std::string all;
  for (const auto& c : v.recovery_codes) {
    h.Open("li").Element("code", {}, c).Close("li");
    all += c + "\n";
  }
  h.Close("ol");
  h.Open("div", {{"class", "secret-actions"}});
  h.Element("button",
            {{"type", "button"},
             {"class", "button button-secondary"},
             {"data-copy-text", all},
             Attr::Flag("hidden")},
            "Copy codes");
  h.Element("button",
            {{"type", "button"},
             {"class", "button button-secondary"},
             {"data-print", "true"},
             Attr::Flag("hidden")},
            "Print");
  h.Link(r.principal.InAccountSetup() ? "/" : std::string(kSecondFactorPath),
         r.principal.InAccountSetup() ? "I have saved them: continue" : "Done",
         "button button-primary");
  h.Close("div");
  h.Close("section");
}

void StatusCards(Html& h, Request& r, const SfView& v, int left, bool required) {
  if (!r.principal.second_factor) {
    // In the set-up card the page's heading says it all; in the account, a card of its own.
    const bool setup = r.principal.InAccountSetup();
    h.Open("section", {{"class", setup ? "sf-start" : "card sf-card"},
                       {"aria-labelledby", setup ? "" : "sf-title"}});
    if (!setup) {
      h.Open("div", {{"class", "card-title-row"}});
      h.Element("h2", {{"id", "sf-title"}}, "Two-step verification");
      StateBadge(h, false);
      h.Close("div");
    }
    h.Element("p", {},
              "After your password, Rampart asks for a 6-digit code from an authenticator app "
              "on your phone, so a stolen password alone does not open your account.");
    const Status& err = v.error.For("start");
    if (!err.ok()) ErrorAlert(h, "Could not start", err.message());
    ButtonForm(h, r, "/account/second-factor/start",
               {.label = "Set up two-step verification",
                .cls = setup ? "button button-primary button-block" : "button button-primary",
                .form_class = ""});
    h.Close("section");
    return;
  }
  h.Open("section", {{"class", "card sf-card"}, {"aria-labelledby", "sf-title"}});
  h.Open("div", {{"class", "card-title-row"}});
  h.Element("h2", {{"id", "sf-title"}}, "Two-step verification");
  StateBadge(h, true);
  h.Close("div");
  h.Element("p", {},
            "After your password, Rampart asks for a code from your authenticator app, or one "
            "of your recovery codes.");
  h.Open("dl", {{"class", "summary-list"}});
  h.Open("div").Element("dt", {}, "Recovery codes left");
  h.Open("dd", {{"id", "recovery-codes-left"}}).Text(std::to_string(left));
  if (left <= 3) {
    h.Element("span", {{"class", "badge badge-warn"}},
              left == 0 ? "None left: make new ones" : "Running low");
  }
  h.Close("dd").Close("div");
  h.Open("div").Element("dt", {}, "Required for your role");
  h.Element("dd", {}, required ? "Yes" : "No").Close("div");
  h.Close("dl");
  h.Close("section");

  h.Open("div", {{"class", "account-grid"}});
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "codes-new-title"}});
  h.Element("h2", {{"id", "codes-new-title"}}, "New recovery codes");
  h.Element("p", {{"class", "muted"}},
            "Makes ten new codes and cancels the old ones: after using several, or if someone "
            "may have seen them.");
  const Status& regen = v.error.For("codes");
  if (!regen.ok() && regen.field() != "code") ErrorAlert(h, "No new codes", regen.message());
  OpenPostForm(h, r, "/account/second-factor/recovery-codes", "stack");
  Input(h,
        {.name = "code",
         .label = "Code from your app",
         .id = "codes-code",
         .autocomplete = "one-time-code",
         .inputmode = "numeric",
         .maxlength = "20",
         .required = true},
        regen);
  h.Open("div").Element("button", {{"type", "submit"}, {"class", "button button-secondary"}},
                        "Make new recovery codes");
  h.Close("div").Close("form").Close("section");

  h.Open("section", {{"class", "card card-danger"}, {"aria-labelledby", "sf-off-title"}});
  h.Element("h2", {{"id", "sf-off-title"}}, "Turn off");
  h.Element("p", {{"class", "muted"}},
            "Your password alone will sign you in. Confirm with your password and a code.");
  const Status& off = v.error.For("disable");
  if (!off.ok() && off.field() != "code" && off.field() != "password") {
    ErrorAlert(h, "Still on", off.message());
  }
  OpenPostForm(h, r, "/account/second-factor/disable", "stack");
  Input(h,
        {.name = "password",
         .label = "Password",
         .id = "disable-password",
         .type = "password",
         .autocomplete = "current-password",
         .required = true},
        off);
  Input(h,
        {.name = "code",
         .label = "Code from your app, or a recovery code",
         .id = "disable-code",
         .autocomplete = "one-time-code",
         .maxlength = "20",
         .required = true},
        off);
  h.Open("div").Element("button",
                        {{"type", "submit"},
                         {"class", "button button-danger"},
                         {"data-confirm", "Turn off two-step verification?"}},
                        "Turn off two-step verification");
  h.Close("div").Close("form").Close("section");
  h.Close("div");
}

void SecondFactorPage(Request& r, const SfView& v, int status) {
  const bool setup = r.principal.InAccountSetup();
  const bool required = r.principal.needs_second_factor || SecondFactorRequired(r);
  Html h;
  if (!setup) AccountTabs(h, kSecondFactorPath);
  int left = 0;
  if (v.mode == SfMode::kStatus && r.principal.second_factor) {
    auto state = r.services.auth.SecondFactorStatus(r.principal);
    if (state.ok()) left = state->unused_recovery_codes;
  }
  if (required && v.mode != SfMode::kCodes) RequiredCallout(h, r, r.principal.second_factor);
  switch (v.mode) {
    case SfMode::kEnrol:
      EnrolSteps(h, r, v);
      if (!setup) {
        h.Open("p").Link(std::string(kSecondFactorPath), "Cancel", "button button-ghost");
        h.Close("p");
      }
      break;
    case SfMode::kCodes:
      RecoveryCodes(h, r, v);
      break;
    case SfMode::kStatus:
      StatusCards(h, r, v, left, required);
      break;
  }
  if (setup) {
    // Still setting up the account: the page of the signing-in flow, with a way out.
    ButtonForm(h, r, "/signout",
               {.label = "Sign out", .cls = "button button-ghost", .form_class = "setup-signout"});
    RenderAuthPage(r, "Two-step verification", h.Take(), status);
    return;
  }
  std::string notice;
  if (r.Query("notice") == "off") notice = "Two-step verification is off.";
  RenderPage(r, AccountFrame(r, "Two-step verification", "Two-step verification", notice), h.Take(),
             status);
}

// The enrolment shown again after a mistyped code, from the key the form carried back; a key
// that is not a TOTP secret (tampered with) starts over instead.
std::optional<app::SecondFactorEnrolment> EnrolmentFrom(Request& r, const std::string& secret) {
  if (secret.empty() || secret.size() > 64 || !Base32Decode(secret)) return std::nullopt;
  app::SecondFactorEnrolment e;
  e.secret = secret;
  e.uri = OtpauthUri(r.services.auth.options().issuer, r.principal.username, secret);
  auto svg = QrSvg(e.uri, "QR code to add " + r.principal.username + " to an authenticator app");
  if (!svg.ok()) return std::nullopt;
  e.qr_svg = std::move(svg).value();
  return e;
}

}  // namespace

void AccountTabs(Html& h, std::string_view current) {
  using Tab = std::pair<std::string_view, std::string_view>;
  static constexpr std::array<Tab, 5> kTabs = {{
      {"/account", "Profile"},
      {"/account/password", "Password"},
      {"/account/second-factor", "Two-step verification"},
      {"/account/sessions", "Sessions"},
      {"/account/tokens", "API tokens"},
  }};
  h.Open("nav", {{"class", "tabs"}, {"aria-label", "Account"}});
  for (const auto& [href, label] : kTabs) {
    if (href == current) {
      h.Open("a", {{"href", href}, {"class", "tab is-current"}, {"aria-current", "page"}});
    } else {
      h.Open("a", {{"href", href}, {"class", "tab"}});
    }
    h.Text(label).Close("a");
  }
  h.Close("nav");
}

void AddAccountPages(Router& router) {
  const Guard account = Guard::Account();
  const Guard setup = Guard::AccountSetup();

  router.Get("/account", Surface::kWeb, account,
             [](Request& r) { ProfilePage(r, r.principal.display_name, Status::Ok(), 200); });
  router.Post("/account/profile", Surface::kWeb, account, [](Request& r) {
    const std::string name(Trim(r.Form("display_name")));
    Status st = r.services.auth.SetDisplayName(r.principal, name);
    if (!st.ok()) return ProfilePage(r, r.Form("display_name"), st, HttpStatusFor(st.code()));
    r.res.SetRedirect("/account?notice=name", 303);
  });
  router.Post("/account/email", Surface::kWeb, account, [](Request& r) {
    const std::string email = r.Form("email");
    Status st = r.services.auth.SetEmail(r.principal, email);
    if (!st.ok()) {
      return ProfilePage(r, r.principal.display_name, st, HttpStatusFor(st.code()), email);
    }
    r.res.SetRedirect("/account?notice=email", 303);
  });
  router.Post("/account/organisation", Surface::kWeb, account, [](Request& r) {
    const auto org = ParseId(r.Form("org_id"));
    Status st = org ? r.services.auth.SwitchOrganisation(r.principal, r.session_token, *org)
                    : InvalidArgument("choose an organisation", "org_id");
    if (st.ok()) return r.res.SetRedirect("/?notice=organisation", 303);
    Html h;
    ErrorAlert(h, "You are still in " + r.principal.org_name, st.message());
    h.Open("p").Link("/account", "Your organisations", "button button-secondary").Close("p");
    RenderPage(r, AccountFrame(r, "Organisation not switched", "Organisations"), h.Take(),
               HttpStatusFor(st.code()));
  });

  for (const char* verb : {"accept", "decline"}) {
    const bool accept = std::string(verb) == "accept";
    router.Post(std::string(R"(/account/invitations/(\d+)/)") + verb, Surface::kWeb, account,
                [accept](Request& r) {
                  auto done = accept
                                  ? r.services.members.AcceptInvitation(r.principal, r.PathId())
                                  : r.services.members.DeclineInvitation(r.principal, r.PathId());
                  if (done.ok()) {
                    return r.res.SetRedirect(
                        accept ? "/account?notice=accepted" : "/account?notice=declined", 303);
                  }
                  const Status st(done.status().code(), done.status().message(), "invitation");
                  ProfilePage(r, r.principal.display_name, st, HttpStatusFor(st.code()));
                });
  }
  router.Get("/account/sessions", Surface::kWeb, account,
             [](Request& r) { SessionsPage(r, Status::Ok(), 200); });
  router.Post(R"(/account/sessions/(\d+)/end)", Surface::kWeb, account, [](Request& r) {
    Status st = r.services.auth.EndSession(r.principal, r.PathId());
    if (!st.ok()) return SessionsPage(r, st, HttpStatusFor(st.code()));
    r.res.SetRedirect("/account/sessions?notice=ended", 303);
  });
  router.Post("/account/sessions/end-others", Surface::kWeb, account, [](Request& r) {
    auto ended = r.services.auth.EndOtherSessions(r.principal, r.session_token);
    if (!ended.ok()) return SessionsPage(r, ended.status(), HttpStatusFor(ended.status().code()));
    r.res.SetRedirect(fmt::format("/account/sessions?notice=others&n={}", *ended), 303);
  });

  router.Get("/account/tokens", Surface::kWeb, account, [](Request& r) {
    // Least privilege by default: read-only, for 90 days.
    const std::string in_90_days = FormatDate(r.services.clock.Now() + std::chrono::hours(24 * 90));
    TokensPage(r, {.name = "", .read_only = true, .expires_on = in_90_days}, Status::Ok(), "", 200);
  });
  router.Post("/account/tokens", Surface::kWeb, account, [](Request& r) {
    const TokenForm form{.name = r.Form("name"),
                         .read_only = r.Form("read_only") == "true",
                         .expires_on = std::string(Trim(r.Form("expires_on")))};
    auto created =
        r.services.auth.CreateToken(r.principal, form.name, form.read_only, form.expires_on);
    if (!created.ok() && created.status().code() == Code::kReauthenticationRequired) {
      return r.res.SetRedirect("/account/confirm?next=/account/tokens", 303);
    }
    if (!created.ok()) {
      return TokensPage(r, form, created.status(), "", HttpStatusFor(created.status().code()));
    }
    // The answer holds the token: not to be kept by caches or shown again by "back".
    r.res.SetHeader("Cache-Control", "no-store");
    const std::string in_90_days = FormatDate(r.services.clock.Now() + std::chrono::hours(24 * 90));
    TokensPage(r, {.name = "", .read_only = true, .expires_on = in_90_days}, Status::Ok(),
               created->second, 201);
  });
  router.Post(R"(/account/tokens/(\d+)/revoke)", Surface::kWeb, account, [](Request& r) {
    Status st = r.services.auth.RevokeToken(r.principal, r.PathId());
    if (!st.ok()) {
      return TokensPage(r, {}, st, "", HttpStatusFor(st.code()));
    }
    r.res.SetRedirect("/account/tokens?notice=revoked", 303);
  });

  router.Get(std::string(kSecondFactorPath), Surface::kWeb, setup,
             [](Request& r) { SecondFactorPage(r, {}, 200); });
  router.Post("/account/second-factor/start", Surface::kWeb, setup, [](Request& r) {
    auto started = r.services.auth.StartSecondFactor(r.principal);
    if (!started.ok() && started.status().code() == Code::kReauthenticationRequired) {
      return r.res.SetRedirect("/account/confirm?next=/account/second-factor", 303);
    }
    if (!started.ok()) {
      return SecondFactorPage(r, {.error = {"start", started.status()}},
                              HttpStatusFor(started.status().code()));
    }
    r.res.SetHeader("Cache-Control", "no-store");
    SecondFactorPage(r, {.mode = SfMode::kEnrol, .enrolment = std::move(started).value()}, 200);
  });
  router.Post("/account/second-factor/confirm", Surface::kWeb, setup, [](Request& r) {
    r.res.SetHeader("Cache-Control", "no-store");
    auto codes = r.services.auth.ConfirmSecondFactor(r.principal, r.Form("code"));
    if (codes.ok()) {
      return SecondFactorPage(
          r,
          {.mode = SfMode::kCodes, .recovery_codes = std::move(codes).value(), .turned_on = true},
          200);
    }
    const int status = HttpStatusFor(codes.status().code());
    auto enrolment = EnrolmentFrom(r, r.Form("secret"));
    if (codes.status().field() == "code" && enrolment) {
      return SecondFactorPage(r,
                              {.mode = SfMode::kEnrol,
                               .enrolment = std::move(*enrolment),
                               .error = {"confirm", codes.status()}},
                              status);
    }
    SecondFactorPage(r, {.error = {"start", codes.status()}}, status);
  });
  router.Post("/account/second-factor/recovery-codes", Surface::kWeb, account, [](Request& r) {
    r.res.SetHeader("Cache-Control", "no-store");
    auto codes = r.services.auth.NewRecoveryCodes(r.principal, r.Form("code"));
    if (!codes.ok()) {
      return SecondFactorPage(r, {.error = {"codes", codes.status()}},
                              HttpStatusFor(codes.status().code()));
    }
    SecondFactorPage(r, {.mode = SfMode::kCodes, .recovery_codes = std::move(codes).value()}, 200);
  });
  router.Post("/account/second-factor/disable", Surface::kWeb, account, [](Request& r) {
    Status st =
        r.services.auth.DisableSecondFactor(r.principal, r.Form("password"), r.Form("code"));
    if (!st.ok()) {
      return SecondFactorPage(r, {.error = {"disable", st}}, HttpStatusFor(st.code()));
    }
    r.res.SetRedirect("/account/second-factor?notice=off", 303);
  });
}

}  // namespace rampart::http

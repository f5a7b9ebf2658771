#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/text.h"
#include "domain/registers.h"
#include "http/web/web.h"

namespace rampart::http {

using domain::FieldType;
using domain::Json;

namespace {

// Clause titles of ISO/IEC 27001:2022 (identifiers and titles are facts, not text of the standard).
const std::map<std::string, std::string>& ClauseTitles() {
  static const std::map<std::string, std::string> kTitles = {{"4", "Context of the organization"},
                                                             {"5", "Leadership"},
                                                             {"6", "Planning"},
                                                             {"7", "Support"},
                                                             {"8", "Operation"},
                                                             {"9", "Performance evaluation"},
                                                             {"10", "Improvement"}};
  return kTitles;
}

constexpr char kLogo[] =
    R"svg(<svg class="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false"><path d="M4 26V9l4-3 4 3V6l4-3 4 3v3l4-3 4 3v17z" fill="currentColor" opacity=".9"/><path d="M13 26v-6a3 3 0 0 1 6 0v6z" fill="var(--brand-ink)"/></svg>)svg";

void NavLink(Html& h, const PageFrame& f, const std::string& key, const std::string& href,
             const std::string& label, const std::string& clause) {
  if (f.nav == key) {
    h.Open("a", {{"href", href}, {"class", "nav-link is-current"}, {"aria-current", "page"}});
  } else {
    h.Open("a", {{"href", href}, {"class", "nav-link"}});
  }
  h.Element("span", {{"class", "nav-label"}}, label);
  if (!clause.empty()) h.Element("span", {{"class", "nav-clause-ref"}}, clause);
  h.Close("a");
}

// Notifications, with the unread count beside the label (one indexed COUNT per page).
void NotificationsLink(Html& h, const PageFrame& f, Request& r) {
  const auto unread = r.services.notifications.Unread(r.principal);
  const int64_t n = unread.ok() ? *unread : 0;
  if (f.nav == "notifications") {
    h.Open(
        "a",
        {{"href", "/notifications"}, {"class", "nav-link is-current"}, {"aria-current", "page"}});
  } else {
    h.Open("a", {{"href", "/notifications"}, {"class", "nav-link"}});
  }
  h.Element("span", {{"class", "nav-label"}}, "Notifications");
  if (n > 0) {
    h.Element("span", {{"class", "nav-count"}, {"aria-hidden", "true"}},
              n > 99 ? std::string("99+") : std::to_string(n));
    h.Element("span", {{"class", "visually-hidden"}},
              n == 1 ? " (1 unread)" : fmt::format(" ({} unread)", n));
  }
  h.Close("a");
}

}  // namespace

std::string Today(const Request& r) { return FormatDate(r.services.clock.Now()); }

void OpenPostForm(Html& h, const Request& r, std::string_view action, std::string_view cls,
                  std::string_view id) {
  // multipart: one encoding for every form of the pages, with or without a file; the body limit is
  // the server's.
  h.Open("form", {{"method", "post"},
                  {"action", action},
                  {"class", cls},
                  {"id", id},
                  {"enctype", "multipart/form-data"}});
  h.Void("input", {{"type", "hidden"}, {"name", "_csrf"}, {"value", r.principal.csrf_token}});
}

void ButtonForm(Html& h, const Request& r, std::string_view action, const ButtonFormOptions& b) {
  OpenPostForm(h, r, action, b.form_class);
  for (const auto& [name, value] : b.hidden) {
    h.Void("input", {{"type", "hidden"}, {"name", name}, {"value", value}});
  }
  h.Element("button",
            {{"type", "submit"},
             {"class", b.cls},
             {"data-confirm", b.confirm},
             {"aria-label", b.aria_label}},
            b.label);
  h.Close("form");
}

void Table::Open(Html& h) const {
  if (scroll == TableScroll::kWrapped) h.Open("div", {{"class", "table-scroll"}});
  h.Open("table", {{"class", cls}});
  if (!caption.empty()) {
    h.Element("caption",
              {{"class", caption_shown == Visibility::kVisuallyHidden ? "visually-hidden" : ""}},
              caption);
  }
  h.Open("thead").Open("tr");
  for (const auto& c : columns) {
    if (c.sort == ColumnSort::kNotSortable) {
      h.Open("th", {{"scope", "col"}, {"class", c.cls}});
    } else {
      const bool active = c.sort != ColumnSort::kUnsorted;
      h.Open("th", {{"scope", "col"},
                    {"class", c.cls},
                    {"aria-sort", !active                            ? "none"
                                  : c.sort == ColumnSort::kAscending ? "ascending"
                                                                     : "descending"}});
      h.Open("a", {{"href", c.sort_href}, {"class", active ? "sort is-active" : "sort"}});
    }
    if (c.shown == Visibility::kVisuallyHidden) {
      h.Element("span", {{"class", "visually-hidden"}}, c.label);
    } else {
      h.Text(c.label);
    }
    if (c.sort != ColumnSort::kNotSortable) {
      h.Element("span", {{"class", "sort-arrow"}, {"aria-hidden", "true"}},
                c.sort == ColumnSort::kUnsorted    ? "↕"
                : c.sort == ColumnSort::kAscending ? "↑"
                                                   : "↓");
      h.Close("a");
    }
    h.Close("th");
  }
  h.Close("tr").Close("thead").Open("tbody");
}

void Table::Close(Html& h) const {
  h.Close("tbody").Close("table");
  if (scroll == TableScroll::kWrapped) h.Close("div");
}

void SessionsTable(Html& h, const Request& r, const std::vector<domain::Session>& sessions,
                   const SessionsTableOptions& o) {
  std::vector<TableColumn> columns = {
      {.label = "Browser"}, {.label = "Address"}, {.label = "Signed in"}, {.label = "Last active"}};
  if (o.show_ends) columns.push_back({.label = "Ends"});
  columns.push_back({.label = "Action", .shown = Visibility::kVisuallyHidden});
  const Table table{.cls = "data-table stack-narrow no-sort labelled-badges",
                    .caption = o.caption,
                    .columns = std::move(columns)};
  table.Open(h);
  for (const auto& s : sessions) {
    const bool current = o.current_session != 0 && s.id == o.current_session;
    const std::string browser = BrowserName(s.user_agent);
    h.Open("tr", {{"class", current ? "is-current-row" : ""}});
    h.Open("td", {{"class", "cell-title"}}).Open("div", {{"class", "cell-line"}});
    h.Element("span", {{"title", s.user_agent}}, browser);
    if (current) h.Element("span", {{"class", "badge badge-on"}}, "This session");
    if (s.stage == domain::Session::Stage::kSecondFactor) {
      h.Element("span", {{"class", "badge badge-warn"}}, "Waiting for a code");
    }
    h.Close("div").Close("td");
    h.Element("td", {{"class", "cell-mono"}, {"data-label", "Address"}},
              s.address.empty() ? "—" : s.address);
    h.Element("td", {{"class", "cell-date"}, {"data-label", "Signed in"}}, ShortTime(s.created_at));
    h.Element("td", {{"class", "cell-date"}, {"data-label", "Last active"}},
              ShortTime(s.last_seen_at));
    if (o.show_ends) {
      h.Element("td", {{"class", "cell-date"}, {"data-label", "Ends"}}, ShortTime(s.expires_at));
    }
    h.Open("td", {{"class", "cell-action"}});
    if (current && o.sign_out_current) {
      ButtonForm(h, r, "/signout",
                 {.label = "Sign out", .cls = "button button-secondary button-small"});
    } else {
      ButtonForm(h, r, fmt::format("{}/{}/end", o.sessions_url, s.id),
                 {.label = "End",
                  .cls = "button button-secondary button-small",
                  .aria_label = fmt::format("End the session of {} from {}", browser, s.address)});
    }
    h.Close("td").Close("tr");
  }
  table.Close(h);
}

void FormErrorSummary(Html& h, const std::vector<domain::FieldError>& errors,
                      const std::string& message) {
  if (errors.empty() && message.empty()) return;
  h.Open("div", {{"class", "alert alert-error"},
                 {"role", "alert"},
                 {"tabindex", "-1"},
                 {"id", "error-summary"}});
  h.Element("h2", {}, errors.empty() ? "This could not be saved" : "Please correct the following");
  if (!message.empty()) h.Element("p", {}, message);
  if (!errors.empty()) {
    h.Open("ul");
    for (const auto& e : errors) {
      std::string anchor = e.field;
      for (char& c : anchor) {
        if (c == '[' || c == ']' || c == '.') c = '-';
      }
      h.Open("li").Link("#" + anchor, e.message).Close("li");
    }
    h.Close("ul");
  }
  h.Close("div");
}

void Input(Html& h, const InputField& f, const Status& error) {
  const std::string id = f.id.empty() ? f.name : f.id;
  const bool bad = !error.ok() && error.field() == f.name;
  std::string described;
  if (!f.help.empty()) described = id + "-help";
  if (bad) described += (described.empty() ? "" : " ") + id + "-error";
  // Codes, names and tokens are typed exactly: no capitalisation or spelling help.
  const bool exact = f.type == "text" && f.name != "display_name";
  h.Open("div", {{"class", bad ? "form-field has-error" : "form-field"}});
  h.Open("label", {{"for", id}}).Text(f.label);
  if (f.required) {
    h.Element("span", {{"class", "req"}, {"aria-hidden", "true"}}, " *");
    h.Element("span", {{"class", "visually-hidden"}}, " (required)");
  }
  h.Close("label");
  h.Void("input", {{"type", f.type},
                   {"id", id},
                   {"name", f.name},
                   {"value", f.value},
                   {"autocomplete", f.autocomplete},
                   {"inputmode", f.inputmode},
                   {"maxlength", f.maxlength},
                   {"min", f.min},
                   {"required", f.required ? "required" : ""},
                   {"autofocus", bad || f.autofocus ? "autofocus" : ""},
                   {"autocapitalize", exact ? "none" : ""},
                   {"spellcheck", exact ? "false" : ""},
                   {"aria-invalid", bad ? "true" : "false"},
                   {"aria-describedby", described}});
  if (!f.help.empty()) h.Element("p", {{"class", "help"}, {"id", id + "-help"}}, f.help);
  if (bad) h.Element("p", {{"class", "field-error"}, {"id", id + "-error"}}, error.message());
  h.Close("div");
}

void ErrorAlert(Html& h, const std::string& title, const std::string& message) {
  h.Open("div", {{"class", "alert alert-error"},
                 {"role", "alert"},
                 {"tabindex", "-1"},
                 {"id", "error-summary"}});
  h.Element("h2", {}, title);
  h.Element("p", {}, message);
  h.Close("div");
}

std::string ShortTime(const std::string& utc) {
  if (utc.empty()) return "—";
  if (utc.size() < 16 || utc[10] != 'T') return utc;
  return utc.substr(0, 10) + " " + utc.substr(11, 5) + " UTC";
}

std::string BrowserName(const std::string& user_agent) {
  auto has = [&](std::string_view s) { return user_agent.find(s) != std::string::npos; };
  if (user_agent.empty()) return "Unknown browser";
  std::string browser;
  if (has("Edg/")) {
    browser = "Edge";
  } else if (has("OPR/")) {
    browser = "Opera";
  } else if (has("Firefox/")) {
    browser = "Firefox";
  } else if (has("HeadlessChrome")) {
    browser = "Headless Chrome";
  } else if (has("Chrome/") || has("Chromium/")) {
    browser = "Chrome";
  } else if (has("Safari/")) {
    browser = "Safari";
  } else {
    // A tool: "curl/8.5.0" reads as curl.
    browser = user_agent.substr(0, std::min(user_agent.find_first_of("/ "), size_t{40}));
  }
  std::string os;
  if (has("Windows")) {
    os = "Windows";
  } else if (has("Android")) {
    os = "Android";
  } else if (has("iPhone") || has("iPad")) {
    os = "iOS";
  } else if (has("Mac OS X") || has("Macintosh")) {
    os = "macOS";
  } else if (has("CrOS")) {
    os = "ChromeOS";
  } else if (has("Linux")) {
    os = "Linux";
  }
  return os.empty() ? browser : browser + " on " + os;
}

namespace {

// Several organisations: a form in the sidebar to move the session to another one. A plain
// form and button, so it works without JavaScript and with the keyboard as any other form.
void OrganisationSwitcher(Html& h, const Request& r,
                          const std::vector<domain::Membership>& memberships) {
  OpenPostForm(h, r, "/account/organisation", "org-switch");
  h.Element("label", {{"for", "org-switch"}}, "Organisation");
  h.Open("div", {{"class", "org-switch-row"}});
  h.Open("select", {{"id", "org-switch"}, {"name", "org_id"}});
  for (const auto& m : memberships) {
    const std::string id = std::to_string(m.org_id);
    if (m.org_id == r.principal.org_id) {
      h.Open("option", {{"value", id}, Attr::Flag("selected")}).Text(m.org_name).Close("option");
    } else {
      h.Element("option", {{"value", id}}, m.org_name);
    }
  }
  h.Close("select");
  h.Element("button", {{"type", "submit"}, {"class", "button button-secondary button-small"}},
            "Switch");
  h.Close("div").Close("form");
}

}  // namespace

void RenderPage(Request& r, const PageFrame& f, const SafeHtml& body, int status) {
  Html h;
  h.Raw(
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
  h.Element("title", {}, f.title + " · Rampart");
  h.Raw(
      "<link rel=\"stylesheet\" href=\"/static/app.css\">"
      "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
      "<script src=\"/static/app.js\" defer></script></head><body>");
  h.Raw("<a class=\"skip-link\" href=\"#main\">Skip to content</a><div class=\"shell\">");

  // Sidebar: navigation by clause.
  h.Open("aside", {{"class", "sidebar"}});
  h.Open("div", {{"class", "sidebar-top"}});
  h.Open("div", {{"class", "brand-block"}});
  h.Open("a", {{"class", "brand"}, {"href", "/"}}).Raw(kLogo).Element("span", {}, "Rampart");
  h.Close("a");
  // Switching organisation is offered to sessions of people in several; an API token acts for
  // one organisation.
  std::vector<domain::Membership> memberships;
  if (r.principal.credential == app::Credential::kSession) {
    auto all = r.services.auth.Memberships(r.principal);
    if (all.ok()) memberships = std::move(all).value();
  }
  const bool switcher = memberships.size() > 1;
  if (!switcher) h.Element("div", {{"class", "org-name"}}, r.principal.org_name);
  h.Close("div");
  // Shown by app.js on narrow screens; without JavaScript the navigation simply stays open.
  h.Open("button", {{"type", "button"},
                    {"class", "nav-toggle"},
                    {"aria-expanded", "false"},
                    {"aria-controls", "sidebar-panel"},
                    Attr::Flag("hidden")});
  h.Element("span", {{"class", "nav-toggle-icon"}, {"aria-hidden", "true"}}, "");
  h.Text("Menu").Close("button");
  h.Close("div");
  h.Open("div", {{"class", "sidebar-panel"}, {"id", "sidebar-panel"}});
  if (switcher) OrganisationSwitcher(h, r, memberships);
  h.Open("nav", {{"aria-label", "ISMS"}});
  h.Open("div", {{"class", "nav-group"}});
  const bool reads = r.principal.Can(domain::Permission::kReadRecords);
  if (reads) NavLink(h, f, "overview", "/", "Overview", "");
  if (reads) NavLink(h, f, "getting-started", "/getting-started", "Getting started", "");
  if (reads) NavLink(h, f, "readiness", "/readiness", "Readiness", "");
  if (reads) NavLink(h, f, "reports", "/reports", "Reports", "");
  NavLink(h, f, "my", "/my", "My work", "");
  NotificationsLink(h, f, r);
  h.Close("div");
  std::map<int, std::vector<const domain::RegisterSpec*>> by_clause;
  // The registers are for readers of records; staff have only their own work.
  for (const auto* spec :
       reads ? domain::AllRegisters() : std::vector<const domain::RegisterSpec*>{}) {
    by_clause[std::stoi(spec->clause.substr(0, spec->clause.find('.')))].push_back(spec);
  }
  for (const auto& [clause, specs] : by_clause) {
    const std::string c = std::to_string(clause);
    h.Open("div", {{"class", "nav-group"}});
    h.Open("div", {{"class", "nav-heading"}});
    h.Element("span", {{"class", "nav-heading-no"}}, c);
    h.Text(ClauseTitles().count(c) != 0 ? ClauseTitles().at(c) : "Clause " + c);
    h.Close("div");
    // The Statement of Applicability is not a register: it follows clause 6.1's registers.
    bool soa_shown = clause != 6;
    for (const auto* spec : specs) {
      if (!soa_shown && !spec->clause.starts_with("6.1")) {
        NavLink(h, f, "soa", "/soa", "Statement of Applicability", "6.1.3");
        soa_shown = true;
      }
      NavLink(h, f, spec->path, "/" + spec->path, spec->plural, spec->clause);
      for (const auto& v : PageHooksFor(*spec).views)
        NavLink(h, f, v.key, v.href, v.label, v.clause);
    }
    if (!soa_shown) NavLink(h, f, "soa", "/soa", "Statement of Applicability", "6.1.3");
    h.Close("div");
  }
  // Entries lead only where the role may go.
  if (r.principal.Can(domain::Permission::kReadAuditTrail)) {
    h.Open("div", {{"class", "nav-group"}});
    h.Element("div", {{"class", "nav-heading"}}, "Assurance");
    NavLink(h, f, "audit", "/audit", "Audit trail", "");
    h.Close("div");
  }
  const bool users = r.principal.Can(domain::Permission::kManageUsers);
  const bool settings = r.principal.Can(domain::Permission::kManageSettings);
  if (users || settings) {
    h.Open("div", {{"class", "nav-group"}});
    h.Element("div", {{"class", "nav-heading"}}, "Administration");
    if (users) NavLink(h, f, "people", "/admin/users", "People", "");
    if (settings) NavLink(h, f, "organisation", "/admin/organisation", "Organisation", "");
    h.Close("div");
  }
  h.Close("nav");
  h.Open("div", {{"class", "user-menu"}});
  h.Open("div", {{"class", "user-id"}});
  h.Element("span", {{"class", "avatar"}, {"aria-hidden", "true"}},
            r.principal.display_name.empty() ? "?" : r.principal.display_name.substr(0, 1));
  h.Open("span").Element("strong", {}, r.principal.display_name);
  h.Element("small", {}, r.principal.username).Close("span");
  h.Close("div");
  if (f.nav == "account") {
    h.Open("a", {{"href", "/account"}, {"class", "user-link is-current"}, {"aria-current", "page"}})
        .Text("Account")
        .Close("a");
  } else {
    h.Link("/account", "Account", "user-link");
  }
  ButtonForm(h, r, "/signout", {.label = "Sign out", .cls = "user-link"});
  h.Close("div");
  h.Close("div");  // sidebar-panel
  h.Close("aside");

  // Main column.
  h.Open("main", {{"id", "main"}, {"class", "main"}, {"tabindex", "-1"}});
  h.Open("header", {{"class", "page-header"}});
  if (!f.crumbs.empty()) {
    h.Open("nav", {{"class", "crumbs"}, {"aria-label", "Breadcrumb"}}).Open("ol");
    for (const auto& c : f.crumbs) {
      h.Open("li");
      if (c.href.empty()) {
        h.Element("span", {{"aria-current", "page"}}, c.label);
      } else {
        h.Link(c.href, c.label);
      }
      h.Close("li");
    }
    h.Close("ol").Close("nav");
  }
  h.Open("div", {{"class", "page-title-row"}}).Open("div");
  h.Element("h1", {}, f.title);
  if (!f.subtitle.empty()) h.Element("p", {{"class", "subtitle"}}, f.subtitle);
  h.Close("div");
  if (!f.actions.empty()) h.Open("div", {{"class", "page-actions"}}).Append(f.actions).Close("div");
  h.Close("div").Close("header");
  if (!f.notice.empty()) {
    h.Open("div", {{"class", "notice"}, {"role", "status"}}).Text(f.notice).Close("div");
  }
  h.Append(body);
  h.Close("main").Raw("</div></body></html>");
  r.res.status = status;
  r.res.SetContent(h.Take().Release(), "text/html; charset=utf-8");
}

std::string UserName(int64_t id, const std::vector<domain::UserSummary>& members) {
  for (const auto& m : members) {
    if (m.id == id) return m.display_name.empty() ? m.username : m.display_name;
  }
  return fmt::format("user {}", id);
}

std::string CountOf(const domain::RegisterSpec& spec, int64_t n) {
  if (n == 1) return "1 " + LowerNoun(spec.singular);
  // A plural that is a collective name ("ISMS scope") counts its members ("scope statements").
  const std::string plural = LowerNoun(spec.plural);
  const bool counts = !plural.empty() && plural.back() == 's';
  return fmt::format("{} {}", n, counts ? plural : LowerNoun(spec.singular) + "s");
}

namespace {

// Record stamps such as approved_at are ISO 8601 UTC; people read them to the minute.
bool IsTimestamp(const domain::FieldSpec& f, const std::string& s) {
  return f.name.size() > 3 && f.name.compare(f.name.size() - 3, 3, "_at") == 0 && s.size() >= 17 &&
         s[4] == '-' && s[10] == 'T' && s.back() == 'Z';
}

}  // namespace

std::string DisplayValue(const domain::FieldSpec& f, const Json& v,
                         const std::vector<domain::UserSummary>& members) {
  if (v.is_null()) return "";
  switch (f.type) {
    case FieldType::kEnum:
      return f.ChoiceLabel(v.get<std::string>());
    case FieldType::kBool:
      return v.get<bool>() ? "Yes" : "No";
    case FieldType::kUser:
      return UserName(v.get<int64_t>(), members);
    case FieldType::kInteger:
      return std::to_string(v.get<int64_t>());
    case FieldType::kDecimal:
      return FormatNumber(v.get<double>());
    case FieldType::kList: {
      std::string out;
      // A set of choices by their labels ("Administrator, Executive"), other lists as written.
      for (const auto& item : v) {
        out += (out.empty() ? "" : ", ") + f.ChoiceLabel(item.get<std::string>());
      }
      return out;
    }
    case FieldType::kTable:
      return fmt::format("{} entries", v.size());
    default: {
      if (!v.is_string()) return v.dump();
      const std::string s = v.get<std::string>();
      if (IsTimestamp(f, s)) return s.substr(0, 10) + " " + s.substr(11, 5) + " UTC";
      return s;
    }
  }
}

void Badge(Html& h, const domain::FieldSpec& f, const Json& v) {
  if (!v.is_string()) return;
  const std::string value = v.get<std::string>();
  const std::string cls = "badge badge-" + f.name + "-" + value;
  h.Element("span", {{"class", cls}}, f.ChoiceLabel(value));
}

namespace {

std::string ShortValue(const domain::FieldSpec* f, const Json& v,
                       const std::vector<domain::UserSummary>& members) {
  if (v.is_null()) return "—";
  if (f == nullptr) return v.is_string() ? v.get<std::string>() : v.dump();
  if (f->type == FieldType::kTable) {
    return fmt::format("{} {}", v.size(), v.size() == 1 ? "entry" : "entries");
  }
  if (f->type == FieldType::kLongText) {
    std::string s = v.get<std::string>();
    if (s.size() > 160) s = s.substr(0, 157) + "…";
    return s;
  }
  const std::string s = DisplayValue(*f, v, members);
  return s.empty() ? "—" : s;
}

// A table cell in a sentence: short, and "—" when empty.
std::string CellText(const domain::FieldSpec& c, const Json& row,
                     const std::vector<domain::UserSummary>& members) {
  const Json v = row.is_object() ? row.value(c.name, Json()) : Json();
  // Rows of old events may hold what a column's type no longer reads: shown as stored.
  const bool readable =
      ((c.type != FieldType::kUser && c.type != FieldType::kInteger) || v.is_number_integer()) &&
      (c.type != FieldType::kDecimal || v.is_number());
  const bool typed = readable && (c.type != FieldType::kEnum || v.is_string()) &&
                     (c.type != FieldType::kBool || v.is_boolean());
  std::string s = v.is_null() ? "" : typed ? DisplayValue(c, v, members) : v.dump();
  if (s.size() > 80) {
    size_t cut = 77;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
    s = s.substr(0, cut) + "…";
  }
  return s.empty() ? "—" : s;
}

// "action 'Deploy EDR'": a row by its naming column.
std::string RowName(const domain::FieldSpec& table, const Json& row,
                    const std::vector<domain::UserSummary>& members) {
  const domain::FieldSpec& name = app::RowNameColumn(table);
  return fmt::format("{} '{}'", ToLower(name.label), CellText(name, row, members));
}

// The other non-empty columns of a row: "owner Alice, due 2026-05-01, status Open".
std::string RowDetails(const domain::FieldSpec& table, const Json& row,
                       const std::vector<domain::UserSummary>& members) {
  const domain::FieldSpec& name = app::RowNameColumn(table);
  std::string out;
  if (!row.is_object()) return out;
  for (const auto& c : table.columns) {
    if (&c == &name || row.value(c.name, Json()).is_null()) continue;
    const std::string cell = CellText(c, row, members);
    if (cell == "—") continue;
    out += (out.empty() ? "" : ", ") + ToLower(c.label) + " " + cell;
  }
  return out;
}

// How a table's rows changed, one item each: "action 'Deploy EDR': owner Alice → Bob", "added
// action 'Patch servers' (owner Bob, status Open)", "removed action 'Buy a safe'".
void TableChanges(Html& h, const domain::FieldSpec& table, const Json& from, const Json& to,
                  const std::vector<domain::UserSummary>& members) {
  const auto changes = app::DiffTableRows(table, from, to);
  if (changes.empty()) {
    h.Text(from.is_array() && to.is_array() && from.size() == to.size() ? "Rows reordered" : "—");
    return;
  }
  h.Open("ul", {{"class", "row-changes"}});
  for (const auto& c : changes) {
    switch (c.kind) {
      case app::RowChange::Kind::kAdded: {
        const std::string details = RowDetails(table, c.after, members);
        h.Element("li", {{"class", "row-added"}},
                  "added " + RowName(table, c.after, members) +
                      (details.empty() ? "" : " (" + details + ")"));
        break;
      }
      case app::RowChange::Kind::kRemoved:
        h.Element("li", {{"class", "row-removed"}}, "removed " + RowName(table, c.before, members));
        break;
      case app::RowChange::Kind::kChanged: {
        std::string text = RowName(table, c.before, members) + ": ";
        for (size_t i = 0; i < c.columns.size(); ++i) {
          const domain::FieldSpec& col = *c.columns[i];
          text += fmt::format("{}{} {} → {}", i == 0 ? "" : ", ", ToLower(col.label),
                              CellText(col, c.before, members), CellText(col, c.after, members));
        }
        h.Element("li", {{"class", "row-changed"}}, text);
        break;
      }
    }
  }
  h.Close("ul");
}

// A value in the history: references by title and linked, a new table's rows one per line.
void HistoryValue(Html& h, const domain::FieldSpec* f, const Json& v,
                  const std::vector<domain::UserSummary>& members, const RefTitles& refs) {
  if (f != nullptr && !v.is_null() && (f->type == FieldType::kRef || f->type == FieldType::kRefs)) {
    if (v.is_array() && v.empty()) {
      h.Text("—");
    } else {
      RefLinks(h, *f, v, refs);
    }
    return;
  }
  if (f != nullptr && f->type == FieldType::kTable && v.is_array() && !v.empty()) {
    h.Open("ul", {{"class", "row-changes"}});
    for (const auto& row : v) {
      const std::string details = RowDetails(*f, row, members);
      h.Element("li", {},
                CellText(app::RowNameColumn(*f), row, members) +
                    (details.empty() ? "" : " (" + details + ")"));
    }
    h.Close("ul");
    return;
  }
  // A frozen copy of another record kept as text (an acceptance's risk): the record's page shows
  // it readably; its JSON is not for people.
  if (f != nullptr && f->type == FieldType::kLongText && v.is_string() &&
      v.get_ref<const std::string&>().starts_with("{") &&
      Json::accept(v.get_ref<const std::string&>())) {
    h.Element("span", {{"class", "muted"}}, "recorded (shown on the record's page)");
    return;
  }
  h.Text(ShortValue(f, v, members));
}

const char* ActionLabel(const std::string& action) {
  if (action == "create") return "created";
  if (action == "update") return "changed";
  if (action == "delete") return "deleted";
  if (action == "approve") return "approved";
  if (action == "supersede") return "superseded";
  return "";
}

}  // namespace

void RenderHistory(Html& h, const domain::RegisterSpec& spec,
                   const std::vector<domain::AuditEvent>& events,
                   const std::vector<domain::UserSummary>& members, const RefTitles& refs) {
  h.Open("section", {{"class", "card history"}, {"aria-labelledby", "history-title"}});
  h.Element("h2", {{"id", "history-title"}}, "History");
  if (events.empty()) {
    h.Element("p", {{"class", "muted"}}, "No changes recorded.");
    h.Close("section");
    return;
  }
  h.Open("ol", {{"class", "timeline"}});
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    const auto& e = *it;
    h.Open("li", {{"class", "timeline-item timeline-" + e.action}});
    h.Open("div", {{"class", "timeline-head"}});
    h.Element("strong", {}, e.actor);
    const std::string label = ActionLabel(e.action);
    h.Text(" ").Text(label.empty() ? e.action : label).Text(" ");
    h.Element("time", {{"datetime", e.at}}, e.at.substr(0, 16).replace(10, 1, " ") + " UTC");
    const std::string seq = std::to_string(e.seq);
    h.Element("span", {{"class", "event-seq"}, {"title", fmt::format("audit event {}", seq)}},
              fmt::format("#{}", seq));
    h.Close("div");
    if (e.diff.is_object() && !e.diff.empty() && e.action != "delete") {
      // A new record has no "before": its first event lists the values it was created with.
      const bool created = e.action == "create";
      const Table table{
          .cls = created ? "diff diff-created" : "diff",
          .columns = created ? std::vector<TableColumn>{{.label = "Field"}, {.label = "Value"}}
                             : std::vector<TableColumn>{{.label = "Field"},
                                                        {.label = "Before"},
                                                        {.label = "After"}},
          .scroll = TableScroll::kNone};
      table.Open(h);
      // Fields in the order the form shows them, then any the register no longer describes.
      std::vector<std::string> names;
      for (const auto& field : spec.fields) {
        if (e.diff.contains(field.name)) names.push_back(field.name);
      }
      for (const auto& [name, _] : e.diff.items()) {
        if (spec.Field(name) == nullptr) names.push_back(name);
      }
      for (const auto& name : names) {
        const Json& change = e.diff[name];
        const domain::FieldSpec* f = spec.Field(name);
        const Json to = change.value("to", Json());
        if (created && to.is_null()) continue;
        const Json from = change.value("from", Json());
        h.Open("tr").Element("th", {{"scope", "row"}}, f != nullptr ? f->label : name);
        if (!created && f != nullptr && f->type == FieldType::kTable) {
          // What changed inside the table, row by row, across both columns.
          h.Open("td", {{"class", "diff-rows"}, {"colspan", "2"}});
          TableChanges(h, *f, from, to, members);
          h.Close("td").Close("tr");
          continue;
        }
        if (!created) {
          h.Open("td", {{"class", "diff-from"}});
          HistoryValue(h, f, from, members, refs);
          h.Close("td");
        }
        h.Open("td", {{"class", created ? "diff-value" : "diff-to"}});
        HistoryValue(h, f, to, members, refs);
        h.Close("td");
        h.Close("tr");
      }
      table.Close(h);
    }
    h.Close("li");
  }
  h.Close("ol").Close("section");
}

const RegisterPageHooks& PageHooksFor(const domain::RegisterSpec& spec) {
  static const PageHooks kAll = [] {
    PageHooks all;
    AddContextPageHooks(all);
    AddRiskPageHooks(all);
    AddDocumentPageHooks(all);
    AddPlanningPageHooks(all);
    AddSupportPageHooks(all);
    AddLeadershipPageHooks(all);
    AddTaskPageHooks(all);
    AddOperationPageHooks(all);
    AddMetricPageHooks(all);
    AddInternalAuditPageHooks(all);
    AddManagementReviewPageHooks(all);
    AddFrameworkPageHooks(all);
    return all;
  }();
  static const RegisterPageHooks kNone;
  const auto it = kAll.find(&spec);
  return it == kAll.end() ? kNone : it->second;
}

void RegisterWebRoutes(Router& router) {
  AddStaticRoutes(router);
  AddAuthPages(router);
  AddContextPages(router);        // before the generic pages: /context-issues/swot, /scope/current
  AddRiskPages(router);           // ... /risks/heatmap, /risks/treatment-plan
  AddSupportPages(router);        // ... /competence-matrix
  AddLeadershipPages(router);     // ... /raci, /isms-processes/standard
  AddInternalAuditPages(router);  // ... /audit-programmes/{id}/coverage
  AddManagementReviewPages(router);  // ... /management-reviews/{id}/minutes
  AddFrameworkPages(router);         // ... /frameworks/oscal-import, …/coverage
  AddAccountPages(router);
  AddNotificationPages(router);
  AddAdminPages(router);
  AddEvidencePages(router);
  AddImportPages(router);
  AddSoaPages(router);
  AddDocumentPages(router);  // before the generic pages: /document-versions/compare
  AddMandatoryPages(router);
  AddReadinessPages(router);
  AddReportPages(router);
  AddOverviewPages(router);
  for (const auto* spec : domain::AllRegisters()) AddRegisterPages(router, *spec);
}

}  // namespace rampart::http

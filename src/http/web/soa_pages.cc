// The Statement of Applicability's pages:
//   /soa                         the 93 controls by theme, filters, exports, approval
//   /soa/{control_id}/edit       deciding one control (POST /soa/{control_id} saves; "Save and
//                                next" goes on to the next control the list's filter shows)
//   POST /soa/decisions          deciding the selected (or all shown) controls alike
//   /soa/versions                approved versions and the choice of two to compare
//   /soa/versions/{n}            one approved version as it was approved
//   /soa/compare?from=&to=       what changed, control by control
//   /soa/print?version=N|current the print-ready document, without the navigation
// Current lines and approved snapshots are both rendered from their JSON form (SoaLineJson), so
// a version reads exactly like the statement did when it was approved.
#include <fmt/format.h>

#include <charconv>
#include <map>
#include <optional>
#include <set>

#include "app/record_codec.h"
#include "base/text.h"
#include "domain/risk.h"
#include "domain/soa.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

using domain::Json;

namespace {

constexpr const char* kNav = "soa";
constexpr const char* kTitle = "Statement of Applicability";

std::string Str(const Json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

std::string ApplicableText(const Json& v) {
  return v.is_boolean() ? (v.get<bool>() ? "Applicable" : "Excluded") : "Undecided";
}

void ApplicableBadge(Html& h, const Json& v) {
  const std::string cls = v.is_boolean() ? (v.get<bool>() ? "yes" : "no") : "undecided";
  h.Element("span", {{"class", "badge badge-soa-applicable-" + cls}}, ApplicableText(v));
}

void StatusBadge(Html& h, const Json& line) {
  const std::string status = Str(line["status"]);
  h.Element("span", {{"class", "badge badge-soa-" + status}}, domain::SoaStatusLabel(status));
  if (line["status_override"].is_string()) {
    h.Element("span", {{"class", "tag"}, {"title", Str(line["override_reason"])}}, "Overridden");
  }
}

std::string Reasons(const Json& line) {
  std::string out;
  for (const auto& r : line["reasons"]) {
    out += (out.empty() ? "" : ", ") + domain::SoaReasonLabel(Str(r));
  }
  return out;
}

// A line names at most this many of its risks; the rest are counted (a control can treat
// thousands of risks, and the page must stay readable and fast). A listing has no more; an
// approved version's snapshot has them all.
constexpr size_t kRisksShown = app::SoaService::kListedRisks;

// Titles of the risks the lines name: one statement for the page.
std::map<int64_t, std::string> RiskTitles(Request& r, const Json& lines) {
  std::set<int64_t> ids;
  for (const auto& l : lines) {
    size_t n = 0;
    for (const auto& id : l["risks"]) {
      if (n++ == kRisksShown) break;
      ids.insert(id.get<int64_t>());
    }
  }
  if (ids.empty()) return {};
  auto titles = r.services.registers.Titles(r.principal, domain::Risks(),
                                            std::vector<int64_t>(ids.begin(), ids.end()));
  return titles.ok() ? *titles : std::map<int64_t, std::string>();
}

struct TableOptions {
  bool edit_links = false;  // the current statement, to a role that may decide
  bool links = true;        // links to applied controls and risks (not in print)
  std::string filter;       // the list's filter as a query ("?theme=People"), kept by edit links
  // The id of the form deciding several controls: each line gets a checkbox of it, checked
  // when its control is in `selected`.
  std::string select_form;
  const std::set<std::string>* selected = nullptr;
};

// "5.1:3": a control and the version of its entry, as the form deciding several sends them.
std::string ControlVersionValue(const Json& line) {
  return Str(line["control_id"]) + ":" + std::to_string(line.value("version", int64_t{0}));
}

// One table per theme of `lines` (SoaLineJson), every column.
void SoaTables(Html& h, const Json& lines, const std::map<int64_t, std::string>& risk_titles,
               const TableOptions& o) {
  for (const auto& theme : domain::AnnexAThemes()) {
    bool any = false;
    for (const auto& l : lines) any = any || l["theme"] == theme;
    if (!any) continue;
    const std::string id = "theme-" + ToLower(theme);
    h.Open("section", {{"class", "card table-card soa-theme"}, {"aria-labelledby", id}});
    h.Element("h2", {{"id", id}}, theme + " controls");
    const Table table{.cls = "data-table soa-table",
                      .columns = {{.label = "Control"},
                                  {.label = "Applicability"},
                                  {.label = "Justification"},
                                  {.label = "Implementation"},
                                  {.label = "Applied controls"},
                                  {.label = "Risks"}}};
    table.Open(h);
    for (const auto& l : lines) {
      if (l["theme"] != theme) continue;
      const std::string control = Str(l["control_id"]);
      h.Open("tr", {{"id", "c-" + control}});
      h.Open("td", {{"class", "cell-title"}});
      if (!o.select_form.empty()) {
        const std::string value = ControlVersionValue(l);
        const std::string label = "Select " + control + " " + Str(l["title"]);
        if (o.selected != nullptr && o.selected->count(control) != 0) {
          h.Void("input", {{"type", "checkbox"},
                           {"class", "soa-select"},
                           {"form", o.select_form},
                           {"name", "controls"},
                           {"value", value},
                           {"aria-label", label},
                           Attr::Flag("checked")});
        } else {
          h.Void("input", {{"type", "checkbox"},
                           {"class", "soa-select"},
                           {"form", o.select_form},
                           {"name", "controls"},
                           {"value", value},
                           {"aria-label", label}});
        }
      }
      h.Element("span", {{"class", "soa-id"}}, control);
      h.Text(" ");
      if (o.edit_links) {
        h.Link(fmt::format("/soa/{}/edit{}", control, o.filter), Str(l["title"]));
      } else {
        h.Text(Str(l["title"]));
      }
      h.Close("td");
      h.Open("td");
      ApplicableBadge(h, l["applicable"]);
      const std::string reasons = Reasons(l);
      if (!reasons.empty()) h.Element("div", {{"class", "soa-reasons"}}, reasons);
      h.Close("td");
      h.Element("td", {{"class", "soa-text"}}, Str(l["justification"]));
      h.Open("td");
      if (l["applicable"] != false) {
        StatusBadge(h, l);
        if (l["status_override"].is_string()) {
          h.Element("div", {{"class", "soa-reasons"}},
                    fmt::format("Derived: {}. {}", domain::SoaStatusLabel(Str(l["derived_status"])),
                                Str(l["override_reason"])));
        }
      } else {
        h.Element("span", {{"class", "muted"}}, "—");
      }
      h.Close("td");
      h.Open("td");
      if (l["applied_controls"].empty()) h.Element("span", {{"class", "muted"}}, "None");
      h.Open("ul", {{"class", "soa-links"}});
      for (const auto& c : l["applied_controls"]) {
        const std::string label = fmt::format("{} ({})", Str(c["name"]),
                                              ToLower(domain::SoaStatusLabel(Str(c["status"]))));
        h.Open("li");
        if (o.links) {
          h.Link(fmt::format("/controls/{}", c["id"].get<int64_t>()), label);
        } else {
          h.Text(label);
        }
        h.Close("li");
      }
      h.Close("ul").Close("td");
      h.Open("td");
      if (l["risks"].empty()) h.Element("span", {{"class", "muted"}}, "None");
      h.Open("ul", {{"class", "soa-links"}});
      const size_t risk_count = l.value("risk_count", l["risks"].size());
      size_t shown = 0;
      for (const auto& risk : l["risks"]) {
        if (shown++ == kRisksShown) break;
        const int64_t rid = risk.get<int64_t>();
        const auto t = risk_titles.find(rid);
        const std::string label = t != risk_titles.end() ? t->second : fmt::format("Risk {}", rid);
        h.Open("li");
        if (o.links) {
          h.Link(fmt::format("/risks/{}", rid), label);
        } else {
          h.Text(label);
        }
        h.Close("li");
      }
      if (risk_count > kRisksShown) {
        h.Element("li", {{"class", "muted"}}, fmt::format("and {} more", risk_count - kRisksShown));
      }
      h.Close("ul").Close("td");
      h.Close("tr");
    }
    table.Close(h);
    h.Close("section");
  }
}

Json LinesJson(const std::vector<domain::SoaLine>& lines) {
  Json out = Json::array();
  for (const auto& l : lines) out.push_back(domain::SoaLineJson(l));
  return out;
}

void ErrorPage(Request& r, const std::string& title, const Status& st) {
  Html h;
  h.Open("div", {{"class", "alert alert-error"}, {"role", "alert"}});
  h.Element("h2", {}, title);
  h.Element("p", {}, st.message());
  h.Close("div");
  h.Open("p").Link("/soa", "← Back to the Statement of Applicability").Close("p");
  RenderPage(r, {.title = title, .nav = kNav, .crumbs = {{kTitle, "/soa"}, {title, ""}}}, h.Take(),
             HttpStatusFor(st.code()));
}

void Select(Html& h, const std::string& name, const std::string& label, const std::string& current,
            const std::vector<std::pair<std::string, std::string>>& options) {
  h.Open("div", {{"class", "filter"}});
  h.Element("label", {{"for", "f-" + name}}, label);
  h.Open("select", {{"id", "f-" + name}, {"name", name}});
  for (const auto& [value, text] : options) {
    if (value == current) {
      h.Open("option", {{"value", value}, Attr::Flag("selected")}).Text(text).Close("option");
    } else {
      h.Element("option", {{"value", value}}, text);
    }
  }
  h.Close("select").Close("div");
}

// A labelled radio button or checkbox.
void Check(Html& h, std::string_view type, std::string_view name, std::string_view value,
           std::string_view label, bool checked) {
  h.Open("label", {{"class", "check"}});
  if (checked) {
    h.Void("input", {{"type", type}, {"name", name}, {"value", value}, Attr::Flag("checked")});
  } else {
    h.Void("input", {{"type", type}, {"name", name}, {"value", value}});
  }
  h.Element("span", {}, label).Close("label");
}

// The list's filter, from the query of a page or the hidden fields of a form (named
// "filter_theme", ...: a decision has its own "applicable").
domain::SoaFilter FilterOf(const Request& r, bool from_form) {
  auto get = [&](const char* k) {
    return from_form ? r.Form(std::string("filter_") + k) : r.Query(k);
  };
  domain::SoaFilter f{
      .theme = get("theme"), .attribute = get("attribute"), .applicable = get("applicable")};
  return domain::CheckSoaFilter(f).ok() ? f : domain::SoaFilter{};
}

std::vector<std::pair<const char*, const std::string*>> FilterMembers(const domain::SoaFilter& f) {
  return {{"theme", &f.theme}, {"attribute", &f.attribute}, {"applicable", &f.applicable}};
}

// "?theme=People&applicable=undecided" and `more` ("notice=saved"); empty when both are.
std::string FilterQuery(const domain::SoaFilter& f, const std::string& more = "") {
  std::string out;
  for (const auto& [k, v] : FilterMembers(f)) {
    if (!v->empty()) out += (out.empty() ? "?" : "&") + std::string(k) + "=" + UrlEncode(*v);
  }
  if (!more.empty()) out += (out.empty() ? "?" : "&") + more;
  return out;
}

// The filter as hidden fields of a form, so that saving returns to the same lines.
void FilterFields(Html& h, const domain::SoaFilter& f) {
  for (const auto& [k, v] : FilterMembers(f)) {
    if (!v->empty()) {
      h.Void("input", {{"type", "hidden"}, {"name", std::string("filter_") + k}, {"value", *v}});
    }
  }
}

using ErrorsByField = std::map<std::string, std::string>;

ErrorsByField ByField(const std::vector<domain::FieldError>& errors) {
  ErrorsByField out;
  for (const auto& e : errors) out.emplace(e.field, e.message);
  return out;
}

std::string FieldClass(const ErrorsByField& errors, const std::string& field) {
  return std::string("form-field form-field-wide") + (errors.count(field) != 0 ? " has-error" : "");
}

void ErrorUnder(Html& h, const ErrorsByField& errors, const std::string& field) {
  const auto it = errors.find(field);
  if (it != errors.end()) {
    h.Element("p", {{"class", "field-error"}, {"id", field + "-error"}}, it->second);
  }
}

void TextArea(Html& h, const Json& values, const ErrorsByField& errors, const std::string& name,
              const std::string& label, const char* rows, size_t max, const std::string& help) {
  h.Open("div", {{"class", FieldClass(errors, name)}});
  h.Element("label", {{"for", name}}, label);
  h.Element("textarea",
            {{"id", name}, {"name", name}, {"rows", rows}, {"maxlength", std::to_string(max)}},
            Str(values.value(name, Json())));
  if (!help.empty()) h.Element("p", {{"class", "help"}}, help);
  ErrorUnder(h, errors, name);
  h.Close("div");
}

// The fields of a decision, for one control or several: applicability, reasons, justification.
void DecisionFields(Html& h, const Json& values, const ErrorsByField& errors) {
  h.Open("fieldset", {{"class", FieldClass(errors, "applicable")}, {"id", "applicable"}});
  h.Element("legend", {}, "Applicability");
  const Json applicable = values.value("applicable", Json());
  for (const auto& [value, label] : std::vector<std::pair<std::string, std::string>>{
           {"true", "Applicable: the control is included"},
           {"false", "Not applicable: the control is excluded"}}) {
    Check(h, "radio", "applicable", value, label,
          applicable.is_boolean() && (applicable.get<bool>() == (value == "true")));
  }
  ErrorUnder(h, errors, "applicable");
  h.Close("fieldset");
  h.Open("fieldset", {{"class", FieldClass(errors, "reasons")}, {"id", "reasons"}});
  h.Element("legend", {}, "Reasons for inclusion");
  h.Element("p", {{"class", "help"}},
            "At least one when the control is applicable; none when it is excluded.");
  std::set<std::string> chosen;
  for (const auto& v : values.value("reasons", Json::array())) {
    if (v.is_string()) chosen.insert(v.get<std::string>());
  }
  for (const auto& c : domain::SoaReasons()) {
    const std::string value(c.value);
    Check(h, "checkbox", "reasons", value, std::string(c.label), chosen.count(value) != 0);
  }
  ErrorUnder(h, errors, "reasons");
  h.Close("fieldset");
  TextArea(h, values, errors, "justification", "Justification", "4", domain::kSoaMaxJustification,
           "Why the control is included (optional) or excluded (required).");
}

// Applicability, reasons and justification as sent by a form, as the JSON a PUT would send.
Json DecisionInput(const Request& r) {
  Json in = Json::object();
  const std::string applicable = r.Form("applicable");
  if (applicable == "true" || applicable == "false") in["applicable"] = applicable == "true";
  Json reasons = Json::array();
  const auto range = r.form.equal_range("reasons");
  for (auto it = range.first; it != range.second; ++it) reasons.push_back(it->second);
  in["reasons"] = reasons;
  in["justification"] = r.Form("justification");
  return in;
}

// A decision for several controls that was refused: what was entered, to show again.
struct RefusedDecision {
  Json values = Json::object();  // applicable, reasons, justification
  std::string scope = "selected";
  std::set<std::string> selected;
  std::vector<domain::FieldError> errors;
  std::string message;
  int status = 400;
};

constexpr const char* kDecideForm = "soa-decide";

// The form deciding several controls alike: those ticked in the tables (their checkboxes belong
// to it through their form attribute) or every line shown.
void DecideSeveralForm(Html& h, const Request& r, const domain::SoaFilter& filter,
                       const Json& lines, const RefusedDecision* refused) {
  const ErrorsByField errors = refused != nullptr ? ByField(refused->errors) : ErrorsByField();
  if (refused != nullptr) {
    h.Open("details", {{"class", "card soa-decide"}, Attr::Flag("open")});
  } else {
    h.Open("details", {{"class", "card soa-decide"}});
  }
  h.Element("summary", {}, "Decide several controls at once");
  if (refused != nullptr) FormErrorSummary(h, refused->errors, refused->message);
  h.Element("p", {{"class", "help"}},
            "One applicability, reasons and justification for the controls you tick in the "
            "tables below, or for every control shown (filter by theme or attribute first). "
            "Each control keeps its own implementation status override.");
  OpenPostForm(h, r, "/soa/decisions", "record-form", kDecideForm);
  FilterFields(h, filter);
  for (const auto& l : lines) {
    h.Void("input", {{"type", "hidden"}, {"name", "shown"}, {"value", ControlVersionValue(l)}});
  }
  h.Open("div", {{"class", "form-grid"}});
  h.Open("fieldset", {{"class", FieldClass(errors, "controls")}, {"id", "controls"}});
  h.Element("legend", {}, "Controls");
  const std::string scope = refused != nullptr ? refused->scope : "selected";
  Check(h, "radio", "scope", "selected", "The controls ticked in the tables below",
        scope == "selected");
  Check(h, "radio", "scope", "shown",
        fmt::format("All {} {} shown", lines.size(), lines.size() == 1 ? "control" : "controls"),
        scope == "shown");
  ErrorUnder(h, errors, "controls");
  h.Close("fieldset");
  DecisionFields(h, refused != nullptr ? refused->values : Json::object(), errors);
  h.Close("div");
  h.Open("div", {{"class", "form-actions"}});
  h.Element("button", {{"type", "submit"}, {"class", "button button-primary"}}, "Decide");
  h.Close("div").Close("form").Close("details");
}

std::string ListNotice(const Request& r) {
  const std::string notice = r.Query("notice");
  if (notice == "saved") return "The control's entry was saved.";
  if (notice == "saved-last") return "The control's entry was saved. It was the last one shown.";
  if (notice == "decided") {
    int64_t n = 0;
    const std::string count = r.Query("count");
    const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), n);
    if (ec == std::errc() && end == count.data() + count.size() && n > 0) {
      return fmt::format("{} {} decided.", n, n == 1 ? "control was" : "controls were");
    }
  }
  return "";
}

void ListPage(Request& r, const domain::SoaFilter& filter,
              const RefusedDecision* refused = nullptr) {
  auto all = r.services.soa.List(r.principal);
  if (!all.ok()) return ErrorPage(r, "Not available", all.status());
  auto versions = r.services.soa.Versions(r.principal);
  Html h;
  // Where the statement stands.
  int decided = 0;
  int excluded = 0;
  for (const auto& l : *all) {
    decided += l.entry.applicable ? 1 : 0;
    excluded += l.entry.applicable == false ? 1 : 0;
  }
  h.Open("div", {{"class", "callout"}});
  h.Text(fmt::format("{} of {} controls decided: {} applicable, {} excluded. ", decided,
                     all->size(), decided - excluded, excluded));
  if (versions.ok() && !versions->empty()) {
    const auto& v = versions->front();
    h.Text(fmt::format("Version {} was approved by {} on {}. ", v.number, v.approver,
                       ShortTime(v.approved_at)));
    h.Link(fmt::format("/soa/versions/{}", v.number), "Read it →");
  } else {
    h.Text("No version has been approved yet.");
  }
  h.Close("div");

  // Filters (as given: a bad one is named below).
  const domain::SoaFilter asked =
      refused != nullptr
          ? filter
          : domain::SoaFilter{r.Query("theme"), r.Query("attribute"), r.Query("applicable")};
  h.Open("form", {{"method", "get"}, {"action", "/soa"}, {"class", "toolbar"}, {"role", "search"}});
  std::vector<std::pair<std::string, std::string>> themes = {{"", "All themes"}};
  for (const auto& t : domain::AnnexAThemes()) themes.emplace_back(t, t);
  Select(h, "theme", "Theme", asked.theme, themes);
  std::vector<std::pair<std::string, std::string>> attributes = {{"", "Any attribute"}};
  for (const auto& a : domain::AnnexAAttributes()) {
    for (const auto& v : a.values) attributes.emplace_back(v, a.label + ": " + v);
  }
  Select(h, "attribute", "ISO/IEC 27002 attribute", asked.attribute, attributes);
  Select(h, "applicable", "Applicability", asked.applicable,
         {{"", "Any"}, {"yes", "Applicable"}, {"no", "Excluded"}, {"undecided", "Undecided"}});
  h.Open("div", {{"class", "filter filter-actions"}});
  h.Element("button", {{"type", "submit"}, {"class", "button button-secondary"}}, "Apply");
  h.Close("div").Close("form");

  Status bad = domain::CheckSoaFilter(asked);
  if (!bad.ok()) {
    h.Open("div", {{"class", "alert alert-error"}, {"role", "alert"}}).Text(bad.message());
    h.Close("div");
  }
  Json lines = Json::array();
  if (bad.ok()) {
    for (const auto& l : *all) {
      if (domain::SoaLineMatches(l, filter)) lines.push_back(domain::SoaLineJson(l));
    }
  }
  h.Element("p", {{"class", "muted"}},
            fmt::format("{} of {} controls shown.", lines.size(), all->size()));
  const bool may_edit =
      r.principal.Can(domain::Permission::kEditRecords) && !r.principal.InAccountSetup();
  if (may_edit && !lines.empty()) DecideSeveralForm(h, r, filter, lines, refused);
  SoaTables(h, lines, RiskTitles(r, lines),
            {.edit_links = may_edit,
             .filter = FilterQuery(filter),
             .select_form = may_edit ? kDecideForm : "",
             .selected = refused != nullptr ? &refused->selected : nullptr});

  if (r.principal.Can(domain::Permission::kApprove) && !r.principal.InAccountSetup()) {
    h.Open("section", {{"class", "card"}, {"aria-labelledby", "approve"}});
    h.Element("h2", {{"id", "approve"}}, "Approve this version");
    h.Element("p", {{"class", "muted"}},
              "Approving records the statement as it is now, with your name and the time. "
              "Every control must be decided first.");
    OpenPostForm(h, r, "/soa/versions", "record-form");
    h.Open("div", {{"class", "form-field form-field-wide"}});
    h.Element("label", {{"for", "note"}}, "Note (optional)");
    h.Element("textarea", {{"id", "note"}, {"name", "note"}, {"rows", "2"}, {"maxlength", "2000"}},
              "");
    h.Close("div");
    h.Open("div", {{"class", "form-actions"}});
    h.Element("button",
              {{"type", "submit"},
               {"class", "button button-approve"},
               {"data-confirm", "Approve the Statement of Applicability as it is now?"}},
              "Approve");
    h.Close("div").Close("form").Close("section");
  }

  Html actions;
  actions.Link("/soa/versions", "Versions", "button button-secondary");
  actions.Link("/soa/print", "Print view", "button button-secondary");
  actions.Link("/api/v1/soa/export?format=csv", "Export CSV", "button button-secondary");
  actions.Link("/api/v1/soa/export?format=xlsx", "Export XLSX", "button button-secondary");
  RenderPage(r,
             {.title = kTitle,
              .nav = kNav,
              .subtitle = "Clause 6.1.3 d · the 93 controls of ISO/IEC 27001:2022 Annex A",
              .actions = actions.Take(),
              .notice = refused != nullptr ? "" : ListNotice(r)},
             h.Take(), refused != nullptr ? refused->status : 200);
}

// Where a control stands among the lines the list's filter shows (the control itself counted
// whether or not it still matches): the one before and after it, its position and how many.
struct Neighbours {
  const domain::AnnexAControl* previous = nullptr;
  const domain::AnnexAControl* next = nullptr;
  size_t position = 0;  // 1-based
  size_t shown = 0;
};

Neighbours NeighboursOf(Request& r, std::string_view control, const domain::SoaFilter& filter) {
  Neighbours n;
  auto all = r.services.soa.List(r.principal);
  if (!all.ok()) return n;
  bool past = false;
  for (const auto& l : *all) {
    const bool self = l.control->id == control;
    if (!self && !domain::SoaLineMatches(l, filter)) continue;
    ++n.shown;
    if (self) {
      past = true;
      n.position = n.shown;
    } else if (!past) {
      n.previous = l.control;
    } else if (n.next == nullptr) {
      n.next = l.control;
    }
  }
  return n;
}

// The control's ISO/IEC 27002 attributes, each value a link to the lines that share it.
void AttributesPanel(Html& h, const Json& line) {
  h.Open("aside", {{"class", "card soa-attributes"}, {"aria-labelledby", "attributes"}});
  h.Element("h2", {{"id", "attributes"}}, "ISO/IEC 27002 attributes");
  h.Open("dl");
  for (const auto& a : domain::AnnexAAttributes()) {
    h.Element("dt", {}, a.label);
    h.Open("dd");
    for (const auto& v : line["attributes"].value(a.name, Json::array())) {
      h.Link("/soa?attribute=" + UrlEncode(Str(v)), Str(v), "tag");
      h.Text(" ");
    }
    h.Close("dd");
  }
  h.Close("dl").Close("aside");
}

// The form of one control's decision: `values` is the line (or the input sent back).
void EditPage(Request& r, const domain::SoaLine& line, const Json& values,
              const std::vector<domain::FieldError>& errors, const std::string& message,
              int status) {
  const ErrorsByField error_of = ByField(errors);
  const std::string control = line.control->id;
  const domain::SoaFilter filter = FilterOf(r, r.http.method == "POST");
  const Neighbours around = NeighboursOf(r, control, filter);
  Html h;
  FormErrorSummary(h, errors, message);
  const Json current = domain::SoaLineJson(line);
  // Onward and back through the lines the list showed.
  h.Open("nav", {{"class", "soa-steps"}, {"aria-label", "Controls shown"}});
  if (around.previous != nullptr) {
    h.Link(fmt::format("/soa/{}/edit{}", around.previous->id, FilterQuery(filter)),
           "← " + around.previous->id + " " + around.previous->title, "soa-step-previous");
  }
  h.Element("span", {{"class", "muted"}},
            fmt::format("Control {} of {} shown", around.position, around.shown));
  if (around.next != nullptr) {
    h.Link(fmt::format("/soa/{}/edit{}", around.next->id, FilterQuery(filter)),
           around.next->id + " " + around.next->title + " →", "soa-step-next");
  }
  h.Close("nav");
  h.Open("div", {{"class", "callout"}});
  h.Text(fmt::format("Derived implementation status: {} ({} linked applied {}, {} linked {}).",
                     domain::SoaStatusLabel(line.derived_status), line.applied_controls.size(),
                     line.applied_controls.size() == 1 ? "control" : "controls", line.risk_count,
                     line.risk_count == 1 ? "risk" : "risks"));
  h.Close("div");

  h.Open("div", {{"class", "soa-edit"}});
  OpenPostForm(h, r, "/soa/" + control, "card record-form");
  h.Void("input",
         {{"type", "hidden"}, {"name", "version"}, {"value", std::to_string(line.entry.version)}});
  FilterFields(h, filter);
  h.Open("div", {{"class", "form-grid"}});
  DecisionFields(h, values, error_of);
  // Override.
  h.Open("div", {{"class", FieldClass(error_of, "status_override")}});
  h.Element("label", {{"for", "status_override"}}, "Implementation status override");
  const std::string override_value = Str(values.value("status_override", Json()));
  h.Open("select", {{"id", "status_override"}, {"name", "status_override"}});
  h.Element("option", {{"value", ""}}, "None: use the derived status");
  for (const auto& c : domain::SoaStatuses()) {
    const std::string value(c.value);
    if (value == override_value) {
      h.Open("option", {{"value", value}, Attr::Flag("selected")}).Text(c.label).Close("option");
    } else {
      h.Element("option", {{"value", value}}, std::string(c.label));
    }
  }
  h.Close("select");
  ErrorUnder(h, error_of, "status_override");
  h.Close("div");
  TextArea(h, values, error_of, "override_reason", "Reason for the override", "2",
           domain::kSoaMaxOverrideReason, "");
  h.Close("div");
  h.Open("div", {{"class", "form-actions"}});
  h.Element(
      "button",
      {{"type", "submit"}, {"name", "then"}, {"value", "list"}, {"class", "button button-primary"}},
      "Save");
  if (around.next != nullptr) {
    h.Element("button",
              {{"type", "submit"},
               {"name", "then"},
               {"value", "next"},
               {"class", "button button-secondary"}},
              "Save and next");
  }
  h.Link("/soa" + FilterQuery(filter) + "#c-" + control, "Cancel", "button button-ghost");
  h.Close("div").Close("form");
  AttributesPanel(h, current);
  h.Close("div");

  Json one = Json::array({current});
  h.Element("h2", {}, "As it stands");
  SoaTables(h, one, RiskTitles(r, one), {});
  const std::string title = control + " " + line.control->title;
  std::string notice;
  if (r.Query("notice") == "saved") {
    const auto* saved = domain::FindAnnexAControl(r.Query("saved"));
    if (saved != nullptr) notice = saved->id + " " + saved->title + " was saved.";
  }
  RenderPage(r,
             {.title = title,
              .nav = kNav,
              .crumbs = {{kTitle, "/soa" + FilterQuery(filter)}, {control, ""}},
              .subtitle = line.control->theme + " control",
              .notice = notice},
             h.Take(), status);
}

// Form input of the edit page as the JSON a PUT would send.
Json FormInput(const Request& r) {
  Json in = DecisionInput(r);
  in["status_override"] = r.Form("status_override");
  in["override_reason"] = r.Form("override_reason");
  return in;
}

// "5.1:3" as the form deciding several sends a control and its entry's version.
std::optional<app::SoaService::ControlVersion> ParseControlVersion(const std::string& v) {
  const size_t colon = v.find(':');
  if (colon == std::string::npos) return std::nullopt;
  int64_t version = 0;
  const char* begin = v.data() + colon + 1;
  const char* end = v.data() + v.size();
  const auto [stop, ec] = std::from_chars(begin, end, version);
  if (ec != std::errc() || stop != end || begin == end || version < 0) return std::nullopt;
  return app::SoaService::ControlVersion{v.substr(0, colon), version};
}

void DecideSeveral(Request& r) {
  const domain::SoaFilter filter = FilterOf(r, true);
  RefusedDecision in;
  in.scope = r.Form("scope") == "shown" ? "shown" : "selected";
  in.values = DecisionInput(r);
  std::vector<app::SoaService::ControlVersion> controls;
  const auto range = r.form.equal_range(in.scope == "shown" ? "shown" : "controls");
  for (auto it = range.first; it != range.second; ++it) {
    auto c = ParseControlVersion(it->second);
    if (!c) {
      in.errors.push_back(
          {"controls", fmt::format("\"{}\" is not a control and its version", it->second)});
      continue;
    }
    if (in.scope == "selected") in.selected.insert(c->control_id);
    controls.push_back(*std::move(c));
  }
  if (in.scope == "selected" && controls.empty() && in.errors.empty()) {
    in.errors.push_back({"controls",
                         "tick at least one control in the tables, or choose every "
                         "control shown"});
  }
  if (in.errors.empty()) {
    auto decided = r.services.soa.DecideMany(r.principal, controls, in.values, &in.errors);
    if (decided.ok()) {
      return r.res.SetRedirect(
          "/soa" + FilterQuery(filter, fmt::format("notice=decided&count={}", decided->size())),
          303);
    }
    in.status = HttpStatusFor(decided.status().code());
    if (decided.status().code() == Code::kConflict) {
      in.message = decided.status().message() +
                   ". The lines below are as they are now; tick them again and decide.";
      in.selected.clear();
    } else if (in.errors.empty()) {
      in.message = decided.status().message();
    }
  }
  ListPage(r, filter, &in);
}

void VersionsPage(Request& r) {
  auto versions = r.services.soa.Versions(r.principal);
  if (!versions.ok()) return ErrorPage(r, "Not available", versions.status());
  Html h;
  if (versions->empty()) {
    h.Element("p", {{"class", "card muted"}}, "No version has been approved yet.");
  } else {
    h.Open("section", {{"class", "card table-card"}, {"aria-labelledby", "versions"}});
    h.Element("h2", {{"id", "versions"}}, "Approved versions");
    const Table table{.cls = "data-table",
                      .columns = {{.label = "Version"},
                                  {.label = "Approved by"},
                                  {.label = "Approved"},
                                  {.label = "Note"}}};
    table.Open(h);
    for (const auto& v : *versions) {
      h.Open("tr").Open("td", {{"class", "cell-title"}});
      h.Link(fmt::format("/soa/versions/{}", v.number), fmt::format("Version {}", v.number));
      h.Close("td");
      h.Element("td", {}, v.approver);
      h.Element("td", {{"class", "cell-date"}}, ShortTime(v.approved_at));
      h.Element("td", {}, v.note);
      h.Close("tr");
    }
    table.Close(h);
    h.Close("section");
    // Compare any two.
    std::vector<std::pair<std::string, std::string>> choices = {{"current", "Current statement"}};
    for (const auto& v : *versions) {
      choices.emplace_back(std::to_string(v.number), fmt::format("Version {}", v.number));
    }
    h.Open("section", {{"class", "card"}, {"aria-labelledby", "compare"}});
    h.Element("h2", {{"id", "compare"}}, "Compare two versions");
    h.Open("form", {{"method", "get"}, {"action", "/soa/compare"}, {"class", "toolbar"}});
    Select(h, "from", "From", std::to_string(versions->front().number), choices);
    Select(h, "to", "To", "current", choices);
    h.Open("div", {{"class", "filter filter-actions"}});
    h.Element("button", {{"type", "submit"}, {"class", "button button-secondary"}}, "Compare");
    h.Close("div").Close("form").Close("section");
  }
  RenderPage(r,
             {.title = "Versions",
              .nav = kNav,
              .crumbs = {{kTitle, "/soa"}, {"Versions", ""}},
              .subtitle = "Each approved version is kept as it was approved",
              .notice = r.Query("notice") == "approved" ? "The statement was approved." : ""},
             h.Take());
}

void VersionPage(Request& r) {
  auto v = r.services.soa.Version(r.principal, r.PathId());
  if (!v.ok()) return ErrorPage(r, "No such version", v.status());
  Html h;
  h.Open("div", {{"class", "callout callout-ok"}});
  h.Text(fmt::format("Approved by {} on {}.", v->approver, ShortTime(v->approved_at)));
  if (!v->note.empty()) h.Text(" " + v->note);
  h.Close("div");
  SoaTables(h, v->snapshot, RiskTitles(r, v->snapshot), {});
  Html actions;
  actions.Link(fmt::format("/soa/print?version={}", v->number), "Print view",
               "button button-secondary");
  actions.Link(fmt::format("/soa/compare?from={}&to=current", v->number), "Compare with current",
               "button button-secondary");
  const std::string title = fmt::format("Version {}", v->number);
  RenderPage(r,
             {.title = title,
              .nav = kNav,
              .crumbs = {{kTitle, "/soa"}, {"Versions", "/soa/versions"}, {title, ""}},
              .subtitle = kTitle,
              .actions = actions.Take(),
              .notice = r.Query("notice") == "approved" ? "The statement was approved." : ""},
             h.Take());
}

std::string VersionName(const std::string& ref) {
  return ref == "current" ? "the current statement" : "version " + ref;
}

std::string ShownValue(const std::string& field, const Json& v) {
  if (v.is_null()) return "—";
  if (field == "applicable") return ApplicableText(v);
  if (field == "status" || field == "status_override") return domain::SoaStatusLabel(Str(v));
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& x : v) {
      const std::string s = x.is_string() && field == "reasons" ? domain::SoaReasonLabel(Str(x))
                            : x.is_string()                     ? Str(x)
                                                                : x.dump();
      out += (out.empty() ? "" : ", ") + s;
    }
    return out.empty() ? "—" : out;
  }
  return v.dump();
}

void ComparePage(Request& r) {
  const std::string from = r.Query("from");
  const std::string to = r.Query("to").empty() ? "current" : r.Query("to");
  auto c = r.services.soa.Compare(r.principal, from, to);
  if (!c.ok()) return ErrorPage(r, "Cannot compare", c.status());
  static const std::map<std::string, std::string> kFieldLabels = {
      {"applicable", "Applicability"},
      {"reasons", "Reasons"},
      {"justification", "Justification"},
      {"status", "Implementation status"},
      {"status_override", "Status override"},
      {"override_reason", "Override reason"},
      {"applied_controls", "Applied controls (ids)"},
      {"risks", "Risks (ids)"}};
  Html h;
  if (c->changes.empty()) {
    h.Element("p", {{"class", "card muted"}}, "Nothing changed between these versions.");
  } else {
    h.Open("section", {{"class", "card table-card"}});
    const Table table{
        .cls = "data-table",
        .columns = {
            {.label = "Control"}, {.label = "Field"}, {.label = "Before"}, {.label = "After"}}};
    table.Open(h);
    for (const auto& control : c->changes) {
      bool first = true;
      for (const auto& f : control.changes) {
        h.Open("tr");
        if (first) {
          h.Open("td",
                 {{"class", "cell-title"}, {"rowspan", std::to_string(control.changes.size())}});
          h.Element("span", {{"class", "soa-id"}}, control.control_id);
          h.Text(" " + control.title).Close("td");
          first = false;
        }
        const auto label = kFieldLabels.find(f.field);
        h.Element("td", {}, label != kFieldLabels.end() ? label->second : f.field);
        h.Element("td", {{"class", "soa-text"}}, ShownValue(f.field, f.from));
        h.Element("td", {{"class", "soa-text"}}, ShownValue(f.field, f.to));
        h.Close("tr");
      }
    }
    table.Close(h);
    h.Close("section");
  }
  RenderPage(r,
             {.title = "Comparison",
              .nav = kNav,
              .crumbs = {{kTitle, "/soa"}, {"Versions", "/soa/versions"}, {"Comparison", ""}},
              .subtitle = fmt::format("From {} to {}: {} {} changed", VersionName(c->from),
                                      VersionName(c->to), c->changes.size(),
                                      c->changes.size() == 1 ? "control" : "controls")},
             h.Take());
}

// A document for printing: no navigation, every column, who approved it and when.
void PrintPage(Request& r) {
  const std::string ref = r.Query("version").empty() ? "current" : r.Query("version");
  Json lines;
  std::string approval;
  if (ref == "current") {
    auto current = r.services.soa.List(r.principal);
    if (!current.ok()) return ErrorPage(r, "Not available", current.status());
    lines = LinesJson(*current);
    approval = "Current statement, not approved as a version.";
  } else {
    int64_t number = 0;
    const auto [end, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), number);
    if (ec != std::errc() || end != ref.data() + ref.size()) {
      return ErrorPage(r, "No such version",
                       InvalidArgument("version must be a number or \"current\"", "version"));
    }
    auto v = r.services.soa.Version(r.principal, number);
    if (!v.ok()) return ErrorPage(r, "No such version", v.status());
    lines = v->snapshot;
    approval = fmt::format("Version {}, approved by {} on {}.", v->number, v->approver,
                           ShortTime(v->approved_at));
    if (!v->note.empty()) approval += " " + v->note;
  }
  Html h;
  h.Raw(
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
  h.Element("title", {}, std::string(kTitle) + " · " + r.principal.org_name);
  h.Raw("<link rel=\"stylesheet\" href=\"/static/app.css\"></head><body class=\"print-doc\">");
  h.Open("main", {{"class", "print-main"}});
  h.Open("header", {{"class", "print-header"}});
  h.Element("p", {{"class", "print-org"}}, r.principal.org_name);
  h.Element("h1", {}, kTitle);
  h.Element("p", {}, "ISO/IEC 27001:2022, clause 6.1.3 d and Annex A");
  h.Element("p", {{"class", "print-approval"}}, approval);
  h.Close("header");
  SoaTables(h, lines, RiskTitles(r, lines), {.links = false});
  h.Close("main").Raw("</body></html>");
  r.res.SetContent(h.Take().Release(), "text/html; charset=utf-8");
}

}  // namespace

void AddSoaPages(Router& router) {
  const Guard edit = Guard::Needs(domain::Permission::kEditRecords);
  router.Get("/soa", Surface::kWeb, kRead, [](Request& r) { ListPage(r, FilterOf(r, false)); });
  router.Get("/soa/print", Surface::kWeb, kRead, PrintPage);
  router.Get("/soa/versions", Surface::kWeb, kRead, VersionsPage);
  router.Get(R"(/soa/versions/(\d+))", Surface::kWeb, kRead, VersionPage);
  router.Get("/soa/compare", Surface::kWeb, kRead, ComparePage);
  router.Post("/soa/versions", Surface::kWeb, Guard::Needs(domain::Permission::kApprove),
              [](Request& r) {
                auto v = r.services.soa.Approve(r.principal, r.Form("note"));
                if (!v.ok()) return ErrorPage(r, "Not approved", v.status());
                r.res.SetRedirect(fmt::format("/soa/versions/{}?notice=approved", v->number), 303);
              });
  router.Post("/soa/decisions", Surface::kWeb, edit, DecideSeveral);
  router.Get(R"(/soa/(\d+\.\d+)/edit)", Surface::kWeb, edit, [](Request& r) {
    auto line = r.services.soa.Get(r.principal, r.http.matches[1]);
    if (!line.ok()) return ErrorPage(r, "Not found", line.status());
    EditPage(r, *line, domain::SoaLineJson(*line), {}, "", 200);
  });
  router.Post(R"(/soa/(\d+\.\d+))", Surface::kWeb, edit, [](Request& r) {
    const std::string control = r.http.matches[1];
    auto line = r.services.soa.Get(r.principal, control);
    if (!line.ok()) return ErrorPage(r, "Not found", line.status());
    const Json input = FormInput(r);
    std::vector<domain::FieldError> errors;
    auto saved = r.services.soa.Update(r.principal, control, r.FormVersion(), input, &errors);
    if (saved.ok()) {
      const domain::SoaFilter filter = FilterOf(r, true);
      if (r.Form("then") != "next") {
        return r.res.SetRedirect("/soa" + FilterQuery(filter, "notice=saved") + "#c-" + control,
                                 303);
      }
      const Neighbours around = NeighboursOf(r, control, filter);
      if (around.next == nullptr) {
        return r.res.SetRedirect(
            "/soa" + FilterQuery(filter, "notice=saved-last") + "#c-" + control, 303);
      }
      return r.res.SetRedirect(fmt::format("/soa/{}/edit{}", around.next->id,
                                           FilterQuery(filter, "notice=saved&saved=" + control)),
                               303);
    }
    std::string message = errors.empty() ? saved.status().message() : "";
    if (saved.status().code() == Code::kConflict) {
      message =
          "Someone else changed this control while you were editing. Your changes are below; "
          "save again to overwrite theirs.";
    }
    EditPage(r, *line, input, errors, message, HttpStatusFor(saved.status().code()));
  });
}

}  // namespace rampart::http

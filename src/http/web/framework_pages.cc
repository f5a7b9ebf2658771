// Frameworks beside Annex A on the pages (issue 16): the list's banner offering the import and
// the built-in 2013 framework with the OSCAL exports of the ISMS; a framework's page with its
// coverage summary and the OSCAL catalog download, its Delete deleting its controls too; a
// framework control's coverage above its details; the OSCAL import page
// (/frameworks/oscal-import: an OSCAL catalog, or a profile with its catalog, or the built-in
// framework; the list's Import is the spreadsheet import of every register); and the coverage
// page (/frameworks/{id}/coverage: each control with the applied
// controls that count for it and its coverage, filtered by coverage). The mapping itself is
// changed on each framework control's page (the generic register pages).
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "app/framework_service.h"
#include "base/text.h"
#include "domain/frameworks.h"
#include "domain/risk.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {
namespace {

using domain::Json;
using domain::Record;

std::string Text(const Json& v) { return v.is_string() ? v.get<std::string>() : ""; }

bool MayChangeFrameworks(const app::Principal& p) {
  return !p.InAccountSetup() && !p.read_only && p.Can(domain::Permission::kEditRecords);
}

const char* CoverageBadgeClass(std::string_view coverage) {
  if (coverage == domain::kCoverageImplemented) return "badge badge-coverage-implemented";
  if (coverage == domain::kCoveragePartial) return "badge badge-coverage-partial";
  if (coverage == domain::kCoverageWithdrawn) return "badge badge-muted";
  return "badge badge-coverage-none";
}

// The counts of a framework's coverage as a row of figures.
void CoverageFigures(Html& h, const domain::FrameworkCoverage& c, int64_t id) {
  h.Open("ul", {{"class", "coverage-figures"}, {"aria-label", "Coverage"}});
  const auto figure = [&](std::string_view coverage, int64_t n, const char* label) {
    h.Open("li", {{"class", "coverage-figure"}});
    h.Open("a", {{"href", fmt::format("/frameworks/{}/coverage?coverage={}", id, coverage)}});
    h.Element("span", {{"class", "coverage-figure-count"}}, Grouped(n));
    h.Element("span", {{"class", CoverageBadgeClass(coverage)}}, label);
    h.Close("a").Close("li");
  };
  figure(domain::kCoverageImplemented, c.implemented, "Implemented");
  figure(domain::kCoveragePartial, c.partial, "Partial");
  figure(domain::kCoverageNone, c.none, "None");
  if (c.withdrawn > 0) figure(domain::kCoverageWithdrawn, c.withdrawn, "Withdrawn");
  h.Close("ul");
  const int64_t counted = c.implemented + c.partial + c.none;
  std::string summary = fmt::format("{} of {} controls implemented ({}%)", Grouped(c.implemented),
                                    Grouped(counted), c.ImplementedPercent());
  if (c.unmapped > 0) {
    summary += fmt::format("; {} not mapped to anything yet", Grouped(c.unmapped));
  }
  if (c.withdrawn > 0) summary += fmt::format("; {} withdrawn, not counted", Grouped(c.withdrawn));
  h.Element("p", {{"class", "muted"}, {"id", "coverage-summary"}}, summary + ".");
}

// Whether the organisation has added the built-in 2013 framework already.
bool HasIso2013(Request& r) {
  auto n = r.services.registers.Count(
      r.principal, domain::Frameworks(),
      {.filters = {{.field = "built_in", .value = std::string(domain::kIso27001_2013)}}});
  return n.ok() && *n > 0;
}

void FrameworksBanner(Html& h, Request& r) {
  h.Open("div", {{"class", "callout"}});
  h.Open("p");
  h.Text(
      "Other control frameworks your ISMS answers to, beside Annex A: import them as OSCAL "
      "catalogs or profiles, map their controls to Annex A and to applied controls, and see "
      "how far each is met.");
  h.Close("p");
  if (MayChangeFrameworks(r.principal)) {
    h.Open("div", {{"class", "button-row"}});
    h.Link("/frameworks/oscal-import", "Import an OSCAL catalog or profile",
           "button button-primary button-small");
    if (!HasIso2013(r)) {
      ButtonForm(h, r, "/frameworks/built-in",
                 {.label = "Add ISO/IEC 27001:2013 Annex A (mapped to 2022)",
                  .cls = "button button-secondary button-small",
                  .hidden = {{"built_in", std::string(domain::kIso27001_2013)}}});
    }
    h.Close("div");
  }
  h.Open("p", {{"class", "oscal-exports"}});
  h.Text("The ISMS in OSCAL: ");
  h.Link("/api/v1/oscal/ssp", "system security plan");
  h.Text(" · ");
  h.Link("/api/v1/oscal/poam", "plan of action and milestones");
  h.Text(" · ");
  h.Link("/api/v1/oscal/catalog", "Annex A catalog");
  h.Text(" · ");
  h.Link("/api/v1/oscal/profile", "Statement of Applicability as a profile");
  h.Text(" (JSON).");
  h.Close("p");
  h.Close("div");
}

void FrameworkActions(Html& h, Request&, const Record& rec) {
  h.Link(fmt::format("/frameworks/{}/coverage", rec.id), "Coverage", "button button-primary");
  h.Link(fmt::format("/api/v1/frameworks/{}/oscal", rec.id), "OSCAL catalog",
         "button button-secondary");
}

void FrameworkSection(Html& h, Request& r, const Record& rec) {
  auto view = r.services.frameworks.Coverage(r.principal, rec.id);
  if (!view.ok()) return;
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "framework-coverage"}});
  h.Open("div", {{"class", "card-title-row"}});
  h.Element("h2", {{"id", "framework-coverage"}}, "Coverage");
  h.Link(fmt::format("/frameworks/{}/coverage", rec.id), "Every control",
         "button button-secondary button-small");
  h.Close("div");
  CoverageFigures(h, view->coverage, rec.id);
  h.Close("section");
}

// A framework control's coverage above its details: what meets it, and how far. Reads the
// applied controls (a page of 500 at a time), not the framework's other controls.
void ControlBanner(Html& h, Request& r, const Record& control) {
  std::vector<domain::SoaAppliedControl> applied;
  domain::ListQuery q{.limit = 500};
  for (;;) {
    auto page = r.services.registers.List(r.principal, domain::AppliedControls(), q);
    if (!page.ok()) return;
    for (const auto& a : page->records) {
      domain::SoaAppliedControl c{
          .id = a.id, .name = Text(a.fields["name"]), .status = Text(a.fields["status"])};
      if (a.fields["annex_controls"].is_array()) {
        for (const auto& id : a.fields["annex_controls"]) c.annex_controls.push_back(Text(id));
      }
      applied.push_back(std::move(c));
    }
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  const std::vector<Record> one = {control};
  const auto coverage = domain::DeriveFrameworkCoverage(one, applied);
  const auto line = coverage.lines.begin();
  h.Open("div", {{"class", "callout"}, {"id", "control-coverage"}});
  h.Open("p");
  h.Text("Coverage: ");
  h.Element("span", {{"class", CoverageBadgeClass(line->coverage)}},
            domain::CoverageLabel(line->coverage));
  if (line->applied_controls.empty()) {
    h.Text(line->coverage == domain::kCoverageWithdrawn
               ? " This control is withdrawn from its framework."
               : " No applied control meets it yet: map it to Annex A controls or name applied "
                 "controls below.");
  } else {
    h.Text(" Met by ");
    for (size_t i = 0; i < line->applied_controls.size(); ++i) {
      if (i > 0) h.Text(", ");
      const auto& a = line->applied_controls[i];
      h.Link(fmt::format("/controls/{}", a.id), a.name);
      h.Text(" (" + ToLower(domain::AppliedControls().Field("status")->ChoiceLabel(a.status)) +
             ")");
    }
    h.Text(".");
  }
  h.Close("p");
  if (control.fields["framework"].is_number_integer()) {
    h.Open("p");
    h.Link(fmt::format("/frameworks/{}/coverage", control.fields["framework"].get<int64_t>()),
           "The framework's coverage");
    h.Close("p");
  }
  h.Close("div");
}

void ImportPage(Request& r, const Status& error = Status::Ok()) {
  const PageFrame frame{.title = "Import a framework",
                        .nav = domain::Frameworks().path,
                        .crumbs = {{"Frameworks", "/frameworks"}, {"Import OSCAL", ""}},
                        .subtitle = "Clause 6.1.3 · OSCAL 1.1 catalogs and profiles"};
  Html h;
  const std::string bad = error.ok() ? "" : (error.field().empty() ? "file" : error.field());
  if (!error.ok()) FormErrorSummary(h, {{bad, error.message()}}, "");
  h.Open("div", {{"class", "import-layout"}});
  OpenPostForm(h, r, "/frameworks/oscal-import", "card record-form import-upload");
  h.Open("div", {{"class", "form-grid"}});
  const auto file_field = [&](const char* name, const char* label, const char* help,
                              bool required) {
    const bool invalid = bad == name;
    h.Open("div", {{"class", invalid ? "form-field form-field-wide has-error"
                                     : "form-field form-field-wide"}});
    h.Open("label", {{"for", name}}).Text(label);
    if (required) {
      h.Element("span", {{"class", "req"}, {"aria-hidden", "true"}}, " *");
      h.Element("span", {{"class", "visually-hidden"}}, " (required)");
    }
    h.Close("label");
    const std::string help_id = std::string(name) + "-help";
    const std::string error_id = std::string(name) + "-error";
    h.Void("input", {{"type", "file"},
                     {"id", name},
                     {"name", name},
                     {"accept", ".json,application/json"},
                     {"required", required ? "required" : ""},
                     {"autofocus", invalid ? "autofocus" : ""},
                     {"aria-invalid", invalid ? "true" : "false"},
                     {"aria-describedby", invalid ? help_id + " " + error_id : help_id}});
    h.Element("p", {{"class", "help"}, {"id", help_id}}, help);
    if (invalid) h.Element("p", {{"class", "field-error"}, {"id", error_id}}, error.message());
    h.Close("div");
  };
  file_field("file", "OSCAL catalog or profile",
             "OSCAL 1.1 in JSON, such as NIST SP 800-53 rev. 5 or one of its baselines.", true);
  file_field("catalog", "The profile's catalog",
             "Only for a profile: the catalog it selects its controls from. It is resolved here "
             "(include and exclude, parameters, alterations); nothing is fetched.",
             false);
  h.Close("div");
  h.Open("div", {{"class", "form-actions"}});
  h.Element("button", {{"type", "submit"}, {"class", "button button-primary"}},
            "Import the framework");
  h.Link("/frameworks", "Cancel", "button button-ghost");
  h.Close("div").Close("form");

  h.Open("section", {{"class", "card import-help"}, {"aria-labelledby", "built-in-title"}});
  h.Element("h2", {{"id", "built-in-title"}}, "Moving from ISO/IEC 27001:2013");
  h.Element("p", {},
            "Rampart ships the 2013 edition's Annex A with each of its 114 controls mapped to "
            "the 2022 controls it became: its coverage then shows the old control ids against "
            "your applied controls.");
  ButtonForm(h, r, "/frameworks/built-in",
             {.label = "Add ISO/IEC 27001:2013 Annex A",
              .cls = "button button-secondary",
              .hidden = {{"built_in", std::string(domain::kIso27001_2013)}},
              .form_class = ""});
  h.Close("section");
  h.Close("div");
  RenderPage(r, frame, h.Take(), error.ok() ? 200 : HttpStatusFor(error.code()));
}

void CoveragePage(Request& r) {
  const int64_t id = r.PathId();
  auto view = r.services.frameworks.Coverage(r.principal, id);
  const std::string title =
      view.ok() ? Text(view->framework.fields["title"]) : fmt::format("Framework {}", id);
  std::string only = r.Query("coverage");
  if (only != domain::kCoverageImplemented && only != domain::kCoveragePartial &&
      only != domain::kCoverageNone && only != domain::kCoverageWithdrawn) {
    only.clear();
  }
  PageFrame frame{.title = "Coverage: " + title,
                  .nav = domain::Frameworks().path,
                  .crumbs = {{"Frameworks", "/frameworks"},
                             {title, fmt::format("/frameworks/{}", id)},
                             {"Coverage", ""}},
                  .subtitle = "Clause 6.1.3 · how far each control is met by applied controls"};
  if (r.Query("notice") == "imported" && view.ok()) {
    frame.notice = fmt::format("Imported {} with {} controls.", title,
                               Grouped(static_cast<int64_t>(view->controls.size())));
  }
  Html h;
  if (!view.ok()) {
    ErrorAlert(h, "The coverage could not be read", view.status().message());
    return RenderPage(r, frame, h.Take(), HttpStatusFor(view.status().code()));
  }
  const auto& c = view->coverage;
  h.Open("section", {{"class", "card"}, {"aria-label", "Summary"}});
  CoverageFigures(h, c, id);
  h.Open("nav", {{"class", "filter-links"}, {"aria-label", "Show"}});
  const auto filter = [&](std::string_view value, const char* label) {
    const std::string href = value.empty()
                                 ? fmt::format("/frameworks/{}/coverage", id)
                                 : fmt::format("/frameworks/{}/coverage?coverage={}", id, value);
    if (only == value) {
      h.Element("a", {{"href", href}, {"aria-current", "page"}, {"class", "filter-link active"}},
                label);
    } else {
      h.Link(href, label, "filter-link");
    }
  };
  filter("", "All");
  filter(domain::kCoverageImplemented, "Implemented");
  filter(domain::kCoveragePartial, "Partial");
  filter(domain::kCoverageNone, "None");
  if (c.withdrawn > 0) filter(domain::kCoverageWithdrawn, "Withdrawn");
  h.Close("nav");
  h.Close("section");

  h.Open("div", {{"class", "card table-card"}});
  const Table table{.cls = "data-table stack-narrow framework-coverage",
                    .caption = only.empty()
                                   ? "Controls of " + title
                                   : fmt::format("Controls of {} whose coverage is {}", title,
                                                 ToLower(domain::CoverageLabel(only))),
                    .columns = {{.label = "Control"},
                                {.label = "Title"},
                                {.label = "Annex A"},
                                {.label = "Applied controls"},
                                {.label = "Coverage"}}};
  table.Open(h);
  int64_t shown = 0;
  std::string group;
  for (const auto& line : c.lines) {
    if (!only.empty() && line.coverage != only) continue;
    const Json& f = line.control->fields;
    if (Text(f["group_title"]) != group && only.empty()) {
      group = Text(f["group_title"]);
      h.Open("tr", {{"class", "coverage-heading"}});
      h.Element("th", {{"scope", "rowgroup"}, {"colspan", "5"}}, group);
      h.Close("tr");
    }
    ++shown;
    h.Open("tr");
    h.Open("td", {{"class", "cell-nowrap"}, {"data-label", "Control"}});
    const std::string label = Text(f["label"]).empty() ? Text(f["control_id"]) : Text(f["label"]);
    h.Link(fmt::format("/framework-controls/{}", line.control->id), label);
    h.Close("td");
    h.Open("td", {{"class", "cell-title"}, {"data-label", "Title"}});
    h.Text(Text(f["title"]));
    if (!Text(f["parent"]).empty()) {
      h.Element("span", {{"class", "muted"}}, " · enhances " + Text(f["parent"]));
    }
    h.Close("td");
    h.Open("td", {{"data-label", "Annex A"}});
    std::string annex;
    if (f["annex_controls"].is_array()) {
      for (const auto& a : f["annex_controls"]) {
        if (!a.is_string()) continue;
        annex += (annex.empty() ? "" : ", ") + a.get<std::string>();
      }
    }
    h.Text(annex.empty() ? "—" : annex);
    h.Close("td");
    h.Open("td", {{"data-label", "Applied controls"}});
    if (line.applied_controls.empty()) h.Text("—");
    for (size_t i = 0; i < line.applied_controls.size(); ++i) {
      if (i > 0) h.Text(", ");
      h.Link(fmt::format("/controls/{}", line.applied_controls[i].id),
             line.applied_controls[i].name);
    }
    h.Close("td");
    h.Open("td", {{"data-label", "Coverage"}});
    h.Element("span", {{"class", CoverageBadgeClass(line.coverage)}},
              domain::CoverageLabel(line.coverage));
    h.Close("td");
    h.Close("tr");
  }
  table.Close(h);
  if (shown == 0) h.Element("p", {{"class", "muted"}}, "No control has this coverage.");
  h.Element("p", {{"class", "muted"}},
            "A control counts the applied controls it names and those linked to the Annex A "
            "controls it maps to. Implemented: all of them are implemented. Partial: some are "
            "implemented or in progress. None: nothing is linked, or all are planned or not "
            "effective. Change a control's mapping on its page.");
  h.Close("div");
  RenderPage(r, frame, h.Take());
}

}  // namespace

void AddFrameworkPageHooks(PageHooks& all) {
  auto& frameworks = all[&domain::Frameworks()];
  frameworks.list_banner = FrameworksBanner;
  frameworks.detail_actions = FrameworkActions;
  frameworks.detail_sections = FrameworkSection;
  all[&domain::FrameworkControls()].detail_banner = ControlBanner;
}

void AddFrameworkPages(Router& router) {
  const Guard change = Guard::Needs(domain::Permission::kEditRecords);
  // Reading and resolving a catalog is costly: rate-limited like the API's import.
  const Guard import{Access::kPermission, domain::Permission::kEditRecords, true};
  router.Get("/frameworks/oscal-import", Surface::kWeb, change, [](Request& r) { ImportPage(r); });
  router.Post("/frameworks/oscal-import", Surface::kWeb, import, [](Request& r) {
    if (!r.http.HasFile("file") || r.http.File("file").filename.empty()) {
      return ImportPage(r,
                        InvalidArgument("choose the OSCAL catalog or profile to import", "file"));
    }
    app::FrameworkUpload upload{.file = r.http.File("file").content,
                                .file_name = r.http.File("file").filename};
    if (r.http.HasFile("catalog")) upload.catalog = r.http.File("catalog").content;
    auto rec = r.services.frameworks.Import(r.principal, upload);
    if (!rec.ok()) return ImportPage(r, rec.status());
    r.res.SetRedirect(fmt::format("/frameworks/{}/coverage?notice=imported", rec->id), 303);
  });
  router.Post("/frameworks/built-in", Surface::kWeb, change, [](Request& r) {
    auto rec = r.services.frameworks.AddBuiltIn(r.principal, r.Form("built_in"));
    if (!rec.ok()) return ImportPage(r, rec.status());
    r.res.SetRedirect(fmt::format("/frameworks/{}/coverage?notice=imported", rec->id), 303);
  });
  // Before the generic page's: a framework is deleted with its controls.
  router.Post(R"(/frameworks/(\d+)/delete)", Surface::kWeb, WriteGuard(domain::Frameworks()),
              [](Request& r) {
                const Status st =
                    r.services.frameworks.Delete(r.principal, r.PathId(), r.FormVersion());
                if (!st.ok()) {
                  return RenderRefusal(r,
                                       {.title = "The framework was not deleted",
                                        .nav = domain::Frameworks().path,
                                        .crumbs = {{"Frameworks", "/frameworks"}, {"Delete", ""}}},
                                       st, fmt::format("/frameworks/{}", r.PathId()),
                                       "Back to the framework");
                }
                r.res.SetRedirect("/frameworks?notice=deleted", 303);
              });
  router.Get(R"(/frameworks/(\d+)/coverage)", Surface::kWeb, kRead, CoveragePage);
}

}  // namespace rampart::http

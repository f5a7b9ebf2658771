// Pages of every register of approved versions (domain::ApprovedVersions), derived from the
// option, with {path} the register's path:
//   GET  /{path}/current              redirects to the version in force (or the list)
//   GET  /{path}/compare?from=&to=    two versions side by side, changed fields and table rows
//                                     marked; a form to choose the versions
//   POST /{path}/{id}/approve         approve a draft
//   POST /{path}/{id}/new-draft       a new draft copying the version, opened for editing
// and the banners and buttons the generic register pages show for such a register.
#include <fmt/format.h>

#include <charconv>

#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

using domain::FieldComparison;
using domain::Json;
using domain::Record;
using domain::RegisterSpec;
using domain::RowComparison;

namespace {

int64_t VersionNumber(const Record& rec) {
  const Json& n = rec.fields["version_number"];
  return n.is_number_integer() ? n.get<int64_t>() : 0;
}

std::string ApprovedOn(const Record& rec) {
  const Json& at = rec.fields["approved_at"];
  return at.is_string() ? at.get<std::string>().substr(0, 10) : std::string("—");
}

int64_t QueryId(const Request& r, const char* name) {
  const std::string v = r.Query(name);
  int64_t id = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
  return ec == std::errc() && end == v.data() + v.size() && id > 0 ? id : 0;
}

void ErrorPage(Request& r, const RegisterSpec& spec, const std::string& title, const Status& st,
               int64_t back_id) {
  Html h;
  ErrorAlert(h, title, st.message());
  h.Open("p").Link(fmt::format("/{}/{}", spec.path, back_id), "← Back to the version").Close("p");
  RenderPage(
      r,
      {.title = title, .nav = spec.path, .crumbs = {{spec.plural, "/" + spec.path}, {title, ""}}},
      h.Take(), HttpStatusFor(st.code()));
}

// A value of a field (or a table's column) for the comparison: "—" when empty.
std::string Shown(const domain::FieldSpec& f, const Json& v,
                  const std::vector<domain::UserSummary>& members) {
  const std::string s = DisplayValue(f, v, members);
  return s.empty() ? "—" : s;
}

void RowsTable(Html& h, const FieldComparison& c, const std::vector<domain::UserSummary>& members) {
  const auto& columns = c.field->columns;
  Table table{.cls = "compare-rows",
              .caption = c.field->label + ", row by row",
              .columns = {{.label = "Row"}},
              .scroll = TableScroll::kNone};
  for (const auto& col : columns) table.columns.push_back({.label = col.label});
  table.Open(h);
  for (const auto& row : c.rows) {
    const std::string change = domain::RowChangeName(row.kind);
    h.Open("tr", {{"class", "row-" + change}});
    h.Open("td").Element("span", {{"class", "badge badge-change-" + change}},
                         row.kind == RowComparison::Kind::kSame      ? "Unchanged"
                         : row.kind == RowComparison::Kind::kAdded   ? "Added"
                         : row.kind == RowComparison::Kind::kRemoved ? "Removed"
                                                                     : "Changed");
    h.Close("td");
    for (const auto& col : columns) {
      const Json& side = row.kind == RowComparison::Kind::kRemoved ? row.from : row.to;
      const bool changed = std::find(row.changed_columns.begin(), row.changed_columns.end(),
                                     col.name) != row.changed_columns.end();
      if (!changed) {
        h.Element("td", {}, Shown(col, side.value(col.name, Json()), members));
        continue;
      }
      h.Open("td", {{"class", "cell-changed"}});
      h.Element("del", {}, Shown(col, row.from.value(col.name, Json()), members));
      h.Text(" → ");
      h.Element("ins", {}, Shown(col, row.to.value(col.name, Json()), members));
      h.Close("td");
    }
    h.Close("tr");
  }
  table.Close(h);
}

void VersionSelect(Html& h, const RegisterSpec& spec, const char* name, const char* label,
                   int64_t chosen, const std::vector<Record>& versions) {
  const domain::FieldSpec& status = *spec.Field("status");
  h.Open("div", {{"class", "form-field"}});
  h.Element("label", {{"for", std::string("compare-") + name}}, label);
  h.Open("select", {{"id", std::string("compare-") + name}, {"name", name}});
  for (const auto& v : versions) {
    const std::string id = std::to_string(v.id);
    const std::string text =
        fmt::format("Version {} — {}{}", VersionNumber(v),
                    status.ChoiceLabel(v.fields["status"].get<std::string>()),
                    v.fields["approved_at"].is_string() ? ", approved " + ApprovedOn(v) : "");
    if (v.id == chosen) {
      h.Element("option", {{"value", id}, Attr::Flag("selected")}, text);
    } else {
      h.Element("option", {{"value", id}}, text);
    }
  }
  h.Close("select").Close("div");
}

void ComparePage(Request& r, const RegisterSpec& spec) {
  domain::ListQuery q{.sort = "version_number", .descending = true, .limit = 500};
  auto versions = r.services.registers.List(r.principal, spec, q);
  auto members = r.services.registers.Members(r.principal);
  if (!versions.ok() || !members.ok()) {
    const Status& st = !versions.ok() ? versions.status() : members.status();
    return RenderPage(r, {.title = "Error", .nav = spec.path}, {}, HttpStatusFor(st.code()));
  }
  const auto& all = versions->records;
  // Defaults: the version asked for against the one before it (or the one in force).
  int64_t to = QueryId(r, "to");
  int64_t from = QueryId(r, "from");
  if (to == 0 && !all.empty()) to = all.front().id;
  if (from == 0) {
    for (size_t i = 0; i < all.size(); ++i) {
      if (all[i].id == to && i + 1 < all.size()) from = all[i + 1].id;
    }
    if (from == 0) from = to;
  }
  const std::string title = "Compare versions";
  PageFrame frame{.title = title,
                  .nav = spec.path,
                  .crumbs = {{spec.plural, "/" + spec.path}, {title, ""}},
                  .subtitle = fmt::format("{} · clause {}", spec.plural, spec.clause)};
  Html h;
  if (all.size() < 2) {
    h.Element("p", {{"class", "callout"}},
              fmt::format("There is nothing to compare yet: the {} has {}.", LowerNoun(spec.plural),
                          all.empty() ? "no version" : "one version"));
    return RenderPage(r, frame, h.Take());
  }
  h.Open("form",
         {{"method", "get"}, {"action", "/" + spec.path + "/compare"}, {"class", "toolbar"}});
  VersionSelect(h, spec, "from", "Earlier version", from, all);
  VersionSelect(h, spec, "to", "Later version", to, all);
  h.Element("button", {{"type", "submit"}, {"class", "button button-secondary"}}, "Compare");
  h.Close("form");

  auto c = r.services.versions.Compare(r.principal, spec, from, to);
  if (!c.ok()) {
    ErrorAlert(h, "These versions cannot be compared", c.status().message());
    return RenderPage(r, frame, h.Take(), HttpStatusFor(c.status().code()));
  }
  int changed = 0;
  for (const auto& f : c->fields) changed += f.changed ? 1 : 0;
  const std::string from_label = fmt::format("Version {}", VersionNumber(c->from));
  const std::string to_label = fmt::format("Version {}", VersionNumber(c->to));
  h.Element("p", {{"class", "compare-summary"}, {"role", "status"}},
            changed == 0 ? fmt::format("{} and {} are the same.", from_label, to_label)
                         : fmt::format("{} {} between {} and {}.", changed,
                                       changed == 1 ? "field differs" : "fields differ", from_label,
                                       to_label));
  h.Open("section", {{"class", "card"}, {"aria-label", "Comparison"}});
  h.Open("table", {{"class", "compare"}});
  h.Open("thead").Open("tr").Element("th", {{"scope", "col"}}, "Field");
  h.Open("th", {{"scope", "col"}}).Link(fmt::format("/{}/{}", spec.path, c->from.id), from_label);
  h.Close("th");
  h.Open("th", {{"scope", "col"}}).Link(fmt::format("/{}/{}", spec.path, c->to.id), to_label);
  h.Close("th").Close("tr").Close("thead").Open("tbody");
  for (const auto& f : c->fields) {
    h.Open("tr", {{"class", f.changed ? "field-changed" : "field-same"}});
    h.Open("th", {{"scope", "row"}}).Text(f.field->label);
    if (f.changed) h.Element("span", {{"class", "badge badge-change-changed"}}, "Changed");
    h.Close("th");
    if (f.field->type == domain::FieldType::kTable && f.changed) {
      h.Open("td", {{"colspan", "2"}});
      RowsTable(h, f, *members);
      h.Close("td");
    } else {
      h.Element("td", {{"class", "compare-from"}}, Shown(*f.field, f.from, *members));
      h.Element("td", {{"class", "compare-to"}}, Shown(*f.field, f.to, *members));
    }
    h.Close("tr");
  }
  h.Close("tbody").Close("table").Close("section");
  RenderPage(r, frame, h.Take());
}

}  // namespace

void VersionListBanner(Html& h, Request& r, const RegisterSpec& spec) {
  auto current = r.services.versions.Current(r.principal, spec);
  h.Open("div", {{"class", "callout"}});
  if (current.ok()) {
    h.Text(fmt::format("The {} in force is version {}, approved {}. ", LowerNoun(spec.plural),
                       VersionNumber(*current), ApprovedOn(*current)));
    h.Link(fmt::format("/{}/{}", spec.path, current->id), "Read the version in force →");
  } else {
    h.Text(
        fmt::format("No version of the {} has been approved yet. Write a draft, then approve "
                    "it. ",
                    LowerNoun(spec.plural)));
  }
  h.Text(" · ");
  h.Link("/" + spec.path + "/compare", "Compare versions");
  h.Close("div");
}

void VersionDetailBanner(Html& h, Request& r, const RegisterSpec& spec, const Record& rec) {
  const std::string status = rec.fields["status"].get<std::string>();
  if (status == domain::kVersionApproved) {
    h.Open("div", {{"class", "callout callout-ok"}});
    h.Text(
        fmt::format("This is the current {}, the version in force. Approved versions cannot "
                    "be changed; start a new draft to revise it.",
                    LowerNoun(spec.plural)));
  } else if (status == domain::kVersionSuperseded) {
    h.Open("div", {{"class", "callout callout-warn"}});
    h.Text("This version has been superseded and is kept as a record. ");
    auto current = r.services.versions.Current(r.principal, spec);
    if (current.ok()) {
      h.Link(fmt::format("/{}/{}", spec.path, current->id),
             fmt::format("Go to the version in force ({}) →", VersionNumber(*current)));
    }
  } else {
    h.Open("div", {{"class", "callout"}});
    h.Text(
        "Draft: it takes effect when it is approved; until then the approved version in force "
        "stays current.");
  }
  h.Close("div");
}

void VersionActions(Html& h, Request& r, const RegisterSpec& spec, const Record& rec) {
  // Only the steps the role may take are offered.
  if (!r.principal.InAccountSetup() && !r.principal.read_only) {
    if (rec.fields["status"] == domain::kVersionDraft) {
      if (r.principal.Can(domain::Permission::kApprove)) {
        ButtonForm(h, r, fmt::format("/{}/{}/approve", spec.path, rec.id),
                   {.label = "Approve",
                    .cls = "button button-approve",
                    .confirm = fmt::format(
                        "Approve this version as the {}? It cannot be changed afterwards.{}",
                        LowerNoun(spec.plural),
                        spec.versions->on_approval.empty() ? "" : " " + spec.versions->on_approval),
                    .hidden = {{"version", std::to_string(rec.version)}}});
      }
    } else if (MayChange(r.principal, spec, rec)) {
      ButtonForm(h, r, fmt::format("/{}/{}/new-draft", spec.path, rec.id),
                 {.label = "New draft from this version"});
    }
  }
}

void AddVersionPages(Router& router, const RegisterSpec& spec) {
  const RegisterSpec* s = &spec;
  router.Get("/" + spec.path + "/current", Surface::kWeb, kRead, [s](Request& r) {
    auto current = r.services.versions.Current(r.principal, *s);
    r.res.SetRedirect(current.ok() ? fmt::format("/{}/{}", s->path, current->id) : "/" + s->path,
                      303);
  });
  router.Get("/" + spec.path + "/compare", Surface::kWeb, kRead,
             [s](Request& r) { ComparePage(r, *s); });
  router.Post(
      "/" + spec.path + R"(/(\d+)/approve)", Surface::kWeb,
      Guard::Needs(domain::Permission::kApprove), [s](Request& r) {
        auto done = r.services.versions.Approve(r.principal, *s, r.PathId(), r.FormVersion());
        if (done.ok()) {
          return r.res.SetRedirect(fmt::format("/{}/{}?notice=approved", s->path, done->id), 303);
        }
        ErrorPage(r, *s, "Not approved", done.status(), r.PathId());
      });
  router.Post("/" + spec.path + R"(/(\d+)/new-draft)", Surface::kWeb, WriteGuard(spec),
              [s](Request& r) {
                auto draft = r.services.versions.NewDraft(r.principal, *s, r.PathId());
                if (draft.ok()) {
                  return r.res.SetRedirect(fmt::format("/{}/{}/edit", s->path, draft->id), 303);
                }
                ErrorPage(r, *s, "No draft created", draft.status(), r.PathId());
              });
}

}  // namespace rampart::http

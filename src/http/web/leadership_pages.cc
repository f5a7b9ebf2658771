// Clause 5's pages beyond the generic register pages:
//   /raci                           the ISMS processes against the ISMS roles (5.3): R, A, C, I
//                                   in each cell, a process without R or A flagged
//   POST /isms-processes/standard   adds the standard ISMS processes (the empty list's button)
// and the hooks of the clause's registers: the RACI matrix under ISMS roles in the navigation,
// links between the roles, the processes and the matrix; a commitment's page naming the
// approval it records.
#include <fmt/format.h>

#include "domain/leadership.h"
#include "domain/registers.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

using domain::Json;

namespace {

std::string Text(const Json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

bool MayAddStandard(const app::Principal& p) {
  return MayCreate(p, domain::IsmsProcesses()) && p.Can(domain::Permission::kEditRecords);
}

void StandardProcessesButton(Html& h, Request& r) {
  if (!MayAddStandard(r.principal)) return;
  ButtonForm(h, r, "/isms-processes/standard",
             {.label = "Add the standard ISMS processes", .cls = "button button-primary"});
}

void RaciLinks(Html& h, Request&) {
  h.Open("div", {{"class", "callout"}});
  h.Link("/raci", "RACI matrix");
  h.Text(" · ");
  h.Link("/isms-roles", "ISMS roles");
  h.Text(" · ");
  h.Link("/isms-processes", "ISMS processes");
  h.Close("div");
}

void RaciPage(Request& r) {
  auto matrix = r.services.leadership.Raci(r.principal);
  const PageFrame frame{.title = "RACI matrix",
                        .nav = "raci",
                        .crumbs = {{"ISMS roles", "/isms-roles"}, {"RACI matrix", ""}},
                        .subtitle = "Clause 5.3",
                        .notice = r.Query("notice") == "added" ? "The standard ISMS processes "
                                                                 "were added."
                                                               : ""};
  Html h;
  if (!matrix.ok()) {
    ErrorAlert(h, "The matrix could not be read", matrix.status().message());
    return RenderPage(r, frame, h.Take(), HttpStatusFor(matrix.status().code()));
  }
  const auto& m = *matrix;
  if (m.processes.empty() || m.roles.empty()) {
    h.Open("div", {{"class", "card empty-state"}});
    h.Element("h2", {}, "Nothing to show yet");
    h.Open("p");
    h.Text("The matrix lists the ");
    h.Link("/isms-processes", "ISMS processes");
    h.Text(" in use or being defined against the active ");
    h.Link("/isms-roles", "ISMS roles");
    h.Text(": who is responsible (R), accountable (A), consulted (C) and informed (I).");
    h.Close("p");
    if (m.processes.empty()) StandardProcessesButton(h, r);
    h.Close("div");
    return RenderPage(r, frame, h.Take());
  }
  size_t gaps = 0;
  for (size_t i = 0; i < m.processes.size(); ++i) {
    if (m.MissingResponsible(i) || m.MissingAccountable(i)) ++gaps;
  }
  h.Open("div", {{"class", "card table-card"}});
  h.Open("div", {{"class", "table-meta"}});
  h.Element("span", {{"class", "count"}},
            fmt::format("{} {} · {} {} · {} without R or A", m.processes.size(),
                        m.processes.size() == 1 ? "process" : "processes", m.roles.size(),
                        m.roles.size() == 1 ? "role" : "roles", gaps));
  h.Close("div");
  // The table is written here rather than with Table: its column headers link to the roles.
  h.Open("div", {{"class", "table-scroll"}});
  h.Open("table", {{"class", "data-table raci-matrix"}});
  h.Element("caption", {{"class", "visually-hidden"}}, "RACI matrix");
  h.Open("thead").Open("tr");
  h.Element("th", {{"scope", "col"}}, "ISMS process");
  for (const auto& role : m.roles) {
    h.Open("th", {{"scope", "col"}, {"class", "raci-role"}});
    h.Link(fmt::format("/isms-roles/{}", role.id), Text(role.fields["name"]));
    h.Close("th");
  }
  h.Close("tr").Close("thead").Open("tbody");
  for (size_t i = 0; i < m.processes.size(); ++i) {
    const auto& process = m.processes[i];
    const bool gap = m.MissingResponsible(i) || m.MissingAccountable(i);
    h.Open("tr", {{"class", gap ? "raci-gap" : ""}});
    h.Open("th", {{"scope", "row"}, {"class", "cell-title"}});
    h.Link(fmt::format("/isms-processes/{}", process.id), Text(process.fields["name"]));
    if (process.fields["status"] == "draft") {
      h.Element("span", {{"class", "badge"}}, "Being defined");
    }
    if (gap) {
      std::string missing = m.MissingResponsible(i) && m.MissingAccountable(i) ? "No R or A"
                            : m.MissingResponsible(i)                          ? "No R"
                                                                               : "No A";
      h.Element("span", {{"class", "badge badge-raci-gap"}}, missing);
    }
    h.Close("th");
    for (size_t j = 0; j < m.roles.size(); ++j) {
      const std::string& letters = m.cells[i][j];
      h.Element("td", {{"class", "raci-cell"}, {"data-label", Text(m.roles[j].fields["name"])}},
                letters);
    }
    h.Close("tr");
  }
  h.Close("tbody").Close("table").Close("div");
  h.Element("p", {{"class", "muted"}},
            "R: carries the process out. A: answers for it (one role each). C: asked before it "
            "decides. I: told of its results. A process flagged has no active role responsible "
            "or accountable.");
  if (m.truncated) {
    h.Element("p", {{"class", "muted"}}, "Only the first 500 processes and roles are shown.");
  }
  h.Close("div");
  RenderPage(r, frame, h.Take());
}

// A commitment recorded automatically names the approval it records.
void CommitmentBanner(Html& h, Request&, const domain::Record& rec) {
  if (rec.fields["origin"] != domain::kCommitmentAutomatic) return;
  h.Open("div", {{"class", "callout"}});
  h.Text("Recorded automatically by the approval");
  const domain::RegisterSpec* source = domain::FindRegisterByType(Text(rec.fields["source_type"]));
  if (source != nullptr && rec.fields["source_id"].is_number_integer()) {
    const int64_t id = rec.fields["source_id"].get<int64_t>();
    h.Text(" of ");
    h.Link(fmt::format("/{}/{}", source->path, id), fmt::format("{} #{}", source->singular, id));
  }
  h.Text("; it is kept as recorded.");
  h.Close("div");
}

}  // namespace

void AddLeadershipPageHooks(PageHooks& all) {
  all[&domain::IsmsRoles()].views = {{"raci", "/raci", "RACI matrix", "5.3"}};
  all[&domain::IsmsRoles()].list_banner = RaciLinks;
  all[&domain::IsmsProcesses()].list_banner = [](Html& h, Request& r) {
    RaciLinks(h, r);
    auto count = r.services.registers.Count(r.principal, domain::IsmsProcesses(), {});
    if (count.ok() && *count == 0) StandardProcessesButton(h, r);
  };
  all[&domain::Commitments()].detail_banner = CommitmentBanner;
}

void AddLeadershipPages(Router& router) {
  router.Get("/raci", Surface::kWeb, kRead, RaciPage);
  router.Post("/isms-processes/standard", Surface::kWeb,
              Guard::Needs(domain::Permission::kEditRecords), [](Request& r) {
                auto added = r.services.leadership.AddStandardProcesses(r.principal);
                if (added.ok()) return r.res.SetRedirect("/raci?notice=added", 303);
                Html h;
                ErrorAlert(h, "Not added", added.status().message());
                h.Open("p").Link("/isms-processes", "← ISMS processes").Close("p");
                RenderPage(r,
                           {.title = "Not added",
                            .nav = "isms-processes",
                            .crumbs = {{"ISMS processes", "/isms-processes"}, {"Not added", ""}}},
                           h.Take(), HttpStatusFor(added.status().code()));
              });
}

}  // namespace rampart::http

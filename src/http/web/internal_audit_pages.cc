// Internal audit (clause 9.2) on the pages: a programme's audits on its page with a link to its
// coverage matrix (/audit-programmes/{id}/coverage: the clauses and applicable Annex A controls
// against the programme's audits, and what is left uncovered); an audit's impartiality override
// and findings on its page; a finding's nonconformity on its page.
#include <fmt/format.h>

#include <string>

#include "base/text.h"
#include "domain/improvement.h"
#include "domain/internal_audit.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {
namespace {

using domain::Json;
using domain::Record;

std::string Text(const Json& v) { return v.is_string() ? v.get<std::string>() : ""; }

std::string DateText(const Json& v) { return v.is_string() ? v.get<std::string>() : "—"; }

// The programme's audits, with links to plan another and to the coverage matrix.
void ProgrammeAuditsSection(Html& h, Request& r, const Record& programme) {
  auto audits = r.services.internal_audits.AuditsOf(r.principal, programme.id);
  auto members = r.services.registers.Members(r.principal);
  if (!audits.ok() || !members.ok()) return;
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "programme-audits"}});
  h.Open("div", {{"class", "card-title-row"}});
  h.Element("h2", {{"id", "programme-audits"}}, fmt::format("Audits ({})", audits->size()));
  h.Link(fmt::format("/audit-programmes/{}/coverage", programme.id), "Coverage matrix",
         "button button-secondary button-small");
  if (MayCreate(r.principal, domain::InternalAudits())) {
    h.Link(fmt::format("/internal-audits/new?programme={}", programme.id), "Plan an audit",
           "button button-secondary button-small");
  }
  h.Close("div");
  if (audits->empty()) {
    h.Element("p", {{"class", "muted"}}, "No audit is planned in this programme yet.");
  } else {
    const Table t{.cls = "data-table stack-narrow",
                  .caption = "Audits of this programme",
                  .columns = {{.label = "Audit"},
                              {.label = "Lead auditor"},
                              {.label = "Planned"},
                              {.label = "Status"}}};
    t.Open(h);
    const auto& status = *domain::InternalAudits().Field("status");
    const std::string today = Today(r);
    for (const auto& a : *audits) {
      h.Open("tr");
      h.Open("td", {{"class", "cell-title"}, {"data-label", "Audit"}});
      h.Link(fmt::format("/internal-audits/{}", a.id), Text(a.fields["title"]));
      h.Close("td");
      h.Element("td", {{"data-label", "Lead auditor"}},
                a.fields["lead_auditor"].is_number_integer()
                    ? UserName(a.fields["lead_auditor"].get<int64_t>(), *members)
                    : "—");
      h.Open("td", {{"class", "cell-date"}, {"data-label", "Planned"}});
      h.Text(fmt::format("{} – {}", DateText(a.fields["planned_start"]),
                         DateText(a.fields["planned_end"])));
      if (domain::IsPastDue(domain::InternalAudits(), a.fields, today)) {
        h.Text(" ");
        h.Element("span", {{"class", "badge badge-flag"}}, "Overdue");
      }
      h.Close("td");
      h.Open("td", {{"data-label", "Status"}});
      Badge(h, status, a.fields["status"]);
      h.Close("td");
      h.Close("tr");
    }
    t.Close(h);
  }
  h.Close("section");
}

// An override of the impartiality check, said above the audit's details.
void AuditBanner(Html& h, Request&, const Record& audit) {
  if (audit.fields.value("impartiality_override", false) != true) return;
  h.Open("div", {{"class", "callout callout-warn"}, {"role", "note"}});
  h.Element("strong", {}, "Impartiality override recorded. ");
  h.Text("An auditor of this audit owns records in its scope. Reason: ");
  h.Text(Text(audit.fields["impartiality_reason"]));
  h.Close("div");
}

// The audit's findings, with a link to record another.
void AuditFindingsSection(Html& h, Request& r, const Record& audit) {
  auto findings = r.services.internal_audits.FindingsOf(r.principal, audit.id);
  if (!findings.ok()) return;
  std::vector<int64_t> ncs;
  for (const auto& f : *findings) {
    if (f.fields["nonconformity"].is_number_integer()) {
      ncs.push_back(f.fields["nonconformity"].get<int64_t>());
    }
  }
  std::map<int64_t, std::string> nc_titles;
  if (!ncs.empty()) {
    auto titles = r.services.registers.Titles(r.principal, domain::Nonconformities(), ncs);
    if (titles.ok()) nc_titles = std::move(*titles);
  }
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "audit-findings"}});
  h.Open("div", {{"class", "card-title-row"}});
  h.Element("h2", {{"id", "audit-findings"}}, fmt::format("Findings ({})", findings->size()));
  if (MayCreate(r.principal, domain::AuditFindings())) {
    h.Link(fmt::format("/findings/new?audit={}", audit.id), "Record a finding",
           "button button-secondary button-small");
  }
  h.Close("div");
  if (findings->empty()) {
    h.Element("p", {{"class", "muted"}}, "No finding is recorded for this audit.");
  } else {
    const Table t{.cls = "data-table stack-narrow",
                  .caption = "Findings of this audit",
                  .columns = {{.label = "Finding"},
                              {.label = "Type"},
                              {.label = "Clause or control"},
                              {.label = "Nonconformity"}}};
    t.Open(h);
    const auto& type = *domain::AuditFindings().Field("type");
    for (const auto& f : *findings) {
      h.Open("tr");
      h.Open("td", {{"class", "cell-title"}, {"data-label", "Finding"}});
      h.Link(fmt::format("/findings/{}", f.id), Text(f.fields["title"]));
      h.Close("td");
      h.Open("td", {{"data-label", "Type"}});
      Badge(h, type, f.fields["type"]);
      h.Close("td");
      h.Element("td", {{"data-label", "Clause or control"}}, Text(f.fields["requirement"]));
      h.Open("td", {{"data-label", "Nonconformity"}});
      if (f.fields["nonconformity"].is_number_integer()) {
        const int64_t id = f.fields["nonconformity"].get<int64_t>();
        const auto it = nc_titles.find(id);
        h.Link(fmt::format("/nonconformities/{}", id),
               it != nc_titles.end() ? it->second : fmt::format("#{}", id));
      } else {
        h.Text("—");
      }
      h.Close("td");
      h.Close("tr");
    }
    t.Close(h);
  }
  h.Close("section");
}

// The nonconformity a finding raised, linked above its details.
void FindingBanner(Html& h, Request& r, const Record& finding) {
  if (!finding.fields["nonconformity"].is_number_integer()) return;
  const int64_t id = finding.fields["nonconformity"].get<int64_t>();
  auto titles = r.services.registers.Titles(r.principal, domain::Nonconformities(), {id});
  h.Open("div", {{"class", "callout"}});
  h.Text("This finding raised the nonconformity ");
  if (titles.ok() && titles->contains(id)) {
    h.Link(fmt::format("/nonconformities/{}", id), titles->at(id));
  } else {
    h.Text(fmt::format("#{} (deleted)", id));
  }
  h.Text(", where its correction and corrective action are followed up (clause 10.2).");
  h.Close("div");
}

void CoveragePage(Request& r) {
  const int64_t id = r.PathId();
  auto programme = r.services.registers.Get(r.principal, domain::AuditProgrammes(), id);
  auto coverage = r.services.internal_audits.Coverage(r.principal, id);
  const std::string title =
      programme.ok() ? Text(programme->fields["title"]) : fmt::format("Programme {}", id);
  const PageFrame frame{.title = "Coverage: " + title,
                        .nav = domain::AuditProgrammes().path,
                        .crumbs = {{"Audit programmes", "/audit-programmes"},
                                   {title, fmt::format("/audit-programmes/{}", id)},
                                   {"Coverage", ""}},
                        .subtitle = "Clause 9.2 · what the programme's audits cover"};
  Html h;
  if (!programme.ok() || !coverage.ok()) {
    const Status& s = programme.ok() ? coverage.status() : programme.status();
    ErrorAlert(h, "The coverage could not be read", s.message());
    return RenderPage(r, frame, h.Take(), HttpStatusFor(s.code()));
  }
  const auto& c = *coverage;
  // What is left uncovered, first.
  const bool complete = c.uncovered_clauses == 0 && c.uncovered_controls == 0;
  h.Open("div", {{"class", complete ? "callout callout-ok" : "callout callout-warn"},
                 {"role", "status"},
                 {"id", "coverage-summary"}});
  if (complete) {
    h.Text(
        "Every clause and every applicable Annex A control is covered by an audit of this "
        "programme.");
  } else {
    h.Text(
        fmt::format("Not covered by any audit of this programme: {} {} and {} applicable "
                    "Annex A {}.",
                    c.uncovered_clauses, c.uncovered_clauses == 1 ? "clause" : "clauses",
                    c.uncovered_controls, c.uncovered_controls == 1 ? "control" : "controls"));
    std::string ids;
    for (const auto& row : c.rows) {
      if (!row.audits.empty() || row.heading) continue;
      if (!ids.empty()) ids += ", ";
      ids += row.kind == "control" ? "A." + row.id : row.id;
    }
    h.Element("p", {{"class", "coverage-uncovered"}}, ids);
  }
  if (c.undecided_controls > 0) {
    h.Open("p");
    h.Text(fmt::format("{} Annex A {} not decided in the ", c.undecided_controls,
                       c.undecided_controls == 1 ? "control is" : "controls are"));
    h.Link("/soa", "Statement of Applicability");
    h.Text(" and so not listed.");
    h.Close("p");
  }
  h.Close("div");
  h.Open("div", {{"class", "card table-card"}});
  if (c.audits.empty()) {
    h.Element("p", {{"class", "muted"}}, "No audit is planned in this programme yet.");
  }
  Table table{.cls = "data-table coverage-matrix", .caption = "Coverage matrix"};
  table.columns.push_back({.label = "Requirement"});
  for (const auto& a : c.audits) table.columns.push_back({.label = a.title});
  table.Open(h);
  for (const auto& row : c.rows) {
    const bool gap = row.audits.empty() && !row.heading;
    h.Open("tr", {{"class", gap ? "coverage-gap" : (row.heading ? "coverage-heading" : "")}});
    h.Open("th", {{"scope", "row"}, {"class", "cell-title"}});
    h.Text(fmt::format("{} {}", row.kind == "control" ? "A." + row.id : row.id, row.title));
    if (gap) {
      h.Text(" ");
      h.Element("span", {{"class", "badge badge-flag"}}, "Not covered");
    }
    h.Close("th");
    for (const auto& a : c.audits) {
      const bool covered =
          std::find(row.audits.begin(), row.audits.end(), a.id) != row.audits.end();
      if (covered) {
        h.Element("td", {{"class", "coverage-cell"}, {"aria-label", "covered by " + a.title}}, "✓");
      } else {
        h.Element("td", {{"class", "coverage-cell muted"}}, "");
      }
    }
    h.Close("tr");
  }
  table.Close(h);
  h.Element("p", {{"class", "muted"}},
            "A clause is covered by an audit naming it or a clause above it; an Annex A control "
            "by an audit naming it. Controls are those the Statement of Applicability includes.");
  h.Close("div");
  RenderPage(r, frame, h.Take());
}

}  // namespace

void AddInternalAuditPageHooks(PageHooks& all) {
  all[&domain::AuditProgrammes()].detail_sections = ProgrammeAuditsSection;
  all[&domain::InternalAudits()].detail_banner = AuditBanner;
  all[&domain::InternalAudits()].detail_sections = AuditFindingsSection;
  all[&domain::AuditFindings()].detail_banner = FindingBanner;
}

void AddInternalAuditPages(Router& router) {
  router.Get(R"(/audit-programmes/(\d+)/coverage)", Surface::kWeb, kRead, CoveragePage);
}

}  // namespace rampart::http

// /mandatory-documentation: what ISO/IEC 27001:2022 requires to be documented (the clauses, and
// the Annex A controls asking for documented rules or procedures) and, for each, the records or
// published documents that meet it today, or the gap (app::MandatoryDocumentsService).
#include <fmt/format.h>

#include "domain/mandatory_documents.h"
#include "domain/registers.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

using domain::MandatoryState;

namespace {

const char* StateLabel(MandatoryState s) {
  switch (s) {
    case MandatoryState::kMet:
      return "Met";
    case MandatoryState::kReviewOverdue:
      return "Review overdue";
    case MandatoryState::kGap:
      return "Gap";
    case MandatoryState::kNotApplicable:
      return "Not applicable";
  }
  return "";
}

// Where a piece of evidence is shown: a record's page, a register's list, the SoA's version,
// the treatment plan.
std::string EvidenceHref(const domain::MandatoryEvidence& e) {
  if (e.type == "soa") return fmt::format("/soa/versions/{}", e.id);
  if (e.type == "treatment_plan") return "/risks/treatment-plan";
  const domain::RegisterSpec* spec = domain::FindRegisterByType(e.type);
  if (spec == nullptr) return {};
  if (e.id != 0) return fmt::format("/{}/{}", spec->path, e.id);
  return e.status.empty() ? "/" + spec->path : fmt::format("/{}?status={}", spec->path, e.status);
}

// Where a gap is closed.
std::string FixHref(const domain::MandatoryRequirement& q) {
  using domain::MandatorySource;
  switch (q.source) {
    case MandatorySource::kScope:
      return "/scope";
    case MandatorySource::kMethodology:
      return "/risk-methodology";
    case MandatorySource::kSoa:
      return "/soa/versions";
    case MandatorySource::kTreatmentPlan:
    case MandatorySource::kTreatedRisks:
      return "/risks";
    case MandatorySource::kObjectives:
      return "/objectives/new";
    case MandatorySource::kCompetence:
      return "/competence-records/new";
    case MandatorySource::kAssessmentCycle:
      return "/risk-assessments";
    case MandatorySource::kOperationRecords:
      return "/operational-activities";
    case MandatorySource::kMeasurements:
      return "/metrics";
    case MandatorySource::kAuditResults:
      return "/internal-audits";
    case MandatorySource::kReviewResults:
      return "/management-reviews";
    case MandatorySource::kNonconformities:
      return "/nonconformities";
    case MandatorySource::kIsmsPolicy:
      return "/documents/new?type=isms_policy";
    case MandatorySource::kTopicPolicies:
      return "/documents/new?type=topic_policy";
    case MandatorySource::kAnyDocument:
      return "/documents/new";
    case MandatorySource::kDocument:
      break;
  }
  return q.annex_a ? "/documents/new?annex_controls=" + q.clause
                   : "/documents/new?clauses=" + q.clause;
}

void Rows(Html& h, const Request& r, const std::vector<const domain::MandatoryStatus*>& items) {
  for (const auto* st : items) {
    const auto& q = *st->requirement;
    const std::string state(domain::MandatoryStateName(st->state));
    h.Open("tr", {{"id", "req-" + q.id}});
    h.Open("th", {{"scope", "row"}, {"class", "cell-title"}});
    h.Element("span", {{"class", "mandatory-ref"}}, q.annex_a ? "A." + q.clause : q.clause);
    h.Element("span", {{"class", "mandatory-clause muted"}}, q.title);
    h.Close("th");
    h.Element("td", {{"class", "mandatory-what"}}, q.what);
    h.Open("td");
    if (st->met_by.empty()) {
      h.Element("span", {{"class", "muted"}}, "—");
    } else {
      h.Open("ul", {{"class", "mandatory-evidence"}});
      for (const auto& e : st->met_by) {
        h.Open("li");
        const std::string href = EvidenceHref(e);
        if (href.empty()) {
          h.Text(e.title);
        } else {
          h.Link(href, e.title);
        }
        if (!e.date.empty()) h.Element("span", {{"class", "muted"}}, " · " + e.date);
        if (e.overdue) h.Element("span", {{"class", "badge badge-flag"}}, "Review overdue");
        h.Close("li");
      }
      h.Close("ul");
    }
    h.Close("td");
    h.Open("td");
    h.Element("span", {{"class", "badge badge-mandatory-" + state}}, StateLabel(st->state));
    if (!st->gap.empty()) {
      h.Element("p", {{"class", "mandatory-gap"}}, st->gap);
      const std::string fix = FixHref(q);
      if (st->state == MandatoryState::kGap && MayFollow(r.principal, fix)) {
        h.Link(fix, "Close the gap", "button button-secondary button-small");
      }
    }
    h.Close("td");
    h.Close("tr");
  }
}

void Section(Html& h, const Request& r, const std::string& heading, const std::string& caption,
             const std::vector<const domain::MandatoryStatus*>& items) {
  h.Open("section", {{"class", "card table-card"}, {"aria-label", heading}});
  h.Element("h2", {{"class", "mandatory-heading"}}, heading);
  Table table{.cls = "data-table mandatory-table stack-narrow", .caption = caption};
  table.columns = {{.label = "Requirement"},
                   {.label = "What is documented"},
                   {.label = "Met by"},
                   {.label = "State"}};
  table.Open(h);
  Rows(h, r, items);
  table.Close(h);
  h.Close("section");
}

void MandatoryPage(Request& r) {
  auto a = r.services.mandatory.Assess(r.principal);
  const PageFrame frame{
      .title = "Mandatory documented information",
      .nav = "mandatory-documentation",
      .crumbs = {{"Documents", "/documents"}, {"Mandatory documented information", ""}},
      .subtitle = "Clause 7.5.1 · as of " + r.services.mandatory.Today()};
  Html h;
  if (!a.ok()) {
    ErrorAlert(h, "The requirements could not be assessed", a.status().message());
    return RenderPage(r, frame, h.Take(), HttpStatusFor(a.status().code()));
  }
  h.Open("p", {{"class", "muted mandatory-intro"}});
  h.Text(
      "What ISO/IEC 27001:2022 requires the ISMS to keep as documented information, and what in "
      "your records meets each requirement today: an approved version, the records themselves, "
      "or a published document in date that serves the clause or control.");
  h.Close("p");
  h.Open("div", {{"class", "mandatory-summary"}});
  h.Element("span", {{"class", "badge badge-mandatory-met"}}, fmt::format("{} met", a->met));
  h.Element("span", {{"class", "badge badge-mandatory-review_overdue"}},
            fmt::format("{} review overdue", a->overdue));
  h.Element("span", {{"class", "badge badge-mandatory-gap"}},
            fmt::format("{} {}", a->gaps, a->gaps == 1 ? "gap" : "gaps"));
  h.Element("span", {{"class", "badge badge-mandatory-not_applicable"}},
            fmt::format("{} not applicable", a->not_applicable));
  h.Close("div");
  std::vector<const domain::MandatoryStatus*> clauses, annex;
  for (const auto& st : a->items) (st.requirement->annex_a ? annex : clauses).push_back(&st);
  Section(h, r, "Clauses 4 to 10", "Documented information the clauses require", clauses);
  Section(h, r, "Annex A controls",
          "Annex A controls asking for documented policies, rules or procedures (those the SoA "
          "excludes are not applicable)",
          annex);
  RenderPage(r, frame, h.Take());
}

}  // namespace

bool MayFollow(const app::Principal& p, const std::string& href) {
  const size_t form = href.find("/new");
  if (form == std::string::npos) return true;
  const domain::RegisterSpec* spec = domain::FindRegisterByPath(href.substr(1, form - 1));
  return spec != nullptr && MayCreate(p, *spec);
}

void AddMandatoryPages(Router& router) {
  router.Get("/mandatory-documentation", Surface::kWeb, kRead, MandatoryPage);
}

}  // namespace rampart::http

// Clause 7's pages beyond the generic register pages:
//   /competence-matrix   the people holding ISMS roles against the competence their roles
//                        require; a gap's "Plan" opens a new competence record for it, planned
// and the hooks of the clause's registers: links between the competence pages; communications
// flagged "Overdue" on their list and page, and a communication's page showing its log.
#include <fmt/format.h>

#include "base/text.h"
#include "domain/support.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

using domain::CompetenceState;
using domain::Json;

namespace {

const char* StateLabel(CompetenceState s) {
  switch (s) {
    case CompetenceState::kMet:
      return "Met";
    case CompetenceState::kExpiring:
      return "Expiring";
    case CompetenceState::kPlanned:
      return "Planned";
    case CompetenceState::kMissing:
      return "Missing";
    case CompetenceState::kNotRequired:
      return "Not required";
  }
  return "";
}

std::string Text(const Json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

// The new competence record's form for a gap: the person, the requirement, how it is shown and
// its title taken from the requirement, planned.
std::string PlanHref(int64_t person, const domain::Record& requirement) {
  return fmt::format(
      "/competence-records/new?person={}&requirement={}&status=planned&kind={}&title={}", person,
      requirement.id, UrlEncode(Text(requirement.fields["demonstrated_by"])),
      UrlEncode(Text(requirement.fields["title"])));
}

void Cell(Html& h, const domain::CompetenceCell& c, int64_t person, const std::string& person_name,
          const domain::Record& requirement) {
  const std::string state = domain::CompetenceStateName(c.state);
  h.Open("td", {{"class", "competence-cell competence-" + state}});
  h.Element("span", {{"class", "badge badge-competence-" + state}}, StateLabel(c.state));
  if (c.state == CompetenceState::kMet || c.state == CompetenceState::kExpiring) {
    h.Open("span", {{"class", "competence-note"}});
    h.Link(fmt::format("/competence-records/{}", c.record),
           c.valid_until.empty() ? "no end" : "until " + c.valid_until);
    h.Close("span");
  } else if (c.state == CompetenceState::kPlanned) {
    h.Open("span", {{"class", "competence-note"}});
    h.Link(fmt::format("/competence-records/{}", c.record),
           c.due.empty() ? "the plan" : "due " + c.due);
    h.Close("span");
  }
  const bool plannable =
      c.state == CompetenceState::kMissing || c.state == CompetenceState::kExpiring;
  if (plannable) {
    h.Open("a", {{"href", PlanHref(person, requirement)},
                 {"class", "button button-secondary button-small"},
                 {"aria-label",
                  fmt::format("Plan {} for {}", Text(requirement.fields["title"]), person_name)}});
    h.Text("Plan").Close("a");
  }
  h.Close("td");
}

void CompetenceMatrixPage(Request& r) {
  auto matrix = r.services.competence.Matrix(r.principal);
  auto members = r.services.registers.Members(r.principal);
  const PageFrame frame{
      .title = "Competence matrix",
      .nav = "competence-matrix",
      .crumbs = {{"Competence records", "/competence-records"}, {"Competence matrix", ""}},
      .subtitle = "Clause 7.2 · as of " + r.services.competence.Today()};
  Html h;
  if (!matrix.ok() || !members.ok()) {
    ErrorAlert(h, "The matrix could not be read",
               (matrix.ok() ? members.status() : matrix.status()).message());
    return RenderPage(r, frame, h.Take(),
                      HttpStatusFor((matrix.ok() ? members.status() : matrix.status()).code()));
  }
  const auto& m = *matrix;
  if (m.people.empty() || m.requirements.empty()) {
    h.Open("div", {{"class", "card empty-state"}});
    h.Element("h2", {}, "No competence to measure yet");
    h.Open("p");
    h.Text("The matrix lists the people who hold an active ");
    h.Link("/isms-roles", "ISMS role");
    h.Text(" against the active ");
    h.Link("/competence-requirements", "competence requirements");
    h.Text(" of their roles.");
    h.Close("p").Close("div");
    return RenderPage(r, frame, h.Take());
  }
  h.Open("div", {{"class", "card table-card"}});
  h.Open("div", {{"class", "table-meta"}});
  h.Element("span", {{"class", "count"}},
            fmt::format("{} {} · {} met · {} expiring · {} planned · {} missing", m.Gaps(),
                        m.Gaps() == 1 ? "gap" : "gaps", m.met, m.expiring, m.planned, m.missing));
  h.Close("div");
  Table table{.cls = "data-table competence-matrix", .caption = "Competence matrix"};
  table.columns.push_back({.label = "Person"});
  for (const auto& q : m.requirements) {
    table.columns.push_back(
        {.label = fmt::format("{} ({})", Text(q.fields["title"]),
                              m.role_names.at(q.fields["role"].get<int64_t>()))});
  }
  table.Open(h);
  for (size_t i = 0; i < m.people.size(); ++i) {
    const std::string name = UserName(m.people[i], *members);
    h.Open("tr");
    h.Element("th", {{"scope", "row"}, {"class", "cell-title"}}, name);
    for (size_t j = 0; j < m.requirements.size(); ++j) {
      Cell(h, m.cells[i][j], m.people[i], name, m.requirements[j]);
    }
    h.Close("tr");
  }
  table.Close(h);
  h.Element("p", {{"class", "muted"}},
            "Met: a completed record valid today. Expiring: its validity ends within 60 days. "
            "Planned: a planned record is the action closing the gap. Missing: no valid record.");
  h.Close("div");
  RenderPage(r, frame, h.Take());
}

// A communication's page: "Overdue" when it is, its log (newest first) and a link adding to it.
void CommunicationLogSection(Html& h, Request& r, const domain::Record& rec) {
  auto overdue = r.services.communications.Overdue(r.principal, {rec});
  if (overdue.ok() && !overdue->empty()) {
    h.Open("div", {{"class", "callout callout-warn"}});
    h.Element("strong", {}, "Overdue: ");
    h.Text("its last log entry is older than its frequency allows.");
    h.Close("div");
  }
  domain::ListQuery q;
  q.sort = "date";
  q.descending = true;
  q.limit = 20;
  auto log = r.services.communications.Log(r.principal, rec.id, q);
  auto members = r.services.registers.Members(r.principal);
  if (!log.ok() || !members.ok()) return;
  h.Open("section", {{"class", "card table-card"}, {"aria-labelledby", "communication-log-title"}});
  h.Open("div", {{"class", "card-head"}});
  h.Element("h2", {{"id", "communication-log-title"}}, "Log");
  if (MayCreate(r.principal, domain::CommunicationLog())) {
    h.Link(fmt::format("/communication-log/new?communication={}&date={}", rec.id,
                       r.services.communications.Today()),
           "Add to the log", "button button-secondary button-small");
  }
  h.Close("div");
  if (log->records.empty()) {
    h.Element("p", {{"class", "card-body muted"}}, "Nothing is logged yet.");
  } else {
    const Table table{
        .cls = "data-table stack-narrow",
        .caption = "Log of this communication",
        .columns = {{.label = "Date"}, {.label = "What was communicated"}, {.label = "By"}}};
    table.Open(h);
    for (const auto& e : log->records) {
      h.Open("tr");
      h.Element("td", {{"class", "cell-date"}, {"data-label", "Date"}}, Text(e.fields["date"]));
      h.Open("td", {{"class", "cell-title"}, {"data-label", "What was communicated"}});
      h.Link(fmt::format("/communication-log/{}", e.id), Text(e.fields["summary"]));
      h.Close("td");
      const Json& by = e.fields["communicated_by"];
      h.Element("td", {{"data-label", "By"}},
                by.is_number_integer() ? UserName(by.get<int64_t>(), *members) : "—");
      h.Close("tr");
    }
    table.Close(h);
    if (!log->next_cursor.empty()) {
      h.Open("p");
      h.Link(fmt::format("/communication-log?communication={}", rec.id), "The whole log");
      h.Close("p");
    }
  }
  h.Close("section");
}

}  // namespace

void AddSupportPageHooks(PageHooks& all) {
  {
    RegisterPageHooks& hooks = all[&domain::Communications()];
    hooks.row_flags = [](Request& r, const std::vector<domain::Record>& records) {
      std::map<int64_t, std::string> out;
      auto overdue = r.services.communications.Overdue(r.principal, records);
      if (overdue.ok()) {
        for (const int64_t id : *overdue) out[id] = "Overdue";
      }
      return out;
    };
    hooks.detail_banner = [](Html& h, Request& r, const domain::Record& rec) {
      CommunicationLogSection(h, r, rec);
    };
  }
  for (const domain::RegisterSpec* spec :
       {&domain::CompetenceRequirements(), &domain::CompetenceRecords()}) {
    all[spec].list_banner = [](Html& h, Request&) {
      h.Open("div", {{"class", "callout"}});
      h.Link("/competence-matrix", "Competence matrix");
      h.Text(" · ");
      h.Link("/competence-requirements", "Competence requirements");
      h.Text(" · ");
      h.Link("/competence-records", "Competence records");
      h.Close("div");
    };
  }
  all[&domain::CompetenceRecords()].views = {
      {"competence-matrix", "/competence-matrix", "Competence matrix", ""}};
}

void AddSupportPages(Router& router) {
  router.Get("/competence-matrix", Surface::kWeb, kRead, CompetenceMatrixPage);
}

}  // namespace rampart::http

// Clause 7's pages beyond the generic register pages:
//   /competence-matrix   the people holding ISMS roles against the competence their roles
//                        require; a gap's "Plan" opens a new competence record for it, planned
//   POST /awareness-campaigns/{id}/launch   launch a campaign, or ask who joined its audience since
//   POST /awareness-campaigns/{id}/close    close it
//   POST /my/awareness/{id}/complete        the signed-in person completes their own
// and the hooks of the clause's registers: links between the competence pages; communications
// flagged "Overdue" on their list and page, and a communication's page showing its log; an
// awareness campaign's page showing who has completed it, with its Launch and Close buttons;
// the awareness sections of My work.
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
  RecordLogSection(h, r, app::CommunicationLogOf(), rec,
                   {.heading = "Log",
                    .caption = "Log of this communication",
                    .add_label = "Add to the log",
                    .empty = "Nothing is logged yet.",
                    .all_label = "The whole log",
                    .columns = {"date", "summary", "communicated_by"}});
}

// An awareness campaign's page: planned (nobody asked yet), or its completion rate and who has
// not completed it, overdue ones marked.
void AwarenessProgressSection(Html& h, Request& r, const domain::Record& rec) {
  const std::string state = Text(rec.fields["status"]);
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "awareness-progress"}});
  h.Element("h2", {{"id", "awareness-progress"}}, "Completion");
  if (state == domain::kCampaignPlanned) {
    h.Element("p", {{"class", "muted"}},
              "Planned: nobody has been asked yet. Launching it asks each active member of its "
              "audience to complete it, from their My work page.");
    h.Close("section");
    return;
  }
  auto progress = r.services.awareness.Progress(r.principal, rec.id);
  auto members = r.services.registers.Members(r.principal);
  if (!progress.ok() || !members.ok()) {
    h.Element("p", {}, (progress.ok() ? members.status() : progress.status()).message());
    h.Close("section");
    return;
  }
  const auto& p = *progress;
  h.Element(
      "p", {{"class", "ack-rate"}},
      p.asked == 0
          ? std::string("Nobody was asked to complete it.")
          : fmt::format("{} of {} completed it ({} %){}.", p.completed, p.asked, p.Percent(),
                        p.overdue == 0 ? std::string() : fmt::format(" · {} overdue", p.overdue)));
  if (p.asked > 0) {
    h.Open("progress", {{"class", "ack-progress"},
                        {"max", std::to_string(p.asked)},
                        {"value", std::to_string(p.completed)},
                        {"aria-label", "Completed"}});
    h.Close("progress");
  }
  if (!p.waiting.empty()) {
    const bool closed = state == domain::kCampaignClosed;
    h.Element("h3", {}, closed ? "Not completed" : "Not yet completed");
    h.Open("ul", {{"class", "work-list"}});
    const std::string today = r.services.awareness.Today();
    for (const auto& w : p.waiting) {
      h.Open("li");
      h.Text(UserName(w.fields["person"].get<int64_t>(), *members));
      if (!closed && domain::IsAwarenessOverdue(w.fields, today)) {
        h.Text(" ");
        h.Element("span", {{"class", "badge badge-flag"}}, "Overdue");
      }
      h.Close("li");
    }
    h.Close("ul");
    if (p.asked - p.completed > static_cast<int64_t>(p.waiting.size())) {
      h.Element(
          "p", {{"class", "muted"}},
          fmt::format("The first {} of {} are shown.", p.waiting.size(), p.asked - p.completed));
    }
  }
  h.Close("section");
}

void AwarenessActions(Html& h, Request& r, const domain::Record& rec) {
  const app::Principal& p = r.principal;
  if (p.InAccountSetup() || p.read_only) return;
  if (!app::RegisterService::CheckCanWrite(p, domain::AwarenessCampaigns(), &rec.fields,
                                           &rec.fields)
           .ok()) {
    return;
  }
  const std::string state = Text(rec.fields["status"]);
  const std::vector<std::pair<std::string, std::string>> version = {
      {"version", std::to_string(rec.version)}};
  if (state == domain::kCampaignPlanned) {
    ButtonForm(h, r, fmt::format("/awareness-campaigns/{}/launch", rec.id),
               {.label = "Launch",
                .cls = "button button-primary",
                .confirm = "Launch this campaign? Each person of its audience is asked to "
                           "complete it.",
                .hidden = version});
  } else if (state == domain::kCampaignLaunched) {
    ButtonForm(h, r, fmt::format("/awareness-campaigns/{}/launch", rec.id),
               {.label = "Ask newcomers",
                .aria_label = "Ask those who joined the audience since the launch",
                .hidden = version});
    ButtonForm(h, r, fmt::format("/awareness-campaigns/{}/close", rec.id),
               {.label = "Close",
                .confirm = "Close this campaign? Who has not completed it is recorded as not "
                           "completed.",
                .hidden = version});
  }
}

}  // namespace

void MyAwarenessSections(Html& h, Request& r) {
  auto pending = r.services.awareness.Mine(r.principal);
  if (!pending.ok()) return;
  const std::string today = r.services.awareness.Today();
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "to-complete"}});
  h.Element("h2", {{"id", "to-complete"}},
            fmt::format("Awareness to complete ({})", pending->size()));
  if (pending->empty()) {
    h.Element("p", {{"class", "muted"}}, "No awareness campaign waits for you.");
  } else {
    h.Open("ul", {{"class", "work-list"}});
    for (const auto& c : *pending) {
      h.Open("li", {{"class", "work-item"}});
      h.Open("span");
      const std::string topic = Text(c.fields["title"]);
      if (c.fields["material"].is_number_integer()) {
        h.Link(fmt::format("/my/documents/{}", c.fields["material"].get<int64_t>()), topic);
      } else {
        h.Element("strong", {}, topic);
      }
      h.Element("span", {{"class", "muted"}}, " · due " + Text(c.fields["due_date"]));
      if (domain::IsAwarenessOverdue(c.fields, today)) {
        h.Text(" ");
        h.Element("span", {{"class", "badge badge-flag"}}, "Overdue");
      }
      h.Close("span");
      ButtonForm(h, r, fmt::format("/my/awareness/{}/complete", c.id),
                 {.label = "I have completed it",
                  .cls = "button button-primary button-small",
                  .aria_label = "Complete " + topic});
      h.Close("li");
    }
    h.Close("ul");
  }
  h.Close("section");
}

void MyAwarenessRecord(Html& h, Request& r) {
  auto history = r.services.awareness.History(r.principal);
  if (!history.ok() || history->empty()) return;
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "my-awareness"}});
  h.Element("h2", {{"id", "my-awareness"}}, "Your awareness record");
  const Table t{
      .cls = "data-table stack-narrow",
      .caption = "Awareness campaigns you were asked to complete",
      .columns = {
          {.label = "Topic"}, {.label = "Due"}, {.label = "Status"}, {.label = "Completed"}}};
  t.Open(h);
  const auto& status = *domain::AwarenessCompletions().Field("status");
  for (const auto& c : *history) {
    h.Open("tr");
    h.Element("td", {{"class", "cell-title"}, {"data-label", "Topic"}}, Text(c.fields["title"]));
    h.Element("td", {{"class", "cell-date"}, {"data-label", "Due"}}, Text(c.fields["due_date"]));
    h.Open("td", {{"data-label", "Status"}});
    Badge(h, status, c.fields["status"]);
    h.Close("td");
    h.Element(
        "td", {{"data-label", "Completed"}},
        c.fields["completed_at"].is_string() ? ShortTime(Text(c.fields["completed_at"])) : "—");
    h.Close("tr");
  }
  t.Close(h);
  h.Close("section");
}

void AddSupportPageHooks(PageHooks& all) {
  {
    RegisterPageHooks& hooks = all[&domain::AwarenessCampaigns()];
    hooks.detail_banner = AwarenessProgressSection;
    hooks.detail_actions = AwarenessActions;
  }
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

static PageFrame CampaignFrame(const std::string& title) {
  return {.title = title,
          .nav = "awareness-campaigns",
          .crumbs = {{"Awareness campaigns", "/awareness-campaigns"}, {title, ""}}};
}

void AddSupportPages(Router& router) {
  router.Get("/competence-matrix", Surface::kWeb, kRead, CompetenceMatrixPage);
  const auto back = [](Request& r) { return fmt::format("/awareness-campaigns/{}", r.PathId()); };
  router.Post(R"(/awareness-campaigns/(\d+)/launch)", Surface::kWeb,
              Guard::Needs(domain::Permission::kEditOwnRecords), [back](Request& r) {
                auto done = r.services.awareness.Launch(r.principal, r.PathId(), r.FormVersion());
                if (done.ok()) {
                  return r.res.SetRedirect(
                      fmt::format("{}?notice=invited-{}", back(r), done->invited), 303);
                }
                RenderRefusal(r, CampaignFrame("Not launched"), done.status(), back(r),
                              "Back to the campaign");
              });
  router.Post(R"(/awareness-campaigns/(\d+)/close)", Surface::kWeb,
              Guard::Needs(domain::Permission::kEditOwnRecords), [back](Request& r) {
                auto done = r.services.awareness.Close(r.principal, r.PathId(), r.FormVersion());
                if (done.ok()) return r.res.SetRedirect(back(r) + "?notice=saved", 303);
                RenderRefusal(r, CampaignFrame("Not closed"), done.status(), back(r),
                              "Back to the campaign");
              });
  router.Post(R"(/my/awareness/(\d+)/complete)", Surface::kWeb, Guard::Account(), [](Request& r) {
    auto done = r.services.awareness.Complete(r.principal, r.PathId());
    if (done.ok()) return r.res.SetRedirect("/my?notice=completed", 303);
    RenderRefusal(r, {.title = "Not completed", .nav = "my", .crumbs = {{"My work", "/my"}}},
                  done.status(), "/my", "My work");
  });
}

}  // namespace rampart::http

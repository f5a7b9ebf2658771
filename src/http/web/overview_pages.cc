// The overview (`/`): where each role starts.
//   ISMS manager (and administrators, contributors, viewers): readiness per clause, the next three
//     things to do, what is overdue, risks by level, the SoA's progress, evidence expiring within
//     30 days, and the recent changes grouped ("135 assets created", not 135 lines).
//   Executive: approvals waiting, the top risks above the acceptance criteria, objectives by
//     status, the next management review.
//   Auditor and external auditor: the audit programme's coverage, open findings, and the audit
//     trail's verification.
//   Staff: their My work (a redirect).
// Charts are SVG made on the server; every figure links to where it comes from.
#include <fmt/format.h>

#include <map>
#include <set>

#include "base/text.h"
#include "domain/documents.h"
#include "domain/improvement.h"
#include "domain/internal_audit.h"
#include "domain/management_review.h"
#include "domain/planning.h"
#include "domain/readiness.h"
#include "domain/registers.h"
#include "domain/risk.h"
#include "domain/support.h"
#include "http/api/api_util.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

namespace {

using domain::Json;
using domain::Role;

std::string Num(double v) { return fmt::format("{:.1f}", v); }

std::string Plural(int64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

void CardOpen(Html& h, const std::string& id, const std::string& title,
              const std::string& more_href = "", const std::string& more = "") {
  h.Open("section", {{"class", "card overview-card"}, {"aria-labelledby", id}});
  h.Open("div", {{"class", "overview-card-head"}});
  h.Element("h2", {{"id", id}}, title);
  if (!more_href.empty()) h.Link(more_href, more, "overview-more");
  h.Close("div");
}

// A row of figure and words, linked: "3 · overdue tasks".
void Figure(Html& h, const std::string& href, int64_t n, const std::string& words,
            bool alarm = false) {
  h.Open("li", {{"class", "overview-figure"}});
  h.Open("a", {{"href", href}});
  h.Element("strong", {{"class", alarm && n > 0 ? "overview-n is-alarm" : "overview-n"}},
            std::to_string(n));
  h.Element("span", {}, words);
  h.Close("a");
  h.Close("li");
}

const domain::CheckResult* ResultOf(const domain::Readiness& a, std::string_view id) {
  for (const auto& r : a.results) {
    if (r.check->id == id) return &r;
  }
  return nullptr;
}

// Readiness: the score, the outstanding findings and each clause's bar.
void ReadinessCard(Html& h, const domain::Readiness& a) {
  CardOpen(h, "ov-readiness", "Readiness for certification", "/readiness", "All checks");
  h.Open("p", {{"class", "overview-score"}});
  h.Element("strong", {}, fmt::format("{} %", a.Percent()));
  h.Text(fmt::format(" · {} · {} · {}", Plural(a.blockers, "blocker", "blockers"),
                     Plural(a.majors, "major", "majors"), Plural(a.minors, "minor", "minors")));
  h.Close("p");
  h.Open("ul", {{"class", "overview-bars"}});
  for (const auto& g : a.groups) {
    h.Open("li");
    h.Open("a", {{"href", "/readiness#clause-" + g.id}});
    h.Element("span", {{"class", "overview-bar-label"}},
              g.id == "A" ? std::string("Annex A") : "Clause " + g.id);
    h.Open("progress", {{"max", "100"},
                        {"value", std::to_string(g.Percent())},
                        {"class", "readiness-bar"},
                        {"aria-label", g.title}});
    h.Close("progress");
    h.Element("span", {{"class", "readiness-bar-value"}}, fmt::format("{} %", g.Percent()));
    h.Close("a");
    h.Close("li");
  }
  h.Close("ul");
  h.Close("section");
}

// The next three things to do: the first failed checks, blockers first.
void NextStepsCard(Html& h, const Request& r, const domain::Readiness& a) {
  CardOpen(h, "ov-next", "Next three things to do", "/getting-started", "Guided path");
  std::vector<const domain::CheckResult*> next_steps;
  for (auto sev :
       {domain::Severity::kBlocker, domain::Severity::kMajor, domain::Severity::kMinor}) {
    for (const auto& res : a.results) {
      if (!res.passed && res.check->severity == sev && next_steps.size() < 3) {
        next_steps.push_back(&res);
      }
    }
  }
  if (next_steps.empty()) {
    h.Element("p", {{"class", "muted"}}, "Every readiness check passes. Keep the records current.");
  } else {
    h.Open("ol", {{"class", "overview-next"}});
    for (const auto* res : next_steps) {
      const auto& c = *res->check;
      h.Open("li");
      h.Element("span",
                {{"class", "badge readiness-sev-" + std::string(domain::SeverityName(c.severity))}},
                std::string(domain::SeverityName(c.severity)));
      h.Element("strong", {}, " " + c.title);
      h.Element("span", {{"class", "muted overview-next-detail"}}, res->detail);
      if (MayFollow(r.principal, c.fix_href)) {
        h.Link(c.fix_href, c.fix, "overview-next-fix");
      } else {
        h.Element("span", {{"class", "overview-next-fix"}}, c.fix);
      }
      h.Close("li");
    }
    h.Close("ol");
  }
  h.Close("section");
}

// Overdue work, from the readiness results: tasks, periodic reviews, objectives, actions.
void OverdueCard(Html& h, const domain::Readiness& a) {
  int64_t reviews = 0;
  for (const auto& res : a.results) {
    if (res.check->id.ends_with("-reviews")) reviews += res.count;
  }
  auto count = [&](std::string_view id) {
    const auto* res = ResultOf(a, id);
    return res == nullptr ? int64_t{0} : res->count;
  };
  CardOpen(h, "ov-overdue", "Overdue");
  h.Open("ul", {{"class", "overview-figures"}});
  Figure(h, "/tasks?status=open&sort=due_date", count("tasks-due"), "tasks past their due date",
         true);
  Figure(h, "/readiness#failed-minor", reviews, "records past their review date", true);
  Figure(h, "/objectives?sort=due_date", count("objectives-due"), "objectives past due", true);
  Figure(h, "/nonconformities?sort=action_due",
         count("10.2-major-overdue") + count("10.2-minor-overdue"),
         "nonconformities past their action date", true);
  h.Close("ul");
  h.Close("section");
}

// The risks by inherent level, highest first, as horizontal bars: from the heat map's counts,
// which the store keeps per organisation (one statement, whatever the number of risks).
void RisksByLevelCard(Html& h, Request& r) {
  CardOpen(h, "ov-risks", "Risks by level", "/risks/heatmap", "Heat map");
  auto map = r.services.risks.Heat(r.principal, false, {});
  if (!map.ok()) {
    h.Element("p", {{"class", "muted"}}, map.status().message());
    h.Close("section");
    return;
  }
  const auto& m = map->methodology;
  std::vector<int64_t> per_level(m.levels.size(), 0);
  for (size_t l = 0; l < map->counts.size(); ++l) {
    for (size_t i = 0; i < map->counts[l].size(); ++i) {
      const int level = m.matrix[l][i];
      if (level >= 0 && static_cast<size_t>(level) < per_level.size()) {
        per_level[level] += map->counts[l][i];
      }
    }
  }
  struct Bar {
    std::string label, colour, href;
    int64_t n;
  };
  std::vector<Bar> bars;
  for (size_t k = m.levels.size(); k-- > 0;) {
    bars.push_back({m.levels[k].name, m.levels[k].colour,
                    "/risks?inherent_level=" + UrlEncode(m.levels[k].name), per_level[k]});
  }
  bars.push_back({"Not rated", "#8b94a2", "/risks?status=identified", map->unrated});
  int64_t most = 1, total = 0;
  for (const auto& b : bars) {
    most = std::max(most, b.n);
    total += b.n;
  }
  const double width = 260, row = 24, label = 76, bar_w = width - label - 40;
  const double height = row * static_cast<double>(bars.size());
  h.Open("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                 {"viewBox", fmt::format("0 0 {} {}", width, height)},
                 {"role", "img"},
                 {"aria-labelledby", "ov-risks-t ov-risks-d"},
                 {"class", "overview-chart"}});
  h.Element("title", {{"id", "ov-risks-t"}}, "Risks by inherent level");
  std::string desc = fmt::format("{} risks:", total);
  for (const auto& b : bars) desc += fmt::format(" {} {},", b.n, b.label);
  desc.back() = '.';
  h.Element("desc", {{"id", "ov-risks-d"}}, desc);
  for (size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    const double y = row * static_cast<double>(i);
    const double w = b.n == 0 ? 0 : std::max(2.0, bar_w * static_cast<double>(b.n) / most);
    h.Open("a", {{"href", b.href}});
    h.Element("text", {{"x", "0"}, {"y", Num(y + 17)}, {"font-size", "12"}, {"fill", "#3a4350"}},
              b.label);
    h.Open("rect", {{"x", Num(label)},
                    {"y", Num(y + 5)},
                    {"width", Num(w)},
                    {"height", "16"},
                    {"rx", "3"},
                    {"fill", b.colour}});
    h.Element("title", {}, fmt::format("{}: {}", b.label, b.n));
    h.Close("rect");
    h.Element(
        "text",
        {{"x", Num(label + w + 6)}, {"y", Num(y + 17)}, {"font-size", "12"}, {"fill", "#181d25"}},
        std::to_string(b.n));
    h.Close("a");
  }
  h.Close("svg");
  h.Close("section");
}

// The SoA: decided, applicable, implemented.
void SoaCard(Html& h, Request& r) {
  CardOpen(h, "ov-soa", "Statement of Applicability", "/soa", "Open the SoA");
  auto lines = r.services.soa.List(r.principal, {});
  if (!lines.ok()) {
    h.Element("p", {{"class", "muted"}}, lines.status().message());
    h.Close("section");
    return;
  }
  int decided = 0, applicable = 0, implemented = 0;
  for (const auto& l : *lines) {
    if (l.entry.applicable) ++decided;
    if (l.entry.applicable == true) {
      ++applicable;
      if (l.Status() == "implemented") ++implemented;
    }
  }
  h.Open("ul", {{"class", "overview-figures"}});
  Figure(h, "/soa?applicable=undecided", static_cast<int64_t>(lines->size()) - decided,
         "controls not decided", true);
  Figure(h, "/soa?applicable=yes", applicable, "applicable controls");
  Figure(h, "/soa?applicable=yes", implemented, "of them implemented");
  h.Close("ul");
  h.Open("progress", {{"max", std::to_string(std::max(applicable, 1))},
                      {"value", std::to_string(implemented)},
                      {"class", "readiness-bar"},
                      {"aria-label", "Applicable controls implemented"}});
  h.Close("progress");
  h.Close("section");
}

void EvidenceCard(Html& h, Request& r) {
  CardOpen(h, "ov-evidence", "Evidence expiring within 30 days");
  auto files = r.services.evidence.Expiring(r.principal, 30, 8);
  if (!files.ok() || files->empty()) {
    h.Element("p", {{"class", "muted"}},
              files.ok() ? "No evidence file expires within 30 days." : files.status().message());
  } else {
    h.Open("ul", {{"class", "overview-list"}});
    for (const auto& f : *files) {
      const auto* spec = domain::FindRegisterByType(f.record_type);
      h.Open("li");
      h.Element("time", {{"datetime", f.expires}}, f.expires);
      h.Text(" ");
      if (spec != nullptr) {
        h.Link(fmt::format("/{}/{}#evidence", spec->path, f.record_id), f.title);
        h.Element("span", {{"class", "muted"}},
                  fmt::format(" · {} {}", spec->singular, f.record_id));
      } else {
        h.Text(f.title);
      }
      h.Close("li");
    }
    h.Close("ul");
  }
  h.Close("section");
}

// The latest changes, consecutive ones of one person, action and kind of record grouped:
// "alice created 135 assets".
void RecentChangesCard(Html& h, Request& r) {
  CardOpen(h, "recent", "Recent changes", "/audit", "Audit trail");
  auto events = r.services.registers.RecentEvents(r.principal, 300);
  if (!events.ok()) {
    h.Element("p", {{"class", "alert alert-error"}, {"role", "alert"}},
              "The recent changes could not be read: " + events.status().message());
    h.Close("section");
    return;
  }
  struct Group {
    const domain::AuditEvent* first;
    int64_t n = 0;
    std::string oldest;
  };
  std::vector<Group> groups;
  for (const auto& e : *events) {
    if (!groups.empty()) {
      Group& g = groups.back();
      if (g.first->actor == e.actor && g.first->action == e.action &&
          g.first->record_type == e.record_type &&
          g.first->at.substr(0, 10) == e.at.substr(0, 10)) {
        ++g.n;
        g.oldest = e.at;
        continue;
      }
    }
    if (groups.size() == 10) break;
    groups.push_back({&e, 1, e.at});
  }
  if (groups.empty()) {
    h.Element("p", {{"class", "muted"}}, "Nothing has changed yet.");
    h.Close("section");
    return;
  }
  h.Open("ul", {{"class", "activity"}});
  for (const auto& g : groups) {
    const auto& e = *g.first;
    const auto* spec = domain::FindRegisterByType(e.record_type);
    const EventWords words = DescribeEvent(e.action);
    h.Open("li");
    h.Element("time", {{"datetime", e.at}}, e.at.substr(0, 16).replace(10, 1, " "));
    h.Open("span", {{"class", "activity-text"}});
    h.Element("strong", {}, e.actor);
    h.Text(" " + words.verb);
    if (words.names_record && g.n > 1) {
      const std::string what =
          spec != nullptr ? ToLower(spec->plural) : RecordTypeName(e.record_type) + "s";
      h.Text(" ");
      if (spec != nullptr) {
        h.Link("/" + spec->path, fmt::format("{} {}", g.n, what));
      } else {
        h.Text(fmt::format("{} {}", g.n, what));
      }
    } else if (words.names_record && spec != nullptr && e.action != "delete") {
      h.Text(" ");
      h.Link(fmt::format("/{}/{}", spec->path, e.record_id),
             fmt::format("{} {}", ToLower(spec->singular), e.record_id));
    } else if (words.names_record) {
      h.Text(fmt::format(" {} {}",
                         spec != nullptr ? ToLower(spec->singular) : RecordTypeName(e.record_type),
                         e.record_id));
    } else if (g.n > 1) {
      h.Text(fmt::format(" ({} times)", g.n));
    }
    h.Close("span").Close("li");
  }
  h.Close("ul");
  h.Close("section");
}

// --- Executive

void ApprovalsCard(Html& h, Request& r, const domain::Readiness& a) {
  CardOpen(h, "ov-approvals", "Approvals waiting");
  h.Open("ul", {{"class", "overview-figures"}});
  Figure(h, "/document-versions?status=in_review",
         CountRecords(r, domain::DocumentVersions(), {{"status", "in_review"}}),
         "document versions in review", true);
  Figure(
      h, "/management-reviews?status=held",
      CountRecords(r, domain::ManagementReviews(), {{"status", std::string(domain::kReviewHeld)}}),
      "management review minutes to approve", true);
  Figure(h, "/changes?status=proposed",
         CountRecords(r, domain::PlannedChanges(), {{"status", "proposed"}}),
         "planned changes proposed", true);
  Figure(h, "/resources?status=requested",
         CountRecords(r, domain::Resources(), {{"status", "requested"}}), "resources requested",
         true);
  const auto* soa = ResultOf(a, "6.1.3-soa-current");
  const auto* approved = ResultOf(a, "6.1.3-soa-approved");
  const bool never = approved != nullptr && !approved->passed;
  Figure(h, "/soa/versions", soa != nullptr && !soa->passed ? 1 : 0,
         never ? "Statement of Applicability to approve"
               : "Statement of Applicability to approve again (risks changed since)",
         true);
  h.Close("ul");
  h.Close("section");
}

void TopRisksCard(Html& h, Request& r) {
  CardOpen(h, "ov-top-risks", "Top risks above the acceptance criteria", "/risks/treatment-plan",
           "Treatment plan");
  auto m = r.services.risks.Methodology(r.principal);
  Json levels = Json::array();
  if (m.ok()) {
    for (const auto& l : m->methodology.levels) {
      if (!l.may_retain) levels.push_back(l.name);
    }
  }
  domain::ListQuery q;
  q.filters = {{"status", Json::array({"identified", "analysed", "treatment_planned"})},
               {"inherent_level", levels}};
  q.sort = "inherent_level";
  q.descending = true;
  q.limit = 5;
  auto page = r.services.registers.List(r.principal, domain::Risks(), q);
  if (!page.ok() || page->records.empty()) {
    h.Element("p", {{"class", "muted"}},
              page.ok() ? "No risk above the acceptance criteria is waiting for treatment."
                        : page.status().message());
  } else {
    h.Open("ul", {{"class", "overview-list"}});
    for (const auto& rec : page->records) {
      h.Open("li");
      h.Element("span", {{"class", "badge"}}, rec.fields.value("inherent_level", ""));
      h.Text(" ");
      h.Link(fmt::format("/risks/{}", rec.id), rec.fields.value("title", ""));
      h.Element("span", {{"class", "muted"}}, " · " + std::string(rec.fields.value("status", "")));
      h.Close("li");
    }
    h.Close("ul");
  }
  h.Close("section");
}

void ObjectivesCard(Html& h, Request& r, const domain::Readiness& a) {
  CardOpen(h, "ov-objectives", "Objectives", "/objectives", "All objectives");
  const auto& spec = domain::Objectives();
  h.Open("ul", {{"class", "overview-figures"}});
  for (const auto& [value, words] :
       std::vector<std::pair<std::string, std::string>>{{"planned", "planned"},
                                                        {"in_progress", "in progress"},
                                                        {"achieved", "achieved"},
                                                        {"not_achieved", "not achieved"}}) {
    Figure(h, "/objectives?status=" + value, CountRecords(r, spec, {{"status", value}}), words,
           value == "not_achieved");
  }
  const auto* due = ResultOf(a, "objectives-due");
  Figure(h, "/objectives?sort=due_date", due != nullptr ? due->count : 0, "past their due date",
         true);
  h.Close("ul");
  h.Close("section");
}

void NextReviewCard(Html& h, Request& r) {
  CardOpen(h, "ov-review", "Next management review", "/management-reviews", "All reviews");
  domain::ListQuery q;
  q.filters = {{"status", std::string(domain::kReviewDraft)}};
  q.sort = "review_date";
  q.limit = 1;
  auto next = r.services.registers.List(r.principal, domain::ManagementReviews(), q);
  domain::ListQuery last_q;
  last_q.filters = {{"status", Json::array({std::string(domain::kReviewHeld),
                                            std::string(domain::kReviewApproved)})}};
  last_q.sort = "review_date";
  last_q.descending = true;
  last_q.limit = 1;
  auto last = r.services.registers.List(r.principal, domain::ManagementReviews(), last_q);
  if (next.ok() && !next->records.empty()) {
    const auto& rec = next->records.front();
    h.Open("p");
    h.Link(fmt::format("/management-reviews/{}", rec.id), rec.fields.value("title", ""));
    h.Text(" · " + std::string(rec.fields.value("review_date", "")));
    h.Close("p");
  } else {
    h.Element("p", {{"class", "muted"}}, "No management review is planned.");
  }
  if (last.ok() && !last->records.empty()) {
    const std::string held = last->records.front().fields.value("review_date", "");
    h.Element("p", {{"class", "muted"}},
              fmt::format("The last was held on {}; the next is due by {}.", held,
                          domain::AddMonths(held, 12)));
  }
  h.Close("section");
}

// --- Auditors

void CoverageCard(Html& h, const domain::Readiness& a) {
  CardOpen(h, "ov-coverage", "Audit programme coverage", "/audit-programmes", "Programmes");
  const auto* res = ResultOf(a, "9.2-coverage");
  if (res == nullptr || res->detail == "No audit programme is active.") {
    h.Element("p", {{"class", "muted"}}, "No audit programme is active.");
  } else if (res->passed) {
    h.Element("p", {}, "The active programme's audits cover every clause from 4 to 10.");
  } else {
    h.Element("p", {}, res->detail);
    h.Open("ul", {{"class", "overview-list"}});
    for (const auto& o : res->offenders) {
      h.Open("li").Link(domain::OffenderHref(o), o.title).Close("li");
    }
    h.Close("ul");
  }
  h.Close("section");
}

void FindingsCard(Html& h, Request& r) {
  CardOpen(h, "ov-findings", "Open findings", "/findings", "All findings");
  const auto& ncs = domain::Nonconformities();
  const Json open =
      Json::array({std::string(domain::kNcOpen), std::string(domain::kNcActionPlanned),
                   std::string(domain::kNcActionDone), std::string(domain::kNcVerified)});
  h.Open("ul", {{"class", "overview-figures"}});
  Figure(h, "/nonconformities?grade=major",
         CountRecords(r, ncs, {{"status", open}, {"grade", "major"}}), "major nonconformities open",
         true);
  Figure(h, "/nonconformities?grade=minor",
         CountRecords(r, ncs, {{"status", open}, {"grade", "minor"}}), "minor nonconformities open",
         true);
  Figure(h, "/findings?type=observation",
         CountRecords(r, domain::AuditFindings(), {{"type", "observation"}}),
         "observations recorded");
  Figure(h, "/internal-audits?status=in_progress",
         CountRecords(r, domain::InternalAudits(), {{"status", "in_progress"}}),
         "audits in progress");
  h.Close("ul");
  h.Close("section");
}

void ChainCard(Html& h, Request& r) {
  CardOpen(h, "ov-chain", "Audit trail", "/audit", "Open the trail");
  auto v = r.services.VerifyAudit(r.principal.org_id);
  if (!v.ok()) {
    h.Element("p", {{"class", "alert alert-error"}, {"role", "alert"}}, v.status().message());
  } else if (v->intact) {
    h.Open("p", {{"class", "alert alert-ok"}, {"role", "status"}});
    h.Text(fmt::format("Verified just now: {} events, every hash matching and linked.", v->events));
    h.Close("p");
  } else {
    h.Element("p", {{"class", "alert alert-error"}, {"role", "alert"}},
              v->first_bad_seq == 0
                  ? fmt::format("Broken: {}.", v->problem)
                  : fmt::format("Broken at event {}: {}.", v->first_bad_seq, v->problem));
  }
  h.Close("section");
}

// --- The guided path (/getting-started)

struct SetupForm {
  std::string name, size, sector, isms_manager, top_management;
  bool methodology = true, catalogues = true;
};

void Select(Html& h, const std::string& name, const std::string& label,
            const std::vector<std::pair<std::string, std::string>>& options,
            const std::string& current, const Status& error, const std::string& help = "") {
  const bool bad = !error.ok() && error.field() == name;
  h.Open("div", {{"class", bad ? "form-field has-error" : "form-field"}});
  h.Open("label", {{"for", "setup-" + name}}).Text(label);
  h.Element("span", {{"class", "req"}, {"aria-hidden", "true"}}, " *");
  h.Element("span", {{"class", "visually-hidden"}}, " (required)");
  h.Close("label");
  h.Open("select", {{"id", "setup-" + name},
                    {"name", name},
                    {"required", "required"},
                    {"autofocus", bad ? "autofocus" : ""},
                    {"aria-invalid", bad ? "true" : "false"},
                    {"aria-describedby", bad ? "setup-" + name + "-error" : ""}});
  h.Element("option", {{"value", ""}}, "Choose…");
  for (const auto& [value, text] : options) {
    if (value == current) {
      h.Open("option", {{"value", value}, Attr::Flag("selected")}).Text(text).Close("option");
    } else {
      h.Element("option", {{"value", value}}, text);
    }
  }
  h.Close("select");
  if (!help.empty()) h.Element("p", {{"class", "help"}}, help);
  if (bad) {
    h.Element("p", {{"class", "field-error"}, {"id", "setup-" + name + "-error"}}, error.message());
  }
  h.Close("div");
}

void Checkbox(Html& h, const std::string& name, const std::string& label, bool checked,
              const std::string& help) {
  h.Open("div", {{"class", "form-field form-check"}});
  h.Open("label", {{"for", "setup-" + name}});
  h.Void("input", {{"type", "checkbox"},
                   {"id", "setup-" + name},
                   {"name", name},
                   {"value", "1"},
                   {"checked", checked ? "checked" : ""}});
  h.Text(" " + label);
  h.Close("label");
  h.Element("p", {{"class", "help"}}, help);
  h.Close("div");
}

void SetupCard(Html& h, Request& r, const SetupForm& form, const Status& error) {
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "setup"}});
  h.Element("h2", {{"id", "setup"}}, "Set up the organisation");
  h.Element("p", {{"class", "muted"}},
            "A few answers to start: who you are, the risk method, the threat and vulnerability "
            "catalogues, and who holds the ISMS manager's and top management's roles.");
  const std::set<std::string> fields = {"name", "size", "sector", "isms_manager", "top_management"};
  if (!error.ok() && fields.count(error.field()) == 0) {
    ErrorAlert(h, "The setup was not finished", error.message());
  }
  auto members = r.services.registers.Members(r.principal);
  std::vector<std::pair<std::string, std::string>> people;
  if (members.ok()) {
    for (const auto& m : *members) {
      if (m.disabled) continue;
      const auto role = domain::ParseRole(m.role);
      people.emplace_back(
          std::to_string(m.id),
          fmt::format("{} ({})", m.display_name.empty() ? m.username : m.display_name,
                      role ? domain::InfoOf(*role).label : m.role));
    }
  }
  std::vector<std::pair<std::string, std::string>> sizes, sectors;
  for (const auto& c : domain::OrganisationSizes()) sizes.emplace_back(c.value, c.label);
  for (const auto& c : domain::OrganisationSectors()) sectors.emplace_back(c.value, c.label);
  OpenPostForm(h, r, "/getting-started/setup", "setup-form");
  h.Open("div", {{"class", "form-grid form-grid-flush"}});
  Input(h,
        {.name = "name",
         .label = "Organisation name",
         .id = "setup-name",
         .value = form.name,
         .maxlength = "200",
         .required = true},
        error);
  Select(h, "size", "Size", sizes, form.size, error);
  Select(h, "sector", "Sector", sectors, form.sector, error);
  Select(h, "isms_manager", "ISMS manager", people, form.isms_manager, error,
         "Holds the role \"ISMS manager\": runs the ISMS day to day.");
  Select(h, "top_management", "Top management", people, form.top_management, error,
         "Holds the role \"Top management\": approves the policy and the risks retained.");
  h.Close("div");
  Checkbox(h, "methodology", "Approve the default risk methodology", form.methodology,
           "5 × 5 scales; low and medium risks may be retained; reassessed every 12 months. "
           "Left alone when a methodology is approved already; change it later as a new "
           "version.");
  Checkbox(h, "catalogues", "Load the threat and vulnerability catalogues", form.catalogues,
           "44 threats and 44 vulnerabilities, each linked to the Annex A controls that address "
           "it; only the missing ones are added.");
  h.Open("div", {{"class", "form-actions form-actions-flush"}});
  h.Element("button", {{"type", "submit"}, {"class", "button button-primary"}}, "Set up");
  h.Close("div").Close("form");
  h.Close("section");
}

void GettingStartedPage(Request& r, const SetupForm& form, const Status& error, int status,
                        const std::string& notice = "") {
  Html h;
  auto profile = r.services.setup.Profile(r.principal);
  const bool set_up = profile.ok() && !profile->set_up_at.empty();
  const bool admin = r.principal.Can(domain::Permission::kManageSettings);
  if (admin && (!set_up || !error.ok() || r.Query("setup") == "1")) {
    SetupCard(h, r, form, error);
  } else if (set_up) {
    h.Open("p", {{"class", "muted setup-done"}});
    auto label = [](const std::vector<domain::SetupChoice>& cs, const std::string& v) {
      for (const auto& c : cs) {
        if (c.value == v) return c.label;
      }
      return v;
    };
    h.Text(fmt::format("Set up on {}: {}, {}. ", profile->set_up_at.substr(0, 10),
                       label(domain::OrganisationSizes(), profile->size),
                       label(domain::OrganisationSectors(), profile->sector)));
    if (admin) h.Link("/getting-started?setup=1", "Change the setup");
    h.Close("p");
  } else {
    h.Element("p", {{"class", "callout"}},
              "An administrator sets up the organisation first: its size and sector, the risk "
              "method, the catalogues and the ISMS roles.");
  }
  auto readiness = r.services.readiness.Assess(r.principal);
  if (!readiness.ok()) {
    ErrorAlert(h, "The readiness could not be assessed", readiness.status().message());
    return RenderPage(r, {.title = "Getting started", .nav = "getting-started"}, h.Take(),
                      HttpStatusFor(readiness.status().code()));
  }
  const auto stages = domain::GuidedProgress(*readiness);
  const domain::StageProgress* current = nullptr;
  for (const auto& st : stages) {
    if (!st.done) {
      current = &st;
      break;
    }
  }
  h.Open("ol", {{"class", "guided-stages"}});
  int n = 0;
  for (const auto& st : stages) {
    ++n;
    const bool is_current = &st == current;
    const char* state = st.done         ? "done"
                        : is_current    ? "current"
                        : st.passed > 0 ? "started"
                                        : "not-started";
    h.Open("li", {{"class", fmt::format("guided-stage is-{}", state)},
                  {"id", "stage-" + st.stage->id},
                  {"aria-current", is_current ? "step" : ""}});
    h.Open("div", {{"class", "guided-head"}});
    h.Element("span", {{"class", "guided-no"}, {"aria-hidden", "true"}}, std::to_string(n));
    h.Element("h2", {{"class", "guided-title"}}, st.stage->title);
    h.Element("span", {{"class", st.done ? "badge badge-mandatory-met" : "badge"}},
              st.done ? std::string("Done") : fmt::format("{} of {} checks", st.passed, st.checks));
    h.Close("div");
    h.Element("p", {{"class", "muted guided-what"}}, st.stage->what);
    if (is_current && !st.failed.empty()) {
      const auto& next = *st.failed.front()->check;
      h.Open("div", {{"class", "guided-next"}});
      h.Element("strong", {}, "Next step: ");
      h.Text(next.title + ". ");
      if (!st.failed.front()->detail.empty()) {
        h.Element("span", {{"class", "muted"}}, st.failed.front()->detail + " ");
      }
      if (MayFollow(r.principal, next.fix_href)) {
        h.Link(next.fix_href, next.fix, "button button-primary button-small");
      } else {
        h.Text(next.fix);
      }
      h.Close("div");
      if (st.failed.size() > 1) {
        h.Open("ul", {{"class", "guided-rest"}});
        for (size_t i = 1; i < st.failed.size() && i < 6; ++i) {
          const auto& c = *st.failed[i]->check;
          h.Open("li");
          h.Link("/readiness#check-" + c.id, c.title);
          h.Close("li");
        }
        h.Close("ul");
      }
    }
    h.Close("li");
  }
  h.Close("ol");
  RenderPage(r,
             {.title = "Getting started",
              .nav = "getting-started",
              .crumbs = {{"Overview", "/"}, {"Getting started", ""}},
              .subtitle = current == nullptr
                              ? std::string("Every stage is done: ready for certification")
                              : fmt::format("A first certification, stage by stage · now: {}",
                                            current->stage->title),
              .notice = notice},
             h.Take(), status);
}

SetupForm FormOf(const Request& r) {
  return {.name = std::string(Trim(r.Form("name"))),
          .size = r.Form("size"),
          .sector = r.Form("sector"),
          .isms_manager = r.Form("isms_manager"),
          .top_management = r.Form("top_management"),
          .methodology = r.Form("methodology") == "1",
          .catalogues = r.Form("catalogues") == "1"};
}

int64_t IdOf(const std::string& text) {
  int64_t id = 0;
  return ParseInt(text, id) ? id : 0;
}

enum class View { kManager, kExecutive, kAuditor };

View ViewOf(Role role) {
  switch (role) {
    case Role::kExecutive:
      return View::kExecutive;
    case Role::kAuditor:
    case Role::kExternalAuditor:
      return View::kAuditor;
    default:
      return View::kManager;
  }
}

void OverviewPage(Request& r) {
  Html h;
  // Invitations to other organisations wait on the account page, where they are answered.
  if (auto invitations = r.services.members.Invitations(r.principal);
      invitations.ok() && !invitations->empty()) {
    h.Open("div", {{"class", "callout callout-ok"}, {"role", "status"}});
    h.Text(invitations->size() == 1
               ? fmt::format("{} invites you to join. ", invitations->front().org_name)
               : fmt::format("{} organisations invite you to join. ", invitations->size()));
    h.Link("/account", "Accept or decline on your account page");
    h.Close("div");
  }
  auto readiness = r.services.readiness.Assess(r.principal);
  const View view = ViewOf(r.principal.role);
  h.Open("div", {{"class", "overview-grid"}});
  if (!readiness.ok()) {
    ErrorAlert(h, "The readiness could not be assessed", readiness.status().message());
  } else if (view == View::kExecutive) {
    ApprovalsCard(h, r, *readiness);
    TopRisksCard(h, r);
    ObjectivesCard(h, r, *readiness);
    NextReviewCard(h, r);
    ReadinessCard(h, *readiness);
  } else if (view == View::kAuditor) {
    CoverageCard(h, *readiness);
    FindingsCard(h, r);
    ChainCard(h, r);
    ReadinessCard(h, *readiness);
  } else {
    ReadinessCard(h, *readiness);
    NextStepsCard(h, r, *readiness);
    OverdueCard(h, *readiness);
    RisksByLevelCard(h, r);
    SoaCard(h, r);
    EvidenceCard(h, r);
  }
  h.Close("div");
  // The card shows the audit trail, so only to roles that may read it.
  if (view == View::kManager && r.principal.Can(domain::Permission::kReadAuditTrail)) {
    RecentChangesCard(h, r);
  }
  const char* who = view == View::kExecutive ? "top management"
                    : view == View::kAuditor ? "audit"
                                             : "the ISMS manager";
  RenderPage(r,
             {.title = "Overview",
              .nav = "overview",
              .subtitle = fmt::format("{} · ISO/IEC 27001:2022 · the view for {}",
                                      r.principal.org_name, who),
              .notice = r.Query("notice") == "password" ? "Your password has been changed."
                        : r.Query("notice") == "organisation"
                            ? "You are now working in " + r.principal.org_name + "."
                            : ""},
             h.Take());
}

}  // namespace

void AddOverviewPages(Router& router) {
  router.Get("/", Surface::kWeb, Guard::Account(), [](Request& r) {
    // A staff member reads nothing of the ISMS but their own work: they land there.
    if (!r.principal.Can(domain::Permission::kReadRecords)) return r.res.SetRedirect("/my", 303);
    OverviewPage(r);
  });
  router.Get("/getting-started", Surface::kWeb, kRead, [](Request& r) {
    SetupForm form{.name = r.principal.org_name};
    auto members = r.services.registers.Members(r.principal);
    if (members.ok()) {
      for (const auto& m : *members) {
        if (m.id == r.principal.user_id) form.isms_manager = std::to_string(m.id);
        if (form.top_management.empty() && m.role == "executive") {
          form.top_management = std::to_string(m.id);
        }
      }
    }
    auto profile = r.services.setup.Profile(r.principal);
    if (profile.ok()) {
      form.size = profile->size;
      form.sector = profile->sector;
    }
    GettingStartedPage(r, form, Status::Ok(), 200,
                       r.Query("notice") == "setup" ? "The organisation is set up." : "");
  });
  router.Post(
      "/getting-started/setup", Surface::kWeb, Guard::Needs(domain::Permission::kManageSettings),
      [](Request& r) {
        const SetupForm form = FormOf(r);
        auto done =
            r.services.setup.Run(r.principal, {.name = form.name,
                                               .size = form.size,
                                               .sector = form.sector,
                                               .default_methodology = form.methodology,
                                               .catalogues = form.catalogues,
                                               .isms_manager = IdOf(form.isms_manager),
                                               .top_management = IdOf(form.top_management)});
        if (!done.ok()) {
          return GettingStartedPage(r, form, done.status(), HttpStatusFor(done.status().code()));
        }
        r.res.SetRedirect("/getting-started?notice=setup", 303);
      });
}

}  // namespace rampart::http

// /readiness: how ready the organisation is for certification, computed from its records
// (app::ReadinessService): blockers, majors and minors outstanding, each clause's conformity with
// its trend over the days kept (a server-side SVG per clause), the failed checks with their
// offending records linked and the fix, and the checks passed. `?as_of=YYYY-MM-DD` shows an
// earlier day, reconstructed from the audit trail.
#include <fmt/format.h>

#include <map>

#include "domain/monitoring.h"
#include "domain/readiness.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

namespace {

using domain::CheckResult;
using domain::Severity;

std::string Num(double v) { return fmt::format("{:.1f}", v); }

const char* SeverityLabel(Severity s) {
  switch (s) {
    case Severity::kBlocker:
      return "Blocker";
    case Severity::kMajor:
      return "Major";
    case Severity::kMinor:
      return "Minor";
  }
  return "";
}

// One clause's percentages over the days kept, as a small line chart (0 to 100 %), with a title
// and a description for screen readers.
void Sparkline(Html& h, const std::string& group, const std::string& title,
               const std::vector<app::ReadinessDay>& days) {
  std::vector<domain::ChartPoint> points;
  for (const auto& d : days) {
    const auto& g = d.summary.value("groups", domain::Json::object());
    if (g.is_object() && g.contains(group) && g[group].is_number()) {
      points.push_back({d.day, g[group].get<double>()});
    }
  }
  if (points.empty()) {
    h.Element("span", {{"class", "muted"}}, "—");
    return;
  }
  domain::ChartOptions o;
  o.width = 180;
  o.height = 44;
  o.left = 2;
  o.right = 2;
  o.top = 4;
  o.bottom = 4;
  o.value_ticks = 2;
  const auto g = domain::ComputeChart(points, {0.0, 100.0}, o);
  const std::string id = "trend-" + group;
  h.Open("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                 {"viewBox", fmt::format("0 0 {} {}", o.width, o.height)},
                 {"width", Num(o.width)},
                 {"height", Num(o.height)},
                 {"role", "img"},
                 {"aria-labelledby", id + "-t " + id + "-d"},
                 {"class", "readiness-trend"}});
  h.Element("title", {{"id", id + "-t"}}, "Trend of " + title);
  h.Element("desc", {{"id", id + "-d"}},
            fmt::format("{} day{} kept, from {} % on {} to {} % on {}.", g.points.size(),
                        g.points.size() == 1 ? "" : "s", g.points.front().value,
                        g.points.front().date, g.points.back().value, g.points.back().date));
  h.Open("line", {{"x1", Num(g.x0)},
                  {"x2", Num(g.x1)},
                  {"y1", Num(g.y1)},
                  {"y2", Num(g.y1)},
                  {"stroke", "#c2c8d1"},
                  {"stroke-width", "1"}});
  h.Close("line");
  std::string line;
  for (const auto& p : g.points) line += fmt::format("{},{} ", Num(p.x), Num(p.y));
  if (g.points.size() > 1) {
    h.Open("polyline",
           {{"points", line}, {"fill", "none"}, {"stroke", "#3552c8"}, {"stroke-width", "2"}});
    h.Close("polyline");
  }
  const auto& last = g.points.back();
  h.Open("circle", {{"cx", Num(last.x)}, {"cy", Num(last.y)}, {"r", "3"}, {"fill", "#3552c8"}});
  h.Element("title", {}, fmt::format("{}: {} %", last.date, last.value));
  h.Close("circle");
  h.Close("svg");
}

void Summary(Html& h, const domain::Readiness& a) {
  h.Open("div", {{"class", "readiness-summary"}});
  h.Open("div", {{"class", "readiness-score"}});
  h.Element("span", {{"class", "readiness-percent"}}, fmt::format("{} %", a.Percent()));
  h.Element("span", {{"class", "muted"}},
            fmt::format("{} of {} checks passed", a.passed, a.results.size()));
  h.Close("div");
  h.Open("ul", {{"class", "readiness-outstanding"}, {"aria-label", "Outstanding"}});
  const std::pair<int, const char*> counts[] = {
      {a.blockers, "blocker"}, {a.majors, "major"}, {a.minors, "minor"}};
  for (const auto& [n, what] : counts) {
    h.Open("li", {{"class",
                   fmt::format("readiness-count readiness-{}{}", what, n == 0 ? " is-zero" : "")}});
    h.Element("strong", {}, std::to_string(n));
    h.Text(fmt::format(" {}{}", what, n == 1 ? "" : "s"));
    h.Close("li");
  }
  h.Close("ul");
  h.Close("div");
}

void Groups(Html& h, const domain::Readiness& a, const std::vector<app::ReadinessDay>& days) {
  h.Open("section", {{"class", "card table-card"}, {"aria-labelledby", "readiness-clauses"}});
  h.Element("h2", {{"id", "readiness-clauses"}}, "Conformity per clause");
  Table table{.cls = "data-table readiness-table stack-narrow",
              .caption =
                  "Each clause's checks passed, weighted by severity (blocker 5, major 3, "
                  "minor 1)"};
  table.columns = {
      {.label = "Clause"}, {.label = "Conformity"}, {.label = "Outstanding"}, {.label = "Trend"}};
  table.Open(h);
  for (const auto& g : a.groups) {
    h.Open("tr", {{"id", "clause-" + g.id}});
    h.Open("th", {{"scope", "row"}});
    if (g.id != "A") h.Element("span", {{"class", "mandatory-ref"}}, g.id);
    h.Text(g.title);
    h.Close("th");
    h.Open("td");
    h.Open("div", {{"class", "readiness-bar-row"}});
    h.Open("progress", {{"class", "readiness-bar"},
                        {"max", "100"},
                        {"value", std::to_string(g.Percent())},
                        {"aria-label", "Conformity of " + g.title}});
    h.Close("progress");
    h.Element("span", {{"class", "readiness-bar-value"}}, fmt::format("{} %", g.Percent()));
    h.Close("div");
    h.Element("span", {{"class", "muted"}}, fmt::format("{} of {} checks", g.passed, g.checks));
    h.Close("td");
    h.Open("td");
    if (g.blockers + g.majors + g.minors == 0) {
      h.Element("span", {{"class", "badge badge-mandatory-met"}}, "None");
    }
    if (g.blockers > 0) {
      h.Element("span", {{"class", "badge badge-mandatory-gap"}},
                fmt::format("{} blocker{}", g.blockers, g.blockers == 1 ? "" : "s"));
    }
    if (g.majors > 0) {
      h.Element("span", {{"class", "badge badge-mandatory-review_overdue"}},
                fmt::format("{} major", g.majors));
    }
    if (g.minors > 0) {
      h.Element("span", {{"class", "badge"}}, fmt::format("{} minor", g.minors));
    }
    h.Close("td");
    h.Open("td");
    Sparkline(h, g.id, g.title, days);
    h.Close("td");
    h.Close("tr");
  }
  table.Close(h);
  h.Close("section");
}

void Failed(Html& h, const Request& r, Severity severity, const std::vector<CheckResult>& all,
            bool historical) {
  std::vector<const CheckResult*> failed;
  for (const auto& res : all) {
    if (!res.passed && res.check->severity == severity) failed.push_back(&res);
  }
  if (failed.empty()) return;
  const std::string sev(domain::SeverityName(severity));
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "failed-" + sev}});
  h.Element("h2", {{"id", "failed-" + sev}},
            fmt::format("{} ({})",
                        severity == Severity::kBlocker ? "Blockers"
                        : severity == Severity::kMajor ? "Major findings"
                                                       : "Minor findings",
                        failed.size()));
  h.Open("ul", {{"class", "readiness-checks"}});
  for (const auto* res : failed) {
    const auto& c = *res->check;
    h.Open("li", {{"class", "readiness-check"}, {"id", "check-" + c.id}});
    h.Open("div", {{"class", "readiness-check-head"}});
    h.Element("span", {{"class", "badge readiness-sev-" + sev}}, SeverityLabel(severity));
    h.Element("span", {{"class", "mandatory-ref"}}, c.clause);
    h.Element("strong", {}, c.title);
    h.Close("div");
    if (!res->detail.empty()) h.Element("p", {{"class", "readiness-detail"}}, res->detail);
    if (!res->offenders.empty()) {
      h.Open("ul", {{"class", "readiness-offenders"}, {"aria-label", "Records concerned"}});
      for (const auto& o : res->offenders) {
        h.Open("li");
        const std::string href = domain::OffenderHref(o);
        if (href.empty()) {
          h.Text(o.title);
        } else {
          h.Link(href, o.title);
        }
        h.Close("li");
      }
      if (res->count > static_cast<int64_t>(res->offenders.size())) {
        h.Element("li", {{"class", "muted"}},
                  fmt::format("and {}{} more", res->count - res->offenders.size(),
                              res->count_capped ? "+" : ""));
      }
      h.Close("ul");
    }
    h.Open("p", {{"class", "readiness-fix"}});
    h.Text(c.fix + " ");
    if (!historical && MayFollow(r.principal, c.fix_href)) {
      h.Link(c.fix_href, "Fix it", "button button-secondary button-small");
    }
    h.Close("p");
    h.Close("li");
  }
  h.Close("ul");
  h.Close("section");
}

void Passed(Html& h, const std::vector<CheckResult>& all) {
  std::vector<const CheckResult*> passed;
  for (const auto& res : all) {
    if (res.passed) passed.push_back(&res);
  }
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "passed"}});
  h.Open("details", {{"class", "readiness-passed"}});
  h.Open("summary");
  h.Element("h2", {{"id", "passed"}, {"class", "readiness-passed-heading"}},
            fmt::format("Checks passed ({})", passed.size()));
  h.Close("summary");
  h.Open("ul", {{"class", "readiness-checks"}});
  for (const auto* res : passed) {
    const auto& c = *res->check;
    h.Open("li", {{"class", "readiness-check is-passed"}, {"id", "check-" + c.id}});
    h.Element("span", {{"class", "badge badge-mandatory-met"}}, "Passed");
    h.Element("span", {{"class", "mandatory-ref"}}, c.clause);
    h.Text(c.title);
    h.Element("span", {{"class", "muted"}},
              fmt::format(" · {} · {}", SeverityLabel(c.severity), c.looks_at));
    h.Close("li");
  }
  h.Close("ul");
  h.Close("details");
  h.Close("section");
}

void ReadinessPage(Request& r) {
  const std::string as_of = r.Query("as_of");
  const std::string today = r.services.readiness.Today();
  auto a = r.services.readiness.Assess(r.principal, as_of);
  PageFrame frame{.title = "Readiness for certification",
                  .nav = "readiness",
                  .crumbs = {{"Overview", "/"}, {"Readiness", ""}},
                  .subtitle = "Clauses 4 to 10 and the Statement of Applicability · as of " +
                              (a.ok() ? a->as_of : today)};
  Html h;
  // The day shown: a plain GET form, so that any day has its own address.
  h.Open("form", {{"method", "get"}, {"action", "/readiness"}, {"class", "readiness-day"}});
  h.Open("label", {{"for", "as_of"}});
  h.Text("How ready were we on");
  h.Close("label");
  h.Void("input", {{"type", "date"},
                   {"id", "as_of"},
                   {"name", "as_of"},
                   {"max", today},
                   {"value", a.ok() ? a->as_of : as_of}});
  h.Element("button", {{"type", "submit"}, {"class", "button button-secondary"}}, "Show");
  if (!as_of.empty()) h.Link("/readiness", "Today", "button button-ghost");
  h.Close("form");
  if (!a.ok()) {
    ErrorAlert(h, "The readiness could not be assessed", a.status().message());
    return RenderPage(r, frame, h.Take(), HttpStatusFor(a.status().code()));
  }
  if (a->historical) {
    h.Open("div", {{"class", "alert alert-info"}, {"role", "status"}});
    h.Text(fmt::format(
        "As the records were at the end of {}, reconstructed from the audit trail: the changes "
        "made since are undone. The fixes are today's to make.",
        a->as_of));
    h.Close("div");
  }
  auto history = r.services.readiness.History(r.principal);
  const std::vector<app::ReadinessDay> days =
      history.ok() ? std::move(history).value() : std::vector<app::ReadinessDay>{};
  Summary(h, *a);
  Groups(h, *a, days);
  for (Severity s : {Severity::kBlocker, Severity::kMajor, Severity::kMinor}) {
    Failed(h, r, s, a->results, a->historical);
  }
  Passed(h, a->results);
  RenderPage(r, frame, h.Take());
}

}  // namespace

void AddReadinessPages(Router& router) {
  router.Get("/readiness", Surface::kWeb, kRead, ReadinessPage);
}

}  // namespace rampart::http

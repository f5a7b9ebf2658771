// Clause 9.1 on the pages: a metric's status on the metrics list (flags) and on its page, with
// its trend as an SVG line chart drawn on the server (no script; the data also as a table), its
// latest measurements and a link adding one; and an objective's metrics on the objective's page.
#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "base/text.h"
#include "domain/monitoring.h"
#include "domain/planning.h"
#include "http/web/web.h"

namespace rampart::http {
namespace {

using domain::Json;
using domain::MetricResult;
using domain::MetricStatus;

std::string Text(const Json& v) { return v.is_string() ? v.get<std::string>() : ""; }

std::string Num(double v) { return fmt::format("{:.1f}", v); }

std::string WithUnit(const Json& metric, double v) {
  const std::string unit = Text(metric["unit"]);
  return FormatNumber(v) + (unit.empty() ? "" : (unit == "%" ? " %" : " " + unit));
}

// "at least 95 %", "at most 2 days", "from 10 to 20 ms".
std::string TargetText(const Json& m) {
  if (m["direction"] == domain::kWithinRange) {
    if (!m["target_value"].is_number() || !m["target_high"].is_number()) return "";
    return fmt::format("from {} to {}", FormatNumber(m["target_value"].get<double>()),
                       WithUnit(m, m["target_high"].get<double>()));
  }
  if (!m["target_value"].is_number()) return "";
  const bool higher = m["direction"] != domain::kLowerIsBetter;
  std::string out = fmt::format("{} {}", higher ? "at least" : "at most",
                                WithUnit(m, m["target_value"].get<double>()));
  if (m["warning_threshold"].is_number()) {
    out += fmt::format("; warning {} {}", higher ? "down to" : "up to",
                       WithUnit(m, m["warning_threshold"].get<double>()));
  }
  return out;
}

// The flag shown beside a metric needing attention: off target, warning, no data, due.
std::string Flag(const MetricStatus& s) {
  std::string out;
  if (s.result != MetricResult::kOnTarget) out = domain::MetricResultLabel(s.result);
  if (s.due) out += out.empty() ? "Due" : " · due";
  return out;
}

void ResultBadge(Html& h, MetricResult result) {
  h.Element("span",
            {{"class", fmt::format("badge badge-metric-{}", domain::MetricResultName(result))}},
            domain::MetricResultLabel(result));
}

// Where the metric stands: the latest value against the target, and when it is next due.
void StatusSection(Html& h, const domain::Record& rec, const MetricStatus& s) {
  const Json& m = rec.fields;
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "metric-status"}});
  h.Open("div", {{"class", "card-title-row"}});
  h.Element("h2", {{"id", "metric-status"}}, "Status");
  ResultBadge(h, s.result);
  h.Close("div");
  h.Open("dl", {{"class", "metric-facts"}});
  h.Element("dt", {}, "Latest");
  h.Element("dd", {},
            s.value ? fmt::format("{} on {}", WithUnit(m, *s.value), s.measured_on)
                    : std::string("Nothing is measured yet."));
  const std::string target = TargetText(m);
  h.Element("dt", {}, "Target");
  h.Element("dd", {}, target.empty() ? "—" : target);
  h.Element("dt", {}, "Next measurement");
  h.Open("dd");
  h.Text(s.next_due.empty() ? "—" : s.next_due);
  if (s.due) {
    h.Text(" ");
    h.Element("span", {{"class", "badge badge-flag"}}, "Due");
  }
  h.Close("dd");
  h.Close("dl");
  h.Close("section");
}

// The reference lines of the chart: the target (or the range's two ends) and the threshold.
struct RefLine {
  double value;
  std::string label;
  std::string cls;
};
std::vector<RefLine> ReferenceLines(const Json& m) {
  std::vector<RefLine> out;
  if (m["direction"] == domain::kWithinRange) {
    if (m["target_value"].is_number())
      out.push_back({m["target_value"].get<double>(), "Range from", "chart-target"});
    if (m["target_high"].is_number())
      out.push_back({m["target_high"].get<double>(), "Range to", "chart-target"});
    return out;
  }
  if (m["target_value"].is_number())
    out.push_back({m["target_value"].get<double>(), "Target", "chart-target"});
  if (m["warning_threshold"].is_number())
    out.push_back({m["warning_threshold"].get<double>(), "Warning", "chart-warning"});
  return out;
}

// The trend as an inline SVG (role img, with a title and a description), and its data as a
// table for who cannot see it.
void TrendSection(Html& h, const domain::Record& rec, const app::MetricService::Series& series) {
  const Json& m = rec.fields;
  std::vector<domain::ChartPoint> points;
  for (const auto& e : series.measurements) {
    if (e.fields["value"].is_number()) {
      points.push_back({Text(e.fields["measured_on"]), e.fields["value"].get<double>()});
    }
  }
  const std::vector<RefLine> refs = ReferenceLines(m);
  std::vector<double> ref_values;
  for (const auto& l : refs) ref_values.push_back(l.value);
  const domain::ChartOptions o;
  const domain::ChartGeometry g = domain::ComputeChart(points, ref_values, o);

  h.Open("section", {{"class", "card"}, {"aria-labelledby", "metric-trend"}});
  h.Element("h2", {{"id", "metric-trend"}}, "Trend");
  if (g.points.empty()) {
    h.Element("p", {{"class", "muted"}},
              "Nothing is measured yet: the chart shows from the "
              "first measurement.");
    h.Close("section");
    return;
  }
  const std::string unit = Text(m["unit"]);
  const std::string target = TargetText(m);
  const std::string desc =
      fmt::format("{} measurement{} from {} to {}, between {} and {}{}. Latest {} on {}.{}",
                  g.points.size(), g.points.size() == 1 ? "" : "s", g.points.front().date,
                  g.points.back().date, FormatNumber(g.min_value), FormatNumber(g.max_value),
                  unit.empty() ? "" : " " + unit, WithUnit(m, g.points.back().value),
                  g.points.back().date, target.empty() ? "" : " Target " + target + ".");
  h.Open("figure", {{"class", "trend-chart"}});
  h.Open("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                 {"viewBox", fmt::format("0 0 {} {}", o.width, o.height)},
                 {"role", "img"},
                 {"aria-labelledby", "trend-title trend-desc"},
                 {"class", "trend-svg"}});
  h.Element("title", {{"id", "trend-title"}}, "Trend of " + Text(m["title"]));
  h.Element("desc", {{"id", "trend-desc"}}, desc);
  for (const auto& t : g.value_ticks) {
    h.Open("line", {{"class", "chart-grid"},
                    {"x1", Num(g.x0)},
                    {"x2", Num(g.x1)},
                    {"y1", Num(t.at)},
                    {"y2", Num(t.at)},
                    {"stroke", "#d7dce3"},
                    {"stroke-width", "1"}});
    h.Close("line");
    h.Element("text",
              {{"class", "chart-label"},
               {"x", Num(g.x0 - 8)},
               {"y", Num(t.at + 4)},
               {"text-anchor", "end"},
               {"font-size", "12"},
               {"fill", "#4b5563"}},
              t.label);
  }
  for (const auto& t : g.date_ticks) {
    // Dates near an end of the axis are anchored to it, so that none is clipped by the frame.
    const char* anchor = t.at > g.x1 - 40 ? "end" : t.at < g.x0 + 40 ? "start" : "middle";
    h.Element("text",
              {{"class", "chart-label"},
               {"x", Num(t.at)},
               {"y", Num(g.y1 + 22)},
               {"text-anchor", anchor},
               {"font-size", "12"},
               {"fill", "#4b5563"}},
              t.label);
  }
  h.Open("line", {{"class", "chart-axis"},
                  {"x1", Num(g.x0)},
                  {"x2", Num(g.x1)},
                  {"y1", Num(g.y1)},
                  {"y2", Num(g.y1)},
                  {"stroke", "#6b7280"},
                  {"stroke-width", "1"}});
  h.Close("line");
  for (size_t i = 0; i < g.lines.size(); ++i) {
    const bool warning = refs[i].cls == "chart-warning";
    h.Open("line", {{"class", refs[i].cls},
                    {"x1", Num(g.x0)},
                    {"x2", Num(g.x1)},
                    {"y1", Num(g.lines[i].y)},
                    {"y2", Num(g.lines[i].y)},
                    {"stroke", warning ? "#a06800" : "#1a7f37"},
                    {"stroke-width", "1.5"},
                    {"stroke-dasharray", warning ? "3 3" : "6 4"}});
    h.Close("line");
    h.Element("text",
              {{"class", "chart-line-label"},
               {"x", Num(g.x1 - 4)},
               {"y", Num(g.lines[i].y - 4)},
               {"text-anchor", "end"},
               {"font-size", "11"},
               {"fill", warning ? "#6f4a00" : "#145c29"}},
              fmt::format("{} {}", refs[i].label, FormatNumber(refs[i].value)));
  }
  std::string polyline;
  for (const auto& p : g.points) polyline += fmt::format("{},{} ", Num(p.x), Num(p.y));
  if (g.points.size() > 1) {
    h.Open("polyline", {{"class", "chart-line"},
                        {"points", polyline},
                        {"fill", "none"},
                        {"stroke", "#2456c6"},
                        {"stroke-width", "2"}});
    h.Close("polyline");
  }
  for (const auto& p : g.points) {
    h.Open("circle", {{"class", "chart-point"},
                      {"cx", Num(p.x)},
                      {"cy", Num(p.y)},
                      {"r", g.points.size() > 60 ? "2" : "3.5"},
                      {"fill", "#2456c6"}});
    h.Element("title", {}, fmt::format("{}: {}", p.date, WithUnit(m, p.value)));
    h.Close("circle");
  }
  h.Close("svg");
  if (series.total > static_cast<int64_t>(g.points.size())) {
    h.Element("figcaption", {{"class", "muted"}},
              fmt::format("The last {} of {} measurements.", g.points.size(), series.total));
  }
  h.Close("figure");
  h.Open("details", {{"class", "chart-data"}});
  h.Element("summary", {}, "The values charted, as a table");
  const Table t{.cls = "data-table",
                .caption = "Values charted",
                .columns = {{.label = "Measured on"}, {.label = "Value", .cls = "cell-num"}}};
  t.Open(h);
  for (auto it = g.points.rbegin(); it != g.points.rend(); ++it) {
    h.Open("tr");
    h.Element("td", {{"class", "cell-date"}}, it->date);
    h.Element("td", {{"class", "cell-num"}}, WithUnit(m, it->value));
    h.Close("tr");
  }
  t.Close(h);
  h.Close("details");
  h.Close("section");
}

// The latest measurements, newest first, with a link adding one (dated today, by the caller).
void MeasurementsSection(Html& h, Request& r, const domain::Record& rec,
                         const app::MetricService::Series& series) {
  auto members = r.services.registers.Members(r.principal);
  if (!members.ok()) return;
  h.Open("section", {{"class", "card table-card"}, {"aria-labelledby", "metric-measurements"}});
  h.Open("div", {{"class", "card-head"}});
  h.Element("h2", {{"id", "metric-measurements"}}, fmt::format("Measurements ({})", series.total));
  if (MayCreate(r.principal, domain::Measurements()) && rec.fields["status"] == "active") {
    h.Link(fmt::format("/measurements/new?metric={}&measured_on={}&measured_by={}", rec.id,
                       r.services.metrics.Today(), r.principal.user_id),
           "Add a measurement", "button button-secondary button-small");
  }
  h.Close("div");
  if (series.measurements.empty()) {
    h.Element("p", {{"class", "card-body muted"}}, "Nothing is measured yet.");
    h.Close("section");
    return;
  }
  const Table table{.cls = "data-table stack-narrow",
                    .caption = "Latest measurements of this metric",
                    .columns = {{.label = "Measured on"},
                                {.label = "Value", .cls = "cell-num"},
                                {.label = "Result"},
                                {.label = "By"},
                                {.label = "Comment"}}};
  table.Open(h);
  int shown = 0;
  for (auto it = series.measurements.rbegin(); it != series.measurements.rend() && shown < 10;
       ++it, ++shown) {
    const auto& e = *it;
    h.Open("tr");
    h.Open("td", {{"class", "cell-date"}, {"data-label", "Measured on"}});
    h.Link(fmt::format("/measurements/{}", e.id), Text(e.fields["measured_on"]));
    h.Close("td");
    const bool number = e.fields["value"].is_number();
    h.Element("td", {{"class", "cell-num"}, {"data-label", "Value"}},
              number ? WithUnit(rec.fields, e.fields["value"].get<double>()) : "—");
    h.Open("td", {{"data-label", "Result"}});
    if (number) ResultBadge(h, domain::EvaluateValue(rec.fields, e.fields["value"].get<double>()));
    h.Close("td");
    const Json& by = e.fields["measured_by"];
    h.Element("td", {{"data-label", "By"}},
              by.is_number_integer() ? UserName(by.get<int64_t>(), *members) : "—");
    h.Element("td", {{"data-label", "Comment"}}, Text(e.fields["comment"]));
    h.Close("tr");
  }
  table.Close(h);
  if (series.total > shown) {
    h.Open("p", {{"class", "card-body"}});
    h.Link(fmt::format("/measurements?metric={}", rec.id),
           fmt::format("All {} measurements", series.total));
    h.Close("p");
  }
  h.Close("section");
}

void MetricPage(Html& h, Request& r, const domain::Record& rec) {
  auto statuses = r.services.metrics.Statuses(r.principal, {rec});
  auto series = r.services.metrics.Recent(r.principal, rec.id,
                                          static_cast<int>(domain::ChartOptions{}.max_points));
  if (!statuses.ok() || !series.ok()) return;
  StatusSection(h, rec, statuses->at(rec.id));
  TrendSection(h, rec, *series);
  MeasurementsSection(h, r, rec, *series);
}

// An objective's page: the metrics measuring it, each with its status.
void ObjectiveMetricsSection(Html& h, Request& r, const domain::Record& rec) {
  auto metrics = r.services.metrics.OfObjective(r.principal, rec.id);
  if (!metrics.ok()) return;
  auto statuses = r.services.metrics.Statuses(r.principal, *metrics);
  if (!statuses.ok()) return;
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "objective-metrics"}});
  h.Open("div", {{"class", "card-title-row"}});
  h.Element("h2", {{"id", "objective-metrics"}}, fmt::format("Metrics ({})", metrics->size()));
  if (MayCreate(r.principal, domain::Metrics())) {
    h.Link(fmt::format("/metrics/new?objective={}", rec.id), "Add a metric",
           "button button-secondary button-small");
  }
  h.Close("div");
  if (metrics->empty()) {
    h.Element("p", {{"class", "muted"}},
              "No metric measures this objective yet (clause 9.1: what is measured, how and "
              "when).");
    h.Close("section");
    return;
  }
  const Table t{.cls = "data-table stack-narrow",
                .caption = "Metrics of this objective",
                .columns = {{.label = "Metric"},
                            {.label = "Latest", .cls = "cell-num"},
                            {.label = "Target"},
                            {.label = "Status"}}};
  t.Open(h);
  for (const auto& m : *metrics) {
    const MetricStatus& s = statuses->at(m.id);
    h.Open("tr");
    h.Open("td", {{"class", "cell-title"}, {"data-label", "Metric"}});
    h.Link(fmt::format("/metrics/{}", m.id), Text(m.fields["title"]));
    h.Close("td");
    h.Element("td", {{"class", "cell-num"}, {"data-label", "Latest"}},
              s.value ? WithUnit(m.fields, *s.value) : "—");
    h.Element("td", {{"data-label", "Target"}}, TargetText(m.fields));
    h.Open("td", {{"data-label", "Status"}});
    ResultBadge(h, s.result);
    if (s.due) {
      h.Text(" ");
      h.Element("span", {{"class", "badge badge-flag"}}, "Due");
    }
    h.Close("td");
    h.Close("tr");
  }
  t.Close(h);
  h.Close("section");
}

}  // namespace

void AddMetricPageHooks(PageHooks& all) {
  RegisterPageHooks& hooks = all[&domain::Metrics()];
  hooks.row_flags = [](Request& r, const std::vector<domain::Record>& records) {
    std::map<int64_t, std::string> out;
    auto statuses = r.services.metrics.Statuses(r.principal, records);
    if (!statuses.ok()) return out;
    for (const auto& [id, s] : *statuses) {
      const std::string flag = Flag(s);
      if (!flag.empty()) out[id] = flag;
    }
    return out;
  };
  hooks.detail_banner = MetricPage;
  RegisterPageHooks& objective = all[&domain::Objectives()];
  objective.detail_banner = [before = objective.detail_banner](Html& h, Request& r,
                                                               const domain::Record& rec) {
    if (before) before(h, r, rec);
    ObjectiveMetricsSection(h, r, rec);
  };
}

}  // namespace rampart::http

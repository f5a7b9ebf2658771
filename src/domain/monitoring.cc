#include "domain/monitoring.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "domain/support.h"

namespace rampart::domain {
namespace {

std::optional<double> Number(const Json& fields, const char* name) {
  const Json v = fields.is_object() ? fields.value(name, Json()) : Json();
  if (!v.is_number()) return std::nullopt;
  return v.get<double>();
}

std::string TextOf(const Json& fields, const char* name) {
  const Json v = fields.is_object() ? fields.value(name, Json()) : Json();
  return v.is_string() ? v.get<std::string>() : std::string();
}

FieldSpec Decimal(std::string name, std::string label, std::string help) {
  return FieldSpec{.name = std::move(name),
                   .label = std::move(label),
                   .type = FieldType::kDecimal,
                   .help = std::move(help)};
}

FieldSpec Person(std::string name, std::string label, std::string help) {
  return FieldSpec{.name = std::move(name),
                   .label = std::move(label),
                   .type = FieldType::kUser,
                   .help = std::move(help),
                   .filterable = true};
}

// A metric (9.1): what is measured and by which method, how often and by whom, who analyses and
// who evaluates the results, and what counts as good: a target reached from below, kept under,
// or a range, with an optional warning threshold short of failing. It serves an objective (6.2)
// or shows that an applied control works. Active until retired; a retired one is never due.
RegisterSpec MakeMetrics() {
  RegisterSpec s{.type = "metric",
                 .table = "metrics",
                 .path = "metrics",
                 .singular = "Metric",
                 .plural = "Metrics",
                 .clause = "9.1",
                 .title_field = "title"};
  FieldSpec every{.name = "frequency_every",
                  .label = "Measured every",
                  .type = FieldType::kInteger,
                  .required = true,
                  .help = "How many days, weeks, months or years apart it is measured.",
                  .default_value = 1,
                  .min_value = 1,
                  .max_value = 999};
  FieldSpec measured_by = Person("measured_by", "Who measures", "Who takes the measurements.");
  measured_by.required = true;
  FieldSpec owner = OwnerField();
  owner.help = "Who answers for the metric: its definition and its being measured.";
  s.fields = {
      {.name = "title",
       .label = "What is measured",
       .required = true,
       .help = "\"Critical patches installed within 14 days\", \"Phishing click rate\".",
       .sortable = true,
       .searchable = true},
      {.name = "description",
       .label = "Description",
       .type = FieldType::kLongText,
       .help = "Why it is measured: what it says about the ISMS or the control.",
       .searchable = true},
      {.name = "method",
       .label = "Method of measurement",
       .type = FieldType::kLongText,
       .required = true,
       .help = "The source, the formula and what is counted, so that results are comparable "
               "and reproducible.",
       .searchable = true},
      every,
      {.name = "frequency_unit",
       .label = "Frequency unit",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"days", "Days"}, {"weeks", "Weeks"}, {"months", "Months"}, {"years", "Years"}},
       .filterable = true,
       .default_value = "months"},
      {.name = "start_date",
       .label = "Measured from",
       .type = FieldType::kDate,
       .help = "When the first measurement is due after; the day the metric was recorded when "
               "empty.",
       .sortable = true},
      measured_by,
      Person("analysed_by", "Who analyses", "Who analyses the results."),
      Person("evaluated_by", "Who evaluates", "Who evaluates the results and decides on action."),
      {.name = "unit",
       .label = "Unit",
       .required = true,
       .max_length = 40,
       .help = "What the values count: %, days, incidents."},
      {.name = "direction",
       .label = "Direction",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{std::string(kHigherIsBetter), "Higher is better (at least the target)"},
                   {std::string(kLowerIsBetter), "Lower is better (at most the target)"},
                   {std::string(kWithinRange), "Within a range"}},
       .filterable = true,
       .default_value = std::string(kHigherIsBetter)},
      FieldSpec{.name = "target_value",
                .label = "Target value",
                .type = FieldType::kDecimal,
                .required = true,
                .help = "The value to reach (higher is better), to stay under (lower is better), "
                        "or where the range starts (within a range)."},
      Decimal("warning_threshold", "Warning threshold",
              "Short of the target but not yet off target: below the target when higher is "
              "better, above it when lower is better."),
      Decimal("target_high", "Range to",
              "Within a range: where it ends (the target value is where it starts)."),
      {.name = "objective",
       .label = "Objective",
       .type = FieldType::kRef,
       .help = "The information security objective the metric measures.",
       .filterable = true,
       .ref = "objective"},
      {.name = "control",
       .label = "Applied control",
       .type = FieldType::kRef,
       .help = "The applied control whose effectiveness it measures.",
       .filterable = true,
       .ref = "applied_control"},
      owner,
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"active", "Active"}, {"retired", "Retired"}},
       .filterable = true,
       .sortable = true,
       .default_value = "active"},
  };
  s.list_columns = {"title", "frequency_every", "frequency_unit", "target_value",
                    "unit",  "measured_by",     "status"};
  s.default_sort = "title";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"active", "retired"}, {"retired", "active"}},
                          .editable_in = {},
                          .closed = {"retired"}};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    const auto target = Number(r, "target_value");
    const auto warning = Number(r, "warning_threshold");
    const auto high = Number(r, "target_high");
    if (r["direction"] == kWithinRange) {
      if (!high) errors.push_back({"target_high", "say where the range ends"});
      if (target && high && *target > *high) {
        errors.push_back({"target_high", "the range ends at or above its start, the target value"});
      }
      if (warning) errors.push_back({"warning_threshold", "a range has no warning threshold"});
      return;
    }
    if (high) {
      errors.push_back({"target_high", "only a metric within a range has an end to its range"});
    }
    if (target && warning) {
      if (r["direction"] == kHigherIsBetter && *warning >= *target) {
        errors.push_back({"warning_threshold",
                          "when higher is better, the warning threshold is below the target"});
      }
      if (r["direction"] == kLowerIsBetter && *warning <= *target) {
        errors.push_back({"warning_threshold",
                          "when lower is better, the warning threshold is above the target"});
      }
    }
  };
  return s;
}

// One value of a metric, when it was measured and by whom; the evidence of the measurement (the
// report, the export) attached to it.
RegisterSpec MakeMeasurements() {
  RegisterSpec s{.type = "measurement",
                 .table = "measurements",
                 .path = "measurements",
                 .singular = "Measurement",
                 .plural = "Measurements",
                 .clause = "9.1",
                 .title_field = "measured_on"};
  s.fields = {
      {.name = "metric",
       .label = "Metric",
       .type = FieldType::kRef,
       .required = true,
       .filterable = true,
       .ref = "metric"},
      {.name = "value",
       .label = "Value",
       .type = FieldType::kDecimal,
       .required = true,
       .help = "In the metric's unit.",
       .sortable = true},
      {.name = "measured_on",
       .label = "Measured on",
       .type = FieldType::kDate,
       .required = true,
       .filterable = true,
       .sortable = true},
      Person("measured_by", "Measured by", "Who took the measurement."),
      {.name = "comment",
       .label = "Comment",
       .type = FieldType::kLongText,
       .help = "What explains the value: a change in the source, an incident, a one-off.",
       .searchable = true},
  };
  s.list_columns = {"measured_on", "metric", "value", "measured_by"};
  s.default_sort = "-measured_on";
  return s;
}

// A step of about `raw` that reads well: 1, 2, 2.5 or 5 times a power of ten.
double NiceStep(double raw) {
  if (!(raw > 0) || !std::isfinite(raw)) return 1;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / power;
  const double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nice * power;
}

std::string TickLabel(double v, double step) {
  const int digits = std::clamp(static_cast<int>(-std::floor(std::log10(step))), 0, 6) +
                     (std::fmod(step / std::pow(10.0, std::floor(std::log10(step))), 1.0) != 0);
  std::string out = fmt::format("{:.{}f}", v, digits);
  if (out.starts_with("-0") && out.find_first_not_of("-0.") == std::string::npos) {
    out.erase(0, 1);
  }
  return out;
}

}  // namespace

const RegisterSpec& Metrics() {
  static const RegisterSpec kSpec = MakeMetrics();
  return kSpec;
}

const RegisterSpec& Measurements() {
  static const RegisterSpec kSpec = MakeMeasurements();
  return kSpec;
}

const char* MetricResultName(MetricResult r) {
  switch (r) {
    case MetricResult::kNoData:
      return "no_data";
    case MetricResult::kOnTarget:
      return "on_target";
    case MetricResult::kWarning:
      return "warning";
    case MetricResult::kOffTarget:
      return "off_target";
  }
  return "no_data";
}

const char* MetricResultLabel(MetricResult r) {
  switch (r) {
    case MetricResult::kNoData:
      return "No data";
    case MetricResult::kOnTarget:
      return "On target";
    case MetricResult::kWarning:
      return "Warning";
    case MetricResult::kOffTarget:
      return "Off target";
  }
  return "No data";
}

MetricResult EvaluateValue(const Json& metric, double value) {
  const std::string direction = TextOf(metric, "direction");
  if (direction == kWithinRange) {
    const auto low = Number(metric, "target_value");
    const auto high = Number(metric, "target_high");
    if (!low || !high) return MetricResult::kOnTarget;
    return value >= *low && value <= *high ? MetricResult::kOnTarget : MetricResult::kOffTarget;
  }
  const auto target = Number(metric, "target_value");
  if (!target) return MetricResult::kOnTarget;
  const auto warning = Number(metric, "warning_threshold");
  const bool higher = direction != kLowerIsBetter;
  const auto meets = [&](double limit) { return higher ? value >= limit : value <= limit; };
  if (meets(*target)) return MetricResult::kOnTarget;
  if (warning && meets(*warning)) return MetricResult::kWarning;
  return MetricResult::kOffTarget;
}

MetricStatus ComputeMetricStatus(const Json& metric, const Json* latest,
                                 std::string_view created_on, std::string_view today) {
  MetricStatus out;
  std::string from = TextOf(metric, "start_date");
  if (from.empty()) from = std::string(created_on.substr(0, 10));
  if (latest != nullptr && latest->is_object()) {
    if (const auto v = Number(*latest, "value")) {
      out.value = *v;
      out.result = EvaluateValue(metric, *v);
    }
    out.measured_on = TextOf(*latest, "measured_on");
    // A measurement dated before the start still counts from the start.
    if (out.measured_on > from) from = out.measured_on;
  }
  const Json every = metric.is_object() ? metric.value("frequency_every", Json()) : Json();
  if (every.is_number_integer() && !from.empty()) {
    // The first measurement is due one period after the start (the start opens the period).
    out.next_due = AddPeriod(from, every.get<int>(), TextOf(metric, "frequency_unit"));
  }
  out.due = TextOf(metric, "status") == "active" && !out.next_due.empty() && out.next_due <= today;
  return out;
}

ChartGeometry ComputeChart(const std::vector<ChartPoint>& points,
                           const std::vector<double>& reference_values, const ChartOptions& o) {
  ChartGeometry g;
  g.total = points.size();
  g.x0 = o.left;
  g.x1 = std::max(o.left, o.width - o.right);
  g.y0 = o.top;
  g.y1 = std::max(o.top, o.height - o.bottom);
  const size_t first = points.size() > o.max_points ? points.size() - o.max_points : 0;
  std::vector<ChartPoint> shown(points.begin() + static_cast<std::ptrdiff_t>(first), points.end());

  // Values: every point and reference line inside, with a margin; an empty or flat set around
  // its one value.
  bool any = false;
  double lo = 0, hi = 0;
  const auto take = [&](double v) {
    if (!std::isfinite(v)) return;
    lo = any ? std::min(lo, v) : v;
    hi = any ? std::max(hi, v) : v;
    any = true;
  };
  for (const auto& p : shown) take(p.value);
  for (const double v : reference_values) take(v);
  if (!any) {
    lo = 0;
    hi = 1;
  } else if (lo == hi) {
    const double pad = std::max(std::abs(lo) * 0.1, 1.0);
    lo -= pad;
    hi += pad;
  } else {
    const double pad = (hi - lo) * 0.05;
    lo -= pad;
    hi += pad;
  }
  const int ticks = std::max(2, o.value_ticks);
  const double step = NiceStep((hi - lo) / (ticks - 1));
  g.min_value = std::floor(lo / step) * step;
  g.max_value = std::ceil(hi / step) * step;
  if (g.max_value <= g.min_value) g.max_value = g.min_value + step;
  const auto y_of = [&](double v) {
    return g.y1 - (v - g.min_value) / (g.max_value - g.min_value) * (g.y1 - g.y0);
  };
  for (double v = g.min_value; v <= g.max_value + step / 2; v += step) {
    g.value_ticks.push_back({y_of(v), TickLabel(v, step)});
  }
  for (const double v : reference_values) g.lines.push_back({y_of(v), v});

  // Dates: spaced by time; one day (or one point) in the middle.
  std::vector<int64_t> days;
  for (const auto& p : shown) days.push_back(DayNumber(p.date).value_or(0));
  const int64_t d0 = days.empty() ? 0 : *std::min_element(days.begin(), days.end());
  const int64_t d1 = days.empty() ? 0 : *std::max_element(days.begin(), days.end());
  const auto x_of = [&](int64_t d) {
    if (d1 == d0) return (g.x0 + g.x1) / 2;
    return g.x0 + static_cast<double>(d - d0) / static_cast<double>(d1 - d0) * (g.x1 - g.x0);
  };
  for (size_t i = 0; i < shown.size(); ++i) {
    g.points.push_back({x_of(days[i]), y_of(shown[i].value), shown[i].date, shown[i].value});
  }
  // Up to four dates along the axis: the first, the last and two between, by position.
  if (!shown.empty()) {
    const size_t n = shown.size();
    for (const size_t i : {size_t{0}, (n - 1) / 3, 2 * (n - 1) / 3, n - 1}) {
      if (!g.date_ticks.empty() && g.date_ticks.back().label == shown[i].date) continue;
      bool seen = false;
      for (const auto& t : g.date_ticks) seen = seen || t.label == shown[i].date;
      if (!seen) g.date_ticks.push_back({x_of(days[i]), shown[i].date});
    }
  }
  return g;
}

}  // namespace rampart::domain

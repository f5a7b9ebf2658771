// Clause 9.1, monitoring, measurement, analysis and evaluation: the descriptions of its
// registers, the status of a metric and the geometry of its trend chart.
//   9.1 metrics        (Metrics): what is measured, how, how often, by whom; who analyses and
//                      evaluates the results; the target, the direction it is met in and an
//                      optional warning threshold; the objective or applied control it serves
//   9.1 measurements   (Measurements): each value measured, when, by whom, with its evidence
// Pure: no I/O. Specs are immutable statics, safe to share between threads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/record.h"
#include "domain/register.h"

namespace rampart::domain {

const RegisterSpec& Metrics();
const RegisterSpec& Measurements();

// A metric's directions: more is better (met at or above the target), less is better (met at or
// below it), or within a range (met from its low to its high end, both included).
inline constexpr std::string_view kHigherIsBetter = "higher";
inline constexpr std::string_view kLowerIsBetter = "lower";
inline constexpr std::string_view kWithinRange = "range";

// How the latest measurement stands against the target.
enum class MetricResult {
  kNoData,     // nothing measured yet
  kOnTarget,   // the target is met
  kWarning,    // not met, but not past the warning threshold
  kOffTarget,  // not met (past the warning threshold when there is one)
};
const char* MetricResultName(MetricResult r);   // "no_data", "on_target", "warning", "off_target"
const char* MetricResultLabel(MetricResult r);  // "No data", "On target", "Warning", "Off target"

// Where a metric stands on a day.
struct MetricStatus {
  MetricResult result = MetricResult::kNoData;
  // An active metric's measurement is due: the next one (`next_due`) is today or past.
  bool due = false;
  std::string next_due;         // the latest measurement (or the start) plus the frequency
  std::optional<double> value;  // the latest measurement's value
  std::string measured_on;      // and its date; empty when nothing is measured
};

// How `value` stands against the target of `metric` (its fields): its direction, target value
// (or range) and warning threshold. A metric without a complete target is on target.
MetricResult EvaluateValue(const Json& metric, double value);

// The status of `metric` (its fields) on `today` (YYYY-MM-DD), given the fields of its latest
// measurement (nullptr when none) and the day it was recorded (`created_on`, counted from when
// the metric has no start date). Due when it is active and its latest measurement — or, with
// none, its start — plus its frequency (every N days, weeks, months or years) is not after today.
MetricStatus ComputeMetricStatus(const Json& metric, const Json* latest,
                                 std::string_view created_on, std::string_view today);

// The trend chart of a metric, in SVG user units; drawn by the pages (http/web/metric_pages.cc).
struct ChartPoint {
  std::string date;  // YYYY-MM-DD
  double value = 0;
};
struct ChartOptions {
  double width = 640;
  double height = 260;
  double left = 64;  // room for the values' labels
  double right = 16;
  double top = 16;
  double bottom = 40;       // room for the dates' labels
  size_t max_points = 120;  // more are capped to the last (latest) ones
  int value_ticks = 5;
};
struct ChartTick {
  double at = 0;      // x for a date, y for a value
  std::string label;  // "2026-11-30", "95.5"
};
struct ChartLine {
  double y = 0;
  double value = 0;
};
struct ChartGeometry {
  // The plot area.
  double x0 = 0, x1 = 0, y0 = 0, y1 = 0;  // y0 top, y1 bottom
  double min_value = 0, max_value = 0;    // the values at y1 and y0
  struct Point {
    double x = 0, y = 0;
    std::string date;
    double value = 0;
  };
  std::vector<Point> points;     // oldest first
  std::vector<ChartLine> lines;  // the reference lines (target, threshold), in the order given
  std::vector<ChartTick> value_ticks;  // bottom to top
  std::vector<ChartTick> date_ticks;   // left to right, no repeats
  size_t total = 0;                    // points given; `points` holds the last max_points
};

// The geometry of `points` (oldest first; any order of equal dates kept) with horizontal lines
// at `reference_values`: dates spaced by time, values scaled so that every point and line is
// inside the plot area with a margin. One point, or equal dates, sit in the middle; equal values
// (min == max) get a range around them. Pure.
ChartGeometry ComputeChart(const std::vector<ChartPoint>& points,
                           const std::vector<double>& reference_values,
                           const ChartOptions& options = {});

}  // namespace rampart::domain

// Clause 9.1: a metric's target in each direction, its warning threshold, when a measurement is
// due, the measurement's fields, and the geometry of the trend chart.
#include "domain/monitoring.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/support.h"
#include "support/field_errors.h"

namespace rampart::domain {
namespace {

using test::ErrorOn;
using ::testing::DoubleEq;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<FieldError> Errors(const RegisterSpec& spec, const Json& input) {
  std::vector<FieldError> errors;
  (void)ValidateFields(spec, input, WriteMode::kCreate, nullptr, errors);
  return errors;
}

// A metric's input: a monthly one measured by user 7, at least 95 %, with `changes`.
Json Input(const Json& changes = Json::object()) {
  Json input = {{"title", "Critical patches within 14 days"},
                {"method", "Patch report of the endpoint manager, first working day."},
                {"measured_by", 7},
                {"unit", "%"},
                {"direction", "higher"},
                {"target_value", 95}};
  for (const auto& [k, v] : changes.items()) input[k] = v;
  return input;
}

Json Metric(const Json& changes = Json::object()) {
  std::vector<FieldError> errors;
  Json out = ValidateFields(Metrics(), Input(changes), WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors, IsEmpty());
  return out;
}

TEST(Metrics, DefaultToActiveMeasuredMonthly) {
  const Json m = Metric();
  EXPECT_EQ(m["status"], "active");
  EXPECT_EQ(m["frequency_every"], 1);
  EXPECT_EQ(m["frequency_unit"], "months");
}

TEST(Metrics, NeedWhatHowAndWhoMeasures) {
  EXPECT_THAT(Errors(Metrics(), {{"direction", "higher"}, {"target_value", 1}, {"unit", "%"}}),
              ElementsAre(ErrorOn("title"), ErrorOn("method"), ErrorOn("measured_by")));
}

TEST(Metrics, HigherOrLowerNeedATargetValue) {
  Json input = Input();
  input.erase("target_value");
  EXPECT_THAT(Errors(Metrics(), input), ElementsAre(ErrorOn("target_value")));
}

TEST(Metrics, ARangeRunsFromTheTargetValueToItsEndWithoutAThreshold) {
  Json input = Input({{"direction", "range"}});
  EXPECT_THAT(Errors(Metrics(), input),
              ElementsAre(ErrorOn("target_high", "where the range ends")));
  input["target_high"] = 90;  // below its start, 95
  input["warning_threshold"] = 5;
  EXPECT_THAT(Errors(Metrics(), input),
              ElementsAre(ErrorOn("target_high", "at or above"), ErrorOn("warning_threshold")));
  input["target_high"] = 99;
  input.erase("warning_threshold");
  EXPECT_THAT(Errors(Metrics(), input), IsEmpty());
  // Only a range has an end.
  EXPECT_THAT(Errors(Metrics(), Input({{"target_high", 99}})),
              ElementsAre(ErrorOn("target_high", "only a metric within a range")));
}

TEST(Metrics, WarningThresholdLiesShortOfTheTarget) {
  EXPECT_THAT(Errors(Metrics(), Input({{"warning_threshold", 96}})),
              ElementsAre(ErrorOn("warning_threshold", "below the target")));
  EXPECT_THAT(Errors(Metrics(), Input({{"direction", "lower"}, {"warning_threshold", 90}})),
              ElementsAre(ErrorOn("warning_threshold", "above the target")));
  EXPECT_THAT(Errors(Metrics(), Input({{"warning_threshold", 90}})), IsEmpty());
}

TEST(Metrics, RefuseAFrequencyOutsideOneTo999) {
  EXPECT_THAT(Errors(Metrics(), Input({{"frequency_every", 0}})),
              ElementsAre(ErrorOn("frequency_every")));
}

TEST(Measurements, RefuseAValueThatIsNotANumberNamingIt) {
  EXPECT_THAT(
      Errors(Measurements(), {{"metric", 1}, {"value", "ninety"}, {"measured_on", "2026-11-30"}}),
      ElementsAre(ErrorOn("value")));
  EXPECT_THAT(
      Errors(Measurements(), {{"metric", 1}, {"value", "93.5"}, {"measured_on", "2026-11-30"}}),
      IsEmpty());
  EXPECT_THAT(Errors(Measurements(), {{"metric", 1}, {"value", 93}, {"measured_on", "30/11"}}),
              ElementsAre(ErrorOn("measured_on")));
}

TEST(EvaluateValue, HigherIsBetterMeetsAtOrAboveTheTargetWarnsDownToTheThreshold) {
  const Json m = Metric({{"warning_threshold", 90}});
  EXPECT_EQ(EvaluateValue(m, 95), MetricResult::kOnTarget);
  EXPECT_EQ(EvaluateValue(m, 99), MetricResult::kOnTarget);
  EXPECT_EQ(EvaluateValue(m, 94.9), MetricResult::kWarning);
  EXPECT_EQ(EvaluateValue(m, 90), MetricResult::kWarning);
  EXPECT_EQ(EvaluateValue(m, 89.9), MetricResult::kOffTarget);
  EXPECT_EQ(EvaluateValue(Metric(), 94.9), MetricResult::kOffTarget);  // no threshold
}

TEST(EvaluateValue, LowerIsBetterMeetsAtOrBelowTheTargetWarnsUpToTheThreshold) {
  const Json m = Metric({{"direction", "lower"}, {"target_value", 2}, {"warning_threshold", 5}});
  EXPECT_EQ(EvaluateValue(m, 2), MetricResult::kOnTarget);
  EXPECT_EQ(EvaluateValue(m, -1), MetricResult::kOnTarget);
  EXPECT_EQ(EvaluateValue(m, 4), MetricResult::kWarning);
  EXPECT_EQ(EvaluateValue(m, 5.1), MetricResult::kOffTarget);
}

TEST(EvaluateValue, WithinARangeIncludesBothEnds) {
  const Json m = Metric({{"direction", "range"}, {"target_value", -5}, {"target_high", 5}});
  EXPECT_EQ(EvaluateValue(m, -5), MetricResult::kOnTarget);
  EXPECT_EQ(EvaluateValue(m, 5), MetricResult::kOnTarget);
  EXPECT_EQ(EvaluateValue(m, 5.01), MetricResult::kOffTarget);
  EXPECT_EQ(EvaluateValue(m, -6), MetricResult::kOffTarget);
}

TEST(MetricStatus, WithoutMeasurementsHasNoDataAndIsDueOnePeriodAfterTheStart) {
  const Json m = Metric({{"start_date", "2026-10-15"}});
  const MetricStatus before = ComputeMetricStatus(m, nullptr, "2026-10-01T09:00:00Z", "2026-11-14");
  EXPECT_EQ(before.result, MetricResult::kNoData);
  EXPECT_EQ(before.next_due, "2026-11-15");
  EXPECT_FALSE(before.due);
  EXPECT_TRUE(ComputeMetricStatus(m, nullptr, "2026-10-01T09:00:00Z", "2026-11-15").due);
  // Without a start date, from the day it was recorded.
  EXPECT_EQ(ComputeMetricStatus(Metric(), nullptr, "2026-10-01T09:00:00Z", "2026-11-14").next_due,
            "2026-11-01");
}

TEST(MetricStatus, IsDueWhenTheLatestMeasurementIsOlderThanTheFrequency) {
  const Json m = Metric({{"frequency_every", 2}, {"frequency_unit", "weeks"}});
  const Json latest = {{"value", 96.0}, {"measured_on", "2026-11-02"}};
  const MetricStatus s = ComputeMetricStatus(m, &latest, "2026-10-01T09:00:00Z", "2026-11-15");
  EXPECT_EQ(s.result, MetricResult::kOnTarget);
  EXPECT_THAT(*s.value, DoubleEq(96));
  EXPECT_EQ(s.measured_on, "2026-11-02");
  EXPECT_EQ(s.next_due, "2026-11-16");
  EXPECT_FALSE(s.due);
  EXPECT_TRUE(ComputeMetricStatus(m, &latest, "2026-10-01T09:00:00Z", "2026-11-16").due);
}

TEST(MetricStatus, ARetiredMetricIsNeverDue) {
  const Json m = Metric({{"status", "retired"}});
  EXPECT_FALSE(ComputeMetricStatus(m, nullptr, "2020-01-01T00:00:00Z", "2026-11-16").due);
}

TEST(ComputeChart, HasNoPointsButAnAxisWhenNothingIsMeasured) {
  const ChartGeometry g = ComputeChart({}, {});
  EXPECT_THAT(g.points, IsEmpty());
  EXPECT_THAT(g.date_ticks, IsEmpty());
  EXPECT_LT(g.min_value, g.max_value);
  EXPECT_GE(g.value_ticks.size(), 2u);
}

TEST(ComputeChart, PutsOnePointInTheMiddleWithARangeAroundItsValue) {
  const ChartOptions o;
  const ChartGeometry g = ComputeChart({{"2026-11-30", 42}}, {}, o);
  ASSERT_EQ(g.points.size(), 1u);
  EXPECT_DOUBLE_EQ(g.points[0].x, (o.left + o.width - o.right) / 2);
  EXPECT_LT(g.min_value, 42);
  EXPECT_GT(g.max_value, 42);
  EXPECT_GT(g.points[0].y, g.y0);
  EXPECT_LT(g.points[0].y, g.y1);
  EXPECT_THAT(g.date_ticks, ElementsAre(::testing::Field(&ChartTick::label, "2026-11-30")));
}

TEST(ComputeChart, SpacesDatesByTimeAndScalesValuesTopDown) {
  const ChartOptions o;
  const ChartGeometry g =
      ComputeChart({{"2026-01-01", 10}, {"2026-01-02", 20}, {"2026-01-11", 30}}, {}, o);
  ASSERT_EQ(g.points.size(), 3u);
  EXPECT_DOUBLE_EQ(g.points[0].x, g.x0);
  EXPECT_DOUBLE_EQ(g.points[2].x, g.x1);
  EXPECT_DOUBLE_EQ(g.points[1].x, g.x0 + (g.x1 - g.x0) / 10);  // one day of ten
  EXPECT_GT(g.points[0].y, g.points[1].y);                     // higher values higher up
  EXPECT_GT(g.points[1].y, g.points[2].y);
  EXPECT_LE(g.min_value, 10);
  EXPECT_GE(g.max_value, 30);
  EXPECT_EQ(g.value_ticks.front().at, g.y1);
  EXPECT_EQ(g.value_ticks.back().at, g.y0);
}

TEST(ComputeChart, EqualValuesAndEqualDatesStayInsideThePlot) {
  const ChartGeometry g = ComputeChart({{"2026-11-30", 7}, {"2026-11-30", 7}}, {});
  for (const auto& p : g.points) {
    EXPECT_GT(p.y, g.y0);
    EXPECT_LT(p.y, g.y1);
    EXPECT_GE(p.x, g.x0);
    EXPECT_LE(p.x, g.x1);
  }
  EXPECT_EQ(g.date_ticks.size(), 1u);
}

TEST(ComputeChart, TakesInNegativeValuesAndTheReferenceLines) {
  const ChartGeometry g = ComputeChart({{"2026-11-01", -12.5}, {"2026-11-02", -3}}, {5, -20});
  EXPECT_LE(g.min_value, -20);
  EXPECT_GE(g.max_value, 5);
  ASSERT_EQ(g.lines.size(), 2u);
  EXPECT_LT(g.lines[0].y, g.points[1].y);  // the target of 5 is above -3
  EXPECT_GT(g.lines[1].y, g.points[0].y);  // -20 is below -12.5
  for (const auto& t : g.value_ticks) EXPECT_NE(t.label, "-0");
}

TEST(ComputeChart, CapsThousandsOfPointsToTheLatest) {
  std::vector<ChartPoint> many;
  for (int i = 0; i < 3000; ++i) {
    many.push_back({AddDays("2018-01-01", i), static_cast<double>(i % 100)});
  }
  ChartOptions o;
  o.max_points = 120;
  const ChartGeometry g = ComputeChart(many, {50}, o);
  EXPECT_EQ(g.total, 3000u);
  ASSERT_EQ(g.points.size(), 120u);
  EXPECT_EQ(g.points.front().date, many[2880].date);
  EXPECT_EQ(g.points.back().date, many.back().date);
  EXPECT_LE(g.date_ticks.size(), 4u);
}

}  // namespace
}  // namespace rampart::domain

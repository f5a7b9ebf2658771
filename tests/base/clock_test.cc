#include "base/clock.h"

#include <gtest/gtest.h>

#include <chrono>

#include "support/fixed_clock.h"

namespace rampart {
namespace {

using namespace std::chrono_literals;

TimePoint At(std::chrono::sys_days day, std::chrono::milliseconds since_midnight = 0ms) {
  return TimePoint(day) + since_midnight;
}

TEST(FormatUtc, WritesIsoWithMilliseconds) {
  EXPECT_EQ(FormatUtc(test::TestEpoch()), "2026-03-14T09:26:53.589Z");
  EXPECT_EQ(FormatUtc(TimePoint{}), "1970-01-01T00:00:00.000Z");
}

TEST(FormatUtc, PadsEveryComponent) {
  EXPECT_EQ(FormatUtc(At(std::chrono::year{2027} / 1 / 2, 3h + 4min + 5s + 6ms)),
            "2027-01-02T03:04:05.006Z");
}

TEST(FormatUtc, TruncatesBelowAMillisecond) {
  EXPECT_EQ(FormatUtc(At(std::chrono::year{2024} / 2 / 29, 23h + 59min + 59s + 999ms) + 999us),
            "2024-02-29T23:59:59.999Z");
}

TEST(FormatUtc, HandlesTimesBeforeTheEpoch) {
  EXPECT_EQ(FormatUtc(TimePoint{} - 1ms), "1969-12-31T23:59:59.999Z");
}

TEST(FormatUtc, SortsAsTextInTimeOrder) {
  const TimePoint t = test::TestEpoch();
  EXPECT_LT(FormatUtc(t), FormatUtc(t + 1ms));
  EXPECT_LT(FormatUtc(t + 999ms), FormatUtc(t + 1000ms));
}

TEST(FormatDate, WritesTheUtcDay) {
  EXPECT_EQ(FormatDate(test::TestEpoch()), "2026-03-14");
  EXPECT_EQ(FormatDate(At(std::chrono::year{2024} / 2 / 29, 23h + 59min)), "2024-02-29");
  EXPECT_EQ(FormatDate(At(std::chrono::year{2024} / 3 / 1)), "2024-03-01");
}

TEST(IsValidDate, AcceptsALeapDayInALeapYear) {
  EXPECT_TRUE(IsValidDate("2024-02-29"));
  EXPECT_TRUE(IsValidDate("2000-02-29"));  // divisible by 400
}

TEST(IsValidDate, RefusesALeapDayInACommonYear) {
  EXPECT_FALSE(IsValidDate("2023-02-29"));
  EXPECT_FALSE(IsValidDate("1900-02-29"));  // divisible by 100, not 400
}

TEST(IsValidDate, AcceptsOrdinaryDates) {
  EXPECT_TRUE(IsValidDate("2026-03-14"));
  EXPECT_TRUE(IsValidDate("2026-12-31"));
  EXPECT_TRUE(IsValidDate("1900-01-01"));
  EXPECT_TRUE(IsValidDate("9999-12-31"));
}

TEST(IsValidDate, RefusesDaysAndMonthsOutOfRange) {
  EXPECT_FALSE(IsValidDate("2026-04-31"));
  EXPECT_FALSE(IsValidDate("2026-13-01"));
  EXPECT_FALSE(IsValidDate("2026-00-10"));
  EXPECT_FALSE(IsValidDate("2026-01-00"));
  EXPECT_FALSE(IsValidDate("2026-01-32"));
  EXPECT_FALSE(IsValidDate("1899-12-31"));
  EXPECT_FALSE(IsValidDate("0000-01-01"));
}

TEST(IsValidDate, RefusesOtherFormats) {
  EXPECT_FALSE(IsValidDate(""));
  EXPECT_FALSE(IsValidDate("2026-3-14"));
  EXPECT_FALSE(IsValidDate("2026/03/14"));
  EXPECT_FALSE(IsValidDate("20260314"));
  EXPECT_FALSE(IsValidDate("14-03-2026"));
  EXPECT_FALSE(IsValidDate("2026-03-14T00:00:00Z"));
  EXPECT_FALSE(IsValidDate(" 2026-03-14"));
  EXPECT_FALSE(IsValidDate("2026-03-1a"));
  EXPECT_FALSE(IsValidDate("+026-03-14"));
}

TEST(ToUnixSeconds, CountsWholeSecondsSinceTheEpoch) {
  EXPECT_EQ(ToUnixSeconds(test::TestEpoch()), 1773480413);
  EXPECT_EQ(ToUnixSeconds(TimePoint{}), 0);
}

TEST(FixedClock, StandsStillUntilAdvanced) {
  test::FixedClock clock(test::TestEpoch());
  EXPECT_EQ(clock.Now(), test::TestEpoch());
  clock.Advance(1500ms);
  EXPECT_EQ(FormatUtc(clock.Now()), "2026-03-14T09:26:55.089Z");
}

}  // namespace
}  // namespace rampart

TEST(ParseUtcTest, ReadsWhatFormatUtcWrites) {
  const auto t = rampart::TimePoint(std::chrono::milliseconds(1'796'000'123'456));
  const auto parsed = rampart::ParseUtc(rampart::FormatUtc(t));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, t);
}

TEST(ParseUtcTest, RefusesOtherText) {
  EXPECT_FALSE(rampart::ParseUtc("2026-11-29").has_value());
  EXPECT_FALSE(rampart::ParseUtc("2026-11-29T25:00:00.000Z").has_value());
  EXPECT_FALSE(rampart::ParseUtc("2026-02-30T10:00:00.000Z").has_value());
  EXPECT_FALSE(rampart::ParseUtc("2026-11-29T10:00:00.00xZ").has_value());
}

TEST(AddMonthsTest, ClampsTheThirtyFirstOfJanuaryToTheEndOfFebruary) {
  EXPECT_EQ(rampart::AddMonths("2027-01-31", 1), "2027-02-28");
  EXPECT_EQ(rampart::AddMonths("2028-01-31", 1), "2028-02-29");  // a leap year
  EXPECT_EQ(rampart::AddMonths("2100-01-31", 1), "2100-02-28");  // not one (divisible by 100)
  EXPECT_EQ(rampart::AddMonths("2000-01-31", 1), "2000-02-29");  // one (divisible by 400)
  EXPECT_EQ(rampart::AddMonths("2027-01-31", 3), "2027-04-30");
}

TEST(AddMonthsTest, MovesALeapDayToTheLastDayOfFebruaryInACommonYear) {
  EXPECT_EQ(rampart::AddMonths("2028-02-29", 12), "2029-02-28");
  EXPECT_EQ(rampart::AddMonths("2028-02-29", 48), "2032-02-29");
  EXPECT_EQ(rampart::AddMonths("2028-02-29", 1), "2028-03-29");
}

TEST(AddMonthsTest, CrossesYearsForwardAndBack) {
  EXPECT_EQ(rampart::AddMonths("2026-12-04", 1), "2027-01-04");
  EXPECT_EQ(rampart::AddMonths("2026-11-15", 26), "2029-01-15");
  EXPECT_EQ(rampart::AddMonths("2026-01-15", -1), "2025-12-15");
  EXPECT_EQ(rampart::AddMonths("2026-03-31", -1), "2026-02-28");
  EXPECT_EQ(rampart::AddMonths("2026-05-20", 0), "2026-05-20");
}

TEST(AddMonthsTest, GivesNothingForAnInvalidDateOrAYearOutOfRange) {
  EXPECT_EQ(rampart::AddMonths("2026-02-30", 1), "");
  EXPECT_EQ(rampart::AddMonths("2026-13-01", 1), "");
  EXPECT_EQ(rampart::AddMonths("next week", 1), "");
  EXPECT_EQ(rampart::AddMonths("", 1), "");
  EXPECT_EQ(rampart::AddMonths("9999-12-01", 1), "");
  EXPECT_EQ(rampart::AddMonths("1900-01-01", -1), "");
}

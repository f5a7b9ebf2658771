#include "base/clock.h"

#include <fmt/format.h>

#include <algorithm>

namespace rampart {

namespace {
std::chrono::year_month_day Ymd(TimePoint t) {
  return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(t)};
}

// The digits of `s` from `pos`, `len` of them (the caller has checked they are digits).
int Digits(std::string_view s, size_t pos, size_t len) {
  int v = 0;
  for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

// A YYYY-MM-DD text that IsValidDate accepted, as a calendar date.
std::chrono::year_month_day DateOf(std::string_view s) {
  return std::chrono::year_month_day{std::chrono::year{Digits(s, 0, 4)},
                                     std::chrono::month{static_cast<unsigned>(Digits(s, 5, 2))},
                                     std::chrono::day{static_cast<unsigned>(Digits(s, 8, 2))}};
}

std::string FormatYmd(const std::chrono::year_month_day& ymd) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}
}  // namespace

std::string FormatUtc(TimePoint t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::milliseconds>(t - days)};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

std::string FormatDate(TimePoint t) { return FormatYmd(Ymd(t)); }

bool IsValidDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int year = Digits(s, 0, 4);
  return DateOf(s).ok() && year >= 1900 && year <= 9999;
}

std::string AddMonths(std::string_view date, int months) {
  if (!IsValidDate(date)) return std::string();
  const std::chrono::year_month_day from = DateOf(date);
  const std::chrono::year_month reached =
      std::chrono::year_month{from.year(), from.month()} + std::chrono::months{months};
  const int year = static_cast<int>(reached.year());
  if (year < 1900 || year > 9999) return std::string();
  const std::chrono::day last = std::chrono::year_month_day_last{
      reached.year(),
      std::chrono::month_day_last{
          reached.month()}}.day();
  return FormatYmd(
      std::chrono::year_month_day{reached.year(), reached.month(), std::min(from.day(), last)});
}

std::optional<TimePoint> ParseUtc(std::string_view s) {
  if (s.size() != 24 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' ||
      s[23] != 'Z' || !IsValidDate(s.substr(0, 10))) {
    return std::nullopt;
  }
  int parts[4] = {0, 0, 0, 0};
  const size_t pos[4] = {11, 14, 17, 20};
  const size_t len[4] = {2, 2, 2, 3};
  for (int i = 0; i < 4; ++i) {
    for (size_t j = pos[i]; j < pos[i] + len[i]; ++j) {
      if (s[j] < '0' || s[j] > '9') return std::nullopt;
      parts[i] = parts[i] * 10 + (s[j] - '0');
    }
  }
  if (parts[0] > 23 || parts[1] > 59 || parts[2] > 60) return std::nullopt;
  return TimePoint(std::chrono::sys_days(DateOf(s))) + std::chrono::hours(parts[0]) +
         std::chrono::minutes(parts[1]) + std::chrono::seconds(parts[2]) +
         std::chrono::milliseconds(parts[3]);
}

int64_t ToUnixSeconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace rampart

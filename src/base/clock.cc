#include "base/clock.h"

#include <fmt/format.h>

namespace rampart {

namespace {
std::chrono::year_month_day Ymd(TimePoint t) {
  return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(t)};
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

std::string FormatDate(TimePoint t) {
  const auto ymd = Ymd(t);
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

bool IsValidDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  const std::chrono::year_month_day ymd{std::chrono::year{num(0, 4)},
                                        std::chrono::month{static_cast<unsigned>(num(5, 2))},
                                        std::chrono::day{static_cast<unsigned>(num(8, 2))}};
  return ymd.ok() && num(0, 4) >= 1900 && num(0, 4) <= 9999;
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
  auto num = [&](size_t p, size_t n) {
    int v = 0;
    for (size_t i = p; i < p + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  const std::chrono::year_month_day ymd{std::chrono::year{num(0, 4)},
                                        std::chrono::month{static_cast<unsigned>(num(5, 2))},
                                        std::chrono::day{static_cast<unsigned>(num(8, 2))}};
  return TimePoint(std::chrono::sys_days(ymd)) + std::chrono::hours(parts[0]) +
         std::chrono::minutes(parts[1]) + std::chrono::seconds(parts[2]) +
         std::chrono::milliseconds(parts[3]);
}

int64_t ToUnixSeconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace rampart

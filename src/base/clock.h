// Time: an injectable clock and UTC formatting. Record timestamps are ISO 8601 UTC strings with
// millisecond precision ("2026-11-29T20:57:45.123Z"), which sort as text.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rampart {

using TimePoint = std::chrono::system_clock::time_point;

// Source of the current time; tests substitute a fixed clock. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

std::string FormatUtc(TimePoint t);   // 2026-11-29T20:57:45.123Z
std::string FormatDate(TimePoint t);  // 2026-11-29
// True when `text` is a valid calendar date in YYYY-MM-DD form.
bool IsValidDate(std::string_view text);
// `date` (YYYY-MM-DD) plus `months` (negative goes back), the day clamped to the length of the
// month reached: 2027-01-31 + 1 is 2027-02-28, 2028-02-29 + 12 is 2029-02-28. Empty when `date`
// is not a valid date or the result falls outside the years 1900-9999.
std::string AddMonths(std::string_view date, int months);
int64_t ToUnixSeconds(TimePoint t);
// Reads what FormatUtc writes; nullopt for anything else.
std::optional<TimePoint> ParseUtc(std::string_view text);

}  // namespace rampart

// A settable clock for tests.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "base/clock.h"

namespace rampart::test {

// A clock that stands still until told to move. Thread-safe.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(TimePoint start) : ms_(ToMs(start)) {}
  TimePoint Now() const override { return TimePoint(std::chrono::milliseconds(ms_.load())); }
  void Advance(std::chrono::milliseconds d) { ms_ += d.count(); }

 private:
  static int64_t ToMs(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  }
  std::atomic<int64_t> ms_;
};

// 2026-03-14T09:26:53.589Z: the tests' "now".
inline TimePoint TestEpoch() { return TimePoint(std::chrono::milliseconds(1773480413589)); }

}  // namespace rampart::test

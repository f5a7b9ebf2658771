// A token bucket per key (a caller, an address): `burst` requests at once, then one more every
// `interval`. In memory, so per process: with several instances a caller gets that many times the
// rate. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rampart {

class RateLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  RateLimiter(int burst, std::chrono::milliseconds interval) : burst_(burst), interval_(interval) {}

  // Takes one token for `key` at `now`. Zero when the request may go ahead; otherwise how long
  // until the next token (nothing is taken then).
  std::chrono::milliseconds Take(const std::string& key, TimePoint now);

 private:
  struct Bucket {
    double tokens;
    TimePoint at;
  };

  const int burst_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace rampart

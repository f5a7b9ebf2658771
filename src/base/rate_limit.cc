#include "base/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace rampart {

std::chrono::milliseconds RateLimiter::Take(const std::string& key, TimePoint now) {
  std::lock_guard lock(mu_);
  const double per_ms = 1.0 / static_cast<double>(interval_.count());
  auto refilled = [&](const Bucket& b) {
    const double elapsed = std::chrono::duration<double, std::milli>(now - b.at).count();
    return std::min<double>(burst_, b.tokens + std::max(0.0, elapsed) * per_ms);
  };
  if (buckets_.size() > 10'000) {
    // Forget the keys whose buckets are full again: they are as good as new.
    std::erase_if(buckets_, [&](const auto& kv) { return refilled(kv.second) >= burst_; });
  }
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{static_cast<double>(burst_), now});
  Bucket& b = it->second;
  b.tokens = refilled(b);
  b.at = std::max(b.at, now);
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::chrono::milliseconds(0);
  }
  return std::chrono::milliseconds(static_cast<int64_t>(std::ceil((1.0 - b.tokens) / per_ms)));
}

}  // namespace rampart

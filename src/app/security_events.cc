#include "app/security_events.h"

#include <fmt/format.h>

#include "app/access_control.h"

namespace rampart::app {

Result<bool> SecurityEvents::Record(store::AuditDraft event) {
  const auto now = clock_.Now();
  const std::string key = event.address.empty() ? "-" : event.address;
  bool summary = false;
  std::chrono::system_clock::time_point window_end;
  {
    std::lock_guard lock(mu_);
    if (windows_.size() > 10000) {  // forget finished windows so the map stays small
      std::erase_if(windows_,
                    [&](const auto& w) { return now - w.second.start >= std::chrono::minutes(1); });
    }
    Window& w = windows_[key];
    if (w.count == 0 || now - w.start >= std::chrono::minutes(1)) w = Window{now, 0};
    ++w.count;
    if (w.count > per_minute_ + 1) return false;
    summary = w.count == per_minute_ + 1;
    window_end = w.start + std::chrono::minutes(1);
  }
  if (summary) {
    event = store::AuditDraft{.org_id = 0,
                              .actor_id = 0,
                              .actor = "system",
                              .at = FormatUtc(now),
                              .action = "security_events_suppressed",
                              .record_type = "address",
                              .record_id = 0,
                              .diff = {{"limit_per_minute", per_minute_},
                                       {"until", FormatUtc(window_end)},
                                       {"first_suppressed", event.action}},
                              .address = event.address};
  }
  RETURN_IF_ERROR(store_.AppendAudit(event));
  return !summary;
}

Result<bool> SecurityEvents::Denied(const Principal* p, const std::string& method,
                                    const std::string& path, const Status& denial,
                                    const std::string& address) {
  const std::string bare = path.substr(0, std::min(path.find('?'), size_t{300}));
  auto event = SecurityEvent(clock_, p, p != nullptr ? p->org_id : 0, "access_denied", "route", 0,
                             {{"method", method.substr(0, 10)},
                              {"path", bare},
                              {"code", std::string(CodeName(denial.code()))},
                              {"message", denial.message().substr(0, 300)}});
  event.address = address;
  return Record(std::move(event));
}

}  // namespace rampart::app

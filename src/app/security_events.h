// Audit events of what was refused: failed sign-ins (also of user names that do not exist),
// attempts while throttled, and authorisation denials. Anyone can cause these, so they are
// rate-limited per client address: at most `per_minute` events per address in a minute; the
// first one over the limit is replaced by one summary event ("security_events_suppressed", with
// the window's end), and the rest of that minute's are dropped. The limit is per instance (held
// in memory): N instances write at most N times as many. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "app/principal.h"
#include "base/clock.h"
#include "store/store.h"

namespace rampart::app {

class SecurityEvents {
 public:
  SecurityEvents(store::Store& store, const Clock& clock, int per_minute = 20)
      : store_(store), clock_(clock), per_minute_(per_minute) {}

  // Appends `event` (its address is the key of the limit) unless the address is over its limit.
  // Returns true when the event itself was written, false when the limit held it back, and the
  // store's error when writing failed: never ignored, the caller fails the request or logs it.
  Result<bool> Record(store::AuditDraft event);

  // An authorisation denial: the caller `p` (null when nobody is signed in) asked `method` `path`
  // from `address` and was refused with `denial` (kUnauthenticated or kPermissionDenied). The
  // event is "access_denied" of record type "route" in the caller's organisation (0 without one)
  // with the method, the path (without its query), the error code and message.
  Result<bool> Denied(const Principal* p, const std::string& method, const std::string& path,
                      const Status& denial, const std::string& address);

 private:
  struct Window {
    std::chrono::system_clock::time_point start;
    int count = 0;
  };

  store::Store& store_;
  const Clock& clock_;
  const int per_minute_;
  std::mutex mu_;
  std::map<std::string, Window> windows_;  // by address
};

}  // namespace rampart::app

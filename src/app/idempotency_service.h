// Creates sent again with the same Idempotency-Key header: the first answer, not a second record.
//
// A client that did not get the answer to a create (a timeout, a 503 while the database restarted
// at the commit) cannot know whether the record exists. Sent with a key of its choosing, the
// request can be sent again: within 24 hours the same caller's key gives the answer of the first
// request that carried it out. The key is kept by the create's own transaction (see
// store/idempotency.h), so it exists exactly when the record does.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "app/principal.h"
#include "base/clock.h"
#include "base/status.h"
#include "store/idempotency.h"
#include "store/store.h"

namespace rampart::app {

// Sets the thread's claim while a request is carried out under its key.
using IdempotencyScope = store::IdempotencyScope;
using IdempotencyClaim = store::IdempotencyClaim;
using IdempotentRequest = store::IdempotentRequest;

class IdempotencyService {
 public:
  // The request header carrying the key.
  static constexpr const char* kHeader = "Idempotency-Key";
  static constexpr std::chrono::hours kKeptFor{24};
  static constexpr size_t kMaxKeyLength = 255;

  IdempotencyService(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // What the caller sent with `key` in the last 24 hours: nullopt when nothing (carry the request
  // out with a claim set: Claim, IdempotencyScope). kInvalidArgument naming "Idempotency-Key" when
  // the key is empty, longer than 255 characters or not printable ASCII, or when it was sent with
  // another request (`request_hash` differs: another path, body or organisation).
  Result<std::optional<IdempotentRequest>> Find(const Principal& p, const std::string& key,
                                                const std::string& request_hash) const;
  // What a request asks, for comparing it with a later one sent with the same key: SHA-256 of its
  // method, target (path and query), content type, body and the caller's organisation.
  static std::string RequestHash(const Principal& p, std::string_view method,
                                 std::string_view target, std::string_view content_type,
                                 std::string_view body);
  // The claim under which the request is carried out.
  IdempotencyClaim Claim(const Principal& p, const std::string& key,
                         const std::string& request_hash) const;
  // Keeps the answer sent to a request whose claim a write kept (claim.kept); nothing otherwise.
  Status KeepAnswer(const IdempotencyClaim& claim, const IdempotentRequest& answer) const;

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace rampart::app

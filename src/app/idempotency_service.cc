#include "app/idempotency_service.h"

#include <fmt/format.h>

#include "base/crypto.h"

namespace rampart::app {

namespace {

Status CheckKey(const std::string& key) {
  if (key.empty() || key.size() > IdempotencyService::kMaxKeyLength) {
    return InvalidArgument("an Idempotency-Key has 1 to 255 characters",
                           IdempotencyService::kHeader);
  }
  for (char c : key) {
    if (c < 0x20 || c > 0x7e) {
      return InvalidArgument("an Idempotency-Key has only printable ASCII characters",
                             IdempotencyService::kHeader);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<store::IdempotentRequest>> IdempotencyService::Find(
    const Principal& p, const std::string& key, const std::string& request_hash) const {
  RETURN_IF_ERROR(CheckKey(key));
  ASSIGN_OR_RETURN(auto prior,
                   store_.FindIdempotencyKey(p.user_id, key, FormatUtc(clock_.Now() - kKeptFor)));
  if (prior.has_value() && prior->request_hash != request_hash) {
    return InvalidArgument(
        "this Idempotency-Key was sent with another request in the last 24 hours; use a new key "
        "for a new request",
        IdempotencyService::kHeader);
  }
  return prior;
}

std::string IdempotencyService::RequestHash(const Principal& p, std::string_view method,
                                            std::string_view target, std::string_view content_type,
                                            std::string_view body) {
  // Lengths first: no two different requests give the same bytes to hash.
  return Sha256Hex(fmt::format("{}:{}\n{}:{}\n{}:{}\n{}\n{}:", method.size(), method, target.size(),
                               target, content_type.size(), content_type, p.org_id, body.size()) +
                   std::string(body));
}

store::IdempotencyClaim IdempotencyService::Claim(const Principal& p, const std::string& key,
                                                  const std::string& request_hash) const {
  const TimePoint now = clock_.Now();
  store::IdempotencyClaim c;
  c.user_id = p.user_id;
  c.org_id = p.org_id;
  c.key = key;
  c.request_hash = request_hash;
  c.at = FormatUtc(now);
  c.expired = FormatUtc(now - kKeptFor);
  return c;
}

Status IdempotencyService::KeepAnswer(const store::IdempotencyClaim& claim,
                                      const store::IdempotentRequest& answer) const {
  if (!claim.kept) return Status::Ok();
  return store_.KeepIdempotentAnswer(claim.user_id, claim.key, answer);
}

}  // namespace rampart::app

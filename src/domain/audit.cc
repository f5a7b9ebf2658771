#include "domain/audit.h"

#include "base/crypto.h"

namespace rampart::domain {

std::string CanonicalEncoding(const AuditEvent& e) {
  const Json a =
      e.encoding == 1
          ? Json::array({e.seq, e.at, e.org_id, e.actor_id, e.actor, e.action, e.record_type,
                         e.record_id, e.diff, e.prev_hash})
          : Json::array({e.encoding, e.seq, e.at, e.org_id, e.actor_id, e.actor, e.address,
                         e.action, e.record_type, e.record_id, e.diff, e.prev_hash});
  return a.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ComputeAuditHash(const AuditEvent& e) { return Sha256Hex(CanonicalEncoding(e)); }

}  // namespace rampart::domain

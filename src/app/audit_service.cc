#include "app/audit_service.h"

#include <fmt/format.h>

namespace rampart::app {

Result<AuditVerification> VerifyAuditChain(store::Store& store) {
  AuditVerification v;
  int64_t expected_seq = 1;
  std::string prev(domain::kGenesisHash);
  RETURN_IF_ERROR(store.ScanAudit([&](const domain::AuditEvent& e) {
    ++v.events;
    if (e.seq != expected_seq) {
      v.problem =
          fmt::format("event {} is missing (the next event found is {})", expected_seq, e.seq);
      v.first_bad_seq = expected_seq;
    } else if (e.prev_hash != prev) {
      v.problem = "its previous-event hash does not match the event before it";
      v.first_bad_seq = e.seq;
    } else if (domain::ComputeAuditHash(e) != e.hash) {
      v.problem = "its content does not match its hash (the event was altered)";
      v.first_bad_seq = e.seq;
    }
    if (v.first_bad_seq != 0) {
      v.intact = false;
      return false;
    }
    prev = e.hash;
    v.head_hash = e.hash;
    ++expected_seq;
    return true;
  }));
  return v;
}

}  // namespace rampart::app

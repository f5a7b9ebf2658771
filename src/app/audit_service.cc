#include "app/audit_service.h"

#include <fmt/format.h>

namespace rampart::app {

Result<AuditVerification> VerifyAuditChain(store::Store& store, int64_t org_id) {
  AuditVerification v;
  int64_t expected_seq = 1;
  std::string prev(domain::kGenesisHash);
  bool bad_is_ours = true;
  RETURN_IF_ERROR(store.ScanAudit([&](const domain::AuditEvent& e) {
    const bool ours = org_id == 0 || e.org_id == org_id;
    if (ours) ++v.events;
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
      // A missing event belongs to nobody known: its number is reported to everyone.
      bad_is_ours = ours || v.first_bad_seq != e.seq;
      return false;
    }
    prev = e.hash;
    if (ours) {
      v.head_hash = e.hash;
      v.head_seq = e.seq;
    }
    ++expected_seq;
    return true;
  }));
  if (!v.intact && org_id != 0 && !bad_is_ours) {
    v.first_bad_seq = 0;
    v.problem =
        "the installation's chain is broken outside this organisation's events; the operator "
        "finds where with `rampart audit verify`";
  }
  return v;
}

}  // namespace rampart::app

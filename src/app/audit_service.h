// Verification of the audit trail's hash chain.
#pragma once

#include <cstdint>
#include <string>

#include "store/store.h"

namespace rampart::app {

struct AuditVerification {
  bool intact = true;
  int64_t events = 0;         // events checked (of the organisation, when one is named)
  int64_t first_bad_seq = 0;  // the first event that breaks the chain (0 when intact)
  std::string problem;        // what is wrong with it
  std::string head_hash;      // hash of the last event: record it elsewhere to detect truncation
  int64_t head_seq = 0;       // its sequence number
};

// Walks the whole chain: sequence numbers must run 1, 2, 3, ... (a gap is a deleted event), each
// event must name its predecessor's hash, and each stored hash must match the event's content.
// With `org_id` (not 0) the whole chain is still verified, but what is reported is the
// organisation's own: the number of its events, its newest event's hash and number, and the bad
// event's number when it is one of its own or missing (an altered event of another organisation
// is a problem without a number), so that one organisation does not see another's activity.
Result<AuditVerification> VerifyAuditChain(store::Store& store, int64_t org_id = 0);

}  // namespace rampart::app

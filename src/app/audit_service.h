// Verification of the audit trail's hash chain.
#pragma once

#include <cstdint>
#include <string>

#include "store/store.h"

namespace rampart::app {

struct AuditVerification {
  bool intact = true;
  int64_t events = 0;         // events checked
  int64_t first_bad_seq = 0;  // the first event that breaks the chain (0 when intact)
  std::string problem;        // what is wrong with it
  std::string head_hash;      // hash of the last event: record it elsewhere to detect truncation
};

// Walks the whole chain: sequence numbers must run 1, 2, 3, ... (a gap is a deleted event), each
// event must name its predecessor's hash, and each stored hash must match the event's content.
Result<AuditVerification> VerifyAuditChain(store::Store& store);

}  // namespace rampart::app

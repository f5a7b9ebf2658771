// Readiness for certification (issue 15): every check of domain::ReadinessChecks run against the
// organisation's records, today or as of an earlier day (reconstructed from the audit trail,
// app::RecordsAsOf), and the daily history of the summary.
//
// A query check is one count (capped at 10,000) and, when it fails, one page of 5 offenders; the
// facts the rules need are read once (the SoA, the ISMS roles and processes, the mandatory
// documentation's inputs, the competence matrix's registers, the active audit programme): the
// statements do not grow with the records. Today's readiness of an organisation is kept in
// memory with the sequence number of the newest audit event about any record it reads: while
// that number and the day stay the same (one statement tells), the readiness is the same and is
// answered from memory; any change of a record, or a new day, assesses afresh.
//
// Errors: kPermissionDenied without records:read; kInvalidArgument naming "as_of" for a day that
// is not a date or is after today; store failures as they come. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/principal.h"
#include "base/clock.h"
#include "domain/readiness.h"
#include "store/store.h"

namespace rampart::app {

struct ReadinessDay {
  std::string day;
  domain::Json summary;  // domain::ReadinessSummaryJson
};

class ReadinessService {
 public:
  ReadinessService(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Today's readiness, or that at the end of `as_of` (YYYY-MM-DD, before today) when given.
  // Today's is kept as the day's history when the day has none yet.
  Result<domain::Readiness> Assess(const Principal& p, const std::string& as_of = "");
  // The days kept over the last `days` days, oldest first.
  Result<std::vector<ReadinessDay>> History(const Principal& p, int days = 90);
  // Keeps today's readiness of every organisation that has none yet (the scheduler in serve);
  // returns how many were kept.
  Result<int> RecordDay();

  std::string Today() const { return FormatDate(clock_.Now()); }

 private:
  Result<domain::Readiness> AssessOrg(int64_t org_id, const std::string& day, bool historical);
  Status Keep(int64_t org_id, const domain::Readiness& r);

  store::Store& store_;
  const Clock& clock_;
  std::mutex mu_;
  std::set<std::pair<int64_t, std::string>> kept_;  // days this process has kept
  struct Latest {
    std::string day;
    int64_t last_change = 0;
    domain::Readiness readiness;
  };
  std::map<int64_t, Latest> latest_;  // today's readiness by organisation
};

}  // namespace rampart::app

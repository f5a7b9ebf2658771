// Clause 7.4 beyond its registers: which communications are overdue
// (domain::IsCommunicationOverdue decides; this reads the last entries). A communication's log
// is a RecordLog (app/record_log.h): CommunicationLogOf().
//
// Errors: kPermissionDenied (the role may not read), store failures as they come. Thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "app/principal.h"
#include "app/record_log.h"
#include "base/clock.h"
#include "domain/support.h"
#include "store/store.h"

namespace rampart::app {

// The communication log as the log of communications.
const RecordLog& CommunicationLogOf();

class CommunicationService {
 public:
  CommunicationService(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // The date of each communication's last log entry, by communication id (those without entries
  // are absent): one GROUP BY statement, whatever the number of communications.
  Result<std::map<int64_t, std::string>> LastEntries(const Principal& p);
  // The ids among `communications` that are overdue today.
  Result<std::vector<int64_t>> Overdue(const Principal& p,
                                       const std::vector<domain::Record>& communications);
  std::string Today() const;

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace rampart::app

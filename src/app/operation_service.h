// Clause 8.1 beyond its registers: suppliers whose certificate has expired, and operational
// activities whose occurrence is missed (domain::CertificateExpiredOn and domain::MissedSince
// decide; this reads what they need for a whole list in one statement). An activity's
// occurrences are a RecordLog (app/record_log.h): OccurrencesOf().
//
// Errors: kPermissionDenied (the role may not read records), store failures as they come.
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "app/principal.h"
#include "app/record_log.h"
#include "base/clock.h"
#include "domain/operation.h"
#include "store/store.h"

namespace rampart::app {

// The activity occurrences as the log of operational activities.
const RecordLog& OccurrencesOf();
// The supplier assessments as the log of suppliers (listed on a supplier's page).
const RecordLog& AssessmentsOf();

// Where an operational activity stands: its last occurrence carried out, when the next is
// expected, and since when it is missed (empty when it is not).
struct ActivitySchedule {
  std::string last;
  std::string next_due;
  std::string missed_since;
};

class OperationService {
 public:
  OperationService(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Each supplier's latest certificate expiry, by supplier id: the greatest "certificate valid
  // until" of its assessments and expiry of the evidence files attached to them. Suppliers
  // without one are absent. One statement.
  Result<std::map<int64_t, std::string>> CertificateExpiries(const Principal& p);
  // The suppliers among `suppliers` whose certificate has expired, by id: the day it expired.
  Result<std::map<int64_t, std::string>> ExpiredCertificates(
      const Principal& p, const std::vector<domain::Record>& suppliers);

  // Every supplier of the organisation whose certificate has expired, with the day it expired,
  // by name. Two statements, whatever the number of suppliers (a page of 500 more for every 500
  // flagged).
  Result<std::vector<std::pair<domain::Record, std::string>>> SuppliersWithExpiredCertificates(
      const Principal& p);

  // The date of each activity's last occurrence carried out (completed, with or without issues;
  // one not performed does not count), by activity id. One statement.
  Result<std::map<int64_t, std::string>> LastOccurrences(const Principal& p);
  // The activities among `activities` whose occurrence is missed today, by id: since when.
  Result<std::map<int64_t, std::string>> Missed(const Principal& p,
                                                const std::vector<domain::Record>& activities);
  // Every active activity whose occurrence is missed, with since when, by title. One statement
  // for the last occurrences and one per 500 active activities.
  Result<std::vector<std::pair<domain::Record, std::string>>> MissedActivities(const Principal& p);
  // One activity's schedule today.
  Result<ActivitySchedule> Schedule(const Principal& p, const domain::Record& activity);

  std::string Today() const;

 private:
  // Every record of `spec` matching `query`'s filters, by its sort, a page of 500 at a time.
  Result<std::vector<domain::Record>> All(const Principal& p, const domain::RegisterSpec& spec,
                                          domain::ListQuery query);

  store::Store& store_;
  const Clock& clock_;
};

}  // namespace rampart::app

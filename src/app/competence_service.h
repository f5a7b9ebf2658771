// Clause 7.2 beyond its registers: the competence matrix of the people holding ISMS roles against
// the competence their roles require, as of the clock's today (domain::ComputeCompetenceMatrix
// computes it; this reads what it needs).
//
// Errors: kPermissionDenied without records:read; store failures as they come. Thread-safe.
#pragma once

#include "app/principal.h"
#include "base/clock.h"
#include "domain/support.h"
#include "store/store.h"

namespace rampart::app {

class CompetenceService {
 public:
  CompetenceService(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Reads the organisation's active ISMS roles, active competence requirements and the planned
  // and completed competence records with one list statement each (per 500 records), whatever
  // the number of people.
  Result<domain::CompetenceMatrix> Matrix(const Principal& p);
  // Today's date in the service's clock (YYYY-MM-DD), the matrix's "as of".
  std::string Today() const;

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace rampart::app

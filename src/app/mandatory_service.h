// Clause 7.5.1 beyond the document registers: what the standard requires to be documented, and
// what in the organisation's records meets each requirement today (domain::
// AssessMandatoryDocumentation decides; this reads what it needs: the published documents
// counted, and read a page of 500 at a time to name them, the approved scope and methodology,
// the SoA's versions and exclusions, and ten counts).
//
// Errors: kPermissionDenied without records:read; store failures as they come. Thread-safe.
#pragma once

#include "app/principal.h"
#include "app/record_source.h"
#include "app/soa_service.h"
#include "base/clock.h"
#include "domain/mandatory_documents.h"
#include "store/store.h"

namespace rampart::app {

// What the assessment reads from the records (the SoA's version and exclusions are the
// caller's): the published documents counted by type, clause and control, the approved scope
// and methodology, and ten counts; with `name_documents`, also the published documents
// themselves, to name what meets each requirement (the page; readiness needs only the counts).
Result<domain::MandatoryInputs> ReadMandatoryInputs(RecordSource& src, bool name_documents);

class MandatoryDocumentsService {
 public:
  MandatoryDocumentsService(store::Store& store, const Clock& clock, SoaService& soa)
      : store_(store), clock_(clock), soa_(soa) {}

  Result<domain::MandatoryAssessment> Assess(const Principal& p);
  // Today's date in the service's clock (YYYY-MM-DD), the assessment's "as of".
  std::string Today() const;

 private:
  store::Store& store_;
  const Clock& clock_;
  SoaService& soa_;
};

}  // namespace rampart::app

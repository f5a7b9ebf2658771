// Control frameworks beside Annex A, and the ISMS in OSCAL (issue 16).
//
// Import: an OSCAL 1.1 catalog (JSON), or a profile with the catalog it imports, which is
// resolved (domain/oscal.h) into the catalog of its selected, tailored controls, becomes one
// framework record and one framework control record per control, in one Store::Write (one audit
// event per record). The built-in ISO/IEC 27001:2013 Annex A framework comes from the shipped
// mapping, each 2013 control already mapped to the 2022 controls it became. People then map a
// framework's controls to Annex A controls and applied controls (the framework controls'
// register); the coverage of each control is derived from those applied controls
// (domain::DeriveFrameworkCoverage). Deleting a framework deletes its controls with it.
//
// Export: a framework written back as an OSCAL catalog (imported again, it gives the same
// controls); Annex A as a catalog and the Statement of Applicability as a profile selecting the
// applicable controls from it; the system security plan (the applied controls behind each SoA
// line) and the plan of action and milestones (open treatment actions and corrective actions).
// Every export is an OSCAL 1.1 JSON document valid against NIST's schemas (tested with ajv).
//
// Permissions: reading needs records:read; importing and adding records:edit (ISMS managers,
// administrators: an import writes many records), deleting what deleting the framework as a
// record needs (also its owner with records:edit-own); changes by someone done setting up their
// account, not with a read-only token. Errors: kPermissionDenied; kNotFound (no such framework in
// the organisation); kInvalidArgument naming "file" or "catalog" (what is wrong with the document,
// with its place in it: "file: controls[12].id: id is required") or "built_in"; kTooLarge naming
// "file" or "catalog" (over kOscalMaxDocumentBytes, or too deep or too many controls);
// kAlreadyExists naming "built_in" (that framework is there already); kPreconditionRequired and
// kConflict for a delete without or with a stale version. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/principal.h"
#include "app/register_service.h"
#include "app/soa_service.h"
#include "base/clock.h"
#include "domain/frameworks.h"
#include "domain/oscal_export.h"
#include "store/store.h"

namespace rampart::app {

struct FrameworkUpload {
  std::string file;       // an OSCAL catalog or profile, JSON
  std::string catalog;    // with a profile: the catalog it imports (JSON); else empty
  std::string file_name;  // as uploaded, named in the description; may be empty
};

// A framework with each of its controls and how far it is met.
struct FrameworkCoverageView {
  domain::Record framework;
  std::vector<domain::Record> controls;  // in the framework's order
  domain::FrameworkCoverage coverage;    // its lines point into `controls`
  FrameworkCoverageView() = default;
  FrameworkCoverageView(FrameworkCoverageView&&) = default;
  FrameworkCoverageView& operator=(FrameworkCoverageView&&) = default;
  FrameworkCoverageView(const FrameworkCoverageView&) = delete;
  FrameworkCoverageView& operator=(const FrameworkCoverageView&) = delete;
};

class FrameworkService {
 public:
  FrameworkService(store::Store& store, const Clock& clock, RegisterService& registers,
                   SoaService& soa)
      : store_(store), clock_(clock), registers_(registers), soa_(soa) {}

  // Imports the catalog, or the profile resolved against `upload.catalog`: the framework as
  // written.
  Result<domain::Record> Import(const Principal& p, const FrameworkUpload& upload);
  // Adds a built-in framework (domain::kIso27001_2013) with its mapping.
  Result<domain::Record> AddBuiltIn(const Principal& p, std::string_view key);
  // Deletes the framework and its controls (one event each), based on the framework's version.
  Status Delete(const Principal& p, int64_t id, std::optional<int64_t> expected_version);
  // The framework, its controls in order and their coverage. Reads four statements whatever
  // the number of controls (a page of 500 controls more per 500).
  Result<FrameworkCoverageView> Coverage(const Principal& p, int64_t id);

  // The framework as an OSCAL catalog (JSON).
  Result<std::string> ExportCatalog(const Principal& p, int64_t id);
  // Annex A of ISO/IEC 27001:2022 as an OSCAL catalog, the Statement of Applicability as a
  // profile of it (the applicable controls), the system security plan and the plan of action
  // and milestones.
  Result<std::string> AnnexACatalog(const Principal& p);
  Result<std::string> SoaProfile(const Principal& p);
  Result<std::string> SystemSecurityPlan(const Principal& p);
  Result<std::string> PlanOfActionAndMilestones(const Principal& p);

 private:
  Status CheckMayChange(const Principal& p);
  // Writes the framework and its controls; `fields` are the framework's.
  Result<domain::Record> Write(const Principal& p, domain::Json fields,
                               const std::vector<domain::Json>& controls);
  Result<std::vector<domain::SoaAppliedControl>> AppliedControls(const Principal& p);
  // What every OSCAL document's metadata says: the organisation, its uuid seed, now.
  domain::OscalExportMeta ExportMeta(const Principal& p) const;

  store::Store& store_;
  const Clock& clock_;
  RegisterService& registers_;
  SoaService& soa_;
};

}  // namespace rampart::app

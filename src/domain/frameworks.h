// Other control frameworks beside Annex A (clause 6.1.3 c compares the necessary controls with
// Annex A; organisations answer to NIST SP 800-53, their own catalogues, or the 2013 edition of
// Annex A as well): the descriptions of their registers, the coverage of a framework's controls
// derived from the organisation's applied controls as the Statement of Applicability derives an
// Annex A control's status, and the shipped mapping of ISO/IEC 27001:2013 Annex A to 2022.
//   frameworks           (Frameworks): one imported catalog or resolved profile (OSCAL), a
//                        built-in framework, or one written by hand; where it came from is
//                        written by its import only (read-only); deleted with its controls
//   framework controls   (FrameworkControls): one control of a framework (id, label, title,
//                        group, the control it enhances, statement, guidance), as imported or
//                        written, and its mapping kept by people: the Annex A controls and the
//                        applied controls that meet it
// Pure domain: no I/O; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/oscal.h"
#include "domain/record.h"
#include "domain/register.h"
#include "domain/soa.h"

namespace rampart::domain {

const RegisterSpec& Frameworks();
const RegisterSpec& FrameworkControls();

// Where a framework came from (its `source`).
inline constexpr std::string_view kFrameworkWritten = "written";
inline constexpr std::string_view kFrameworkFromCatalog = "oscal_catalog";
inline constexpr std::string_view kFrameworkFromProfile = "oscal_profile";
inline constexpr std::string_view kFrameworkBuiltIn = "built_in";
// The built-in frameworks (a framework's `built_in`).
inline constexpr std::string_view kIso27001_2013 = "iso27001-2013";

// How far a framework control is met, from the applied controls linked to it directly or
// through the Annex A controls it maps to:
//   implemented   every linked applied control is implemented (at least one is linked)
//   partial       some are implemented or in progress, not all implemented
//   none          nothing linked, or every linked one planned or not effective
//   withdrawn     the control is withdrawn from its framework: not counted
inline constexpr std::string_view kCoverageImplemented = "implemented";
inline constexpr std::string_view kCoveragePartial = "partial";
inline constexpr std::string_view kCoverageNone = "none";
inline constexpr std::string_view kCoverageWithdrawn = "withdrawn";
// The label of a coverage value ("Implemented", "Partial", "None", "Withdrawn").
std::string CoverageLabel(std::string_view coverage);

// One control of a framework with what meets it.
struct FrameworkCoverageLine {
  const Record* control = nullptr;  // the framework control's record
  // Linked applied controls by name: those the control names and those linked to one of its
  // Annex A controls, each once.
  std::vector<SoaAppliedControl> applied_controls;
  std::string derived_status;  // DeriveSoaStatus of their statuses
  std::string coverage;        // kCoverage...
};

struct FrameworkCoverage {
  std::vector<FrameworkCoverageLine> lines;  // in the order of `controls`
  int64_t implemented = 0;
  int64_t partial = 0;
  int64_t none = 0;
  int64_t withdrawn = 0;
  int64_t unmapped = 0;  // not withdrawn, and naming neither an Annex A nor an applied control
  // Implemented per hundred controls that count (not withdrawn), rounded down; 0 when none count.
  int64_t ImplementedPercent() const;
};

// The coverage of a framework's controls (records of FrameworkControls, which `controls` keeps
// alive while the result is used) from the organisation's applied controls.
FrameworkCoverage DeriveFrameworkCoverage(const std::vector<Record>& controls,
                                          const std::vector<SoaAppliedControl>& applied_controls);
// The coverage of one line from the statuses of its linked applied controls (withdrawn aside).
std::string CoverageOf(const std::vector<std::string>& applied_control_statuses);

// A control as a framework control record's fields: the control's own (control_id, label,
// title, group_id, group_title, parent, withdrawn, statement, guidance, position) and an empty
// mapping (annex_controls, controls, notes); `framework` is left null for the caller.
Json FrameworkControlFields(const OscalControl& control, int64_t position);
// The framework control record's fields as an OSCAL control (for writing the framework back as
// a catalog): statement and guidance as parts holding their text.
OscalControl FrameworkControlAsOscal(const Json& fields);

// ISO/IEC 27001:2013 Annex A mapped to 2022, from data/iso27001/iso27001-2013-to-2022-mapping.csv
// (identifiers and titles, which are facts): the 114 controls of 2013 with the 2022 controls
// each became, in the order of the 2013 annex, and the 2022 controls new in 2022.
struct Iso2013Control {
  std::string id;                       // "5.1.1" (shown as "A.5.1.1")
  std::string title;                    // "Policies for information security"
  std::string group;                    // "A.5 Information security policies"
  std::vector<std::string> annex_2022;  // "5.1"
};
const std::vector<Iso2013Control>& Iso27001_2013Controls();
const std::vector<std::string>& Iso27001_2022NewControls();  // "5.7", "5.23", ...

}  // namespace rampart::domain

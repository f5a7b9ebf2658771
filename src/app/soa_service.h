// The Statement of Applicability (6.1.3 d) as a versioned document: its 93 lines (one per Annex
// A control, with the decision, the status derived from the linked applied controls and the
// linked risks), decisions per control, approval of a version with a snapshot, comparison of
// two versions and the CSV and XLSX exports.
//
// A listing reads three statements whatever the number of controls, applied controls or risks:
// the entries, the applied controls naming Annex A controls and the risks' links to them.
//
// Permissions: reading needs records:read; deciding a control records:edit (ISMS managers,
// administrators); approving documents:approve (executives, administrators). A user who still
// has to change a one-time password or set up a second factor changes nothing.
// Errors: kPermissionDenied; kNotFound (not an Annex A control, no such version);
// kInvalidArgument naming the field (a bad decision, filter, note or version reference);
// kPreconditionRequired (a change without the version it is based on); kConflict (a stale
// version, or a change during approval); kFailedPrecondition (approving while controls are
// undecided). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/principal.h"
#include "app/register_service.h"
#include "domain/soa.h"
#include "store/store.h"

namespace rampart::app {

// Two versions side by side: what changed, control by control.
struct SoaComparison {
  std::string from;  // "3" or "current"
  std::string to;
  std::vector<domain::SoaControlChange> changes;
};

class SoaService {
 public:
  SoaService(store::Store& store, RegisterService& registers)
      : store_(store), registers_(registers) {}

  // The lines in catalogue order that match `filter`.
  Result<std::vector<domain::SoaLine>> List(const Principal& p,
                                            const domain::SoaFilter& filter = {});
  Result<domain::SoaLine> Get(const Principal& p, std::string_view control_id);
  // Decides control `control_id` from JSON input (see domain::SoaEntryFromInput), based on
  // version `expected_version` of its entry (0 for a control never decided). `errors`, when
  // given, receives every field problem; the result then names the first.
  Result<domain::SoaLine> Update(const Principal& p, std::string_view control_id,
                                 std::optional<int64_t> expected_version, const domain::Json& input,
                                 std::vector<domain::FieldError>* errors = nullptr);
  // Approves the statement as it is now: a new version with a snapshot of every line, approved
  // by the caller with an optional note (at most 2,000 characters). Every control must be
  // decided first.
  Result<domain::SoaVersion> Approve(const Principal& p, const std::string& note);
  // Approved versions, newest first (without snapshots).
  Result<std::vector<domain::SoaVersion>> Versions(const Principal& p);
  Result<domain::SoaVersion> Version(const Principal& p, int64_t number);
  // `from` and `to` are version numbers or "current" (the statement as it is now).
  Result<SoaComparison> Compare(const Principal& p, std::string_view from, std::string_view to);

  // Every line with every column (domain::SoaExportHeader): CSV (RFC 4180, formulas
  // neutralised) and XLSX.
  Result<std::string> ExportCsv(const Principal& p);
  Result<std::string> ExportXlsx(const Principal& p);

 private:
  Result<std::vector<domain::SoaLine>> Lines(const Principal& p,
                                             const std::vector<domain::SoaEntry>& entries);
  Result<domain::Json> Snapshot(const Principal& p, std::string_view ref, const char* field);

  store::Store& store_;
  RegisterService& registers_;
};

}  // namespace rampart::app

// The Statement of Applicability (6.1.3 d) as a versioned document: its 93 lines (one per Annex
// A control, with the decision, the status derived from the linked applied controls and the
// linked risks), decisions per control, approval of a version with a snapshot, comparison of
// two versions and the CSV and XLSX exports.
//
// A listing names at most kListedRisks of each line's risks and counts the rest; a line read on
// its own (Get), an export, an approved version and a comparison name them all. What the lines
// link to is derived from every risk link of the organisation (100,000 risks have some 150,000),
// so a listing keeps it per organisation (Store::LastChange tells when a risk or applied control
// changed, through any instance). After a change it applies the audit events since to what it
// kept: the changed risks' lists of applied controls move them in and out of the Annex A
// controls' counts. It derives everything again when an applied control's Annex A controls
// changed or too much changed. A listing reads two statements when nothing changed (the last
// change, the entries), three or a few more after a change (plus the events; the applied
// controls too when one of them changed; each line keeps its first kKeptRisks risks, and one
// left with fewer than it names re-reads its links), four when deriving again (the applied
// controls and every risk link).
// Whatever the number of controls or risks. Listings that arrive together when the links are
// out of date bring them up to date once (the others wait for it).
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

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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

  // A listing names this many of a line's risks at most (the lowest ids).
  static constexpr size_t kListedRisks = 5;

  // The lines in catalogue order that match `filter`, each naming at most kListedRisks risks.
  Result<std::vector<domain::SoaLine>> List(const Principal& p,
                                            const domain::SoaFilter& filter = {});
  Result<domain::SoaLine> Get(const Principal& p, std::string_view control_id);
  // Decides control `control_id` from JSON input (see domain::SoaEntryFromInput), based on
  // version `expected_version` of its entry (0 for a control never decided). `errors`, when
  // given, receives every field problem; the result then names the first.
  Result<domain::SoaLine> Update(const Principal& p, std::string_view control_id,
                                 std::optional<int64_t> expected_version, const domain::Json& input,
                                 std::vector<domain::FieldError>* errors = nullptr);
  // A control of a decision taken for several: its id and the version of its entry the
  // decision is based on (0 while undecided).
  struct ControlVersion {
    std::string control_id;
    int64_t version = 0;
  };
  // Decides every control of `controls` alike from JSON input {applicable, reasons,
  // justification} (the rules of one entry; a status override is decided control by control:
  // each keeps its own, and an excluded control cannot have one). All or nothing: a problem of
  // the input names its field; of a control (unknown, named twice, stale, overridden yet
  // excluded) names "controls" and the control. Returns the lines of the decided controls in
  // catalogue order.
  Result<std::vector<domain::SoaLine>> DecideMany(
      const Principal& p, const std::vector<ControlVersion>& controls, const domain::Json& input,
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
  // Every line in catalogue order, each with all of its risks.
  Result<std::vector<domain::SoaLine>> Lines(const Principal& p);

 private:
  // What is kept of each line names its first risks up to this many: a line whose named risks
  // are moved away reads its links again only once fewer than kListedRisks of them are left.
  static constexpr size_t kKeptRisks = 25;
  using Links = std::map<std::string, domain::SoaLinks, std::less<>>;
  // Every line with every linked risk.
  Result<std::vector<domain::SoaLine>> AllLines(const Principal& p,
                                                const std::vector<domain::SoaEntry>& entries);
  // What the organisation's Annex A controls link to, as a listing shows it: kept per
  // organisation, brought up to date from the changes since (or derived again).
  Result<std::shared_ptr<const Links>> ListedLinks(int64_t org_id);
  // `kept` (current at audit event `since`) with the changes after it applied, and the last
  // change applied; nothing when they are too many or change which Annex A controls an applied
  // control names (then derive again).
  Result<std::optional<std::pair<Links, int64_t>>> UpdateLinks(int64_t org_id, const Links& kept,
                                                               int64_t since);
  Result<domain::Json> Snapshot(const Principal& p, std::string_view ref, const char* field);

  store::Store& store_;
  RegisterService& registers_;

  struct KeptLinks {
    int64_t last_change = 0;  // Store::LastChange when they were derived
    std::shared_ptr<const Links> links;
  };
  std::mutex mu_;
  std::unordered_map<int64_t, KeptLinks> kept_;  // by organisation
  // Held while an organisation's links are brought up to date (ListedLinks), with the last links
  // read under it: at least as new as `mark` (the mark of the listing that read them).
  struct Gate {
    std::mutex mu;
    int64_t mark = -1;
    std::shared_ptr<const Links> links;
  };
  std::unordered_map<int64_t, std::shared_ptr<Gate>> gates_;
};

}  // namespace rampart::app

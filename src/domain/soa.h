// The Statement of Applicability (ISO/IEC 27001:2022, 6.1.3 d): one line per Annex A control of
// the shipped catalogue, saying whether it is applicable and why (or why not), how far it is
// implemented and which applied controls and risks it is linked to. Pure domain: the rules of an
// entry, the status derived from the linked applied controls, the lines of the statement, the
// comparison of two versions and the columns of its exports. No I/O; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "domain/annex_a.h"
#include "domain/record.h"

namespace rampart::domain {

struct SoaChoice {
  std::string_view value;
  std::string_view label;
};

// Reasons for including a control: risk_treatment, legal_regulatory, contractual,
// business_best_practice (in this order).
std::span<const SoaChoice> SoaReasons();
// Implementation statuses, derived or given as an override: not_implemented, planned,
// in_progress, partially_implemented, implemented, not_effective.
std::span<const SoaChoice> SoaStatuses();
// The label of a reason or status value; the value itself when unknown.
std::string SoaReasonLabel(std::string_view value);
std::string SoaStatusLabel(std::string_view value);

inline constexpr size_t kSoaMaxJustification = 4000;  // code points
inline constexpr size_t kSoaMaxOverrideReason = 2000;

// What the organisation decided for one Annex A control. An entry never written is undecided
// (`applicable` empty, version 0).
struct SoaEntry {
  std::string control_id;  // "5.1"
  int64_t id = 0;          // storage id, the audit trail's record id; 0 until first written
  int64_t version = 0;     // 0: never written
  std::optional<bool> applicable;
  std::vector<std::string> reasons;  // in SoaReasons() order, no duplicates
  std::string justification;
  std::string status_override;  // empty: the derived status stands
  std::string override_reason;
  std::string updated_at;  // UTC ISO 8601; empty until first written
  int64_t updated_by = 0;
};

// The decision from a change's JSON input {applicable, reasons, justification, status_override,
// override_reason} (other members, such as the derived ones of a GET, are ignored). Texts are
// trimmed, reasons put in canonical order; an override reason without an override is dropped.
// `errors` receives every problem (ValidateSoaEntry's and malformed values), each naming its
// field; the result is then unusable.
SoaEntry SoaEntryFromInput(std::string control_id, const Json& input,
                           std::vector<FieldError>& errors);

// The rules of a decided entry:
//   applicable   must be decided                                       -> "applicable"
//   included     needs at least one reason (text optional)             -> "reasons"
//   excluded     needs justification text, and gives no reasons         -> "justification",
//                                                                         "reasons"
//                cannot override an implementation status              -> "status_override"
//   override     must be a known status and needs a reason             -> "status_override",
//                                                                         "override_reason"
// plus known reasons and text lengths.
std::vector<FieldError> ValidateSoaEntry(const SoaEntry& e);

// The implementation status of an Annex A control from the statuses of the applied controls
// linked to it (planned, in_progress, implemented, not_effective):
//   none linked                          -> not_implemented
//   any not_effective                    -> not_effective
//   all implemented                      -> implemented
//   some (not all) implemented           -> partially_implemented
//   none implemented, any in_progress    -> in_progress
//   all planned                          -> planned
// An unknown status counts as planned.
std::string DeriveSoaStatus(const std::vector<std::string>& applied_control_statuses);

// An applied control as the SoA links it: to every Annex A control in its annex_controls.
struct SoaAppliedControl {
  int64_t id = 0;
  std::string name;
  std::string status;
  std::vector<std::string> annex_controls;
};

// One line of the statement.
struct SoaLine {
  const AnnexAControl* control = nullptr;
  SoaEntry entry;
  std::vector<SoaAppliedControl> applied_controls;  // linked, by name
  // Risks treated by a linked applied control, ascending: all of them, or the first few in a
  // listing (risk_count counts them all).
  std::vector<int64_t> risks;
  int64_t risk_count = 0;
  std::string derived_status;

  // The override when there is one, else the derived status.
  const std::string& Status() const {
    return entry.status_override.empty() ? derived_status : entry.status_override;
  }
};

// What an Annex A control is linked to: its applied controls (by name), the risks they treat
// (how many, and the ids of the first `keep` ascending) and the status derived from them.
struct SoaLinks {
  std::vector<SoaAppliedControl> applied_controls;
  std::vector<int64_t> risks;
  int64_t risk_count = 0;
  std::string derived_status;
};
// Per Annex A control id, from the organisation's applied controls and its risk links as (risk
// id, applied control id) in any order. Controls linked to nothing are left out.
std::map<std::string, SoaLinks, std::less<>> LinkSoaControls(
    const std::vector<SoaAppliedControl>& applied_controls,
    const std::vector<std::pair<int64_t, int64_t>>& risk_links,
    size_t keep = std::numeric_limits<size_t>::max());

// The 93 lines in catalogue order from the stored entries (of one organisation; controls
// without an entry are undecided) and what each control is linked to.
std::vector<SoaLine> BuildSoaLines(const std::vector<SoaEntry>& entries,
                                   const std::map<std::string, SoaLinks, std::less<>>& links);
// The same with every linked risk listed.
std::vector<SoaLine> BuildSoaLines(const std::vector<SoaEntry>& entries,
                                   const std::vector<SoaAppliedControl>& applied_controls,
                                   const std::vector<std::pair<int64_t, int64_t>>& risk_links);

// A line as JSON: control_id, title, theme, attributes, applicable (null when undecided),
// reasons, justification, status, derived_status, status_override, override_reason,
// applied_controls [{id, name, status}], risks [ids], risk_count, version, updated_at,
// updated_by. The API's representation and a version's snapshot row.
Json SoaLineJson(const SoaLine& line);

// Which lines a listing shows. Empty members do not filter.
struct SoaFilter {
  std::string theme;       // "Organizational", ...
  std::string attribute;   // an ISO/IEC 27002 attribute value, with or without '#'
  std::string applicable;  // "yes", "no" or "undecided"
};
// kInvalidArgument naming "theme", "attribute" or "applicable" for a value that is not one.
Status CheckSoaFilter(const SoaFilter& f);
bool SoaLineMatches(const SoaLine& line, const SoaFilter& f);

// An approved version of the statement: its number (1, 2, ... per organisation), who approved it
// and when, and the lines as they were (a JSON array of SoaLineJson).
struct SoaVersion {
  int64_t id = 0;
  int64_t number = 0;
  int64_t approved_by = 0;
  std::string approver;  // display name at approval
  std::string approved_at;
  std::string note;
  Json snapshot;  // null in listings
};

// What changed for one control between two versions: for each changed field its value before
// and after. Fields compared: applicable, reasons, justification, status, status_override,
// override_reason, applied_controls (their ids), risks.
struct SoaFieldChange {
  std::string field;
  Json from;
  Json to;
};
struct SoaControlChange {
  std::string control_id;
  std::string title;
  std::vector<SoaFieldChange> changes;
};
// The changed controls in catalogue order between two snapshots (arrays of SoaLineJson); a
// control missing from a snapshot compares as undecided.
std::vector<SoaControlChange> CompareSoa(const Json& from, const Json& to);

// The export: a header row and, per line, every column (control, title, theme, the five
// attribute columns, applicable, reasons, justification, status, derived status, override,
// override reason, applied controls, risks).
const std::vector<std::string>& SoaExportHeader();
std::vector<std::string> SoaExportRow(const SoaLine& line);

}  // namespace rampart::domain

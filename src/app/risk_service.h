// Risk assessment and treatment (6.1.2, 6.1.3, 8.2, 8.3) beyond what every register does:
// - the methodology in force (the approved version, or the built-in default until one is) and
//   its approval (app/version_service), which re-evaluates every risk's levels in the same write,
//   one audit event per risk whose level changed;
// - the risk write hook: levels computed from the methodology (ratings outside its scales are
//   refused), next review defaulting from the reassessment interval, a current acceptance made
//   stale by a change to ratings, controls or treatment;
// - acceptance of residual risk by the owner or a role the acceptance criteria allow, with a
//   frozen snapshot of the risk as accepted;
// - assessment cycles: reviews recorded against a risk, the cycle closed with a summary;
// - heat maps and the treatment plan.
// Errors as RegisterService.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/register_service.h"
#include "domain/risk_methodology.h"

namespace rampart::app {

struct MethodologyInForce {
  domain::RiskMethodology methodology;
  std::optional<domain::Record> record;  // empty: the built-in default, nothing approved yet
};

struct HeatMap {
  domain::RiskMethodology methodology;
  // counts[l][i]: risks rated likelihood l+1 and impact i+1.
  std::vector<std::vector<int64_t>> counts;
  int64_t unrated = 0;  // matching risks without these ratings
};

struct AcceptanceInput {
  std::string decision = "accepted";  // accepted | rejected
  std::string comment;
};

// One row of the treatment plan: a risk that needs treatment and one of its actions (a risk
// without actions has one row with an empty action).
struct TreatmentRow {
  domain::Record risk;
  domain::Json action;  // null when the risk has no actions
  bool overdue = false;
};

// A page of the treatment plan: the rows of a page of the risks that need treatment (a risk
// gives one row per action, so a page of 50 risks may hold more than 50 rows).
struct TreatmentPlanPage {
  std::vector<TreatmentRow> rows;
  std::string next_cursor;       // the page of risks after this one; empty on the last
  std::string prev_cursor;       // the one before; empty on the first
  std::optional<int64_t> risks;  // with the query's with_total: how many risks the plan holds
  bool risks_capped = false;     // more than `risks` (the query's total_limit reached)
};

// Narrows `query` to the risks the treatment plan holds (domain::NeedsTreatment as filters):
// analysed, treatment planned or treated, with a treatment option other than retain or none
// chosen yet. The query's own filters stay (a status filter then picks among those three).
void NarrowToTreatmentPlan(domain::ListQuery& query);

class RiskService {
 public:
  RiskService(store::Store& store, const Clock& clock, RegisterService& registers);

  Result<MethodologyInForce> Methodology(const Principal& p);
  // The methodology's addition to its approval (VersionService::OnApprove): every risk's levels
  // recomputed under the approved fields, one mutation per risk whose fields change.
  Status ReevaluateOnApproval(const Principal& p, const domain::Json& approved_fields,
                              std::vector<store::Mutation>& mutations);

  // A planned change's addition to its write (RegisterService::SetCompanionHook): once it is
  // approved (or later) with a date to reassess its risks by, each affected risk that is not
  // closed and whose next review is later or unset gets that date as its next review, one
  // mutation per risk; only when the change is first approved or its risks or date changed.
  // Reads each affected risk (one statement per risk the change names).
  Status ReviewRisksBeforeChange(const Principal& p, const domain::Json& change,
                                 const domain::Json* before,
                                 std::vector<store::Mutation>& mutations);

  // Records the decision on risk `id`'s residual risk. kPermissionDenied when neither the risk
  // owner (for a level the owner may accept) nor a role the criteria name for the level;
  // kInvalidArgument when the risk is not ready (with the field).
  Result<domain::Record> Accept(const Principal& p, int64_t id,
                                std::optional<int64_t> expected_version,
                                const AcceptanceInput& input);

  // Whether `p` may decide on the acceptance of `risk` as it stands: the rule Accept applies
  // beyond the request itself, for pages to offer the decision only to those who may take it.
  // kOk; kInvalidArgument (naming the field) while the risk is not ready for a decision;
  // kPermissionDenied naming who may decide at the risk's level (or a pending account set-up, a
  // read-only token). Reads the methodology in force (one statement).
  Status CheckMayDecide(const Principal& p, const domain::Record& risk);

  // Sets the status of treatment action `row` (its place in the risk's actions, from 0) of risk
  // `risk_id`, and nothing else; the change is an update of the risk like any other (the same
  // write hook, a new version, an audit event with the diff). Allowed to whoever may change the
  // risk, and to a member holding records:edit-own whom the action names as its owner.
  // Errors: kNotFound (no such risk, or no such row: field "row"), kPermissionDenied,
  // kPreconditionRequired (no version), kConflict (stale version), kInvalidArgument (an unknown
  // status: field "status").
  Result<domain::Record> UpdateTreatmentActionStatus(const Principal& p, int64_t risk_id,
                                                     int64_t row,
                                                     std::optional<int64_t> expected_version,
                                                     const std::string& status);
  // The permission part of UpdateTreatmentActionStatus for a risk already read (reads nothing):
  // kOk, kNotFound (no such row) or kPermissionDenied.
  static Status CheckMayUpdateActionStatus(const Principal& p, const domain::Record& risk,
                                           int64_t row);

  // Records that risk `risk_id` was reviewed in open cycle `cycle_id`, with what changed: the
  // cycle gains a row, the risk its last-assessed date and next review.
  Result<domain::Record> RecordReview(const Principal& p, int64_t cycle_id, int64_t risk_id,
                                      const std::string& changes);
  // Closes an open cycle; the summary is required.
  Result<domain::Record> CloseCycle(const Principal& p, int64_t cycle_id,
                                    std::optional<int64_t> expected_version,
                                    const std::string& summary);

  // Adds the shipped catalogue's entries (threats or vulnerabilities, by `spec`) that the
  // organisation does not have yet (by reference), in one write; returns how many were added.
  Result<int> LoadCatalogue(const Principal& p, const domain::RegisterSpec& spec);

  // Counts of risks per (likelihood, impact), inherent or residual, among those matching
  // `query`'s filters and search. Two statements; without filters or search the counts come
  // from those the store keeps per organisation instead of counting the risks.
  Result<HeatMap> Heat(const Principal& p, bool residual, const domain::ListQuery& query);
  // A page of the treatment plan: the risks that need treatment among those `query` selects
  // (its filters, search and sort — the plan is usually by `number`; its cursor and limit count
  // risks), each with its actions, overdue as of today. One statement (two with a total).
  // kInvalidArgument for a bad filter, sort or cursor (naming it).
  Result<TreatmentPlanPage> TreatmentPlan(const Principal& p, domain::ListQuery query);
  // The treatment plan of `query` (its cursor and limit aside) as a file, one row per action
  // with people by user name: `format` is csv or xlsx (kInvalidArgument naming "format"
  // otherwise). Written a page of risks at a time (app/sheet_writer.h): only a page of risks
  // is held, besides the file.
  Result<std::string> ExportTreatmentPlan(const Principal& p, std::string_view format,
                                          domain::ListQuery query);
  // The plan's cells (the export's header and one row per action) of `risks`, as they were on
  // an earlier day (those of them that needed treatment, in the order given), overdue as of
  // `day`: the report of the plan.
  Result<ExportSheet> TreatmentPlanSheet(const Principal& p, std::vector<domain::Record> risks,
                                         const std::string& day);

 private:
  Status OnRiskWrite(const Principal& p, domain::Json& fields, const domain::Json* before,
                     std::vector<domain::FieldError>& errors);
  Result<MethodologyInForce> InForce(int64_t org_id);
  // The plan's rows as a sheet: a header of column names (risk_number, risk, ...) and one row
  // per action, people by the user names of `members`.
  static ExportSheet SheetOfPlan(const std::vector<TreatmentRow>& plan,
                                 const std::vector<domain::UserSummary>& members);

  store::Store& store_;
  const Clock& clock_;
  RegisterService& registers_;
};

// The risk's fields with its levels under `m` and their ranks (`<level>_rank`: the level's place
// in m.levels, lowest 0, which lists sort by); false when a rating is outside m's scales, with
// the error naming the field and the range ("likelihood is from 1 to 5 under the approved
// methodology"; `methodology` names m).
bool ComputeLevels(const domain::RiskMethodology& m, domain::Json& fields,
                   std::vector<domain::FieldError>& errors,
                   std::string_view methodology = "the methodology");

// "the approved methodology", or the default's name when none is approved.
std::string MethodologyName(const MethodologyInForce& m);
// A rating field's range under `m`: "likelihood is from 1 to 5 under the approved methodology".
std::string RatingRange(const domain::RiskMethodology& m, std::string_view field,
                        std::string_view methodology);

}  // namespace rampart::app

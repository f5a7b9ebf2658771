// Readiness for certification (issue 15), computed from the records: a registry of checks over
// clauses 4 to 10 and the Statement of Applicability, each described once — what must be true,
// the clause or Annex A control, its severity, what it looks at and how to fix it.
//
// Most checks are queries: a register, conditions on its fields (resolved to store filters for
// the day assessed), and whether no record may match (risks without an owner) or at least one
// must (an approved ISMS scope). The others are rules over facts read once (the SoA's lines, the
// ISMS roles, the mandatory documentation, the competence matrix, the audit programme's
// coverage). A clause's conformity is the share of its checks passed weighted by severity
// (blocker 5, major 3, minor 1). Pure: the use case (app::ReadinessService) reads, this decides.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/audit.h"
#include "domain/evidence.h"
#include "domain/internal_audit.h"
#include "domain/mandatory_documents.h"
#include "domain/record.h"
#include "domain/register.h"
#include "domain/register_query.h"
#include "domain/soa.h"
#include "domain/support.h"

namespace rampart::domain {

enum class Severity { kBlocker, kMajor, kMinor };
std::string_view SeverityName(Severity s);  // "blocker", "major", "minor"
int SeverityWeight(Severity s);             // 5, 3, 1

// A day relative to the day assessed, for date conditions.
enum class Day {
  kNone,        // the condition's own value
  kToday,       // the day assessed
  kYearAgo,     // 12 months before it
  kQuarterAgo,  // 3 months before it
  kMonthAgo,    // 30 days before it
};

// One condition of a query check on a field of its register.
struct Condition {
  std::string field;
  Json value;  // with kEquals: equality (null: empty; an array: any of its values)
  Filter::Match match = Filter::Match::kEquals;
  Day day = Day::kNone;  // with kBefore / kOnOrAfter: the day compared with
  // The value is the register's states that are not closed (its lifecycle's `closed`).
  bool open = false;
  // The value is the risk levels of the methodology in force that may not be retained.
  bool levels_to_treat = false;
  // The value is the published information security policies (their ids).
  bool isms_policies = false;
};

enum class Expect {
  kNone,  // no record may match: each one that does is an offender
  kSome,  // at least one record must match
  kRule,  // decided by a rule over the facts
};

enum class Rule {
  kNone,
  kSoaDecided,            // every Annex A control decided
  kSoaApproved,           // an approved version of the SoA
  kSoaCurrent,            // the latest approved version is newer than the last change to risks
  kSoaCovered,            // every applicable control has an applied control
  kSoaEffective,          // no applicable control is not effective
  kSoaImplemented,        // every applicable control is implemented
  kRolesHeld,             // every active ISMS role has a holder
  kTopManagement,         // a top-management role is held
  kRaci,                  // every active ISMS process has an accountable role
  kMandatoryMet,          // every mandatory documented information is met
  kMandatoryInDate,       // none is met only by documents past their review
  kCompetenceGaps,        // no competence is missing without a planned action
  kAuditCoverage,         // the active audit programme covers every clause
  kObjectiveTargets,      // every planned or ongoing objective has a target value
  kChangesReassessed,     // approved changes' risks reassessed by the date set
  kAssessmentCycle,       // a risk assessment cycle closed within the last 12 months
  kCommunicationsMade,    // no active communication is overdue
  kActivitiesPerformed,   // no active operational activity is missed
  kEvidenceCurrent,       // no implemented control has only expired evidence
  kSupplierCertificates,  // no active supplier's certificate has expired
};

struct ReadinessCheck {
  std::string id;      // stable: "6.1.3-soa-approved"
  std::string clause;  // "6.1.3", or an Annex A control "A.5.19"
  Severity severity = Severity::kMajor;
  std::string title;                   // what must be true
  std::string looks_at;                // what the check reads
  std::string fix;                     // what to do when it fails
  std::string fix_href;                // where that is done
  const RegisterSpec* spec = nullptr;  // query checks: the register
  std::vector<Condition> where;
  Expect expect = Expect::kNone;
  Rule rule = Rule::kNone;
};

// Every check, in the order of the standard.
const std::vector<ReadinessCheck>& ReadinessChecks();
const ReadinessCheck* FindReadinessCheck(std::string_view id);

// The group a check counts in: the top-level clause ("4" ... "10") or "A" for Annex A.
std::string ReadinessGroup(const ReadinessCheck& c);
struct ReadinessGroupTitle {
  std::string id;  // "4" ... "10", "A"
  std::string title;
};
const std::vector<ReadinessGroupTitle>& ReadinessGroups();

// What the rules read, as of the day assessed.
struct ReadinessFacts {
  std::string day;                           // the day assessed
  std::vector<std::string> levels_to_treat;  // risk levels that may not be retained
  std::vector<SoaLine> soa;                  // the 93 lines
  int64_t soa_version = 0;                   // the latest approved version's number; 0: none
  std::string soa_approved_at;
  std::string last_risk_change;   // when a risk was last changed (UTC, ISO 8601); empty: never
  std::vector<Record> roles;      // the ISMS roles
  std::vector<Record> processes;  // the ISMS processes
  MandatoryAssessment mandatory;
  CompetenceMatrix competence;
  std::map<int64_t, std::string> people;  // the members' names, by user id
  std::vector<Record> objectives;         // planned or in progress
  std::vector<Record> changes;            // planned changes approved or in progress
  std::vector<Record> cycles;             // risk assessment cycles closed
  std::vector<int64_t> isms_policies;     // published information security policies
  // Active communications, and the day of each one's last log entry (by id).
  std::vector<Record> communications;
  std::map<int64_t, std::string> last_communicated;
  // Active operational activities, and the day each was last carried out (by id).
  std::vector<Record> activities;
  std::map<int64_t, std::string> last_performed;
  // Active suppliers, and the latest certificate expiry their assessments record (by id).
  std::vector<Record> suppliers;
  std::map<int64_t, std::string> certificates_expire;
  // Implemented applied controls, and the evidence files attached to them (by control id).
  std::vector<Record> implemented_controls;
  std::map<int64_t, EvidenceExpiry> control_evidence;
  // The programme active on the day (the latest by number) and its coverage; id 0: none.
  int64_t programme_id = 0;
  std::string programme_title;
  AuditCoverage coverage;
};

// The store filters of a query check's conditions on `day` (YYYY-MM-DD).
std::vector<Filter> ReadinessFilters(const ReadinessCheck& c, const ReadinessFacts& facts,
                                     std::string_view day);
// The order a failing query check names its offenders in: by the date of its first "before"
// condition when that field is sortable (the most overdue first), else by id.
std::string OffenderOrder(const ReadinessCheck& c);
// Whether a record's fields match `filters` as the store's List would (equality, empty, any of,
// a list holding an id, a date before or on or after).
bool MatchesFilters(const RegisterSpec& spec, const std::vector<Filter>& filters,
                    const Json& fields);

// A record that makes a check fail: a register's record (type and id) or an Annex A control
// (type "soa", key its id).
struct Offender {
  std::string type;
  int64_t id = 0;
  std::string key;
  std::string title;
};
inline constexpr int kReadinessOffenders = 5;
// Where an offender is shown in the app: the record's page, the SoA's line, the requirement on
// the mandatory documentation page, the competence matrix, the programme's coverage.
std::string OffenderHref(const Offender& o);

struct CheckResult {
  const ReadinessCheck* check = nullptr;
  bool passed = false;
  int64_t count = 0;  // the offenders in all (kNone and rules), or the records found (kSome)
  bool count_capped = false;        // more offenders than `count` says
  std::vector<Offender> offenders;  // the first kReadinessOffenders
  std::string detail;               // a failure in words: "3 risks have no owner"
};

// A query check's result from what the store found.
CheckResult QueryResult(const ReadinessCheck& c, int64_t count, bool capped,
                        std::vector<Offender> offenders);
// A rule check's result.
CheckResult EvaluateRule(const ReadinessCheck& c, const ReadinessFacts& facts);

struct GroupReadiness {
  std::string id;  // "4" ... "10", "A"
  std::string title;
  int checks = 0, passed = 0;
  int weight = 0, weight_passed = 0;
  int blockers = 0, majors = 0, minors = 0;  // failed checks by severity
  int Percent() const { return weight == 0 ? 100 : weight_passed * 100 / weight; }
};

struct Readiness {
  std::string as_of;                 // the day described
  bool historical = false;           // reconstructed from the audit trail
  std::vector<CheckResult> results;  // in registry order
  std::vector<GroupReadiness> groups;
  int blockers = 0, majors = 0, minors = 0, passed = 0;
  int weight = 0, weight_passed = 0;
  int Percent() const { return weight == 0 ? 100 : weight_passed * 100 / weight; }
};
Readiness SummariseReadiness(std::string as_of, std::vector<CheckResult> results);

// The day's summary as kept in the history: {"percent", "blockers", "majors", "minors",
// "groups": {"4": percent, ...}}.
Json ReadinessSummaryJson(const Readiness& r);

// The guided path of a first certification: the stages a consultant walks, in order, each done
// when its checks pass; the last two when no blocker (stage 1), and no blocker or major (stage
// 2), is outstanding.
struct GuidedStage {
  std::string id;                    // "context"
  std::string title;                 // "Context and scope"
  std::string what;                  // what the stage is about, one sentence
  std::vector<std::string> checks;   // readiness check ids; empty for the certification stages
  std::optional<Severity> clear_to;  // certification stages: nothing outstanding up to this
};
const std::vector<GuidedStage>& GuidedStages();

struct StageProgress {
  const GuidedStage* stage = nullptr;
  int checks = 0, passed = 0;
  bool done = false;
  std::vector<const CheckResult*> failed;  // in registry order, blockers first
};
// Each stage's progress in the readiness `r`.
std::vector<StageProgress> GuidedProgress(const Readiness& r);

// The choices of the guided setup of a new organisation.
struct SetupChoice {
  std::string value, label;
};
const std::vector<SetupChoice>& OrganisationSizes();    // "1-10" ... "1001+"
const std::vector<SetupChoice>& OrganisationSectors();  // "finance", "health", ...

// The fields a record had before a run of changes, from its fields now (nullopt: deleted since)
// and the audit events about it since, newest first: each event's diff undone ("from" put back).
// For a record that existed before them (the caller knows: its creation is not among them).
Json FieldsBefore(const std::optional<Json>& now,
                  const std::vector<const AuditEvent*>& since_newest_first);

}  // namespace rampart::domain

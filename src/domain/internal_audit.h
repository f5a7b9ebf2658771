// Clause 9.2, internal audit: the descriptions and rules of its registers.
//   audit programmes  the programme over a period (often three years): objectives, owner, and
//                     the audits planned in it, whose scopes together should cover clauses 4 to
//                     10 and every applicable Annex A control (ComputeAuditCoverage)
//   internal audits   one audit of a programme: its scope (clauses, Annex A controls, ISMS
//                     processes, sites), criteria, lead auditor and team, planned and actual
//                     dates, checklist and report; planned -> in progress -> reported -> closed
//   audit findings    what an audit found (major or minor nonconformity, observation,
//                     opportunity for improvement) against a clause or control; a nonconformity
//                     finding raises a record of the nonconformities register (clause 10.2)
//
// Auditors are objective and impartial: app::InternalAuditService refuses an auditor who owns
// records in the audit's scope unless an override is recorded with its reason (the rule here
// only asks for the reason). Written with audits:write (auditors, administrators); the
// nonconformity a finding raises is written by that use case. Pure domain; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domain/register.h"

namespace rampart::domain {

const RegisterSpec& AuditProgrammes();
const RegisterSpec& InternalAudits();
const RegisterSpec& AuditFindings();

// An internal audit's states, in order.
inline constexpr std::string_view kAuditPlanned = "planned";
inline constexpr std::string_view kAuditInProgress = "in_progress";
inline constexpr std::string_view kAuditReported = "reported";
inline constexpr std::string_view kAuditClosed = "closed";

// The finding types that are nonconformities, and so raise a nonconformity record.
inline constexpr std::string_view kFindingMajor = "major_nonconformity";
inline constexpr std::string_view kFindingMinor = "minor_nonconformity";
// True for a major or minor nonconformity.
bool IsNonconformityFinding(const Json& finding_fields);

// The texts of list field `field` of `r` (an audit's or a document's clauses or Annex A
// controls), in order; none when it is empty.
std::vector<std::string> TextsOf(const Json& r, std::string_view field);
// True when clause `clause` is `scope` or below it ("9.2.1" within "9" and "9.2").
bool ClauseWithin(std::string_view clause, std::string_view scope);

// The people auditing an audit: its lead auditor and its team's members, each once, by id.
std::vector<int64_t> AuditorsOf(const Json& audit_fields);

// What a programme's audits cover. Rows: the clauses 4 ... 10.2 (IsoClauses order) and the
// applicable Annex A controls (catalogue order); columns: the audits. A clause is covered by an
// audit naming it or a clause above it (an audit of "9" covers 9.1, 9.2, 9.2.1, ...).
struct CoverageRow {
  std::string kind;  // "clause" or "control"
  std::string id;    // "9.2", "5.15"
  std::string title;
  // A clause with clauses below it (9, 9.2): a heading, covered only when named itself (or a
  // clause above it), and not counted as uncovered, since its sub-clauses are.
  bool heading = false;
  std::vector<int64_t> audits;  // ids of the audits covering it, in column order
};
struct AuditCoverage {
  struct Column {
    int64_t id = 0;
    std::string title;
    std::string status;
    std::string planned_start;
  };
  std::vector<Column> audits;
  std::vector<CoverageRow> rows;
  int uncovered_clauses = 0;
  int uncovered_controls = 0;
  int undecided_controls = 0;  // Annex A controls the SoA has not decided yet (not rows)
};
// `audits`: the programme's audits (id and fields) in the order of their columns;
// `applicable_controls`: the Annex A controls the SoA includes; `undecided`: how many it has
// not decided.
struct AuditColumnInput {
  int64_t id = 0;
  const Json* fields = nullptr;
};
AuditCoverage ComputeAuditCoverage(const std::vector<AuditColumnInput>& audits,
                                   const std::vector<std::string>& applicable_controls,
                                   int undecided);

}  // namespace rampart::domain

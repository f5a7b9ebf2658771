// Internal audit (clause 9.2) beyond its registers: the impartiality of an audit's auditors, the
// nonconformity a nonconformity finding raises, a programme's audits and their coverage, and an
// audit's findings.
//
// Impartiality. An auditor (the lead auditor or a member of the team) does not audit their own
// work. An auditor is not impartial for an audit when they are the owner of
//   1. an applied control implementing one of the audit's Annex A controls;
//   2. a document serving one of the audit's clauses (the clause itself, one above it or one
//      below it: a document of 9.2 is in an audit of 9, one of 9 in an audit of 9.2) or Annex A
//      controls;
//   3. one of the audit's ISMS processes;
//   4. a risk treated by an applied control implementing one of the audit's Annex A controls.
// Such an auditor is refused (kInvalidArgument on `lead_auditor` or `team`, naming the record)
// unless the audit records `impartiality_override` with `impartiality_reason`; the override is
// then part of the record, its page and its audit events. The check runs when an audit is
// created and when its auditors, scope or override change, in at most five list statements
// (each reading at most kOwnedChecked records of one register owned by the auditors).
//
// Errors: as RegisterService (kPermissionDenied, kNotFound, kInvalidArgument with the field).
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/principal.h"
#include "app/register_service.h"
#include "domain/internal_audit.h"
#include "store/store.h"

namespace rampart::app {

class InternalAuditService {
 public:
  explicit InternalAuditService(store::Store& store) : store_(store) {}

  static constexpr int kOwnedChecked = 500;
  static constexpr int kShown = 500;

  // The write hook of internal audits: the impartiality check above.
  Status OnAuditWrite(const Principal& p, domain::Json& fields, const domain::Json* before,
                      std::vector<domain::FieldError>& errors);
  // The companion hook of audit findings: a major or minor nonconformity finding without a
  // nonconformity yet (on create, or when it becomes one) raises a record of the
  // nonconformities register — source "internal audit finding", the grade, the finding's title,
  // description, evidence and requirement, detected on the day it was found, owned by the
  // auditee, open — inserted before the finding in the same write, whose `nonconformity` then
  // names it.
  Status OnFindingWrite(const Principal& p, const domain::Json& fields, const domain::Json* before,
                        std::vector<store::Mutation>& mutations);

  // The audits of programme `id` (by planned start; the first kShown).
  Result<std::vector<domain::Record>> AuditsOf(const Principal& p, int64_t programme_id);
  // The findings of audit `id` (by number; the first kShown).
  Result<std::vector<domain::Record>> FindingsOf(const Principal& p, int64_t audit_id);
  // What programme `id`'s audits cover (domain::ComputeAuditCoverage) against the clauses and
  // the Annex A controls the Statement of Applicability includes: three statements (the
  // programme, its audits, the SoA's entries). kNotFound for no such programme.
  Result<domain::AuditCoverage> Coverage(const Principal& p, int64_t programme_id);

 private:
  // The first record of the audit's scope that `auditors` own, described for the refusal, with
  // the auditor who owns it; empty when none.
  struct Conflict {
    int64_t auditor = 0;
    std::string what;
  };
  Result<std::optional<Conflict>> FindConflict(int64_t org_id, const domain::Json& audit,
                                               const std::vector<int64_t>& auditors);
  Result<std::vector<domain::Record>> Owned(const domain::RegisterSpec& spec, int64_t org_id,
                                            const std::vector<int64_t>& auditors,
                                            std::vector<domain::Filter> more = {});
  store::Store& store_;
};

}  // namespace rampart::app

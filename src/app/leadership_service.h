// Clause 5 beyond its registers: the RACI matrix of the ISMS processes against the ISMS roles
// (5.3), the standard processes an organisation starts from, a process name's uniqueness, and
// the commitments (5.1) that approvals made elsewhere record in their own write.
//
// Errors: kPermissionDenied (the role may not read or write records), kInvalidArgument naming
// the field (a process name taken), store failures as they come. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/principal.h"
#include "app/register_service.h"
#include "base/clock.h"
#include "domain/leadership.h"
#include "store/store.h"

namespace rampart::app {

// Processes in use or being defined (by name) against active roles (by name), and each cell's
// letters.
struct RaciMatrix {
  std::vector<domain::Record> processes;
  std::vector<domain::Record> roles;
  std::vector<std::vector<std::string>> cells;  // [process][role]: "A/R", "C", "" ...
  bool truncated = false;                       // more than kRaciLimit active processes or roles
  // The process lacks a responsible or an accountable role (or names one that is retired).
  bool MissingResponsible(size_t process) const;
  bool MissingAccountable(size_t process) const;
};

// The insert of an automatic commitment (origin "automatic"): `kind` one of the register's,
// `by` the user who committed, `date` YYYY-MM-DD, the approved record as its register's type and
// id (0 when not known yet: a record created already approved).
store::Mutation CommitmentInsert(std::string_view kind, std::string statement, int64_t by,
                                 std::string date, std::string_view source_type, int64_t source_id);

class LeadershipService {
 public:
  static constexpr int kRaciLimit = 500;

  LeadershipService(store::Store& store, RegisterService& registers)
      : store_(store), registers_(registers) {}

  // Reads one page of active and draft processes and one of active roles (two statements).
  Result<RaciMatrix> Raci(const Principal& p);
  // Creates the standard processes (domain::StandardIsmsProcesses) the organisation has no
  // process of that name for, in one write; returns those created (none when all exist).
  Result<std::vector<domain::Record>> AddStandardProcesses(const Principal& p);

  // Write hook of ISMS processes: a name used by another process of the organisation is refused
  // on "name".
  Status CheckUniqueName(const Principal& p, const domain::Json& fields, const domain::Json* before,
                         std::vector<domain::FieldError>& errors);
  // Companion hooks: the commitment an approval records, once, when the record becomes approved
  // (a resource granted, an objective approved, a planned change approved).
  Status OnResourceWrite(const Principal& p, const domain::Json& fields, const domain::Json* before,
                         std::vector<store::Mutation>& mutations);
  Status OnObjectiveWrite(const Principal& p, const domain::Json& fields,
                          const domain::Json* before, std::vector<store::Mutation>& mutations);
  Status OnChangeWrite(const Principal& p, const domain::Json& fields, const domain::Json* before,
                       std::vector<store::Mutation>& mutations);

 private:
  struct Approval;
  Status LogApproval(const Principal& p, const Approval& a, const domain::Json& fields,
                     const domain::Json* before, std::vector<store::Mutation>& mutations);

  store::Store& store_;
  RegisterService& registers_;
};

}  // namespace rampart::app

// Registers of approved versions (domain::ApprovedVersions: the ISMS scope, the risk
// methodology): each record is one version of a document. Approving a draft makes it the
// version in force and marks the one in force before superseded, in the same write, so every
// earlier version stays readable; a new draft copies a version; two versions compare field by
// field and table rows by row.
//
// An area adds to an approval what its register needs (the methodology re-evaluates every
// risk in the same write) with OnApprove.
//
// Errors: as RegisterService; kInvalidArgument naming the register when it has no approved
// versions; Approve adds kPreconditionRequired (no version given), kConflict (stale version),
// kFailedPrecondition (not a draft) and kInvalidArgument (the first approval problem, with its
// field); Current gives kNotFound when nothing has been approved yet.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "app/register_service.h"

namespace rampart::app {

struct VersionComparison {
  domain::Record from;
  domain::Record to;
  std::vector<domain::FieldComparison> fields;
};

// The approved version of `spec` in force in organisation `org_id` (for use cases that read it
// on their own authority); kNotFound when none has been approved.
Result<domain::Record> ApprovedVersionInForce(store::Store& store, const domain::RegisterSpec& spec,
                                              int64_t org_id);

class VersionService {
 public:
  VersionService(store::Store& store, RegisterService& registers)
      : store_(store), registers_(registers) {}

  // Adds mutations to the approval of a version of `spec`, written in the same transaction;
  // called with the approved fields. Set while wiring the services, before any request.
  using ApprovalExtension =
      std::function<Status(const Principal& p, const domain::Json& approved_fields,
                           std::vector<store::Mutation>& mutations)>;
  void OnApprove(const domain::RegisterSpec& spec, ApprovalExtension extension);

  // The approved version in force.
  Result<domain::Record> Current(const Principal& p, const domain::RegisterSpec& spec);
  // Approves draft `id` at `expected_version` (documents:approve); returns the approved record.
  Result<domain::Record> Approve(const Principal& p, const domain::RegisterSpec& spec, int64_t id,
                                 std::optional<int64_t> expected_version);
  // A new draft copying version `from_id` (0: the register's first draft, when it has one).
  Result<domain::Record> NewDraft(const Principal& p, const domain::RegisterSpec& spec,
                                  int64_t from_id);
  // Versions `from_id` and `to_id` compared.
  Result<VersionComparison> Compare(const Principal& p, const domain::RegisterSpec& spec,
                                    int64_t from_id, int64_t to_id);

 private:
  store::Store& store_;
  RegisterService& registers_;
  std::map<const domain::RegisterSpec*, ApprovalExtension> extensions_;
};

}  // namespace rampart::app

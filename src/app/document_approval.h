// Approving a version of a versioned document register (the ISMS scope, the risk methodology):
// each record is one version with a `status` of draft, approved or superseded, a sequence
// `version_number` and approved_by / approved_at stamps. Approving a draft makes it the version
// in force and marks the one in force before superseded, in the same write, so every earlier
// version stays readable.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "app/principal.h"
#include "store/store.h"

namespace rampart::app {

struct Approval {
  domain::Record draft;                      // the version being approved, as stored
  std::optional<domain::Record> superseded;  // the version in force until now
  std::vector<store::Mutation> mutations;    // supersede (if any), then approve
  domain::Json approved_fields;              // the draft's fields once approved
};

// The approved version in force; kNotFound when none has been approved.
Result<domain::Record> CurrentVersion(store::Store& store, const domain::RegisterSpec& spec,
                                      int64_t org_id);

// Checks that `p` may approve (documents:approve) draft `id` at `expected_version` and that
// `problems` finds nothing, and returns the mutations that approve it. Errors:
// kPermissionDenied, kNotFound, kPreconditionRequired (no version), kConflict (stale version),
// kFailedPrecondition (not a draft), kInvalidArgument (the first problem, with its field).
Result<Approval> PrepareApproval(
    store::Store& store, const store::Actor& actor, const Principal& p,
    const domain::RegisterSpec& spec, int64_t id, std::optional<int64_t> expected_version,
    const std::function<std::vector<domain::FieldError>(const domain::Json&)>& problems);

}  // namespace rampart::app

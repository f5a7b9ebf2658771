// The ISMS scope's approval workflow (clause 4.3). Each scope statement record is one version;
// approving a draft makes it the current scope and marks the previously approved version
// superseded, in one transaction, so every earlier version stays readable.
//
// Errors: as RegisterService, plus kFailedPrecondition when the version is not a draft and
// kInvalidArgument (with the field) when the draft does not yet say what is in scope.
#pragma once

#include "app/register_service.h"

namespace rampart::app {

class ScopeService {
 public:
  ScopeService(store::Store& store, RegisterService& registers)
      : store_(store), registers_(registers) {}

  Result<domain::Record> Approve(const Principal& p, int64_t id,
                                 std::optional<int64_t> expected_version);
  // A new draft whose content is a copy of version `from_id`.
  Result<domain::Record> NewDraftFrom(const Principal& p, int64_t from_id);
  // The approved version in force; kNotFound when none has been approved.
  Result<domain::Record> Current(const Principal& p);

 private:
  store::Store& store_;
  RegisterService& registers_;
};

}  // namespace rampart::app

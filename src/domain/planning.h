// Clause 6.2 and 6.3, planning beyond risk (risk is in domain/risk.h): the descriptions and
// rules of their registers.
//   6.3 planned changes to the ISMS   (PlannedChanges)
#pragma once

#include "domain/register.h"

namespace rampart::domain {

const RegisterSpec& PlannedChanges();

// True when a planned change's fields say it was approved: approved, in progress or done. Such a
// change names who approved it and when, and by when the risks it affects are reassessed.
bool IsApprovedChange(const Json& fields);

}  // namespace rampart::domain

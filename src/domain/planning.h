// Clause 6.2 and 6.3, planning beyond risk (risk is in domain/risk.h): the descriptions and
// rules of their registers.
//   6.3 planned changes to the ISMS   (PlannedChanges)
#pragma once

#include "domain/register.h"

namespace rampart::domain {

const RegisterSpec& PlannedChanges();

}  // namespace rampart::domain

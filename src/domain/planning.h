// Clause 6.2 and 6.3, planning beyond risk (risk is in domain/risk.h): the descriptions and
// rules of their registers.
//   6.2 information security objectives   (Objectives)
//   6.3 planned changes to the ISMS       (PlannedChanges)
#pragma once

#include <optional>

#include "domain/register.h"

namespace rampart::domain {

const RegisterSpec& Objectives();
const RegisterSpec& PlannedChanges();

// How far an objective has come from its baseline toward its target, in per cent (0 at the
// baseline, 100 at the target; below 0 when it moved away, above 100 past the target). Nullopt
// unless it has a target, a baseline and a current value and the target differs from the
// baseline, or when it is to maintain a level (there is no way to go).
std::optional<double> ObjectiveProgress(const Json& fields);

// True when a planned change's fields say it was approved: approved, in progress or done. Such a
// change names who approved it and when, and by when the risks it affects are reassessed.
bool IsApprovedChange(const Json& fields);
// True when an objective's fields name who approved it (approved_by, with approved_on).
bool IsApprovedObjective(const Json& fields);

}  // namespace rampart::domain

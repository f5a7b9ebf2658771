// Every register of the product, in navigation order. Adding a register: describe it (a spec in
// its area's file), list it here, and run `make schema` (docs/architecture.md).
#pragma once

#include <string_view>
#include <vector>

#include "domain/register.h"

namespace rampart::domain {

const std::vector<const RegisterSpec*>& AllRegisters();
// Every register but tasks: those whose records a task can be for (its `record_type` choices).
const std::vector<const RegisterSpec*>& RegistersTasksServe();
// The register whose `path` is `path`; nullptr when none.
const RegisterSpec* FindRegisterByPath(std::string_view path);
const RegisterSpec* FindRegisterByType(std::string_view type);

}  // namespace rampart::domain

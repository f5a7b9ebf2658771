// Clause 7, support: the descriptions and rules of its registers.
//   7.1 resources             (Resources): people, budget, tools and services given to the ISMS
#pragma once

#include "domain/register.h"

namespace rampart::domain {

const RegisterSpec& Resources();

}  // namespace rampart::domain

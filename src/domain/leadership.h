// Clause 5, leadership: the descriptions and rules of its registers.
//   5.3 ISMS roles, responsibilities and authorities   (IsmsRoles), their holders held as rows
#pragma once

#include "domain/register.h"

namespace rampart::domain {

const RegisterSpec& IsmsRoles();

}  // namespace rampart::domain

// Clause 5, leadership: the descriptions and rules of its registers.
//   5.1 commitments: top management's approvals and sign-offs   (Commitments)
//   5.3 ISMS roles, responsibilities and authorities   (IsmsRoles), their holders held as rows
//   5.3 ISMS processes and who is responsible, accountable, consulted and informed (IsmsProcesses):
//       the RACI matrix's rows
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/register.h"

namespace rampart::domain {

const RegisterSpec& IsmsRoles();
const RegisterSpec& IsmsProcesses();
const RegisterSpec& Commitments();

// A commitment's origin: logged by hand, or written by the approval it records (kept as written).
inline constexpr std::string_view kCommitmentManual = "manual";
inline constexpr std::string_view kCommitmentAutomatic = "automatic";

// The processes "Add the standard ISMS processes" creates, in order.
struct StandardProcess {
  std::string name;
  std::string description;
};
const std::vector<StandardProcess>& StandardIsmsProcesses();

// What `role` is in the process (its fields): "A", "R", "C", "I", combined as "A/R"; empty when
// the role takes no part.
std::string RaciLetters(const Json& process, int64_t role);

}  // namespace rampart::domain

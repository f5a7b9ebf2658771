// The access-control model: the roles a membership can have and what each role may do.
//
// This is the one permission table of Rampart. Every HTTP route names the permission it needs
// (src/http/router.h), every use case that changes something checks it again (src/app), and the
// role matrix test walks every role against every route to prove the two agree. A permission a
// role does not have is refused: nothing is allowed by default.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace rampart::domain {

enum class Role {
  kAdmin,
  kIsmsManager,
  kContributor,
  kAuditor,
  kExecutive,
  kViewer,
  kExternalAuditor,
  kStaff,
};

enum class Permission {
  kReadRecords,     // read, list, search, export every register record and its history
  kEditRecords,     // create, change and delete any record of a register
  kEditOwnRecords,  // ... only records naming the user as owner or assignee
  kApprove,         // approve documents (scope, methodology, Statement of Applicability)
  kAcceptRisk,      // accept residual risk (within the acceptance criteria)
  kWriteAudits,     // write internal audits and their findings
  kReadAuditTrail,  // read and verify the audit trail
  kManageUsers,     // add users, set roles, disable, reset passwords, end sessions
  kManageSettings,  // organisation settings such as the second-factor requirement
};

struct RoleInfo {
  Role role;
  std::string_view name;   // stable identifier: "isms_manager"
  std::string_view label;  // "ISMS manager"
  std::string_view summary;
  bool needs_expiry;  // a membership with this role must end on a date
};

struct PermissionInfo {
  Permission permission;
  std::string_view name;  // "records:read"
  std::string_view label;
  bool read_only;  // changes nothing: allowed to read-only API tokens
};

// Every role, most powerful first; every permission.
std::span<const RoleInfo> AllRoles();
std::span<const PermissionInfo> AllPermissions();
const RoleInfo& InfoOf(Role r);
const PermissionInfo& InfoOf(Permission p);

std::string_view RoleName(Role r);
std::optional<Role> ParseRole(std::string_view name);
std::string_view PermissionName(Permission p);

// The permission table.
bool Can(Role role, Permission permission);

}  // namespace rampart::domain

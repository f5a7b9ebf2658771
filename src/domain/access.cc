#include "domain/access.h"

#include <array>

namespace rampart::domain {

namespace {

using P = Permission;
using R = Role;

constexpr std::array kRoles = {
    RoleInfo{R::kAdmin, "admin", "Administrator",
             "Everything, including users, roles and organisation settings", false},
    RoleInfo{R::kIsmsManager, "isms_manager", "ISMS manager",
             "Runs the ISMS: edits every register, reads the audit trail", false},
    RoleInfo{R::kContributor, "contributor", "Contributor",
             "Reads everything; edits the records they own or are assigned to", false},
    RoleInfo{R::kAuditor, "auditor", "Auditor",
             "Reads everything and the audit trail; writes audits and findings", false},
    RoleInfo{R::kExecutive, "executive", "Executive",
             "Reads everything; approves documents and accepts risks", false},
    RoleInfo{R::kViewer, "viewer", "Viewer", "Reads everything", false},
    RoleInfo{R::kExternalAuditor, "external_auditor", "External auditor",
             "Reads everything and the audit trail until the membership's end date", true},
    RoleInfo{R::kStaff, "staff", "Staff",
             "Reads the published documents distributed to them; acknowledges them", false},
};

constexpr std::array kPermissions = {
    PermissionInfo{P::kReadRecords, "records:read", "Read records", true},
    PermissionInfo{P::kEditRecords, "records:edit", "Edit every record", false},
    PermissionInfo{P::kEditOwnRecords, "records:edit-own", "Edit own records", false},
    PermissionInfo{P::kApprove, "documents:approve", "Approve documents", false},
    PermissionInfo{P::kAcceptRisk, "risks:accept", "Accept risks", false},
    PermissionInfo{P::kWriteAudits, "audits:write", "Write audits and findings", false},
    PermissionInfo{P::kReadAuditTrail, "audit-trail:read", "Read the audit trail", true},
    PermissionInfo{P::kManageUsers, "users:manage", "Manage users and roles", false},
    PermissionInfo{P::kManageSettings, "settings:manage", "Manage organisation settings", false},
};

}  // namespace

std::span<const RoleInfo> AllRoles() { return kRoles; }
std::span<const PermissionInfo> AllPermissions() { return kPermissions; }

const RoleInfo& InfoOf(Role r) {
  for (const auto& i : kRoles) {
    if (i.role == r) return i;
  }
  return kRoles.back();  // unreachable: every enumerator is in the table (tested)
}

const PermissionInfo& InfoOf(Permission p) {
  for (const auto& i : kPermissions) {
    if (i.permission == p) return i;
  }
  return kPermissions.front();  // unreachable (tested)
}

std::string_view RoleName(Role r) { return InfoOf(r).name; }
std::string_view PermissionName(Permission p) { return InfoOf(p).name; }

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& i : kRoles) {
    if (i.name == name) return i.role;
  }
  return std::nullopt;
}

bool Can(Role role, Permission p) {
  switch (role) {
    case R::kAdmin:
      return true;
    case R::kIsmsManager:
      return p == P::kReadRecords || p == P::kEditRecords || p == P::kEditOwnRecords ||
             p == P::kReadAuditTrail;
    case R::kContributor:
      return p == P::kReadRecords || p == P::kEditOwnRecords;
    case R::kAuditor:
      return p == P::kReadRecords || p == P::kWriteAudits || p == P::kReadAuditTrail;
    case R::kExecutive:
      return p == P::kReadRecords || p == P::kApprove || p == P::kAcceptRisk;
    case R::kViewer:
      return p == P::kReadRecords;
    case R::kExternalAuditor:
      return p == P::kReadRecords || p == P::kReadAuditTrail;
    case R::kStaff:
      // Nothing of the registers: what is theirs (documents distributed to them, their
      // acknowledgements) is given by the use cases that check the person (app/document_service).
      return false;
  }
  return false;
}

}  // namespace rampart::domain

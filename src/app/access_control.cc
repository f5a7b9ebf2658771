#include "app/access_control.h"

#include <fmt/format.h>

#include "base/text.h"

namespace rampart::app {

Status Require(const Principal& p, domain::Permission permission) {
  if (p.Can(permission)) return Status::Ok();
  if (p.read_only && domain::Can(p.role, permission)) {
    return PermissionDenied("this API token is read-only");
  }
  return PermissionDenied(fmt::format("your role ({}) does not allow this: it needs \"{}\"",
                                      domain::InfoOf(p.role).label,
                                      domain::InfoOf(permission).label));
}

store::AuditDraft SecurityEvent(const Clock& clock, const Principal* p, int64_t org_id,
                                std::string action, std::string record_type, int64_t record_id,
                                domain::Json diff) {
  return store::AuditDraft{.org_id = org_id,
                           .actor_id = p != nullptr ? p->user_id : 0,
                           .actor = p != nullptr ? p->username : std::string("system"),
                           .at = FormatUtc(clock.Now()),
                           .action = std::move(action),
                           .record_type = std::move(record_type),
                           .record_id = record_id,
                           .diff = diff.is_null() ? domain::Json::object() : std::move(diff),
                           .address = p != nullptr ? p->address : std::string()};
}

Result<std::string> OrganisationName(const std::string& typed, const std::string& field) {
  std::string name(Trim(typed));
  if (name.empty()) return InvalidArgument("name the organisation", field);
  const long len = Utf8Length(name);
  if (len < 0 || len > 200) {
    return InvalidArgument("the organisation name must be valid text of at most 200 characters",
                           field);
  }
  return name;
}

domain::Json Change(const domain::Json& from, const domain::Json& to) {
  return {{"from", from}, {"to", to}};
}

}  // namespace rampart::app

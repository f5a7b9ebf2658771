// Helpers shared by the use cases that enforce access: the permission check and the audit event
// of a security-relevant change.
#pragma once

#include <string>

#include "app/principal.h"
#include "base/clock.h"
#include "base/status.h"
#include "store/store.h"

namespace rampart::app {

// kPermissionDenied naming the caller's role and what it may not do.
Status Require(const Principal& p, domain::Permission permission);

// An audit event made by `p` (or by the system when `p` is null) at the clock's time.
store::AuditDraft SecurityEvent(const Clock& clock, const Principal* p, int64_t org_id,
                                std::string action, std::string record_type, int64_t record_id,
                                domain::Json diff = domain::Json::object());

// An organisation's name from what was typed (trimmed): kInvalidArgument naming `field` when it
// is empty, not UTF-8 or over 200 characters.
Result<std::string> OrganisationName(const std::string& typed, const std::string& field);

// {"field": {"from": a, "to": b}}: one entry of an audit diff.
domain::Json Change(const domain::Json& from, const domain::Json& to);

}  // namespace rampart::app

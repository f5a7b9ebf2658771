// Clause 9.2 routes beyond the registers' own (see internal_audit_api.cc), and what the internal
// audit pages share with them: a programme's coverage as JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "domain/internal_audit.h"
#include "http/router.h"

namespace rampart::http {

void RegisterInternalAuditApiRoutes(Router& router);
void AddInternalAuditSchemas(nlohmann::json& schemas);
nlohmann::json AuditCoverageToJson(const domain::AuditCoverage& coverage);

}  // namespace rampart::http

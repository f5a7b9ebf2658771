// Clause 5 routes beyond the registers' own (see leadership_api.cc), and what the leadership
// pages share with them: the RACI matrix as JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "app/leadership_service.h"
#include "http/router.h"

namespace rampart::http {

void RegisterLeadershipApiRoutes(Router& router);
void AddLeadershipSchemas(nlohmann::json& schemas);
// The matrix: processes (id, name, status, gaps), roles (id, name) and each row's cells.
nlohmann::json RaciToJson(const app::RaciMatrix& m);

}  // namespace rampart::http

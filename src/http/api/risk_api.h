// Risk routes beyond the registers' own (see risk_api.cc), and what the risk pages share with
// them: the heat map as JSON, the treatment plan's query.
#pragma once

#include <string>
#include <vector>

#include "app/risk_service.h"
#include "http/router.h"

namespace rampart::http {

void RegisterRiskApiRoutes(Router& router);
nlohmann::json HeatMapToJson(const app::HeatMap& map, bool residual);
// The treatment plan's query from a request: the risk list's parameters (filters, search,
// sort, cursor, limit, total), by risk number unless `sort` names another order.
Result<domain::ListQuery> TreatmentPlanQuery(const HttpRequest& req);

}  // namespace rampart::http

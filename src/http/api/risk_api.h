// Risk routes beyond the registers' own (see risk_api.cc), and what the risk pages share with
// them: the heat map as JSON.
#pragma once

#include <string>
#include <vector>

#include "app/risk_service.h"
#include "http/router.h"

namespace rampart::http {

void RegisterRiskApiRoutes(Router& router);
nlohmann::json HeatMapToJson(const app::HeatMap& map, bool residual);

}  // namespace rampart::http

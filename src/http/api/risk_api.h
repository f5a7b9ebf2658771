// Risk routes beyond the registers' own (see risk_api.cc), and what the risk pages share with
// them: the heat map as JSON and the treatment plan as CSV.
#pragma once

#include <string>
#include <vector>

#include "app/risk_service.h"
#include "http/router.h"

namespace rampart::http {

void RegisterRiskApiRoutes(Router& router);
nlohmann::json HeatMapToJson(const app::HeatMap& map, bool residual);
std::string TreatmentPlanCsv(const std::vector<app::TreatmentRow>& rows,
                             const std::vector<store::UserSummary>& members);

}  // namespace rampart::http

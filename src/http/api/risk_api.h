// Risk routes beyond the registers' own (see risk_api.cc), and what the risk pages share with
// them: the heat map as JSON and the treatment plan as a table.
#pragma once

#include <string>
#include <vector>

#include "app/risk_service.h"
#include "http/router.h"

namespace rampart::http {

void RegisterRiskApiRoutes(Router& router);
nlohmann::json HeatMapToJson(const app::HeatMap& map, bool residual);
// The treatment plan as a table (one row per action) for CSV and XLSX.
struct TreatmentPlanTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
TreatmentPlanTable TreatmentPlanRows(const std::vector<app::TreatmentRow>& rows,
                                     const std::vector<store::UserSummary>& members);

}  // namespace rampart::http

// Clause 7 routes beyond the registers' own (see support_api.cc), and what the support pages
// share with them: the competence matrix as JSON.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "domain/identity.h"
#include "domain/support.h"
#include "http/router.h"

namespace rampart::http {

void RegisterSupportApiRoutes(Router& router);
// The matrix as of `today`, people named from `members` (display name, else user name).
nlohmann::json CompetenceMatrixToJson(const domain::CompetenceMatrix& m,
                                      const std::vector<domain::UserSummary>& members,
                                      const std::string& today);

}  // namespace rampart::http

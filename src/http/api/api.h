// The JSON API under /api/v1: every register's routes derived from its description, the
// clause-specific workflows, sign-in, and the OpenAPI document describing all of it.
#pragma once

#include <nlohmann/json.hpp>

#include "http/router.h"

namespace rampart::http {

void RegisterApiRoutes(Router& router);
void RegisterAuthApiRoutes(Router& router);
void RegisterMemberApiRoutes(Router& router);
void RegisterSoaApiRoutes(Router& router);
// The OpenAPI 3.1 document for every route RegisterApiRoutes adds.
const nlohmann::json& OpenApiDocument();

}  // namespace rampart::http

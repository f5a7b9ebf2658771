// Building blocks of the API's documentation (OpenAPI 3.1), shared by the files that register
// routes: each states its routes' ApiDoc (http/router.h) beside the route and its component
// schemas in its Add…Schemas; openapi.cc assembles the document from them. Pure functions of
// their arguments; the constants are immutable after static initialisation.
#pragma once

#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/register.h"
#include "http/router.h"

namespace rampart::http {

// A route's documentation: its operation and the path parameters of its pattern's groups.
ApiDoc Doc(nlohmann::json operation, nlohmann::json path_parameters = nlohmann::json::array());

// {"$ref": "#/components/schemas/<name>"}.
nlohmann::json Ref(const std::string& name);
// The component schema name of a register's records: `risk_acceptance` -> `RiskAcceptance`.
std::string SchemaName(const domain::RegisterSpec& spec);

// Responses: each status refers to the shared error answer (429's also says when to try again).
nlohmann::json ErrorResponses(std::initializer_list<int> codes);
// A required JSON request body of this schema.
nlohmann::json JsonBody(const nlohmann::json& schema);
// A response with a JSON body of this schema.
nlohmann::json JsonResponse(const std::string& description, const nlohmann::json& schema);
// A response without a body.
nlohmann::json NoContent(const std::string& description);
// Objects: b's members added to a. Arrays: b's items appended to a.
nlohmann::json Merge(nlohmann::json a, const nlohmann::json& b);

// Schemas.
extern const nlohmann::json kString;
extern const nlohmann::json kInteger;
extern const nlohmann::json kBoolean;
extern const nlohmann::json kDateTime;
extern const nlohmann::json kDate;
nlohmann::json Described(nlohmann::json schema, const std::string& description);
// `schema` that may also be null.
nlohmann::json OrNull(nlohmann::json schema);
nlohmann::json Object(const nlohmann::json& properties, const nlohmann::json& required);
// An object of these properties, every one always present.
nlohmann::json ObjectOfAll(const nlohmann::json& properties);
nlohmann::json ArrayOf(const nlohmann::json& items);
// {"data": [...]}: a listing of the named schema.
nlohmann::json DataOf(const std::string& schema);
// Schema `base` with more properties.
nlohmann::json Extends(const std::string& base, const nlohmann::json& more);

// Parameters.
// A register list's query parameters (register_api.cc): limit, cursor, sort (every sortable
// field, "-" for descending), q, total and a filter per filterable field.
nlohmann::json ListParameters(const domain::RegisterSpec& spec);
// An export's parameters: the list's, and `format` (csv, the default, or xlsx).
nlohmann::json ExportParameters(const domain::RegisterSpec& spec);
extern const nlohmann::json kIdParam;  // the record id of `(\d+)`
extern const nlohmann::json kIfMatch;  // the record's version, required
// An integer path parameter.
nlohmann::json PathParam(const std::string& name, const std::string& description);

// Said of operations a session may do but an API token may not.
inline constexpr const char* kSessionOnly =
    " Needs a session (signed in with the password): an API token gets 403.";

// The component schemas of each area, defined beside its routes.
void AddAccountSchemas(nlohmann::json& schemas);    // auth_api.cc: the caller, sessions, tokens
void AddPeopleSchemas(nlohmann::json& schemas);     // member_api.cc: members, roles, organisation
void AddRegisterSchemas(nlohmann::json& schemas);   // register_api.cc: records, audit events
void AddRiskSchemas(nlohmann::json& schemas);       // risk_api.cc
void AddEvidenceSchemas(nlohmann::json& schemas);   // evidence_api.cc
void AddImportSchemas(nlohmann::json& schemas);     // import_api.cc: reports, proposals, mappings
void AddSoaSchemas(nlohmann::json& schemas);        // soa_api.cc
void AddFrameworkSchemas(nlohmann::json& schemas);  // framework_api.cc: coverage
void AddSupportSchemas(nlohmann::json& schemas);    // support_api.cc: the competence matrix
void AddNotificationSchemas(nlohmann::json& schemas);      // notification_api.cc
void AddMetricSchemas(nlohmann::json& schemas);            // metric_api.cc: a metric's status
void AddManagementReviewSchemas(nlohmann::json& schemas);  // management_review_api.cc
void AddVersionSchemas(nlohmann::json& schemas);           // version_api.cc: version comparisons
void AddDocumentSchemas(nlohmann::json& schemas);          // document_api.cc: documents, my work
void AddReadinessSchemas(nlohmann::json& schemas);         // readiness_api.cc

}  // namespace rampart::http

// Small helpers shared by the API handlers: JSON bodies, If-Match, list-query parameters.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/register.h"
#include "domain/register_query.h"
#include "http/router.h"

namespace rampart::http {

void WriteJson(HttpResponse& res, int status, const nlohmann::json& body);
// `s` as a whole decimal number (no sign but '-', nothing after it); false otherwise.
bool ParseInt(std::string_view s, int64_t& out);
// Query parameter `name` as the id of a version (a positive integer): what compare routes take
// as `from` and `to`. kInvalidArgument naming the parameter otherwise.
Result<int64_t> VersionIdParam(const Request& r, const char* name);
// UTF-8 without control characters, as every stored value is (domain/register.cc): query text
// that is not (a NUL, invalid UTF-8) can only be a mistake, and the databases read it specially.
bool IsPlainText(std::string_view s);
// The request body as a JSON object; kInvalidArgument for a wrong content type or bad JSON.
Result<nlohmann::json> ParseJsonBody(const HttpRequest& req);
// The version named by If-Match ("3", "\"3\"", W/"3"); nullopt when absent.
Result<std::optional<int64_t>> ParseIfMatch(const HttpRequest& req);
// limit, cursor, sort (-field for descending), q and field=value filters.
Result<domain::ListQuery> ParseListQuery(const domain::RegisterSpec& spec, const HttpRequest& req);
// The audit trail's filters and page from query parameters (the /audit page and
// GET /api/v1/audit/events): person (a user id; 0 the system), record_type, record_id, action,
// from, to (YYYY-MM-DD), before and after (sequence numbers of the page's neighbours).
Result<domain::AuditQuery> AuditQueryFrom(const HttpRequest& req, int limit);
std::string ETagFor(int64_t version);
// Writes the result of a use case: the record with its ETag, or the error.
void Respond(Request& r, const Result<domain::Record>& rec, int status = 200);
// Records as a JSON array of their API form (app::RecordToJson).
nlohmann::json Records(const std::vector<domain::Record>& records);
// The same for records not needed afterwards: their fields are moved into the answer.
nlohmann::json Records(std::vector<domain::Record>&& records);
// The string member `name` of a JSON object; empty when absent or not a string.
std::string StringField(const nlohmann::json& body, const char* name);
// kInvalidArgument naming the first of `names` that is present but neither a string nor null,
// so a wrongly typed value is refused instead of read as absent.
Status RequireStrings(const nlohmann::json& body, std::initializer_list<const char*> names);

}  // namespace rampart::http

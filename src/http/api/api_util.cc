#include "http/api/api_util.h"

#include "app/record_codec.h"
#include "http/errors.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <vector>

#include "app/register_service.h"
#include "base/text.h"

namespace rampart::http {

bool ParseInt(std::string_view s, int64_t& out) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool IsPlainText(std::string_view s) {
  return Utf8Length(s) >= 0 && std::none_of(s.begin(), s.end(), [](char c) {
           return static_cast<unsigned char>(c) < 0x20;
         });
}

void WriteJson(HttpResponse& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.SetContent(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                 "application/json");
}

Result<nlohmann::json> ParseJsonBody(const HttpRequest& req) {
  const std::string type = req.Header("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    return InvalidArgument("send the body as JSON with Content-Type: application/json",
                           "Content-Type");
  }
  // A key given twice in one object is refused: JSON parsers disagree on which one wins, so a
  // check and a write could read different values.
  std::vector<std::set<std::string>> keys;  // per open object
  std::string duplicate;
  const nlohmann::json::parser_callback_t track = [&](int, nlohmann::json::parse_event_t event,
                                                      nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if (event == E::object_start) keys.emplace_back();
    if (event == E::object_end && !keys.empty()) keys.pop_back();
    if (event == E::key && !keys.empty() && duplicate.empty() &&
        !keys.back().insert(parsed.get<std::string>()).second) {
      duplicate = parsed.get<std::string>();
    }
    return true;
  };
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidArgument("the request has no body: send a JSON object");
  }
  nlohmann::json j = nlohmann::json::parse(req.body, track, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgument("the request body is not valid JSON");
  if (!duplicate.empty()) {
    return InvalidArgument(fmt::format("\"{}\" is given more than once in one object", duplicate),
                           duplicate);
  }
  if (!j.is_object()) return InvalidArgument("the request body must be a JSON object");
  return j;
}

Result<std::optional<int64_t>> ParseIfMatch(const HttpRequest& req) {
  if (!req.HasHeader("If-Match")) return std::optional<int64_t>();
  const std::string header = req.Header("If-Match");
  std::string_view v = Trim(header);
  if (v.rfind("W/", 0) == 0) v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int64_t n = 0;
  if (!ParseInt(v, n) || n < 1) {
    return InvalidArgument("If-Match must be the record's ETag, e.g. \"3\"", "If-Match");
  }
  return std::optional<int64_t>(n);
}

std::string ETagFor(int64_t version) { return fmt::format("\"{}\"", version); }

Result<domain::ListQuery> ParseListQuery(const domain::RegisterSpec& spec, const HttpRequest& req) {
  domain::ListQuery q;
  std::string sort = spec.default_sort;
  for (const auto& [name, value] : req.params) {
    // Values reach SQL only as bound parameters, but the databases still read some text
    // specially: SQLite ends a LIKE pattern at a NUL (so "?q=%00" matched every record) and
    // rejects a full-text query holding one (a 500); PostgreSQL refuses NUL and invalid UTF-8 in
    // any text parameter. No stored value holds either, so such a value can only be a mistake.
    if (!IsPlainText(value)) {
      return InvalidArgument(fmt::format("{} must be UTF-8 text without control characters", name),
                             name);
    }
    if (name == "limit") {
      int64_t n = 0;
      if (!ParseInt(value, n) || n < 1 || n > 500) {
        return InvalidArgument("limit must be a number from 1 to 500", "limit");
      }
      q.limit = static_cast<int>(n);
    } else if (name == "cursor") {
      q.cursor = value;
    } else if (name == "sort") {
      sort = value;
    } else if (name == "q") {
      q.search = std::string(Trim(value));
      if (Utf8Length(q.search) > 200) {
        return InvalidArgument("the search text is longer than 200 characters", "q");
      }
    } else if (name == "total") {
      q.with_total = value == "true";
    } else if (name == "format") {
      continue;
    } else {
      ASSIGN_OR_RETURN(auto filter, app::RegisterService::ParseFilter(spec, name, value));
      q.filters.push_back(std::move(filter));
    }
  }
  q.descending = !sort.empty() && sort[0] == '-';
  q.sort = q.descending ? sort.substr(1) : sort;
  if (!spec.IsSortable(q.sort)) {
    return InvalidArgument(fmt::format("cannot sort {} by \"{}\"", ToLower(spec.plural), q.sort),
                           "sort");
  }
  return q;
}

// The query of the audit trail page and of GET /api/v1/audit/events from their parameters:
// person (user id, 0 for the system), record_type, record_id, action, from, to, before, after.
Result<domain::AuditQuery> AuditQueryFrom(const HttpRequest& req, int limit) {
  domain::AuditQuery q;
  q.limit = limit;
  auto number = [&](const char* name, int64_t& out) -> Status {
    const std::string text = req.Param(name);
    if (text.empty()) return Status::Ok();
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc() || end != text.data() + text.size() || out < 0) {
      return InvalidArgument(fmt::format("{} must be a whole number", name), name);
    }
    return Status::Ok();
  };
  if (!req.Param("person").empty()) {
    int64_t person = 0;
    RETURN_IF_ERROR(number("person", person));
    q.actor_id = person;
  }
  RETURN_IF_ERROR(number("record_id", q.record_id));
  RETURN_IF_ERROR(number("before", q.before_seq));
  RETURN_IF_ERROR(number("after", q.after_seq));
  q.record_type = req.Param("record_type");
  q.action = req.Param("action");
  q.from = req.Param("from");
  q.to = req.Param("to");
  return q;
}

std::string StringField(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Status RequireStrings(const nlohmann::json& body, std::initializer_list<const char*> names) {
  if (!body.is_object()) return InvalidArgument("the body must be a JSON object");
  for (const char* name : names) {
    auto it = body.find(name);
    if (it != body.end() && !it->is_string() && !it->is_null()) {
      return InvalidArgument(std::string(name) + " must be a string", name);
    }
  }
  return Status::Ok();
}

Result<int64_t> VersionIdParam(const Request& r, const char* name) {
  int64_t id = 0;
  if (!ParseInt(r.Query(name), id) || id <= 0) {
    return InvalidArgument(fmt::format("{} must be the id of a version (a positive integer)", name),
                           name);
  }
  return id;
}

nlohmann::json Records(const std::vector<domain::Record>& records) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : records) out.push_back(app::RecordToJson(r));
  return out;
}

nlohmann::json Records(std::vector<domain::Record>&& records) {
  nlohmann::json out = nlohmann::json::array();
  for (auto& r : records) out.push_back(app::RecordToJson(std::move(r)));
  return out;
}

void Respond(Request& r, const Result<domain::Record>& rec, int status) {
  if (!rec.ok()) {
    WriteJsonError(r.res, rec.status());
    return;
  }
  r.res.SetHeader("ETag", ETagFor(rec->version));
  WriteJson(r.res, status, app::RecordToJson(*rec));
}

}  // namespace rampart::http

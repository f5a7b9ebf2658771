#include "http/errors.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "base/text.h"

namespace rampart::http {
namespace {

// An answer the server is to blame for (5xx) is logged with its reason, so an operator reading
// the log sees why and not only "GET /... 500"; the request id of the line ties it to the access
// line. 500 at error, 503 and 507 (the database away, read-only or full) at warn. The message is
// the server's own text (never a header, cookie or query value); control characters are escaped
// so a line stays one line.
void LogServerError(int http_status, const Status& status) {
  if (http_status < 500) return;
  std::string text;
  text.reserve(status.message().size());
  for (const char c : status.message()) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7f) {
      text += fmt::format("\\x{:02x}", b);
    } else {
      text.push_back(c);
    }
  }
  spdlog::log(http_status == 500 ? spdlog::level::err : spdlog::level::warn, "answered {} {}: {}",
              http_status, CodeName(status.code()), text);
}

}  // namespace

int HttpStatusFor(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 400;
    case Code::kNotFound:
      return 404;
    case Code::kAlreadyExists:
      return 409;
    case Code::kFailedPrecondition:
      return 409;
    case Code::kConflict:
      return 412;
    case Code::kPreconditionRequired:
      return 428;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
    case Code::kReauthenticationRequired:
      return 403;
    case Code::kTooLarge:
      return 413;
    case Code::kResourceExhausted:
      return 429;
    case Code::kUnavailable:
      return 503;
    case Code::kInsufficientStorage:
      return 507;
    case Code::kInternal:
      return 500;
  }
  return 500;
}

void WriteJsonError(HttpResponse& res, const Status& status) {
  nlohmann::json err = {{"code", CodeName(status.code())}, {"message", status.message()}};
  err["field"] = status.field().empty() ? nlohmann::json() : nlohmann::json(status.field());
  res.status = HttpStatusFor(status.code());
  LogServerError(res.status, status);
  // Messages may quote input; never let invalid UTF-8 in them throw.
  res.SetContent(
      nlohmann::json{{"error", err}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
      "application/json");
}

void WriteHtmlError(HttpResponse& res, int http_status, const Status& status) {
  const std::string code = std::to_string(http_status);
  res.status = http_status;
  LogServerError(http_status, status);
  res.SetContent(
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta "
      "name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
          code +
          " · Rampart</title><link rel=\"stylesheet\" href=\"/static/app.css\"><link "
          "rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\"></head><body><main "
          "class=\"error-page\"><h1>" +
          code + "</h1><p>" + HtmlEscape(status.message()) +
          "</p><p><a href=\"/\">Back to Rampart</a></p></main></body></html>",
      "text/html; charset=utf-8");
}

}  // namespace rampart::http

// Log lines as text (spdlog's default pattern) or as JSON lines (`serve --log-format json`), and
// the request id that ties a request's lines together: every request gets one (the client's
// X-Request-Id when it is a short safe token, else a new random one), answered as X-Request-Id
// and written into every line logged while the request is handled.
//
// JSON lines: {"time":"2026-12-07T02:40:00.123Z","level":"info","message":"...",
// "request_id":"..."} and, for the access line, "address", "method", "path" (never the query
// string), "status" and "ms". No header, cookie, body or query value is ever logged; text that
// is not valid UTF-8 is replaced, so every line parses.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace rampart::http {

enum class LogFormat { kText, kJson };
// "text" or "json"; kInvalidArgument naming "log-format" otherwise.
Result<LogFormat> ParseLogFormat(std::string_view text);
// Sets the default logger's format (process-wide); kText leaves spdlog's default as it is.
void UseLogFormat(LogFormat format);

// The request this thread is answering, for the lines logged until the scope ends.
class RequestLogScope {
 public:
  explicit RequestLogScope(std::string request_id);
  ~RequestLogScope();
  RequestLogScope(const RequestLogScope&) = delete;
  RequestLogScope& operator=(const RequestLogScope&) = delete;

 private:
  std::string previous_;
};

// The id of the request this thread is answering; empty outside one.
const std::string& CurrentRequestId();

// The id of a request that came with X-Request-Id `given`: `given` itself when it is 1 to 64
// characters of A-Z a-z 0-9 . _ : - (an id a proxy or client assigned), else a new random one
// (16 hex digits).
std::string RequestIdFor(std::string_view given);

// One access line: text "ADDRESS METHOD PATH STATUS MSms" (each field made safe for a log line by
// the caller), JSON with the fields named.
struct AccessLine {
  std::string address;
  std::string method;
  std::string path;  // without the query string
  int status = 0;
  double ms = 0;
};
void LogAccess(const AccessLine& line);

}  // namespace rampart::http

#include "http/log.h"

#include <fmt/format.h>
#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <ctime>

#include "base/crypto.h"
#include "domain/record.h"

namespace rampart::http {

namespace {

using domain::Json;

thread_local std::string t_request_id;
// The access line being written on this thread, for the JSON formatter's fields.
thread_local const AccessLine* t_access = nullptr;

std::string Iso8601(std::chrono::system_clock::time_point at) {
  const auto t = std::chrono::system_clock::to_time_t(at);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count() % 1000;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03d}Z", buf, ms);
}

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    Json line = Json::object();
    line["time"] = Iso8601(msg.time);
    const auto level = spdlog::level::to_string_view(msg.level);
    line["level"] = std::string(level.data(), level.size());
    line["message"] = std::string(msg.payload.data(), msg.payload.size());
    if (!t_request_id.empty()) line["request_id"] = t_request_id;
    if (t_access != nullptr) {
      line["address"] = t_access->address;
      line["method"] = t_access->method;
      line["path"] = t_access->path;
      line["status"] = t_access->status;
      line["ms"] = std::round(t_access->ms * 10) / 10;
    }
    const std::string text = line.dump(-1, ' ', false, Json::error_handler_t::replace);
    dest.append(text.data(), text.data() + text.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

Result<LogFormat> ParseLogFormat(std::string_view text) {
  if (text == "text") return LogFormat::kText;
  if (text == "json") return LogFormat::kJson;
  return InvalidArgument(fmt::format("--log-format is text or json, not \"{}\"", text),
                         "log-format");
}

void UseLogFormat(LogFormat format) {
  // Text is spdlog's own default, left as it is.
  if (format == LogFormat::kJson) spdlog::set_formatter(std::make_unique<JsonFormatter>());
}

RequestLogScope::RequestLogScope(std::string request_id) : previous_(std::move(t_request_id)) {
  t_request_id = std::move(request_id);
}

RequestLogScope::~RequestLogScope() { t_request_id = std::move(previous_); }

const std::string& CurrentRequestId() { return t_request_id; }

std::string RequestIdFor(std::string_view given) {
  const bool safe = !given.empty() && given.size() <= 64 &&
                    given.find_first_not_of(
                        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                        "vwxyz0123456789._:-") == std::string_view::npos;
  return safe ? std::string(given) : HexEncode(RandomBytes(8));
}

void LogAccess(const AccessLine& line) {
  t_access = &line;
  spdlog::info("{} {} {} {} {:.1f}ms", line.address, line.method, line.path, line.status, line.ms);
  t_access = nullptr;
}

}  // namespace rampart::http

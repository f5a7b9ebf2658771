#include "http/server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <regex>

#include "base/crypto.h"
#include "base/memory.h"
#include "base/text.h"
#include "http/api/api.h"
#include "http/errors.h"
#include "http/log.h"
#include "http/router.h"
#include "http/web/web.h"

namespace rampart::http {

namespace {

// Applied to every response that does not set its own. The CSP allows only this origin's own
// files: no inline script or style, no framing.
const std::vector<std::pair<std::string, std::string>>& SecurityHeaders() {
  static const std::vector<std::pair<std::string, std::string>> kHeaders = {
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "same-origin"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cache-Control", "no-store"},
  };
  return kHeaders;
}

// An evidence upload (API or page): the one kind of request whose body may exceed the body limit,
// up to the evidence limit.
bool IsUpload(const HttpRequest& req) {
  // Evidence files, spreadsheets to import (the API's dry run and proposal, the import page) and
  // OSCAL frameworks (the page's import; the API's, a multipart POST to /api/v1/frameworks,
  // where JSON bodies keep the body limit).
  static const std::regex kUpload(
      R"(^(/api/v1)?/[a-z0-9-]+/(\d+/evidence|import(/mapping)?)$|^/frameworks/oscal-import$)");
  if (req.method != "POST") return false;
  if (req.path == "/api/v1/frameworks") {
    return req.Header("Content-Type").rfind("multipart/form-data", 0) == 0;
  }
  return std::regex_match(req.path, kUpload);
}

// Room for the multipart envelope and the form fields around an upload's file.
constexpr size_t kUploadEnvelope = 64 * 1024;

// Text for one field of the access log: printable ASCII kept, everything else (control characters
// such as CR, LF and ESC, spaces, '%' and bytes beyond ASCII) percent-encoded.
std::string LogField(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b >= 0x7f || c == '%' || c == '"') {
      out += fmt::format("%{:02X}", b);
    } else {
      out.push_back(c);
    }
  }
  return out.empty() ? "-" : out;
}

// A request's method as a metrics label: the methods Rampart answers, anything else "other" (a
// client must not be able to make series without end).
std::string_view MethodLabel(std::string_view method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "other";
}

}  // namespace

Server::Server(app::Services& services, ServerOptions options)
    : services_(services), options_(std::move(options)) {
  const bool tls = !options_.tls_cert.empty() || !options_.tls_key.empty();
  router_ =
      std::make_unique<Router>(services_, RouterOptions{.secure_cookies = tls,
                                                        .trust_proxy = options_.trust_proxy,
                                                        .server_timing = options_.server_timing});
  metrics_ = std::make_unique<Metrics>(
      services_, [this] { return transport_ ? transport_->OpenConnections() : size_t{0}; });
  router_->Unguarded("GET", "/healthz", [](HttpRequest&, HttpResponse& res) {
    res.SetContent("{\"status\":\"ok\"}", "application/json");
  });
  router_->Unguarded("GET", "/readyz", [this](HttpRequest&, HttpResponse& res) {
    domain::Json checks = domain::Json::object();
    bool ready = true;
    if (options_.readiness) {
      for (const auto& [name, outcome] : options_.readiness()) {
        checks[name] = outcome;
        ready = ready && outcome == "ok";
      }
    }
    res.status = ready ? 200 : 503;
    res.SetContent(domain::Json{{"status", ready ? "ready" : "not ready"}, {"checks", checks}}.dump(
                       -1, ' ', false, domain::Json::error_handler_t::replace),
                   "application/json");
    if (!ready) res.SetHeader("Retry-After", "5");
  });
  RegisterApiRoutes(*router_);
  RegisterWebRoutes(*router_);
  router_->AnswerOtherMethods();

  const size_t max_body = options_.max_body_bytes;
  const size_t max_upload = static_cast<size_t>(services_.evidence.max_bytes()) + kUploadEnvelope;
  transport_ = std::make_unique<Transport>(
      TransportOptions{.host = options_.host,
                       .port = options_.port,
                       .threads = options_.threads,
                       .tls_cert = options_.tls_cert,
                       .tls_key = options_.tls_key,
                       .limits = options_.limits},
      Application{
          .body_limit =
              [max_body, max_upload](const HttpRequest& head) {
                return IsUpload(head) ? max_upload : max_body;
              },
          .handle = [this](HttpRequest& req, HttpResponse& res) { Handle(req, res); },
          .refuse = [this](const HttpRequest& head, const Refusal& why,
                           HttpResponse& res) { Refuse(head, why, res); },
      });
}

Server::~Server() = default;

std::vector<RouteInfo> Server::Routes() const { return router_->DocumentedRoutes(); }

Result<int> Server::Bind() { return transport_->Bind(); }

Status Server::Run() {
  std::optional<MemoryKeeper> keeper;
  if (options_.return_memory) {
    TuneAllocator();
    keeper.emplace();
  }
  return transport_->Run();
}

void Server::Stop() { transport_->Stop(); }

void Server::Handle(HttpRequest& req, HttpResponse& res) const {
  const auto start = std::chrono::steady_clock::now();
  RequestLogScope scope(RequestIdFor(req.Header("X-Request-Id")));
  try {
    Status parsed = Status::Ok();
    if (req.IsMultipartFormData()) parsed = ParseMultipart(req, req.Header("Content-Type"));
    if (!parsed.ok()) {
      WriteError(req, {400, parsed}, res);
    } else if (IsScrape(req)) {
      req.route = "(prometheus scrape)";
      res.SetContent(metrics_->Render(), "text/plain; version=0.0.4; charset=utf-8");
    } else if (!router_->Dispatch(req, res)) {
      WriteError(req, {404, NotFound("no such page or route: " + req.path)}, res);
    } else if (res.status >= 400 && res.body.empty()) {
      // A handler that set only a status: say which, never a vague "could not be handled".
      WriteError(req,
                 {res.status, Status(Code::kInvalidArgument,
                                     fmt::format("the request was refused (HTTP {})", res.status))},
                 res);
    }
  } catch (const std::exception& e) {
    spdlog::error("unhandled exception in {} {}: {}", LogField(req.method), LogField(req.path),
                  e.what());
    res = HttpResponse{};
    WriteJsonError(res, Internal("internal error"));
  }
  Finish(req, res, start);
}

bool Server::IsScrape(const HttpRequest& req) const {
  if (options_.metrics_token.empty() || req.method != "GET" || req.path != "/metrics") return false;
  const auto token = BearerToken(req);
  return token && ConstantTimeEquals(*token, options_.metrics_token);
}

void Server::Refuse(const HttpRequest& head, const Refusal& why, HttpResponse& res) const {
  RequestLogScope scope(RequestIdFor(head.Header("X-Request-Id")));
  WriteError(head, why, res);
  Finish(head, res, std::chrono::steady_clock::now());
}

void Server::WriteError(const HttpRequest& head, const Refusal& why, HttpResponse& res) const {
  const bool api = head.path.rfind("/api/", 0) == 0 || head.path.empty();
  Status st = why.reason;
  if (why.http_status == 413 && IsUpload(head)) {
    st = Status(Code::kTooLarge,
                fmt::format("the file is larger than the {} MiB the server accepts",
                            services_.evidence.max_bytes() >> 20),
                "file");
  }
  if (api) {
    WriteJsonError(res, st);
  } else {
    WriteHtmlError(res, why.http_status, st);
  }
  res.status = why.http_status;
  if (why.http_status == 503) res.SetHeader("Retry-After", "5");
}

void Server::Finish(const HttpRequest& req, HttpResponse& res,
                    std::chrono::steady_clock::time_point start) const {
  for (const auto& [name, value] : SecurityHeaders()) {
    if (!res.HasHeader(name)) res.headers.emplace(name, value);
  }
  const bool tls = !options_.tls_cert.empty() || !options_.tls_key.empty();
  if (tls && !res.HasHeader("Strict-Transport-Security")) {
    res.headers.emplace("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  }
  if (!CurrentRequestId().empty()) res.SetHeader("X-Request-Id", CurrentRequestId());
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  metrics_->CountRequest(req.route, MethodLabel(req.method), res.status, took.count() / 1000);
  if (options_.access_log) {
    LogAccess({.address = LogField(ClientAddress(req, options_.trust_proxy)),
               .method = LogField(req.method),
               .path = LogField(req.path),
               .status = res.status,
               .ms = took.count()});
  }
}

}  // namespace rampart::http

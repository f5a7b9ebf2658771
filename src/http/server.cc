#include "http/server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <regex>

#include "base/text.h"
#include "http/api/api.h"
#include "http/errors.h"
#include "http/router.h"
#include "http/web/web.h"

namespace rampart::http {

namespace {

// Applied to every response. The CSP allows only this origin's own files: no inline script or
// style, no framing.
const httplib::Headers& SecurityHeaders() {
  static const httplib::Headers kHeaders = {
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
bool IsUpload(const httplib::Request& req) {
  static const std::regex kUpload(R"(^(/api/v1)?/[a-z0-9-]+/\d+/evidence$)");
  return req.method == "POST" && std::regex_match(req.path, kUpload);
}

// Room for the multipart envelope and the form fields around an upload's file.
constexpr size_t kUploadEnvelope = 64 * 1024;

}  // namespace

namespace {

std::unique_ptr<httplib::Server> MakeServer(const ServerOptions& o) {
  if (!o.tls_cert.empty() || !o.tls_key.empty()) {
    return std::make_unique<httplib::SSLServer>(o.tls_cert.c_str(), o.tls_key.c_str());
  }
  return std::make_unique<httplib::Server>();
}

}  // namespace

Server::Server(app::Services& services, ServerOptions options)
    : services_(services), options_(std::move(options)), http_(MakeServer(options_)) {
  auto& s = *http_;
  const bool tls = !options_.tls_cert.empty() || !options_.tls_key.empty();
  s.set_tcp_nodelay(true);  // without it a small response waits for the delayed ACK (~40 ms)
  s.set_keep_alive_max_count(1000);
  s.set_keep_alive_timeout(10);
  s.set_read_timeout(15);
  s.set_write_timeout(15);
  // cpp-httplib has one body limit per server: it is the evidence limit (plus the multipart
  // envelope), and every other request is held to max_body_bytes by its Content-Length before
  // its body is read.
  const size_t max_upload = static_cast<size_t>(services_.evidence.max_bytes()) + kUploadEnvelope;
  s.set_payload_max_length(std::max(options_.max_body_bytes, max_upload));
  const size_t max_body = options_.max_body_bytes;
  s.set_pre_routing_handler([max_body](const httplib::Request& req, httplib::Response& res) {
    if (IsUpload(req)) return httplib::Server::HandlerResponse::Unhandled;
    const std::string length = req.get_header_value("Content-Length");
    const bool chunked =
        req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
    if (chunked || (!length.empty() && std::strtoull(length.c_str(), nullptr, 10) > max_body)) {
      res.status = chunked ? 411 : 413;
      res.set_header("Connection", "close");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  httplib::Headers headers = SecurityHeaders();
  if (tls) headers.emplace("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  s.set_default_headers(headers);
  const int threads = options_.threads;
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // handlers write their own error bodies
    Status st;
    switch (res.status) {
      case 404:
        st = NotFound("no such page or route: " + req.path);
        break;
      case 405:
        st = Status(Code::kInvalidArgument, "method not allowed");
        break;
      case 411:
        st = Status(Code::kInvalidArgument,
                    "send a Content-Length header (Content-Length: 0 for an empty body)");
        break;
      case 413:
        st = IsUpload(req)
                 ? Status(Code::kTooLarge, "the file is larger than the server accepts", "file")
                 : Status(Code::kTooLarge, "the request body is larger than the server accepts");
        break;
      default:
        st = Status(Code::kInvalidArgument, "the request could not be handled");
        break;
    }
    const int status = res.status;
    if (req.path.rfind("/api/", 0) == 0) {
      WriteJsonError(res, st);
    } else {
      WriteHtmlError(res, status, st);
    }
    res.status = status;
  });
  s.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("unhandled exception in {} {}: {}", req.method, req.path, what);
        res.body.clear();
        WriteJsonError(res, Internal("internal error"));
      });

  if (options_.access_log) {
    const bool trust_proxy = options_.trust_proxy;
    s.set_logger([trust_proxy](const httplib::Request& req, const httplib::Response& res) {
      spdlog::info("{} {} {} {}", ClientAddress(req, trust_proxy), req.method, req.path,
                   res.status);
    });
  }

  s.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\"}", "application/json");
  });

  router_ = std::make_unique<Router>(
      s, services_, RouterOptions{.secure_cookies = tls, .trust_proxy = options_.trust_proxy});
  RegisterApiRoutes(*router_);
  RegisterWebRoutes(*router_, s);
  router_->AnswerOtherMethods();
}

const std::vector<RouteInfo>& Server::Routes() const { return router_->routes(); }

Server::~Server() = default;

Result<int> Server::Bind() {
  if (!http_->is_valid()) {
    return InvalidArgument("cannot serve HTTPS: the TLS certificate or key (" + options_.tls_cert +
                           ", " + options_.tls_key + ") cannot be read or do not match");
  }
  int port = options_.port;
  if (port == 0) {
    port = http_->bind_to_any_port(options_.host);
  } else if (!http_->bind_to_port(options_.host, port)) {
    port = -1;
  }
  if (port < 0) {
    return Unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port));
  }
  return port;
}

Status Server::Run() {
  if (!http_->listen_after_bind()) return Unavailable("the server stopped unexpectedly");
  return Status::Ok();
}

void Server::Stop() { http_->stop(); }

}  // namespace rampart::http

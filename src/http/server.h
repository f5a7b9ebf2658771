// The HTTP server: the JSON API under /api/v1, the web pages, static assets, /healthz (the
// process answers) and /readyz (it should get traffic), over the asynchronous transport
// (http/transport.h), and Prometheus scrapes of /metrics (http/metrics.h). Every answer carries
// X-Request-Id (http/log.h). Start-up binds first (port 0
// picks a free port, for tests), then Run() serves until Stop(), which shuts down gracefully.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/services.h"
#include "base/status.h"
#include "http/metrics.h"
#include "http/transport.h"

namespace rampart::http {

class Router;
struct RouteInfo;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  size_t max_body_bytes = 1 << 20;  // larger request bodies get 413
  int threads = 16;
  // HTTPS when both are set (PEM files): cookies become `__Host-` prefixed and Secure, and
  // Strict-Transport-Security is sent.
  std::string tls_cert;
  std::string tls_key;
  // One line per request (address, method, path without the query, status, milliseconds) at
  // info level. Never a header, body or query string: no credential reaches the log. Control
  // characters, spaces and bytes beyond ASCII are percent-encoded, so a request cannot forge a
  // line or reach the terminal.
  bool access_log = false;
  // Behind a reverse proxy or load balancer: the client's address is the last entry of
  // X-Forwarded-For (only set this when every request comes through the proxy).
  bool trust_proxy = false;
  // Server-Timing (time spent in Rampart) on every answer, for the benchmarks.
  bool server_timing = false;
  // Timeouts, head size and connection caps (http/transport.h).
  TransportLimits limits;
  // GET /readyz: the checks this instance passes before it should get traffic (serve: the
  // database reachable, migrated, writable, with room to write), each a name and "ok" or what is
  // wrong; 503 when any is not "ok". Unset: /readyz answers 200 as /healthz does.
  std::function<std::vector<std::pair<std::string, std::string>>()> readiness;
  // While serving, freed memory goes back to the system (base/memory.h): large buffers at once,
  // the rest within a second of a request that freed more than 16 MB.
  bool return_memory = true;
  // A GET /metrics bearing this token (`Authorization: Bearer`) is a Prometheus scrape, answered
  // with the exposition (http/metrics.h); any other request for /metrics is the measurement
  // metrics' page (clause 9.1) as before. Empty: no scrapes.
  std::string metrics_token;
};

class Server {
 public:
  Server(app::Services& services, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the port (useful when options.port is 0).
  Result<int> Bind();
  // Serves until Stop() is called from another thread. Requires Bind().
  Status Run();
  // Graceful: stops accepting, closes idle connections, lets requests in flight finish (within
  // limits.shutdown_grace); Run() then returns.
  void Stop();

  // Connections open now.
  size_t OpenConnections() const { return transport_->OpenConnections(); }

  // Every route with its guard (the role matrix test walks them).
  std::vector<RouteInfo> Routes() const;  // with their documentation

  // What GET /metrics exposes; background jobs count their runs here.
  Metrics& metrics() { return *metrics_; }

 private:
  void Handle(HttpRequest& req, HttpResponse& res) const;
  // A Prometheus scrape: GET /metrics with the metrics token.
  bool IsScrape(const HttpRequest& req) const;
  // The transport's refusal of a request (malformed, too large, too many connections), answered
  // and logged like any other.
  void Refuse(const HttpRequest& head, const Refusal& why, HttpResponse& res) const;
  void WriteError(const HttpRequest& head, const Refusal& why, HttpResponse& res) const;
  void Finish(const HttpRequest& req, HttpResponse& res,
              std::chrono::steady_clock::time_point start) const;

  app::Services& services_;
  ServerOptions options_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<Transport> transport_;  // calls Handle: declared after what Handle uses
};

}  // namespace rampart::http

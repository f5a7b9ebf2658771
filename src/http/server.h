// The HTTP server: the JSON API under /api/v1, the web pages, static assets and /healthz, on
// cpp-httplib with a thread pool. Start-up binds first (port 0 picks a free port, for tests),
// then Run() serves until Stop().
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "app/services.h"
#include "base/status.h"

namespace httplib {
class Server;
}

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
  // info level. Never a header, body or query string: no credential reaches the log.
  bool access_log = false;
  // Behind a reverse proxy or load balancer: the client's address is the last entry of
  // X-Forwarded-For (only set this when every request comes through the proxy).
  bool trust_proxy = false;
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
  void Stop();

  // Every route with its guard (the role matrix test walks them).
  const std::vector<RouteInfo>& Routes() const;

 private:
  app::Services& services_;
  ServerOptions options_;
  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<Router> router_;  // handlers capture it: lives as long as the server
};

}  // namespace rampart::http

// The HTTP/1.1 transport: Boost.Beast on Boost.Asio with C++20 coroutines, plain or TLS
// (OpenSSL). It reads requests into http::HttpRequest, hands them to the application and writes
// its http::HttpResponse back; no other file sees Boost.
//
// Why asynchronous: a connection costs no thread while it is idle or slow, so idle keep-alive
// connections and slow clients cannot starve the server (the thread-per-connection server before
// it was starved by 16 of them). What protects it, enforced while reading and before the
// application (so before authentication):
// - the whole request head must arrive within `head_timeout` of its first byte (slow headers);
//   an idle keep-alive connection is closed after `idle_timeout`; the body must arrive within
//   `body_timeout`, a response be taken within `write_timeout`, each extended by the time its
//   size takes at 64 KiB/s (an evidence file on a slow link);
// - the head is at most `max_header_bytes` with at most `max_header_count` fields (431), its
//   target (path and query) at most `max_target_bytes` (414);
// - the body is at most what Application::body_limit allows for the request's head, counted as it
//   is read, chunked bodies too (413, and the connection is closed); a Content-Length over the
//   limit is refused before any of the body is read;
// - two different Content-Length headers, or Content-Length with Transfer-Encoding, are refused
//   (400), as are malformed heads;
// - at most `max_connections` connections in all and `max_connections_per_address` from one
//   address: others are answered 503 and closed.
// Stop() shuts down gracefully: no new connections, idle ones closed, requests in flight finish
// and are answered with `Connection: close`, all within `shutdown_grace`.
//
// Thread-safety: Bind and Run from one thread; Stop from any thread (also from a signal-waiting
// thread). The application's functions run on the transport's threads, several at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "http/message.h"

namespace rampart::http {

// What a connection may take (see above); the README's Security section states the defaults.
struct TransportLimits {
  std::chrono::milliseconds head_timeout{10'000};
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds body_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds shutdown_grace{10'000};
  size_t max_target_bytes = 8 * 1024;  // the path and query (414)
  size_t max_header_bytes = 16 * 1024;
  size_t max_header_count = 100;
  size_t max_connections = 10'000;
  size_t max_connections_per_address = 1'000;
};

struct TransportOptions {
  std::string host = "127.0.0.1";
  int port = 8080;       // 0: any free port
  int threads = 16;      // threads running handlers (and their connections' I/O); one more accepts
  std::string tls_cert;  // PEM files; HTTPS when set
  std::string tls_key;
  TransportLimits limits;
};

// Why the transport refused a request without handing it to the application.
struct Refusal {
  int http_status;  // 400, 413, 431, 503
  Status reason;
};

struct Application {
  // The largest body accepted for a request with this head (its body is still empty).
  std::function<size_t(const HttpRequest& head)> body_limit;
  // Answers a request. May block (it runs on one of the transport's threads).
  std::function<void(HttpRequest& req, HttpResponse& res)> handle;
  // Writes the answer to a refused request. `head` holds what was read of it (the method and
  // path may be empty when the head itself was malformed).
  std::function<void(const HttpRequest& head, const Refusal& why, HttpResponse& res)> refuse;
};

class Transport {
 public:
  Transport(TransportOptions options, Application app);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Loads the TLS certificate and key (when set), binds and listens; returns the port.
  // kInvalidArgument for a TLS certificate or key that cannot be read or do not match;
  // kUnavailable when the address cannot be bound.
  Result<int> Bind();
  // Serves until Stop(); returns once every connection is closed (or the grace period ended).
  Status Run();
  // Graceful shutdown (see above). Safe to call more than once and before Run().
  void Stop();

  // Connections open now (for tests and logging).
  size_t OpenConnections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rampart::http

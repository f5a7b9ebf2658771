// The one translation unit that includes Boost.Asio and Boost.Beast (they are slow to compile).
#include "http/transport.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace rampart::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using ErrorCode = boost::system::error_code;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// A large body (an evidence file) gets longer than the body or write timeout: the time it takes
// at the slowest rate still served, 64 KiB/s.
std::chrono::milliseconds AtSlowestRate(uint64_t bytes) {
  return std::chrono::milliseconds(bytes / 64);  // 64 KiB/s = 65.5 bytes per millisecond
}

// How long a refused or closing connection is drained (its unread bytes read and dropped) so the
// client reads the answer instead of a reset.
constexpr std::chrono::milliseconds kDrainTime{500};
constexpr size_t kDrainBytes = 256 * 1024;

// A connection: its TCP stream, with TLS on top when serving HTTPS. Shared by its coroutine and
// Stop(), which cancels it while it waits between requests.
struct Connection {
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  std::string address;
  size_t context = 0;  // the index of the io_context (thread) that serves it
  // Only read and written on the connection's thread.
  bool between_requests = true;

  beast::tcp_stream& Lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
};

// The peer went away, a deadline passed, or the connection was cancelled: nothing to answer.
bool IsDisconnect(const ErrorCode& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::operation_aborted || ec == beast::error::timeout ||
         ec == asio::error::broken_pipe || ec == asio::error::bad_descriptor ||
         ec == asio::ssl::error::stream_truncated || ec == asio::error::not_connected;
}

Refusal RefusalFor(const ErrorCode& ec, const TransportOptions& o) {
  if (ec == bhttp::error::header_limit) {
    return {431, Status(Code::kTooLarge, "the request head is larger than " +
                                             std::to_string(o.limits.max_header_bytes) + " bytes")};
  }
  if (ec == bhttp::error::body_limit) {
    return {413, Status(Code::kTooLarge, "the request body is larger than the server accepts")};
  }
  if (ec == bhttp::error::multiple_content_length) {
    return {400, InvalidArgument("the request has conflicting Content-Length headers")};
  }
  if (ec == bhttp::error::bad_content_length) {
    return {400, InvalidArgument("the request's Content-Length is not a number, or it is sent "
                                 "with Transfer-Encoding")};
  }
  if (ec == bhttp::error::bad_transfer_encoding) {
    return {400, InvalidArgument("the request's Transfer-Encoding is not supported")};
  }
  return {400, InvalidArgument("malformed HTTP request: " + ec.message())};
}

Refusal TargetTooLong(const TransportOptions& o) {
  return {414, InvalidArgument("the request's address is longer than " +
                               std::to_string(o.limits.max_target_bytes) + " bytes")};
}

// How long the first line of what was read is; the whole buffer when it holds no line end.
size_t RequestLineLength(const beast::flat_buffer& buffer) {
  const std::string_view data(static_cast<const char*>(buffer.data().data()), buffer.size());
  const size_t end = data.find("\r\n");
  return end == std::string_view::npos ? data.size() : end;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && !CaseInsensitiveLess()(a, b) && !CaseInsensitiveLess()(b, a);
}

// A header value as written: CR and LF would end the header and start another.
std::string HeaderSafe(std::string v) {
  for (char& c : v) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return v;
}

// Lets a connection take as many file descriptors as the system allows this process: an idle
// connection costs one descriptor and no thread.
void RaiseDescriptorLimit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

}  // namespace

struct Transport::Impl {
  Impl(TransportOptions options, Application application)
      : o(std::move(options)), app(std::move(application)) {}

  TransportOptions o;
  Application app;
  std::atomic<bool> stopping{false};

  mutable std::mutex mu;  // guards the three below
  std::unordered_set<std::shared_ptr<Connection>> connections;
  std::unordered_map<std::string, size_t> per_address;

  std::optional<asio::ssl::context> tls;
  // One io_context per thread, each run by its own thread: a request is read, handled and
  // answered on one thread without locking or hand-offs (a shared io_context run by 16 threads
  // cost four times the CPU per request). The first only accepts and shuts down, so a handler
  // that blocks never holds up accepting; connections go to the others, preferring one that is
  // not running a handler. Declared last: destroying them destroys pending coroutines, which
  // still use the members above.
  std::vector<std::unique_ptr<asio::io_context>> contexts = MakeContexts(o.threads);
  std::vector<std::unique_ptr<std::atomic<int>>> busy = MakeCounters(contexts.size());
  std::atomic<size_t> next{0};
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  asio::io_context& ioc = *contexts.front();
  tcp::acceptor acceptor{ioc};

  static std::vector<std::unique_ptr<asio::io_context>> MakeContexts(int threads) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (int i = 0; i < std::max(threads, 1) + (threads > 1 ? 1 : 0); ++i) {
      out.push_back(std::make_unique<asio::io_context>(1));  // one thread runs each
    }
    return out;
  }
  static std::vector<std::unique_ptr<std::atomic<int>>> MakeCounters(size_t n) {
    std::vector<std::unique_ptr<std::atomic<int>>> out;
    for (size_t i = 0; i < n; ++i) out.push_back(std::make_unique<std::atomic<int>>(0));
    return out;
  }
  // The context for a new connection: the next in turn that is not running a handler.
  size_t PickContext() {
    const size_t first = contexts.size() > 1 ? 1 : 0;
    const size_t n = contexts.size() - first;
    const size_t start = next.fetch_add(1, std::memory_order_relaxed) % n;
    for (size_t i = 0; i < n; ++i) {
      const size_t c = first + (start + i) % n;
      if (busy[c]->load(std::memory_order_relaxed) == 0) return c;
    }
    return first + start;
  }
  void StopContexts() {
    for (auto& g : guards) g.reset();
    for (auto& c : contexts) c->stop();
  }

  awaitable<void> Accept();
  awaitable<void> Session(std::shared_ptr<Connection> conn);
  template <class Stream>
  awaitable<void> Serve(std::shared_ptr<Connection> conn, Stream& stream);
  template <class Stream>
  awaitable<bool> Write(Connection& conn, Stream& stream, HttpResponse& res, unsigned version,
                        bool keep_alive);
  // Fills req from a head that was read; the refusal when the head breaks a limit.
  std::optional<Refusal> ReadHead(const bhttp::request_parser<bhttp::string_body>::value_type& head,
                                  HttpRequest& req) const;
  template <class Stream>
  awaitable<void> Refuse(Connection& conn, Stream& stream, const HttpRequest& head,
                         const Refusal& why);
  template <class Stream>
  awaitable<void> Close(Connection& conn, Stream& stream, bool drain);
  awaitable<void> AnswerBusy(std::shared_ptr<Connection> conn);
  awaitable<void> Shutdown();

  std::shared_ptr<Connection> MakeConnection(tcp::socket socket) {
    auto conn = std::make_shared<Connection>();
    ErrorCode ec;
    const auto peer = socket.remote_endpoint(ec);
    conn->address = ec ? std::string() : peer.address().to_string();
    socket.set_option(tcp::no_delay(true), ec);  // a small answer must not wait for an ACK
    if (tls) {
      conn->tls.emplace(beast::tcp_stream(std::move(socket)), *tls);
    } else {
      conn->plain.emplace(std::move(socket));
    }
    return conn;
  }

  // Counts the connection in, or false when a cap is reached.
  bool Admit(const std::shared_ptr<Connection>& conn) {
    std::lock_guard lock(mu);
    size_t& from_address = per_address[conn->address];
    if (connections.size() >= o.limits.max_connections ||
        from_address >= o.limits.max_connections_per_address) {
      if (from_address == 0) per_address.erase(conn->address);
      return false;
    }
    ++from_address;
    connections.insert(conn);
    return true;
  }

  void Release(const std::shared_ptr<Connection>& conn) {
    std::lock_guard lock(mu);
    if (connections.erase(conn) == 0) return;
    auto it = per_address.find(conn->address);
    if (it != per_address.end() && --it->second == 0) per_address.erase(it);
  }
};

Transport::Transport(TransportOptions options, Application app)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(app))) {}

Transport::~Transport() {
  Stop();
  impl_->StopContexts();
}

size_t Transport::OpenConnections() const {
  std::lock_guard lock(impl_->mu);
  return impl_->connections.size();
}

Result<int> Transport::Bind() {
  Impl& m = *impl_;
  if (!m.o.tls_cert.empty() || !m.o.tls_key.empty()) {
    const auto bad =
        InvalidArgument("cannot serve HTTPS: the TLS certificate or key (" + m.o.tls_cert + ", " +
                        m.o.tls_key + ") cannot be read or do not match");
    try {
      asio::ssl::context ctx(asio::ssl::context::tls_server);
      ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
      ctx.use_certificate_chain_file(m.o.tls_cert);
      ctx.use_private_key_file(m.o.tls_key, asio::ssl::context::pem);
      if (SSL_CTX_check_private_key(ctx.native_handle()) != 1) return bad;
      m.tls.emplace(std::move(ctx));
    } catch (const boost::system::system_error&) {
      return bad;
    }
  }
  RaiseDescriptorLimit();
  const std::string where = m.o.host + ":" + std::to_string(m.o.port);
  try {
    tcp::resolver resolver(m.ioc);
    const auto results = resolver.resolve(m.o.host, std::to_string(m.o.port),
                                          tcp::resolver::passive | tcp::resolver::numeric_service);
    if (results.empty()) return Unavailable("cannot listen on " + where);
    const tcp::endpoint endpoint = results.begin()->endpoint();
    m.acceptor.open(endpoint.protocol());
    m.acceptor.set_option(asio::socket_base::reuse_address(true));
    m.acceptor.bind(endpoint);
    m.acceptor.listen(asio::socket_base::max_listen_connections);
    return static_cast<int>(m.acceptor.local_endpoint().port());
  } catch (const boost::system::system_error& e) {
    return Unavailable("cannot listen on " + where + ": " + e.code().message());
  }
}

Status Transport::Run() {
  Impl& m = *impl_;
  if (!m.acceptor.is_open()) return FailedPrecondition("the server is not bound");
  if (m.stopping) return Status::Ok();
  for (auto& c : m.contexts) m.guards.push_back(asio::make_work_guard(*c));
  asio::co_spawn(m.ioc, m.Accept(), asio::detached);
  auto loop = [](asio::io_context& ioc) {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("HTTP transport: {}", e.what());
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t i = 1; i < m.contexts.size(); ++i) {
    threads.emplace_back([&m, i, loop] { loop(*m.contexts[i]); });
  }
  loop(m.ioc);
  for (auto& t : threads) t.join();
  return Status::Ok();
}

void Transport::Stop() {
  Impl& m = *impl_;
  if (m.stopping.exchange(true)) return;
  asio::co_spawn(m.ioc, m.Shutdown(), asio::detached);
}

awaitable<void> Transport::Impl::Shutdown() {
  ErrorCode ec;
  acceptor.close(ec);
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(mu);
    open.assign(connections.begin(), connections.end());
  }
  // Connections waiting for a request are closed; those with one in flight finish it.
  for (auto& conn : open) {
    asio::post(conn->Lowest().get_executor(), [conn] {
      if (conn->between_requests) conn->Lowest().cancel();
    });
  }
  open.clear();  // a connection's coroutine owns it: its socket closes when the coroutine ends
  const auto deadline = std::chrono::steady_clock::now() + o.limits.shutdown_grace;
  asio::steady_timer timer(ioc);
  for (;;) {
    {
      std::lock_guard lock(mu);
      if (connections.empty()) break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      spdlog::warn("stopping with requests still in flight after the grace period");
      break;
    }
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(kTuple);
  }
  StopContexts();
}

awaitable<void> Transport::Impl::Accept() {
  asio::steady_timer backoff(ioc);
  while (!stopping) {
    const size_t context = PickContext();
    auto [ec, socket] = co_await acceptor.async_accept(*contexts[context], kTuple);
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) co_return;
      // Out of descriptors (or another passing failure): wait a little instead of spinning.
      spdlog::warn("accepting a connection failed: {}", ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(kTuple);
      continue;
    }
    auto conn = MakeConnection(std::move(socket));
    conn->context = context;
    auto executor = conn->Lowest().get_executor();
    if (Admit(conn)) {
      asio::co_spawn(executor, Session(std::move(conn)), asio::detached);
    } else {
      asio::co_spawn(executor, AnswerBusy(std::move(conn)), asio::detached);
    }
  }
}

awaitable<void> Transport::Impl::Session(std::shared_ptr<Connection> conn) {
  // However the coroutine ends, the socket is closed and the connection counted out.
  struct Leave {
    Impl& impl;
    std::shared_ptr<Connection> conn;
    ~Leave() {
      ErrorCode ignored;
      conn->Lowest().socket().close(ignored);
      impl.Release(conn);
    }
  } leave{*this, conn};
  if (conn->tls) {
    conn->Lowest().expires_after(o.limits.head_timeout);
    auto [ec] = co_await conn->tls->async_handshake(asio::ssl::stream_base::server, kTuple);
    if (ec) co_return;
    co_await Serve(conn, *conn->tls);
  } else {
    co_await Serve(conn, *conn->plain);
  }
}

template <class Stream>
awaitable<void> Transport::Impl::Serve(std::shared_ptr<Connection> conn, Stream& stream) {
  // GCC 12 destroys temporaries inside a co_await expression twice (GCC bug 100611 and kin):
  // every argument of an awaited call below is a named variable.
  beast::flat_buffer buffer;
  bool first = true;
  std::optional<Refusal> refusal;
  for (;;) {
    conn->between_requests = true;
    if (stopping) break;
    if (buffer.size() == 0) {
      // Waiting for the next request costs no thread; an idle connection is closed after its
      // timeout (the first request's head has the head timeout from the connection's start).
      conn->Lowest().expires_after(first ? o.limits.head_timeout : o.limits.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kTuple);
      if (ec) co_return;
      buffer.commit(n);
    }
    first = false;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(o.limits.max_header_bytes));
    // Checked against the request's own limit once its head is known, below.
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    conn->Lowest().expires_after(o.limits.head_timeout);
    HttpRequest req;
    req.remote_addr = conn->address;
    size_t limit = 0;
    {
      auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
      if (ec == bhttp::error::header_limit &&
          RequestLineLength(buffer) > o.limits.max_target_bytes) {
        refusal = TargetTooLong(o);
      } else if (ec && IsDisconnect(ec)) {
        co_return;
      } else if (ec) {
        refusal = RefusalFor(ec, o);
      } else {
        conn->between_requests = false;
        refusal = ReadHead(parser.get(), req);
        if (!refusal) {
          limit = app.body_limit(req);
          if (parser.content_length() && *parser.content_length() > limit) {
            refusal = RefusalFor(bhttp::error::body_limit, o);
          }
        }
      }
    }
    if (refusal) {
      co_await Refuse(*conn, stream, req, *refusal);
      co_return;
    }
    if (!parser.is_done()) {
      parser.body_limit(limit);  // counted while reading: chunked bodies too
      if (EqualsNoCase(req.Header("Expect"), "100-continue")) {
        bhttp::response<bhttp::empty_body> go{bhttp::status::continue_, parser.get().version()};
        conn->Lowest().expires_after(o.limits.write_timeout);
        auto [ec, n] = co_await bhttp::async_write(stream, go, kTuple);
        if (ec) co_return;
      }
      conn->Lowest().expires_after(o.limits.body_timeout +
                                   AtSlowestRate(parser.content_length().value_or(limit)));
      auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
      if (ec && IsDisconnect(ec)) co_return;
      if (ec) {
        refusal = RefusalFor(ec, o);
        co_await Refuse(*conn, stream, req, *refusal);
        co_return;
      }
    }
    req.body = std::move(parser.get().body());
    HttpResponse res;
    busy[conn->context]->fetch_add(1, std::memory_order_relaxed);
    struct NotBusy {
      std::atomic<int>& count;
      ~NotBusy() { count.fetch_sub(1, std::memory_order_relaxed); }
    } not_busy{*busy[conn->context]};
    try {
      app.handle(req, res);
    } catch (const std::exception& e) {
      spdlog::error("unhandled exception in {} {}: {}", req.method, req.path, e.what());
      res = HttpResponse{};
      app.refuse(req, {500, Internal("internal error")}, res);
      res.status = 500;
    }
    const bool keep_alive =
        parser.get().keep_alive() && !stopping && !EqualsNoCase(res.Header("Connection"), "close");
    const unsigned version = parser.get().version();
    const bool written = co_await Write(*conn, stream, res, version, keep_alive);
    if (!written) co_return;
    if (!keep_alive) break;
  }
  co_await Close(*conn, stream, /*drain=*/false);
}

std::optional<Refusal> Transport::Impl::ReadHead(
    const bhttp::request_parser<bhttp::string_body>::value_type& head, HttpRequest& req) const {
  req.method = std::string(head.method_string());
  req.target = std::string(head.target());
  size_t fields = 0;
  for (const auto& f : head) {
    req.headers.emplace(std::string(f.name_string()), std::string(f.value()));
    ++fields;
  }
  if (req.target.size() > o.limits.max_target_bytes) return TargetTooLong(o);
  if (fields > o.limits.max_header_count) {
    return Refusal{431, Status(Code::kTooLarge, "the request has more than " +
                                                    std::to_string(o.limits.max_header_count) +
                                                    " header fields")};
  }
  if (Status st = ParseTarget(req); !st.ok()) return Refusal{400, st};
  return std::nullopt;
}

template <class Stream>
awaitable<bool> Transport::Impl::Write(Connection& conn, Stream& stream, HttpResponse& res,
                                       unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> out;
  out.version(version);
  out.result(static_cast<unsigned>(res.status));
  for (auto& [name, value] : res.headers) {
    if (EqualsNoCase(name, "Connection") || EqualsNoCase(name, "Content-Length")) continue;
    out.insert(HeaderSafe(name), HeaderSafe(std::move(value)));
  }
  out.body() = std::move(res.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  conn.Lowest().expires_after(o.limits.write_timeout + AtSlowestRate(out.body().size()));
  auto [ec, n] = co_await bhttp::async_write(stream, out, kTuple);
  co_return !ec;
}

template <class Stream>
awaitable<void> Transport::Impl::Refuse(Connection& conn, Stream& stream, const HttpRequest& head,
                                        const Refusal& why) {
  HttpResponse res;
  app.refuse(head, why, res);
  res.status = why.http_status;
  const unsigned version = 11;
  const bool written = co_await Write(conn, stream, res, version, /*keep_alive=*/false);
  if (written) co_await Close(conn, stream, /*drain=*/true);
}

template <class Stream>
awaitable<void> Transport::Impl::Close(Connection& conn, Stream& stream, bool drain) {
  ErrorCode ec;
  if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
    conn.Lowest().expires_after(std::chrono::seconds(1));
    co_await stream.async_shutdown(kTuple);
  } else {
    conn.Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
  }
  if (drain) {
    // Unread request bytes would make the kernel reset the connection, and the client might lose
    // the answer; read what the client still sends for a moment, then close.
    conn.Lowest().expires_after(kDrainTime);
    std::vector<char> sink(16 * 1024);
    size_t drained = 0;
    while (drained < kDrainBytes) {
      auto [rec, n] = co_await conn.Lowest().async_read_some(asio::buffer(sink), kTuple);
      if (rec) break;
      drained += n;
    }
  }
  conn.Lowest().close();
}

awaitable<void> Transport::Impl::AnswerBusy(std::shared_ptr<Connection> conn) {
  HttpRequest none;
  none.remote_addr = conn->address;
  const Refusal busy{503, Unavailable("the server has too many connections; try again shortly")};
  if (conn->tls) {
    conn->Lowest().expires_after(std::chrono::seconds(2));
    auto [ec] = co_await conn->tls->async_handshake(asio::ssl::stream_base::server, kTuple);
    if (!ec) co_await Refuse(*conn, *conn->tls, none, busy);
  } else {
    co_await Refuse(*conn, *conn->plain, none, busy);
  }
}

}  // namespace rampart::http

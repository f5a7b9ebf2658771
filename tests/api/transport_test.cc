// The transport against the attacks of the security assessment (issue 11, findings 1-3 and 15):
// slow heads and bodies, chunked and header floods, conflicting Content-Length, thousands of idle
// connections, connection caps, graceful shutdown; and the access log's escaping, Server-Timing
// only when asked for. Raw sockets on loopback speak to a real server in this process.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <sstream>
#include <thread>
#include <vector>

#include "api/api_fixture.h"

namespace rampart::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A raw TCP connection to the server, for requests no well-behaved client would send.
class Raw {
 public:
  explicit Raw(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval tv{.tv_sec = 5, .tv_usec = 0};  // a send that blocks this long counts as refused
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  ~Raw() { Close(); }
  Raw(const Raw&) = delete;
  Raw& operator=(const Raw&) = delete;
  Raw(Raw&& o) noexcept : fd_(std::exchange(o.fd_, -1)), connected_(o.connected_) {}

  bool connected() const { return connected_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // False once the server no longer takes what is sent (closed, reset, or not reading for 5 s).
  bool Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads until the server closes the connection, `timeout` passes, or (when `until` is given)
  // that text has arrived.
  std::string Read(std::chrono::milliseconds timeout, std::string_view until = {}) {
    std::string out;
    const auto deadline = Clock::now() + timeout;
    char buf[16 * 1024];
    while (Clock::now() < deadline) {
      pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (::poll(&p, 1, static_cast<int>(std::max<int64_t>(left.count(), 1))) <= 0) continue;
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buf, static_cast<size_t>(n));
      if (!until.empty() && out.find(until) != std::string::npos) break;
    }
    return out;
  }

  // Whether the server closed the connection within `timeout` (what arrives before is dropped).
  bool ClosedWithin(std::chrono::milliseconds timeout) {
    closed_ = false;
    Read(timeout);
    return closed_;
  }

 private:
  int fd_;
  bool connected_ = false;
  bool closed_ = false;
};

// The status code of a raw HTTP response ("HTTP/1.1 413 ..." -> 413); 0 when none arrived.
int StatusOf(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

// The body of a raw response (after the blank line).
std::string BodyOf(const std::string& response) {
  const size_t end = response.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : response.substr(end + 4);
}

class TransportTest : public ApiTest {
 protected:
  TransportTest() {
    options_.limits.head_timeout = 1s;
    options_.limits.body_timeout = 1s;
    options_.limits.idle_timeout = 1s;
    options_.limits.shutdown_grace = 5s;
  }

  // Waits until the server counts `n` open connections (accepting happens asynchronously).
  bool WaitForConnections(size_t n, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      if (server_->OpenConnections() >= n) return true;
      std::this_thread::sleep_for(5ms);
    }
    return false;
  }

  // Sends `head` and then `chunk` again and again (up to `max_bytes`) while another thread reads
  // the answer; returns the answer and how much the server took before it stopped reading.
  std::pair<std::string, size_t> Flood(const std::string& head, const std::string& chunk,
                                       size_t max_bytes) {
    Raw raw(port_);
    EXPECT_TRUE(raw.connected());
    std::string answer;
    std::thread reader([&] { answer = raw.Read(20s, "\r\n\r\n"); });
    size_t sent = 0;
    if (raw.Send(head)) {
      while (sent < max_bytes && raw.Send(chunk)) sent += chunk.size();
    }
    reader.join();
    answer += raw.Read(1s, "}");  // the rest of a short JSON body
    return {answer, sent};
  }
};

TEST_F(TransportTest, ChunkedUploadIsRefusedWhileReadingBeforeAuthentication) {
  // No Authorization: the body limit holds before anybody is authenticated. The evidence limit is
  // 20 MiB; the old server took 300 MB of chunks into memory before answering 401.
  const std::string head =
      "POST /api/v1/context-issues/2/evidence HTTP/1.1\r\nHost: localhost\r\n"
      "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string chunk = "10000\r\n" + std::string(0x10000, 'x') + "\r\n";
  auto [answer, sent] = Flood(head, chunk, size_t{256} << 20);
  EXPECT_EQ(StatusOf(answer), 413) << answer.substr(0, 200);
  EXPECT_NE(BodyOf(answer).find("\"code\":\"too_large\""), std::string::npos) << answer;
  // What the server took: the limit plus what the sockets' buffers hold, far from 256 MiB.
  EXPECT_LT(sent, size_t{40} << 20);
}

TEST_F(TransportTest, ChunkedBodyOverTheBodyLimitIsRefused) {
  const std::string head =
      "POST /api/v1/context-issues HTTP/1.1\r\nHost: localhost\r\n"
      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string chunk = "1000\r\n" + std::string(0x1000, ' ') + "\r\n";
  auto [answer, sent] = Flood(head, chunk, size_t{64} << 20);
  EXPECT_EQ(StatusOf(answer), 413) << answer.substr(0, 200);
  EXPECT_LT(sent, size_t{16} << 20);
}

TEST_F(TransportTest, ContentLengthOverTheLimitIsRefusedBeforeTheBody) {
  Raw raw(port_);
  ASSERT_TRUE(
      raw.Send("POST /api/v1/context-issues HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
               "application/json\r\n"
               "Content-Length: 100000000\r\n\r\n"));
  const std::string answer = raw.Read(5s, "}");
  EXPECT_EQ(StatusOf(answer), 413) << answer;
}

TEST_F(TransportTest, ChunkedBodyWithinTheLimitIsAccepted) {
  Raw raw(port_);
  const std::string json = R"({"title":"Chunked","kind":"internal"})";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", json.size());
  ASSERT_TRUE(
      raw.Send("POST /api/v1/context-issues HTTP/1.1\r\nHost: localhost\r\n"
               "Authorization: Bearer " +
               token_ + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
               size + "\r\n" + json + "\r\n0\r\n\r\n"));
  const std::string answer = raw.Read(5s, "\"Chunked\"");
  EXPECT_EQ(StatusOf(answer), 201) << answer;
}

TEST_F(TransportTest, HeaderFloodIsRefused) {
  // One request with megabytes of 1 KB header lines (the old server grew by 600 MB).
  const std::string line = "X-Flood: " + std::string(1000, 'a') + "\r\n";
  auto [answer, sent] =
      Flood("GET /healthz HTTP/1.1\r\nHost: localhost\r\n", line, size_t{256} << 20);
  EXPECT_EQ(StatusOf(answer), 431) << answer.substr(0, 200);
  EXPECT_LT(sent, size_t{16} << 20);
}

TEST_F(TransportTest, TooManyHeaderFieldsAreRefused) {
  std::string request = "GET /api/v1/context-issues HTTP/1.1\r\nHost: localhost\r\n";
  for (int i = 0; i < 101; ++i) request += "X-" + std::to_string(i) + ": 1\r\n";
  Raw raw(port_);
  ASSERT_TRUE(raw.Send(request + "\r\n"));
  const std::string answer = raw.Read(5s, "}");
  EXPECT_EQ(StatusOf(answer), 431) << answer;
  EXPECT_NE(answer.find("more than 100 header fields"), std::string::npos) << answer;
}

TEST_F(TransportTest, ConflictingContentLengthsAreRefused) {
  Raw raw(port_);
  ASSERT_TRUE(
      raw.Send("POST /api/v1/context-issues HTTP/1.1\r\nHost: localhost\r\n"
               "Authorization: Bearer " +
               token_ +
               "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
               "Content-Length: 200\r\n\r\n{}"));
  const std::string answer = raw.Read(5s, "}");
  EXPECT_EQ(StatusOf(answer), 400) << answer;
  EXPECT_NE(answer.find("conflicting Content-Length"), std::string::npos) << answer;
}

TEST_F(TransportTest, ContentLengthWithChunkedIsRefused) {
  Raw raw(port_);
  ASSERT_TRUE(
      raw.Send("POST /api/v1/context-issues HTTP/1.1\r\nHost: localhost\r\n"
               "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
  EXPECT_EQ(StatusOf(raw.Read(5s, "}")), 400);
}

TEST_F(TransportTest, SlowHeadIsCutOffAtTheHeadDeadline) {
  // Slowloris: one header line every 200 ms never completes the head; the server closes the
  // connection at the 1 s head deadline while others are served.
  Raw slow(port_);
  ASSERT_TRUE(slow.Send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n"));
  const auto start = Clock::now();
  bool closed = false;
  while (Clock::now() - start < 5s) {
    if (!slow.Send("X-Slow: 1\r\n") || slow.ClosedWithin(200ms)) {
      closed = true;
      break;
    }
  }
  const auto took = Clock::now() - start;
  EXPECT_TRUE(closed);
  EXPECT_LT(took, 3s);
  auto ok = Client().Get("/healthz");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(TransportTest, SlowBodyIsCutOffAtTheBodyDeadline) {
  Raw slow(port_);
  ASSERT_TRUE(
      slow.Send("POST /api/v1/context-issues HTTP/1.1\r\nHost: localhost\r\n"
                "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"ti"));
  const auto start = Clock::now();
  bool closed = false;
  while (Clock::now() - start < 5s) {
    if (!slow.Send("x") || slow.ClosedWithin(200ms)) {
      closed = true;
      break;
    }
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(Clock::now() - start, 3s);
}

TEST_F(TransportTest, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  Raw raw(port_);
  ASSERT_TRUE(raw.Send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  EXPECT_EQ(StatusOf(raw.Read(5s, "}")), 200);
  const auto start = Clock::now();
  EXPECT_TRUE(raw.ClosedWithin(5s));
  EXPECT_GE(Clock::now() - start, 800ms);  // kept for the idle timeout (1 s), not closed at once
}

class ManyConnectionsTest : public TransportTest {
 protected:
  ManyConnectionsTest() {
    options_.limits.head_timeout = 60s;  // the idle connections must stay for the whole test
    options_.limits.idle_timeout = 60s;
    options_.limits.max_connections_per_address = 5000;
  }
};

TEST_F(ManyConnectionsTest, TwoThousandIdleConnectionsDoNotStarveOthers) {
  // The old server: 500 idle keep-alive connections made /healthz time out; 16 silent ones
  // blocked every other client. Here 2,000 silent connections cost no thread.
  std::vector<Raw> idle;
  idle.reserve(2000);
  for (int i = 0; i < 2000; ++i) {
    idle.emplace_back(port_);
    ASSERT_TRUE(idle.back().connected()) << "connection " << i;
  }
  ASSERT_TRUE(WaitForConnections(2000)) << server_->OpenConnections();
  std::vector<double> ms;
  auto client = Client();
  for (int i = 0; i < 5; ++i) {
    const auto start = Clock::now();
    auto r = client.Get("/healthz");
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  std::sort(ms.begin(), ms.end());
  EXPECT_LT(ms[2], 100.0) << "median /healthz with 2,000 idle connections";
  auto list = Get("/api/v1/context-issues");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 200);
}

class CappedConnectionsTest : public TransportTest {
 protected:
  CappedConnectionsTest() {
    options_.limits.head_timeout = 30s;
    options_.limits.max_connections_per_address = 3;
  }
};

TEST_F(CappedConnectionsTest, ConnectionsOverThePerAddressCapAreAnswered503) {
  std::vector<Raw> held;
  for (int i = 0; i < 3; ++i) held.emplace_back(port_);
  ASSERT_TRUE(WaitForConnections(3));
  Raw extra(port_);
  const std::string answer = extra.Read(5s, "}");
  EXPECT_EQ(StatusOf(answer), 503) << answer;
  EXPECT_NE(answer.find("Retry-After: 5"), std::string::npos) << answer;
  EXPECT_NE(answer.find("\"code\":\"unavailable\""), std::string::npos) << answer;
  held.clear();  // the server counts them out when it sees them closed
  const auto deadline = Clock::now() + 5s;
  while (server_->OpenConnections() > 0 && Clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  auto r = Client().Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

class ShutdownTest : public TransportTest {
 protected:
  ShutdownTest() { options_.limits.body_timeout = 10s; }
};

TEST_F(ShutdownTest, StopClosesIdleConnectionsAndFinishesRequestsInFlight) {
  const std::string json = R"({"title":"In flight","kind":"internal"})";
  Raw busy(port_);
  ASSERT_TRUE(
      busy.Send("POST /api/v1/context-issues HTTP/1.1\r\nHost: localhost\r\n"
                "Authorization: Bearer " +
                token_ + "\r\nContent-Type: application/json\r\nContent-Length: " +
                std::to_string(json.size()) + "\r\n\r\n" + json.substr(0, 5)));
  Raw idle(port_);
  ASSERT_TRUE(WaitForConnections(2));
  std::this_thread::sleep_for(100ms);  // the busy connection's head is read
  server_->Stop();
  EXPECT_TRUE(idle.ClosedWithin(2s));
  ASSERT_TRUE(busy.Send(json.substr(5)));
  const std::string answer = busy.Read(5s, "\"In flight\"");
  EXPECT_EQ(StatusOf(answer), 201) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  thread_.join();  // Run() returned
  auto after = Raw(port_);
  EXPECT_FALSE(after.connected());
}

TEST_F(TransportTest, AccessLogEscapesControlCharacters) {
  auto out = std::make_shared<std::ostringstream>();
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(*out));
  spdlog::set_default_logger(logger);
  Raw raw(port_);
  ASSERT_TRUE(
      raw.Send("GET /x%0d%0a127.0.0.1%20GET%20/forged%1b[31m HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  const std::string answer = raw.Read(5s, "</html>");
  spdlog::set_default_logger(previous);
  EXPECT_EQ(StatusOf(answer), 404);
  const std::string log = out->str();
  EXPECT_NE(log.find("/x%0D%0A127.0.0.1%20GET%20/forged%1B[31m 404"), std::string::npos) << log;
  EXPECT_EQ(log.find('\x1b'), std::string::npos);
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;
}

TEST_F(TransportTest, ServerTimingIsNotSentUnlessAskedFor) {
  auto r = Get("/api/v1/context-issues");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_FALSE(r->has_header("Server-Timing"));
}

class ServerTimingTest : public ApiTest {
 protected:
  ServerTimingTest() { options_.server_timing = true; }
};

TEST_F(ServerTimingTest, ServerTimingIsSentWhenAskedFor) {
  auto r = Get("/api/v1/context-issues");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_header_value("Server-Timing").rfind("app;dur=", 0), 0u);
}

TEST_F(TransportTest, DuplicateKeysInAJsonBodyAreRefused) {
  auto r =
      Client().Post("/api/v1/context-issues", Bearer(),
                    R"({"title":"First","kind":"internal","title":"Second"})", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Error(r), "invalid_argument/title");
  EXPECT_NE(r->body.find("more than once"), std::string::npos) << r->body;
  auto nested = Client().Post("/api/v1/interested-parties", Bearer(),
                              R"({"name":"Regulator","type":"regulator","requirements":)"
                              R"([{"text":"a","text":"b"}]})",
                              "application/json");
  ASSERT_TRUE(nested);
  EXPECT_EQ(nested->status, 400);
  EXPECT_EQ(Error(nested), "invalid_argument/text");
}

}  // namespace
}  // namespace rampart::testing

namespace rampart::testing {
namespace {

class ExportLimitTest : public ApiTest {};

TEST_F(ExportLimitTest, ExportsAreRateLimitedPerCaller) {
  // A viewer made 200 XLSX exports in 1.5 s: each caller now gets a burst, then one every few s.
  for (int i = 0; i < http::Router::kExportBurst; ++i) {
    auto r = Get("/api/v1/context-issues/export?format=csv");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << "export " << i;
  }
  auto over = Get("/api/v1/context-issues/export?format=csv");
  ASSERT_TRUE(over);
  EXPECT_EQ(over->status, 429);
  EXPECT_EQ(Error(over), "too_many_attempts/");
  EXPECT_FALSE(over->get_header_value("Retry-After").empty());
  // Each export has its own allowance: the treatment plan is still there, and is limited alike.
  for (int i = 0; i < http::Router::kExportBurst; ++i) {
    auto r = Get("/api/v1/risks/treatment-plan/export?format=xlsx");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << "treatment plan export " << i;
  }
  auto plan = Get("/api/v1/risks/treatment-plan/export?format=xlsx");
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->status, 429);
  // Another caller is not held back by alice's exports; other reads are not limited.
  ASSERT_TRUE(services_->members
                  .AddUser("", app::NewMember{.username = "bob",
                                              .role = domain::Role::kViewer,
                                              .password = "another correct horse"})
                  .ok());
  auto bob = services_->members.CreateToken("bob", "", "tests", true, "");
  ASSERT_TRUE(bob.ok());
  auto theirs = Get("/api/v1/context-issues/export?format=csv", Bearer(*bob));
  ASSERT_TRUE(theirs);
  EXPECT_EQ(theirs->status, 200) << theirs->body;
  auto list = Get("/api/v1/context-issues");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 200);
}

}  // namespace
}  // namespace rampart::testing

namespace rampart::testing {
namespace {

class RefusalEventsTest : public ApiTest {
 protected:
  std::vector<domain::AuditEvent> Events() {
    std::vector<domain::AuditEvent> out;
    EXPECT_TRUE(store_
                    ->ScanAudit([&](const domain::AuditEvent& e) {
                      out.push_back(e);
                      return true;
                    })
                    .ok());
    return out;
  }
};

TEST_F(RefusalEventsTest, TheRouterRecordsRefusalsAndTheCallersAddress) {
  // A wrong token (401) and a cross-site state change (403) become audit events with the address.
  auto bad = Get("/api/v1/context-issues", Bearer("not-a-token"));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 401);
  auto cross =
      Client().Post("/api/v1/context-issues", With(Bearer(), "Origin", "https://evil.example"),
                    R"({"title":"x","kind":"internal"})", "application/json");
  ASSERT_TRUE(cross);
  EXPECT_EQ(cross->status, 403);
  int denied = 0;
  for (const auto& e : Events()) {
    if (e.action != "access_denied") continue;
    ++denied;
    EXPECT_EQ(e.address, "127.0.0.1");
    EXPECT_EQ(e.diff["path"], "/api/v1/context-issues") << e.diff.dump();
  }
  EXPECT_EQ(denied, 2);
  // A change by a signed-in caller records the caller's address too.
  const Json issue = CreateIssue("Recorded with its address");
  const auto events = Events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().action, "create");
  EXPECT_EQ(events.back().address, "127.0.0.1");
}

}  // namespace
}  // namespace rampart::testing

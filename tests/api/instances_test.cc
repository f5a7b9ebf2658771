// Several Rampart instances on one PostgreSQL database behave as one system (issue 3, items 4 to
// 6): two Stores opened on the same database, each with its own Services and HTTP server on a
// port of its own, exactly what two `rampart serve` processes behind a load balancer are. Sessions
// and tokens work on either, concurrent writers through both lose and duplicate nothing, the
// audit trail stays one chain, and both keep serving after the database restarts.
//
// Runs on the cluster named by RAMPART_TEST_PG_URL; the restart test also needs the cluster's
// directory, RAMPART_TEST_PG_DIR (scripts/run-tests.sh sets both). Two instances migrating an
// empty database at once: StoreMigrate.MigratesOnceWhenTwoStoresStartAtOnce (tests/contract).
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/audit_service.h"
#include "app/services.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "cli/cli.h"
#include "cli/reminders.h"
#include "domain/support.h"
#include "domain/tasks.h"
#include "domain/identity.h"
#include "http/server.h"
#include "store/store.h"
#include "support/status_matchers.h"
#include "support/test_backend.h"

namespace rampart::testing {
namespace {

using Json = nlohmann::json;
using test::Backend;
using test::IsOk;
using ::testing::UnorderedElementsAre;

constexpr const char* kAlicePassword = "correct horse battery";
constexpr const char* kIssues = "/api/v1/context-issues";

// One `rampart serve`: a Store of its own (its own connection pool) on the shared database, its
// own Services, and an HTTP server on a free loopback port, serving on a thread of its own until
// destroyed.
class Instance {
 public:
  // Opens and migrates the database at `url`, then serves; returns once the server answers.
  static Result<std::unique_ptr<Instance>> Start(const std::string& url, const Clock& clock) {
    ASSIGN_OR_RETURN(auto store, store::OpenStore(url));
    RETURN_IF_ERROR(store->Migrate().status());
    auto instance = std::unique_ptr<Instance>(new Instance(std::move(store), clock));
    ASSIGN_OR_RETURN(instance->port_, instance->server_->Bind());
    instance->thread_ = std::thread([s = instance->server_.get()] { (void)s->Run(); });
    // Once /healthz answers, the server is in its accept loop, where Stop() reaches it.
    auto health = instance->Client().Get("/healthz");
    if (!health || health->status != 200) return Unavailable("the server does not answer");
    return instance;
  }

  ~Instance() {
    server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  store::Store& store() { return *store_; }
  app::Services& services() { return *services_; }

  // A client that keeps its connection open between requests, as a load balancer's would.
  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_keep_alive(true);
    client.set_read_timeout(30);
    return client;
  }

 private:
  Instance(std::unique_ptr<store::Store> store, const Clock& clock)
      : store_(std::move(store)),
        services_(std::make_unique<app::Services>(*store_, clock)),
        server_(std::make_unique<http::Server>(
            *services_, http::ServerOptions{.host = "127.0.0.1", .port = 0, .threads = 16})) {}

  std::unique_ptr<store::Store> store_;
  std::unique_ptr<app::Services> services_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

Json Body(const std::string& body) { return Json::parse(body, nullptr, false); }

// The error code and field of an error response, "code/field".
std::string Error(const std::string& body) {
  const Json j = Body(body);
  if (!j.is_object() || !j.contains("error")) return "no error body: " + body;
  const Json& e = j["error"];
  return e["code"].get<std::string>() + "/" +
         (e["field"].is_string() ? e["field"].get<std::string>() : std::string());
}

httplib::Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// What a client was told about one create of a context issue.
struct Outcome {
  std::string title;
  int status = 0;     // 0: no response at all
  int64_t id = 0;     // when 201
  std::string error;  // "code/field" of an error response; what went wrong without a response
};

Outcome CreateIssue(httplib::Client& client, const httplib::Headers& credentials,
                    const std::string& title) {
  Outcome out{.title = title};
  auto r = client.Post(kIssues, credentials, Json{{"title", title}, {"kind", "internal"}}.dump(),
                       "application/json");
  if (!r) {
    out.error = "no response: " + httplib::to_string(r.error());
    return out;
  }
  out.status = r->status;
  if (r->status == 201) {
    out.id = Body(r->body)["id"].get<int64_t>();
  } else {
    out.error = Error(r->body);
  }
  return out;
}

// Every context issue of the organisation, id -> title, read through `client` page by page; an id
// listed twice fails the test.
std::map<int64_t, std::string> ListAllIssues(httplib::Client& client, const std::string& token) {
  std::map<int64_t, std::string> out;
  std::string cursor;
  do {
    std::string path = fmt::format("{}?sort=id&limit=500", kIssues);
    if (!cursor.empty()) path += "&cursor=" + cursor;
    auto r = client.Get(path, Bearer(token));
    if (!r || r->status != 200) {
      ADD_FAILURE() << "GET " << path << ": " << (r ? r->body : httplib::to_string(r.error()));
      return out;
    }
    const Json page = Body(r->body);
    for (const Json& record : page["data"]) {
      const auto id = record["id"].get<int64_t>();
      if (!out.emplace(id, record["title"].get<std::string>()).second) {
        ADD_FAILURE() << "issue " << id << " listed twice";
      }
    }
    cursor = page["next_cursor"].is_string() ? page["next_cursor"].get<std::string>() : "";
  } while (!cursor.empty());
  return out;
}

// Up to 10 of the entries of `a` that `b` lacks or holds with another title, for failure messages.
std::string Missing(const std::map<int64_t, std::string>& a,
                    const std::map<int64_t, std::string>& b) {
  std::string out;
  int shown = 0;
  for (const auto& [id, title] : a) {
    auto it = b.find(id);
    if (it != b.end() && it->second == title) continue;
    if (++shown > 10) return out + " ...";
    out += fmt::format(" {}:{}", id, title);
  }
  return out;
}

// `rampart audit verify --db URL`: its exit code and what it printed.
std::pair<int, std::string> CliVerifyAudit(const std::string& url) {
  std::vector<std::string> args = {"rampart", "audit", "verify", "--db", url};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  const int code = cli::Run(static_cast<int>(argv.size()), argv.data());
  std::string printed = ::testing::internal::GetCapturedStdout();
  printed += ::testing::internal::GetCapturedStderr();
  return {code, printed};
}

// Two instances on one fresh database, installed through the first as `rampart init` and
// `rampart user add` / `rampart token create` would: organisation "Acme Ltd" and its
// administrator alice, with a password and an API token.
class TwoInstances : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(InitCrypto(), IsOk());
    auto db = test::BackendDatabase::Create(Backend::kPostgres);
    ASSERT_THAT(db, IsOk());
    db_ = std::move(db).value();
    for (auto& instance : instances_) {
      auto started = Instance::Start(db_->url(), clock_);
      ASSERT_THAT(started, IsOk());
      instance = std::move(started).value();
    }
    ASSERT_THAT(a().services().auth.Initialise("Acme Ltd"), IsOk());
    ASSERT_THAT(a().services().members.AddUser("", app::NewMember{.username = "alice",
                                                                  .role = domain::Role::kAdmin,
                                                                  .password = kAlicePassword}),
                IsOk());
    auto token = a().services().members.CreateToken("alice", "", "tests", false, "");
    ASSERT_THAT(token, IsOk());
    token_ = *token;
  }

  void TearDown() override {
    for (auto& instance : instances_) instance.reset();  // before the database is dropped
  }

  Instance& a() { return *instances_[0]; }
  Instance& b() { return *instances_[1]; }

  // The number of events in the audit chain, which must be intact.
  int64_t AuditEvents() {
    auto verified = app::VerifyAuditChain(a().store());
    EXPECT_THAT(verified, IsOk());
    if (!verified.ok()) return -1;
    EXPECT_TRUE(verified->intact) << "broken at event " << verified->first_bad_seq << ": "
                                  << verified->problem;
    return verified->events;
  }

  SystemClock clock_;
  std::unique_ptr<test::BackendDatabase> db_;
  std::array<std::unique_ptr<Instance>, 2> instances_;
  std::string token_;
};

TEST_F(TwoInstances, ASessionStartedOnOneInstanceIsValidOnTheOther) {
  auto client_a = a().Client();
  auto client_b = b().Client();
  auto login = client_a.Post("/api/v1/auth/login",
                             Json{{"username", "alice"}, {"password", kAlicePassword}}.dump(),
                             "application/json");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->body;
  std::string cookie = login->get_header_value("Set-Cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  const httplib::Headers session = {
      {"Cookie", cookie}, {"X-CSRF-Token", Body(login->body)["csrf_token"].get<std::string>()}};

  auto me = client_b.Get("/api/v1/auth/me", session);
  ASSERT_TRUE(me);
  ASSERT_EQ(me->status, 200) << me->body;
  EXPECT_EQ(Body(me->body)["username"], "alice");
  EXPECT_EQ(Body(me->body)["organisation"]["name"], "Acme Ltd");

  // A change on B with the session and CSRF token A issued, seen on A.
  auto created =
      client_b.Post(kIssues, session, Json{{"title", "Made on B"}, {"kind", "internal"}}.dump(),
                    "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  auto read = client_a.Get(created->get_header_value("Location"), session);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200);
  EXPECT_EQ(Body(read->body)["title"], "Made on B");

  // Signing out on B ends the session on A too.
  auto out = client_b.Post("/api/v1/auth/logout", session, "", "application/json");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 204) << out->body;
  auto after = client_a.Get("/api/v1/auth/me", session);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401);
  EXPECT_EQ(Error(after->body), "unauthenticated/");
}

TEST_F(TwoInstances, AnApiTokenIssuedThroughOneInstanceIsValidOnTheOther) {
  auto client_a = a().Client();
  auto client_b = b().Client();
  auto me = client_b.Get("/api/v1/auth/me", Bearer(token_));
  ASSERT_TRUE(me);
  ASSERT_EQ(me->status, 200) << me->body;
  EXPECT_EQ(Body(me->body)["username"], "alice");

  const Outcome created = CreateIssue(client_b, Bearer(token_), "Made on B with a token");
  ASSERT_EQ(created.status, 201) << created.error;
  auto read = client_a.Get(fmt::format("{}/{}", kIssues, created.id), Bearer(token_));
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200);
  EXPECT_EQ(Body(read->body)["title"], "Made on B with a token");

  auto forged = client_b.Get("/api/v1/auth/me", Bearer("rpt_not-a-token"));
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 401);
  EXPECT_EQ(Error(forged->body), "unauthenticated/");
}

TEST_F(TwoInstances, OfTwoConcurrentUpdatesWithTheSameIfMatchThroughEachExactlyOneSucceeds) {
  auto client_a = a().Client();
  auto client_b = b().Client();
  const Outcome created = CreateIssue(client_a, Bearer(token_), "Contested");
  ASSERT_EQ(created.status, 201) << created.error;
  const std::string path = fmt::format("{}/{}", kIssues, created.id);
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(fmt::format("round {}", round));
    const int64_t version = round + 1;
    std::array<int, 2> status{};
    std::array<std::string, 2> body;
    std::latch ready(2);
    auto update = [&](int i, httplib::Client& client) {
      auto headers = Bearer(token_);
      headers.emplace("If-Match", fmt::format("\"{}\"", version));
      ready.arrive_and_wait();  // both requests leave together
      auto r = client.Patch(path, headers,
                            Json{{"title", fmt::format("Round {} by {}", round, "AB"[i])}}.dump(),
                            "application/json");
      status[i] = r ? r->status : 0;
      body[i] = r ? r->body : httplib::to_string(r.error());
    };
    std::thread through_a(update, 0, std::ref(client_a));
    std::thread through_b(update, 1, std::ref(client_b));
    through_a.join();
    through_b.join();
    ASSERT_THAT(status, UnorderedElementsAre(200, 412)) << body[0] << "\n" << body[1];
    const int winner = status[0] == 200 ? 0 : 1;
    EXPECT_EQ(Error(body[1 - winner]), "conflict/");
    EXPECT_EQ(Body(body[winner])["version"], version + 1);

    // Both instances read the winner's change.
    for (auto* client : {&client_a, &client_b}) {
      auto read = client->Get(path, Bearer(token_));
      ASSERT_TRUE(read);
      EXPECT_EQ(Body(read->body)["title"], fmt::format("Round {} by {}", round, "AB"[winner]));
      EXPECT_EQ(read->get_header_value("ETag"), fmt::format("\"{}\"", version + 1));
    }
  }
  auto history = client_b.Get(path + "/history", Bearer(token_));
  ASSERT_TRUE(history);
  EXPECT_EQ(Body(history->body)["data"].size(), size_t{kRounds + 1});  // created, then each winner
}

// The load test of the issue: 2 instances x 8 concurrent writers x 200 creates each.
TEST_F(TwoInstances, EveryAcknowledgedWriteOfConcurrentWritersOnBothIsStoredExactlyOnce) {
  constexpr int kWritersPerInstance = 8;
  constexpr int kWritesPerWriter = 200;
  constexpr int kWrites = 2 * kWritersPerInstance * kWritesPerWriter;
  const int64_t events_before = AuditEvents();

  std::vector<std::vector<Outcome>> outcomes(2 * kWritersPerInstance);
  {
    std::vector<std::thread> writers;
    std::latch ready(2 * kWritersPerInstance);
    for (int i = 0; i < 2; ++i) {
      for (int w = 0; w < kWritersPerInstance; ++w) {
        auto& mine = outcomes[i * kWritersPerInstance + w];
        writers.emplace_back([&, i, w] {
          auto client = instances_[i]->Client();
          const auto credentials = Bearer(token_);
          mine.reserve(kWritesPerWriter);
          ready.arrive_and_wait();
          for (int n = 0; n < kWritesPerWriter; ++n) {
            mine.push_back(
                CreateIssue(client, credentials, fmt::format("Load {}-{}-{}", "AB"[i], w, n)));
          }
        });
      }
    }
    for (auto& t : writers) t.join();
  }

  std::map<int64_t, std::string> acknowledged;
  int refused = 0;
  for (const auto& mine : outcomes) {
    for (const Outcome& o : mine) {
      if (o.status != 201) {
        if (++refused <= 10) ADD_FAILURE() << o.title << ": " << o.status << " " << o.error;
        continue;
      }
      if (!acknowledged.emplace(o.id, o.title).second) {
        ADD_FAILURE() << "id " << o.id << " acknowledged twice, the second time for " << o.title;
      }
    }
  }
  EXPECT_EQ(refused, 0);
  EXPECT_EQ(acknowledged.size(), size_t{kWrites});

  auto client = b().Client();
  const std::map<int64_t, std::string> stored = ListAllIssues(client, token_);
  EXPECT_EQ(stored.size(), size_t{kWrites});
  EXPECT_TRUE(stored == acknowledged)
      << "acknowledged but not stored:" << Missing(acknowledged, stored)
      << "\nstored but not acknowledged:" << Missing(stored, acknowledged);

  // One chain: each create appended one event, whichever instance made it.
  EXPECT_EQ(AuditEvents(), events_before + kWrites);
  const auto [code, printed] = CliVerifyAudit(db_->url());
  EXPECT_EQ(code, 0) << printed;
  EXPECT_THAT(printed, ::testing::HasSubstr(
                           fmt::format("Audit trail intact: {} events", events_before + kWrites)));
}

// --- The database restarting under running servers ---
//
// Registered as a ctest entry of its own that runs alone (tests/CMakeLists.txt): the restart breaks
// the connections of everything else using the cluster.

// `s` quoted for /bin/sh.
std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Restarts the test cluster in `dir` (scripts/pg-test-cluster.sh start DIR) as its server's user,
// fast: open sessions are ended, as a failover or an operator's restart would. The settings stay
// (they are in DIR/data/postgresql.conf, the socket directory among them). Returns once the
// server accepts connections again; kInternal with pg_ctl's output when it fails.
Status RestartCluster(const std::string& dir) {
  const char* bin = std::getenv("PG_BIN");  // as scripts/pg-test-cluster.sh
  const std::string pg_ctl =
      fmt::format("{}/pg_ctl", bin != nullptr && *bin != '\0' ? bin : "/usr/lib/postgresql/15/bin");
  // -l: the new server logs where the old one did, and not to our pipe, which it would otherwise
  // hold open for its whole life.
  const std::string command =
      fmt::format("{}{} restart -D {} -m fast -w -t 60 -l {} 2>&1",
                  ::geteuid() == 0 ? "runuser -u postgres -- " : "", ShellQuote(pg_ctl),
                  ShellQuote(dir + "/data"), ShellQuote(dir + "/server.log"));
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return Internal("cannot run " + command);
  std::string output;
  std::array<char, 256> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
  const int status = ::pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Internal(fmt::format("{} failed:\n{}", command, output));
  }
  return Status::Ok();
}

// Issue 14: both instances run `serve`'s reminder thread (every second, from midnight on) with
// e-mail; whichever takes the lease, each person gets exactly one notification and one e-mail
// for the day, and both threads stop cleanly.
class RecordingMail final : public app::MailSender {
 public:
  Status Send(const app::OutgoingMail& mail) override {
    std::lock_guard lock(mu_);
    sent_.push_back(mail.to);
    return Status::Ok();
  }
  std::vector<std::string> Sent() {
    std::lock_guard lock(mu_);
    return sent_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> sent_;
};

TEST_F(TwoInstances, EachPersonGetsExactlyOneDigestAndOneEmailADayFromTwoSchedulers) {
  const std::string today = FormatDate(clock_.Now());
  std::set<std::string> addresses;
  for (int i = 0; i < 8; ++i) {
    const std::string name = "person" + std::to_string(i);
    auto added = a().services().members.AddUser(
        "", app::NewMember{.username = name, .role = domain::Role::kContributor,
                           .password = kAlicePassword, .email = name + "@example.org"});
    ASSERT_THAT(added, IsOk());
    addresses.insert(name + "@example.org");
    auto t = a().Client().Post(
        "/api/v1/tasks", Bearer(token_),
        Json{{"title", "Task of " + name},
             {"owner", added->user.id},
             {"due_date", domain::AddDays(today, -1)}}.dump(),
        "application/json");
    ASSERT_TRUE(t);
    ASSERT_EQ(t->status, 201) << t->body;
  }
  RecordingMail mail_a;
  RecordingMail mail_b;
  {
    cli::ReminderScheduler sa(a().services().reminders, clock_,
                              {.mail = &mail_a, .holder = "instance-a"},
                              std::chrono::seconds(1), 0);
    cli::ReminderScheduler sb(b().services().reminders, clock_,
                              {.mail = &mail_b, .holder = "instance-b"},
                              std::chrono::seconds(1), 0);
    for (int i = 0; i < 100 && mail_a.Sent().size() + mail_b.Sent().size() < addresses.size();
         ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // more passes: nothing new
  }  // both stop here
  std::map<std::string, int> per_person;
  for (const auto& to : mail_a.Sent()) ++per_person[to];
  for (const auto& to : mail_b.Sent()) ++per_person[to];
  EXPECT_EQ(per_person.size(), addresses.size());
  for (const auto& [to, n] : per_person) EXPECT_EQ(n, 1) << to;
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM notifications"), 8);
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM reminder_digests WHERE email_status = 'sent'"),
            8);
}

class PostgresRestart : public TwoInstances {
 protected:
  void SetUp() override {
    const char* dir = std::getenv("RAMPART_TEST_PG_DIR");
    ASSERT_TRUE(dir != nullptr && *dir != '\0')
        << "RAMPART_TEST_PG_DIR is not set: it names the directory of the test cluster "
           "(scripts/pg-test-cluster.sh start DIR), which this test restarts. `make test` sets it.";
    cluster_dir_ = dir;
    TwoInstances::SetUp();
  }

  // Creates issues concurrently through both instances, all acknowledged, so that each pool
  // holds several connections.
  void WarmUp() {
    std::vector<std::thread> writers;
    std::atomic<int> refused{0};
    for (int i = 0; i < 2; ++i) {
      for (int w = 0; w < 6; ++w) {
        writers.emplace_back([&, i, w] {
          auto client = instances_[i]->Client();
          for (int n = 0; n < 5; ++n) {
            const Outcome o =
                CreateIssue(client, Bearer(token_), fmt::format("Before {}-{}-{}", "AB"[i], w, n));
            if (o.status != 201) ++refused;
          }
        });
      }
    }
    for (auto& t : writers) t.join();
    EXPECT_EQ(refused.load(), 0);
  }

  std::string cluster_dir_;
};

TEST_F(PostgresRestart, EachInstanceRefusesAtMostOneRequestThenServesAsBefore) {
  WarmUp();
  ASSERT_THAT(RestartCluster(cluster_dir_), IsOk());

  // Every pooled connection died with the old server. The first request to use one is refused
  // with 503 "unavailable", which makes the pool drop all of them: every later request connects
  // afresh and succeeds (not one refusal per pooled connection).
  for (int i = 0; i < 2; ++i) {
    SCOPED_TRACE(fmt::format("instance {}", "AB"[i]));
    auto client = instances_[i]->Client();
    int refused = 0;
    bool served = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!served && std::chrono::steady_clock::now() < deadline) {
      auto r = client.Get(fmt::format("{}?limit=1", kIssues), Bearer(token_));
      ASSERT_TRUE(r) << httplib::to_string(r.error());
      if (r->status == 200) {
        served = true;
      } else {
        EXPECT_EQ(r->status, 503) << r->body;
        EXPECT_EQ(Error(r->body), "unavailable/");
        ++refused;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    ASSERT_TRUE(served) << "no request succeeded within 10 s of the restart";
    RecordProperty(fmt::format("refused_after_restart_{}", "AB"[i]), refused);
    EXPECT_LE(refused, 1);
    // Reads and writes, with the token issued before the restart.
    for (int n = 0; n < 10; ++n) {
      auto read = client.Get(fmt::format("{}?limit=1", kIssues), Bearer(token_));
      ASSERT_TRUE(read);
      EXPECT_EQ(read->status, 200) << read->body;
      const Outcome o = CreateIssue(client, Bearer(token_), fmt::format("After {}-{}", "AB"[i], n));
      EXPECT_EQ(o.status, 201) << o.error;
    }
  }
  // Concurrent writers find no dead connection left in either pool.
  WarmUp();
}

TEST_F(PostgresRestart, WritesAcrossARestartAreKeptWhenAcknowledgedAndOtherwiseRefused) {
  WarmUp();
  const int64_t events_before = AuditEvents();

  // Two writers on each instance create issues before, during and after the restart. While the
  // database is down they may only be told 503 "unavailable": never 500, never silence.
  constexpr int kWriters = 4;
  constexpr int kAcknowledgedAfterRestart = 5;  // each writer's, before it stops
  std::array<std::vector<Outcome>, kWriters> outcomes;
  std::array<std::atomic<int>, kWriters> acknowledged_after{};
  std::atomic<bool> restarted{false};
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto client = instances_[w % 2]->Client();
      for (int n = 0; !stop.load(); ++n) {
        const bool after = restarted.load();
        outcomes[w].push_back(
            CreateIssue(client, Bearer(token_), fmt::format("During {}-{}-{}", "AB"[w % 2], w, n)));
        if (outcomes[w].back().status == 201) {
          if (after) ++acknowledged_after[w];
        } else {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const Status restart = RestartCluster(cluster_dir_);
  restarted = true;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  auto all_through = [&] {
    return std::all_of(acknowledged_after.begin(), acknowledged_after.end(),
                       [&](const auto& n) { return n.load() >= kAcknowledgedAfterRestart; });
  };
  while (restart.ok() && !all_through() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_THAT(restart, IsOk());
  EXPECT_TRUE(all_through()) << "some writer did not get through again within 10 s";

  std::map<int64_t, std::string> acknowledged;
  std::set<std::string> sent;
  int refused = 0;
  for (const auto& mine : outcomes) {
    for (const Outcome& o : mine) {
      sent.insert(o.title);
      if (o.status == 201) {
        EXPECT_TRUE(acknowledged.emplace(o.id, o.title).second) << "id " << o.id << " twice";
      } else {
        EXPECT_EQ(o.status, 503) << o.title << ": " << o.error;
        EXPECT_EQ(o.error, "unavailable/") << o.title;
        ++refused;
      }
    }
  }
  RecordProperty("refused_while_restarting", refused);

  // Nothing acknowledged was lost or doubled. A write whose answer the restart cut off may have
  // committed all the same, so more may be stored, but only what a writer sent.
  auto client = a().Client();
  std::map<int64_t, std::string> stored = ListAllIssues(client, token_);
  EXPECT_EQ(Missing(acknowledged, stored), "") << "acknowledged but not stored";
  std::erase_if(stored, [](const auto& entry) { return entry.second.starts_with("Before "); });
  std::set<std::string> titles;
  for (const auto& [id, title] : stored) {
    EXPECT_TRUE(titles.insert(title).second) << title << " stored twice";
    EXPECT_TRUE(sent.contains(title)) << title << " stored but never sent";
  }
  // Still one chain, with one event per issue stored.
  const int64_t events_after = AuditEvents();
  EXPECT_EQ(events_after, events_before + static_cast<int64_t>(stored.size()));
  if (events_after != events_before + static_cast<int64_t>(stored.size())) {
    // Name the events that are not an issue's creation, to tell what else wrote to the trail.
    int64_t seen = 0;
    (void)a().store().ScanAudit([&](const domain::AuditEvent& e) {
      if (++seen > events_before && e.action != "create") {
        ADD_FAILURE() << "event " << e.seq << ": " << e.action << " " << e.record_type << " "
                      << e.record_id << " by " << e.actor << " " << e.diff.dump();
      }
      return true;
    });
  }
}

}  // namespace
}  // namespace rampart::testing

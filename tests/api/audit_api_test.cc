// The audit trail: one event per change in the same transaction, a hash chain that the API
// and `rampart audit verify` check, and detection of events edited or deleted in the file.
#include <sqlite3.h>

#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>

#include "api/cli_run.h"
#include "api_fixture.h"
#include "app/audit_checkpoint.h"
#include "domain/context.h"

namespace rampart::testing {
namespace {

class AuditTrail : public ApiTest {
 protected:
  // Runs SQL on the database file directly, as someone with access to the file would.
  void Tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err != nullptr ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }
  // `rampart audit verify --db PATH`: exit code and what it printed to stderr.
  std::pair<int, std::string> CliVerify() {
    std::string db = db_path_;
    std::vector<std::string> args = {"rampart", "audit", "verify", "--db", db};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    ::testing::internal::CaptureStderr();
    ::testing::internal::CaptureStdout();
    const int code = cli::Run(static_cast<int>(argv.size()), argv.data());
    (void)::testing::internal::GetCapturedStdout();
    return {code, ::testing::internal::GetCapturedStderr()};
  }
  // `rampart ARGS...`: exit code, stdout and stderr.
  static CliOutcome Cli(std::vector<std::string> args) { return RunCli(std::move(args)); }
  void MakeHistory() {
    const Json a = CreateIssue("First");
    CreateIssue("Second");
    ASSERT_EQ(Patch("/api/v1/context-issues/" + std::to_string(a["id"].get<int64_t>()),
                    {{"title", "First, renamed"}}, "\"1\"")
                  ->status,
              200);
  }
};

TEST_F(AuditTrail, AnIntactChainVerifies) {
  MakeHistory();
  const Json v = Body(Get("/api/v1/audit/verify"));
  EXPECT_EQ(v["intact"], true);
  EXPECT_TRUE(v["first_bad_seq"].is_null());
  EXPECT_GE(v["events"].get<int64_t>(), 6);  // init (2), user, token, 3 changes
  const auto [code, err] = CliVerify();
  EXPECT_EQ(code, 0) << err;
}

// Every event records the client's address (through the caller's Principal) under encoding 2.
TEST_F(AuditTrail, EventsShowTheirAddressAndEncoding) {
  app::Principal remote{.user_id = 0, .username = "alice"};
  const Json me = Body(Get("/api/v1/auth/me"));
  remote.user_id = me["user_id"].get<int64_t>();
  remote.org_id = me["organisation"]["id"].get<int64_t>();
  remote.role = domain::Role::kAdmin;
  remote.address = "198.51.100.23";
  ASSERT_TRUE(
      services_->registers
          .Create(remote, domain::ContextIssues(), {{"title", "From afar"}, {"kind", "internal"}})
          .ok());
  const Json newest = Body(Get("/api/v1/audit/events?limit=1"))["data"][0];
  EXPECT_EQ(newest["address"], "198.51.100.23");
  EXPECT_EQ(newest["encoding"], 2);
}

TEST_F(AuditTrail, EventsLinkToTheirPredecessor) {
  MakeHistory();
  const Json events = Body(Get("/api/v1/audit/events?limit=100"))["data"];
  ASSERT_GE(events.size(), 3u);
  // Newest first: each event's prev_hash is the next (older) event's hash.
  for (size_t i = 0; i + 1 < events.size(); ++i) {
    if (events[i]["seq"].get<int64_t>() == events[i + 1]["seq"].get<int64_t>() + 1) {
      EXPECT_EQ(events[i]["prev_hash"], events[i + 1]["hash"]);
    }
  }
}

TEST_F(AuditTrail, EditingAnEventInTheDatabaseFileIsDetected) {
  MakeHistory();
  Tamper(
      "DROP TRIGGER audit_events_no_update; "
      "UPDATE audit_events SET diff = '{\"title\":{\"from\":null,\"to\":\"Forged\"}}' "
      "WHERE seq = 5");
  const Json v = Body(Get("/api/v1/audit/verify"));
  EXPECT_EQ(v["intact"], false);
  EXPECT_EQ(v["first_bad_seq"], 5);
  const auto [code, err] = CliVerify();
  EXPECT_NE(code, 0);
  EXPECT_NE(err.find("broken at event 5"), std::string::npos) << err;
}

TEST_F(AuditTrail, DeletingAnEventInTheDatabaseFileIsDetected) {
  MakeHistory();
  Tamper("DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE seq = 4");
  const Json v = Body(Get("/api/v1/audit/verify"));
  EXPECT_EQ(v["intact"], false);
  EXPECT_EQ(v["first_bad_seq"], 4);
  const auto [code, err] = CliVerify();
  EXPECT_NE(code, 0);
  EXPECT_NE(err.find("broken at event 4"), std::string::npos) << err;
}

TEST_F(AuditTrail, RewritingAnEventWithAFreshHashIsStillDetected) {
  MakeHistory();
  // The forger recomputes nothing downstream: the next event's prev_hash no longer matches.
  Tamper(
      "DROP TRIGGER audit_events_no_update; "
      "UPDATE audit_events SET actor = 'mallory', hash = '" +
      std::string(64, 'a') + "' WHERE seq = 5");
  const Json v = Body(Get("/api/v1/audit/verify"));
  EXPECT_EQ(v["intact"], false);
  EXPECT_EQ(v["first_bad_seq"], 5);
}

// Security assessment finding 5: dropping the no-delete trigger and deleting the newest events
// left `rampart audit verify` saying "intact". With signed checkpoints outside the database,
// verify finds the truncation; the plain verify is unchanged.
TEST_F(AuditTrail, SignedCheckpointsRevealDeletedNewestEvents) {
  MakeHistory();
  const std::string key = db_path_ + ".signing-key";
  const auto created = app::SigningKey::Create(key);
  ASSERT_TRUE(created.ok()) << created.status().message();
  const auto cp = Cli({"audit", "checkpoint", "--db", db_path_});  // the default key beside the db
  ASSERT_EQ(cp.code, 0) << cp.err;
  EXPECT_NE(cp.out.find("appended to " + key + ".checkpoints"), std::string::npos) << cp.out;
  const auto exported = Cli({"audit", "export-key", "--signing-key", key});
  ASSERT_EQ(exported.code, 0) << exported.err;
  EXPECT_NE(exported.out.find(created->PublicKeyBase64()), std::string::npos);
  EXPECT_NE(exported.out.find(created->PublicKeyPem()), std::string::npos);
  const std::vector<std::string> with_checkpoints = {
      "audit",        "verify",        "--db", db_path_, "--checkpoints", key + ".checkpoints",
      "--public-key", key + ".pub.pem"};
  const auto good = Cli(with_checkpoints);
  EXPECT_EQ(good.code, 0) << good.err;
  EXPECT_NE(good.out.find("matches 1 signed checkpoints"), std::string::npos) << good.out;

  Tamper("DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE seq > 3");
  EXPECT_EQ(CliVerify().first, 0);  // the chain alone still looks intact
  const auto bad = Cli(with_checkpoints);
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("does not match its signed checkpoints"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("the chain ends at event 3"), std::string::npos) << bad.err;
  // A checkpoints file without its public key is refused as bad input.
  EXPECT_EQ(Cli({"audit", "verify", "--db", db_path_, "--checkpoints", key + ".checkpoints"}).code,
            2);
  for (const char* suffix : {"", ".pub.pem", ".checkpoints"}) std::remove((key + suffix).c_str());
}

// `rampart init` makes the key (mode 0600), its PEM and the first checkpoint beside the database,
// and refuses to start a new database under checkpoints of an earlier one.
TEST_F(AuditTrail, InitCreatesTheSigningKeyAndTheFirstCheckpoint) {
  const std::string db = db_path_ + ".init.db";
  const auto first = Cli({"init", "--db", db, "--org", "Init Ltd"});
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_NE(first.out.find("Audit signing key:    " + db + ".signing-key (new;"), std::string::npos)
      << first.out;
  struct stat st {};
  ASSERT_EQ(::stat((db + ".signing-key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const auto verified =
      Cli({"audit", "verify", "--db", db, "--checkpoints", db + ".signing-key.checkpoints",
           "--public-key", db + ".signing-key.pub.pem"});
  EXPECT_EQ(verified.code, 0) << verified.err;
  EXPECT_NE(verified.out.find("matches 1 signed checkpoints"), std::string::npos);
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((db + suffix).c_str());
  const auto again = Cli({"init", "--db", db, "--org", "Init Ltd"});
  EXPECT_EQ(again.code, 4);
  EXPECT_NE(again.err.find("holds checkpoints of an earlier database"), std::string::npos)
      << again.err;
  EXPECT_NE(::access(db.c_str(), F_OK), 0);  // refused before creating the database
  for (const char* suffix : {".signing-key", ".signing-key.pub.pem", ".signing-key.checkpoints"}) {
    std::remove((db + suffix).c_str());
  }
}

TEST_F(AuditTrail, TheProductCannotUpdateOrDeleteEvents) {
  MakeHistory();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, "UPDATE audit_events SET actor = 'x' WHERE seq = 1", nullptr, nullptr,
                         nullptr),
            SQLITE_CONSTRAINT);
  EXPECT_EQ(sqlite3_exec(db, "DELETE FROM audit_events", nullptr, nullptr, nullptr),
            SQLITE_CONSTRAINT);
  sqlite3_close(db);
}

// Every event is reachable: filtered by person, record type, record, action and days, paged
// older and newer, on the API, the page and as CSV (the page used to show the latest 200 only).
TEST_F(AuditTrail, EveryEventIsReachableByFilterAndPage) {
  for (int i = 0; i < 7; ++i) CreateIssue("Issue " + std::to_string(i));
  const Json first_issue = CreateIssue("Renamed <soon>");
  const std::string id = std::to_string(first_issue["id"].get<int64_t>());
  ASSERT_EQ(Patch("/api/v1/context-issues/" + id, {{"title", "Renamed <now>"}}, "\"1\"")->status,
            200);
  // Pages of 3 from the newest: every event exactly once, then back.
  const Json all = Body(Get("/api/v1/audit/events?limit=1000"))["data"];
  std::vector<int64_t> walked;
  std::string path = "/api/v1/audit/events?limit=3";
  Json page;
  for (int n = 0; n < 100; ++n) {
    page = Body(Get(path));
    for (const auto& e : page["data"]) walked.push_back(e["seq"].get<int64_t>());
    if (page["older"].is_null()) break;
    path = "/api/v1/audit/events?limit=3&before=" + std::to_string(page["older"].get<int64_t>());
  }
  ASSERT_EQ(walked.size(), all.size());
  for (size_t i = 0; i < walked.size(); ++i) EXPECT_EQ(walked[i], all[i]["seq"].get<int64_t>());
  const Json newer = Body(
      Get("/api/v1/audit/events?limit=3&after=" + std::to_string(page["newer"].get<int64_t>())));
  ASSERT_EQ(newer["data"].size(), 3u);
  EXPECT_EQ(newer["data"][2]["seq"].get<int64_t>(),
            walked[walked.size() - page["data"].size() - 1]);

  // Filters.
  const Json updates = Body(Get("/api/v1/audit/events?action=update"))["data"];
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0]["record_id"], first_issue["id"]);
  const Json one_record =
      Body(Get("/api/v1/audit/events?record_type=context_issue&record_id=" + id))["data"];
  EXPECT_EQ(one_record.size(), 2u);
  EXPECT_EQ(Body(Get("/api/v1/audit/events?record_type=context_issue"))["data"].size(), 9u);
  const std::string today = FormatDate(std::chrono::system_clock::now());
  EXPECT_EQ(Body(Get("/api/v1/audit/events?limit=1000&from=" + today))["data"].size(), all.size());
  EXPECT_EQ(Body(Get("/api/v1/audit/events?to=2000-01-01"))["data"].size(), 0u);
  const int64_t actor = updates[0]["actor_id"].get<int64_t>();
  const Json theirs =
      Body(Get("/api/v1/audit/events?limit=1000&person=" + std::to_string(actor)))["data"];
  EXPECT_GE(theirs.size(), 9u);
  for (const auto& e : theirs) EXPECT_EQ(e["actor_id"], actor);
  // Refusals name the parameter.
  EXPECT_EQ(Error(Get("/api/v1/audit/events?from=2026-02-30")), "invalid_argument/from");
  EXPECT_EQ(Error(Get("/api/v1/audit/events?from=2026-03-02&to=2026-03-01")),
            "invalid_argument/to");
  EXPECT_EQ(Error(Get("/api/v1/audit/events?person=me")), "invalid_argument/person");
  EXPECT_EQ(Error(Get("/api/v1/audit/events?action=drop%20table")), "invalid_argument/action");

  // CSV of the same filters, with the record's title.
  auto csv = Get("/api/v1/audit/export?record_type=context_issue&record_id=" + id);
  ASSERT_EQ(csv->status, 200);
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv->body.substr(0, csv->body.find("\r\n")),
            "seq,at,actor,action,record_type,record_id,record,changed,address,hash");
  EXPECT_NE(csv->body.find(",update,context_issue," + id + ",Renamed <now>,title,"),
            std::string::npos)
      << csv->body;
  EXPECT_EQ(std::count(csv->body.begin(), csv->body.end(), '\n'), 3);

  // The page: readable actions, records by title (escaped), the pager keeps the filters.
  const Session s = SignIn("alice", kAlicePassword);
  auto shown = Client().Get("/audit?record_type=context_issue", {{"Cookie", s.cookie}});
  ASSERT_EQ(shown->status, 200);
  EXPECT_NE(shown->body.find(">changed<"), std::string::npos);
  EXPECT_NE(shown->body.find(">Renamed &lt;now&gt;</a>"), std::string::npos);
  EXPECT_NE(shown->body.find("href=\"/api/v1/audit/export?record_type=context_issue\""),
            std::string::npos);
  auto bad = Client().Get("/audit?from=yesterday", {{"Cookie", s.cookie}});
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("from must be a date, YYYY-MM-DD"), std::string::npos);
}

}  // namespace
}  // namespace rampart::testing

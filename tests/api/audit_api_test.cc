// The audit trail: one event per change in the same transaction, a hash chain that the API
// and `rampart audit verify` check, and detection of events edited or deleted in the file.
#include <sqlite3.h>

#include "api_fixture.h"
#include "cli/cli.h"

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

}  // namespace
}  // namespace rampart::testing

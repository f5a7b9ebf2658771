// SqlStore's own behaviour beneath the contract, with a scripted driver: a write transaction
// that loses to a concurrent one is run again, a few times, then reported as a conflict; idle
// connections are closed after their time, all but the one used last.
#include "store/sql/sql_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>

#include "support/status_matchers.h"

namespace rampart::store {
namespace {

using test::IsOk;
using test::StatusIs;

struct Script {
  int audit_insert_failures = 0;  // how many audit INSERTs fail before one succeeds
  bool retryable = true;          // whether those failures are serialization failures
  int begins = 0;
  int rollbacks = 0;
  int commits = 0;
  // When set, each query of the audit chain's length waits here for the others: as many
  // connections are open at once as the barrier counts.
  std::barrier<>* together = nullptr;
  std::atomic<int> connects = 0;
  std::atomic<int> closed = 0;
};

class NoRows final : public SqlRows {
 public:
  Result<bool> Next() override { return false; }
  bool IsNull(int) const override { return true; }
  int64_t Int(int) const override { return 0; }
  bool Bool(int) const override { return false; }
  std::string Text(int) const override { return {}; }
  std::string Blob(int) const override { return {}; }
};

class ScriptedConnection final : public SqlConnection {
 public:
  explicit ScriptedConnection(Script& s) : s_(s) {}
  ~ScriptedConnection() override { ++s_.closed; }
  Status Exec(const std::string&) override { return Status::Ok(); }
  Result<std::unique_ptr<SqlRows>> Query(const std::string& sql,
                                         const std::vector<SqlValue>&) override {
    retryable_ = false;
    if (s_.together != nullptr && sql.find("MAX(seq)") != std::string::npos) {
      s_.together->arrive_and_wait();
    }
    if (sql.rfind("INSERT INTO audit_events", 0) == 0 && s_.audit_insert_failures > 0) {
      --s_.audit_insert_failures;
      retryable_ = s_.retryable;
      return s_.retryable ? Status(Code::kConflict, "could not serialize access")
                          : InvalidArgument("a check constraint failed");
    }
    return std::unique_ptr<SqlRows>(std::make_unique<NoRows>());
  }
  Status BeginWrite() override {
    ++s_.begins;
    return Status::Ok();
  }
  Status BeginRead() override { return Status::Ok(); }
  Status Commit() override {
    ++s_.commits;
    return Status::Ok();
  }
  Status Rollback() override {
    ++s_.rollbacks;
    retryable_ = false;
    return Status::Ok();
  }
  bool Healthy() const override { return true; }
  bool LastErrorRetryable() const override { return retryable_; }

 private:
  Script& s_;
  bool retryable_ = false;
};

class ScriptedDriver final : public SqlDriver {
 public:
  explicit ScriptedDriver(Script& s) : s_(s) {}
  Result<std::unique_ptr<SqlConnection>> Connect() override {
    ++s_.connects;
    return std::unique_ptr<SqlConnection>(std::make_unique<ScriptedConnection>(s_));
  }
  const std::vector<Migration>& Migrations() const override { return migrations_; }
  Status LockMigrations(SqlConnection&) override { return Status::Ok(); }
  Status UnlockMigrations(SqlConnection&) override { return Status::Ok(); }
  Result<bool> ColumnExists(SqlConnection&, const std::string&, const std::string&) override {
    return true;
  }
  std::string SearchCondition(const std::string&, const std::vector<std::string>&,
                              const std::string&, std::vector<SqlValue>&) const override {
    return "1 = 1";
  }
  std::string Unindexed(const std::string& column) const override { return "+" + column; }
  std::string ListItems(const std::string& column) const override {
    return "json_each(" + column + ") AS items";
  }
  Status CheckSchema(SqlConnection&) override { return Status::Ok(); }
  Result<Catalogue> ReadCatalogue(SqlConnection&) override { return Catalogue{}; }
  Status ResetIdentity(SqlConnection&, const std::string&, const std::string&) override {
    return Status::Ok();
  }

 private:
  Script& s_;
  std::vector<Migration> migrations_;
};

AuditDraft Event() {
  return AuditDraft{.at = "2026-01-01T00:00:00.000Z", .action = "sign_in", .record_type = "user"};
}

TEST(SqlStoreWrites, RunAgainATransactionThatLostToAConcurrentOne) {
  Script script{.audit_insert_failures = 2};
  SqlStore store(std::make_unique<ScriptedDriver>(script), 1);
  EXPECT_THAT(store.AppendAudit(Event()), IsOk());
  EXPECT_EQ(script.begins, 3);
  EXPECT_EQ(script.rollbacks, 2);
  EXPECT_EQ(script.commits, 1);
}

TEST(SqlStoreWrites, ReportAConflictWhenTheRetriesAreSpent) {
  Script script{.audit_insert_failures = 10};
  SqlStore store(std::make_unique<ScriptedDriver>(script), 1);
  EXPECT_THAT(store.AppendAudit(Event()), StatusIs(Code::kConflict));
  EXPECT_EQ(script.begins, 3);
  EXPECT_EQ(script.commits, 0);
}

TEST(SqlStoreWrites, DoNotRetryOtherErrors) {
  Script script{.audit_insert_failures = 1, .retryable = false};
  SqlStore store(std::make_unique<ScriptedDriver>(script), 1);
  EXPECT_THAT(store.AppendAudit(Event()), StatusIs(Code::kInvalidArgument));
  EXPECT_EQ(script.begins, 1);
  EXPECT_EQ(script.rollbacks, 1);
}

// A batched write's producer reads through the store (an import's write hooks do) while its
// transaction holds a connection: with a pool of one, that read gets one connection more instead
// of waiting for ever; other threads do not.
TEST(SqlStoreWrites, ABatchedWritesProducerMayReadWithAPoolOfOne) {
  Script script;
  SqlStore store(std::make_unique<ScriptedDriver>(script), 1);
  int reads = 0;
  const Status st = store.WriteInBatches({}, [&](const Store::BatchWriter& write) -> Status {
    RETURN_IF_ERROR(store.AuditChainLength().status());
    ++reads;
    RETURN_IF_ERROR(write({}).status());
    RETURN_IF_ERROR(store.AuditChainLength().status());
    ++reads;
    return Status::Ok();
  });
  EXPECT_THAT(st, IsOk());
  EXPECT_EQ(reads, 2);
  EXPECT_EQ(script.commits, 1);
  EXPECT_EQ(script.connects, 2);
  EXPECT_EQ(store.Pool().open, 2);
  // Afterwards the extra connection is an idle one of the pool like the others (closed once idle
  // long enough): two threads at once share the two open, and no third is opened.
  std::barrier<> together(2);
  script.together = &together;
  std::thread other([&store] { EXPECT_THAT(store.AuditChainLength(), IsOk()); });
  EXPECT_THAT(store.AuditChainLength(), IsOk());
  other.join();
  script.together = nullptr;
  EXPECT_EQ(script.connects, 2);
}

// Three requests at once: three connections open, each returned to the pool.
void ThreeAtOnce(SqlStore& store, Script& script) {
  std::barrier<> together(3);
  script.together = &together;
  std::vector<std::thread> requests;
  for (int i = 0; i < 3; ++i) {
    requests.emplace_back([&store] { EXPECT_THAT(store.AuditChainLength(), IsOk()); });
  }
  for (auto& r : requests) r.join();
  script.together = nullptr;
}

TEST(SqlStorePool, KeepsIdleConnectionsUntilTheirTime) {
  Script script;
  SqlStore store(std::make_unique<ScriptedDriver>(script), 4, std::chrono::hours(1));
  ThreeAtOnce(store, script);
  EXPECT_EQ(script.connects, 3);
  EXPECT_EQ(store.Pool().open, 3);
  EXPECT_EQ(store.Pool().idle, 3);
  EXPECT_EQ(script.closed, 0);
}

TEST(SqlStorePool, ClosesIdleConnectionsButTheOneUsedLast) {
  Script script;
  SqlStore store(std::make_unique<ScriptedDriver>(script), 4, std::chrono::milliseconds(50));
  ThreeAtOnce(store, script);
  ASSERT_EQ(script.connects, 3);
  for (int i = 0; i < 250 && (store.Pool().open > 1 || script.closed < 2); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(store.Pool().open, 1);
  EXPECT_EQ(store.Pool().idle, 1);
  EXPECT_EQ(script.closed, 2);
  // The one kept answers the next request: no new connection.
  EXPECT_THAT(store.AuditChainLength(), IsOk());
  EXPECT_EQ(script.connects, 3);
  // It is never closed for being idle, however long.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(store.Pool().open, 1);
  EXPECT_EQ(script.closed, 2);
}

}  // namespace
}  // namespace rampart::store

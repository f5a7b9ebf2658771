// Idempotency-Key at the store (store/idempotency.h), on both backends: the key is kept by the
// write it guards, in the write's transaction, and only by a write that commits.
#include "store/idempotency.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "domain/context.h"
#include "domain/register.h"
#include "store/store.h"
#include "support/status_matchers.h"
#include "support/test_backend.h"
#include "support/test_store.h"

namespace rampart::store {
namespace {

using test::Backend;
using test::IsOk;
using test::StatusIs;

class IdempotencyStore : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = test::BackendDatabase::Create(GetParam());
    ASSERT_THAT(db, IsOk());
    db_ = std::move(db).value();
    auto store = test::OpenMigratedStore(db_->url());
    ASSERT_THAT(store, IsOk());
    store_ = std::move(store).value();
    auto tenant = test::CreateTenant(*store_, "Acme", "alice", kNow);
    ASSERT_THAT(tenant, IsOk());
    actor_ = Actor{
        .org_id = tenant->org.id, .user_id = tenant->admin.id, .username = "alice", .now = kNow};
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  IdempotencyClaim Claim(const std::string& key) const {
    return IdempotencyClaim{.user_id = actor_.user_id,
                            .org_id = actor_.org_id,
                            .key = key,
                            .request_hash = "hash of " + key,
                            .at = kNow,
                            .expired = "2026-02-28T12:00:00.000Z"};
  }
  Result<std::vector<domain::Record>> CreateIssue(const std::string& title,
                                                  int64_t expected_version = 0) {
    Mutation m{.kind = expected_version == 0 ? Mutation::Kind::kInsert : Mutation::Kind::kUpdate,
               .spec = &domain::ContextIssues(),
               .fields = {{"title", title},
                          {"kind", "internal"},
                          {"status", "active"},
                          {"climate_related", false}},
               .action = expected_version == 0 ? "create" : "update",
               .diff = domain::Json::object()};
    if (expected_version != 0) {
      m.id = 1;
      m.expected_version = expected_version;
    }
    return store_->Write(actor_, {m});
  }
  int64_t Keys() { return db_->QueryInt("SELECT COUNT(*) FROM idempotency_keys"); }

  static constexpr const char* kNow = "2026-03-01T12:00:00.000Z";
  std::unique_ptr<test::BackendDatabase> db_;
  std::unique_ptr<Store> store_;
  Actor actor_;
};

// The first write under a claim keeps the key with the record of its first audit event; a later
// write of the same request does not keep it again.
TEST_P(IdempotencyStore, TheFirstCommittedWriteKeepsTheKeyWithItsRecord) {
  IdempotencyClaim claim = Claim("k-1");
  {
    const IdempotencyScope scope(claim);
    auto created = CreateIssue("Supplier concentration");
    ASSERT_THAT(created, IsOk());
    EXPECT_TRUE(claim.kept);
    EXPECT_EQ(claim.record_type, "context_issue");
    EXPECT_EQ(claim.record_id, created->front().id);
    ASSERT_THAT(CreateIssue("A second record of the same request"), IsOk());
  }
  EXPECT_EQ(Keys(), 1);
  auto found = store_->FindIdempotencyKey(actor_.user_id, "k-1", "2026-03-01T00:00:00.000Z");
  ASSERT_THAT(found, IsOk());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->org_id, actor_.org_id);
  EXPECT_EQ((*found)->request_hash, "hash of k-1");
  EXPECT_EQ((*found)->record_type, "context_issue");
  EXPECT_EQ((*found)->record_id, claim.record_id);
  EXPECT_EQ((*found)->status, 0);  // no answer kept yet
  EXPECT_EQ((*found)->created_at, kNow);
}

// A write that fails keeps no key: the request may be sent again and carried out.
TEST_P(IdempotencyStore, AFailedWriteKeepsNoKey) {
  ASSERT_THAT(CreateIssue("Supplier concentration"), IsOk());
  IdempotencyClaim claim = Claim("k-2");
  {
    const IdempotencyScope scope(claim);
    EXPECT_THAT(CreateIssue("Renamed", /*expected_version=*/7), StatusIs(Code::kConflict));
  }
  EXPECT_FALSE(claim.kept);
  EXPECT_EQ(Keys(), 0);
  auto found = store_->FindIdempotencyKey(actor_.user_id, "k-2", "2026-03-01T00:00:00.000Z");
  ASSERT_THAT(found, IsOk());
  EXPECT_FALSE(found->has_value());
}

// A second request with a key a committed write keeps is refused inside its transaction, which
// leaves nothing: the record it would have made is not written.
TEST_P(IdempotencyStore, ASecondWriteWithTheSameKeyIsRolledBack) {
  IdempotencyClaim first = Claim("k-3");
  {
    const IdempotencyScope scope(first);
    ASSERT_THAT(CreateIssue("First"), IsOk());
  }
  IdempotencyClaim second = Claim("k-3");
  {
    const IdempotencyScope scope(second);
    const auto refused = CreateIssue("Second");
    EXPECT_THAT(refused, StatusIs(Code::kFailedPrecondition));
    EXPECT_THAT(refused.status().message(), ::testing::HasSubstr("send it again"));
  }
  EXPECT_FALSE(second.kept);
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM context_issues"), 1);
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM audit_events WHERE action = 'create' AND "
                          "record_type = 'context_issue'"),
            1);
}

// The answer is kept byte for byte; a key older than the day asked for is not found, and the
// next key kept forgets it.
TEST_P(IdempotencyStore, AnswersAreKeptAndOldKeysForgotten) {
  IdempotencyClaim claim = Claim("k-4");
  {
    const IdempotencyScope scope(claim);
    ASSERT_THAT(CreateIssue("First"), IsOk());
  }
  const std::string body = std::string("{\"id\":1}\0\xff", 10);
  ASSERT_THAT(store_->KeepIdempotentAnswer(actor_.user_id, "k-4",
                                           IdempotentRequest{.status = 201,
                                                             .content_type = "application/json",
                                                             .location = "/api/v1/x/1",
                                                             .body = body}),
              IsOk());
  auto found = store_->FindIdempotencyKey(actor_.user_id, "k-4", "2026-03-01T00:00:00.000Z");
  ASSERT_THAT(found, IsOk());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->status, 201);
  EXPECT_EQ((*found)->content_type, "application/json");
  EXPECT_EQ((*found)->location, "/api/v1/x/1");
  EXPECT_EQ((*found)->body, body);
  // Another caller's key of the same name is another key.
  auto other = store_->FindIdempotencyKey(actor_.user_id + 1, "k-4", "2026-03-01T00:00:00.000Z");
  ASSERT_THAT(other, IsOk());
  EXPECT_FALSE(other->has_value());
  // A day later: not found, and removed by the next key kept.
  auto late = store_->FindIdempotencyKey(actor_.user_id, "k-4", "2026-03-02T12:00:00.001Z");
  ASSERT_THAT(late, IsOk());
  EXPECT_FALSE(late->has_value());
  IdempotencyClaim next = Claim("k-5");
  next.at = "2026-03-02T12:00:01.000Z";
  next.expired = "2026-03-01T12:00:01.000Z";
  {
    const IdempotencyScope scope(next);
    ASSERT_THAT(CreateIssue("Next day"), IsOk());
  }
  EXPECT_EQ(Keys(), 1);
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = 'k-5'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, IdempotencyStore,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return test::BackendName(info.param); });

}  // namespace
}  // namespace rampart::store

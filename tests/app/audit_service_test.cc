#include "app/audit_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "app/app_fixture.h"
#include "domain/context.h"

namespace rampart::app {
namespace {

using domain::ContextIssues;
using domain::Json;
using test::IsOk;
using ::testing::HasSubstr;

class VerifyAuditChainTest : public AppTest {
 protected:
  // Seven events: Acme and alice (2), then five changes to context issues (seq 3..7).
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    RegisterService registers(*store_, clock_);
    for (const char* title : {"Energy prices", "Skills shortage", "New regulation"}) {
      ASSERT_THAT(
          registers.Create(alice_, ContextIssues(), {{"title", title}, {"kind", "external"}}),
          IsOk());
    }
    ASSERT_THAT(registers.Update(alice_, ContextIssues(), 1, 1, {{"status", "monitoring"}},
                                 UpdateMode::kMerge),
                IsOk());
    ASSERT_THAT(registers.Delete(alice_, ContextIssues(), 2, 1), IsOk());
    ASSERT_EQ(Events().size(), 7u);
  }

  AuditVerification Verify() {
    auto v = VerifyAuditChain(*store_);
    EXPECT_THAT(v, IsOk());
    return v.ok() ? *v : AuditVerification{};
  }

  // Runs SQL on the database file behind the store's back.
  void Tamper(const std::string& sql) {
    test::RawDatabase raw(db_.path());
    std::string error;
    ASSERT_EQ(raw.Exec(sql, &error), SQLITE_OK) << sql << ": " << error;
  }
};

TEST_F(VerifyAuditChainTest, FindsAnIntactChainIntact) {
  const AuditVerification v = Verify();
  EXPECT_TRUE(v.intact);
  EXPECT_EQ(v.events, 7);
  EXPECT_EQ(v.first_bad_seq, 0);
  EXPECT_EQ(v.problem, "");
  EXPECT_EQ(v.head_hash, Events().back().hash);
}

TEST(VerifyAuditChain, FindsAnEmptyChainIntact) {
  test::TempDatabase db;
  auto store = test::OpenMigratedStore(db.path());
  ASSERT_THAT(store, IsOk());
  const auto v = VerifyAuditChain(**store);
  ASSERT_THAT(v, IsOk());
  EXPECT_TRUE(v->intact);
  EXPECT_EQ(v->events, 0);
  EXPECT_EQ(v->head_hash, "");
}

TEST_F(VerifyAuditChainTest, FindsAnEditedEvent) {
  Tamper("DROP TRIGGER audit_events_no_update");
  Tamper(R"(UPDATE audit_events SET diff = '{"title":{"from":null,"to":"Forged"}}' WHERE seq = 4)");
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 4);
  EXPECT_THAT(v.problem, HasSubstr("does not match its hash"));
  EXPECT_EQ(v.events, 4);  // stops at the first bad event
}

TEST_F(VerifyAuditChainTest, FindsAnEventWhoseDiffIsNoLongerJson) {
  Tamper("DROP TRIGGER audit_events_no_update");
  Tamper("UPDATE audit_events SET diff = 'not json' WHERE seq = 3");
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 3);
}

TEST_F(VerifyAuditChainTest, FindsAnEditedActor) {
  Tamper("DROP TRIGGER audit_events_no_update");
  Tamper("UPDATE audit_events SET actor = 'mallory' WHERE seq = 6");
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 6);
}

TEST_F(VerifyAuditChainTest, FindsAnEditedEventWhoseHashWasRecomputed) {
  const auto events = Events();
  domain::AuditEvent forged = events[3];  // seq 4
  forged.diff = Json::parse(R"({"title": {"from": null, "to": "Forged"}})");
  forged.hash = domain::ComputeAuditHash(forged);
  Tamper("DROP TRIGGER audit_events_no_update");
  Tamper("UPDATE audit_events SET diff = '" + forged.diff.dump() + "', hash = '" + forged.hash +
         "' WHERE seq = 4");
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 5);  // the next event still names the original hash
  EXPECT_THAT(v.problem, HasSubstr("previous-event hash"));
}

TEST_F(VerifyAuditChainTest, FindsADeletedEvent) {
  Tamper("DROP TRIGGER audit_events_no_delete");
  Tamper("DELETE FROM audit_events WHERE seq = 5");
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 5);
  EXPECT_THAT(v.problem, HasSubstr("event 5 is missing"));
}

TEST_F(VerifyAuditChainTest, FindsADeletedFirstEvent) {
  Tamper("DROP TRIGGER audit_events_no_delete");
  Tamper("DELETE FROM audit_events WHERE seq = 1");
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 1);
}

TEST_F(VerifyAuditChainTest, ShowsATruncatedChainOnlyThroughItsHeadHash) {
  const std::string head = Verify().head_hash;
  Tamper("DROP TRIGGER audit_events_no_delete");
  Tamper("DELETE FROM audit_events WHERE seq = 7");
  const AuditVerification v = Verify();
  EXPECT_TRUE(v.intact);  // what remains is a valid chain...
  EXPECT_EQ(v.events, 6);
  EXPECT_NE(v.head_hash, head);  // ...whose head no longer matches the one recorded elsewhere
}

TEST_F(VerifyAuditChainTest, FindsAChainThatContinuesAfterTampering) {
  Tamper("DROP TRIGGER audit_events_no_delete");
  Tamper("DELETE FROM audit_events WHERE seq = 3");
  RegisterService registers(*store_, clock_);
  ASSERT_THAT(registers.Create(alice_, ContextIssues(), {{"title", "Later"}, {"kind", "internal"}}),
              IsOk());
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 3);
}

}  // namespace
}  // namespace rampart::app

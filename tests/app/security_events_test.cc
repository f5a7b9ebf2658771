#include "app/security_events.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "app/app_fixture.h"
#include "app/auth_service.h"

namespace rampart::app {
namespace {

using test::IsOk;
using test::StatusIs;
using ::testing::HasSubstr;

class SecurityEventsTest : public AppTest {
 protected:
  int Count(const std::string& action) {
    int n = 0;
    for (const auto& e : Events()) n += e.action == action ? 1 : 0;
    return n;
  }
};

TEST_F(SecurityEventsTest, DenialsAreRecordedAndLimitedPerAddress) {
  SecurityEvents events(*store_, clock_, 3);
  Principal viewer = alice_;
  viewer.role = domain::Role::kViewer;
  const Status denied = PermissionDenied("your role (Viewer) does not allow this");
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(events.Denied(&viewer, "POST", "/api/v1/users?x=1", denied, "192.0.2.1").ok());
  }
  EXPECT_EQ(Count("access_denied"), 3);
  ASSERT_EQ(Count("security_events_suppressed"), 1);
  const auto all = Events();
  const auto& first = all[all.size() - 4];
  EXPECT_EQ(first.action, "access_denied");
  EXPECT_EQ(first.org_id, acme_.org.id);
  EXPECT_EQ(first.actor, "alice");
  EXPECT_EQ(first.address, "192.0.2.1");
  EXPECT_EQ(first.record_type, "route");
  EXPECT_EQ(first.diff["method"], "POST");
  EXPECT_EQ(first.diff["path"], "/api/v1/users");
  EXPECT_EQ(first.diff["code"], "permission_denied");
  const auto& summary = all.back();
  EXPECT_EQ(summary.action, "security_events_suppressed");
  EXPECT_EQ(summary.address, "192.0.2.1");
  EXPECT_EQ(summary.org_id, 0);
  EXPECT_EQ(summary.diff["limit_per_minute"], 3);
  // Another address has its own limit; nobody signed in is org 0, actor "system".
  ASSERT_TRUE(
      events.Denied(nullptr, "GET", "/api/v1/risks", Unauthenticated("sign in first"), "192.0.2.2")
          .ok());
  EXPECT_EQ(Count("access_denied"), 4);
  EXPECT_EQ(Events().back().org_id, 0);
  EXPECT_EQ(Events().back().actor, "system");
  // A minute later the first address is recorded again.
  clock_.Advance(std::chrono::seconds(61));
  ASSERT_TRUE(events.Denied(&viewer, "POST", "/api/v1/users", denied, "192.0.2.1").ok());
  EXPECT_EQ(Count("access_denied"), 5);
  EXPECT_EQ(Count("security_events_suppressed"), 1);
}

// Failed sign-ins of names that do not exist, and attempts while throttled, were not recorded.
TEST_F(SecurityEventsTest, UnknownNamesAndThrottledSignInsAreRecorded) {
  AuthService auth(*store_, clock_);
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(auth.SignIn({.username = "nobody", .password = "wrong", .address = "192.0.2.9"}),
                StatusIs(Code::kUnauthenticated));
  }
  ASSERT_EQ(Count("sign_in_failed"), 5);
  const auto failed = Events().back();
  EXPECT_EQ(failed.org_id, 0);
  EXPECT_EQ(failed.record_id, 0);
  EXPECT_EQ(failed.address, "192.0.2.9");
  EXPECT_EQ(failed.diff["username"], "nobody");
  EXPECT_EQ(failed.diff["reason"], "unknown user");
  EXPECT_THAT(auth.SignIn({.username = "nobody", .password = "wrong", .address = "192.0.2.9"}),
              StatusIs(Code::kResourceExhausted));
  ASSERT_EQ(Count("sign_in_throttled"), 1);
  EXPECT_EQ(Events().back().diff["username"], "nobody");
  EXPECT_EQ(Events().back().address, "192.0.2.9");
  // Hammering on stays within the per-address limit of the trail.
  for (int i = 0; i < 100; ++i) {
    (void)auth.SignIn({.username = "nobody", .password = "wrong", .address = "192.0.2.9"});
  }
  EXPECT_LE(Count("sign_in_failed") + Count("sign_in_throttled"), 21);
  EXPECT_EQ(Count("security_events_suppressed"), 1);
}

// A security event that cannot be written is never dropped in silence: the refusal it records
// fails with the store's error (the router logs the error of a denial it cannot record).
TEST_F(SecurityEventsTest, AnEventThatCannotBeWrittenFailsTheRequest) {
  test::RawDatabase raw(db_.path());
  ASSERT_EQ(raw.Exec("CREATE TRIGGER refuse_security_events BEFORE INSERT ON audit_events "
                     "WHEN NEW.action IN ('sign_in_failed', 'access_denied') "
                     "BEGIN SELECT RAISE(ABORT, 'the trail refuses'); END"),
            0);
  AuthService auth(*store_, clock_);
  const auto unknown =
      auth.SignIn({.username = "nobody", .password = "wrong", .address = "192.0.2.9"});
  // RAISE(ABORT) is a constraint failure to SQLite, which the store answers as invalid_argument.
  EXPECT_THAT(unknown, StatusIs(Code::kInvalidArgument));
  EXPECT_THAT(unknown.status().message(), HasSubstr("the trail refuses"));
  const auto known =
      auth.SignIn({.username = "alice", .password = "wrong", .address = "192.0.2.9"});
  EXPECT_THAT(known, StatusIs(Code::kInvalidArgument));
  SecurityEvents events(*store_, clock_, 3);
  const auto denied =
      events.Denied(nullptr, "GET", "/api/v1/risks", Unauthenticated("sign in first"), "192.0.2.2");
  EXPECT_THAT(denied.status(), StatusIs(Code::kInvalidArgument));
  EXPECT_EQ(Count("sign_in_failed"), 0);
  EXPECT_EQ(Count("access_denied"), 0);
}

}  // namespace
}  // namespace rampart::app

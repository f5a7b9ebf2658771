// The app suites' common ground: a migrated SQLite store in a temp file, a fixed clock, and the
// organisation "Acme" with its administrator "alice" signed in as a Principal.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "app/principal.h"
#include "app/register_service.h"
#include "app/services.h"
#include "base/clock.h"
#include "support/fixed_clock.h"
#include "support/raw_records.h"
#include "support/status_matchers.h"
#include "support/test_store.h"

namespace rampart::app {

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = test::OpenMigratedStore(db_.path());
    ASSERT_THAT(opened, test::IsOk());
    store_ = std::move(opened).value();
    auto acme = test::CreateTenant(*store_, "Acme", "alice", FormatUtc(clock_.Now()));
    ASSERT_THAT(acme, test::IsOk());
    acme_ = *acme;
    alice_ = PrincipalOf(acme_.org, acme_.admin);
  }

  static Principal PrincipalOf(const domain::Organisation& org, const domain::User& user) {
    return Principal{.user_id = user.id,
                     .username = user.username,
                     .display_name = user.display_name,
                     .org_id = org.id,
                     .org_name = org.name,
                     .role = domain::Role::kAdmin,
                     .must_change_password = false,
                     .credential = Credential::kSession};
  }

  // Organisation "Globex" with its administrator "bob".
  Principal Globex() {
    auto t = test::CreateTenant(*store_, "Globex", "bob", FormatUtc(clock_.Now()));
    EXPECT_THAT(t, test::IsOk());
    return t.ok() ? PrincipalOf(t->org, t->admin) : Principal{};
  }

  // Every audit event, in chain order.
  std::vector<domain::AuditEvent> Events() {
    std::vector<domain::AuditEvent> out;
    EXPECT_THAT(store_->ScanAudit([&](const domain::AuditEvent& e) {
      out.push_back(e);
      return true;
    }),
                test::IsOk());
    return out;
  }

  test::TempDatabase db_;
  test::FixedClock clock_{test::TestEpoch()};
  std::unique_ptr<store::Store> store_;
  test::Tenant acme_;
  Principal alice_;
};

// AppTest with every use case wired (app::Services), and records written straight to the store
// (test::InsertRaw: without the use cases' rules, with the audit events the store writes).
class ServicesTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    services_ = std::make_unique<Services>(*store_, clock_);
  }

  std::string Today() const { return FormatDate(clock_.Now()); }

  store::Actor ActorOf(const Principal& p) const {
    return {.org_id = p.org_id,
            .user_id = p.user_id,
            .username = p.username,
            .now = FormatUtc(clock_.Now())};
  }
  int64_t Insert(const Principal& p, const domain::RegisterSpec& spec,
                 const domain::Json& set = {}) {
    return test::InsertRaw(*store_, ActorOf(p), spec,
                           set.is_object() ? set : domain::Json::object());
  }
  void Update(const Principal& p, const domain::RegisterSpec& spec, int64_t id,
              const domain::Json& set) {
    test::UpdateRaw(*store_, ActorOf(p), spec, id, set);
  }
  void Delete(const Principal& p, const domain::RegisterSpec& spec, int64_t id) {
    test::DeleteRaw(*store_, ActorOf(p), spec, id);
  }

  std::unique_ptr<Services> services_;
};

}  // namespace rampart::app

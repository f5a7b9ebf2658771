// The guided setup of a new organisation (issue 15): the profile, the default methodology
// approved, the catalogues loaded and the two roles held, each by the area's use case; again
// changes only what is missing; a bad answer changes nothing.
#include "app/setup_service.h"

#include <gtest/gtest.h>

#include "app/services.h"
#include "app_fixture.h"
#include "domain/leadership.h"
#include "domain/risk.h"

namespace rampart::app {
namespace {

using domain::Json;
using test::IsOk;
using test::StatusIs;

class SetupServiceTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    services_ = std::make_unique<Services>(*store_, clock_);
    auto exec = test::AddMember(*store_, acme_.org.id, "erin", FormatUtc(clock_.Now()));
    ASSERT_THAT(exec, IsOk());
    erin_ = exec->id;
  }

  SetupInput Input() const {
    return {.name = "Acme Security Ltd",
            .size = "51-250",
            .sector = "software",
            .isms_manager = alice_.user_id,
            .top_management = erin_};
  }

  int64_t Count(const domain::RegisterSpec& spec) {
    auto n = services_->registers.Count(alice_, spec, {});
    EXPECT_THAT(n, IsOk());
    return n.ok() ? *n : -1;
  }

  std::unique_ptr<Services> services_;
  int64_t erin_ = 0;
};

TEST_F(SetupServiceTest, SetsUpTheProfileMethodologyCataloguesAndRoles) {
  auto done = services_->setup.Run(alice_, Input());
  ASSERT_THAT(done, IsOk());
  EXPECT_TRUE(done->methodology_approved);
  EXPECT_EQ(done->threats, 44);
  EXPECT_EQ(done->vulnerabilities, 44);
  EXPECT_EQ(done->roles_created, 2);

  auto profile = services_->setup.Profile(alice_);
  ASSERT_THAT(profile, IsOk());
  EXPECT_EQ(profile->size, "51-250");
  EXPECT_EQ(profile->sector, "software");
  EXPECT_EQ(profile->set_up_at, FormatUtc(clock_.Now()));
  EXPECT_EQ(store_->GetOrganisation(acme_.org.id)->name, "Acme Security Ltd");

  auto a = services_->readiness.Assess(alice_);
  ASSERT_THAT(a, IsOk());
  for (const auto& r : a->results) {
    const auto& id = r.check->id;
    if (id == "6.1.2-methodology" || id == "5.3-roles-held" || id == "5.3-top-management") {
      EXPECT_TRUE(r.passed) << id << ": " << r.detail;
    }
  }
  // The profile's change is an audit event naming what changed.
  bool found = false;
  for (const auto& e : Events()) {
    if (e.action == "set_up" && e.record_type == "organisation") {
      found = true;
      EXPECT_EQ(e.diff["sector"]["to"], "software");
      EXPECT_EQ(e.diff["name"]["from"], "Acme");
    }
  }
  EXPECT_TRUE(found);

  // Again: only what is missing (nothing), the same two roles.
  auto again = services_->setup.Run(alice_, Input());
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(again->methodology_approved);
  EXPECT_EQ(again->threats, 0);
  EXPECT_EQ(again->roles_created, 0);
  EXPECT_EQ(Count(domain::IsmsRoles()), 2);
  EXPECT_EQ(Count(domain::RiskMethodologies()), 1);
}

TEST_F(SetupServiceTest, ABadAnswerChangesNothing) {
  SetupInput in = Input();
  in.size = "huge";
  EXPECT_THAT(services_->setup.Run(alice_, in), StatusIs(Code::kInvalidArgument, "size"));
  in = Input();
  in.sector = "";
  EXPECT_THAT(services_->setup.Run(alice_, in), StatusIs(Code::kInvalidArgument, "sector"));
  in = Input();
  in.name = "  ";
  EXPECT_THAT(services_->setup.Run(alice_, in), StatusIs(Code::kInvalidArgument, "name"));
  in = Input();
  const Principal globex = Globex();
  in.isms_manager = globex.user_id;  // not a member of Acme
  EXPECT_THAT(services_->setup.Run(alice_, in), StatusIs(Code::kInvalidArgument, "isms_manager"));
  in = Input();
  in.top_management = 0;
  EXPECT_THAT(services_->setup.Run(alice_, in), StatusIs(Code::kInvalidArgument, "top_management"));
  in = Input();
  in.name = "Globex";
  EXPECT_THAT(services_->setup.Run(alice_, in), StatusIs(Code::kAlreadyExists, "name"));
  EXPECT_EQ(store_->GetOrganisation(acme_.org.id)->name, "Acme");
  EXPECT_TRUE(services_->setup.Profile(alice_)->set_up_at.empty());
  EXPECT_EQ(Count(domain::IsmsRoles()), 0);
  EXPECT_EQ(Count(domain::Threats()), 0);
}

TEST_F(SetupServiceTest, OnlyAdministratorsSetUp) {
  Principal manager = alice_;
  manager.role = domain::Role::kIsmsManager;
  EXPECT_THAT(services_->setup.Run(manager, Input()), StatusIs(Code::kPermissionDenied));
  EXPECT_TRUE(services_->setup.Profile(alice_)->set_up_at.empty());
}

}  // namespace
}  // namespace rampart::app

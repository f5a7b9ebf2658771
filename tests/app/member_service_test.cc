#include "app/member_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "app/app_fixture.h"
#include "app/audit_service.h"
#include "app/auth_service.h"
#include "domain/context.h"

namespace rampart::app {
namespace {

using domain::Role;
using test::IsOk;
using test::StatusIs;
using ::testing::HasSubstr;

// Security assessment finding 4: an administrator of one organisation added another's account
// (learning its display name and second-factor status), was told which names exist, and kept
// the other organisation's administrators from managing their own member.
class OrganisationIsolationTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    auth_ = std::make_unique<AuthService>(*store_, clock_);
    members_ = std::make_unique<MemberService>(*store_, clock_, *auth_);
    bob_ = Globex();
    auto carol = members_->Add(alice_, {.username = "carol",
                                        .display_name = "Carol Acme",
                                        .role = Role::kContributor,
                                        .password = "a long enough passphrase 1"});
    ASSERT_THAT(carol, IsOk());
    carol_ = PrincipalOf(acme_.org, carol->user);
    carol_.role = Role::kContributor;
  }

  int64_t InvitationId(const Principal& p) {
    auto mine = members_->Invitations(p);
    EXPECT_THAT(mine, IsOk());
    return mine.ok() && mine->size() == 1 ? mine->front().id : 0;
  }

  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<MemberService> members_;
  Principal bob_;
  Principal carol_;
};

TEST_F(OrganisationIsolationTest, ATakenNameBecomesAnInvitationThatSaysNothingAboutTheAccount) {
  auto added = members_->Add(bob_, {.username = "carol", .role = Role::kViewer});
  ASSERT_THAT(added, IsOk());
  EXPECT_TRUE(added->invited);
  EXPECT_FALSE(added->existing_user);
  EXPECT_EQ(added->user.id, 0);
  EXPECT_EQ(added->user.display_name, "");
  EXPECT_EQ(added->one_time_password, "");
  // An administrator's name answers the same (the old code said "exists already" to a password).
  auto admin = members_->Add(
      bob_, {.username = "alice", .role = Role::kViewer, .password = "a long enough passphrase 2"});
  ASSERT_THAT(admin, IsOk());
  EXPECT_TRUE(admin->invited);
  EXPECT_EQ(admin->user.id, 0);
  // Nobody joined Globex: its list shows bob only, and carol is not a member there.
  auto globex = members_->List(bob_);
  ASSERT_THAT(globex, IsOk());
  ASSERT_EQ(globex->size(), 1u);
  EXPECT_EQ(globex->front().username, "bob");
  EXPECT_THAT(members_->Get(bob_, carol_.user_id), StatusIs(Code::kNotFound));
  EXPECT_FALSE(store_->GetMembership(carol_.user_id, bob_.org_id)->has_value());
  // The audit event of the invitation names the name asked for, not the account's id.
  const auto e = Events().back();
  EXPECT_EQ(e.action, "invite_member");
  EXPECT_EQ(e.org_id, bob_.org_id);
  EXPECT_EQ(e.record_id, 0);
  EXPECT_EQ(e.diff["username"], "alice");
  // A free name still makes a new account with a one-time password.
  auto fresh = members_->Add(bob_, {.username = "dave", .role = Role::kViewer});
  ASSERT_THAT(fresh, IsOk());
  EXPECT_FALSE(fresh->invited);
  EXPECT_NE(fresh->user.id, 0);
  EXPECT_FALSE(fresh->one_time_password.empty());
}

TEST_F(OrganisationIsolationTest, TheInvitedPersonAcceptsOrDeclines) {
  ASSERT_THAT(members_->Add(bob_, {.username = "carol", .role = Role::kAuditor}), IsOk());
  auto mine = members_->Invitations(carol_);
  ASSERT_THAT(mine, IsOk());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().org_name, "Globex");
  EXPECT_EQ(mine->front().role, Role::kAuditor);
  EXPECT_EQ(mine->front().invited_by, "bob");
  const int64_t id = mine->front().id;
  // Someone else cannot answer carol's invitation.
  EXPECT_THAT(members_->AcceptInvitation(alice_, id), StatusIs(Code::kNotFound));
  EXPECT_THAT(members_->DeclineInvitation(alice_, id), StatusIs(Code::kNotFound));
  auto accepted = members_->AcceptInvitation(carol_, id);
  ASSERT_THAT(accepted, IsOk());
  auto m = store_->GetMembership(carol_.user_id, bob_.org_id);
  ASSERT_THAT(m, IsOk());
  ASSERT_TRUE(m->has_value());
  EXPECT_EQ((*m)->role, Role::kAuditor);
  EXPECT_TRUE(members_->Invitations(carol_)->empty());
  const auto e = Events().back();
  EXPECT_EQ(e.action, "accept_invitation");
  EXPECT_EQ(e.org_id, bob_.org_id);
  EXPECT_EQ(e.actor, "carol");
  EXPECT_THAT(members_->AcceptInvitation(carol_, id), StatusIs(Code::kNotFound));
  // Now a member: adding again is "a member already", about Globex's own member.
  EXPECT_THAT(members_->Add(bob_, {.username = "carol", .role = Role::kViewer}),
              StatusIs(Code::kAlreadyExists));

  // Declining leaves no membership.
  ASSERT_THAT(members_->Add(bob_, {.username = "alice", .role = Role::kViewer}), IsOk());
  const int64_t second = InvitationId(alice_);
  ASSERT_THAT(members_->DeclineInvitation(alice_, second), IsOk());
  EXPECT_FALSE(store_->GetMembership(alice_.user_id, bob_.org_id)->has_value());
  EXPECT_TRUE(members_->Invitations(alice_)->empty());
  EXPECT_EQ(Events().back().action, "decline_invitation");
  EXPECT_EQ(Events().back().org_id, bob_.org_id);
}

TEST_F(OrganisationIsolationTest, TheHomeOrganisationKeepsControlOfItsMember) {
  ASSERT_THAT(members_->Add(bob_, {.username = "carol", .role = Role::kViewer}), IsOk());
  ASSERT_THAT(members_->AcceptInvitation(carol_, InvitationId(carol_)), IsOk());
  // Globex's administrator manages the membership only.
  auto refused = members_->ResetPassword(bob_, carol_.user_id);
  EXPECT_THAT(refused, StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(refused.status().message(), HasSubstr("joined this organisation by invitation"));
  EXPECT_THAT(members_->SetDisabled(bob_, carol_.user_id, true),
              StatusIs(Code::kFailedPrecondition));
  EXPECT_FALSE(store_->GetUser(carol_.user_id)->disabled);
  // Acme's administrator keeps full control of the account Acme created (the old code: 409).
  auto otp = members_->ResetPassword(alice_, carol_.user_id);
  ASSERT_THAT(otp, IsOk());
  EXPECT_FALSE(otp->password.empty());
  EXPECT_THAT(members_->SetDisabled(alice_, carol_.user_id, true), IsOk());
  EXPECT_TRUE(store_->GetUser(carol_.user_id)->disabled);
  // And Globex can still end carol's membership of Globex.
  EXPECT_THAT(members_->RemoveFromOrganisation(bob_, carol_.user_id), IsOk());
}

TEST_F(OrganisationIsolationTest, TheCommandLineStillAddsAnExistingAccountDirectly) {
  auto added = members_->AddUser("Globex", {.username = "carol", .role = Role::kViewer});
  ASSERT_THAT(added, IsOk());
  EXPECT_TRUE(added->existing_user);
  EXPECT_FALSE(added->invited);
  EXPECT_TRUE(store_->GetMembership(carol_.user_id, bob_.org_id)->has_value());
  // The account's home is still Acme.
  EXPECT_EQ(*store_->AccountHome(carol_.user_id), acme_.org.id);
}

// Finding 14: Acme saw its verification count move when Globex wrote.
TEST_F(OrganisationIsolationTest, AuditVerificationCountsOnlyTheCallersOrganisation) {
  auto before = VerifyAuditChain(*store_, acme_.org.id);
  ASSERT_THAT(before, IsOk());
  RegisterService registers(*store_, clock_);
  ASSERT_THAT(registers.Create(bob_, domain::ContextIssues(),
                               {{"title", "Globex only"}, {"kind", "external"}}),
              IsOk());
  auto after = VerifyAuditChain(*store_, acme_.org.id);
  ASSERT_THAT(after, IsOk());
  EXPECT_TRUE(after->intact);
  EXPECT_EQ(after->events, before->events);
  EXPECT_EQ(after->head_seq, before->head_seq);
  EXPECT_EQ(after->head_hash, before->head_hash);
  int64_t acme_events = 0;
  for (const auto& e : Events()) acme_events += e.org_id == acme_.org.id ? 1 : 0;
  EXPECT_EQ(after->events, acme_events);
  auto globex = VerifyAuditChain(*store_, bob_.org_id);
  ASSERT_THAT(globex, IsOk());
  EXPECT_EQ(globex->head_hash, Events().back().hash);
}

}  // namespace
}  // namespace rampart::app

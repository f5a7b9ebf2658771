#include "app/auth_service.h"

#include "app/member_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/crypto.h"
#include "support/fixed_clock.h"
#include "support/status_matchers.h"
#include "support/test_store.h"

namespace rampart::app {
namespace {

using test::IsOk;
using test::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using namespace std::chrono_literals;

// Starts from an empty, migrated database: AuthService::Initialise creates the organisation.
class AuthServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_THAT(InitCrypto(), IsOk()); }

  void SetUp() override {
    auto opened = test::OpenMigratedStore(db_.path());
    ASSERT_THAT(opened, IsOk());
    store_ = std::move(opened).value();
    auth_ = std::make_unique<AuthService>(*store_, clock_);
    members_ = std::make_unique<MemberService>(*store_, clock_, *auth_);
  }

  // Initialises "Acme" and changes admin's one-time password to kPassword.
  void InitialiseAndSetPassword() {
    auto init = auth_->Initialise("Acme");
    ASSERT_THAT(init, IsOk());
    auto signed_in = auth_->SignIn({.username = "admin", .password = init->one_time_password});
    ASSERT_THAT(signed_in, IsOk());
    ASSERT_THAT(auth_->ChangePassword(signed_in->principal, "", init->one_time_password, kPassword),
                IsOk());
  }

  std::vector<domain::AuditEvent> Events() {
    std::vector<domain::AuditEvent> out;
    EXPECT_THAT(store_->ScanAudit([&](const domain::AuditEvent& e) {
      out.push_back(e);
      return true;
    }),
                IsOk());
    return out;
  }

  static constexpr const char* kPassword = "correct horse battery";

  test::TempDatabase db_;
  test::FixedClock clock_{test::TestEpoch()};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<MemberService> members_;
};

// --- Initialise ---

TEST_F(AuthServiceTest, InitialiseCreatesTheOrganisationAndAdminWithAOneTimePassword) {
  const auto init = auth_->Initialise("  Acme Ltd ");
  ASSERT_THAT(init, IsOk());
  EXPECT_EQ(init->org.name, "Acme Ltd");
  EXPECT_EQ(init->username, "admin");
  ASSERT_EQ(init->one_time_password.size(), 23u);
  EXPECT_EQ(init->one_time_password[5], '-');

  const auto admin = store_->FindUser("admin");
  ASSERT_THAT(admin, IsOk());
  EXPECT_TRUE(admin->must_change_password);
  EXPECT_THAT(admin->password_hash, StartsWith("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(admin->password_hash, init->one_time_password));
  const auto membership = store_->GetMembership(admin->id, init->org.id);
  ASSERT_THAT(membership, IsOk());
  EXPECT_TRUE(membership->has_value());

  const auto events = Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].record_type, "organisation");
  EXPECT_EQ(events[1].record_type, "user");
  EXPECT_EQ(events[1].record_id, admin->id);
  EXPECT_EQ(events[1].actor, "system");
}

TEST_F(AuthServiceTest, InitialiseRefusesASecondTime) {
  ASSERT_THAT(auth_->Initialise("Acme"), IsOk());
  EXPECT_THAT(auth_->Initialise("Globex"), StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(store_->FindOrganisation("Globex"), StatusIs(Code::kNotFound));
}

TEST_F(AuthServiceTest, InitialiseRequiresAnOrganisationName) {
  EXPECT_THAT(auth_->Initialise("   "), StatusIs(Code::kInvalidArgument, "org"));
  EXPECT_THAT(auth_->Initialise(std::string(201, 'x')), StatusIs(Code::kInvalidArgument, "org"));
  EXPECT_EQ(store_->ListOrganisations()->size(), 0u);
}

// Regression: a name that is not UTF-8 reached the audit trail, whose JSON encoder throws.
TEST_F(AuthServiceTest, InitialiseRefusesANameThatIsNotUtf8) {
  EXPECT_THAT(auth_->Initialise("Acme \xff"), StatusIs(Code::kInvalidArgument, "org"));
  EXPECT_EQ(store_->ListOrganisations()->size(), 0u);
}

TEST_F(AuthServiceTest, OneTimePasswordMustBeChangedBeforeWriting) {
  const auto init = auth_->Initialise("Acme");
  ASSERT_THAT(init, IsOk());
  const auto signed_in = auth_->SignIn({.username = "admin", .password = init->one_time_password});
  ASSERT_THAT(signed_in, IsOk());
  EXPECT_TRUE(signed_in->principal.must_change_password);
  ASSERT_THAT(
      auth_->ChangePassword(signed_in->principal, "", init->one_time_password, "a new passphrase"),
      IsOk());
  const auto again = auth_->SignIn({.username = "admin", .password = "a new passphrase"});
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(again->principal.must_change_password);
}

// --- Sign-in and sessions ---

TEST_F(AuthServiceTest, SignInRefusesAWrongPasswordAndRecordsTheFailure) {
  InitialiseAndSetPassword();
  const size_t before = Events().size();
  const auto r = auth_->SignIn({.username = "admin", .password = "not the password"});
  EXPECT_THAT(r, StatusIs(Code::kUnauthenticated));
  const auto events = Events();
  ASSERT_EQ(events.size(), before + 1);
  EXPECT_EQ(events.back().action, "sign_in_failed");
  EXPECT_EQ(events.back().actor, "admin");
}

TEST_F(AuthServiceTest, SignInGivesOneAnswerForEveryFailure) {
  InitialiseAndSetPassword();
  const auto wrong_password = auth_->SignIn({.username = "admin", .password = "not the password"});
  const auto unknown_user = auth_->SignIn({.username = "nobody", .password = kPassword});
  EXPECT_THAT(wrong_password, StatusIs(Code::kUnauthenticated));
  EXPECT_THAT(unknown_user, StatusIs(Code::kUnauthenticated));
  EXPECT_EQ(wrong_password.status().message(), unknown_user.status().message());
}

TEST_F(AuthServiceTest, SignInStartsASessionThatAuthenticates) {
  InitialiseAndSetPassword();
  const auto signed_in = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(signed_in, IsOk());
  EXPECT_EQ(signed_in->session_token.size(), 43u);
  EXPECT_EQ(signed_in->principal.username, "admin");
  EXPECT_EQ(signed_in->principal.org_name, "Acme");
  EXPECT_FALSE(signed_in->principal.csrf_token.empty());

  const auto p = auth_->AuthenticateSession(signed_in->session_token);
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->user_id, signed_in->principal.user_id);
  EXPECT_EQ(p->org_id, signed_in->principal.org_id);
  EXPECT_EQ(p->credential, Credential::kSession);
  EXPECT_EQ(p->csrf_token, signed_in->principal.csrf_token);
}

TEST_F(AuthServiceTest, StoresOnlyTheHashOfASessionToken) {
  InitialiseAndSetPassword();
  const auto signed_in = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(signed_in, IsOk());
  EXPECT_THAT(store_->FindSessionOwner(signed_in->session_token), StatusIs(Code::kNotFound));
  EXPECT_THAT(store_->FindSessionOwner(Sha256Hex(signed_in->session_token)), IsOk());
}

TEST_F(AuthServiceTest, RefusesAnUnknownOrMalformedSessionToken) {
  InitialiseAndSetPassword();
  EXPECT_THAT(auth_->AuthenticateSession(""), StatusIs(Code::kUnauthenticated));
  EXPECT_THAT(auth_->AuthenticateSession(RandomToken()), StatusIs(Code::kUnauthenticated));
  EXPECT_THAT(auth_->AuthenticateSession(std::string(129, 'a')), StatusIs(Code::kUnauthenticated));
}

TEST_F(AuthServiceTest, ASessionExpiresAfterItsLifetime) {
  InitialiseAndSetPassword();
  const auto signed_in = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(signed_in, IsOk());
  // Active all along (a request every 20 minutes), it still ends 12 hours after sign-in.
  for (int i = 0; i < 35; ++i) {
    clock_.Advance(20min);
    ASSERT_THAT(auth_->AuthenticateSession(signed_in->session_token), IsOk()) << i;
  }
  clock_.Advance(20min - 1ms);
  EXPECT_THAT(auth_->AuthenticateSession(signed_in->session_token), IsOk());
  clock_.Advance(1ms);
  EXPECT_THAT(auth_->AuthenticateSession(signed_in->session_token),
              StatusIs(Code::kUnauthenticated));
}

TEST_F(AuthServiceTest, SignOutEndsTheSession) {
  InitialiseAndSetPassword();
  const auto signed_in = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(signed_in, IsOk());
  ASSERT_THAT(auth_->SignOut(signed_in->principal, signed_in->session_token), IsOk());
  EXPECT_THAT(auth_->AuthenticateSession(signed_in->session_token),
              StatusIs(Code::kUnauthenticated));
  EXPECT_EQ(Events().back().action, "sign_out");
}

// --- Passwords ---

TEST_F(AuthServiceTest, ChangePasswordNamesAWrongCurrentPassword) {
  InitialiseAndSetPassword();
  const auto signed_in = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(signed_in, IsOk());
  EXPECT_THAT(auth_->ChangePassword(signed_in->principal, "", "wrong current", "a new passphrase"),
              StatusIs(Code::kInvalidArgument, "current_password"));
  EXPECT_THAT(auth_->SignIn({.username = "admin", .password = kPassword}), IsOk());
}

TEST_F(AuthServiceTest, ChangePasswordNamesAnUnacceptableNewPassword) {
  InitialiseAndSetPassword();
  const auto signed_in = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(signed_in, IsOk());
  const Principal& p = signed_in->principal;
  EXPECT_THAT(auth_->ChangePassword(p, "", kPassword, "short"),
              StatusIs(Code::kInvalidArgument, "new_password"));
  EXPECT_THAT(auth_->ChangePassword(p, "", kPassword, std::string(129, 'x')),
              StatusIs(Code::kInvalidArgument, "new_password"));
  EXPECT_THAT(auth_->ChangePassword(p, "", kPassword, kPassword),
              StatusIs(Code::kInvalidArgument, "new_password"));
  EXPECT_THAT(auth_->SignIn({.username = "admin", .password = kPassword}), IsOk());
}

TEST_F(AuthServiceTest, ChangePasswordReplacesTheOldOne) {
  InitialiseAndSetPassword();
  const auto signed_in = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(signed_in, IsOk());
  ASSERT_THAT(auth_->ChangePassword(signed_in->principal, "", kPassword, "an even better one"),
              IsOk());
  EXPECT_THAT(auth_->SignIn({.username = "admin", .password = kPassword}),
              StatusIs(Code::kUnauthenticated));
  EXPECT_THAT(auth_->SignIn({.username = "admin", .password = "an even better one"}), IsOk());
  EXPECT_EQ(Events().back().action, "sign_in");
}

TEST(CheckNewPassword, CountsCharactersNotBytes) {
  EXPECT_THAT(AuthService::CheckNewPassword("1234567", "p"), StatusIs(Code::kInvalidArgument, "p"));
  EXPECT_THAT(AuthService::CheckNewPassword("k3x9-mq2", "p"), IsOk());
  EXPECT_THAT(AuthService::CheckNewPassword(std::string(128, 'x'), "p"), IsOk());
  EXPECT_THAT(AuthService::CheckNewPassword(std::string(129, 'x'), "p"),
              StatusIs(Code::kInvalidArgument, "p"));
  std::string accents;
  for (int i = 0; i < 4; ++i) accents += "\xc3\xa9";  // 4 characters, 8 bytes
  EXPECT_THAT(AuthService::CheckNewPassword(accents, "p"), StatusIs(Code::kInvalidArgument, "p"));
  EXPECT_THAT(AuthService::CheckNewPassword("abcdefg\xff", "p"),
              StatusIs(Code::kInvalidArgument, "p"));
}

// --- Users ---

TEST_F(AuthServiceTest, AddUserValidatesNameAndPassword) {
  InitialiseAndSetPassword();
  EXPECT_THAT(
      members_->AddUser(
          "", {.username = "Bad Name", .role = domain::Role::kAdmin, .password = kPassword}),
      StatusIs(Code::kInvalidArgument, "username"));
  EXPECT_THAT(members_->AddUser(
                  "", {.username = "carol", .role = domain::Role::kAdmin, .password = "short"}),
              StatusIs(Code::kInvalidArgument, "password"));
  // An existing user keeps their password: naming one is refused; without one they are a member
  // of this organisation already.
  EXPECT_THAT(members_->AddUser(
                  "", {.username = "admin", .role = domain::Role::kAdmin, .password = kPassword}),
              StatusIs(Code::kInvalidArgument, "password"));
  EXPECT_THAT(members_->AddUser("", {.username = "admin", .role = domain::Role::kViewer}),
              StatusIs(Code::kAlreadyExists, "username"));
  EXPECT_THAT(
      members_->AddUser("Initech",
                        {.username = "carol", .role = domain::Role::kAdmin, .password = kPassword}),
      StatusIs(Code::kInvalidArgument, "org"));
}

TEST_F(AuthServiceTest, AddUserNeedsAnInitialisedDatabase) {
  EXPECT_THAT(members_->AddUser(
                  "", {.username = "carol", .role = domain::Role::kAdmin, .password = kPassword}),
              StatusIs(Code::kFailedPrecondition));
}

TEST_F(AuthServiceTest, AddedUserCanSignInWithoutChangingThePassword) {
  InitialiseAndSetPassword();
  const auto carol = members_->AddUser(
      "Acme", {.username = "carol", .role = domain::Role::kAdmin, .password = kPassword});
  ASSERT_THAT(carol, IsOk());
  const auto signed_in = auth_->SignIn({.username = "carol", .password = kPassword});
  ASSERT_THAT(signed_in, IsOk());
  EXPECT_FALSE(signed_in->principal.must_change_password);
  const auto users = members_->ListUsers("");
  ASSERT_THAT(users, IsOk());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].username, "admin");
  EXPECT_EQ((*users)[1].username, "carol");
}

TEST_F(AuthServiceTest, DisablingAUserEndsSessionsAndTokens) {
  InitialiseAndSetPassword();
  ASSERT_THAT(members_->AddUser(
                  "", {.username = "carol", .role = domain::Role::kAdmin, .password = kPassword}),
              IsOk());
  const auto session = auth_->SignIn({.username = "carol", .password = kPassword});
  ASSERT_THAT(session, IsOk());
  const auto token = members_->CreateToken("carol", "", "ci", false, "");
  ASSERT_THAT(token, IsOk());
  EXPECT_THAT(*token, StartsWith("rpt_"));
  const auto by_token = auth_->AuthenticateToken(*token);
  ASSERT_THAT(by_token, IsOk());
  EXPECT_EQ(by_token->username, "carol");
  EXPECT_EQ(by_token->credential, Credential::kToken);

  ASSERT_THAT(members_->DisableUser("carol"), IsOk());
  EXPECT_THAT(auth_->AuthenticateSession(session->session_token), StatusIs(Code::kUnauthenticated));
  EXPECT_THAT(auth_->AuthenticateToken(*token), StatusIs(Code::kUnauthenticated));
  EXPECT_THAT(auth_->SignIn({.username = "carol", .password = kPassword}),
              StatusIs(Code::kUnauthenticated));
  EXPECT_THAT(members_->CreateToken("carol", "", "another", false, ""),
              StatusIs(Code::kFailedPrecondition));
  // Disabling twice is not an error; the admin is unaffected.
  EXPECT_THAT(members_->DisableUser("carol"), IsOk());
  EXPECT_THAT(auth_->SignIn({.username = "admin", .password = kPassword}), IsOk());
}

TEST_F(AuthServiceTest, DisableUserReportsAnUnknownUser) {
  InitialiseAndSetPassword();
  EXPECT_THAT(members_->DisableUser("nobody"), StatusIs(Code::kNotFound));
}

TEST_F(AuthServiceTest, RefusesAnUnknownToken) {
  InitialiseAndSetPassword();
  ASSERT_THAT(members_->CreateToken("admin", "", "ci", false, ""), IsOk());
  EXPECT_THAT(auth_->AuthenticateToken("rpt_" + RandomToken()), StatusIs(Code::kUnauthenticated));
  EXPECT_THAT(auth_->AuthenticateToken(""), StatusIs(Code::kUnauthenticated));
}

// Regression: a token name that is not UTF-8 reached the audit trail, whose JSON encoder throws.
TEST_F(AuthServiceTest, CreateTokenRefusesANameThatIsNotUtf8) {
  InitialiseAndSetPassword();
  EXPECT_THAT(members_->CreateToken("admin", "", "ci \xff", false, ""),
              StatusIs(Code::kInvalidArgument, "name"));
}

TEST_F(AuthServiceTest, CreateTokenStoresOnlyItsHash) {
  InitialiseAndSetPassword();
  const auto token = members_->CreateToken("admin", "", "", false, "");
  ASSERT_THAT(token, IsOk());
  EXPECT_THAT(store_->FindTokenOwner(*token), StatusIs(Code::kNotFound));
  const auto stored = store_->FindTokenOwner(Sha256Hex(*token));
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->token.name, "token");  // the default name
  EXPECT_THAT(Events().back().diff.dump(), HasSubstr("admin"));
}

}  // namespace
}  // namespace rampart::app

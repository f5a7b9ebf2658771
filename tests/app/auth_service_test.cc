#include "app/auth_service.h"

#include "app/member_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/crypto.h"
#include "base/totp.h"
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

  // Adds `username` to Acme with `role` and kPassword; returns the principal of a new session.
  Principal MemberWithRole(const std::string& username, domain::Role role,
                           const std::string& expires_on = "") {
    auto added = members_->AddUser(
        "", {.username = username, .role = role, .expires_on = expires_on, .password = kPassword});
    EXPECT_THAT(added, IsOk());
    auto signed_in = auth_->SignIn({.username = username, .password = kPassword});
    EXPECT_THAT(signed_in, IsOk());
    return signed_in.ok() ? signed_in->principal : Principal{};
  }

  // Enrols `p` in the second factor; returns the secret's key bytes and the recovery codes.
  std::pair<std::string, std::vector<std::string>> Enrol(const Principal& p) {
    auto started = auth_->StartSecondFactor(p);
    EXPECT_THAT(started, IsOk());
    if (!started.ok()) return {};
    const std::string key = Base32Decode(started->secret).value_or("");
    auto codes = auth_->ConfirmSecondFactor(p, TotpCode(key, ToUnixSeconds(clock_.Now())));
    EXPECT_THAT(codes, IsOk());
    return {key, codes.ok() ? *codes : std::vector<std::string>{}};
  }

  std::string CodeNow(const std::string& key) { return TotpCode(key, ToUnixSeconds(clock_.Now())); }

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

// --- Throttling ---

TEST_F(AuthServiceTest, ThrottlesAnAccountAfterFiveFailuresUntilTheWindowPasses) {
  InitialiseAndSetPassword();
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(auth_->SignIn({.username = "admin", .password = "wrong", .address = "192.0.2.1"}),
                StatusIs(Code::kUnauthenticated));
    clock_.Advance(1min);
  }
  // Even the right password is refused now, from any address, without checking it.
  const auto refused =
      auth_->SignIn({.username = "admin", .password = kPassword, .address = "198.51.100.7"});
  EXPECT_THAT(refused, StatusIs(Code::kResourceExhausted));
  EXPECT_THAT(refused.status().message(), HasSubstr("try again in 11 minutes"));
  // The first failure leaves the 15-minute window 10 minutes from now.
  EXPECT_EQ(auth_->ThrottledFor("admin", "198.51.100.7"), 10 * 60 + 1);
  EXPECT_EQ(auth_->ThrottledFor("ADMIN", ""), 10 * 60 + 1);  // user names are case-insensitive
  clock_.Advance(10min + 1s);
  EXPECT_EQ(auth_->ThrottledFor("admin", "198.51.100.7"), 0);
  EXPECT_THAT(
      auth_->SignIn({.username = "admin", .password = kPassword, .address = "198.51.100.7"}),
      IsOk());
}

TEST_F(AuthServiceTest, ThrottlesAnAddressTryingManyAccounts) {
  InitialiseAndSetPassword();
  for (const char* name : {"a1", "a2", "a3", "a4", "admin"}) {
    EXPECT_THAT(auth_->SignIn({.username = name, .password = "wrong", .address = "203.0.113.9"}),
                StatusIs(Code::kUnauthenticated));
  }
  EXPECT_THAT(auth_->SignIn({.username = "admin", .password = kPassword, .address = "203.0.113.9"}),
              StatusIs(Code::kResourceExhausted));
  // admin has one failure of their own only: another address may sign in.
  EXPECT_THAT(auth_->SignIn({.username = "admin", .password = kPassword, .address = "192.0.2.50"}),
              IsOk());
}

TEST_F(AuthServiceTest, ASuccessfulSignInClearsTheAccountsFailures) {
  InitialiseAndSetPassword();
  for (int i = 0; i < 4; ++i) {
    ASSERT_THAT(auth_->SignIn({.username = "admin", .password = "wrong"}),
                StatusIs(Code::kUnauthenticated));
  }
  ASSERT_THAT(auth_->SignIn({.username = "admin", .password = kPassword}), IsOk());
  for (int i = 0; i < 4; ++i) {
    ASSERT_THAT(auth_->SignIn({.username = "admin", .password = "wrong"}),
                StatusIs(Code::kUnauthenticated));
  }
  EXPECT_THAT(auth_->SignIn({.username = "admin", .password = kPassword}), IsOk());
}

// --- Passwords ---

TEST_F(AuthServiceTest, RefusesACommonPassword) {
  InitialiseAndSetPassword();
  const auto signed_in = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(signed_in, IsOk());
  const auto refused = auth_->ChangePassword(signed_in->principal, "", kPassword, "Password123");
  EXPECT_THAT(refused, StatusIs(Code::kInvalidArgument, "new_password"));
  EXPECT_THAT(refused.message(), HasSubstr("most common passwords"));
  EXPECT_THAT(members_->AddUser("", {.username = "carol", .password = "qwertyuiop"}),
              StatusIs(Code::kInvalidArgument, "password"));
}

TEST_F(AuthServiceTest, RehashesAPasswordHashedWithWeakerParametersAtSignIn) {
  InitialiseAndSetPassword();
  const auto admin = store_->FindUser("admin");
  ASSERT_THAT(admin, IsOk());
  const auto weak = HashPasswordWithLimits(kPassword, 1, 8192);
  ASSERT_THAT(weak, IsOk());
  ASSERT_THAT(store_->RehashPassword(admin->id, *weak), IsOk());
  ASSERT_TRUE(PasswordNeedsRehash(store_->GetUser(admin->id)->password_hash));
  ASSERT_THAT(auth_->SignIn({.username = "admin", .password = kPassword}), IsOk());
  const std::string rehashed = store_->GetUser(admin->id)->password_hash;
  EXPECT_FALSE(PasswordNeedsRehash(rehashed));
  EXPECT_NE(rehashed, *weak);
  EXPECT_TRUE(VerifyPassword(rehashed, kPassword));
}

TEST_F(AuthServiceTest, ChangingThePasswordEndsTheOtherSessions) {
  InitialiseAndSetPassword();
  const auto here = auth_->SignIn({.username = "admin", .password = kPassword});
  const auto elsewhere = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(here, IsOk());
  ASSERT_THAT(elsewhere, IsOk());
  ASSERT_THAT(
      auth_->ChangePassword(here->principal, here->session_token, kPassword, "an even better one"),
      IsOk());
  EXPECT_THAT(auth_->AuthenticateSession(here->session_token), IsOk());
  EXPECT_THAT(auth_->AuthenticateSession(elsewhere->session_token),
              StatusIs(Code::kUnauthenticated));
}

// --- Sessions ---

TEST_F(AuthServiceTest, ASessionEndsAfterItsIdleTimeout) {
  InitialiseAndSetPassword();
  const auto signed_in = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(signed_in, IsOk());
  clock_.Advance(30min - 1ms);
  ASSERT_THAT(auth_->AuthenticateSession(signed_in->session_token), IsOk());  // activity
  clock_.Advance(30min - 1ms);
  ASSERT_THAT(auth_->AuthenticateSession(signed_in->session_token), IsOk());
  clock_.Advance(30min + 1ms);
  EXPECT_THAT(auth_->AuthenticateSession(signed_in->session_token),
              StatusIs(Code::kUnauthenticated));
  EXPECT_EQ(Events().back().action, "session_idle");
}

TEST_F(AuthServiceTest, UsersSeeAndEndTheirOwnSessionsOnly) {
  InitialiseAndSetPassword();
  const Principal carol = MemberWithRole("carol", domain::Role::kViewer);
  const auto admin = auth_->SignIn({.username = "admin",
                                    .password = kPassword,
                                    .address = "192.0.2.4",
                                    .user_agent = "Firefox"});
  ASSERT_THAT(admin, IsOk());
  const auto sessions = auth_->Sessions(admin->principal);
  ASSERT_THAT(sessions, IsOk());
  ASSERT_EQ(sessions->size(), 1u);
  EXPECT_EQ(sessions->front().address, "192.0.2.4");
  EXPECT_EQ(sessions->front().user_agent, "Firefox");
  EXPECT_EQ(sessions->front().id, admin->principal.session_id);
  // carol cannot end the admin's session, even knowing its id.
  EXPECT_THAT(auth_->EndSession(carol, admin->principal.session_id), StatusIs(Code::kNotFound));
  EXPECT_THAT(auth_->AuthenticateSession(admin->session_token), IsOk());
  ASSERT_THAT(auth_->EndSession(admin->principal, admin->principal.session_id), IsOk());
  EXPECT_THAT(auth_->AuthenticateSession(admin->session_token), StatusIs(Code::kUnauthenticated));
  EXPECT_EQ(Events().back().action, "end_session");
}

// --- Second factor ---

TEST_F(AuthServiceTest, EnrolmentNeedsACorrectCodeAndGivesTenRecoveryCodes) {
  InitialiseAndSetPassword();
  const auto me = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(me, IsOk());
  EXPECT_THAT(auth_->ConfirmSecondFactor(me->principal, "123456"),
              StatusIs(Code::kFailedPrecondition));
  auto started = auth_->StartSecondFactor(me->principal);
  ASSERT_THAT(started, IsOk());
  EXPECT_THAT(started->uri, ::testing::StartsWith("otpauth://totp/Rampart:admin?secret="));
  EXPECT_THAT(started->qr_svg, ::testing::StartsWith("<svg"));
  const std::string key = *Base32Decode(started->secret);
  const std::string wrong = CodeNow(key) == "000000" ? "111111" : "000000";
  EXPECT_THAT(auth_->ConfirmSecondFactor(me->principal, wrong),
              StatusIs(Code::kInvalidArgument, "code"));
  EXPECT_FALSE(store_->FindUser("admin")->second_factor);
  const auto codes = auth_->ConfirmSecondFactor(me->principal, CodeNow(key));
  ASSERT_THAT(codes, IsOk());
  EXPECT_EQ(codes->size(), 10u);
  EXPECT_TRUE(store_->FindUser("admin")->second_factor);
  EXPECT_EQ(Events().back().action, "enable_second_factor");
  // Only hashes are stored: neither the codes nor the secret appear in the trail.
  for (const auto& e : Events()) {
    EXPECT_EQ(e.diff.dump().find(started->secret), std::string::npos);
    for (const auto& c : *codes) EXPECT_EQ(e.diff.dump().find(c), std::string::npos);
  }
}

TEST_F(AuthServiceTest, SignInWithASecondFactorAndRefuseAReplayedCode) {
  InitialiseAndSetPassword();
  const auto me = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(me, IsOk());
  const auto [key, recovery] = Enrol(me->principal);
  clock_.Advance(30s);

  // The JSON sign-in names the missing code.
  EXPECT_THAT(auth_->SignIn({.username = "admin", .password = kPassword}),
              StatusIs(Code::kUnauthenticated, "totp"));
  const std::string code = CodeNow(key);
  const auto with_code =
      auth_->SignIn({.username = "admin", .password = kPassword, .second_factor = code});
  ASSERT_THAT(with_code, IsOk());
  EXPECT_FALSE(with_code->principal.awaiting_second_factor);
  // The same code again, within its validity: a replay.
  EXPECT_THAT(auth_->SignIn({.username = "admin", .password = kPassword, .second_factor = code}),
              StatusIs(Code::kUnauthenticated, "totp"));
  EXPECT_EQ(Events().back().action, "second_factor_failed");
  clock_.Advance(30s);
  EXPECT_THAT(
      auth_->SignIn({.username = "admin", .password = kPassword, .second_factor = CodeNow(key)}),
      IsOk());
}

TEST_F(AuthServiceTest, TheWebSignInHasASecondStepUnderANewSessionId) {
  InitialiseAndSetPassword();
  const auto me = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(me, IsOk());
  const auto [key, recovery] = Enrol(me->principal);
  clock_.Advance(30s);
  const auto first = auth_->SignIn({.username = "admin",
                                    .password = kPassword,
                                    .address = "192.0.2.1",
                                    .allow_second_step = true});
  ASSERT_THAT(first, IsOk());
  EXPECT_TRUE(first->principal.awaiting_second_factor);
  const auto pending = auth_->AuthenticateSession(first->session_token);
  ASSERT_THAT(pending, IsOk());
  EXPECT_TRUE(pending->awaiting_second_factor);

  EXPECT_THAT(auth_->CompleteSecondFactor(*pending, first->session_token, "999999x", "192.0.2.1"),
              StatusIs(Code::kUnauthenticated, "totp"));
  const auto done =
      auth_->CompleteSecondFactor(*pending, first->session_token, CodeNow(key), "192.0.2.1");
  ASSERT_THAT(done, IsOk());
  EXPECT_FALSE(done->principal.awaiting_second_factor);
  EXPECT_NE(done->session_token, first->session_token);
  EXPECT_THAT(auth_->AuthenticateSession(first->session_token), StatusIs(Code::kUnauthenticated));
  const auto active = auth_->AuthenticateSession(done->session_token);
  ASSERT_THAT(active, IsOk());
  EXPECT_FALSE(active->awaiting_second_factor);
  // Regression: the session kept the second step's five-minute end. It lives its full lifetime.
  for (int i = 0; i < 35; ++i) {
    clock_.Advance(20min);
    ASSERT_THAT(auth_->AuthenticateSession(done->session_token), IsOk()) << i;
  }
}

TEST_F(AuthServiceTest, ASecondStepNotTakenExpiresAfterFiveMinutes) {
  InitialiseAndSetPassword();
  const auto me = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(me, IsOk());
  Enrol(me->principal);
  const auto first =
      auth_->SignIn({.username = "admin", .password = kPassword, .allow_second_step = true});
  ASSERT_THAT(first, IsOk());
  clock_.Advance(5min);
  EXPECT_THAT(auth_->AuthenticateSession(first->session_token), StatusIs(Code::kUnauthenticated));
}

TEST_F(AuthServiceTest, ARecoveryCodeWorksOnce) {
  InitialiseAndSetPassword();
  const auto me = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(me, IsOk());
  const auto [key, recovery] = Enrol(me->principal);
  ASSERT_EQ(recovery.size(), 10u);
  // Typed in upper case without the hyphen, it still counts.
  std::string typed;
  for (char c : recovery[3]) {
    if (c != '-') typed += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  EXPECT_THAT(auth_->SignIn({.username = "admin", .password = kPassword, .second_factor = typed}),
              IsOk());
  EXPECT_EQ(Events().back().action, "sign_in");
  EXPECT_THAT(
      auth_->SignIn({.username = "admin", .password = kPassword, .second_factor = recovery[3]}),
      StatusIs(Code::kUnauthenticated, "totp"));
  const auto state = auth_->SecondFactorStatus(me->principal);
  ASSERT_THAT(state, IsOk());
  EXPECT_EQ(state->unused_recovery_codes, 9);
  EXPECT_TRUE(state->secret.empty());  // never handed out
}

TEST_F(AuthServiceTest, TurningTheSecondFactorOffNeedsThePasswordAndACode) {
  InitialiseAndSetPassword();
  const auto me = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(me, IsOk());
  const auto [key, recovery] = Enrol(me->principal);
  clock_.Advance(30s);
  EXPECT_THAT(auth_->DisableSecondFactor(me->principal, "wrong", CodeNow(key)),
              StatusIs(Code::kInvalidArgument, "password"));
  EXPECT_THAT(auth_->DisableSecondFactor(me->principal, kPassword, "000000x"),
              StatusIs(Code::kInvalidArgument, "code"));
  ASSERT_THAT(auth_->DisableSecondFactor(me->principal, kPassword, CodeNow(key)), IsOk());
  EXPECT_FALSE(store_->FindUser("admin")->second_factor);
  EXPECT_EQ(Events().back().action, "disable_second_factor");
  EXPECT_THAT(auth_->SignIn({.username = "admin", .password = kPassword}), IsOk());
}

TEST_F(AuthServiceTest, AnOrganisationCanRequireASecondFactorForARole) {
  InitialiseAndSetPassword();
  const auto admin = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(admin, IsOk());
  const Principal viewer = MemberWithRole("vera", domain::Role::kViewer);
  EXPECT_FALSE(viewer.needs_second_factor);
  EXPECT_THAT(members_->SetSecondFactorRoles(viewer, {domain::Role::kViewer}),
              StatusIs(Code::kPermissionDenied));
  ASSERT_THAT(members_->SetSecondFactorRoles(admin->principal, {domain::Role::kViewer}), IsOk());
  auto again = auth_->SignIn({.username = "vera", .password = kPassword});
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->principal.needs_second_factor);
  EXPECT_TRUE(again->principal.InAccountSetup());
  Enrol(again->principal);
  auto enrolled = auth_->AuthenticateSession(again->session_token);
  ASSERT_THAT(enrolled, IsOk());
  EXPECT_FALSE(enrolled->needs_second_factor);
}

// --- Memberships and organisations ---

TEST_F(AuthServiceTest, AnExternalAuditorsAccessEndsAfterItsLastDay) {
  InitialiseAndSetPassword();
  // TestEpoch is 2026-03-14.
  EXPECT_THAT(
      members_->AddUser(
          "", {.username = "ext", .role = domain::Role::kExternalAuditor, .password = kPassword}),
      StatusIs(Code::kInvalidArgument, "expires_on"));
  EXPECT_THAT(members_->AddUser("", {.username = "ext",
                                     .role = domain::Role::kExternalAuditor,
                                     .expires_on = "2026-03-13",
                                     .password = kPassword}),
              StatusIs(Code::kInvalidArgument, "expires_on"));
  const Principal ext = MemberWithRole("ext", domain::Role::kExternalAuditor, "2026-03-15");
  EXPECT_TRUE(ext.Can(domain::Permission::kReadAuditTrail));
  EXPECT_FALSE(ext.Can(domain::Permission::kEditRecords));
  clock_.Advance(38h + 23min);  // 2026-03-15T23:49Z: the last day
  const auto s = auth_->SignIn({.username = "ext", .password = kPassword});
  ASSERT_THAT(s, IsOk());
  clock_.Advance(20min);  // 2026-03-16: the session is fresh, but the membership has ended
  const auto after = auth_->AuthenticateSession(s->session_token);
  EXPECT_THAT(after, StatusIs(Code::kUnauthenticated));
  EXPECT_THAT(after.status().message(), HasSubstr("ended on 2026-03-15"));
  EXPECT_THAT(auth_->SignIn({.username = "ext", .password = kPassword}),
              StatusIs(Code::kUnauthenticated));
}

TEST_F(AuthServiceTest, AUserOfSeveralOrganisationsSwitchesBetweenThem) {
  InitialiseAndSetPassword();
  ASSERT_THAT(members_->AddOrganisation("Globex"), IsOk());
  ASSERT_THAT(members_->AddUser("Globex", {.username = "admin", .role = domain::Role::kViewer}),
              IsOk());
  const auto s = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->principal.org_name, "Acme");
  const auto memberships = auth_->Memberships(s->principal);
  ASSERT_THAT(memberships, IsOk());
  ASSERT_EQ(memberships->size(), 2u);
  const int64_t globex = (*memberships)[1].org_id;
  EXPECT_EQ((*memberships)[1].org_name, "Globex");
  ASSERT_THAT(auth_->SwitchOrganisation(s->principal, s->session_token, globex), IsOk());
  const auto there = auth_->AuthenticateSession(s->session_token);
  ASSERT_THAT(there, IsOk());
  EXPECT_EQ(there->org_name, "Globex");
  EXPECT_EQ(there->role, domain::Role::kViewer);  // the role of that membership
  EXPECT_EQ(Events().back().action, "switch_organisation");
  EXPECT_EQ(Events().back().org_id, globex);
  EXPECT_THAT(auth_->SwitchOrganisation(*there, s->session_token, 9999), StatusIs(Code::kNotFound));
}

TEST_F(AuthServiceTest, TheLastAdministratorCannotBeDemotedOrDisabled) {
  InitialiseAndSetPassword();
  const auto admin = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(admin, IsOk());
  const Principal& p = admin->principal;
  EXPECT_THAT(members_->SetRole(p, p.user_id, domain::Role::kViewer, ""),
              StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(members_->SetDisabled(p, p.user_id, true), StatusIs(Code::kFailedPrecondition));
  const Principal carol = MemberWithRole("carol", domain::Role::kAdmin);
  ASSERT_THAT(members_->SetRole(p, carol.user_id, domain::Role::kIsmsManager, ""), IsOk());
  const auto e = Events().back();
  EXPECT_EQ(e.action, "change_role");
  EXPECT_EQ(e.record_id, carol.user_id);
  EXPECT_EQ(e.diff["role"]["from"], "admin");
  EXPECT_EQ(e.diff["role"]["to"], "isms_manager");
  // Another administrator makes demoting the first one possible.
  ASSERT_THAT(members_->SetRole(p, carol.user_id, domain::Role::kAdmin, ""), IsOk());
  EXPECT_THAT(members_->SetRole(p, p.user_id, domain::Role::kViewer, ""), IsOk());
}

TEST_F(AuthServiceTest, OnlyAdministratorsManagePeople) {
  InitialiseAndSetPassword();
  const Principal manager = MemberWithRole("mia", domain::Role::kIsmsManager);
  const Principal viewer = MemberWithRole("vera", domain::Role::kViewer);
  EXPECT_THAT(members_->Add(manager, {.username = "eve", .role = domain::Role::kAdmin}),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(members_->SetRole(manager, viewer.user_id, domain::Role::kAdmin, ""),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(members_->ResetPassword(manager, viewer.user_id), StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(store_->FindUser("eve"), StatusIs(Code::kNotFound));
  EXPECT_EQ(store_->GetMembership(viewer.user_id, viewer.org_id)->value().role,
            domain::Role::kViewer);
}

TEST_F(AuthServiceTest, AResetPasswordIsOneTimeAndEndsTheSessions) {
  InitialiseAndSetPassword();
  const auto admin = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(admin, IsOk());
  const auto carol = auth_->SignIn({.username = "admin", .password = kPassword});
  const Principal vera = MemberWithRole("vera", domain::Role::kViewer);
  const auto vera_session = auth_->SignIn({.username = "vera", .password = kPassword});
  ASSERT_THAT(vera_session, IsOk());
  const auto otp = members_->ResetPassword(admin->principal, vera.user_id);
  ASSERT_THAT(otp, IsOk());
  EXPECT_THAT(auth_->AuthenticateSession(vera_session->session_token),
              StatusIs(Code::kUnauthenticated));
  EXPECT_THAT(auth_->SignIn({.username = "vera", .password = kPassword}),
              StatusIs(Code::kUnauthenticated));
  EXPECT_EQ(otp->expires_at, FormatUtc(clock_.Now() + 72h));
  const auto with_otp = auth_->SignIn({.username = "vera", .password = otp->password});
  ASSERT_THAT(with_otp, IsOk());
  EXPECT_TRUE(with_otp->principal.must_change_password);
}

// --- API tokens ---

TEST_F(AuthServiceTest, TokensAreNamedScopedExpiringRevocableAndShownOnce) {
  InitialiseAndSetPassword();
  const auto admin = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(admin, IsOk());
  const Principal& p = admin->principal;
  EXPECT_THAT(auth_->CreateToken(p, "", false, ""), StatusIs(Code::kInvalidArgument, "name"));
  EXPECT_THAT(auth_->CreateToken(p, "ci", false, "2026-03-13"),
              StatusIs(Code::kInvalidArgument, "expires_on"));
  EXPECT_THAT(auth_->CreateToken(p, "ci", false, "tomorrow"),
              StatusIs(Code::kInvalidArgument, "expires_on"));
  const auto reader = auth_->CreateToken(p, "dashboard", true, "2026-03-20");
  ASSERT_THAT(reader, IsOk());
  const auto by_reader = auth_->AuthenticateToken(reader->second);
  ASSERT_THAT(by_reader, IsOk());
  EXPECT_TRUE(by_reader->read_only);
  EXPECT_TRUE(by_reader->Can(domain::Permission::kReadRecords));
  EXPECT_FALSE(by_reader->Can(domain::Permission::kEditRecords));
  EXPECT_FALSE(by_reader->Can(domain::Permission::kManageUsers));

  const auto listed = auth_->Tokens(p);
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().name, "dashboard");
  EXPECT_TRUE(listed->front().token_hash.empty());
  EXPECT_EQ(listed->front().last_used_at, FormatUtc(clock_.Now()));
  EXPECT_EQ(listed->front().expires_at, "2026-03-20T23:59:59.999Z");

  clock_.Advance(7 * 24h);  // 2026-03-21
  EXPECT_THAT(auth_->AuthenticateToken(reader->second), StatusIs(Code::kUnauthenticated));

  // A week later the session has ended; creating a token needs a fresh sign-in.
  const auto later = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(later, IsOk());
  const auto writer = auth_->CreateToken(later->principal, "sync", false, "");
  ASSERT_THAT(writer, IsOk());
  ASSERT_THAT(auth_->AuthenticateToken(writer->second), IsOk());
  const Principal other = MemberWithRole("carol", domain::Role::kAdmin);
  EXPECT_THAT(auth_->RevokeToken(other, writer->first.id), StatusIs(Code::kNotFound));
  ASSERT_THAT(auth_->RevokeToken(p, writer->first.id), IsOk());
  EXPECT_THAT(auth_->AuthenticateToken(writer->second), StatusIs(Code::kUnauthenticated));
  EXPECT_EQ(Events().back().action, "revoke");
  EXPECT_EQ(Events().back().record_type, "api_token");
}

// --- Issue 11, section 4: account security ---

std::vector<std::string> Actions(const std::vector<domain::AuditEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.action);
  return out;
}

// Regression (finding 7): 25 wrong current passwords gave 25 answers "not right", unthrottled.
TEST_F(AuthServiceTest, ChangingThePasswordIsThrottledLikeSignInAndAudited) {
  InitialiseAndSetPassword();
  const auto admin = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(admin, IsOk());
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(auth_->ChangePassword(admin->principal, admin->session_token, "wrong guess",
                                      "a brand new passphrase", "10.0.0.9"),
                StatusIs(Code::kInvalidArgument, "current_password"));
  }
  const auto actions = Actions(Events());
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "change_password_failed"), 5);
  EXPECT_EQ(Events().back().action, "change_password_failed");
  EXPECT_EQ(Events().back().diff["address"], "10.0.0.9");
  // Throttled now, even with the right password; and signing in to the account as well.
  EXPECT_THAT(auth_->ChangePassword(admin->principal, admin->session_token, kPassword,
                                    "a brand new passphrase", "10.0.0.9"),
              StatusIs(Code::kResourceExhausted));
  EXPECT_THAT(auth_->SignIn({.username = "admin", .password = kPassword, .address = "10.0.0.1"}),
              StatusIs(Code::kResourceExhausted));
  // The address counts too: another account signing in from it waits as well.
  MemberWithRole("vera", domain::Role::kViewer);
  EXPECT_THAT(auth_->SignIn({.username = "vera", .password = kPassword, .address = "10.0.0.9"}),
              StatusIs(Code::kResourceExhausted));
  EXPECT_GT(auth_->ThrottledFor("admin", ""), 0);

  clock_.Advance(16min);
  const auto again = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(again, IsOk());
  EXPECT_THAT(auth_->ChangePassword(again->principal, again->session_token, kPassword,
                                    "a brand new passphrase", "10.0.0.9"),
              IsOk());
}

// Regression (finding 8): a stolen session could create API tokens and enrol a second factor.
TEST_F(AuthServiceTest, CreatingTokensAndEnrollingNeedThePasswordWithinFiveMinutes) {
  InitialiseAndSetPassword();
  const auto admin = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(admin, IsOk());
  EXPECT_EQ(admin->principal.reauthenticated_at, FormatUtc(clock_.Now()));
  ASSERT_THAT(auth_->CreateToken(admin->principal, "fresh", false, ""), IsOk());

  clock_.Advance(6min);
  auto p = auth_->AuthenticateSession(admin->session_token);
  ASSERT_THAT(p, IsOk());
  EXPECT_THAT(auth_->CreateToken(*p, "later", false, ""),
              StatusIs(Code::kReauthenticationRequired));
  EXPECT_THAT(auth_->StartSecondFactor(*p), StatusIs(Code::kReauthenticationRequired));

  EXPECT_THAT(auth_->Reauthenticate(*p, admin->session_token, "wrong", "", "10.0.0.9"),
              StatusIs(Code::kInvalidArgument, "password"));
  EXPECT_EQ(Events().back().action, "reauthenticate_failed");
  ASSERT_THAT(auth_->Reauthenticate(*p, admin->session_token, kPassword, "", "10.0.0.9"), IsOk());
  EXPECT_EQ(Events().back().action, "reauthenticate");
  p = auth_->AuthenticateSession(admin->session_token);
  ASSERT_THAT(p, IsOk());
  const auto token = auth_->CreateToken(*p, "later", false, "");
  ASSERT_THAT(token, IsOk());
  EXPECT_THAT(auth_->StartSecondFactor(*p), IsOk());

  // An API token never can, however recently its holder signed in.
  const auto by_token = auth_->AuthenticateToken(token->second);
  ASSERT_THAT(by_token, IsOk());
  EXPECT_THAT(auth_->CreateToken(*by_token, "more", false, ""), StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(auth_->Reauthenticate(*by_token, "", kPassword, "", ""),
              StatusIs(Code::kFailedPrecondition));
}

TEST_F(AuthServiceTest, ReauthenticationAsksForTheSecondFactorWhenSetUp) {
  InitialiseAndSetPassword();
  const auto admin = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(admin, IsOk());
  const auto [key, codes] = Enrol(admin->principal);
  clock_.Advance(6min);
  auto p = auth_->AuthenticateSession(admin->session_token);
  ASSERT_THAT(p, IsOk());
  EXPECT_THAT(auth_->Reauthenticate(*p, admin->session_token, kPassword, "", ""),
              StatusIs(Code::kInvalidArgument, "code"));
  EXPECT_THAT(auth_->Reauthenticate(*p, admin->session_token, kPassword, "000000", ""),
              StatusIs(Code::kInvalidArgument, "code"));
  ASSERT_THAT(auth_->Reauthenticate(*p, admin->session_token, kPassword, CodeNow(key), ""), IsOk());
  p = auth_->AuthenticateSession(admin->session_token);
  ASSERT_THAT(p, IsOk());
  EXPECT_THAT(auth_->CreateToken(*p, "ci", true, ""), IsOk());
}

TEST_F(AuthServiceTest, ChangingThePasswordRevokesTokensUnlessKeptAndCountsAsReauthentication) {
  InitialiseAndSetPassword();
  const auto admin = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(admin, IsOk());
  const auto other = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(other, IsOk());
  const auto first = auth_->CreateToken(admin->principal, "first", false, "");
  ASSERT_THAT(first, IsOk());

  clock_.Advance(10min);
  auto p = auth_->AuthenticateSession(admin->session_token);
  ASSERT_THAT(p, IsOk());
  ASSERT_THAT(auth_->ChangePassword(*p, admin->session_token, kPassword, "second passphrase"),
              IsOk());
  EXPECT_THAT(auth_->AuthenticateToken(first->second), StatusIs(Code::kUnauthenticated));
  EXPECT_THAT(auth_->AuthenticateSession(other->session_token), StatusIs(Code::kUnauthenticated));
  EXPECT_EQ(Events().back().action, "revoke_tokens");
  EXPECT_EQ(Events().back().diff["tokens_revoked"], 1);

  // The change proved the password: a token may be made right away.
  p = auth_->AuthenticateSession(admin->session_token);
  ASSERT_THAT(p, IsOk());
  const auto second = auth_->CreateToken(*p, "second", false, "");
  ASSERT_THAT(second, IsOk());
  ASSERT_THAT(auth_->ChangePassword(*p, admin->session_token, "second passphrase",
                                    "third passphrase", "", ApiTokensOnPasswordChange::kKeep),
              IsOk());
  EXPECT_THAT(auth_->AuthenticateToken(second->second), IsOk());
  EXPECT_EQ(Events().back().action, "end_sessions");
}

// Regression (finding 9): one-time passwords worked any number of times and never expired.
TEST_F(AuthServiceTest, AOneTimePasswordWorksForOneSignIn) {
  const auto init = auth_->Initialise("Acme");
  ASSERT_THAT(init, IsOk());
  ASSERT_THAT(auth_->SignIn({.username = "admin", .password = init->one_time_password}), IsOk());
  const auto again = auth_->SignIn({.username = "admin", .password = init->one_time_password});
  EXPECT_THAT(again, StatusIs(Code::kUnauthenticated));
  EXPECT_THAT(again.status().message(), HasSubstr("ask an administrator for a new one"));
  EXPECT_EQ(Events().back().action, "sign_in_failed");
  EXPECT_EQ(Events().back().diff["reason"], "one_time_password_expired");
}

TEST_F(AuthServiceTest, AOneTimePasswordExpiresAfterSeventyTwoHours) {
  const auto init = auth_->Initialise("Acme");
  ASSERT_THAT(init, IsOk());
  EXPECT_EQ(init->one_time_password_expires_at, FormatUtc(clock_.Now() + 72h));
  clock_.Advance(72h + 1s);
  const auto late = auth_->SignIn({.username = "admin", .password = init->one_time_password});
  EXPECT_THAT(late, StatusIs(Code::kUnauthenticated));
  EXPECT_THAT(late.status().message(), HasSubstr("has expired"));
  EXPECT_THAT(late.status().message(), HasSubstr("ask an administrator for a new one"));
}

TEST_F(AuthServiceTest, AddedAndResetOneTimePasswordsExpireToo) {
  InitialiseAndSetPassword();
  const auto admin = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(admin, IsOk());
  const auto added = members_->AddUser("", {.username = "nina", .role = domain::Role::kViewer});
  ASSERT_THAT(added, IsOk());
  EXPECT_EQ(added->one_time_password_expires_at, FormatUtc(clock_.Now() + 72h));
  const Principal vera = MemberWithRole("vera", domain::Role::kViewer);
  const auto otp = members_->ResetPassword(admin->principal, vera.user_id);
  ASSERT_THAT(otp, IsOk());
  clock_.Advance(73h);
  EXPECT_THAT(auth_->SignIn({.username = "nina", .password = added->one_time_password}),
              StatusIs(Code::kUnauthenticated));
  EXPECT_THAT(auth_->SignIn({.username = "vera", .password = otp->password}),
              StatusIs(Code::kUnauthenticated));
}

// Regression (finding 11): "Acme2026!" was a fine password for a member of Acme.
TEST_F(AuthServiceTest, NewPasswordsMayNotContainTheUserOrOrganisationName) {
  const auto init = auth_->Initialise("Acme Ltd");
  ASSERT_THAT(init, IsOk());
  const auto admin = auth_->SignIn({.username = "admin", .password = init->one_time_password});
  ASSERT_THAT(admin, IsOk());
  const auto refused = [&](const std::string& password, const std::string& why) {
    const Status st = auth_->ChangePassword(admin->principal, admin->session_token,
                                            init->one_time_password, password);
    EXPECT_THAT(st, StatusIs(Code::kInvalidArgument, "new_password")) << password;
    EXPECT_THAT(st.message(), HasSubstr(why)) << password;
  };
  refused("i work at ACMELTD 2026", "the organisation's name");
  refused("acme ltd is where i work", "the organisation's name");
  refused("the Admin of this place", "your user name");
  refused("administrator forever", "your user name");
  ASSERT_THAT(auth_->ChangePassword(admin->principal, admin->session_token, init->one_time_password,
                                    "correct horse battery"),
              IsOk());
  ASSERT_THAT(auth_->SetDisplayName(admin->principal, "Jane Smith"), IsOk());
  const auto later = auth_->SignIn({.username = "admin", .password = "correct horse battery"});
  ASSERT_THAT(later, IsOk());
  const Status st = auth_->ChangePassword(later->principal, later->session_token,
                                          "correct horse battery", "janesmith rules ok");
  EXPECT_THAT(st, StatusIs(Code::kInvalidArgument, "new_password"));
  EXPECT_THAT(st.message(), HasSubstr("your name"));
  // Chosen by an administrator for a new member: the same rule, on the field "password".
  EXPECT_THAT(members_->AddUser("", {.username = "jsmith",
                                     .role = domain::Role::kViewer,
                                     .password = "hello jsmith 123"}),
              StatusIs(Code::kInvalidArgument, "password"));
}

// Regression (finding 13): recovery codes were stored as unsalted SHA-256.
TEST_F(AuthServiceTest, RecoveryCodesAreStoredAsArgon2idAndLegacyCodesStillWork) {
  InitialiseAndSetPassword();
  const auto admin = auth_->SignIn({.username = "admin", .password = kPassword});
  ASSERT_THAT(admin, IsOk());
  const auto [key, codes] = Enrol(admin->principal);
  ASSERT_EQ(codes.size(), 10u);
  const auto stored = store_->UnusedRecoveryCodes(admin->principal.user_id);
  ASSERT_THAT(stored, IsOk());
  ASSERT_EQ(stored->size(), 10u);
  for (const auto& h : *stored) EXPECT_THAT(h, StartsWith("$argon2id$"));
  ASSERT_THAT(
      auth_->SignIn({.username = "admin", .password = kPassword, .second_factor = codes[3]}),
      IsOk());
  EXPECT_THAT(
      auth_->SignIn({.username = "admin", .password = kPassword, .second_factor = codes[3]}),
      StatusIs(Code::kUnauthenticated, "totp"));
  EXPECT_EQ(store_->UnusedRecoveryCodes(admin->principal.user_id)->size(), 9u);

  // A code stored before migration 0010 (plain SHA-256) keeps working, once.
  const std::string legacy = NewRecoveryCode();
  ASSERT_THAT(store_->ReplaceRecoveryCodes(
                  admin->principal.user_id, {Sha256Hex(NormaliseRecoveryCode(legacy))},
                  store::AuditDraft{.at = FormatUtc(clock_.Now()), .action = "test"}),
              IsOk());
  ASSERT_THAT(auth_->SignIn({.username = "admin", .password = kPassword, .second_factor = legacy}),
              IsOk());
  EXPECT_THAT(auth_->SignIn({.username = "admin", .password = kPassword, .second_factor = legacy}),
              StatusIs(Code::kUnauthenticated, "totp"));
}

}  // namespace
}  // namespace rampart::app

#include "domain/identity.h"

#include <gtest/gtest.h>

#include <string>

namespace rampart::domain {
namespace {

TEST(IsValidUsername, AcceptsLowerCaseLettersDigitsAndSeparators) {
  for (const char* name : {"admin", "a", "7", "j.doe", "a_b-c", "0day", "x.y_z-1"}) {
    EXPECT_TRUE(IsValidUsername(name)) << name;
  }
}

TEST(IsValidUsername, RefusesEmptyUpperCaseAndOtherCharacters) {
  for (const char* name :
       {"", "Admin", "ADMIN", "a b", "a@b", "a/b", "j\xc3\xa9r\xc3\xb4me", "a\n", "a\tb", "a:b"}) {
    EXPECT_FALSE(IsValidUsername(name)) << name;
  }
}

TEST(IsValidUsername, RequiresALetterOrDigitFirst) {
  EXPECT_FALSE(IsValidUsername(".hidden"));
  EXPECT_FALSE(IsValidUsername("-x"));
  EXPECT_FALSE(IsValidUsername("_x"));
  EXPECT_TRUE(IsValidUsername("x."));
}

TEST(IsValidUsername, AllowsAtMost64Characters) {
  EXPECT_TRUE(IsValidUsername(std::string(64, 'a')));
  EXPECT_FALSE(IsValidUsername(std::string(65, 'a')));
}

TEST(Role, RoundTripsThroughItsName) {
  EXPECT_EQ(RoleName(Role::kAdmin), "admin");
  EXPECT_EQ(ParseRole("admin"), Role::kAdmin);
  for (const auto& info : AllRoles()) EXPECT_EQ(ParseRole(RoleName(info.role)), info.role);
  EXPECT_EQ(ParseRole("external_auditor"), Role::kExternalAuditor);
  EXPECT_EQ(ParseRole("Admin"), std::nullopt);
  EXPECT_EQ(ParseRole("root"), std::nullopt);
  EXPECT_EQ(ParseRole(""), std::nullopt);
}

TEST(PasswordLimits, AreEightTo128Characters) {
  EXPECT_EQ(kMinPasswordLength, 8u);
  EXPECT_EQ(kMaxPasswordLength, 128u);
}

}  // namespace
}  // namespace rampart::domain

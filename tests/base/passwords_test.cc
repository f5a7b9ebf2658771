#include "base/passwords.h"

#include <gtest/gtest.h>

#include <string>

#include "base/crypto.h"

namespace rampart {
namespace {

TEST(PasswordContainsName, IgnoresCaseAndSpaces) {
  EXPECT_TRUE(PasswordContainsName("my ACME ltd 2026!", "Acme Ltd"));
  EXPECT_TRUE(PasswordContainsName("xxjsmithxx", "jsmith"));
  EXPECT_TRUE(PasswordContainsName("janesmith rocks", "Jane Smith"));
  EXPECT_FALSE(PasswordContainsName("correct horse battery", "Acme"));
}

TEST(PasswordContainsName, NamesShorterThanThreeCharactersNeverCount) {
  EXPECT_FALSE(PasswordContainsName("a long enough passphrase", "al"));
  EXPECT_FALSE(PasswordContainsName("a long enough passphrase", " a l "));
  EXPECT_FALSE(PasswordContainsName("a long enough passphrase", ""));
}

TEST(CommonPasswords, ListHoldsAtLeastTenThousand) { EXPECT_GE(CommonPasswordCount(), 10000u); }

TEST(CommonPasswords, RefusesTheMostCommonOnes) {
  for (std::string_view p : {"123456", "password", "123456789", "qwertyuiop", "letmein", "iloveyou",
                             "trustno1", "1qaz2wsx"}) {
    EXPECT_TRUE(IsCommonPassword(p)) << p;
  }
}

TEST(CommonPasswords, IgnoresCase) {
  EXPECT_TRUE(IsCommonPassword("PASSWORD"));
  EXPECT_TRUE(IsCommonPassword("Password"));
  EXPECT_TRUE(IsCommonPassword("QWERTYUIOP"));
  EXPECT_TRUE(IsCommonPassword("LetMeIn"));
}

TEST(CommonPasswords, MatchesOnlyTheWholePassword) {
  EXPECT_FALSE(IsCommonPassword("password and more"));
  EXPECT_FALSE(IsCommonPassword(" password"));
  EXPECT_FALSE(IsCommonPassword("password-x9q"));
  EXPECT_FALSE(IsCommonPassword(""));
}

TEST(CommonPasswords, DoesNotTreatTheHeaderAsAPassword) {
  EXPECT_FALSE(IsCommonPassword("# MIT licence"));
  EXPECT_FALSE(IsCommonPassword("#"));
}

TEST(CommonPasswords, AcceptsARandomPassword) {
  ASSERT_TRUE(InitCrypto().ok());
  EXPECT_FALSE(IsCommonPassword("vR7#qL2!mZ9@xT4$wK8%"));
  EXPECT_FALSE(IsCommonPassword(RandomToken(15)));  // 20 characters
  EXPECT_FALSE(IsCommonPassword("correct horse battery staple"));
}

}  // namespace
}  // namespace rampart

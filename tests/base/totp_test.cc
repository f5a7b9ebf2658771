#include "base/totp.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "base/crypto.h"
#include "support/status_matchers.h"

namespace rampart {
namespace {

using test::IsOk;
using ::testing::MatchesRegex;
using ::testing::Optional;

// The shared secret of the RFC 4226 and RFC 6238 (SHA1) test vectors.
constexpr std::string_view kRfcKey = "12345678901234567890";
// RFC 6238 appendix B's T = 1111111109, in time step 37037036.
constexpr int64_t kRfcTime = 1111111109;
constexpr int64_t kRfcStep = 37037036;

class TotpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_THAT(InitCrypto(), IsOk()); }
};

TEST(Base32, EncodesTheRfc4648VectorsWithoutPadding) {
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("fo"), "MZXQ");
  EXPECT_EQ(Base32Encode("foo"), "MZXW6");
  EXPECT_EQ(Base32Encode("foob"), "MZXW6YQ");
  EXPECT_EQ(Base32Encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
}

TEST(Base32, DecodesTheRfc4648VectorsWithOrWithoutPadding) {
  EXPECT_THAT(Base32Decode(""), Optional(std::string("")));
  EXPECT_THAT(Base32Decode("MY======"), Optional(std::string("f")));
  EXPECT_THAT(Base32Decode("MZXQ===="), Optional(std::string("fo")));
  EXPECT_THAT(Base32Decode("MZXW6"), Optional(std::string("foo")));
  EXPECT_THAT(Base32Decode("MZXW6YQ="), Optional(std::string("foob")));
  EXPECT_THAT(Base32Decode("MZXW6YTB"), Optional(std::string("fooba")));
  EXPECT_THAT(Base32Decode("MZXW6YTBOI======"), Optional(std::string("foobar")));
}

TEST(Base32, DecodeAcceptsLowerCaseAndSpacesAsPeopleCopySecrets) {
  EXPECT_THAT(Base32Decode("mzxw6ytboi"), Optional(std::string("foobar")));
  EXPECT_THAT(Base32Decode("mzxw 6ytb oi"), Optional(std::string("foobar")));
  EXPECT_THAT(Base32Decode(" MzXw6YtBoI "), Optional(std::string("foobar")));
}

TEST(Base32, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t len = 0; len <= all.size(); ++len) {
    const std::string bytes = all.substr(256 - len);
    const std::string text = Base32Encode(bytes);
    EXPECT_THAT(text, MatchesRegex("[A-Z2-7]*"));
    EXPECT_EQ(text.size(), (len * 8 + 4) / 5);
    EXPECT_THAT(Base32Decode(text), Optional(bytes)) << text;
  }
}

TEST(Base32, DecodeRejectsCharactersOutsideTheAlphabet) {
  EXPECT_EQ(Base32Decode("MZXW1"), std::nullopt);  // 0, 1, 8, 9 are not base32
  EXPECT_EQ(Base32Decode("MZXW0"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZXW8"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZXW-6YTB"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZXW6\n"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZXW6\t"), std::nullopt);
  EXPECT_EQ(Base32Decode("Zm9vYmFy"), std::nullopt);  // base64
  EXPECT_EQ(Base32Decode(std::string("MZ\0XW6", 6)), std::nullopt);
  EXPECT_EQ(Base32Decode("MZXW\xc3\xa9"), std::nullopt);
}

TEST(Base32, DecodeRejectsLengthsNoEncodingHas) {
  EXPECT_EQ(Base32Decode("M"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZX"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZXW6Y"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZXW6YTBO"), std::nullopt);
}

TEST(Hotp, MatchesTheRfc4226AppendixDVectors) {
  const uint32_t kExpected[] = {755224, 287082, 359152, 969429, 338314,
                                254676, 287922, 162583, 399871, 520489};
  for (uint64_t count = 0; count < 10; ++count) {
    EXPECT_EQ(Hotp(kRfcKey, count), kExpected[count]) << "count " << count;
  }
}

TEST(Hotp, TakesTheLastDigitsOfTheTruncatedValue) {
  // RFC 4226 section 5.4's worked example: count 0 truncates to 0x4c93cf18 = 1284755224.
  EXPECT_EQ(Hotp(kRfcKey, 0, 6), 755224u);
  EXPECT_EQ(Hotp(kRfcKey, 0, 8), 84755224u);
  EXPECT_EQ(Hotp(kRfcKey, 0, 9), 284755224u);
}

TEST(Hotp, AcceptsAnEmptyKey) { EXPECT_LT(Hotp("", 1), 1000000u); }

TEST(Totp, MatchesTheRfc6238AppendixBSha1Vectors) {
  EXPECT_EQ(TotpCode(kRfcKey, 59, 8), "94287082");
  EXPECT_EQ(TotpCode(kRfcKey, 1111111109, 8), "07081804");
  EXPECT_EQ(TotpCode(kRfcKey, 1111111111, 8), "14050471");
  EXPECT_EQ(TotpCode(kRfcKey, 1234567890, 8), "89005924");
  EXPECT_EQ(TotpCode(kRfcKey, 2000000000, 8), "69279037");
  EXPECT_EQ(TotpCode(kRfcKey, 20000000000, 8), "65353130");
}

TEST(Totp, CodesAreSixDigitsZeroPadded) {
  EXPECT_EQ(TotpCode(kRfcKey, 59), "287082");
  EXPECT_EQ(TotpCode(kRfcKey, kRfcTime), "081804");
}

TEST(Totp, StepsAreThirtySecondsFloored) {
  EXPECT_EQ(TotpStep(0), 0);
  EXPECT_EQ(TotpStep(29), 0);
  EXPECT_EQ(TotpStep(30), 1);
  EXPECT_EQ(TotpStep(-1), -1);
  EXPECT_EQ(TotpStep(-30), -1);
  EXPECT_EQ(TotpStep(-31), -2);
  EXPECT_EQ(TotpStep(kRfcTime), kRfcStep);
  EXPECT_EQ(TotpCode(kRfcKey, 30), TotpCode(kRfcKey, 59));
  EXPECT_NE(TotpCode(kRfcKey, 29), TotpCode(kRfcKey, 30));
}

TEST(VerifyTotp, AcceptsTheCurrentCodeAndReturnsItsStep) {
  EXPECT_THAT(VerifyTotp(kRfcKey, TotpCode(kRfcKey, kRfcTime), kRfcTime), Optional(kRfcStep));
  EXPECT_THAT(VerifyTotp(kRfcKey, "081804", kRfcTime), Optional(kRfcStep));
}

TEST(VerifyTotp, AcceptsTheStepBeforeAndAfterWithTheDefaultWindow) {
  const std::string previous = TotpCode(kRfcKey, kRfcTime - 30);
  const std::string next = TotpCode(kRfcKey, kRfcTime + 30);
  EXPECT_THAT(VerifyTotp(kRfcKey, previous, kRfcTime), Optional(kRfcStep - 1));
  EXPECT_THAT(VerifyTotp(kRfcKey, next, kRfcTime), Optional(kRfcStep + 1));
}

TEST(VerifyTotp, RefusesCodesTwoStepsAwayWithTheDefaultWindow) {
  EXPECT_EQ(VerifyTotp(kRfcKey, TotpCode(kRfcKey, kRfcTime - 60), kRfcTime), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcKey, TotpCode(kRfcKey, kRfcTime + 60), kRfcTime), std::nullopt);
}

TEST(VerifyTotp, WindowSetsHowManyStepsAreAccepted) {
  const std::string previous = TotpCode(kRfcKey, kRfcTime - 30);
  const std::string two_ahead = TotpCode(kRfcKey, kRfcTime + 60);
  EXPECT_EQ(VerifyTotp(kRfcKey, previous, kRfcTime, 0), std::nullopt);
  EXPECT_THAT(VerifyTotp(kRfcKey, two_ahead, kRfcTime, 2), Optional(kRfcStep + 2));
}

TEST(VerifyTotp, RefusesAnotherKeysCode) {
  EXPECT_EQ(VerifyTotp("another key of twenty", TotpCode(kRfcKey, kRfcTime), kRfcTime),
            std::nullopt);
}

TEST(VerifyTotp, IgnoresSpacesInTheCode) {
  EXPECT_THAT(VerifyTotp(kRfcKey, "081 804", kRfcTime), Optional(kRfcStep));
  EXPECT_THAT(VerifyTotp(kRfcKey, " 0 8 1 8 0 4 ", kRfcTime), Optional(kRfcStep));
}

TEST(VerifyTotp, RefusesMalformedCodes) {
  for (std::string_view code :
       {"", "      ", "81804", "0818040", "081-804", "+81804", "-81804", "08180a", "O81804",
        "081804\n", "\t081804", "0x1804", "081.80", "\xef\xbc\x90\x38\x31\x38\x30\x34"}) {
    EXPECT_EQ(VerifyTotp(kRfcKey, code, kRfcTime), std::nullopt) << "code '" << code << "'";
  }
  EXPECT_EQ(VerifyTotp(kRfcKey, std::string("081804\0", 7), kRfcTime), std::nullopt);
  // The 8-digit code of the same step, and its first six digits, are not the 6-digit code.
  EXPECT_EQ(VerifyTotp(kRfcKey, "07081804", kRfcTime), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcKey, "070818", kRfcTime), std::nullopt);
}

TEST_F(TotpTest, NewSecretIsTwentyRandomBytesInBase32) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string secret = NewTotpSecret();
    EXPECT_THAT(secret, MatchesRegex("[A-Z2-7]{32}"));
    const auto key = Base32Decode(secret);
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->size(), 20u);
    seen.insert(secret);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(OtpauthUri, HasTheKeyUriFormatsParameters) {
  EXPECT_EQ(OtpauthUri("Rampart", "alice", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/Rampart:alice?secret=JBSWY3DPEHPK3PXP&issuer=Rampart"
            "&algorithm=SHA1&digits=6&period=30");
}

TEST(OtpauthUri, PercentEncodesSpacesAndColonsInIssuerAndAccount) {
  EXPECT_EQ(OtpauthUri("Acme Corp: ISMS", "alice smith:admin@example.com", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/Acme%20Corp%3A%20ISMS:alice%20smith%3Aadmin%40example.com"
            "?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Corp%3A%20ISMS"
            "&algorithm=SHA1&digits=6&period=30");
}

TEST(OtpauthUri, EncodesOtherReservedAndNonAsciiCharacters) {
  EXPECT_EQ(OtpauthUri("A&B?C=D/E#F+G%", "j\xc3\xb6rg", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/A%26B%3FC%3DD%2FE%23F%2BG%25:j%C3%B6rg?secret=JBSWY3DPEHPK3PXP"
            "&issuer=A%26B%3FC%3DD%2FE%23F%2BG%25&algorithm=SHA1&digits=6&period=30");
}

TEST(OtpauthUri, WritesTheSecretUpperCaseWithoutSpacesOrPadding) {
  EXPECT_EQ(OtpauthUri("Rampart", "alice", "mzxw 6ytb oi======"),
            "otpauth://totp/Rampart:alice?secret=MZXW6YTBOI&issuer=Rampart"
            "&algorithm=SHA1&digits=6&period=30");
}

TEST(OtpauthUri, LeavesOutAnEmptyIssuer) {
  EXPECT_EQ(OtpauthUri("", "alice", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30");
}

TEST_F(TotpTest, RecoveryCodeIsTwoGroupsOfFiveUnambiguousCharacters) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string code = NewRecoveryCode();
    EXPECT_THAT(code, MatchesRegex("[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}"));
    EXPECT_EQ(code.find_first_of("ilou"), std::string::npos) << code;
    seen.insert(code);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST_F(TotpTest, RecoveryCodesUseTheWholeAlphabet) {
  std::set<char> used;
  for (int i = 0; i < 200; ++i) {
    for (char c : NewRecoveryCode()) used.insert(c);
  }
  EXPECT_EQ(used.size(), 33u);  // 32 symbols and the hyphen: 5 bits a character, 50 a code
}

TEST_F(TotpTest, RecoveryCodeIsItsOwnNormalFormWithoutTheHyphen) {
  const std::string code = NewRecoveryCode();
  std::string bare = code;
  bare.erase(5, 1);
  EXPECT_EQ(NormaliseRecoveryCode(code), bare);
}

TEST(NormaliseRecoveryCode, AcceptsTheWaysPeopleTypeACode) {
  EXPECT_EQ(NormaliseRecoveryCode("abcde-fgh01"), "abcdefgh01");
  EXPECT_EQ(NormaliseRecoveryCode("ABCDE-FGH01"), "abcdefgh01");
  EXPECT_EQ(NormaliseRecoveryCode("abcde fgh01"), "abcdefgh01");
  EXPECT_EQ(NormaliseRecoveryCode(" abcdefgh01\t"), "abcdefgh01");
  EXPECT_EQ(NormaliseRecoveryCode("ab-cd-ef-gh-01"), "abcdefgh01");
}

TEST(NormaliseRecoveryCode, ReadsLookAlikesAsTheDigitsTheyResemble) {
  EXPECT_EQ(NormaliseRecoveryCode("abcde-fghOI"), "abcdefgh01");
  EXPECT_EQ(NormaliseRecoveryCode("abcde-fgho1"), "abcdefgh01");
  EXPECT_EQ(NormaliseRecoveryCode("abcde-fgh0L"), "abcdefgh01");
}

TEST(NormaliseRecoveryCode, KeepsOtherCharactersSoTheCodeDoesNotMatch) {
  EXPECT_EQ(NormaliseRecoveryCode("abcde_fgh01"), "abcde_fgh01");
  EXPECT_EQ(NormaliseRecoveryCode(""), "");
}

}  // namespace
}  // namespace rampart

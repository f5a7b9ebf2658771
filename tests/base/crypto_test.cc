#include "base/crypto.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <set>
#include <string>

#include "support/status_matchers.h"

namespace rampart {
namespace {

using test::IsOk;
using test::StatusIs;
using ::testing::StartsWith;

class CryptoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_THAT(InitCrypto(), IsOk()); }
};

bool IsBase64UrlAlphabet(const std::string& s) {
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

TEST_F(CryptoTest, InitCryptoIsIdempotent) { EXPECT_THAT(InitCrypto(), IsOk()); }

TEST_F(CryptoTest, Sha256HexMatchesTheFips180Vectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_F(CryptoTest, Sha256HexHashesEmbeddedNulBytes) {
  EXPECT_NE(Sha256Hex(std::string("a\0b", 3)), Sha256Hex("a"));
}

TEST_F(CryptoTest, Sha256GivenInPiecesEqualsTheWhole) {
  Sha256 empty;
  EXPECT_EQ(empty.HexDigest(), Sha256Hex(""));
  const std::string text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  Sha256 pieces;
  pieces.Update(text.substr(0, 1));
  pieces.Update("");
  pieces.Update(text.substr(1, 30));
  pieces.Update(text.substr(31));
  EXPECT_EQ(pieces.HexDigest(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // More than one 64-byte block in one piece, with NUL bytes.
  const std::string big(1000, '\0');
  Sha256 one;
  one.Update(big);
  Sha256 two;
  two.Update(std::string_view(big).substr(0, 65));
  two.Update(std::string_view(big).substr(65));
  EXPECT_EQ(one.HexDigest(), two.HexDigest());
  Sha256 three;
  three.Update(big);
  EXPECT_EQ(three.HexDigest(), Sha256Hex(big));
}

TEST_F(CryptoTest, HexEncodeIsLowerCaseTwoDigitsPerByte) {
  EXPECT_EQ(HexEncode(std::string("\x00\xff\x10\xab", 4)), "00ff10ab");
  EXPECT_EQ(HexEncode(""), "");
}

TEST_F(CryptoTest, Base64UrlUsesTheUrlAlphabetWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode(""), "");
}

TEST_F(CryptoTest, Base64UrlRoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t len = 0; len <= all.size(); len += 37) {
    const std::string bytes = all.substr(0, len);
    const std::string text = Base64UrlEncode(bytes);
    EXPECT_TRUE(IsBase64UrlAlphabet(text)) << text;
    const auto back = Base64UrlDecode(text);
    ASSERT_THAT(back, IsOk());
    EXPECT_EQ(*back, bytes);
  }
}

TEST_F(CryptoTest, Base64UrlDecodeRejectsOtherAlphabetsPaddingAndTruncation) {
  EXPECT_THAT(Base64UrlDecode("+/8"), StatusIs(Code::kInvalidArgument));   // standard alphabet
  EXPECT_THAT(Base64UrlDecode("Zg=="), StatusIs(Code::kInvalidArgument));  // padding
  EXPECT_THAT(Base64UrlDecode("Zm9v YmFy"), StatusIs(Code::kInvalidArgument));
  EXPECT_THAT(Base64UrlDecode("Z"), StatusIs(Code::kInvalidArgument));  // not a whole byte
  EXPECT_THAT(Base64UrlDecode("not base64!"), StatusIs(Code::kInvalidArgument));
}

TEST_F(CryptoTest, HashPasswordProducesAnArgon2idEncodedString) {
  const auto hash = HashPassword("correct horse battery staple");
  ASSERT_THAT(hash, IsOk());
  EXPECT_THAT(*hash, StartsWith("$argon2id$"));
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
}

TEST_F(CryptoTest, VerifyPasswordAcceptsOnlyTheRightPassword) {
  const auto hash = HashPassword("correct horse battery staple");
  ASSERT_THAT(hash, IsOk());
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery stapl"));
  EXPECT_FALSE(VerifyPassword(*hash, "Correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
}

TEST_F(CryptoTest, HashPasswordSaltsEachHash) {
  const auto a = HashPassword("same password");
  const auto b = HashPassword("same password");
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "same password"));
  EXPECT_TRUE(VerifyPassword(*b, "same password"));
}

TEST_F(CryptoTest, VerifyPasswordRejectsAMalformedHash) {
  EXPECT_FALSE(VerifyPassword("", "password"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "password"));
  EXPECT_FALSE(VerifyPassword("x", "x"));
}

TEST_F(CryptoTest, RandomTokenEncodesTheRequestedEntropy) {
  const std::string t = RandomToken();
  EXPECT_EQ(t.size(), 43u);  // 32 bytes -> ceil(256 / 6) characters
  EXPECT_TRUE(IsBase64UrlAlphabet(t)) << t;
  const auto bytes = Base64UrlDecode(t);
  ASSERT_THAT(bytes, IsOk());
  EXPECT_EQ(bytes->size(), 32u);
  EXPECT_EQ(RandomToken(16).size(), 22u);
}

TEST_F(CryptoTest, RandomTokensAreUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(RandomToken());
  EXPECT_EQ(seen.size(), 1000u);
}

TEST_F(CryptoTest, RandomBytesHasTheRequestedLength) {
  EXPECT_EQ(RandomBytes(0).size(), 0u);
  EXPECT_EQ(RandomBytes(64).size(), 64u);
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
}

TEST_F(CryptoTest, OneTimePasswordIsFourGroupsOfFiveUnambiguousCharacters) {
  const std::string kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  std::set<std::string> seen;
  for (int n = 0; n < 200; ++n) {
    const std::string p = RandomOneTimePassword();
    ASSERT_EQ(p.size(), 23u) << p;
    for (size_t i = 0; i < p.size(); ++i) {
      if (i % 6 == 5) {
        EXPECT_EQ(p[i], '-') << p;
      } else {
        EXPECT_NE(kAlphabet.find(p[i]), std::string::npos) << "'" << p[i] << "' in " << p;
      }
    }
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST_F(CryptoTest, OneTimePasswordAvoidsLookAlikeCharacters) {
  for (int n = 0; n < 200; ++n) {
    const std::string p = RandomOneTimePassword();
    EXPECT_EQ(p.find_first_of("0Oo1lIi"), std::string::npos) << p;
  }
}

TEST_F(CryptoTest, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secret!"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST_F(CryptoTest, PasswordNeedsRehashWhenTheParametersAreWeakerThanToday) {
  const auto current = HashPassword("correct horse battery");
  ASSERT_THAT(current, IsOk());
  EXPECT_FALSE(PasswordNeedsRehash(*current));
  const auto weaker = HashPasswordWithLimits("correct horse battery", crypto_pwhash_OPSLIMIT_MIN,
                                             crypto_pwhash_MEMLIMIT_MIN);
  ASSERT_THAT(weaker, IsOk());
  EXPECT_TRUE(VerifyPassword(*weaker, "correct horse battery"));
  EXPECT_TRUE(PasswordNeedsRehash(*weaker));
  EXPECT_TRUE(PasswordNeedsRehash("$2y$10$notargon"));
}

// RFC 8032 section 7.1, test 1: the empty message.
TEST_F(CryptoTest, Ed25519MatchesTheRfc8032VectorAndItsPemRoundTrips) {
  const auto hex = [](std::string_view h) {
    std::string out;
    for (size_t i = 0; i + 1 < h.size(); i += 2) {
      out += static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16));
    }
    return out;
  };
  const std::string seed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  const auto pk = Ed25519PublicKey(seed);
  ASSERT_THAT(pk, IsOk());
  EXPECT_EQ(HexEncode(*pk), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const auto sig = Ed25519Sign(seed, "");
  ASSERT_THAT(sig, IsOk());
  EXPECT_EQ(HexEncode(*sig),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
            "701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(Ed25519Verify(*pk, "", *sig));
  EXPECT_FALSE(Ed25519Verify(*pk, "x", *sig));
  EXPECT_FALSE(Ed25519Verify(pk->substr(1), "", *sig));
  const std::string pem = Ed25519PublicKeyPem(*pk);
  EXPECT_EQ(
      pem,
      "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
      "-----END PUBLIC KEY-----\n");
  EXPECT_EQ(*ParseEd25519PublicKey(pem), *pk);
  EXPECT_EQ(*ParseEd25519PublicKey(Base64Encode(*pk) + "\n"), *pk);
  EXPECT_THAT(ParseEd25519PublicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
              StatusIs(Code::kInvalidArgument));
  EXPECT_THAT(Ed25519Sign("short", "m"), StatusIs(Code::kInvalidArgument));
}

}  // namespace
}  // namespace rampart

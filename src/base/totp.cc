#include "base/totp.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cassert>

#include "base/crypto.h"
#include "base/text.h"

namespace rampart {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
// Crockford's base32: no i, l, o (read as 1 and 0) and no u.
constexpr std::string_view kRecoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";
constexpr int kRecoveryCodeLength = 10;

int Base32Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

}  // namespace

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kBase32Alphabet[(buffer >> bits) & 0x1f];
    }
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 0x1f];
  return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 5 / 8);
  uint32_t buffer = 0;
  int bits = 0;
  size_t chars = 0;
  for (char c : text) {
    if (c == ' ' || c == '=') continue;
    const int v = Base32Value(c);
    if (v < 0) return std::nullopt;
    ++chars;
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  // 8 characters hold 5 bytes; a final partial group of 1, 3 or 6 characters holds no whole
  // number of bytes, so no encoder writes one: a truncated or mistyped secret.
  const size_t tail = chars % 8;
  if (tail == 1 || tail == 3 || tail == 6) return std::nullopt;
  return out;
}

uint32_t Hotp(std::string_view key_bytes, uint64_t counter, int digits) {
  assert(digits >= 1 && digits <= 9);
  std::array<unsigned char, 8> message{};
  for (int i = 7; i >= 0; --i) {
    message[i] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_len = 0;
  // An empty view may have a null data(); HMAC wants a pointer even for an empty key.
  static constexpr unsigned char kEmpty = 0;
  const void* key = key_bytes.empty() ? static_cast<const void*>(&kEmpty)
                                      : static_cast<const void*>(key_bytes.data());
  HMAC(EVP_sha1(), key, static_cast<int>(key_bytes.size()), message.data(), message.size(),
       mac.data(), &mac_len);
  // RFC 4226 section 5.3, dynamic truncation: 31 bits from the offset the last nibble gives.
  const int offset = mac[mac_len - 1] & 0x0f;
  const uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7f) << 24) |
                          (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                          (static_cast<uint32_t>(mac[offset + 2]) << 8) |
                          static_cast<uint32_t>(mac[offset + 3]);
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  return binary % modulus;
}

int64_t TotpStep(int64_t unix_seconds) {
  // Floor, not truncation, so the step before the epoch is -1 rather than a second step 0.
  int64_t step = unix_seconds / kTotpStepSeconds;
  if (unix_seconds % kTotpStepSeconds < 0) --step;
  return step;
}

std::string TotpCode(std::string_view key_bytes, int64_t unix_seconds, int digits) {
  const auto counter = static_cast<uint64_t>(TotpStep(unix_seconds));
  return fmt::format("{:0{}}", Hotp(key_bytes, counter, digits), digits);
}

std::optional<int64_t> VerifyTotp(std::string_view key_bytes, std::string_view code,
                                  int64_t unix_seconds, int window) {
  std::string typed;
  for (char c : code) {
    if (c == ' ') continue;
    if (c < '0' || c > '9') return std::nullopt;
    typed += c;
  }
  if (typed.size() != static_cast<size_t>(kTotpDigits)) return std::nullopt;
  assert(window >= 0);
  if (window < 0) window = 0;
  const int64_t now = TotpStep(unix_seconds);
  // Every step of the window is computed and compared, matched or not, so the time taken says
  // nothing about which step (if any) matched.
  std::optional<int64_t> matched;
  for (int64_t step = now - window; step <= now + window; ++step) {
    const std::string expected = fmt::format(
        "{:0{}}", Hotp(key_bytes, static_cast<uint64_t>(step), kTotpDigits), kTotpDigits);
    if (ConstantTimeEquals(expected, typed) && !matched) matched = step;
  }
  return matched;
}

std::string NewTotpSecret() { return Base32Encode(RandomBytes(20)); }

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view base32_secret) {
  std::string secret;
  for (char c : base32_secret) {
    if (c == ' ' || c == '=') continue;
    secret += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  std::string uri = "otpauth://totp/";
  if (!issuer.empty()) uri += UrlEncode(issuer) + ":";
  uri += UrlEncode(account);
  uri += "?secret=" + UrlEncode(secret);
  if (!issuer.empty()) uri += "&issuer=" + UrlEncode(issuer);
  uri += fmt::format("&algorithm=SHA1&digits={}&period={}", kTotpDigits, kTotpStepSeconds);
  return uri;
}

std::string NewRecoveryCode() {
  // 32 symbols divide 256, so a byte's low 5 bits pick one uniformly: 5 bits per character.
  static_assert(kRecoveryAlphabet.size() == 32);
  const std::string random = RandomBytes(kRecoveryCodeLength);
  std::string out;
  for (int i = 0; i < kRecoveryCodeLength; ++i) {
    if (i == kRecoveryCodeLength / 2) out += '-';
    out += kRecoveryAlphabet[static_cast<unsigned char>(random[i]) & 0x1f];
  }
  return out;
}

std::string NormaliseRecoveryCode(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (char c : code) {
    if (c == ' ' || c == '\t' || c == '-') continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == 'o') c = '0';
    if (c == 'i' || c == 'l') c = '1';
    out += c;
  }
  return out;
}

}  // namespace rampart

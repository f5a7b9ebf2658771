// Second factor: one-time codes from an authenticator app (HOTP, RFC 4226; TOTP, RFC 6238, with
// HMAC-SHA1, 30-second steps and 6 digits, what every authenticator app supports), the base32
// secret (RFC 4648) and otpauth:// URI it is enrolled with, and single-use recovery codes.
//
// Keys are raw bytes; secrets are shown to people and stored in base32. Every function is pure and
// thread-safe, except NewTotpSecret and NewRecoveryCode, which read the CSPRNG and so need
// InitCrypto() first (base/crypto.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rampart {

inline constexpr int kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;

// RFC 4648 base32: upper case, no '=' padding.
std::string Base32Encode(std::string_view bytes);
// Accepts upper or lower case and ignores spaces and '=' padding, as people copy secrets; nullopt
// on any other character, or on a length no encoding has (1, 3 or 6 characters past a multiple
// of 8).
std::optional<std::string> Base32Decode(std::string_view text);

// The HOTP value of `counter`: HMAC-SHA1, dynamic truncation, the last `digits` decimal digits
// (1 to 9; RFC 4226 asks for at least 6). A number: format it zero-padded to `digits`.
uint32_t Hotp(std::string_view key_bytes, uint64_t counter, int digits = kTotpDigits);

// The time step `unix_seconds` falls in (floor of seconds / 30).
int64_t TotpStep(int64_t unix_seconds);
// The TOTP code at `unix_seconds`, zero-padded to `digits` ("004923"). `digits` is there for the
// RFC's 8-digit test vectors; people get 6.
std::string TotpCode(std::string_view key_bytes, int64_t unix_seconds, int digits = kTotpDigits);

// Checks a code a person typed against the steps from `window` before to `window` after the one
// of `unix_seconds` (clock drift and typing time). The code must be exactly 6 ASCII digits once
// spaces are removed ("123 456" is accepted); it is compared in constant time. Returns the time
// step it matched, nullopt when none did. The caller records that step and refuses a code whose
// step is not after the last one accepted, so a code cannot be replayed (RFC 6238 section 5.2).
std::optional<int64_t> VerifyTotp(std::string_view key_bytes, std::string_view code,
                                  int64_t unix_seconds, int window = 1);

// A new shared secret: 20 random bytes (the size of an HMAC-SHA1 output, RFC 4226 section 4),
// base32 encoded (32 characters).
std::string NewTotpSecret();

// The key URI authenticator apps read from a QR code:
// otpauth://totp/Issuer:account?secret=...&issuer=Issuer&algorithm=SHA1&digits=6&period=30.
// Issuer and account are percent-encoded (a space is %20, a colon %3A, so the one literal colon
// separates them); with an empty issuer the label is the account alone and there is no issuer
// parameter. The secret is written without spaces or padding, in upper case.
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view base32_secret);

// A single-use recovery code for when the authenticator is lost: 10 random characters of
// Crockford's base32 alphabet (50 bits), lower case, shown as two groups "xxxxx-xxxxx". The
// alphabet has no i, l, o or u, so nothing reads as something else.
std::string NewRecoveryCode();
// The form a recovery code is stored and compared in, whatever way it was typed: lower case,
// without spaces, tabs or hyphens, and with the look-alikes o -> 0 and i, l -> 1 (Crockford).
// So "ABCDE-FGH01", "abcde fgho1" and "abcdefgh01" are the same code.
std::string NormaliseRecoveryCode(std::string_view code);

}  // namespace rampart

// Cryptographic primitives, wrapping libsodium and OpenSSL. Thread-safe after InitCrypto().
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace rampart {

// Initialises libsodium; call once at start-up (idempotent).
Status InitCrypto();

// `n` bytes from the operating system's CSPRNG.
std::string RandomBytes(size_t n);
// A random URL-safe token with `bytes` bytes of entropy (base64url, no padding).
std::string RandomToken(size_t bytes = 32);
// A human-typable one-time password: 4 groups of 5 characters from an unambiguous alphabet.
std::string RandomOneTimePassword();

std::string HexEncode(std::string_view bytes);
std::string Base64UrlEncode(std::string_view bytes);
Result<std::string> Base64UrlDecode(std::string_view text);

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Argon2id (libsodium's crypto_pwhash_str, interactive limits). The result is the encoded string
// holding salt and parameters.
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);
// True when the hash was made with other parameters than HashPassword uses now (weaker ones, or
// another algorithm): sign-in then re-hashes the password it has just verified.
bool PasswordNeedsRehash(std::string_view encoded_hash);
// Argon2id with explicit limits (libsodium's opslimit, memlimit in bytes), for tests of re-hashing.
Result<std::string> HashPasswordWithLimits(std::string_view password, unsigned long long ops,
                                           size_t mem);

// Constant-time comparison of two byte strings.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace rampart

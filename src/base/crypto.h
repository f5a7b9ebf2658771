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

// Standard base64 with padding (RFC 4648 section 4), as `base64` and `openssl base64` read it.
std::string Base64Encode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view text);

// Ed25519 signatures (libsodium crypto_sign, detached). Keys are raw bytes: a 32-byte seed (the
// secret kept by its owner) and the 32-byte public key derived from it; a signature has 64 bytes.
std::string NewEd25519Seed();
// kInvalidArgument when the seed does not have 32 bytes.
Result<std::string> Ed25519PublicKey(std::string_view seed);
Result<std::string> Ed25519Sign(std::string_view seed, std::string_view message);
bool Ed25519Verify(std::string_view public_key, std::string_view message,
                   std::string_view signature);
// The public key as a PEM "PUBLIC KEY" (SubjectPublicKeyInfo, RFC 8410), which OpenSSL reads:
// `openssl pkeyutl -verify -pubin -inkey key.pem -rawin ...`.
std::string Ed25519PublicKeyPem(std::string_view public_key);
// The raw public key from such a PEM, or from its base64 on one line; kInvalidArgument otherwise.
Result<std::string> ParseEd25519PublicKey(std::string_view text);

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// SHA-256 of data given piece by piece (libsodium's incremental interface): the same digest as
// Sha256Hex of the pieces joined, without joining them.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  // Lower-case hex; call once, last.
  std::string HexDigest();

 private:
  alignas(64) unsigned char state_[128];  // crypto_hash_sha256_state (104 bytes)
};

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

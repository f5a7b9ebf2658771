#include "base/crypto.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sodium.h>

#include <array>

#include "base/text.h"

namespace rampart {

Status InitCrypto() {
  if (sodium_init() < 0) return Internal("libsodium failed to initialise");
  return Status::Ok();
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::string RandomToken(size_t bytes) { return Base64UrlEncode(RandomBytes(bytes)); }

std::string RandomOneTimePassword() {
  // No 0/O, 1/l/I: read off a terminal and typed by a person.
  static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  std::string out;
  for (int group = 0; group < 4; ++group) {
    if (group > 0) out += '-';
    for (int i = 0; i < 5; ++i) {
      out += kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
    }
  }
  return out;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

namespace {

std::string EncodeBase64(std::string_view bytes, int variant) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

// `ignore`: characters skipped between the encoded ones (null: none).
Result<std::string> DecodeBase64(std::string_view text, int variant, const char* ignore,
                                 const char* name) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), ignore, &len, nullptr, variant) != 0) {
    return InvalidArgument(std::string("not valid ") + name);
  }
  out.resize(len);
  return out;
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  return EncodeBase64(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  return DecodeBase64(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING, nullptr, "base64url");
}

std::string Base64Encode(std::string_view bytes) {
  return EncodeBase64(bytes, sodium_base64_VARIANT_ORIGINAL);
}

Result<std::string> Base64Decode(std::string_view text) {
  return DecodeBase64(text, sodium_base64_VARIANT_ORIGINAL, " \r\n\t", "base64");
}

namespace {

// DER of an Ed25519 SubjectPublicKeyInfo before the 32 key bytes (RFC 8410 section 4):
// SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING (0 unused bits) }.
constexpr std::string_view kEd25519SpkiPrefix("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00",
                                              12);

}  // namespace

std::string NewEd25519Seed() { return RandomBytes(crypto_sign_SEEDBYTES); }

namespace {

// The key pair a seed determines; the secret half is wiped when it goes out of scope.
struct Ed25519KeyPair {
  std::string pk = std::string(crypto_sign_PUBLICKEYBYTES, '\0');
  std::string sk = std::string(crypto_sign_SECRETKEYBYTES, '\0');
  ~Ed25519KeyPair() { sodium_memzero(sk.data(), sk.size()); }
};

Status DeriveKeyPair(std::string_view seed, Ed25519KeyPair& keys) {
  if (seed.size() != crypto_sign_SEEDBYTES) return InvalidArgument("an Ed25519 seed has 32 bytes");
  crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(keys.pk.data()),
                           reinterpret_cast<unsigned char*>(keys.sk.data()),
                           reinterpret_cast<const unsigned char*>(seed.data()));
  return Status::Ok();
}

}  // namespace

Result<std::string> Ed25519PublicKey(std::string_view seed) {
  Ed25519KeyPair keys;
  RETURN_IF_ERROR(DeriveKeyPair(seed, keys));
  return keys.pk;
}

Result<std::string> Ed25519Sign(std::string_view seed, std::string_view message) {
  Ed25519KeyPair keys;
  RETURN_IF_ERROR(DeriveKeyPair(seed, keys));
  std::string sig(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       reinterpret_cast<const unsigned char*>(keys.sk.data()));
  return sig;
}

bool Ed25519Verify(std::string_view public_key, std::string_view message,
                   std::string_view signature) {
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) {
    return false;
  }
  return crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(signature.data()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(),
             reinterpret_cast<const unsigned char*>(public_key.data())) == 0;
}

std::string Ed25519PublicKeyPem(std::string_view public_key) {
  return "-----BEGIN PUBLIC KEY-----\n" +
         Base64Encode(std::string(kEd25519SpkiPrefix) + std::string(public_key)) +
         "\n-----END PUBLIC KEY-----\n";
}

Result<std::string> ParseEd25519PublicKey(std::string_view text) {
  std::string body(text);
  const std::string begin = "-----BEGIN PUBLIC KEY-----";
  const std::string end = "-----END PUBLIC KEY-----";
  if (auto b = body.find(begin); b != std::string::npos) {
    const auto e = body.find(end, b);
    if (e == std::string::npos) return InvalidArgument("the PEM public key has no END line");
    body = body.substr(b + begin.size(), e - b - begin.size());
  }
  ASSIGN_OR_RETURN(std::string der, Base64Decode(std::string(Trim(body))));
  if (der.size() == crypto_sign_PUBLICKEYBYTES) return der;  // the raw key in base64
  if (der.size() == kEd25519SpkiPrefix.size() + crypto_sign_PUBLICKEYBYTES &&
      der.compare(0, kEd25519SpkiPrefix.size(), kEd25519SpkiPrefix) == 0) {
    return der.substr(kEd25519SpkiPrefix.size());
  }
  return InvalidArgument("not an Ed25519 public key (PEM or base64 of its 32 bytes)");
}

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

namespace {
static_assert(sizeof(crypto_hash_sha256_state) <= 128);
crypto_hash_sha256_state* Sha256State(unsigned char* bytes) {
  return reinterpret_cast<crypto_hash_sha256_state*>(bytes);
}
}  // namespace

Sha256::Sha256() { crypto_hash_sha256_init(Sha256State(state_)); }

Sha256::~Sha256() { sodium_memzero(state_, sizeof(state_)); }

void Sha256::Update(std::string_view data) {
  crypto_hash_sha256_update(Sha256State(state_),
                            reinterpret_cast<const unsigned char*>(data.data()), data.size());
}

std::string Sha256::HexDigest() {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(Sha256State(state_), digest.data());
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

Result<std::string> HashPasswordWithLimits(std::string_view password, unsigned long long ops,
                                           size_t mem) {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("out of memory while hashing a password");
  }
  return std::string(out.data());
}

Result<std::string> HashPassword(std::string_view password) {
  return HashPasswordWithLimits(password, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

bool PasswordNeedsRehash(std::string_view encoded_hash) {
  const std::string h(encoded_hash);
  // 1: other parameters; -1: not an Argon2id hash at all (e.g. an older algorithm).
  return crypto_pwhash_str_needs_rehash(h.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  std::string h(encoded_hash);  // libsodium needs a NUL-terminated string
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace rampart

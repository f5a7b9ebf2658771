// People and their access: organisations, users, memberships, sessions and API tokens.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rampart::domain {

// Roles of a membership. Only the administrator exists until the access-control model lands.
enum class Role { kAdmin };
std::string_view RoleName(Role r);
std::optional<Role> ParseRole(std::string_view name);

struct Organisation {
  int64_t id = 0;
  std::string name;
  std::string created_at;
};

struct User {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string password_hash;  // Argon2id encoded string
  bool must_change_password = false;
  bool disabled = false;
  std::string created_at;
};

struct Membership {
  int64_t user_id = 0;
  int64_t org_id = 0;
  Role role = Role::kAdmin;
};

// A signed-in browser session. The cookie holds a random 256-bit id; only its SHA-256 is stored.
struct Session {
  std::string id_hash;
  int64_t user_id = 0;
  int64_t org_id = 0;
  std::string csrf_token;
  std::string created_at;
  std::string expires_at;
};

// An API token (Authorization: Bearer). Only its SHA-256 is stored.
struct ApiToken {
  int64_t id = 0;
  std::string token_hash;
  int64_t user_id = 0;
  int64_t org_id = 0;
  std::string name;
  std::string created_at;
  bool revoked = false;
};

// Usernames: 1-64 characters of [a-z0-9._-], starting with a letter or digit.
bool IsValidUsername(std::string_view name);
inline constexpr size_t kMinPasswordLength = 8;
inline constexpr size_t kMaxPasswordLength = 128;

}  // namespace rampart::domain

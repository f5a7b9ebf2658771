// People and their access: organisations, users, memberships, sessions and API tokens.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/access.h"

namespace rampart::domain {

struct Organisation {
  int64_t id = 0;
  std::string name;
  std::string created_at;
  // Members with one of these roles must use a second factor (TOTP) before they can do anything.
  std::vector<Role> second_factor_roles;
};

// What the guided setup of a new organisation records about it (issue 15): its size and sector,
// and when the setup was done (empty: not yet).
struct OrganisationProfile {
  std::string size;    // a band of people: "1-10", "11-50", "51-250", "251-1000", "1001+"
  std::string sector;  // OrganisationSectors()
  std::string set_up_at;
};

struct User {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string password_hash;  // Argon2id encoded string
  bool must_change_password = false;
  bool disabled = false;
  std::string created_at;
  bool second_factor = false;  // TOTP enrolled and confirmed
  // When a one-time password (must_change_password) stops working: 72 hours after it was issued,
  // or at the sign-in that used it. Empty for a password the user chose.
  std::string password_expires_at;
  std::string email;  // where reminder digests go; empty when none was given
};

struct Membership {
  int64_t user_id = 0;
  int64_t org_id = 0;
  Role role = Role::kViewer;
  std::string expires_at;  // YYYY-MM-DD: the last day of access; empty when it does not end
  std::string org_name;    // filled in by listings
};

// A membership is in force until the end of its expiry date (UTC).
bool MembershipActive(const Membership& m, std::string_view today);

// A signed-in browser session. The cookie holds a random 256-bit id; only its SHA-256 is stored.
// A session is created at the password step; while `stage` is kSecondFactor it only allows the
// second-factor step of signing in.
struct Session {
  enum class Stage { kActive, kSecondFactor };
  int64_t id = 0;  // a public handle, to list and end sessions; not a credential
  std::string id_hash;
  int64_t user_id = 0;
  int64_t org_id = 0;
  std::string csrf_token;
  std::string created_at;
  std::string expires_at;  // absolute end
  std::string last_seen_at;
  Stage stage = Stage::kActive;
  std::string address;     // remote address at sign-in
  std::string user_agent;  // at sign-in, cut to 200 characters
  // When the holder last proved their password (and second factor): sign-in, re-authentication,
  // a password change. Empty when never (sessions older than this column).
  std::string reauthenticated_at;
};

// An API token (Authorization: Bearer). Only its SHA-256 is stored. It acts for one membership.
struct ApiToken {
  int64_t id = 0;
  std::string token_hash;
  int64_t user_id = 0;
  int64_t org_id = 0;
  std::string name;
  std::string created_at;
  bool revoked = false;
  bool read_only = false;
  std::string expires_at;    // UTC ISO 8601; empty when it does not expire
  std::string last_used_at;  // UTC ISO 8601, to the minute; empty when never used
};

// Usernames: 1-64 characters of [a-z0-9._-], starting with a letter or digit.
bool IsValidUsername(std::string_view name);
inline constexpr size_t kMinPasswordLength = 8;
inline constexpr size_t kMaxPasswordLength = 128;
// A one-time password (rampart init, rampart user add, an administrator's reset) works for one
// sign-in within this time.
inline constexpr std::chrono::hours kOneTimePasswordLifetime{72};
// Creating an API token and enrolling a second factor need the password (and second factor)
// proved within this time on the session.
inline constexpr std::chrono::minutes kReauthenticationWindow{5};

// A member of an organisation as lists of people show them.
struct UserSummary {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  bool disabled = false;
  std::string role;
  std::string expires_at;      // of the membership
  bool second_factor = false;  // TOTP enrolled
  std::string email;           // empty when none was given
};

// An offer of membership in an organisation to an existing account, waiting for its holder to
// accept or decline it.
struct Invitation {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string org_name;
  int64_t user_id = 0;
  domain::Role role = domain::Role::kViewer;
  std::string expires_at;  // last day of the membership offered; empty for none
  std::string invited_by;  // the administrator's user name
  std::string created_at;
};

}  // namespace rampart::domain

// Sign-in, sessions, passwords, users and API tokens.
//
// Passwords are hashed with Argon2id. A session id and an API token are 256-bit random values
// shown to their holder once; only their SHA-256 is stored. Every security-relevant change
// (sign-in and its failure, sign-out, password change, user added or disabled, token created)
// appends an audit event. Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/principal.h"
#include "base/clock.h"
#include "store/store.h"

namespace rampart::app {

struct InitResult {
  domain::Organisation org;
  std::string username;
  std::string one_time_password;
};

struct SignInResult {
  std::string session_token;  // the cookie value; never stored
  Principal principal;
};

struct AuthOptions {
  std::chrono::seconds session_lifetime{std::chrono::hours(12)};
};

class AuthService {
 public:
  AuthService(store::Store& store, const Clock& clock, AuthOptions options = {})
      : store_(store), clock_(clock), options_(options) {}

  // Creates the first organisation and its administrator `admin` with a one-time password that
  // must be changed at first sign-in. kFailedPrecondition when an organisation exists already.
  Result<InitResult> Initialise(const std::string& org_name);

  // kUnauthenticated, with one message for every cause, when the credentials do not match or
  // the account is disabled.
  Result<SignInResult> SignIn(const std::string& username, const std::string& password);
  Result<Principal> AuthenticateSession(const std::string& session_token);
  Result<Principal> AuthenticateToken(const std::string& bearer_token);
  Status SignOut(const Principal& p, const std::string& session_token);
  // kInvalidArgument naming "current_password" or "new_password".
  Status ChangePassword(const Principal& p, const std::string& current_password,
                        const std::string& new_password);

  // Adds a user to an organisation (the only one when `org_name` is empty).
  Result<domain::User> AddUser(const std::string& username, domain::Role role,
                               const std::string& password, const std::string& org_name);
  Result<std::vector<store::UserSummary>> ListUsers(const std::string& org_name);
  Status DisableUser(const std::string& username);
  // A new API token for the user's first organisation; returns the token (shown once).
  Result<std::string> CreateToken(const std::string& username, const std::string& name);

  static Status CheckNewPassword(const std::string& password, const std::string& field);

 private:
  Result<domain::Organisation> ResolveOrganisation(const std::string& org_name);
  store::AuditDraft Event(int64_t org_id, int64_t actor_id, const std::string& actor,
                          std::string action, std::string record_type, int64_t record_id) const;

  store::Store& store_;
  const Clock& clock_;
  AuthOptions options_;
};

}  // namespace rampart::app

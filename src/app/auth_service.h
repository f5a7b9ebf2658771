// Signing in and the signed-in user's own account: sessions, the second factor, passwords,
// API tokens, switching organisation.
//
// Passwords are hashed with Argon2id (re-hashed at sign-in when the parameters rise). A session
// id and an API token are 256-bit random values shown to their holder once; only their SHA-256
// is stored. Signing in is throttled per account and per address (store-backed, so every
// instance on one database counts together). A second factor is TOTP (RFC 6238) with one-time
// recovery codes; a code's time step is used once. Every security-relevant event appends an
// audit event. Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/principal.h"
#include "app/security_events.h"
#include "base/clock.h"
#include "store/store.h"

namespace rampart::app {

struct InitResult {
  domain::Organisation org;
  int64_t user_id = 0;
  std::string username;
  std::string one_time_password;
  std::string one_time_password_expires_at;  // UTC ISO 8601 (domain::kOneTimePasswordLifetime)
};

// What happens to the user's API tokens when they change their password.
enum class ApiTokensOnPasswordChange { kRevoke, kKeep };

struct AuthOptions {
  std::chrono::seconds session_lifetime{std::chrono::hours(12)};  // absolute, from sign-in
  std::chrono::seconds session_idle{std::chrono::minutes(30)};    // without a request
  std::chrono::seconds second_factor_step{std::chrono::minutes(5)};
  int throttle_failures = 5;  // failed sign-ins per account or per address ...
  std::chrono::seconds throttle_window{std::chrono::minutes(15)};  // ... within this window
  std::string issuer = "Rampart";                                  // shown in authenticator apps
};

struct SignInRequest {
  std::string username;
  std::string password;
  std::string second_factor;  // a TOTP code or a recovery code; may be empty
  std::string address;        // the client's address, for throttling and the session list
  std::string user_agent;
  // Without a code, an enrolled user gets a session waiting for it (the web's second step)
  // instead of an error naming "totp" (the JSON sign-in).
  bool allow_second_step = false;
};

struct SignInResult {
  std::string session_token;  // the cookie value; never stored
  Principal principal;        // awaiting_second_factor when the second step comes next
};

struct SecondFactorEnrolment {
  std::string secret;  // base32, for typing in by hand
  std::string uri;     // otpauth://
  std::string qr_svg;  // the URI as a QR code
};

class AuthService {
 public:
  AuthService(store::Store& store, const Clock& clock, AuthOptions options = {})
      : store_(store), clock_(clock), options_(std::move(options)) {}

  const AuthOptions& options() const { return options_; }
  // The rate-limited audit events of refusals: failed sign-ins of unknown user names and
  // throttled attempts go through it here, authorisation denials from the transport.
  SecurityEvents& security_events() { return security_events_; }

  // Creates the first organisation and its administrator `admin` with a one-time password that
  // must be changed at first sign-in. kFailedPrecondition when an organisation exists already.
  Result<InitResult> Initialise(const std::string& org_name);

  // kResourceExhausted when throttled (ThrottledFor says for how long); kUnauthenticated, with
  // one message for every cause, when the credentials do not match or the account is disabled;
  // kUnauthenticated naming "totp" when the second factor is missing or wrong; kUnauthenticated
  // saying to ask an administrator when a one-time password has expired or was used already (a
  // one-time password works for one sign-in, within domain::kOneTimePasswordLifetime).
  Result<SignInResult> SignIn(const SignInRequest& request);
  // Seconds until the account or address may try again; 0 when not throttled.
  int64_t ThrottledFor(const std::string& username, const std::string& address);
  // The second step: a session awaiting its second factor becomes active under a new id.
  Result<SignInResult> CompleteSecondFactor(const Principal& p, const std::string& session_token,
                                            const std::string& code, const std::string& address);

  Result<Principal> AuthenticateSession(const std::string& session_token);
  Result<Principal> AuthenticateToken(const std::string& bearer_token);
  Status SignOut(const Principal& p, const std::string& session_token);

  // kInvalidArgument naming "current_password" or "new_password"; kResourceExhausted while
  // throttled (a wrong current password counts as a failed sign-in of the account and of
  // `address`, and is an audit event "change_password_failed"). Ends the user's other sessions,
  // revokes their API tokens unless `tokens` is kKeep, and counts as re-authentication of the
  // session `session_token`.
  Status ChangePassword(const Principal& p, const std::string& session_token,
                        const std::string& current_password, const std::string& new_password,
                        const std::string& address = "",
                        ApiTokensOnPasswordChange tokens = ApiTokensOnPasswordChange::kRevoke);

  // Re-authentication: the session's holder proves their password (and a second-factor code when
  // one is set up) again; for domain::kReauthenticationWindow the session may then create API
  // tokens and enrol a second factor. kInvalidArgument naming "password" or "code" when wrong
  // (counted like failed sign-ins, audit event "reauthenticate_failed"); kResourceExhausted while
  // throttled; kFailedPrecondition for an API token (only a session can be re-authenticated).
  Status Reauthenticate(const Principal& p, const std::string& session_token,
                        const std::string& password, const std::string& code,
                        const std::string& address);
  // Ok when `p` is a session re-authenticated within domain::kReauthenticationWindow, or the
  // command line (kSystem); kReauthenticationRequired for other sessions; kPermissionDenied for
  // API tokens (they can never change how their holder signs in).
  Status RequireRecentAuthentication(const Principal& p) const;
  Status SetDisplayName(const Principal& p, const std::string& display_name);
  // The caller's own e-mail address (reminder digests go there); empty clears it.
  // kInvalidArgument naming "email" for an address Rampart would not send to.
  Status SetEmail(const Principal& p, const std::string& email);
  // The caller's e-mail address; empty when none.
  Result<std::string> Email(const Principal& p);
  // `email` trimmed, when empty or an address Rampart sends to (domain::IsValidEmailAddress);
  // kInvalidArgument naming "email" otherwise.
  static Result<std::string> CheckEmail(const std::string& email);
  // The caller's memberships (to switch between).
  Result<std::vector<domain::Membership>> Memberships(const Principal& p);
  // Moves the session to another organisation the user belongs to (kNotFound otherwise).
  Status SwitchOrganisation(const Principal& p, const std::string& session_token, int64_t org_id);

  // Own sessions: list, end one, end every other one.
  Result<std::vector<domain::Session>> Sessions(const Principal& p);
  Status EndSession(const Principal& p, int64_t session_id);
  Result<int> EndOtherSessions(const Principal& p, const std::string& session_token);

  // Own API tokens. `expires_on` is YYYY-MM-DD (the token works through that day) or empty.
  // Returns the token, shown once. A token acts for the caller's current organisation. Needs
  // recent authentication (RequireRecentAuthentication).
  Result<std::pair<domain::ApiToken, std::string>> CreateToken(const Principal& p,
                                                               const std::string& name,
                                                               bool read_only,
                                                               const std::string& expires_on);
  Result<std::vector<domain::ApiToken>> Tokens(const Principal& p);
  Status RevokeToken(const Principal& p, int64_t token_id);

  // Second factor: start (a new secret, pending until confirmed; needs recent authentication),
  // confirm with a code from the app (returns ten recovery codes, shown once; stored as Argon2id
  // hashes), turn off (password and a code: itself a re-authentication), new recovery codes (a
  // code).
  Result<SecondFactorEnrolment> StartSecondFactor(const Principal& p);
  Result<std::vector<std::string>> ConfirmSecondFactor(const Principal& p, const std::string& code);
  Status DisableSecondFactor(const Principal& p, const std::string& password,
                             const std::string& code);
  Result<std::vector<std::string>> NewRecoveryCodes(const Principal& p, const std::string& code);
  Result<store::SecondFactorState> SecondFactorStatus(const Principal& p);

  // Passwords of 8 to 128 characters that are not among the most common ones and contain none
  // of the user name, the person's name or the organisation's name (ignoring case and spaces;
  // names under 3 characters are not checked). kInvalidArgument naming `field`.
  struct PasswordNames {
    std::string username;
    std::string display_name;
    std::string org_name;
  };
  static Status CheckNewPassword(const std::string& password, const std::string& field,
                                 const PasswordNames& names = {});

 private:
  Result<Principal> PrincipalOf(const store::CredentialOwner& c, Credential kind) const;
  Status RecordFailure(const std::string& username, const std::string& address);
  // kResourceExhausted while the account or address is throttled: the one answer for signing in,
  // its second step, and code guesses on a signed-in session (which count like failed sign-ins).
  Status CheckNotThrottled(const std::string& username, const std::string& address);
  // Checks a TOTP code (each time step once) or an unused recovery code of the user.
  Status VerifySecondFactor(int64_t user_id, int64_t org_id, const std::string& username,
                            const std::string& code);
  Result<std::vector<std::string>> MakeRecoveryCodes(std::vector<std::string>& hashes) const;
  std::string ExpiresAt() const;

  store::Store& store_;
  const Clock& clock_;
  AuthOptions options_;
  SecurityEvents security_events_{store_, clock_};
};

}  // namespace rampart::app

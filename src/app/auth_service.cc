#include "app/auth_service.h"

#include "domain/reminders.h"

#include <fmt/format.h>

#include "app/access_control.h"
#include "base/crypto.h"
#include "base/passwords.h"
#include "base/qr.h"
#include "base/text.h"
#include "base/totp.h"

namespace rampart::app {

namespace {

constexpr const char* kBadCredentials = "the user name or password is not right";
constexpr const char* kBadCode = "the code is not right or was used already";
constexpr int kRecoveryCodes = 10;
// Activity (session last seen, token last used) is written at most once a minute per credential.
constexpr auto kTouchEvery = std::chrono::minutes(1);

std::string UserSubject(const std::string& username) { return "user:" + ToLower(username); }
std::string AddressSubject(const std::string& address) { return "address:" + address; }

bool Older(const std::string& stamp, TimePoint than) {
  const auto t = ParseUtc(stamp);
  return !t || *t < than;
}

}  // namespace

Status AuthService::CheckNewPassword(const std::string& password, const std::string& field,
                                     const PasswordNames& names) {
  const long len = Utf8Length(password);
  if (len < 0) return InvalidArgument("the password is not valid UTF-8 text", field);
  if (static_cast<size_t>(len) < domain::kMinPasswordLength) {
    return InvalidArgument(
        fmt::format("the password must have at least {} characters", domain::kMinPasswordLength),
        field);
  }
  if (static_cast<size_t>(len) > domain::kMaxPasswordLength) {
    return InvalidArgument(
        fmt::format("the password must have at most {} characters", domain::kMaxPasswordLength),
        field);
  }
  if (IsCommonPassword(password)) {
    return InvalidArgument(
        "this password is one of the most common passwords and easy to guess; choose another "
        "(a few unrelated words make a strong one)",
        field);
  }
  const std::pair<const std::string*, const char*> personal[] = {
      {&names.username, "your user name"},
      {&names.display_name, "your name"},
      {&names.org_name, "the organisation's name"}};
  for (const auto& [name, what] : personal) {
    if (PasswordContainsName(password, *name)) {
      return InvalidArgument(
          fmt::format("the password contains {}, which is easy to guess; choose another", what),
          field);
    }
  }
  return Status::Ok();
}

std::string AuthService::ExpiresAt() const {
  return FormatUtc(clock_.Now() + options_.session_lifetime);
}

Result<Principal> AuthService::PrincipalOf(const store::CredentialOwner& c, Credential kind) const {
  if (c.user.disabled) return Unauthenticated("this account is disabled");
  if (!c.membership) return Unauthenticated("no longer a member of this organisation");
  if (!domain::MembershipActive(*c.membership, FormatDate(clock_.Now()))) {
    return Unauthenticated(
        fmt::format("your access to {} ended on {}", c.org.name, c.membership->expires_at));
  }
  const domain::Role role = c.membership->role;
  const auto& required = c.org.second_factor_roles;
  Principal p{
      .user_id = c.user.id,
      .username = c.user.username,
      .display_name = c.user.display_name,
      .org_id = c.org.id,
      .org_name = c.org.name,
      .role = role,
      .must_change_password = c.user.must_change_password,
      .needs_second_factor = !c.user.second_factor &&
                             std::find(required.begin(), required.end(), role) != required.end(),
      .second_factor = c.user.second_factor,
      .awaiting_second_factor =
          kind == Credential::kSession && c.session.stage == domain::Session::Stage::kSecondFactor,
      .read_only = kind == Credential::kToken && c.token.read_only,
      .credential = kind,
      .csrf_token = c.session.csrf_token,
      .session_id = kind == Credential::kSession ? c.session.id : 0,
      .reauthenticated_at = kind == Credential::kSession ? c.session.reauthenticated_at : "",
      .token_id = kind == Credential::kToken ? c.token.id : 0};
  return p;
}

Result<InitResult> AuthService::Initialise(const std::string& org_name) {
  ASSIGN_OR_RETURN(const std::string name, OrganisationName(org_name, "org"));
  ASSIGN_OR_RETURN(auto orgs, store_.ListOrganisations());
  if (!orgs.empty()) {
    return FailedPrecondition(
        "this database is initialised already; add users with `rampart user add`");
  }
  ASSIGN_OR_RETURN(auto org, store_.CreateOrganisation(
                                 name, SecurityEvent(clock_, nullptr, 0, "create", "organisation",
                                                     0, {{"name", Change(nullptr, name)}})));
  InitResult out{
      .org = org,
      .username = "admin",
      .one_time_password = RandomOneTimePassword(),
      .one_time_password_expires_at = FormatUtc(clock_.Now() + domain::kOneTimePasswordLifetime)};
  ASSIGN_OR_RETURN(std::string hash, HashPassword(out.one_time_password));
  domain::User u{.username = out.username,
                 .display_name = "Administrator",
                 .password_hash = hash,
                 .must_change_password = true,
                 .created_at = FormatUtc(clock_.Now()),
                 .password_expires_at = out.one_time_password_expires_at};
  auto added = SecurityEvent(
      clock_, nullptr, org.id, "create", "user", 0,
      {{"username", Change(nullptr, u.username)}, {"role", Change(nullptr, "admin")}});
  ASSIGN_OR_RETURN(
      auto user,
      store_.CreateUser(u, domain::Membership{0, org.id, domain::Role::kAdmin, {}, {}}, added));
  out.user_id = user.id;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Signing in

int64_t AuthService::ThrottledFor(const std::string& username, const std::string& address) {
  const auto now = clock_.Now();
  const std::string since = FormatUtc(now - options_.throttle_window);
  int64_t wait = 0;
  for (const std::string& subject : {UserSubject(username), AddressSubject(address)}) {
    if (subject == "address:") continue;
    auto failures = store_.SignInFailures(subject, since);
    if (!failures.ok() || failures->size() < static_cast<size_t>(options_.throttle_failures)) {
      continue;
    }
    // Allowed again when the failure that makes the count reach the limit leaves the window.
    const auto& pivot = (*failures)[failures->size() - options_.throttle_failures];
    const auto at = ParseUtc(pivot);
    if (!at) continue;
    const auto until = *at + options_.throttle_window;
    const int64_t secs = std::chrono::duration_cast<std::chrono::seconds>(until - now).count() + 1;
    wait = std::max(wait, secs);
  }
  return wait;
}

Status AuthService::CheckNotThrottled(const std::string& username, const std::string& address) {
  if (const int64_t wait = ThrottledFor(username, address); wait > 0) {
    // Installation-wide (org 0): the event must not tell an organisation who tried what.
    auto e = SecurityEvent(clock_, nullptr, 0, "sign_in_throttled", "user", 0,
                           {{"username", username.substr(0, 64)}});
    e.address = address;
    RETURN_IF_ERROR(security_events_.Record(std::move(e)).status());
    const int64_t minutes = (wait + 59) / 60;
    return ResourceExhausted(fmt::format("too many failed sign-ins; try again in {} minute{}",
                                         minutes, minutes == 1 ? "" : "s"));
  }
  return Status::Ok();
}

Status AuthService::RecordFailure(const std::string& username, const std::string& address) {
  std::vector<std::string> subjects{UserSubject(username)};
  if (!address.empty()) subjects.push_back(AddressSubject(address));
  const auto now = clock_.Now();
  return store_.RecordSignInFailure(subjects, FormatUtc(now),
                                    FormatUtc(now - options_.throttle_window));
}

Result<SignInResult> AuthService::SignIn(const SignInRequest& req) {
  RETURN_IF_ERROR(CheckNotThrottled(req.username, req.address));
  auto user = store_.FindUser(req.username);
  if (!user.ok() && user.status().code() != Code::kNotFound) return user.status();
  // Verify against a real hash even for unknown users, so timing does not reveal who exists.
  static const std::string kDummyHash = HashPassword("not a real password").value();
  const std::string password = req.password.substr(0, 1024);
  const bool matches = VerifyPassword(user.ok() ? user->password_hash : kDummyHash, password);
  if (!user.ok() || !matches || user->disabled) {
    RETURN_IF_ERROR(RecordFailure(req.username, req.address));
    if (user.ok()) {
      auto memberships = store_.Memberships(user->id);
      const int64_t org =
          memberships.ok() && !memberships->empty() ? memberships->front().org_id : 0;
      domain::Json diff = {{"address", req.address}};
      if (user->disabled) diff["reason"] = "disabled";
      auto e = SecurityEvent(clock_, nullptr, org, "sign_in_failed", "user", user->id, diff);
      e.actor_id = user->id;
      e.actor = user->username;
      e.address = req.address;
      RETURN_IF_ERROR(store_.AppendAudit(e));
    } else {
      auto e =
          SecurityEvent(clock_, nullptr, 0, "sign_in_failed", "user", 0,
                        {{"username", req.username.substr(0, 64)}, {"reason", "unknown user"}});
      e.address = req.address;
      RETURN_IF_ERROR(security_events_.Record(std::move(e)).status());
    }
    return Unauthenticated(kBadCredentials);
  }
  ASSIGN_OR_RETURN(auto memberships, store_.Memberships(user->id));
  const std::string today = FormatDate(clock_.Now());
  const domain::Membership* first = nullptr;
  for (const auto& m : memberships) {
    if (domain::MembershipActive(m, today)) {
      first = &m;
      break;
    }
  }
  if (first == nullptr) return Unauthenticated("this account has no active membership");
  Principal actor{.user_id = user->id, .username = user->username, .address = req.address};
  const bool second_step = user->second_factor && req.second_factor.empty();
  if (second_step && !req.allow_second_step) {
    return Status(Code::kUnauthenticated,
                  "enter the code from your authenticator app (or a recovery code)", "totp");
  }
  if (user->second_factor && !second_step) {
    Status st = VerifySecondFactor(user->id, first->org_id, user->username, req.second_factor);
    if (!st.ok()) {
      RETURN_IF_ERROR(RecordFailure(req.username, req.address));
      return st;
    }
  }
  if (user->must_change_password) {
    // A one-time password works for this one sign-in, and only before it expires.
    ASSIGN_OR_RETURN(bool usable, store_.UseOneTimePassword(user->id, FormatUtc(clock_.Now())));
    if (!usable) {
      auto e = SecurityEvent(clock_, &actor, first->org_id, "sign_in_failed", "user", user->id,
                             {{"address", req.address}, {"reason", "one_time_password_expired"}});
      RETURN_IF_ERROR(store_.AppendAudit(e));
      return Unauthenticated(
          "this one-time password has expired or was used already; ask an administrator for a "
          "new one");
    }
  }
  if (PasswordNeedsRehash(user->password_hash)) {
    if (auto rehashed = HashPassword(password); rehashed.ok()) {
      (void)store_.RehashPassword(user->id, *rehashed);
    }
  }
  if (!second_step) (void)store_.ClearSignInFailures(UserSubject(req.username));
  SignInResult out;
  out.session_token = RandomToken(32);
  const auto now = clock_.Now();
  domain::Session s{
      .id_hash = Sha256Hex(out.session_token),
      .user_id = user->id,
      .org_id = first->org_id,
      .csrf_token = RandomToken(32),
      .created_at = FormatUtc(now),
      .expires_at = second_step ? FormatUtc(now + options_.second_factor_step) : ExpiresAt(),
      .last_seen_at = FormatUtc(now),
      .stage =
          second_step ? domain::Session::Stage::kSecondFactor : domain::Session::Stage::kActive,
      .address = req.address.substr(0, 100),
      .user_agent = req.user_agent.substr(0, 200),
      .reauthenticated_at = second_step ? std::string() : FormatUtc(now)};
  RETURN_IF_ERROR(store_
                      .CreateSession(s, SecurityEvent(clock_, &actor, first->org_id,
                                                      second_step ? "sign_in_password" : "sign_in",
                                                      "user", user->id, {{"address", s.address}}))
                      .status());
  ASSIGN_OR_RETURN(auto owner, store_.FindSessionOwner(s.id_hash));
  ASSIGN_OR_RETURN(out.principal, PrincipalOf(owner, Credential::kSession));
  return out;
}

Status AuthService::VerifySecondFactor(int64_t user_id, int64_t org_id, const std::string& username,
                                       const std::string& code) {
  ASSIGN_OR_RETURN(auto state, store_.GetSecondFactor(user_id));
  if (state.secret.empty()) return Status::Ok();
  Principal actor{.user_id = user_id, .username = username};
  const auto key = Base32Decode(state.secret);
  if (!key) return Internal("the stored second-factor secret is damaged");
  if (auto step = VerifyTotp(*key, code, ToUnixSeconds(clock_.Now()))) {
    ASSIGN_OR_RETURN(bool fresh, store_.UseSecondFactorStep(user_id, *step));
    if (fresh) return Status::Ok();
  } else {
    const std::string recovery = NormaliseRecoveryCode(code);
    std::string stored;  // the matching unused code's hash
    if (!recovery.empty()) {
      ASSIGN_OR_RETURN(auto unused, store_.UnusedRecoveryCodes(user_id));
      for (const std::string& h : unused) {
        // Codes made before migration 0010 are stored as plain SHA-256 and still work.
        const bool match = h.rfind("$argon2", 0) == 0 ? VerifyPassword(h, recovery)
                                                      : ConstantTimeEquals(h, Sha256Hex(recovery));
        if (match) {
          stored = h;
          break;
        }
      }
    }
    if (!stored.empty()) {
      ASSIGN_OR_RETURN(
          bool used, store_.UseRecoveryCode(
                         user_id, stored, FormatUtc(clock_.Now()),
                         SecurityEvent(clock_, &actor, org_id, "use_recovery_code", "user", user_id,
                                       {{"recovery_codes_left",
                                         std::max(0, state.unused_recovery_codes - 1)}})));
      if (used) return Status::Ok();
    }
  }
  RETURN_IF_ERROR(store_.AppendAudit(
      SecurityEvent(clock_, &actor, org_id, "second_factor_failed", "user", user_id)));
  return Status(Code::kUnauthenticated, kBadCode, "totp");
}

Result<SignInResult> AuthService::CompleteSecondFactor(const Principal& p,
                                                       const std::string& session_token,
                                                       const std::string& code,
                                                       const std::string& address) {
  if (!p.awaiting_second_factor) {
    return FailedPrecondition("this session is not waiting for a second factor");
  }
  RETURN_IF_ERROR(CheckNotThrottled(p.username, address));
  if (Trim(code).empty()) {
    return InvalidArgument("enter the code from your authenticator app", "totp");
  }
  Status st = VerifySecondFactor(p.user_id, p.org_id, p.username, code);
  if (!st.ok()) {
    RETURN_IF_ERROR(RecordFailure(p.username, address));
    return st;
  }
  (void)store_.ClearSignInFailures(UserSubject(p.username));
  SignInResult out;
  out.session_token = RandomToken(32);
  // The absolute lifetime counts from here, not from the password step.
  RETURN_IF_ERROR(
      store_.ActivateSession(Sha256Hex(session_token), Sha256Hex(out.session_token), ExpiresAt(),
                             SecurityEvent(clock_, &p, p.org_id, "sign_in", "user", p.user_id,
                                           {{"address", address}, {"second_factor", true}})));
  RETURN_IF_ERROR(
      store_.SetSessionReauthenticated(Sha256Hex(out.session_token), FormatUtc(clock_.Now())));
  ASSIGN_OR_RETURN(auto owner, store_.FindSessionOwner(Sha256Hex(out.session_token)));
  ASSIGN_OR_RETURN(out.principal, PrincipalOf(owner, Credential::kSession));
  return out;
}

Result<Principal> AuthService::AuthenticateSession(const std::string& session_token) {
  if (session_token.empty() || session_token.size() > 128) return Unauthenticated("not signed in");
  const std::string id_hash = Sha256Hex(session_token);
  auto s = store_.FindSessionOwner(id_hash);
  if (!s.ok()) {
    return s.status().code() == Code::kNotFound ? Unauthenticated("not signed in") : s.status();
  }
  const auto now = clock_.Now();
  const std::string now_text = FormatUtc(now);
  if (s->session.expires_at <= now_text) {
    (void)store_.DeleteSession(
        id_hash, SecurityEvent(clock_, nullptr, s->org.id, "session_expired", "user", s->user.id));
    return Unauthenticated("the session has expired; sign in again");
  }
  if (Older(s->session.last_seen_at, now - options_.session_idle)) {
    (void)store_.DeleteSession(
        id_hash, SecurityEvent(clock_, nullptr, s->org.id, "session_idle", "user", s->user.id));
    return Unauthenticated("the session ended after a period without activity; sign in again");
  }
  if (Older(s->session.last_seen_at, now - kTouchEvery)) {
    (void)store_.TouchSession(id_hash, now_text);
  }
  return PrincipalOf(*s, Credential::kSession);
}

Result<Principal> AuthService::AuthenticateToken(const std::string& bearer_token) {
  if (bearer_token.empty() || bearer_token.size() > 128) {
    return Unauthenticated("the API token is not valid");
  }
  auto t = store_.FindTokenOwner(Sha256Hex(bearer_token));
  if (!t.ok()) {
    return t.status().code() == Code::kNotFound ? Unauthenticated("the API token is not valid")
                                                : t.status();
  }
  const auto now = clock_.Now();
  if (t->token.revoked) return Unauthenticated("the API token is not valid");
  if (!t->token.expires_at.empty() && t->token.expires_at <= FormatUtc(now)) {
    return Unauthenticated("the API token has expired");
  }
  auto p = PrincipalOf(*t, Credential::kToken);
  if (!p.ok()) return Unauthenticated("the API token is not valid");
  if (t->token.last_used_at.empty() || Older(t->token.last_used_at, now - kTouchEvery)) {
    (void)store_.TouchToken(t->token.id, FormatUtc(now));
  }
  return p;
}

Status AuthService::SignOut(const Principal& p, const std::string& session_token) {
  return store_.DeleteSession(Sha256Hex(session_token),
                              SecurityEvent(clock_, &p, p.org_id, "sign_out", "user", p.user_id));
}

// ---------------------------------------------------------------------------------------------
// The own account

Status AuthService::ChangePassword(const Principal& p, const std::string& session_token,
                                   const std::string& current_password,
                                   const std::string& new_password, const std::string& address,
                                   ApiTokensOnPasswordChange tokens) {
  // The current password is guessed no faster here than at sign-in: the same counters.
  RETURN_IF_ERROR(CheckNotThrottled(p.username, address));
  ASSIGN_OR_RETURN(domain::User u, store_.GetUser(p.user_id));
  if (!VerifyPassword(u.password_hash, current_password.substr(0, 1024))) {
    RETURN_IF_ERROR(RecordFailure(p.username, address));
    RETURN_IF_ERROR(store_.AppendAudit(SecurityEvent(clock_, &p, p.org_id, "change_password_failed",
                                                     "user", u.id, {{"address", address}})));
    return InvalidArgument("the current password is not right", "current_password");
  }
  RETURN_IF_ERROR(CheckNewPassword(
      new_password, "new_password",
      {.username = u.username, .display_name = u.display_name, .org_name = p.org_name}));
  if (new_password == current_password) {
    return InvalidArgument("choose a password different from the current one", "new_password");
  }
  ASSIGN_OR_RETURN(std::string hash, HashPassword(new_password));
  RETURN_IF_ERROR(store_.SetPassword(
      u.id, hash, false, "",
      SecurityEvent(
          clock_, &p, p.org_id, "change_password", "user", u.id,
          {{"api_tokens", tokens == ApiTokensOnPasswordChange::kKeep ? "kept" : "revoked"}})));
  (void)store_.ClearSignInFailures(UserSubject(p.username));
  // Whoever else knew the old password is signed out everywhere ...
  const std::string keep = session_token.empty() ? std::string() : Sha256Hex(session_token);
  RETURN_IF_ERROR(store_
                      .EndSessions(u.id, keep,
                                   SecurityEvent(clock_, &p, p.org_id, "end_sessions", "user", u.id,
                                                 {{"reason", "password changed"}}))
                      .status());
  // ... and loses the API tokens made with it, unless the person keeps them.
  if (tokens == ApiTokensOnPasswordChange::kRevoke) {
    RETURN_IF_ERROR(
        store_
            .RevokeTokens(u.id, SecurityEvent(clock_, &p, p.org_id, "revoke_tokens", "user", u.id,
                                              {{"reason", "password changed"}}))
            .status());
  }
  // Giving the current password is a re-authentication.
  if (!keep.empty()) (void)store_.SetSessionReauthenticated(keep, FormatUtc(clock_.Now()));
  return Status::Ok();
}

Status AuthService::Reauthenticate(const Principal& p, const std::string& session_token,
                                   const std::string& password, const std::string& code,
                                   const std::string& address) {
  if (p.credential != Credential::kSession || session_token.empty()) {
    return FailedPrecondition("only a signed-in session can be re-authenticated");
  }
  RETURN_IF_ERROR(CheckNotThrottled(p.username, address));
  ASSIGN_OR_RETURN(domain::User u, store_.GetUser(p.user_id));
  auto failed = [&](const char* what) {
    RETURN_IF_ERROR(
        store_.AppendAudit(SecurityEvent(clock_, &p, p.org_id, "reauthenticate_failed", "user",
                                         u.id, {{"address", address}, {"wrong", what}})));
    return RecordFailure(p.username, address);
  };
  if (!VerifyPassword(u.password_hash, password.substr(0, 1024))) {
    RETURN_IF_ERROR(failed("password"));
    return InvalidArgument("the password is not right", "password");
  }
  if (u.second_factor) {
    if (Trim(code).empty()) {
      return InvalidArgument("enter the code from your authenticator app (or a recovery code)",
                             "code");
    }
    if (!VerifySecondFactor(u.id, p.org_id, p.username, code).ok()) {
      RETURN_IF_ERROR(failed("code"));
      return InvalidArgument(std::string(kBadCode), "code");
    }
  }
  RETURN_IF_ERROR(
      store_.SetSessionReauthenticated(Sha256Hex(session_token), FormatUtc(clock_.Now())));
  return store_.AppendAudit(
      SecurityEvent(clock_, &p, p.org_id, "reauthenticate", "user", u.id, {{"address", address}}));
}

Status AuthService::RequireRecentAuthentication(const Principal& p) const {
  if (p.credential == Credential::kSystem) return Status::Ok();
  if (p.credential == Credential::kToken) {
    return PermissionDenied(
        "an API token cannot change how you sign in; sign in with your password to do this");
  }
  if (Older(p.reauthenticated_at, clock_.Now() - domain::kReauthenticationWindow)) {
    return Status(Code::kReauthenticationRequired,
                  fmt::format("confirm your password first: this needs it entered within the last "
                              "{} minutes",
                              domain::kReauthenticationWindow.count()));
  }
  return Status::Ok();
}

Status AuthService::SetDisplayName(const Principal& p, const std::string& display_name) {
  const std::string name(Trim(display_name));
  if (name.empty()) return InvalidArgument("enter a name", "display_name");
  const long len = Utf8Length(name);
  if (len < 0) return InvalidArgument("the name is not valid UTF-8 text", "display_name");
  if (len > 100) return InvalidArgument("the name has more than 100 characters", "display_name");
  ASSIGN_OR_RETURN(domain::User u, store_.GetUser(p.user_id));
  if (u.display_name == name) return Status::Ok();
  return store_.SetDisplayName(p.user_id, name,
                               SecurityEvent(clock_, &p, p.org_id, "update", "user", p.user_id,
                                             {{"display_name", Change(u.display_name, name)}}));
}

Result<std::string> AuthService::CheckEmail(const std::string& email) {
  std::string address(Trim(email));
  if (address.empty()) return address;
  if (!domain::IsValidEmailAddress(address)) {
    return InvalidArgument("write one e-mail address, such as name@example.org", "email");
  }
  return address;
}

Status AuthService::SetEmail(const Principal& p, const std::string& email) {
  ASSIGN_OR_RETURN(const std::string address, CheckEmail(email));
  ASSIGN_OR_RETURN(domain::User u, store_.GetUser(p.user_id));
  if (u.email == address) return Status::Ok();
  return store_.SetEmail(p.user_id, address,
                         SecurityEvent(clock_, &p, p.org_id, "update", "user", p.user_id,
                                       {{"email", Change(u.email, address)}}));
}

Result<std::string> AuthService::Email(const Principal& p) {
  ASSIGN_OR_RETURN(domain::User u, store_.GetUser(p.user_id));
  return u.email;
}

Result<std::vector<domain::Membership>> AuthService::Memberships(const Principal& p) {
  ASSIGN_OR_RETURN(auto all, store_.Memberships(p.user_id));
  const std::string today = FormatDate(clock_.Now());
  std::vector<domain::Membership> out;
  for (auto& m : all) {
    if (domain::MembershipActive(m, today)) out.push_back(std::move(m));
  }
  return out;
}

Status AuthService::SwitchOrganisation(const Principal& p, const std::string& session_token,
                                       int64_t org_id) {
  if (p.credential != Credential::kSession) {
    return FailedPrecondition("an API token acts for one organisation; create one for the other");
  }
  ASSIGN_OR_RETURN(auto m, store_.GetMembership(p.user_id, org_id));
  if (!m || !domain::MembershipActive(*m, FormatDate(clock_.Now()))) {
    return NotFound("you are not a member of that organisation");
  }
  if (org_id == p.org_id) return Status::Ok();
  // Recorded in both organisations' trails: leaving one, entering the other.
  RETURN_IF_ERROR(store_.AppendAudit(SecurityEvent(clock_, &p, p.org_id, "leave_organisation",
                                                   "user", p.user_id, {{"to", m->org_name}})));
  return store_.SwitchSessionOrganisation(Sha256Hex(session_token), org_id,
                                          SecurityEvent(clock_, &p, org_id, "switch_organisation",
                                                        "user", p.user_id, {{"from", p.org_name}}));
}

Result<std::vector<domain::Session>> AuthService::Sessions(const Principal& p) {
  return store_.ListSessions(p.user_id);
}

Status AuthService::EndSession(const Principal& p, int64_t session_id) {
  return store_.EndSession(p.user_id, session_id,
                           SecurityEvent(clock_, &p, p.org_id, "end_session", "session", session_id,
                                         {{"user", p.username}}));
}

Result<int> AuthService::EndOtherSessions(const Principal& p, const std::string& session_token) {
  return store_.EndSessions(p.user_id, session_token.empty() ? "" : Sha256Hex(session_token),
                            SecurityEvent(clock_, &p, p.org_id, "end_sessions", "user", p.user_id,
                                          {{"reason", "signed out elsewhere"}}));
}

// ---------------------------------------------------------------------------------------------
// API tokens

Result<std::pair<domain::ApiToken, std::string>> AuthService::CreateToken(
    const Principal& p, const std::string& name, bool read_only, const std::string& expires_on) {
  RETURN_IF_ERROR(RequireRecentAuthentication(p));
  const std::string label(Trim(name));
  if (label.empty()) return InvalidArgument("name the token (what will use it?)", "name");
  const long len = Utf8Length(label);
  if (len < 0) return InvalidArgument("the token name is not valid UTF-8 text", "name");
  if (len > 100) return InvalidArgument("the token name has more than 100 characters", "name");
  std::string expires_at;
  if (!expires_on.empty()) {
    if (!IsValidDate(expires_on)) {
      return InvalidArgument("the expiry must be a date YYYY-MM-DD", "expires_on");
    }
    if (expires_on < FormatDate(clock_.Now())) {
      return InvalidArgument("the expiry date is in the past", "expires_on");
    }
    expires_at = expires_on + "T23:59:59.999Z";
  }
  std::string token = "rpt_" + RandomToken(32);
  domain::ApiToken t{.token_hash = Sha256Hex(token),
                     .user_id = p.user_id,
                     .org_id = p.org_id,
                     .name = label,
                     .created_at = FormatUtc(clock_.Now()),
                     .read_only = read_only,
                     .expires_at = expires_at};
  ASSIGN_OR_RETURN(
      auto stored,
      store_.CreateToken(
          t, SecurityEvent(clock_, p.credential == Credential::kSystem ? nullptr : &p, p.org_id,
                           "create", "api_token", 0,
                           {{"user", Change(nullptr, p.username)},
                            {"name", Change(nullptr, label)},
                            {"read_only", Change(nullptr, read_only)},
                            {"expires_on",
                             Change(nullptr, expires_on.empty() ? domain::Json(nullptr)
                                                                : domain::Json(expires_on))}})));
  stored.token_hash.clear();
  return std::make_pair(stored, token);
}

Result<std::vector<domain::ApiToken>> AuthService::Tokens(const Principal& p) {
  return store_.ListTokens(p.user_id);
}

Status AuthService::RevokeToken(const Principal& p, int64_t token_id) {
  return store_.RevokeToken(p.user_id, token_id,
                            SecurityEvent(clock_, &p, p.org_id, "revoke", "api_token", token_id,
                                          {{"revoked", Change(false, true)}}));
}

// ---------------------------------------------------------------------------------------------
// Second factor

Result<store::SecondFactorState> AuthService::SecondFactorStatus(const Principal& p) {
  ASSIGN_OR_RETURN(auto state, store_.GetSecondFactor(p.user_id));
  state.secret.clear();  // never leaves the service
  state.pending.clear();
  return state;
}

Result<SecondFactorEnrolment> AuthService::StartSecondFactor(const Principal& p) {
  // Confirming needs a code from the secret shown here, so checking here covers enrolment.
  RETURN_IF_ERROR(RequireRecentAuthentication(p));
  ASSIGN_OR_RETURN(auto state, store_.GetSecondFactor(p.user_id));
  if (!state.secret.empty()) {
    return FailedPrecondition("a second factor is set up already; turn it off first to replace it");
  }
  SecondFactorEnrolment out;
  out.secret = NewTotpSecret();
  out.uri = OtpauthUri(options_.issuer, p.username, out.secret);
  ASSIGN_OR_RETURN(out.qr_svg,
                   QrSvg(out.uri, "QR code to add " + p.username + " to an authenticator app"));
  RETURN_IF_ERROR(store_.SetPendingSecondFactor(p.user_id, out.secret));
  return out;
}

Result<std::vector<std::string>> AuthService::MakeRecoveryCodes(
    std::vector<std::string>& hashes) const {
  std::vector<std::string> codes;
  for (int i = 0; i < kRecoveryCodes; ++i) {
    codes.push_back(NewRecoveryCode());
    // Salted and slow, like passwords: a copy of the database does not give the codes away.
    ASSIGN_OR_RETURN(std::string hash, HashPassword(NormaliseRecoveryCode(codes.back())));
    hashes.push_back(std::move(hash));
  }
  return codes;
}

Result<std::vector<std::string>> AuthService::ConfirmSecondFactor(const Principal& p,
                                                                  const std::string& code) {
  ASSIGN_OR_RETURN(auto state, store_.GetSecondFactor(p.user_id));
  if (!state.secret.empty()) return FailedPrecondition("a second factor is set up already");
  if (state.pending.empty()) {
    return FailedPrecondition("start the set-up first: no second factor is being set up");
  }
  const auto key = Base32Decode(state.pending);
  if (!key) return Internal("the pending second-factor secret is damaged");
  const auto step = VerifyTotp(*key, code, ToUnixSeconds(clock_.Now()));
  if (!step) {
    return InvalidArgument(
        "the code does not match: check the time on your phone and enter the current code", "code");
  }
  std::vector<std::string> hashes;
  ASSIGN_OR_RETURN(auto codes, MakeRecoveryCodes(hashes));
  RETURN_IF_ERROR(store_.EnableSecondFactor(
      p.user_id, state.pending, *step, hashes,
      SecurityEvent(clock_, &p, p.org_id, "enable_second_factor", "user", p.user_id,
                    {{"second_factor", Change(false, true)}})));
  return codes;
}

Status AuthService::DisableSecondFactor(const Principal& p, const std::string& password,
                                        const std::string& code) {
  ASSIGN_OR_RETURN(domain::User u, store_.GetUser(p.user_id));
  if (!u.second_factor) return FailedPrecondition("no second factor is set up");
  RETURN_IF_ERROR(CheckNotThrottled(p.username, ""));
  if (!VerifyPassword(u.password_hash, password.substr(0, 1024))) {
    RETURN_IF_ERROR(RecordFailure(p.username, ""));
    return InvalidArgument("the password is not right", "password");
  }
  Status st = VerifySecondFactor(p.user_id, p.org_id, p.username, code);
  if (!st.ok()) {
    RETURN_IF_ERROR(RecordFailure(p.username, ""));
    return InvalidArgument(std::string(kBadCode), "code");
  }
  return store_.DisableSecondFactor(
      p.user_id, SecurityEvent(clock_, &p, p.org_id, "disable_second_factor", "user", p.user_id,
                               {{"second_factor", Change(true, false)}}));
}

Result<std::vector<std::string>> AuthService::NewRecoveryCodes(const Principal& p,
                                                               const std::string& code) {
  ASSIGN_OR_RETURN(domain::User u, store_.GetUser(p.user_id));
  if (!u.second_factor) return FailedPrecondition("no second factor is set up");
  RETURN_IF_ERROR(CheckNotThrottled(p.username, ""));
  Status st = VerifySecondFactor(p.user_id, p.org_id, p.username, code);
  if (!st.ok()) {
    RETURN_IF_ERROR(RecordFailure(p.username, ""));
    return InvalidArgument(std::string(kBadCode), "code");
  }
  std::vector<std::string> hashes;
  ASSIGN_OR_RETURN(auto codes, MakeRecoveryCodes(hashes));
  RETURN_IF_ERROR(store_.ReplaceRecoveryCodes(
      p.user_id, hashes,
      SecurityEvent(clock_, &p, p.org_id, "new_recovery_codes", "user", p.user_id)));
  return codes;
}

}  // namespace rampart::app

#include "app/auth_service.h"

#include <fmt/format.h>

#include "base/crypto.h"
#include "base/text.h"

namespace rampart::app {

namespace {
constexpr const char* kBadCredentials = "the user name or password is not right";

// The principal a credential acts for; kUnauthenticated when its holder may no longer act.
Result<Principal> PrincipalOf(const store::CredentialOwner& c, Credential kind) {
  if (c.user.disabled) return Unauthenticated("this account is disabled");
  if (!c.role) return Unauthenticated("no longer a member of this organisation");
  return Principal{.user_id = c.user.id,
                   .username = c.user.username,
                   .display_name = c.user.display_name,
                   .org_id = c.org_id,
                   .org_name = c.org_name,
                   .role = *c.role,
                   .must_change_password = c.user.must_change_password,
                   .credential = kind,
                   .csrf_token = c.csrf_token};
}

}  // namespace

store::AuditDraft AuthService::Event(int64_t org_id, int64_t actor_id, const std::string& actor,
                                     std::string action, std::string record_type,
                                     int64_t record_id) const {
  return store::AuditDraft{.org_id = org_id,
                           .actor_id = actor_id,
                           .actor = actor,
                           .at = FormatUtc(clock_.Now()),
                           .action = std::move(action),
                           .record_type = std::move(record_type),
                           .record_id = record_id};
}

Status AuthService::CheckNewPassword(const std::string& password, const std::string& field) {
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
  return Status::Ok();
}

Result<InitResult> AuthService::Initialise(const std::string& org_name) {
  const std::string name(Trim(org_name));
  if (name.empty()) return InvalidArgument("name the organisation", "org");
  if (Utf8Length(name) < 0) {
    return InvalidArgument("the organisation name is not valid UTF-8 text", "org");
  }
  if (name.size() > 200) return InvalidArgument("the organisation name is too long", "org");
  ASSIGN_OR_RETURN(auto orgs, store_.ListOrganisations());
  if (!orgs.empty()) {
    return FailedPrecondition(
        "this database is initialised already; add users with `rampart "
        "user add`");
  }
  auto create = Event(0, 0, "system", "create", "organisation", 0);
  create.diff = {{"name", {{"from", nullptr}, {"to", name}}}};
  ASSIGN_OR_RETURN(auto org, store_.CreateOrganisation(name, create));
  InitResult out{org, "admin", RandomOneTimePassword()};
  ASSIGN_OR_RETURN(std::string hash, HashPassword(out.one_time_password));
  domain::User u{.username = out.username,
                 .display_name = "Administrator",
                 .password_hash = hash,
                 .must_change_password = true,
                 .created_at = FormatUtc(clock_.Now())};
  auto added = Event(org.id, 0, "system", "create", "user", 0);
  added.diff = {{"username", {{"from", nullptr}, {"to", u.username}}},
                {"role", {{"from", nullptr}, {"to", "admin"}}}};
  RETURN_IF_ERROR(store_.CreateUser(u, org.id, domain::Role::kAdmin, added).status());
  return out;
}

Result<SignInResult> AuthService::SignIn(const std::string& username, const std::string& password) {
  auto user = store_.FindUser(username);
  if (!user.ok() && user.status().code() != Code::kNotFound) return user.status();
  // Verify against a real hash even for unknown users, so timing does not reveal who exists.
  static const std::string kDummyHash = HashPassword("not a real password").value();
  const bool matches =
      VerifyPassword(user.ok() ? user->password_hash : kDummyHash, password.substr(0, 1024));
  if (!user.ok() || !matches || user->disabled) {
    if (user.ok()) {
      auto memberships = store_.Memberships(user->id);
      const int64_t org =
          memberships.ok() && !memberships->empty() ? memberships->front().org_id : 0;
      (void)store_.AppendAudit(
          Event(org, user->id, user->username, "sign_in_failed", "user", user->id));
    }
    return Unauthenticated(kBadCredentials);
  }
  ASSIGN_OR_RETURN(auto memberships, store_.Memberships(user->id));
  if (memberships.empty()) return Unauthenticated(kBadCredentials);
  const int64_t org_id = memberships.front().org_id;
  SignInResult out;
  out.session_token = RandomToken(32);
  const auto now = clock_.Now();
  domain::Session s{.id_hash = Sha256Hex(out.session_token),
                    .user_id = user->id,
                    .org_id = org_id,
                    .csrf_token = RandomToken(32),
                    .created_at = FormatUtc(now),
                    .expires_at = FormatUtc(now + options_.session_lifetime)};
  RETURN_IF_ERROR(store_.CreateSession(
      s, Event(org_id, user->id, user->username, "sign_in", "user", user->id)));
  ASSIGN_OR_RETURN(auto owner, store_.FindSessionOwner(s.id_hash));
  ASSIGN_OR_RETURN(out.principal, PrincipalOf(owner, Credential::kSession));
  return out;
}

Result<Principal> AuthService::AuthenticateSession(const std::string& session_token) {
  if (session_token.empty() || session_token.size() > 128) return Unauthenticated("not signed in");
  auto s = store_.FindSessionOwner(Sha256Hex(session_token));
  if (!s.ok()) {
    return s.status().code() == Code::kNotFound ? Unauthenticated("not signed in") : s.status();
  }
  if (s->expires_at <= FormatUtc(clock_.Now())) return Unauthenticated("the session has expired");
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
  if (t->revoked) return Unauthenticated("the API token is not valid");
  auto p = PrincipalOf(*t, Credential::kToken);
  if (!p.ok()) return Unauthenticated("the API token is not valid");
  return p;
}

Status AuthService::SignOut(const Principal& p, const std::string& session_token) {
  return store_.DeleteSession(Sha256Hex(session_token), Event(p.org_id, p.user_id, p.username,
                                                              "sign_out", "user", p.user_id));
}

Status AuthService::ChangePassword(const Principal& p, const std::string& current_password,
                                   const std::string& new_password) {
  ASSIGN_OR_RETURN(domain::User u, store_.GetUser(p.user_id));
  if (!VerifyPassword(u.password_hash, current_password.substr(0, 1024))) {
    return InvalidArgument("the current password is not right", "current_password");
  }
  RETURN_IF_ERROR(CheckNewPassword(new_password, "new_password"));
  if (new_password == current_password) {
    return InvalidArgument("choose a password different from the current one", "new_password");
  }
  ASSIGN_OR_RETURN(std::string hash, HashPassword(new_password));
  return store_.SetPassword(
      u.id, hash, false, Event(p.org_id, p.user_id, p.username, "change_password", "user", u.id));
}

Result<domain::Organisation> AuthService::ResolveOrganisation(const std::string& org_name) {
  if (!org_name.empty()) {
    auto org = store_.FindOrganisation(org_name);
    if (!org.ok() && org.status().code() == Code::kNotFound) {
      return InvalidArgument(fmt::format("no organisation named \"{}\"", org_name), "org");
    }
    return org;
  }
  ASSIGN_OR_RETURN(auto orgs, store_.ListOrganisations());
  if (orgs.empty())
    return FailedPrecondition("the database has no organisation: run `rampart init`");
  if (orgs.size() > 1) {
    return InvalidArgument("there are several organisations: name one with --org", "org");
  }
  return orgs.front();
}

Result<domain::User> AuthService::AddUser(const std::string& username, domain::Role role,
                                          const std::string& password,
                                          const std::string& org_name) {
  if (!domain::IsValidUsername(username)) {
    return InvalidArgument(
        "a user name has 1 to 64 characters: a-z, 0-9, '.', '_' and '-', "
        "starting with a letter or digit",
        "username");
  }
  RETURN_IF_ERROR(CheckNewPassword(password, "password"));
  ASSIGN_OR_RETURN(auto org, ResolveOrganisation(org_name));
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  domain::User u{.username = username,
                 .display_name = username,
                 .password_hash = hash,
                 .must_change_password = false,
                 .created_at = FormatUtc(clock_.Now())};
  auto added = Event(org.id, 0, "system", "create", "user", 0);
  added.diff = {{"username", {{"from", nullptr}, {"to", username}}},
                {"role", {{"from", nullptr}, {"to", domain::RoleName(role)}}}};
  return store_.CreateUser(u, org.id, role, added);
}

Result<std::vector<store::UserSummary>> AuthService::ListUsers(const std::string& org_name) {
  ASSIGN_OR_RETURN(auto org, ResolveOrganisation(org_name));
  return store_.ListMembers(org.id);
}

Status AuthService::DisableUser(const std::string& username) {
  ASSIGN_OR_RETURN(domain::User u, store_.FindUser(username));
  if (u.disabled) return Status::Ok();
  ASSIGN_OR_RETURN(auto memberships, store_.Memberships(u.id));
  const int64_t org = memberships.empty() ? 0 : memberships.front().org_id;
  auto e = Event(org, 0, "system", "disable", "user", u.id);
  e.diff = {{"disabled", {{"from", false}, {"to", true}}}};
  return store_.DisableUser(u.id, e);
}

Result<std::string> AuthService::CreateToken(const std::string& username, const std::string& name) {
  if (Utf8Length(name) < 0) {
    return InvalidArgument("the token name is not valid UTF-8 text", "name");
  }
  ASSIGN_OR_RETURN(domain::User u, store_.FindUser(username));
  if (u.disabled) return FailedPrecondition(fmt::format("user \"{}\" is disabled", username));
  ASSIGN_OR_RETURN(auto memberships, store_.Memberships(u.id));
  if (memberships.empty()) return FailedPrecondition("the user belongs to no organisation");
  std::string token = "rpt_" + RandomToken(32);
  domain::ApiToken t{.token_hash = Sha256Hex(token),
                     .user_id = u.id,
                     .org_id = memberships.front().org_id,
                     .name = name.empty() ? std::string("token") : name,
                     .created_at = FormatUtc(clock_.Now())};
  auto e = Event(t.org_id, 0, "system", "create", "api_token", 0);
  e.diff = {{"user", {{"from", nullptr}, {"to", username}}},
            {"name", {{"from", nullptr}, {"to", t.name}}}};
  RETURN_IF_ERROR(store_.CreateToken(t, e).status());
  return token;
}

}  // namespace rampart::app

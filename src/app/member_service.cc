#include "app/member_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "app/access_control.h"
#include "base/crypto.h"
#include "base/text.h"

namespace rampart::app {

using domain::Permission;
using domain::Role;

Status MemberService::CheckUsername(const std::string& username) {
  if (!domain::IsValidUsername(username)) {
    return InvalidArgument(
        "a user name has 1 to 64 characters: a-z, 0-9, '.', '_' and '-', starting with a letter "
        "or digit",
        "username");
  }
  return Status::Ok();
}

Status MemberService::CheckExpiry(Role role, const std::string& expires_on) const {
  if (expires_on.empty()) {
    if (domain::InfoOf(role).needs_expiry) {
      return InvalidArgument(
          fmt::format("an {} needs the last day of access", ToLower(domain::InfoOf(role).label)),
          "expires_on");
    }
    return Status::Ok();
  }
  if (!IsValidDate(expires_on)) {
    return InvalidArgument("the end of access must be a date YYYY-MM-DD", "expires_on");
  }
  if (expires_on < FormatDate(clock_.Now())) {
    return InvalidArgument("the end of access is in the past", "expires_on");
  }
  return Status::Ok();
}

Result<domain::Organisation> MemberService::ResolveOrganisation(const std::string& org_name) {
  if (!org_name.empty()) {
    auto org = store_.FindOrganisation(org_name);
    if (!org.ok() && org.status().code() == Code::kNotFound) {
      return InvalidArgument(fmt::format("no organisation named \"{}\"", org_name), "org");
    }
    return org;
  }
  ASSIGN_OR_RETURN(auto orgs, store_.ListOrganisations());
  if (orgs.empty()) {
    return FailedPrecondition("the database has no organisation: run `rampart init`");
  }
  if (orgs.size() > 1) {
    return InvalidArgument("there are several organisations: name one with --org", "org");
  }
  return orgs.front();
}

Result<domain::UserSummary> MemberService::MemberOf(const Principal& p, int64_t user_id) {
  ASSIGN_OR_RETURN(auto members, store_.ListMembers(p.org_id));
  for (auto& m : members) {
    if (m.id == user_id) return m;
  }
  return NotFound(fmt::format("no member with id {} in this organisation", user_id));
}

Status MemberService::KeepAnAdministrator(int64_t org_id, int64_t user_id) {
  ASSIGN_OR_RETURN(auto members, store_.ListMembers(org_id));
  const std::string admin(domain::RoleName(Role::kAdmin));
  const bool other = std::any_of(members.begin(), members.end(), [&](const auto& m) {
    return m.id != user_id && m.role == admin && !m.disabled && m.expires_at.empty();
  });
  if (!other) {
    return FailedPrecondition(
        "this is the organisation's last active administrator; make someone else administrator "
        "first");
  }
  return Status::Ok();
}

Status MemberService::CheckAccountAuthority(const Principal& p, int64_t user_id,
                                            const std::string& username) {
  ASSIGN_OR_RETURN(const int64_t home, store_.AccountHome(user_id));
  if (home == p.org_id) return Status::Ok();  // the caller administers the account's home
  if (home != 0) {
    return FailedPrecondition(fmt::format(
        "{} joined this organisation by invitation; their account (password, second factor, "
        "disabling) is managed by the organisation that created it. You can remove them from "
        "this organisation",
        username));
  }
  ASSIGN_OR_RETURN(auto theirs, store_.Memberships(user_id));
  ASSIGN_OR_RETURN(auto mine, store_.Memberships(p.user_id));
  const std::string today = FormatDate(clock_.Now());
  for (const auto& m : theirs) {
    const bool admin_there = std::any_of(mine.begin(), mine.end(), [&](const auto& x) {
      return x.org_id == m.org_id && x.role == Role::kAdmin && domain::MembershipActive(x, today);
    });
    if (!admin_there) {
      return FailedPrecondition(fmt::format(
          "{} also belongs to another organisation, where you are not an administrator; this "
          "changes their account everywhere, so only an administrator of every organisation "
          "they belong to can do it (you can remove them from this organisation instead)",
          username));
    }
  }
  return Status::Ok();
}

Result<AddedMember> MemberService::AddTo(const Principal* actor, const domain::Organisation& org,
                                         const NewMember& nm) {
  RETURN_IF_ERROR(CheckUsername(nm.username));
  RETURN_IF_ERROR(CheckExpiry(nm.role, nm.expires_on));
  const std::string display(Trim(nm.display_name.empty() ? nm.username : nm.display_name));
  const long len = Utf8Length(display);
  if (len < 0 || len > 100) {
    return InvalidArgument("the name must be valid text of at most 100 characters", "display_name");
  }
  ASSIGN_OR_RETURN(const std::string email, AuthService::CheckEmail(nm.email));
  const domain::Json role_change = Change(nullptr, domain::RoleName(nm.role));
  domain::Json diff = {{"role", role_change}};
  if (!nm.expires_on.empty()) diff["expires_on"] = Change(nullptr, nm.expires_on);

  auto existing = store_.FindUser(nm.username);
  if (existing.ok() && actor != nullptr) {
    // An administrator: an invitation, whoever holds the name. The answer is the same for every
    // taken name that is not a member here (no display name, second factor, organisation or id).
    ASSIGN_OR_RETURN(auto here, store_.GetMembership(existing->id, org.id));
    if (here.has_value()) {
      return AlreadyExists(
          fmt::format("{} is a member of this organisation already (change their role instead)",
                      nm.username),
          "username");
    }
    diff["username"] = nm.username;
    RETURN_IF_ERROR(store_.PutInvitation(
        domain::Invitation{.org_id = org.id,
                           .user_id = existing->id,
                           .role = nm.role,
                           .expires_at = nm.expires_on,
                           .invited_by = actor->username,
                           .created_at = FormatUtc(clock_.Now())},
        SecurityEvent(clock_, actor, org.id, "invite_member", "invitation", 0, diff)));
    AddedMember out;
    out.invited = true;
    return out;
  }
  if (existing.ok()) {
    if (!nm.password.empty()) {
      return InvalidArgument(
          fmt::format("user \"{}\" exists already and keeps their password; leave the password "
                      "out to add them to this organisation",
                      nm.username),
          "password");
    }
    diff["username"] = Change(nullptr, nm.username);
    RETURN_IF_ERROR(store_.AddMembership(
        domain::Membership{existing->id, org.id, nm.role, nm.expires_on, org.name},
        SecurityEvent(clock_, actor, org.id, "add_member", "user", existing->id, diff)));
    return AddedMember{*existing, true, {}};
  }
  if (existing.status().code() != Code::kNotFound) return existing.status();

  AddedMember out;
  std::string password = nm.password;
  if (password.empty()) {
    out.one_time_password = RandomOneTimePassword();
    out.one_time_password_expires_at = FormatUtc(clock_.Now() + domain::kOneTimePasswordLifetime);
    password = out.one_time_password;
  } else {
    RETURN_IF_ERROR(AuthService::CheckNewPassword(
        password, "password",
        {.username = nm.username, .display_name = display, .org_name = org.name}));
  }
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  domain::User u{.username = nm.username,
                 .display_name = display,
                 .password_hash = hash,
                 .must_change_password = !out.one_time_password.empty(),
                 .created_at = FormatUtc(clock_.Now()),
                 .password_expires_at = out.one_time_password_expires_at,
                 .email = email};
  diff["username"] = Change(nullptr, nm.username);
  if (!email.empty()) diff["email"] = Change(nullptr, email);
  ASSIGN_OR_RETURN(
      out.user, store_.CreateUser(u, domain::Membership{0, org.id, nm.role, nm.expires_on, {}},
                                  SecurityEvent(clock_, actor, org.id, "create", "user", 0, diff)));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Administrators

Result<std::vector<domain::UserSummary>> MemberService::List(const Principal& p) {
  RETURN_IF_ERROR(Require(p, Permission::kReadRecords));
  return store_.ListMembers(p.org_id);
}

Result<domain::UserSummary> MemberService::Get(const Principal& p, int64_t user_id) {
  RETURN_IF_ERROR(Require(p, Permission::kReadRecords));
  return MemberOf(p, user_id);
}

Result<AddedMember> MemberService::Add(const Principal& p, const NewMember& member) {
  RETURN_IF_ERROR(Require(p, Permission::kManageUsers));
  ASSIGN_OR_RETURN(auto org, store_.GetOrganisation(p.org_id));
  return AddTo(&p, org, member);
}

Status MemberService::SetRole(const Principal& p, int64_t user_id, Role role,
                              const std::string& expires_on) {
  RETURN_IF_ERROR(Require(p, Permission::kManageUsers));
  ASSIGN_OR_RETURN(auto m, MemberOf(p, user_id));
  RETURN_IF_ERROR(CheckExpiry(role, expires_on));
  const auto before = domain::ParseRole(m.role);
  if (before == Role::kAdmin && (role != Role::kAdmin || !expires_on.empty())) {
    RETURN_IF_ERROR(KeepAnAdministrator(p.org_id, user_id));
  }
  domain::Json diff = domain::Json::object();
  if (m.role != domain::RoleName(role)) diff["role"] = Change(m.role, domain::RoleName(role));
  if (m.expires_at != expires_on) {
    diff["expires_on"] =
        Change(m.expires_at.empty() ? domain::Json(nullptr) : domain::Json(m.expires_at),
               expires_on.empty() ? domain::Json(nullptr) : domain::Json(expires_on));
  }
  if (diff.empty()) return Status::Ok();
  diff["username"] = m.username;
  return store_.UpdateMembership(
      domain::Membership{user_id, p.org_id, role, expires_on, {}},
      SecurityEvent(clock_, &p, p.org_id, "change_role", "user", user_id, diff));
}

Status MemberService::SetDisabled(const Principal& p, int64_t user_id, bool disabled) {
  RETURN_IF_ERROR(Require(p, Permission::kManageUsers));
  ASSIGN_OR_RETURN(auto m, MemberOf(p, user_id));
  if (m.disabled == disabled) return Status::Ok();
  if (disabled && user_id == p.user_id) {
    return FailedPrecondition("you cannot disable your own account");
  }
  if (disabled && m.role == domain::RoleName(Role::kAdmin)) {
    RETURN_IF_ERROR(KeepAnAdministrator(p.org_id, user_id));
  }
  RETURN_IF_ERROR(CheckAccountAuthority(p, user_id, m.username));
  return store_.SetUserDisabled(
      user_id, disabled,
      SecurityEvent(clock_, &p, p.org_id, disabled ? "disable" : "enable", "user", user_id,
                    {{"username", m.username}, {"disabled", Change(!disabled, disabled)}}));
}

Status MemberService::SetEmail(const Principal& p, int64_t user_id, const std::string& email) {
  RETURN_IF_ERROR(Require(p, Permission::kManageUsers));
  ASSIGN_OR_RETURN(const std::string address, AuthService::CheckEmail(email));
  ASSIGN_OR_RETURN(auto m, MemberOf(p, user_id));
  if (m.email == address) return Status::Ok();
  if (user_id != p.user_id) RETURN_IF_ERROR(CheckAccountAuthority(p, user_id, m.username));
  return store_.SetEmail(
      user_id, address,
      SecurityEvent(clock_, &p, p.org_id, "update", "user", user_id,
                    {{"username", m.username}, {"email", Change(m.email, address)}}));
}

Status MemberService::RemoveFromOrganisation(const Principal& p, int64_t user_id) {
  RETURN_IF_ERROR(Require(p, Permission::kManageUsers));
  ASSIGN_OR_RETURN(auto m, MemberOf(p, user_id));
  if (user_id == p.user_id) {
    return FailedPrecondition("you cannot remove yourself; ask another administrator");
  }
  const std::string yesterday = FormatDate(clock_.Now() - std::chrono::hours(24));
  if (!m.expires_at.empty() && m.expires_at <= yesterday) return Status::Ok();  // gone already
  if (m.role == domain::RoleName(Role::kAdmin)) {
    RETURN_IF_ERROR(KeepAnAdministrator(p.org_id, user_id));
  }
  const auto role = domain::ParseRole(m.role);
  if (!role) return Internal("unknown role in the database: " + m.role);
  RETURN_IF_ERROR(store_.UpdateMembership(
      domain::Membership{user_id, p.org_id, *role, yesterday, {}},
      SecurityEvent(clock_, &p, p.org_id, "remove_member", "user", user_id,
                    {{"username", m.username},
                     {"expires_on", Change(m.expires_at.empty() ? domain::Json(nullptr)
                                                                : domain::Json(m.expires_at),
                                           yesterday)}})));
  return store_
      .EndSessions(user_id, "",
                   SecurityEvent(clock_, &p, p.org_id, "end_sessions", "user", user_id,
                                 {{"username", m.username}, {"reason", "removed"}}),
                   p.org_id)
      .status();
}

Result<OneTimePassword> MemberService::ResetPassword(const Principal& p, int64_t user_id) {
  RETURN_IF_ERROR(Require(p, Permission::kManageUsers));
  ASSIGN_OR_RETURN(auto m, MemberOf(p, user_id));
  if (user_id == p.user_id) {
    return FailedPrecondition("change your own password on your profile page");
  }
  RETURN_IF_ERROR(CheckAccountAuthority(p, user_id, m.username));
  const OneTimePassword otp{RandomOneTimePassword(),
                            FormatUtc(clock_.Now() + domain::kOneTimePasswordLifetime)};
  ASSIGN_OR_RETURN(std::string hash, HashPassword(otp.password));
  RETURN_IF_ERROR(store_.SetPassword(user_id, hash, true, otp.expires_at,
                                     SecurityEvent(clock_, &p, p.org_id, "reset_password", "user",
                                                   user_id, {{"username", m.username}})));
  RETURN_IF_ERROR(store_
                      .EndSessions(user_id, "",
                                   SecurityEvent(clock_, &p, p.org_id, "end_sessions", "user",
                                                 user_id, {{"reason", "password reset"}}))
                      .status());
  return otp;
}

Result<std::vector<domain::Session>> MemberService::Sessions(const Principal& p, int64_t user_id) {
  RETURN_IF_ERROR(Require(p, Permission::kManageUsers));
  RETURN_IF_ERROR(MemberOf(p, user_id).status());
  ASSIGN_OR_RETURN(auto all, store_.ListSessions(user_id));
  std::vector<domain::Session> here;  // sessions acting in this organisation only
  for (auto& s : all) {
    if (s.org_id == p.org_id) here.push_back(std::move(s));
  }
  return here;
}

Status MemberService::EndSession(const Principal& p, int64_t user_id, int64_t session_id) {
  RETURN_IF_ERROR(Require(p, Permission::kManageUsers));
  ASSIGN_OR_RETURN(auto m, MemberOf(p, user_id));
  ASSIGN_OR_RETURN(auto here, Sessions(p, user_id));
  if (std::none_of(here.begin(), here.end(), [&](const auto& s) { return s.id == session_id; })) {
    return NotFound("no such session in this organisation");
  }
  return store_.EndSession(user_id, session_id,
                           SecurityEvent(clock_, &p, p.org_id, "end_session", "session", session_id,
                                         {{"user", m.username}}));
}

Result<int> MemberService::EndSessions(const Principal& p, int64_t user_id) {
  RETURN_IF_ERROR(Require(p, Permission::kManageUsers));
  ASSIGN_OR_RETURN(auto m, MemberOf(p, user_id));
  return store_.EndSessions(user_id, "",
                            SecurityEvent(clock_, &p, p.org_id, "end_sessions", "user", user_id,
                                          {{"username", m.username}}),
                            p.org_id);
}

Status MemberService::ResetSecondFactor(const Principal& p, int64_t user_id) {
  RETURN_IF_ERROR(Require(p, Permission::kManageUsers));
  ASSIGN_OR_RETURN(auto m, MemberOf(p, user_id));
  if (!m.second_factor) return FailedPrecondition("this user has no second factor set up");
  RETURN_IF_ERROR(CheckAccountAuthority(p, user_id, m.username));
  return store_.DisableSecondFactor(
      user_id, SecurityEvent(clock_, &p, p.org_id, "reset_second_factor", "user", user_id,
                             {{"username", m.username}, {"second_factor", Change(true, false)}}));
}

Result<domain::Organisation> MemberService::Organisation(const Principal& p) {
  RETURN_IF_ERROR(Require(p, Permission::kReadRecords));
  return store_.GetOrganisation(p.org_id);
}

Status MemberService::SetSecondFactorRoles(const Principal& p, const std::vector<Role>& roles) {
  RETURN_IF_ERROR(Require(p, Permission::kManageSettings));
  ASSIGN_OR_RETURN(auto org, store_.GetOrganisation(p.org_id));
  std::vector<Role> sorted = roles;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  auto names = [](const std::vector<Role>& rs) {
    domain::Json out = domain::Json::array();
    for (auto r : rs) out.push_back(domain::RoleName(r));
    return out;
  };
  std::vector<Role> before = org.second_factor_roles;
  std::sort(before.begin(), before.end());
  if (before == sorted) return Status::Ok();
  return store_.SetSecondFactorRoles(
      p.org_id, sorted,
      SecurityEvent(clock_, &p, p.org_id, "update", "organisation", p.org_id,
                    {{"second_factor_roles", Change(names(before), names(sorted))}}));
}

// ---------------------------------------------------------------------------------------------
// The caller's own invitations

Result<std::vector<domain::Invitation>> MemberService::Invitations(const Principal& p) {
  return store_.Invitations(p.user_id);
}

Result<domain::Invitation> MemberService::AcceptInvitation(const Principal& p,
                                                           int64_t invitation_id) {
  // Read here for the end date and the event's diff; the store reads the invitation again in the
  // transaction that turns it into a membership (an answer given meanwhile makes this kNotFound).
  ASSIGN_OR_RETURN(auto mine, store_.Invitations(p.user_id));
  const auto it =
      std::find_if(mine.begin(), mine.end(), [&](const auto& i) { return i.id == invitation_id; });
  if (it == mine.end()) {
    return NotFound(fmt::format("you have no invitation with id {}", invitation_id));
  }
  if (!it->expires_at.empty() && it->expires_at < FormatDate(clock_.Now())) {
    return FailedPrecondition("the access this invitation offers ended on " + it->expires_at);
  }
  domain::Json diff = {{"role", Change(nullptr, domain::RoleName(it->role))},
                       {"invited_by", it->invited_by}};
  if (!it->expires_at.empty()) diff["expires_on"] = Change(nullptr, it->expires_at);
  return store_.AcceptInvitation(
      p.user_id, invitation_id,
      SecurityEvent(clock_, &p, it->org_id, "accept_invitation", "user", p.user_id, diff));
}

Result<domain::Invitation> MemberService::DeclineInvitation(const Principal& p,
                                                            int64_t invitation_id) {
  return store_.DeclineInvitation(
      p.user_id, invitation_id,
      SecurityEvent(clock_, &p, 0, "decline_invitation", "user", p.user_id));
}

// ---------------------------------------------------------------------------------------------
// The command line

Result<domain::Organisation> MemberService::AddOrganisation(const std::string& org_name) {
  ASSIGN_OR_RETURN(const std::string name, OrganisationName(org_name, "name"));
  return store_.CreateOrganisation(name, SecurityEvent(clock_, nullptr, 0, "create", "organisation",
                                                       0, {{"name", Change(nullptr, name)}}));
}

Result<std::vector<domain::Organisation>> MemberService::ListOrganisations() {
  return store_.ListOrganisations();
}

Result<AddedMember> MemberService::AddUser(const std::string& org_name, const NewMember& member) {
  ASSIGN_OR_RETURN(auto org, ResolveOrganisation(org_name));
  return AddTo(nullptr, org, member);
}

Result<std::vector<domain::UserSummary>> MemberService::ListUsers(const std::string& org_name) {
  ASSIGN_OR_RETURN(auto org, ResolveOrganisation(org_name));
  return store_.ListMembers(org.id);
}

Status MemberService::DisableUser(const std::string& username) {
  ASSIGN_OR_RETURN(domain::User u, store_.FindUser(username));
  if (u.disabled) return Status::Ok();
  ASSIGN_OR_RETURN(auto memberships, store_.Memberships(u.id));
  const int64_t org = memberships.empty() ? 0 : memberships.front().org_id;
  return store_.SetUserDisabled(
      u.id, true,
      SecurityEvent(clock_, nullptr, org, "disable", "user", u.id,
                    {{"username", username}, {"disabled", Change(false, true)}}));
}

Status MemberService::SetUserEmail(const std::string& username, const std::string& email) {
  ASSIGN_OR_RETURN(const std::string address, AuthService::CheckEmail(email));
  ASSIGN_OR_RETURN(domain::User u, store_.FindUser(username));
  if (u.email == address) return Status::Ok();
  ASSIGN_OR_RETURN(auto memberships, store_.Memberships(u.id));
  const int64_t org = memberships.empty() ? 0 : memberships.front().org_id;
  return store_.SetEmail(
      u.id, address,
      SecurityEvent(clock_, nullptr, org, "update", "user", u.id,
                    {{"username", username}, {"email", Change(u.email, address)}}));
}

Result<std::string> MemberService::CreateToken(const std::string& username,
                                               const std::string& org_name, const std::string& name,
                                               bool read_only, const std::string& expires_on) {
  ASSIGN_OR_RETURN(domain::User u, store_.FindUser(username));
  if (u.disabled) return FailedPrecondition(fmt::format("user \"{}\" is disabled", username));
  ASSIGN_OR_RETURN(auto memberships, store_.Memberships(u.id));
  const domain::Membership* m = nullptr;
  for (const auto& each : memberships) {
    if (org_name.empty() || each.org_name == org_name) {
      m = &each;
      break;
    }
  }
  if (m == nullptr) {
    return org_name.empty() ? FailedPrecondition("the user belongs to no organisation")
                            : InvalidArgument(fmt::format("user \"{}\" is not a member of \"{}\"",
                                                          username, org_name),
                                              "org");
  }
  if (!domain::MembershipActive(*m, FormatDate(clock_.Now()))) {
    return FailedPrecondition(
        fmt::format("the user's access to \"{}\" ended on {}", m->org_name, m->expires_at));
  }
  Principal owner{.user_id = u.id,
                  .username = u.username,
                  .display_name = u.display_name,
                  .org_id = m->org_id,
                  .org_name = m->org_name,
                  .role = m->role,
                  .credential = Credential::kSystem};
  ASSIGN_OR_RETURN(auto created,
                   auth_.CreateToken(owner, name.empty() ? "token" : name, read_only, expires_on));
  return created.second;
}

}  // namespace rampart::app

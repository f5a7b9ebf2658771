// People of an organisation, managed by its administrators (web and API, acting as a Principal)
// or from the command line (acting as the system): organisations, members and their roles,
// disabling, password resets, other people's sessions, the second-factor requirement.
//
// Every change appends an audit event. An organisation always keeps an active administrator:
// the last one cannot be demoted, disabled or given an end date. A membership belongs to its
// organisation's administrators; the account (password, second factor, disabled) to the
// administrators of its home, the organisation that created it. An administrator never learns
// anything about an account outside their organisation nor gains a hold over it: adding a user
// name that is taken makes an invitation, which the account's holder accepts or declines when
// signed in, and the administrator's answer says only "invited" (see docs/architecture.md,
// "Organisations and invitations"). Sessions are seen and ended per organisation. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "app/auth_service.h"
#include "app/principal.h"
#include "base/clock.h"
#include "store/store.h"

namespace rampart::app {

struct NewMember {
  std::string username;
  std::string display_name;  // the user name when empty
  domain::Role role = domain::Role::kViewer;
  std::string expires_on;  // YYYY-MM-DD, the last day of access; required for external auditors
  std::string password;    // empty: a one-time password is made, to be changed at first sign-in
  std::string email;       // optional: where reminder digests go
};

// A one-time password an administrator hands over, and when it stops working.
struct OneTimePassword {
  std::string password;
  std::string expires_at;  // UTC ISO 8601
};

struct AddedMember {
  // The new account, or the existing one the command line added; empty (id 0) when invited.
  domain::User user;
  bool existing_user = false;     // the command line added a membership to an existing account
  bool invited = false;           // an administrator's add of a taken name: an invitation
  std::string one_time_password;  // new accounts without a chosen password; shown once
  std::string one_time_password_expires_at;  // UTC ISO 8601, with one_time_password
};

class MemberService {
 public:
  MemberService(store::Store& store, const Clock& clock, AuthService& auth)
      : store_(store), clock_(clock), auth_(auth) {}

  // --- Administrators (users:manage, settings:manage), in their current organisation ---
  Result<std::vector<domain::UserSummary>> List(const Principal& p);
  Result<domain::UserSummary> Get(const Principal& p, int64_t user_id);
  // A new account when the user name is free anywhere in the installation (with a one-time
  // password unless `member.password` is given). When the name is taken by an account that is
  // not a member here, an invitation (replacing an earlier one to the same person), whatever that
  // account is: AddedMember{.invited = true} and nothing else about it; a password is then not
  // used. kAlreadyExists when the account is a member of this organisation already.
  Result<AddedMember> Add(const Principal& p, const NewMember& member);
  Status SetRole(const Principal& p, int64_t user_id, domain::Role role,
                 const std::string& expires_on);
  Status SetDisabled(const Principal& p, int64_t user_id, bool disabled);
  // A member's e-mail address (empty clears it): an account's, so only its home's administrators
  // set it (reminders of every organisation the person belongs to go there).
  // kInvalidArgument naming "email" for an address Rampart would not send to.
  Status SetEmail(const Principal& p, int64_t user_id, const std::string& email);
  // Removes the person from the caller's organisation now: the membership ends yesterday (kept,
  // so their records and history still name them), their sessions there end, and their tokens
  // for it stop working. Their account and other memberships are untouched. Setting a new role
  // and end date (SetRole) brings them back.
  Status RemoveFromOrganisation(const Principal& p, int64_t user_id);
  // A new one-time password (shown once); the user's sessions end.
  Result<OneTimePassword> ResetPassword(const Principal& p, int64_t user_id);
  Result<std::vector<domain::Session>> Sessions(const Principal& p, int64_t user_id);
  Status EndSession(const Principal& p, int64_t user_id, int64_t session_id);
  Result<int> EndSessions(const Principal& p, int64_t user_id);
  // For a lost phone: the user sets the second factor up again at next sign-in.
  Status ResetSecondFactor(const Principal& p, int64_t user_id);
  Result<domain::Organisation> Organisation(const Principal& p);
  Status SetSecondFactorRoles(const Principal& p, const std::vector<domain::Role>& roles);

  // --- The caller's own invitations (any signed-in user) ---
  Result<std::vector<domain::Invitation>> Invitations(const Principal& p);
  // Accepting makes the membership offered (role and end date as invited); both end the
  // invitation. kNotFound when the caller has no such invitation.
  Result<domain::Invitation> AcceptInvitation(const Principal& p, int64_t invitation_id);
  Result<domain::Invitation> DeclineInvitation(const Principal& p, int64_t invitation_id);

  // --- The command line (the system) ---
  Result<domain::Organisation> AddOrganisation(const std::string& name);
  // Every organisation of the installation, oldest first.
  Result<std::vector<domain::Organisation>> ListOrganisations();
  // Adds the user to organisation `org_name` (the only one when empty); creates the account
  // when it does not exist. The installation's operator adds an existing account directly (no
  // invitation).
  Result<AddedMember> AddUser(const std::string& org_name, const NewMember& member);
  Result<std::vector<domain::UserSummary>> ListUsers(const std::string& org_name);
  Status DisableUser(const std::string& username);
  Status SetUserEmail(const std::string& username, const std::string& email);
  // A token for the user's membership of `org_name` (the first membership when empty).
  Result<std::string> CreateToken(const std::string& username, const std::string& org_name,
                                  const std::string& name, bool read_only,
                                  const std::string& expires_on);

  static Status CheckUsername(const std::string& username);

 private:
  Result<domain::Organisation> ResolveOrganisation(const std::string& org_name);
  Result<AddedMember> AddTo(const Principal* actor, const domain::Organisation& org,
                            const NewMember& member);
  // The member `user_id` of the caller's organisation (kNotFound for anyone else).
  Result<domain::UserSummary> MemberOf(const Principal& p, int64_t user_id);
  // kFailedPrecondition when the change would leave the organisation without an active admin.
  Status KeepAnAdministrator(int64_t org_id, int64_t user_id);
  // A change to the account itself (password, second factor, disabling) reaches every
  // organisation the person belongs to: only an administrator of the account's home may make it
  // (of every organisation it belongs to, for an account without a known home).
  Status CheckAccountAuthority(const Principal& p, int64_t user_id, const std::string& username);
  Status CheckExpiry(domain::Role role, const std::string& expires_on) const;

  store::Store& store_;
  const Clock& clock_;
  AuthService& auth_;
};

}  // namespace rampart::app

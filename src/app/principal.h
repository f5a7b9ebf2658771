// Who is making a request: a signed-in user acting within one organisation, with the role of
// that membership.
#pragma once

#include <cstdint>
#include <string>

#include "domain/access.h"

namespace rampart::app {

enum class Credential { kSession, kToken, kSystem };

struct Principal {
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
  int64_t org_id = 0;
  std::string org_name;
  domain::Role role = domain::Role::kViewer;
  bool must_change_password = false;
  // The organisation requires a second factor of this role and the user has none yet: only
  // enrolment (and signing out) is open.
  bool needs_second_factor = false;
  bool second_factor = false;  // enrolled
  // A session at the second step of signing in: only the second-factor code may be given.
  bool awaiting_second_factor = false;
  bool read_only = false;  // a read-only API token
  Credential credential = Credential::kSession;
  std::string csrf_token;  // sessions only
  int64_t session_id = 0;  // sessions only
  // Sessions only: when the holder last proved their password (and second factor); empty when
  // never. AuthService::RequireRecentAuthentication compares it with the clock.
  std::string reauthenticated_at;
  int64_t token_id = 0;  // tokens only
  // The client's address (set by the router after authentication; recorded in audit events).
  std::string address;

  // The permission table (domain::Can) narrowed by a read-only token.
  bool Can(domain::Permission p) const {
    return domain::Can(role, p) && (!read_only || domain::InfoOf(p).read_only);
  }
  // Still setting up the account: a one-time password to change or a second factor to enrol.
  bool InAccountSetup() const { return must_change_password || needs_second_factor; }
};

}  // namespace rampart::app

// Who is making a request: a signed-in user acting within one organisation.
#pragma once

#include <cstdint>
#include <string>

#include "domain/identity.h"

namespace rampart::app {

enum class Credential { kSession, kToken, kSystem };

struct Principal {
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
  int64_t org_id = 0;
  std::string org_name;
  domain::Role role = domain::Role::kAdmin;
  bool must_change_password = false;
  Credential credential = Credential::kSession;
  std::string csrf_token;  // sessions only
};

}  // namespace rampart::app

#include "domain/identity.h"

namespace rampart::domain {

bool MembershipActive(const Membership& m, std::string_view today) {
  return m.expires_at.empty() || today <= std::string_view(m.expires_at);
}

bool IsValidUsername(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

}  // namespace rampart::domain

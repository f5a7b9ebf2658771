// Refusal of common passwords (NIST SP 800-63B 5.1.1.2: check new passwords against a list of
// commonly used ones). The list, data/common-passwords.txt, is compiled into the binary, so it
// works air-gapped; it is read into a hash set on first use (thread-safe), immutable after.
#pragma once

#include <cstddef>
#include <string_view>

namespace rampart {

// True when `password`, ignoring ASCII case, is on the list ("Password" and "PASSWORD" are).
// Only the exact password counts: "password" is common, "password and more" is not.
bool IsCommonPassword(std::string_view password);

// True when `password` contains `name`, ignoring ASCII case and white space ("Acme Ltd" is in
// "myACMELTD!"). Names of fewer than 3 characters (so compared) never count.
bool PasswordContainsName(std::string_view password, std::string_view name);

// How many passwords the list holds.
size_t CommonPasswordCount();

}  // namespace rampart

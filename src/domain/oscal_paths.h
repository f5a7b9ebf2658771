// The places in an OSCAL document that errors name ("imports[0].include-controls"), shared by
// the reader (oscal.cc) and the writers (oscal_export.cc). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rampart::domain {

// "<base>.<key>[<i>]", or "<key>[<i>]" when base is empty.
inline std::string OscalIndexed(std::string_view base, std::string_view key, size_t i) {
  std::string out(base);
  if (!out.empty()) out += '.';
  out.append(key);
  out += '[';
  out += std::to_string(i);
  out += ']';
  return out;
}

}  // namespace rampart::domain

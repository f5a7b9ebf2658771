#include "base/passwords.h"

#include <string>
#include <unordered_set>

#include "base/embedded.h"
#include "base/text.h"

namespace rampart {

extern const EmbeddedFile kCommonPasswordFiles[];

namespace {

// The list's lines, as views into the embedded file (no copies): '#' lines are its header.
const std::unordered_set<std::string_view>& CommonPasswords() {
  static const std::unordered_set<std::string_view> kSet = [] {
    std::unordered_set<std::string_view> set;
    const EmbeddedFile* file = FindEmbedded(kCommonPasswordFiles, "common-passwords.txt");
    if (file == nullptr) return set;
    set.reserve(32768);
    std::string_view data = file->data;
    while (!data.empty()) {
      const size_t end = data.find('\n');
      const std::string_view line = Trim(data.substr(0, end));
      data.remove_prefix(end == std::string_view::npos ? data.size() : end + 1);
      if (!line.empty() && line.front() != '#') set.insert(line);
    }
    return set;
  }();
  return kSet;
}

}  // namespace

bool IsCommonPassword(std::string_view password) {
  // The list is lower case, so the password is compared lower-cased.
  return CommonPasswords().contains(ToLower(password));
}

namespace {

std::string Folded(std::string_view s) {
  std::string out;
  for (const char c : ToLower(s)) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out += c;
  }
  return out;
}

}  // namespace

bool PasswordContainsName(std::string_view password, std::string_view name) {
  const std::string n = Folded(name);
  return n.size() >= 3 && Folded(password).find(n) != std::string::npos;
}

size_t CommonPasswordCount() { return CommonPasswords().size(); }

}  // namespace rampart

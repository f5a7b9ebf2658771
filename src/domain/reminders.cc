#include "domain/reminders.h"

#include "domain/digest_sections.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <map>

#include "base/text.h"

namespace rampart::domain {

namespace {

struct SectionWords {
  DigestSection section;
  const char* name;
  const char* heading;
  const char* one;   // "1 task"
  const char* many;  // "3 tasks"
  const char* due;   // what the date is: "due", "review due", ...
};

constexpr std::array<SectionWords, 5> kSections = {{
    {DigestSection::kTask, "task", "Tasks due soon or overdue", "task", "tasks", "due"},
    {DigestSection::kReview, "review", "Reviews due", "review due", "reviews due", "review due"},
    {DigestSection::kAcknowledgement, "acknowledgement", "Documents to acknowledge",
     "document to acknowledge", "documents to acknowledge", "asked on"},
    {DigestSection::kAwareness, "awareness", "Awareness to complete", "awareness topic to complete",
     "awareness topics to complete", "due"},
    {DigestSection::kMeasurement, "measurement", "Measurements due", "measurement due",
     "measurements due", "due"},
}};

const SectionWords& WordsOf(DigestSection s) {
  for (const auto& w : kSections) {
    if (w.section == s) return w;
  }
  return kSections[0];
}

// A task, review or measurement due before the digest's day is overdue; an acknowledgement's
// date is when it was asked for, never "overdue".
bool Overdue(const DigestItem& item, std::string_view day) {
  return item.section != DigestSection::kAcknowledgement && !item.due.empty() && item.due < day;
}

std::string Count(int n, const SectionWords& w) {
  return fmt::format("{} {}", Grouped(n), n == 1 ? w.one : w.many);
}

// One line of text with no line breaks (a title typed with one would start a line of its own
// in the e-mail).
std::string OneLine(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
  return out;
}

std::string Absolute(std::string_view public_url, std::string_view href) {
  std::string base(public_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + std::string(href);
}

}  // namespace

const char* DigestSectionName(DigestSection s) { return WordsOf(s).name; }

std::span<const DigestSectionWords> DigestSectionsInOrder() {
  static const auto kWords = [] {
    std::array<DigestSectionWords, kSections.size()> out{};
    for (size_t i = 0; i < kSections.size(); ++i) {
      out[i] = {kSections[i].name, kSections[i].heading, kSections[i].due};
    }
    return out;
  }();
  return kWords;
}

const char* EmailStatusName(EmailStatus s) {
  switch (s) {
    case EmailStatus::kNone:
      return "none";
    case EmailStatus::kPending:
      return "pending";
    case EmailStatus::kSending:
      return "sending";
    case EmailStatus::kSent:
      return "sent";
    case EmailStatus::kFailed:
      return "failed";
  }
  return "none";
}

ComposedDigest ComposeDigest(const Digest& digest, std::string_view public_url) {
  ComposedDigest out;
  const int total = static_cast<int>(digest.items.size());
  out.title = fmt::format("{} reminder{} for {}", total, total == 1 ? "" : "s", digest.day);
  out.subject = fmt::format("[Rampart] {}: {}", OneLine(digest.org_name), out.title);

  std::string summary;
  std::string text = fmt::format("Hello {},\n\nthis is what waits for you in {} on {}.\n",
                                 OneLine(digest.person), OneLine(digest.org_name), digest.day);
  for (const auto& words : kSections) {
    int n = 0;
    int overdue = 0;
    for (const auto& item : digest.items) {
      if (item.section != words.section) continue;
      ++n;
      if (Overdue(item, digest.day)) ++overdue;
    }
    if (n == 0) continue;
    std::string part = Count(n, words);
    if (overdue > 0) part += fmt::format(" ({} overdue)", overdue);
    summary += (summary.empty() ? "" : ", ") + part;

    text += fmt::format("\n{} ({})\n", words.heading, n);
    int shown = 0;
    for (const auto& item : digest.items) {
      if (item.section != words.section) continue;
      if (shown++ == kDigestLinesPerSection) {
        text += fmt::format("  ... and {} more\n", n - kDigestLinesPerSection);
        break;
      }
      std::string line = "  - ";
      if (!item.what.empty()) line += OneLine(item.what) + ": ";
      line += OneLine(item.label);
      if (!item.due.empty()) {
        line += Overdue(item, digest.day) ? fmt::format(" (overdue: {} {})", words.due, item.due)
                                          : fmt::format(" ({} {})", words.due, item.due);
      }
      text += line + "\n";
      if (!item.href.empty()) text += "    " + Absolute(public_url, item.href) + "\n";
    }
  }
  out.summary = summary;
  text += fmt::format("\nYour notifications: {}\n", Absolute(public_url, "/notifications"));
  text +=
      "\nYou receive this once a day while something waits for you. Rampart sends it to the "
      "e-mail\naddress of your account (Account > Profile).\n";
  out.text = std::move(text);

  std::map<DigestSection, int> kept;
  for (const auto& item : digest.items) {
    if (kept[item.section]++ >= kDigestItemsPerSection) continue;
    out.items.push_back({{"section", DigestSectionName(item.section)},
                         {"label", item.label},
                         {"due", item.due},
                         {"what", item.what},
                         {"href", item.href},
                         {"overdue", Overdue(item, digest.day)}});
  }
  // After each section cut short, how many it left out (sections in their order).
  nlohmann::json items = nlohmann::json::array();
  for (const auto& words : kSections) {
    for (auto& item : out.items) {
      if (item["section"] == DigestSectionName(words.section)) items.push_back(std::move(item));
    }
    const int n = kept[words.section];
    if (n > kDigestItemsPerSection) {
      const int more = n - kDigestItemsPerSection;
      items.push_back({{"section", DigestSectionName(words.section)},
                       {"label", fmt::format("{} more", Grouped(more))},
                       {"due", ""},
                       {"what", ""},
                       {"href", "/my"},
                       {"overdue", false},
                       {"more", more}});
    }
  }
  out.items = std::move(items);
  return out;
}

bool IsValidEmailAddress(std::string_view address) {
  if (address.size() < 3 || address.size() > 254) return false;
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  const std::string_view local = address.substr(0, at);
  const std::string_view host = address.substr(at + 1);
  if (local.size() > 64) return false;
  for (unsigned char c : local) {
    if (c <= ' ' || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '(' || c == ')' ||
        c == ',' || c == ';' || c == ':' || c == '\\' || c == '[' || c == ']' || c == '@') {
      return false;
    }
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return false;
  }
  // Host: labels of letters, digits and hyphens, not starting or ending with a hyphen.
  size_t start = 0;
  int labels = 0;
  while (start <= host.size()) {
    size_t end = host.find('.', start);
    if (end == std::string_view::npos) end = host.size();
    const std::string_view label = host.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (unsigned char c : label) {
      if (!std::isalnum(c) && c != '-') return false;
    }
    ++labels;
    start = end + 1;
    if (end == host.size()) break;
  }
  return labels >= 1;
}

}  // namespace rampart::domain

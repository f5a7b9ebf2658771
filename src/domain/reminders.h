// Reminders (issue 14): what a person's daily digest lists — tasks due soon or overdue, reviews
// due, acknowledgements waiting, measurements due — and how it reads, in the app (a
// notification) and by e-mail; and e-mail addresses. Pure: no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace rampart::domain {

// A task is in the digest from this many days before it is due (and every day once overdue).
inline constexpr int kReminderHorizonDays = 7;
// At most this many lines of each section are written out; the rest are counted.
inline constexpr int kDigestLinesPerSection = 20;
// The notification keeps at most this many items of each section; one more item then says how
// many the section left out (`more`), pointing at My work, which lists them all. A person who
// owns thousands of risks past review gets a notification of a few kilobytes, not megabytes.
inline constexpr int kDigestItemsPerSection = 50;
// An e-mail that failed is tried again on later passes, this many times in all.
inline constexpr int kMaxEmailAttempts = 5;

// The sections of a digest, in the order they are written.
enum class DigestSection { kTask, kReview, kAcknowledgement, kAwareness, kMeasurement };
const char* DigestSectionName(DigestSection s);  // "task", "review", ...

// One line of a digest: what is waiting, when, and where it is in the app.
struct DigestItem {
  DigestSection section = DigestSection::kTask;
  std::string label;  // the record's title ("Rotate the backup keys")
  std::string due;    // YYYY-MM-DD: due date, review date, next measurement; empty for none
  std::string what;   // the register or kind ("Risk", "Policy"); empty for tasks
  std::string href;   // the app's path ("/tasks/12"), relative to the public URL
};

// One person's digest for one day in one organisation.
struct Digest {
  std::string day;  // YYYY-MM-DD
  std::string org_name;
  std::string person;  // display name, or user name
  std::vector<DigestItem> items;
  bool Empty() const { return items.empty(); }
};

// A digest as the notification and the e-mail say it.
struct ComposedDigest {
  std::string title;    // "3 reminders for 2024-05-02" (the notification's title)
  std::string summary;  // "2 tasks (1 overdue), 1 review due"
  std::string subject;  // the e-mail's subject: "[Rampart] Acme Ltd: 3 reminders for 2024-05-02"
  std::string text;     // the e-mail's body, plain text; links absolute when `public_url` is set
  // [{section, label, due, what, href, overdue}], at most kDigestItemsPerSection of a section,
  // then {section, label: "4,950 more", href: "/my", more: 4950} when it holds more.
  nlohmann::json items = nlohmann::json::array();
};

// How the digest reads. `public_url` is the app's address (https://isms.example.org, no trailing
// slash needed); without it the e-mail names paths alone.
ComposedDigest ComposeDigest(const Digest& digest, std::string_view public_url);

// An e-mail address Rampart sends to: local@domain, 3 to 254 characters, no spaces, control
// characters, quotes, angle brackets, commas or semicolons (so it is one recipient and cannot
// add a header), a domain of dot-separated labels of letters, digits and hyphens.
bool IsValidEmailAddress(std::string_view address);

// The e-mail state of a digest (reminder_digests.email_status).
enum class EmailStatus { kNone, kPending, kSending, kSent, kFailed };
const char* EmailStatusName(EmailStatus s);

// An in-app notification: one person's, in one organisation.
struct Notification {
  int64_t id = 0;
  int64_t org_id = 0;
  int64_t user_id = 0;
  std::string kind;  // "digest"
  std::string title;
  std::string summary;
  nlohmann::json items = nlohmann::json::array();  // ComposedDigest::items
  std::string created_at;                          // UTC ISO 8601
  std::string read_at;                             // empty while unread
};

// A page of a person's notifications, newest first.
struct NotificationPage {
  std::vector<Notification> notifications;
  int64_t next_before = 0;  // the id to ask `before` for the next page; 0 on the last page
};

// A digest whose e-mail a pass has claimed to send.
struct DigestEmail {
  int64_t digest_id = 0;
  int64_t org_id = 0;
  int64_t user_id = 0;
  std::string day;
  std::string to;
  std::string subject;
  std::string body;
  int attempts = 0;  // including this one
};

}  // namespace rampart::domain

// Reminders and notifications (issue 14).
//
// ReminderService: once a day, every active member of every organisation gets a digest of what
// waits for them there — their open tasks due within domain::kReminderHorizonDays or overdue,
// the records they own whose review is due, the documents they are asked to acknowledge, and the
// measurements due of the metrics they measure — as an in-app notification and, when SMTP is
// configured and they gave an address, by e-mail. An empty digest sends nothing.
//
// Exactly once: a digest's key (organisation, person, day) is claimed in the write that inserts
// its notification, before its e-mail goes anywhere; a second pass, or a second instance on the
// same database, finds the key taken and does nothing. E-mails are claimed (marked sending, for a
// while) in a write before they are sent, so two passes never send the same one; a failure is
// recorded and tried again on later passes, up to domain::kMaxEmailAttempts. Passes also take a
// lease (Store::TakeLease), so that of several instances one does the work at a time.
//
// What a pass reads does not grow with the number of people: each organisation's open tasks,
// reviews, acknowledgements and metrics are read once (in review or due order, pages of 500,
// until past the day) and shared out among its members in memory.
//
// NotificationService: a person's own notifications in their current organisation — listed,
// counted unread (one indexed COUNT: every page's navigation shows it), marked read.
//
// Errors: store failures as they come; kNotFound for a notification that is not the caller's.
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "app/principal.h"
#include "base/clock.h"
#include "domain/identity.h"
#include "domain/reminders.h"
#include "store/store.h"

namespace rampart::app {

// An e-mail to send.
struct OutgoingMail {
  std::string to;
  std::string subject;
  std::string text;  // plain text, lines separated by "\n"
};

// Sends e-mail: the SMTP adapter for `serve` and `remind` (base/smtp.h, wrapped by the command
// line), a fake in tests. Implementations are thread-safe.
class MailSender {
 public:
  virtual ~MailSender() = default;
  // kUnavailable (or another error) with a message safe to log when it was not sent.
  virtual Status Send(const OutgoingMail& mail) = 0;
};

struct ReminderOptions {
  // The app's address for links in e-mails (https://isms.example.org); paths alone when empty.
  std::string public_url;
  // Sends the e-mails; nullptr: no e-mail at all (in-app notifications only).
  MailSender* mail = nullptr;
  // This instance's name in the lease (unique per process).
  std::string holder = "rampart";
  // How long a pass may hold the lease without renewing it (it renews it per organisation).
  std::chrono::seconds lease{600};
  // How long a claimed e-mail is left to its pass before another may send it.
  std::chrono::seconds email_claim{300};
  // Set when the process is stopping: the pass ends after the organisation or e-mail at hand
  // (e-mails it claimed and did not send go back to pending). May be nullptr.
  const std::atomic<bool>* stopping = nullptr;
};

// What one pass did.
struct ReminderPass {
  bool ran = false;  // false: another instance holds the lease
  std::string day;
  int organisations = 0;
  int digests = 0;  // recorded by this pass
  int emails_sent = 0;
  int emails_failed = 0;
  std::vector<std::string> errors;  // why e-mails failed (no credentials in them)
};

class ReminderService {
 public:
  ReminderService(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  static constexpr const char* kLease = "reminders";

  // One pass: with `build`, the digests of `day` (YYYY-MM-DD; today, UTC, when empty) for every
  // organisation's active members who have none yet, then the e-mails waiting (of `day` and the
  // day before: an older digest is no longer news). kInvalidArgument naming "date" for a day
  // that is not a date.
  enum class Build { kDigestsAndEmails, kEmailsOnly };
  Result<ReminderPass> RunPass(const ReminderOptions& options, std::string day = "",
                               Build build = Build::kDigestsAndEmails);

  // The digests of `day` of `members` (their active memberships of `org`), by user id; people
  // with nothing waiting are left out. Statements: a few per register with reviews, not per
  // person.
  Result<std::map<int64_t, domain::Digest>> Digests(const domain::Organisation& org,
                                                    const std::vector<domain::UserSummary>& members,
                                                    const std::string& day);

 private:
  Status SendWaiting(const ReminderOptions& options, const std::string& day, ReminderPass& pass);

  store::Store& store_;
  const Clock& clock_;
};

class NotificationService {
 public:
  NotificationService(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  static constexpr int kDefaultLimit = 20;
  static constexpr int kMaxLimit = 100;

  // The caller's notifications in their organisation, newest first, with ids below `before`
  // (0: from the newest); `limit` is clamped to 1..kMaxLimit.
  Result<domain::NotificationPage> List(const Principal& p, int64_t before, int limit);
  // How many of them are unread: one statement.
  Result<int64_t> Unread(const Principal& p);
  // kNotFound unless notification `id` is the caller's in their organisation.
  Status MarkRead(const Principal& p, int64_t id);
  Result<int> MarkAllRead(const Principal& p);

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace rampart::app

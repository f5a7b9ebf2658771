#include "app/reminder_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

#include "domain/access.h"
#include "domain/documents.h"
#include "domain/monitoring.h"
#include "domain/registers.h"
#include "domain/support.h"
#include "domain/tasks.h"

namespace rampart::app {

namespace {

using domain::DigestItem;
using domain::DigestSection;
using domain::Json;
using domain::Record;

constexpr int kPage = 500;  // records a statement reads while gathering digests
constexpr int kEmailBatch = 50;

bool Stopping(const ReminderOptions& o) {
  return o.stopping != nullptr && o.stopping->load(std::memory_order_relaxed);
}

std::string Text(const Json& fields, const std::string& name) {
  const Json v = fields.value(name, Json());
  return v.is_string() ? v.get<std::string>() : std::string();
}

int64_t Person(const Json& fields, const std::string& name) {
  const Json v = fields.value(name, Json());
  return v.is_number_integer() ? v.get<int64_t>() : 0;
}

std::string TitleOf(const domain::RegisterSpec& spec, const Record& r) {
  std::string title = Text(r.fields, spec.title_field);
  return title.empty() ? fmt::format("{} #{}", spec.singular, r.id) : title;
}

// Reads the records of `query` page after page (by its cursor), giving each to `each` until it
// returns false or the pages end.
Status ReadPages(store::Store& store, const domain::RegisterSpec& spec, int64_t org_id,
                 domain::ListQuery query, const std::function<bool(Record&)>& each) {
  query.limit = kPage;
  while (true) {
    ASSIGN_OR_RETURN(auto page, store.List(spec, org_id, query));
    for (auto& r : page.records) {
      if (!each(r)) return Status::Ok();
    }
    if (page.next_cursor.empty()) return Status::Ok();
    query.cursor = page.next_cursor;
  }
}

bool Closed(const domain::RegisterSpec& spec, const Record& r) {
  if (!spec.lifecycle) return false;
  const std::string state = Text(r.fields, spec.lifecycle->field);
  const auto& closed = spec.lifecycle->closed;
  return std::find(closed.begin(), closed.end(), state) != closed.end();
}

}  // namespace

Result<std::map<int64_t, domain::Digest>> ReminderService::Digests(
    const domain::Organisation& org, const std::vector<domain::UserSummary>& members,
    const std::string& day) {
  // Who gets what: every active member their acknowledgements; those who read records (staff do
  // not: they see only what is theirs) also tasks, reviews and measurements, as on My work.
  std::map<int64_t, domain::Digest> digests;
  std::set<int64_t> readers;
  for (const auto& m : members) {
    if (m.disabled || (!m.expires_at.empty() && m.expires_at < day)) continue;
    const auto role = domain::ParseRole(m.role);
    if (!role) continue;
    digests[m.id] = domain::Digest{.day = day,
                                   .org_name = org.name,
                                   .person = m.display_name.empty() ? m.username : m.display_name};
    if (domain::Can(*role, domain::Permission::kReadRecords)) readers.insert(m.id);
  }
  if (digests.empty()) return std::map<int64_t, domain::Digest>{};
  auto add = [&](int64_t person, bool needs_reader, DigestItem item) {
    auto it = digests.find(person);
    if (it == digests.end() || (needs_reader && !readers.contains(person))) return;
    it->second.items.push_back(std::move(item));
  };

  if (!readers.empty()) {
    // Tasks open or in progress, by due date, until the horizon; no due date, no reminder.
    const std::string horizon = domain::AddDays(day, domain::kReminderHorizonDays);
    const auto& tasks = domain::Tasks();
    RETURN_IF_ERROR(
        ReadPages(store_, tasks, org.id,
                  {.filters = {{"status", Json::array({std::string(domain::kTaskOpen),
                                                       std::string(domain::kTaskInProgress)})}},
                   .sort = "due_date"},
                  [&](Record& r) {
                    const std::string due = Text(r.fields, "due_date");
                    if (due.empty()) return true;
                    if (due > horizon) return false;
                    add(Person(r.fields, "owner"), true,
                        {.section = DigestSection::kTask,
                         .label = TitleOf(tasks, r),
                         .due = due,
                         .href = fmt::format("/{}/{}", tasks.path, r.id)});
                    return true;
                  }));
    // Records whose review is due, of every register with an owner and a next review, in
    // review order until the first after the day.
    for (const auto* spec : domain::AllRegisters()) {
      if (spec->Field("owner") == nullptr || spec->Field("next_review") == nullptr) continue;
      RETURN_IF_ERROR(ReadPages(store_, *spec, org.id, {.sort = "next_review"}, [&](Record& r) {
        const std::string next = Text(r.fields, "next_review");
        if (next.empty()) return true;
        if (next > day) return false;
        if (Closed(*spec, r)) return true;
        add(Person(r.fields, "owner"), true,
            {.section = DigestSection::kReview,
             .label = TitleOf(*spec, r),
             .due = next,
             .what = spec->singular,
             .href = fmt::format("/{}/{}", spec->path, r.id)});
        return true;
      }));
    }
    // Measurements due of active metrics: their latest measurements in one statement a page.
    const auto& metrics = domain::Metrics();
    std::vector<Record> active;
    RETURN_IF_ERROR(
        ReadPages(store_, metrics, org.id, {.filters = {{"status", "active"}}}, [&](Record& r) {
          if (readers.contains(Person(r.fields, "measured_by"))) {
            active.push_back(std::move(r));
          }
          return true;
        }));
    for (size_t start = 0; start < active.size(); start += kPage) {
      const size_t end = std::min(active.size(), start + kPage);
      std::vector<int64_t> ids;
      for (size_t i = start; i < end; ++i) ids.push_back(active[i].id);
      ASSIGN_OR_RETURN(auto latest, store_.LatestPerGroup(domain::Measurements(), org.id, "metric",
                                                          ids, "measured_on"));
      std::map<int64_t, const Json*> by_metric;
      for (const auto& m : latest) by_metric[Person(m.fields, "metric")] = &m.fields;
      for (size_t i = start; i < end; ++i) {
        const Record& m = active[i];
        const auto it = by_metric.find(m.id);
        const auto status = domain::ComputeMetricStatus(
            m.fields, it == by_metric.end() ? nullptr : it->second, m.created_at, day);
        if (!status.due) continue;
        add(Person(m.fields, "measured_by"), true,
            {.section = DigestSection::kMeasurement,
             .label = TitleOf(metrics, m),
             .due = status.next_due,
             .href = fmt::format("/{}/{}", metrics.path, m.id)});
      }
    }
  }
  // Documents to acknowledge, oldest request first.
  const auto& acks = domain::DocumentAcknowledgements();
  RETURN_IF_ERROR(
      ReadPages(store_, acks, org.id, {.filters = {{"status", "pending"}}, .sort = "requested_at"},
                [&](Record& r) {
                  add(Person(r.fields, "person"), false,
                      {.section = DigestSection::kAcknowledgement,
                       .label = TitleOf(acks, r),
                       .due = Text(r.fields, "requested_at").substr(0, 10),
                       .href = fmt::format("/my/documents/{}", Person(r.fields, "document"))});
                  return true;
                }));
  // Awareness topics to complete (clause 7.3), by due date; completed from My work.
  const auto& awareness = domain::AwarenessCompletions();
  RETURN_IF_ERROR(ReadPages(store_, awareness, org.id,
                            {.filters = {{"status", "pending"}}, .sort = "due_date"},
                            [&](Record& r) {
                              add(Person(r.fields, "person"), false,
                                  {.section = DigestSection::kAwareness,
                                   .label = TitleOf(awareness, r),
                                   .due = Text(r.fields, "due_date"),
                                   .href = "/my#to-complete"});
                              return true;
                            }));

  std::map<int64_t, domain::Digest> out;
  for (auto& [user, digest] : digests) {
    if (digest.Empty()) continue;
    // Sections in order, each by date (overdue first).
    std::stable_sort(digest.items.begin(), digest.items.end(),
                     [](const DigestItem& a, const DigestItem& b) {
                       if (a.section != b.section) return a.section < b.section;
                       return a.due < b.due;
                     });
    out.emplace(user, std::move(digest));
  }
  return out;
}

Result<ReminderPass> ReminderService::RunPass(const ReminderOptions& options, std::string day,
                                              Build build) {
  const TimePoint now = clock_.Now();
  if (day.empty()) day = FormatDate(now);
  if (!IsValidDate(day)) return InvalidArgument("the date must be YYYY-MM-DD", "date");
  ReminderPass pass{.day = day};
  auto lease = [&]() {
    const TimePoint at = clock_.Now();
    return store_.TakeLease(kLease, options.holder, FormatUtc(at), FormatUtc(at + options.lease));
  };
  ASSIGN_OR_RETURN(pass.ran, lease());
  if (!pass.ran) return pass;
  Status st = [&]() -> Status {
    if (build == Build::kDigestsAndEmails) {
      ASSIGN_OR_RETURN(auto orgs, store_.ListOrganisations());
      for (const auto& org : orgs) {
        if (Stopping(options)) return Status::Ok();
        ASSIGN_OR_RETURN(bool held, lease());  // renewed for each organisation
        if (!held) return Unavailable("the reminder lease was taken over by another instance");
        ASSIGN_OR_RETURN(auto members, store_.ListMembers(org.id));
        ASSIGN_OR_RETURN(auto done, store_.DigestsOn(org.id, day));
        const std::set<int64_t> had(done.begin(), done.end());
        std::erase_if(members, [&](const domain::UserSummary& m) { return had.contains(m.id); });
        ++pass.organisations;
        if (members.empty()) continue;
        ASSIGN_OR_RETURN(auto digests, Digests(org, members, day));
        std::map<int64_t, const domain::UserSummary*> by_id;
        for (const auto& m : members) by_id[m.id] = &m;
        for (const auto& [user, digest] : digests) {
          const auto composed = domain::ComposeDigest(digest, options.public_url);
          const domain::UserSummary& m = *by_id.at(user);
          store::Store::DigestRecord record{.org_id = org.id,
                                            .user_id = user,
                                            .day = day,
                                            .created_at = FormatUtc(clock_.Now()),
                                            .notification = {.kind = "digest",
                                                             .title = composed.title,
                                                             .summary = composed.summary,
                                                             .items = composed.items}};
          if (options.mail != nullptr && !m.email.empty()) {
            record.email_to = m.email;
            record.email_subject = composed.subject;
            record.email_body = composed.text;
          }
          ASSIGN_OR_RETURN(bool recorded, store_.RecordDigest(record));
          if (recorded) ++pass.digests;
        }
      }
    }
    if (options.mail != nullptr) RETURN_IF_ERROR(SendWaiting(options, day, pass));
    return Status::Ok();
  }();
  (void)store_.ReleaseLease(kLease, options.holder);
  RETURN_IF_ERROR(st);
  return pass;
}

Status ReminderService::SendWaiting(const ReminderOptions& options, const std::string& day,
                                    ReminderPass& pass) {
  const std::string oldest = domain::AddDays(day, -1);
  int64_t after = 0;
  while (true) {
    const TimePoint now = clock_.Now();
    ASSIGN_OR_RETURN(auto emails, store_.ClaimDigestEmails(
                                      FormatUtc(now), FormatUtc(now + options.email_claim),
                                      domain::kMaxEmailAttempts, oldest, after, kEmailBatch));
    if (emails.empty()) return Status::Ok();
    std::sort(emails.begin(), emails.end(),
              [](const auto& a, const auto& b) { return a.digest_id < b.digest_id; });
    for (const auto& e : emails) {
      after = std::max(after, e.digest_id);
      if (Stopping(options)) {
        // Not sent: back to pending for the next pass (of this instance or another).
        RETURN_IF_ERROR(store_.FinishDigestEmail(e.digest_id, domain::EmailStatus::kPending, "",
                                                 FormatUtc(clock_.Now())));
        continue;
      }
      Status sent = options.mail->Send({.to = e.to, .subject = e.subject, .text = e.body});
      const std::string at = FormatUtc(clock_.Now());
      if (sent.ok()) {
        ++pass.emails_sent;
        RETURN_IF_ERROR(store_.FinishDigestEmail(e.digest_id, domain::EmailStatus::kSent, "", at));
      } else {
        ++pass.emails_failed;
        pass.errors.push_back(fmt::format("digest {} to user {} (attempt {} of {}): {}",
                                          e.digest_id, e.user_id, e.attempts,
                                          domain::kMaxEmailAttempts, sent.message()));
        RETURN_IF_ERROR(store_.FinishDigestEmail(e.digest_id, domain::EmailStatus::kFailed,
                                                 std::string(sent.message()), at));
      }
    }
    if (static_cast<int>(emails.size()) < kEmailBatch || Stopping(options)) return Status::Ok();
  }
}

// ---------------------------------------------------------------------------------------------
// Notifications

Result<domain::NotificationPage> NotificationService::List(const Principal& p, int64_t before,
                                                           int limit) {
  return store_.ListNotifications(p.org_id, p.user_id, std::max<int64_t>(before, 0),
                                  std::clamp(limit, 1, kMaxLimit));
}

Result<int64_t> NotificationService::Unread(const Principal& p) {
  return store_.CountUnreadNotifications(p.org_id, p.user_id);
}

Status NotificationService::MarkRead(const Principal& p, int64_t id) {
  return store_.MarkNotificationRead(p.org_id, p.user_id, id, FormatUtc(clock_.Now()));
}

Result<int> NotificationService::MarkAllRead(const Principal& p) {
  return store_.MarkAllNotificationsRead(p.org_id, p.user_id, FormatUtc(clock_.Now()));
}

}  // namespace rampart::app

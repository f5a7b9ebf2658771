// SqlStore: notifications, reminder digests and the scheduler's lease (store.h, issue 14), and
// the readiness history (issue 15): days kept once each.
// Migration 0063 has the tables. A digest's unique key (org_id, user_id, day) is what makes it
// go out once: it is inserted with ON CONFLICT DO NOTHING in the transaction that writes the
// notification, before any e-mail is sent.
#include <fmt/format.h>

#include "store/sql/sql_store.h"
#include "store/sql/sql_util.h"

namespace rampart::store {

namespace {

SqlValue TextOrNull(const std::string& s) {
  if (s.empty()) return std::monostate{};
  return s;
}

domain::Notification ReadNotification(const SqlRows& r) {
  domain::Notification n;
  n.id = r.Int(0);
  n.org_id = r.Int(1);
  n.user_id = r.Int(2);
  n.kind = r.Text(3);
  n.title = r.Text(4);
  n.summary = r.Text(5);
  n.items = domain::Json::parse(r.Text(6), nullptr, false);
  if (!n.items.is_array()) n.items = domain::Json::array();
  n.created_at = r.Text(7);
  n.read_at = r.IsNull(8) ? std::string() : r.Text(8);
  return n;
}

}  // namespace

Result<bool> SqlStore::RecordDigest(const DigestRecord& d) {
  bool recorded = false;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    recorded = false;
    // The notification first (the digest names it); dropped with the transaction when the
    // digest's key is taken.
    bool found = false;
    ASSIGN_OR_RETURN(auto note,
                     One(conn,
                         "INSERT INTO notifications (org_id, user_id, kind, title, summary, items, "
                         "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         {d.org_id, d.user_id, d.notification.kind, d.notification.title,
                          d.notification.summary, d.notification.items.dump(), d.created_at},
                         found));
    const int64_t notification_id = note->Int(0);
    const std::string status = d.email_to.empty()
                                   ? domain::EmailStatusName(domain::EmailStatus::kNone)
                                   : domain::EmailStatusName(domain::EmailStatus::kPending);
    ASSIGN_OR_RETURN(
        auto digest,
        One(conn,
            "INSERT INTO reminder_digests (org_id, user_id, day, created_at, notification_id, "
            "email_status, email_to, email_subject, email_body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (org_id, user_id, day) DO NOTHING RETURNING id",
            {d.org_id, d.user_id, d.day, d.created_at, notification_id, status,
             TextOrNull(d.email_to), TextOrNull(d.email_subject), TextOrNull(d.email_body)},
            found));
    (void)digest;
    if (!found) {
      // Recorded already: undo the notification (the rollback of a failed body would do the
      // same, but this is not a failure).
      return Run(conn, "DELETE FROM notifications WHERE id = ?", {notification_id});
    }
    recorded = true;
    return Status::Ok();
  }));
  return recorded;
}

Result<std::vector<int64_t>> SqlStore::DigestsOn(int64_t org_id, const std::string& day) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows,
                   conn->Query("SELECT user_id FROM reminder_digests WHERE org_id = ? AND day = ? "
                               "ORDER BY user_id",
                               {org_id, day}));
  return ReadAll(*rows, [](SqlRows& r) { return r.Int(0); });
}

Result<std::vector<domain::DigestEmail>> SqlStore::ClaimDigestEmails(const std::string& now,
                                                                     const std::string& claim_until,
                                                                     int max_attempts,
                                                                     const std::string& oldest_day,
                                                                     int64_t after_id, int limit) {
  std::vector<domain::DigestEmail> out;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    out.clear();
    ASSIGN_OR_RETURN(
        auto rows,
        conn.Query(
            "UPDATE reminder_digests SET email_status = 'sending', email_attempts = "
            "email_attempts + 1, email_claimed_until = ? WHERE id IN (SELECT id FROM "
            "reminder_digests WHERE (email_status IN ('pending', 'failed') OR (email_status = "
            "'sending' AND email_claimed_until < ?)) AND email_attempts < ? AND day >= ? AND id > "
            "? "
            "ORDER BY id LIMIT ?) RETURNING id, org_id, user_id, day, email_to, email_subject, "
            "email_body, "
            "email_attempts",
            {claim_until, now, int64_t{max_attempts}, oldest_day, after_id, int64_t{limit}}));
    ASSIGN_OR_RETURN(out, ReadAll(*rows, [](SqlRows& r) {
                       return domain::DigestEmail{.digest_id = r.Int(0),
                                                  .org_id = r.Int(1),
                                                  .user_id = r.Int(2),
                                                  .day = r.Text(3),
                                                  .to = r.Text(4),
                                                  .subject = r.Text(5),
                                                  .body = r.Text(6),
                                                  .attempts = static_cast<int>(r.Int(7))};
                     }));
    return Status::Ok();
  }));
  return out;
}

Status SqlStore::FinishDigestEmail(int64_t digest_id, domain::EmailStatus status,
                                   const std::string& error, const std::string& at) {
  const bool sent = status == domain::EmailStatus::kSent;
  return InWriteTx([&](SqlConnection& conn) -> Status {
    return Run(conn,
               "UPDATE reminder_digests SET email_status = ?, email_error = ?, email_sent_at = ?, "
               "email_claimed_until = NULL WHERE id = ?",
               {std::string(domain::EmailStatusName(status)), TextOrNull(error),
                sent ? SqlValue(at) : SqlValue(std::monostate{}), digest_id});
  });
}

Result<domain::NotificationPage> SqlStore::ListNotifications(int64_t org_id, int64_t user_id,
                                                             int64_t before, int limit) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  Params params{org_id, user_id};
  std::string where = "org_id = ? AND user_id = ?";
  if (before > 0) {
    where += " AND id < ?";
    params.emplace_back(before);
  }
  params.emplace_back(int64_t{limit + 1});
  ASSIGN_OR_RETURN(auto rows,
                   conn->Query(fmt::format("SELECT id, org_id, user_id, kind, title, summary, "
                                           "items, created_at, read_at FROM notifications WHERE "
                                           "{} ORDER BY id DESC LIMIT ?",
                                           where),
                               params));
  domain::NotificationPage page;
  ASSIGN_OR_RETURN(page.notifications, ReadAll(*rows, ReadNotification));
  if (static_cast<int>(page.notifications.size()) > limit) {
    page.notifications.pop_back();
    page.next_before = page.notifications.back().id;
  }
  return page;
}

Result<int64_t> SqlStore::CountUnreadNotifications(int64_t org_id, int64_t user_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(auto rows, One(*conn,
                                  "SELECT COUNT(*) FROM notifications WHERE org_id = ? AND "
                                  "user_id = ? AND read_at IS NULL",
                                  {org_id, user_id}, found));
  return found ? rows->Int(0) : int64_t{0};
}

Status SqlStore::MarkNotificationRead(int64_t org_id, int64_t user_id, int64_t id,
                                      const std::string& at) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    ASSIGN_OR_RETURN(auto rows,
                     One(conn,
                         "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND "
                         "org_id = ? AND user_id = ? RETURNING id",
                         {at, id, org_id, user_id}, found));
    (void)rows;
    if (!found) return NotFound(fmt::format("no notification {}", id));
    return Status::Ok();
  });
}

Result<int> SqlStore::MarkAllNotificationsRead(int64_t org_id, int64_t user_id,
                                               const std::string& at) {
  int count = 0;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    ASSIGN_OR_RETURN(auto rows, conn.Query("UPDATE notifications SET read_at = ? WHERE org_id = ? "
                                           "AND user_id = ? AND read_at IS NULL RETURNING id",
                                           {at, org_id, user_id}));
    ASSIGN_OR_RETURN(auto ids, ReadAll(*rows, [](SqlRows& r) { return r.Int(0); }));
    count = static_cast<int>(ids.size());
    return Status::Ok();
  }));
  return count;
}

Result<bool> SqlStore::TakeLease(const std::string& name, const std::string& holder,
                                 const std::string& now, const std::string& until) {
  bool taken = false;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    ASSIGN_OR_RETURN(auto rows,
                     One(conn,
                         "INSERT INTO scheduler_leases (name, holder, expires_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = "
                         "excluded.expires_at WHERE scheduler_leases.expires_at < ? OR "
                         "scheduler_leases.holder = excluded.holder RETURNING holder",
                         {name, holder, until, now}, found));
    (void)rows;
    taken = found;
    return Status::Ok();
  }));
  return taken;
}

Status SqlStore::ReleaseLease(const std::string& name, const std::string& holder) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    return Run(conn, "DELETE FROM scheduler_leases WHERE name = ? AND holder = ?", {name, holder});
  });
}

// --- Readiness history (issue 15; migration 0065) ---

Result<bool> SqlStore::PutReadinessDay(int64_t org_id, const std::string& day,
                                       const domain::Json& summary, const std::string& at) {
  bool kept = false;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    ASSIGN_OR_RETURN(auto rows, conn.Query("INSERT INTO readiness_history (org_id, day, summary, "
                                           "recorded_at) VALUES (?, ?, ?, ?) ON CONFLICT (org_id, "
                                           "day) DO NOTHING RETURNING day",
                                           {org_id, day, summary.dump(), at}));
    ASSIGN_OR_RETURN(kept, rows->Next());
    return Status::Ok();
  }));
  return kept;
}

Result<std::vector<std::pair<std::string, domain::Json>>> SqlStore::ReadinessDays(
    int64_t org_id, const std::string& from) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT day, summary FROM readiness_history WHERE "
                                          "org_id = ? AND day >= ? ORDER BY day",
                                          {org_id, from}));
  return ReadAll(*rows, [](SqlRows& r) {
    return std::pair{r.Text(0), domain::Json::parse(r.Text(1), nullptr, false)};
  });
}

}  // namespace rampart::store

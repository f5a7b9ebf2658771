-- Written by hand (issue 14, reminders): people's e-mail addresses, their notifications, the
-- daily reminder digests and the scheduler's lease. None of these is a register.
--
-- A user's e-mail address, where their reminder digests go; NULL when they gave none.
ALTER TABLE users ADD COLUMN email TEXT;

-- In-app notifications: one person's, in one organisation. `items` is a JSON array of what the
-- notification lists ({"section", "label", "detail", "href"}). Read once `read_at` is set.
CREATE TABLE notifications (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES organisations(id),
  user_id     INTEGER NOT NULL REFERENCES users(id),
  kind        TEXT NOT NULL CHECK (kind IN ('digest')),
  title       TEXT NOT NULL,
  summary     TEXT NOT NULL,
  items       TEXT NOT NULL DEFAULT '[]',
  created_at  TEXT NOT NULL,
  read_at     TEXT
);
-- A person's notifications newest first (the list, paged by id).
CREATE INDEX notifications_user ON notifications(org_id, user_id, id);
-- The unread count of every page's navigation: one index range of the unread ones alone.
CREATE INDEX notifications_unread ON notifications(org_id, user_id) WHERE read_at IS NULL;

-- One reminder digest per person, organisation and day: the unique key is claimed in the
-- transaction that writes the notification, before any e-mail goes out, so a second pass or a
-- second instance the same day writes nothing. The e-mail's state: none (no address or no SMTP),
-- pending, sending (claimed by a pass until email_claimed_until), sent, failed (retried while
-- email_attempts is under the limit).
CREATE TABLE reminder_digests (
  id                   INTEGER PRIMARY KEY,
  org_id               INTEGER NOT NULL REFERENCES organisations(id),
  user_id              INTEGER NOT NULL REFERENCES users(id),
  day                  TEXT NOT NULL,
  created_at           TEXT NOT NULL,
  notification_id      INTEGER NOT NULL REFERENCES notifications(id),
  email_status         TEXT NOT NULL CHECK (email_status IN
                         ('none', 'pending', 'sending', 'sent', 'failed')),
  email_to             TEXT,
  email_subject        TEXT,
  email_body           TEXT,
  email_attempts       INTEGER NOT NULL DEFAULT 0,
  email_claimed_until  TEXT,
  email_error          TEXT,
  email_sent_at        TEXT,
  UNIQUE (org_id, user_id, day)
);
CREATE INDEX reminder_digests_day ON reminder_digests(org_id, day);
CREATE INDEX reminder_digests_email ON reminder_digests(email_status, id)
  WHERE email_status IN ('pending', 'sending', 'failed');

-- A lease on a background job: while `expires_at` is ahead, only `holder` runs it (one instance
-- of several on one database).
CREATE TABLE scheduler_leases (
  name        TEXT PRIMARY KEY,
  holder      TEXT NOT NULL,
  expires_at  TEXT NOT NULL
);

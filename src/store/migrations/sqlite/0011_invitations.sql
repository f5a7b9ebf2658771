-- Invitations: an administrator adding a person who already has an account (in another
-- organisation, or in none) invites them; the membership exists only once they accept.
-- An account's home is the organisation that created it: its administrators manage the account
-- itself (password, second factor, disabling); other organisations only their membership.
-- Accounts made before this migration take the oldest organisation they belong to.
ALTER TABLE users ADD COLUMN home_org_id INTEGER REFERENCES organisations(id);
UPDATE users SET home_org_id = (SELECT MIN(m.org_id) FROM memberships m WHERE m.user_id = users.id);

CREATE TABLE invitations (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES organisations(id),
  user_id     INTEGER NOT NULL REFERENCES users(id),
  role        TEXT NOT NULL,
  expires_at  TEXT,             -- last day of the membership offered (YYYY-MM-DD)
  invited_by  TEXT NOT NULL,    -- user name of the inviting administrator
  created_at  TEXT NOT NULL,
  UNIQUE (org_id, user_id)
);
CREATE INDEX invitations_user ON invitations(user_id);

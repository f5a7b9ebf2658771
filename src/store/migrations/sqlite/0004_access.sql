-- Access control: roles with an end date, the second factor, session activity, scoped API
-- tokens and sign-in throttling. Sessions are recreated with a public handle: everyone signs in
-- again after this migration.
ALTER TABLE organisations ADD COLUMN second_factor_roles TEXT NOT NULL DEFAULT '';

ALTER TABLE users ADD COLUMN totp_secret TEXT;          -- base32, once confirmed
ALTER TABLE users ADD COLUMN totp_pending TEXT;         -- offered at enrolment, not yet confirmed
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;  -- replay protection

ALTER TABLE memberships ADD COLUMN expires_at TEXT;     -- last day of access (YYYY-MM-DD)

CREATE TABLE recovery_codes (
  user_id    INTEGER NOT NULL REFERENCES users(id),
  code_hash  TEXT NOT NULL,
  used_at    TEXT,
  PRIMARY KEY (user_id, code_hash)
);

DROP TABLE sessions;
CREATE TABLE sessions (
  id            INTEGER PRIMARY KEY,
  id_hash       TEXT NOT NULL UNIQUE,
  user_id       INTEGER NOT NULL REFERENCES users(id),
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  csrf_token    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  expires_at    TEXT NOT NULL,
  last_seen_at  TEXT NOT NULL,
  stage         TEXT NOT NULL,
  address       TEXT NOT NULL,
  user_agent    TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

ALTER TABLE api_tokens ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;

CREATE TABLE sign_in_failures (
  subject  TEXT NOT NULL,  -- "user:NAME" or "address:ADDRESS"
  at       TEXT NOT NULL
);
CREATE INDEX sign_in_failures_subject ON sign_in_failures(subject, at);

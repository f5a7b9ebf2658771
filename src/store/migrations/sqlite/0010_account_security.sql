-- Account security (issue 11, section 4).
-- When the session's holder last proved their password (and second factor, when set up): set at
-- sign-in, by re-authentication and by a password change. Creating API tokens and enrolling a
-- second factor need this to be recent. NULL: never (sessions from before this migration).
ALTER TABLE sessions ADD COLUMN reauthenticated_at TEXT;
-- When a one-time password stops working (72 hours after it was issued, or at the sign-in that
-- used it). NULL for passwords the user chose.
ALTER TABLE users ADD COLUMN password_expires_at TEXT;
-- recovery_codes.code_hash now holds an Argon2id string ($argon2id$...); rows written before
-- this migration hold a SHA-256 hex digest and keep being verified as such until used or
-- replaced (they cannot be re-hashed: the codes themselves are not stored).

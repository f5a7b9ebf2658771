-- Written by hand (issue 17, Idempotency-Key).
-- idempotency_keys: a create sent with an Idempotency-Key header, kept for 24 hours per caller so
-- that sending it again gives the first answer instead of a second record. The row is written in
-- the create's own transaction (both are committed or neither is); the answer is added once it is
-- sent. request_hash is the SHA-256 of what the request asked (method, path, query, organisation,
-- body): the same key with another request is refused.
CREATE TABLE idempotency_keys (
  user_id       INTEGER NOT NULL REFERENCES users(id),
  idem_key      TEXT NOT NULL,
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  request_hash  TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  record_type   TEXT NOT NULL,
  record_id     INTEGER NOT NULL,
  status        INTEGER,
  content_type  TEXT,
  location      TEXT,
  body          BLOB,
  PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);

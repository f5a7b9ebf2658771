-- PostgreSQL dialect of sqlite/0070_idempotency_keys.sql (written by hand, issue 17): creates
-- sent with an Idempotency-Key, kept for 24 hours per caller with the answer they were given.
CREATE TABLE idempotency_keys (
  user_id       BIGINT NOT NULL REFERENCES users(id),
  idem_key      TEXT COLLATE "C" NOT NULL,
  org_id        BIGINT NOT NULL REFERENCES organisations(id),
  request_hash  TEXT COLLATE "C" NOT NULL,
  created_at    TEXT COLLATE "C" NOT NULL,
  record_type   TEXT COLLATE "C" NOT NULL,
  record_id     BIGINT NOT NULL,
  status        INTEGER,
  content_type  TEXT COLLATE "C",
  location      TEXT COLLATE "C",
  body          BYTEA,
  PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);

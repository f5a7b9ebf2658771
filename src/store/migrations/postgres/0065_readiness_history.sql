-- PostgreSQL dialect of sqlite/0065_readiness_history.sql (written by hand, issue 15,
-- readiness): an organisation's readiness summary of each day, kept for the trend of each
-- clause. `summary` stays TEXT: it is only read back whole.
CREATE TABLE readiness_history (
  org_id       BIGINT NOT NULL REFERENCES organisations(id),
  day          TEXT NOT NULL,
  summary      TEXT NOT NULL,
  recorded_at  TEXT NOT NULL,
  PRIMARY KEY (org_id, day)
);

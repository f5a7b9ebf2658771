-- Written by hand (issue 15, readiness): an organisation's readiness summary of each day, kept
-- for the trend of each clause. Not a register: one row per organisation and day, written once
-- (the first recording of a day stands), never changed.
CREATE TABLE readiness_history (
  org_id       INTEGER NOT NULL REFERENCES organisations(id),
  day          TEXT NOT NULL,
  summary      TEXT NOT NULL,
  recorded_at  TEXT NOT NULL,
  PRIMARY KEY (org_id, day)
);

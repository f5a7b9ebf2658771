-- Evidence files attached to register records. Content is stored once per organisation by its
-- SHA-256 (no sharing across organisations: whether another organisation holds the same file
-- must never show); each attachment is a row naming the record, its metadata and the content.
CREATE TABLE evidence_blobs (
  org_id   INTEGER NOT NULL REFERENCES organisations(id),
  sha256   TEXT NOT NULL,
  size     INTEGER NOT NULL,
  content  BLOB NOT NULL,
  PRIMARY KEY (org_id, sha256)
);

CREATE TABLE evidence_files (
  id              INTEGER PRIMARY KEY,
  org_id          INTEGER NOT NULL REFERENCES organisations(id),
  record_type     TEXT NOT NULL,
  record_id       INTEGER NOT NULL,
  title           TEXT NOT NULL,
  file_name       TEXT NOT NULL,
  content_type    TEXT NOT NULL,
  size            INTEGER NOT NULL,
  sha256          TEXT NOT NULL,
  effective_date  TEXT,  -- YYYY-MM-DD
  expires         TEXT,  -- YYYY-MM-DD, the last day the evidence is valid
  uploaded_by     INTEGER NOT NULL REFERENCES users(id),
  uploaded_at     TEXT NOT NULL,
  FOREIGN KEY (org_id, sha256) REFERENCES evidence_blobs(org_id, sha256)
);
CREATE INDEX evidence_files_record ON evidence_files(org_id, record_type, record_id, id);
CREATE INDEX evidence_files_blob ON evidence_files(org_id, sha256);

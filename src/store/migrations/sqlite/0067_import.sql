-- Written by hand (issue 16, spreadsheet import).
-- external_keys: the identifier a record has in another system (a spreadsheet's "Risk ID"),
-- kept beside the record so that importing the same spreadsheet again updates it instead of
-- adding it twice. One key per record of a register, unique within the organisation.
CREATE TABLE external_keys (
  org_id       INTEGER NOT NULL REFERENCES organisations(id),
  record_type  TEXT NOT NULL,
  external_id  TEXT NOT NULL,
  record_id    INTEGER NOT NULL,
  PRIMARY KEY (org_id, record_type, external_id)
);
CREATE UNIQUE INDEX external_keys_record ON external_keys(org_id, record_type, record_id);

-- import_uploads: a spreadsheet uploaded on an import page, kept between its steps (mapping,
-- dry run, apply) for the person who uploaded it; forgotten after a day or once applied.
CREATE TABLE import_uploads (
  id           INTEGER PRIMARY KEY,
  org_id       INTEGER NOT NULL REFERENCES organisations(id),
  user_id      INTEGER NOT NULL REFERENCES users(id),
  record_type  TEXT NOT NULL,
  file_name    TEXT NOT NULL,
  size         INTEGER NOT NULL,
  sha256       TEXT NOT NULL,
  content      BLOB NOT NULL,
  created_at   TEXT NOT NULL
);
CREATE INDEX import_uploads_created ON import_uploads(created_at);

-- import_mappings: a column mapping saved for a register (which column of a spreadsheet goes
-- to which field), chosen again on a later import. `columns` is JSON.
CREATE TABLE import_mappings (
  id           INTEGER PRIMARY KEY,
  org_id       INTEGER NOT NULL REFERENCES organisations(id),
  record_type  TEXT NOT NULL,
  name         TEXT NOT NULL,
  columns      TEXT NOT NULL,
  updated_by   INTEGER NOT NULL REFERENCES users(id),
  updated_at   TEXT NOT NULL,
  UNIQUE (org_id, record_type, name)
);

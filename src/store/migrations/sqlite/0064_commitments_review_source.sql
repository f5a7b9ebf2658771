-- Written by hand (issue 14): an entry of the commitments log may name a management review as
-- its source (the attendance of top management that approving the minutes records), so the
-- entry links the review. `make schema` cannot change a CHECK: in SQLite that means rebuilding
-- the table. The rows keep their ids, so the search index (external content, by rowid) stays
-- valid; it is rebuilt anyway so that it is known to match.
ALTER TABLE commitments RENAME TO commitments_before_0064;
CREATE TABLE commitments (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  updated_by INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('policy_approval', 'resources_granted', 'objectives_approved', 'change_approved', 'management_review_attendance', 'other')),
  statement TEXT NOT NULL,
  committed_by INTEGER NOT NULL,
  committed_on TEXT NOT NULL,
  source_type TEXT CHECK (source_type IN ('document_version', 'resource', 'objective', 'planned_change', 'management_review')),
  source_id INTEGER,
  origin TEXT NOT NULL CHECK (origin IN ('manual', 'automatic')),
  UNIQUE (id, org_id),
  FOREIGN KEY (committed_by, org_id) REFERENCES memberships(user_id, org_id)
);
INSERT INTO commitments (id, org_id, version, created_at, updated_at, created_by, updated_by,
                         kind, statement, committed_by, committed_on, source_type, source_id,
                         origin)
  SELECT id, org_id, version, created_at, updated_at, created_by, updated_by, kind, statement,
         committed_by, committed_on, source_type, source_id, origin
  FROM commitments_before_0064;
-- Its indexes and search triggers go with it.
DROP TABLE commitments_before_0064;
CREATE INDEX commitments_org ON commitments(org_id);
CREATE INDEX commitments_committed_on ON commitments(org_id, committed_on, id);
CREATE INDEX commitments_kind ON commitments(org_id, kind, committed_on, id);
CREATE INDEX commitments_s_kind ON commitments(org_id, kind, id);
CREATE INDEX commitments_committed_by ON commitments(org_id, committed_by, committed_on, id);
CREATE INDEX commitments_s_committed_by ON commitments(org_id, committed_by, id);
CREATE INDEX commitments_source_type ON commitments(org_id, source_type, committed_on, id);
CREATE INDEX commitments_origin ON commitments(org_id, origin, committed_on, id);
CREATE INDEX commitments_updated ON commitments(org_id, updated_at, id);
CREATE INDEX commitments_created ON commitments(org_id, created_at, id);
CREATE TRIGGER commitments_search_insert AFTER INSERT ON commitments BEGIN
  INSERT INTO commitments_search(rowid, statement)
  VALUES (new.id, new.statement);
END;
CREATE TRIGGER commitments_search_delete AFTER DELETE ON commitments BEGIN
  INSERT INTO commitments_search(commitments_search, rowid, statement)
  VALUES ('delete', old.id, old.statement);
END;
CREATE TRIGGER commitments_search_update AFTER UPDATE ON commitments BEGIN
  INSERT INTO commitments_search(commitments_search, rowid, statement)
  VALUES ('delete', old.id, old.statement);
  INSERT INTO commitments_search(rowid, statement)
  VALUES (new.id, new.statement);
END;
INSERT INTO commitments_search(commitments_search) VALUES ('rebuild');

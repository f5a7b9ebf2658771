-- The Statement of Applicability (6.1.3 d): one entry per Annex A control an organisation has
-- decided on (a control without a row is undecided), and the approved versions, each an
-- immutable snapshot of all 93 lines as they were approved.

CREATE TABLE soa_entries (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  control_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  applicable INTEGER NOT NULL CHECK (applicable IN (0, 1)),
  reasons TEXT NOT NULL,
  justification TEXT,
  status_override TEXT CHECK (status_override IN ('not_implemented', 'planned', 'in_progress', 'partially_implemented', 'implemented', 'not_effective')),
  override_reason TEXT,
  updated_at TEXT NOT NULL,
  updated_by INTEGER NOT NULL REFERENCES users(id),
  UNIQUE (org_id, control_id)
);

-- Approved versions are never changed: the triggers refuse every update and delete.
CREATE TABLE soa_versions (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  number INTEGER NOT NULL,
  approved_by INTEGER NOT NULL REFERENCES users(id),
  approver TEXT NOT NULL,
  approved_at TEXT NOT NULL,
  note TEXT,
  snapshot TEXT NOT NULL,
  UNIQUE (org_id, number)
);
CREATE TRIGGER soa_versions_no_update BEFORE UPDATE ON soa_versions
BEGIN SELECT RAISE(ABORT, 'approved versions of the Statement of Applicability are immutable'); END;
CREATE TRIGGER soa_versions_no_delete BEFORE DELETE ON soa_versions
BEGIN SELECT RAISE(ABORT, 'approved versions of the Statement of Applicability are immutable'); END;

-- Clause 4: context issues, interested parties, ISMS scope statements. Owners must be members of
-- the record's organisation (composite foreign key onto memberships).
CREATE TABLE context_issues (
  id               INTEGER PRIMARY KEY,
  org_id           INTEGER NOT NULL REFERENCES organisations(id),
  version          INTEGER NOT NULL,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  created_by       INTEGER NOT NULL REFERENCES users(id),
  updated_by       INTEGER NOT NULL REFERENCES users(id),
  title            TEXT NOT NULL,
  description      TEXT,
  kind             TEXT NOT NULL CHECK (kind IN ('internal', 'external')),
  swot             TEXT CHECK (swot IN ('strength', 'weakness', 'opportunity', 'threat')),
  pestle           TEXT CHECK (pestle IN ('political', 'economic', 'social', 'technological',
                                          'legal', 'environmental')),
  climate_related  INTEGER NOT NULL DEFAULT 0,
  effect           TEXT,
  owner            INTEGER,
  status           TEXT NOT NULL CHECK (status IN ('active', 'monitoring', 'closed')),
  next_review      TEXT,
  FOREIGN KEY (owner, org_id) REFERENCES memberships(user_id, org_id)
);
-- Lists filter by one column and sort by the default (title) or another column: each filter
-- column is indexed together with the default sort, so a filtered first page reads 50 entries.
CREATE INDEX context_issues_org ON context_issues(org_id);
CREATE INDEX context_issues_title ON context_issues(org_id, title, id);
CREATE INDEX context_issues_kind ON context_issues(org_id, kind, title, id);
CREATE INDEX context_issues_swot ON context_issues(org_id, swot, title, id);
CREATE INDEX context_issues_pestle ON context_issues(org_id, pestle, title, id);
CREATE INDEX context_issues_climate ON context_issues(org_id, climate_related, title, id);
CREATE INDEX context_issues_status ON context_issues(org_id, status, title, id);
CREATE INDEX context_issues_owner ON context_issues(org_id, owner, title, id);
CREATE INDEX context_issues_next_review ON context_issues(org_id, next_review, id);
CREATE INDEX context_issues_updated ON context_issues(org_id, updated_at, id);
CREATE INDEX context_issues_created ON context_issues(org_id, created_at, id);

CREATE TABLE interested_parties (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  version       INTEGER NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  created_by    INTEGER NOT NULL REFERENCES users(id),
  updated_by    INTEGER NOT NULL REFERENCES users(id),
  name          TEXT NOT NULL,
  type          TEXT NOT NULL CHECK (type IN ('customer', 'regulator', 'employee', 'supplier',
                                              'partner', 'shareholder', 'public', 'other')),
  description   TEXT,
  requirements  TEXT,
  owner         INTEGER,
  status        TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
  next_review   TEXT,
  FOREIGN KEY (owner, org_id) REFERENCES memberships(user_id, org_id)
);
CREATE INDEX interested_parties_org ON interested_parties(org_id);
CREATE INDEX interested_parties_name ON interested_parties(org_id, name, id);
CREATE INDEX interested_parties_type ON interested_parties(org_id, type, name, id);
CREATE INDEX interested_parties_status ON interested_parties(org_id, status, name, id);
CREATE INDEX interested_parties_owner ON interested_parties(org_id, owner, name, id);
CREATE INDEX interested_parties_next_review ON interested_parties(org_id, next_review, id);
CREATE INDEX interested_parties_updated ON interested_parties(org_id, updated_at, id);
CREATE INDEX interested_parties_created ON interested_parties(org_id, created_at, id);

CREATE TABLE scope_statements (
  id              INTEGER PRIMARY KEY,
  org_id          INTEGER NOT NULL REFERENCES organisations(id),
  version         INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  created_by      INTEGER NOT NULL REFERENCES users(id),
  updated_by      INTEGER NOT NULL REFERENCES users(id),
  title           TEXT NOT NULL,
  statement       TEXT,
  units           TEXT,
  locations       TEXT,
  services        TEXT,
  processes       TEXT,
  exclusions      TEXT,
  interfaces      TEXT,
  dependencies    TEXT,
  version_number  INTEGER NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'superseded')),
  approved_by     INTEGER REFERENCES users(id),
  approved_at     TEXT,
  UNIQUE (org_id, version_number)
);
-- At most one approved scope per organisation: the current one.
CREATE UNIQUE INDEX scope_statements_current ON scope_statements(org_id) WHERE status = 'approved';
CREATE INDEX scope_statements_status ON scope_statements(org_id, status, version_number);
CREATE INDEX scope_statements_title ON scope_statements(org_id, title, id);

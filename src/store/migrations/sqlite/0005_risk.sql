-- Clauses 6.1.2, 6.1.3, 8.2, 8.3: assets, threats, vulnerabilities, the risk methodology (one
-- row per version), risks, applied controls, risk acceptances (written by the acceptance workflow
-- only) and risk assessment cycles. References between records are composite foreign keys onto
-- (id, org_id), so a record can never point into another organisation; lists of references
-- (a risk's assets and controls, an asset's dependencies) are kept as a JSON list for reading
-- and as rows of record_links for filtering ("the risks of asset 12").

CREATE TABLE assets (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  updated_by INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('information', 'software', 'hardware', 'service', 'people', 'site', 'supplier', 'other')),
  description TEXT,
  owner INTEGER,
  custodian INTEGER,
  location TEXT,
  classification TEXT CHECK (classification IN ('public', 'internal', 'confidential', 'restricted')),
  confidentiality INTEGER CHECK (confidentiality BETWEEN 1 AND 5),
  integrity INTEGER CHECK (integrity BETWEEN 1 AND 5),
  availability INTEGER CHECK (availability BETWEEN 1 AND 5),
  in_scope INTEGER NOT NULL DEFAULT 1,
  depends_on TEXT,
  status TEXT NOT NULL CHECK (status IN ('active', 'retired')),
  next_review TEXT,
  UNIQUE (id, org_id),
  FOREIGN KEY (owner, org_id) REFERENCES memberships(user_id, org_id),
  FOREIGN KEY (custodian, org_id) REFERENCES memberships(user_id, org_id)
);
CREATE INDEX assets_org ON assets(org_id);
CREATE INDEX assets_name ON assets(org_id, name, id);
CREATE INDEX assets_type ON assets(org_id, type, name, id);
CREATE INDEX assets_owner ON assets(org_id, owner, name, id);
CREATE INDEX assets_custodian ON assets(org_id, custodian, name, id);
CREATE INDEX assets_classification ON assets(org_id, classification, name, id);
CREATE INDEX assets_confidentiality ON assets(org_id, confidentiality, name, id);
CREATE INDEX assets_integrity ON assets(org_id, integrity, name, id);
CREATE INDEX assets_availability ON assets(org_id, availability, name, id);
CREATE INDEX assets_in_scope ON assets(org_id, in_scope, name, id);
CREATE INDEX assets_status ON assets(org_id, status, name, id);
CREATE INDEX assets_s_next_review ON assets(org_id, next_review, id);
CREATE INDEX assets_updated ON assets(org_id, updated_at, id);
CREATE INDEX assets_created ON assets(org_id, created_at, id);
CREATE VIRTUAL TABLE assets_search USING fts5(
  name, description, location, content='assets', content_rowid='id', tokenize='trigram');
CREATE TRIGGER assets_search_insert AFTER INSERT ON assets BEGIN
  INSERT INTO assets_search(rowid, name, description, location) VALUES (new.id, new.name, new.description, new.location);
END;
CREATE TRIGGER assets_search_delete AFTER DELETE ON assets BEGIN
  INSERT INTO assets_search(assets_search, rowid, name, description, location) VALUES ('delete', old.id, old.name, old.description, old.location);
END;
CREATE TRIGGER assets_search_update AFTER UPDATE ON assets BEGIN
  INSERT INTO assets_search(assets_search, rowid, name, description, location) VALUES ('delete', old.id, old.name, old.description, old.location);
  INSERT INTO assets_search(rowid, name, description, location) VALUES (new.id, new.name, new.description, new.location);
END;

CREATE TABLE threats (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  updated_by INTEGER NOT NULL REFERENCES users(id),
  ref TEXT,
  name TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('deliberate', 'accidental', 'environmental', 'technical')),
  description TEXT,
  annex_controls TEXT,
  status TEXT NOT NULL CHECK (status IN ('active', 'retired')),
  UNIQUE (id, org_id)
);
CREATE INDEX threats_org ON threats(org_id);
CREATE INDEX threats_ref ON threats(org_id, ref, id);
CREATE INDEX threats_category ON threats(org_id, category, ref, id);
CREATE INDEX threats_status ON threats(org_id, status, ref, id);
CREATE INDEX threats_s_name ON threats(org_id, name, id);
CREATE INDEX threats_updated ON threats(org_id, updated_at, id);
CREATE INDEX threats_created ON threats(org_id, created_at, id);
CREATE VIRTUAL TABLE threats_search USING fts5(
  ref, name, description, content='threats', content_rowid='id', tokenize='trigram');
CREATE TRIGGER threats_search_insert AFTER INSERT ON threats BEGIN
  INSERT INTO threats_search(rowid, ref, name, description) VALUES (new.id, new.ref, new.name, new.description);
END;
CREATE TRIGGER threats_search_delete AFTER DELETE ON threats BEGIN
  INSERT INTO threats_search(threats_search, rowid, ref, name, description) VALUES ('delete', old.id, old.ref, old.name, old.description);
END;
CREATE TRIGGER threats_search_update AFTER UPDATE ON threats BEGIN
  INSERT INTO threats_search(threats_search, rowid, ref, name, description) VALUES ('delete', old.id, old.ref, old.name, old.description);
  INSERT INTO threats_search(rowid, ref, name, description) VALUES (new.id, new.ref, new.name, new.description);
END;

CREATE TABLE vulnerabilities (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  updated_by INTEGER NOT NULL REFERENCES users(id),
  ref TEXT,
  name TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('people', 'process', 'technology', 'physical', 'supplier')),
  description TEXT,
  annex_controls TEXT,
  status TEXT NOT NULL CHECK (status IN ('active', 'retired')),
  UNIQUE (id, org_id)
);
CREATE INDEX vulnerabilities_org ON vulnerabilities(org_id);
CREATE INDEX vulnerabilities_ref ON vulnerabilities(org_id, ref, id);
CREATE INDEX vulnerabilities_category ON vulnerabilities(org_id, category, ref, id);
CREATE INDEX vulnerabilities_status ON vulnerabilities(org_id, status, ref, id);
CREATE INDEX vulnerabilities_s_name ON vulnerabilities(org_id, name, id);
CREATE INDEX vulnerabilities_updated ON vulnerabilities(org_id, updated_at, id);
CREATE INDEX vulnerabilities_created ON vulnerabilities(org_id, created_at, id);
CREATE VIRTUAL TABLE vulnerabilities_search USING fts5(
  ref, name, description, content='vulnerabilities', content_rowid='id', tokenize='trigram');
CREATE TRIGGER vulnerabilities_search_insert AFTER INSERT ON vulnerabilities BEGIN
  INSERT INTO vulnerabilities_search(rowid, ref, name, description) VALUES (new.id, new.ref, new.name, new.description);
END;
CREATE TRIGGER vulnerabilities_search_delete AFTER DELETE ON vulnerabilities BEGIN
  INSERT INTO vulnerabilities_search(vulnerabilities_search, rowid, ref, name, description) VALUES ('delete', old.id, old.ref, old.name, old.description);
END;
CREATE TRIGGER vulnerabilities_search_update AFTER UPDATE ON vulnerabilities BEGIN
  INSERT INTO vulnerabilities_search(vulnerabilities_search, rowid, ref, name, description) VALUES ('delete', old.id, old.ref, old.name, old.description);
  INSERT INTO vulnerabilities_search(rowid, ref, name, description) VALUES (new.id, new.ref, new.name, new.description);
END;

CREATE TABLE risk_methodologies (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  updated_by INTEGER NOT NULL REFERENCES users(id),
  title TEXT NOT NULL,
  likelihood_scale TEXT NOT NULL,
  impact_scale TEXT NOT NULL,
  risk_levels TEXT NOT NULL,
  matrix_cells TEXT,
  assessment_interval_months INTEGER NOT NULL CHECK (assessment_interval_months BETWEEN 1 AND 36),
  change_note TEXT,
  version_number INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'superseded')),
  approved_by INTEGER,
  approved_at TEXT,
  UNIQUE (id, org_id),
  FOREIGN KEY (approved_by, org_id) REFERENCES memberships(user_id, org_id)
);
CREATE INDEX risk_methodologies_org ON risk_methodologies(org_id);
CREATE INDEX risk_methodologies_version_number ON risk_methodologies(org_id, version_number, id);
CREATE INDEX risk_methodologies_status ON risk_methodologies(org_id, status, version_number, id);
CREATE INDEX risk_methodologies_s_title ON risk_methodologies(org_id, title, id);
CREATE INDEX risk_methodologies_updated ON risk_methodologies(org_id, updated_at, id);
CREATE INDEX risk_methodologies_created ON risk_methodologies(org_id, created_at, id);
CREATE VIRTUAL TABLE risk_methodologies_search USING fts5(
  title, change_note, content='risk_methodologies', content_rowid='id', tokenize='trigram');
CREATE TRIGGER risk_methodologies_search_insert AFTER INSERT ON risk_methodologies BEGIN
  INSERT INTO risk_methodologies_search(rowid, title, change_note) VALUES (new.id, new.title, new.change_note);
END;
CREATE TRIGGER risk_methodologies_search_delete AFTER DELETE ON risk_methodologies BEGIN
  INSERT INTO risk_methodologies_search(risk_methodologies_search, rowid, title, change_note) VALUES ('delete', old.id, old.title, old.change_note);
END;
CREATE TRIGGER risk_methodologies_search_update AFTER UPDATE ON risk_methodologies BEGIN
  INSERT INTO risk_methodologies_search(risk_methodologies_search, rowid, title, change_note) VALUES ('delete', old.id, old.title, old.change_note);
  INSERT INTO risk_methodologies_search(rowid, title, change_note) VALUES (new.id, new.title, new.change_note);
END;

CREATE TABLE applied_controls (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  updated_by INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  description TEXT,
  owner INTEGER,
  status TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'implemented', 'not_effective')),
  annex_controls TEXT,
  effectiveness TEXT,
  next_review TEXT,
  UNIQUE (id, org_id),
  FOREIGN KEY (owner, org_id) REFERENCES memberships(user_id, org_id)
);
CREATE INDEX applied_controls_org ON applied_controls(org_id);
CREATE INDEX applied_controls_name ON applied_controls(org_id, name, id);
CREATE INDEX applied_controls_owner ON applied_controls(org_id, owner, name, id);
CREATE INDEX applied_controls_status ON applied_controls(org_id, status, name, id);
CREATE INDEX applied_controls_s_next_review ON applied_controls(org_id, next_review, id);
CREATE INDEX applied_controls_updated ON applied_controls(org_id, updated_at, id);
CREATE INDEX applied_controls_created ON applied_controls(org_id, created_at, id);
CREATE VIRTUAL TABLE applied_controls_search USING fts5(
  name, description, effectiveness, content='applied_controls', content_rowid='id', tokenize='trigram');
CREATE TRIGGER applied_controls_search_insert AFTER INSERT ON applied_controls BEGIN
  INSERT INTO applied_controls_search(rowid, name, description, effectiveness) VALUES (new.id, new.name, new.description, new.effectiveness);
END;
CREATE TRIGGER applied_controls_search_delete AFTER DELETE ON applied_controls BEGIN
  INSERT INTO applied_controls_search(applied_controls_search, rowid, name, description, effectiveness) VALUES ('delete', old.id, old.name, old.description, old.effectiveness);
END;
CREATE TRIGGER applied_controls_search_update AFTER UPDATE ON applied_controls BEGIN
  INSERT INTO applied_controls_search(applied_controls_search, rowid, name, description, effectiveness) VALUES ('delete', old.id, old.name, old.description, old.effectiveness);
  INSERT INTO applied_controls_search(rowid, name, description, effectiveness) VALUES (new.id, new.name, new.description, new.effectiveness);
END;

CREATE TABLE risks (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  updated_by INTEGER NOT NULL REFERENCES users(id),
  number INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT,
  assets TEXT,
  threat INTEGER,
  vulnerability INTEGER,
  owner INTEGER,
  inherent_likelihood INTEGER CHECK (inherent_likelihood BETWEEN 1 AND 6),
  inherent_impact INTEGER CHECK (inherent_impact BETWEEN 1 AND 6),
  inherent_level TEXT,
  controls TEXT,
  residual_likelihood INTEGER CHECK (residual_likelihood BETWEEN 1 AND 6),
  residual_impact INTEGER CHECK (residual_impact BETWEEN 1 AND 6),
  residual_level TEXT,
  treatment TEXT CHECK (treatment IN ('modify', 'retain', 'avoid', 'share')),
  actions TEXT,
  status TEXT NOT NULL CHECK (status IN ('identified', 'analysed', 'treatment_planned', 'treated', 'accepted', 'closed')),
  acceptance TEXT CHECK (acceptance IN ('accepted', 'stale')),
  last_assessed TEXT,
  next_review TEXT,
  rationale TEXT,
  UNIQUE (id, org_id),
  FOREIGN KEY (threat, org_id) REFERENCES threats(id, org_id),
  FOREIGN KEY (vulnerability, org_id) REFERENCES vulnerabilities(id, org_id),
  FOREIGN KEY (owner, org_id) REFERENCES memberships(user_id, org_id)
);
CREATE INDEX risks_org ON risks(org_id);
CREATE INDEX risks_number ON risks(org_id, number, id);
CREATE INDEX risks_threat ON risks(org_id, threat, number, id);
CREATE INDEX risks_vulnerability ON risks(org_id, vulnerability, number, id);
CREATE INDEX risks_owner ON risks(org_id, owner, number, id);
CREATE INDEX risks_inherent_likelihood ON risks(org_id, inherent_likelihood, number, id);
CREATE INDEX risks_inherent_impact ON risks(org_id, inherent_impact, number, id);
CREATE INDEX risks_inherent_level ON risks(org_id, inherent_level, number, id);
CREATE INDEX risks_residual_likelihood ON risks(org_id, residual_likelihood, number, id);
CREATE INDEX risks_residual_impact ON risks(org_id, residual_impact, number, id);
CREATE INDEX risks_residual_level ON risks(org_id, residual_level, number, id);
CREATE INDEX risks_treatment ON risks(org_id, treatment, number, id);
CREATE INDEX risks_status ON risks(org_id, status, number, id);
CREATE INDEX risks_acceptance ON risks(org_id, acceptance, number, id);
CREATE INDEX risks_last_assessed ON risks(org_id, last_assessed, number, id);
CREATE INDEX risks_s_title ON risks(org_id, title, id);
CREATE INDEX risks_s_next_review ON risks(org_id, next_review, id);
CREATE INDEX risks_updated ON risks(org_id, updated_at, id);
CREATE INDEX risks_created ON risks(org_id, created_at, id);
CREATE VIRTUAL TABLE risks_search USING fts5(
  title, description, rationale, content='risks', content_rowid='id', tokenize='trigram');
CREATE TRIGGER risks_search_insert AFTER INSERT ON risks BEGIN
  INSERT INTO risks_search(rowid, title, description, rationale) VALUES (new.id, new.title, new.description, new.rationale);
END;
CREATE TRIGGER risks_search_delete AFTER DELETE ON risks BEGIN
  INSERT INTO risks_search(risks_search, rowid, title, description, rationale) VALUES ('delete', old.id, old.title, old.description, old.rationale);
END;
CREATE TRIGGER risks_search_update AFTER UPDATE ON risks BEGIN
  INSERT INTO risks_search(risks_search, rowid, title, description, rationale) VALUES ('delete', old.id, old.title, old.description, old.rationale);
  INSERT INTO risks_search(rowid, title, description, rationale) VALUES (new.id, new.title, new.description, new.rationale);
END;

CREATE TABLE risk_acceptances (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  updated_by INTEGER NOT NULL REFERENCES users(id),
  risk INTEGER NOT NULL,
  risk_title TEXT,
  decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
  level TEXT,
  comment TEXT,
  decided_by INTEGER,
  decided_at TEXT,
  snapshot TEXT,
  UNIQUE (id, org_id),
  FOREIGN KEY (risk, org_id) REFERENCES risks(id, org_id),
  FOREIGN KEY (decided_by, org_id) REFERENCES memberships(user_id, org_id)
);
CREATE INDEX risk_acceptances_org ON risk_acceptances(org_id);
CREATE INDEX risk_acceptances_decided_at ON risk_acceptances(org_id, decided_at, id);
CREATE INDEX risk_acceptances_risk ON risk_acceptances(org_id, risk, decided_at, id);
CREATE INDEX risk_acceptances_decision ON risk_acceptances(org_id, decision, decided_at, id);
CREATE INDEX risk_acceptances_level ON risk_acceptances(org_id, level, decided_at, id);
CREATE INDEX risk_acceptances_decided_by ON risk_acceptances(org_id, decided_by, decided_at, id);
CREATE INDEX risk_acceptances_updated ON risk_acceptances(org_id, updated_at, id);
CREATE INDEX risk_acceptances_created ON risk_acceptances(org_id, created_at, id);
CREATE VIRTUAL TABLE risk_acceptances_search USING fts5(
  risk_title, comment, content='risk_acceptances', content_rowid='id', tokenize='trigram');
CREATE TRIGGER risk_acceptances_search_insert AFTER INSERT ON risk_acceptances BEGIN
  INSERT INTO risk_acceptances_search(rowid, risk_title, comment) VALUES (new.id, new.risk_title, new.comment);
END;
CREATE TRIGGER risk_acceptances_search_delete AFTER DELETE ON risk_acceptances BEGIN
  INSERT INTO risk_acceptances_search(risk_acceptances_search, rowid, risk_title, comment) VALUES ('delete', old.id, old.risk_title, old.comment);
END;
CREATE TRIGGER risk_acceptances_search_update AFTER UPDATE ON risk_acceptances BEGIN
  INSERT INTO risk_acceptances_search(risk_acceptances_search, rowid, risk_title, comment) VALUES ('delete', old.id, old.risk_title, old.comment);
  INSERT INTO risk_acceptances_search(rowid, risk_title, comment) VALUES (new.id, new.risk_title, new.comment);
END;

CREATE TABLE risk_assessments (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  updated_by INTEGER NOT NULL REFERENCES users(id),
  title TEXT NOT NULL,
  scope TEXT,
  owner INTEGER,
  started TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  reviews TEXT,
  summary TEXT,
  closed_on TEXT,
  UNIQUE (id, org_id),
  FOREIGN KEY (owner, org_id) REFERENCES memberships(user_id, org_id)
);
CREATE INDEX risk_assessments_org ON risk_assessments(org_id);
CREATE INDEX risk_assessments_started ON risk_assessments(org_id, started, id);
CREATE INDEX risk_assessments_owner ON risk_assessments(org_id, owner, started, id);
CREATE INDEX risk_assessments_status ON risk_assessments(org_id, status, started, id);
CREATE INDEX risk_assessments_s_title ON risk_assessments(org_id, title, id);
CREATE INDEX risk_assessments_s_closed_on ON risk_assessments(org_id, closed_on, id);
CREATE INDEX risk_assessments_updated ON risk_assessments(org_id, updated_at, id);
CREATE INDEX risk_assessments_created ON risk_assessments(org_id, created_at, id);
CREATE VIRTUAL TABLE risk_assessments_search USING fts5(
  title, scope, summary, content='risk_assessments', content_rowid='id', tokenize='trigram');
CREATE TRIGGER risk_assessments_search_insert AFTER INSERT ON risk_assessments BEGIN
  INSERT INTO risk_assessments_search(rowid, title, scope, summary) VALUES (new.id, new.title, new.scope, new.summary);
END;
CREATE TRIGGER risk_assessments_search_delete AFTER DELETE ON risk_assessments BEGIN
  INSERT INTO risk_assessments_search(risk_assessments_search, rowid, title, scope, summary) VALUES ('delete', old.id, old.title, old.scope, old.summary);
END;
CREATE TRIGGER risk_assessments_search_update AFTER UPDATE ON risk_assessments BEGIN
  INSERT INTO risk_assessments_search(risk_assessments_search, rowid, title, scope, summary) VALUES ('delete', old.id, old.title, old.scope, old.summary);
  INSERT INTO risk_assessments_search(rowid, title, scope, summary) VALUES (new.id, new.title, new.scope, new.summary);
END;

-- One row per reference held in a list-of-references field.
CREATE TABLE record_links (
  org_id       INTEGER NOT NULL REFERENCES organisations(id),
  record_type  TEXT NOT NULL,
  record_id    INTEGER NOT NULL,
  field        TEXT NOT NULL,
  target_id    INTEGER NOT NULL,
  PRIMARY KEY (record_type, record_id, field, target_id)
);
CREATE INDEX record_links_target ON record_links(org_id, record_type, field, target_id, record_id);

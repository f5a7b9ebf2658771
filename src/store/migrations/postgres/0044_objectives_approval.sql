-- Written by hand: an objective's approval by top management (approved_by, approved_on), which
-- logs a commitment (clause 5.1). (SQLite's twin refers to users only: it cannot add a composite
-- foreign key to an existing table.)
ALTER TABLE objectives ADD COLUMN approved_by BIGINT;
ALTER TABLE objectives ADD COLUMN approved_on DATE;
ALTER TABLE objectives ADD FOREIGN KEY (approved_by, org_id) REFERENCES memberships(user_id, org_id);
CREATE INDEX objectives_approved_by ON objectives(org_id, approved_by, due_date NULLS FIRST, id);

-- Written by hand: an objective's approval by top management (approved_by, approved_on), which
-- logs a commitment (clause 5.1). SQLite cannot add the composite foreign key (approved_by,
-- org_id) -> memberships to an existing table without rebuilding it; the column refers to users
-- instead, and the application checks that the approver is a member of the organisation (as it
-- does for every person named).
ALTER TABLE objectives ADD COLUMN approved_by INTEGER REFERENCES users(id);
ALTER TABLE objectives ADD COLUMN approved_on TEXT;
CREATE INDEX objectives_approved_by ON objectives(org_id, approved_by, due_date, id);

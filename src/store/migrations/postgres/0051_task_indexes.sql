-- Written by hand: `make schema` adds indexes only with the tables they belong to.
--
-- One person's tasks in one state (?owner=5&status=open): the same index as SQLite's, for the
-- same filter (see the SQLite migration of the same number).
CREATE INDEX tasks_owner_status ON tasks(org_id, owner, status, due_date NULLS FIRST, id);

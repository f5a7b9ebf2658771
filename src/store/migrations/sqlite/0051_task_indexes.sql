-- Written by hand: `make schema` adds indexes only with the tables they belong to.
--
-- One person's tasks in one state (?owner=5&status=open, the filter of "my open tasks"): with one
-- index per filter SQLite, which keeps no statistics, walked every open task of the organisation
-- in due-date order to find one person's (14 ms of SQL at 100,000 tasks; 0.1 ms with this index;
-- see docs/performance.md, "Tasks at 100,000").
CREATE INDEX tasks_owner_status ON tasks(org_id, owner, status, due_date, id);

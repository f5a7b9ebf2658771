-- Every audit event records the client's address. The canonical encoding that the hash covers
-- is versioned: events written before this migration keep encoding 1 (without the address), so
-- existing chains still verify; new events are written with encoding 2, which covers it.
ALTER TABLE audit_events ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN encoding INTEGER NOT NULL DEFAULT 1;

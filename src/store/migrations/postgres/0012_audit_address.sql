-- Audit addresses and encoding versions (PostgreSQL dialect of sqlite/0012_audit_address.sql).
ALTER TABLE audit_events ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN encoding INTEGER NOT NULL DEFAULT 1;

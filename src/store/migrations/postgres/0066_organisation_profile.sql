-- PostgreSQL dialect of sqlite/0066_organisation_profile.sql (written by hand, issue 15, the
-- guided setup): an organisation's size and sector, and when its setup was done.
ALTER TABLE organisations ADD COLUMN size TEXT;
ALTER TABLE organisations ADD COLUMN sector TEXT;
ALTER TABLE organisations ADD COLUMN set_up_at TEXT;

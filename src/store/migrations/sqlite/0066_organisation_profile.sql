-- Written by hand (issue 15, the guided setup): what the setup of a new organisation records
-- about it — its size (a band of people) and sector — and when the setup was done.
ALTER TABLE organisations ADD COLUMN size TEXT;
ALTER TABLE organisations ADD COLUMN sector TEXT;
ALTER TABLE organisations ADD COLUMN set_up_at TEXT;

-- Written by hand: `make schema` adds indexes only with the tables they belong to. A number
-- counted within a series (documents: within the series of their type, migration 0036) is read as
-- MAX(number) of its series on every insert; this index makes that one step instead of a walk
-- over the series, which made bulk loads quadratic (425 documents/s at 100,000). New registers
-- get the same index from their description (schema_gen.cc, IndexesOf).
CREATE INDEX documents_w_number ON documents(org_id, series, number);

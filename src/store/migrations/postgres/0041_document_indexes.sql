-- Written by hand: `make schema` adds indexes only with the tables they belong to.
--
-- A number counted within a series (documents: within the series of their type, migration 0036)
-- is read as MAX(number) of its series on every insert; this index makes that one step instead of
-- a walk over the series, which made bulk loads quadratic (425 documents/s at 100,000). New
-- registers get the same index from their description (schema_gen.cc, IndexesOf).
CREATE INDEX documents_w_number ON documents(org_id, series, number);
-- A document's or a version's acknowledgements by status (who has not acknowledged yet): with
-- one index per filter the planner walked every pending acknowledgement of the organisation in
-- date order to find one document's (20 ms at 100,000; see docs/performance.md).
CREATE INDEX document_acknowledgements_document_status
  ON document_acknowledgements(org_id, document, status, requested_at NULLS FIRST, id);
CREATE INDEX document_acknowledgements_version_status
  ON document_acknowledgements(org_id, document_version, status, person NULLS FIRST, id);

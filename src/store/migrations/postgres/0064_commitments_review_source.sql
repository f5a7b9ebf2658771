-- Written by hand (issue 14): an entry of the commitments log may name a management review as
-- its source (the attendance of top management that approving the minutes records), so the
-- entry links the review. The column's CHECK is replaced (its name is PostgreSQL's default).
ALTER TABLE commitments DROP CONSTRAINT commitments_source_type_check;
ALTER TABLE commitments ADD CONSTRAINT commitments_source_type_check
  CHECK (source_type IN ('document_version', 'resource', 'objective', 'planned_change', 'management_review'));

-- The audit trail page and GET /api/v1/audit/events filter an organisation's events by person
-- and by action, newest first: one index each, so a filtered page reads only its own events.
-- (By record type and by record: audit_events_type, audit_events_record.)
CREATE INDEX audit_events_actor ON audit_events(org_id, actor_id, seq);
CREATE INDEX audit_events_action ON audit_events(org_id, action, seq);

-- Text search (?q=): trigram indexes (pg_trgm) serve the case-insensitive substring match
-- (ILIKE '%text%') over each register's searchable fields.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX context_issues_search ON context_issues
  USING gin (title gin_trgm_ops, description gin_trgm_ops, effect gin_trgm_ops);
CREATE INDEX interested_parties_search ON interested_parties
  USING gin (name gin_trgm_ops, description gin_trgm_ops);
CREATE INDEX scope_statements_search ON scope_statements
  USING gin (title gin_trgm_ops, statement gin_trgm_ops);

-- A risk level's roles that may accept (risk_levels[].accepted_by) were one string of role ids
-- separated by commas or white space ("admin, executive"); they are a list of role ids now, in
-- the order of the roles, null when none (issue 12 B12). Every stored string becomes that list,
-- in drafts and approved versions alike: what a version says does not change, only how. Only
-- known role ids are kept (a methodology with another was refused when it was written).
UPDATE risk_methodologies m SET risk_levels = (
  SELECT jsonb_agg(CASE
    WHEN jsonb_typeof(l.value -> 'accepted_by') = 'string' THEN
      jsonb_set(l.value, '{accepted_by}', COALESCE((
        SELECT jsonb_agg(r.name ORDER BY r.n)
        FROM (VALUES (0, 'admin'), (1, 'isms_manager'), (2, 'contributor'), (3, 'auditor'),
                     (4, 'executive'), (5, 'viewer'), (6, 'external_auditor')) AS r(n, name)
        WHERE position(',' || r.name || ',' IN
                       ',' || regexp_replace(l.value ->> 'accepted_by', '\s', ',', 'g') || ',') > 0),
        'null'::jsonb))
    ELSE l.value END ORDER BY l.n)
  FROM jsonb_array_elements(m.risk_levels) WITH ORDINALITY AS l(value, n))
WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(m.risk_levels) AS l(value)
              WHERE jsonb_typeof(l.value -> 'accepted_by') = 'string');

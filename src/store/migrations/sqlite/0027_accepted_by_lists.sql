-- A risk level's roles that may accept (risk_levels[].accepted_by) were one string of role ids
-- separated by commas or white space ("admin, executive"); they are a list of role ids now, in
-- the order of the roles, null when none (issue 12 B12). Every stored string becomes that list,
-- in drafts and approved versions alike: what a version says does not change, only how. Only
-- known role ids are kept (a methodology with another was refused when it was written).
WITH roles(n, name) AS (
  VALUES (0, 'admin'), (1, 'isms_manager'), (2, 'contributor'), (3, 'auditor'),
         (4, 'executive'), (5, 'viewer'), (6, 'external_auditor'))
UPDATE risk_methodologies SET risk_levels = (
  SELECT json_group_array(json(CASE
    WHEN json_type(l.value, '$.accepted_by') = 'text' THEN
      json_set(l.value, '$.accepted_by', json((
        SELECT CASE WHEN count(*) = 0 THEN NULL ELSE json_group_array(r.name) END
        FROM (SELECT name FROM roles
              WHERE instr(',' || replace(replace(replace(replace(
                              json_extract(l.value, '$.accepted_by'),
                              ' ', ','), char(9), ','), char(10), ','), char(13), ',') || ',',
                          ',' || name || ',') > 0
              ORDER BY n) AS r)))
    ELSE l.value END))
  FROM (SELECT value FROM json_each(risk_methodologies.risk_levels) ORDER BY key) AS l)
WHERE EXISTS (SELECT 1 FROM json_each(risk_methodologies.risk_levels) AS l
              WHERE json_type(l.value, '$.accepted_by') = 'text');

-- The ranks of the risks' levels (inherent_level_rank, residual_level_rank: migration 0022), for
-- the risks that exist: a level's place in its organisation's approved risk methodology, lowest
-- 0, or in the built-in default methodology (Low, Medium, High, Critical) where none is approved.
-- From here on the risk write hook and methodology approval keep them (app/risk_service.cc).
UPDATE risks SET
  inherent_level_rank = COALESCE(
    (SELECT l.n - 1 FROM risk_methodologies m,
       jsonb_array_elements(m.risk_levels) WITH ORDINALITY AS l(value, n)
     WHERE m.org_id = risks.org_id AND m.status = 'approved'
       AND l.value ->> 'name' = risks.inherent_level),
    CASE WHEN NOT EXISTS (SELECT 1 FROM risk_methodologies m
                          WHERE m.org_id = risks.org_id AND m.status = 'approved')
         THEN CASE inherent_level WHEN 'Low' THEN 0 WHEN 'Medium' THEN 1 WHEN 'High' THEN 2
                                  WHEN 'Critical' THEN 3 END END),
  residual_level_rank = COALESCE(
    (SELECT l.n - 1 FROM risk_methodologies m,
       jsonb_array_elements(m.risk_levels) WITH ORDINALITY AS l(value, n)
     WHERE m.org_id = risks.org_id AND m.status = 'approved'
       AND l.value ->> 'name' = risks.residual_level),
    CASE WHEN NOT EXISTS (SELECT 1 FROM risk_methodologies m
                          WHERE m.org_id = risks.org_id AND m.status = 'approved')
         THEN CASE residual_level WHEN 'Low' THEN 0 WHEN 'Medium' THEN 1 WHEN 'High' THEN 2
                                  WHEN 'Critical' THEN 3 END END)
WHERE inherent_level IS NOT NULL OR residual_level IS NOT NULL;

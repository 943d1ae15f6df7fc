-- The public API as the catalog shows it: the extension's schema holds the API only (internal
-- support functions and types live in crm_internal), every public function and type has a
-- COMMENT, and the list of public function names is below (a change to it is an API change).
SELECT count(*) AS internal_looking_public_functions
FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'crm_ext'
WHERE p.pronamespace = (SELECT extnamespace FROM pg_extension WHERE extname = 'crm_ext')
  AND (p.proname LIKE 'crm\_\_%' OR p.proname ~ '_(trans|final|combine|serialize|deserialize)[0-9]*$'
       OR p.proname ~ '_(in|out|send|recv|eq|ne|lt|le|gt|ge|cmp|hash)$');
SELECT n.nspname AS schema, count(*) FILTER (WHERE p.prokind = 'f') AS functions, count(*) FILTER (WHERE p.prokind = 'a') AS aggregates
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'crm_ext'
GROUP BY 1 ORDER BY 1;
-- every aggregate's support functions are internal
SELECT count(*) AS public_support_functions
FROM pg_aggregate a, unnest(ARRAY[a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn]) f(fn)
JOIN pg_proc p ON p.oid = f.fn
WHERE a.aggfnoid IN (SELECT objid FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'crm_ext' WHERE d.deptype = 'e')
  AND f.fn <> 0 AND p.pronamespace <> 'crm_internal'::regnamespace;
-- every public function, aggregate and type of the extension has a COMMENT
SELECT p.oid::regprocedure AS uncommented
FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'crm_ext'
WHERE p.pronamespace <> 'crm_internal'::regnamespace AND obj_description(p.oid, 'pg_proc') IS NULL;
SELECT t.oid::regtype AS uncommented_type
FROM pg_type t JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'crm_ext'
WHERE t.typnamespace <> 'crm_internal'::regnamespace AND obj_description(t.oid, 'pg_type') IS NULL;
-- the public names
SELECT string_agg(DISTINCT p.proname, ' ' ORDER BY p.proname) AS public_api
FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'crm_ext'
WHERE p.pronamespace <> 'crm_internal'::regnamespace;
-- a caller without privileges beyond PUBLIC's uses the API (the helpers in crm_internal included)
CREATE ROLE api_surface_user;
GRANT SELECT ON cdnow_summary TO api_surface_user;
SET ROLE api_surface_user;
SELECT count(*) AS buckets FROM crm_frequency_histogram(crm_bgnbd(0.2426, 4.414, 0.7929, 2.426), 'cdnow_summary');
SELECT round(crm_p_alive(crm_bgnbd_fit(frequency, recency, t), 2, 30.43, 38.86)::numeric, 4) AS p_alive FROM cdnow_summary;
RESET ROLE;
REVOKE SELECT ON cdnow_summary FROM api_surface_user;
DROP ROLE api_surface_user;

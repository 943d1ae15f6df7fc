-- Every view and materialized view of sql/examples has a comment, and so has each of its columns
-- (BI tools such as Superset and Metabase show them as descriptions). The examples are included
-- without echo or output (their text and results are in the tests that check them); the catalog
-- then lists each view of the schema public with its comment and uncommented columns.
\getenv crm_root CRM_EXT_ROOT
\set ECHO none
\o /dev/null
SET client_min_messages = error;  -- the fits' notices and warnings (and "already exists, skipping")
\i :crm_root/sql/examples/cdnow_cltv.sql
\i :crm_root/sql/examples/cdnow_validation.sql
\i :crm_root/sql/examples/flo_cltv.sql
\i :crm_root/sql/examples/flo_rfm.sql
\i :crm_root/sql/examples/flo_validation.sql
\i :crm_root/sql/examples/flo_segment_history.sql
\i :crm_root/sql/examples/retail_cltv.sql
\i :crm_root/sql/examples/retail_clusters.sql
\i :crm_root/sql/examples/retail_cohorts.sql
\i :crm_root/sql/examples/retail_kpis.sql
\i :crm_root/sql/examples/retail_rfm.sql
\i :crm_root/sql/examples/retail_validation.sql
\i :crm_root/sql/examples/refresh.sql
RESET client_min_messages;
\o
\set ECHO all

CREATE TEMP VIEW example_views AS
SELECT c.relname, obj_description(c.oid, 'pg_class') IS NOT NULL AS has_comment,
       count(a.attnum) AS columns,
       count(a.attnum) FILTER (WHERE col_description(c.oid, a.attnum) IS NULL) AS uncommented
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')
  AND NOT EXISTS (SELECT FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
GROUP BY c.oid, c.relname;

SELECT relname, has_comment, columns, uncommented FROM example_views ORDER BY relname;
SELECT count(*) AS views, count(*) FILTER (WHERE NOT has_comment OR uncommented > 0) AS offenders FROM example_views;
-- the model table of cdnow_cltv.sql and the history table of flo_segment_history.sql too
SELECT attrelid::regclass AS table_name, obj_description(attrelid, 'pg_class') IS NOT NULL AS has_comment,
       count(*) FILTER (WHERE col_description(attrelid, attnum) IS NULL) AS uncommented
FROM pg_attribute WHERE attrelid IN ('cdnow_models'::regclass, 'flo_rfm_segment_history'::regclass) AND attnum > 0 AND NOT attisdropped
GROUP BY attrelid ORDER BY 1::text;
-- and the procedure of refresh.sql
SELECT obj_description('example_refresh()'::regprocedure, 'pg_proc') IS NOT NULL AS procedure_has_comment;

-- every materialized view has a refreshed_at timestamptz column, and example_refresh() refreshes
-- every one of them (the column then shows a time after the call's start)
SELECT c.relname, format_type(a.atttypid, a.atttypmod) AS refreshed_at_type
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'refreshed_at' AND NOT a.attisdropped
WHERE n.nspname = 'public' AND c.relkind = 'm'
ORDER BY c.relname;
SELECT now() AS before_refresh \gset
SET client_min_messages = error;  -- the refits' notices and warnings (31_cltv_flo, 32_cltv_retail show them)
CALL example_refresh();
RESET client_min_messages;
SELECT c.relname,
       (xpath('/row/refreshed/text()',
              query_to_xml(format('SELECT bool_and(refreshed_at > %L) AS refreshed FROM %s', :'before_refresh', c.oid::regclass),
                           false, true, '')))[1]::text AS refreshed
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'm'
ORDER BY c.relname;

-- every column of an extension type (the model columns) has the type's operators: equality and
-- default btree and hash operator classes, so BI tools can group, filter and count distinct;
-- and SELECT DISTINCT / GROUP BY work on such a column
SELECT c.relname, a.attname, a.atttypid::regtype AS type,
       EXISTS (SELECT 1 FROM pg_opclass o JOIN pg_am am ON am.oid = o.opcmethod
               WHERE o.opcintype = a.atttypid AND o.opcdefault AND am.amname = 'btree') AS btree,
       EXISTS (SELECT 1 FROM pg_opclass o JOIN pg_am am ON am.oid = o.opcmethod
               WHERE o.opcintype = a.atttypid AND o.opcdefault AND am.amname = 'hash') AS hash,
       to_regoperator(format('=(%s,%s)', a.atttypid::regtype, a.atttypid::regtype)) IS NOT NULL AS equality
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = a.atttypid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'crm_ext'
WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm', 'r')
ORDER BY 1, 2;
SELECT count(*) AS distinct_models FROM (SELECT DISTINCT model FROM retail_cluster_model) s;
SELECT count(*) AS model_groups FROM (SELECT model, count(*) FROM retail_cluster_model GROUP BY model) s;
SELECT count(*) AS bgnbd_groups FROM (SELECT bgnbd, count(*) FROM cdnow_models GROUP BY bgnbd) s;

-- leave the database as the other tests find it
DROP VIEW example_views;
SET client_min_messages = warning;  -- the drops cascade between the views and tables in any order
DROP PROCEDURE IF EXISTS example_refresh();
DROP MATERIALIZED VIEW IF EXISTS flo_cltv, flo_model_comparison, flo_cltv_models, flo_frequency_recency_matrix, retail_uk_cltv, retail_uk_model_comparison, retail_uk_cltv_models,
    retail_uk_calibration, retail_cluster_model, retail_customer_clusters CASCADE;
DROP TABLE IF EXISTS cdnow_models, cdnow_family_models, retail_uk_validation_models, flo_rfm_segment_history CASCADE;
DROP VIEW IF EXISTS cdnow_calibration, cdnow_holdout_check, cdnow_holdout_total, cdnow_tracking, cdnow_calibration_holdout,
    cdnow_frequency_histogram, cdnow_holdout_metrics,
    flo_cltv_input, flo_cltv_segment_summary, flo_frequency_recency_matrix,
    flo_rfm_metrics, flo_rfm_segments, flo_rfm, flo_rfm_segment_summary, flo_rfm_segment_migration,
    retail_clean_lines, retail_rfm, retail_customer_rfm,
    retail_cohorts, retail_kpis_monthly, retail_uk_summary, retail_uk_repeat,
    retail_uk_lines, retail_uk_tracking, retail_uk_calibration_holdout, retail_uk_holdout_metrics CASCADE;
RESET client_min_messages;
SELECT count(*) AS left_behind
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public'
  AND (c.relkind IN ('v', 'm')
       OR c.relname IN ('cdnow_models', 'cdnow_family_models', 'retail_uk_validation_models', 'flo_rfm_segment_history'));
SELECT count(*) AS procedures_left_behind FROM pg_proc WHERE proname = 'example_refresh';

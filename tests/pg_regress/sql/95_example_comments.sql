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
\i :crm_root/sql/examples/retail_cltv.sql
\i :crm_root/sql/examples/retail_clusters.sql
\i :crm_root/sql/examples/retail_cohorts.sql
\i :crm_root/sql/examples/retail_kpis.sql
\i :crm_root/sql/examples/retail_rfm.sql
\i :crm_root/sql/examples/retail_validation.sql
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
-- the model table of cdnow_cltv.sql too
SELECT obj_description('cdnow_models'::regclass, 'pg_class') IS NOT NULL AS has_comment,
       count(*) FILTER (WHERE col_description('cdnow_models'::regclass, attnum) IS NULL) AS uncommented
FROM pg_attribute WHERE attrelid = 'cdnow_models'::regclass AND attnum > 0 AND NOT attisdropped;

-- leave the database as the other tests find it
DROP VIEW example_views;
SET client_min_messages = warning;  -- the drops cascade between the views and tables in any order
DROP MATERIALIZED VIEW IF EXISTS flo_cltv, retail_uk_cltv, retail_uk_calibration CASCADE;
DROP TABLE IF EXISTS cdnow_models, cdnow_family_models, retail_uk_validation_models CASCADE;
DROP VIEW IF EXISTS cdnow_calibration, cdnow_holdout_check, cdnow_tracking, cdnow_calibration_holdout,
    cdnow_frequency_histogram, cdnow_holdout_metrics,
    flo_cltv_input, flo_cltv_segment_summary, flo_model_comparison, flo_frequency_recency_matrix,
    flo_rfm_metrics, flo_rfm_segments, flo_rfm, flo_rfm_segment_summary,
    retail_clean_lines, retail_rfm, retail_customer_rfm, retail_cluster_model, retail_customer_clusters,
    retail_cohorts, retail_kpis_monthly, retail_uk_summary, retail_uk_repeat, retail_uk_model_comparison,
    retail_uk_lines, retail_uk_tracking, retail_uk_calibration_holdout, retail_uk_holdout_metrics CASCADE;
RESET client_min_messages;
SELECT count(*) AS left_behind
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public'
  AND (c.relkind IN ('v', 'm') OR c.relname IN ('cdnow_models', 'cdnow_family_models', 'retail_uk_validation_models'));

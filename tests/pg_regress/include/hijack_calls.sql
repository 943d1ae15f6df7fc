-- 90_search_path_hijack: every crm_ext function that runs SQL, called with qualified names.
-- (crm_cltv's NOTICE would name this file's path in the output)
SET client_min_messages = warning;
SELECT pg_catalog.count(*) AS kpi_rows FROM public.crm_kpis('public.hj_orders', amount => 'amount', order_id => 'order_id');
SELECT pg_catalog.count(*) AS cohort_rows FROM public.crm_cohort_retention('public.hj_orders', amount => 'amount');
SELECT pg_catalog.count(*) AS cohort_rows_by_date FROM public.crm_cohort_retention('public.hj_orders', order_ts => 'order_date');
SELECT pg_catalog.count(*) AS rfm_rows FROM public.crm_rfm_scores('public.hj_rfm');
SELECT pg_catalog.count(*) AS elbow_rows FROM public.crm_kmeans_elbow('public.hj_rfm', ARRAY['recency', 'frequency', 'monetary'], 1, 3);
SELECT public.crm_rfm_segment(5, 5) AS segment, public.crm_rfm_segment(1, 2, 3, 'rfm_package') AS segment_rfm;
SELECT pg_catalog.count(*) AS cltv_rows FROM public.crm_cltv('public.hj_summary');
SELECT pg_catalog.count(*) AS model_rows FROM public.crm_cltv_models('public.hj_summary');
SELECT pg_catalog.count(*) AS holdout_rows FROM public.crm_holdout_check((SELECT m FROM public.hj_model), 'public.hj_holdout');
RESET client_min_messages;

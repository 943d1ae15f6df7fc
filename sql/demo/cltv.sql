-- CLTV showcase block for sql/demo.sql: the FLO course pipeline (sql/examples/flo_cltv.sql).
\set QUIET on
\ir ../examples/flo_cltv.sql
\set QUIET off
\echo '### FLO: the models crm_cltv fitted (BG/NBD penalizer 0.001, Gamma-Gamma 0.01, weeks)'
\set QUIET on
SET client_min_messages = error;  -- the q < 1 warning was shown above
CREATE TEMP TABLE flo_models AS
SELECT * FROM crm_cltv_models('flo_cltv_input', bgnbd_penalizer => 0.001, gamma_gamma_penalizer => 0.01);
RESET client_min_messages;
\set QUIET off
SELECT 'BG/NBD' AS model, string_agg(parameter || ' = ' || round(estimate::numeric, 4), ', ') AS parameters
FROM flo_models m, crm_bgnbd_params(m.bgnbd)
UNION ALL
SELECT 'Gamma-Gamma', string_agg(parameter || ' = ' || round(estimate::numeric, 4), ', ')
FROM flo_models m, crm_gamma_gamma_params(m.gamma_gamma);

\echo '### FLO: top 20 customers by 6-month CLV (1% monthly discount)'
SELECT customer_id, frequency, round(recency::numeric, 1) AS recency_w, round(t::numeric, 1) AS t_w,
       round(monetary::numeric, 2) AS monetary, round(exp_sales_3_month::numeric, 2) AS sales_3m,
       round(exp_sales_6_month::numeric, 2) AS sales_6m, round(exp_average_value::numeric, 2) AS avg_value,
       round(cltv::numeric, 2) AS cltv, cltv_segment AS seg
FROM flo_cltv ORDER BY cltv DESC LIMIT 20;

\echo '### FLO: CLV segments'
SELECT cltv_segment AS seg, customers, share_pct, recency_weeks_mean, frequency_mean, monetary_mean,
       exp_sales_6_month_mean, cltv_mean, cltv_share_pct, suggested_action
FROM flo_cltv_segment_summary;

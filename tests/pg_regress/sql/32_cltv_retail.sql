-- Online Retail UK customers from raw invoice lines (sql/examples/retail_cltv.sql).
\getenv crm_root CRM_EXT_ROOT
SET client_min_messages = error;  -- messages of an included file carry its path
\i :crm_root/sql/examples/retail_cltv.sql
RESET client_min_messages;

-- UK customers after cleaning; the summaries agree with plain SQL on every customer
SELECT count(*) AS uk_customers, count(*) FILTER (WHERE frequency > 0) AS repeat_customers,
       sum(frequency) AS repeat_purchase_days, min(t) >= 2 / 7.0 AS t_at_least_two_days
FROM retail_uk_summary;
SELECT count(*) AS mismatches
FROM retail_uk_summary s
JOIN (SELECT customer_id, count(DISTINCT invoice_date::date) - 1 AS frequency,
             (max(invoice_date::date) - min(invoice_date::date)) / 7.0 AS recency,
             (DATE '2011-12-11' - min(invoice_date::date)) / 7.0 AS t
      FROM retail_lines
      WHERE customer_id IS NOT NULL AND invoice_no NOT LIKE 'C%' AND quantity > 0 AND unit_price > 0
        AND country = 'United Kingdom'
      GROUP BY customer_id) q USING (customer_id)
WHERE s.frequency <> q.frequency OR abs(s.recency - q.recency) > 1e-9 OR abs(s.t - q.t) > 1e-9;

-- every repeat customer is scored; CLV finite and positive; four segments of (nearly) equal size
SELECT count(*) AS scored, count(*) FILTER (WHERE cltv > 0 AND cltv < 'Infinity') AS finite_positive,
       count(*) FILTER (WHERE p_alive BETWEEN 0 AND 1) AS p_alive_in_range
FROM retail_uk_cltv;
SELECT cltv_segment, count(*) AS customers FROM retail_uk_cltv GROUP BY 1 ORDER BY 1;
SELECT (SELECT array_agg(DISTINCT as_of) FROM retail_uk_summary) AS summary_as_of,
       array_agg(DISTINCT as_of) AS cltv_as_of, count(DISTINCT refreshed_at) AS refresh_times
FROM retail_uk_cltv;
SELECT crm_converged(bgnbd) AS bgnbd_converged, crm_converged(gamma_gamma) AS gamma_gamma_converged,
       crm_customers(bgnbd) AS customers
FROM crm_cltv_models('retail_uk_repeat', bgnbd_penalizer => 0.001, gamma_gamma_penalizer => 0.01);
-- the three purchase models on all UK customers
-- materialized: the fits (and their warnings) happen at the creation and at each refresh
REFRESH MATERIALIZED VIEW retail_uk_model_comparison;
SELECT model, parameters, round(log_likelihood::numeric, 1) AS log_likelihood, round(bic::numeric, 1) AS bic,
       round(delta_bic::numeric, 1) AS delta_bic, customers, converged
FROM retail_uk_model_comparison;
-- the models behind retail_uk_cltv, with the fits' diagnostics beside the CLVs
SELECT model, unit, parameters, customers, converged, warning_count, warnings, as_of FROM retail_uk_cltv_models ORDER BY model;
DROP MATERIALIZED VIEW retail_uk_cltv, retail_uk_model_comparison, retail_uk_cltv_models;
DROP VIEW retail_uk_repeat, retail_uk_summary;

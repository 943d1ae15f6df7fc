-- Online Retail UK: the purchase models against what happened in the last three months, as
-- tables a BI tool charts. Needs retail_lines (scripts/load_data.sh retail). Creates:
--   retail_uk_calibration          (materialized) one row per UK customer: calibration to 2011-09-09, holdout to 2011-12-09 (weeks)
--   retail_uk_validation_models    BG/NBD, MBG/NBD and Pareto/NBD fitted on the calibration period (a table)
--   retail_uk_tracking             repeat purchase days per ISO week, actual vs expected, per model
--   retail_uk_calibration_holdout  mean holdout purchases by calibration frequency, per model
--   retail_uk_holdout_metrics      one row per model: holdout totals and errors
--   retail_uk_lines                the UK customers' cleaned lines (input of the tracking)
-- Refresh after new lines, in this order, or CALL example_refresh() (sql/examples/refresh.sql),
-- which does the first step for every example:
--   REFRESH MATERIALIZED VIEW retail_uk_calibration;  -- the summaries (refreshed_at tells when)
--   then refit the models: DROP TABLE retail_uk_validation_models and rerun this file.
\ir retail_clean_lines.sql

-- Purchases merged per day; customers first seen after 2011-09-09 have no calibration row.
-- Materialized: every validation function reads it. now() is the time of the REFRESH.
CREATE MATERIALIZED VIEW IF NOT EXISTS retail_uk_calibration AS
SELECT customer_id, (s).*, as_of, now() AS refreshed_at
FROM (SELECT customer_id, d.as_of,
             crm_holdout_summary(invoice_date, amount::float8, d.as_of, DATE '2011-12-09', 'week', 'day') AS s
      FROM retail_clean_lines CROSS JOIN (SELECT DATE '2011-09-09' AS as_of) d
      WHERE country = 'United Kingdom'
      GROUP BY customer_id, d.as_of) per_customer
WHERE s IS NOT NULL;

-- A small penalizer: in nine months the dropout is barely identified (see retail_uk_model_comparison).
CREATE TABLE IF NOT EXISTS retail_uk_validation_models AS
SELECT crm_bgnbd_fit(frequency_cal, recency_cal, t_cal, 0.001) AS bgnbd,
       crm_mbgnbd_fit(frequency_cal, recency_cal, t_cal, 0.001) AS mbgnbd,
       crm_pareto_nbd_fit(frequency_cal, recency_cal, t_cal, 0.001) AS pareto_nbd
FROM retail_uk_calibration;
COMMENT ON TABLE retail_uk_validation_models IS 'Online Retail UK: BG/NBD, MBG/NBD and Pareto/NBD fitted on the calibration period to 2011-09-09 (weeks, penalizer 0.001).';

CREATE OR REPLACE VIEW retail_uk_lines AS
SELECT customer_id, invoice_date FROM retail_clean_lines WHERE country = 'United Kingdom';
COMMENT ON VIEW retail_uk_lines IS 'Online Retail: the cleaned invoice lines of UK customers (customer and invoice time), the input of retail_uk_tracking.';
COMMENT ON COLUMN retail_uk_lines.customer_id IS 'Customer id.';
COMMENT ON COLUMN retail_uk_lines.invoice_date IS 'Invoice time (timestamp).';

-- ISO weeks (Monday to Sunday) from the week of the first invoice, 2010-11-29, to 2011-12-12.
CREATE OR REPLACE VIEW retail_uk_tracking AS
WITH tracked AS (
    SELECT 'bgnbd' AS model, t.* FROM retail_uk_validation_models m,
        crm_tracking(m.bgnbd, 'retail_uk_lines', order_date => 'invoice_date', calibration_end => '2011-09-10') t
    UNION ALL
    SELECT 'mbgnbd', t.* FROM retail_uk_validation_models m,
        crm_tracking(m.mbgnbd, 'retail_uk_lines', order_date => 'invoice_date', calibration_end => '2011-09-10') t
    UNION ALL
    SELECT 'pareto_nbd', t.* FROM retail_uk_validation_models m,
        crm_tracking(m.pareto_nbd, 'retail_uk_lines', order_date => 'invoice_date', calibration_end => '2011-09-10') t
)
SELECT model, period_index AS week_index, period_start::date AS week_start, customers, actual, expected,
       actual_cumulative, expected_cumulative, in_holdout
FROM tracked;

CREATE OR REPLACE VIEW retail_uk_calibration_holdout AS
SELECT 'bgnbd' AS model, c.* FROM retail_uk_validation_models m, crm_calibration_holdout(m.bgnbd, 'retail_uk_calibration') c
UNION ALL
SELECT 'mbgnbd', c.* FROM retail_uk_validation_models m, crm_calibration_holdout(m.mbgnbd, 'retail_uk_calibration') c
UNION ALL
SELECT 'pareto_nbd', c.* FROM retail_uk_validation_models m, crm_calibration_holdout(m.pareto_nbd, 'retail_uk_calibration') c;

-- Each model's converged flag and warnings (crm_model_summary) beside the errors they qualify:
-- MBG/NBD and Pareto/NBD have no standard errors on these nine months.
CREATE OR REPLACE VIEW retail_uk_holdout_metrics AS
SELECT h.*, s.converged, s.warnings FROM retail_uk_validation_models m, crm_holdout_metrics(m.bgnbd, 'retail_uk_calibration') h, crm_model_summary(m.bgnbd) s
UNION ALL
SELECT h.*, s.converged, s.warnings FROM retail_uk_validation_models m, crm_holdout_metrics(m.mbgnbd, 'retail_uk_calibration') h, crm_model_summary(m.mbgnbd) s
UNION ALL
SELECT h.*, s.converged, s.warnings FROM retail_uk_validation_models m, crm_holdout_metrics(m.pareto_nbd, 'retail_uk_calibration') h, crm_model_summary(m.pareto_nbd) s;

COMMENT ON MATERIALIZED VIEW retail_uk_calibration IS 'Online Retail UK: per customer, the calibration summary to as_of = 2011-09-09 and the holdout to 2011-12-09 (weeks; purchases merged per day), as crm_holdout_summary returns it. A snapshot: REFRESH MATERIALIZED VIEW retail_uk_calibration after new lines.';
COMMENT ON COLUMN retail_uk_calibration.customer_id IS 'Customer id.';
COMMENT ON COLUMN retail_uk_calibration.frequency_cal IS 'Repeat purchase days in the calibration period.';
COMMENT ON COLUMN retail_uk_calibration.recency_cal IS 'Weeks from the first to the last purchase in the calibration period.';
COMMENT ON COLUMN retail_uk_calibration.t_cal IS 'Weeks from the first purchase to the end of the calibration period.';
COMMENT ON COLUMN retail_uk_calibration.monetary_value_cal IS 'Mean spend of the repeat purchase days in the calibration period (currency, GBP).';
COMMENT ON COLUMN retail_uk_calibration.frequency_holdout IS 'Purchase days in the holdout period.';
COMMENT ON COLUMN retail_uk_calibration.monetary_value_holdout IS 'Mean spend of the holdout purchase days (GBP).';
COMMENT ON COLUMN retail_uk_calibration.duration_holdout IS 'Length of the holdout period in weeks.';
COMMENT ON COLUMN retail_uk_calibration.as_of IS 'End of the calibration period (2011-09-09, the same for every row): the *_cal columns describe the customer as of this date.';
COMMENT ON COLUMN retail_uk_calibration.refreshed_at IS 'When the snapshot was computed: the time of the last REFRESH MATERIALIZED VIEW retail_uk_calibration (or of its creation).';

COMMENT ON VIEW retail_uk_tracking IS 'Online Retail UK weekly tracking: repeat purchase days per ISO week, actual vs expected under each model fitted on the calibration period (to 2011-09-09); the holdout weeks follow.';
COMMENT ON COLUMN retail_uk_tracking.model IS 'Purchase model: bgnbd, mbgnbd or pareto_nbd.';
COMMENT ON COLUMN retail_uk_tracking.week_index IS 'Week number from 0 (the ISO week of the first invoice); sort key.';
COMMENT ON COLUMN retail_uk_tracking.week_start IS 'Monday of the ISO week.';
COMMENT ON COLUMN retail_uk_tracking.customers IS 'Customers acquired (first purchase) by the end of the week.';
COMMENT ON COLUMN retail_uk_tracking.actual IS 'Repeat purchase days in the week (count).';
COMMENT ON COLUMN retail_uk_tracking.expected IS 'Repeat purchases the model expects in the week (count; customers acquired after the calibration period included).';
COMMENT ON COLUMN retail_uk_tracking.actual_cumulative IS 'Repeat purchase days from the first week to the end of this one (count).';
COMMENT ON COLUMN retail_uk_tracking.expected_cumulative IS 'Expected repeat purchases from the first week to the end of this one (count).';
COMMENT ON COLUMN retail_uk_tracking.in_holdout IS 'True for the weeks from 2011-09-12, after the calibration period.';

COMMENT ON VIEW retail_uk_calibration_holdout IS 'Online Retail UK: mean purchase days in the holdout (2011-09-10 .. 2011-12-09), actual vs predicted, by repeat purchase days in the calibration period (0 .. 6, 7+), per model.';
COMMENT ON COLUMN retail_uk_calibration_holdout.model IS 'Purchase model: bgnbd, mbgnbd or pareto_nbd.';
COMMENT ON COLUMN retail_uk_calibration_holdout.bucket IS 'Repeat purchase days in the calibration period: 0 .. 6, or 7+ (display label).';
COMMENT ON COLUMN retail_uk_calibration_holdout.sort_order IS 'Sort key of the bucket (7 for 7+).';
COMMENT ON COLUMN retail_uk_calibration_holdout.customers IS 'Customers in the bucket.';
COMMENT ON COLUMN retail_uk_calibration_holdout.actual_mean IS 'Mean purchase days per customer in the holdout.';
COMMENT ON COLUMN retail_uk_calibration_holdout.predicted_mean IS 'Mean predicted purchases per customer in the holdout.';
COMMENT ON COLUMN retail_uk_calibration_holdout.actual_total IS 'Purchase days of the bucket''s customers in the holdout.';
COMMENT ON COLUMN retail_uk_calibration_holdout.predicted_total IS 'Predicted purchases of the bucket''s customers in the holdout.';

COMMENT ON VIEW retail_uk_holdout_metrics IS 'Online Retail UK: one row per purchase model, its error on the holdout (2011-09-10 .. 2011-12-09) for the customers of the calibration period.';
COMMENT ON COLUMN retail_uk_holdout_metrics.model_name IS 'Purchase model: bgnbd, mbgnbd or pareto_nbd.';
COMMENT ON COLUMN retail_uk_holdout_metrics.customers IS 'Customers scored.';
COMMENT ON COLUMN retail_uk_holdout_metrics.actual_total IS 'Purchase days in the holdout, all customers.';
COMMENT ON COLUMN retail_uk_holdout_metrics.predicted_total IS 'Predicted purchases in the holdout, all customers.';
COMMENT ON COLUMN retail_uk_holdout_metrics.mae IS 'Mean absolute error of the per-customer prediction (purchases).';
COMMENT ON COLUMN retail_uk_holdout_metrics.rmse IS 'Root mean squared error of the per-customer prediction (purchases).';
COMMENT ON COLUMN retail_uk_holdout_metrics.mean_bias IS 'Mean of predicted minus actual purchases per customer (negative: the model under-predicts).';
COMMENT ON COLUMN retail_uk_holdout_metrics.brier_p_alive IS 'Brier score of P(alive) at the end of calibration against a purchase in the holdout (0 best, 1 worst).';
COMMENT ON COLUMN retail_uk_holdout_metrics.active_share IS 'Share of customers with a holdout purchase (fraction 0..1).';
COMMENT ON COLUMN retail_uk_holdout_metrics.mean_p_alive IS 'Mean P(alive) at the end of calibration (fraction 0..1).';
COMMENT ON COLUMN retail_uk_holdout_metrics.converged IS 'Whether the model''s fit converged.';
COMMENT ON COLUMN retail_uk_holdout_metrics.warnings IS 'What the fit warned about (e.g. no standard errors), joined with "; "; NULL when nothing.';

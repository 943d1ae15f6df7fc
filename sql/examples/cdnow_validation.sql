-- CDNOW: the purchase models against what happened, as tables a BI tool charts (crm_tracking,
-- crm_calibration_holdout, crm_frequency_histogram, crm_holdout_metrics). Needs cdnow_cltv.sql
-- (cdnow_calibration, cdnow_models). Creates:
--   cdnow_family_models        MBG/NBD and Pareto/NBD fitted on the calibration period (a table)
--   cdnow_tracking             weekly repeat purchases, actual vs expected, per model
--   cdnow_calibration_holdout  mean holdout purchases by calibration frequency, per model
--   cdnow_frequency_histogram  customers by calibration repeat purchases, actual vs expected
--   cdnow_holdout_metrics      one row per model: holdout totals and errors
\ir cdnow_cltv.sql

CREATE TABLE IF NOT EXISTS cdnow_family_models AS
SELECT crm_mbgnbd_fit(frequency_cal, recency_cal, t_cal) AS mbgnbd,
       crm_pareto_nbd_fit(frequency_cal, recency_cal, t_cal) AS pareto_nbd
FROM cdnow_calibration;
COMMENT ON TABLE cdnow_family_models IS 'CDNOW: MBG/NBD and Pareto/NBD fitted on the 39-week calibration period (weeks), beside BG/NBD in cdnow_models.';

-- Weeks from 1997-01-01, the first purchase day (the papers' weeks); the holdout starts 1997-10-01.
CREATE OR REPLACE VIEW cdnow_tracking AS
WITH tracked AS (
    SELECT 'bgnbd' AS model, t.* FROM cdnow_models m,
        crm_tracking(m.bgnbd, 'cdnow_transactions', calibration_end => '1997-10-01', observation_end => '1998-07-01', start => '1997-01-01') t
    UNION ALL
    SELECT 'mbgnbd', t.* FROM cdnow_family_models m,
        crm_tracking(m.mbgnbd, 'cdnow_transactions', calibration_end => '1997-10-01', observation_end => '1998-07-01', start => '1997-01-01') t
    UNION ALL
    SELECT 'pareto_nbd', t.* FROM cdnow_family_models m,
        crm_tracking(m.pareto_nbd, 'cdnow_transactions', calibration_end => '1997-10-01', observation_end => '1998-07-01', start => '1997-01-01') t
)
SELECT model, period_index AS week_index, period_start::date AS week_start, customers, actual, expected,
       actual_cumulative, expected_cumulative, in_holdout
FROM tracked;

CREATE OR REPLACE VIEW cdnow_calibration_holdout AS
SELECT 'bgnbd' AS model, c.* FROM cdnow_models m, crm_calibration_holdout(m.bgnbd, 'cdnow_calibration') c
UNION ALL
SELECT 'mbgnbd', c.* FROM cdnow_family_models m, crm_calibration_holdout(m.mbgnbd, 'cdnow_calibration') c
UNION ALL
SELECT 'pareto_nbd', c.* FROM cdnow_family_models m, crm_calibration_holdout(m.pareto_nbd, 'cdnow_calibration') c;

CREATE OR REPLACE VIEW cdnow_frequency_histogram AS
SELECT 'bgnbd' AS model, h.* FROM cdnow_models m,
    crm_frequency_histogram(m.bgnbd, 'cdnow_calibration', frequency => 'frequency_cal', t => 't_cal') h
UNION ALL
SELECT 'mbgnbd', h.* FROM cdnow_family_models m,
    crm_frequency_histogram(m.mbgnbd, 'cdnow_calibration', frequency => 'frequency_cal', t => 't_cal') h
UNION ALL
SELECT 'pareto_nbd', h.* FROM cdnow_family_models m,
    crm_frequency_histogram(m.pareto_nbd, 'cdnow_calibration', frequency => 'frequency_cal', t => 't_cal') h;

-- Each model's converged flag and warnings (crm_model_summary) beside the errors they qualify.
CREATE OR REPLACE VIEW cdnow_holdout_metrics AS
SELECT h.*, s.converged, s.warnings FROM cdnow_models m, crm_holdout_metrics(m.bgnbd, 'cdnow_calibration') h, crm_model_summary(m.bgnbd) s
UNION ALL
SELECT h.*, s.converged, s.warnings FROM cdnow_family_models m, crm_holdout_metrics(m.mbgnbd, 'cdnow_calibration') h, crm_model_summary(m.mbgnbd) s
UNION ALL
SELECT h.*, s.converged, s.warnings FROM cdnow_family_models m, crm_holdout_metrics(m.pareto_nbd, 'cdnow_calibration') h, crm_model_summary(m.pareto_nbd) s;

COMMENT ON VIEW cdnow_tracking IS 'CDNOW weekly tracking: repeat purchase days per week from 1997-01-01, actual vs expected under each purchase model fitted on the calibration period (to 1997-09-30); the holdout runs to 1998-06-30.';
COMMENT ON COLUMN cdnow_tracking.model IS 'Purchase model: bgnbd, mbgnbd or pareto_nbd.';
COMMENT ON COLUMN cdnow_tracking.week_index IS 'Week number from 0 (the week starting 1997-01-01); sort key.';
COMMENT ON COLUMN cdnow_tracking.week_start IS 'First day of the week (weeks start on 1997-01-01, a Wednesday).';
COMMENT ON COLUMN cdnow_tracking.customers IS 'Customers acquired (first purchase) by the end of the week.';
COMMENT ON COLUMN cdnow_tracking.actual IS 'Repeat purchase days in the week (count).';
COMMENT ON COLUMN cdnow_tracking.expected IS 'Repeat purchases the model expects in the week (count).';
COMMENT ON COLUMN cdnow_tracking.actual_cumulative IS 'Repeat purchase days from 1997-01-01 to the end of the week (count).';
COMMENT ON COLUMN cdnow_tracking.expected_cumulative IS 'Expected repeat purchases from 1997-01-01 to the end of the week (count).';
COMMENT ON COLUMN cdnow_tracking.in_holdout IS 'True for the holdout weeks (from 1997-10-01), which the models did not see.';

COMMENT ON VIEW cdnow_calibration_holdout IS 'CDNOW: mean repeat purchases in the 39-week holdout, actual vs predicted, by repeat purchases in the calibration period (0 .. 6, 7+), per model.';
COMMENT ON COLUMN cdnow_calibration_holdout.model IS 'Purchase model: bgnbd, mbgnbd or pareto_nbd.';
COMMENT ON COLUMN cdnow_calibration_holdout.bucket IS 'Repeat purchase days in the calibration period: 0 .. 6, or 7+ (display label).';
COMMENT ON COLUMN cdnow_calibration_holdout.sort_order IS 'Sort key of the bucket (7 for 7+).';
COMMENT ON COLUMN cdnow_calibration_holdout.customers IS 'Customers in the bucket.';
COMMENT ON COLUMN cdnow_calibration_holdout.actual_mean IS 'Mean repeat purchase days per customer in the holdout.';
COMMENT ON COLUMN cdnow_calibration_holdout.predicted_mean IS 'Mean predicted repeat purchases per customer in the holdout.';
COMMENT ON COLUMN cdnow_calibration_holdout.actual_total IS 'Repeat purchase days of the bucket''s customers in the holdout (sums to the population total).';
COMMENT ON COLUMN cdnow_calibration_holdout.predicted_total IS 'Predicted repeat purchases of the bucket''s customers in the holdout.';

COMMENT ON VIEW cdnow_frequency_histogram IS 'CDNOW: customers by repeat purchase days in the calibration period (0 .. 6, 7+), actual vs expected under each model (the sum of P(X(T) = n) over customers).';
COMMENT ON COLUMN cdnow_frequency_histogram.model IS 'Purchase model: bgnbd, mbgnbd or pareto_nbd.';
COMMENT ON COLUMN cdnow_frequency_histogram.frequency_bucket IS 'Repeat purchase days in the calibration period: 0 .. 6, or 7+ (display label).';
COMMENT ON COLUMN cdnow_frequency_histogram.sort_order IS 'Sort key of the bucket (7 for 7+).';
COMMENT ON COLUMN cdnow_frequency_histogram.actual IS 'Customers with that many repeat purchase days.';
COMMENT ON COLUMN cdnow_frequency_histogram.expected IS 'Customers the model expects with that many repeat purchases.';

COMMENT ON VIEW cdnow_holdout_metrics IS 'CDNOW: one row per purchase model, its error on the 39-week holdout (customers'' purchases predicted from the calibration period).';
COMMENT ON COLUMN cdnow_holdout_metrics.model_name IS 'Purchase model: bgnbd, mbgnbd or pareto_nbd.';
COMMENT ON COLUMN cdnow_holdout_metrics.customers IS 'Customers scored.';
COMMENT ON COLUMN cdnow_holdout_metrics.actual_total IS 'Repeat purchase days in the holdout, all customers.';
COMMENT ON COLUMN cdnow_holdout_metrics.predicted_total IS 'Predicted repeat purchases in the holdout, all customers.';
COMMENT ON COLUMN cdnow_holdout_metrics.mae IS 'Mean absolute error of the per-customer prediction (purchases).';
COMMENT ON COLUMN cdnow_holdout_metrics.rmse IS 'Root mean squared error of the per-customer prediction (purchases).';
COMMENT ON COLUMN cdnow_holdout_metrics.mean_bias IS 'Mean of predicted minus actual purchases per customer (negative: the model under-predicts).';
COMMENT ON COLUMN cdnow_holdout_metrics.brier_p_alive IS 'Brier score of P(alive) at the end of calibration against a purchase in the holdout (0 best, 1 worst).';
COMMENT ON COLUMN cdnow_holdout_metrics.active_share IS 'Share of customers with a holdout purchase (fraction 0..1).';
COMMENT ON COLUMN cdnow_holdout_metrics.mean_p_alive IS 'Mean P(alive) at the end of calibration (fraction 0..1).';
COMMENT ON COLUMN cdnow_holdout_metrics.converged IS 'Whether the model''s fit converged.';
COMMENT ON COLUMN cdnow_holdout_metrics.warnings IS 'What the fit warned about (e.g. no standard errors), joined with "; "; NULL when nothing.';

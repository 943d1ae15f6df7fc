-- CDNOW (the 2,357-customer sample): calibration/holdout summaries from raw transactions, a
-- BG/NBD + Gamma-Gamma fit on the 39-week calibration period, and the holdout check.
-- Needs the cdnow_transactions table (scripts/load_data.sh cdnow). Creates:
--   cdnow_calibration    one row per customer: calibration to 1997-09-30 (as_of), holdout to 1998-06-30
--   cdnow_models         the fitted BG/NBD and Gamma-Gamma models (a table, fitted once)
--   cdnow_holdout_check  holdout purchases, actual vs predicted, per calibration frequency bucket
--   cdnow_holdout_total  the same for all customers, one row

-- One row per customer: calibration to 1997-09-30, holdout to 1998-06-30; purchases merged per
-- day, times in weeks (the papers' and lifetimes' conventions).
CREATE OR REPLACE VIEW cdnow_calibration AS
SELECT customer_id, (s).*, as_of
FROM (SELECT customer_id, d.as_of,
             crm_holdout_summary(order_date, dollars::float8, d.as_of, DATE '1998-06-30', 'week', 'day') AS s
      FROM cdnow_transactions CROSS JOIN (SELECT DATE '1997-09-30' AS as_of) d
      GROUP BY customer_id, d.as_of) per_customer
WHERE s IS NOT NULL;

-- The models, stored in a table for reuse.
CREATE TABLE IF NOT EXISTS cdnow_models AS
SELECT crm_bgnbd_fit(frequency_cal, recency_cal, t_cal) AS bgnbd,
       crm_gamma_gamma_fit(frequency_cal, monetary_value_cal) AS gamma_gamma
FROM cdnow_calibration;

-- Predicted vs actual repeat purchases in the 39-week holdout, by calibration frequency (0 .. 6,
-- 7+): the buckets only, so that a SUM over the rows is the population's; the totals are a view
-- of their own.
CREATE OR REPLACE VIEW cdnow_holdout_check AS
SELECT c.* FROM cdnow_models m, crm_calibration_holdout(m.bgnbd, 'cdnow_calibration') c;

CREATE OR REPLACE VIEW cdnow_holdout_total AS
SELECT sum(customers)::bigint AS customers, sum(actual_total)::bigint AS actual, sum(predicted_total) AS predicted
FROM cdnow_holdout_check;

COMMENT ON VIEW cdnow_calibration IS 'CDNOW (the 2,357-customer sample): one row per customer, the calibration summary to 1997-09-30 and the 39-week holdout 1997-10-01 .. 1998-06-30 (weeks; purchases merged per day; spend in USD), as crm_holdout_summary returns it.';
COMMENT ON COLUMN cdnow_calibration.customer_id IS 'CDNOW customer id (1 .. 2357).';
COMMENT ON COLUMN cdnow_calibration.frequency_cal IS 'Repeat purchase days in the calibration period: days with a purchase minus 1 (count).';
COMMENT ON COLUMN cdnow_calibration.recency_cal IS 'Weeks from the first to the last purchase day in the calibration period (0 without repeats).';
COMMENT ON COLUMN cdnow_calibration.t_cal IS 'Weeks from the first purchase day to the end of the calibration period (1997-09-30): the customer''s age.';
COMMENT ON COLUMN cdnow_calibration.monetary_value_cal IS 'Mean spend of the repeat purchase days in the calibration period (USD; the first purchase day excluded; 0 without repeats).';
COMMENT ON COLUMN cdnow_calibration.frequency_holdout IS 'Purchase days in the holdout period (count).';
COMMENT ON COLUMN cdnow_calibration.monetary_value_holdout IS 'Mean spend of the holdout purchase days (USD; 0 without holdout purchases).';
COMMENT ON COLUMN cdnow_calibration.duration_holdout IS 'Length of the holdout period in weeks (39 for every customer).';
COMMENT ON COLUMN cdnow_calibration.as_of IS 'End of the calibration period (1997-09-30, the same for every row): the *_cal columns describe the customer as of this date.';

COMMENT ON TABLE cdnow_models IS 'CDNOW: one row, the BG/NBD and Gamma-Gamma models fitted on cdnow_calibration (weeks, USD, no penalizer). Fitted once: rerunning cdnow_cltv.sql keeps the stored row (CREATE TABLE IF NOT EXISTS); drop the table to refit.';
COMMENT ON COLUMN cdnow_models.bgnbd IS 'BG/NBD purchase model (crm_bgnbd: r, alpha, a, b, time unit week) fitted on frequency_cal, recency_cal, t_cal of all 2,357 customers.';
COMMENT ON COLUMN cdnow_models.gamma_gamma IS 'Gamma-Gamma spend model (crm_gamma_gamma: p, q, v; spend in USD) fitted on frequency_cal and monetary_value_cal of the customers with repeat purchases in the calibration period.';

COMMENT ON VIEW cdnow_holdout_check IS 'CDNOW: repeat purchases in the 39-week holdout (1997-10-01 .. 1998-06-30), actual vs predicted by the BG/NBD model of cdnow_models, one row per calibration frequency bucket (0 .. 6, 7+), crm_calibration_holdout''s output. No total row: a SUM over the rows is the population''s (cdnow_holdout_total).';
COMMENT ON COLUMN cdnow_holdout_check.bucket IS 'Repeat purchase days in the calibration period: 0 .. 6, or 7+ (7 or more). Display label; sort by sort_order.';
COMMENT ON COLUMN cdnow_holdout_check.sort_order IS 'Sort key of the bucket: 0 .. 6, 7 for 7+.';
COMMENT ON COLUMN cdnow_holdout_check.customers IS 'Customers in the bucket (sums to 2,357).';
COMMENT ON COLUMN cdnow_holdout_check.actual_mean IS 'Mean repeat purchase days per customer of the bucket in the holdout.';
COMMENT ON COLUMN cdnow_holdout_check.predicted_mean IS 'Mean repeat purchases per customer of the bucket that the BG/NBD model predicts for the 39-week holdout.';
COMMENT ON COLUMN cdnow_holdout_check.actual_total IS 'Repeat purchase days of the bucket''s customers in the holdout (count, summed over the customers; sums to 1,882).';
COMMENT ON COLUMN cdnow_holdout_check.predicted_total IS 'Repeat purchases the BG/NBD model predicts for the bucket''s customers in the 39-week holdout (count, summed over the customers; sums to 1,653.4).';

COMMENT ON VIEW cdnow_holdout_total IS 'CDNOW: one row, repeat purchases of all customers in the 39-week holdout (1997-10-01 .. 1998-06-30), actual vs predicted by the BG/NBD model of cdnow_models: the sums of cdnow_holdout_check''s buckets.';
COMMENT ON COLUMN cdnow_holdout_total.customers IS 'Customers (2,357).';
COMMENT ON COLUMN cdnow_holdout_total.actual IS 'Repeat purchase days of all customers in the holdout (count; 1,882).';
COMMENT ON COLUMN cdnow_holdout_total.predicted IS 'Repeat purchases the BG/NBD model predicts for all customers in the 39-week holdout (count; 1,653.4).';

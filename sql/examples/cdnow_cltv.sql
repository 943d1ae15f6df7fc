-- CDNOW (the 2,357-customer sample): calibration/holdout summaries from raw transactions, a
-- BG/NBD + Gamma-Gamma fit on the 39-week calibration period, and the holdout check.
-- Needs the cdnow_transactions table (scripts/load_data.sh cdnow).

-- One row per customer: calibration to 1997-09-30, holdout to 1998-06-30; purchases merged per
-- day, times in weeks (the papers' and lifetimes' conventions).
CREATE OR REPLACE VIEW cdnow_calibration AS
SELECT customer_id, (s).*
FROM (SELECT customer_id,
             crm_holdout_summary(order_date, dollars::float8, DATE '1997-09-30', DATE '1998-06-30', 'week', 'day') AS s
      FROM cdnow_transactions
      GROUP BY customer_id) per_customer
WHERE s IS NOT NULL;

-- The models, stored in a table for reuse.
CREATE TABLE IF NOT EXISTS cdnow_models AS
SELECT crm_bgnbd_fit(frequency_cal, recency_cal, t_cal) AS bgnbd,
       crm_gamma_gamma_fit(frequency_cal, monetary_value_cal) AS gamma_gamma
FROM cdnow_calibration;

-- Predicted vs actual repeat purchases in the 39-week holdout, by calibration frequency.
CREATE OR REPLACE VIEW cdnow_holdout_check AS
SELECT c.* FROM cdnow_models m, crm_holdout_check(m.bgnbd, 'cdnow_calibration') c;

COMMENT ON VIEW cdnow_calibration IS 'CDNOW (the 2,357-customer sample): one row per customer, the calibration summary to 1997-09-30 and the 39-week holdout 1997-10-01 .. 1998-06-30 (weeks; purchases merged per day; spend in USD), as crm_holdout_summary returns it.';
COMMENT ON COLUMN cdnow_calibration.customer_id IS 'CDNOW customer id (1 .. 2357).';
COMMENT ON COLUMN cdnow_calibration.frequency_cal IS 'Repeat purchase days in the calibration period: days with a purchase minus 1 (count).';
COMMENT ON COLUMN cdnow_calibration.recency_cal IS 'Weeks from the first to the last purchase day in the calibration period (0 without repeats).';
COMMENT ON COLUMN cdnow_calibration.t_cal IS 'Weeks from the first purchase day to the end of the calibration period (1997-09-30): the customer''s age.';
COMMENT ON COLUMN cdnow_calibration.monetary_value_cal IS 'Mean spend of the repeat purchase days in the calibration period (USD; the first purchase day excluded; 0 without repeats).';
COMMENT ON COLUMN cdnow_calibration.frequency_holdout IS 'Purchase days in the holdout period (count).';
COMMENT ON COLUMN cdnow_calibration.monetary_value_holdout IS 'Mean spend of the holdout purchase days (USD; 0 without holdout purchases).';
COMMENT ON COLUMN cdnow_calibration.duration_holdout IS 'Length of the holdout period in weeks (39 for every customer).';

COMMENT ON TABLE cdnow_models IS 'CDNOW: one row, the BG/NBD and Gamma-Gamma models fitted on cdnow_calibration (weeks, USD, no penalizer). Fitted once: rerunning cdnow_cltv.sql keeps the stored row (CREATE TABLE IF NOT EXISTS); drop the table to refit.';
COMMENT ON COLUMN cdnow_models.bgnbd IS 'BG/NBD purchase model (crm_bgnbd: r, alpha, a, b, time unit week) fitted on frequency_cal, recency_cal, t_cal of all 2,357 customers.';
COMMENT ON COLUMN cdnow_models.gamma_gamma IS 'Gamma-Gamma spend model (crm_gamma_gamma: p, q, v; spend in USD) fitted on frequency_cal and monetary_value_cal of the customers with repeat purchases in the calibration period.';

COMMENT ON VIEW cdnow_holdout_check IS 'CDNOW: repeat purchases in the 39-week holdout (1997-10-01 .. 1998-06-30), actual vs predicted by the BG/NBD model of cdnow_models, one row per calibration frequency bucket (0 .. 6, 7+) plus a row frequency_bucket = ''total'' for all customers: SUM over the rows double counts (filter the total row out, or read it alone).';
COMMENT ON COLUMN cdnow_holdout_check.frequency_bucket IS 'Repeat purchase days in the calibration period: 0 .. 6, 7+ (7 or more), or total (every customer: the sum of the other rows). Text label.';
COMMENT ON COLUMN cdnow_holdout_check.customers IS 'Customers in the bucket (2,357 in the total row).';
COMMENT ON COLUMN cdnow_holdout_check.actual IS 'Repeat purchase days of the bucket''s customers in the holdout (count, summed over the customers).';
COMMENT ON COLUMN cdnow_holdout_check.predicted IS 'Repeat purchases the BG/NBD model predicts for the bucket''s customers in the 39-week holdout (count, summed over the customers).';

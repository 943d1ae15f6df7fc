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

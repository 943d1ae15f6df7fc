-- Validation as data (sql/extension/validation.sql) on the CDNOW sample: tracking, calibration vs
-- holdout, the frequency histogram and the holdout metrics, for BG/NBD, MBG/NBD and Pareto/NBD
-- through one polymorphic implementation. Reference: lifetimes 0.11.3 at fixed parameters
-- (tests/pg_regress/data/cdnow_validation_lifetimes.csv, from scripts/golden/validation_golden.py),
-- and the papers' totals: 1,882 repeat purchase days in the 39-week holdout, 1,653.4 predicted.
\getenv crm_root CRM_EXT_ROOT
\set golden_csv :crm_root/tests/pg_regress/data/cdnow_validation_lifetimes.csv
\i :crm_root/sql/examples/cdnow_validation.sql
CREATE TEMP TABLE golden (model text, kind text, key int, actual float8, predicted float8, customers bigint);
COPY golden FROM :'golden_csv' WITH (FORMAT csv, HEADER true);
SELECT model, kind, count(*) FROM golden GROUP BY 1, 2 ORDER BY 1, 2;

\set name bgnbd
\set m 'crm_bgnbd(0.242593, 4.413532, 0.792886, 2.425752)'
\i :crm_root/tests/pg_regress/include/validation_golden.sql
\set name mbgnbd
\set m 'crm_mbgnbd(0.524838, 6.182992, 0.891356, 1.613999)'
\i :crm_root/tests/pg_regress/include/validation_golden.sql
\set name pareto_nbd
\set m 'crm_pareto_nbd(0.553275, 10.57761, 0.606214, 11.66792)'
\i :crm_root/tests/pg_regress/include/validation_golden.sql

-- the fitted models (example views): the paper's holdout totals, and the tracking's
SELECT model_name, customers, actual_total, round(predicted_total::numeric, 1) AS predicted_total,
       round(mae::numeric, 4) AS mae, round(rmse::numeric, 4) AS rmse, round(mean_bias::numeric, 4) AS mean_bias,
       round(brier_p_alive::numeric, 4) AS brier_p_alive, round(active_share::numeric, 4) AS active_share
FROM cdnow_holdout_metrics ORDER BY model_name;
SELECT model_name, converged, warnings FROM cdnow_holdout_metrics ORDER BY model_name;
SELECT model, count(*) AS weeks, count(*) FILTER (WHERE in_holdout) AS holdout_weeks,
       sum(actual) FILTER (WHERE in_holdout) AS holdout_actual,
       round(sum(expected) FILTER (WHERE in_holdout)::numeric, 1) AS holdout_expected,
       max(actual_cumulative) AS actual_78_weeks, round(max(expected_cumulative)::numeric, 1) AS expected_78_weeks,
       round(sum(expected)::numeric, 6) = round(max(expected_cumulative)::numeric, 6) AS increments_add_up
FROM cdnow_tracking GROUP BY model ORDER BY model;
SELECT week_index, week_start, customers, actual, round(expected::numeric, 2) AS expected, actual_cumulative,
       round(expected_cumulative::numeric, 2) AS expected_cumulative, in_holdout
FROM cdnow_tracking WHERE model = 'bgnbd' AND week_index IN (0, 1, 11, 12, 38, 39, 77) ORDER BY week_index;
SELECT model, bucket, customers, round(actual_mean::numeric, 4) AS actual_mean, round(predicted_mean::numeric, 4) AS predicted_mean
FROM cdnow_calibration_holdout WHERE model = 'pareto_nbd' ORDER BY sort_order;
-- bucket totals add up to the population's (no total row to double a SUM)
SELECT model, sum(customers) AS customers, sum(actual_total) AS actual, round(sum(predicted_total)::numeric, 1) AS predicted
FROM cdnow_calibration_holdout GROUP BY model ORDER BY model;
SELECT model, sum(actual) AS customers, round(sum(expected)::numeric, 6) AS expected FROM cdnow_frequency_histogram GROUP BY model ORDER BY model;

-- by predicted decile: 10 groups of 235-236 customers, the top decile holds most purchases
SELECT bucket, customers, round(actual_mean::numeric, 3) AS actual_mean, round(predicted_mean::numeric, 3) AS predicted_mean
FROM cdnow_models m, crm_calibration_holdout(m.bgnbd, 'cdnow_calibration', by => 'predicted', buckets => 10) ORDER BY sort_order;

-- calendar periods: ISO weeks start on Monday 1996-12-30, months on the 1st; the default end is
-- the end of the period of the last purchase (weeks: 1998-07-06; months: 1998-07-01, where the
-- monthly totals equal cdnow_tracking's 78-week totals)
SELECT period_index, period_start, period_end, customers, actual FROM cdnow_models m,
       crm_tracking(m.bgnbd, 'cdnow_transactions') ORDER BY period_index LIMIT 2;
SELECT count(*) AS weeks, max(period_end) AS last_end, max(actual_cumulative) AS repeat_purchases,
       round(max(expected_cumulative)::numeric, 4) AS expected
FROM cdnow_models m, crm_tracking(m.bgnbd, 'cdnow_transactions');
SELECT count(*) AS months, min(period_start) AS first_start, max(period_end) AS last_end, max(actual_cumulative) AS repeat_purchases,
       round(max(expected_cumulative)::numeric, 4) AS expected
FROM cdnow_models m, crm_tracking(m.bgnbd, 'cdnow_transactions', period => 'month');
-- purchases merged per week instead of per day (lifetimes' freq = 'W'): fewer repeat purchases
SELECT max(actual_cumulative) AS repeat_purchase_weeks
FROM cdnow_models m, crm_tracking(m.bgnbd, 'cdnow_transactions', purchase_period => 'week');
-- date, timestamp and timestamptz order columns give the same tracking (session time zone)
CREATE TEMP TABLE tx_types AS
SELECT customer_id, order_date, order_date::timestamp AS order_ts, order_date::timestamptz AS order_tstz FROM cdnow_transactions;
SELECT (SELECT array_agg(expected_cumulative ORDER BY period_index) FROM crm_tracking(m.bgnbd, 'tx_types')) =
       (SELECT array_agg(expected_cumulative ORDER BY period_index) FROM crm_tracking(m.bgnbd, 'tx_types', order_date => 'order_ts')) AND
       (SELECT array_agg(expected_cumulative ORDER BY period_index) FROM crm_tracking(m.bgnbd, 'tx_types', order_date => 'order_tstz')) =
       (SELECT array_agg(expected_cumulative ORDER BY period_index) FROM crm_tracking(m.bgnbd, 'tx_types')) AS same_tracking
FROM cdnow_models m;

-- NULLs are skipped: rows with a NULL customer, date or summary column change nothing
CREATE TEMP TABLE tx_nulls AS
SELECT customer_id, order_date FROM cdnow_transactions
UNION ALL SELECT NULL, DATE '1997-03-01' UNION ALL SELECT 1, NULL;
CREATE TEMP TABLE cal_nulls AS
SELECT frequency_cal, recency_cal, t_cal, frequency_holdout, duration_holdout FROM cdnow_calibration
UNION ALL SELECT NULL, 1, 2, 3, 39 UNION ALL SELECT 1, 1, 2, NULL, 39 UNION ALL SELECT 1, 1, NULL, 1, 39;
SELECT (SELECT array_agg(row(actual, expected_cumulative)::text ORDER BY period_index) FROM crm_tracking(m.bgnbd, 'tx_nulls')) =
       (SELECT array_agg(row(actual, expected_cumulative)::text ORDER BY period_index) FROM crm_tracking(m.bgnbd, 'cdnow_transactions')) AS tracking_same,
       (SELECT array_agg(c::text) FROM crm_calibration_holdout(m.bgnbd, 'cal_nulls') c) =
       (SELECT array_agg(c::text) FROM crm_calibration_holdout(m.bgnbd, 'cdnow_calibration') c) AS calibration_holdout_same,
       (SELECT h::text FROM crm_holdout_metrics(m.bgnbd, 'cal_nulls') h) =
       (SELECT h::text FROM crm_holdout_metrics(m.bgnbd, 'cdnow_calibration') h) AS metrics_same
FROM cdnow_models m;
-- an empty relation: no periods, no buckets, one metrics row of zero customers
CREATE TEMP TABLE tx_empty AS SELECT * FROM tx_nulls WHERE false;
CREATE TEMP TABLE cal_empty AS SELECT * FROM cal_nulls WHERE false;
SELECT (SELECT count(*) FROM crm_tracking(m.bgnbd, 'tx_empty')) AS periods,
       (SELECT count(*) FROM crm_calibration_holdout(m.bgnbd, 'cal_empty')) AS buckets
FROM cdnow_models m;
SELECT h.customers, h.actual_total, h.mae FROM cdnow_models m, crm_holdout_metrics(m.bgnbd, 'cal_empty') h;

-- the frequency/recency matrix (heatmap data): frequency 0 has recency 0 only
SELECT frequency, recency, t, round(expected_purchases::numeric, 4) AS expected_purchases, round(p_alive::numeric, 4) AS p_alive
FROM cdnow_models m, crm_frequency_recency_matrix(m.bgnbd, age => 3, max_frequency => 2, horizon => 39);
SELECT count(*) AS cells, count(*) FILTER (WHERE frequency = 0) AS frequency_0_cells, max(recency) AS max_recency
FROM cdnow_family_models m, crm_frequency_recency_matrix(m.pareto_nbd, age => 38.86, max_frequency => 20, recency_step => 0.5);
-- BG/BB (periods, no unit) works where no dates are needed
SELECT frequency, recency, round(expected_purchases::numeric, 4) AS expected_purchases
FROM crm_frequency_recency_matrix(crm_bgbb(1.204, 0.750, 0.657, 2.783), age => 6, max_frequency => 1, horizon => 5);

-- Intervals. Parameters: log-scale Wald intervals exp(ln estimate +- z se / estimate), z = 1.6449
-- at 90% (the same formula in SQL, to 1e-12); NULL bounds for a model given by its parameters.
SELECT i.parameter, round(i.estimate::numeric, 4) AS estimate, round(i.low::numeric, 4) AS low, round(i.high::numeric, 4) AS high,
       abs(i.low / (i.estimate * exp(-1.6448536269514722 * i.std_error / i.estimate)) - 1) < 1e-12
       AND abs(i.high / (i.estimate * exp(1.6448536269514722 * i.std_error / i.estimate)) - 1) < 1e-12 AS formula
FROM cdnow_models m, crm_confidence_intervals(m.bgnbd) i;
SELECT parameter, round(low::numeric, 4) AS low_95, round(high::numeric, 4) AS high_95
FROM cdnow_models m, crm_confidence_intervals(m.gamma_gamma, level => 0.95);
SELECT parameter, round(low::numeric, 4) AS low, round(high::numeric, 4) AS high
FROM cdnow_family_models m, crm_confidence_intervals(m.pareto_nbd);
SELECT parameter, estimate, std_error, low, high FROM crm_confidence_intervals(crm_bgnbd(0.24, 4.4, 0.79, 2.4));
-- A customer's expected purchases in the 39-week holdout (customer 1: x = 2, t_x = 30.43, T = 38.86)
-- and CLV: the delta method and a seeded parametric bootstrap agree within 2%; the estimate is
-- the point prediction; a bootstrap is the same for the same seed
SELECT round(d.low::numeric, 4) AS delta_low, round(d.estimate::numeric, 4) AS estimate, round(d.high::numeric, 4) AS delta_high,
       round(b.low::numeric, 4) AS bootstrap_low, round(b.high::numeric, 4) AS bootstrap_high,
       abs(b.low / d.low - 1) < 0.02 AND abs(b.high / d.high - 1) < 0.02 AS methods_agree,
       abs(d.estimate / crm_expected_purchases(m.bgnbd, 2, 30.43, 38.86, 39) - 1) < 1e-12 AS estimate_is_prediction
FROM cdnow_models m, crm_expected_purchases_interval(m.bgnbd, 2, 30.43, 38.86, 39) d,
     crm_expected_purchases_interval(m.bgnbd, 2, 30.43, 38.86, 39, method => 'bootstrap', draws => 4000, seed => 7) b;
SELECT (SELECT row(i.*)::text FROM crm_expected_purchases_interval(m.bgnbd, 2, 30.43, 38.86, 39, method => 'bootstrap', seed => 1) i) =
       (SELECT row(i.*)::text FROM crm_expected_purchases_interval(m.bgnbd, 2, 30.43, 38.86, 39, method => 'bootstrap', seed => 1) i) AS same_seed_same_interval,
       (SELECT row(i.*)::text FROM crm_expected_purchases_interval(m.bgnbd, 2, 30.43, 38.86, 39, method => 'bootstrap', seed => 1) i) <>
       (SELECT row(i.*)::text FROM crm_expected_purchases_interval(m.bgnbd, 2, 30.43, 38.86, 39, method => 'bootstrap', seed => 2) i) AS other_seed_other_interval
FROM cdnow_models m;
SELECT round(d.low::numeric, 2) AS delta_low, round(d.estimate::numeric, 2) AS clv, round(d.high::numeric, 2) AS delta_high,
       abs(b.low / d.low - 1) < 0.02 AND abs(b.high / d.high - 1) < 0.02 AS methods_agree,
       abs(d.estimate / crm_clv(m.bgnbd, m.gamma_gamma, 2, 30.43, 38.86, 22.35) - 1) < 1e-12 AS estimate_is_clv
FROM cdnow_models m, crm_clv_interval(m.bgnbd, m.gamma_gamma, 2, 30.43, 38.86, 22.35) d,
     crm_clv_interval(m.bgnbd, m.gamma_gamma, 2, 30.43, 38.86, 22.35, method => 'bootstrap', draws => 4000, seed => 7) b;
-- every purchase model of the family, one row per customer of a small table (LATERAL)
SELECT c.customer_id, round(i.low::numeric, 3) AS low, round(i.estimate::numeric, 3) AS estimate, round(i.high::numeric, 3) AS high
FROM cdnow_family_models m, cdnow_calibration c,
     crm_expected_purchases_interval(m.pareto_nbd, c.frequency_cal, c.recency_cal, c.t_cal, c.duration_holdout, level => 0.8) i
WHERE c.customer_id <= 3 ORDER BY c.customer_id;
SELECT round(i.estimate::numeric, 2) AS clv, i.low < i.estimate AND i.estimate < i.high AS ordered
FROM cdnow_models g, cdnow_family_models m, crm_clv_interval(m.mbgnbd, g.gamma_gamma, 2, 30.43, 38.86, 22.35, months => 6) i;

-- errors: 22023 for bad periods, buckets, groupings and non-models; 22004 for NULL arguments;
-- 42P01 / 42703 for missing relations and columns
\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT * FROM cdnow_models m, crm_tracking(m.bgnbd, 'cdnow_transactions', period => 'fortnight');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_tracking(m.bgnbd, 'cdnow_transactions', purchase_period => 'minute');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_tracking(m.bgnbd, 'cdnow_transactions', start => '1998-01-01', observation_end => '1997-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_tracking(m.bgnbd, 'cdnow_transactions', period => 'hour', start => '1900-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_tracking(crm_bgbb(1.2, 0.75, 0.66, 2.8), 'cdnow_transactions');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_tracking(42, 'cdnow_transactions');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_tracking(m.bgnbd, 'cdnow_transactions', period => NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_tracking(NULL::crm_bgnbd, 'cdnow_transactions');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_tracking(m.bgnbd, 'no_such_table');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_tracking(m.bgnbd, 'cdnow_transactions', order_date => 'no_such_column');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_calibration_holdout(m.bgnbd, 'cdnow_calibration', buckets => 0);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_calibration_holdout(m.bgnbd, 'cdnow_calibration', by => 'recency');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_frequency_histogram(m.bgnbd, 'cdnow_calibration', buckets => 1001);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_frequency_histogram(m.bgnbd, 'cdnow_calibration', frequency => 'frequency_cal');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_holdout_metrics(m.bgnbd, 'cdnow_transactions');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_frequency_recency_matrix(m.bgnbd, age => 0);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_frequency_recency_matrix(m.bgnbd, age => 1e6, recency_step => 0.001);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_frequency_recency_matrix(m.bgnbd, age => 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_confidence_intervals(m.bgnbd, level => 1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_expected_purchases_interval(m.bgnbd, 2, 30.43, 38.86, 39, level => 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_expected_purchases_interval(m.bgnbd, 2, 30.43, 38.86, 39, method => 'jackknife');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_expected_purchases_interval(m.bgnbd, 2, 30.43, 38.86, 39, method => 'bootstrap', draws => 5);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_expected_purchases_interval(m.bgnbd, 2, 30.43, 38.86, 39, method => 'bootstrap', seed => -1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_expected_purchases_interval(crm_bgnbd(0.24, 4.4, 0.79, 2.4), 2, 30.43, 38.86, 39);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_clv_interval(m.bgnbd, m.gamma_gamma, 2, 30.43, 38.86, 22.35, months => -1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cdnow_models m, crm_expected_purchases_interval(m.bgnbd, 2, 40, 38.86, 39);
\echo :LAST_ERROR_SQLSTATE
DROP TABLE tx_types, tx_nulls, cal_nulls, tx_empty, cal_empty, golden;
DROP VIEW cdnow_tracking, cdnow_calibration_holdout, cdnow_frequency_histogram, cdnow_holdout_metrics,
          cdnow_holdout_total, cdnow_holdout_check, cdnow_calibration;
DROP TABLE cdnow_family_models, cdnow_models;

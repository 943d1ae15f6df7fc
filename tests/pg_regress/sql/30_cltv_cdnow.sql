-- CDNOW from raw transactions (sql/examples/cdnow_cltv.sql): crm_holdout_summary reproduces the
-- published calibration summary (cdnow_customers_summary.csv, 2 decimals) and the 1,882 holdout
-- repeat purchase days; the fitted model predicts 1,653.4 for the holdout (docs/references.md
-- section 4).
\getenv crm_root CRM_EXT_ROOT
\i :crm_root/sql/examples/cdnow_cltv.sql

SELECT count(*) AS customers,
       count(*) FILTER (WHERE c.frequency_cal = s.frequency) AS same_frequency,
       count(*) FILTER (WHERE round(c.recency_cal::numeric, 2) = round(s.recency::numeric, 2)) AS same_recency,
       count(*) FILTER (WHERE round(c.t_cal::numeric, 2) = round(s.t::numeric, 2)) AS same_t,
       count(*) FILTER (WHERE round(c.monetary_value_cal::numeric, 2) = round(x.zbar::numeric, 2)) AS same_zbar
FROM cdnow_calibration c
JOIN cdnow_summary s ON s.id = c.customer_id
JOIN cdnow_summary_tx x ON x.id = c.customer_id;

SELECT sum(frequency_holdout) AS holdout_purchases, min(duration_holdout) AS holdout_weeks,
       max(duration_holdout) AS holdout_weeks_max
FROM cdnow_calibration;

SELECT bucket, sort_order, customers, actual_total, round(predicted_total::numeric, 1) AS predicted_total,
       round(actual_mean::numeric, 4) AS actual_mean, round(predicted_mean::numeric, 4) AS predicted_mean
FROM cdnow_holdout_check ORDER BY sort_order;
-- the totals in a view of their own: the sums of the buckets (no total row among them)
SELECT customers, actual, round(predicted::numeric, 1) AS predicted FROM cdnow_holdout_total;
SELECT (SELECT sum(customers) FROM cdnow_holdout_check) = t.customers AS customers_add_up,
       (SELECT sum(actual_total) FROM cdnow_holdout_check) = t.actual AS actual_adds_up
FROM cdnow_holdout_total t;
-- the calibration's date
SELECT array_agg(DISTINCT as_of) AS as_of FROM cdnow_calibration;

-- the model from exact times agrees with the one from the published 2-decimal summary (1e-3 relative)
SELECT parameter, round(estimate::numeric, 4) AS estimate, abs(estimate / ref - 1) < 1e-3 AS close_to_published
FROM cdnow_models, crm_bgnbd_params(bgnbd)
JOIN (VALUES ('r', 0.242593), ('alpha', 4.413532), ('a', 0.792886), ('b', 2.425752)) AS p(name, ref) ON name = parameter
ORDER BY parameter;

-- customer summaries without holdout: orders after as_of are ignored, same-day orders merged
-- customer 1 bought on 1997-01-01, 01-18, 08-02 and 12-12: (2, 30.43, 38.86, 22.345) in weeks;
-- merged per month: 2 purchase months, 212 days from January to August, 243 days to September
SELECT frequency, round(recency::numeric, 2) AS recency, round(t::numeric, 2) AS t, monetary_value
FROM (SELECT (crm_customer_summary(order_date, dollars::float8, DATE '1997-09-30')).* FROM cdnow_transactions WHERE customer_id = 1) s;
SELECT (crm_customer_summary(order_date, dollars::float8, DATE '1997-09-30', 'day', 'month')).* FROM cdnow_transactions WHERE customer_id = 1;
SELECT (crm_customer_summary(ts, amount, TIMESTAMP '2021-01-10', 'day')).*
FROM (VALUES (TIMESTAMP '2021-01-01 09:00', 10.0::float8), ('2021-01-01 17:00', 5), ('2021-01-04 10:00', 7),
             ('2021-01-11 10:00', 100)) v(ts, amount);

-- timestamptz order times: converted to local time in the session's TimeZone, then summarised as
-- timestamps: the whole sample agrees with the date columns in any time zone, and an order at
-- 23:30 UTC is a next-day purchase in Tokyo
SET TimeZone = 'America/Los_Angeles';
SELECT count(*) AS customers, count(*) FILTER (WHERE d = z) AS same_summary
FROM (SELECT customer_id,
             crm_holdout_summary(order_date, dollars::float8, DATE '1997-09-30', DATE '1998-06-30', 'week', 'day')::text AS d,
             crm_holdout_summary(order_date::timestamptz, dollars::float8, TIMESTAMPTZ '1997-09-30 00:00', TIMESTAMPTZ '1998-06-30 00:00',
                                 'week', 'day')::text AS z
      FROM cdnow_transactions GROUP BY customer_id) s;
SET TimeZone = 'UTC';
SELECT (crm_customer_summary(ts, 1, TIMESTAMPTZ '2021-01-10 00:00+00', 'day')).frequency AS repeat_days_utc
FROM (VALUES (TIMESTAMPTZ '2021-01-01 10:00+00'), ('2021-01-01 23:30+00')) v(ts);
SET TimeZone = 'Asia/Tokyo';
SELECT (crm_customer_summary(ts, 1, TIMESTAMPTZ '2021-01-10 00:00+00', 'day')).frequency AS repeat_days_tokyo
FROM (VALUES (TIMESTAMPTZ '2021-01-01 10:00+00'), ('2021-01-01 23:30+00')) v(ts);
RESET TimeZone;

\set VERBOSITY default
SELECT crm_customer_summary(d, 1, DATE '2021-01-01', 'day', 'fortnight') FROM (VALUES (DATE '2020-01-01')) v(d);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_customer_summary(d, 'NaN', DATE '2021-01-01') FROM (VALUES (DATE '2020-01-01')) v(d);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_holdout_summary(d, 1, DATE '2021-01-01', DATE '2020-01-01') FROM (VALUES (DATE '2020-01-01')) v(d);
\echo :LAST_ERROR_SQLSTATE
DROP VIEW cdnow_holdout_total, cdnow_holdout_check, cdnow_calibration;
DROP TABLE cdnow_models;

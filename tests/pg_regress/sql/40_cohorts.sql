-- crm_cohort_retention: hand-checked semantics on a tiny table, then Online Retail monthly cohorts
-- against the course numbers (cohort sizes exact, month-1 retention of 2010-12 to 0.1 point).
\set VERBOSITY terse

-- a: Jan, Feb; b: Jan (two orders), Mar; c: Feb; d: Mar (the last month: data end 2024-03)
CREATE TABLE cohort_toy (customer_id text, order_ts timestamptz, amount numeric, channel text);
INSERT INTO cohort_toy VALUES
  ('a', '2024-01-05 10:00', 10, 'web'), ('a', '2024-02-10', 5, 'shop'),
  ('b', '2024-01-20', 7, 'shop'), ('b', '2024-01-21', 3, 'web'), ('b', '2024-03-01', 1, 'web'),
  ('c', '2024-02-02', 4, 'web'), ('d', '2024-03-31', 2, 'web'),
  (NULL, '2024-01-01', 100, 'web'), ('e', NULL, 100, 'web');
-- Jan cohort {a, b}: index 1 only a (50%), index 2 only b; Feb cohort {c} never returns;
-- cells after 2024-03 are absent; NULL customer or timestamp rows are ignored
SELECT * FROM crm_cohort_retention('cohort_toy', amount => 'amount');
-- without amount: revenue is NULL; by first-order channel: b's first order was in the shop
SELECT cohort, cohort_key, period_index, cohort_size, active_customers, retention, revenue
FROM crm_cohort_retention('cohort_toy', cohort_by => 'channel') ORDER BY cohort, cohort_key, period_index;
-- quarters and ISO weeks (2024-01-01 is a Monday; weeks start on Mondays)
SELECT cohort, period_index, cohort_size, active_customers FROM crm_cohort_retention('cohort_toy', period => 'quarter');
SELECT count(*) AS week_cells, bool_and(extract(isodow FROM cohort) = 1) AS cohorts_are_mondays,
       max(period_index) AS max_week_index
FROM crm_cohort_retention('cohort_toy', period => 'week');

-- Online Retail: the example view
\i sql/examples/retail_cohorts.sql
SELECT to_char(cohort, 'YYYY-MM') AS cohort, cohort_size
FROM retail_cohorts WHERE period_index = 0 AND cohort <= '2011-02-01' ORDER BY cohort;
SELECT round(100 * retention::numeric, 1) AS month1_retention_pct,
       abs(100 * retention - 36.6) <= 0.05 AS within_0_05_point,
       active_customers
FROM retail_cohorts WHERE cohort = '2010-12-01' AND period_index = 1;
-- every customer in exactly one cohort; index 0 is the whole cohort; right-censored triangle:
-- 13 monthly cohorts 2010-12 .. 2011-12 give 13 + 12 + ... + 1 = 91 cells
SELECT sum(cohort_size) FILTER (WHERE period_index = 0) AS customers,
       bool_and(retention = 1) FILTER (WHERE period_index = 0) AS index0_complete,
       count(*) AS cells,
       bool_and(cohort + make_interval(months => period_index) <= '2011-12-01') AS nothing_after_data_end,
       bool_and(retention BETWEEN 0 AND 1) AS retention_is_a_fraction
FROM retail_cohorts;
-- revenue over all cells = revenue of the cleaned lines (to a cent)
SELECT abs((SELECT sum(revenue) FROM retail_cohorts) - (SELECT sum(amount) FROM retail_clean_lines)::float8) < 0.01
       AS revenue_adds_up;
-- month-1 retention of the 2010-12 cohort recomputed with plain SQL
WITH firsts AS (SELECT customer_id, min(date_trunc('month', invoice_date)) AS cohort FROM retail_clean_lines GROUP BY 1)
SELECT count(DISTINCT l.customer_id) AS plain_sql_active
FROM retail_clean_lines l JOIN firsts f USING (customer_id)
WHERE f.cohort = '2010-12-01' AND date_trunc('month', l.invoice_date) = '2011-01-01';
-- cohort_by country (the country of the first order): sizes per month add up to the monthly cohorts
SELECT bool_and(by_country.n = plain.cohort_size) AS country_split_adds_up
FROM (SELECT cohort, sum(cohort_size) AS n
      FROM crm_cohort_retention('retail_clean_lines', customer => 'customer_id', order_ts => 'invoice_date',
                                cohort_by => 'country')
      WHERE period_index = 0 GROUP BY cohort) by_country
JOIN retail_cohorts plain ON plain.cohort = by_country.cohort AND plain.period_index = 0;

-- quoting: odd schema, table and column names are used as identifiers
CREATE SCHEMA "Odd ""Schema""";
CREATE TABLE "Odd ""Schema"""."orders; drop" ("Customer Id" int, "Order Date" date);
INSERT INTO "Odd ""Schema"""."orders; drop" VALUES (1, '2024-01-01'), (1, '2024-02-01'), (2, '2024-02-01');
SELECT cohort, period_index, cohort_size, active_customers
FROM crm_cohort_retention('"Odd ""Schema"""."orders; drop"', customer => 'Customer Id', order_ts => 'Order Date');
DROP SCHEMA "Odd ""Schema""" CASCADE;

-- bad inputs
SELECT * FROM crm_cohort_retention('cohort_toy', period => 'fortnight');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_cohort_retention('cohort_toy', customer => 'CustomerID');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_cohort_retention('cohort_toy', order_ts => 'channel');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_cohort_retention('cohort_toy', amount => 'channel');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_cohort_retention(NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_cohort_retention(4000000000::oid::regclass);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_cohort_retention('no_such_table');
\echo :LAST_ERROR_SQLSTATE
-- names are identifiers, never SQL: an injection attempt is just a missing column
SELECT * FROM crm_cohort_retention('cohort_toy', customer => 'customer_id) FROM pg_authid --');
\echo :LAST_ERROR_SQLSTATE

-- runs as the caller: privileges and row-level security apply
CREATE ROLE crm_regress_cohort_reader;
GRANT SELECT (customer_id, order_ts) ON cohort_toy TO crm_regress_cohort_reader;
ALTER TABLE cohort_toy ENABLE ROW LEVEL SECURITY;
CREATE POLICY only_a_and_b ON cohort_toy TO crm_regress_cohort_reader USING (customer_id IN ('a', 'b'));
SET ROLE crm_regress_cohort_reader;
SELECT cohort, period_index, cohort_size, active_customers FROM crm_cohort_retention('cohort_toy');
SELECT * FROM crm_cohort_retention('cohort_toy', amount => 'amount');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
DROP TABLE cohort_toy;
DROP ROLE crm_regress_cohort_reader;

-- crm_kpis: hand-checked definitions on a tiny table, then Online Retail monthly KPIs against
-- the course numbers (2010-12: 885 active, 1,400 orders, revenue 572,713.89 to the cent) and the
-- whole-period repeat-customer rate (65.58% of 4,338 customers, to 0.005 point).
\set VERBOSITY terse

-- Jan: a (orders 1 and 2), b (order 3); Feb: a (order 4); Mar: nobody; Apr: b (5), c (6, two lines)
CREATE TABLE kpi_toy (customer_id int, order_ts date, amount numeric, order_id int);
INSERT INTO kpi_toy VALUES
  (1, '2024-01-03', 10, 1), (1, '2024-01-20', 30, 2), (2, '2024-01-09', 20, 3),
  (1, '2024-02-14', 40, 4),
  (2, '2024-04-01', 5, 5), (3, '2024-04-02', 6, 6), (3, '2024-04-02', 4, 6);
-- Feb: retention 1/2 (a of {a, b}); Mar: the gap month is present with 0 customers; Apr: the
-- previous month had no customers, so retention is NULL; c's two lines are one order
SELECT * FROM crm_kpis('kpi_toy', order_ts => 'order_ts', amount => 'amount', order_id => 'order_id');
-- without order_id every row is an order; without amount revenue and AOV are NULL
SELECT period_start, orders, revenue, average_order_value, repeat_customer_rate
FROM crm_kpis('kpi_toy', period => 'quarter');
SELECT * FROM crm_kpis('kpi_toy', amount => 'amount', order_id => 'order_id', period => 'all');

-- Online Retail: the example view
\i sql/examples/retail_kpis.sql
SELECT period_start, active_customers, new_customers, returning_customers, orders,
       round(revenue::numeric, 2) AS revenue, abs(revenue - 572713.89) < 0.005 AS revenue_ok,
       round(average_order_value::numeric, 2) AS aov, retention_rate
FROM retail_kpis_monthly WHERE period_start = '2010-12-01';
SELECT to_char(period_start, 'YYYY-MM') AS month, active_customers, new_customers, orders,
       round(revenue::numeric, 2) AS revenue, round(100 * retention_rate::numeric, 1) AS retention_pct,
       round(100 * repeat_customer_rate::numeric, 1) AS repeat_pct
FROM retail_kpis_monthly ORDER BY period_start;
-- the counts beside the rates: retained (active in the previous month and this one), churned and
-- repeat customers (two or more invoices in the month); the first month has no previous one
SELECT to_char(period_start, 'YYYY-MM') AS month, previous_active_customers, retained_customers, churned_customers,
       active_customers, repeat_customers
FROM retail_kpis_monthly ORDER BY period_start;
-- recomputed with plain SQL in every month, and the rates are the counts' ratios
WITH m AS (SELECT DISTINCT customer_id, date_trunc('month', invoice_date)::date AS month FROM retail_clean_lines),
     inv AS (SELECT customer_id, date_trunc('month', invoice_date)::date AS month, count(DISTINCT invoice_no) AS invoices
             FROM retail_clean_lines GROUP BY 1, 2),
     plain AS (SELECT c.month,
                      (SELECT count(*) FROM m p WHERE p.month = (c.month - interval '1 month')::date) AS previous_active,
                      (SELECT count(*) FROM m p JOIN m n USING (customer_id)
                       WHERE p.month = (c.month - interval '1 month')::date AND n.month = c.month) AS retained,
                      (SELECT count(*) FROM inv WHERE inv.month = c.month AND invoices >= 2) AS repeaters
               FROM (SELECT DISTINCT month FROM m) c)
SELECT count(*) AS months,
       count(*) FILTER (WHERE k.previous_active_customers IS DISTINCT FROM nullif(p.previous_active, 0)
                           OR k.retained_customers IS DISTINCT FROM CASE WHEN p.previous_active > 0 THEN p.retained END
                           OR k.repeat_customers <> p.repeaters) AS count_mismatches,
       bool_and(k.retained_customers + k.churned_customers = k.previous_active_customers) AS churned_ok,
       bool_and(k.retention_rate = k.retained_customers::float8 / k.previous_active_customers
                AND k.repeat_customer_rate = k.repeat_customers::float8 / k.active_customers) AS rates_are_ratios
FROM retail_kpis_monthly k JOIN plain p ON p.month = k.period_start;
-- a coarser grain from the counts: the months of 2011 pooled (repeat customer-months / active
-- customer-months), where an average of the monthly rates would weight each month equally
SELECT sum(repeat_customers) AS repeat_customer_months, sum(active_customers) AS active_customer_months,
       round(sum(repeat_customers)::numeric / sum(active_customers), 4) AS repeat_customer_rate_2011
FROM retail_kpis_monthly WHERE period_start >= '2011-01-01';
-- definitions hold on every row; every customer is new exactly once; orders add up to the invoices
SELECT bool_and(returning_customers = active_customers - new_customers) AS returning_ok,
       bool_and(abs(retention_rate + churn_rate - 1) < 1e-12) AS churn_ok,
       bool_and(abs(average_order_value - revenue / orders) < 1e-9) AS aov_ok,
       sum(new_customers) AS customers, sum(orders) AS orders
FROM retail_kpis_monthly;
-- 2011-01 retention recomputed with plain SQL: customers active in both months / active in 2010-12
WITH m AS (SELECT DISTINCT customer_id, date_trunc('month', invoice_date) AS month FROM retail_clean_lines)
SELECT abs((SELECT retention_rate FROM retail_kpis_monthly WHERE period_start = '2011-01-01')
           - (SELECT count(*) FROM m d JOIN m j USING (customer_id) WHERE d.month = '2010-12-01' AND j.month = '2011-01-01')::float8
             / (SELECT count(*) FROM m WHERE month = '2010-12-01')) < 1e-12 AS retention_matches_plain_sql;
-- the whole period as one: the share of customers with two or more invoices
SELECT active_customers AS customers, round(100 * repeat_customer_rate::numeric, 2) AS repeat_customer_pct,
       abs(100 * repeat_customer_rate - 65.58) < 0.005 AS repeat_rate_ok, orders
FROM crm_kpis('retail_clean_lines', customer => 'customer_id', order_ts => 'invoice_date',
              order_id => 'invoice_no', period => 'all');

-- bad inputs
SELECT * FROM crm_kpis('kpi_toy', order_ts => 'order_ts', period => 'decade');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_kpis('kpi_toy', order_ts => 'order_ts', order_id => 'invoice');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_kpis('kpi_toy', order_ts => 'order_id');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_kpis('kpi_toy', order_ts => 'order_ts', period => NULL);
\echo :LAST_ERROR_SQLSTATE
DROP TABLE kpi_toy;

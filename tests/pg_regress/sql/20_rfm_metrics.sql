-- crm_rfm: RFM metrics per customer from order lines. Online Retail after the course's cleaning
-- (sql/examples/retail_rfm.sql) gives 4,338 customers from 397,884 lines and 18,532 invoices.
\set VERBOSITY terse
\getenv crm_root CRM_EXT_ROOT
\i :crm_root/sql/examples/retail_rfm.sql
SELECT count(*) AS clean_lines FROM retail_clean_lines;
SELECT count(*) AS customers, sum(frequency) AS invoices, round(sum(monetary)::numeric, 2) AS revenue,
       min(recency) AS min_recency, max(recency) AS max_recency
FROM retail_rfm;
-- the course's figures for two customers (pandas): 12346 recency 326, 1 invoice, 77183.60;
-- 12347 recency 3, 7 invoices, 4310.00
SELECT customer_id, recency, frequency, round(monetary::numeric, 2) AS monetary, first_order, last_order, tenure_days, as_of
FROM retail_rfm WHERE customer_id IN ('12346', '12347') ORDER BY customer_id;
-- monetary is the sum of the float8 line amounts, rounded once: within 1e-12 (relative) of the exact
-- decimal sum of the numeric amounts
SELECT count(*) FILTER (WHERE abs(r.monetary - s.total::float8) > 1e-12 * s.total::float8) AS monetary_differs,
       count(*) FILTER (WHERE r.frequency <> s.invoices) AS frequency_differs
FROM retail_rfm r
JOIN (SELECT customer_id, sum(amount) AS total, count(DISTINCT invoice_no) AS invoices
      FROM retail_clean_lines GROUP BY customer_id) s USING (customer_id);

-- rows vs distinct orders, dates, NULL rows skipped, empty input
SELECT (crm_rfm(ts, amount, DATE '2024-01-31')).*
FROM (VALUES (DATE '2024-01-01', 10.0), ('2024-01-20', 5.5), ('2024-01-20', NULL), (NULL, 3)) AS t(ts, amount);
SELECT (crm_rfm(ts, amount, id, TIMESTAMP '2024-01-31 12:00')).*
FROM (VALUES (TIMESTAMP '2024-01-01 08:00', 10.0, 'A'), ('2024-01-01 08:00', 2, 'A'), ('2024-01-30 13:00', 1, 'B'))
     AS t(ts, amount, id);
SELECT crm_rfm(ts, 1.0, DATE '2024-01-31') IS NULL AS empty_is_null FROM (SELECT DATE '2024-01-01' WHERE false) AS t(ts);

-- bad input: SQLSTATEs
SELECT crm_rfm(ts, 1, DATE '2024-01-01') FROM (VALUES (DATE '2024-02-01')) t(ts);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_rfm(ts, 1, NULL::date) FROM (VALUES (DATE '2024-02-01')) t(ts);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_rfm(ts, 1, ts + 1) FROM (VALUES (DATE '2024-02-01'), ('2024-02-02')) t(ts);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_rfm(ts, 1, id, DATE '2024-03-01') FROM (VALUES (DATE '2024-02-01', 'A'), ('2024-02-02', NULL)) t(ts, id);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_rfm(DATE '2024-01-01', 'NaN'::float8, DATE '2024-03-01');
\echo :LAST_ERROR_SQLSTATE
SELECT crm_rfm('-infinity'::timestamp, 1, DATE '2024-03-01');
\echo :LAST_ERROR_SQLSTATE
SELECT crm_rfm(DATE '2024-01-01', x, DATE '2024-03-01') FROM (VALUES (1e308::float8), (1e308)) t(x);
\echo :LAST_ERROR_SQLSTATE

-- Long statements are cancelled by statement_timeout (SQLSTATE 57014) wherever they are: in the
-- fits' final functions, k-means (point preparation, Lloyd passes, the elbow), RFM scoring, the
-- per-row scoring loops. The latency (target: within 100 ms) is measured by bench/cancel_latency.sh;
-- this test only asserts that each statement is cancelled rather than run to its end.
\set VERBOSITY terse
\set SHOW_CONTEXT never
CREATE TABLE cancel_rows AS
SELECT i AS customer_id, (i % 7)::float8 AS frequency, ((i % 7) * (3 + i % 5))::float8 AS recency,
       (45 + i % 13)::float8 AS t, (10 + i % 101)::float8 AS monetary, (i % 365)::int AS recency_days,
       (i * 0.37 % 1000)::float8 AS x1, (i * 0.73 % 997)::float8 AS x2
FROM generate_series(1, 600000) i;
ANALYZE cancel_rows;
SET max_parallel_workers_per_gather = 0;
SET statement_timeout = '300ms';
SET client_min_messages = error;  -- how many fits warn before the cancel depends on timing
SELECT crm_kmeans_fit(ARRAY[x1, x2, recency, t], 8, 'standard', 1, 50, 1000) FROM cancel_rows;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM crm_kmeans_elbow('cancel_rows', ARRAY['x1', 'x2', 'recency', 't'], 1, 12);
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM crm_rfm_scores('cancel_rows', recency => 'recency_days', bins => 5, duplicates => 'drop');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM (SELECT customer_id % 20000 AS g, crm_bgnbd_fit(frequency, recency, t) AS m FROM cancel_rows GROUP BY 1) s WHERE m IS NOT NULL;
\echo :LAST_ERROR_SQLSTATE
SELECT sum(crm_clv(crm_bgnbd(0.243, 4.414, 0.793, 2.426), crm_gamma_gamma(6.25, 3.74, 15.44),
                   frequency, recency, t, monetary, 1200)) FROM cancel_rows;
\echo :LAST_ERROR_SQLSTATE
RESET statement_timeout;
RESET client_min_messages;
RESET max_parallel_workers_per_gather;
DROP TABLE cancel_rows;

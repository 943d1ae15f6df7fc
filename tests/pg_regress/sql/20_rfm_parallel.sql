-- The RFM aggregates run in parallel (partial aggregates combined from serialised states) and give
-- exactly the serial result.
\set VERBOSITY terse
CREATE FUNCTION pg_temp.plan_has(query text, pattern text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
        IF line LIKE pattern THEN RETURN true; END IF;
    END LOOP;
    RETURN false;
END $$;
CREATE TEMP VIEW q_lines AS
SELECT customer_id, invoice_no, invoice_date, quantity * unit_price AS amount FROM retail_lines
WHERE customer_id IS NOT NULL AND invoice_no NOT LIKE 'C%' AND quantity > 0 AND unit_price > 0;

SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_rfm AS
SELECT customer_id, crm_rfm(invoice_date, amount, invoice_no, TIMESTAMP '2011-12-11')::text AS m
FROM q_lines GROUP BY customer_id;
CREATE TEMP TABLE serial_whole AS
SELECT crm_qcut_edges(amount) AS edges, crm_qcut_edges(amount, 10) AS deciles,
       crm_outlier_limits(amount)::text AS limits, crm_outlier_limits(amount, 0.25, 0.75, 3)::text AS iqr3
FROM q_lines;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT crm_qcut_edges(amount), crm_outlier_limits(amount), crm_rfm(invoice_date, amount, invoice_no, TIMESTAMP '2011-12-11')
FROM q_lines;
SELECT pg_temp.plan_has($$SELECT customer_id, crm_rfm(invoice_date, amount, invoice_no, TIMESTAMP '2011-12-11')
                          FROM q_lines GROUP BY customer_id$$, '%Partial%Aggregate%') AS grouped_plan_is_partial;
SELECT count(*) AS customers, count(*) FILTER (WHERE p.m IS DISTINCT FROM s.m) AS differ
FROM (SELECT customer_id, crm_rfm(invoice_date, amount, invoice_no, TIMESTAMP '2011-12-11')::text AS m
      FROM q_lines GROUP BY customer_id) p
FULL JOIN serial_rfm s USING (customer_id);
SELECT p.edges = s.edges AS edges_equal, p.deciles = s.deciles AS deciles_equal,
       p.limits = s.limits AS limits_equal, p.iqr3 = s.iqr3 AS iqr3_equal, s.edges AS edges, s.limits AS limits
FROM (SELECT crm_qcut_edges(amount) AS edges, crm_qcut_edges(amount, 10) AS deciles,
             crm_outlier_limits(amount)::text AS limits, crm_outlier_limits(amount, 0.25, 0.75, 3)::text AS iqr3
      FROM q_lines) p, serial_whole s;
RESET ALL;

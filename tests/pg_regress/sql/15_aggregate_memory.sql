-- Every aggregate's state (kept on the Rust heap) is charged to the aggregate memory context, so
-- hash aggregation budgets it against work_mem and spills groups to disk instead of growing past
-- it; the spilled plan gives the same results as one that keeps every group in memory.
\set VERBOSITY terse
CREATE TEMP TABLE mem_rows AS SELECT * FROM crm_bgnbd_simulate(200000, 0.243, 4.414, 0.793, 2.426, t_max => 52, seed => 7);
-- 20,000 customers with 20 order lines each, on 20 distinct days, with 40-character order ids
CREATE TEMP TABLE mem_orders AS
SELECT c AS customer_id, timestamp '2024-01-01' + (c % 97 + 3 * i) * interval '1 day' AS order_ts,
       (c % 13 + i)::float8 AS amount, md5(c::text) || lpad(i::text, 8, '0') AS order_id
FROM generate_series(1, 20000) c, generate_series(1, 20) i;
SET max_parallel_workers_per_gather = 0;
SET enable_sort = off;
CREATE FUNCTION pg_temp.hash_agg(plan json) RETURNS json LANGUAGE sql AS $$
    SELECT p FROM json_array_elements(plan -> 0 -> 'Plan' -> 'Plans') p WHERE p ->> 'Node Type' = 'Aggregate' $$;
-- min_state_kb: what the groups' states hold at least (without the charge EXPLAIN saw 209 kB for the
-- 1,000-group queries and 4,897 kB for the per-customer ones at work_mem 1GB)
CREATE TEMP TABLE mem_queries (name text, min_state_kb int, query text);
INSERT INTO mem_queries VALUES
    ('crm_bgnbd_fit', 3000, 'SELECT customer_id % 1000 AS g, crm_bgnbd_fit(frequency, recency, t) AS m FROM mem_rows GROUP BY 1'),
    ('crm_qcut_edges', 1600, 'SELECT customer_id % 1000 AS g, crm_qcut_edges(t, 4) AS m FROM mem_rows GROUP BY 1'),
    ('crm_outlier_limits', 1600, 'SELECT customer_id % 1000 AS g, crm_outlier_limits(t) AS m FROM mem_rows GROUP BY 1'),
    ('crm_kmeans_fit', 3200, 'SELECT customer_id % 1000 AS g, crm_kmeans_fit(ARRAY[frequency, t], 2, ''none'', 1, 1) AS m FROM mem_rows GROUP BY 1'),
    ('crm_rfm', 15000, 'SELECT customer_id AS g, crm_rfm(order_ts, amount, order_id, timestamp ''2025-01-01'') AS m FROM mem_orders GROUP BY 1'),
    ('crm_customer_summary', 12000, 'SELECT customer_id AS g, crm_customer_summary(order_ts, amount, timestamp ''2025-01-01'', ''day'') AS m FROM mem_orders GROUP BY 1');
CREATE TEMP TABLE mem_plans (name text, work_mem text, batches int, memory_kb int, results text);
SET client_min_messages = error;  -- small groups warn that they did not converge
DO $$
DECLARE
    q record;
    wm text;
    plan json;
    results text;
BEGIN
    FOR q IN SELECT * FROM mem_queries LOOP
        FOREACH wm IN ARRAY ARRAY['1MB', '1GB'] LOOP
            PERFORM set_config('work_mem', wm, true);
            EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON, COSTS OFF, TIMING OFF) SELECT count(m) FROM (' || q.query || ') s' INTO plan;
            EXECUTE 'SELECT md5(string_agg(m::text, '','' ORDER BY g)) FROM (' || q.query || ') s' INTO results;
            INSERT INTO mem_plans VALUES (q.name, wm, (pg_temp.hash_agg(plan) ->> 'HashAgg Batches')::int,
                                          (pg_temp.hash_agg(plan) ->> 'Peak Memory Usage')::int, results);
        END LOOP;
    END LOOP;
END $$;
RESET client_min_messages;
-- with work_mem 1MB every plan spills, with 1GB it keeps all groups and counts their states
SELECT p.name, p.work_mem, p.batches > 1 AS spilled, p.memory_kb > q.min_state_kb AS all_states_counted
FROM mem_plans p JOIN mem_queries q USING (name) ORDER BY q.min_state_kb, p.name, p.work_mem DESC;
SELECT name, count(DISTINCT results) = 1 AS same_results FROM mem_plans GROUP BY name ORDER BY name;
RESET enable_sort;
RESET max_parallel_workers_per_gather;

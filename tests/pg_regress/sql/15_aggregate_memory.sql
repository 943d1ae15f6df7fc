-- The fit aggregates' states (distinct rows on the Rust heap) are charged to the aggregate memory
-- context, so hash aggregation budgets them against work_mem and spills groups to disk instead of
-- growing past it; the spilled plan fits the same models as one that keeps every group in memory.
\set VERBOSITY terse
CREATE TEMP TABLE mem_rows AS SELECT * FROM crm_bgnbd_simulate(200000, 0.243, 4.414, 0.793, 2.426, t_max => 52, seed => 7);
SET max_parallel_workers_per_gather = 0;
SET enable_sort = off;
SET client_min_messages = error;  -- small groups warn that they did not converge
CREATE FUNCTION pg_temp.hash_agg(plan json) RETURNS json LANGUAGE sql AS $$
    SELECT p FROM json_array_elements(plan -> 0 -> 'Plan' -> 'Plans') p WHERE p ->> 'Node Type' = 'Aggregate' $$;
CREATE TEMP TABLE mem_plans (work_mem text, batches int, memory_kb int, models text);
DO $$
DECLARE
    wm text;
    plan json;
    models text;
BEGIN
    FOREACH wm IN ARRAY ARRAY['1MB', '1GB'] LOOP
        PERFORM set_config('work_mem', wm, true);
        EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON, COSTS OFF, TIMING OFF) SELECT count(m) FROM '
                '(SELECT customer_id % 1000 AS g, crm_bgnbd_fit(frequency, recency, t) AS m FROM mem_rows GROUP BY 1) s' INTO plan;
        SELECT md5(string_agg(m::text, ',' ORDER BY g)) INTO models
        FROM (SELECT customer_id % 1000 AS g, crm_bgnbd_fit(frequency, recency, t) AS m FROM mem_rows GROUP BY 1) s;
        INSERT INTO mem_plans VALUES (wm, (pg_temp.hash_agg(plan) ->> 'HashAgg Batches')::int,
                                      (pg_temp.hash_agg(plan) ->> 'Peak Memory Usage')::int, models);
    END LOOP;
END $$;
RESET client_min_messages;
-- 1,000 groups hold about 4 MB of states (without the charge EXPLAIN saw only their boxes): with work_mem
-- 1MB the plan spills, with 1GB it keeps them all
SELECT work_mem, batches > 1 AS spilled, memory_kb > 3000 AS all_states_counted FROM mem_plans ORDER BY work_mem DESC;
SELECT count(DISTINCT models) = 1 AS same_models FROM mem_plans;
RESET enable_sort;
RESET max_parallel_workers_per_gather;

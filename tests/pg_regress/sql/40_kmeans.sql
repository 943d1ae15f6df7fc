-- K-Means: recovery of well-separated synthetic blobs, elbow, determinism, the text form,
-- bad inputs, a forced parallel plan, and the Online Retail RFM clusters example.
\set VERBOSITY terse

-- three blobs of 200 points, +-0.5 around (0, 0), (10, 10) and (20, 5), deterministic offsets
-- (a real table, not a temporary one, so that the planner may scan it in parallel)
CREATE TABLE kmeans_blobs AS
SELECT b.truth, i, b.cx + ((i * 37) % 101) / 100.0 - 0.5 AS x, b.cy + ((i * 53) % 97) / 96.0 - 0.5 AS y
FROM (VALUES (1, 0.0::float8, 0.0::float8), (2, 10.0, 10.0), (3, 20.0, 5.0)) AS b(truth, cx, cy),
     generate_series(1, 200) AS i;
ANALYZE kmeans_blobs;
CREATE TEMP TABLE blob_model AS
SELECT crm_kmeans_fit(ARRAY[x, y], 3, 'none', 7) AS m FROM kmeans_blobs;

-- the true clusters come back exactly: each blob is one cluster, numbered by descending y
SELECT truth, crm_kmeans_assign(m, ARRAY[x, y]) AS cluster, count(*) AS points
FROM kmeans_blobs, blob_model GROUP BY 1, 2 ORDER BY 1, 2;
SELECT cluster, size, (SELECT array_agg(round(v::numeric, 3)) FROM unnest(centroid) v) AS centroid
FROM blob_model, crm_kmeans_centroids(m);
-- inertia = within-blob sum of squares computed with plain SQL (1e-9 relative)
WITH means AS (SELECT truth, avg(x) AS mx, avg(y) AS my FROM kmeans_blobs GROUP BY truth)
SELECT round((m::text::jsonb->>'inertia')::numeric, 4) AS inertia,
       abs((m::text::jsonb->>'inertia')::float8
           / (SELECT sum((x - mx) ^ 2 + (y - my) ^ 2) FROM kmeans_blobs JOIN means USING (truth)) - 1) < 1e-9
       AS inertia_is_within_blob_ss
FROM blob_model;
-- standardised features recover the same partition
SELECT count(DISTINCT (truth, crm_kmeans_assign(s.m, ARRAY[x, y]))) AS truth_cluster_pairs
FROM kmeans_blobs, (SELECT crm_kmeans_fit(ARRAY[x, y], 3, 'standard') AS m FROM kmeans_blobs) s;

-- elbow: inertia never increases with k, and k = 3 is the blob fit
SELECT k, round(inertia::numeric, 4) AS inertia,
       coalesce(inertia <= lag(inertia) OVER (ORDER BY k), true) AS non_increasing
FROM crm_kmeans_elbow('kmeans_blobs', ARRAY['x', 'y'], 1, 6, 'none', 7);
SELECT (SELECT inertia FROM crm_kmeans_elbow('kmeans_blobs', ARRAY['x', 'y'], 3, 3, 'none', 7))
       = (m::text::jsonb->>'inertia')::float8 AS elbow_matches_fit
FROM blob_model;

-- same seed, same model (also in another row order); the text form is JSON and round-trips
SELECT (SELECT crm_kmeans_fit(ARRAY[x, y], 3, 'none', 7)::text FROM kmeans_blobs) = m::text AS same_seed_same_model,
       (SELECT crm_kmeans_fit(ARRAY[x, y], 3, 'none', 7 ORDER BY i DESC, truth)::text FROM kmeans_blobs) = m::text
       AS row_order_irrelevant,
       m::text::crm_kmeans::text = m::text AS text_round_trips
FROM blob_model;
SELECT j->>'model' AS model, j->>'k' AS k, j->'scaler'->>'scaling' AS scaling, j->>'n' AS n,
       jsonb_array_length(j->'centroids') AS centroids, j->>'seed' AS seed, j->>'n_init' AS n_init,
       j->>'max_iter' AS max_iter, j->>'skipped_null' AS skipped_null
FROM (SELECT m::text::jsonb AS j FROM blob_model) t;
-- the default scaling is log_standard with its parameters in the model; NULL rows are skipped
SELECT j->'scaler'->>'scaling' AS scaling, jsonb_array_length(j->'scaler'->'center') AS center_values,
       j->>'n' AS n, j->>'skipped_null' AS skipped_null
FROM (SELECT crm_kmeans_fit(f, 2)::text::jsonb AS j
      FROM (VALUES (ARRAY[1, 2]::float8[]), (ARRAY[2, 3]), (ARRAY[50, 60]), (NULL), (ARRAY[1, NULL])) v(f)) t;
-- a new point near the (10, 10) blob; no rows: NULL model
SELECT crm_kmeans_assign(m, ARRAY[9.7, 10.4]) AS near_10_10 FROM blob_model;
SELECT crm_kmeans_fit(ARRAY[x, y], 3) IS NULL AS empty_is_null FROM kmeans_blobs WHERE false;

-- bad inputs
SELECT crm_kmeans_fit(ARRAY[x, y], 0) FROM kmeans_blobs;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_kmeans_fit(ARRAY[x, y], NULL) FROM kmeans_blobs;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_kmeans_fit(ARRAY[x, y], 3, 'zscore') FROM kmeans_blobs;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_kmeans_fit(ARRAY[x, y], 3, 'none', 1, 0) FROM kmeans_blobs;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_kmeans_fit(ARRAY[x, y], 2 + i % 2) FROM kmeans_blobs;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_kmeans_fit(f, 3) FROM (VALUES (ARRAY[1, 2]::float8[]), (ARRAY[1, 2]), (ARRAY[3, 4])) v(f);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_kmeans_fit(f, 1) FROM (VALUES (ARRAY[1, 2]::float8[]), (ARRAY[1, 2, 3])) v(f);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_kmeans_fit(ARRAY[x - 5, y], 2) FROM kmeans_blobs;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_kmeans_assign(m, ARRAY[1.0]) FROM blob_model;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_kmeans_assign(m, ARRAY[1.0, NULL]) FROM blob_model;
\echo :LAST_ERROR_SQLSTATE
SELECT '{"model": "kmeans", "k": 2'::crm_kmeans;
\echo :LAST_ERROR_SQLSTATE
SELECT jsonb_set(m::text::jsonb, '{k}', '5')::text::crm_kmeans FROM blob_model;
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_kmeans_elbow('kmeans_blobs', ARRAY['x', 'y'], 4, 2);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_kmeans_elbow('kmeans_blobs', ARRAY['x', 'z'], 1, 2);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_kmeans_elbow('pg_class', ARRAY['relname'], 1, 2);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM crm_kmeans_elbow('kmeans_blobs', ARRAY[]::text[], 1, 2);
\echo :LAST_ERROR_SQLSTATE

-- a forced parallel plan: partial aggregates in the workers, combined in the leader, same model
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT crm_kmeans_fit(ARRAY[x, y], 3, 'none', 7) FROM kmeans_blobs;
SELECT (SELECT crm_kmeans_fit(ARRAY[x, y], 3, 'none', 7)::text FROM kmeans_blobs) = m::text AS parallel_same_model
FROM blob_model;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE kmeans_blobs;

-- Online Retail: RFM clusters (the example views)
\i sql/examples/retail_clusters.sql
SELECT count(*) AS customers, count(DISTINCT cluster) AS clusters FROM retail_customer_clusters;
-- a text label beside the cluster number (a category for BI tools, not a measure)
SELECT cluster, cluster_label, count(*) AS customers FROM retail_customer_clusters GROUP BY 1, 2 ORDER BY 1;
-- materialized: the stored assignments are those of the stored model, at one analysis date
SELECT array_agg(DISTINCT c.as_of) AS as_of, array_agg(DISTINCT m.as_of) AS model_as_of,
       count(*) FILTER (WHERE c.cluster <> crm_kmeans_assign(m.model, ARRAY[c.recency, c.frequency, c.monetary]::float8[])) AS stale,
       count(DISTINCT c.refreshed_at) AS refresh_times, bool_and(c.refreshed_at >= m.refreshed_at) AS model_first
FROM retail_customer_clusters c, retail_cluster_model m;
-- a refresh in the documented order refits the same model (seed 42) and moves refreshed_at
SELECT model::text AS model_before, refreshed_at AS refreshed_before FROM retail_cluster_model \gset
REFRESH MATERIALIZED VIEW retail_cluster_model;
REFRESH MATERIALIZED VIEW retail_customer_clusters;
SELECT model::text = :'model_before' AS same_model, refreshed_at > :'refreshed_before' AS refreshed FROM retail_cluster_model;
SELECT bool_and(refreshed_at > :'refreshed_before') AS clusters_refreshed FROM retail_customer_clusters;
-- cluster numbers follow the descending monetary centroid; assignments match the model's sizes
WITH assigned AS (SELECT cluster, count(*) AS n FROM retail_customer_clusters GROUP BY cluster)
SELECT cluster, size,
       (SELECT array_agg(round(v::numeric, 1)) FROM unnest(centroid) v) AS recency_frequency_monetary,
       coalesce(centroid[3] < lag(centroid[3]) OVER (ORDER BY cluster), true) AS monetary_descending,
       size = n AS size_matches
FROM retail_cluster_model CROSS JOIN LATERAL crm_kmeans_centroids(model) JOIN assigned USING (cluster)
ORDER BY cluster;
SELECT k, round(inertia::numeric, 1) AS inertia,
       coalesce(inertia <= lag(inertia) OVER (ORDER BY k), true) AS non_increasing
FROM crm_kmeans_elbow('retail_customer_rfm', ARRAY['recency', 'frequency', 'monetary'], 1, 8);

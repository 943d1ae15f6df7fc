-- crm_ext showcase, insights block: K-Means customer clusters on FLO (needs only flo_customers).
-- Features per customer: recency = days from the last order to the analysis date 2021-06-01,
-- frequency = online + offline orders, monetary = online + offline value.
\set QUIET on
CREATE TEMP VIEW flo_cluster_features AS
SELECT master_id, '2021-06-01'::date - last_order_date AS recency,
       order_num_total_ever_online + order_num_total_ever_offline AS frequency,
       customer_value_total_ever_online + customer_value_total_ever_offline AS monetary
FROM flo_customers;
\set QUIET off

\echo '### FLO: elbow chart data (inertia in scaled units by k; log1p then standardised)'
SELECT k, round(inertia::numeric, 1) AS inertia
FROM crm_kmeans_elbow('flo_cluster_features', ARRAY['recency', 'frequency', 'monetary'], 1, 6);

\set QUIET on
CREATE TEMP TABLE flo_cluster_model AS
SELECT crm_kmeans_fit(ARRAY[recency, frequency, monetary]::float8[], 4) AS model FROM flo_cluster_features;
\set QUIET off
\echo '### FLO: k = 4 clusters, numbered by descending monetary centroid'
SELECT cluster, size, round(centroid[1]::numeric) AS recency_days, round(centroid[2]::numeric, 1) AS orders,
       round(centroid[3]::numeric, 2) AS value
FROM flo_cluster_model, crm_kmeans_centroids(model);

\echo '### FLO: a few customers with their cluster'
SELECT master_id, recency, frequency, monetary,
       crm_kmeans_assign(model, ARRAY[recency, frequency, monetary]::float8[]) AS cluster
FROM flo_cluster_features, flo_cluster_model
ORDER BY master_id LIMIT 5;

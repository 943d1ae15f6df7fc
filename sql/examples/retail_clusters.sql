-- K-Means customer clusters on Online Retail RFM features, as BI-ready views.
-- Features: recency (days since the last invoice, analysis date as_of = last invoice date + 2 days),
-- frequency (invoices), monetary (total amount); log1p then standardised (the default scaling),
-- k = 4 (see crm_kmeans_elbow for the elbow chart). Cluster 1 has the highest monetary centroid.
-- Creates:
--   retail_customer_rfm       one row per customer: the features
--   retail_cluster_model      (materialized) the fitted k-means model, one row
--   retail_customer_clusters  (materialized) one row per customer with its cluster and label
-- The model and the assignments are materialized: a fit takes seconds, too slow for every read of
-- a chart, and the clusters must be those of the stored model. Refresh after new lines, in this
-- order (the clusters read the model), or CALL example_refresh() (sql/examples/refresh.sql):
--   REFRESH MATERIALIZED VIEW retail_cluster_model;      -- refits k-means
--   REFRESH MATERIALIZED VIEW retail_customer_clusters;  -- assigns the customers to its clusters
\ir retail_clean_lines.sql
CREATE OR REPLACE VIEW retail_customer_rfm AS
WITH invoices AS (
    SELECT customer_id, invoice_no, min(invoice_date) AS invoice_date, sum(amount) AS amount
    FROM retail_clean_lines GROUP BY customer_id, invoice_no
), analysis AS (
    SELECT max(invoice_date)::date + 2 AS analysis_date FROM retail_clean_lines
)
SELECT customer_id, analysis_date - max(invoice_date)::date AS recency, count(*) AS frequency,
       sum(amount) AS monetary, analysis_date AS as_of
FROM invoices CROSS JOIN analysis
GROUP BY customer_id, analysis_date;

-- now() is the time of the REFRESH (of the CREATE at first).
CREATE MATERIALIZED VIEW IF NOT EXISTS retail_cluster_model AS
SELECT crm_kmeans_fit(ARRAY[recency, frequency, monetary]::float8[], 4, 'log_standard', 42) AS model,
       max(as_of) AS as_of, now() AS refreshed_at
FROM retail_customer_rfm;

CREATE MATERIALIZED VIEW IF NOT EXISTS retail_customer_clusters AS
SELECT customer_id, recency, frequency, monetary, cluster, 'cluster ' || cluster AS cluster_label,
       as_of, now() AS refreshed_at
FROM (SELECT r.customer_id, r.recency, r.frequency, r.monetary, r.as_of,
             crm_kmeans_assign(m.model, ARRAY[r.recency, r.frequency, r.monetary]::float8[]) AS cluster
      FROM retail_customer_rfm r CROSS JOIN retail_cluster_model m) assigned;

COMMENT ON VIEW retail_customer_rfm IS 'Online Retail: one row per customer of the cleaned lines (4,338), the k-means features at the analysis date as_of = 2011-12-11 (the last invoice date + 2 days): recency in calendar days, invoices, total amount in GBP.';
COMMENT ON COLUMN retail_customer_rfm.customer_id IS 'Customer id.';
COMMENT ON COLUMN retail_customer_rfm.recency IS 'Calendar days from the date of the last invoice to 2011-12-11 (a date difference: one more than retail_rfm''s rounded-down days unless the last invoice is at 00:00).';
COMMENT ON COLUMN retail_customer_rfm.frequency IS 'Invoices (distinct invoice numbers; count).';
COMMENT ON COLUMN retail_customer_rfm.monetary IS 'Total amount of the customer''s lines (GBP).';
COMMENT ON COLUMN retail_customer_rfm.as_of IS 'Analysis date: the last invoice date of the cleaned lines + 2 days (2011-12-11, the same for every row); recency counts the days to it.';

COMMENT ON MATERIALIZED VIEW retail_cluster_model IS 'Online Retail: one row, the k-means model (k = 4, features log1p then standardised, seed 42) of retail_customer_rfm''s recency, frequency and monetary at as_of. A snapshot: REFRESH MATERIALIZED VIEW retail_cluster_model after new lines refits it (then refresh retail_customer_clusters).';
COMMENT ON COLUMN retail_cluster_model.model IS 'The fitted crm_kmeans model (centroids in days, invoices and GBP, sizes, scaler; crm_kmeans_centroids(model) lists the clusters); cluster 1 has the highest monetary centroid.';
COMMENT ON COLUMN retail_cluster_model.as_of IS 'Analysis date of the features the model was fitted on (2011-12-11).';
COMMENT ON COLUMN retail_cluster_model.refreshed_at IS 'When the model was fitted: the time of the last REFRESH MATERIALIZED VIEW retail_cluster_model (or of its creation).';

COMMENT ON MATERIALIZED VIEW retail_customer_clusters IS 'Online Retail: one row per customer (4,338) with the RFM features of retail_customer_rfm at as_of (recency in days, invoices, GBP) and the k-means cluster 1 .. 4 of the stored model retail_cluster_model (1 = highest monetary centroid), with a text label for BI tools. A snapshot: REFRESH MATERIALIZED VIEW retail_customer_clusters after refreshing retail_cluster_model.';
COMMENT ON COLUMN retail_customer_clusters.customer_id IS 'Customer id.';
COMMENT ON COLUMN retail_customer_clusters.recency IS 'Calendar days from the date of the last invoice to as_of (2011-12-11).';
COMMENT ON COLUMN retail_customer_clusters.frequency IS 'Invoices (count).';
COMMENT ON COLUMN retail_customer_clusters.monetary IS 'Total amount of the customer''s lines (GBP).';
COMMENT ON COLUMN retail_customer_clusters.cluster IS 'k-means cluster 1 .. 4: the nearest centroid in the scaled space, numbered by descending monetary centroid (1 = the highest-spending cluster). A category and the sort key of cluster_label, not a measure.';
COMMENT ON COLUMN retail_customer_clusters.cluster_label IS 'The cluster as text for display and grouping: ''cluster 1'' .. ''cluster 4'' (sort by cluster).';
COMMENT ON COLUMN retail_customer_clusters.as_of IS 'Analysis date of the features (2011-12-11).';
COMMENT ON COLUMN retail_customer_clusters.refreshed_at IS 'When the customers were assigned: the time of the last REFRESH MATERIALIZED VIEW retail_customer_clusters (or of its creation).';

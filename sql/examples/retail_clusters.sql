-- K-Means customer clusters on Online Retail RFM features, as BI-ready views.
-- Features: recency (days since the last invoice, analysis date = last invoice date + 2 days),
-- frequency (invoices), monetary (total amount); log1p then standardised (the default scaling),
-- k = 4 (see crm_kmeans_elbow for the elbow chart). Cluster 1 has the highest monetary centroid.
\ir retail_clean_lines.sql
CREATE OR REPLACE VIEW retail_customer_rfm AS
WITH invoices AS (
    SELECT customer_id, invoice_no, min(invoice_date) AS invoice_date, sum(amount) AS amount
    FROM retail_clean_lines GROUP BY customer_id, invoice_no
), analysis AS (
    SELECT max(invoice_date)::date + 2 AS analysis_date FROM retail_clean_lines
)
SELECT customer_id, analysis_date - max(invoice_date)::date AS recency, count(*) AS frequency,
       sum(amount) AS monetary
FROM invoices CROSS JOIN analysis
GROUP BY customer_id, analysis_date;

-- The model is fitted when the view is read; for large tables store it in a table instead
-- (CREATE TABLE ... AS SELECT crm_kmeans_fit(...)) and refit on a schedule.
CREATE OR REPLACE VIEW retail_cluster_model AS
SELECT crm_kmeans_fit(ARRAY[recency, frequency, monetary]::float8[], 4, 'log_standard', 42) AS model
FROM retail_customer_rfm;

CREATE OR REPLACE VIEW retail_customer_clusters AS
SELECT r.customer_id, r.recency, r.frequency, r.monetary,
       crm_kmeans_assign(m.model, ARRAY[r.recency, r.frequency, r.monetary]::float8[]) AS cluster
FROM retail_customer_rfm r CROSS JOIN retail_cluster_model m;

COMMENT ON VIEW retail_customer_rfm IS 'Online Retail: one row per customer of the cleaned lines (4,338), the k-means features at the analysis date 2011-12-11 (the last invoice date + 2 days): recency in calendar days, invoices, total amount in GBP.';
COMMENT ON COLUMN retail_customer_rfm.customer_id IS 'Customer id.';
COMMENT ON COLUMN retail_customer_rfm.recency IS 'Calendar days from the date of the last invoice to 2011-12-11 (a date difference: one more than retail_rfm''s rounded-down days unless the last invoice is at 00:00).';
COMMENT ON COLUMN retail_customer_rfm.frequency IS 'Invoices (distinct invoice numbers; count).';
COMMENT ON COLUMN retail_customer_rfm.monetary IS 'Total amount of the customer''s lines (GBP).';

COMMENT ON VIEW retail_cluster_model IS 'Online Retail: one row, the k-means model (k = 4, features log1p then standardised, seed 42) of retail_customer_rfm''s recency, frequency and monetary. Refitted on every read: for large data or stable reports store it in a table and refit on a schedule.';
COMMENT ON COLUMN retail_cluster_model.model IS 'The fitted crm_kmeans model (centroids in days, invoices and GBP, sizes, scaler; crm_kmeans_centroids(model) lists the clusters); cluster 1 has the highest monetary centroid.';

COMMENT ON VIEW retail_customer_clusters IS 'Online Retail: one row per customer (4,338) with the RFM features of retail_customer_rfm (recency in days, invoices, GBP) and the k-means cluster 1 .. 4 (1 = highest monetary centroid). Refits k-means on every read (through retail_cluster_model): slow on large data, and the clusters move when the lines change.';
COMMENT ON COLUMN retail_customer_clusters.customer_id IS 'Customer id.';
COMMENT ON COLUMN retail_customer_clusters.recency IS 'Calendar days from the date of the last invoice to 2011-12-11.';
COMMENT ON COLUMN retail_customer_clusters.frequency IS 'Invoices (count).';
COMMENT ON COLUMN retail_customer_clusters.monetary IS 'Total amount of the customer''s lines (GBP).';
COMMENT ON COLUMN retail_customer_clusters.cluster IS 'k-means cluster 1 .. 4: the nearest centroid in the scaled space, numbered by descending monetary centroid (1 = the highest-spending cluster).';

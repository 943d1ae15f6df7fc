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
COMMENT ON VIEW retail_customer_clusters IS 'Online Retail customers with RFM features and their k-means cluster (1 = highest monetary centroid)';

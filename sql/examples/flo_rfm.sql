-- FLO: BI-ready RFM views, the course's workflow (docs/references.md sections 1-3).
-- Needs flo_customers (scripts/load_data.sh flo). Analysis date 2021-06-01 (the column as_of of
-- the per-customer and summary views), no outlier suppression, frequency ties broken in file order
-- as pandas' rank(method="first") does. The customer is customer_id (master_id of flo_customers).

-- One row per customer: the metrics (omnichannel: online + offline orders and value).
CREATE OR REPLACE VIEW flo_rfm_metrics AS
SELECT c.master_id AS customer_id, c.file_order,
       d.as_of - c.last_order_date AS recency,
       c.order_num_total_ever_online + c.order_num_total_ever_offline AS frequency,
       c.customer_value_total_ever_online::float8 + c.customer_value_total_ever_offline::float8 AS monetary,
       d.as_of
FROM flo_customers c CROSS JOIN (SELECT DATE '2021-06-01' AS as_of) d;

-- The course map's labels with their display names and display order.
CREATE OR REPLACE VIEW flo_rfm_segments AS
SELECT segment, min(display_name) AS display_name, min(sort_order) AS sort_order
FROM crm_segment_map WHERE map_name = 'course'
GROUP BY segment;

-- One row per customer with scores and segment (sort_order: the segment's display order).
CREATE OR REPLACE VIEW flo_rfm AS
SELECT s.customer_id, s.recency, s.frequency, s.monetary,
       s.r_score, s.f_score, s.m_score, s.rf_score, s.rfm_score, s.segment, g.display_name,
       g.sort_order, m.as_of
FROM crm_rfm_scores('flo_rfm_metrics', tiebreak => 'file_order') AS s
JOIN flo_rfm_metrics AS m USING (customer_id)
LEFT JOIN flo_rfm_segments AS g USING (segment);

-- One row per segment in the map's sort order: customers, share, mean and median R, F, M, revenue
-- and its share.
CREATE OR REPLACE VIEW flo_rfm_segment_summary AS
SELECT r.segment, r.display_name, count(*) AS customers,
       round(count(*) / sum(count(*)) OVER (), 4) AS share,
       round(avg(r.recency)::numeric, 2) AS recency_mean,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY r.recency) AS recency_median,
       round(avg(r.frequency)::numeric, 2) AS frequency_mean,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY r.frequency) AS frequency_median,
       round(avg(r.monetary)::numeric, 2) AS monetary_mean,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY r.monetary)::numeric, 2) AS monetary_median,
       round((sum(r.monetary) / sum(sum(r.monetary)) OVER ())::numeric, 4) AS revenue_share,
       r.sort_order, round(sum(r.monetary)::numeric, 2) AS revenue, r.as_of
FROM flo_rfm AS r
GROUP BY r.segment, r.display_name, r.sort_order, r.as_of
ORDER BY r.sort_order NULLS LAST, r.segment;

COMMENT ON VIEW flo_rfm_metrics IS 'FLO: one row per customer (19,945), the RFM metrics omnichannel (online + offline) at the analysis date as_of = 2021-06-01, without outlier suppression: recency in days, orders, value in TRY. The input of flo_rfm.';
COMMENT ON COLUMN flo_rfm_metrics.customer_id IS 'FLO customer id (master_id of flo_customers).';
COMMENT ON COLUMN flo_rfm_metrics.file_order IS 'Row number of the customer in the source CSV (1-based): breaks frequency ties as pandas does.';
COMMENT ON COLUMN flo_rfm_metrics.recency IS 'Days from the last order to as_of (2021-06-01).';
COMMENT ON COLUMN flo_rfm_metrics.frequency IS 'Total orders, online + offline (count).';
COMMENT ON COLUMN flo_rfm_metrics.monetary IS 'Total order value, online + offline (TRY, Turkish lira).';
COMMENT ON COLUMN flo_rfm_metrics.as_of IS 'Analysis date of the metrics (2021-06-01, the same for every row): recency counts the days to it.';

COMMENT ON VIEW flo_rfm_segments IS 'The segments of the course''s RFM map (crm_segment_map, map_name = ''course''): one row per segment with its display name and display order; join to flo_rfm on segment.';
COMMENT ON COLUMN flo_rfm_segments.segment IS 'Segment label as crm_rfm_scores returns it (champions, loyal_customers, .., at_Risk, cant_loose, hibernating).';
COMMENT ON COLUMN flo_rfm_segments.display_name IS 'Segment name for display (Champions, .., At Risk, Can''t Lose, Hibernating).';
COMMENT ON COLUMN flo_rfm_segments.sort_order IS 'Display order, best segment first: 1 = champions .. 10 = hibernating (sort key of a segment axis).';

COMMENT ON VIEW flo_rfm IS 'FLO: one row per customer with the RFM metrics (recency in days to as_of = 2021-06-01, orders, TRY), scores 1..5 and the course segment with its display name and order, scored as the course''s pandas code (quintiles over all customers, frequency ties in file order). Scored on every read: the scores are relative to the customers of flo_rfm_metrics.';
COMMENT ON COLUMN flo_rfm.customer_id IS 'FLO customer id (master_id of flo_customers).';
COMMENT ON COLUMN flo_rfm.recency IS 'Days from the last order to as_of (2021-06-01).';
COMMENT ON COLUMN flo_rfm.frequency IS 'Total orders, online + offline (count).';
COMMENT ON COLUMN flo_rfm.monetary IS 'Total order value, online + offline (TRY).';
COMMENT ON COLUMN flo_rfm.r_score IS 'Recency score 1..5, reversed quintile of recency: 5 = the most recent fifth of the customers.';
COMMENT ON COLUMN flo_rfm.f_score IS 'Frequency score 1..5, quintile of the frequency rank (ties in file order): 5 = the fifth with the most orders.';
COMMENT ON COLUMN flo_rfm.m_score IS 'Monetary score 1..5, quintile of the total value: 5 = the fifth with the highest value.';
COMMENT ON COLUMN flo_rfm.rf_score IS 'r_score and f_score as text, e.g. ''45'' (the course''s segments use these two).';
COMMENT ON COLUMN flo_rfm.rfm_score IS 'r_score, f_score and m_score as text, e.g. ''451''.';
COMMENT ON COLUMN flo_rfm.segment IS 'Segment label of the course map from the R and F scores (champions, loyal_customers, .., hibernating).';
COMMENT ON COLUMN flo_rfm.display_name IS 'Segment name for display (flo_rfm_segments), e.g. Champions.';
COMMENT ON COLUMN flo_rfm.sort_order IS 'Display order of the segment (flo_rfm_segments), best first: 1 = champions .. 10 = hibernating (sort key of a segment axis, not a measure).';
COMMENT ON COLUMN flo_rfm.as_of IS 'Analysis date of the scores (2021-06-01, the same for every row).';

COMMENT ON VIEW flo_rfm_segment_summary IS 'FLO: one row per RFM segment of flo_rfm at as_of = 2021-06-01, in the course map''s display order (sort_order, champions first): customers, share, mean and median recency (days), frequency (orders) and monetary (TRY), revenue and its share. Shares are fractions 0..1, not percents; customers and revenue add up over the segments.';
COMMENT ON COLUMN flo_rfm_segment_summary.segment IS 'Segment label (champions, loyal_customers, .., hibernating).';
COMMENT ON COLUMN flo_rfm_segment_summary.display_name IS 'Segment name for display, e.g. Champions.';
COMMENT ON COLUMN flo_rfm_segment_summary.customers IS 'Customers in the segment.';
COMMENT ON COLUMN flo_rfm_segment_summary.share IS 'Share of all customers (fraction 0..1, 4 decimals): customers / the sum of customers.';
COMMENT ON COLUMN flo_rfm_segment_summary.recency_mean IS 'Mean days from the last order to as_of (2 decimals).';
COMMENT ON COLUMN flo_rfm_segment_summary.recency_median IS 'Median days from the last order to as_of.';
COMMENT ON COLUMN flo_rfm_segment_summary.frequency_mean IS 'Mean total orders per customer (2 decimals).';
COMMENT ON COLUMN flo_rfm_segment_summary.frequency_median IS 'Median total orders per customer.';
COMMENT ON COLUMN flo_rfm_segment_summary.monetary_mean IS 'Mean total order value per customer (TRY, 2 decimals).';
COMMENT ON COLUMN flo_rfm_segment_summary.monetary_median IS 'Median total order value per customer (TRY, 2 decimals).';
COMMENT ON COLUMN flo_rfm_segment_summary.revenue_share IS 'The segment''s share of the total order value of all customers (fraction 0..1, 4 decimals): revenue / the sum of revenue.';
COMMENT ON COLUMN flo_rfm_segment_summary.sort_order IS 'Display order of the segment, best first: 1 = champions .. 10 = hibernating (sort key, not a measure).';
COMMENT ON COLUMN flo_rfm_segment_summary.revenue IS 'Total order value of the segment''s customers, online + offline (TRY, 2 decimals); sums over segments.';
COMMENT ON COLUMN flo_rfm_segment_summary.as_of IS 'Analysis date of the RFM scores (2021-06-01).';

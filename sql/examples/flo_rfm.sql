-- FLO: BI-ready RFM views, the course's workflow (domain.md sections 1-3).
-- Needs flo_customers (scripts/load_data.sh flo). Analysis date 2021-06-01, no outlier suppression,
-- frequency ties broken in file order as pandas' rank(method="first") does.

-- One row per customer: the metrics (omnichannel: online + offline orders and value).
CREATE OR REPLACE VIEW flo_rfm_metrics AS
SELECT master_id, file_order,
       DATE '2021-06-01' - last_order_date AS recency,
       order_num_total_ever_online + order_num_total_ever_offline AS frequency,
       customer_value_total_ever_online::float8 + customer_value_total_ever_offline::float8 AS monetary
FROM flo_customers;

-- The course map's labels with their display names and display order.
CREATE OR REPLACE VIEW flo_rfm_segments AS
SELECT segment, min(display_name) AS display_name, min(sort_order) AS sort_order
FROM crm_segment_map WHERE map_name = 'course'
GROUP BY segment;

-- One row per customer with scores and segment.
CREATE OR REPLACE VIEW flo_rfm AS
SELECT s.customer_id AS master_id, s.recency, s.frequency, s.monetary,
       s.r_score, s.f_score, s.m_score, s.rf_score, s.rfm_score, s.segment, g.display_name
FROM crm_rfm_scores('flo_rfm_metrics', customer => 'master_id', tiebreak => 'file_order') AS s
LEFT JOIN flo_rfm_segments AS g USING (segment);

-- One row per segment in the map's sort order: customers, share, mean and median R, F, M, revenue share.
CREATE OR REPLACE VIEW flo_rfm_segment_summary AS
SELECT r.segment, r.display_name, count(*) AS customers,
       round(count(*) / sum(count(*)) OVER (), 4) AS share,
       round(avg(r.recency)::numeric, 2) AS recency_mean,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY r.recency) AS recency_median,
       round(avg(r.frequency)::numeric, 2) AS frequency_mean,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY r.frequency) AS frequency_median,
       round(avg(r.monetary)::numeric, 2) AS monetary_mean,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY r.monetary)::numeric, 2) AS monetary_median,
       round((sum(r.monetary) / sum(sum(r.monetary)) OVER ())::numeric, 4) AS revenue_share
FROM flo_rfm AS r
LEFT JOIN flo_rfm_segments AS g USING (segment)
GROUP BY r.segment, r.display_name, g.sort_order
ORDER BY g.sort_order NULLS LAST, r.segment;

COMMENT ON VIEW flo_rfm_metrics IS 'FLO: one row per customer (19,945), the RFM metrics omnichannel (online + offline) at the analysis date 2021-06-01, without outlier suppression: recency in days, orders, value in TRY. The input of flo_rfm.';
COMMENT ON COLUMN flo_rfm_metrics.master_id IS 'FLO customer id.';
COMMENT ON COLUMN flo_rfm_metrics.file_order IS 'Row number of the customer in the source CSV (1-based): breaks frequency ties as pandas does.';
COMMENT ON COLUMN flo_rfm_metrics.recency IS 'Days from the last order to 2021-06-01.';
COMMENT ON COLUMN flo_rfm_metrics.frequency IS 'Total orders, online + offline (count).';
COMMENT ON COLUMN flo_rfm_metrics.monetary IS 'Total order value, online + offline (TRY, Turkish lira).';

COMMENT ON VIEW flo_rfm_segments IS 'The segments of the course''s RFM map (crm_segment_map, map_name = ''course''): one row per segment with its display name and display order; join to flo_rfm on segment.';
COMMENT ON COLUMN flo_rfm_segments.segment IS 'Segment label as crm_rfm_scores returns it (champions, loyal_customers, .., at_Risk, cant_loose, hibernating).';
COMMENT ON COLUMN flo_rfm_segments.display_name IS 'Segment name for display (Champions, .., At Risk, Can''t Lose, Hibernating).';
COMMENT ON COLUMN flo_rfm_segments.sort_order IS 'Display order: 1 = champions .. 10 = hibernating.';

COMMENT ON VIEW flo_rfm IS 'FLO: one row per customer with the RFM metrics (recency in days to 2021-06-01, orders, TRY), scores 1..5 and the course segment, scored as the course''s pandas code (quintiles over all customers, frequency ties in file order). Scored on every read: the scores are relative to the customers of flo_rfm_metrics.';
COMMENT ON COLUMN flo_rfm.master_id IS 'FLO customer id.';
COMMENT ON COLUMN flo_rfm.recency IS 'Days from the last order to 2021-06-01.';
COMMENT ON COLUMN flo_rfm.frequency IS 'Total orders, online + offline (count).';
COMMENT ON COLUMN flo_rfm.monetary IS 'Total order value, online + offline (TRY).';
COMMENT ON COLUMN flo_rfm.r_score IS 'Recency score 1..5, reversed quintile of recency: 5 = the most recent fifth of the customers.';
COMMENT ON COLUMN flo_rfm.f_score IS 'Frequency score 1..5, quintile of the frequency rank (ties in file order): 5 = the fifth with the most orders.';
COMMENT ON COLUMN flo_rfm.m_score IS 'Monetary score 1..5, quintile of the total value: 5 = the fifth with the highest value.';
COMMENT ON COLUMN flo_rfm.rf_score IS 'r_score and f_score as text, e.g. ''45'' (the course''s segments use these two).';
COMMENT ON COLUMN flo_rfm.rfm_score IS 'r_score, f_score and m_score as text, e.g. ''451''.';
COMMENT ON COLUMN flo_rfm.segment IS 'Segment label of the course map from the R and F scores (champions, loyal_customers, .., hibernating).';
COMMENT ON COLUMN flo_rfm.display_name IS 'Segment name for display (flo_rfm_segments), e.g. Champions.';

COMMENT ON VIEW flo_rfm_segment_summary IS 'FLO: one row per RFM segment of flo_rfm, in the course map''s display order (champions first): customers, share, mean and median recency (days), frequency (orders) and monetary (TRY), and revenue share. Shares are fractions 0..1, not percents.';
COMMENT ON COLUMN flo_rfm_segment_summary.segment IS 'Segment label (champions, loyal_customers, .., hibernating).';
COMMENT ON COLUMN flo_rfm_segment_summary.display_name IS 'Segment name for display, e.g. Champions.';
COMMENT ON COLUMN flo_rfm_segment_summary.customers IS 'Customers in the segment.';
COMMENT ON COLUMN flo_rfm_segment_summary.share IS 'Share of all customers (fraction 0..1, 4 decimals).';
COMMENT ON COLUMN flo_rfm_segment_summary.recency_mean IS 'Mean days from the last order to 2021-06-01 (2 decimals).';
COMMENT ON COLUMN flo_rfm_segment_summary.recency_median IS 'Median days from the last order to 2021-06-01.';
COMMENT ON COLUMN flo_rfm_segment_summary.frequency_mean IS 'Mean total orders per customer (2 decimals).';
COMMENT ON COLUMN flo_rfm_segment_summary.frequency_median IS 'Median total orders per customer.';
COMMENT ON COLUMN flo_rfm_segment_summary.monetary_mean IS 'Mean total order value per customer (TRY, 2 decimals).';
COMMENT ON COLUMN flo_rfm_segment_summary.monetary_median IS 'Median total order value per customer (TRY, 2 decimals).';
COMMENT ON COLUMN flo_rfm_segment_summary.revenue_share IS 'The segment''s share of the total order value of all customers (fraction 0..1, 4 decimals).';

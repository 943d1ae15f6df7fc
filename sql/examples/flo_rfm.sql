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

-- RFM showcase block for sql/demo.sql (include it with \ir demo/rfm.sql): creates the FLO RFM
-- views of sql/examples/flo_rfm.sql and prints the segment summary.
\set QUIET on
\ir ../examples/flo_rfm.sql
\set QUIET off
\echo '### FLO: RFM segments (crm_rfm_scores, course map; analysis date 2021-06-01)'
SELECT display_name AS segment, customers, share, recency_mean, frequency_mean, monetary_mean, revenue_share
FROM flo_rfm_segment_summary;

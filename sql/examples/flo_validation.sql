-- FLO: heatmap data of the BG/NBD model the CLTV pipeline fits (flo_cltv.sql's input, weeks;
-- FLO has customer totals, not transactions, so no tracking or holdout). Creates:
--   flo_frequency_recency_matrix   expected orders in 26 weeks and P(alive) for customers of 2 years
\ir flo_cltv.sql

CREATE OR REPLACE VIEW flo_frequency_recency_matrix AS
SELECT m.*
FROM (SELECT crm_bgnbd_fit(frequency, recency, t, 0.001) AS bgnbd FROM flo_cltv_input) f,
     crm_frequency_recency_matrix(f.bgnbd, age => 104, max_frequency => 30, horizon => 26, recency_step => 4) m;

COMMENT ON VIEW flo_frequency_recency_matrix IS 'FLO: for customers of 104 weeks (2 years), expected orders in the next 26 weeks and P(alive) by orders and weeks to the last order, under the BG/NBD model of the CLTV pipeline (frequency = total orders, the course convention).';
COMMENT ON COLUMN flo_frequency_recency_matrix.frequency IS 'Orders (the course''s frequency): 0 .. 30.';
COMMENT ON COLUMN flo_frequency_recency_matrix.recency IS 'Weeks from the first to the last order (0, 4, 8, .., 104).';
COMMENT ON COLUMN flo_frequency_recency_matrix.t IS 'Age of the customer in weeks (104).';
COMMENT ON COLUMN flo_frequency_recency_matrix.expected_purchases IS 'Expected orders in the next 26 weeks.';
COMMENT ON COLUMN flo_frequency_recency_matrix.p_alive IS 'Probability that the customer is still active (0..1).';

-- FLO: heatmap data of the BG/NBD model the CLTV pipeline fits (flo_cltv.sql's input, weeks;
-- FLO has customer totals, not transactions, so no tracking or holdout). Creates:
--   flo_frequency_recency_matrix   (materialized) expected orders in 26 weeks and P(alive) for customers of 2 years
--   flo_cltv_models                (materialized) the models behind flo_cltv with converged and warnings
\ir flo_cltv.sql

-- Materialized: a read would refit the model (REFRESH MATERIALIZED VIEW flo_frequency_recency_matrix,
-- or CALL example_refresh()).
CREATE MATERIALIZED VIEW IF NOT EXISTS flo_frequency_recency_matrix AS
SELECT m.*, now() AS refreshed_at
FROM (SELECT crm_bgnbd_fit(frequency, recency, t, 0.001) AS bgnbd FROM flo_cltv_input) f,
     crm_frequency_recency_matrix(f.bgnbd, age => 104, max_frequency => 30, horizon => 26, recency_step => 4) m;

COMMENT ON MATERIALIZED VIEW flo_frequency_recency_matrix IS 'FLO: for customers of 104 weeks (2 years), expected orders in the next 26 weeks and P(alive) by orders and weeks to the last order, under the BG/NBD model of the CLTV pipeline (frequency = total orders, the course convention).';
COMMENT ON COLUMN flo_frequency_recency_matrix.frequency IS 'Orders (the course''s frequency): 0 .. 30.';
COMMENT ON COLUMN flo_frequency_recency_matrix.recency IS 'Weeks from the first to the last order (0, 4, 8, .., 104).';
COMMENT ON COLUMN flo_frequency_recency_matrix.t IS 'Age of the customer in weeks (104).';
COMMENT ON COLUMN flo_frequency_recency_matrix.expected_purchases IS 'Expected orders in the next 26 weeks.';
COMMENT ON COLUMN flo_frequency_recency_matrix.p_alive IS 'Probability that the customer is still active (0..1).';
COMMENT ON COLUMN flo_frequency_recency_matrix.refreshed_at IS 'When the view was last refreshed (the model fitted).';

-- The models behind flo_cltv (crm_cltv_models makes the fits crm_cltv makes), as plain columns:
-- converged and the warnings (here Gamma-Gamma q <= 1) beside the CLVs they qualify. Materialized
-- like flo_cltv (REFRESH MATERIALIZED VIEW flo_cltv_models, or CALL example_refresh()).
CREATE MATERIALIZED VIEW IF NOT EXISTS flo_cltv_models AS
SELECT s.model, s.unit, s.parameters, s.log_likelihood, s.customers, s.converged, s.warning_count, s.warnings,
       (SELECT max(as_of) FROM flo_cltv_input) AS as_of, now() AS refreshed_at
FROM crm_cltv_models('flo_cltv_input', unit => 'week', bgnbd_penalizer => 0.001, gamma_gamma_penalizer => 0.01) m,
     LATERAL (SELECT * FROM crm_model_summary(m.bgnbd) UNION ALL SELECT * FROM crm_model_summary(m.gamma_gamma)) s;

COMMENT ON MATERIALIZED VIEW flo_cltv_models IS 'FLO: the BG/NBD and Gamma-Gamma models behind flo_cltv (same rows and penalizers), one row each, with converged and the fits'' warnings: read them beside the CLVs (the Gamma-Gamma q <= 1 warning qualifies every expected average value). A snapshot: refresh with flo_cltv.';
COMMENT ON COLUMN flo_cltv_models.model IS 'Model: bgnbd or gamma_gamma.';
COMMENT ON COLUMN flo_cltv_models.unit IS 'Time unit of the model (week; none for Gamma-Gamma).';
COMMENT ON COLUMN flo_cltv_models.parameters IS 'The parameters with 4 significant digits (display text).';
COMMENT ON COLUMN flo_cltv_models.log_likelihood IS 'Log-likelihood of the fit.';
COMMENT ON COLUMN flo_cltv_models.customers IS 'Customers the fit used.';
COMMENT ON COLUMN flo_cltv_models.converged IS 'Whether the fit converged.';
COMMENT ON COLUMN flo_cltv_models.warning_count IS 'Number of warnings the fit recorded.';
COMMENT ON COLUMN flo_cltv_models.warnings IS 'The warnings joined with "; " (NULL when none).';
COMMENT ON COLUMN flo_cltv_models.as_of IS 'Analysis date of the customers'' summary (2021-06-01).';
COMMENT ON COLUMN flo_cltv_models.refreshed_at IS 'When the view was last refreshed (the fits made).';

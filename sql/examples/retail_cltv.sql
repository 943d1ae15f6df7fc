-- Online Retail: CLTV of UK customers from raw invoice lines.
-- Needs retail_lines (scripts/load_data.sh retail). Creates:
--   retail_uk_summary   one row per UK customer: lifetimes-style frequency/recency/t/monetary (weeks)
--   retail_uk_repeat    the UK customers with at least one repeat purchase day
--   retail_uk_cltv      (materialized) crm_cltv's output for them (6 months, 1% monthly discount), for BI tools
--   retail_uk_model_comparison  (materialized) BG/NBD, MBG/NBD and Pareto/NBD compared on all UK customers
--   retail_uk_cltv_models  (materialized) the models behind retail_uk_cltv with converged and warnings
-- The analysis date is 2011-12-11 (column as_of); refreshed_at of a materialized view is the time
-- of its last REFRESH. Refresh after new lines (the two are independent; any order), or
-- CALL example_refresh() (sql/examples/refresh.sql) for every example:
--   REFRESH MATERIALIZED VIEW retail_uk_cltv;              -- refits BG/NBD and Gamma-Gamma
--   REFRESH MATERIALIZED VIEW retail_uk_model_comparison;  -- refits the three purchase models

\ir retail_clean_lines.sql

-- UK customers of the cleaned lines; the analysis date is two days after the last invoice
-- (2011-12-09). Purchases are merged per day.
CREATE OR REPLACE VIEW retail_uk_summary AS
SELECT customer_id, (s).frequency, (s).recency, (s).t, (s).monetary_value AS monetary, as_of
FROM (SELECT customer_id, d.as_of,
             crm_customer_summary(invoice_date, amount::float8, d.as_of::timestamp, 'week', 'day') AS s
      FROM retail_clean_lines CROSS JOIN (SELECT DATE '2011-12-11' AS as_of) d
      WHERE country = 'United Kingdom'
      GROUP BY customer_id, d.as_of) per_customer;

-- Repeat customers (the Gamma-Gamma model needs repeat spend); frequency is the number of repeat
-- purchase days, the BG/NBD convention (crm_cltv's default frequency_is => 'repeat').
CREATE OR REPLACE VIEW retail_uk_repeat AS SELECT * FROM retail_uk_summary WHERE frequency > 0;

-- now() is the time of the REFRESH (of the CREATE at first).
CREATE MATERIALIZED VIEW IF NOT EXISTS retail_uk_cltv AS
SELECT c.*, (SELECT max(as_of) FROM retail_uk_repeat) AS as_of, now() AS refreshed_at
FROM crm_cltv('retail_uk_repeat', months => 6, discount => 0.01,
              bgnbd_penalizer => 0.001, gamma_gamma_penalizer => 0.01) c;

-- Which purchase model fits the UK customers best (all of them, one-time buyers included), by
-- maximum likelihood. The dropout is barely identified in one year of data: BG/NBD's a is 0.007
-- and Pareto/NBD's s near 0, so the three likelihoods are within 0.4 of each other. Materialized:
-- the three fits take about a second, too slow to repeat on every read of a chart.
CREATE MATERIALIZED VIEW IF NOT EXISTS retail_uk_model_comparison AS
SELECT c.*, now() AS refreshed_at
FROM (SELECT crm_rft_summary(frequency, recency, t, 1, 'week') AS summary FROM retail_uk_summary) f,
     crm_model_compare(f.summary) c;
COMMENT ON MATERIALIZED VIEW retail_uk_model_comparison IS 'Online Retail UK: BG/NBD, MBG/NBD and Pareto/NBD fitted to the same customers (weeks, repeat purchase days, maximum likelihood, analysis date 2011-12-11): log-likelihood, AIC, BIC and delta_bic (0 = the best trade-off of fit and parameters). A snapshot: REFRESH MATERIALIZED VIEW retail_uk_model_comparison after new lines (refits the models).';
COMMENT ON COLUMN retail_uk_model_comparison.model IS 'the purchase model (bgnbd, mbgnbd, pareto_nbd)';
COMMENT ON COLUMN retail_uk_model_comparison.parameters IS 'number of parameters k';
COMMENT ON COLUMN retail_uk_model_comparison.log_likelihood IS 'maximised log-likelihood (in weeks)';
COMMENT ON COLUMN retail_uk_model_comparison.aic IS 'Akaike information criterion, 2k - 2 log_likelihood';
COMMENT ON COLUMN retail_uk_model_comparison.bic IS 'Bayesian information criterion, k ln(customers) - 2 log_likelihood';
COMMENT ON COLUMN retail_uk_model_comparison.customers IS 'customers fitted';
COMMENT ON COLUMN retail_uk_model_comparison.converged IS 'whether the fit converged';
COMMENT ON COLUMN retail_uk_model_comparison.delta_bic IS 'bic minus the smallest bic of the rows (0 = the preferred model)';
COMMENT ON COLUMN retail_uk_model_comparison.refreshed_at IS 'When the models were fitted: the time of the last REFRESH MATERIALIZED VIEW retail_uk_model_comparison (or of its creation).';

COMMENT ON VIEW retail_uk_summary IS 'Online Retail UK: one row per UK customer of the cleaned lines (3,920), the lifetimes-style summary at the analysis date as_of = 2011-12-11 (the last invoice date + 2 days): purchases merged per day, times in weeks, spend in GBP.';
COMMENT ON COLUMN retail_uk_summary.customer_id IS 'Customer id.';
COMMENT ON COLUMN retail_uk_summary.frequency IS 'Repeat purchase days: days with a purchase minus 1 (count).';
COMMENT ON COLUMN retail_uk_summary.recency IS 'Weeks from the first to the last purchase day (0 without repeats).';
COMMENT ON COLUMN retail_uk_summary.t IS 'Weeks from the first purchase day to 2011-12-11: the customer''s age.';
COMMENT ON COLUMN retail_uk_summary.monetary IS 'Mean spend of the repeat purchase days (GBP; the first purchase day excluded; 0 without repeats).';
COMMENT ON COLUMN retail_uk_summary.as_of IS 'Analysis date (2011-12-11, the same for every row): t counts the weeks to it.';

COMMENT ON VIEW retail_uk_repeat IS 'Online Retail UK: the customers of retail_uk_summary with at least one repeat purchase day (frequency > 0; 2,522), one row each, the input of retail_uk_cltv (Gamma-Gamma needs repeat spend). Weeks, GBP.';
COMMENT ON COLUMN retail_uk_repeat.customer_id IS 'Customer id.';
COMMENT ON COLUMN retail_uk_repeat.frequency IS 'Repeat purchase days: days with a purchase minus 1 (count, >= 1).';
COMMENT ON COLUMN retail_uk_repeat.recency IS 'Weeks from the first to the last purchase day.';
COMMENT ON COLUMN retail_uk_repeat.t IS 'Weeks from the first purchase day to 2011-12-11: the customer''s age.';
COMMENT ON COLUMN retail_uk_repeat.monetary IS 'Mean spend of the repeat purchase days (GBP; the first purchase day excluded).';
COMMENT ON COLUMN retail_uk_repeat.as_of IS 'Analysis date (2011-12-11, the same for every row).';

COMMENT ON MATERIALIZED VIEW retail_uk_cltv IS 'Online Retail UK: one row per customer of retail_uk_repeat, crm_cltv''s output: BG/NBD (weeks, penalizer 0.001) and Gamma-Gamma (penalizer 0.01) fitted on them, P(alive), expected purchase days in 3 and 6 months, expected spend per purchase day and the 6-month CLV with a 1% monthly discount (GBP), CLV quartile segments A .. D, at the analysis date as_of = 2011-12-11. A snapshot: REFRESH MATERIALIZED VIEW retail_uk_cltv after new lines (refits the models; refreshed_at tells when).';
COMMENT ON COLUMN retail_uk_cltv.customer_id IS 'Customer id.';
COMMENT ON COLUMN retail_uk_cltv.frequency IS 'Repeat purchase days (count).';
COMMENT ON COLUMN retail_uk_cltv.recency IS 'Weeks from the first to the last purchase day.';
COMMENT ON COLUMN retail_uk_cltv.t IS 'Weeks from the first purchase day to 2011-12-11: the customer''s age.';
COMMENT ON COLUMN retail_uk_cltv.monetary IS 'Mean spend of the repeat purchase days (GBP).';
COMMENT ON COLUMN retail_uk_cltv.p_alive IS 'BG/NBD probability that the customer is still active on 2011-12-11 (fraction 0..1).';
COMMENT ON COLUMN retail_uk_cltv.exp_sales_3_month IS 'Expected purchase days in the next 3 months (13.035 weeks, 4.345 weeks a month).';
COMMENT ON COLUMN retail_uk_cltv.exp_sales_6_month IS 'Expected purchase days in the next 6 months (26.07 weeks).';
COMMENT ON COLUMN retail_uk_cltv.exp_average_value IS 'Gamma-Gamma expected spend per purchase day (GBP).';
COMMENT ON COLUMN retail_uk_cltv.cltv IS 'Customer lifetime value over the next 6 months (GBP): expected purchases of each month times exp_average_value, discounted 1% a month (revenue, no margin applied).';
COMMENT ON COLUMN retail_uk_cltv.cltv_segment IS 'CLV quartile: A = the top 25% of customers by cltv .. D = the bottom 25%.';
COMMENT ON COLUMN retail_uk_cltv.as_of IS 'Analysis date of the prediction (2011-12-11, retail_uk_repeat.as_of): the models see the customers as of this date.';
COMMENT ON COLUMN retail_uk_cltv.refreshed_at IS 'When the snapshot was computed: the time of the last REFRESH MATERIALIZED VIEW retail_uk_cltv (or of its creation).';

-- The models behind retail_uk_cltv (crm_cltv_models makes the fits crm_cltv makes), as plain
-- columns: converged and the warnings beside the CLVs they qualify. Refresh with retail_uk_cltv.
CREATE MATERIALIZED VIEW IF NOT EXISTS retail_uk_cltv_models AS
SELECT s.model, s.unit, s.parameters, s.log_likelihood, s.customers, s.converged, s.warning_count, s.warnings,
       (SELECT max(as_of) FROM retail_uk_repeat) AS as_of, now() AS refreshed_at
FROM crm_cltv_models('retail_uk_repeat', bgnbd_penalizer => 0.001, gamma_gamma_penalizer => 0.01) m,
     LATERAL (SELECT * FROM crm_model_summary(m.bgnbd) UNION ALL SELECT * FROM crm_model_summary(m.gamma_gamma)) s;
COMMENT ON MATERIALIZED VIEW retail_uk_cltv_models IS 'Online Retail UK: the BG/NBD and Gamma-Gamma models behind retail_uk_cltv (same rows and penalizers), one row each, with converged and the fits'' warnings (read them beside the CLVs). A snapshot: refresh with retail_uk_cltv.';
COMMENT ON COLUMN retail_uk_cltv_models.model IS 'Model: bgnbd or gamma_gamma.';
COMMENT ON COLUMN retail_uk_cltv_models.unit IS 'Time unit of the model (week; none for Gamma-Gamma).';
COMMENT ON COLUMN retail_uk_cltv_models.parameters IS 'The parameters with 4 significant digits (display text).';
COMMENT ON COLUMN retail_uk_cltv_models.log_likelihood IS 'Log-likelihood of the fit.';
COMMENT ON COLUMN retail_uk_cltv_models.customers IS 'Customers the fit used.';
COMMENT ON COLUMN retail_uk_cltv_models.converged IS 'Whether the fit converged.';
COMMENT ON COLUMN retail_uk_cltv_models.warning_count IS 'Number of warnings the fit recorded.';
COMMENT ON COLUMN retail_uk_cltv_models.warnings IS 'The warnings joined with "; " (NULL when none).';
COMMENT ON COLUMN retail_uk_cltv_models.as_of IS 'Analysis date of the customers'' summary (2011-12-11).';
COMMENT ON COLUMN retail_uk_cltv_models.refreshed_at IS 'When the view was last refreshed (the fits made).';

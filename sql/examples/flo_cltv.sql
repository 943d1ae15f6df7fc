-- FLO: the "CRM Analytics" course's CLTV pipeline end to end, in SQL (docs/references.md
-- sections 1, 5-7).
-- Needs flo_customers (scripts/load_data.sh flo). Creates:
--   flo_cltv_input            one row per customer, prepared as the course prepares it
--   flo_cltv                  (materialized) crm_cltv's per-customer output, for BI tools
--   flo_cltv_segment_summary  one row per CLV segment A..D with sizes, means and a suggested action
--   flo_model_comparison      (materialized) BG/NBD, MBG/NBD and Pareto/NBD compared on the same customers
-- The analysis date is 2021-06-01 (column as_of); refreshed_at of a materialized view is the time
-- of its last REFRESH. Refresh after new data (the two are independent; any order), or
-- CALL example_refresh() (sql/examples/refresh.sql) for every example:
--   REFRESH MATERIALIZED VIEW flo_cltv;               -- refits BG/NBD and Gamma-Gamma
--   REFRESH MATERIALIZED VIEW flo_model_comparison;   -- refits the three purchase models

-- 1. Outlier suppression on the four order/value columns: limits q01 - 1.5 IQR, q99 + 1.5 IQR with
--    IQR = q99 - q01; values beyond a limit become the limit rounded half-to-even (Python's round).
-- 2. Omnichannel totals; recency and T in weeks from the analysis date 2021-06-01; monetary = mean
--    value per order. The course passes the TOTAL number of orders as frequency (BG/NBD's x is the
--    number of repeat purchases); crm_cltv takes it as given (frequency_is => 'repeat') to reproduce
--    the course's numbers. Use frequency_is => 'total' for the textbook convention.
CREATE OR REPLACE VIEW flo_cltv_input AS
WITH limits AS (
    SELECT crm_outlier_limits(order_num_total_ever_online) AS online_orders,
           crm_outlier_limits(order_num_total_ever_offline) AS offline_orders,
           crm_outlier_limits(customer_value_total_ever_online::float8) AS online_value,
           crm_outlier_limits(customer_value_total_ever_offline::float8) AS offline_value
    FROM flo_customers
), capped AS (
    SELECT c.master_id, c.first_order_date, c.last_order_date,
           crm_clip(c.order_num_total_ever_online, (l.online_orders).low, (l.online_orders).up) AS online_orders,
           crm_clip(c.order_num_total_ever_offline, (l.offline_orders).low, (l.offline_orders).up) AS offline_orders,
           crm_clip(c.customer_value_total_ever_online::float8, (l.online_value).low, (l.online_value).up) AS online_value,
           crm_clip(c.customer_value_total_ever_offline::float8, (l.offline_value).low, (l.offline_value).up) AS offline_value
    FROM flo_customers c, limits l
)
SELECT master_id AS customer_id,
       online_orders + offline_orders AS frequency,
       (last_order_date - first_order_date) / 7.0 AS recency,
       (d.as_of - first_order_date) / 7.0 AS t,
       (online_value + offline_value) / (online_orders + offline_orders) AS monetary,
       d.as_of
FROM capped CROSS JOIN (SELECT DATE '2021-06-01' AS as_of) d
WHERE online_orders + offline_orders > 1;

-- 3. Fit BG/NBD (penalizer 0.001) and Gamma-Gamma (0.01), predict 3- and 6-month sales, expected
--    average value and the 6-month CLV with a 1% monthly discount; CLV segments A (best quartile) .. D.
--    now() is the time of the REFRESH (of the CREATE at first).
CREATE MATERIALIZED VIEW IF NOT EXISTS flo_cltv AS
SELECT c.*, (SELECT max(as_of) FROM flo_cltv_input) AS as_of, now() AS refreshed_at
FROM crm_cltv('flo_cltv_input', unit => 'week', months => 6, discount => 0.01,
              bgnbd_penalizer => 0.001, gamma_gamma_penalizer => 0.01) c;

-- sort_order: A = 1 (the best quartile) .. D = 4.
CREATE OR REPLACE VIEW flo_cltv_segment_summary AS
SELECT cltv_segment,
       count(*) AS customers,
       round(count(*) * 100.0 / sum(count(*)) OVER (), 2) AS share_pct,
       round(avg(recency)::numeric, 2) AS recency_weeks_mean,
       round(avg(t)::numeric, 2) AS t_weeks_mean,
       round(avg(frequency)::numeric, 2) AS frequency_mean,
       round(avg(monetary)::numeric, 2) AS monetary_mean,
       round(avg(exp_sales_6_month)::numeric, 3) AS exp_sales_6_month_mean,
       round(avg(cltv)::numeric, 2) AS cltv_mean,
       round(sum(cltv)::numeric, 2) AS cltv_total,
       round((sum(cltv) * 100 / sum(sum(cltv)) OVER ())::numeric, 2) AS cltv_share_pct,
       CASE cltv_segment
           WHEN 'A' THEN 'retain: loyalty programme, early access, personal service'
           WHEN 'B' THEN 'grow: cross-sell and upsell, move up to A'
           WHEN 'C' THEN 'activate: targeted campaigns to raise purchase frequency'
           WHEN 'D' THEN 'win back cheaply: low-cost reactivation, or let go'
       END AS suggested_action,
       ascii(cltv_segment) - ascii('A') + 1 AS sort_order,
       as_of, refreshed_at
FROM flo_cltv
GROUP BY cltv_segment, as_of, refreshed_at
ORDER BY cltv_segment;

-- 4. Which purchase model fits FLO best: BG/NBD, MBG/NBD and Pareto/NBD on the same customers, in
--    the textbook convention (frequency = repeat orders = total orders - 1), by maximum likelihood
--    (AIC and BIC compare likelihoods, not penalised objectives). FLO's customers show no dropout
--    (every customer here has ordered at least twice and most recently): all three models end at
--    the NBD limit (dropout parameters at 0) with the same likelihood, and MBG/NBD and Pareto/NBD
--    warn that their standard errors are undefined there. Materialized: the three fits take
--    seconds, too slow to repeat on every read of a chart.
CREATE MATERIALIZED VIEW IF NOT EXISTS flo_model_comparison AS
SELECT c.*, now() AS refreshed_at
FROM (SELECT crm_rft_summary(frequency - 1, recency, t, 1, 'week') AS summary FROM flo_cltv_input) f,
     crm_model_compare(f.summary) c;
COMMENT ON MATERIALIZED VIEW flo_model_comparison IS 'FLO: BG/NBD, MBG/NBD and Pareto/NBD fitted to the same customers (weeks, repeat orders, maximum likelihood, analysis date 2021-06-01): log-likelihood, AIC, BIC and delta_bic (0 = the best trade-off of fit and parameters). A snapshot: REFRESH MATERIALIZED VIEW flo_model_comparison after new data (refits the models).';
COMMENT ON COLUMN flo_model_comparison.model IS 'the purchase model (bgnbd, mbgnbd, pareto_nbd)';
COMMENT ON COLUMN flo_model_comparison.parameters IS 'number of parameters k';
COMMENT ON COLUMN flo_model_comparison.log_likelihood IS 'maximised log-likelihood (in weeks)';
COMMENT ON COLUMN flo_model_comparison.aic IS 'Akaike information criterion, 2k - 2 log_likelihood';
COMMENT ON COLUMN flo_model_comparison.bic IS 'Bayesian information criterion, k ln(customers) - 2 log_likelihood';
COMMENT ON COLUMN flo_model_comparison.customers IS 'customers fitted';
COMMENT ON COLUMN flo_model_comparison.converged IS 'whether the fit converged';
COMMENT ON COLUMN flo_model_comparison.delta_bic IS 'bic minus the smallest bic of the rows (0 = the preferred model)';
COMMENT ON COLUMN flo_model_comparison.refreshed_at IS 'When the models were fitted: the time of the last REFRESH MATERIALIZED VIEW flo_model_comparison (or of its creation).';

COMMENT ON VIEW flo_cltv_input IS 'FLO: one row per customer with at least two orders (all 19,945 of the data set), prepared as the course prepares it: order counts and values of each channel capped at their outlier limits, online + offline totals, times in weeks to the analysis date as_of = 2021-06-01, value in TRY.';
COMMENT ON COLUMN flo_cltv_input.customer_id IS 'FLO customer id (master_id of flo_customers).';
COMMENT ON COLUMN flo_cltv_input.frequency IS 'Total orders, online + offline, each channel capped at its outlier limit (count, >= 2). The course''s frequency: all orders, not repeat orders (flo_cltv passes it to BG/NBD as given).';
COMMENT ON COLUMN flo_cltv_input.recency IS 'Weeks from the first to the last order.';
COMMENT ON COLUMN flo_cltv_input.t IS 'Weeks from the first order to the analysis date 2021-06-01: the customer''s age.';
COMMENT ON COLUMN flo_cltv_input.monetary IS 'Mean value per order in TRY (Turkish lira): capped online + offline value divided by the capped total orders.';
COMMENT ON COLUMN flo_cltv_input.as_of IS 'Analysis date (2021-06-01, the same for every row): t counts the weeks to it.';

COMMENT ON MATERIALIZED VIEW flo_cltv IS 'FLO: one row per customer of flo_cltv_input, crm_cltv''s output with the course''s settings: BG/NBD (weeks, penalizer 0.001) and Gamma-Gamma (penalizer 0.01) fitted on all of them, P(alive), expected orders in 3 and 6 months, expected value per order and the 6-month CLV with a 1% monthly discount (TRY), CLV quartile segments A .. D, at the analysis date as_of = 2021-06-01. A snapshot: REFRESH MATERIALIZED VIEW flo_cltv after new data (refits the models; refreshed_at tells when).';
COMMENT ON COLUMN flo_cltv.customer_id IS 'FLO customer id (master_id).';
COMMENT ON COLUMN flo_cltv.frequency IS 'Total orders (the course''s frequency, which the model takes as repeat purchases; count).';
COMMENT ON COLUMN flo_cltv.recency IS 'Weeks from the first to the last order.';
COMMENT ON COLUMN flo_cltv.t IS 'Weeks from the first order to 2021-06-01: the customer''s age.';
COMMENT ON COLUMN flo_cltv.monetary IS 'Mean value per order (TRY).';
COMMENT ON COLUMN flo_cltv.p_alive IS 'BG/NBD probability that the customer is still active (fraction 0..1; about 1 for every FLO customer: the penalised fit finds no dropout).';
COMMENT ON COLUMN flo_cltv.exp_sales_3_month IS 'Expected orders in the next 3 months (13.035 weeks, 4.345 weeks a month; the course''s 12 weeks give a little less).';
COMMENT ON COLUMN flo_cltv.exp_sales_6_month IS 'Expected orders in the next 6 months (26.07 weeks).';
COMMENT ON COLUMN flo_cltv.exp_average_value IS 'Gamma-Gamma expected mean value per order (TRY).';
COMMENT ON COLUMN flo_cltv.cltv IS 'Customer lifetime value over the next 6 months (TRY): expected orders of each month times exp_average_value, discounted 1% a month (revenue, no margin applied).';
COMMENT ON COLUMN flo_cltv.cltv_segment IS 'CLV quartile: A = the top 25% of customers by cltv .. D = the bottom 25%.';
COMMENT ON COLUMN flo_cltv.as_of IS 'Analysis date of the prediction (2021-06-01, flo_cltv_input.as_of): the models see the customers as of this date.';
COMMENT ON COLUMN flo_cltv.refreshed_at IS 'When the snapshot was computed: the time of the last REFRESH MATERIALIZED VIEW flo_cltv (or of its creation).';

COMMENT ON VIEW flo_cltv_segment_summary IS 'FLO: one row per CLV segment A .. D of flo_cltv (A = the best quartile, sort_order 1): size and share, means in weeks, orders and TRY, CLV mean, total and share, and a suggested action. Reads the flo_cltv snapshot (as_of, refreshed_at); shares are percents (0..100); customers and cltv_total add up over the segments.';
COMMENT ON COLUMN flo_cltv_segment_summary.cltv_segment IS 'CLV segment: A (top quartile by 6-month CLV) .. D (bottom quartile).';
COMMENT ON COLUMN flo_cltv_segment_summary.customers IS 'Customers in the segment.';
COMMENT ON COLUMN flo_cltv_segment_summary.share_pct IS 'Share of all customers in percent (0..100, 2 decimals).';
COMMENT ON COLUMN flo_cltv_segment_summary.recency_weeks_mean IS 'Mean weeks from the first to the last order (2 decimals).';
COMMENT ON COLUMN flo_cltv_segment_summary.t_weeks_mean IS 'Mean customer age in weeks, first order to 2021-06-01 (2 decimals).';
COMMENT ON COLUMN flo_cltv_segment_summary.frequency_mean IS 'Mean total orders per customer (2 decimals).';
COMMENT ON COLUMN flo_cltv_segment_summary.monetary_mean IS 'Mean over the customers of their mean value per order (TRY, 2 decimals).';
COMMENT ON COLUMN flo_cltv_segment_summary.exp_sales_6_month_mean IS 'Mean expected orders per customer in the next 6 months (3 decimals).';
COMMENT ON COLUMN flo_cltv_segment_summary.cltv_mean IS 'Mean 6-month CLV per customer (TRY, 2 decimals).';
COMMENT ON COLUMN flo_cltv_segment_summary.cltv_total IS 'Sum of the 6-month CLV of the segment''s customers (TRY, 2 decimals).';
COMMENT ON COLUMN flo_cltv_segment_summary.cltv_share_pct IS 'The segment''s share of the total 6-month CLV in percent (0..100, 2 decimals).';
COMMENT ON COLUMN flo_cltv_segment_summary.suggested_action IS 'Suggested CRM action for the segment (text).';
COMMENT ON COLUMN flo_cltv_segment_summary.sort_order IS 'Display order of the segment, best first: A = 1 .. D = 4 (sort key, not a measure).';
COMMENT ON COLUMN flo_cltv_segment_summary.as_of IS 'Analysis date of the CLV prediction (2021-06-01).';
COMMENT ON COLUMN flo_cltv_segment_summary.refreshed_at IS 'When the flo_cltv snapshot was computed (its last REFRESH).';

-- The model family beyond BG/NBD: Pareto/NBD and MBG/NBD on the CDNOW calibration summary
-- (weeks), BG/BB on the donations data, sBG on Fader and Hardie's (2007) retention table; the
-- generic accessors, predictors and CLV on every purchase model; choosing a model.
-- References: Pareto/NBD published r 0.553, alpha 10.578, s 0.606, beta 11.669, LL -9595.0
-- (asserted to 1e-3 relative); MBG/NBD the lifetimes 0.11.3 MLE r 0.5248, alpha 6.1830,
-- a 0.8914, b 1.6140; per-customer predictions lifetimes 0.11.3 at its own estimates (1e-6).
\set VERBOSITY terse
CREATE TEMP TABLE fam AS
SELECT crm_pareto_nbd_fit(frequency, recency, t) AS pnbd, crm_mbgnbd_fit(frequency, recency, t) AS mbg,
       crm_bgnbd_fit(frequency, recency, t) AS bg, crm_rft_summary(frequency, recency, t) AS s
FROM cdnow_summary;

SELECT 'pareto_nbd' AS model, parameter, round(estimate::numeric, 4) AS estimate, round(std_error::numeric, 4) AS std_error,
       abs(estimate / ref - 1) < 1e-3 AS estimate_ok
FROM fam, crm_pareto_nbd_params(pnbd)
JOIN (VALUES ('r', 0.5533), ('alpha', 10.5776), ('s', 0.6062), ('beta', 11.6680)) AS ref(name, ref) ON name = parameter
UNION ALL
SELECT 'mbgnbd', parameter, round(estimate::numeric, 4), round(std_error::numeric, 4), abs(estimate / ref - 1) < 1e-3
FROM fam, crm_mbgnbd_params(mbg)
JOIN (VALUES ('r', 0.5248), ('alpha', 6.1830), ('a', 0.8914), ('b', 1.6140)) AS ref(name, ref) ON name = parameter;

SELECT abs(crm_log_likelihood(pnbd) / -9594.97 - 1) < 1e-3 AS pareto_ll_ok, round(crm_log_likelihood(pnbd)::numeric, 2) AS pareto_ll,
       round(crm_log_likelihood(mbg)::numeric, 2) AS mbgnbd_ll, crm_converged(pnbd) AND crm_converged(mbg) AS converged,
       crm_customers(pnbd) AS customers, crm_unit(pnbd) AS unit, (pnbd::jsonb -> 'warnings') AS pareto_warnings,
       crm_parameter(pnbd, 's') = crm_pareto_nbd_params.estimate AS parameter_accessor_ok
FROM fam, crm_pareto_nbd_params(pnbd) WHERE parameter = 's';

-- a fit from the stored summary is the one-call fit
SELECT crm_pareto_nbd_fit(s) = pnbd AS pareto_same, crm_mbgnbd_fit(s) = mbg AS mbgnbd_same FROM fam;

-- per customer, at lifetimes' own estimates, against lifetimes 0.11.3 (x, t_x, T) = (2, 30.43, 38.86),
-- (0, 0, 38.86), (10, 35, 38.86), horizon 39 weeks; new customer over 39 weeks
CREATE TEMP TABLE lt AS
SELECT crm_pareto_nbd(0.5532830914191511, 10.577743616021971, 0.6061929151039691, 11.667075953443055) AS pnbd,
       crm_mbgnbd(0.5248377255676965, 6.182988479134161, 0.8913562809310621, 1.6140000256718565) AS mbg;
SELECT model, x, abs(p_alive / ref_alive - 1) < 1e-6 AS p_alive_ok, abs(expected / ref_expected - 1) < 1e-6 AS expected_ok,
       round(p_alive::numeric, 4) AS p_alive, round(expected::numeric, 4) AS expected_39
FROM (SELECT 'pareto_nbd' AS model, x, crm_p_alive(pnbd, x, tx, t) AS p_alive, crm_expected_purchases(pnbd, x, tx, t, 39) AS expected, ra, re
      FROM lt, (VALUES (2, 30.43, 38.86, 0.8691206219516744, 1.4551219195019223), (0, 0, 38.86, 0.2950942679478615, 0.10706031841806625),
                       (10, 35, 38.86, 0.9273062141636637, 6.416986376476837)) v(x, tx, t, ra, re)
      UNION ALL
      SELECT 'mbgnbd', x, crm_p_alive(mbg, x, tx, t), crm_expected_purchases(mbg, x, tx, t, 39), ra, re
      FROM lt, (VALUES (2, 30.43, 38.86, 0.70612626, 1.2626707787139884), (0, 0, 38.86, 0.38971644, 0.15395364436667508),
                       (10, 35, 38.86, 0.8353846, 5.879129054223231)) v(x, tx, t, ra, re)) p(model, x, p_alive, expected, ref_alive, ref_expected)
ORDER BY 1, 2;
SELECT abs(crm_expected_purchases_new(pnbd, 39) / 1.2134028805927697 - 1) < 1e-6 AS pareto_new_ok,
       abs(crm_expected_purchases_new(mbg, 39) / 1.1822837952882777 - 1) < 1e-6 AS mbgnbd_new_ok,
       round((SELECT sum(crm_prob_purchases(pnbd, n, 39)) FROM generate_series(0, 200) n)::numeric, 6) AS pareto_pmf_sums_to,
       round((SELECT sum(crm_prob_purchases(mbg, n, 39)) FROM generate_series(0, 200) n)::numeric, 6) AS mbgnbd_pmf_sums_to
FROM lt;

-- the whole cohort over the 39-week holdout under each model (1,882 repeat purchases happened)
SELECT round(sum(crm_expected_purchases(bg, frequency, recency, t, 39))::numeric, 1) AS bgnbd,
       round(sum(crm_expected_purchases(mbg, frequency, recency, t, 39))::numeric, 1) AS mbgnbd,
       round(sum(crm_expected_purchases(pnbd, frequency, recency, t, 39))::numeric, 1) AS pareto_nbd
FROM fam, cdnow_summary;

-- CLV from every purchase model with one Gamma-Gamma model; for one undiscounted month it is the
-- expected purchases of that month times the expected spend
CREATE TEMP TABLE gg AS SELECT crm_gamma_gamma_fit(x, zbar) AS gg FROM cdnow_summary_tx;
SELECT round(sum(crm_clv(bg, gg, x, t_x, t, zbar))::numeric, 0) AS bgnbd_clv_12m,
       round(sum(crm_clv(mbg, gg, x, t_x, t, zbar))::numeric, 0) AS mbgnbd_clv_12m,
       round(sum(crm_clv(pnbd, gg, x, t_x, t, zbar))::numeric, 0) AS pareto_nbd_clv_12m,
       bool_and(abs(crm_clv(pnbd, gg, x, t_x, t, zbar, 1, 0)
                    - crm_expected_purchases(pnbd, x, t_x, t, 4.345) * crm_expected_spend(gg, x, zbar)) <= 1e-9 * (1 + crm_clv(pnbd, gg, x, t_x, t, zbar, 1, 0))) AS one_month_ok
FROM fam, gg, cdnow_summary_tx;

-- choosing a model: AIC/BIC on one summary
SELECT model, parameters, round(log_likelihood::numeric, 2) AS log_likelihood, round(aic::numeric, 1) AS aic,
       round(bic::numeric, 1) AS bic, customers, converged, round(delta_bic::numeric, 1) AS delta_bic
FROM fam, crm_model_compare(s);

-- with a holdout: CDNOW from raw transactions, calibration to 1997-09-30, holdout to
-- 1998-06-30 (1,882 repeat purchases happened; BG/NBD predicts 1,653.4)
CREATE TEMP VIEW cdnow_cal AS
SELECT customer_id, (s).*
FROM (SELECT customer_id, crm_holdout_summary(order_date, dollars::float8, DATE '1997-09-30', DATE '1998-06-30', 'week', 'day') AS s
      FROM cdnow_transactions GROUP BY customer_id) c
WHERE s IS NOT NULL;
SELECT model, round(delta_bic::numeric, 1) AS delta_bic, holdout_actual, round(holdout_predicted::numeric, 1) AS holdout_predicted,
       round(holdout_mae::numeric, 4) AS holdout_mae, round(holdout_rmse::numeric, 4) AS holdout_rmse
FROM crm_model_compare_holdout('cdnow_cal');

-- the one-call CLTV pipeline with each purchase model (6 months, 1% monthly discount)
SELECT m AS model, count(*) AS customers, round(sum(cltv)::numeric, 0) AS cltv_6m, round(avg(p_alive)::numeric, 4) AS mean_p_alive
FROM unnest(ARRAY['bgnbd', 'mbgnbd', 'pareto_nbd']) m,
     LATERAL crm_cltv('cdnow_summary_tx', customer => 'id', frequency => 'x', recency => 't_x', monetary => 'zbar', model => m) c
GROUP BY m ORDER BY m;

-- BG/BB on the donations summary (11,104 donors, 6 opportunities, weighted rows): published
-- alpha 1.204, beta 0.750, gamma 0.657, delta 2.783, LL -33,225.58 (1e-3 relative)
CREATE TEMP TABLE bb AS SELECT crm_bgbb_fit(crm_rft_summary(frequency, recency, periods, weights)) AS m FROM donations;
SELECT parameter, round(estimate::numeric, 4) AS estimate, round(std_error::numeric, 4) AS std_error, abs(estimate / ref - 1) < 1e-3 AS estimate_ok
FROM bb, crm_bgbb_params(m)
JOIN (VALUES ('alpha', 1.204), ('beta', 0.750), ('gamma', 0.657), ('delta', 2.783)) AS ref(name, ref) ON name = parameter;
SELECT abs(crm_log_likelihood(m) / -33225.58 - 1) < 1e-6 AS ll_ok, crm_customers(m) AS donors, m::jsonb ? 'unit' AS has_unit
FROM bb;
-- per donor against lifetimes 0.11.3 at the same parameters (1e-6): alive at 2001, alive at 2002,
-- expected donations 2002-2006, for (x, t_x, n) = (3, 5, 6), (0, 0, 6), (6, 6, 6)
SELECT x, abs(crm_p_alive(m, x, tx, 6) / alive - 1) < 1e-6 AS alive_ok, abs(crm_p_alive(m, x, tx, 6, 1) / alive_next - 1) < 1e-6 AS alive_next_ok,
       abs(crm_expected_purchases(m, x, tx, 6, 5) / expected - 1) < 1e-6 AS expected_ok,
       round(crm_p_alive(m, x, tx, 6)::numeric, 4) AS p_alive, round(crm_expected_purchases(m, x, tx, 6, 5)::numeric, 4) AS expected_5
FROM crm_bgbb(1.2035223936080441, 0.7497163581757667, 0.6567181695499543, 2.783441982887625) m,
     (VALUES (3, 5, 0.8241598407596998, 0.7668259839658981, 1.8047028952888486),
             (0, 0, 0.11621816644512269, 0.10813328365629271, 0.07286334012065925),
             (6, 6, 0.9999999999999893, 0.9304335713070404, 3.7525441883824597)) v(x, tx, alive, alive_next, expected)
ORDER BY x;
-- donors expected with 0..6 repeat donations in 1996-2001 (lifetimes' expected_number_of_transactions_in_first_n_periods)
SELECT n, round((11104 * crm_prob_purchases(m, n, 6))::numeric, 1) AS expected_donors,
       abs(11104 * crm_prob_purchases(m, n, 6) / ref - 1) < 1e-6 AS ok
FROM crm_bgbb(1.2035223936080441, 0.7497163581757667, 0.6567181695499543, 2.783441982887625) m,
     unnest(ARRAY[3454.881943715743, 1888.6543782834985, 1348.8823545673788, 1113.3785388881959, 1017.9224026679574,
                  1027.166030224994, 1253.1143516522357]) WITH ORDINALITY AS r(ref, k), LATERAL (SELECT k - 1 AS n) n
ORDER BY n;
SELECT round(crm_dert(m, 3, 5, 6, 0.1)::numeric, 4) AS dert_3_5_6, round(crm_expected_purchases_new(m, 6)::numeric, 4) AS new_donor_6
FROM bb;

-- sBG on Fader and Hardie's (2007) two cohorts, years 0-7: regular alpha 0.704, beta 1.182,
-- LL -1680.27; high end alpha 0.668, beta 3.806, LL -1611.16 (1e-3 relative); years 8-12 projected
CREATE TEMP TABLE sbg AS SELECT segment, crm_sbg_fit(year, active) AS m FROM retention_fh2007 WHERE year <= 7 GROUP BY segment;
SELECT segment, round(crm_parameter(m, 'alpha')::numeric, 3) AS alpha, round(crm_parameter(m, 'beta')::numeric, 3) AS beta,
       round(crm_log_likelihood(m)::numeric, 2) AS log_likelihood,
       abs(crm_parameter(m, 'alpha') / ref_alpha - 1) < 1e-3 AND abs(crm_parameter(m, 'beta') / ref_beta - 1) < 1e-3
         AND abs(crm_log_likelihood(m) / ref_ll - 1) < 1e-3 AS published_ok
FROM sbg JOIN (VALUES ('regular', 0.704, 1.182, -1680.27), ('high_end', 0.668, 3.806, -1611.16)) AS ref(segment, ref_alpha, ref_beta, ref_ll) USING (segment)
ORDER BY segment;
SELECT segment, year, active, round(p.expected_active::numeric, 1) AS projected, round((p.expected_active / active - 1)::numeric, 4) AS error
FROM sbg JOIN retention_fh2007 r USING (segment), crm_sbg_projection(m, 12, 1000) p
WHERE r.year >= 8 AND p.period = r.year
ORDER BY segment, year;
-- the same fits from an array of survivors and from customers (tenure, churned): one churned
-- row per lost customer, the survivors censored at year 7
WITH r AS (SELECT year, active, lag(active) OVER (ORDER BY year) AS before
           FROM retention_fh2007 WHERE segment = 'regular' AND year <= 7),
     customers AS (SELECT year AS tenure, true AS churned FROM r, generate_series(1, before - active) WHERE year >= 1
                   UNION ALL SELECT 7, false FROM r, generate_series(1, active) WHERE year = 7)
SELECT crm_sbg_fit(ARRAY[1000, 631, 468, 382, 326, 289, 262, 241]) = (SELECT m FROM sbg WHERE segment = 'regular') AS array_same,
       count(*) AS customers,
       abs(crm_parameter(crm_sbg_fit(tenure, churned), 'beta') / 1.182 - 1) < 1e-3 AS customers_ok
FROM customers;
SELECT round(crm_retention_rate(m, 1)::numeric, 4) AS retention_year_1, round(crm_survival(m, 7)::numeric, 4) AS survival_7,
       round(crm_churn_probability(m, 1)::numeric, 4) AS churn_1, round(crm_derl(m, 0.1, 0)::numeric, 4) AS derl_new,
       round(crm_derl(m, 0.1, 4)::numeric, 4) AS derl_after_4_renewals, round(crm_cohort_value(m, 100, 0.1)::numeric, 2) AS value_per_customer
FROM sbg WHERE segment = 'regular';

-- simulation: customers drawn from each model recover its parameters (each within 4 of the
-- fit's own standard errors; deterministic for the seed)
WITH fits AS (
    SELECT 'pareto_nbd' AS model, p.parameter, p.estimate, p.std_error, crm_parameter(crm_pareto_nbd(0.55, 10.58, 0.61, 11.67), p.parameter) AS truth
    FROM (SELECT crm_pareto_nbd_fit(frequency, recency, t) AS m FROM crm_simulate(crm_pareto_nbd(0.55, 10.58, 0.61, 11.67), 20000, 78, 7)) f,
         crm_pareto_nbd_params(m) p
    UNION ALL
    SELECT 'mbgnbd', p.parameter, p.estimate, p.std_error, crm_parameter(crm_mbgnbd(0.52, 6.18, 0.89, 1.61), p.parameter)
    FROM (SELECT crm_mbgnbd_fit(frequency, recency, t) AS m FROM crm_simulate(crm_mbgnbd(0.52, 6.18, 0.89, 1.61), 20000, 78, 7)) f,
         crm_mbgnbd_params(m) p
    UNION ALL
    SELECT 'bgbb', p.parameter, p.estimate, p.std_error, crm_parameter(crm_bgbb(1.204, 0.750, 0.657, 2.783), p.parameter)
    FROM (SELECT crm_bgbb_fit(frequency, recency, t) AS m FROM crm_simulate(crm_bgbb(1.204, 0.750, 0.657, 2.783), 20000, 6, 7)) f,
         crm_bgbb_params(m) p
    UNION ALL
    SELECT 'sbg', p.parameter, p.estimate, p.std_error, crm_parameter(crm_sbg(0.704, 1.182), p.parameter)
    FROM (SELECT crm_sbg_fit(tenure, churned) AS m FROM crm_simulate(crm_sbg(0.704, 1.182), 20000, 8, 7)) f,
         crm_sbg_params(m) p)
SELECT model, count(*) AS parameters, bool_and(abs(estimate - truth) < 4 * std_error) AS recovered,
       round(max(abs(estimate / truth - 1))::numeric, 3) AS worst_relative_error
FROM fits GROUP BY model ORDER BY model;
SELECT count(*) AS customers, sum(frequency) AS purchases, max(t) <= 78 AS ages_ok
FROM crm_simulate(crm_pareto_nbd(0.55, 10.58, 0.61, 11.67), 1000, 78, 1);

-- errors: unknown model, bad parameters, bad text form
SELECT * FROM fam, crm_model_compare(s, ARRAY['bgnbd', 'nope']);
SELECT crm_pareto_nbd(0.5, -1, 0.6, 11);
SELECT crm_mbgnbd(0.5, 6, 0, 1.6);
SELECT bg::text::crm_mbgnbd FROM fam;
SELECT * FROM crm_cltv('cdnow_summary_tx', customer => 'id', frequency => 'x', recency => 't_x', monetary => 'zbar', model => 'bgbb');
SELECT crm_parameter(pnbd, 'a') FROM fam;
SELECT crm_p_alive(pnbd, 1, 5, 2) FROM fam;
SELECT crm_bgbb_fit(frequency, recency - 0.5, periods) FROM donations WHERE frequency > 0;
SELECT crm_expected_purchases(crm_bgbb(1, 1, 1, 1), 1, 1, 2, 1.5);
SELECT crm_sbg_fit(ARRAY[1000, 631, 700]);
SELECT crm_sbg_fit(year, active) FROM retention_fh2007 WHERE segment = 'regular' AND year <> 3;
SELECT crm_sbg_fit(0, true);
SELECT crm_survival(crm_sbg(0.7, 1.2), -1);
SELECT count(*) FROM crm_simulate(crm_mbgnbd(0.5, 6, 0.9, 1.6), -1);
-- a text form names the first field it lacks, in the text form's order; a model in a time unit needs one
\set VERBOSITY default
SELECT '{"model":"pareto_nbd","r":1}'::crm_pareto_nbd;
SELECT (crm_pareto_nbd(0.55, 10.58, 0.61, 11.67)::jsonb - 'unit')::crm_pareto_nbd;
\set VERBOSITY terse
SELECT (crm_bgbb(1.2, 0.75, 0.66, 2.78)::jsonb - 'warnings')::crm_bgbb::jsonb ->> 'warnings' AS warnings_default_to_none;
-- a text form whose covariance is not one row and column per parameter is refused at input
SELECT (jsonb_set(crm_pareto_nbd(0.55, 10.58, 0.61, 11.67)::jsonb, '{covariance}', '[[1]]'))::crm_pareto_nbd;
-- text, jsonb and binary forms round-trip; equal models compare equal
CREATE TEMP TABLE stored_family AS SELECT 1 AS id, pnbd, mbg FROM fam;
COPY stored_family TO '/tmp/crm_regress_18_models.bin' WITH (FORMAT binary);
CREATE TEMP TABLE copied_family (LIKE stored_family);
COPY copied_family FROM '/tmp/crm_regress_18_models.bin' WITH (FORMAT binary);
SELECT s.pnbd::text::crm_pareto_nbd = s.pnbd AS text_round_trip, (s.mbg::jsonb)::crm_mbgnbd = s.mbg AS jsonb_round_trip,
       c.pnbd = s.pnbd AND c.mbg = s.mbg AS binary_round_trip, s.pnbd::text = c.pnbd::text AS same_text
FROM stored_family s JOIN copied_family c USING (id);

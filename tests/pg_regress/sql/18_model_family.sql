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

-- errors: unknown model, bad parameters, bad text form
SELECT * FROM fam, crm_model_compare(s, ARRAY['bgnbd', 'nope']);
SELECT crm_pareto_nbd(0.5, -1, 0.6, 11);
SELECT crm_mbgnbd(0.5, 6, 0, 1.6);
SELECT '{"model": "bgnbd", "r": 1, "alpha": 1, "a": 1, "b": 1}'::crm_mbgnbd;
SELECT crm_parameter(pnbd, 'a') FROM fam;
SELECT crm_p_alive(pnbd, 1, 5, 2) FROM fam;
-- text, jsonb and binary forms round-trip; equal models compare equal
CREATE TEMP TABLE stored_family AS SELECT 1 AS id, pnbd, mbg FROM fam;
COPY stored_family TO '/tmp/crm_regress_18_models.bin' WITH (FORMAT binary);
CREATE TEMP TABLE copied_family (LIKE stored_family);
COPY copied_family FROM '/tmp/crm_regress_18_models.bin' WITH (FORMAT binary);
SELECT s.pnbd::text::crm_pareto_nbd = s.pnbd AS text_round_trip, (s.mbg::jsonb)::crm_mbgnbd = s.mbg AS jsonb_round_trip,
       c.pnbd = s.pnbd AND c.mbg = s.mbg AS binary_round_trip, s.pnbd::text = c.pnbd::text AS same_text
FROM stored_family s JOIN copied_family c USING (id);

-- Gamma-Gamma on CDNOW zbar against Fader and Hardie (2013) and CLV as docs/references.md section 6.
-- Tolerances: parameters 1e-3 relative, log-likelihood 0.01 absolute; spend and CLV references have
-- 2 decimals, so they are compared to 0.005 absolute.
CREATE TEMP TABLE m AS
SELECT crm_gamma_gamma_fit(x, zbar) AS gg, crm_bgnbd_fit(x, t_x, t) AS bg FROM cdnow_summary_tx;

SELECT parameter, round(estimate::numeric, 4) AS estimate, abs(estimate / ref - 1) < 1e-3 AS estimate_ok,
       std_error > 0 AS has_std_error
FROM m, crm_gamma_gamma_params(gg)
JOIN (VALUES ('p', 6.248802), ('q', 3.744588), ('v', 15.447748)) AS r(name, ref) ON r.name = parameter;

SELECT abs((gg::text::jsonb->>'log_likelihood')::float8 - (-4055.92)) < 0.01 AS log_likelihood_ok,
       gg::text::jsonb->>'customers' AS customers_used,
       gg::text::jsonb->>'skipped' AS skipped_no_repeat
FROM m;

-- expected spend of customers 1, 2, 3, 6: 24.66, 18.91, 35.17, 71.46
SELECT id, round(crm_expected_spend(gg, x, zbar)::numeric, 2) AS expected_spend,
       abs(crm_expected_spend(gg, x, zbar) - ref) < 0.005 AS ok
FROM m, cdnow_summary_tx
JOIN (VALUES (1, 24.66), (2, 18.91), (3, 35.17), (6, 71.46)) AS r(rid, ref) ON r.rid = id
ORDER BY id;

-- 12-month CLV, weekly data, 1% monthly discount: customer 1 = 36.28, customer 6 = 283.52
SELECT id, round(crm_clv(bg, gg, x, t_x, t, zbar, months => 12, discount => 0.01)::numeric, 2) AS clv,
       abs(crm_clv(bg, gg, x, t_x, t, zbar, months => 12, discount => 0.01) - ref) < 0.005 AS ok
FROM m, cdnow_summary_tx
JOIN (VALUES (1, 36.28), (6, 283.52)) AS r(rid, ref) ON r.rid = id
ORDER BY id;

-- no discount: CLV = expected spend * expected purchases over the horizon
SELECT abs(crm_clv(bg, gg, 2, 30.43, 38.86, 22.35, months => 6, discount => 0)
           - crm_expected_spend(gg, 2, 22.35) * crm_expected_purchases(bg, 2, 30.43, 38.86, 6 * 4.345)) < 1e-9 AS undiscounted_ok
FROM m;

SELECT gg::text::crm_gamma_gamma::text = gg::text AS text_round_trips FROM m;

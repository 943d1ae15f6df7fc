-- BG/NBD on the CDNOW calibration summary (weeks) against Fader, Hardie and Lee (2005).
-- Tolerances: parameters 1e-3 relative, log-likelihood 0.01 absolute, standard errors 2% relative,
-- per-customer predictions 1e-4 relative (reference values from docs/references.md section 4).
CREATE TEMP TABLE m AS SELECT crm_bgnbd_fit(frequency, recency, t) AS bg FROM cdnow_summary;

SELECT parameter, round(estimate::numeric, 4) AS estimate, round(std_error::numeric, 4) AS std_error,
       abs(estimate / ref_estimate - 1) < 1e-3 AS estimate_ok,
       abs(std_error / ref_se - 1) < 0.02 AS std_error_ok
FROM m, crm_bgnbd_params(bg)
JOIN (VALUES ('r', 0.242593, 0.012557), ('alpha', 4.413532, 0.378221),
             ('a', 0.792886, 0.185719), ('b', 2.425752, 0.705345)) AS ref(name, ref_estimate, ref_se)
  ON ref.name = parameter;

SELECT abs((bg::text::jsonb->>'log_likelihood')::float8 - (-9582.43)) < 0.01 AS log_likelihood_ok,
       bg::text::jsonb->>'customers' AS customers,
       bg::text::jsonb->>'converged' AS converged,
       bg::text::jsonb->>'unit' AS unit,
       (bg::text::jsonb->>'distinct_rows')::int < 2357 AS compressed
FROM m;

-- per customer: 1 (x=2, t_x=30.43, T=38.86) and 3 (x=0)
SELECT round(crm_expected_purchases(bg, 2, 30.43, 38.86, 39)::numeric, 4) AS c1_expected,
       abs(crm_expected_purchases(bg, 2, 30.43, 38.86, 39) / 1.2259 - 1) < 1e-4 AS c1_expected_ok,
       round(crm_p_alive(bg, 2, 30.43, 38.86)::numeric, 4) AS c1_p_alive,
       abs(crm_p_alive(bg, 2, 30.43, 38.86) / 0.7266 - 1) < 1e-4 AS c1_p_alive_ok,
       round(crm_expected_purchases(bg, 0, 0, 38.86, 39)::numeric, 4) AS c3_expected,
       abs(crm_expected_purchases(bg, 0, 0, 38.86, 39) / 0.1948 - 1) < 1e-4 AS c3_expected_ok
FROM m;

-- the whole cohort over the 39-week holdout: 1,653.4 expected (1,882 happened)
SELECT round(sum(crm_expected_purchases(bg, frequency, recency, t, 39))::numeric, 1) AS expected_holdout
FROM m, cdnow_summary;

-- a heavy buyer where the plain 2F1 series overflows: x = 1000, t_x = T = 100, horizon 365.
-- 1763.65 with the paper's rounded parameters (docs/references.md section 4); 1763.81 with full
-- precision (both agree with a 60-digit mpmath evaluation of the closed form to the digits shown).
SELECT round(crm_expected_purchases(crm_bgnbd(0.243, 4.414, 0.793, 2.426), 1000, 100, 100, 365)::numeric, 2)
       AS heavy_buyer_published_params,
       round(crm_expected_purchases(crm_bgnbd(0.242593, 4.413532, 0.792886, 2.425752), 1000, 100, 100, 365)::numeric, 2)
       AS heavy_buyer_full_precision;

-- new customers: expected purchases and the distribution of purchase counts
SELECT round(crm_expected_purchases_new(bg, 39)::numeric, 4) AS new_39,
       round((SELECT sum(crm_prob_purchases(bg, n, 39)) FROM generate_series(0, 200) n)::numeric, 6) AS prob_sum,
       round((SELECT sum(n * crm_prob_purchases(bg, n, 39)) FROM generate_series(0, 200) n)::numeric, 4) AS prob_mean
FROM m;

-- the text form round-trips exactly
SELECT bg::text::crm_bgnbd::text = bg::text AS text_round_trips,
       crm_p_alive(bg::text::crm_bgnbd, 2, 30.43, 38.86) = crm_p_alive(bg, 2, 30.43, 38.86) AS same_predictions
FROM m;

-- models are stored in tables and used per row; GROUP BY fits one model per group
CREATE TEMP TABLE models_by_group AS
SELECT id % 2 AS half, crm_bgnbd_fit(frequency, recency, t) AS bg FROM cdnow_summary GROUP BY 1;
SELECT half, (bg::text::jsonb->>'customers')::int AS customers, bg::text::jsonb->>'converged' AS converged
FROM models_by_group ORDER BY half;

-- penalizer and unit: the same data in days gives alpha in days and the same predictions
SELECT round((crm_bgnbd_fit(frequency, recency * 7, t * 7, 0, 'day')::text::jsonb->>'alpha')::numeric / 7, 3) AS alpha_days_over_7
FROM cdnow_summary;
SELECT round(crm_expected_purchases(crm_bgnbd_fit(frequency, recency * 7, t * 7, 0, 'day'), 2, 30.43 * 7, 38.86 * 7, 39 * 7)::numeric, 4)
       AS c1_expected_in_days
FROM cdnow_summary;

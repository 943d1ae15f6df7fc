-- Model columns in everyday SQL and BI tools: the model types compare by their stored value (the
-- text form), so GROUP BY, DISTINCT, = filters, hash aggregation, joins and indexes work on them,
-- and they cast to and from jsonb and json.
\set VERBOSITY terse
CREATE TEMP TABLE models AS
SELECT g, crm_bgnbd(0.2 + (g % 2) * 0.1, 4.4, 0.8, 2.4) AS bg, crm_gamma_gamma(6.25, 3.74 + g % 3, 15.44) AS gg
FROM generate_series(1, 12) g;
CREATE TEMP TABLE fitted AS SELECT crm_kmeans_fit(ARRAY[recency, t], 3) AS km FROM cdnow_summary;
SELECT bg::jsonb ->> 'r' AS r, count(*) AS rows FROM models GROUP BY bg ORDER BY bg;
SELECT count(DISTINCT bg) AS bgnbd_models, count(DISTINCT gg) AS gamma_gamma_models FROM models;
-- hash aggregation and a hash join use the hash operator class
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT gg, count(*) FROM models GROUP BY gg;
SELECT count(*) AS groups FROM (SELECT gg FROM models GROUP BY gg) x;
RESET enable_sort;
SET enable_mergejoin = off;
SET enable_nestloop = off;
SELECT count(*) AS pairs FROM models a JOIN models b ON a.gg = b.gg;
RESET enable_mergejoin;
RESET enable_nestloop;
-- = and <> against a literal model; a model read back from its text or jsonb equals itself
SELECT count(*) FILTER (WHERE bg = crm_bgnbd(0.2, 4.4, 0.8, 2.4)) AS equal,
       count(*) FILTER (WHERE bg <> crm_bgnbd(0.2, 4.4, 0.8, 2.4)) AS not_equal FROM models;
SELECT bool_and(bg::text::crm_bgnbd = bg AND bg::jsonb::crm_bgnbd = bg AND gg::jsonb::crm_gamma_gamma = gg) AS round_trips FROM models;
SELECT km = km::jsonb::crm_kmeans AS kmeans_round_trip, km::jsonb ->> 'k' AS k_from_jsonb, km::json ->> 'k' AS k_from_json
FROM fitted;
-- the order is total and consistent with =
SELECT bool_and((a.bg < b.bg)::int + (a.bg = b.bg)::int + (a.bg > b.bg)::int = 1) AS exactly_one,
       bool_and((a.bg <= b.bg) = NOT (a.bg > b.bg)) AS consistent
FROM models a, models b;
-- indexes
CREATE INDEX models_bg ON models (bg);
CREATE INDEX models_gg_hash ON models USING hash (gg);
SET enable_seqscan = off;
SELECT count(*) AS by_index FROM models WHERE gg = crm_gamma_gamma(6.25, 3.74, 15.44);
RESET enable_seqscan;
-- a jsonb that is not a valid model is rejected by the type's input
SELECT '{"model": "bgnbd", "r": -1}'::jsonb::crm_bgnbd;
SELECT '{"model": "gamma_gamma"}'::jsonb::crm_bgnbd;

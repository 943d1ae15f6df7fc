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
-- the binary form (COPY BINARY: send and receive) round-trips, and is checked when read
CREATE TEMP TABLE stored_models AS SELECT g, bg, gg, (SELECT km FROM fitted) AS km FROM models;
COPY stored_models TO '/tmp/crm_regress_17_models.bin' WITH (FORMAT binary);
CREATE TEMP TABLE copied_models (LIKE stored_models);
COPY copied_models FROM '/tmp/crm_regress_17_models.bin' WITH (FORMAT binary);
SELECT count(*) AS rows, count(*) FILTER (WHERE s.bg = c.bg AND s.gg = c.gg AND s.km = c.km) AS same
FROM stored_models s JOIN copied_models c USING (g);
SELECT get_byte(crm_internal.crm__bgnbd_send(bg), 0) AS format_version, convert_from(substring(crm_internal.crm__bgnbd_send(bg) FROM 2), 'UTF8') = bg::text AS text_after_it
FROM models LIMIT 1;
-- a jsonb that is not a valid model is rejected by the type's input
SELECT '{"model": "bgnbd", "r": -1}'::jsonb::crm_bgnbd;
SELECT '{"model": "gamma_gamma"}'::jsonb::crm_bgnbd;

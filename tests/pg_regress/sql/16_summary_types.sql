-- Summary types: the fit aggregates' states are real base types (crm_rft_summary,
-- crm_spend_summary) with a combine function, so Citus can compute them on its workers and
-- summaries can be stored, rolled up and fitted later; the text and binary forms round-trip
-- exactly, and a fit of rolled-up per-group summaries equals the one-call fit bit for bit.
\set VERBOSITY terse
-- every aggregate of the extension: its state type, whether that is a pseudo-type (Citus then
-- gathers every row to the coordinator), and whether it has a combine function
SELECT p.proname AS aggregate, count(*) AS forms, a.aggtranstype::regtype AS state_type,
       t.typtype = 'p' AS pseudo_type, bool_and(a.aggcombinefn <> 0) AS combines
FROM pg_aggregate a
JOIN pg_proc p ON p.oid = a.aggfnoid
JOIN pg_type t ON t.oid = a.aggtranstype
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'crm_ext'
GROUP BY 1, 3, 4 ORDER BY 4, 1, a.aggtranstype::regtype::text;

-- Citus's protocol for an aggregate it computes on the workers, replayed: each shard's partial
-- state (the aggregate without its final function) travels as the state type's text form, the
-- coordinator reads the texts back, combines them and applies the final function. Every fit
-- aggregate gives the same result that way as in one pass over all rows.
CREATE TEMP TABLE shard_rows AS
SELECT id % 4 AS shard, frequency::float8 AS frequency, recency, t, t * 10 + id % 7 AS value FROM cdnow_summary;
CREATE AGGREGATE pg_temp.bgnbd_partial(float8, float8, float8, float8) (sfunc = crm_internal.crm__rft_trans, stype = crm_rft_summary);
CREATE AGGREGATE pg_temp.bgnbd_coord(crm_rft_summary) (sfunc = crm_internal.crm__rft_combine, stype = crm_rft_summary, finalfunc = crm_internal.crm__bgnbd_final);
CREATE AGGREGATE pg_temp.qcut_partial(float8, integer) (sfunc = crm_internal.crm__qcut_edges_trans, stype = crm_internal.crm__qcut_edges_state);
CREATE AGGREGATE pg_temp.qcut_coord(crm_internal.crm__qcut_edges_state) (sfunc = crm_internal.crm__qcut_edges_combine, stype = crm_internal.crm__qcut_edges_state, finalfunc = crm_internal.crm__qcut_edges_final);
CREATE AGGREGATE pg_temp.limits_partial(float8, float8, float8, float8) (sfunc = crm_internal.crm__outlier_limits_trans, stype = crm_internal.crm__outlier_limits_state);
CREATE AGGREGATE pg_temp.limits_coord(crm_internal.crm__outlier_limits_state) (sfunc = crm_internal.crm__outlier_limits_combine, stype = crm_internal.crm__outlier_limits_state, finalfunc = crm_internal.crm__outlier_limits_final);
CREATE AGGREGATE pg_temp.kmeans_partial(float8[], integer, text, bigint) (sfunc = crm_internal.crm__kmeans_trans, stype = crm_internal.crm__kmeans_state);
CREATE AGGREGATE pg_temp.kmeans_coord(crm_internal.crm__kmeans_state) (sfunc = crm_internal.crm__kmeans_combine, stype = crm_internal.crm__kmeans_state, finalfunc = crm_internal.crm__kmeans_final);
CREATE TEMP TABLE shipped AS
SELECT shard, pg_temp.bgnbd_partial(frequency, recency, t, 0.01)::text AS bgnbd,
       pg_temp.qcut_partial(value, 4)::text AS qcut, pg_temp.limits_partial(value, 0.05, 0.95, 1.5)::text AS limits,
       pg_temp.kmeans_partial(ARRAY[recency, t], 3, 'standard', 7)::text AS kmeans
FROM shard_rows GROUP BY shard;
SELECT left(qcut, 2) AS qcut_text_starts_with_version, length(kmeans) > 1000 AS kmeans_text_holds_the_points,
       bgnbd::jsonb ->> 'penalizer' AS bgnbd_penalizer_recorded
FROM shipped WHERE shard = 0;
SELECT pg_temp.bgnbd_coord(bgnbd::crm_rft_summary)::text = (SELECT crm_bgnbd_fit(frequency, recency, t, 0.01)::text FROM shard_rows) AS bgnbd_same,
       pg_temp.qcut_coord(qcut::crm_internal.crm__qcut_edges_state) = (SELECT crm_qcut_edges(value, 4) FROM shard_rows) AS qcut_same,
       pg_temp.limits_coord(limits::crm_internal.crm__outlier_limits_state)::text = (SELECT crm_outlier_limits(value, 0.05, 0.95, 1.5)::text FROM shard_rows) AS limits_same,
       pg_temp.kmeans_coord(kmeans::crm_internal.crm__kmeans_state)::text = (SELECT crm_kmeans_fit(ARRAY[recency, t], 3, 'standard', 7)::text FROM shard_rows) AS kmeans_same
FROM shipped;
-- and every state's text form reads back to the same text
SELECT bool_and(bgnbd::crm_rft_summary::text = bgnbd) AS bgnbd_round_trip, bool_and(qcut::crm_internal.crm__qcut_edges_state::text = qcut) AS qcut_round_trip,
       bool_and(limits::crm_internal.crm__outlier_limits_state::text = limits) AS limits_round_trip, bool_and(kmeans::crm_internal.crm__kmeans_state::text = kmeans) AS kmeans_round_trip
FROM shipped;

-- CDNOW (2,357 customers, weeks) and FLO (19,945 customers, weeks from 2021-06-01)
CREATE TEMP TABLE flo_rows AS
SELECT file_order AS id, (order_num_total_ever_online + order_num_total_ever_offline - 1)::float8 AS frequency,
       (last_order_date - first_order_date) / 7.0 AS recency, (date '2021-06-01' - first_order_date) / 7.0 AS t,
       (customer_value_total_ever_online + customer_value_total_ever_offline)::float8
           / (order_num_total_ever_online + order_num_total_ever_offline) AS monetary
FROM flo_customers;
CREATE TEMP TABLE cdnow_rows AS SELECT id, frequency::float8 AS frequency, recency, t FROM cdnow_summary;

-- summaries per group of customers (as per day, segment or shard), stored, rolled up and fitted
CREATE TEMP TABLE parts AS
SELECT 'cdnow' AS data, id % 7 AS part, crm_rft_summary(frequency, recency, t) AS rft, NULL::crm_spend_summary AS spend
FROM cdnow_rows GROUP BY 2
UNION ALL
SELECT 'flo', id % 7, crm_rft_summary(frequency, recency, t), crm_spend_summary(frequency, monetary) FROM flo_rows GROUP BY 2;
CREATE TEMP TABLE one_call AS
SELECT 'cdnow' AS data, crm_bgnbd_fit(frequency, recency, t) AS bg, NULL::crm_gamma_gamma AS gg FROM cdnow_rows
UNION ALL
SELECT 'flo', crm_bgnbd_fit(frequency, recency, t, 0.001), crm_gamma_gamma_fit(frequency, monetary, 0.01) FROM flo_rows;
SELECT o.data,
       crm_bgnbd_fit(crm_rollup(p.rft), CASE o.data WHEN 'flo' THEN 0.001 ELSE 0 END)::text = o.bg::text AS bgnbd_same,
       crm_gamma_gamma_fit(crm_rollup(p.spend), 0.01)::text IS NOT DISTINCT FROM o.gg::text AS gamma_gamma_same,
       (crm_bgnbd_fit(crm_rollup(p.rft))::text::jsonb ->> 'customers')::int AS customers
FROM parts p JOIN one_call o USING (data) GROUP BY o.data, o.bg::text, o.gg::text ORDER BY 1;

-- the rolled-up summary is the summary of all rows; its text form reads back to the same value
SELECT data, crm_rollup(rft)::text = CASE data
           WHEN 'cdnow' THEN (SELECT crm_rft_summary(frequency, recency, t)::text FROM cdnow_rows)
           ELSE (SELECT crm_rft_summary(frequency, recency, t)::text FROM flo_rows) END AS rollup_is_the_summary,
       crm_rollup(rft)::text::crm_rft_summary::text = crm_rollup(rft)::text AS rft_text_round_trip,
       crm_rollup(spend)::text::crm_spend_summary::text IS NOT DISTINCT FROM crm_rollup(spend)::text AS spend_text_round_trip,
       get_byte(crm_internal.crm__rft_summary_send(crm_rollup(rft)), 0) AS format_version
FROM parts GROUP BY data ORDER BY 1;
-- the text form: readable JSON with the rows in key order
SELECT jsonb_pretty(crm_rft_summary(frequency, recency, t)::text::jsonb)
FROM (VALUES (0, 0, 38.86), (2, 30.43, 38.86), (0, 0, 38.86), (1, 1.71, 38.86)) v(frequency, recency, t);
SELECT crm_spend_summary(frequency, monetary)::text
FROM (VALUES (2, 22.5), (0, 0), (2, 22.5), (1, 11.77)) v(frequency, monetary);

-- crm_ext.summary_output = hex (as bytea_output): the summaries print as \x and their binary form
-- in hexadecimal, exact too and faster for Citus to ship; input reads both forms whatever the setting
SET crm_ext.summary_output = hex;
SELECT left(crm_rft_summary(frequency, recency, t)::text, 12) AS hex_text
FROM (VALUES (0, 0, 38.86), (2, 30.43, 38.86)) v(frequency, recency, t);
CREATE TEMP TABLE hex_parts AS SELECT data, part, rft::text AS rft, spend::text AS spend FROM parts;
SELECT data, bool_and(rft = '\x' || encode(crm_internal.crm__rft_summary_send(rft::crm_rft_summary), 'hex')) AS rft_is_send_in_hex,
       crm_bgnbd_fit(crm_rollup(rft::crm_rft_summary), CASE data WHEN 'flo' THEN 0.001 ELSE 0 END)::text
         = (SELECT bg::text FROM one_call o WHERE o.data = h.data) AS bgnbd_same
FROM hex_parts h GROUP BY data ORDER BY 1;
RESET crm_ext.summary_output;
SELECT count(*) AS parts,
       count(*) FILTER (WHERE h.rft::crm_rft_summary::text = p.rft::text
                          AND h.spend::crm_spend_summary::text IS NOT DISTINCT FROM p.spend::text) AS same_json_after_hex
FROM hex_parts h JOIN parts p USING (data, part);
SELECT ('\x' || upper(encode(crm_internal.crm__rft_summary_send(rft), 'hex')))::crm_rft_summary::text = rft::text AS upper_case_digits_read
FROM parts LIMIT 1;
SELECT '\x01abc'::crm_rft_summary;
SELECT '\x02'::crm_rft_summary;

-- the binary form (COPY BINARY: send and receive) round-trips too
CREATE TEMP TABLE stored_parts AS SELECT data, part, rft, spend FROM parts;
COPY stored_parts TO '/tmp/crm_regress_16_summaries.bin' WITH (FORMAT binary);
CREATE TEMP TABLE copied_parts (LIKE stored_parts);
COPY copied_parts FROM '/tmp/crm_regress_16_summaries.bin' WITH (FORMAT binary);
SELECT count(*) AS rows, count(*) FILTER (WHERE s.rft::text = c.rft::text
                                           AND s.spend::text IS NOT DISTINCT FROM c.spend::text) AS same
FROM stored_parts s JOIN copied_parts c USING (data, part);

-- weights: a row standing for n customers counts as n rows
SELECT crm_rft_summary(frequency, recency, t, n)::text
         = (SELECT crm_rft_summary(frequency, recency, t)::text FROM cdnow_rows) AS weighted_rft_same,
       crm_bgnbd_fit(crm_rft_summary(frequency, recency, t, n))::text
         = (SELECT crm_bgnbd_fit(frequency, recency, t)::text FROM cdnow_rows) AS weighted_fit_same
FROM (SELECT frequency, recency, t, count(*) AS n FROM cdnow_rows GROUP BY 1, 2, 3) g;
SELECT crm_spend_summary(frequency, monetary, n)::text
         = (SELECT crm_spend_summary(frequency, monetary)::text FROM flo_rows) AS weighted_spend_same
FROM (SELECT frequency, monetary, count(*) AS n FROM flo_rows GROUP BY 1, 2) g;

-- in a parallel plan the summaries travel between processes flattened: same result as serial
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
CREATE TABLE flo_big AS SELECT f.* FROM flo_rows f, generate_series(1, 10);  -- not TEMP: temporary tables are never scanned in parallel
ANALYZE flo_big;
EXPLAIN (COSTS OFF) SELECT crm_rft_summary(frequency, recency, t) FROM flo_big;
CREATE TEMP TABLE par AS SELECT crm_rft_summary(frequency, recency, t) AS rft, crm_bgnbd_fit(frequency, recency, t, 0.001) AS bg FROM flo_big;
RESET max_parallel_workers_per_gather;
SET max_parallel_workers_per_gather = 0;
SELECT p.rft::text = s.rft::text AS same_summary, p.bg::text = s.bg::text AS same_fit
FROM par p, (SELECT crm_rft_summary(frequency, recency, t) AS rft, crm_bgnbd_fit(frequency, recency, t, 0.001) AS bg FROM flo_big) s;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
DROP TABLE flo_big;

-- settings: a fit takes the summary's unit and penalizer unless told otherwise
CREATE TEMP TABLE in_days AS SELECT crm_rft_summary(frequency, recency * 7, t * 7, 1, 'day') AS s FROM cdnow_rows;
SELECT crm_bgnbd_fit(s)::text::jsonb ->> 'unit' AS unit_recorded,
       crm_bgnbd_fit(s, 0.5)::text::jsonb ->> 'penalizer' AS penalizer_given,
       crm_bgnbd_fit(s, unit => 'day')::text = crm_bgnbd_fit(s)::text AS same_unit_given,
       (SELECT crm_bgnbd_fit(crm_rollup(s))::text FROM in_days) = crm_bgnbd_fit(s)::text AS rollup_of_one
FROM in_days;
\set VERBOSITY default
SELECT crm_bgnbd_fit(crm_rft_summary(frequency, recency, t, 1, 'day'), unit => 'week') FROM cdnow_rows;
SELECT crm_rollup(s) FROM (SELECT crm_rft_summary(frequency, recency, t, 1, 'day') AS s FROM cdnow_rows
                           UNION ALL SELECT crm_rft_summary(frequency, recency, t, 1, 'week') FROM cdnow_rows) x;
-- bad rows and bad text: errors, never a wrong summary
SELECT crm_rft_summary(frequency, recency, t, -1) FROM cdnow_rows;
SELECT crm_rft_summary(1, 5, 3);
SELECT crm_spend_summary(2, 'NaN');
SELECT '{"summary":"rft","version":2,"unit":null,"penalizer":null,"skipped_null":0,"rows":[]}'::crm_rft_summary;
SELECT '{"summary":"spend","version":1,"penalizer":null,"skipped":0,"skipped_null":0,"rows":[]}'::crm_rft_summary;
SELECT '{"summary":"rft","version":1,"unit":null,"penalizer":null,"skipped_null":0,"customers":3,"rows":[[1,2,3,1]]}'::crm_rft_summary;
SELECT '{"summary":"rft","version":1,"unit":null,"penalizer":null,"skipped_null":0,"rows":[[1,4,3,1]]}'::crm_rft_summary;
SELECT '{"summary":"rft","version":1,"unit":"fortnight","penalizer":null,"skipped_null":0,"rows":[]}'::crm_rft_summary;
-- hand-written summaries in any order are read as the summary of their rows
SELECT '{"summary":"rft","version":1,"unit":"week","penalizer":null,"skipped_null":0,"rows":[[2,30.43,38.86,1],[0,0,38.86,2],[2,30.43,38.86,1]]}'::crm_rft_summary::text;
-- NULL rows are skipped and counted, an all-NULL group is an empty summary, no rows give NULL
SELECT crm_rft_summary(f, r, t)::text FROM (VALUES (NULL::float8, 1::float8, 2::float8)) v(f, r, t);
SELECT crm_rft_summary(frequency, recency, t) IS NULL AS no_rows FROM cdnow_rows WHERE false;
SELECT crm_bgnbd_fit(NULL::crm_rft_summary) IS NULL AS null_summary_null_fit;

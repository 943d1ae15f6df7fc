-- crm_ext 0.1.0 -> 0.2.0 (ALTER EXTENSION crm_ext UPDATE TO '0.2.0').
-- Stored values are unchanged: crm_bgnbd, crm_gamma_gamma and crm_kmeans keep their binary form
-- (CBOR maps keyed by field name) and crm_segment_map keeps its rows; 92_upgrade checks both.
\echo Use "ALTER EXTENSION crm_ext UPDATE TO '0.2.0'" to load this file. \quit

-- The PL/pgSQL one-call functions run with search_path = pg_catalog, pg_temp and name the
-- extension's objects @extschema@.name (search_path hijack of a trusted extension).
-- The relation and column checks of the Rust functions, for the PL/pgSQL ones (new in 0.2.0).
CREATE FUNCTION crm__check_columns("relation" regclass, "arguments" TEXT[], "columns" TEXT[]) RETURNS void
STABLE PARALLEL SAFE
LANGUAGE c AS 'MODULE_PATHNAME', 'crm__check_columns_wrapper';

CREATE OR REPLACE FUNCTION crm__frequency_expr(frequency text, frequency_is text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF frequency IS NULL OR frequency_is IS NULL THEN
        RAISE EXCEPTION 'column arguments must not be null' USING ERRCODE = '22004';
    END IF;
    RETURN CASE lower(frequency_is)
        WHEN 'repeat' THEN format('%I::float8', frequency)
        WHEN 'total' THEN format('(%I::float8 - 1)', frequency)
        ELSE @extschema@.crm__raise_invalid(format('unknown frequency_is "%s"', frequency_is),
                                'use ''repeat'' (repeat purchases, the BG/NBD convention) or ''total'' (all orders; 1 is subtracted)')
    END;
END $$;

CREATE OR REPLACE FUNCTION crm__raise_invalid(message text, hint text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION '%', message USING ERRCODE = '22023', HINT = hint;
END $$;

CREATE OR REPLACE FUNCTION crm_cltv_models(
    relation regclass,
    customer text DEFAULT 'customer_id',
    frequency text DEFAULT 'frequency',
    recency text DEFAULT 'recency',
    t text DEFAULT 't',
    monetary text DEFAULT 'monetary',
    unit text DEFAULT 'week',
    bgnbd_penalizer float8 DEFAULT 0,
    gamma_gamma_penalizer float8 DEFAULT 0,
    frequency_is text DEFAULT 'repeat'
) RETURNS TABLE (bgnbd crm_bgnbd, gamma_gamma crm_gamma_gamma)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF relation IS NULL OR customer IS NULL OR frequency IS NULL OR recency IS NULL OR t IS NULL OR monetary IS NULL THEN
        RAISE EXCEPTION 'relation and column arguments must not be null' USING ERRCODE = '22004';
    END IF;
    PERFORM @extschema@.crm__check_columns(relation, ARRAY['customer', 'frequency', 'recency', 't', 'monetary'],
                                           ARRAY[customer, frequency, recency, t, monetary]);
    RETURN QUERY EXECUTE format(
        'SELECT @extschema@.crm_bgnbd_fit(%1$s, %2$I::float8, %3$I::float8, $1, $2), @extschema@.crm_gamma_gamma_fit(%1$s, %4$I::float8, $3) FROM %5$s',
        @extschema@.crm__frequency_expr(frequency, frequency_is), recency, t, monetary, relation)
    USING bgnbd_penalizer, unit, gamma_gamma_penalizer;
END $$;

CREATE OR REPLACE FUNCTION crm_cltv(
    relation regclass,
    customer text DEFAULT 'customer_id',
    frequency text DEFAULT 'frequency',
    recency text DEFAULT 'recency',
    t text DEFAULT 't',
    monetary text DEFAULT 'monetary',
    unit text DEFAULT 'week',
    months integer DEFAULT 6,
    discount float8 DEFAULT 0.01,
    bgnbd_penalizer float8 DEFAULT 0,
    gamma_gamma_penalizer float8 DEFAULT 0,
    segments integer DEFAULT 4,
    frequency_is text DEFAULT 'repeat'
) RETURNS SETOF crm_cltv_result
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    bg @extschema@.crm_bgnbd;
    gg @extschema@.crm_gamma_gamma;
BEGIN
    IF segments IS NULL OR segments < 1 OR segments > 26 THEN
        RAISE EXCEPTION 'segments must be between 1 and 26, got %', coalesce(segments::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    SELECT m.bgnbd, m.gamma_gamma INTO bg, gg
    FROM @extschema@.crm_cltv_models(relation, customer, frequency, recency, t, monetary, unit,
                         bgnbd_penalizer, gamma_gamma_penalizer, frequency_is) m;
    IF bg IS NULL OR gg IS NULL THEN
        RETURN;  -- no rows (or no repeat buyers): nothing to score
    END IF;
    RAISE NOTICE 'crm_cltv: BG/NBD r = %, alpha = %, a = %, b = % (%s); Gamma-Gamma p = %, q = %, v = %',
        round(@extschema@.crm_bgnbd_r(bg)::numeric, 4), round(@extschema@.crm_bgnbd_alpha(bg)::numeric, 4),
        round(@extschema@.crm_bgnbd_a(bg)::numeric, 4), round(@extschema@.crm_bgnbd_b(bg)::numeric, 4), @extschema@.crm_unit(bg),
        round(@extschema@.crm_gamma_gamma_p(gg)::numeric, 4), round(@extschema@.crm_gamma_gamma_q(gg)::numeric, 4),
        round(@extschema@.crm_gamma_gamma_v(gg)::numeric, 4)
        USING HINT = 'crm_cltv_models() with the same arguments returns both models';
    RETURN QUERY EXECUTE format($q$
        WITH input AS (
            SELECT %1$I::text AS customer_id, %2$I::float8 AS frequency, %3$s AS x,
                   %4$I::float8 AS recency, %5$I::float8 AS t, %6$I::float8 AS monetary
            FROM %7$s
        ), scored AS (
            SELECT customer_id, frequency, recency, t, monetary,
                   @extschema@.crm_p_alive($1, x, recency, t) AS p_alive,
                   @extschema@.crm_expected_purchases($1, x, recency, t, 3 * @extschema@.crm_time_units_per_month($1)) AS exp_sales_3_month,
                   @extschema@.crm_expected_purchases($1, x, recency, t, 6 * @extschema@.crm_time_units_per_month($1)) AS exp_sales_6_month,
                   @extschema@.crm_expected_spend($2, x, monetary) AS exp_average_value,
                   @extschema@.crm_clv($1, $2, x, recency, t, monetary, $3, $4) AS cltv
            FROM input
        ), edges AS (
            SELECT percentile_cont((SELECT array_agg(k::float8 / $5) FROM generate_series(1, $5 - 1) k))
                   WITHIN GROUP (ORDER BY cltv) AS e
            FROM scored
        )
        SELECT s.*,
               CASE WHEN s.cltv IS NOT NULL THEN
                   chr(ascii('A') + $5 - 1 - (SELECT count(*) FROM unnest(edges.e) AS e(v) WHERE s.cltv > e.v)::int)
               END
        FROM scored s, edges
    $q$, customer, frequency, @extschema@.crm__frequency_expr(frequency, frequency_is), recency, t, monetary, relation)
    USING bg, gg, months, discount, segments;
END $$;

CREATE OR REPLACE FUNCTION crm_holdout_check(
    model crm_bgnbd,
    relation regclass,
    frequency text DEFAULT 'frequency_cal',
    recency text DEFAULT 'recency_cal',
    t text DEFAULT 't_cal',
    frequency_holdout text DEFAULT 'frequency_holdout',
    duration_holdout text DEFAULT 'duration_holdout',
    max_bucket integer DEFAULT 7
) RETURNS TABLE (frequency_bucket text, customers bigint, actual float8, predicted float8)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF model IS NULL OR relation IS NULL OR max_bucket IS NULL OR max_bucket < 1 THEN
        RAISE EXCEPTION 'model, relation and max_bucket (>= 1) are required' USING ERRCODE = '22023';
    END IF;
    IF frequency IS NULL OR recency IS NULL OR t IS NULL OR frequency_holdout IS NULL OR duration_holdout IS NULL THEN
        RAISE EXCEPTION 'column arguments must not be null' USING ERRCODE = '22004';
    END IF;
    PERFORM @extschema@.crm__check_columns(relation, ARRAY['frequency', 'recency', 't', 'frequency_holdout', 'duration_holdout'],
                                           ARRAY[frequency, recency, t, frequency_holdout, duration_holdout]);
    RETURN QUERY EXECUTE format($q$
        WITH rows AS (
            SELECT %1$I::float8 AS x, %5$I::float8 AS actual,
                   @extschema@.crm_expected_purchases($1, %1$I::float8, %2$I::float8, %3$I::float8, %4$I::float8) AS predicted
            FROM %6$s
        ), bucketed AS (
            SELECT least(x, $2)::int AS b, actual, predicted FROM rows
        )
        SELECT CASE WHEN b IS NULL THEN 'total' WHEN b = $2 THEN b || '+' ELSE b::text END,
               count(*), sum(actual), sum(predicted)
        FROM bucketed
        GROUP BY ROLLUP (b)
        ORDER BY b NULLS LAST
    $q$, frequency, recency, t, duration_holdout, frequency_holdout, relation)
    USING model, max_bucket;
END $$;

COMMENT ON FUNCTION crm__check_columns(regclass, text[], text[]) IS 'Internal: raises 42P01 for a relation that does not exist and 42703 for a column argument it does not have.';

-- 0.2.0: the fit aggregates' states are the public summary types crm_rft_summary and
-- crm_spend_summary (base types, so Citus computes the aggregates on its workers), with
-- summary aggregates, crm_rollup and fits from a summary. The aggregates keep their names,
-- arguments and results; their internal-state support functions go.
CREATE TYPE crm_rft_summary;
CREATE FUNCTION crm__rft_summary_in(cstring) RETURNS crm_rft_summary
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_summary_in';
CREATE FUNCTION crm__rft_summary_out(crm_rft_summary) RETURNS cstring
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_summary_out';
CREATE FUNCTION crm__rft_summary_send(crm_rft_summary) RETURNS bytea
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_summary_send';
CREATE FUNCTION crm__rft_summary_recv(internal) RETURNS crm_rft_summary
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_summary_recv';
CREATE TYPE crm_rft_summary (
    INPUT = crm__rft_summary_in, OUTPUT = crm__rft_summary_out,
    SEND = crm__rft_summary_send, RECEIVE = crm__rft_summary_recv,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);

CREATE FUNCTION crm__rft_trans(state crm_rft_summary, frequency float8, recency float8, t float8)
    RETURNS crm_rft_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_trans3';
CREATE FUNCTION crm__rft_trans(state crm_rft_summary, frequency float8, recency float8, t float8, penalizer float8)
    RETURNS crm_rft_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_trans4';
CREATE FUNCTION crm__rft_trans(state crm_rft_summary, frequency float8, recency float8, t float8, penalizer float8, unit text)
    RETURNS crm_rft_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_trans5';
CREATE FUNCTION crm__rft_weighted_trans(state crm_rft_summary, frequency float8, recency float8, t float8, weight bigint)
    RETURNS crm_rft_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_weighted_trans4';
CREATE FUNCTION crm__rft_weighted_trans(state crm_rft_summary, frequency float8, recency float8, t float8, weight bigint, unit text)
    RETURNS crm_rft_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_weighted_trans5';
CREATE FUNCTION crm__rft_combine(state crm_rft_summary, other crm_rft_summary)
    RETURNS crm_rft_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__rft_combine';

-- sspace: the planner's estimate of a group's state, 8 kB as for an internal state (a summary
-- keeps buffers of that order), so that it weighs hash against sorted aggregation as before.
CREATE AGGREGATE crm_rft_summary(frequency float8, recency float8, t float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_rft_summary(frequency float8, recency float8, t float8, weight bigint) (
    sfunc = crm__rft_weighted_trans, stype = crm_rft_summary, combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_rft_summary(frequency float8, recency float8, t float8, weight bigint, unit text) (
    sfunc = crm__rft_weighted_trans, stype = crm_rft_summary, combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_rollup(crm_rft_summary) (
    sfunc = crm__rft_combine, stype = crm_rft_summary, combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);

COMMENT ON TYPE crm_rft_summary IS 'Per-customer purchase data every purchase model fits from: distinct (frequency, recency, t) rows with customer counts, their time unit and rows skipped for NULLs. Text form is JSON; combine summaries with crm_rollup and fit them with crm_bgnbd_fit(summary).';
COMMENT ON AGGREGATE crm_rft_summary(float8, float8, float8) IS 'Summarises customers'' (frequency = repeat purchases, recency = age at the last repeat purchase, t = age now) for fitting purchase models later: crm_bgnbd_fit(summary). NULL rows are skipped and counted.';
COMMENT ON AGGREGATE crm_rft_summary(float8, float8, float8, bigint) IS 'Summarises (frequency, recency, t) rows that each stand for weight customers (weight >= 0).';
COMMENT ON AGGREGATE crm_rft_summary(float8, float8, float8, bigint, text) IS 'Summarises weighted (frequency, recency, t) rows whose times are in unit (hour, day, week or month).';
COMMENT ON AGGREGATE crm_rollup(crm_rft_summary) IS 'Merges purchase summaries (per day, segment or shard) into one; the same as summarising all their rows at once. Summaries must agree on the time unit.';
CREATE TYPE crm_spend_summary;
CREATE FUNCTION crm__spend_summary_in(cstring) RETURNS crm_spend_summary
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__spend_summary_in';
CREATE FUNCTION crm__spend_summary_out(crm_spend_summary) RETURNS cstring
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__spend_summary_out';
CREATE FUNCTION crm__spend_summary_send(crm_spend_summary) RETURNS bytea
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__spend_summary_send';
CREATE FUNCTION crm__spend_summary_recv(internal) RETURNS crm_spend_summary
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__spend_summary_recv';
CREATE TYPE crm_spend_summary (
    INPUT = crm__spend_summary_in, OUTPUT = crm__spend_summary_out,
    SEND = crm__spend_summary_send, RECEIVE = crm__spend_summary_recv,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);

CREATE FUNCTION crm__spend_trans(state crm_spend_summary, frequency float8, monetary float8)
    RETURNS crm_spend_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__spend_trans2';
CREATE FUNCTION crm__spend_trans(state crm_spend_summary, frequency float8, monetary float8, penalizer float8)
    RETURNS crm_spend_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__spend_trans3';
CREATE FUNCTION crm__spend_weighted_trans(state crm_spend_summary, frequency float8, monetary float8, weight bigint)
    RETURNS crm_spend_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__spend_weighted_trans3';
CREATE FUNCTION crm__spend_combine(state crm_spend_summary, other crm_spend_summary)
    RETURNS crm_spend_summary IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__spend_combine';

CREATE AGGREGATE crm_spend_summary(frequency float8, monetary float8) (
    sfunc = crm__spend_trans, stype = crm_spend_summary, combinefunc = crm__spend_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_spend_summary(frequency float8, monetary float8, weight bigint) (
    sfunc = crm__spend_weighted_trans, stype = crm_spend_summary, combinefunc = crm__spend_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_rollup(crm_spend_summary) (
    sfunc = crm__spend_combine, stype = crm_spend_summary, combinefunc = crm__spend_combine, sspace = 8192, parallel = safe);

COMMENT ON TYPE crm_spend_summary IS 'Per-customer spend data spend models fit from: distinct (frequency, monetary) rows with customer counts (frequency >= 1, monetary > 0), customers without repeat spend counted apart, rows skipped for NULLs. Text form is JSON; combine with crm_rollup, fit with crm_gamma_gamma_fit(summary).';
COMMENT ON AGGREGATE crm_spend_summary(float8, float8) IS 'Summarises customers'' (frequency = repeat purchases, monetary = mean spend per repeat purchase) for fitting spend models later: crm_gamma_gamma_fit(summary). NULL rows are skipped and counted.';
COMMENT ON AGGREGATE crm_spend_summary(float8, float8, bigint) IS 'Summarises (frequency, monetary) rows that each stand for weight customers (weight >= 0).';
COMMENT ON AGGREGATE crm_rollup(crm_spend_summary) IS 'Merges spend summaries (per day, segment or shard) into one; the same as summarising all their rows at once.';
CREATE FUNCTION crm__bgnbd_final(state crm_rft_summary)
    RETURNS crm_bgnbd IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgnbd_final';
CREATE FUNCTION crm_bgnbd_fit(summary crm_rft_summary, penalizer float8 DEFAULT NULL, unit text DEFAULT NULL)
    RETURNS crm_bgnbd STABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgnbd_fit_summary';
CREATE OR REPLACE AGGREGATE crm_bgnbd_fit(frequency float8, recency float8, t float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__bgnbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE OR REPLACE AGGREGATE crm_bgnbd_fit(frequency float8, recency float8, t float8, penalizer float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__bgnbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE OR REPLACE AGGREGATE crm_bgnbd_fit(frequency float8, recency float8, t float8, penalizer float8, unit text) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__bgnbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
COMMENT ON FUNCTION crm_bgnbd_fit(crm_rft_summary, float8, text) IS 'Fits a BG/NBD model to a purchase summary (crm_rft_summary, crm_rollup): the same model as the one-call aggregate over the summarised rows. penalizer and unit default to the summary''s (0, and week when it records none).';
CREATE FUNCTION crm__gamma_gamma_final(state crm_spend_summary)
    RETURNS crm_gamma_gamma IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__gamma_gamma_final';
CREATE FUNCTION crm_gamma_gamma_fit(summary crm_spend_summary, penalizer float8 DEFAULT NULL)
    RETURNS crm_gamma_gamma STABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__gamma_gamma_fit_summary';
CREATE OR REPLACE AGGREGATE crm_gamma_gamma_fit(frequency float8, monetary float8) (
    sfunc = crm__spend_trans, stype = crm_spend_summary, finalfunc = crm__gamma_gamma_final,
    combinefunc = crm__spend_combine, sspace = 8192, parallel = safe);
CREATE OR REPLACE AGGREGATE crm_gamma_gamma_fit(frequency float8, monetary float8, penalizer float8) (
    sfunc = crm__spend_trans, stype = crm_spend_summary, finalfunc = crm__gamma_gamma_final,
    combinefunc = crm__spend_combine, sspace = 8192, parallel = safe);
COMMENT ON FUNCTION crm_gamma_gamma_fit(crm_spend_summary, float8) IS 'Fits a Gamma-Gamma spend model to a spend summary (crm_spend_summary, crm_rollup): the same model as the one-call aggregate over the summarised rows. penalizer defaults to the summary''s (0 when it records none).';
DROP FUNCTION crm_bgnbd_trans(internal, float8, float8, float8);
DROP FUNCTION crm_bgnbd_trans(internal, float8, float8, float8, float8);
DROP FUNCTION crm_bgnbd_trans(internal, float8, float8, float8, float8, text);
DROP FUNCTION crm_bgnbd_combine(internal, internal);
DROP FUNCTION crm_bgnbd_serialize(internal);
DROP FUNCTION crm_bgnbd_deserialize(bytea, internal);
DROP FUNCTION crm_bgnbd_final(internal);
DROP FUNCTION crm_gamma_gamma_trans(internal, float8, float8);
DROP FUNCTION crm_gamma_gamma_trans(internal, float8, float8, float8);
DROP FUNCTION crm_gamma_gamma_combine(internal, internal);
DROP FUNCTION crm_gamma_gamma_serialize(internal);
DROP FUNCTION crm_gamma_gamma_deserialize(bytea, internal);
DROP FUNCTION crm_gamma_gamma_final(internal);

-- 0.2.0: crm_qcut_edges, crm_outlier_limits and crm_kmeans_fit keep their states in base types
-- (crm__qcut_edges_state, crm__outlier_limits_state, crm__kmeans_state) with combine functions.
CREATE TYPE crm__qcut_edges_state;
CREATE FUNCTION crm__qcut_edges_state_in(cstring) RETURNS crm__qcut_edges_state
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__qcut_edges_state_in';
CREATE FUNCTION crm__qcut_edges_state_out(crm__qcut_edges_state) RETURNS cstring
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__qcut_edges_state_out';
CREATE FUNCTION crm__qcut_edges_state_send(crm__qcut_edges_state) RETURNS bytea
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__qcut_edges_state_send';
CREATE FUNCTION crm__qcut_edges_state_recv(internal) RETURNS crm__qcut_edges_state
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__qcut_edges_state_recv';
CREATE TYPE crm__qcut_edges_state (
    INPUT = crm__qcut_edges_state_in, OUTPUT = crm__qcut_edges_state_out,
    SEND = crm__qcut_edges_state_send, RECEIVE = crm__qcut_edges_state_recv,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION crm__qcut_edges_trans(state crm__qcut_edges_state, value float8)
    RETURNS crm__qcut_edges_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__qcut_edges_trans1';
CREATE FUNCTION crm__qcut_edges_trans(state crm__qcut_edges_state, value float8, bins integer)
    RETURNS crm__qcut_edges_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__qcut_edges_trans2';
CREATE FUNCTION crm__qcut_edges_combine(state crm__qcut_edges_state, other crm__qcut_edges_state)
    RETURNS crm__qcut_edges_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__qcut_edges_combine';
CREATE FUNCTION crm__qcut_edges_final(state crm__qcut_edges_state)
    RETURNS float8[] IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__qcut_edges_final';

CREATE TYPE crm__outlier_limits_state;
CREATE FUNCTION crm__outlier_limits_state_in(cstring) RETURNS crm__outlier_limits_state
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_state_in';
CREATE FUNCTION crm__outlier_limits_state_out(crm__outlier_limits_state) RETURNS cstring
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_state_out';
CREATE FUNCTION crm__outlier_limits_state_send(crm__outlier_limits_state) RETURNS bytea
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_state_send';
CREATE FUNCTION crm__outlier_limits_state_recv(internal) RETURNS crm__outlier_limits_state
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_state_recv';
CREATE TYPE crm__outlier_limits_state (
    INPUT = crm__outlier_limits_state_in, OUTPUT = crm__outlier_limits_state_out,
    SEND = crm__outlier_limits_state_send, RECEIVE = crm__outlier_limits_state_recv,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION crm__outlier_limits_trans(state crm__outlier_limits_state, value float8)
    RETURNS crm__outlier_limits_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_trans1';
CREATE FUNCTION crm__outlier_limits_trans(state crm__outlier_limits_state, value float8, low_quantile float8, high_quantile float8)
    RETURNS crm__outlier_limits_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_trans3';
CREATE FUNCTION crm__outlier_limits_trans(state crm__outlier_limits_state, value float8, low_quantile float8, high_quantile float8, iqr_multiplier float8)
    RETURNS crm__outlier_limits_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_trans4';
CREATE FUNCTION crm__outlier_limits_combine(state crm__outlier_limits_state, other crm__outlier_limits_state)
    RETURNS crm__outlier_limits_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_combine';
CREATE FUNCTION crm__outlier_limits_final(state crm__outlier_limits_state)
    RETURNS crm_outlier_limits_result IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_final';

CREATE OR REPLACE AGGREGATE crm_qcut_edges(value float8) (
    sfunc = crm__qcut_edges_trans, stype = crm__qcut_edges_state, finalfunc = crm__qcut_edges_final,
    combinefunc = crm__qcut_edges_combine, sspace = 8192, parallel = safe);
CREATE OR REPLACE AGGREGATE crm_qcut_edges(value float8, bins integer) (
    sfunc = crm__qcut_edges_trans, stype = crm__qcut_edges_state, finalfunc = crm__qcut_edges_final,
    combinefunc = crm__qcut_edges_combine, sspace = 8192, parallel = safe);

CREATE OR REPLACE AGGREGATE crm_outlier_limits(value float8) (
    sfunc = crm__outlier_limits_trans, stype = crm__outlier_limits_state, finalfunc = crm__outlier_limits_final,
    combinefunc = crm__outlier_limits_combine, sspace = 8192, parallel = safe);
CREATE OR REPLACE AGGREGATE crm_outlier_limits(value float8, low_quantile float8, high_quantile float8) (
    sfunc = crm__outlier_limits_trans, stype = crm__outlier_limits_state, finalfunc = crm__outlier_limits_final,
    combinefunc = crm__outlier_limits_combine, sspace = 8192, parallel = safe);
CREATE OR REPLACE AGGREGATE crm_outlier_limits(value float8, low_quantile float8, high_quantile float8, iqr_multiplier float8) (
    sfunc = crm__outlier_limits_trans, stype = crm__outlier_limits_state, finalfunc = crm__outlier_limits_final,
    combinefunc = crm__outlier_limits_combine, sspace = 8192, parallel = safe);
CREATE TYPE crm__kmeans_state;
CREATE FUNCTION crm__kmeans_state_in(cstring) RETURNS crm__kmeans_state
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_state_in';
CREATE FUNCTION crm__kmeans_state_out(crm__kmeans_state) RETURNS cstring
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_state_out';
CREATE FUNCTION crm__kmeans_state_send(crm__kmeans_state) RETURNS bytea
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_state_send';
CREATE FUNCTION crm__kmeans_state_recv(internal) RETURNS crm__kmeans_state
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_state_recv';
CREATE TYPE crm__kmeans_state (
    INPUT = crm__kmeans_state_in, OUTPUT = crm__kmeans_state_out,
    SEND = crm__kmeans_state_send, RECEIVE = crm__kmeans_state_recv,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION crm__kmeans_trans(state crm__kmeans_state, features float8[], k integer)
    RETURNS crm__kmeans_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_trans2';
CREATE FUNCTION crm__kmeans_trans(state crm__kmeans_state, features float8[], k integer, scaling text)
    RETURNS crm__kmeans_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_trans3';
CREATE FUNCTION crm__kmeans_trans(state crm__kmeans_state, features float8[], k integer, scaling text, seed bigint)
    RETURNS crm__kmeans_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_trans4';
CREATE FUNCTION crm__kmeans_trans(state crm__kmeans_state, features float8[], k integer, scaling text, seed bigint, n_init integer)
    RETURNS crm__kmeans_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_trans5';
CREATE FUNCTION crm__kmeans_trans(state crm__kmeans_state, features float8[], k integer, scaling text, seed bigint, n_init integer, max_iter integer)
    RETURNS crm__kmeans_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_trans6';
CREATE FUNCTION crm__kmeans_combine(state crm__kmeans_state, other crm__kmeans_state)
    RETURNS crm__kmeans_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_combine';
CREATE FUNCTION crm__kmeans_final(state crm__kmeans_state)
    RETURNS crm_kmeans IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_final';
CREATE OR REPLACE AGGREGATE crm_kmeans_fit(features float8[], k integer) (
    sfunc = crm__kmeans_trans, stype = crm__kmeans_state, finalfunc = crm__kmeans_final,
    combinefunc = crm__kmeans_combine, sspace = 8192, parallel = safe);
CREATE OR REPLACE AGGREGATE crm_kmeans_fit(features float8[], k integer, scaling text) (
    sfunc = crm__kmeans_trans, stype = crm__kmeans_state, finalfunc = crm__kmeans_final,
    combinefunc = crm__kmeans_combine, sspace = 8192, parallel = safe);
CREATE OR REPLACE AGGREGATE crm_kmeans_fit(features float8[], k integer, scaling text, seed bigint) (
    sfunc = crm__kmeans_trans, stype = crm__kmeans_state, finalfunc = crm__kmeans_final,
    combinefunc = crm__kmeans_combine, sspace = 8192, parallel = safe);
CREATE OR REPLACE AGGREGATE crm_kmeans_fit(features float8[], k integer, scaling text, seed bigint, n_init integer) (
    sfunc = crm__kmeans_trans, stype = crm__kmeans_state, finalfunc = crm__kmeans_final,
    combinefunc = crm__kmeans_combine, sspace = 8192, parallel = safe);
CREATE OR REPLACE AGGREGATE crm_kmeans_fit(features float8[], k integer, scaling text, seed bigint, n_init integer, max_iter integer) (
    sfunc = crm__kmeans_trans, stype = crm__kmeans_state, finalfunc = crm__kmeans_final,
    combinefunc = crm__kmeans_combine, sspace = 8192, parallel = safe);
DROP FUNCTION crm_qcut_edges_trans(internal, float8);
DROP FUNCTION crm_qcut_edges_trans(internal, float8, integer);
DROP FUNCTION crm_qcut_edges_combine(internal, internal);
DROP FUNCTION crm_qcut_edges_serialize(internal);
DROP FUNCTION crm_qcut_edges_deserialize(bytea, internal);
DROP FUNCTION crm_qcut_edges_final(internal);
DROP FUNCTION crm_outlier_limits_trans(internal, float8);
DROP FUNCTION crm_outlier_limits_trans(internal, float8, float8, float8);
DROP FUNCTION crm_outlier_limits_trans(internal, float8, float8, float8, float8);
DROP FUNCTION crm_outlier_limits_combine(internal, internal);
DROP FUNCTION crm_outlier_limits_serialize(internal);
DROP FUNCTION crm_outlier_limits_deserialize(bytea, internal);
DROP FUNCTION crm_outlier_limits_final(internal);
DROP FUNCTION crm_kmeans_trans(internal, float8[], integer);
DROP FUNCTION crm_kmeans_trans(internal, float8[], integer, text);
DROP FUNCTION crm_kmeans_trans(internal, float8[], integer, text, bigint);
DROP FUNCTION crm_kmeans_trans(internal, float8[], integer, text, bigint, integer);
DROP FUNCTION crm_kmeans_trans(internal, float8[], integer, text, bigint, integer, integer);
DROP FUNCTION crm_kmeans_combine(internal, internal);
DROP FUNCTION crm_kmeans_serialize(internal);
DROP FUNCTION crm_kmeans_deserialize(bytea, internal);
DROP FUNCTION crm_kmeans_final(internal);

-- 0.2.0: the model types get =, <>, <, <=, >, >= (by text form), btree and hash operator classes,
-- and casts to and from jsonb and json (through the text form).

CREATE  FUNCTION "crm_bgnbd_cmp"(
	"left" crm_bgnbd, /* crm_bgnbd */
	"right" crm_bgnbd /* crm_bgnbd */
) RETURNS INT /* i32 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgnbd_cmp_wrapper';

CREATE  FUNCTION "crm_bgnbd_hash"(
	"value" crm_bgnbd /* crm_bgnbd */
) RETURNS INT /* i32 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgnbd_hash_wrapper';

CREATE  FUNCTION "crm_bgnbd_ge"(
	"left" crm_bgnbd, /* crm_bgnbd */
	"right" crm_bgnbd /* crm_bgnbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgnbd_ge_wrapper';

CREATE OPERATOR >= (
	PROCEDURE="crm_bgnbd_ge",
	LEFTARG=crm_bgnbd, /* crm_bgnbd */
	RIGHTARG=crm_bgnbd, /* crm_bgnbd */
	COMMUTATOR = <=,
	NEGATOR = <,
	RESTRICT = scalargesel,
	JOIN = scalargejoinsel
);

CREATE  FUNCTION "crm_bgnbd_ne"(
	"left" crm_bgnbd, /* crm_bgnbd */
	"right" crm_bgnbd /* crm_bgnbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgnbd_ne_wrapper';

CREATE OPERATOR <> (
	PROCEDURE="crm_bgnbd_ne",
	LEFTARG=crm_bgnbd, /* crm_bgnbd */
	RIGHTARG=crm_bgnbd, /* crm_bgnbd */
	COMMUTATOR = <>,
	NEGATOR = =,
	RESTRICT = neqsel,
	JOIN = neqjoinsel
);

CREATE  FUNCTION "crm_bgnbd_eq"(
	"left" crm_bgnbd, /* crm_bgnbd */
	"right" crm_bgnbd /* crm_bgnbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgnbd_eq_wrapper';

CREATE OPERATOR = (
	PROCEDURE="crm_bgnbd_eq",
	LEFTARG=crm_bgnbd, /* crm_bgnbd */
	RIGHTARG=crm_bgnbd, /* crm_bgnbd */
	COMMUTATOR = =,
	NEGATOR = <>,
	RESTRICT = eqsel,
	JOIN = eqjoinsel,
	HASHES,
	MERGES
);

CREATE  FUNCTION "crm_bgnbd_gt"(
	"left" crm_bgnbd, /* crm_bgnbd */
	"right" crm_bgnbd /* crm_bgnbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgnbd_gt_wrapper';

CREATE OPERATOR > (
	PROCEDURE="crm_bgnbd_gt",
	LEFTARG=crm_bgnbd, /* crm_bgnbd */
	RIGHTARG=crm_bgnbd, /* crm_bgnbd */
	COMMUTATOR = <,
	NEGATOR = <=,
	RESTRICT = scalargtsel,
	JOIN = scalargtjoinsel
);

CREATE  FUNCTION "crm_bgnbd_lt"(
	"left" crm_bgnbd, /* crm_bgnbd */
	"right" crm_bgnbd /* crm_bgnbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgnbd_lt_wrapper';

CREATE OPERATOR < (
	PROCEDURE="crm_bgnbd_lt",
	LEFTARG=crm_bgnbd, /* crm_bgnbd */
	RIGHTARG=crm_bgnbd, /* crm_bgnbd */
	COMMUTATOR = >,
	NEGATOR = >=,
	RESTRICT = scalarltsel,
	JOIN = scalarltjoinsel
);

CREATE  FUNCTION "crm_bgnbd_le"(
	"left" crm_bgnbd, /* crm_bgnbd */
	"right" crm_bgnbd /* crm_bgnbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgnbd_le_wrapper';

CREATE OPERATOR <= (
	PROCEDURE="crm_bgnbd_le",
	LEFTARG=crm_bgnbd, /* crm_bgnbd */
	RIGHTARG=crm_bgnbd, /* crm_bgnbd */
	COMMUTATOR = >=,
	NEGATOR = >,
	RESTRICT = scalarlesel,
	JOIN = scalarlejoinsel
);

CREATE  FUNCTION "crm_gamma_gamma_eq"(
	"left" crm_gamma_gamma, /* crm_gamma_gamma */
	"right" crm_gamma_gamma /* crm_gamma_gamma */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_gamma_gamma_eq_wrapper';

CREATE OPERATOR = (
	PROCEDURE="crm_gamma_gamma_eq",
	LEFTARG=crm_gamma_gamma, /* crm_gamma_gamma */
	RIGHTARG=crm_gamma_gamma, /* crm_gamma_gamma */
	COMMUTATOR = =,
	NEGATOR = <>,
	RESTRICT = eqsel,
	JOIN = eqjoinsel,
	HASHES,
	MERGES
);

CREATE  FUNCTION "crm_gamma_gamma_lt"(
	"left" crm_gamma_gamma, /* crm_gamma_gamma */
	"right" crm_gamma_gamma /* crm_gamma_gamma */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_gamma_gamma_lt_wrapper';

CREATE OPERATOR < (
	PROCEDURE="crm_gamma_gamma_lt",
	LEFTARG=crm_gamma_gamma, /* crm_gamma_gamma */
	RIGHTARG=crm_gamma_gamma, /* crm_gamma_gamma */
	COMMUTATOR = >,
	NEGATOR = >=,
	RESTRICT = scalarltsel,
	JOIN = scalarltjoinsel
);

CREATE  FUNCTION "crm_gamma_gamma_hash"(
	"value" crm_gamma_gamma /* crm_gamma_gamma */
) RETURNS INT /* i32 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_gamma_gamma_hash_wrapper';

CREATE  FUNCTION "crm_gamma_gamma_cmp"(
	"left" crm_gamma_gamma, /* crm_gamma_gamma */
	"right" crm_gamma_gamma /* crm_gamma_gamma */
) RETURNS INT /* i32 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_gamma_gamma_cmp_wrapper';

CREATE  FUNCTION "crm_gamma_gamma_gt"(
	"left" crm_gamma_gamma, /* crm_gamma_gamma */
	"right" crm_gamma_gamma /* crm_gamma_gamma */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_gamma_gamma_gt_wrapper';

CREATE OPERATOR > (
	PROCEDURE="crm_gamma_gamma_gt",
	LEFTARG=crm_gamma_gamma, /* crm_gamma_gamma */
	RIGHTARG=crm_gamma_gamma, /* crm_gamma_gamma */
	COMMUTATOR = <,
	NEGATOR = <=,
	RESTRICT = scalargtsel,
	JOIN = scalargtjoinsel
);

CREATE  FUNCTION "crm_gamma_gamma_ge"(
	"left" crm_gamma_gamma, /* crm_gamma_gamma */
	"right" crm_gamma_gamma /* crm_gamma_gamma */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_gamma_gamma_ge_wrapper';

CREATE OPERATOR >= (
	PROCEDURE="crm_gamma_gamma_ge",
	LEFTARG=crm_gamma_gamma, /* crm_gamma_gamma */
	RIGHTARG=crm_gamma_gamma, /* crm_gamma_gamma */
	COMMUTATOR = <=,
	NEGATOR = <,
	RESTRICT = scalargesel,
	JOIN = scalargejoinsel
);

CREATE  FUNCTION "crm_gamma_gamma_ne"(
	"left" crm_gamma_gamma, /* crm_gamma_gamma */
	"right" crm_gamma_gamma /* crm_gamma_gamma */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_gamma_gamma_ne_wrapper';

CREATE OPERATOR <> (
	PROCEDURE="crm_gamma_gamma_ne",
	LEFTARG=crm_gamma_gamma, /* crm_gamma_gamma */
	RIGHTARG=crm_gamma_gamma, /* crm_gamma_gamma */
	COMMUTATOR = <>,
	NEGATOR = =,
	RESTRICT = neqsel,
	JOIN = neqjoinsel
);

CREATE  FUNCTION "crm_gamma_gamma_le"(
	"left" crm_gamma_gamma, /* crm_gamma_gamma */
	"right" crm_gamma_gamma /* crm_gamma_gamma */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_gamma_gamma_le_wrapper';

CREATE OPERATOR <= (
	PROCEDURE="crm_gamma_gamma_le",
	LEFTARG=crm_gamma_gamma, /* crm_gamma_gamma */
	RIGHTARG=crm_gamma_gamma, /* crm_gamma_gamma */
	COMMUTATOR = >=,
	NEGATOR = >,
	RESTRICT = scalarlesel,
	JOIN = scalarlejoinsel
);

CREATE  FUNCTION "crm_kmeans_ge"(
	"left" crm_kmeans, /* crm_kmeans */
	"right" crm_kmeans /* crm_kmeans */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_kmeans_ge_wrapper';

CREATE OPERATOR >= (
	PROCEDURE="crm_kmeans_ge",
	LEFTARG=crm_kmeans, /* crm_kmeans */
	RIGHTARG=crm_kmeans, /* crm_kmeans */
	COMMUTATOR = <=,
	NEGATOR = <,
	RESTRICT = scalargesel,
	JOIN = scalargejoinsel
);

CREATE  FUNCTION "crm_kmeans_ne"(
	"left" crm_kmeans, /* crm_kmeans */
	"right" crm_kmeans /* crm_kmeans */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_kmeans_ne_wrapper';

CREATE OPERATOR <> (
	PROCEDURE="crm_kmeans_ne",
	LEFTARG=crm_kmeans, /* crm_kmeans */
	RIGHTARG=crm_kmeans, /* crm_kmeans */
	COMMUTATOR = <>,
	NEGATOR = =,
	RESTRICT = neqsel,
	JOIN = neqjoinsel
);

CREATE  FUNCTION "crm_kmeans_hash"(
	"value" crm_kmeans /* crm_kmeans */
) RETURNS INT /* i32 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_kmeans_hash_wrapper';

CREATE  FUNCTION "crm_kmeans_gt"(
	"left" crm_kmeans, /* crm_kmeans */
	"right" crm_kmeans /* crm_kmeans */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_kmeans_gt_wrapper';

CREATE OPERATOR > (
	PROCEDURE="crm_kmeans_gt",
	LEFTARG=crm_kmeans, /* crm_kmeans */
	RIGHTARG=crm_kmeans, /* crm_kmeans */
	COMMUTATOR = <,
	NEGATOR = <=,
	RESTRICT = scalargtsel,
	JOIN = scalargtjoinsel
);

CREATE  FUNCTION "crm_kmeans_lt"(
	"left" crm_kmeans, /* crm_kmeans */
	"right" crm_kmeans /* crm_kmeans */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_kmeans_lt_wrapper';

CREATE OPERATOR < (
	PROCEDURE="crm_kmeans_lt",
	LEFTARG=crm_kmeans, /* crm_kmeans */
	RIGHTARG=crm_kmeans, /* crm_kmeans */
	COMMUTATOR = >,
	NEGATOR = >=,
	RESTRICT = scalarltsel,
	JOIN = scalarltjoinsel
);

CREATE  FUNCTION "crm_kmeans_eq"(
	"left" crm_kmeans, /* crm_kmeans */
	"right" crm_kmeans /* crm_kmeans */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_kmeans_eq_wrapper';

CREATE OPERATOR = (
	PROCEDURE="crm_kmeans_eq",
	LEFTARG=crm_kmeans, /* crm_kmeans */
	RIGHTARG=crm_kmeans, /* crm_kmeans */
	COMMUTATOR = =,
	NEGATOR = <>,
	RESTRICT = eqsel,
	JOIN = eqjoinsel,
	HASHES,
	MERGES
);

CREATE  FUNCTION "crm_kmeans_le"(
	"left" crm_kmeans, /* crm_kmeans */
	"right" crm_kmeans /* crm_kmeans */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_kmeans_le_wrapper';

CREATE OPERATOR <= (
	PROCEDURE="crm_kmeans_le",
	LEFTARG=crm_kmeans, /* crm_kmeans */
	RIGHTARG=crm_kmeans, /* crm_kmeans */
	COMMUTATOR = >=,
	NEGATOR = >,
	RESTRICT = scalarlesel,
	JOIN = scalarlejoinsel
);

CREATE  FUNCTION "crm_kmeans_cmp"(
	"left" crm_kmeans, /* crm_kmeans */
	"right" crm_kmeans /* crm_kmeans */
) RETURNS INT /* i32 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_kmeans_cmp_wrapper';

CREATE OPERATOR FAMILY crm_bgnbd_btree_ops USING btree;
CREATE OPERATOR CLASS crm_bgnbd_btree_ops DEFAULT FOR TYPE crm_bgnbd USING btree FAMILY crm_bgnbd_btree_ops AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 crm_bgnbd_cmp(crm_bgnbd, crm_bgnbd);

CREATE OPERATOR FAMILY crm_bgnbd_hash_ops USING hash;
CREATE OPERATOR CLASS crm_bgnbd_hash_ops DEFAULT FOR TYPE crm_bgnbd USING hash FAMILY crm_bgnbd_hash_ops AS
	OPERATOR    1   =  (crm_bgnbd, crm_bgnbd),
	FUNCTION    1   crm_bgnbd_hash(crm_bgnbd);

CREATE OPERATOR FAMILY crm_gamma_gamma_btree_ops USING btree;
CREATE OPERATOR CLASS crm_gamma_gamma_btree_ops DEFAULT FOR TYPE crm_gamma_gamma USING btree FAMILY crm_gamma_gamma_btree_ops AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 crm_gamma_gamma_cmp(crm_gamma_gamma, crm_gamma_gamma);

CREATE OPERATOR FAMILY crm_gamma_gamma_hash_ops USING hash;
CREATE OPERATOR CLASS crm_gamma_gamma_hash_ops DEFAULT FOR TYPE crm_gamma_gamma USING hash FAMILY crm_gamma_gamma_hash_ops AS
	OPERATOR    1   =  (crm_gamma_gamma, crm_gamma_gamma),
	FUNCTION    1   crm_gamma_gamma_hash(crm_gamma_gamma);

CREATE OPERATOR FAMILY crm_kmeans_btree_ops USING btree;
CREATE OPERATOR CLASS crm_kmeans_btree_ops DEFAULT FOR TYPE crm_kmeans USING btree FAMILY crm_kmeans_btree_ops AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 crm_kmeans_cmp(crm_kmeans, crm_kmeans);

CREATE OPERATOR FAMILY crm_kmeans_hash_ops USING hash;
CREATE OPERATOR CLASS crm_kmeans_hash_ops DEFAULT FOR TYPE crm_kmeans USING hash FAMILY crm_kmeans_hash_ops AS
	OPERATOR    1   =  (crm_kmeans, crm_kmeans),
	FUNCTION    1   crm_kmeans_hash(crm_kmeans);

CREATE CAST (crm_bgnbd AS jsonb) WITH INOUT;
CREATE CAST (jsonb AS crm_bgnbd) WITH INOUT;
CREATE CAST (crm_bgnbd AS json) WITH INOUT;
COMMENT ON CAST (crm_bgnbd AS jsonb) IS 'The BG/NBD model''s text form as jsonb (model::jsonb ->> ''converged'').';
COMMENT ON CAST (jsonb AS crm_bgnbd) IS 'A BG/NBD model from its JSON text form (checked as the type''s input).';
COMMENT ON CAST (crm_bgnbd AS json) IS 'The BG/NBD model''s text form as json.';
COMMENT ON FUNCTION crm_bgnbd_eq(crm_bgnbd, crm_bgnbd) IS 'Whether two BG/NBD models are equal (the same stored value: the same text form); the function of its operator.';
COMMENT ON FUNCTION crm_bgnbd_ne(crm_bgnbd, crm_bgnbd) IS 'Whether two BG/NBD models are not equal; the function of its operator.';
COMMENT ON FUNCTION crm_bgnbd_lt(crm_bgnbd, crm_bgnbd) IS 'Whether the first BG/NBD model orders before the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_bgnbd_le(crm_bgnbd, crm_bgnbd) IS 'Whether the first BG/NBD model orders before the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_bgnbd_gt(crm_bgnbd, crm_bgnbd) IS 'Whether the first BG/NBD model orders after the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_bgnbd_ge(crm_bgnbd, crm_bgnbd) IS 'Whether the first BG/NBD model orders after the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_bgnbd_cmp(crm_bgnbd, crm_bgnbd) IS 'Order of two BG/NBD models by text form (-1, 0, 1), for the btree operator class.';
COMMENT ON FUNCTION crm_bgnbd_hash(crm_bgnbd) IS 'Hash of a BG/NBD model''s text form, for the hash operator class (GROUP BY, DISTINCT, hash joins).';

CREATE CAST (crm_gamma_gamma AS jsonb) WITH INOUT;
CREATE CAST (jsonb AS crm_gamma_gamma) WITH INOUT;
CREATE CAST (crm_gamma_gamma AS json) WITH INOUT;
COMMENT ON CAST (crm_gamma_gamma AS jsonb) IS 'The Gamma-Gamma model''s text form as jsonb (model::jsonb ->> ''converged'').';
COMMENT ON CAST (jsonb AS crm_gamma_gamma) IS 'A Gamma-Gamma model from its JSON text form (checked as the type''s input).';
COMMENT ON CAST (crm_gamma_gamma AS json) IS 'The Gamma-Gamma model''s text form as json.';
COMMENT ON FUNCTION crm_gamma_gamma_eq(crm_gamma_gamma, crm_gamma_gamma) IS 'Whether two Gamma-Gamma models are equal (the same stored value: the same text form); the function of its operator.';
COMMENT ON FUNCTION crm_gamma_gamma_ne(crm_gamma_gamma, crm_gamma_gamma) IS 'Whether two Gamma-Gamma models are not equal; the function of its operator.';
COMMENT ON FUNCTION crm_gamma_gamma_lt(crm_gamma_gamma, crm_gamma_gamma) IS 'Whether the first Gamma-Gamma model orders before the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_gamma_gamma_le(crm_gamma_gamma, crm_gamma_gamma) IS 'Whether the first Gamma-Gamma model orders before the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_gamma_gamma_gt(crm_gamma_gamma, crm_gamma_gamma) IS 'Whether the first Gamma-Gamma model orders after the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_gamma_gamma_ge(crm_gamma_gamma, crm_gamma_gamma) IS 'Whether the first Gamma-Gamma model orders after the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_gamma_gamma_cmp(crm_gamma_gamma, crm_gamma_gamma) IS 'Order of two Gamma-Gamma models by text form (-1, 0, 1), for the btree operator class.';
COMMENT ON FUNCTION crm_gamma_gamma_hash(crm_gamma_gamma) IS 'Hash of a Gamma-Gamma model''s text form, for the hash operator class (GROUP BY, DISTINCT, hash joins).';

CREATE CAST (crm_kmeans AS jsonb) WITH INOUT;
CREATE CAST (jsonb AS crm_kmeans) WITH INOUT;
CREATE CAST (crm_kmeans AS json) WITH INOUT;
COMMENT ON CAST (crm_kmeans AS jsonb) IS 'The k-means model''s text form as jsonb (model::jsonb ->> ''converged'').';
COMMENT ON CAST (jsonb AS crm_kmeans) IS 'A k-means model from its JSON text form (checked as the type''s input).';
COMMENT ON CAST (crm_kmeans AS json) IS 'The k-means model''s text form as json.';
COMMENT ON FUNCTION crm_kmeans_eq(crm_kmeans, crm_kmeans) IS 'Whether two k-means models are equal (the same stored value: the same text form); the function of its operator.';
COMMENT ON FUNCTION crm_kmeans_ne(crm_kmeans, crm_kmeans) IS 'Whether two k-means models are not equal; the function of its operator.';
COMMENT ON FUNCTION crm_kmeans_lt(crm_kmeans, crm_kmeans) IS 'Whether the first k-means model orders before the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_kmeans_le(crm_kmeans, crm_kmeans) IS 'Whether the first k-means model orders before the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_kmeans_gt(crm_kmeans, crm_kmeans) IS 'Whether the first k-means model orders after the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_kmeans_ge(crm_kmeans, crm_kmeans) IS 'Whether the first k-means model orders after the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_kmeans_cmp(crm_kmeans, crm_kmeans) IS 'Order of two k-means models by text form (-1, 0, 1), for the btree operator class.';
COMMENT ON FUNCTION crm_kmeans_hash(crm_kmeans) IS 'Hash of a k-means model''s text form, for the hash operator class (GROUP BY, DISTINCT, hash joins).';

-- 0.2.0: binary send/receive for the model types (a version byte and the text form).

CREATE  FUNCTION "crm__bgnbd_send"(
	"model" crm_bgnbd /* crm_bgnbd */
) RETURNS bytea /* Vec < u8 > */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgnbd_send_wrapper';

CREATE  FUNCTION "crm__bgnbd_recv"(
	"buffer" internal /* :: pgrx :: datum :: Internal */
) RETURNS crm_bgnbd /* crm_bgnbd */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgnbd_recv_wrapper';

CREATE  FUNCTION "crm__gamma_gamma_recv"(
	"buffer" internal /* :: pgrx :: datum :: Internal */
) RETURNS crm_gamma_gamma /* crm_gamma_gamma */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_gamma_gamma_recv_wrapper';

CREATE  FUNCTION "crm__gamma_gamma_send"(
	"model" crm_gamma_gamma /* crm_gamma_gamma */
) RETURNS bytea /* Vec < u8 > */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_gamma_gamma_send_wrapper';

CREATE  FUNCTION "crm__kmeans_send"(
	"model" crm_kmeans /* crm_kmeans */
) RETURNS bytea /* Vec < u8 > */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_kmeans_send_wrapper';

CREATE  FUNCTION "crm__kmeans_recv"(
	"buffer" internal /* :: pgrx :: datum :: Internal */
) RETURNS crm_kmeans /* crm_kmeans */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_kmeans_recv_wrapper';

ALTER TYPE crm_bgnbd SET (SEND = crm__bgnbd_send, RECEIVE = crm__bgnbd_recv);
COMMENT ON FUNCTION crm__bgnbd_send(crm_bgnbd) IS 'Internal: the BG/NBD model''s binary form (a version byte and the text form), for COPY BINARY and binary drivers.';
COMMENT ON FUNCTION crm__bgnbd_recv(internal) IS 'Internal: reads the BG/NBD model''s binary form through the type''s input (which checks it).';

ALTER TYPE crm_gamma_gamma SET (SEND = crm__gamma_gamma_send, RECEIVE = crm__gamma_gamma_recv);
COMMENT ON FUNCTION crm__gamma_gamma_send(crm_gamma_gamma) IS 'Internal: the Gamma-Gamma model''s binary form (a version byte and the text form), for COPY BINARY and binary drivers.';
COMMENT ON FUNCTION crm__gamma_gamma_recv(internal) IS 'Internal: reads the Gamma-Gamma model''s binary form through the type''s input (which checks it).';

ALTER TYPE crm_kmeans SET (SEND = crm__kmeans_send, RECEIVE = crm__kmeans_recv);
COMMENT ON FUNCTION crm__kmeans_send(crm_kmeans) IS 'Internal: the k-means model''s binary form (a version byte and the text form), for COPY BINARY and binary drivers.';
COMMENT ON FUNCTION crm__kmeans_recv(internal) IS 'Internal: reads the k-means model''s binary form through the type''s input (which checks it).';

-- 0.2.0: comments on the comparison operators and the internal state types.
COMMENT ON OPERATOR = (crm_bgnbd, crm_bgnbd) IS 'BG/NBD models equal (the same text form).';
COMMENT ON OPERATOR <> (crm_bgnbd, crm_bgnbd) IS 'BG/NBD models not equal.';
COMMENT ON OPERATOR < (crm_bgnbd, crm_bgnbd) IS 'BG/NBD models ordered before, by text form.';
COMMENT ON OPERATOR <= (crm_bgnbd, crm_bgnbd) IS 'BG/NBD models ordered before or equal, by text form.';
COMMENT ON OPERATOR > (crm_bgnbd, crm_bgnbd) IS 'BG/NBD models ordered after, by text form.';
COMMENT ON OPERATOR >= (crm_bgnbd, crm_bgnbd) IS 'BG/NBD models ordered after or equal, by text form.';
COMMENT ON OPERATOR = (crm_gamma_gamma, crm_gamma_gamma) IS 'Gamma-Gamma models equal (the same text form).';
COMMENT ON OPERATOR <> (crm_gamma_gamma, crm_gamma_gamma) IS 'Gamma-Gamma models not equal.';
COMMENT ON OPERATOR < (crm_gamma_gamma, crm_gamma_gamma) IS 'Gamma-Gamma models ordered before, by text form.';
COMMENT ON OPERATOR <= (crm_gamma_gamma, crm_gamma_gamma) IS 'Gamma-Gamma models ordered before or equal, by text form.';
COMMENT ON OPERATOR > (crm_gamma_gamma, crm_gamma_gamma) IS 'Gamma-Gamma models ordered after, by text form.';
COMMENT ON OPERATOR >= (crm_gamma_gamma, crm_gamma_gamma) IS 'Gamma-Gamma models ordered after or equal, by text form.';
COMMENT ON OPERATOR = (crm_kmeans, crm_kmeans) IS 'k-means models equal (the same text form).';
COMMENT ON OPERATOR <> (crm_kmeans, crm_kmeans) IS 'k-means models not equal.';
COMMENT ON OPERATOR < (crm_kmeans, crm_kmeans) IS 'k-means models ordered before, by text form.';
COMMENT ON OPERATOR <= (crm_kmeans, crm_kmeans) IS 'k-means models ordered before or equal, by text form.';
COMMENT ON OPERATOR > (crm_kmeans, crm_kmeans) IS 'k-means models ordered after, by text form.';
COMMENT ON OPERATOR >= (crm_kmeans, crm_kmeans) IS 'k-means models ordered after or equal, by text form.';
COMMENT ON TYPE crm__kmeans_state IS 'Internal: the state of crm_kmeans_fit (the feature arrays and settings of a group); text form hexadecimal, for Citus''s partial aggregates.';
COMMENT ON TYPE crm__qcut_edges_state IS 'Internal: the state of crm_qcut_edges (the values and bins of a group); text form hexadecimal, for Citus''s partial aggregates.';
COMMENT ON TYPE crm__outlier_limits_state IS 'Internal: the state of crm_outlier_limits (the values and limit settings of a group); text form hexadecimal, for Citus''s partial aggregates.';

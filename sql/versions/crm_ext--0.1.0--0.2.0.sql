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
        ELSE crm_internal.crm__raise_invalid(format('unknown frequency_is "%s"', frequency_is),
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
    PERFORM crm_internal.crm__check_columns(relation, ARRAY['customer', 'frequency', 'recency', 't', 'monetary'],
                                           ARRAY[customer, frequency, recency, t, monetary]);
    RETURN QUERY EXECUTE format(
        'SELECT @extschema@.crm_bgnbd_fit(%1$s, %2$I::float8, %3$I::float8, $1, $2), @extschema@.crm_gamma_gamma_fit(%1$s, %4$I::float8, $3) FROM %5$s',
        crm_internal.crm__frequency_expr(frequency, frequency_is), recency, t, monetary, relation)
    USING bgnbd_penalizer, unit, gamma_gamma_penalizer;
END $$;

-- 0.2.0: crm_cltv takes any continuous-time purchase model (model => 'bgnbd' | 'mbgnbd' | 'pareto_nbd').
DROP FUNCTION crm_cltv(regclass, text, text, text, text, text, text, integer, float8, float8, float8, integer, text);
CREATE FUNCTION crm_cltv(
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
    frequency_is text DEFAULT 'repeat',
    model text DEFAULT 'bgnbd'
) RETURNS SETOF crm_cltv_result
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
-- Three passes over the relation, each one query that Citus runs on its shards: the two fits
-- (aggregates with combinable, non-pseudo states), the CLV segment edges (crm_qcut_edges, the same
-- kind), then the scoring, a plain per-row SELECT with the models and edges as constants. No
-- per-customer rows are gathered anywhere but in the result.
DECLARE
    gg @extschema@.crm_gamma_gamma;
    fit text;
    described text;
    x text := crm_internal.crm__frequency_expr(frequency, frequency_is);
    clv text;
    edges float8[];
    rank text := '0';
BEGIN
    IF segments IS NULL OR segments < 1 OR segments > 26 THEN
        RAISE EXCEPTION 'segments must be between 1 and 26, got %', coalesce(segments::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    IF relation IS NULL OR customer IS NULL OR frequency IS NULL OR recency IS NULL OR t IS NULL OR monetary IS NULL THEN
        RAISE EXCEPTION 'relation and column arguments must not be null' USING ERRCODE = '22004';
    END IF;
    PERFORM crm_internal.crm__check_model_name(model);
    IF to_regprocedure(format('@extschema@.crm_clv(@extschema@.crm_%s, @extschema@.crm_gamma_gamma, float8, float8, float8, float8, integer, float8)', model)) IS NULL THEN
        RAISE EXCEPTION 'model "%" has no CLV', model USING ERRCODE = '22023',
            HINT = 'crm_cltv takes a continuous-time purchase model: bgnbd, mbgnbd or pareto_nbd';
    END IF;
    PERFORM crm_internal.crm__check_columns(relation, ARRAY['customer', 'frequency', 'recency', 't', 'monetary'],
                                           ARRAY[customer, frequency, recency, t, monetary]);
    -- The purchase model, fitted once and passed to the later queries as its text form.
    EXECUTE format('SELECT @extschema@.crm_%1$s_fit(%2$s, %3$I::float8, %4$I::float8, $1, $2)::text FROM %5$s',
                   model, x, recency, t, relation)
        INTO fit USING bgnbd_penalizer, unit;
    EXECUTE format('SELECT @extschema@.crm_gamma_gamma_fit(%s, %I::float8, $1) FROM %s', x, monetary, relation)
        INTO gg USING gamma_gamma_penalizer;
    EXECUTE format($q$SELECT string_agg(p.parameter || ' = ' || round(p.estimate::numeric, 4), ', ' ORDER BY p.i)
                             || ' (' || @extschema@.crm_unit($1::@extschema@.crm_%1$s) || 's)'
                      FROM @extschema@.crm_%1$s_params($1::@extschema@.crm_%1$s) WITH ORDINALITY AS p(parameter, estimate, std_error, i)$q$, model)
        INTO described USING fit;
    IF described IS NULL OR gg IS NULL THEN
        RETURN;  -- no rows (or no repeat buyers): nothing to score
    END IF;
    RAISE NOTICE 'crm_cltv: % %; Gamma-Gamma p = %, q = %, v = %', model, described,
        round(@extschema@.crm_gamma_gamma_p(gg)::numeric, 4), round(@extschema@.crm_gamma_gamma_q(gg)::numeric, 4),
        round(@extschema@.crm_gamma_gamma_v(gg)::numeric, 4)
        USING HINT = format('crm_%s_fit and crm_gamma_gamma_fit over the same rows return the models', model);
    -- $1 the purchase model (text), $2 Gamma-Gamma, $3 months, $4 discount, $5 segments, $6 edges.
    clv := format('@extschema@.crm_clv($1::@extschema@.crm_%s, $2, %s, %I::float8, %I::float8, %I::float8, $3, $4)',
                  model, x, recency, t, monetary);
    IF segments > 1 THEN
        -- The inner edges of pandas qcut(cltv, segments); the segment counts the edges below a CLV.
        EXECUTE format('SELECT (@extschema@.crm_qcut_edges(%s, $5))[2:$5] FROM %s', clv, relation)
            INTO edges USING fit, gg, months, discount, segments;
        SELECT string_agg(format('(cltv > $6[%s])::int', i), ' + ') INTO rank FROM generate_series(1, segments - 1) AS i;
    END IF;
    RETURN QUERY EXECUTE format($q$
        SELECT customer_id, frequency, recency, t, monetary, p_alive, exp_sales_3_month, exp_sales_6_month,
               exp_average_value, cltv,
               CASE WHEN cltv IS NOT NULL THEN chr(ascii('A') + $5 - 1 - (%1$s)) END
        FROM (SELECT %2$I::text AS customer_id, %3$I::float8 AS frequency, %4$I::float8 AS recency,
                     %5$I::float8 AS t, %6$I::float8 AS monetary,
                     @extschema@.crm_p_alive($1::@extschema@.crm_%8$s, %9$s, %4$I::float8, %5$I::float8) AS p_alive,
                     @extschema@.crm_expected_purchases($1::@extschema@.crm_%8$s, %9$s, %4$I::float8, %5$I::float8,
                         3 * @extschema@.crm_time_units_per_month($1::@extschema@.crm_%8$s)) AS exp_sales_3_month,
                     @extschema@.crm_expected_purchases($1::@extschema@.crm_%8$s, %9$s, %4$I::float8, %5$I::float8,
                         6 * @extschema@.crm_time_units_per_month($1::@extschema@.crm_%8$s)) AS exp_sales_6_month,
                     @extschema@.crm_expected_spend($2, %9$s, %6$I::float8) AS exp_average_value,
                     %10$s AS cltv
              FROM %7$s) AS scored
    $q$, rank, customer, frequency, recency, t, monetary, relation, model, x, clv)
    USING fit, gg, months, discount, segments, edges;
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
    PERFORM crm_internal.crm__check_columns(relation, ARRAY['frequency', 'recency', 't', 'frequency_holdout', 'duration_holdout'],
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

-- 0.2.0: the model family (Pareto/NBD, MBG/NBD, BG/BB, sBG), crm_parameter, choosing a model.
COMMENT ON FUNCTION crm_cltv(regclass, text, text, text, text, text, text, integer, float8, float8, float8, integer, text, text) IS 'The CLTV pipeline in one call: fits a purchase model (model => bgnbd, the default, mbgnbd or pareto_nbd; its penalizer is bgnbd_penalizer) and Gamma-Gamma over the relation and returns per customer P(alive), expected sales in 3 and 6 months, expected average value, the discounted CLV over months, and a CLV segment (A = best of segments quantile groups, cut like pandas qcut).';
-- src/models/bgbb.rs:44
-- crm_bgbb
CREATE TYPE crm_bgbb;

-- src/models/bgbb.rs:44
-- crm_ext::bgbb::crm_bgbb_in
CREATE  FUNCTION "crm_bgbb_in"(
	"input" cstring /* Option < & :: core :: ffi :: CStr > */
) RETURNS crm_bgbb /* Option < crm_bgbb > */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgbb_in_wrapper';

-- src/models/bgbb.rs:44
-- crm_ext::bgbb::crm_bgbb_out
CREATE  FUNCTION "crm_bgbb_out"(
	"input" crm_bgbb /* crm_bgbb */
) RETURNS cstring /* :: pgrx :: ffi :: CString */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgbb_out_wrapper';

-- src/models/bgbb.rs:44
-- crm_bgbb
CREATE TYPE crm_bgbb (
	INTERNALLENGTH = variable,
	INPUT = crm_bgbb_in, /* crm_ext::bgbb::crm_bgbb_in */
	OUTPUT = crm_bgbb_out, /* crm_ext::bgbb::crm_bgbb_out */
	STORAGE = extended
);

-- src/models/bgbb.rs:45
-- crm_ext::bgbb::crm__bgbb_recv
CREATE  FUNCTION "crm__bgbb_recv"(
	"buffer" internal /* :: pgrx :: datum :: Internal */
) RETURNS crm_bgbb /* crm_bgbb */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgbb_recv_wrapper';

-- src/models/bgbb.rs:45
-- crm_ext::bgbb::crm__bgbb_send
CREATE  FUNCTION "crm__bgbb_send"(
	"model" crm_bgbb /* crm_bgbb */
) RETURNS bytea /* Vec < u8 > */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgbb_send_wrapper';

-- src/models/bgbb.rs:44
-- crm_ext::bgbb::crm_bgbb_ge
CREATE  FUNCTION "crm_bgbb_ge"(
	"left" crm_bgbb, /* crm_bgbb */
	"right" crm_bgbb /* crm_bgbb */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgbb_ge_wrapper';

-- src/models/bgbb.rs:44
-- crm_ext::bgbb::crm_bgbb_ge
CREATE OPERATOR >= (
	PROCEDURE="crm_bgbb_ge",
	LEFTARG=crm_bgbb, /* crm_bgbb */
	RIGHTARG=crm_bgbb, /* crm_bgbb */
	COMMUTATOR = <=,
	NEGATOR = <,
	RESTRICT = scalargesel,
	JOIN = scalargejoinsel
);

-- src/models/bgbb.rs:44
-- crm_ext::bgbb::crm_bgbb_gt
CREATE  FUNCTION "crm_bgbb_gt"(
	"left" crm_bgbb, /* crm_bgbb */
	"right" crm_bgbb /* crm_bgbb */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgbb_gt_wrapper';

-- src/models/bgbb.rs:44
-- crm_ext::bgbb::crm_bgbb_gt
CREATE OPERATOR > (
	PROCEDURE="crm_bgbb_gt",
	LEFTARG=crm_bgbb, /* crm_bgbb */
	RIGHTARG=crm_bgbb, /* crm_bgbb */
	COMMUTATOR = <,
	NEGATOR = <=,
	RESTRICT = scalargtsel,
	JOIN = scalargtjoinsel
);

-- src/models/bgbb.rs:44
-- crm_ext::bgbb::crm_bgbb_lt
CREATE  FUNCTION "crm_bgbb_lt"(
	"left" crm_bgbb, /* crm_bgbb */
	"right" crm_bgbb /* crm_bgbb */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgbb_lt_wrapper';

-- src/models/bgbb.rs:44
-- crm_ext::bgbb::crm_bgbb_lt
CREATE OPERATOR < (
	PROCEDURE="crm_bgbb_lt",
	LEFTARG=crm_bgbb, /* crm_bgbb */
	RIGHTARG=crm_bgbb, /* crm_bgbb */
	COMMUTATOR = >,
	NEGATOR = >=,
	RESTRICT = scalarltsel,
	JOIN = scalarltjoinsel
);

-- src/models/bgbb.rs:44
-- crm_ext::bgbb::crm_bgbb_eq
CREATE  FUNCTION "crm_bgbb_eq"(
	"left" crm_bgbb, /* crm_bgbb */
	"right" crm_bgbb /* crm_bgbb */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgbb_eq_wrapper';

-- src/models/bgbb.rs:44
-- crm_ext::bgbb::crm_bgbb_eq
CREATE OPERATOR = (
	PROCEDURE="crm_bgbb_eq",
	LEFTARG=crm_bgbb, /* crm_bgbb */
	RIGHTARG=crm_bgbb, /* crm_bgbb */
	COMMUTATOR = =,
	NEGATOR = <>,
	RESTRICT = eqsel,
	JOIN = eqjoinsel,
	HASHES,
	MERGES
);

-- src/models/bgbb.rs:103
-- crm_ext::bgbb::crm_bgbb
CREATE  FUNCTION "crm_bgbb"(
	"alpha" double precision, /* f64 */
	"beta" double precision, /* f64 */
	"gamma" double precision, /* f64 */
	"delta" double precision /* f64 */
) RETURNS crm_bgbb /* crm_bgbb */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgbb_given_wrapper';

-- src/models/bgbb.rs:44
-- crm_ext::bgbb::crm_bgbb_cmp
CREATE  FUNCTION "crm_bgbb_cmp"(
	"left" crm_bgbb, /* crm_bgbb */
	"right" crm_bgbb /* crm_bgbb */
) RETURNS INT /* i32 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgbb_cmp_wrapper';

-- src/models/bgbb.rs:44
-- crm_ext::bgbb::crm_bgbb_ne
CREATE  FUNCTION "crm_bgbb_ne"(
	"left" crm_bgbb, /* crm_bgbb */
	"right" crm_bgbb /* crm_bgbb */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgbb_ne_wrapper';

-- src/models/bgbb.rs:44
-- crm_ext::bgbb::crm_bgbb_ne
CREATE OPERATOR <> (
	PROCEDURE="crm_bgbb_ne",
	LEFTARG=crm_bgbb, /* crm_bgbb */
	RIGHTARG=crm_bgbb, /* crm_bgbb */
	COMMUTATOR = <>,
	NEGATOR = =,
	RESTRICT = neqsel,
	JOIN = neqjoinsel
);

-- src/models/bgbb.rs:44
-- crm_ext::bgbb::crm_bgbb_le
CREATE  FUNCTION "crm_bgbb_le"(
	"left" crm_bgbb, /* crm_bgbb */
	"right" crm_bgbb /* crm_bgbb */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgbb_le_wrapper';

-- src/models/bgbb.rs:44
-- crm_ext::bgbb::crm_bgbb_le
CREATE OPERATOR <= (
	PROCEDURE="crm_bgbb_le",
	LEFTARG=crm_bgbb, /* crm_bgbb */
	RIGHTARG=crm_bgbb, /* crm_bgbb */
	COMMUTATOR = >=,
	NEGATOR = >,
	RESTRICT = scalarlesel,
	JOIN = scalarlejoinsel
);

-- src/models/bgbb.rs:44
-- crm_ext::bgbb::crm_bgbb_hash
CREATE  FUNCTION "crm_bgbb_hash"(
	"value" crm_bgbb /* crm_bgbb */
) RETURNS INT /* i32 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgbb_hash_wrapper';

-- src/models/bgbb.rs:46
-- crm_ext::bgbb::crm_bgbb_params
CREATE  FUNCTION "crm_bgbb_params"(
	"model" crm_bgbb /* crm_bgbb */
) RETURNS TABLE (
	"parameter" TEXT,  /* String */
	"estimate" double precision,  /* f64 */
	"std_error" double precision  /* Option < f64 > */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_bgbb_params_wrapper';

-- src/models/bgbb.rs:46
-- crm_ext::bgbb::crm_converged
CREATE  FUNCTION "crm_converged"(
	"model" crm_bgbb /* crm_bgbb */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_converged_bgbb_wrapper';

-- src/models/bgbb.rs:46
-- crm_ext::bgbb::crm_customers
CREATE  FUNCTION "crm_customers"(
	"model" crm_bgbb /* crm_bgbb */
) RETURNS bigint /* i64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_customers_bgbb_wrapper';

-- src/models/bgbb.rs:46
-- crm_ext::bgbb::crm_iterations
CREATE  FUNCTION "crm_iterations"(
	"model" crm_bgbb /* crm_bgbb */
) RETURNS bigint /* i64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_iterations_bgbb_wrapper';

-- src/models/bgbb.rs:46
-- crm_ext::bgbb::crm_log_likelihood
CREATE  FUNCTION "crm_log_likelihood"(
	"model" crm_bgbb /* crm_bgbb */
) RETURNS double precision /* Option < f64 > */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_log_likelihood_bgbb_wrapper';

-- src/models/mbgnbd.rs:40
-- crm_mbgnbd
CREATE TYPE crm_mbgnbd;

-- src/models/mbgnbd.rs:40
-- crm_ext::mbgnbd::crm_mbgnbd_in
CREATE  FUNCTION "crm_mbgnbd_in"(
	"input" cstring /* Option < & :: core :: ffi :: CStr > */
) RETURNS crm_mbgnbd /* Option < crm_mbgnbd > */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_mbgnbd_in_wrapper';

-- src/models/mbgnbd.rs:40
-- crm_ext::mbgnbd::crm_mbgnbd_out
CREATE  FUNCTION "crm_mbgnbd_out"(
	"input" crm_mbgnbd /* crm_mbgnbd */
) RETURNS cstring /* :: pgrx :: ffi :: CString */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_mbgnbd_out_wrapper';

-- src/models/mbgnbd.rs:40
-- crm_mbgnbd
CREATE TYPE crm_mbgnbd (
	INTERNALLENGTH = variable,
	INPUT = crm_mbgnbd_in, /* crm_ext::mbgnbd::crm_mbgnbd_in */
	OUTPUT = crm_mbgnbd_out, /* crm_ext::mbgnbd::crm_mbgnbd_out */
	STORAGE = extended
);

-- src/models/mbgnbd.rs:40
-- crm_ext::mbgnbd::crm_mbgnbd_cmp
CREATE  FUNCTION "crm_mbgnbd_cmp"(
	"left" crm_mbgnbd, /* crm_mbgnbd */
	"right" crm_mbgnbd /* crm_mbgnbd */
) RETURNS INT /* i32 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_mbgnbd_cmp_wrapper';

-- src/models/mbgnbd.rs:41
-- crm_ext::mbgnbd::crm__mbgnbd_recv
CREATE  FUNCTION "crm__mbgnbd_recv"(
	"buffer" internal /* :: pgrx :: datum :: Internal */
) RETURNS crm_mbgnbd /* crm_mbgnbd */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_mbgnbd_recv_wrapper';

-- src/models/mbgnbd.rs:68
-- crm_ext::mbgnbd::crm_mbgnbd
CREATE  FUNCTION "crm_mbgnbd"(
	"r" double precision, /* f64 */
	"alpha" double precision, /* f64 */
	"a" double precision, /* f64 */
	"b" double precision, /* f64 */
	"unit" TEXT DEFAULT 'week' /* & str */
) RETURNS crm_mbgnbd /* crm_mbgnbd */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_mbgnbd_given_wrapper';

-- src/models/mbgnbd.rs:41
-- crm_ext::mbgnbd::crm__mbgnbd_send
CREATE  FUNCTION "crm__mbgnbd_send"(
	"model" crm_mbgnbd /* crm_mbgnbd */
) RETURNS bytea /* Vec < u8 > */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_mbgnbd_send_wrapper';

-- src/models/mbgnbd.rs:40
-- crm_ext::mbgnbd::crm_mbgnbd_hash
CREATE  FUNCTION "crm_mbgnbd_hash"(
	"value" crm_mbgnbd /* crm_mbgnbd */
) RETURNS INT /* i32 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_mbgnbd_hash_wrapper';

-- src/models/mbgnbd.rs:40
-- crm_ext::mbgnbd::crm_mbgnbd_eq
CREATE  FUNCTION "crm_mbgnbd_eq"(
	"left" crm_mbgnbd, /* crm_mbgnbd */
	"right" crm_mbgnbd /* crm_mbgnbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_mbgnbd_eq_wrapper';

-- src/models/mbgnbd.rs:40
-- crm_ext::mbgnbd::crm_mbgnbd_eq
CREATE OPERATOR = (
	PROCEDURE="crm_mbgnbd_eq",
	LEFTARG=crm_mbgnbd, /* crm_mbgnbd */
	RIGHTARG=crm_mbgnbd, /* crm_mbgnbd */
	COMMUTATOR = =,
	NEGATOR = <>,
	RESTRICT = eqsel,
	JOIN = eqjoinsel,
	HASHES,
	MERGES
);

-- src/models/mbgnbd.rs:42
-- crm_ext::mbgnbd::crm_iterations
CREATE  FUNCTION "crm_iterations"(
	"model" crm_mbgnbd /* crm_mbgnbd */
) RETURNS bigint /* i64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_iterations_mbgnbd_wrapper';

-- src/models/mbgnbd.rs:40
-- crm_ext::mbgnbd::crm_mbgnbd_lt
CREATE  FUNCTION "crm_mbgnbd_lt"(
	"left" crm_mbgnbd, /* crm_mbgnbd */
	"right" crm_mbgnbd /* crm_mbgnbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_mbgnbd_lt_wrapper';

-- src/models/mbgnbd.rs:40
-- crm_ext::mbgnbd::crm_mbgnbd_lt
CREATE OPERATOR < (
	PROCEDURE="crm_mbgnbd_lt",
	LEFTARG=crm_mbgnbd, /* crm_mbgnbd */
	RIGHTARG=crm_mbgnbd, /* crm_mbgnbd */
	COMMUTATOR = >,
	NEGATOR = >=,
	RESTRICT = scalarltsel,
	JOIN = scalarltjoinsel
);

-- src/models/mbgnbd.rs:40
-- crm_ext::mbgnbd::crm_mbgnbd_ne
CREATE  FUNCTION "crm_mbgnbd_ne"(
	"left" crm_mbgnbd, /* crm_mbgnbd */
	"right" crm_mbgnbd /* crm_mbgnbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_mbgnbd_ne_wrapper';

-- src/models/mbgnbd.rs:40
-- crm_ext::mbgnbd::crm_mbgnbd_ne
CREATE OPERATOR <> (
	PROCEDURE="crm_mbgnbd_ne",
	LEFTARG=crm_mbgnbd, /* crm_mbgnbd */
	RIGHTARG=crm_mbgnbd, /* crm_mbgnbd */
	COMMUTATOR = <>,
	NEGATOR = =,
	RESTRICT = neqsel,
	JOIN = neqjoinsel
);

-- src/models/mbgnbd.rs:40
-- crm_ext::mbgnbd::crm_mbgnbd_gt
CREATE  FUNCTION "crm_mbgnbd_gt"(
	"left" crm_mbgnbd, /* crm_mbgnbd */
	"right" crm_mbgnbd /* crm_mbgnbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_mbgnbd_gt_wrapper';

-- src/models/mbgnbd.rs:40
-- crm_ext::mbgnbd::crm_mbgnbd_gt
CREATE OPERATOR > (
	PROCEDURE="crm_mbgnbd_gt",
	LEFTARG=crm_mbgnbd, /* crm_mbgnbd */
	RIGHTARG=crm_mbgnbd, /* crm_mbgnbd */
	COMMUTATOR = <,
	NEGATOR = <=,
	RESTRICT = scalargtsel,
	JOIN = scalargtjoinsel
);

-- src/models/mbgnbd.rs:42
-- crm_ext::mbgnbd::crm_log_likelihood
CREATE  FUNCTION "crm_log_likelihood"(
	"model" crm_mbgnbd /* crm_mbgnbd */
) RETURNS double precision /* Option < f64 > */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_log_likelihood_mbgnbd_wrapper';

-- src/models/mbgnbd.rs:42
-- crm_ext::mbgnbd::crm_converged
CREATE  FUNCTION "crm_converged"(
	"model" crm_mbgnbd /* crm_mbgnbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_converged_mbgnbd_wrapper';

-- src/models/mbgnbd.rs:40
-- crm_ext::mbgnbd::crm_mbgnbd_le
CREATE  FUNCTION "crm_mbgnbd_le"(
	"left" crm_mbgnbd, /* crm_mbgnbd */
	"right" crm_mbgnbd /* crm_mbgnbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_mbgnbd_le_wrapper';

-- src/models/mbgnbd.rs:40
-- crm_ext::mbgnbd::crm_mbgnbd_le
CREATE OPERATOR <= (
	PROCEDURE="crm_mbgnbd_le",
	LEFTARG=crm_mbgnbd, /* crm_mbgnbd */
	RIGHTARG=crm_mbgnbd, /* crm_mbgnbd */
	COMMUTATOR = >=,
	NEGATOR = >,
	RESTRICT = scalarlesel,
	JOIN = scalarlejoinsel
);

-- src/models/mbgnbd.rs:42
-- crm_ext::mbgnbd::crm_customers
CREATE  FUNCTION "crm_customers"(
	"model" crm_mbgnbd /* crm_mbgnbd */
) RETURNS bigint /* i64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_customers_mbgnbd_wrapper';

-- src/models/mbgnbd.rs:40
-- crm_ext::mbgnbd::crm_mbgnbd_ge
CREATE  FUNCTION "crm_mbgnbd_ge"(
	"left" crm_mbgnbd, /* crm_mbgnbd */
	"right" crm_mbgnbd /* crm_mbgnbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_mbgnbd_ge_wrapper';

-- src/models/mbgnbd.rs:40
-- crm_ext::mbgnbd::crm_mbgnbd_ge
CREATE OPERATOR >= (
	PROCEDURE="crm_mbgnbd_ge",
	LEFTARG=crm_mbgnbd, /* crm_mbgnbd */
	RIGHTARG=crm_mbgnbd, /* crm_mbgnbd */
	COMMUTATOR = <=,
	NEGATOR = <,
	RESTRICT = scalargesel,
	JOIN = scalargejoinsel
);

-- src/models/mbgnbd.rs:42
-- crm_ext::mbgnbd::crm_mbgnbd_params
CREATE  FUNCTION "crm_mbgnbd_params"(
	"model" crm_mbgnbd /* crm_mbgnbd */
) RETURNS TABLE (
	"parameter" TEXT,  /* String */
	"estimate" double precision,  /* f64 */
	"std_error" double precision  /* Option < f64 > */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_mbgnbd_params_wrapper';

-- src/models/bgbb.rs:46
-- crm_ext::bgbb::crm_parameter
CREATE  FUNCTION "crm_parameter"(
	"model" crm_bgbb, /* crm_bgbb */
	"parameter" TEXT /* & str */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_parameter_bgbb_wrapper';

-- src/models/bgnbd/mod.rs:277
-- crm_ext::bgnbd::crm_parameter
CREATE  FUNCTION "crm_parameter"(
	"model" crm_bgnbd, /* crm_bgnbd */
	"parameter" TEXT /* & str */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_parameter_bgnbd_wrapper';

-- src/models/gamma_gamma.rs:239
-- crm_ext::gamma_gamma::crm_parameter
CREATE  FUNCTION "crm_parameter"(
	"model" crm_gamma_gamma, /* crm_gamma_gamma */
	"parameter" TEXT /* & str */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_parameter_gamma_gamma_wrapper';

-- src/models/mbgnbd.rs:42
-- crm_ext::mbgnbd::crm_parameter
CREATE  FUNCTION "crm_parameter"(
	"model" crm_mbgnbd, /* crm_mbgnbd */
	"parameter" TEXT /* & str */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_parameter_mbgnbd_wrapper';

-- src/models/pareto_nbd.rs:43
-- crm_pareto_nbd
CREATE TYPE crm_pareto_nbd;

-- src/models/pareto_nbd.rs:43
-- crm_ext::pareto_nbd::crm_pareto_nbd_in
CREATE  FUNCTION "crm_pareto_nbd_in"(
	"input" cstring /* Option < & :: core :: ffi :: CStr > */
) RETURNS crm_pareto_nbd /* Option < crm_pareto_nbd > */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_pareto_nbd_in_wrapper';

-- src/models/pareto_nbd.rs:43
-- crm_ext::pareto_nbd::crm_pareto_nbd_out
CREATE  FUNCTION "crm_pareto_nbd_out"(
	"input" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS cstring /* :: pgrx :: ffi :: CString */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_pareto_nbd_out_wrapper';

-- src/models/pareto_nbd.rs:43
-- crm_pareto_nbd
CREATE TYPE crm_pareto_nbd (
	INTERNALLENGTH = variable,
	INPUT = crm_pareto_nbd_in, /* crm_ext::pareto_nbd::crm_pareto_nbd_in */
	OUTPUT = crm_pareto_nbd_out, /* crm_ext::pareto_nbd::crm_pareto_nbd_out */
	STORAGE = extended
);

-- src/models/pareto_nbd.rs:43
-- crm_ext::pareto_nbd::crm_pareto_nbd_hash
CREATE  FUNCTION "crm_pareto_nbd_hash"(
	"value" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS INT /* i32 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_pareto_nbd_hash_wrapper';

-- src/models/pareto_nbd.rs:43
-- crm_ext::pareto_nbd::crm_pareto_nbd_gt
CREATE  FUNCTION "crm_pareto_nbd_gt"(
	"left" crm_pareto_nbd, /* crm_pareto_nbd */
	"right" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_pareto_nbd_gt_wrapper';

-- src/models/pareto_nbd.rs:43
-- crm_ext::pareto_nbd::crm_pareto_nbd_gt
CREATE OPERATOR > (
	PROCEDURE="crm_pareto_nbd_gt",
	LEFTARG=crm_pareto_nbd, /* crm_pareto_nbd */
	RIGHTARG=crm_pareto_nbd, /* crm_pareto_nbd */
	COMMUTATOR = <,
	NEGATOR = <=,
	RESTRICT = scalargtsel,
	JOIN = scalargtjoinsel
);

-- src/models/pareto_nbd.rs:43
-- crm_ext::pareto_nbd::crm_pareto_nbd_ge
CREATE  FUNCTION "crm_pareto_nbd_ge"(
	"left" crm_pareto_nbd, /* crm_pareto_nbd */
	"right" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_pareto_nbd_ge_wrapper';

-- src/models/pareto_nbd.rs:43
-- crm_ext::pareto_nbd::crm_pareto_nbd_ge
CREATE OPERATOR >= (
	PROCEDURE="crm_pareto_nbd_ge",
	LEFTARG=crm_pareto_nbd, /* crm_pareto_nbd */
	RIGHTARG=crm_pareto_nbd, /* crm_pareto_nbd */
	COMMUTATOR = <=,
	NEGATOR = <,
	RESTRICT = scalargesel,
	JOIN = scalargejoinsel
);

-- src/models/pareto_nbd.rs:43
-- crm_ext::pareto_nbd::crm_pareto_nbd_cmp
CREATE  FUNCTION "crm_pareto_nbd_cmp"(
	"left" crm_pareto_nbd, /* crm_pareto_nbd */
	"right" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS INT /* i32 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_pareto_nbd_cmp_wrapper';

-- src/models/pareto_nbd.rs:45
-- crm_ext::pareto_nbd::crm_converged
CREATE  FUNCTION "crm_converged"(
	"model" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_converged_pareto_nbd_wrapper';

-- src/models/pareto_nbd.rs:45
-- crm_ext::pareto_nbd::crm_log_likelihood
CREATE  FUNCTION "crm_log_likelihood"(
	"model" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS double precision /* Option < f64 > */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_log_likelihood_pareto_nbd_wrapper';

-- src/models/pareto_nbd.rs:43
-- crm_ext::pareto_nbd::crm_pareto_nbd_eq
CREATE  FUNCTION "crm_pareto_nbd_eq"(
	"left" crm_pareto_nbd, /* crm_pareto_nbd */
	"right" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_pareto_nbd_eq_wrapper';

-- src/models/pareto_nbd.rs:43
-- crm_ext::pareto_nbd::crm_pareto_nbd_eq
CREATE OPERATOR = (
	PROCEDURE="crm_pareto_nbd_eq",
	LEFTARG=crm_pareto_nbd, /* crm_pareto_nbd */
	RIGHTARG=crm_pareto_nbd, /* crm_pareto_nbd */
	COMMUTATOR = =,
	NEGATOR = <>,
	RESTRICT = eqsel,
	JOIN = eqjoinsel,
	HASHES,
	MERGES
);

-- src/models/pareto_nbd.rs:44
-- crm_ext::pareto_nbd::crm__pareto_nbd_recv
CREATE  FUNCTION "crm__pareto_nbd_recv"(
	"buffer" internal /* :: pgrx :: datum :: Internal */
) RETURNS crm_pareto_nbd /* crm_pareto_nbd */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_pareto_nbd_recv_wrapper';

-- src/models/pareto_nbd.rs:45
-- crm_ext::pareto_nbd::crm_customers
CREATE  FUNCTION "crm_customers"(
	"model" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS bigint /* i64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_customers_pareto_nbd_wrapper';

-- src/models/pareto_nbd.rs:45
-- crm_ext::pareto_nbd::crm_parameter
CREATE  FUNCTION "crm_parameter"(
	"model" crm_pareto_nbd, /* crm_pareto_nbd */
	"parameter" TEXT /* & str */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_parameter_pareto_nbd_wrapper';

-- src/models/pareto_nbd.rs:87
-- crm_ext::pareto_nbd::crm_pareto_nbd
CREATE  FUNCTION "crm_pareto_nbd"(
	"r" double precision, /* f64 */
	"alpha" double precision, /* f64 */
	"s" double precision, /* f64 */
	"beta" double precision, /* f64 */
	"unit" TEXT DEFAULT 'week' /* & str */
) RETURNS crm_pareto_nbd /* crm_pareto_nbd */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_pareto_nbd_given_wrapper';

-- src/models/pareto_nbd.rs:43
-- crm_ext::pareto_nbd::crm_pareto_nbd_lt
CREATE  FUNCTION "crm_pareto_nbd_lt"(
	"left" crm_pareto_nbd, /* crm_pareto_nbd */
	"right" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_pareto_nbd_lt_wrapper';

-- src/models/pareto_nbd.rs:43
-- crm_ext::pareto_nbd::crm_pareto_nbd_lt
CREATE OPERATOR < (
	PROCEDURE="crm_pareto_nbd_lt",
	LEFTARG=crm_pareto_nbd, /* crm_pareto_nbd */
	RIGHTARG=crm_pareto_nbd, /* crm_pareto_nbd */
	COMMUTATOR = >,
	NEGATOR = >=,
	RESTRICT = scalarltsel,
	JOIN = scalarltjoinsel
);

-- src/models/pareto_nbd.rs:43
-- crm_ext::pareto_nbd::crm_pareto_nbd_le
CREATE  FUNCTION "crm_pareto_nbd_le"(
	"left" crm_pareto_nbd, /* crm_pareto_nbd */
	"right" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_pareto_nbd_le_wrapper';

-- src/models/pareto_nbd.rs:43
-- crm_ext::pareto_nbd::crm_pareto_nbd_le
CREATE OPERATOR <= (
	PROCEDURE="crm_pareto_nbd_le",
	LEFTARG=crm_pareto_nbd, /* crm_pareto_nbd */
	RIGHTARG=crm_pareto_nbd, /* crm_pareto_nbd */
	COMMUTATOR = >=,
	NEGATOR = >,
	RESTRICT = scalarlesel,
	JOIN = scalarlejoinsel
);

-- src/models/pareto_nbd.rs:43
-- crm_ext::pareto_nbd::crm_pareto_nbd_ne
CREATE  FUNCTION "crm_pareto_nbd_ne"(
	"left" crm_pareto_nbd, /* crm_pareto_nbd */
	"right" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_pareto_nbd_ne_wrapper';

-- src/models/pareto_nbd.rs:43
-- crm_ext::pareto_nbd::crm_pareto_nbd_ne
CREATE OPERATOR <> (
	PROCEDURE="crm_pareto_nbd_ne",
	LEFTARG=crm_pareto_nbd, /* crm_pareto_nbd */
	RIGHTARG=crm_pareto_nbd, /* crm_pareto_nbd */
	COMMUTATOR = <>,
	NEGATOR = =,
	RESTRICT = neqsel,
	JOIN = neqjoinsel
);

-- src/models/pareto_nbd.rs:45
-- crm_ext::pareto_nbd::crm_iterations
CREATE  FUNCTION "crm_iterations"(
	"model" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS bigint /* i64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_iterations_pareto_nbd_wrapper';

-- src/models/pareto_nbd.rs:44
-- crm_ext::pareto_nbd::crm__pareto_nbd_send
CREATE  FUNCTION "crm__pareto_nbd_send"(
	"model" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS bytea /* Vec < u8 > */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_pareto_nbd_send_wrapper';

-- src/models/pareto_nbd.rs:45
-- crm_ext::pareto_nbd::crm_pareto_nbd_params
CREATE  FUNCTION "crm_pareto_nbd_params"(
	"model" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS TABLE (
	"parameter" TEXT,  /* String */
	"estimate" double precision,  /* f64 */
	"std_error" double precision  /* Option < f64 > */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_pareto_nbd_params_wrapper';

-- src/models/bgbb.rs:46
-- crm_ext::bgbb::crm_penalizer
CREATE  FUNCTION "crm_penalizer"(
	"model" crm_bgbb /* crm_bgbb */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_penalizer_bgbb_wrapper';

-- src/models/mbgnbd.rs:42
-- crm_ext::mbgnbd::crm_penalizer
CREATE  FUNCTION "crm_penalizer"(
	"model" crm_mbgnbd /* crm_mbgnbd */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_penalizer_mbgnbd_wrapper';

-- src/models/pareto_nbd.rs:45
-- crm_ext::pareto_nbd::crm_penalizer
CREATE  FUNCTION "crm_penalizer"(
	"model" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_penalizer_pareto_nbd_wrapper';

-- src/models/sbg.rs:42
-- crm_sbg
CREATE TYPE crm_sbg;

-- src/models/sbg.rs:42
-- crm_ext::sbg::crm_sbg_in
CREATE  FUNCTION "crm_sbg_in"(
	"input" cstring /* Option < & :: core :: ffi :: CStr > */
) RETURNS crm_sbg /* Option < crm_sbg > */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_sbg_in_wrapper';

-- src/models/sbg.rs:42
-- crm_ext::sbg::crm_sbg_out
CREATE  FUNCTION "crm_sbg_out"(
	"input" crm_sbg /* crm_sbg */
) RETURNS cstring /* :: pgrx :: ffi :: CString */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_sbg_out_wrapper';

-- src/models/sbg.rs:42
-- crm_sbg
CREATE TYPE crm_sbg (
	INTERNALLENGTH = variable,
	INPUT = crm_sbg_in, /* crm_ext::sbg::crm_sbg_in */
	OUTPUT = crm_sbg_out, /* crm_ext::sbg::crm_sbg_out */
	STORAGE = extended
);

-- src/models/sbg.rs:42
-- crm_ext::sbg::crm_sbg_gt
CREATE  FUNCTION "crm_sbg_gt"(
	"left" crm_sbg, /* crm_sbg */
	"right" crm_sbg /* crm_sbg */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_sbg_gt_wrapper';

-- src/models/sbg.rs:42
-- crm_ext::sbg::crm_sbg_gt
CREATE OPERATOR > (
	PROCEDURE="crm_sbg_gt",
	LEFTARG=crm_sbg, /* crm_sbg */
	RIGHTARG=crm_sbg, /* crm_sbg */
	COMMUTATOR = <,
	NEGATOR = <=,
	RESTRICT = scalargtsel,
	JOIN = scalargtjoinsel
);

-- src/models/sbg.rs:44
-- crm_ext::sbg::crm_log_likelihood
CREATE  FUNCTION "crm_log_likelihood"(
	"model" crm_sbg /* crm_sbg */
) RETURNS double precision /* Option < f64 > */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_log_likelihood_sbg_wrapper';

-- src/models/sbg.rs:42
-- crm_ext::sbg::crm_sbg_cmp
CREATE  FUNCTION "crm_sbg_cmp"(
	"left" crm_sbg, /* crm_sbg */
	"right" crm_sbg /* crm_sbg */
) RETURNS INT /* i32 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_sbg_cmp_wrapper';

-- src/models/sbg.rs:42
-- crm_ext::sbg::crm_sbg_le
CREATE  FUNCTION "crm_sbg_le"(
	"left" crm_sbg, /* crm_sbg */
	"right" crm_sbg /* crm_sbg */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_sbg_le_wrapper';

-- src/models/sbg.rs:42
-- crm_ext::sbg::crm_sbg_le
CREATE OPERATOR <= (
	PROCEDURE="crm_sbg_le",
	LEFTARG=crm_sbg, /* crm_sbg */
	RIGHTARG=crm_sbg, /* crm_sbg */
	COMMUTATOR = >=,
	NEGATOR = >,
	RESTRICT = scalarlesel,
	JOIN = scalarlejoinsel
);

-- src/models/sbg.rs:44
-- crm_ext::sbg::crm_iterations
CREATE  FUNCTION "crm_iterations"(
	"model" crm_sbg /* crm_sbg */
) RETURNS bigint /* i64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_iterations_sbg_wrapper';

-- src/models/sbg.rs:288
-- crm_ext::sbg::crm_cohort_value
CREATE  FUNCTION "crm_cohort_value"(
	"model" crm_sbg, /* crm_sbg */
	"margin" double precision, /* f64 */
	"discount" double precision, /* f64 */
	"periods_done" INT DEFAULT 0 /* i32 */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_cohort_value_wrapper';

-- src/models/sbg.rs:44
-- crm_ext::sbg::crm_converged
CREATE  FUNCTION "crm_converged"(
	"model" crm_sbg /* crm_sbg */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_converged_sbg_wrapper';

-- src/models/sbg.rs:42
-- crm_ext::sbg::crm_sbg_lt
CREATE  FUNCTION "crm_sbg_lt"(
	"left" crm_sbg, /* crm_sbg */
	"right" crm_sbg /* crm_sbg */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_sbg_lt_wrapper';

-- src/models/sbg.rs:42
-- crm_ext::sbg::crm_sbg_lt
CREATE OPERATOR < (
	PROCEDURE="crm_sbg_lt",
	LEFTARG=crm_sbg, /* crm_sbg */
	RIGHTARG=crm_sbg, /* crm_sbg */
	COMMUTATOR = >,
	NEGATOR = >=,
	RESTRICT = scalarltsel,
	JOIN = scalarltjoinsel
);

-- src/models/sbg.rs:43
-- crm_ext::sbg::crm__sbg_recv
CREATE  FUNCTION "crm__sbg_recv"(
	"buffer" internal /* :: pgrx :: datum :: Internal */
) RETURNS crm_sbg /* crm_sbg */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_sbg_recv_wrapper';

-- src/models/sbg.rs:262
-- crm_ext::sbg::crm_retention_rate
CREATE  FUNCTION "crm_retention_rate"(
	"model" crm_sbg, /* crm_sbg */
	"period" INT /* i32 */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_retention_rate_wrapper';

-- src/models/sbg.rs:42
-- crm_ext::sbg::crm_sbg_ne
CREATE  FUNCTION "crm_sbg_ne"(
	"left" crm_sbg, /* crm_sbg */
	"right" crm_sbg /* crm_sbg */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_sbg_ne_wrapper';

-- src/models/sbg.rs:42
-- crm_ext::sbg::crm_sbg_ne
CREATE OPERATOR <> (
	PROCEDURE="crm_sbg_ne",
	LEFTARG=crm_sbg, /* crm_sbg */
	RIGHTARG=crm_sbg, /* crm_sbg */
	COMMUTATOR = <>,
	NEGATOR = =,
	RESTRICT = neqsel,
	JOIN = neqjoinsel
);

-- src/models/sbg.rs:274
-- crm_ext::sbg::crm_churn_probability
CREATE  FUNCTION "crm_churn_probability"(
	"model" crm_sbg, /* crm_sbg */
	"period" INT /* i32 */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_churn_probability_wrapper';

-- src/models/sbg.rs:44
-- crm_ext::sbg::crm_customers
CREATE  FUNCTION "crm_customers"(
	"model" crm_sbg /* crm_sbg */
) RETURNS bigint /* i64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_customers_sbg_wrapper';

-- src/models/sbg.rs:44
-- crm_ext::sbg::crm_parameter
CREATE  FUNCTION "crm_parameter"(
	"model" crm_sbg, /* crm_sbg */
	"parameter" TEXT /* & str */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_parameter_sbg_wrapper';

-- src/models/sbg.rs:44
-- crm_ext::sbg::crm_penalizer
CREATE  FUNCTION "crm_penalizer"(
	"model" crm_sbg /* crm_sbg */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_penalizer_sbg_wrapper';

-- src/models/sbg.rs:43
-- crm_ext::sbg::crm__sbg_send
CREATE  FUNCTION "crm__sbg_send"(
	"model" crm_sbg /* crm_sbg */
) RETURNS bytea /* Vec < u8 > */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_sbg_send_wrapper';

-- src/models/sbg.rs:281
-- crm_ext::sbg::crm_derl
CREATE  FUNCTION "crm_derl"(
	"model" crm_sbg, /* crm_sbg */
	"discount" double precision, /* f64 */
	"renewals" INT DEFAULT 0 /* i32 */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_derl_wrapper';

-- src/models/sbg.rs:252
-- crm_ext::sbg::crm_sbg
CREATE  FUNCTION "crm_sbg"(
	"alpha" double precision, /* f64 */
	"beta" double precision /* f64 */
) RETURNS crm_sbg /* crm_sbg */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_sbg_given_wrapper';

-- src/models/sbg.rs:42
-- crm_ext::sbg::crm_sbg_eq
CREATE  FUNCTION "crm_sbg_eq"(
	"left" crm_sbg, /* crm_sbg */
	"right" crm_sbg /* crm_sbg */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_sbg_eq_wrapper';

-- src/models/sbg.rs:42
-- crm_ext::sbg::crm_sbg_eq
CREATE OPERATOR = (
	PROCEDURE="crm_sbg_eq",
	LEFTARG=crm_sbg, /* crm_sbg */
	RIGHTARG=crm_sbg, /* crm_sbg */
	COMMUTATOR = =,
	NEGATOR = <>,
	RESTRICT = eqsel,
	JOIN = eqjoinsel,
	HASHES,
	MERGES
);

-- src/models/sbg.rs:217
-- crm_ext::sbg::crm_sbg_fit
CREATE  FUNCTION "crm_sbg_fit"(
	"active" bigint[], /* Vec < Option < i64 > > */
	"penalizer" double precision DEFAULT 0.0 /* f64 */
) RETURNS crm_sbg /* Option < crm_sbg > */
STRICT STABLE PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_sbg_fit_survivors_wrapper';

-- src/models/sbg.rs:42
-- crm_ext::sbg::crm_sbg_ge
CREATE  FUNCTION "crm_sbg_ge"(
	"left" crm_sbg, /* crm_sbg */
	"right" crm_sbg /* crm_sbg */
) RETURNS bool /* bool */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_sbg_ge_wrapper';

-- src/models/sbg.rs:42
-- crm_ext::sbg::crm_sbg_ge
CREATE OPERATOR >= (
	PROCEDURE="crm_sbg_ge",
	LEFTARG=crm_sbg, /* crm_sbg */
	RIGHTARG=crm_sbg, /* crm_sbg */
	COMMUTATOR = <=,
	NEGATOR = <,
	RESTRICT = scalargesel,
	JOIN = scalargejoinsel
);

-- src/models/sbg.rs:42
-- crm_ext::sbg::crm_sbg_hash
CREATE  FUNCTION "crm_sbg_hash"(
	"value" crm_sbg /* crm_sbg */
) RETURNS INT /* i32 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_sbg_hash_wrapper';

-- src/models/sbg.rs:44
-- crm_ext::sbg::crm_sbg_params
CREATE  FUNCTION "crm_sbg_params"(
	"model" crm_sbg /* crm_sbg */
) RETURNS TABLE (
	"parameter" TEXT,  /* String */
	"estimate" double precision,  /* f64 */
	"std_error" double precision  /* Option < f64 > */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_sbg_params_wrapper';

-- src/models/sbg.rs:296
-- crm_ext::sbg::crm_sbg_projection
CREATE  FUNCTION "crm_sbg_projection"(
	"model" crm_sbg, /* crm_sbg */
	"periods" INT, /* i32 */
	"cohort_size" double precision DEFAULT 1.0 /* f64 */
) RETURNS TABLE (
	"period" INT,  /* i32 */
	"survival" double precision,  /* f64 */
	"retention_rate" double precision,  /* Option < f64 > */
	"churn_probability" double precision,  /* Option < f64 > */
	"expected_active" double precision  /* f64 */
)
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_sbg_projection_wrapper';

-- src/models/bgbb.rs:89
-- crm_ext::bgbb::crm_simulate
CREATE  FUNCTION "crm_simulate"(
	"model" crm_bgbb, /* crm_bgbb */
	"customers" bigint, /* i64 */
	"periods" INT DEFAULT 6, /* i32 */
	"seed" bigint DEFAULT 42 /* i64 */
) RETURNS TABLE (
	"customer_id" bigint,  /* i64 */
	"frequency" bigint,  /* i64 */
	"recency" bigint,  /* i64 */
	"t" bigint  /* i64 */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_simulate_bgbb_wrapper';

-- src/models/mbgnbd.rs:81
-- crm_ext::mbgnbd::crm_simulate
CREATE  FUNCTION "crm_simulate"(
	"model" crm_mbgnbd, /* crm_mbgnbd */
	"customers" bigint, /* i64 */
	"t_max" double precision DEFAULT 52.0, /* f64 */
	"seed" bigint DEFAULT 42 /* i64 */
) RETURNS TABLE (
	"customer_id" bigint,  /* i64 */
	"frequency" bigint,  /* i64 */
	"recency" double precision,  /* f64 */
	"t" double precision  /* f64 */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_simulate_mbgnbd_wrapper';

-- src/models/pareto_nbd.rs:100
-- crm_ext::pareto_nbd::crm_simulate
CREATE  FUNCTION "crm_simulate"(
	"model" crm_pareto_nbd, /* crm_pareto_nbd */
	"customers" bigint, /* i64 */
	"t_max" double precision DEFAULT 52.0, /* f64 */
	"seed" bigint DEFAULT 42 /* i64 */
) RETURNS TABLE (
	"customer_id" bigint,  /* i64 */
	"frequency" bigint,  /* i64 */
	"recency" double precision,  /* f64 */
	"t" double precision  /* f64 */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_simulate_pareto_nbd_wrapper';

-- src/models/sbg.rs:239
-- crm_ext::sbg::crm_simulate
CREATE  FUNCTION "crm_simulate"(
	"model" crm_sbg, /* crm_sbg */
	"customers" bigint, /* i64 */
	"periods" INT, /* i32 */
	"seed" bigint DEFAULT 42 /* i64 */
) RETURNS TABLE (
	"customer_id" bigint,  /* i64 */
	"tenure" INT,  /* i32 */
	"churned" bool  /* bool */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_simulate_sbg_wrapper';

-- src/models/bgbb.rs:46
-- crm_ext::bgbb::crm_skipped
CREATE  FUNCTION "crm_skipped"(
	"model" crm_bgbb /* crm_bgbb */
) RETURNS bigint /* i64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_skipped_bgbb_wrapper';

-- src/models/mbgnbd.rs:42
-- crm_ext::mbgnbd::crm_skipped
CREATE  FUNCTION "crm_skipped"(
	"model" crm_mbgnbd /* crm_mbgnbd */
) RETURNS bigint /* i64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_skipped_mbgnbd_wrapper';

-- src/models/pareto_nbd.rs:45
-- crm_ext::pareto_nbd::crm_skipped
CREATE  FUNCTION "crm_skipped"(
	"model" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS bigint /* i64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_skipped_pareto_nbd_wrapper';

-- src/models/sbg.rs:44
-- crm_ext::sbg::crm_skipped
CREATE  FUNCTION "crm_skipped"(
	"model" crm_sbg /* crm_sbg */
) RETURNS bigint /* i64 */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_skipped_sbg_wrapper';

-- src/models/bgbb.rs:46
-- crm_ext::bgbb::crm_std_error
CREATE  FUNCTION "crm_std_error"(
	"model" crm_bgbb, /* crm_bgbb */
	"parameter" TEXT /* & str */
) RETURNS double precision /* Option < f64 > */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_std_error_bgbb_wrapper';

-- src/models/bgbb.rs:108
-- requires:
--   crm_bgbb
--   crm_rft_summary_type
--   crm_bgbb_send
--   crm_bgbb_recv
--   crm_bgbb_eq
--   crm_bgbb_ne
--   crm_bgbb_lt
--   crm_bgbb_le
--   crm_bgbb_gt
--   crm_bgbb_ge
--   crm_bgbb_cmp
--   crm_bgbb_hash
--   crm_bgbb_given
--   crm_simulate_bgbb
--   crm_bgbb_params
--   crm_parameter_bgbb
--   crm_std_error_bgbb
--   crm_log_likelihood_bgbb
--   crm_converged_bgbb
--   crm_customers_bgbb
--   crm_skipped_bgbb
--   crm_iterations_bgbb
--   crm_penalizer_bgbb


CREATE FUNCTION crm__bgbb_final(state crm_rft_summary)
    RETURNS crm_bgbb IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgbb_final';
CREATE FUNCTION crm_bgbb_fit(summary crm_rft_summary, penalizer float8 DEFAULT NULL)
    RETURNS crm_bgbb STABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgbb_fit_summary';
CREATE AGGREGATE crm_bgbb_fit(frequency float8, recency float8, t float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__bgbb_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_bgbb_fit(frequency float8, recency float8, t float8, penalizer float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__bgbb_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE FUNCTION crm_p_alive(model crm_bgbb, frequency float8, recency float8, t float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgbb_p_alive';
CREATE FUNCTION crm_p_alive(model crm_bgbb, frequency float8, recency float8, t float8, future integer)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgbb_p_alive_at';
CREATE FUNCTION crm_expected_purchases(model crm_bgbb, frequency float8, recency float8, t float8, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgbb_expected';
CREATE FUNCTION crm_expected_purchases_new(model crm_bgbb, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgbb_expected_new';
CREATE FUNCTION crm_prob_purchases(model crm_bgbb, n bigint, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgbb_prob';
CREATE FUNCTION crm_dert(model crm_bgbb, frequency float8, recency float8, t float8, discount float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__bgbb_dert';
CREATE CAST (crm_bgbb AS jsonb) WITH INOUT;
CREATE CAST (jsonb AS crm_bgbb) WITH INOUT;
CREATE CAST (crm_bgbb AS json) WITH INOUT;
ALTER TYPE crm_bgbb SET (SEND = crm__bgbb_send, RECEIVE = crm__bgbb_recv);
COMMENT ON TYPE crm_bgbb IS 'A BG/BB model (Fader, Hardie and Shang 2010) for discrete transaction opportunities: transaction probability p ~ Beta(alpha, beta) per opportunity while alive, dropout probability theta ~ Beta(gamma, delta) per opportunity, with fit diagnostics and warnings. Text form is JSON.';
COMMENT ON FUNCTION crm__bgbb_final(crm_rft_summary) IS 'Internal: final function of the crm_bgbb_fit aggregates.';
COMMENT ON FUNCTION crm_bgbb_fit(crm_rft_summary, float8) IS 'Fits a BG/BB model to a summary of (frequency, recency, opportunities) rows (crm_rft_summary with t = opportunities; weights allowed); penalizer defaults to the summary''s (0).';
COMMENT ON AGGREGATE crm_bgbb_fit(float8, float8, float8) IS 'Fits a BG/BB model by maximum likelihood. frequency = transactions after the first opportunity, recency = the opportunity (1..t) of the last one (0 if none), t = opportunities observed; whole numbers. NULL rows are skipped; empty input gives NULL.';
COMMENT ON AGGREGATE crm_bgbb_fit(float8, float8, float8, float8) IS 'Fits a BG/BB model with an L2 penalizer (the lifetimes library''s semantics; 0 = maximum likelihood).';
COMMENT ON FUNCTION crm_p_alive(crm_bgbb, float8, float8, float8) IS 'BG/BB probability that a customer with frequency, recency and t opportunities is alive at opportunity t.';
COMMENT ON FUNCTION crm_p_alive(crm_bgbb, float8, float8, float8, integer) IS 'BG/BB probability that a customer with frequency, recency and t opportunities is alive at opportunity t + future.';
COMMENT ON FUNCTION crm_expected_purchases(crm_bgbb, float8, float8, float8, float8) IS 'BG/BB expected transactions in the next horizon (whole) opportunities of a customer with frequency, recency and t.';
COMMENT ON FUNCTION crm_expected_purchases_new(crm_bgbb, float8) IS 'BG/BB expected transactions of a new customer in the first horizon (whole) opportunities.';
COMMENT ON FUNCTION crm_prob_purchases(crm_bgbb, bigint, float8) IS 'BG/BB probability that a new customer makes exactly n transactions in the first horizon opportunities.';
COMMENT ON FUNCTION crm_dert(crm_bgbb, float8, float8, float8, float8) IS 'BG/BB discounted expected residual transactions of a customer with frequency, recency and t, at a discount rate per opportunity (Fader, Hardie and Shang 2010).';
COMMENT ON FUNCTION crm_bgbb(float8, float8, float8, float8) IS 'A BG/BB model from known parameters alpha, beta, gamma, delta.';
COMMENT ON FUNCTION crm_simulate(crm_bgbb, bigint, integer, bigint) IS 'Customers simulated from the BG/BB process over periods opportunities (frequency, recency = opportunity of the last transaction, t = periods); deterministic for a seed.';
COMMENT ON FUNCTION crm_bgbb_params(crm_bgbb) IS 'The parameters alpha, beta, gamma, delta of a BG/BB model with standard errors.';
COMMENT ON FUNCTION crm_parameter(crm_bgbb, text) IS 'The estimate of one BG/BB parameter by name (alpha, beta, gamma, delta).';
COMMENT ON FUNCTION crm_std_error(crm_bgbb, text) IS 'Standard error of a BG/BB parameter (alpha, beta, gamma, delta) from the inverse Hessian; NULL when unavailable.';
COMMENT ON FUNCTION crm_log_likelihood(crm_bgbb) IS 'Log-likelihood of the BG/BB fit (unpenalised).';
COMMENT ON FUNCTION crm_converged(crm_bgbb) IS 'Whether the BG/BB fit converged.';
COMMENT ON FUNCTION crm_customers(crm_bgbb) IS 'Customers used by the BG/BB fit.';
COMMENT ON FUNCTION crm_skipped(crm_bgbb) IS 'Rows the BG/BB fit skipped because of NULLs.';
COMMENT ON FUNCTION crm_iterations(crm_bgbb) IS 'Optimiser iterations of the BG/BB fit.';
COMMENT ON FUNCTION crm_penalizer(crm_bgbb) IS 'The L2 penalizer of the BG/BB fit (0 = maximum likelihood).';
COMMENT ON CAST (crm_bgbb AS jsonb) IS 'The BG/BB model''s text form as jsonb (model::jsonb -> ''warnings'').';
COMMENT ON CAST (jsonb AS crm_bgbb) IS 'A BG/BB model from its JSON text form (checked as the type''s input).';
COMMENT ON CAST (crm_bgbb AS json) IS 'The BG/BB model''s text form as json.';
COMMENT ON FUNCTION crm__bgbb_send(crm_bgbb) IS 'Internal: the BG/BB model''s binary form (a version byte and the text form), for COPY BINARY and binary drivers.';
COMMENT ON FUNCTION crm__bgbb_recv(internal) IS 'Internal: reads the BG/BB model''s binary form through the type''s input (which checks it).';
COMMENT ON FUNCTION crm_bgbb_eq(crm_bgbb, crm_bgbb) IS 'Whether two BG/BB models are equal (the same stored value: the same text form); the function of its operator.';
COMMENT ON FUNCTION crm_bgbb_ne(crm_bgbb, crm_bgbb) IS 'Whether two BG/BB models are not equal; the function of its operator.';
COMMENT ON FUNCTION crm_bgbb_lt(crm_bgbb, crm_bgbb) IS 'Whether the first BG/BB model orders before the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_bgbb_le(crm_bgbb, crm_bgbb) IS 'Whether the first BG/BB model orders before the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_bgbb_gt(crm_bgbb, crm_bgbb) IS 'Whether the first BG/BB model orders after the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_bgbb_ge(crm_bgbb, crm_bgbb) IS 'Whether the first BG/BB model orders after the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_bgbb_cmp(crm_bgbb, crm_bgbb) IS 'Order of two BG/BB models by text form (-1, 0, 1), for the btree operator class.';
COMMENT ON FUNCTION crm_bgbb_hash(crm_bgbb) IS 'Hash of a BG/BB model''s text form, for the hash operator class (GROUP BY, DISTINCT, hash joins).';
COMMENT ON OPERATOR = (crm_bgbb, crm_bgbb) IS 'BG/BB models equal (the same text form).';
COMMENT ON OPERATOR <> (crm_bgbb, crm_bgbb) IS 'BG/BB models not equal.';
COMMENT ON OPERATOR < (crm_bgbb, crm_bgbb) IS 'BG/BB models ordered before, by text form.';
COMMENT ON OPERATOR <= (crm_bgbb, crm_bgbb) IS 'BG/BB models ordered before or equal, by text form.';
COMMENT ON OPERATOR > (crm_bgbb, crm_bgbb) IS 'BG/BB models ordered after, by text form.';
COMMENT ON OPERATOR >= (crm_bgbb, crm_bgbb) IS 'BG/BB models ordered after or equal, by text form.';

-- src/models/mbgnbd.rs:42
-- crm_ext::mbgnbd::crm_std_error
CREATE  FUNCTION "crm_std_error"(
	"model" crm_mbgnbd, /* crm_mbgnbd */
	"parameter" TEXT /* & str */
) RETURNS double precision /* Option < f64 > */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_std_error_mbgnbd_wrapper';

-- src/models/pareto_nbd.rs:45
-- crm_ext::pareto_nbd::crm_std_error
CREATE  FUNCTION "crm_std_error"(
	"model" crm_pareto_nbd, /* crm_pareto_nbd */
	"parameter" TEXT /* & str */
) RETURNS double precision /* Option < f64 > */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_std_error_pareto_nbd_wrapper';

-- src/models/sbg.rs:44
-- crm_ext::sbg::crm_std_error
CREATE  FUNCTION "crm_std_error"(
	"model" crm_sbg, /* crm_sbg */
	"parameter" TEXT /* & str */
) RETURNS double precision /* Option < f64 > */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_std_error_sbg_wrapper';

-- src/models/sbg.rs:268
-- crm_ext::sbg::crm_survival
CREATE  FUNCTION "crm_survival"(
	"model" crm_sbg, /* crm_sbg */
	"period" INT /* i32 */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_survival_wrapper';

-- src/models/sbg.rs:335
-- requires:
--   crm_sbg
--   crm_sbg_send
--   crm_sbg_recv
--   crm_sbg_eq
--   crm_sbg_ne
--   crm_sbg_lt
--   crm_sbg_le
--   crm_sbg_gt
--   crm_sbg_ge
--   crm_sbg_cmp
--   crm_sbg_hash
--   crm_sbg_given
--   crm_simulate_sbg
--   crm_sbg_fit_survivors
--   crm_retention_rate
--   crm_survival
--   crm_churn_probability
--   crm_derl
--   crm_cohort_value
--   crm_sbg_projection
--   crm_sbg_params
--   crm_parameter_sbg
--   crm_std_error_sbg
--   crm_log_likelihood_sbg
--   crm_converged_sbg
--   crm_customers_sbg
--   crm_skipped_sbg
--   crm_iterations_sbg
--   crm_penalizer_sbg


CREATE TYPE crm__sbg_state;
CREATE FUNCTION crm__sbg_state_in(cstring) RETURNS crm__sbg_state
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__sbg_state_in';
CREATE FUNCTION crm__sbg_state_out(crm__sbg_state) RETURNS cstring
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__sbg_state_out';
CREATE FUNCTION crm__sbg_state_send(crm__sbg_state) RETURNS bytea
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__sbg_state_send';
CREATE FUNCTION crm__sbg_state_recv(internal) RETURNS crm__sbg_state
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__sbg_state_recv';
CREATE TYPE crm__sbg_state (
    INPUT = crm__sbg_state_in, OUTPUT = crm__sbg_state_out,
    SEND = crm__sbg_state_send, RECEIVE = crm__sbg_state_recv,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION crm__sbg_table_trans(state crm__sbg_state, period integer, active bigint)
    RETURNS crm__sbg_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__sbg_table_trans';
CREATE FUNCTION crm__sbg_customer_trans(state crm__sbg_state, tenure integer, churned boolean)
    RETURNS crm__sbg_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__sbg_customer_trans';
CREATE FUNCTION crm__sbg_combine(state crm__sbg_state, other crm__sbg_state)
    RETURNS crm__sbg_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__sbg_combine';
CREATE FUNCTION crm__sbg_final(state crm__sbg_state)
    RETURNS crm_sbg IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__sbg_final';
CREATE AGGREGATE crm_sbg_fit(period integer, active bigint) (
    sfunc = crm__sbg_table_trans, stype = crm__sbg_state, finalfunc = crm__sbg_final,
    combinefunc = crm__sbg_combine, sspace = 1024, parallel = safe);
CREATE AGGREGATE crm_sbg_fit(tenure integer, churned boolean) (
    sfunc = crm__sbg_customer_trans, stype = crm__sbg_state, finalfunc = crm__sbg_final,
    combinefunc = crm__sbg_combine, sspace = 1024, parallel = safe);
CREATE CAST (crm_sbg AS jsonb) WITH INOUT;
CREATE CAST (jsonb AS crm_sbg) WITH INOUT;
CREATE CAST (crm_sbg AS json) WITH INOUT;
ALTER TYPE crm_sbg SET (SEND = crm__sbg_send, RECEIVE = crm__sbg_recv);
COMMENT ON TYPE crm__sbg_state IS 'Internal: the state of the crm_sbg_fit aggregates (survival-table rows or a survival summary of customers); text form hexadecimal, for Citus''s partial aggregates.';
COMMENT ON FUNCTION crm__sbg_final(crm__sbg_state) IS 'Internal: final function of the crm_sbg_fit aggregates.';
COMMENT ON TYPE crm_sbg IS 'A shifted-beta-geometric model of contractual retention (Fader and Hardie 2007): each customer churns at the end of a period with probability theta ~ Beta(alpha, beta). Text form is JSON.';
COMMENT ON AGGREGATE crm_sbg_fit(integer, bigint) IS 'Fits an sBG model to one cohort''s survival table: one row per period 0, 1, ..., k (no gaps) with the customers still active after it (period 0: the cohort''s size; counts must not increase). NULL rows are skipped.';
COMMENT ON AGGREGATE crm_sbg_fit(integer, boolean) IS 'Fits an sBG model to customers: tenure = periods completed, churned = whether the customer has left (then tenure >= 1 is the period in which they left); several cohorts with different observation lengths mix freely. NULL rows are skipped.';
COMMENT ON FUNCTION crm_sbg_fit(bigint[], float8) IS 'Fits an sBG model to one cohort''s survivors: active[1] = the cohort''s size, active[t + 1] = customers still active after t periods; penalizer as lifetimes'' (0 = maximum likelihood).';
COMMENT ON FUNCTION crm_sbg(float8, float8) IS 'An sBG model from known parameters alpha, beta.';
COMMENT ON FUNCTION crm_retention_rate(crm_sbg, integer) IS 'sBG retention rate of period t >= 1: the share of the customers active after t - 1 periods that renew at the end of period t, (beta + t - 1) / (alpha + beta + t - 1).';
COMMENT ON FUNCTION crm_survival(crm_sbg, integer) IS 'sBG survival S(t): the share of a cohort still active after t periods.';
COMMENT ON FUNCTION crm_churn_probability(crm_sbg, integer) IS 'sBG probability P(T = t) that a customer churns in period t >= 1.';
COMMENT ON FUNCTION crm_derl(crm_sbg, float8, integer) IS 'sBG discounted expected residual lifetime, in periods, of a customer who has renewed renewals times, just before the next renewal decision, at a discount rate per period (Fader and Hardie 2010); times the margin per period it is the customer''s residual value.';
COMMENT ON FUNCTION crm_cohort_value(crm_sbg, float8, float8, integer) IS 'sBG expected discounted value of a cohort''s remaining payments per customer originally acquired, after periods_done periods, each active customer paying margin per period (the payment now undiscounted); at 0 the expected lifetime value of a new customer.';
COMMENT ON FUNCTION crm_sbg_projection(crm_sbg, integer, float8) IS 'sBG projection per period 0 .. periods: survival, retention rate and churn probability of the period (NULL at 0), and the customers expected active in a cohort of cohort_size.';
COMMENT ON FUNCTION crm_simulate(crm_sbg, bigint, integer, bigint) IS 'Customers simulated from the sBG process observed for periods periods: tenure = periods completed or the period of the churn, churned; deterministic for a seed.';
COMMENT ON FUNCTION crm_sbg_params(crm_sbg) IS 'The parameters alpha, beta of an sBG model with standard errors.';
COMMENT ON FUNCTION crm_parameter(crm_sbg, text) IS 'The estimate of one sBG parameter by name (alpha, beta).';
COMMENT ON FUNCTION crm_std_error(crm_sbg, text) IS 'Standard error of an sBG parameter (alpha, beta) from the inverse Hessian; NULL when unavailable.';
COMMENT ON FUNCTION crm_log_likelihood(crm_sbg) IS 'Log-likelihood of the sBG fit (unpenalised).';
COMMENT ON FUNCTION crm_converged(crm_sbg) IS 'Whether the sBG fit converged.';
COMMENT ON FUNCTION crm_customers(crm_sbg) IS 'Customers used by the sBG fit.';
COMMENT ON FUNCTION crm_skipped(crm_sbg) IS 'Rows the sBG fit skipped because of NULLs.';
COMMENT ON FUNCTION crm_iterations(crm_sbg) IS 'Optimiser iterations of the sBG fit.';
COMMENT ON FUNCTION crm_penalizer(crm_sbg) IS 'The L2 penalizer of the sBG fit (0 = maximum likelihood).';
COMMENT ON CAST (crm_sbg AS jsonb) IS 'The sBG model''s text form as jsonb (model::jsonb -> ''warnings'').';
COMMENT ON CAST (jsonb AS crm_sbg) IS 'An sBG model from its JSON text form (checked as the type''s input).';
COMMENT ON CAST (crm_sbg AS json) IS 'The sBG model''s text form as json.';
COMMENT ON FUNCTION crm__sbg_send(crm_sbg) IS 'Internal: the sBG model''s binary form (a version byte and the text form), for COPY BINARY and binary drivers.';
COMMENT ON FUNCTION crm__sbg_recv(internal) IS 'Internal: reads the sBG model''s binary form through the type''s input (which checks it).';
COMMENT ON FUNCTION crm_sbg_eq(crm_sbg, crm_sbg) IS 'Whether two sBG models are equal (the same stored value: the same text form); the function of its operator.';
COMMENT ON FUNCTION crm_sbg_ne(crm_sbg, crm_sbg) IS 'Whether two sBG models are not equal; the function of its operator.';
COMMENT ON FUNCTION crm_sbg_lt(crm_sbg, crm_sbg) IS 'Whether the first sBG model orders before the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_sbg_le(crm_sbg, crm_sbg) IS 'Whether the first sBG model orders before the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_sbg_gt(crm_sbg, crm_sbg) IS 'Whether the first sBG model orders after the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_sbg_ge(crm_sbg, crm_sbg) IS 'Whether the first sBG model orders after the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_sbg_cmp(crm_sbg, crm_sbg) IS 'Order of two sBG models by text form (-1, 0, 1), for the btree operator class.';
COMMENT ON FUNCTION crm_sbg_hash(crm_sbg) IS 'Hash of an sBG model''s text form, for the hash operator class (GROUP BY, DISTINCT, hash joins).';
COMMENT ON OPERATOR = (crm_sbg, crm_sbg) IS 'sBG models equal (the same text form).';
COMMENT ON OPERATOR <> (crm_sbg, crm_sbg) IS 'sBG models not equal.';
COMMENT ON OPERATOR < (crm_sbg, crm_sbg) IS 'sBG models ordered before, by text form.';
COMMENT ON OPERATOR <= (crm_sbg, crm_sbg) IS 'sBG models ordered before or equal, by text form.';
COMMENT ON OPERATOR > (crm_sbg, crm_sbg) IS 'sBG models ordered after, by text form.';
COMMENT ON OPERATOR >= (crm_sbg, crm_sbg) IS 'sBG models ordered after or equal, by text form.';

-- src/models/mbgnbd.rs:75
-- crm_ext::mbgnbd::crm_unit
CREATE  FUNCTION "crm_unit"(
	"model" crm_mbgnbd /* crm_mbgnbd */
) RETURNS TEXT /* & '_ str */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_unit_mbgnbd_wrapper';

-- src/models/mbgnbd.rs:93
-- requires:
--   crm_mbgnbd
--   crm_rft_summary_type
--   crm_gamma_gamma_comments
--   crm_mbgnbd_send
--   crm_mbgnbd_recv
--   crm_mbgnbd_eq
--   crm_mbgnbd_ne
--   crm_mbgnbd_lt
--   crm_mbgnbd_le
--   crm_mbgnbd_gt
--   crm_mbgnbd_ge
--   crm_mbgnbd_cmp
--   crm_mbgnbd_hash
--   crm_mbgnbd_given
--   crm_unit_mbgnbd
--   crm_simulate_mbgnbd
--   crm_mbgnbd_params
--   crm_parameter_mbgnbd
--   crm_std_error_mbgnbd
--   crm_log_likelihood_mbgnbd
--   crm_converged_mbgnbd
--   crm_customers_mbgnbd
--   crm_skipped_mbgnbd
--   crm_iterations_mbgnbd
--   crm_penalizer_mbgnbd
--   crm_bgnbd_comments


CREATE FUNCTION crm__mbgnbd_final(state crm_rft_summary)
    RETURNS crm_mbgnbd IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__mbgnbd_final';
CREATE FUNCTION crm_mbgnbd_fit(summary crm_rft_summary, penalizer float8 DEFAULT NULL, unit text DEFAULT NULL)
    RETURNS crm_mbgnbd STABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__mbgnbd_fit_summary';
CREATE AGGREGATE crm_mbgnbd_fit(frequency float8, recency float8, t float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__mbgnbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_mbgnbd_fit(frequency float8, recency float8, t float8, penalizer float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__mbgnbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_mbgnbd_fit(frequency float8, recency float8, t float8, penalizer float8, unit text) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__mbgnbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE FUNCTION crm_p_alive(model crm_mbgnbd, frequency float8, recency float8, t float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__mbgnbd_p_alive';
CREATE FUNCTION crm_expected_purchases(model crm_mbgnbd, frequency float8, recency float8, t float8, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__mbgnbd_expected';
CREATE FUNCTION crm_expected_purchases_new(model crm_mbgnbd, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__mbgnbd_expected_new';
CREATE FUNCTION crm_prob_purchases(model crm_mbgnbd, n bigint, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__mbgnbd_prob';
CREATE FUNCTION crm_clv(model crm_mbgnbd, gg crm_gamma_gamma, frequency float8, recency float8, t float8, monetary float8,
                        months integer DEFAULT 12, discount float8 DEFAULT 0.01)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__mbgnbd_clv';
CREATE FUNCTION crm_time_units_per_month(model crm_mbgnbd) RETURNS float8
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$ SELECT @extschema@.crm_time_units_per_month(@extschema@.crm_unit(model)) $$;
CREATE CAST (crm_mbgnbd AS jsonb) WITH INOUT;
CREATE CAST (jsonb AS crm_mbgnbd) WITH INOUT;
CREATE CAST (crm_mbgnbd AS json) WITH INOUT;
ALTER TYPE crm_mbgnbd SET (SEND = crm__mbgnbd_send, RECEIVE = crm__mbgnbd_recv);
COMMENT ON TYPE crm_mbgnbd IS 'An MBG/NBD model (Batislam, Denizel and Filiztekin 2007): BG/NBD in which a customer may also drop out right after the first purchase, so one-time buyers have P(alive) < 1. Parameters r, alpha (purchase rate Gamma), a, b (dropout Beta) in a time unit, with fit diagnostics and warnings. Text form is JSON.';
COMMENT ON FUNCTION crm__mbgnbd_final(crm_rft_summary) IS 'Internal: final function of the crm_mbgnbd_fit aggregates.';
COMMENT ON FUNCTION crm_mbgnbd_fit(crm_rft_summary, float8, text) IS 'Fits an MBG/NBD model to a purchase summary (crm_rft_summary, crm_rollup); penalizer and unit default to the summary''s (0, and week when it records none).';
COMMENT ON AGGREGATE crm_mbgnbd_fit(float8, float8, float8) IS 'Fits an MBG/NBD model by maximum likelihood. frequency = repeat purchases, recency = age at the last repeat purchase, t = age now, in weeks. NULL rows are skipped; empty input gives NULL.';
COMMENT ON AGGREGATE crm_mbgnbd_fit(float8, float8, float8, float8) IS 'Fits an MBG/NBD model with an L2 penalizer (the lifetimes library''s semantics; 0 = maximum likelihood). Times in weeks.';
COMMENT ON AGGREGATE crm_mbgnbd_fit(float8, float8, float8, float8, text) IS 'Fits an MBG/NBD model with a penalizer; unit = hour, day, week or month names the unit of recency and t.';
COMMENT ON FUNCTION crm_p_alive(crm_mbgnbd, float8, float8, float8) IS 'MBG/NBD probability that a customer with frequency (repeat purchases), recency and t (in the model''s unit) is alive; below 1 also for one-time buyers.';
COMMENT ON FUNCTION crm_expected_purchases(crm_mbgnbd, float8, float8, float8, float8) IS 'MBG/NBD expected purchases in the next horizon time units of a customer with frequency, recency and t.';
COMMENT ON FUNCTION crm_expected_purchases_new(crm_mbgnbd, float8) IS 'MBG/NBD expected purchases of a new customer in the first horizon time units.';
COMMENT ON FUNCTION crm_prob_purchases(crm_mbgnbd, bigint, float8) IS 'MBG/NBD probability that a new customer makes exactly n purchases in horizon time units.';
COMMENT ON FUNCTION crm_clv(crm_mbgnbd, crm_gamma_gamma, float8, float8, float8, float8, integer, float8) IS 'Customer lifetime value over months (default 12) with a monthly discount rate (default 0.01) from an MBG/NBD and a Gamma-Gamma model; frequency, recency, t in the MBG/NBD model''s unit, monetary = mean spend per repeat purchase.';
COMMENT ON FUNCTION crm_time_units_per_month(crm_mbgnbd) IS 'Time units per month of the MBG/NBD model''s unit.';
COMMENT ON FUNCTION crm_mbgnbd(float8, float8, float8, float8, text) IS 'An MBG/NBD model from known parameters r, alpha, a, b in the given time unit.';
COMMENT ON FUNCTION crm_unit(crm_mbgnbd) IS 'The time unit of an MBG/NBD model: hour, day, week or month.';
COMMENT ON FUNCTION crm_simulate(crm_mbgnbd, bigint, float8, bigint) IS 'Customers simulated from the MBG/NBD process (frequency = repeat purchases, recency and t in the model''s unit, t uniform on (0, t_max]); deterministic for a seed, for recovery tests and what-if data.';
COMMENT ON FUNCTION crm_mbgnbd_params(crm_mbgnbd) IS 'The parameters r, alpha, a, b of an MBG/NBD model with standard errors.';
COMMENT ON FUNCTION crm_parameter(crm_mbgnbd, text) IS 'The estimate of one MBG/NBD parameter by name (r, alpha, a, b).';
COMMENT ON FUNCTION crm_std_error(crm_mbgnbd, text) IS 'Standard error of an MBG/NBD parameter (r, alpha, a, b) from the inverse Hessian; NULL when unavailable.';
COMMENT ON FUNCTION crm_log_likelihood(crm_mbgnbd) IS 'Log-likelihood of the MBG/NBD fit (unpenalised, in the model''s time unit).';
COMMENT ON FUNCTION crm_converged(crm_mbgnbd) IS 'Whether the MBG/NBD fit converged.';
COMMENT ON FUNCTION crm_customers(crm_mbgnbd) IS 'Customers used by the MBG/NBD fit.';
COMMENT ON FUNCTION crm_skipped(crm_mbgnbd) IS 'Rows the MBG/NBD fit skipped because of NULLs.';
COMMENT ON FUNCTION crm_iterations(crm_mbgnbd) IS 'Optimiser iterations of the MBG/NBD fit.';
COMMENT ON FUNCTION crm_penalizer(crm_mbgnbd) IS 'The L2 penalizer of the MBG/NBD fit (0 = maximum likelihood).';
COMMENT ON CAST (crm_mbgnbd AS jsonb) IS 'The MBG/NBD model''s text form as jsonb (model::jsonb -> ''warnings'').';
COMMENT ON CAST (jsonb AS crm_mbgnbd) IS 'An MBG/NBD model from its JSON text form (checked as the type''s input).';
COMMENT ON CAST (crm_mbgnbd AS json) IS 'The MBG/NBD model''s text form as json.';
COMMENT ON FUNCTION crm__mbgnbd_send(crm_mbgnbd) IS 'Internal: the MBG/NBD model''s binary form (a version byte and the text form), for COPY BINARY and binary drivers.';
COMMENT ON FUNCTION crm__mbgnbd_recv(internal) IS 'Internal: reads the MBG/NBD model''s binary form through the type''s input (which checks it).';
COMMENT ON FUNCTION crm_mbgnbd_eq(crm_mbgnbd, crm_mbgnbd) IS 'Whether two MBG/NBD models are equal (the same stored value: the same text form); the function of its operator.';
COMMENT ON FUNCTION crm_mbgnbd_ne(crm_mbgnbd, crm_mbgnbd) IS 'Whether two MBG/NBD models are not equal; the function of its operator.';
COMMENT ON FUNCTION crm_mbgnbd_lt(crm_mbgnbd, crm_mbgnbd) IS 'Whether the first MBG/NBD model orders before the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_mbgnbd_le(crm_mbgnbd, crm_mbgnbd) IS 'Whether the first MBG/NBD model orders before the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_mbgnbd_gt(crm_mbgnbd, crm_mbgnbd) IS 'Whether the first MBG/NBD model orders after the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_mbgnbd_ge(crm_mbgnbd, crm_mbgnbd) IS 'Whether the first MBG/NBD model orders after the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_mbgnbd_cmp(crm_mbgnbd, crm_mbgnbd) IS 'Order of two MBG/NBD models by text form (-1, 0, 1), for the btree operator class.';
COMMENT ON FUNCTION crm_mbgnbd_hash(crm_mbgnbd) IS 'Hash of an MBG/NBD model''s text form, for the hash operator class (GROUP BY, DISTINCT, hash joins).';
COMMENT ON OPERATOR = (crm_mbgnbd, crm_mbgnbd) IS 'MBG/NBD models equal (the same text form).';
COMMENT ON OPERATOR <> (crm_mbgnbd, crm_mbgnbd) IS 'MBG/NBD models not equal.';
COMMENT ON OPERATOR < (crm_mbgnbd, crm_mbgnbd) IS 'MBG/NBD models ordered before, by text form.';
COMMENT ON OPERATOR <= (crm_mbgnbd, crm_mbgnbd) IS 'MBG/NBD models ordered before or equal, by text form.';
COMMENT ON OPERATOR > (crm_mbgnbd, crm_mbgnbd) IS 'MBG/NBD models ordered after, by text form.';
COMMENT ON OPERATOR >= (crm_mbgnbd, crm_mbgnbd) IS 'MBG/NBD models ordered after or equal, by text form.';

-- src/models/pareto_nbd.rs:94
-- crm_ext::pareto_nbd::crm_unit
CREATE  FUNCTION "crm_unit"(
	"model" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS TEXT /* & '_ str */
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_unit_pareto_nbd_wrapper';

-- src/models/pareto_nbd.rs:112
-- requires:
--   crm_pareto_nbd
--   crm_rft_summary_type
--   crm_gamma_gamma_comments
--   crm_pareto_nbd_send
--   crm_pareto_nbd_recv
--   crm_pareto_nbd_eq
--   crm_pareto_nbd_ne
--   crm_pareto_nbd_lt
--   crm_pareto_nbd_le
--   crm_pareto_nbd_gt
--   crm_pareto_nbd_ge
--   crm_pareto_nbd_cmp
--   crm_pareto_nbd_hash
--   crm_pareto_nbd_given
--   crm_unit_pareto_nbd
--   crm_simulate_pareto_nbd
--   crm_pareto_nbd_params
--   crm_parameter_pareto_nbd
--   crm_std_error_pareto_nbd
--   crm_log_likelihood_pareto_nbd
--   crm_converged_pareto_nbd
--   crm_customers_pareto_nbd
--   crm_skipped_pareto_nbd
--   crm_iterations_pareto_nbd
--   crm_penalizer_pareto_nbd
--   crm_bgnbd_comments


CREATE FUNCTION crm__pareto_nbd_final(state crm_rft_summary)
    RETURNS crm_pareto_nbd IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_final';
CREATE FUNCTION crm_pareto_nbd_fit(summary crm_rft_summary, penalizer float8 DEFAULT NULL, unit text DEFAULT NULL)
    RETURNS crm_pareto_nbd STABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_fit_summary';
CREATE AGGREGATE crm_pareto_nbd_fit(frequency float8, recency float8, t float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__pareto_nbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_pareto_nbd_fit(frequency float8, recency float8, t float8, penalizer float8) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__pareto_nbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_pareto_nbd_fit(frequency float8, recency float8, t float8, penalizer float8, unit text) (
    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = crm__pareto_nbd_final,
    combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);
CREATE FUNCTION crm_p_alive(model crm_pareto_nbd, frequency float8, recency float8, t float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_p_alive';
CREATE FUNCTION crm_expected_purchases(model crm_pareto_nbd, frequency float8, recency float8, t float8, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_expected';
CREATE FUNCTION crm_expected_purchases_new(model crm_pareto_nbd, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_expected_new';
CREATE FUNCTION crm_prob_purchases(model crm_pareto_nbd, n bigint, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_prob';
CREATE FUNCTION crm_clv(model crm_pareto_nbd, gg crm_gamma_gamma, frequency float8, recency float8, t float8, monetary float8,
                        months integer DEFAULT 12, discount float8 DEFAULT 0.01)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_clv';
CREATE FUNCTION crm_conditional_prob_purchases(model crm_pareto_nbd, n bigint, frequency float8, recency float8, t float8, horizon float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_conditional_prob';
CREATE FUNCTION crm_dert(model crm_pareto_nbd, frequency float8, recency float8, t float8, discount float8)
    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__pareto_nbd_dert';
COMMENT ON FUNCTION crm_conditional_prob_purchases(crm_pareto_nbd, bigint, float8, float8, float8, float8) IS 'Pareto/NBD probability that a customer with frequency, recency and t makes exactly n purchases in the next horizon time units.';
COMMENT ON FUNCTION crm_dert(crm_pareto_nbd, float8, float8, float8, float8) IS 'Pareto/NBD discounted expected residual transactions of a customer with frequency, recency and t, at a continuous discount rate per time unit (Fader, Hardie and Lee 2005).';
CREATE FUNCTION crm_time_units_per_month(model crm_pareto_nbd) RETURNS float8
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$ SELECT @extschema@.crm_time_units_per_month(@extschema@.crm_unit(model)) $$;
CREATE CAST (crm_pareto_nbd AS jsonb) WITH INOUT;
CREATE CAST (jsonb AS crm_pareto_nbd) WITH INOUT;
CREATE CAST (crm_pareto_nbd AS json) WITH INOUT;
ALTER TYPE crm_pareto_nbd SET (SEND = crm__pareto_nbd_send, RECEIVE = crm__pareto_nbd_recv);
COMMENT ON TYPE crm_pareto_nbd IS 'A Pareto/NBD model (Schmittlein, Morrison and Colombo 1987): purchases at a Gamma(r, alpha) distributed Poisson rate while alive, lifetimes exponential with a Gamma(s, beta) distributed dropout rate. Parameters in a time unit, with fit diagnostics and warnings. Text form is JSON.';
COMMENT ON FUNCTION crm__pareto_nbd_final(crm_rft_summary) IS 'Internal: final function of the crm_pareto_nbd_fit aggregates.';
COMMENT ON FUNCTION crm_pareto_nbd_fit(crm_rft_summary, float8, text) IS 'Fits a Pareto/NBD model to a purchase summary (crm_rft_summary, crm_rollup); penalizer and unit default to the summary''s (0, and week when it records none).';
COMMENT ON AGGREGATE crm_pareto_nbd_fit(float8, float8, float8) IS 'Fits a Pareto/NBD model by maximum likelihood. frequency = repeat purchases, recency = age at the last repeat purchase, t = age now, in weeks. NULL rows are skipped; empty input gives NULL.';
COMMENT ON AGGREGATE crm_pareto_nbd_fit(float8, float8, float8, float8) IS 'Fits a Pareto/NBD model with an L2 penalizer (the lifetimes library''s semantics; 0 = maximum likelihood). Times in weeks.';
COMMENT ON AGGREGATE crm_pareto_nbd_fit(float8, float8, float8, float8, text) IS 'Fits a Pareto/NBD model with a penalizer; unit = hour, day, week or month names the unit of recency and t.';
COMMENT ON FUNCTION crm_p_alive(crm_pareto_nbd, float8, float8, float8) IS 'Pareto/NBD probability that a customer with frequency (repeat purchases), recency and t (in the model''s unit) is alive.';
COMMENT ON FUNCTION crm_expected_purchases(crm_pareto_nbd, float8, float8, float8, float8) IS 'Pareto/NBD expected purchases in the next horizon time units of a customer with frequency, recency and t.';
COMMENT ON FUNCTION crm_expected_purchases_new(crm_pareto_nbd, float8) IS 'Pareto/NBD expected purchases of a new customer in the first horizon time units.';
COMMENT ON FUNCTION crm_prob_purchases(crm_pareto_nbd, bigint, float8) IS 'Pareto/NBD probability that a new customer makes exactly n purchases in horizon time units.';
COMMENT ON FUNCTION crm_clv(crm_pareto_nbd, crm_gamma_gamma, float8, float8, float8, float8, integer, float8) IS 'Customer lifetime value over months (default 12) with a monthly discount rate (default 0.01) from a Pareto/NBD and a Gamma-Gamma model; frequency, recency, t in the Pareto/NBD model''s unit, monetary = mean spend per repeat purchase.';
COMMENT ON FUNCTION crm_time_units_per_month(crm_pareto_nbd) IS 'Time units per month of the Pareto/NBD model''s unit.';
COMMENT ON FUNCTION crm_pareto_nbd(float8, float8, float8, float8, text) IS 'A Pareto/NBD model from known parameters r, alpha, s, beta in the given time unit.';
COMMENT ON FUNCTION crm_unit(crm_pareto_nbd) IS 'The time unit of a Pareto/NBD model: hour, day, week or month.';
COMMENT ON FUNCTION crm_simulate(crm_pareto_nbd, bigint, float8, bigint) IS 'Customers simulated from the Pareto/NBD process (frequency = repeat purchases, recency and t in the model''s unit, t uniform on (0, t_max]); deterministic for a seed, for recovery tests and what-if data.';
COMMENT ON FUNCTION crm_pareto_nbd_params(crm_pareto_nbd) IS 'The parameters r, alpha, s, beta of a Pareto/NBD model with standard errors.';
COMMENT ON FUNCTION crm_parameter(crm_pareto_nbd, text) IS 'The estimate of one Pareto/NBD parameter by name (r, alpha, s, beta).';
COMMENT ON FUNCTION crm_std_error(crm_pareto_nbd, text) IS 'Standard error of a Pareto/NBD parameter (r, alpha, s, beta) from the inverse Hessian; NULL when unavailable.';
COMMENT ON FUNCTION crm_log_likelihood(crm_pareto_nbd) IS 'Log-likelihood of the Pareto/NBD fit (unpenalised, in the model''s time unit).';
COMMENT ON FUNCTION crm_converged(crm_pareto_nbd) IS 'Whether the Pareto/NBD fit converged.';
COMMENT ON FUNCTION crm_customers(crm_pareto_nbd) IS 'Customers used by the Pareto/NBD fit.';
COMMENT ON FUNCTION crm_skipped(crm_pareto_nbd) IS 'Rows the Pareto/NBD fit skipped because of NULLs.';
COMMENT ON FUNCTION crm_iterations(crm_pareto_nbd) IS 'Optimiser iterations of the Pareto/NBD fit.';
COMMENT ON FUNCTION crm_penalizer(crm_pareto_nbd) IS 'The L2 penalizer of the Pareto/NBD fit (0 = maximum likelihood).';
COMMENT ON CAST (crm_pareto_nbd AS jsonb) IS 'The Pareto/NBD model''s text form as jsonb (model::jsonb -> ''warnings'').';
COMMENT ON CAST (jsonb AS crm_pareto_nbd) IS 'A Pareto/NBD model from its JSON text form (checked as the type''s input).';
COMMENT ON CAST (crm_pareto_nbd AS json) IS 'The Pareto/NBD model''s text form as json.';
COMMENT ON FUNCTION crm__pareto_nbd_send(crm_pareto_nbd) IS 'Internal: the Pareto/NBD model''s binary form (a version byte and the text form), for COPY BINARY and binary drivers.';
COMMENT ON FUNCTION crm__pareto_nbd_recv(internal) IS 'Internal: reads the Pareto/NBD model''s binary form through the type''s input (which checks it).';
COMMENT ON FUNCTION crm_pareto_nbd_eq(crm_pareto_nbd, crm_pareto_nbd) IS 'Whether two Pareto/NBD models are equal (the same stored value: the same text form); the function of its operator.';
COMMENT ON FUNCTION crm_pareto_nbd_ne(crm_pareto_nbd, crm_pareto_nbd) IS 'Whether two Pareto/NBD models are not equal; the function of its operator.';
COMMENT ON FUNCTION crm_pareto_nbd_lt(crm_pareto_nbd, crm_pareto_nbd) IS 'Whether the first Pareto/NBD model orders before the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_pareto_nbd_le(crm_pareto_nbd, crm_pareto_nbd) IS 'Whether the first Pareto/NBD model orders before the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_pareto_nbd_gt(crm_pareto_nbd, crm_pareto_nbd) IS 'Whether the first Pareto/NBD model orders after the second, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_pareto_nbd_ge(crm_pareto_nbd, crm_pareto_nbd) IS 'Whether the first Pareto/NBD model orders after the second or equal, by text form; the function of its operator.';
COMMENT ON FUNCTION crm_pareto_nbd_cmp(crm_pareto_nbd, crm_pareto_nbd) IS 'Order of two Pareto/NBD models by text form (-1, 0, 1), for the btree operator class.';
COMMENT ON FUNCTION crm_pareto_nbd_hash(crm_pareto_nbd) IS 'Hash of a Pareto/NBD model''s text form, for the hash operator class (GROUP BY, DISTINCT, hash joins).';
COMMENT ON OPERATOR = (crm_pareto_nbd, crm_pareto_nbd) IS 'Pareto/NBD models equal (the same text form).';
COMMENT ON OPERATOR <> (crm_pareto_nbd, crm_pareto_nbd) IS 'Pareto/NBD models not equal.';
COMMENT ON OPERATOR < (crm_pareto_nbd, crm_pareto_nbd) IS 'Pareto/NBD models ordered before, by text form.';
COMMENT ON OPERATOR <= (crm_pareto_nbd, crm_pareto_nbd) IS 'Pareto/NBD models ordered before or equal, by text form.';
COMMENT ON OPERATOR > (crm_pareto_nbd, crm_pareto_nbd) IS 'Pareto/NBD models ordered after, by text form.';
COMMENT ON OPERATOR >= (crm_pareto_nbd, crm_pareto_nbd) IS 'Pareto/NBD models ordered after or equal, by text form.';

-- src/models/bgbb.rs:44
-- crm_bgbb
CREATE OPERATOR FAMILY crm_bgbb_btree_ops USING btree;
CREATE OPERATOR CLASS crm_bgbb_btree_ops DEFAULT FOR TYPE crm_bgbb USING btree FAMILY crm_bgbb_btree_ops AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 crm_bgbb_cmp(crm_bgbb, crm_bgbb);

-- src/models/mbgnbd.rs:40
-- crm_mbgnbd
CREATE OPERATOR FAMILY crm_mbgnbd_btree_ops USING btree;
CREATE OPERATOR CLASS crm_mbgnbd_btree_ops DEFAULT FOR TYPE crm_mbgnbd USING btree FAMILY crm_mbgnbd_btree_ops AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 crm_mbgnbd_cmp(crm_mbgnbd, crm_mbgnbd);

-- src/models/pareto_nbd.rs:43
-- crm_pareto_nbd
CREATE OPERATOR FAMILY crm_pareto_nbd_btree_ops USING btree;
CREATE OPERATOR CLASS crm_pareto_nbd_btree_ops DEFAULT FOR TYPE crm_pareto_nbd USING btree FAMILY crm_pareto_nbd_btree_ops AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 crm_pareto_nbd_cmp(crm_pareto_nbd, crm_pareto_nbd);

-- src/models/sbg.rs:42
-- crm_sbg
CREATE OPERATOR FAMILY crm_sbg_btree_ops USING btree;
CREATE OPERATOR CLASS crm_sbg_btree_ops DEFAULT FOR TYPE crm_sbg USING btree FAMILY crm_sbg_btree_ops AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 crm_sbg_cmp(crm_sbg, crm_sbg);

-- src/models/bgbb.rs:44
-- crm_bgbb
CREATE OPERATOR FAMILY crm_bgbb_hash_ops USING hash;
CREATE OPERATOR CLASS crm_bgbb_hash_ops DEFAULT FOR TYPE crm_bgbb USING hash FAMILY crm_bgbb_hash_ops AS
	OPERATOR    1   =  (crm_bgbb, crm_bgbb),
	FUNCTION    1   crm_bgbb_hash(crm_bgbb);

-- src/models/mbgnbd.rs:40
-- crm_mbgnbd
CREATE OPERATOR FAMILY crm_mbgnbd_hash_ops USING hash;
CREATE OPERATOR CLASS crm_mbgnbd_hash_ops DEFAULT FOR TYPE crm_mbgnbd USING hash FAMILY crm_mbgnbd_hash_ops AS
	OPERATOR    1   =  (crm_mbgnbd, crm_mbgnbd),
	FUNCTION    1   crm_mbgnbd_hash(crm_mbgnbd);

-- src/models/pareto_nbd.rs:43
-- crm_pareto_nbd
CREATE OPERATOR FAMILY crm_pareto_nbd_hash_ops USING hash;
CREATE OPERATOR CLASS crm_pareto_nbd_hash_ops DEFAULT FOR TYPE crm_pareto_nbd USING hash FAMILY crm_pareto_nbd_hash_ops AS
	OPERATOR    1   =  (crm_pareto_nbd, crm_pareto_nbd),
	FUNCTION    1   crm_pareto_nbd_hash(crm_pareto_nbd);

-- src/models/sbg.rs:42
-- crm_sbg
CREATE OPERATOR FAMILY crm_sbg_hash_ops USING hash;
CREATE OPERATOR CLASS crm_sbg_hash_ops DEFAULT FOR TYPE crm_sbg USING hash FAMILY crm_sbg_hash_ops AS
	OPERATOR    1   =  (crm_sbg, crm_sbg),
	FUNCTION    1   crm_sbg_hash(crm_sbg);

-- Choosing a purchase model: crm_model_compare fits each named model to the same data and
-- returns one row per model with its log-likelihood, parameter count, AIC and BIC;
-- crm_model_compare_holdout adds each model's error on a holdout period. Model-agnostic: a
-- model name m stands for the functions
-- crm_<m>_fit(crm_rft_summary, float8, text) and crm_<m>_params(crm_<m>), and the overloads of
-- crm_log_likelihood, crm_customers, crm_converged and crm_expected_purchases on its type.
-- Same safety rules as cltv.sql: search_path = pg_catalog, pg_temp; identifiers through %I.

CREATE FUNCTION crm__check_model_name(model text) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF model IS NULL THEN
        RAISE EXCEPTION 'model names must not be null' USING ERRCODE = '22004';
    END IF;
    IF model !~ '^[a-z][a-z0-9_]*$'
       OR to_regprocedure(format('@extschema@.crm_%s_fit(@extschema@.crm_rft_summary, float8, text)', model)) IS NULL THEN
        RAISE EXCEPTION 'unknown purchase model "%"', model USING ERRCODE = '22023',
            HINT = 'use bgnbd, mbgnbd or pareto_nbd (a model with a crm_<model>_fit(crm_rft_summary, ...) function)';
    END IF;
    RETURN model;
END $$;

CREATE FUNCTION crm__model_compare_query(models text[], fit_input text, holdout text) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    parts text[];
    m text;
BEGIN
    IF models IS NULL OR cardinality(models) = 0 THEN
        RAISE EXCEPTION 'models must name at least one purchase model' USING ERRCODE = '22023';
    END IF;
    -- OFFSET 0 keeps each fit a subquery evaluated once: inlined, the fit would run again for
    -- every reference to f (and for every row of the holdout).
    FOREACH m IN ARRAY models LOOP
        parts := parts || format($q$
            SELECT %1$L::text AS model, (SELECT count(*)::int FROM @extschema@.crm_%1$s_params(f)) AS parameters,
                   @extschema@.crm_log_likelihood(f) AS log_likelihood, @extschema@.crm_customers(f) AS customers,
                   @extschema@.crm_converged(f) AS converged%3$s
            FROM (SELECT @extschema@.crm_%1$s_fit(%2$s) AS f OFFSET 0) fitted%4$s$q$,
            crm_internal.crm__check_model_name(m), fit_input,
            CASE WHEN holdout IS NOT NULL THEN
                ', h.actual_total AS holdout_actual, h.predicted_total AS holdout_predicted, h.mae AS holdout_mae, h.rmse AS holdout_rmse' END,
            ', LATERAL ' || holdout);
    END LOOP;
    RETURN format($q$
        WITH fits AS (%s), scored AS (
            SELECT *, 2 * parameters - 2 * log_likelihood AS aic,
                   parameters * ln(customers::float8) - 2 * log_likelihood AS bic
            FROM fits)
        SELECT model, parameters, log_likelihood, aic, bic, customers, converged, bic - min(bic) OVER () AS delta_bic%s
        FROM scored ORDER BY array_position($3, model)$q$,
        array_to_string(parts, ' UNION ALL '),
        CASE WHEN holdout IS NULL THEN '' ELSE ', holdout_actual, holdout_predicted, holdout_mae, holdout_rmse' END);
END $$;

CREATE FUNCTION crm_model_compare(
    summary crm_rft_summary,
    models text[] DEFAULT ARRAY['bgnbd', 'mbgnbd', 'pareto_nbd'],
    penalizer float8 DEFAULT NULL
) RETURNS TABLE (model text, parameters integer, log_likelihood float8, aic float8, bic float8,
                 customers bigint, converged boolean, delta_bic float8)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF summary IS NULL OR models IS NULL THEN
        RAISE EXCEPTION 'summary and models must not be null' USING ERRCODE = '22004';
    END IF;
    RETURN QUERY EXECUTE crm_internal.crm__model_compare_query(models, '$1, $2', NULL) USING summary, penalizer, models;
END $$;

CREATE FUNCTION crm_model_compare_holdout(
    relation regclass,
    frequency text DEFAULT 'frequency_cal',
    recency text DEFAULT 'recency_cal',
    t text DEFAULT 't_cal',
    frequency_holdout text DEFAULT 'frequency_holdout',
    duration_holdout text DEFAULT 'duration_holdout',
    unit text DEFAULT 'week',
    models text[] DEFAULT ARRAY['bgnbd', 'mbgnbd', 'pareto_nbd'],
    penalizer float8 DEFAULT 0
) RETURNS TABLE (model text, parameters integer, log_likelihood float8, aic float8, bic float8,
                 customers bigint, converged boolean, delta_bic float8,
                 holdout_actual float8, holdout_predicted float8, holdout_mae float8, holdout_rmse float8)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s @extschema@.crm_rft_summary;
BEGIN
    IF relation IS NULL OR frequency IS NULL OR recency IS NULL OR t IS NULL OR frequency_holdout IS NULL
       OR duration_holdout IS NULL OR unit IS NULL OR models IS NULL OR penalizer IS NULL THEN
        RAISE EXCEPTION 'arguments must not be null' USING ERRCODE = '22004';
    END IF;
    PERFORM crm_internal.crm__check_columns(relation, ARRAY['frequency', 'recency', 't', 'frequency_holdout', 'duration_holdout'],
                                           ARRAY[frequency, recency, t, frequency_holdout, duration_holdout]);
    EXECUTE format('SELECT @extschema@.crm_rft_summary(%I::float8, %I::float8, %I::float8, 1, $1) FROM %s',
                   frequency, recency, t, relation) INTO s USING unit;
    IF s IS NULL THEN
        RETURN;
    END IF;
    -- Per model, joined laterally to its fit f: crm_holdout_metrics over the relation.
    RETURN QUERY EXECUTE crm_internal.crm__model_compare_query(models, '$1, $2', format(
            '@extschema@.crm_holdout_metrics(fitted.f, %L::regclass, %L, %L, %L, %L, %L) h',
            relation::text, frequency, recency, t, frequency_holdout, duration_holdout))
        USING s, penalizer, models;
END $$;

COMMENT ON FUNCTION crm__model_compare_query(text[], text, text) IS 'Internal: the query of crm_model_compare over the named models.';
COMMENT ON FUNCTION crm__check_model_name(text) IS 'Internal: checks that a name stands for a purchase model with a fit from crm_rft_summary.';
COMMENT ON FUNCTION crm_model_compare(crm_rft_summary, text[], float8) IS 'Fits each named purchase model (default bgnbd, mbgnbd, pareto_nbd) to one summary: parameters (k), log-likelihood, AIC = 2k - 2 LL, BIC = k ln(customers) - 2 LL, customers, converged, and delta_bic (BIC minus the smallest BIC; the best model has 0).';
COMMENT ON FUNCTION crm_model_compare_holdout(regclass, text, text, text, text, text, text, text[], float8) IS 'Fits each named purchase model to a calibration/holdout relation (crm_holdout_summary''s shape) and adds holdout errors from crm_holdout_metrics: total actual and predicted holdout purchases, mean absolute error and root mean squared error per customer.';
COMMENT ON FUNCTION crm_parameter(crm_bgnbd, text) IS 'The estimate of one BG/NBD parameter by name (see crm_bgnbd_params for the names).';
COMMENT ON FUNCTION crm_parameter(crm_gamma_gamma, text) IS 'The estimate of one Gamma-Gamma parameter by name (see crm_gamma_gamma_params for the names).';

-- 0.2.0: validation as data (sql/extension/validation.sql)
-- src/insights/validation.rs:11
-- crm_ext::validation::crm__unit_days
CREATE  FUNCTION "crm__unit_days"(
	"unit" TEXT /* & str */
) RETURNS double precision /* f64 */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm__unit_days_wrapper';

-- Validation as data: how a fitted purchase model compares with what happened, as long-format
-- tables a BI tool charts directly. Written once for every purchase model: the model argument is
-- polymorphic (anyelement) and the functions call only the generic predictors every purchase
-- model type has (crm_expected_purchases, crm_expected_purchases_new, crm_prob_purchases,
-- crm_p_alive and, for ages from dates, crm_unit); crm__check_purchase_model rejects other types.
-- Rows with a NULL in a column a function reads are skipped, as aggregates skip NULLs.
-- Same safety rules as cltv.sql: search_path = pg_catalog, pg_temp; identifiers through %I.

CREATE FUNCTION crm__check_purchase_model(model_type regtype, caller text, needs_unit boolean DEFAULT false) RETURNS void
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF to_regprocedure(format('@extschema@.crm_expected_purchases(%s, float8, float8, float8, float8)', model_type)) IS NULL
       OR to_regprocedure(format('@extschema@.crm_prob_purchases(%s, bigint, float8)', model_type)) IS NULL
       OR to_regprocedure(format('@extschema@.crm_p_alive(%s, float8, float8, float8)', model_type)) IS NULL THEN
        RAISE EXCEPTION '% needs a purchase model, got a value of type %', caller, model_type USING ERRCODE = '22023',
            HINT = 'pass a crm_bgnbd, crm_mbgnbd, crm_pareto_nbd or crm_bgbb value, for example (SELECT model FROM models)';
    END IF;
    IF needs_unit AND to_regprocedure(format('@extschema@.crm_unit(%s)', model_type)) IS NULL THEN
        RAISE EXCEPTION '% needs a model with a time unit, got %', caller, model_type USING ERRCODE = '22023',
            DETAIL = 'ages are measured from dates in the model''s unit; a model in discrete periods has none',
            HINT = 'pass a crm_bgnbd, crm_mbgnbd or crm_pareto_nbd value';
    END IF;
END $$;

CREATE FUNCTION crm__period_interval(period text, argument text) RETURNS interval
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN CASE lower(rtrim(period, 's'))
        WHEN 'hour' THEN interval '1 hour' WHEN 'day' THEN interval '1 day' WHEN 'week' THEN interval '1 week'
        WHEN 'month' THEN interval '1 month' WHEN 'quarter' THEN interval '3 months' WHEN 'year' THEN interval '1 year'
        ELSE crm_internal.crm__raise_invalid(format('unknown %s "%s"', argument, period),
                                           'use one of hour, day, week, month, quarter, year')::interval END;
END $$;

CREATE FUNCTION crm__holdout_rows(relation regclass, frequency text, recency text, t text, frequency_holdout text,
                                  duration_holdout text) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM crm_internal.crm__check_columns(relation, ARRAY['frequency', 'recency', 't', 'frequency_holdout', 'duration_holdout'],
                                           ARRAY[frequency, recency, t, frequency_holdout, duration_holdout]);
    RETURN format($q$(SELECT x, t_x, age, h, actual
        FROM (SELECT %1$I::float8 AS x, %2$I::float8 AS t_x, %3$I::float8 AS age, %4$I::float8 AS h, %5$I::float8 AS actual
              FROM %6$s) r
        WHERE x IS NOT NULL AND t_x IS NOT NULL AND age IS NOT NULL AND h IS NOT NULL AND actual IS NOT NULL)$q$,
        frequency, recency, t, duration_holdout, frequency_holdout, relation);
END $$;

CREATE FUNCTION crm_tracking(
    model anyelement,
    relation regclass,
    customer_id text DEFAULT 'customer_id',
    order_date text DEFAULT 'order_date',
    calibration_end timestamp DEFAULT NULL,
    observation_end timestamp DEFAULT NULL,
    period text DEFAULT 'week',
    start timestamp DEFAULT NULL,
    purchase_period text DEFAULT 'day'
) RETURNS TABLE (period_index integer, period_start timestamp, period_end timestamp, customers bigint,
                 actual bigint, expected float8, actual_cumulative bigint, expected_cumulative float8,
                 in_holdout boolean)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    step interval;
    grain interval;
    first_purchase timestamp;
    last_purchase timestamp;
    unit_days float8;
    periods bigint;
    n bigint;
BEGIN
    IF model IS NULL OR relation IS NULL OR period IS NULL OR purchase_period IS NULL THEN
        RAISE EXCEPTION 'model, relation, period and purchase_period must not be null' USING ERRCODE = '22004';
    END IF;
    PERFORM crm_internal.crm__check_purchase_model(pg_typeof(model), 'crm_tracking', true);
    PERFORM crm_internal.crm__check_columns(relation, ARRAY['customer_id', 'order_date'], ARRAY[customer_id, order_date]);
    step := crm_internal.crm__period_interval(period, 'period');
    grain := crm_internal.crm__period_interval(purchase_period, 'purchase_period');
    IF observation_end IS NOT NULL AND start IS NOT NULL AND observation_end <= start THEN
        RAISE EXCEPTION 'observation_end (%) must be after start (%)', observation_end, start USING ERRCODE = '22023';
    END IF;
    IF start IS NULL OR observation_end IS NULL THEN
        -- the defaults come from the data (one more scan)
        EXECUTE format('SELECT date_trunc(%3$L, min(%2$I::timestamp)), max(%2$I::timestamp) FROM %1$s WHERE %4$I IS NOT NULL',
                       relation, order_date, lower(rtrim(purchase_period, 's')), customer_id)
            INTO first_purchase, last_purchase;
        IF first_purchase IS NULL THEN
            RETURN;  -- no purchases: no periods
        END IF;
    END IF;
    start := coalesce(start, date_trunc(lower(rtrim(period, 's')), first_purchase));
    -- an upper bound of the number of periods (a month has at least 0.9 of its 30 days)
    periods := ceil(extract(epoch FROM greatest(coalesce(observation_end, last_purchase), start) - start)
                    / (0.9 * extract(epoch FROM step))) + 1;
    IF periods > 100000 THEN
        RAISE EXCEPTION 'crm_tracking would return % periods, more than 100,000', periods USING ERRCODE = '22023',
            HINT = 'use a longer period or a later start';
    END IF;
    -- by default the periods run to the end of the one holding the last purchase
    IF observation_end IS NULL THEN
        n := 1;
        WHILE start + n * step <= last_purchase LOOP
            n := n + 1;
        END LOOP;
        observation_end := start + n * step;
    END IF;
    IF observation_end <= start THEN
        RAISE EXCEPTION 'observation_end (%) must be after start (%)', observation_end, start USING ERRCODE = '22023';
    END IF;
    unit_days := crm_internal.crm__unit_days(@extschema@.crm_unit(model));
    -- Purchases merged per customer and purchase_period; a customer's first is their birth, the
    -- rest are repeat purchases. expected_cumulative at a period end is the sum over customers
    -- born before it of a new customer's expected purchases over their age (days / unit), minus
    -- the same at start: cohorts of a birth day share one evaluation.
    RETURN QUERY EXECUTE format($q$
        WITH cohorts AS MATERIALIZED (
            -- a customer's birth: the purchase_period of the first purchase (min, then truncated)
            SELECT b, count(*) AS n
            FROM (SELECT date_trunc($3, min(%2$I::timestamp)) AS b
                  FROM %3$s
                  WHERE %1$I IS NOT NULL AND %2$I IS NOT NULL AND %2$I::timestamp < $5
                  GROUP BY %1$I) births
            GROUP BY b
        ), repeats AS MATERIALIZED (
            -- the customers buying in a purchase_period are repeat buyers but those born in it
            -- (two scans of the relation: cheaper than merging purchases per customer and day)
            SELECT d, sum(n) AS n
            FROM (SELECT d, count(DISTINCT c) AS n
                  FROM (SELECT %1$I AS c, date_trunc($3, %2$I::timestamp) AS d
                        FROM %3$s
                        WHERE %1$I IS NOT NULL AND %2$I IS NOT NULL AND %2$I::timestamp < $5) p
                  WHERE d >= $4
                  GROUP BY d
                  UNION ALL
                  SELECT b, -n FROM cohorts WHERE b >= $4) per_day
            GROUP BY d
        ), bounds AS MATERIALIZED (
            SELECT k::int AS k, $4 + k * $2 AS s, least($4 + (k + 1) * $2, $5) AS e
            FROM generate_series(0, $7) AS k
            WHERE $4 + k * $2 < $5
        ), at_start AS (
            SELECT coalesce(sum(n * @extschema@.crm_expected_purchases_new($1,
                       extract(epoch FROM $4 - b)::float8 / 86400 / $6)), 0) AS v
            FROM cohorts WHERE b < $4
        ), per_period AS MATERIALIZED (
            SELECT bd.k, bd.s, bd.e,
                   (SELECT coalesce(sum(n), 0) FROM cohorts WHERE b < bd.e)::bigint AS customers,
                   (SELECT coalesce(sum(n), 0) FROM repeats WHERE d >= bd.s AND d < bd.e)::bigint AS actual,
                   (SELECT coalesce(sum(n * @extschema@.crm_expected_purchases_new($1,
                               extract(epoch FROM bd.e - b)::float8 / 86400 / $6)), 0)
                    FROM cohorts WHERE b < bd.e) - (SELECT v FROM at_start) AS cumulative
            FROM bounds bd
        )
        SELECT k, s, e, customers, actual,
               cumulative - coalesce(lag(cumulative) OVER w, 0),
               (sum(actual) OVER w)::bigint, cumulative,
               coalesce(s >= $8, false)
        FROM per_period
        WINDOW w AS (ORDER BY k)
        ORDER BY k
    $q$, customer_id, order_date, relation)
    USING model, step, lower(rtrim(purchase_period, 's')), start, observation_end, unit_days, periods, calibration_end;
END $$;

CREATE FUNCTION crm_calibration_holdout(
    model anyelement,
    relation regclass,
    by text DEFAULT 'frequency',
    buckets integer DEFAULT 7,
    frequency text DEFAULT 'frequency_cal',
    recency text DEFAULT 'recency_cal',
    t text DEFAULT 't_cal',
    frequency_holdout text DEFAULT 'frequency_holdout',
    duration_holdout text DEFAULT 'duration_holdout'
) RETURNS TABLE (bucket text, sort_order integer, customers bigint, actual_mean float8, predicted_mean float8,
                 actual_total float8, predicted_total float8)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    bucket_expr text;
    holdout_rows text;
BEGIN
    IF model IS NULL OR relation IS NULL OR by IS NULL OR buckets IS NULL THEN
        RAISE EXCEPTION 'model, relation, by and buckets must not be null' USING ERRCODE = '22004';
    END IF;
    PERFORM crm_internal.crm__check_purchase_model(pg_typeof(model), 'crm_calibration_holdout');
    IF buckets < 1 OR buckets > 1000 THEN
        RAISE EXCEPTION 'buckets must be between 1 and 1000, got %', buckets USING ERRCODE = '22023';
    END IF;
    holdout_rows := crm_internal.crm__holdout_rows(relation, frequency, recency, t, frequency_holdout, duration_holdout);
    bucket_expr := CASE lower(by)
        -- 0 .. buckets - 1 and "buckets+": the last bucket holds every higher frequency
        WHEN 'frequency' THEN 'least(x, $2)::int'
        -- quantile groups of the predicted purchases, 1 = the lowest predictions (ties split by row order)
        WHEN 'predicted' THEN 'ntile($2) OVER (ORDER BY predicted, x, t_x, age)'
        ELSE crm_internal.crm__raise_invalid(format('unknown grouping "%s"', by), 'use by => ''frequency'' or by => ''predicted''') END;
    RETURN QUERY EXECUTE format($q$
        WITH rows AS (
            SELECT x, t_x, age, actual, @extschema@.crm_expected_purchases($1, x, t_x, age, h) AS predicted
            FROM %1$s r
        ), bucketed AS (
            SELECT %2$s AS b, actual, predicted FROM rows
        )
        SELECT CASE WHEN $3 = 'frequency' AND b = $2 THEN b || '+' ELSE b::text END,
               b, count(*), avg(actual), avg(predicted), sum(actual), sum(predicted)
        FROM bucketed
        GROUP BY bucketed.b
        ORDER BY 2
    $q$, holdout_rows, bucket_expr)
    USING model, buckets, lower(by);
END $$;

CREATE FUNCTION crm_frequency_histogram(
    model anyelement,
    relation regclass,
    buckets integer DEFAULT 7,
    frequency text DEFAULT 'frequency',
    t text DEFAULT 't'
) RETURNS TABLE (frequency_bucket text, sort_order integer, actual bigint, expected float8)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF model IS NULL OR relation IS NULL OR buckets IS NULL THEN
        RAISE EXCEPTION 'model, relation and buckets must not be null' USING ERRCODE = '22004';
    END IF;
    PERFORM crm_internal.crm__check_purchase_model(pg_typeof(model), 'crm_frequency_histogram');
    IF buckets < 1 OR buckets > 1000 THEN
        RAISE EXCEPTION 'buckets must be between 1 and 1000, got %', buckets USING ERRCODE = '22023';
    END IF;
    PERFORM crm_internal.crm__check_columns(relation, ARRAY['frequency', 't'], ARRAY[frequency, t]);
    -- expected customers with n repeat purchases: the sum over customers of P(X(T) = n) at
    -- their age T (customers of one age share one evaluation); the last bucket takes the rest.
    RETURN QUERY EXECUTE format($q$
        WITH rows AS MATERIALIZED (
            SELECT %1$I::float8 AS x, %2$I::float8 AS age FROM %3$s WHERE %1$I IS NOT NULL AND %2$I IS NOT NULL
        ), ages AS MATERIALIZED (
            SELECT age, count(*) AS n FROM rows GROUP BY age
        ), counts AS (
            SELECT least(x, $2)::int AS b, count(*) AS n FROM rows GROUP BY 1
        ), grid AS (
            SELECT b, CASE WHEN b < $2 THEN (SELECT sum(n * @extschema@.crm_prob_purchases($1, b, age)) FROM ages) END AS e
            FROM generate_series(0, $2) AS b
        )
        SELECT CASE WHEN g.b = $2 THEN g.b || '+' ELSE g.b::text END, g.b, coalesce(c.n, 0)::bigint,
               coalesce(g.e, (SELECT count(*) FROM rows) - sum(g.e) OVER ())
        FROM grid g LEFT JOIN counts c USING (b)
        ORDER BY 2
    $q$, frequency, t, relation)
    USING model, buckets;
END $$;

CREATE FUNCTION crm_frequency_recency_matrix(
    model anyelement,
    age float8,
    max_frequency integer DEFAULT 20,
    horizon float8 DEFAULT 1,
    recency_step float8 DEFAULT 1
) RETURNS TABLE (frequency integer, recency float8, t float8, expected_purchases float8, p_alive float8)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF model IS NULL OR age IS NULL OR max_frequency IS NULL OR horizon IS NULL OR recency_step IS NULL THEN
        RAISE EXCEPTION 'model, age, max_frequency, horizon and recency_step must not be null' USING ERRCODE = '22004';
    END IF;
    PERFORM crm_internal.crm__check_purchase_model(pg_typeof(model), 'crm_frequency_recency_matrix');
    IF NOT (age > 0 AND age < 'infinity') OR NOT (recency_step > 0 AND recency_step < 'infinity')
       OR NOT (horizon >= 0 AND horizon < 'infinity') OR max_frequency < 0 THEN
        RAISE EXCEPTION 'age and recency_step must be positive and finite, horizon finite and >= 0, max_frequency >= 0' USING ERRCODE = '22023';
    END IF;
    IF (max_frequency + 1) * (floor(age / recency_step) + 1) > 1e6 THEN
        RAISE EXCEPTION 'the matrix would have more than 1,000,000 cells' USING ERRCODE = '22023',
            HINT = 'use a smaller max_frequency or a larger recency_step';
    END IF;
    -- frequency 0 has recency 0 only; frequency >= 1 has recency step, 2 step, ..., up to age
    RETURN QUERY
        SELECT x, r, age, @extschema@.crm_expected_purchases(model, x, r, age, horizon), @extschema@.crm_p_alive(model, x, r, age)
        FROM generate_series(0, max_frequency) AS x,
             LATERAL (SELECT 0::float8 AS r WHERE x = 0
                      UNION ALL
                      SELECT least(k * recency_step, age) FROM generate_series(1, ceil(age / recency_step)::int) AS k WHERE x > 0) rr
        ORDER BY x, r;
END $$;

CREATE FUNCTION crm_holdout_metrics(
    model anyelement,
    relation regclass,
    frequency text DEFAULT 'frequency_cal',
    recency text DEFAULT 'recency_cal',
    t text DEFAULT 't_cal',
    frequency_holdout text DEFAULT 'frequency_holdout',
    duration_holdout text DEFAULT 'duration_holdout'
) RETURNS TABLE (model_name text, customers bigint, actual_total float8, predicted_total float8, mae float8, rmse float8,
                 mean_bias float8, brier_p_alive float8, active_share float8, mean_p_alive float8)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF $1 IS NULL OR relation IS NULL THEN
        RAISE EXCEPTION 'model and relation must not be null' USING ERRCODE = '22004';
    END IF;
    PERFORM crm_internal.crm__check_purchase_model(pg_typeof($1), 'crm_holdout_metrics');
    RETURN QUERY EXECUTE format($q$
        SELECT $2, count(*), sum(actual), sum(predicted), avg(abs(predicted - actual)),
               sqrt(avg((predicted - actual) ^ 2)), avg(predicted - actual),
               avg((alive - (actual > 0)::int) ^ 2), avg((actual > 0)::int::float8), avg(alive)
        FROM (SELECT actual, @extschema@.crm_expected_purchases($1, x, t_x, age, h) AS predicted,
                     @extschema@.crm_p_alive($1, x, t_x, age) AS alive
              FROM %s r) s
    $q$, crm_internal.crm__holdout_rows(relation, frequency, recency, t, frequency_holdout, duration_holdout))
    USING $1, regexp_replace(pg_typeof($1)::text, '^(.*\.)?crm_', '');
END $$;

COMMENT ON FUNCTION crm__check_purchase_model(regtype, text, boolean) IS 'Internal: 22023 unless the type has the generic purchase-model predictors (and, when asked, crm_unit).';
COMMENT ON FUNCTION crm__period_interval(text, text) IS 'Internal: the interval of a period name (hour, day, week, month, quarter, year); 22023 otherwise.';
COMMENT ON FUNCTION crm__holdout_rows(regclass, text, text, text, text, text) IS 'Internal: checks a calibration/holdout relation''s columns (42P01, 42703) and returns the subquery of its rows (x, t_x, age, h, actual) without NULLs.';
COMMENT ON FUNCTION crm__unit_days(text) IS 'Internal: days in one model time unit (hour 1/24, day 1, week 7, month 30), as crm_core''s TimeUnit::days.';
COMMENT ON FUNCTION crm_tracking(anyelement, regclass, text, text, timestamp, timestamp, text, timestamp, text) IS 'Tracking of a purchase model over a transaction relation: per period (hour, day, week, month, quarter, year from start, by default the calendar period of the first purchase) the customers acquired, actual and expected repeat purchases, incremental and cumulative since start, and whether the period starts at or after calibration_end. Purchases are merged per customer and purchase_period; expected = a new customer''s expected purchases since their first purchase (lifetimes'' expected_cumulative_transactions). Dates and timestamptz are read as timestamp in the session time zone.';
COMMENT ON FUNCTION crm_calibration_holdout(anyelement, regclass, text, integer, text, text, text, text, text) IS 'Mean and total holdout purchases, actual vs predicted by the model, per calibration frequency (by => frequency: 0 .. buckets-1 and buckets+) or per quantile group of the prediction (by => predicted: 1 = lowest), for a relation shaped like crm_holdout_summary''s result.';
COMMENT ON FUNCTION crm_frequency_histogram(anyelement, regclass, integer, text, text) IS 'Customers with 0, 1, .., buckets-1 and buckets+ repeat purchases: actual, and expected under the model (the sum over customers of P(X(T) = n) at their age T).';
COMMENT ON FUNCTION crm_frequency_recency_matrix(anyelement, float8, integer, float8, float8) IS 'Expected purchases over horizon and P(alive) of customers of one age (t = age) for every frequency 0 .. max_frequency and recency (0 for frequency 0; recency_step, 2 recency_step, .. age otherwise): heatmap data.';
COMMENT ON FUNCTION crm_holdout_metrics(anyelement, regclass, text, text, text, text, text) IS 'Holdout error of a purchase model, one row: the model''s name (bgnbd, ..), customers, actual and predicted holdout purchases in total, MAE, RMSE and mean bias (predicted - actual) per customer, the Brier score of P(alive) against activity (a holdout purchase), the share of active customers and the mean P(alive).';

-- 0.2.0: intervals (src/models/intervals.rs, the accessors and predictors of every model type)
-- src/models/bgbb.rs:46
-- crm_ext::bgbb::crm_confidence_intervals
CREATE  FUNCTION "crm_confidence_intervals"(
	"model" crm_bgbb, /* crm_bgbb */
	"level" double precision DEFAULT 0.9 /* f64 */
) RETURNS TABLE (
	"parameter" TEXT,  /* String */
	"estimate" double precision,  /* f64 */
	"std_error" double precision,  /* Option < f64 > */
	"low" double precision,  /* Option < f64 > */
	"high" double precision  /* Option < f64 > */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_confidence_intervals_bgbb_wrapper';

-- src/models/bgnbd/mod.rs:279
-- crm_ext::bgnbd::crm_confidence_intervals
CREATE  FUNCTION "crm_confidence_intervals"(
	"model" crm_bgnbd, /* crm_bgnbd */
	"level" double precision DEFAULT 0.9 /* f64 */
) RETURNS TABLE (
	"parameter" TEXT,  /* String */
	"estimate" double precision,  /* f64 */
	"std_error" double precision,  /* Option < f64 > */
	"low" double precision,  /* Option < f64 > */
	"high" double precision  /* Option < f64 > */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_confidence_intervals_bgnbd_wrapper';

-- src/models/bgbb.rs:63
-- crm_ext::bgbb::crm_expected_purchases_interval
CREATE  FUNCTION "crm_expected_purchases_interval"(
	"model" crm_bgbb, /* crm_bgbb */
	"frequency" double precision, /* f64 */
	"recency" double precision, /* f64 */
	"t" double precision, /* f64 */
	"horizon" double precision, /* f64 */
	"level" double precision DEFAULT 0.9, /* f64 */
	"method" TEXT DEFAULT 'delta', /* & str */
	"draws" INT DEFAULT 1000, /* i32 */
	"seed" bigint DEFAULT 0 /* i64 */
) RETURNS TABLE (
	"low" double precision,  /* f64 */
	"estimate" double precision,  /* f64 */
	"high" double precision  /* f64 */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_expected_purchases_interval_bgbb_wrapper';

-- src/models/bgnbd/mod.rs:305
-- crm_ext::bgnbd::crm_expected_purchases_interval
CREATE  FUNCTION "crm_expected_purchases_interval"(
	"model" crm_bgnbd, /* crm_bgnbd */
	"frequency" double precision, /* f64 */
	"recency" double precision, /* f64 */
	"t" double precision, /* f64 */
	"horizon" double precision, /* f64 */
	"level" double precision DEFAULT 0.9, /* f64 */
	"method" TEXT DEFAULT 'delta', /* & str */
	"draws" INT DEFAULT 1000, /* i32 */
	"seed" bigint DEFAULT 0 /* i64 */
) RETURNS TABLE (
	"low" double precision,  /* f64 */
	"estimate" double precision,  /* f64 */
	"high" double precision  /* f64 */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_expected_purchases_interval_bgnbd_wrapper';

-- src/models/gamma_gamma.rs:242
-- crm_ext::gamma_gamma::crm_confidence_intervals
CREATE  FUNCTION "crm_confidence_intervals"(
	"model" crm_gamma_gamma, /* crm_gamma_gamma */
	"level" double precision DEFAULT 0.9 /* f64 */
) RETURNS TABLE (
	"parameter" TEXT,  /* String */
	"estimate" double precision,  /* f64 */
	"std_error" double precision,  /* Option < f64 > */
	"low" double precision,  /* Option < f64 > */
	"high" double precision  /* Option < f64 > */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_confidence_intervals_gamma_gamma_wrapper';

-- src/models/bgnbd/mod.rs:305
-- crm_ext::bgnbd::crm_clv_interval
CREATE  FUNCTION "crm_clv_interval"(
	"model" crm_bgnbd, /* crm_bgnbd */
	"gg" crm_gamma_gamma, /* $crate :: gamma_gamma :: crm_gamma_gamma */
	"frequency" double precision, /* f64 */
	"recency" double precision, /* f64 */
	"t" double precision, /* f64 */
	"monetary" double precision, /* f64 */
	"months" INT DEFAULT 12, /* i32 */
	"discount" double precision DEFAULT 0.01, /* f64 */
	"level" double precision DEFAULT 0.9, /* f64 */
	"method" TEXT DEFAULT 'delta', /* & str */
	"draws" INT DEFAULT 1000, /* i32 */
	"seed" bigint DEFAULT 0 /* i64 */
) RETURNS TABLE (
	"low" double precision,  /* f64 */
	"estimate" double precision,  /* f64 */
	"high" double precision  /* f64 */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_clv_interval_bgnbd_wrapper';

-- src/models/mbgnbd.rs:59
-- crm_ext::mbgnbd::crm_expected_purchases_interval
CREATE  FUNCTION "crm_expected_purchases_interval"(
	"model" crm_mbgnbd, /* crm_mbgnbd */
	"frequency" double precision, /* f64 */
	"recency" double precision, /* f64 */
	"t" double precision, /* f64 */
	"horizon" double precision, /* f64 */
	"level" double precision DEFAULT 0.9, /* f64 */
	"method" TEXT DEFAULT 'delta', /* & str */
	"draws" INT DEFAULT 1000, /* i32 */
	"seed" bigint DEFAULT 0 /* i64 */
) RETURNS TABLE (
	"low" double precision,  /* f64 */
	"estimate" double precision,  /* f64 */
	"high" double precision  /* f64 */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_expected_purchases_interval_mbgnbd_wrapper';

-- src/models/mbgnbd.rs:59
-- crm_ext::mbgnbd::crm_clv_interval
CREATE  FUNCTION "crm_clv_interval"(
	"model" crm_mbgnbd, /* crm_mbgnbd */
	"gg" crm_gamma_gamma, /* $crate :: gamma_gamma :: crm_gamma_gamma */
	"frequency" double precision, /* f64 */
	"recency" double precision, /* f64 */
	"t" double precision, /* f64 */
	"monetary" double precision, /* f64 */
	"months" INT DEFAULT 12, /* i32 */
	"discount" double precision DEFAULT 0.01, /* f64 */
	"level" double precision DEFAULT 0.9, /* f64 */
	"method" TEXT DEFAULT 'delta', /* & str */
	"draws" INT DEFAULT 1000, /* i32 */
	"seed" bigint DEFAULT 0 /* i64 */
) RETURNS TABLE (
	"low" double precision,  /* f64 */
	"estimate" double precision,  /* f64 */
	"high" double precision  /* f64 */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_clv_interval_mbgnbd_wrapper';

-- src/models/mbgnbd.rs:42
-- crm_ext::mbgnbd::crm_confidence_intervals
CREATE  FUNCTION "crm_confidence_intervals"(
	"model" crm_mbgnbd, /* crm_mbgnbd */
	"level" double precision DEFAULT 0.9 /* f64 */
) RETURNS TABLE (
	"parameter" TEXT,  /* String */
	"estimate" double precision,  /* f64 */
	"std_error" double precision,  /* Option < f64 > */
	"low" double precision,  /* Option < f64 > */
	"high" double precision  /* Option < f64 > */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_confidence_intervals_mbgnbd_wrapper';

-- src/models/pareto_nbd.rs:61
-- crm_ext::pareto_nbd::crm_clv_interval
CREATE  FUNCTION "crm_clv_interval"(
	"model" crm_pareto_nbd, /* crm_pareto_nbd */
	"gg" crm_gamma_gamma, /* $crate :: gamma_gamma :: crm_gamma_gamma */
	"frequency" double precision, /* f64 */
	"recency" double precision, /* f64 */
	"t" double precision, /* f64 */
	"monetary" double precision, /* f64 */
	"months" INT DEFAULT 12, /* i32 */
	"discount" double precision DEFAULT 0.01, /* f64 */
	"level" double precision DEFAULT 0.9, /* f64 */
	"method" TEXT DEFAULT 'delta', /* & str */
	"draws" INT DEFAULT 1000, /* i32 */
	"seed" bigint DEFAULT 0 /* i64 */
) RETURNS TABLE (
	"low" double precision,  /* f64 */
	"estimate" double precision,  /* f64 */
	"high" double precision  /* f64 */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_clv_interval_pareto_nbd_wrapper';

-- src/models/pareto_nbd.rs:44
-- crm_ext::pareto_nbd::crm_confidence_intervals
CREATE  FUNCTION "crm_confidence_intervals"(
	"model" crm_pareto_nbd, /* crm_pareto_nbd */
	"level" double precision DEFAULT 0.9 /* f64 */
) RETURNS TABLE (
	"parameter" TEXT,  /* String */
	"estimate" double precision,  /* f64 */
	"std_error" double precision,  /* Option < f64 > */
	"low" double precision,  /* Option < f64 > */
	"high" double precision  /* Option < f64 > */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_confidence_intervals_pareto_nbd_wrapper';

-- src/models/pareto_nbd.rs:61
-- crm_ext::pareto_nbd::crm_expected_purchases_interval
CREATE  FUNCTION "crm_expected_purchases_interval"(
	"model" crm_pareto_nbd, /* crm_pareto_nbd */
	"frequency" double precision, /* f64 */
	"recency" double precision, /* f64 */
	"t" double precision, /* f64 */
	"horizon" double precision, /* f64 */
	"level" double precision DEFAULT 0.9, /* f64 */
	"method" TEXT DEFAULT 'delta', /* & str */
	"draws" INT DEFAULT 1000, /* i32 */
	"seed" bigint DEFAULT 0 /* i64 */
) RETURNS TABLE (
	"low" double precision,  /* f64 */
	"estimate" double precision,  /* f64 */
	"high" double precision  /* f64 */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_expected_purchases_interval_pareto_nbd_wrapper';

-- src/models/sbg.rs:44
-- crm_ext::sbg::crm_confidence_intervals
CREATE  FUNCTION "crm_confidence_intervals"(
	"model" crm_sbg, /* crm_sbg */
	"level" double precision DEFAULT 0.9 /* f64 */
) RETURNS TABLE (
	"parameter" TEXT,  /* String */
	"estimate" double precision,  /* f64 */
	"std_error" double precision,  /* Option < f64 > */
	"low" double precision,  /* Option < f64 > */
	"high" double precision  /* Option < f64 > */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_confidence_intervals_sbg_wrapper';

-- src/models/intervals.rs:189
-- finalize



-- 0.2.0: crm_model_summary for every model type; summaries over timestamptz (src/insights/transactions_tz.rs)
-- src/insights/transactions_tz.rs:19
-- crm_ext::transactions_tz::crm_customer_summary_trans
CREATE  FUNCTION "crm_customer_summary_trans"(
	"state" internal, /* Internal */
	"order_ts" timestamp with time zone, /* Option < TimestampWithTimeZone > */
	"amount" double precision, /* Option < f64 > */
	"as_of" timestamp with time zone /* Option < TimestampWithTimeZone > */
) RETURNS internal /* Internal */
STABLE PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_customer_summary_trans_tz3_wrapper';

-- src/insights/transactions_tz.rs:32
-- crm_ext::transactions_tz::crm_customer_summary_trans
CREATE  FUNCTION "crm_customer_summary_trans"(
	"state" internal, /* Internal */
	"order_ts" timestamp with time zone, /* Option < TimestampWithTimeZone > */
	"amount" double precision, /* Option < f64 > */
	"as_of" timestamp with time zone, /* Option < TimestampWithTimeZone > */
	"unit" TEXT /* Option < & str > */
) RETURNS internal /* Internal */
STABLE PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_customer_summary_trans_tz4_wrapper';

-- src/insights/transactions_tz.rs:46
-- crm_ext::transactions_tz::crm_customer_summary_trans
CREATE  FUNCTION "crm_customer_summary_trans"(
	"state" internal, /* Internal */
	"order_ts" timestamp with time zone, /* Option < TimestampWithTimeZone > */
	"amount" double precision, /* Option < f64 > */
	"as_of" timestamp with time zone, /* Option < TimestampWithTimeZone > */
	"unit" TEXT, /* Option < & str > */
	"period" TEXT /* Option < & str > */
) RETURNS internal /* Internal */
STABLE PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_customer_summary_trans_tz5_wrapper';

-- src/insights/transactions_tz.rs:61
-- crm_ext::transactions_tz::crm_holdout_summary_trans
CREATE  FUNCTION "crm_holdout_summary_trans"(
	"state" internal, /* Internal */
	"order_ts" timestamp with time zone, /* Option < TimestampWithTimeZone > */
	"amount" double precision, /* Option < f64 > */
	"calibration_end" timestamp with time zone, /* Option < TimestampWithTimeZone > */
	"observation_end" timestamp with time zone /* Option < TimestampWithTimeZone > */
) RETURNS internal /* Internal */
STABLE PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_holdout_summary_trans_tz4_wrapper';

-- src/insights/transactions_tz.rs:75
-- crm_ext::transactions_tz::crm_holdout_summary_trans
CREATE  FUNCTION "crm_holdout_summary_trans"(
	"state" internal, /* Internal */
	"order_ts" timestamp with time zone, /* Option < TimestampWithTimeZone > */
	"amount" double precision, /* Option < f64 > */
	"calibration_end" timestamp with time zone, /* Option < TimestampWithTimeZone > */
	"observation_end" timestamp with time zone, /* Option < TimestampWithTimeZone > */
	"unit" TEXT /* Option < & str > */
) RETURNS internal /* Internal */
STABLE PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_holdout_summary_trans_tz5_wrapper';

-- src/insights/transactions_tz.rs:90
-- crm_ext::transactions_tz::crm_holdout_summary_trans
CREATE  FUNCTION "crm_holdout_summary_trans"(
	"state" internal, /* Internal */
	"order_ts" timestamp with time zone, /* Option < TimestampWithTimeZone > */
	"amount" double precision, /* Option < f64 > */
	"calibration_end" timestamp with time zone, /* Option < TimestampWithTimeZone > */
	"observation_end" timestamp with time zone, /* Option < TimestampWithTimeZone > */
	"unit" TEXT, /* Option < & str > */
	"period" TEXT /* Option < & str > */
) RETURNS internal /* Internal */
STABLE PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_holdout_summary_trans_tz6_wrapper';

-- src/models/bgbb.rs:46
-- crm_ext::bgbb::crm_model_summary
CREATE  FUNCTION "crm_model_summary"(
	"model" crm_bgbb /* crm_bgbb */
) RETURNS TABLE (
	"model" TEXT,  /* String */
	"unit" TEXT,  /* Option < String > */
	"parameters" TEXT,  /* String */
	"parameter_names" TEXT[],  /* Vec < String > */
	"estimates" double precision[],  /* Vec < f64 > */
	"std_errors" double precision[],  /* Vec < Option < f64 > > */
	"log_likelihood" double precision,  /* Option < f64 > */
	"customers" bigint,  /* i64 */
	"skipped" bigint,  /* i64 */
	"iterations" bigint,  /* i64 */
	"penalizer" double precision,  /* f64 */
	"converged" bool,  /* bool */
	"warning_count" INT,  /* i32 */
	"warnings" TEXT  /* Option < String > */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_model_summary_bgbb_wrapper';

-- src/models/bgnbd/mod.rs:294
-- crm_ext::bgnbd::crm_model_summary
CREATE  FUNCTION "crm_model_summary"(
	"model" crm_bgnbd /* crm_bgnbd */
) RETURNS TABLE (
	"model" TEXT,  /* String */
	"unit" TEXT,  /* Option < String > */
	"parameters" TEXT,  /* String */
	"parameter_names" TEXT[],  /* Vec < String > */
	"estimates" double precision[],  /* Vec < f64 > */
	"std_errors" double precision[],  /* Vec < Option < f64 > > */
	"log_likelihood" double precision,  /* Option < f64 > */
	"customers" bigint,  /* i64 */
	"skipped" bigint,  /* i64 */
	"iterations" bigint,  /* i64 */
	"penalizer" double precision,  /* f64 */
	"converged" bool,  /* bool */
	"warning_count" INT,  /* i32 */
	"warnings" TEXT  /* Option < String > */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_model_summary_bgnbd_wrapper';

-- src/models/gamma_gamma.rs:259
-- crm_ext::gamma_gamma::crm_model_summary
CREATE  FUNCTION "crm_model_summary"(
	"model" crm_gamma_gamma /* crm_gamma_gamma */
) RETURNS TABLE (
	"model" TEXT,  /* String */
	"unit" TEXT,  /* Option < String > */
	"parameters" TEXT,  /* String */
	"parameter_names" TEXT[],  /* Vec < String > */
	"estimates" double precision[],  /* Vec < f64 > */
	"std_errors" double precision[],  /* Vec < Option < f64 > > */
	"log_likelihood" double precision,  /* Option < f64 > */
	"customers" bigint,  /* i64 */
	"skipped" bigint,  /* i64 */
	"iterations" bigint,  /* i64 */
	"penalizer" double precision,  /* f64 */
	"converged" bool,  /* bool */
	"warning_count" INT,  /* i32 */
	"warnings" TEXT  /* Option < String > */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_model_summary_gamma_gamma_wrapper';

-- src/models/mbgnbd.rs:42
-- crm_ext::mbgnbd::crm_model_summary
CREATE  FUNCTION "crm_model_summary"(
	"model" crm_mbgnbd /* crm_mbgnbd */
) RETURNS TABLE (
	"model" TEXT,  /* String */
	"unit" TEXT,  /* Option < String > */
	"parameters" TEXT,  /* String */
	"parameter_names" TEXT[],  /* Vec < String > */
	"estimates" double precision[],  /* Vec < f64 > */
	"std_errors" double precision[],  /* Vec < Option < f64 > > */
	"log_likelihood" double precision,  /* Option < f64 > */
	"customers" bigint,  /* i64 */
	"skipped" bigint,  /* i64 */
	"iterations" bigint,  /* i64 */
	"penalizer" double precision,  /* f64 */
	"converged" bool,  /* bool */
	"warning_count" INT,  /* i32 */
	"warnings" TEXT  /* Option < String > */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_model_summary_mbgnbd_wrapper';

-- src/models/pareto_nbd.rs:44
-- crm_ext::pareto_nbd::crm_model_summary
CREATE  FUNCTION "crm_model_summary"(
	"model" crm_pareto_nbd /* crm_pareto_nbd */
) RETURNS TABLE (
	"model" TEXT,  /* String */
	"unit" TEXT,  /* Option < String > */
	"parameters" TEXT,  /* String */
	"parameter_names" TEXT[],  /* Vec < String > */
	"estimates" double precision[],  /* Vec < f64 > */
	"std_errors" double precision[],  /* Vec < Option < f64 > > */
	"log_likelihood" double precision,  /* Option < f64 > */
	"customers" bigint,  /* i64 */
	"skipped" bigint,  /* i64 */
	"iterations" bigint,  /* i64 */
	"penalizer" double precision,  /* f64 */
	"converged" bool,  /* bool */
	"warning_count" INT,  /* i32 */
	"warnings" TEXT  /* Option < String > */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_model_summary_pareto_nbd_wrapper';

-- src/models/sbg.rs:44
-- crm_ext::sbg::crm_model_summary
CREATE  FUNCTION "crm_model_summary"(
	"model" crm_sbg /* crm_sbg */
) RETURNS TABLE (
	"model" TEXT,  /* String */
	"unit" TEXT,  /* Option < String > */
	"parameters" TEXT,  /* String */
	"parameter_names" TEXT[],  /* Vec < String > */
	"estimates" double precision[],  /* Vec < f64 > */
	"std_errors" double precision[],  /* Vec < Option < f64 > > */
	"log_likelihood" double precision,  /* Option < f64 > */
	"customers" bigint,  /* i64 */
	"skipped" bigint,  /* i64 */
	"iterations" bigint,  /* i64 */
	"penalizer" double precision,  /* f64 */
	"converged" bool,  /* bool */
	"warning_count" INT,  /* i32 */
	"warnings" TEXT  /* Option < String > */
)
IMMUTABLE STRICT PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'crm_model_summary_sbg_wrapper';

-- src/insights/transactions_tz.rs:107
-- requires:
--   crm_summary_aggregates
--   crm_customer_summary_trans_tz3
--   crm_customer_summary_trans_tz4
--   crm_customer_summary_trans_tz5
--   crm_holdout_summary_trans_tz4
--   crm_holdout_summary_trans_tz5
--   crm_holdout_summary_trans_tz6


CREATE AGGREGATE crm_customer_summary(order_ts timestamptz, amount float8, as_of timestamptz) (
    sfunc = crm_customer_summary_trans, stype = internal, finalfunc = crm_customer_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
CREATE AGGREGATE crm_customer_summary(order_ts timestamptz, amount float8, as_of timestamptz, unit text) (
    sfunc = crm_customer_summary_trans, stype = internal, finalfunc = crm_customer_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
CREATE AGGREGATE crm_customer_summary(order_ts timestamptz, amount float8, as_of timestamptz, unit text, period text) (
    sfunc = crm_customer_summary_trans, stype = internal, finalfunc = crm_customer_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
CREATE AGGREGATE crm_holdout_summary(order_ts timestamptz, amount float8, calibration_end timestamptz, observation_end timestamptz) (
    sfunc = crm_holdout_summary_trans, stype = internal, finalfunc = crm_holdout_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
CREATE AGGREGATE crm_holdout_summary(order_ts timestamptz, amount float8, calibration_end timestamptz, observation_end timestamptz, unit text) (
    sfunc = crm_holdout_summary_trans, stype = internal, finalfunc = crm_holdout_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
CREATE AGGREGATE crm_holdout_summary(order_ts timestamptz, amount float8, calibration_end timestamptz, observation_end timestamptz, unit text, period text) (
    sfunc = crm_holdout_summary_trans, stype = internal, finalfunc = crm_holdout_summary_final,
    combinefunc = crm_tx_summary_combine, serialfunc = crm_tx_summary_serialize,
    deserialfunc = crm_tx_summary_deserialize, parallel = safe);
COMMENT ON AGGREGATE crm_customer_summary(timestamptz, float8, timestamptz) IS 'crm_customer_summary over timestamptz: times are converted to local time in the session''s TimeZone first (a purchase day is a calendar day there).';
COMMENT ON AGGREGATE crm_customer_summary(timestamptz, float8, timestamptz, text) IS 'crm_customer_summary over timestamptz (local time in the session''s TimeZone) with recency and t in unit.';
COMMENT ON AGGREGATE crm_customer_summary(timestamptz, float8, timestamptz, text, text) IS 'crm_customer_summary over timestamptz (local time in the session''s TimeZone) with recency and t in unit, merging purchases per period.';
COMMENT ON AGGREGATE crm_holdout_summary(timestamptz, float8, timestamptz, timestamptz) IS 'crm_holdout_summary over timestamptz: times are converted to local time in the session''s TimeZone first.';
COMMENT ON AGGREGATE crm_holdout_summary(timestamptz, float8, timestamptz, timestamptz, text) IS 'crm_holdout_summary over timestamptz (local time in the session''s TimeZone) with times in unit.';
COMMENT ON AGGREGATE crm_holdout_summary(timestamptz, float8, timestamptz, timestamptz, text, text) IS 'crm_holdout_summary over timestamptz (local time in the session''s TimeZone) with times in unit and purchases merged per period.';

-- 0.2.0: the comment of crm_segment_map cites docs/references.md (src/rfm/segments.rs)
COMMENT ON TABLE crm_segment_map IS 'RFM segment maps: a customer gets the segment of the first rule (by rule_order) of a map whose R, F and M score ranges (inclusive) hold its scores; none matching gives ''others''. sort_order orders segments for display. Built-in maps: course (docs/references.md section 3, exact labels at_Risk and cant_loose) and rfm_package (R package rfm). Add maps by inserting rows; pg_dump keeps every map except the built-in ones, which CREATE EXTENSION recreates.';

-- 0.2.0: the last statements (src/pg/internal_schema.rs): COMMENTs over the overloads of every model type,
-- then the internal support objects move to the schema crm_internal
DO $comments$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = '@extschema@'::regnamespace
               AND p.proname IN ('crm_confidence_intervals', 'crm_expected_purchases_interval', 'crm_clv_interval', 'crm_model_summary')
    LOOP
        EXECUTE format('COMMENT ON FUNCTION %s IS %L', f, CASE (SELECT proname FROM pg_catalog.pg_proc WHERE oid = f)
            WHEN 'crm_confidence_intervals' THEN 'Per parameter: estimate, standard error and a confidence interval at level (default 0.9): log-scale Wald, exp(ln estimate +- z se / estimate); NULL bounds without standard errors.'
            WHEN 'crm_model_summary' THEN 'One row of plain columns describing a model value: model, unit, parameters (display text, names, estimates, standard errors), log-likelihood, customers, skipped rows, iterations, penalizer, converged, and the warnings the fit recorded (count, and text joined with "; ", NULL when none).'
            WHEN 'crm_expected_purchases_interval' THEN 'Interval (low, estimate, high) at level of a customer''s expected purchases over horizon under the uncertainty of the fitted parameters (their covariance): method delta (default; log scale) or bootstrap (draws parameter sets from their sampling distribution, seeded).'
            ELSE 'Interval (low, estimate, high) at level of a customer''s CLV (months, discount as crm_clv) under the uncertainty of both fits'' parameters (independent fits): method delta (default; log scale) or bootstrap (draws parameter sets from their sampling distribution, seeded).'
        END);
    END LOOP;
END $comments$;
CREATE SCHEMA crm_internal;
GRANT USAGE ON SCHEMA crm_internal TO PUBLIC;
COMMENT ON SCHEMA crm_internal IS 'crm_ext''s internal support functions and types (aggregate support, type input/output, operator functions, helpers, aggregate states): not part of the API; keep it off search_path.';
DO $move$
DECLARE
    f regprocedure;
    t regtype;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
        WHERE p.pronamespace = '@extschema@'::regnamespace AND p.prokind IN ('f', 'p')
          AND (p.proname LIKE 'crm\_\_%'
               OR p.proname ~ '_(trans|final|combine|serialize|deserialize)[0-9]*$'
               OR (p.proname ~ '_(in|out|send|recv|eq|ne|lt|le|gt|ge|cmp|hash)$'
                   AND EXISTS (SELECT 1 FROM pg_catalog.pg_type ty WHERE ty.typnamespace = p.pronamespace
                               AND p.proname LIKE ty.typname || '\_%')))
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET SCHEMA crm_internal', f);
    END LOOP;
    FOR t IN
        SELECT ty.oid::regtype FROM pg_catalog.pg_type ty
        WHERE ty.typnamespace = '@extschema@'::regnamespace AND ty.typelem = 0
          AND (ty.typname LIKE 'crm\_\_%' OR (ty.typtype = 'c' AND ty.typname LIKE 'crm\_%\_result'))
    LOOP
        EXECUTE format('ALTER TYPE %s SET SCHEMA crm_internal', t);
    END LOOP;
END $move$;

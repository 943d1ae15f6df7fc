-- The CLTV pipeline in one call: crm_cltv_models fits both models over a relation with the fit
-- aggregates; crm_cltv scores every row with the scalar predictors; crm_holdout_check compares
-- predicted and actual holdout purchases. Identifiers are quoted with format('%I'), so column
-- arguments cannot inject SQL; the queries run with the caller's privileges and row-level security.
-- Every function runs with search_path = pg_catalog, pg_temp and names the extension's own objects
-- as @extschema@.name, so operators and functions that another role put on the caller's path
-- (public./(float8, bigint) ...) never run inside them (PostgreSQL's rule for trusted extensions).

CREATE FUNCTION crm__frequency_expr(frequency text, frequency_is text) RETURNS text
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

CREATE FUNCTION crm__raise_invalid(message text, hint text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION '%', message USING ERRCODE = '22023', HINT = hint;
END $$;

CREATE FUNCTION crm_cltv_models(
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

-- crm_cltv's rows. A named type rather than RETURNS TABLE: PL/pgSQL does not allow output columns
-- named like the input arguments (frequency => 'frequency' ...).
CREATE TYPE crm_cltv_result AS (
    customer_id text, frequency float8, recency float8, t float8, monetary float8,
    p_alive float8, exp_sales_3_month float8, exp_sales_6_month float8, exp_average_value float8,
    cltv float8, cltv_segment text);
COMMENT ON TYPE crm_cltv_result IS 'One customer''s row of crm_cltv.';

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

CREATE FUNCTION crm_holdout_check(
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

COMMENT ON FUNCTION crm_cltv_models(regclass, text, text, text, text, text, text, float8, float8, text) IS 'Fits BG/NBD and Gamma-Gamma over a relation''s frequency, recency, t and monetary columns (the models crm_cltv uses).';
COMMENT ON FUNCTION crm_cltv(regclass, text, text, text, text, text, text, integer, float8, float8, float8, integer, text, text) IS 'The CLTV pipeline in one call: fits a purchase model (model => bgnbd, the default, mbgnbd or pareto_nbd; its penalizer is bgnbd_penalizer) and Gamma-Gamma over the relation and returns per customer P(alive), expected sales in 3 and 6 months, expected average value, the discounted CLV over months, and a CLV segment (A = best of segments quantile groups, cut like pandas qcut).';
COMMENT ON FUNCTION crm_holdout_check(crm_bgnbd, regclass, text, text, text, text, text, integer) IS 'Predicted vs actual holdout purchases per calibration frequency bucket (0 .. max_bucket-1, max_bucket+) and in total, for a relation shaped like crm_holdout_summary''s result.';
COMMENT ON FUNCTION crm__frequency_expr(text, text) IS 'Internal: the SQL expression for repeat purchases from a frequency column.';
COMMENT ON FUNCTION crm__raise_invalid(text, text) IS 'Internal: raises a 22023 error.';

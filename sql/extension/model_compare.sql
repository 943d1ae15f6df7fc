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

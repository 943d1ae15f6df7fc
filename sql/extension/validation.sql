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

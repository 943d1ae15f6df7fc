-- The bad-input matrix, generated from the catalog so that every new public function is covered:
-- each function and aggregate of the extension (all but the aggregates' support functions, which
-- take `internal`) is called with valid arguments, then with each argument in turn replaced by
-- NULL and by bad values of its type (NaN, infinities, 1e308, negative and huge counts, empty and
-- 2-D arrays, unknown names, a relation that does not exist). A call must return finite numbers
-- or raise a PostgreSQL error of an expected class (22 data exception, 42 syntax/undefined object,
-- 0A feature, 54 limits; not 42601, a syntax error in SQL the extension built); never an internal
-- error (XX000), a crash, a hang, NaN or Infinity.
\set VERBOSITY terse
\set SHOW_CONTEXT never
SET client_min_messages = error;
SET statement_timeout = '600s';  -- a hang fails the test instead of stalling the suite
CREATE TABLE matrix_rows AS
SELECT id::text AS customer_id, x AS frequency, t_x AS recency, t, zbar AS monetary,
       x AS frequency_cal, t_x AS recency_cal, t AS t_cal, (id % 3)::float8 AS frequency_holdout,
       39.0::float8 AS duration_holdout, ('1997-01-01'::timestamp + (id % 500) * interval '1 day') AS order_ts,
       zbar AS amount, (id % 7)::text AS order_id
FROM cdnow_summary_tx;
CREATE TABLE matrix_models AS
SELECT crm_bgnbd_fit(frequency, recency, t) AS bg, crm_gamma_gamma_fit(frequency, monetary) AS gg,
       crm_kmeans_fit(ARRAY[recency, t], 3) AS km, crm_rft_summary(frequency, recency, t) AS rft,
       crm_spend_summary(frequency, monetary) AS spend
FROM matrix_rows;

-- the values tried per argument type: the first is the valid one
CREATE FUNCTION pg_temp.values_of(type regtype, arg text) RETURNS text[] LANGUAGE sql AS $$
SELECT CASE type
    WHEN 'double precision'::regtype THEN
        ARRAY[CASE WHEN arg IN ('low_quantile') THEN '0.05' WHEN arg IN ('high_quantile') THEN '0.95'
                   WHEN arg IN ('t_max', 'horizon', 't', 'up', 'value') THEN '10' ELSE '1' END,
              '0', '-1', '0.5', '''NaN''', '''Infinity''', '''-Infinity''', '1e308', '-1e308', '1e-308']
    WHEN 'integer'::regtype THEN
        ARRAY[CASE WHEN arg IN ('bins', 'segments') THEN '5' WHEN arg IN ('months') THEN '6' ELSE '3' END,
              '0', '-1', '2147483647', '-2147483648']
    WHEN 'bigint'::regtype THEN ARRAY['10', '0', '-1', '9223372036854775807', '-9223372036854775808']
    WHEN 'text'::regtype THEN
        ARRAY[CASE arg WHEN 'unit' THEN '''week''' WHEN 'map' THEN '''course''' WHEN 'period' THEN '''month'''
                       WHEN 'round' THEN '''half_even''' WHEN 'scaling' THEN '''standard''' WHEN 'duplicates' THEN '''drop'''
                       WHEN 'frequency_is' THEN '''repeat''' WHEN 'parameter' THEN '''r''' WHEN 'tiebreak' THEN 'NULL' WHEN 'cohort_by' THEN 'NULL'
                       WHEN 'customer' THEN '''customer_id''' WHEN 'order_ts' THEN '''order_ts'''
                       WHEN 'order_id' THEN '''order_id''' WHEN 'amount' THEN '''amount'''
                       ELSE quote_literal(arg) END,
              '''''', '''no such thing''', quote_literal(repeat('x', 5000)), '''week; DROP TABLE matrix_rows''']
    WHEN 'text[]'::regtype THEN ARRAY['ARRAY[''recency'', ''t'']', '''{}''::text[]', 'ARRAY[NULL::text]', 'ARRAY[[''recency''], [''t'']]']
    WHEN 'double precision[]'::regtype THEN
        ARRAY['ARRAY[1, 2, 3]::float8[]', '''{}''::float8[]', 'ARRAY[''NaN'', 1]::float8[]',
              'ARRAY[[1, 2], [3, 4]]::float8[]', 'ARRAY[1e308, -1e308]::float8[]', 'ARRAY[NULL, 1]::float8[]']
    WHEN 'timestamp without time zone'::regtype THEN
        ARRAY['''1998-01-01''::timestamp', '''infinity''::timestamp', '''-infinity''::timestamp', '''4713-01-01 BC''::timestamp']
    WHEN 'regclass'::regtype THEN ARRAY['''matrix_rows''::regclass', '0::oid::regclass', '''pg_class''::regclass']
    WHEN 'boolean'::regtype THEN ARRAY['false', 'true']
    WHEN 'crm_bgnbd'::regtype THEN ARRAY['(SELECT bg FROM matrix_models)', 'crm_bgnbd(1e-300, 1e300, 1e-300, 1e300)']
    WHEN 'crm_gamma_gamma'::regtype THEN ARRAY['(SELECT gg FROM matrix_models)', 'crm_gamma_gamma(1e-300, 1.0000001, 1e300)']
    WHEN 'crm_kmeans'::regtype THEN ARRAY['(SELECT km FROM matrix_models)']
    WHEN 'crm_rft_summary'::regtype THEN ARRAY['(SELECT rft FROM matrix_models)',
        '(SELECT crm_rft_summary(1e9::float8, 1e300::float8, 1e300::float8, 9223372036854775807))',
        '(SELECT crm_rft_summary(frequency, recency, t, 1, ''day'') FROM matrix_rows WHERE false)']
    WHEN 'crm_spend_summary'::regtype THEN ARRAY['(SELECT spend FROM matrix_models)',
        '(SELECT crm_spend_summary(1e9::float8, 1e300::float8, 9223372036854775807))']
    ELSE ARRAY['NULL']
END || ARRAY['NULL'] $$;

CREATE TABLE matrix_calls (fn text, call text, sqlstate text, message text, bad_number boolean);

DO $matrix$
DECLARE
    f record;
    vals text[][];
    args text[];
    call text;
    i int;
    v text;
    result text;
BEGIN
    FOR f IN
        SELECT p.oid, p.proname, p.prokind, p.proretset, ARRAY(SELECT a::regtype FROM unnest(p.proargtypes::oid[]) a) AS types,
               coalesce(p.proargnames, '{}') AS names
        FROM pg_proc p
        JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
        JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'crm_ext'
        WHERE p.prokind IN ('f', 'a')
          AND NOT p.proargtypes::oid[] && ARRAY['internal', 'cstring']::regtype[]::oid[]
          AND p.prorettype NOT IN ('internal'::regtype, 'cstring'::regtype)
          AND p.proname NOT IN ('crm_bgnbd_in', 'crm_bgnbd_out')
        ORDER BY p.proname, p.oid
    LOOP
        -- the baseline (all first values), then each argument through its values
        FOR i IN 0 .. coalesce(array_length(f.types, 1), 0) LOOP
            FOREACH v IN ARRAY CASE WHEN i = 0 THEN ARRAY['<baseline>']
                                    ELSE (pg_temp.values_of(f.types[i], f.names[i]))[2:] END LOOP
                args := ARRAY(SELECT CASE WHEN j = i THEN v ELSE (pg_temp.values_of(f.types[j], f.names[j]))[1] END
                              || '::' || f.types[j]::text
                              FROM generate_series(1, coalesce(array_length(f.types, 1), 0)) j ORDER BY j);
                call := format('%I(%s)', f.proname, array_to_string(args, ', '));
                IF f.prokind = 'a' THEN
                    call := format('SELECT %s::text FROM generate_series(1, 3)', call);
                ELSIF f.proretset THEN
                    call := format('SELECT string_agg(r::text, '','') FROM %s r', call);
                ELSE
                    call := format('SELECT %s::text', call);
                END IF;
                BEGIN
                    EXECUTE call INTO result;
                    INSERT INTO matrix_calls VALUES (f.proname, call, NULL, NULL,
                        result ~* '(^|[^a-z])(nan|-?infinity|inf)([^a-z]|$)');
                EXCEPTION WHEN OTHERS THEN
                    INSERT INTO matrix_calls VALUES (f.proname, call, SQLSTATE, SQLERRM, false);
                END;
            END LOOP;
        END LOOP;
    END LOOP;
END $matrix$;
RESET client_min_messages;

SELECT count(*) > 1000 AS many_calls, count(DISTINCT fn) > 45 AS many_functions,
       count(*) FILTER (WHERE sqlstate IS NULL) > 100 AS many_succeed FROM matrix_calls;
-- every violation: an internal error, an unexpected class, a timeout, or a non-finite number
SELECT fn, sqlstate, left(message, 120) AS message, left(call, 200) AS call
FROM matrix_calls
WHERE bad_number OR (sqlstate IS NOT NULL AND (left(sqlstate, 2) NOT IN ('22', '42', '0A', '54') OR sqlstate = '42601'))
ORDER BY fn, call;
DROP TABLE matrix_calls, matrix_models, matrix_rows;

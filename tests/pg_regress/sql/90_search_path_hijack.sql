-- Trusted-extension safety: operators, functions and aggregates that an unprivileged role creates in
-- a schema on the caller's search_path never run inside crm_ext's functions. The attacker shadows
-- every built-in operator on common types (exact signatures, and cross-type ones pg_catalog lacks,
-- such as /(float8, bigint)), the functions and aggregates the extension's SQL uses; each shadow
-- records that it ran. A superuser then calls every function that runs SQL, first with pg_catalog
-- implicitly first on the path, then with the attacker's schema explicitly before pg_catalog.
\set VERBOSITY terse
\set SHOW_CONTEXT never
\getenv crm_root CRM_EXT_ROOT
CREATE ROLE crm_attacker NOLOGIN;
CREATE SCHEMA attack AUTHORIZATION crm_attacker;
GRANT USAGE ON SCHEMA attack TO PUBLIC;
SET ROLE crm_attacker;
CREATE TABLE attack.log (what text);
GRANT INSERT, SELECT ON attack.log TO PUBLIC;

DO $gen$
DECLARE
    types text[] := ARRAY['smallint', 'integer', 'bigint', 'real', 'double precision', 'numeric', 'text',
                          'date', 'timestamp without time zone', 'timestamp with time zone', 'interval',
                          'boolean', 'oid', 'name'];
    ops text[] := ARRAY['+', '-', '*', '/', '%', '^', '=', '<>', '<', '>', '<=', '>=', '||', '~~'];
    l text; r text; op text; ret text; n int := 0; fn text;
    f record;
BEGIN
    FOREACH op IN ARRAY ops LOOP
        FOREACH l IN ARRAY types LOOP
            FOREACH r IN ARRAY types LOOP
                ret := CASE WHEN op IN ('=', '<>', '<', '>', '<=', '>=', '~~') THEN 'boolean'
                            WHEN op = '||' THEN 'text' ELSE l END;
                n := n + 1;
                fn := 'attack.op' || n;
                EXECUTE format('CREATE FUNCTION %s(%s, %s) RETURNS %s LANGUAGE plpgsql AS '
                               '$b$BEGIN INSERT INTO attack.log VALUES (%L); RETURN NULL; END$b$',
                               fn, l, r, ret, format('operator %s(%s, %s)', op, l, r));
                EXECUTE format('CREATE OPERATOR attack.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = %s)', op, l, r, fn);
            END LOOP;
        END LOOP;
    END LOOP;
    -- plain functions: same name and argument types as the built-ins (no pseudo-types)
    FOR f IN
        SELECT p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid) AS args,
               pg_catalog.format_type(p.prorettype, NULL) AS ret, p.proretset
        FROM pg_catalog.pg_proc p
        WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.prokind = 'f'
          AND p.proname IN ('format', 'lower', 'upper', 'round', 'chr', 'ascii', 'date_trunc', 'generate_series',
                            'format_type', 'length', 'replace', 'concat', 'quote_ident', 'to_char', 'date_part',
                            'extract', 'make_interval', 'age', 'array_length', 'cardinality', 'floor', 'ceil',
                            'trunc', 'abs', 'ln', 'exp', 'sqrt', 'power', 'greatest', 'float8', 'numeric',
                            'int4', 'int8', 'text', 'timestamp', 'date', 'substr', 'left', 'right',
                            'jsonb_build_object', 'to_jsonb', 'unnest', 'now', 'current_date')
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(p.proargtypes::oid[]) a(t)
                          JOIN pg_catalog.pg_type ty ON ty.oid = a.t WHERE ty.typtype = 'p')
          AND (SELECT typtype FROM pg_catalog.pg_type WHERE oid = p.prorettype) <> 'p'
          AND p.provariadic = 0
    LOOP
        EXECUTE format('CREATE FUNCTION attack.%I(%s) RETURNS %s%s LANGUAGE plpgsql AS '
                       '$b$BEGIN INSERT INTO attack.log VALUES (%L); RETURN%s; END$b$',
                       f.proname, f.args, CASE WHEN f.proretset THEN 'SETOF ' ELSE '' END, f.ret,
                       format('function %s(%s)', f.proname, f.args), CASE WHEN f.proretset THEN '' ELSE ' NULL' END);
    END LOOP;
END $gen$;
-- format(text, "any") takes any arguments; a variadic text[] overload is an exact match for text
CREATE FUNCTION attack.format(text, VARIADIC text[]) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO attack.log VALUES ('function format(text, text[])'); RETURN NULL; END$$;
-- aggregates
CREATE FUNCTION attack.agg_step(bigint) RETURNS bigint LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO attack.log VALUES ('aggregate'); RETURN 0; END$$;
CREATE AGGREGATE attack.count(*) (sfunc = attack.agg_step, stype = bigint);
CREATE FUNCTION attack.agg_any(float8, float8) RETURNS float8 LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO attack.log VALUES ('aggregate'); RETURN 0; END$$;
CREATE AGGREGATE attack.sum(float8) (sfunc = attack.agg_any, stype = float8);
CREATE AGGREGATE attack.min(float8) (sfunc = attack.agg_any, stype = float8);
CREATE AGGREGATE attack.max(float8) (sfunc = attack.agg_any, stype = float8);
CREATE FUNCTION attack.agg_num(numeric, numeric) RETURNS numeric LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO attack.log VALUES ('aggregate'); RETURN 0; END$$;
CREATE AGGREGATE attack.sum(numeric) (sfunc = attack.agg_num, stype = numeric);
CREATE FUNCTION attack.agg_date(date, date) RETURNS date LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO attack.log VALUES ('aggregate'); RETURN NULL; END$$;
CREATE AGGREGATE attack.min(date) (sfunc = attack.agg_date, stype = date);
CREATE AGGREGATE attack.max(date) (sfunc = attack.agg_date, stype = date);
CREATE FUNCTION attack.os_step(float8[], float8) RETURNS float8[] LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO attack.log VALUES ('aggregate percentile_cont'); RETURN $1; END$$;
CREATE FUNCTION attack.os_final(float8[], float8[], float8) RETURNS float8[] LANGUAGE plpgsql AS
    $$BEGIN RETURN $2; END$$;
CREATE AGGREGATE attack.percentile_cont(float8[] ORDER BY float8) (
    sfunc = attack.os_step, stype = float8[], finalfunc = attack.os_final, finalfunc_extra);
RESET ROLE;
SELECT pg_catalog.count(*) > 2500 AS many_shadows FROM pg_catalog.pg_proc WHERE pronamespace = 'attack'::regnamespace;

-- the caller's data (the attacker cannot read it)
CREATE TABLE hj_orders AS
SELECT customer_id::text AS customer_id, order_date::timestamp AS order_ts, order_date, dollars AS amount,
       (customer_id || '-' || order_date)::text AS order_id
FROM cdnow_transactions;
CREATE TABLE hj_summary AS
SELECT id::text AS customer_id, x AS frequency, t_x AS recency, t, zbar AS monetary FROM cdnow_summary_tx;
CREATE TABLE hj_rfm AS
SELECT customer_id, extract(day FROM '1998-07-01'::timestamp - max(order_ts))::int AS recency,
       count(*)::int AS frequency, sum(amount)::float8 AS monetary
FROM hj_orders GROUP BY customer_id;
CREATE TABLE hj_holdout AS
SELECT customer_id, frequency AS frequency_cal, recency AS recency_cal, t AS t_cal,
       (length(customer_id) % 3)::float8 AS frequency_holdout, 39.0::float8 AS duration_holdout
FROM hj_summary;
CREATE TABLE hj_model AS SELECT crm_bgnbd_fit(frequency, recency, t) AS m FROM hj_summary;
REVOKE ALL ON hj_orders, hj_summary, hj_rfm, hj_holdout, hj_model FROM PUBLIC;

-- a positive control: a plain query with /(float8, bigint) on this path runs the attacker's code
SET search_path = public, attack;
SELECT 1::float8 / 2::bigint AS hijacked_division;
SELECT pg_catalog.count(*) AS control_calls FROM attack.log;
TRUNCATE attack.log;

-- 1. pg_catalog implicitly first, the attacker's schema on the path
\i :crm_root/tests/pg_regress/include/hijack_calls.sql
SELECT pg_catalog.count(*) AS attacker_calls FROM attack.log;

-- 2. the attacker's schema explicitly before pg_catalog: exact shadows of the built-ins now win
-- for unqualified names; the statements here qualify theirs, the extension must too
SET search_path = attack, pg_catalog, public;
\i :crm_root/tests/pg_regress/include/hijack_calls.sql
SELECT pg_catalog.count(*) AS attacker_calls FROM attack.log;

-- 3. only pg_catalog on the path: the one-call functions still find the extension's objects
SET search_path = pg_catalog;
SELECT count(*) AS cltv_rows FROM public.crm_cltv('public.hj_summary');
SELECT count(*) AS model_rows FROM public.crm_cltv_models('public.hj_summary');
SELECT count(*) AS holdout_rows FROM public.crm_holdout_check((SELECT m FROM public.hj_model), 'public.hj_holdout');
SELECT count(*) AS kpi_rows FROM public.crm_kpis('public.hj_orders', amount => 'amount');
SELECT count(*) AS rfm_rows FROM public.crm_rfm_scores('public.hj_rfm');
RESET search_path;

DROP TABLE hj_orders, hj_summary, hj_rfm, hj_holdout, hj_model;
SET client_min_messages = warning;  -- the number of shadows depends on the server's catalog
DROP SCHEMA attack CASCADE;
RESET client_min_messages;
DROP ROLE crm_attacker;

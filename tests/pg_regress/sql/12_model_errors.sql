-- Bad input to the model functions: PostgreSQL errors with the right SQLSTATE, never NaN.
\set VERBOSITY default
\set SHOW_CONTEXT never
CREATE TEMP TABLE bg AS SELECT crm_bgnbd(0.242593, 4.413532, 0.792886, 2.425752) AS m;
CREATE TEMP TABLE gg AS SELECT crm_gamma_gamma(6.248802, 3.744588, 15.447748) AS m;

-- fit aggregates: frequency negative / fractional, recency > t, NaN, infinity, unknown unit, bad penalizer
SELECT crm_bgnbd_fit(f, r, t) FROM (VALUES (-1.0::float8, 0.0::float8, 10.0::float8)) v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_bgnbd_fit(f, r, t) FROM (VALUES (2.5::float8, 1.0::float8, 10.0::float8)) v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_bgnbd_fit(f, r, t) FROM (VALUES (2::float8, 11::float8, 10::float8)) v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_bgnbd_fit(f, r, t) FROM (VALUES (2::float8, 'NaN'::float8, 10::float8)) v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_bgnbd_fit(f, r, t) FROM (VALUES (2::float8, 1::float8, 'Infinity'::float8)) v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_bgnbd_fit(frequency, recency, t, 0, 'fortnight') FROM cdnow_summary;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_bgnbd_fit(frequency, recency, t, -0.1) FROM cdnow_summary;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_bgnbd_fit(frequency, recency, t, NULL) FROM cdnow_summary;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_bgnbd_fit(frequency, recency, t, (id % 2)::float8) FROM cdnow_summary;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_gamma_gamma_fit(x, m) FROM (VALUES (2::float8, -5::float8)) v(x, m);
\echo :LAST_ERROR_SQLSTATE

-- NULL rows are skipped and counted; empty input gives NULL
SELECT bg::text::jsonb->>'customers' AS customers, bg::text::jsonb->>'skipped_null' AS skipped_null
FROM (SELECT crm_bgnbd_fit(frequency, CASE WHEN id <= 10 THEN NULL ELSE recency END, t) AS bg FROM cdnow_summary) s;
SELECT crm_bgnbd_fit(frequency, recency, t) IS NULL AS empty_is_null FROM cdnow_summary WHERE false;
SELECT crm_gamma_gamma_fit(x, zbar) IS NULL AS all_skipped_is_null FROM cdnow_summary_tx WHERE x = 0;

-- predictors
SELECT crm_expected_purchases(m, 1, 1, 10, -1) FROM bg;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_p_alive(m, 1, 20, 10) FROM bg;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_prob_purchases(m, -1, 10) FROM bg;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_clv(bg.m, gg.m, 2, 30, 38, 20, months => 12, discount => -0.01) FROM bg, gg;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_clv(bg.m, gg.m, 2, 30, 38, 20, months => -1) FROM bg, gg;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_expected_spend(crm_gamma_gamma(2, 0.5, 3), 0, 0);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_bgnbd(-1, 1, 1, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT crm_bgnbd(1, 1, 1, 1, unit => 'fortnight');
\echo :LAST_ERROR_SQLSTATE
SELECT '{"model":"bgnbd","r":1}'::crm_bgnbd;
\echo :LAST_ERROR_SQLSTATE
SELECT crm_bgnbd_simulate(10, 1, 1, 1, 1, p => 1);
\echo :LAST_ERROR_SQLSTATE

-- q < 1 still gives finite spend for customers with repeat purchases
SELECT round(crm_expected_spend(crm_gamma_gamma(2, 0.5, 3), 3, 10)::numeric, 4) AS spend_q_below_1;

-- an extreme grid: x up to 1e5, t up to 1e4, horizons up to 1e4, a < 1 and a + b + x - 1 <= 0 cases.
-- Every call gives a finite value or raises an error; none gives NaN or infinity.
CREATE TEMP TABLE grid_result (finite int, nonfinite int, errors int);
DO $$
DECLARE
    finite int := 0; nonfinite int := 0; errors int := 0; v float8;
    p record; c record; h float8;
BEGIN
    FOR p IN SELECT * FROM (VALUES (0.243, 4.414, 0.793, 2.426), (0.1, 0.01, 0.05, 0.02), (5, 100, 0.3, 0.01),
                                   (0.01, 1000, 2, 0.5), (50, 0.5, 0.999, 1e-4)) AS t(r, alpha, a, b) LOOP
        FOR c IN SELECT x, tx, tt FROM unnest(ARRAY[0, 1, 2, 10, 1000, 100000]) x,
                 unnest(ARRAY[0.5, 10, 1000, 10000]) tt, unnest(ARRAY[0.0, 0.5, 1.0]) f,
                 LATERAL (SELECT CASE WHEN x = 0 THEN 0 ELSE f * tt END AS tx) s LOOP
            FOREACH h IN ARRAY ARRAY[0.0, 1, 52, 10000] LOOP
                BEGIN
                    v := crm_expected_purchases(crm_bgnbd(p.r, p.alpha, p.a, p.b), c.x, c.tx, c.tt, h)
                         + crm_p_alive(crm_bgnbd(p.r, p.alpha, p.a, p.b), c.x, c.tx, c.tt)
                         + crm_expected_purchases_new(crm_bgnbd(p.r, p.alpha, p.a, p.b), h);
                    IF v = 'NaN'::float8 OR v IN ('Infinity', '-Infinity') THEN nonfinite := nonfinite + 1;
                    ELSE finite := finite + 1; END IF;
                EXCEPTION WHEN OTHERS THEN errors := errors + 1;
                END;
            END LOOP;
        END LOOP;
    END LOOP;
    INSERT INTO grid_result VALUES (finite, nonfinite, errors);
END $$;
SELECT finite + nonfinite + errors AS calls, nonfinite, errors, finite > 0 AS some_finite FROM grid_result;

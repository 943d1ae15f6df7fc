-- A short fuzz of every type input: valid text forms of crm_bgnbd, crm_gamma_gamma, crm_kmeans and the
-- summary types crm_rft_summary and crm_spend_summary (small ones: 30 customers),
-- mutated at random (a character replaced, deleted or doubled, a piece cut or repeated, a number
-- replaced by an extreme one), are read by the type's input function. Every text is either
-- rejected with a data exception (22xxx) or accepted, and an accepted value prints a text form
-- that reads back to the same text (no crash, no internal error, no NaN).
\set VERBOSITY terse
SELECT setseed(0.5);
CREATE TEMP TABLE fuzz_base AS
SELECT 'crm_bgnbd' AS type, crm_bgnbd_fit(frequency, recency, t)::text AS base FROM cdnow_summary
UNION ALL SELECT 'crm_gamma_gamma', crm_gamma_gamma_fit(x, zbar)::text FROM cdnow_summary_tx
UNION ALL SELECT 'crm_kmeans', crm_kmeans_fit(ARRAY[t_x, t], 3)::text FROM cdnow_summary_tx
UNION ALL SELECT 'crm_rft_summary', crm_rft_summary(x, t_x, t, 1, 'week')::text FROM (SELECT * FROM cdnow_summary_tx ORDER BY id LIMIT 30) c
UNION ALL SELECT 'crm_spend_summary', crm_spend_summary(x, zbar)::text FROM (SELECT * FROM cdnow_summary_tx ORDER BY id LIMIT 30) c;
CREATE TEMP TABLE fuzz_results (type text, input text, sqlstate text, round_trip boolean);
DO $fuzz$
DECLARE
    b record;
    s text;
    pos int;
    n int;
    out text;
    same boolean;
    pieces text[] := ARRAY['0', '-1', '1e308', '1e-320', 'NaN', 'Infinity', 'null', 'true', '"x"', '[]', '{}',
                           '18446744073709551616', '-0', '"week"', '"hour"', ',', ':', '"', '\', ']', '}'];
BEGIN
    FOR b IN SELECT * FROM fuzz_base LOOP
        FOR i IN 0 .. 700 LOOP
            s := b.base;  -- i = 0: the valid text itself
            FOR j IN 1 .. CASE WHEN i = 0 THEN 0 ELSE 1 + (random() * 3)::int END LOOP
                n := length(s);
                pos := 1 + (random() * greatest(n - 1, 0))::int;
                CASE (random() * 5)::int
                    WHEN 0 THEN s := overlay(s PLACING chr(32 + (random() * 94)::int) FROM pos FOR 1);
                    WHEN 1 THEN s := overlay(s PLACING '' FROM pos FOR 1 + (random() * 5)::int);
                    WHEN 2 THEN s := overlay(s PLACING substr(s, pos, 1 + (random() * 20)::int) FROM pos FOR 0);
                    WHEN 3 THEN s := left(s, pos);
                    ELSE s := regexp_replace(s, '-?[0-9][0-9.e+-]*', pieces[1 + (random() * (cardinality(pieces) - 1))::int],
                                             1 + (random() * 20)::int);
                END CASE;
            END LOOP;
            BEGIN
                EXECUTE format('SELECT %L::%s::text', s, b.type) INTO out;
                EXECUTE format('SELECT %L::%s::text = %L', out, b.type, out) INTO STRICT same;
                INSERT INTO fuzz_results VALUES (b.type, s, NULL, same);
            EXCEPTION WHEN OTHERS THEN
                INSERT INTO fuzz_results VALUES (b.type, s, SQLSTATE, NULL);
            END;
        END LOOP;
    END LOOP;
END $fuzz$;
SELECT type, count(*) AS inputs, count(*) FILTER (WHERE sqlstate IS NULL) > 0 AS some_accepted,
       count(*) FILTER (WHERE sqlstate LIKE '22%') > 300 AS most_rejected
FROM fuzz_results GROUP BY type ORDER BY type;
-- violations: another error class, or an accepted value whose text form does not read back
SELECT type, sqlstate, round_trip, left(input, 160) AS input
FROM fuzz_results
WHERE (sqlstate IS NOT NULL AND sqlstate NOT LIKE '22%') OR round_trip IS DISTINCT FROM (sqlstate IS NULL OR NULL)
ORDER BY 1, 4;

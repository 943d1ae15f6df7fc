-- Helpers of bench/run.sh, created in the throwaway benchmark database.

-- Best wall times in seconds of `reps` executions of `q` and of `floor_q` (NULL: none), run
-- alternately so that both see the same machine.
CREATE FUNCTION bench_pair(q text, floor_q text, reps int, OUT best float8, OUT floor_best float8)
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
BEGIN
    best := 'Infinity';
    FOR i IN 1..reps LOOP
        IF floor_q IS NOT NULL THEN
            t0 := clock_timestamp();
            EXECUTE floor_q;
            floor_best := least(coalesce(floor_best, 'Infinity'), extract(epoch FROM clock_timestamp() - t0));
        END IF;
        t0 := clock_timestamp();
        EXECUTE q;
        best := least(best, extract(epoch FROM clock_timestamp() - t0));
    END LOOP;
END $$;

-- Peak resident memory of this backend so far (VmHWM), in MiB.
CREATE FUNCTION bench_peak_mib() RETURNS float8 LANGUAGE sql AS $$
    SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmHWM:\s*(\d+) kB'))[1]::float8 / 1024
$$;

-- Release 0.1.0's BG/NBD fit aggregate with its `internal` state (the library keeps those C
-- functions for databases not yet updated, src/pg/compat_0_1.rs): the baseline of the per-row cost
-- of the summary-type state that replaced it.
CREATE FUNCTION bench_internal_bgnbd_trans(internal, float8, float8, float8) RETURNS internal
    LANGUAGE c AS '$libdir/crm_ext', 'crm_bgnbd_trans3';
CREATE FUNCTION bench_internal_bgnbd_final(internal) RETURNS crm_bgnbd
    LANGUAGE c AS '$libdir/crm_ext', 'crm_bgnbd_final_wrapper';
CREATE AGGREGATE bench_internal_bgnbd_fit(float8, float8, float8) (
    sfunc = bench_internal_bgnbd_trans, stype = internal, finalfunc = bench_internal_bgnbd_final);

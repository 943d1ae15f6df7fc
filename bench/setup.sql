-- Helpers of bench/run.sh, created in the throwaway benchmark database.

-- Best wall time in seconds of `reps` executions of the query `q` (its result is discarded).
CREATE FUNCTION bench_best(q text, reps int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    best float8 := 'Infinity';
    t0 timestamptz;
BEGIN
    FOR i IN 1..reps LOOP
        t0 := clock_timestamp();
        EXECUTE q;
        best := least(best, extract(epoch FROM clock_timestamp() - t0));
    END LOOP;
    RETURN best;
END $$;

-- Peak resident memory of this backend so far (VmHWM), in MiB.
CREATE FUNCTION bench_peak_mib() RETURNS float8 LANGUAGE sql AS $$
    SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmHWM:\s*(\d+) kB'))[1]::float8 / 1024
$$;

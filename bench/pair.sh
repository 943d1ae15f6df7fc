# Sourced by bench/run.sh and bench/validation.sh (which load bench/setup.sql into $PGDATABASE).
# bench_pair_line QUERY [FLOOR]: the best time in seconds of QUERY over $REPS runs on one core,
# the best time of FLOOR run alternately with it (empty without one: this machine's speed
# drifts, and a ratio is only fair between times taken side by side), and the backend's peak
# memory in MiB, in a fresh session, as "best|floor_best|peak_mib".
bench_pair_line() {
    psql -X -q -At -F '|' -v ON_ERROR_STOP=1 -v q="$1" -v f="${2:-}" -v reps="$REPS" <<'SQL'
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SELECT b.best, b.floor_best, bench_peak_mib() FROM bench_pair(:'q', nullif(:'f', ''), :reps) AS b;
SQL
}

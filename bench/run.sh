#!/usr/bin/env bash
# Benchmark (not a test): fit and scoring times of crm_ext against a plain scan and against the
# lifetimes Python library, on customers simulated with the CDNOW parameters.
# Usage: bench/run.sh   (or make bench). Environment:
#   BENCH_SIZES="100000 1000000 10000000"  customer counts
#   BENCH_FAMILY_MAX=1000000      largest size for crm_ext's MBG/NBD and Pareto/NBD fits (Pareto/NBD takes
#                                 about a minute per million continuous-time customers)
#   BENCH_REPS=5                  runs per timing; the best is reported
#   BENCH_LIFETIMES=1             0 skips the lifetimes columns
#   BENCH_FAMILY_LIFETIMES_MAX=100000   largest size for lifetimes' MBG/NBD and Pareto/NBD (one run each)
#   BENCH_RESULTS=bench/results.md  where the table goes (also to stdout); scratch files go to bench/out/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/pair.sh"
BENCH="$ROOT/bench"
OUT="$BENCH/out"
SIZES=(${BENCH_SIZES:-100000 1000000 10000000})
REPS="${BENCH_REPS:-5}"
mkdir -p "$OUT"
rm -f "$OUT"/*.csv "$OUT/measurements.tsv"
cleanup() { stop_cluster; }
trap cleanup EXIT

# A script-local virtualenv with lifetimes 0.11.3; prints why when it cannot be set up.
lifetimes_python() {
    local venv="$BENCH/.venv"
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import lifetimes' 2>/dev/null; then
        python3 -m venv "$venv" >&2 || return 1
        "$venv/bin/pip" install -q --disable-pip-version-check --timeout 20 \
            lifetimes==0.11.3 'pandas<2' 'numpy<2' >&2 || return 1
    fi
    echo "$venv/bin/python"
}

LIFETIMES_SKIP=""
if [ "${BENCH_LIFETIMES:-1}" = 0 ]; then
    LIFETIMES_SKIP="BENCH_LIFETIMES=0"
elif ! PY="$(lifetimes_python)"; then
    LIFETIMES_SKIP="PyPI unreachable or pip install failed (lifetimes==0.11.3, pandas<2, numpy<2)"
    echo "lifetimes: $LIFETIMES_SKIP; skipping that column" >&2
fi

ensure_deps
# Installing into the one system PostgreSQL: serialise with the test layers of every checkout.
exec 9>/tmp/crm_ext_install.lock
flock 9
install_extension --release
# Shared buffers that hold both simulated tables, so the scan floor is not a re-read from the OS cache.
CRM_PG_OPTS="-c shared_buffers=1GB" start_cluster
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS crm_bench" -c "CREATE DATABASE crm_bench"
export PGDATABASE=crm_bench
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION crm_ext" -f "$BENCH/setup.sql"

record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$OUT/measurements.tsv"; }

# Records query $4's best time and peak memory (bench_pair_line), and with a floor query $5 the
# floor's best time too.
measure() {
    local n="$1" variant="$2" key="$3" query="$4" floor="${5:-}" best floor_best peak
    IFS='|' read -r best floor_best peak <<<"$(bench_pair_line "$query" "$floor")"
    record "$n" "$variant" "${key}_s" "$best"
    [ -z "$floor" ] || record "$n" "$variant" "${key}_floor_s" "$floor_best"
    record "$n" "$variant" "${key}_mib" "$peak"
    log "$n $variant $key: $best s (floor ${floor_best:-none} s), peak $peak MiB"
}

for n in "${SIZES[@]}"; do
    log "simulating $n customers"
    psql -X -q -v ON_ERROR_STOP=1 <<SQL
DROP TABLE IF EXISTS sim_continuous, sim_days;
CREATE TABLE sim_continuous AS
    SELECT frequency::float8 AS frequency, recency, t, monetary
    FROM crm_bgnbd_simulate($n, 0.243, 4.414, 0.793, 2.426, p => 6.25, q => 3.74, v => 15.44, t_max => 78, seed => 1);
-- Real data come from dates: recency and t in whole days (still in weeks).
CREATE TABLE sim_days AS
    SELECT frequency, round(recency * 7) / 7 AS recency, round(t * 7) / 7 AS t, monetary FROM sim_continuous;
VACUUM ANALYZE sim_continuous;
VACUUM ANALYZE sim_days;
SQL
    for variant in continuous days; do
        sim="sim_$variant"
        psql -X -q -v ON_ERROR_STOP=1 <<SQL
DROP TABLE IF EXISTS models;
CREATE TABLE models AS SELECT
    (SELECT crm_bgnbd_fit(frequency, recency, t) FROM $sim) AS bg,
    (SELECT crm_gamma_gamma_fit(frequency, monetary) FROM $sim) AS gg;
SQL
        record "$n" "$variant" bg_model "$(psql -X -At -c 'SELECT bg FROM models')"
        record "$n" "$variant" gg_model "$(psql -X -At -c 'SELECT gg FROM models')"
        scan="SELECT sum(frequency + recency + t) FROM $sim"
        measure "$n" "$variant" scan "$scan"
        measure "$n" "$variant" bg "SELECT crm_bgnbd_fit(frequency, recency, t) FROM $sim" "$scan"
        measure "$n" "$variant" gg "SELECT crm_gamma_gamma_fit(frequency, monetary) FROM $sim" "$scan"
        # The rest of the purchase-model family on the same rows.
        if [ "$n" -le "${BENCH_FAMILY_MAX:-1000000}" ]; then
            record "$n" "$variant" mbg_model "$(psql -X -At -c "SELECT crm_mbgnbd_fit(frequency, recency, t) FROM $sim")"
            record "$n" "$variant" pnbd_model "$(psql -X -At -c "SELECT crm_pareto_nbd_fit(frequency, recency, t) FROM $sim")"
            measure "$n" "$variant" mbg "SELECT crm_mbgnbd_fit(frequency, recency, t) FROM $sim" "$scan"
            measure "$n" "$variant" pnbd "SELECT crm_pareto_nbd_fit(frequency, recency, t) FROM $sim" "$scan"
        fi
        # The fit with its summary-type state against 0.1.0's internal-state aggregate (setup.sql).
        measure "$n" "$variant" bg_vs_internal "SELECT crm_bgnbd_fit(frequency, recency, t) FROM $sim" \
            "SELECT bench_internal_bgnbd_fit(frequency, recency, t) FROM $sim"
        # A refit from 365 stored daily summaries (the customers split over the days) against the
        # one-call fit over all rows.
        psql -X -q -v ON_ERROR_STOP=1 -c "DROP TABLE IF EXISTS daily" \
            -c "CREATE TABLE daily AS SELECT day, crm_rft_summary(frequency, recency, t) AS summary
                FROM (SELECT *, row_number() OVER () % 365 AS day FROM $sim) s GROUP BY day" -c "VACUUM ANALYZE daily"
        measure "$n" "$variant" rollup "SELECT crm_bgnbd_fit(crm_rollup(summary)) FROM daily" \
            "SELECT crm_bgnbd_fit(frequency, recency, t) FROM $sim"
        # The models as query parameters (InitPlans), and as a join with the models table, whose
        # floor is the same join without crm_clv (the join itself costs PostgreSQL a rescan per row).
        measure "$n" "$variant" clv "SELECT sum(crm_clv((SELECT bg FROM models), (SELECT gg FROM models), frequency, recency, t, monetary)) FROM $sim" "$scan"
        measure "$n" "$variant" clv_join "SELECT sum(crm_clv(bg, gg, frequency, recency, t, monetary)) FROM $sim, models" \
            "SELECT sum(frequency + recency + t) FROM $sim, models"
        [ -n "$LIFETIMES_SKIP" ] || psql -X -q -v ON_ERROR_STOP=1 \
            -c "\\copy (SELECT frequency, recency, t AS \"T\", monetary FROM $sim) TO '$OUT/${n}_$variant.csv' CSV HEADER"
    done
done
stop_cluster
flock -u 9

for n in "${SIZES[@]}"; do
    for variant in continuous days; do
        if [ -n "$LIFETIMES_SKIP" ]; then
            record "$n" "$variant" lifetimes_skipped "$LIFETIMES_SKIP"
            continue
        fi
        log "lifetimes on $n $variant"
        # lifetimes takes minutes per fit of 10M rows: one run above 1M customers.
        reps="$REPS"; [ "$n" -le 1000000 ] || reps=1
        record "$n" "$variant" lifetimes "$("$PY" "$BENCH/lifetimes_fit.py" "$OUT/${n}_$variant.csv" "$reps")"
        # lifetimes' Pareto/NBD and MBG/NBD fits take minutes per million rows: one run each, and
        # only up to BENCH_FAMILY_LIFETIMES_MAX customers.
        if [ "$n" -le "${BENCH_FAMILY_LIFETIMES_MAX:-100000}" ]; then
            log "lifetimes MBG/NBD and Pareto/NBD on $n $variant"
            record "$n" "$variant" lifetimes_family "$("$PY" "$BENCH/lifetimes_family.py" "$OUT/${n}_$variant.csv" 1)"
        fi
    done
done

{
    echo "# crm_ext benchmark"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)," \
        "PostgreSQL $("$PG_CONFIG" --version | cut -d' ' -f2), best of $REPS runs, one core (max_parallel_workers_per_gather = 0),"
    echo "jit = off (PostgreSQL would otherwise spend about 0.15 s compiling each 1M-row query that calls a function, for no gain)."
    echo "Each ratio divides a best time by the best time of its floor query run alternately with it (the machine's speed drifts)."
    echo "Customers simulated with crm_bgnbd_simulate(n, 0.243, 4.414, 0.793, 2.426, p => 6.25, q => 3.74, v => 15.44,"
    echo "t_max => 78, seed => 1); \"days\" rounds recency and t to whole days. scan = SELECT sum(frequency + recency + t)."
    echo "CLV = SELECT sum(crm_clv((SELECT bg FROM models), (SELECT gg FROM models), frequency, recency, t, monetary)) (12 months,"
    echo "1% discount); CLV as a join = the same with FROM sim, models, against the floor SELECT sum(frequency + recency + t) FROM sim, models."
    echo "BG/NBD x 0.1.0 = the fit (state crm_rft_summary) against release 0.1.0's internal-state aggregate, run alternately."
    echo "Refit from 365 daily summaries = crm_bgnbd_fit(crm_rollup(summary)) over 365 stored crm_rft_summary values of the same"
    echo "customers, against the one-call fit over all rows."
    echo "shared_buffers = 1GB (both tables stay in PostgreSQL's buffers). Peak memory is the backend's VmHWM after the query"
    echo "(it includes the shared buffers the scan touched)."
    echo "The model family table: crm_mbgnbd_fit and crm_pareto_nbd_fit over the same rows against the scan (run alternately),"
    echo "and lifetimes' ModifiedBetaGeoFitter and ParetoNBDFitter (one run each), up to BENCH_FAMILY_MAX (crm_ext) and"
    echo "BENCH_FAMILY_LIFETIMES_MAX (lifetimes) customers. lifetimes' BG/NBD and Gamma-Gamma run once above 1M customers."
    echo
    python3 "$BENCH/report.py" "$OUT/measurements.tsv"
} | tee "${BENCH_RESULTS:-$BENCH/results.md}"

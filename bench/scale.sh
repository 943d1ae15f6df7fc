#!/usr/bin/env bash
# Benchmark (not a test): BG/NBD fits of very many customers, in a throwaway cluster.
#   whole days  (recency and t rounded to days: distinct rows stay below a million), one process
#   continuous  (every customer a distinct row), a parallel plan with 2 workers: each worker's
#               partial summary crosses to the leader flattened, so it must fit in one value
# Usage: bench/scale.sh (or make bench-scale). Environment: SCALE_CUSTOMERS (default 100000000),
# SCALE_CHUNK (customers simulated per statement, default 10000000). Needs about 15 GB of disk.
# Writes bench/scale.md. Peak memory: the largest total resident memory of the cluster's
# processes during the fit, sampled every 0.2 s, minus the total before it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"
N="${SCALE_CUSTOMERS:-100000000}"
CHUNK="${SCALE_CHUNK:-10000000}"
cleanup() { stop_cluster; }
trap cleanup EXIT

ensure_deps
exec 9>/tmp/crm_ext_install.lock
flock 9
install_extension --release
CRM_PG_OPTS="-c shared_buffers=2GB -c max_parallel_workers_per_gather=2 -c jit=off -c work_mem=64MB" start_cluster
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS crm_scale" -c "CREATE DATABASE crm_scale"
export PGDATABASE=crm_scale
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION crm_ext" \
    -c "CREATE UNLOGGED TABLE sim_continuous (frequency float8, recency float8, t float8)" \
    -c "CREATE UNLOGGED TABLE sim_days (frequency float8, recency float8, t float8)"
log "simulating $N customers"
for ((start = 0; start < N; start += CHUNK)); do
    n=$(( N - start < CHUNK ? N - start : CHUNK ))
    psql -X -q -v ON_ERROR_STOP=1 <<SQL
INSERT INTO sim_continuous SELECT frequency, recency, t
FROM crm_bgnbd_simulate($n, 0.243, 4.414, 0.793, 2.426, t_max => 78, seed => $(( start / CHUNK + 1 )));
SQL
done
psql -X -q -v ON_ERROR_STOP=1 -c "INSERT INTO sim_days SELECT frequency, round(recency * 7) / 7, round(t * 7) / 7 FROM sim_continuous" \
    -c "VACUUM ANALYZE sim_continuous" -c "VACUUM ANALYZE sim_days"

cluster_rss_kb() { ps -u postgres -o rss= | awk '{ s += $1 } END { print s + 0 }'; }

# Runs the fit ($2: workers per gather) on table $1; prints seconds, peak extra MiB, distinct rows, the plan's top node.
run_fit() {
    local table="$1" workers="$2" base peak=0 pid line
    base="$(cluster_rss_kb)"
    ( while sleep 0.2; do cluster_rss_kb; done ) > "/tmp/crm_scale_rss.$$" &
    pid=$!
    line="$(psql -X -q -At -v ON_ERROR_STOP=1 <<SQL
SET max_parallel_workers_per_gather = $workers;
SET parallel_setup_cost = 0;
SET min_parallel_table_scan_size = 0;
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
SELECT crm_bgnbd_fit(frequency, recency, t)::text AS bg FROM $table \gset
SELECT round((extract(epoch FROM clock_timestamp()) - :t0)::numeric, 1) || '|' || (:'bg'::jsonb ->> 'distinct_rows');
SQL
)"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    peak="$(sort -n "/tmp/crm_scale_rss.$$" | tail -1)"; rm -f "/tmp/crm_scale_rss.$$"
    local plan secs distinct
    IFS='|' read -r secs distinct <<<"$line"
    plan="$(psql -X -q -At -c "SET max_parallel_workers_per_gather = $workers" -c "SET parallel_setup_cost = 0" \
        -c "EXPLAIN (COSTS OFF) SELECT crm_bgnbd_fit(frequency, recency, t) FROM $table" | sed 's/^ *\(-> *\)\?//' | paste -sd'/' | sed 's|/| / |g')"
    echo "$secs|$(( (peak - base) / 1024 ))|$distinct|$plan"
}

log "fitting (whole days, one process)"
IFS='|' read -r days_s days_mib days_rows days_plan <<<"$(run_fit sim_days 0)"
log "fitting (continuous, parallel)"
IFS='|' read -r cont_s cont_mib cont_rows cont_plan <<<"$(run_fit sim_continuous 2)"
scan_s="$(psql -X -q -At <<'SQL'
SET max_parallel_workers_per_gather = 0;
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
SELECT sum(frequency + recency + t) FROM sim_days \gset
SELECT round((extract(epoch FROM clock_timestamp()) - :t0)::numeric, 1);
SQL
)"
scan_s="$(echo "$scan_s" | tail -1)"
{
    echo "# crm_ext at scale: BG/NBD fits of $(printf "%'d" "$N") customers"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GB, PostgreSQL $("$PG_CONFIG" --version | cut -d' ' -f2)," \
        "customers simulated with crm_bgnbd_simulate(n, 0.243, 4.414, 0.793, 2.426, t_max => 78) in chunks of $(printf "%'d" "$CHUNK")."
    echo "Peak memory: the largest total resident memory of the cluster's processes during the fit minus the total before it"
    echo "(shared buffers the scan touches count too). One timed run each (bench/scale.sh)."
    echo
    echo "| times | plan | distinct rows | fit s | plain scan s | peak extra MiB |"
    echo "|---|---|---|---|---|---|"
    echo "| whole days | $days_plan | $(printf "%'d" "$days_rows") | $days_s | $scan_s | $days_mib |"
    echo "| continuous | $cont_plan | $(printf "%'d" "$cont_rows") | $cont_s | | $cont_mib |"
} | tee "$ROOT/bench/scale.md"

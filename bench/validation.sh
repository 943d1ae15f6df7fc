#!/usr/bin/env bash
# Benchmark (not a test) of the validation functions on 1M customers: the CDNOW sample's
# transactions copied BENCH_VALIDATION_COPIES times (default 425: 1,001,725 customers, 2.9M
# transactions), against a plain scan of the same relation and against lifetimes 0.11.3 on the
# same transactions, and the intervals' coverage study (BENCH_COVERAGE=0 skips it). Usage:
# bench/validation.sh (make bench runs it after bench/run.sh). Writes bench/validation.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/pair.sh"
BENCH="$ROOT/bench"
OUT="$BENCH/out"
COPIES="${BENCH_VALIDATION_COPIES:-425}"
REPS="${BENCH_REPS:-3}"
mkdir -p "$OUT"
trap stop_cluster EXIT
PY=""
if [ "${BENCH_LIFETIMES:-1}" != 0 ] && [ -x "$BENCH/.venv/bin/python" ] && "$BENCH/.venv/bin/python" -c 'import lifetimes' 2>/dev/null; then
    PY="$BENCH/.venv/bin/python"   # set up by bench/run.sh
fi

ensure_deps
exec 9>/tmp/crm_ext_install.lock
flock 9
install_extension --release
CRM_PG_OPTS="-c shared_buffers=1GB" start_cluster
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS crm_bench_validation" -c "CREATE DATABASE crm_bench_validation"
export PGDATABASE=crm_bench_validation
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION crm_ext" -f "$BENCH/setup.sql"
bash "$ROOT/scripts/load_data.sh" cdnow >/dev/null
log "copying the CDNOW sample $COPIES times"
psql -X -q -v ON_ERROR_STOP=1 <<SQL
CREATE TABLE tx AS
SELECT customer_id + k * 10000 AS customer_id, order_date
FROM cdnow_transactions, generate_series(0, $COPIES - 1) AS k;
CREATE TABLE cal AS
SELECT customer_id, (s).*
FROM (SELECT customer_id, crm_holdout_summary(order_date, 1, DATE '1997-09-30', DATE '1998-06-30', 'week', 'day') AS s
      FROM tx GROUP BY customer_id) c WHERE s IS NOT NULL;
CREATE TABLE models AS SELECT crm_bgnbd_fit(frequency_cal, recency_cal, t_cal) AS bg FROM cal;
VACUUM ANALYZE tx; VACUUM ANALYZE cal;
SQL
customers="$(psql -X -At -c 'SELECT count(*) FROM cal')"
transactions="$(psql -X -At -c 'SELECT count(*) FROM tx')"

rows=()
measure() {  # label, query, floor label, floor query
    local best floor _peak
    IFS='|' read -r best floor _peak <<<"$(bench_pair_line "$2" "$4")"
    best="$(printf '%.3f' "$best")" floor="$(printf '%.3f' "$floor")"
    rows+=("| $1 | $best | $3: $floor | $(python3 -c "print(f'{$best / $floor:.1f}')") |")
    log "$1: $best s ($3 $floor s)"
}
scan_tx="SELECT count(*), min(order_date), max(customer_id) FROM tx"
scan_cal="SELECT sum(frequency_cal + recency_cal + t_cal + frequency_holdout) FROM cal"
measure "crm_tracking, weekly, 78 weeks" \
    "SELECT count(*) FROM crm_tracking((SELECT bg FROM models), 'tx', start => '1997-01-01', observation_end => '1998-07-01')" "scan of tx" "$scan_tx"
measure "crm_tracking, monthly (calendar months)" \
    "SELECT count(*) FROM crm_tracking((SELECT bg FROM models), 'tx', period => 'month')" "scan of tx" "$scan_tx"
measure "crm_calibration_holdout (by frequency)" \
    "SELECT count(*) FROM crm_calibration_holdout((SELECT bg FROM models), 'cal')" "scan of cal" "$scan_cal"
measure "crm_calibration_holdout (by predicted decile)" \
    "SELECT count(*) FROM crm_calibration_holdout((SELECT bg FROM models), 'cal', by => 'predicted', buckets => 10)" "scan of cal" "$scan_cal"
measure "crm_frequency_histogram" \
    "SELECT count(*) FROM crm_frequency_histogram((SELECT bg FROM models), 'cal', frequency => 'frequency_cal', t => 't_cal')" "scan of cal" "$scan_cal"
measure "crm_holdout_metrics" \
    "SELECT count(*) FROM crm_holdout_metrics((SELECT bg FROM models), 'cal')" "scan of cal" "$scan_cal"
measure "crm_frequency_recency_matrix (100 x 79 cells)" \
    "SELECT count(*) FROM crm_frequency_recency_matrix((SELECT bg FROM models), age => 39, max_frequency => 99, recency_step => 0.5)" "scan of cal" "$scan_cal"
read -r r alpha a b < <(psql -X -At -F ' ' -c "SELECT crm_parameter(bg, 'r'), crm_parameter(bg, 'alpha'), crm_parameter(bg, 'a'), crm_parameter(bg, 'b') FROM models")
track_last="$(psql -X -At -c "SELECT round(max(expected_cumulative)::numeric, 1) FROM crm_tracking((SELECT bg FROM models), 'tx', start => '1997-01-01', observation_end => '1998-07-01')")"
lifetimes_line="lifetimes: not run (BENCH_LIFETIMES=0 or no bench/.venv; bench/run.sh sets it up)"
if [ -n "$PY" ]; then
    psql -X -q -c "\\copy (SELECT customer_id AS id, order_date AS date FROM tx) TO '$OUT/validation_tx.csv' CSV HEADER"
    log "lifetimes on $transactions transactions"
    json="$("$PY" "$BENCH/lifetimes_validation.py" "$OUT/validation_tx.csv" "$r" "$alpha" "$a" "$b")"
    lifetimes_line="$(python3 -c "
import json; j = json.loads('''$json''')
print(f\"lifetimes 0.11.3 on the same transactions (one run): expected_cumulative_transactions {j['tracking_s']:.1f} s \"
      f\"(week 78: {j['tracking_last']:.1f}; crm_tracking: $track_last), calibration_and_holdout_data + \"
      f\"plot_calibration_purchases_vs_holdout_purchases' data {j['calibration_holdout_s']:.1f} s.\")")"
fi
stop_cluster
# The intervals' coverage study at full size (crm_core; the test runs it at 200 x 10,000 for
# BG/NBD and MBG/NBD and 200 x 5,000 for Pareto/NBD): BENCH_COVERAGE="datasets customers seed".
coverage=""
if [ "${BENCH_COVERAGE:-200 10000 20240601}" != 0 ]; then
    log "interval coverage study"
    coverage="$(cd "$ROOT" && cargo run -q -p crm_core --release --example interval_coverage -- ${BENCH_COVERAGE:-200 10000 20240601})"
fi
{
    echo "# crm_ext validation benchmark"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, PostgreSQL $("$PG_CONFIG" --version | cut -d' ' -f2), best of $REPS runs, one core,"
    echo "jit = off. Data: the CDNOW sample's transactions copied $COPIES times: $customers customers, $transactions transactions"
    echo "(table tx), their calibration/holdout summary (table cal, 1997-09-30 / 1998-06-30, weeks) and BG/NBD fitted on it."
    echo "Each ratio divides a best time by the best time of its floor query, run alternately with it."
    echo
    echo "| function | seconds | floor (s) | ratio |"
    echo "|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "$lifetimes_line"
    if [ -n "$coverage" ]; then
        echo
        echo "## Coverage of the 90% intervals (crm_core example interval_coverage)"
        echo
        echo "$coverage"
    fi
} | tee "$BENCH/validation.md"

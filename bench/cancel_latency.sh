#!/usr/bin/env bash
# Cancel latency (not a test): how long after statement_timeout each long crm_ext statement
# returns with 57014, on 2M rows (target: within 100 ms). Uses the installed extension and a
# throwaway cluster (or PGHOST/PGPORT); the time includes starting psql (about 30 ms here).
# Usage: bench/cancel_latency.sh [rows] [timeout_ms]; writes bench/cancel_latency.md
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"
ROWS="${1:-2000000}"
TIMEOUT_MS="${2:-800}"
trap stop_cluster EXIT
start_cluster
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS crm_cancel" -c "CREATE DATABASE crm_cancel"
export PGDATABASE=crm_cancel
psql -X -q -c "CREATE EXTENSION crm_ext" -c "
CREATE TABLE cancel_rows AS
SELECT i AS customer_id, (i % 7)::float8 AS frequency, ((i % 7) * (3 + i % 5))::float8 AS recency,
       (45 + i % 13)::float8 AS t, (10 + i % 101)::float8 AS monetary, (i % 365)::int AS recency_days,
       (i * 0.37 % 1000)::float8 AS x1, (i * 0.73 % 997)::float8 AS x2
FROM generate_series(1, $ROWS) i" -c "ANALYZE cancel_rows"
statements=(
    "SELECT crm_kmeans_fit(ARRAY[x1, x2, recency, t], 8) FROM cancel_rows"
    "SELECT count(*) FROM crm_kmeans_elbow('cancel_rows', ARRAY['x1', 'x2', 'recency', 't'], 1, 12)"
    "SELECT count(*) FROM crm_rfm_scores('cancel_rows', recency => 'recency_days')"
    "SELECT crm_bgnbd_fit(frequency, recency + sign(frequency) * (customer_id % 1000) * 1e-6, t + (customer_id % 1000) * 1e-6) FROM cancel_rows"
    "SELECT count(m) FROM (SELECT customer_id % 100000 AS g, crm_bgnbd_fit(frequency, recency, t) AS m FROM cancel_rows GROUP BY 1) s"
    "SELECT sum(crm_clv(crm_bgnbd(0.243, 4.414, 0.793, 2.426), crm_gamma_gamma(6.25, 3.74, 15.44), frequency, recency, t, monetary, 1200)) FROM cancel_rows"
)
exec > >(tee "$ROOT/bench/cancel_latency.md")
printf '| statement (%s rows, statement_timeout %s ms) | returned after | latency | SQLSTATE |\n|---|---|---|---|\n' "$ROWS" "$TIMEOUT_MS"
for s in "${statements[@]}"; do
    start=$(date +%s%N)
    state=$(psql -X -q -v VERBOSITY=sqlstate -c "SET max_parallel_workers_per_gather = 0" \
                 -c "SET statement_timeout = ${TIMEOUT_MS}" -c "$s" 2>&1 >/dev/null | grep -oE '[0-9][0-9A-Z]{4}' | tail -1 || true)
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    printf '| `%s` | %d ms | %d ms | %s |\n' "${s:0:90}" "$ms" "$((ms - TIMEOUT_MS))" "${state:-none (finished)}"
done

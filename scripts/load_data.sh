#!/usr/bin/env bash
# Loads the real data sets of ../shared/data into a database: scripts/load_data.sh [flo|retail|cdnow|papers|all]
# Works from any directory. Connection: the usual libpq variables (PGHOST, PGPORT, PGDATABASE, PGUSER).
# Data location: CRM_DATA_DIR, default <repository>/../shared/data.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
data="${CRM_DATA_DIR:-$root/../shared/data}"
[ -d "$data" ] || { echo "load_data: data directory $data not found (set CRM_DATA_DIR)" >&2; exit 1; }
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
PSQL=(psql -X -q -v ON_ERROR_STOP=1)

load_flo() {
    "${PSQL[@]}" -f "$root/sql/data/flo.sql" < "$data/flo_data_20k.csv"
}
load_retail() {
    gzip -dc "$data/online_retail.csv.gz" | "${PSQL[@]}" -f "$root/sql/data/online_retail.sql"
}
load_cdnow() {
    "${PSQL[@]}" -f "$root/sql/data/cdnow.sql"
    "${PSQL[@]}" -c '\copy cdnow_summary FROM pstdin WITH (FORMAT csv, HEADER true)' < "$data/cdnow/cdnow_customers_summary.csv"
    "${PSQL[@]}" -c '\copy cdnow_summary_tx FROM pstdin WITH (FORMAT csv, HEADER true)' \
        < "$data/cdnow/cdnow_customers_summary_with_transactions.csv"
    # whitespace separated, CRLF line ends, dates as YYYYMMDD
    tr -d '\r' < "$data/cdnow/CDNOW_sample.txt" | awk 'NF == 5 { print $1 "," $2 "," $3 "," $4 "," $5 }' \
        | "${PSQL[@]}" -c '\copy cdnow_transactions FROM pstdin WITH (FORMAT csv)'
    "${PSQL[@]}" -c 'ANALYZE cdnow_summary; ANALYZE cdnow_summary_tx; ANALYZE cdnow_transactions;'
}

load_papers() {
    "${PSQL[@]}" -f "$root/sql/data/papers.sql"
    "${PSQL[@]}" -c '\copy donations FROM pstdin WITH (FORMAT csv, HEADER true)' < "$data/donations.csv"
    "${PSQL[@]}" -c '\copy retention_fh2007 FROM pstdin WITH (FORMAT csv, HEADER true)' < "$data/retention_fader_hardie_2007.csv"
    "${PSQL[@]}" -c 'ANALYZE donations; ANALYZE retention_fh2007;'
}

what="${1:-all}"
case "$what" in
    flo) load_flo ;;
    retail) load_retail ;;
    cdnow) load_cdnow ;;
    papers) load_papers ;;
    all) load_flo; load_retail; load_cdnow; load_papers ;;
    *) echo "usage: $0 [flo|retail|cdnow|papers|all]" >&2; exit 2 ;;
esac

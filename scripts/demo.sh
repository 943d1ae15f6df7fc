#!/usr/bin/env bash
# The crm_ext demo: installs what is missing, builds (release), installs into the system PostgreSQL 15,
# starts a throwaway cluster (or uses PGHOST/PGPORT/PGDATABASE when set), loads the FLO data,
# runs sql/demo.sql and stops the cluster again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
trap stop_cluster EXIT
ensure_deps
install_extension --release
start_cluster
db="${PGDATABASE:-crm_demo}"
if [ -n "$CRM_CLUSTER_DIR" ] || [ -z "${PGDATABASE:-}" ]; then
    prepare_database "$db" flo
else  # an existing database named by the user: add what is missing, drop nothing
    psql -X -q -d "$db" -c "CREATE EXTENSION IF NOT EXISTS crm_ext"
    PGDATABASE="$db" "$ROOT/scripts/load_data.sh" flo
fi
log "running sql/demo.sql"
psql -X -d "$db" -v ON_ERROR_STOP=1 -P pager=off -f "$ROOT/sql/demo.sql"

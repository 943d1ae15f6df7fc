#!/usr/bin/env bash
# make bi-demo: an Apache Superset dashboard over the crm_ext example views, and its screenshot.
#   1. installs what is missing (apt: a JDK, the PostgreSQL JDBC driver, Chromium; Superset 6.1.0
#      in bi/.venv from bi/requirements.txt), builds and installs the extension (release),
#   2. starts a throwaway PostgreSQL 15 cluster (Unix socket and 127.0.0.1, trust), creates the
#      database crm_bi with the FLO, Online Retail, CDNOW and papers data and runs the examples
#      (sql/examples) that create the views; a read-only role crm_bi_reader for the BI tools,
#   3. checks the views through JDBC (bi/JdbcMetadata.java: types and REMARKS),
#   4. initialises a throwaway Superset (SQLite metadata in bi/.superset/, recreated on every
#      run), imports the dashboard bundle bi/dashboard/ with the database URI filled in, starts
#      Superset on 127.0.0.1, logs in and saves a screenshot of the dashboard to bi/dashboard.png,
#   5. stops Superset and the cluster.
#
# Usage: bi/demo.sh [--check | --rebuild | --serve]
#   --check    steps 1 to 3 only, without Superset and Chromium (make bi-check)
#   --rebuild  build the dashboard through Superset's REST API instead of importing it and
#              export it into bi/dashboard/ (after changing the charts in bi/superset_demo.py)
#   --serve    keep Superset and the cluster running after the screenshot, until Ctrl-C
# Environment: CRM_BI_INSTALL=0 uses the extension already installed (no cargo build);
#   CRM_BI_PORT: Superset's port (default: the first free one from 8088).
set -euo pipefail
BI="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$BI/../scripts/common.sh"

mode=demo
case "${1:-}" in
    "") ;;
    --check) mode=check ;;
    --rebuild) mode=rebuild ;;
    --serve) mode=serve ;;
    *) echo "usage: $0 [--check | --rebuild | --serve]" >&2; exit 2 ;;
esac

DB=crm_bi
READER=crm_bi_reader
# Every example file, in name order (each includes the files it needs with \ir).
EXAMPLES=("$ROOT"/sql/examples/*.sql)
JDBC_JAR=/usr/share/java/postgresql.jar
VENV="$BI/.venv"
export SUPERSET_HOME="$BI/.superset"
export SUPERSET_CONFIG_PATH="$BI/superset_config.py"
OUT="$BI/out"   # logs and the JDBC listing (git-ignored)
mkdir -p "$OUT"
SUPERSET_PID=""
started=$SECONDS
# Always a throwaway cluster of our own (prepare_database drops $DB): forget any server of the
# caller's environment, and its CRM_CLUSTER_DIR, which stop_cluster would remove.
unset PGHOST PGPORT PGDATABASE CRM_CLUSTER_DIR

cleanup() {
    if [ -n "$SUPERSET_PID" ]; then
        kill "$SUPERSET_PID" 2>/dev/null || true
        wait "$SUPERSET_PID" 2>/dev/null || true
        SUPERSET_PID=""
    fi
    stop_cluster
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs a command with its output in $OUT/setup.log; shows the end of the log if it fails.
quietly() {
    "$@" >>"$OUT/setup.log" 2>&1 || { local rc=$?; tail -40 "$OUT/setup.log" >&2; return "$rc"; }
}

# --- 1. dependencies and the extension ---------------------------------------------------------
APT_PACKAGES+=(libpostgresql-jdbc-java default-jdk-headless)
[ "$mode" = check ] || APT_PACKAGES+=(chromium fonts-liberation python3-venv)
ensure_deps
: >"$OUT/setup.log"

# The extension goes into the one system PostgreSQL: serialise with scripts/test.sh and other
# checkouts (the lock of scripts/test.sh), until the views exist and are checked.
exec 9>/tmp/crm_ext_install.lock
if ! flock -n 9; then
    log "waiting for /tmp/crm_ext_install.lock (scripts/test.sh or another demo is installing or testing)"
    flock 9
fi
if [ "${CRM_BI_INSTALL:-1}" = 0 ]; then
    log "using the installed crm_ext (CRM_BI_INSTALL=0)"
else
    install_extension --release
fi

# --- 2. cluster, data, views -------------------------------------------------------------------
CRM_PG_OPTS="-c listen_addresses=127.0.0.1" start_cluster   # TCP too: JDBC has no Unix sockets
prepare_database "$DB" flo retail cdnow papers
log "creating the example views (sql/examples: $(cd "$ROOT/sql/examples" && echo *.sql))"
for f in "${EXAMPLES[@]}"; do
    PGOPTIONS="-c client_min_messages=error" psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -o /dev/null -f "$f"
done
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" <<SQL
SET client_min_messages = warning;
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$READER') THEN CREATE ROLE $READER LOGIN; END IF;
END \$\$;
GRANT pg_read_all_data TO $READER;
SQL

# --- 3. the JDBC check -------------------------------------------------------------------------
# Curated: the views the dashboard uses (its datasets); the others are listed, not enforced.
curated="$(sed -n 's/^table_name: //p' "$BI"/dashboard/datasets/*/*.yaml 2>/dev/null | sort | paste -sd, -)" || true
jdbc_url="jdbc:postgresql://127.0.0.1:$PGPORT/$DB"
log "JDBC metadata of the example views ($jdbc_url as $READER; listing in bi/out/jdbc_metadata.txt)"
set +e
java -cp "$JDBC_JAR" "$BI/JdbcMetadata.java" "$jdbc_url" "$READER" --curated="$curated" >"$OUT/jdbc_metadata.txt"
jdbc_rc=$?
set -e
sed -n '/^JDBC metadata:/,$p' "$OUT/jdbc_metadata.txt"
[ "$jdbc_rc" = 0 ] || { echo "bi: the JDBC check failed (bi/out/jdbc_metadata.txt)" >&2; exit "$jdbc_rc"; }
flock -u 9
if [ "$mode" = check ]; then
    log "bi-check done in $(( SECONDS - started )) s"
    exit 0
fi

# --- 4. Superset -------------------------------------------------------------------------------
stamp="$(sha256sum "$BI/requirements.txt" | cut -d' ' -f1)"
if [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$stamp" ] || ! "$VENV/bin/python" -c 'import superset' 2>/dev/null; then
    log "installing Apache Superset 6.1.0 into bi/.venv (bi/requirements.txt; 2 to 3 minutes once)"
    python3 -m venv "$VENV"
    quietly "$VENV/bin/pip" install --disable-pip-version-check --timeout 60 -r "$BI/requirements.txt"
    echo "$stamp" >"$VENV/.requirements.sha256"
fi
SUPERSET=("$VENV/bin/superset")

log "initialising Superset (metadata in bi/.superset/superset.db)"
rm -rf "$SUPERSET_HOME"
mkdir -p "$SUPERSET_HOME"
SUPERSET_SECRET_KEY="$(head -c 32 /dev/urandom | base64)"
CRM_BI_ADMIN_USER=admin
CRM_BI_ADMIN_PASSWORD="$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
export SUPERSET_SECRET_KEY CRM_BI_ADMIN_USER CRM_BI_ADMIN_PASSWORD
quietly "${SUPERSET[@]}" db upgrade
quietly "${SUPERSET[@]}" fab create-admin --username "$CRM_BI_ADMIN_USER" --password "$CRM_BI_ADMIN_PASSWORD" \
    --firstname Admin --lastname crm_ext --email admin@localhost
quietly "${SUPERSET[@]}" init

port="${CRM_BI_PORT:-}"
if [ -z "$port" ]; then
    for port in $(seq 8088 8188); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break; done
fi
base="http://127.0.0.1:$port"
log "starting Superset at $base (log: bi/out/superset.log)"
"$VENV/bin/gunicorn" --workers 1 --threads 8 --timeout 180 --bind "127.0.0.1:$port" \
    "superset.app:create_app()" >"$OUT/superset.log" 2>&1 &
SUPERSET_PID=$!
for _ in $(seq 120); do
    curl -fs "$base/health" >/dev/null 2>&1 && break
    kill -0 "$SUPERSET_PID" 2>/dev/null || { tail -30 "$OUT/superset.log" >&2; exit 1; }
    sleep 1
done
curl -fs "$base/health" >/dev/null || { echo "bi: Superset did not come up at $base" >&2; exit 1; }

db_uri="postgresql+psycopg2://$READER@127.0.0.1:$PGPORT/$DB"
PY=("$VENV/bin/python" "$BI/superset_demo.py")
if [ "$mode" = rebuild ]; then
    log "building the dashboard through the REST API and exporting it into bi/dashboard/"
    "${PY[@]}" build --url "$base" --db-uri "$db_uri"
else
    log "importing the dashboard bundle bi/dashboard/"
    "${PY[@]}" import --url "$base" --db-uri "$db_uri"
fi
log "taking the screenshot (headless Chromium, 1600 px wide)"
"${PY[@]}" screenshot --url "$base" --output "$BI/dashboard.png"

echo
echo "bi-demo: the dashboard's screenshot is $BI/dashboard.png ($(( SECONDS - started )) s)"
if [ "$mode" = serve ]; then
    echo "Superset: $base/superset/dashboard/crm-ext/ (user $CRM_BI_ADMIN_USER, password $CRM_BI_ADMIN_PASSWORD); Ctrl-C stops it"
    wait "$SUPERSET_PID"
fi

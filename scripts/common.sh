# Shared by scripts/demo.sh, scripts/test.sh and bench/: dependencies, build, throwaway cluster.
# Source it; it defines functions only (plus ROOT, PG_CONFIG, PG_BIN).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_CONFIG="${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}"
PG_BIN="/usr/lib/postgresql/15/bin"
PGRX_VERSION="0.18.1"
APT_PACKAGES=(postgresql-15 postgresql-server-dev-15 libclang-dev clang sudo pkg-config gzip)

log() { printf '\n== %s\n' "$*" >&2; }

# Runs a command as the owner of the throwaway cluster (PostgreSQL refuses to run as root), from
# /tmp so that a checkout the postgres user cannot read is never its working directory.
as_pg() {
    if [ "$(id -u)" = 0 ]; then (cd /tmp && sudo -u postgres -- "$@"); else "$@"; fi
}

ensure_apt_packages() {
    local missing=() p
    for p in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing apt packages: ${missing[*]}"
    [ "$(id -u)" = 0 ] || { echo "need root to install ${missing[*]}" >&2; return 1; }
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_cargo_pgrx() {
    if ! cargo pgrx --version 2>/dev/null | grep -q " $PGRX_VERSION\$"; then
        log "installing cargo-pgrx $PGRX_VERSION (takes 10 to 13 minutes once)"
        cargo install cargo-pgrx --version "$PGRX_VERSION" --locked --quiet
    fi
    if ! grep -qs "^pg15 *= *\"$PG_CONFIG\"" "${PGRX_HOME:-$HOME/.pgrx}/config.toml"; then
        log "registering PostgreSQL 15 with pgrx"
        cargo pgrx init --pg15 "$PG_CONFIG" >/dev/null
    fi
}

ensure_deps() {
    ensure_apt_packages
    ensure_cargo_pgrx
}

# Builds and installs the extension into the system PostgreSQL 15. $1: extra cargo pgrx flags (e.g. --release).
# Also installs the frozen scripts of earlier releases and the upgrade scripts (sql/versions), so
# that CREATE EXTENSION crm_ext VERSION '0.1.0' and ALTER EXTENSION crm_ext UPDATE work.
install_extension() {
    log "building and installing crm_ext $*"
    (cd "$ROOT" && cargo pgrx install --pg-config "$PG_CONFIG" "$@" 2>&1 | grep -vE '^\s*(Compiling|Checking|Downloaded|Downloading)' >&2)
    install -m 644 "$ROOT"/sql/versions/crm_ext--*.sql "$("$PG_CONFIG" --sharedir)/extension/"
}

free_port() {
    local p
    for p in $(seq 54330 54430); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && [ ! -e "/tmp/.s.PGSQL.$p" ]; then
            echo "$p"; return 0
        fi
    done
    echo "no free port in 54330..54430" >&2; return 1
}

# Starts a throwaway cluster in a temporary directory unless PGHOST/PGPORT name a server already.
# Exports PGHOST, PGPORT, PGUSER; sets CRM_CLUSTER_DIR when it started one (stop_cluster removes it).
# CRM_PG_OPTS adds server options (e.g. "-c shared_buffers=1GB").
start_cluster() {
    CRM_CLUSTER_DIR=""
    if [ -n "${PGHOST:-}${PGPORT:-}" ]; then
        log "using the existing server at ${PGHOST:-localhost}:${PGPORT:-5432}"
        return 0
    fi
    CRM_CLUSTER_DIR="$(mktemp -d /tmp/crm_ext_cluster.XXXXXX)"
    chmod 755 "$CRM_CLUSTER_DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$CRM_CLUSTER_DIR"
    local port; port="$(free_port)"
    log "starting a throwaway PostgreSQL 15 cluster in $CRM_CLUSTER_DIR on port $port"
    as_pg "$PG_BIN/initdb" -D "$CRM_CLUSTER_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_pg "$PG_BIN/pg_ctl" -D "$CRM_CLUSTER_DIR/data" -l "$CRM_CLUSTER_DIR/server.log" -w \
        -o "-p $port -k $CRM_CLUSTER_DIR -c listen_addresses='' -c max_parallel_workers_per_gather=2 ${CRM_PG_OPTS:-}" start >/dev/null
    export PGHOST="$CRM_CLUSTER_DIR" PGPORT="$port" PGUSER=postgres
}

stop_cluster() {
    [ -n "${CRM_CLUSTER_DIR:-}" ] || return 0
    as_pg "$PG_BIN/pg_ctl" -D "$CRM_CLUSTER_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$CRM_CLUSTER_DIR"
    CRM_CLUSTER_DIR=""
}

# Creates (or recreates) database $1 with the extension and the data sets named in $2.. loaded.
prepare_database() {
    local db="$1"; shift
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    psql -X -q -d "$db" -c "CREATE EXTENSION crm_ext"
    local what
    for what in "$@"; do
        log "loading $what into $db"
        PGDATABASE="$db" "$ROOT/scripts/load_data.sh" "$what"
    done
}

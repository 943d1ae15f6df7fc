#!/usr/bin/env bash
# Runs every test layer and ends with one summary line:
#   0. lint: cargo fmt --check (rustfmt.toml) and cargo clippy -D warnings on every target
#   1. crm_core: pure math/logic, and crm_sql: the generated SQL (cargo test, release mode: the simulation tests are large)
#   2. #[pg_test]: SQL-level tests inside a pgrx-managed PostgreSQL 15 (cargo pgrx test)
#   3. pg_regress: tests/pg_regress/sql vs expected, against a throwaway cluster with the real data loaded
#   4. docs: every ```sql block of docs/reference/*.md run by scripts/doctest.py, its output compared
#      with the one written under it; a database of its own with the same data sets; one test per file
# Usage: scripts/test.sh [lint|core|pg|regress|docs]...   (default: all five)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
layers=("$@"); [ ${#layers[@]} -gt 0 ] || layers=(lint core pg regress docs)
declare -A passed failed
summary_of() { # sums "test result: ... N passed; M failed" lines of cargo output in file $1
    awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
         END { print p + 0, f + 0 }' "$1"
}
out="$(mktemp -d /tmp/crm_ext_test.XXXXXX)"; chmod 755 "$out"
cleanup() { stop_cluster; }
trap cleanup EXIT

ensure_deps

# Layers 2 and 3 install the extension into the one system PostgreSQL: serialise them between
# checkouts (worktrees) of this repository that test at the same time (layer 4 uses the installed
# extension, so it waits for an install in progress too).
case " ${layers[*]} " in *" pg "*|*" regress "*|*" docs "*) exec 9>/tmp/crm_ext_install.lock; flock 9 ;; esac

# One check each: the formatting, and clippy with warnings as errors (the few allows in the code
# say why). The toolchain's rustfmt and clippy components are added when missing.
run_lint() {
    log "layer 0: lint (cargo fmt --check, cargo clippy -D warnings)"
    passed[lint]=0; failed[lint]=0
    for component in rustfmt clippy; do
        cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1 || rustup component add "$component" || true
    done
    if cargo fmt --all --check > "$out/fmt.log" 2>&1; then passed[lint]=$(( passed[lint] + 1 ))
    else failed[lint]=$(( failed[lint] + 1 )); head -50 "$out/fmt.log"; fi
    if cargo clippy --workspace --all-targets --features pg_test -- -D warnings > "$out/clippy.log" 2>&1; then passed[lint]=$(( passed[lint] + 1 ))
    else failed[lint]=$(( failed[lint] + 1 )); grep -E -A12 '^(warning|error)' "$out/clippy.log" | head -80; fi
}

run_core() {
    log "layer 1: crm_core and crm_sql (cargo test -p crm_core -p crm_sql --release, including the 1M-customer recovery test)"
    set +e; cargo test -p crm_core -p crm_sql --release -- --include-ignored 2>&1 | tee "$out/core.log"; local rc=${PIPESTATUS[0]}; set -e
    read -r passed[core] failed[core] < <(summary_of "$out/core.log")
    [ "$rc" = 0 ] || failed[core]=$(( ${failed[core]} > 0 ? ${failed[core]} : 1 ))
}

run_pg() {
    log "layer 2: #[pg_test] (cargo pgrx test pg15)"
    local pgdata="$out/pgrx_data"; mkdir -p "$pgdata"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$pgdata"
    local runas=(); [ "$(id -u)" = 0 ] && runas=(--runas postgres)
    set +e; cargo pgrx test pg15 "${runas[@]}" --pgdata "$pgdata" 2>&1 | tee "$out/pg.log"; local rc=${PIPESTATUS[0]}; set -e
    read -r passed[pg] failed[pg] < <(summary_of "$out/pg.log")
    [ "$rc" = 0 ] || failed[pg]=$(( ${failed[pg]} > 0 ? ${failed[pg]} : 1 ))
}

run_regress() {
    log "layer 3: pg_regress (tests/pg_regress)"
    install_extension   # dev profile: shares its dependency builds with layer 2
    start_cluster
    prepare_database crm_regress flo retail cdnow papers
    local schedule=() f
    for f in tests/pg_regress/sql/*.sql; do schedule+=("$(basename "$f" .sql)"); done
    local pg_regress; pg_regress="$("$PG_CONFIG" --pkglibdir)/pgxs/src/test/regress/pg_regress"
    mkdir -p "$out/regress"
    set +e
    # tests include repository files with \getenv crm_root CRM_EXT_ROOT + \i :crm_root/...
    CRM_EXT_ROOT="$ROOT" "$pg_regress" --use-existing --dbname=crm_regress --inputdir=tests/pg_regress --outputdir="$out/regress" \
        --bindir="$PG_BIN" "${schedule[@]}" 2>&1 | tee "$out/regress.log"
    local rc=${PIPESTATUS[0]}
    set -e
    [ -f "$out/regress/regression.diffs" ] && cat "$out/regress/regression.diffs"
    failed[regress]=$(grep -cE '^(not ok|.* \.\.\. FAILED)' "$out/regress.log" || true)
    passed[regress]=$(grep -cE '^(ok|.* \.\.\. ok)' "$out/regress.log" || true)
    [ "$rc" = 0 ] || failed[regress]=$(( ${failed[regress]} > 0 ? ${failed[regress]} : 1 ))
}

# The reference docs' examples (scripts/doctest.py), each file in one session against a database of
# its own with the same data sets, so that they do not depend on what the regress tests left behind.
# Builds nothing: after the regress layer it uses the extension that layer installed and its
# cluster; alone (scripts/test.sh docs) the installed extension and a throwaway cluster of its own
# (or the server PGHOST/PGPORT name). python3 comes with postgresql-server-dev-15 (llvm-14-tools).
run_docs() {
    log "layer 4: docs (scripts/doctest.py docs/reference/*.md)"
    passed[docs]=0; failed[docs]=0
    if [ ! -f "$("$PG_CONFIG" --sharedir)/extension/crm_ext.control" ] || ! command -v python3 >/dev/null; then
        echo "docs: needs python3 and an installed crm_ext (make install, or scripts/test.sh regress docs)" >&2
        failed[docs]=1; return 0
    fi
    local own_cluster=""
    if [ -z "${passed[regress]+set}" ]; then   # else the regress layer of this run started the cluster
        start_cluster; own_cluster="$CRM_CLUSTER_DIR"
    fi
    prepare_database crm_doctest flo retail cdnow papers
    set +e
    python3 scripts/doctest.py --dbname crm_doctest docs/reference/*.md 2>&1 | tee "$out/docs.log"
    local rc=${PIPESTATUS[0]}
    set -e
    passed[docs]=$(grep -c '^ok ' "$out/docs.log" || true)
    failed[docs]=$(grep -c '^not ok ' "$out/docs.log" || true)
    [ "$rc" = 0 ] || failed[docs]=$(( ${failed[docs]} > 0 ? ${failed[docs]} : 1 ))
    # a cluster of its own goes now, so that a regress layer after this one starts a fresh one
    if [ -n "$own_cluster" ]; then stop_cluster; unset PGHOST PGPORT; fi
}

for layer in "${layers[@]}"; do
    case "$layer" in
        lint) run_lint ;; core) run_core ;; pg) run_pg ;; regress) run_regress ;; docs) run_docs ;;
        *) echo "unknown layer $layer (lint, core, pg, regress, docs)" >&2; exit 2 ;;
    esac
done

total_p=0; total_f=0
echo
for layer in "${layers[@]}"; do
    printf '%-8s %4d passed, %d failed\n' "$layer" "${passed[$layer]}" "${failed[$layer]}"
    total_p=$(( total_p + passed[$layer] )); total_f=$(( total_f + failed[$layer] ))
done
echo "crm_ext: $total_p passed, $total_f failed"
if [ "$total_f" = 0 ]; then rm -rf "$out"; else echo "logs and results kept in $out" >&2; exit 1; fi

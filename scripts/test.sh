#!/usr/bin/env bash
# Runs every Helios test: Rust unit and integration tests against a private
# PostgreSQL cluster, then the browser tests in headless Chromium.
# Installs what is missing first (see scripts/setup.sh). Safe to re-run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
setup_all --browser
start=$(date +%s)

# A private cluster on a unix socket, thrown away afterwards.
PGTEST_DIR=$(mktemp -d /tmp/helios-test-pg.XXXXXX)
chmod 755 "$PGTEST_DIR"
cleanup() { scripts/test-pg.sh stop "$PGTEST_DIR" || true; rm -rf "$PGTEST_DIR"; }
trap cleanup EXIT
DATABASE_URL=$(scripts/test-pg.sh start "$PGTEST_DIR")
export DATABASE_URL

say "checking formatting"
cargo fmt --all -- --check

say "building the site and server (debug)"
cargo leptos build
# cargo-leptos compiles with LEPTOS_OUTPUT_NAME set; keep it for cargo test so the
# same artifacts are reused instead of rebuilt.
export LEPTOS_OUTPUT_NAME=helios

say "running Rust tests"
# Not --workspace: that would unify the browser feature (hydrate) into the server build.
rust_log=$(mktemp)
set +e
# Bounded, so a hung test fails the run with a clear line instead of stalling CI.
timeout --kill-after=30 1800 cargo test -p app -p server --no-fail-fast 2>&1 | tee "$rust_log"
rust_status=${PIPESTATUS[0]}
set -e

say "running browser tests"
set +e
HELIOS_BIN="$PWD/target/debug/helios" LEPTOS_SITE_ROOT="$PWD/target/site" \
  timeout --kill-after=30 1200 node --test --test-concurrency=1 --test-timeout=180000 end2end/tests/ 2>&1 | tee end2end/last-run.log
e2e_status=${PIPESTATUS[0]}
set -e

passed=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$rust_log" | awk '{s+=$4} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' "$rust_log" | awk '{s+=$1} END {print s+0}')
e2e_pass=$(grep -Eo '^# pass [0-9]+' end2end/last-run.log | awk '{print $3}' | tail -n1)
e2e_fail=$(grep -Eo '^# fail [0-9]+' end2end/last-run.log | awk '{print $3}' | tail -n1)
rm -f "$rust_log"
total_pass=$((passed + ${e2e_pass:-0}))
total_fail=$((failed + ${e2e_fail:-0}))
[ "$rust_status" = 124 ] && echo "Rust tests did not finish within 30 minutes (a test hangs)" >&2
[ "$e2e_status" = 124 ] && echo "browser tests did not finish within 20 minutes (a test hangs)" >&2
if [ "$rust_status" != 0 ] && [ "$total_fail" = 0 ]; then total_fail=1; fi
if [ "$e2e_status" != 0 ] && [ "$total_fail" = 0 ]; then total_fail=1; fi
say "finished in $(( $(date +%s) - start )) s"
echo "summary: $total_pass passed, $total_fail failed"
[ "$rust_status" = 0 ] && [ "$e2e_status" = 0 ]

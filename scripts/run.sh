#!/usr/bin/env bash
# Builds Helios (release) and serves it on http://127.0.0.1:3000 with a demo workspace.
# With no DATABASE_URL an embedded PostgreSQL cluster is kept in ./data/pg.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
setup_all
say "building (release)"
cargo leptos build --release
say "starting Helios on http://${HELIOS_ADDR:-127.0.0.1:3000} (Ctrl-C stops it)"
export LEPTOS_SITE_ROOT="$PWD/target/site"
# initdb refuses to run as root: the embedded cluster then runs as the postgres user,
# which must be able to reach the data directory.
if [ "$(id -u)" = 0 ] && [ -z "${DATABASE_URL:-}" ] && [ -z "${HELIOS_DATA_DIR:-}" ]; then
  dir="$PWD"; while [ "$dir" != / ]; do
    if ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
      export HELIOS_DATA_DIR=/var/lib/helios
      say "postgres cannot reach $PWD: keeping data in $HELIOS_DATA_DIR"
      mkdir -p "$HELIOS_DATA_DIR"; break
    fi
    dir=$(dirname "$dir")
  done
fi
exec target/release/helios serve --demo --sample-data "$@"

#!/usr/bin/env bash
# Starts (or reuses) a private PostgreSQL cluster for tests and development,
# listening only on a unix socket. Prints the DATABASE_URL to use.
#   scripts/test-pg.sh start DIR   -> prints postgres://...?host=DIR/sock
#   scripts/test-pg.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?directory}
bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir=$(pg_config --bindir)
else
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
fi
[ -x "$bindir/initdb" ] || { echo "PostgreSQL server binaries not found: install the 'postgresql' package" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bindir/initdb" -D "$dir/data" -U helios --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    mkdir -p "$dir/sock"; [ "$(id -u)" = 0 ] && chown postgres: "$dir/sock"
    if ! as_pg "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
        -o "-c listen_addresses='' -k $dir/sock -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
    fi
    echo "postgres://helios@localhost/postgres?host=$dir/sock"
    ;;
  stop)
    [ -f "$dir/data/PG_VERSION" ] && as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac

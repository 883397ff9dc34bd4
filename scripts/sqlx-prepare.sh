#!/usr/bin/env bash
# Regenerates .sqlx/ (the query metadata that lets builds run without a database)
# against a freshly migrated scratch database. Run after changing any query.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dir=/tmp/helios-sqlx-pg
base=$(scripts/test-pg.sh start "$dir")
db="helios_sqlx_$$"
psql "$base" -qc "create database $db"
url="${base/\/postgres\?/\/$db?}"
for f in migrations/*.sql; do psql "$url" -v ON_ERROR_STOP=1 -q -f "$f"; done
rm -rf .sqlx && mkdir .sqlx
touch app/src/lib.rs server/src/lib.rs
SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$PWD/.sqlx" DATABASE_URL="$url" cargo check -q -p app -p server --features app/ssr --tests
psql "$base" -qc "drop database $db"
echo "$(ls .sqlx | wc -l) queries in .sqlx/"

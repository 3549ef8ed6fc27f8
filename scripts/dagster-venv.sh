#!/usr/bin/env bash
# Makes (once) and prints the path of a virtual environment with Dagster 1.13 (dagster +
# dagster-webserver, so `dagster dev` runs) and Python duckdb from PyPI, used to compare
# Storehouse's built-in orchestrator (`storehouse serve`'s scheduler and sensors) with Dagster in
# bench/orchestrator_vs_dagster.sh. duckdb is pinned to the version Storehouse embeds
# (.duckdb-version), so both sides write the same DuckDB file format. Exits 1 with a message on
# stderr when it cannot be installed (e.g. PyPI unreachable); callers then skip the comparison and
# say so.
set -euo pipefail
cache="${STOREHOUSE_CACHE:-$HOME/.cache/storehouse}"
venv="$cache/dagster-venv"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duckdb_version="$(tr -d '[:space:]' < "$root/.duckdb-version")"
if [ -x "$venv/bin/dagster" ] && [ -x "$venv/bin/dagster-webserver" ] && [ -x "$venv/bin/dagster-daemon" ] \
    && "$venv/bin/python" -c "import dagster, duckdb, sys; sys.exit(not dagster.__version__.startswith('1.13.') or duckdb.__version__ != '$duckdb_version')" 2>/dev/null; then
  echo "$venv"
  exit 0
fi
mkdir -p "$cache"
echo "[dagster] installing dagster 1.13 + dagster-webserver 1.13 (duckdb $duckdb_version) into $venv" >&2
if ! python3 -m venv "$venv" >&2 || ! "$venv/bin/pip" install --quiet "dagster==1.13.*" "dagster-webserver==1.13.*" \
    "duckdb==$duckdb_version" >&2; then
  echo "[dagster] could not install dagster/dagster-webserver/duckdb from PyPI; the comparison with Dagster is skipped" >&2
  exit 1
fi
echo "$venv"

#!/usr/bin/env bash
# Makes (once) and prints the path of a virtual environment with dbt-core + dbt-duckdb 1.11 from
# PyPI, used to compare Storehouse with dbt in tests and benchmarks. Exits 1 with a message on
# stderr when they cannot be installed; callers then skip the comparison and say so.
set -euo pipefail
cache="${STOREHOUSE_CACHE:-$HOME/.cache/storehouse}"
venv="$cache/dbt-venv"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duckdb_version="$(tr -d '[:space:]' < "$root/.duckdb-version")"
if [ -x "$venv/bin/dbt" ] && "$venv/bin/python" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$duckdb_version')" 2>/dev/null; then
  echo "$venv"
  exit 0
fi
mkdir -p "$cache"
echo "[dbt] installing dbt-core 1.11 + dbt-duckdb 1.11 (duckdb $duckdb_version) into $venv" >&2
if ! python3 -m venv "$venv" >&2 || ! "$venv/bin/pip" install --quiet "dbt-core==1.11.*" "dbt-duckdb==1.11.*" "duckdb==$duckdb_version" >&2; then
  echo "[dbt] could not install dbt-core/dbt-duckdb from PyPI; comparisons with dbt are skipped" >&2
  exit 1
fi
echo "$venv"

#!/usr/bin/env bash
# Makes (once) and prints the path of a virtual environment with MetricFlow (dbt-metricflow, CLI
# `mf`) beside dbt-core + dbt-duckdb 1.11 from PyPI, used to compare Storehouse's semantic layer
# (`storehouse metrics ...`) with MetricFlow. Kept apart from scripts/dbt-venv.sh because
# dbt-metricflow pins its own dependencies (dbt-semantic-interfaces, metricflow) and must not
# disturb the plain dbt reference. Exits 1 with a message on stderr when it cannot be installed
# (e.g. PyPI unreachable); callers then skip the comparison and say so.
set -euo pipefail
cache="${STOREHOUSE_CACHE:-$HOME/.cache/storehouse}"
venv="$cache/metricflow-venv"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duckdb_version="$(tr -d '[:space:]' < "$root/.duckdb-version")"
if [ -x "$venv/bin/mf" ] && [ -x "$venv/bin/dbt" ] \
    && "$venv/bin/python" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$duckdb_version')" 2>/dev/null; then
  echo "$venv"
  exit 0
fi
mkdir -p "$cache"
echo "[metricflow] installing dbt-metricflow + dbt-core 1.11 + dbt-duckdb 1.11 (duckdb $duckdb_version) into $venv" >&2
if ! python3 -m venv "$venv" >&2 || ! "$venv/bin/pip" install --quiet "dbt-metricflow[dbt-duckdb]" \
    "dbt-core==1.11.*" "dbt-duckdb==1.11.*" "duckdb==$duckdb_version" >&2; then
  echo "[metricflow] could not install dbt-metricflow/dbt-core/dbt-duckdb from PyPI; comparisons with MetricFlow are skipped" >&2
  exit 1
fi
echo "$venv"

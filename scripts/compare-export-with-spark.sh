#!/usr/bin/env bash
# Exports the bundled project's marts as Parquet (partitioned by a column where a mart has it) and
# reads them back with Apache Spark (PyPI's pyspark, on the installed Java), comparing every
# table's row count and an order-independent checksum of every row with DuckDB's own (issue 15).
# Exit status 0 when all agree, 1 when one differs; skips (0, with a message) where pyspark cannot
# be installed or Spark cannot start. Not part of scripts/test: pyspark is a 450 MB download.
#
#   scripts/compare-export-with-spark.sh [STOREHOUSE_BINARY] [SCALE]     (default: the debug build, 0.05)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
storehouse="${1:-$(cd "$root" && swift build --show-bin-path)/storehouse}"
scale="${2:-0.05}"
cache="${STOREHOUSE_CACHE:-$HOME/.cache/storehouse}"
venv="$cache/spark-venv"
if ! "$venv/bin/python" -c "import pyspark, duckdb" 2>/dev/null; then
  echo "[spark] installing pyspark + duckdb into $venv" >&2
  duckdb_version="$(tr -d "[:space:]" < "$root/.duckdb-version")"
  if ! python3 -m venv "$venv" >&2 || ! "$venv/bin/pip" install --quiet "pyspark==4.*" "duckdb==$duckdb_version" >&2; then
    echo "skipped: pyspark could not be installed, so there is no Spark to read the export" >&2
    exit 0
  fi
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/compare-export-with-spark.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export STOREHOUSE_DB="$work/store.duckdb" STOREHOUSE_RUNS_DB=
project=(--project-dir "$root/analytics" --profiles-dir "$root/analytics")
"$storehouse" generate --scale "$scale" --db "$STOREHOUSE_DB" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
"$storehouse" build "${project[@]}" >"$work/log" 2>&1 || { tail -30 "$work/log" >&2; exit 1; }
"$storehouse" export "${project[@]}" --select marts --to "$work/lake" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
"$storehouse" export "${project[@]}" --select fact_orders --to "$work/lake-by-order-status" --partition-by order_status >>"$work/log" 2>&1 \
  || { cat "$work/log" >&2; exit 1; }
tail -3 "$work/log"
"$venv/bin/python" "$root/bench/export_spark_check.py" "$STOREHOUSE_DB" "$work/lake" "$work/lake-by-order-status"

#!/usr/bin/env bash
# The bundled project on Spark: Storehouse (through a Spark Connect server, master local[2]) next to
# dbt-core 1.11 + dbt-spark (method: session, an in-process Spark, master local[2]) building the
# same project on the same generated data in the same run; then every mart of the two builds is
# compared row for row (numbers to 9 significant digits).
#
#   bench/spark_vs_dbt.sh [STOREHOUSE_BINARY] [SCALE]      (default: the release build, 0.1)
#
# Run inside scripts/with-spark.sh (scripts/bench spark does): Storehouse talks to its server.
# Two things dbt-spark cannot do on Spark's default (parquet) tables are left out of both builds
# or adapted in dbt's copy only, and said: the snapshot (dbt-spark snapshots need Delta or Hudi)
# is excluded from both; fact_events' merge strategy becomes append in dbt's copy (dbt-spark
# merges need Delta, Iceberg or Hudi; on a first build both write the whole table). dbt's session
# runs with ANSI mode off, as dbt-spark's users on parquet run it: with it on, dbt-spark's
# safe_cast (a plain cast) stops stg_events, whose URI parsing Spark may cast before the CASE
# guarding it. dbt's copy also gets the project's meaning of dateadd and datediff
# (bench/spark_dbt_macros.sql; DBT_SPARK_OWN_MACROS=1 leaves dbt-spark's own): dbt-spark's dateadd
# drops fractions of a second, which moves session boundaries, so five marts differ without it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
storehouse="${1:-$(cd "$repo" && swift build -c release --show-bin-path)/storehouse}"
scale="${2:-0.1}"
storehouse="$(cd "$(dirname "$storehouse")" && pwd)/$(basename "$storehouse")"
cache="${STOREHOUSE_CACHE:-$HOME/.cache/storehouse}"
line() { printf '%-52s%s\n' "$1" "$2"; }
now() { date +%s.%N; }
if [ -z "${STOREHOUSE_SPARK_URL:-}" ]; then
  echo "skipped: no Spark Connect server (${STOREHOUSE_SPARK_SKIP:-run through scripts/with-spark.sh})" >&2; exit 0
fi
venv="$cache/dbt-spark-venv"
if ! "$venv/bin/python" -c "import dbt.adapters.spark, pyspark" 2>/dev/null; then
  echo "[bench] installing dbt-core 1.11 + dbt-spark[session] into $venv" >&2
  python3 -m venv "$venv" >&2 && "$venv/bin/pip" install --quiet "dbt-core==1.11.*" "dbt-spark[session]==1.11.*" >&2 \
    || { echo "skipped: dbt-spark could not be installed" >&2; exit 0; }
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/spark-vs-dbt.XXXXXX")"
trap 'rm -rf "$work"' EXIT
url="$STOREHOUSE_SPARK_URL"
host="${url#sc://}"; host="${host%%/*}"; port="${host##*:}"; host="${host%%:*}"
token="$(printf '%s' "$url" | sed -n 's/.*;token=\([^;]*\).*/\1/p')"
schema="bench_$$"

# The same data for both: generated once into Spark (ours), and as Parquet for dbt's session.
"$storehouse" generate --scale "$scale" --as-of 2026-11-20 --format parquet --out "$work/raw" >"$work/gen.log" 2>&1 || { cat "$work/gen.log" >&2; exit 1; }
start=$(now)
"$storehouse" generate --scale "$scale" --as-of 2026-11-20 --db "$url;schema=$schema" >"$work/gen-spark.log" 2>&1 || { cat "$work/gen-spark.log" >&2; exit 1; }
line "generate --scale $scale into Spark (Arrow)" "$(python3 -c "print(f'{$(now) - $start:.1f}')") s  ($(grep -o '[0-9]* rows into' "$work/gen-spark.log" | head -1))"

cp -R "$repo/analytics" "$work/ours"; cp -R "$repo/analytics" "$work/dbt"; rm -rf "$work/ours/target" "$work/dbt/target"
"$storehouse" expectations export "$work/dbt" >/dev/null
sed -i "s/incremental_strategy='merge'/incremental_strategy='append'/" "$work/dbt/models/marts/core/fact_events.sql"
if [ "${DBT_SPARK_OWN_MACROS:-0}" != 1 ]; then cp "$repo/bench/spark_dbt_macros.sql" "$work/dbt/macros/"; fi
cat > "$work/dbt/profiles.yml" <<YAML
storehouse:
  target: spark
  outputs:
    spark:
      type: spark
      method: session
      host: NA
      schema: $schema
      threads: 2
      server_side_parameters:
        spark.master: "local[2]"
        spark.driver.memory: "2g"
        spark.sql.shuffle.partitions: "4"
        spark.sql.ansi.enabled: "false"
        spark.sql.session.timeZone: "UTC"
        spark.sql.warehouse.dir: "$work/dbt-warehouse"
        spark.ui.enabled: "false"
YAML
(cd "$work/dbt" && "$venv/bin/python" "$repo/bench/spark_raw_tables.py" "$work/raw" "$work/dbt-warehouse") >"$work/raw-tables.log" 2>&1 \
  || { tail -20 "$work/raw-tables.log" >&2; exit 1; }

exclude=(--exclude customer_status_snapshot)
# Each side builds RUNS times (default 2), alternating, each a full build (--full-refresh: dbt's
# append copy of fact_events would duplicate rows on a second incremental run). dbt's session starts a new JVM every run, so
# every dbt run is cold; the Connect server is started once, so Storehouse's first run is cold
# (the JVM compiling its own code as it goes) and the later ones warm, as a long-running server is.
runs="${RUNS:-2}"
ours_times=(); dbt_times=()
for run in $(seq "$runs"); do
  start=$(now)
  (cd "$work/ours" && STOREHOUSE_TARGET=spark STOREHOUSE_SPARK_HOST="$host" STOREHOUSE_SPARK_PORT="$port" STOREHOUSE_SPARK_TOKEN="$token" \
    STOREHOUSE_SPARK_SCHEMA="$schema" STOREHOUSE_RUNS_DB= "$storehouse" build --project-dir . --profiles-dir . --full-refresh "${exclude[@]}" >"$work/ours.log" 2>&1) \
    || { tail -30 "$work/ours.log" >&2; echo "storehouse build failed" >&2; exit 1; }
  ours_times+=("$(python3 -c "print(f'{$(now) - $start:.1f}')")")
  start=$(now)
  (cd "$work/dbt" && "$venv/bin/dbt" build --project-dir . --profiles-dir . --full-refresh "${exclude[@]}" >"$work/dbt.log" 2>&1) \
    || { grep -E "ERROR|Error" "$work/dbt.log" | head -20 >&2; tail -5 "$work/dbt.log" >&2; echo "dbt build failed" >&2; exit 1; }
  dbt_times+=("$(python3 -c "print(f'{$(now) - $start:.1f}')")")
  line "build $run: nodes (Storehouse / dbt)" "$(tail -1 "$work/ours.log" | grep -o '[0-9]* ok' | head -1) / $(grep -o 'PASS=[0-9]*' "$work/dbt.log" | tail -1)"
  line "build $run: Storehouse over Spark Connect" "${ours_times[-1]} s$([ "$run" = 1 ] && echo "  (server cold)")"
  line "build $run: dbt-core + dbt-spark (session)" "${dbt_times[-1]} s"
  line "build $run: ratio (dbt / Storehouse)" "$(python3 -c "print(f'{${dbt_times[-1]} / ${ours_times[-1]}:.2f}x')")"
done
"$cache/spark-venv/bin/python" "$repo/bench/spark_compare_marts.py" "$url" "$work/dbt-warehouse" marts

#!/usr/bin/env bash
# Builds the bundled analytics project twice from the same raw data — once with dbt-core +
# dbt-duckdb (the reference), once with Storehouse's own engine — and compares every resulting
# table row for row. Exit status 0 when all agree, 1 when any differ, 2 on usage/setup errors.
#
#   scripts/compare-with-dbt.sh RAW.duckdb [STOREHOUSE_BINARY]
#
# RAW.duckdb holds schema raw (e.g. from `storehouse generate`); it is copied, never modified.
# STOREHOUSE_BINARY defaults to .build/release/storehouse; the engine is run as
#   $STOREHOUSE_BINARY build --project-dir analytics --profiles-dir analytics
# with STOREHOUSE_DB pointing at its copy (override with STOREHOUSE_BUILD_ARGS).
# The reference dbt lives in a venv ($DBT_VENV, default the one scripts/dbt-venv.sh makes).
# Double columns are compared rounded to 9 decimals: summation order may differ between
# engines' parallel aggregates; money is numeric and compared exactly.
set -euo pipefail

if [[ $# -lt 1 || ! -f "$1" ]]; then
    echo "usage: $0 RAW.duckdb [STOREHOUSE_BINARY]  (RAW.duckdb must exist and hold schema raw)" >&2
    exit 2
fi
repo="$(cd "$(dirname "$0")/.." && pwd)"
raw="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
storehouse="${2:-$repo/.build/release/storehouse}"
venv="${DBT_VENV:-}"
if [[ -z "$venv" ]]; then
    venv="$("$repo/scripts/dbt-venv.sh")" || { echo "skipped: dbt-core could not be installed, so there is nothing to compare with" >&2; exit 0; }
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/compare-with-dbt.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if [[ ! -x "$venv/bin/dbt" ]]; then
    echo "installing dbt-core 1.11 + dbt-duckdb 1.11 into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "dbt-core==1.11.*" "dbt-duckdb==1.11.*"
fi
if [[ ! -x "$storehouse" ]]; then
    echo "error: Storehouse binary not found at $storehouse; build it (swift build -c release) or pass its path" >&2
    exit 2
fi

cp "$raw" "$work/dbt.duckdb"
cp "$raw" "$work/storehouse.duckdb"
# dbt writes target/ and logs/ into the project: give each engine its own copy of the project.
cp -R "$repo/analytics" "$work/project-dbt"
cp -R "$repo/analytics" "$work/project-storehouse"
rm -rf "$work"/project-*/target "$work"/project-*/logs
# The project uses the expectation tests Storehouse ships; dbt-core gets them as project macros.
"$storehouse" expectations export "$work/project-dbt" >/dev/null

echo "== dbt-core + dbt-duckdb"
start=$(date +%s.%N)
STOREHOUSE_DB="$work/dbt.duckdb" "$venv/bin/dbt" build --profiles-dir "$work/project-dbt" \
    --project-dir "$work/project-dbt" --target dev > "$work/dbt.log" 2>&1 \
    || { tail -40 "$work/dbt.log"; echo "error: dbt build failed (log above)" >&2; exit 1; }
dbt_seconds=$(echo "$(date +%s.%N) - $start" | bc)
grep -E "^.*Done\. PASS" "$work/dbt.log" | sed 's/\x1b\[[0-9;]*m//g' || true

echo "== storehouse"
start=$(date +%s.%N)
# shellcheck disable=SC2086
STOREHOUSE_DB="$work/storehouse.duckdb" "$storehouse" ${STOREHOUSE_BUILD_ARGS:-build --project-dir "$work/project-storehouse" --profiles-dir "$work/project-storehouse"} \
    > "$work/storehouse.log" 2>&1 \
    || { tail -40 "$work/storehouse.log"; echo "error: storehouse build failed (log above)" >&2; exit 1; }
storehouse_seconds=$(echo "$(date +%s.%N) - $start" | bc)

echo "== comparing tables"
status=0
"$venv/bin/python" - "$work/dbt.duckdb" "$work/storehouse.duckdb" <<'PY' || status=$?
import sys, duckdb
reference, candidate = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute(f"attach '{reference}' as ref (read_only)")
con.execute(f"attach '{candidate}' as cand (read_only)")
# dbt's snapshot bookkeeping columns carry build timestamps and ids: they differ by design.
volatile = {"dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to"}
tables = con.execute("""
    select schema_name, table_name from duckdb_tables()
    where database_name = 'ref' and schema_name in ('staging', 'intermediate', 'marts', 'snapshots')
    union
    select schema_name, view_name from duckdb_views()
    where database_name = 'ref' and schema_name in ('staging', 'intermediate', 'marts')
    order by 1, 2""").fetchall()
failures = 0
for schema, table in tables:
    columns = con.execute(f"""select column_name, data_type from duckdb_columns()
        where database_name = 'ref' and schema_name = '{schema}' and table_name = '{table}'
        order by column_index""").fetchall()
    present = {name for (name,) in con.execute(f"""select column_name from duckdb_columns()
        where database_name = 'cand' and schema_name = '{schema}' and table_name = '{table}'""").fetchall()}
    if not present:
        print(f"MISSING  {schema}.{table}: not built by storehouse"); failures += 1; continue
    missing = [c for c, _ in columns if c not in present]
    if missing:
        print(f"COLUMNS  {schema}.{table}: storehouse lacks {', '.join(missing)}"); failures += 1; continue
    select = ", ".join(
        f'round("{c}", 9) as "{c}"' if t in ("DOUBLE", "FLOAT") else f'"{c}"'
        for c, t in columns if c not in volatile)
    only_ref = con.execute(f'select count(*) from (select {select} from ref."{schema}"."{table}" except all select {select} from cand."{schema}"."{table}")').fetchall()[0][0]
    only_cand = con.execute(f'select count(*) from (select {select} from cand."{schema}"."{table}" except all select {select} from ref."{schema}"."{table}")').fetchall()[0][0]
    rows = con.execute(f'select count(*) from ref."{schema}"."{table}"').fetchall()[0][0]
    status = "OK      " if only_ref == 0 and only_cand == 0 else "DIFFERS "
    if status.startswith("DIFFERS"): failures += 1
    print(f"{status} {schema}.{table}: {rows} rows; only in dbt {only_ref}, only in storehouse {only_cand}")
print(f"{len(tables) - failures} of {len(tables)} relations agree")
sys.exit(1 if failures else 0)
PY
echo "build seconds: dbt ${dbt_seconds}, storehouse ${storehouse_seconds} (ratio $(echo "scale=2; $storehouse_seconds / $dbt_seconds" | bc))"
exit $status

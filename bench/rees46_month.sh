#!/usr/bin/env bash
# The REES46 month at its real size (issue 18): `storehouse generate --clickstream` writes one
# month of the marketplace export as CSV (42M rows ≈ the public 2019-Oct file, 5.3 GiB), then
#   load   `storehouse ingest files clickstream.csv --into raw.clickstream_events`
#   build  `storehouse build --select stg_clickstream_events+` (deduplicated, sessionised,
#          funnelled, with their tests)
# under a DuckDB memory_limit, with wall time and peak RSS of each step. Anchors, same run, same
# file and limit: DuckDB's own CSV reader (`create table … as select * from read_csv(…)`, types
# sniffed, nothing checked) for the load, and dbt-core + dbt-duckdb building the same selection on
# a copy of the loaded warehouse (skipped when dbt cannot be installed).
#
#   bench/rees46_month.sh STOREHOUSE_BINARY [ROWS]      (default 42000000)
#
#   MEMORY_LIMIT=3GB   DuckDB's memory_limit for every side (the issue's bound is 4 GiB of RSS)
#   SKIP_DBT=1         leave out the dbt anchor
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
storehouse="$1"; rows="${2:-42000000}"
[[ "$storehouse" = /* ]] || storehouse="$PWD/$storehouse"
limit="${MEMORY_LIMIT:-3GB}"
work="$(mktemp -d "${TMPDIR:-/tmp}/rees46.XXXXXX")"
trap 'rm -rf "$work"' EXIT
line() { printf '%-58s%s\n' "$1" "$2"; }
# timed LOG COMMAND…: "<wall s> <cpu s> <peak RSS MiB>"
timed() { TIMED_RSS=1 python3 "$repo/bench/timed.py" "$@"; }

git -C "$repo" archive HEAD analytics | tar -x -C "$work"
project="$work/analytics"
python3 - "$project/profiles.yml" "$limit" <<'EOF'
import sys
path, limit = sys.argv[1], sys.argv[2]
text = open(path).read()
marker = "      schema: main\n      threads: 2\n"
assert marker in text, "profiles.yml's dev target changed; update bench/rees46_month.sh"
open(path, "w").write(text.replace(marker, marker + f"      settings:\n        memory_limit: {limit}\n", 1))
EOF
export STOREHOUSE_RUNS_DB= STOREHOUSE_DB="$work/store.duckdb"
args=(--project-dir "$project" --profiles-dir "$project")
line "rows" "$rows ($(nproc) cores, memory_limit $limit, load $(cut -d' ' -f1-3 /proc/loadavg))"

read -r wall cpu rss < <(timed "$work/generate.log" "$storehouse" generate --format csv --scale 0.01 --clickstream-rows "$rows" --out "$work/landing") \
  || { tail -20 "$work/generate.log" >&2; exit 1; }
csv="$work/landing/clickstream.csv"
line "generate: clickstream.csv" "$wall s wall, $rss MiB peak ($(du -h "$csv" | cut -f1))"

read -r load_wall load_cpu load_rss < <(cd "$work" && timed "$work/load.log" "$storehouse" ingest files landing/clickstream.csv --into raw.clickstream_events "${args[@]}") \
  || { tail -20 "$work/load.log" >&2; exit 1; }
grep -E "loaded|quarantined" "$work/load.log" | sed 's/^/  /' | head -3
line "load: storehouse ingest files" "$load_wall s wall, $load_cpu s cpu, $load_rss MiB peak"

# The anchor: DuckDB's reader on the same file, into a fresh file, same limit and threads.
duck_python="$("$repo/scripts/dbt-venv.sh" 2>/dev/null)/bin/python" || duck_python=""
if [ -x "$duck_python" ]; then
  read -r anchor_wall _ anchor_rss < <(timed "$work/anchor.log" "$duck_python" -c "
import duckdb, sys
con = duckdb.connect('$work/anchor.duckdb')
con.execute(\"set memory_limit = '$limit'\")
con.execute('create schema raw')
con.execute(\"create table raw.clickstream_events as select * from read_csv('$csv')\")
print(con.execute('select count(*) from raw.clickstream_events').fetchone()[0])") || { cat "$work/anchor.log" >&2; exit 1; }
  rm -f "$work/anchor.duckdb"
  line "load: DuckDB read_csv (sniffed types, nothing checked)" "$anchor_wall s wall, $anchor_rss MiB peak"
  line "load: ratio (DuckDB / Storehouse)" "$(python3 -c "print(f'{$anchor_wall / $load_wall:.2f}x')")"
fi

[ "${SKIP_DBT:-}" = 1 ] || cp "$STOREHOUSE_DB" "$work/dbt-start.duckdb"
select=(--select "stg_clickstream_events+" --exclude "test_name:relationships")
read -r build_wall build_cpu build_rss < <(timed "$work/build.log" "$storehouse" build "${select[@]}" "${args[@]}") \
  || { tail -30 "$work/build.log" >&2; exit 1; }
grep -E "^\[.*(model|distinct)" "$work/build.log" | sed 's/^/  /'
line "build: stg_clickstream_events+ (dedup, sessions, funnel)" "$build_wall s wall, $build_cpu s cpu, $build_rss MiB peak"
total="$(python3 -c "print(f'{$load_wall + $build_wall:.1f}')")"
line "load + build (target < 60 s, < 4 GiB)" "$total s; peak $(python3 -c "print(max($load_rss, $build_rss))") MiB"
"$storehouse" query --db "$STOREHOUSE_DB" --format csv "select (select count(*) from raw.clickstream_events) as raw_rows,
  (select count(*) from staging.stg_clickstream_events) as distinct_events,
  (select count(*) from marts.marketplace_sessions) as sessions,
  (select sum(events) from marts.marketplace_category_funnel) as funnel_events" | sed 's/^/  /'

if [ "${SKIP_DBT:-}" != 1 ]; then
  if venv="$("$repo/scripts/dbt-venv.sh")"; then
    mv "$work/dbt-start.duckdb" "$STOREHOUSE_DB"
    "$storehouse" expectations export "$project" >/dev/null   # the expectation tests Storehouse ships, for dbt-core
    rm -f "$STOREHOUSE_DB.wal"
    read -r dbt_wall _ dbt_rss < <(timed "$work/dbt.log" "$venv/bin/dbt" build "${select[@]}" --project-dir "$project" --profiles-dir "$project") \
      || { tail -30 "$work/dbt.log" >&2; exit 1; }
    line "build: dbt-core + dbt-duckdb, same selection" "$dbt_wall s wall, $dbt_rss MiB peak"
    line "build: ratio (dbt / Storehouse)" "$(python3 -c "print(f'{$dbt_wall / $build_wall:.2f}x')")"
  else
    line "build: dbt-core + dbt-duckdb" "skipped: dbt-core could not be installed"
  fi
fi

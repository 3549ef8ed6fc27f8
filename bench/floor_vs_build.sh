#!/usr/bin/env bash
# How close a build runs to its warehouse's own speed (issue 18): `storehouse build` of a project
# next to the floor — the same statements the build ran (from its run_results.json), sent straight
# to DuckDB on one connection in the build's order (StorehouseBench floor) — and, unless
# SKIP_DBT=1, dbt-core + dbt-duckdb's build of the same project. Same machine, same run; medians.
#
#   bench/floor_vs_build.sh STOREHOUSE_BINARY BENCH_BINARY
#
#   PROJECT=generated  bench/make_project.py's 1,000-model project (MODELS=N), seeds only (default)
#   PROJECT=analytics  the bundled project on `storehouse generate --scale $SCALE` (default 1.0)
#   RUNS=3             repetitions of each side; THREADS=2 the build's threads
#
# Each run starts from the same warehouse: empty (generated) or a copy of the raw data (analytics).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
storehouse="$1"; bench="$2"
[[ "$storehouse" = /* ]] || storehouse="$PWD/$storehouse"
[[ "$bench" = /* ]] || bench="$PWD/$bench"
project_kind="${PROJECT:-generated}"
runs="${RUNS:-3}"
threads="${THREADS:-2}"
work="$(mktemp -d "${TMPDIR:-/tmp}/floor.XXXXXX")"
trap 'rm -rf "$work"' EXIT
line() { printf '%-52s%s\n' "$1" "$2"; }
median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.3f}')" "$@"; }
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }

mkdir -p "$work/start" "$work/floor"
if [ "$project_kind" = analytics ]; then
  scale="${SCALE:-1.0}"
  git -C "$repo" archive HEAD analytics | tar -x -C "$work"
  project="$work/analytics"
  db_name="store.duckdb"
  "$storehouse" generate --scale "$scale" --db "$work/start/$db_name" >"$work/generate.log" 2>&1 || { tail -20 "$work/generate.log" >&2; exit 1; }
  line "project" "bundled analytics project, scale $scale ($(grep -o '[0-9]* rows into' "$work/generate.log" | head -1 | cut -d' ' -f1) raw rows)"
  export STOREHOUSE_DB="$work/build/$db_name"
else
  models="${MODELS:-1000}"
  python3 "$repo/bench/make_project.py" "$work/generated" --models "$models" >/dev/null
  project="$work/generated"
  db_name="bench.duckdb"
  line "project" "$models models from bench/make_project.py"
fi
line "load average at start" "$(cut -d' ' -f1-3 /proc/loadavg)"

# A fresh warehouse for one run: the starting copy (or nothing) at $1/$db_name. The floor's file
# has the build's file name, so the compiled SQL's three-part names find it.
fresh() { rm -rf "$1"; mkdir -p "$1"; if [ -f "$work/start/$db_name" ]; then cp "$work/start/$db_name" "$1/$db_name"; fi; }

ours=(); floor=()
for _ in $(seq "$runs"); do
  fresh "$work/build"
  rm -rf "$project/target"
  rm -f "$project/$db_name" "$project/$db_name.wal"   # the generated project's warehouse (analytics: STOREHOUSE_DB)
  start=$(now)
  if ! (cd "$project" && STOREHOUSE_RUNS_DB= "$storehouse" build --project-dir . --profiles-dir . --threads "$threads" >"$work/build.log" 2>&1); then
    tail -30 "$work/build.log" >&2; echo "storehouse build failed" >&2; exit 1
  fi
  ours+=("$(elapsed "$start" "$(now)")")
  fresh "$work/floor"
  floor+=("$("$bench" floor "$project" "$work/floor/$db_name" | tee "$work/floor.log" | sed -n 's/^FLOOR_SECONDS=//p')")
done
nodes=$(python3 -c "import json; print(len(json.load(open('$project/target/run_results.json'))['results']))")
grep -v '^FLOOR_SECONDS=' "$work/floor.log" | sed 's/^/  (last run) /'
ours_median="$(median "${ours[@]}")"; floor_median="$(median "${floor[@]}")"
line "storehouse build, $nodes nodes, $threads threads" "$ours_median s  (runs: ${ours[*]})"
line "floor: the same statements, one connection" "$floor_median s  (runs: ${floor[*]})"
line "build / floor" "$(python3 -c "print(f'{$ours_median / $floor_median:.2f}')")  (target ≤ 1.00)"

if [ "${SKIP_DBT:-0}" = 1 ]; then exit 0; fi
if ! venv="$("$repo/scripts/dbt-venv.sh")"; then line "dbt build" "skipped: dbt-core could not be installed"; exit 0; fi
"$storehouse" expectations export "$project" >/dev/null
theirs=()
for _ in $(seq "$runs"); do
  fresh "$work/build"
  rm -rf "$project/target"
  rm -f "$project/$db_name" "$project/$db_name.wal"
  start=$(now)
  if ! (cd "$project" && "$venv/bin/dbt" build --project-dir . --profiles-dir . --threads "$threads" >"$work/dbt.log" 2>&1); then
    tail -30 "$work/dbt.log" >&2; echo "dbt build failed" >&2; exit 1
  fi
  theirs+=("$(elapsed "$start" "$(now)")")
done
theirs_median="$(median "${theirs[@]}")"
line "dbt-core + dbt-duckdb build, $threads threads" "$theirs_median s  (runs: ${theirs[*]})"
line "dbt / storehouse" "$(python3 -c "print(f'{$theirs_median / $ours_median:.2f}')")x"
line "dbt / floor" "$(python3 -c "print(f'{$theirs_median / $floor_median:.2f}')")x"

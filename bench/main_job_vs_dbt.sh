#!/usr/bin/env bash
# The main job's time, and the analytics build alone next to dbt-core + dbt-duckdb building the
# same project on the same data in the same run: RUNS alternating builds each (default 3), each
# on a fresh copy of the generated data, medians compared (wall seconds, and CPU seconds, which
# drift less on a shared machine). Then one build of each is compared row for row
# (scripts/compare-with-dbt.sh).
#
#   bench/main_job_vs_dbt.sh [STOREHOUSE_BINARY] [SCALE]      (RUNS=N to change the repeat count)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
storehouse="${1:-$(cd "$repo" && swift build -c release --show-bin-path)/storehouse}"
scale="${2:-1.0}"
runs="${RUNS:-3}"
work="$(mktemp -d "${TMPDIR:-/tmp}/main-job.XXXXXX")"
trap 'rm -rf "$work"' EXIT
line() { printf '%-46s%s\n' "$1" "$2"; }
now() { date +%s.%N; }

start=$(now)
(cd "$repo" && "$storehouse" demo --scale "$scale" --db "$work/demo.duckdb" > "$work/demo.log" 2>&1) \
  || { tail -40 "$work/demo.log" >&2; echo "storehouse demo failed" >&2; exit 1; }
end=$(now)
line "main job: storehouse demo --scale $scale" "$(python3 -c "print(f'{$end - $start:.1f}')") s (generate + build + test + report)"
grep -E "rows in|models and snapshots built" "$work/demo.log" | sed 's/^ */  /'

(cd "$repo" && "$storehouse" generate --scale "$scale" --as-of 2026-11-20 --clickstream --db "$work/store.duckdb" > "$work/generate.log" 2>&1) \
  || { tail -20 "$work/generate.log" >&2; exit 1; }
if ! venv="$("$repo/scripts/dbt-venv.sh")"; then
  line "build: dbt-core + dbt-duckdb" "skipped: dbt-core could not be installed"
  exit 0
fi
cp -R "$repo/analytics" "$work/ours"; cp -R "$repo/analytics" "$work/dbt"; rm -rf "$work/ours/target" "$work/dbt/target"
"$storehouse" expectations export "$work/dbt" >/dev/null   # the expectation tests Storehouse ships, for dbt-core
ours=(); theirs=(); ours_cpu=(); theirs_cpu=()
for i in $(seq "$runs"); do
  cp "$work/store.duckdb" "$work/o.duckdb"
  t=$(STOREHOUSE_DB="$work/o.duckdb" "$repo/bench/timed.py" "$work/o.log" \
    "$storehouse" build --project-dir "$work/ours" --profiles-dir "$work/ours") || { tail -30 "$work/o.log" >&2; exit 1; }
  read -r w c <<< "$t"; ours+=("$w"); ours_cpu+=("$c")
  cp "$work/store.duckdb" "$work/d.duckdb"
  t=$(STOREHOUSE_DB="$work/d.duckdb" "$repo/bench/timed.py" "$work/d.log" \
    "$venv/bin/dbt" build --project-dir "$work/dbt" --profiles-dir "$work/dbt") || { tail -30 "$work/d.log" >&2; exit 1; }
  read -r w c <<< "$t"; theirs+=("$w"); theirs_cpu+=("$c")
done
median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.2f}')" "$@"; }
mo=$(median "${ours[@]}"); md=$(median "${theirs[@]}")
co=$(median "${ours_cpu[@]}"); cd_=$(median "${theirs_cpu[@]}")
line "build: analytics, Storehouse (median of $runs)" "$mo s  (runs: $(printf '%.2f ' "${ours[@]}"))"
line "build: analytics, dbt-core + dbt-duckdb" "$md s  (runs: $(printf '%.2f ' "${theirs[@]}"))"
line "build: ratio (dbt / Storehouse)" "$(python3 -c "print(f'{$md / $mo:.2f}x')")"
line "build: CPU seconds, Storehouse / dbt (medians)" "$co s / $cd_ s  ($(python3 -c "print(f'{$cd_ / $co:.2f}x')"))"
line "load average" "$(cut -d' ' -f1-3 /proc/loadavg)"
"$repo/scripts/compare-with-dbt.sh" "$work/store.duckdb" "$storehouse" | grep -E "relations agree|differ" || true

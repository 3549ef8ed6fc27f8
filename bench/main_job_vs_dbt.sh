#!/usr/bin/env bash
# The main job's time, and the analytics build alone next to dbt-core + dbt-duckdb building the
# same project on the same data in the same run (with a row-for-row comparison of the results).
#
#   bench/main_job_vs_dbt.sh [STOREHOUSE_BINARY] [SCALE]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
storehouse="${1:-$(cd "$repo" && swift build -c release --show-bin-path)/storehouse}"
scale="${2:-1.0}"
work="$(mktemp -d "${TMPDIR:-/tmp}/main-job.XXXXXX")"
trap 'rm -rf "$work"' EXIT
line() { printf '%-46s%s\n' "$1" "$2"; }

start=$(date +%s.%N)
(cd "$repo" && "$storehouse" demo --scale "$scale" --db "$work/demo.duckdb" > "$work/demo.log" 2>&1) \
  || { tail -40 "$work/demo.log" >&2; echo "storehouse demo failed" >&2; exit 1; }
end=$(date +%s.%N)
line "main job: storehouse demo --scale $scale" "$(python3 -c "print(f'{$end - $start:.1f}')") s (generate + build + test + report)"
grep -E "rows in|models and snapshots built" "$work/demo.log" | sed 's/^ */  /'

(cd "$repo" && "$storehouse" generate --scale "$scale" --db "$work/store.duckdb" > "$work/generate.log" 2>&1) \
  || { tail -20 "$work/generate.log" >&2; exit 1; }
"$repo/scripts/compare-with-dbt.sh" "$work/store.duckdb" "$storehouse" | tail -3

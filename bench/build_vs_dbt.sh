#!/usr/bin/env bash
# Build speed on a generated 1,000-model project (seeds, models, YAML tests), Storehouse against
# dbt-core + dbt-duckdb on the same project, same machine, same run.
#
#   bench/build_vs_dbt.sh [STOREHOUSE_BINARY]     (MODELS=N to change the size)
#
# Reports wall time for the whole `build`, the node count, seconds per node, and the ratio
# dbt / Storehouse. The models are tiny, so time per node is almost all engine overhead: parsing,
# compiling, scheduling, round trips, artifacts. When dbt cannot be installed the dbt half is
# skipped with a message.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
models="${MODELS:-1000}"
storehouse="${1:-$(cd "$repo" && swift build -c release --show-bin-path)/storehouse}"
work="$(mktemp -d "${TMPDIR:-/tmp}/build-vs-dbt.XXXXXX")"
trap 'rm -rf "$work"' EXIT

python3 "$repo/bench/make_project.py" "$work/ours" --models "$models" >/dev/null
cp -R "$work/ours" "$work/dbt"
line() { printf '%-46s%s\n' "$1" "$2"; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }

start=$(date +%s.%N)
if ! (cd "$work/ours" && "$storehouse" build --project-dir . --profiles-dir . --threads 2 >"$work/ours.log" 2>&1); then
  tail -30 "$work/ours.log" >&2; echo "storehouse build failed" >&2; exit 1
fi
end=$(date +%s.%N)
ours=$(elapsed "$start" "$end")
nodes=$(python3 -c "import json; print(len(json.load(open('$work/ours/target/run_results.json'))['results']))")
line "build: nodes" "$nodes ($models models + seeds + tests)"
line "build: Storehouse" "${ours} s  ($(python3 -c "print(f'{$ours / $nodes * 1000:.1f}')") ms per node)"

if venv="$("$repo/scripts/dbt-venv.sh")"; then
  start=$(date +%s.%N)
  if ! (cd "$work/dbt" && "$venv/bin/dbt" build --project-dir . --profiles-dir . --threads 2 >"$work/dbt.log" 2>&1); then
    tail -30 "$work/dbt.log" >&2; echo "dbt build failed" >&2; exit 1
  fi
  end=$(date +%s.%N)
  theirs=$(elapsed "$start" "$end")
  line "build: dbt-core + dbt-duckdb" "${theirs} s  ($(python3 -c "print(f'{$theirs / $nodes * 1000:.1f}')") ms per node)"
  line "build: ratio (dbt / Storehouse)" "$(python3 -c "print(f'{$theirs / $ours:.1f}x')")"
else
  line "build: dbt-core + dbt-duckdb" "skipped: dbt-core could not be installed"
fi

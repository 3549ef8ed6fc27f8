#!/usr/bin/env bash
# Docs artifacts on a generated 1,000-model project (issue 20): `storehouse docs generate` against
# `dbt docs generate` (dbt-core + dbt-duckdb 1.11) on the same built warehouse, same machine, same
# run; and `storehouse lineage` (every column of every model traced) for scale.
#
#   bench/docs_vs_dbt.sh [STOREHOUSE_BINARY]     (MODELS=N to change the size, RUNS=N repetitions, default 3)
#
# The project is built once by Storehouse; each tool then reads its own copy of the warehouse
# file (DuckDB locks a file for one writer). Reports the median wall time of each command and the
# ratio dbt / Storehouse. When dbt cannot be installed the dbt half is skipped with a message.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
models="${MODELS:-1000}"
runs="${RUNS:-3}"
storehouse="${1:-$(cd "$repo" && swift build -c release --show-bin-path)/storehouse}"
[[ "$storehouse" = /* ]] || storehouse="$PWD/$storehouse"
work="$(mktemp -d "${TMPDIR:-/tmp}/docs-vs-dbt.XXXXXX")"
trap 'rm -rf "$work"' EXIT
line() { printf '%-52s%s\n' "$1" "$2"; }
median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.2f}')" "$@"; }

python3 "$repo/bench/make_project.py" "$work/ours" --models "$models" >/dev/null
if ! (cd "$work/ours" && STOREHOUSE_RUNS_DB= "$storehouse" build --project-dir . --profiles-dir . --threads 2 >"$work/build.log" 2>&1); then
  tail -30 "$work/build.log" >&2; echo "storehouse build failed" >&2; exit 1
fi
cp -R "$work/ours" "$work/dbt"; rm -rf "$work/dbt/target"
line "project" "$models models from bench/make_project.py, built"
line "load average" "$(cut -d' ' -f1-3 /proc/loadavg)"

# Wall seconds of one command in a folder; fails the script when the command fails.
timed() {
  local dir="$1"; shift
  local start end
  start=$(date +%s.%N)
  if ! (cd "$dir" && "$@" >"$work/last.log" 2>&1); then tail -30 "$work/last.log" >&2; echo "failed: $*" >&2; exit 1; fi
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.3f}')"
}

ours=(); lineage=()
for _ in $(seq "$runs"); do
  ours+=("$(timed "$work/ours" "$storehouse" docs generate --project-dir . --profiles-dir .)")
  lineage+=("$(timed "$work/ours" "$storehouse" lineage --project-dir . --profiles-dir .)")
done
traced="$(cd "$work/ours" && "$storehouse" lineage --project-dir . --profiles-dir . | head -1)"
ours_median="$(median "${ours[@]}")"
line "storehouse docs generate (median of $runs)" "$ours_median s  (runs: ${ours[*]})"
line "storehouse lineage, every column (median of $runs)" "$(median "${lineage[@]}") s  ($traced)"

# The lineage graph page on the same project, in a real browser (issue 20: every interaction
# under 100 ms on 1,000 models). Skipped where chromium/playwright cannot be had.
if browser_venv="$("$repo/scripts/browser-venv.sh" 2>/dev/null)"; then
  (cd "$work/ours" && exec "$storehouse" serve --read-only --project-dir . --profiles-dir . --port 0 >"$work/serve.log" 2>&1) &
  serve_pid=$!
  url=""
  for _ in $(seq 300); do
    url="$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1 || true)"
    [ -n "$url" ] && break
    sleep 0.1
  done
  if [ -n "$url" ]; then
    echo "docs lineage graph in chromium ($models models, $url/docs/graph):"
    "$browser_venv/bin/python" "$repo/bench/docs_graph_ui.py" "$url" --rounds 5 | sed 's/^/  /'
  else
    echo "docs lineage graph: serve did not start"; tail -5 "$work/serve.log"
  fi
  kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true
else
  line "docs lineage graph in chromium" "skipped: chromium or playwright could not be installed"
fi

if ! venv="$("$repo/scripts/dbt-venv.sh")"; then
  line "dbt docs generate" "skipped: dbt-core could not be installed"
  exit 0
fi
theirs=()
for _ in $(seq "$runs"); do
  theirs+=("$(timed "$work/dbt" "$venv/bin/dbt" docs generate --project-dir . --profiles-dir .)")
done
theirs_median="$(median "${theirs[@]}")"
line "dbt docs generate (median of $runs)" "$theirs_median s  (runs: ${theirs[*]})"
line "ratio dbt / storehouse" "$(python3 -c "print(f'{$theirs_median / $ours_median:.1f}x')")  (target ≥ 20x)"

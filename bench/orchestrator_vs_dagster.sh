#!/usr/bin/env bash
# Storehouse's built-in orchestrator (`storehouse serve`'s scheduler and landing sensor) next to
# Dagster 1.13 (`dagster dev` with its defaults), one after the other in the same invocation, on
# the same trivial job: one step that builds the one-row model `select 1 as x` into a DuckDB file,
# started by a `*.csv` file landing in a watched folder (issue 14). Reports, with the ratio
# Dagster / Storehouse:
#
#   1. landing → run started (median, max of LANDINGS landings, default 5). Target: < 1 s.
#      Dagster with minimum_interval_seconds=1 (LANDINGS landings) and with its default (unset =
#      30 s; DEFAULT_LANDINGS landings, default 2).
#   2. the overhead of a run, queued → started and started → ended, from each orchestrator's own
#      records. Target: started → ended < 20 ms.
#   3. resident memory of the idle server (all its processes, after the runs and SETTLE seconds,
#      default 10). Target: < 1/5 of Dagster's.
#
#   bench/orchestrator_vs_dagster.sh [STOREHOUSE_BINARY]     LANDINGS=5 DEFAULT_LANDINGS=2 SETTLE=10
#
# The Dagster side is bench/orchestrator_dagster/definitions.py, in the venv of
# scripts/dagster-venv.sh; the Storehouse project is bench/orchestrator_dagster/storehouse_project.
# The harness is bench/orchestrator_bench.py. Takes about three minutes (the 30 s sensor).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
storehouse="${1:-$(cd "$repo" && swift build -c release --show-bin-path)/storehouse}"
[[ "$storehouse" = /* ]] || storehouse="$PWD/$storehouse"
[ -x "$storehouse" ] || { echo "error: no storehouse binary at $storehouse" >&2; exit 2; }
venv="$("$repo/scripts/dagster-venv.sh")" || { echo "Dagster could not be installed; the bench is skipped" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/orchestrator-bench.XXXXXX")"
harness_pid=""
# The harness stops its servers itself; if it is killed first, kill what is left of their process
# groups (their ids are in $work/pgids), then remove the work folder.
cleanup() {
  trap - EXIT INT TERM HUP
  if [ -n "$harness_pid" ] && kill -0 "$harness_pid" 2>/dev/null; then
    kill -TERM "$harness_pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$harness_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$harness_pid" 2>/dev/null || true
  fi
  if [ -f "$work/pgids" ]; then
    while read -r pgid; do kill -KILL -- "-$pgid" 2>/dev/null || true; done < "$work/pgids"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

echo "== storehouse: $storehouse ($("$storehouse" --version 2>/dev/null || echo '?')); dagster venv: $venv"
# In the background so that the traps run at once on a signal (bash defers them while it waits
# for a foreground command).
"$venv/bin/python" -u "$repo/bench/orchestrator_bench.py" --storehouse "$storehouse" --dagster-venv "$venv" \
  --work "$work" --landings "${LANDINGS:-5}" --default-landings "${DEFAULT_LANDINGS:-2}" --settle "${SETTLE:-10}" &
harness_pid=$!
status=0
wait "$harness_pid" || status=$?
harness_pid=""
exit "$status"

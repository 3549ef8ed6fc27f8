#!/usr/bin/env bash
# Fits the bundled project's models with Storehouse and again with scikit-learn on the same rows,
# and compares them (issue 16: coefficients within 1e-4, validation AUC within 0.002). Exit status
# 0 when every model agrees, 1 when one differs; skips (0, with a message) where scikit-learn
# cannot be installed.
#
#   scripts/compare-with-sklearn.sh [STOREHOUSE_BINARY] [SCALE]     (default: the debug build, 0.1)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
storehouse="${1:-$(cd "$root" && swift build --show-bin-path)/storehouse}"
scale="${2:-0.1}"
venv="$("$root/scripts/sklearn-venv.sh")" || { echo "skipped: scikit-learn could not be installed, so there is nothing to compare with" >&2; exit 0; }
work="$(mktemp -d "${TMPDIR:-/tmp}/compare-with-sklearn.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export STOREHOUSE_DB="$work/store.duckdb" STOREHOUSE_RUNS_DB=
project=(--project-dir "$root/analytics" --profiles-dir "$root/analytics")
"$storehouse" generate --scale "$scale" --db "$STOREHOUSE_DB" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
"$storehouse" build "${project[@]}" >"$work/log" 2>&1 || { tail -30 "$work/log" >&2; exit 1; }
"$storehouse" ml train "${project[@]}"
(cd "$root/bench" && "$venv/bin/python" ml_parity.py "$STOREHOUSE_DB" "$root/analytics")

#!/usr/bin/env bash
# Machine learning (issue 16): `storehouse ml build` (train, then score, in one process as the
# scikit-learn script is) of the bundled project's models (analytics/ml.yml: churn, ltv,
# cross_sell) against scikit-learn + pandas reading the same tables from the same DuckDB file
# (bench/ml_sklearn.py), same run; `ml train` && `ml score` (two processes) timed beside; then the
# coefficient and AUC parity check (bench/ml_parity.py); and the scoring API's latency
# (bench/ml_scoring_latency.py, one row per request against `storehouse serve`).
#
#   bench/ml_vs_sklearn.sh [STOREHOUSE_BINARY] [SCALE]     (RUNS=N repetitions, default 3)
#
# The store is generated at SCALE (default 1.0) and the analytics project built once; each side
# then trains and scores every model, end to end (read, encode, fit, validate, score, write).
# Reports median wall and CPU seconds and the ratio scikit-learn / Storehouse.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
storehouse="${1:-$(cd "$repo" && swift build -c release --show-bin-path)/storehouse}"
scale="${2:-1.0}"
runs="${RUNS:-3}"
[[ "$storehouse" = /* ]] || storehouse="$PWD/$storehouse"
venv="$("$repo/scripts/sklearn-venv.sh")" || { echo "skipped: scikit-learn could not be installed, so there is nothing to compare with" >&2; exit 0; }
work="$(mktemp -d "${TMPDIR:-/tmp}/ml-vs-sklearn.XXXXXX")"
trap 'rm -rf "$work"' EXIT
line() { printf '%-58s%s\n' "$1" "$2"; }
median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.3f}')" "$@"; }

export STOREHOUSE_DB="$work/store.duckdb" STOREHOUSE_RUNS_DB=
"$storehouse" generate --scale "$scale" --db "$STOREHOUSE_DB" >"$work/generate.log" 2>&1 || { tail -20 "$work/generate.log" >&2; exit 1; }
project=(--project-dir "$repo/analytics" --profiles-dir "$repo/analytics")
"$storehouse" build "${project[@]}" >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
line "store" "scale $scale, analytics built ($(cut -d' ' -f1-3 /proc/loadavg) load)"
for table in churn_features ltv_features cross_sell_training cross_sell_candidates; do
  line "  $table rows" "$("$storehouse" query --db "$STOREHOUSE_DB" --format csv "select count(*) from marts.$table" | tail -1)"
done

ours_wall=(); ours_cpu=(); theirs_wall=(); theirs_cpu=(); two_wall=()
for run in $(seq "$runs"); do
  read -r wall cpu < <(python3 "$repo/bench/timed.py" "$work/ours.log" "$storehouse" ml build "${project[@]}") \
    || { cat "$work/ours.log" >&2; exit 1; }
  ours_wall+=("$wall"); ours_cpu+=("$cpu")
  read -r wall cpu < <(python3 "$repo/bench/timed.py" "$work/two.log" sh -c "'$storehouse' ml train ${project[*]} && '$storehouse' ml score ${project[*]}") \
    || { cat "$work/two.log" >&2; exit 1; }
  two_wall+=("$wall")
  read -r wall cpu < <(cd "$repo/bench" && python3 "$repo/bench/timed.py" "$work/theirs.log" "$venv/bin/python" ml_sklearn.py "$STOREHOUSE_DB" "$repo/analytics") \
    || { cat "$work/theirs.log" >&2; exit 1; }
  theirs_wall+=("$wall"); theirs_cpu+=("$cpu")
done
cat "$work/ours.log"
ours_median="$(median "${ours_wall[@]}")"; theirs_median="$(median "${theirs_wall[@]}")"
line "storehouse ml build (3 models), median of $runs" "${ours_median} s wall, $(median "${ours_cpu[@]}") s cpu"
line "storehouse ml train && ml score (two processes)" "$(median "${two_wall[@]}") s wall"
line "scikit-learn + pandas, same models and rows" "${theirs_median} s wall, $(median "${theirs_cpu[@]}") s cpu"
line "ratio scikit-learn / storehouse (target ≥ 5x)" "$(python3 -c "print(f'{$theirs_median / $ours_median:.1f}x')")"
echo
(cd "$repo/bench" && "$venv/bin/python" ml_parity.py "$STOREHOUSE_DB" "$repo/analytics")

# One real row of each model's features, taken before the server owns the file.
"$venv/bin/python" - "$STOREHOUSE_DB" "$repo/analytics" "$work/rows.json" <<'PY'
import json, sys, duckdb, yaml
database, project, out = sys.argv[1:4]
con = duckdb.connect(database, read_only=True)
rows = {}
for model in yaml.safe_load(open(f"{project}/ml.yml"))["models"]:
    columns = [f["name"] if isinstance(f, dict) else f for f in model["features"].get("numeric", [])] + model["features"].get("categorical", [])
    table = con.execute("select table_schema from information_schema.tables where table_name = ? and table_schema <> 'ml'", [model.get("scoring") or model["training"]]).fetchone()[0]
    values = con.execute(f'select {", ".join(columns)} from "{table}"."{model.get("scoring") or model["training"]}" limit 1').fetchone()
    rows[model["name"]] = {c: (v if not hasattr(v, "__float__") or isinstance(v, (int, float)) else float(v)) for c, v in zip(columns, values)}
json.dump(rows, open(out, "w"))
PY
"$storehouse" serve --read-only --port 0 "${project[@]}" > "$work/serve.log" 2>&1 &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null || true; wait $serve_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1200); do grep -q "at http" "$work/serve.log" && break; sleep 0.05; done
base="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/serve.log" | tail -1)"
[ -n "$base" ] || { cat "$work/serve.log" >&2; exit 1; }
echo
python3 "$repo/bench/ml_scoring_latency.py" "$base" "$work/rows.json" "${REQUESTS:-2000}"

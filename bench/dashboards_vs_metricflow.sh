#!/usr/bin/env bash
# The semantic layer and the dashboards next to their anchors, measured in the same run on one
# generated warehouse (scale SCALE, clickstream on, as of 2024-06-30), built once by Storehouse:
#
#   1. one metrics query, process to process: `storehouse metrics query` vs MetricFlow's
#      `mf query` (dbt-metricflow from PyPI over dbt-core + dbt-duckdb, on a copy of the same
#      file), MF_RUNS (default 3) and OUR_RUNS (default 10) runs each, alternating; medians.
#      The two answers are compared (same rows). Target: ours >= 20x faster.
#   2. each dashboard's page cold (every cache dropped) and warm, against its own distinct
#      queries run one after another in DuckDB directly (bench/dashboard_sql.py), RUNS (default
#      5) alternating runs; medians. Target: cold within 1.5x of DuckDB.
#   3. every dashboard's page at CLIENTS (default 100) concurrent clients for DURATION seconds
#      (default 20) with wrk --latency on loopback, the clients spread over the dashboards.
#      Target: warm p99 < 50 ms.
# MetricFlow missing (no PyPI) skips part 1 with a message; the rest still runs.
#
#   bench/dashboards_vs_metricflow.sh [STOREHOUSE_BINARY] [SCALE]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
storehouse="${1:-$(cd "$repo" && swift build -c release --show-bin-path)/storehouse}"
[[ "$storehouse" = /* ]] || storehouse="$PWD/$storehouse"
scale="${2:-1.0}"
runs="${RUNS:-5}"; mf_runs="${MF_RUNS:-3}"; our_runs="${OUR_RUNS:-10}"
clients="${CLIENTS:-100}"; duration="${DURATION:-20}"
command -v wrk >/dev/null || { echo "error: wrk is needed for the load part (Debian: apt-get install -y wrk)" >&2; exit 2; }
work_prefix=dashboards-bench
source "$repo/bench/serve_common.sh"
median() { python3 -c 'import statistics, sys; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.3f}")' "$@"; }
seconds() { local started ended; started=$(date +%s.%N); "$@" > /dev/null 2>&1 || return 1; ended=$(date +%s.%N); py3 "print($ended - $started)"; }

echo "== data: scale $scale, clickstream"
"$storehouse" generate --scale "$scale" --as-of 2024-06-30 --clickstream --db "$work/store.duckdb" > "$work/generate.log" 2>&1 \
  || { tail -20 "$work/generate.log" >&2; exit 1; }
cp -R "$repo/analytics" "$work/project"; rm -rf "$work/project/target" "$work/project/logs"
export STOREHOUSE_DB="$work/store.duckdb" STOREHOUSE_TARGET=dev
"$storehouse" build --project-dir "$work/project" --profiles-dir "$work/project" > "$work/build.log" 2>&1 \
  || { tail -30 "$work/build.log" >&2; exit 1; }
echo "storehouse build: $(grep -E '^Done' "$work/build.log" | tail -1)"

query=(--metrics net_revenue,orders,average_order_value --group-by metric_time__month,customer__customer_segment)
echo "== 1. one metrics query, process to process: ${query[*]}"
ours=(); theirs=(); mf_line="skipped: MetricFlow could not be installed"
if venv="$("$repo/scripts/metricflow-venv.sh" 2>"$work/mf-venv.log")"; then
  # mf reads the project's semantic manifest from `dbt parse`, and a copy of the warehouse (its
  # connection would otherwise hold the file while ours reads it).
  cp "$work/store.duckdb" "$work/mf.duckdb"
  (cd "$work/project" && STOREHOUSE_DB="$work/mf.duckdb" DBT_PROFILES_DIR="$work/project" "$venv/bin/dbt" parse --project-dir . > "$work/parse.log" 2>&1) \
    || { tail -20 "$work/parse.log" >&2; exit 1; }
  mf() { (cd "$work/project" && STOREHOUSE_DB="$work/mf.duckdb" DBT_PROFILES_DIR="$work/project" "$venv/bin/mf" query "$@"); }
  mf "${query[@]}" --csv "$work/mf.csv" > "$work/mf.log" 2>&1 || { cat "$work/mf.log" >&2; exit 1; }
  for i in $(seq "$our_runs"); do
    ours+=("$(seconds "$storehouse" metrics query "${query[@]}" --project-dir "$work/project" --profiles-dir "$work/project" --format csv)")
    if [ "$i" -le "$mf_runs" ]; then theirs+=("$(seconds mf "${query[@]}")"); fi
  done
  "$storehouse" metrics query "${query[@]}" --project-dir "$work/project" --profiles-dir "$work/project" --format csv > "$work/ours.csv"
  same=$(python3 - "$work/ours.csv" "$work/mf.csv" <<'PY'
import csv, decimal, sys
def rows(path):
    with open(path) as f:
        reader = csv.reader(f)
        header = [h.lower() for h in next(reader)]
        order = sorted(range(len(header)), key=lambda i: header[i])
        out = []
        for row in reader:
            cells = []
            for i in order:
                v = row[i]
                try: v = str(round(decimal.Decimal(v), 6).normalize())
                except decimal.InvalidOperation: v = v.replace("T", " ").removesuffix(" 00:00:00")
                cells.append(v)
            out.append(tuple(cells))
        return [header[i] for i in order], sorted(out)
print("yes" if rows(sys.argv[1]) == rows(sys.argv[2]) else "NO")
PY
)
  om=$(median "${ours[@]}"); tm=$(median "${theirs[@]}")
  ratio=$(py3 "print(f'{$tm / $om:.1f}')")
  mf_line="$(printf '%s s vs mf %s s = %sx (target >= 20x: %s); same rows: %s' "$om" "$tm" "$ratio" \
    "$(py3 "print('met' if $tm / $om >= 20 else 'MISSED')")" "$same")"
else
  cat "$work/mf-venv.log" >&2
fi
echo "$mf_line"

echo "== 2. each dashboard cold and warm vs its queries in DuckDB directly, $runs runs"
start_serve "$work/serve.log" --project-dir "$work/project" --profiles-dir "$work/project"
names=$(ls "$work/project/dashboards" | sed -n 's/\.yml$//p')
py="$("$repo/scripts/dbt-venv.sh")/bin/python"   # a Python with the pinned duckdb
"$py" "$repo/bench/dashboard_sql.py" "$base" "$work/store.duckdb" "$runs" $names > "$work/dashboards.json" \
  || { cat "$work/dashboards.json" >&2; echo "error: a dashboard check failed (above)" >&2; exit 1; }

echo "== 3. $clients clients for ${duration}s over every dashboard (warm)"
{
  echo 'paths = {'
  for name in $names; do echo "  \"/dashboards/$name\","; done
  echo '}'
  echo 'counter = 0'
  echo 'request = function() counter = counter + 1; return wrk.format("GET", paths[(counter % #paths) + 1]) end'
} > "$work/paths.lua"
for name in $names; do curl -sf "$base/dashboards/$name" -o /dev/null; done
wrk -t2 -c"$clients" -d"${duration}s" --timeout 30s --latency -s "$work/paths.lua" "$base" > "$work/wrk.log"
cat "$work/wrk.log"
p50=$(wrk_ms 50% "$work/wrk.log"); p99=$(wrk_ms 99% "$work/wrk.log"); rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.log")
errors=$({ grep -E 'Non-2xx|Socket errors' "$work/wrk.log" || true; } | tr -s ' ' | paste -sd ';' -)

echo
echo "== summary (scale $scale, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "metrics query: $mf_line"
python3 - "$work/dashboards.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))["dashboards"]
print(f"{'dashboard':<14}{'queries':>8}{'cold ms':>10}{'warm ms':>10}{'DuckDB ms':>11}{'cold/DuckDB':>13}  target <= 1.5x")
for name, r in report.items():
    ratio = r["cold"] / r["direct"]
    print(f"{name:<14}{r['queries']:>8}{r['cold'] * 1000:>10.1f}{r['warm'] * 1000:>10.2f}{r['direct'] * 1000:>11.1f}{ratio:>12.2f}x  {'met' if ratio <= 1.5 else 'MISSED'}")
PY
printf 'every dashboard, %s clients: p50 %s ms, p99 %s ms, %s req/s, %s (target p99 < 50 ms: %s)\n' "$clients" "$p50" "$p99" "$rps" \
  "${errors:-no errors}" "$(py3 "print('met' if $p99 < 50 else 'MISSED')")"

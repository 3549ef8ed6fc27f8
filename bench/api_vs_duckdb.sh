#!/usr/bin/env bash
# The JSON API under load, next to anchors measured in the same run, on one generated and built
# warehouse (scale SCALE, as of 2026-11-20):
#
#   1. a metrics query (GET /api/v1/metrics/query, warm: answered from the result cache) at
#      CLIENTS (default 100) concurrent clients for DURATION seconds (default 20) with wrk
#      (Debian's package) --latency on loopback; anchor: /healthz under the same load.
#      Target: p99 < 20 ms.
#   2. one simple aggregate through POST /api/v1/sql (never cached: it runs every time, through
#      the read-only door) vs the same SQL in a DuckDB connection opened directly on the file,
#      RUNS (default 50) alternating runs each on one kept-alive connection.
#      Target: within 1.2x + 2 ms of DuckDB.
#
#   bench/api_vs_duckdb.sh [STOREHOUSE_BINARY] [SCALE]       RUNS=50 CLIENTS=100 DURATION=20
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
storehouse="${1:-$(cd "$repo" && swift build -c release --show-bin-path)/storehouse}"
[[ "$storehouse" = /* ]] || storehouse="$PWD/$storehouse"
scale="${2:-1.0}"
runs="${RUNS:-50}"; clients="${CLIENTS:-100}"; duration="${DURATION:-20}"
work_prefix=api-bench
source "$repo/bench/serve_common.sh"

echo "== data: scale $scale"
"$storehouse" generate --scale "$scale" --as-of 2026-11-20 --db "$work/store.duckdb" > "$work/generate.log" 2>&1 \
  || { tail -20 "$work/generate.log" >&2; exit 1; }
cp -R "$repo/analytics" "$work/project"; rm -rf "$work/project/target" "$work/project/logs"
STOREHOUSE_DB="$work/store.duckdb" STOREHOUSE_TARGET=dev "$storehouse" build --project-dir "$work/project" --profiles-dir "$work/project" \
  > "$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
echo "storehouse build: $(grep -E '^Done' "$work/build.log" | tail -1)"
py="$("$repo/scripts/dbt-venv.sh")/bin/python"   # a Python with the pinned duckdb

# The bench is one client hammering the SQL endpoint: lift the per-client rate limit for it.
STOREHOUSE_DB="$work/store.duckdb" STOREHOUSE_TARGET=dev start_serve "$work/serve.log" --project-dir "$work/project" --profiles-dir "$work/project" --sql-rate 100000

query="/api/v1/metrics/query?metrics=net_revenue,orders,average_order_value&group_by=metric_time__month,customer__customer_segment&order_by=-metric_time__month"
curl -sf "$base$query" -o "$work/metrics.json" || { echo "the metrics query failed: $(curl -s "$base$query")" >&2; exit 1; }
echo "== 1. $clients clients for ${duration}s: GET $query (warm)"
wrk -t2 -c"$clients" -d"${duration}s" --timeout 30s --latency "$base$query" > "$work/wrk-metrics.log"
wrk -t2 -c"$clients" -d10s --timeout 30s --latency "$base/healthz" > "$work/wrk-health.log"
cat "$work/wrk-metrics.log"
m50=$(wrk_ms 50% "$work/wrk-metrics.log"); m99=$(wrk_ms 99% "$work/wrk-metrics.log"); h50=$(wrk_ms 50% "$work/wrk-health.log"); h99=$(wrk_ms 99% "$work/wrk-health.log")
mrps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk-metrics.log"); hrps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk-health.log")
errors=$({ grep -E 'Non-2xx|Socket errors' "$work/wrk-metrics.log" || true; } | tr -s ' ' | paste -sd ';' -)

sql="select order_status, count(*) as orders, sum(gross_revenue) as revenue from marts.fact_orders group by order_status"
echo "== 2. POST /api/v1/sql vs DuckDB directly, $runs alternating runs: $sql"
out=$("$py" "$repo/bench/api_sql_latency.py" "$base" "$work/store.duckdb" "$sql" "$runs")
echo "$out"
am=$(py3 "import json; print(json.loads('$out')['api_median'] * 1000)"); dm=$(py3 "import json; print(json.loads('$out')['duckdb_median'] * 1000)")
same=$(py3 "import json; print(json.loads('$out')['same_rows'])")

echo
echo "== summary (scale $scale, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-44s %12s %22s  %s\n' "what" "ours" "anchor" "target"
printf '%-44s %12s %22s  %s\n' "metrics query, $clients clients: p50" "$m50 ms" "$h50 ms /healthz" ""
printf '%-44s %12s %22s  %s\n' "metrics query, $clients clients: p99" "$m99 ms" "$h99 ms /healthz" "p99 < 20 ms: $(py3 "print('met' if $m99 < 20 else 'MISSED')")"
printf '%-44s %12s %22s  %s\n' "metrics query, $clients clients: throughput" "$mrps req/s" "$hrps req/s /healthz" "${errors:-no errors}"
printf '%-44s %12s %22s  %s\n' "/api/v1/sql aggregate (median)" "$(py3 "print(f'{$am:.2f} ms')")" "$(py3 "print(f'{$dm:.2f} ms')") DuckDB" \
  "<= 1.2x + 2 ms ($(py3 "print(f'{1.2 * $dm + 2:.2f}')") ms): $(py3 "print('met' if $am <= 1.2 * $dm + 2 else 'MISSED')"); rows agree: $same"

#!/usr/bin/env bash
# The REST connector against dlt's rest_api source in the same run, on the same local fake
# DummyJSON API (RECORDS products, 100 a page): rows/s and peak memory (max RSS) of each, and
# the loaded rows compared.
#
#   bench/ingest_rest_vs_dlt.sh [STOREHOUSE_BINARY] [RECORDS]      (issue 15: at least 3x dlt's rows/s)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
storehouse="${1:-$(cd "$repo" && swift build -c release --show-bin-path)/storehouse}"
records="${2:-100000}"
work="$(mktemp -d "${TMPDIR:-/tmp}/rest-vs-dlt.XXXXXX")"
source "$repo/bench/ingest_common.sh"
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
python3 "$repo/bench/rest_fake_server.py" "$port" "$records" & server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$base/products?limit=1&skip=0" >/dev/null 2>&1 && break; sleep 0.1; done
# Warm the server's page cache so neither loader pays for the first rendering.
curl -sf "$base/products?limit=100&skip=0" >/dev/null
python3 - "$base" "$records" <<'PY'
import sys, urllib.request
base, total = sys.argv[1], int(sys.argv[2])
for skip in range(0, total, 100): urllib.request.urlopen(f"{base}/products?limit=100&skip={skip}").read()
PY
line() { printf '%-48s%s\n' "$1" "$2"; }
read -r sh_wall sh_cpu sh_rss < <(measure "$work/storehouse.log" "$storehouse" ingest rest --preset dummyjson --resource products \
  --base-url "$base" --project-dir "$work/project") || { tail -20 "$work/storehouse.log" >&2; exit 1; }
read -r dl_wall dl_cpu dl_rss < <(measure "$work/dlt.log" "$venv/bin/python" "$repo/bench/ingest_rest_dlt.py" "$base" "$work/dlt.duckdb") \
  || { tail -30 "$work/dlt.log" >&2; exit 1; }
tail -1 "$work/storehouse.log"
line "source: fake DummyJSON products" "$records records, 100 a page"
line "storehouse ingest rest" "$sh_wall s wall, $sh_cpu s cpu, $(python3 -c "print(f'{$records / $sh_wall:,.0f}')") rows/s, peak RSS $sh_rss MB"
line "dlt rest_api (merge on id)" "$dl_wall s wall, $dl_cpu s cpu, $(python3 -c "print(f'{$records / $dl_wall:,.0f}')") rows/s, peak RSS $dl_rss MB"
line "ratio: storehouse rows/s over dlt" "$(python3 -c "print(f'{$dl_wall / $sh_wall:.1f}x')")"
"$venv/bin/python" - "$work/storehouse.duckdb" "$work/dlt.duckdb" <<'PY'
import duckdb, sys
ours = duckdb.connect(sys.argv[1], read_only=True)
theirs = duckdb.connect(sys.argv[2], read_only=True)
a = ours.execute("select count(*), count(distinct id), sum(id), sum(stock), round(sum(price), 2), count(distinct title) from raw.dummyjson_products").fetchone()
b = theirs.execute("select count(*), count(distinct id), sum(id), sum(stock), round(sum(price), 2), count(distinct title) from raw.dummyjson_products").fetchone()
print(f"rows compared: {'identical' if a == b else 'DIFFER'} (count, distinct ids, sums of id, stock, price, distinct titles) storehouse {a} dlt {b}")
PY

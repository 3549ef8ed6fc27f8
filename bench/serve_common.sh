# Shared by the server benches (sourced): a work folder removed on exit with the server it
# started, `start_serve LOG ARGS…` (runs `$storehouse serve --port 0 ARGS…`, waits until it
# listens, sets serve_pid and base), and `wrk_ms PERCENT LOG` (a wrk --latency percentile in ms).
# Needs $storehouse and $work_prefix set before sourcing.
work="$(mktemp -d "${TMPDIR:-/tmp}/$work_prefix.XXXXXX")"
serve_pid=""
cleanup() {
  if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
py3() { python3 -c "$1"; }

start_serve() {
  local log="$1"; shift
  # --read-only: the benches read the same file with DuckDB directly, beside the server.
  "$storehouse" serve --read-only --port 0 "$@" > "$log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1200); do grep -q "at http" "$log" && break; sleep 0.05; done
  local port
  port=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | tail -1 | sed 's/.*://')
  [ -n "$port" ] || { cat "$log" >&2; exit 1; }
  base="http://127.0.0.1:$port"
}

wrk_ms() {
  awk -v p="$1" '$1 == p {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}' "$2"
}

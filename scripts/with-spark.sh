#!/usr/bin/env bash
# Runs a command with a throw-away Spark Connect server (PyPI's pyspark, master local[2]), then
# stops it and removes its warehouse folder — whether the command succeeds, fails or is
# interrupted; exits with the command's status.
#
#   scripts/with-spark.sh swift test --skip-build --filter WarehouseSparkTests
#
# The server requires a bearer token, as managed endpoints do (a random one per run); the command
# sees STOREHOUSE_SPARK_URL=sc://localhost:PORT/;token=…;use_ssl=false. Where pyspark cannot be installed or
# the server does not start (no Java, say), the command still runs, without that variable, and the
# Spark tests skip saying why (STOREHOUSE_SPARK_SKIP holds the reason).
# Environment: STOREHOUSE_SPARK_PORT (default 15102), STOREHOUSE_SPARK_WAIT seconds (default 120).
set -euo pipefail
if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS…]   (runs COMMAND with a temporary Spark Connect server)" >&2
  exit 64
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${STOREHOUSE_SPARK_PORT:-15102}"
wait_seconds="${STOREHOUSE_SPARK_WAIT:-120}"

if ! venv="$("$root/scripts/spark-venv.sh")"; then STOREHOUSE_SPARK_SKIP="pyspark could not be installed"; export STOREHOUSE_SPARK_SKIP; echo "[spark] $STOREHOUSE_SPARK_SKIP; Spark tests will skip" >&2; exec "$@"; fi
if ! command -v java >/dev/null 2>&1; then STOREHOUSE_SPARK_SKIP="no java on PATH for the Spark Connect server"; export STOREHOUSE_SPARK_SKIP; echo "[spark] $STOREHOUSE_SPARK_SKIP; Spark tests will skip" >&2; exec "$@"; fi

spark_home="$("$venv/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
work="$(mktemp -d "${TMPDIR:-/tmp}/storehouse-spark.XXXXXX")"
export SPARK_HOME="$spark_home" SPARK_LOG_DIR="$work/logs" SPARK_PID_DIR="$work/pids" SPARK_IDENT_STRING="storehouse-$port"
stop() {
  "$spark_home/sbin/stop-connect-server.sh" >/dev/null 2>&1 || true
  # stop-connect-server.sh only signals; wait for the JVM so the port and folder are free.
  for pidfile in "$work"/pids/*.pid; do
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

token="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
started=$(date +%s)
"$spark_home/sbin/start-connect-server.sh" --master 'local[2]' --driver-memory 2g \
  --conf "spark.connect.grpc.binding.port=$port" \
  --conf "spark.connect.authenticate.token=$token" \
  --conf "spark.sql.warehouse.dir=$work/warehouse" \
  --conf "spark.ui.enabled=false" \
  --conf "spark.sql.shuffle.partitions=4" \
  --conf "spark.driver.extraJavaOptions=-Dderby.system.home=$work/derby" >/dev/null
up=""
for _ in $(seq 1 "$wait_seconds"); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then up=yes; break; fi
  sleep 1
done
if [ -z "$up" ]; then
  export STOREHOUSE_SPARK_SKIP="the Spark Connect server did not listen on port $port within $wait_seconds s (log: $(ls "$work"/logs/*.out 2>/dev/null | head -1))"
  echo "[spark] $STOREHOUSE_SPARK_SKIP; Spark tests will skip" >&2
  tail -20 "$work"/logs/*.out >&2 2>/dev/null || true
else
  echo "[spark] Spark Connect listening on localhost:$port after $(( $(date +%s) - started )) s" >&2
  export STOREHOUSE_SPARK_URL="sc://localhost:$port/;token=$token;use_ssl=false"
fi
set +e
"$@"
status=$?
set -e
exit "$status"

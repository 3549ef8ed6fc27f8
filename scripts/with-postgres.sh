#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL 15 cluster, then removes the cluster.
#
#   scripts/with-postgres.sh swift test --filter WarehousePostgresTests
#
# The cluster lives in a fresh temporary folder and listens only on a unix socket there (no TCP
# port is taken). The command sees STOREHOUSE_PG_HOST (the socket directory), STOREHOUSE_PG_PORT,
# STOREHOUSE_PG_USER=postgres, STOREHOUSE_PG_DATABASE=storehouse and PGHOST/PGPORT/PGUSER/PGDATABASE
# for psql. The role storehouse_password_check (password "right-password") must log in with a
# password over SCRAM, so tests can exercise authentication. The cluster is stopped and deleted
# whether the command succeeds, fails or is interrupted; the script exits with the command's status.
#
# initdb refuses to run as root, so as root the server runs as the `postgres` system user.
# Environment: PG_BIN (default /usr/lib/postgresql/15/bin), STOREHOUSE_PG_PORT (default 54329).
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS…]   (runs COMMAND with a temporary PostgreSQL server)" >&2
    exit 64
fi

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PORT="${STOREHOUSE_PG_PORT:-54329}"
if [ ! -x "$PG_BIN/initdb" ]; then
    echo "error: $PG_BIN/initdb not found — install postgresql-15 (apt-get install postgresql-15) or set PG_BIN" >&2
    exit 69
fi

as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

ROOT="$(mktemp -d "${TMPDIR:-/tmp}/storehouse-pg.XXXXXX")"
DATA="$ROOT/data"
SOCKETS="$ROOT/sockets"
LOG="$ROOT/server.log"
mkdir -p "$SOCKETS"
if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$ROOT"; fi

cleanup() {
    status=$?
    if [ -f "$DATA/postmaster.pid" ]; then
        as_server_user "$PG_BIN/pg_ctl" -D "$DATA" stop -m fast >/dev/null 2>&1 || true
    fi
    rm -rf "$ROOT"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_server_user "$PG_BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$ROOT/initdb.log" 2>&1 || {
    echo "error: initdb failed:" >&2; cat "$ROOT/initdb.log" >&2; exit 70; }
# The password-checked role comes first: pg_hba.conf takes the first matching line.
cat >"$DATA/pg_hba.conf" <<'EOF'
local all storehouse_password_check scram-sha-256
local all all trust
EOF
as_server_user "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 \
    -o "-k $SOCKETS -p $PORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { echo "error: the PostgreSQL server did not start:" >&2; cat "$LOG" >&2; exit 70; }

PSQL=("$PG_BIN/psql" -h "$SOCKETS" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q)
as_server_user "${PSQL[@]}" -d postgres -c "create database storehouse" \
    -c "create role storehouse_password_check login password 'right-password'" >/dev/null

export STOREHOUSE_PG_HOST="$SOCKETS" STOREHOUSE_PG_PORT="$PORT" STOREHOUSE_PG_USER=postgres STOREHOUSE_PG_DATABASE=storehouse
export PGHOST="$SOCKETS" PGPORT="$PORT" PGUSER=postgres PGDATABASE=storehouse
"$@"

#!/usr/bin/env bash
# PostgreSQL next to embedded DuckDB, same data, same run: generate + load at a scale (rows/s,
# COPY against the DuckDB appender) and the full analytics build on each engine.
#
#   bench/postgres_vs_duckdb.sh [STOREHOUSE_BINARY] [SCALE]
#
# Starts a throw-away PostgreSQL 15 cluster through scripts/with-postgres.sh.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
storehouse="${1:-$(cd "$repo" && swift build -c release --show-bin-path)/storehouse}"
scale="${2:-1.0}"
if [ -z "${STOREHOUSE_PG_HOST:-}" ]; then
  exec "$repo/scripts/with-postgres.sh" "$0" "$storehouse" "$scale"
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/pg-vs-duckdb.XXXXXX")"
trap 'rm -rf "$work"' EXIT
line() { printf '%-46s%s\n' "$1" "$2"; }
url="postgres://${STOREHOUSE_PG_USER:-postgres}@/${STOREHOUSE_PG_DATABASE:-storehouse}?host=${STOREHOUSE_PG_HOST}&port=${STOREHOUSE_PG_PORT}"
timed() { local s e; s=$(date +%s.%N); "$@" > "$work/last.log" 2>&1 || { tail -30 "$work/last.log" >&2; return 1; }; e=$(date +%s.%N); python3 -c "print(f'{$e - $s:.2f}')"; }
rows() { grep -Eo '[0-9]+ rows into' "$work/last.log" | grep -Eo '^[0-9]+'; }

cd "$repo"
duck_gen=$(timed "$storehouse" generate --scale "$scale" --db "$work/w.duckdb"); duck_rows=$(rows)
pg_gen=$(timed "$storehouse" generate --scale "$scale" --db "$url"); pg_rows=$(rows)
line "load: rows (scale $scale)" "$duck_rows"
line "load: DuckDB (appender)" "$duck_gen s  $(python3 -c "print(f'{$duck_rows / $duck_gen:,.0f}')") rows/s"
line "load: PostgreSQL (COPY)" "$pg_gen s  $(python3 -c "print(f'{$pg_rows / $pg_gen:,.0f}')") rows/s"
line "load: ratio (PostgreSQL / DuckDB time)" "$(python3 -c "print(f'{$pg_gen / $duck_gen:.1f}x')")"

duck_build=$(STOREHOUSE_DB="$work/w.duckdb" STOREHOUSE_TARGET=dev timed "$storehouse" build --project-dir analytics --profiles-dir analytics)
pg_build=$(STOREHOUSE_TARGET=postgres timed "$storehouse" build --project-dir analytics --profiles-dir analytics)
line "build: analytics on DuckDB" "$duck_build s"
line "build: analytics on PostgreSQL" "$pg_build s"
line "build: ratio (PostgreSQL / DuckDB)" "$(python3 -c "print(f'{$pg_build / $duck_build:.1f}x')")"

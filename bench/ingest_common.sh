# Shared by the ingest benches (sourced): dlt's venv, a project whose warehouse is
# $work/storehouse.duckdb, and `measure LOG COMMAND…` printing "<wall s> <cpu s> <peak RSS MB>".
# Needs $repo and $work set.
cache="${STOREHOUSE_CACHE:-$HOME/.cache/storehouse}"
venv="$cache/dlt-venv"
if ! "$venv/bin/python" -c "import dlt, pyarrow, psycopg2, sqlalchemy, duckdb" 2>/dev/null; then
  echo "[dlt] installing dlt[duckdb] + sqlalchemy + pyarrow + psycopg2 into $venv" >&2
  python3 -m venv "$venv" >&2 && "$venv/bin/pip" install --quiet "dlt[duckdb]" sqlalchemy pyarrow psycopg2-binary \
    "duckdb==$(tr -d '[:space:]' < "$repo/.duckdb-version")" >&2
fi
mkdir -p "$work/project"
printf 'name: bench\nprofile: bench\n' > "$work/project/dbt_project.yml"
printf 'bench:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: %s\n' "$work/storehouse.duckdb" > "$work/project/profiles.yml"

measure() {
  local log="$1"; shift
  python3 - "$log" "$@" <<'PY'
import resource, subprocess, sys, time
log, command = sys.argv[1], sys.argv[2:]
started = time.monotonic()
with open(log, "w") as out:
    status = subprocess.call(command, stdout=out, stderr=subprocess.STDOUT)
wall = time.monotonic() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.2f} {usage.ru_utime + usage.ru_stime:.2f} {usage.ru_maxrss / 1024:.0f}")
sys.exit(status)
PY
}

#!/usr/bin/env bash
# Parse/compile speed, Storehouse against dbt-core, on one generated project in one run.
#
#   bench/parse_vs_dbt.sh [STOREHOUSE_BINARY] [STOREHOUSE_BENCH_BINARY]
#
# Generates a 1,000-model project with bench/make_project.py (MODELS to change the size), then times
#   storehouse compile --project-dir P          (whole process: start, load, compile, write files)
#   StorehouseBench parse P                     (in-process load + compile, median of 5)
#   dbt parse --no-partial-parse                (dbt-core + dbt-duckdb 1.11)
#   dbt compile --no-partial-parse
# and prints each time and the ratios dbt / Storehouse. With PACKAGE=DIR (a dbt package checkout,
# e.g. dbt-utils), both projects list it in packages.yml and have it installed in dbt_packages/,
# so both engines load its macros too. Binaries default to the release build
# (`swift build -c release --show-bin-path`). dbt lives in a venv under
# ${STOREHOUSE_CACHE:-$HOME/.cache/storehouse}/dbt-venv, created on first use and then reused; when
# pip cannot install it, the dbt half is skipped and the script still exits 0.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="${STOREHOUSE_CACHE:-$HOME/.cache/storehouse}"
venv="$cache/dbt-venv"
models="${MODELS:-1000}"

bin_dir() { (cd "$repo" && swift build -c release --show-bin-path); }
storehouse="${1:-}"
bench="${2:-}"
if [[ -z "$storehouse" || -z "$bench" ]]; then
    dir="$(bin_dir)"
    storehouse="${storehouse:-$dir/storehouse}"
    bench="${bench:-$dir/StorehouseBench}"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/parse-vs-dbt.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Wall seconds of a command, its output kept in $work/last.log; fails the script if the command fails.
timed() {
    local start end
    start=$(date +%s.%N)
    if ! "$@" >"$work/last.log" 2>&1; then
        echo "failed: $*" >&2
        tail -20 "$work/last.log" >&2
        return 1
    fi
    end=$(date +%s.%N)
    python3 -c "print(f'{$end - $start:.3f}')"
}
ratio() { python3 -c "print(f'{$1 / $2:.1f}x')"; }
line() { printf '%-46s%s\n' "$1" "$2"; }

python3 "$repo/bench/make_project.py" "$work/storehouse-project" --models "$models" >/dev/null
if [[ -n "${PACKAGE:-}" ]]; then
    package_dir="$(cd "$PACKAGE" && pwd)"
    package_name="$(sed -n "s/^name: *['\"]\{0,1\}\([A-Za-z0-9_]*\).*/\1/p" "$package_dir/dbt_project.yml" | head -1)"
    printf 'packages:\n  - local: %s\n' "$package_dir" > "$work/storehouse-project/packages.yml"
    mkdir -p "$work/storehouse-project/dbt_packages"
    ln -s "$package_dir" "$work/storehouse-project/dbt_packages/$package_name"
fi
cp -R "$work/storehouse-project" "$work/dbt-project"
line "project" "$models models from bench/make_project.py ($(find "$work/storehouse-project" -type f | wc -l) files)${PACKAGE:+, package $package_name installed}"
line "load average" "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"

# --- Storehouse -------------------------------------------------------------------------------
ours_startup=""
ours_compile=""
if [[ ! -x "$storehouse" ]]; then
    line "storehouse" "no binary at $storehouse; build it with swift build -c release"
else
    ours_startup="$(timed "$storehouse" --help)"
    line "storehouse: start-up (--help)" "$ours_startup s"
fi
if [[ -x "$storehouse" ]] && "$storehouse" compile --help >/dev/null 2>&1; then
    ours_compile="$(timed "$storehouse" compile --project-dir "$work/storehouse-project" --profiles-dir "$work/storehouse-project")"
    line "storehouse compile (whole process)" "$ours_compile s  ($(tail -1 "$work/last.log"))"
elif [[ -x "$storehouse" ]]; then
    line "storehouse compile" "not available in $storehouse (command not registered); see StorehouseBench parse"
fi
if [[ -x "$bench" ]]; then
    "$bench" parse "$work/storehouse-project" | tee "$work/bench.log"
else
    echo "StorehouseBench not found at $bench; build it with swift build -c release" >&2
fi
# In-process median of load + compile, the fallback when the CLI command is missing.
ours_inprocess="$(sed -n 's/^parse: load + compile *median \([0-9.]*\) s.*/\1/p' "$work/bench.log" 2>/dev/null || true)"

# --- dbt -------------------------------------------------------------------------------------
if [[ ! -x "$venv/bin/dbt" ]]; then
    echo "installing dbt-core 1.11 + dbt-duckdb 1.11 into $venv (once)" >&2
    mkdir -p "$cache"
    if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q "dbt-core==1.11.*" "dbt-duckdb==1.11.*"; } >"$work/pip.log" 2>&1 \
        || [[ ! -x "$venv/bin/dbt" ]]; then
        tail -5 "$work/pip.log" >&2
        rm -rf "$venv"
        echo "skipped: dbt-core could not be installed (see the pip output above); Storehouse figures only"
        exit 0
    fi
fi
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
dbt_version="$("$venv/bin/dbt" --version 2>/dev/null | sed -n 's/.*installed: *\([0-9.]*\).*/\1/p' | head -1)"
dbt_startup="$(timed "$venv/bin/dbt" --version)"
line "dbt: version" "dbt-core ${dbt_version:-?}"
line "dbt: start-up (--version)" "$dbt_startup s"
cd "$work/dbt-project"
dbt_parse="$(timed "$venv/bin/dbt" parse --no-partial-parse --profiles-dir .)"
line "dbt parse --no-partial-parse" "$dbt_parse s"
dbt_compile="$(timed "$venv/bin/dbt" compile --no-partial-parse --profiles-dir .)"
line "dbt compile --no-partial-parse" "$dbt_compile s"

# --- ratios ----------------------------------------------------------------------------------
if [[ -n "$ours_compile" ]]; then
    line "ratio: dbt parse / storehouse compile" "$(ratio "$dbt_parse" "$ours_compile")"
    line "ratio: dbt compile / storehouse compile" "$(ratio "$dbt_compile" "$ours_compile")"
fi
if [[ -n "$ours_inprocess" ]]; then
    line "ratio: dbt parse / in-process load+compile" "$(ratio "$dbt_parse" "$ours_inprocess")"
    line "ratio: dbt compile / in-process load+compile" "$(ratio "$dbt_compile" "$ours_inprocess")"
fi
if [[ -n "$ours_startup" ]]; then
    line "ratio: start-up dbt / storehouse" "$(ratio "$dbt_startup" "$ours_startup")"
fi

#!/usr/bin/env bash
# Makes (once) and prints the path of a virtual environment with PyPI's scikit-learn, pandas and
# duckdb (the version our C library is pinned to), used to compare Storehouse's models with
# scikit-learn's. Exits 1 with a message on stderr when they cannot be installed; the comparison
# then skips.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${STOREHOUSE_CACHE:-$HOME/.cache/storehouse}"
venv="$cache/sklearn-venv"
duckdb_version="$(tr -d "[:space:]" < "$root/.duckdb-version")"
if ! "$venv/bin/python" -c "import sklearn, pandas, duckdb, yaml" 2>/dev/null; then
  mkdir -p "$cache"
  echo "[sklearn] installing scikit-learn + pandas + duckdb ${duckdb_version:-} into $venv" >&2
  if ! python3 -m venv "$venv" >&2 || ! "$venv/bin/pip" install --quiet "scikit-learn==1.*" pandas pyyaml "duckdb${duckdb_version:+==$duckdb_version}" >&2; then
    echo "[sklearn] could not install scikit-learn from PyPI; the comparison is skipped" >&2
    exit 1
  fi
fi
echo "$venv"

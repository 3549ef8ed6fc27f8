#!/usr/bin/env bash
# Makes (once) and prints the path of a virtual environment with PyPI's pyspark, whose jars
# include Spark Connect's server (sbin/start-connect-server.sh; Java 17 runs it). Exits 1 with a
# message on stderr when it cannot be installed; the Spark tests then skip and say so.
set -euo pipefail
cache="${STOREHOUSE_CACHE:-$HOME/.cache/storehouse}"
venv="$cache/spark-venv"
version="4.3.0"
if ! "$venv/bin/python" -c "import importlib.metadata as m; assert m.version('pyspark') == '$version'" 2>/dev/null; then
  mkdir -p "$cache"
  echo "[spark] installing pyspark $version into $venv (a 450 MB download)" >&2
  if ! python3 -m venv "$venv" >&2 || ! "$venv/bin/pip" install --quiet "pyspark==$version" >&2; then
    echo "[spark] could not install pyspark from PyPI" >&2
    exit 1
  fi
fi
echo "$venv"

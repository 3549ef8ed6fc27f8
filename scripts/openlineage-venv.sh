#!/usr/bin/env bash
# Makes (once) and prints the path of a virtual environment with PyPI's jsonschema (and the
# packages its format checker uses for date-time and uri), which checks `storehouse lineage
# --openlineage` against OpenLineage's JSON schemas (Tests/Fixtures/openlineage-spec). Exits 1
# with a message on stderr when they cannot be installed; the check then skips.
set -euo pipefail
cache="${STOREHOUSE_CACHE:-$HOME/.cache/storehouse}"
venv="$cache/openlineage-venv"
packages=("jsonschema==4.26.0" "rfc3339-validator==0.1.4" "rfc3986-validator==0.1.1")
if ! "$venv/bin/python" -c "import jsonschema, referencing, rfc3339_validator, rfc3986_validator, importlib.metadata as m; assert m.version('jsonschema') == '4.26.0'" 2>/dev/null; then
  mkdir -p "$cache"
  echo "[openlineage] installing ${packages[*]} into $venv" >&2
  if ! python3 -m venv "$venv" >&2 || ! "$venv/bin/pip" install --quiet "${packages[@]}" >&2; then
    echo "[openlineage] could not install jsonschema from PyPI; the OpenLineage schema check is skipped" >&2
    exit 1
  fi
fi
echo "$venv"

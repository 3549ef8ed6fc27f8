#!/usr/bin/env bash
# Makes (once) and prints the path of a virtual environment with PyPI's schemathesis and
# openapi-spec-validator, which check `storehouse serve`'s API against its OpenAPI document.
# Exits 1 with a message on stderr when they cannot be installed; the API checks then skip.
set -euo pipefail
cache="${STOREHOUSE_CACHE:-$HOME/.cache/storehouse}"
venv="$cache/api-venv"
if ! { [ -x "$venv/bin/schemathesis" ] && [ -x "$venv/bin/openapi-spec-validator" ]; }; then
  mkdir -p "$cache"
  echo "[api] installing schemathesis + openapi-spec-validator into $venv" >&2
  if ! python3 -m venv "$venv" >&2 || ! "$venv/bin/pip" install --quiet "schemathesis==4.*" "openapi-spec-validator==0.7.*" >&2; then
    echo "[api] could not install schemathesis from PyPI; the API checks are skipped" >&2
    exit 1
  fi
fi
echo "$venv"

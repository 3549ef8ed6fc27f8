#!/usr/bin/env bash
# Makes (once) and prints the path of a virtual environment with PyPI's jsonschema and dbt's published
# artifact JSON schemas (manifest v12, run-results v6, catalog v1, sources v3) as PyPI's
# artifact-parser ships them, which Tests/EndToEnd/dbt_artifacts_validate.py checks Storehouse's
# target/*.json against. It is the jsonschema venv scripts/openlineage-venv.sh makes, with
# artifact-parser added (--no-deps: only its bundled schema files are read, never its pydantic
# models). Exits 1 with a message on stderr when they cannot be installed; the check then skips.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$("$root/scripts/openlineage-venv.sh")" || exit 1
package="artifact-parser==1.0.1"
if ! "$venv/bin/python" -c "import importlib.metadata as m; assert m.version('artifact-parser') == '1.0.1'" 2>/dev/null; then
  echo "[dbt-schemas] installing $package into $venv" >&2
  if ! "$venv/bin/pip" install --quiet --no-deps "$package" >&2; then
    echo "[dbt-schemas] could not install $package from PyPI; the dbt artifact schema check is skipped" >&2
    exit 1
  fi
fi
echo "$venv"

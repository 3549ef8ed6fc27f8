#!/usr/bin/env bash
# The run store (Orchestrator, through GRDB) links the system SQLite: the build needs sqlite3.h.
# Installs Debian's libsqlite3-dev when the header is missing and apt-get can run; otherwise says
# what to install. Idempotent: a present header makes it a no-op.
set -euo pipefail
for header in /usr/include/sqlite3.h /usr/local/include/sqlite3.h /opt/homebrew/opt/sqlite/include/sqlite3.h; do
  [ -f "$header" ] && exit 0
done
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "[sqlite] installing libsqlite3-dev (the run store's SQLite headers)" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsqlite3-dev; } >&2 && exit 0
fi
echo "[sqlite] sqlite3.h not found: install SQLite's headers (Debian: apt-get install libsqlite3-dev; macOS has them)" >&2
exit 1

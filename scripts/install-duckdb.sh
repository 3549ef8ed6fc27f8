#!/usr/bin/env bash
# Installs the DuckDB C library (libduckdb + duckdb.h, parquet/json/icu built in) at the pinned
# version, unless a matching install is already present. Idempotent: a second run takes seconds.
#
# The version is pinned in exactly one place: the file .duckdb-version at the project root.
#
# Where it looks for an existing install, in order:
#   $DUCKDB_PREFIX (if set), /usr/local, /usr, /opt/homebrew, /home/linuxbrew/.linuxbrew
# Where it installs when none matches: $DUCKDB_PREFIX, else /usr/local.
#
# Building from DuckDB's source distribution on PyPI takes about 25 minutes on 2 cores. The build
# folder is kept in $STOREHOUSE_CACHE (default ~/.cache/storehouse) so an interrupted build resumes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(tr -d '[:space:]' < "$root/.duckdb-version")"
cache="${STOREHOUSE_CACHE:-$HOME/.cache/storehouse}"
log() { printf '[duckdb] %s\n' "$*" >&2; }
die() { printf '[duckdb] error: %s\n' "$*" >&2; exit 1; }

# Prints the version a prefix's library reports, or nothing when the prefix has no usable install.
installed_version() {
  local prefix="$1" lib
  [ -f "$prefix/include/duckdb.h" ] || return 0
  for lib in "$prefix/lib/libduckdb.so" "$prefix/lib/libduckdb.dylib"; do
    [ -f "$lib" ] || continue
    local probe; probe="$(mktemp -d)"
    cat > "$probe/v.c" <<'C'
#include <stdio.h>
#include <duckdb.h>
int main(void) { printf("%s\n", duckdb_library_version()); return 0; }
C
    if cc -I"$prefix/include" "$probe/v.c" -L"$prefix/lib" -lduckdb -Wl,-rpath,"$prefix/lib" -o "$probe/v" 2>/dev/null; then
      "$probe/v" 2>/dev/null | sed 's/^v//' || true
    fi
    rm -rf "$probe"
    return 0
  done
}

command -v cc >/dev/null || die "no C compiler (cc) found: install gcc or clang (Debian: apt-get install -y gcc)."

candidates=()
[ -n "${DUCKDB_PREFIX:-}" ] && candidates+=("$DUCKDB_PREFIX")
candidates+=(/usr/local /usr /opt/homebrew /home/linuxbrew/.linuxbrew)
for prefix in "${candidates[@]}"; do
  found="$(installed_version "$prefix")"
  if [ "$found" = "$version" ]; then
    log "DuckDB $version already installed in $prefix; nothing to do."
    exit 0
  elif [ -n "$found" ]; then
    log "found DuckDB $found in $prefix, but the project pins $version."
  fi
done

prefix="${DUCKDB_PREFIX:-/usr/local}"
log "building DuckDB $version from PyPI's source distribution into $prefix (about 25 minutes on 2 cores)."
command -v python3 >/dev/null || die "python3 is required to fetch the source distribution (Debian: apt-get install -y python3 python3-venv)."
command -v c++ >/dev/null || die "no C++ compiler (c++) found: install g++ (Debian: apt-get install -y g++)."
mkdir -p "$cache"
[ -w "$prefix" ] || mkdir -p "$prefix" 2>/dev/null || die "cannot write to $prefix: run as root, or set DUCKDB_PREFIX to a folder you own."

tools="$cache/build-tools"
if [ ! -x "$tools/bin/ninja" ] || [ ! -x "$tools/bin/cmake" ]; then
  log "installing cmake, ninja and scikit-build-core from PyPI into $tools"
  python3 -m venv "$tools" || die "python3 -m venv failed: install the venv module (Debian: apt-get install -y python3-venv)."
  "$tools/bin/pip" install --quiet --upgrade "cmake>=3.29" ninja scikit-build-core \
    || die "could not install cmake/ninja from PyPI: check that PyPI is reachable."
fi
export PATH="$tools/bin:$PATH"

src="$cache/duckdb-$version"
if [ ! -f "$src/external/duckdb/CMakeLists.txt" ]; then
  dl="$cache/sdist-$version"
  mkdir -p "$dl"
  if ! ls "$dl"/duckdb-"$version".tar.gz >/dev/null 2>&1; then
    log "downloading the duckdb==$version source distribution"
    "$tools/bin/pip" download --quiet --no-deps --no-binary :all: --no-build-isolation -d "$dl" "duckdb==$version" \
      || die "pip could not download duckdb==$version's source distribution."
  fi
  rm -rf "$src.tmp" && mkdir -p "$src.tmp"
  tar -xzf "$dl/duckdb-$version.tar.gz" -C "$src.tmp" --strip-components=1
  rm -rf "$src" && mv "$src.tmp" "$src"
fi

build="$cache/duckdb-build-$version"
mkdir -p "$build"
cmake -S "$src/external/duckdb" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DBUILD_SHELL=0 -DBUILD_UNITTESTS=0 \
  -DBUILD_EXTENSIONS="parquet;json;icu" -DDUCKDB_EXPLICIT_VERSION="v$version" >"$build/cmake.log" 2>&1 \
  || die "cmake failed; see $build/cmake.log"
ninja -C "$build" -j "$(nproc)" duckdb || die "the DuckDB build failed; rerun this script to resume, or see the output above."

mkdir -p "$prefix/lib" "$prefix/include"
install -m 0644 "$src/external/duckdb/src/include/duckdb.h" "$prefix/include/duckdb.h"
install -m 0755 "$build/src/libduckdb.so" "$prefix/lib/libduckdb.so"
command -v ldconfig >/dev/null && [ "$(id -u)" = 0 ] && ldconfig || true

found="$(installed_version "$prefix")"
[ "$found" = "$version" ] || die "installed into $prefix, but the library reports version '${found:-none}' instead of $version."
log "DuckDB $version installed in $prefix."

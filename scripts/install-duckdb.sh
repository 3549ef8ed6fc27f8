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
#
# How it builds: with clang and ThinLTO (linked by ld.lld), as DuckDB's own Linux wheels are.
# Swift's toolchain carries both, so every machine that builds Storehouse has them. Without
# link-time optimization the engine's small hot helpers (128-bit integer shifts in compressed
# decimal columns, for one) stay out-of-line calls across files: measured on the same file at
# scale 1.0, a grouped sum over marts.fact_orders took 7.5 ms with a gcc -O3 build against 2.7 ms
# with PyPI's wheel. Where clang or ld.lld is missing it falls back to the system compiler (and
# says so). What a build used is written beside the library ($prefix/share/storehouse/
# duckdb-build); an install of ours (in the prefix this script installs into) that lacks it, or
# was made with the fallback while clang is now here, is rebuilt once.
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

# The build recipe: clang + ThinLTO when the toolchain has them, else the system compiler.
clang_cc="$(command -v clang || true)"; clang_cxx="$(command -v clang++ || true)"; lld="$(command -v ld.lld || true)"
if [ -n "$clang_cc" ] && [ -n "$clang_cxx" ] && [ -n "$lld" ]; then recipe="clang-thinlto"; else recipe="system-compiler"; fi
stamp_of() { cat "$1/share/storehouse/duckdb-build" 2>/dev/null || true; }

target_prefix="${DUCKDB_PREFIX:-/usr/local}"
candidates=()
[ -n "${DUCKDB_PREFIX:-}" ] && candidates+=("$DUCKDB_PREFIX")
candidates+=(/usr/local /usr /opt/homebrew /home/linuxbrew/.linuxbrew)
for prefix in "${candidates[@]}"; do
  found="$(installed_version "$prefix")"
  if [ "$found" = "$version" ]; then
    stamp="$(stamp_of "$prefix")"
    if [ "$prefix" != "$target_prefix" ] || [ "$stamp" = "$version clang-thinlto" ] || [ "$stamp" = "$version $recipe" ]; then
      log "DuckDB $version already installed in $prefix${stamp:+ ($stamp)}; nothing to do."
      exit 0
    fi
    log "DuckDB $version in $prefix was built ${stamp:+as '$stamp' }without link-time optimization (about 2.7x slower on grouped sums); rebuilding it with $recipe."
    break
  elif [ -n "$found" ]; then
    log "found DuckDB $found in $prefix, but the project pins $version."
  fi
done

prefix="$target_prefix"
[ "$recipe" = clang-thinlto ] || log "no clang/ld.lld on the PATH (Swift's toolchain has both): building with the system compiler, without link-time optimization."
log "building DuckDB $version ($recipe) from PyPI's source distribution into $prefix (about 30 minutes on 2 cores)."
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

build="$cache/duckdb-build-$version-$recipe"
mkdir -p "$build"
flags=()
if [ "$recipe" = clang-thinlto ]; then
  export CC="$clang_cc" CXX="$clang_cxx"
  flags+=(-DCMAKE_LTO=thin -DCMAKE_SHARED_LINKER_FLAGS=-fuse-ld=lld)
fi
cmake -S "$src/external/duckdb" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DBUILD_SHELL=0 -DBUILD_UNITTESTS=0 "${flags[@]}" \
  -DBUILD_EXTENSIONS="parquet;json;icu" -DDUCKDB_EXPLICIT_VERSION="v$version" >"$build/cmake.log" 2>&1 \
  || die "cmake failed; see $build/cmake.log"
# Ninja's "[done/total]" lines become one progress line every 30 seconds with the time left at the
# rate so far (a resumed build counts only the steps still to run); its whole output goes to
# ninja.log, whose end is shown if the build fails.
progress() {
  local line started=$SECONDS shown=-30 finished total elapsed left
  : > "$build/ninja.log"
  while IFS= read -r line; do
    printf '%s\n' "$line" >> "$build/ninja.log"
    [[ $line =~ ^\[([0-9]+)/([0-9]+)\] ]] || continue
    finished=${BASH_REMATCH[1]}; total=${BASH_REMATCH[2]}
    (( SECONDS - shown >= 30 || finished == total )) || continue
    shown=$SECONDS
    elapsed=$((SECONDS - started))
    left=$(( finished > 0 ? elapsed * (total - finished) / finished : 0 ))
    log "$(printf 'building: %d of %d steps (%d%%), %dm%02ds so far, about %dm%02ds left' \
      "$finished" "$total" $((100 * finished / total)) $((elapsed / 60)) $((elapsed % 60)) $((left / 60)) $((left % 60)))"
  done
}
if ! NINJA_STATUS="[%f/%t] " ninja -C "$build" -j "$(nproc)" duckdb 2>&1 | progress; then
  tail -n 40 "$build/ninja.log" >&2
  die "the DuckDB build failed (the end of $build/ninja.log is above); rerun this script to resume."
fi

mkdir -p "$prefix/lib" "$prefix/include"
install -m 0644 "$src/external/duckdb/src/include/duckdb.h" "$prefix/include/duckdb.h"
install -m 0755 "$build/src/libduckdb.so" "$prefix/lib/libduckdb.so"
mkdir -p "$prefix/share/storehouse" && echo "$version $recipe" > "$prefix/share/storehouse/duckdb-build"
command -v ldconfig >/dev/null && [ "$(id -u)" = 0 ] && ldconfig || true

found="$(installed_version "$prefix")"
[ "$found" = "$version" ] || die "installed into $prefix, but the library reports version '${found:-none}' instead of $version."
log "DuckDB $version installed in $prefix."

#!/usr/bin/env bash
# Rebuilds tests/wasi/wasm/NAME.wasm from each tests/wasi/src/NAME.c with
# clang-19 and wasi-libc (Debian/Ubuntu packages clang-19, lld-19,
# wasi-libc). The .wasm files are committed, so the tests need no C
# toolchain; run this after changing a program, and commit both.
#   tests/wasi/build.sh            all programs
#   tests/wasi/build.sh files dirs only these
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
clang="${CLANG:-clang-19}"
sysroot="${WASI_SYSROOT:-/usr}"

if ! command -v "$clang" >/dev/null 2>&1; then
    echo "build.sh: error: $clang not found; install clang-19, lld-19 and wasi-libc" >&2
    echo "          (apt-get install clang-19 lld-19 wasi-libc), or set CLANG=..." >&2
    exit 1
fi
if [ ! -f "$sysroot/lib/wasm32-wasi/libc.a" ]; then
    echo "build.sh: error: wasi-libc not found under $sysroot (apt-get install wasi-libc," >&2
    echo "          or set WASI_SYSROOT to a wasi-sysroot)" >&2
    exit 1
fi

if [ $# -gt 0 ]; then
    names=("$@")
else
    names=()
    for src in "$here"/src/*.c; do names+=("$(basename "$src" .c)"); done
fi

mkdir -p "$here/wasm"
for name in "${names[@]}"; do
    src="$here/src/$name.c"
    [ -f "$src" ] || { echo "build.sh: error: no $src" >&2; exit 1; }
    # -Wl,--strip-debug keeps the committed binaries small and free of
    # build paths, so rebuilding gives the same bytes.
    "$clang" --target=wasm32-wasi --sysroot="$sysroot" -O2 -Wall -Wextra -Werror \
        -Wl,--strip-debug "$src" -o "$here/wasm/$name.wasm"
    echo "built wasm/$name.wasm"
done

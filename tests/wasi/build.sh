#!/usr/bin/env bash
# Rebuilds tests/wasi/wasm/NAME.wasm (committed) from each
# tests/wasi/src/NAME.c, with clang-19 and wasi-libc.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
clang="${CLANG:-clang-19}"
if ! command -v "$clang" >/dev/null; then
    echo "build.sh: $clang not found (apt-get install clang-19 lld-19 wasi-libc)" >&2
    exit 1
fi
mkdir -p "$here/wasm"
for src in "$here"/src/*.c; do
    name="$(basename "$src" .c)"
    "$clang" --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wno-unused-result \
        -Wl,--strip-debug "$src" -o "$here/wasm/$name.wasm"
done

#!/usr/bin/env bash
# Rebuilds demo/wordcount.wasm (committed) from demo/wordcount.c.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
clang="${CLANG:-clang-19}"
command -v "$clang" >/dev/null || { echo "build.sh: $clang not found (apt-get install clang-19 wasi-libc)" >&2; exit 1; }
"$clang" --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--strip-debug "$here/wordcount.c" -o "$here/wordcount.wasm"

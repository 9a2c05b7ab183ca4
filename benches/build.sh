#!/usr/bin/env bash
# Rebuilds the benchmark workloads from benches/workloads/*.c:
#   - benches/wasm/NAME.wasm           WASI program printing run()'s
#                                      checksum (committed to the repository)
#   - benches/target-native/NAME       the same program built natively
#                                      (build output, not committed)
# Both link workloads/main.c. Workloads with a generator (gen/NAME.py)
# are regenerated first (workloads/NAME.c, committed).
#
# Usage: benches/build.sh [--wasm | --native]   (default: both)
#
# Needs clang-19, lld-19 (wasm-ld-19) and wasi-libc. Override the compiler
# with CLANG=/path/to/clang if it is installed under another name.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/workloads"
wasm_out="$here/wasm"
native_out="$here/target-native"
clang="${CLANG:-clang-19}"

build_wasm=1
build_native=1
case "${1:-}" in
    "") ;;
    --wasm) build_native=0 ;;
    --native) build_wasm=0 ;;
    -h | --help)
        sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "build.sh: unknown option '$1' (expected --wasm or --native)" >&2
        exit 2
        ;;
esac

if ! command -v "$clang" >/dev/null 2>&1; then
    echo "build.sh: '$clang' not found; install it with: apt-get install clang-19 lld-19" >&2
    exit 1
fi
if [ "$build_wasm" = 1 ]; then
    # clang runs the wasm-ld from its own LLVM bin directory (lld-19).
    wasm_ld="$("$clang" --target=wasm32 -print-prog-name=wasm-ld)"
    if ! command -v "$wasm_ld" >/dev/null 2>&1; then
        echo "build.sh: wasm-ld not found (clang looks for '$wasm_ld');" \
            "install it with: apt-get install lld-19" >&2
        exit 1
    fi
fi

cflags=(-O2 -Wall -Wextra)
wasm_flags=(--target=wasm32-wasi --sysroot=/usr -Wl,--strip-debug)

shopt -s nullglob
# Generated workloads: regenerate the committed C when python3 is here.
for gen in "$here"/gen/*.py; do
    name="$(basename "$gen" .py)"
    if command -v python3 >/dev/null 2>&1; then
        echo "gen     $name -> workloads/$name.c"
        python3 "$gen" > "$src/$name.c.tmp" && mv "$src/$name.c.tmp" "$src/$name.c"
    fi
done
sources=("$src"/*.c)
mkdir -p "$wasm_out" "$native_out"

built=0
for c in "${sources[@]}"; do
    name="$(basename "$c" .c)"
    [ "$name" = main ] && continue
    if [ "$build_wasm" = 1 ]; then
        echo "wasm    $name -> wasm/$name.wasm"
        "$clang" "${wasm_flags[@]}" "${cflags[@]}" -o "$wasm_out/$name.wasm" "$c" "$src/main.c"
        chmod 644 "$wasm_out/$name.wasm"
    fi
    if [ "$build_native" = 1 ]; then
        echo "native  $name -> target-native/$name"
        "$clang" "${cflags[@]}" -o "$native_out/$name" "$c" "$src/main.c" -lm
    fi
    built=$((built + 1))
done

if [ "$built" = 0 ]; then
    echo "build.sh: no workloads found in $src" >&2
    exit 1
fi
echo "built $built workload(s)"

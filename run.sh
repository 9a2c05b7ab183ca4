#!/usr/bin/env bash
# Kiln's one entry point: installs what is missing, builds, tests, demos, benchmarks.
#   ./run.sh demo    build and run a real module in every running mode this build has
#   ./run.sh test    unit tests, clippy, fmt check, and the spec suite in every built mode
#   ./run.sh bench   the benchmark harness (native vs every built mode)
#   ./run.sh setup   only install missing system packages
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(llvm-19-dev libpolly-19-dev libzstd-dev clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32)
export LLVM_SYS_191_PREFIX=${LLVM_SYS_191_PREFIX:-/usr/lib/llvm-19}
TESTSUITE=${KILN_TESTSUITE:-../shared/testsuite}
KILN=target/release/kiln

say() { printf '\n==> %s\n' "$*"; }

setup() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing missing packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  fi
  if ! command -v cargo >/dev/null; then
    echo "error: cargo (Rust toolchain) is required; install it with rustup" >&2
    exit 1
  fi
}

build() {
  say "building (release)"
  cargo build --release --workspace
}

# The modes this build supports, as `kiln wast --mode` names.
built_modes() {
  "$KILN" modes
}

demo() {
  setup
  build
  local wasm=benches/wasm/sieve.wasm
  for m in $(built_modes); do
    if [ "$m" = aot ]; then
      say "target/release/kilnc $wasm -o target/sieve.aot && kiln run -f run target/sieve.aot"
      target/release/kilnc "$wasm" -o target/sieve.aot
      "$KILN" run -f run target/sieve.aot
      continue
    fi
    say "kiln run --$m -f run $wasm"
    flag="--$m"; [ "$m" = multi-tier ] && flag="--multi-tier-jit"
    "$KILN" run "$flag" -f run "$wasm"
  done
  say "native build of the same C, for comparison"
  benches/build.sh --native >/dev/null && benches/target-native/sieve
}

test_all() {
  setup
  say "cargo fmt --check"
  cargo fmt --all -- --check
  say "cargo clippy"
  cargo clippy --workspace --all-targets --release -- -D warnings
  say "unit and integration tests"
  cargo test --release --workspace
  build
  if [ ! -d "$TESTSUITE/core" ]; then
    echo "error: spec test suite not found at $TESTSUITE (set KILN_TESTSUITE)" >&2
    exit 1
  fi
  for m in $(built_modes); do
    say "spec suite, mode $m"
    "$KILN" wast --mode "$m" "$TESTSUITE/core"
  done
}

bench() {
  setup
  build
  cargo run --release -p kiln-bench -- "$@"
}

case "${1:-}" in
  setup) setup ;;
  demo) demo ;;
  test) test_all ;;
  bench) shift; bench "$@" ;;
  *) echo "usage: $0 demo|test|bench|setup" >&2; exit 2 ;;
esac

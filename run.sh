#!/usr/bin/env bash
# Kiln's one entry point: installs what is missing, builds, tests, demos, benchmarks.
#   ./run.sh demo    build and run a WASI program (reads a mapped file) in every mode this build has
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
    [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == *"install ok installed"* ]] || missing+=("$p")
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
  # A WASI program reading a file from a directory mapped in as /data, in
  # every mode; each run gets its own copy of the data, where the program
  # also writes a summary.
  local wasm=demo/wordcount.wasm
  for m in $(built_modes); do
    local data="target/demo/$m"
    rm -rf "$data" && mkdir -p "$data" && cp demo/data/* "$data/"
    local prog="$wasm"
    if [ "$m" = aot ]; then
      say "target/release/kilnc $wasm -o target/demo/wordcount.aot"
      target/release/kilnc "$wasm" -o target/demo/wordcount.aot
      prog=target/demo/wordcount.aot
    fi
    local flag="--$m"
    case "$m" in aot) flag="" ;; multi-tier) flag="--multi-tier-jit" ;; esac
    say "kiln run ${flag:+$flag }--map-dir=/data::$data $prog /data/poem.txt"
    "$KILN" run $flag --map-dir=/data::"$data" "$prog" /data/poem.txt
    echo "exit status $?; $data/poem.txt.summary: $(cat "$data/poem.txt.summary")"
  done
}

test_all() {
  setup
  say "cargo fmt --check"
  cargo fmt --all -- --check
  say "cargo clippy"
  cargo clippy --workspace --all-targets --release -- -D warnings
  # The WASI program tests run the built `kiln` and `kilnc`.
  build
  say "unit and integration tests"
  cargo test --release --workspace
  if [ ! -d "$TESTSUITE/core" ]; then
    echo "error: spec test suite not found at $TESTSUITE (set KILN_TESTSUITE)" >&2
    exit 1
  fi
  for m in $(built_modes); do
    say "spec suite, mode $m"
    "$KILN" wast --mode "$m" "$TESTSUITE/core"
    say "regression files, mode $m"
    "$KILN" wast --mode "$m" tests/regressions
  done
  # Read the list once: `grep -q` stops reading early, and under pipefail
  # a writer cut off by it would fail the test and skip these steps.
  local modes
  modes=$(built_modes)
  if grep -qx fast-jit <<<"$modes" && grep -qx llvm-jit <<<"$modes"; then
    # Tier-up on the first call and at the first loop header: compiled
    # before the script goes on (running loops move into OSR entries), and
    # in the background as a user would run it.
    say "spec suite, multi-tier, tier-up on first call"
    "$KILN" wast --mode multi-tier --tier-up-threshold 1 --tier-up-sync "$TESTSUITE/core"
    "$KILN" wast --mode multi-tier --tier-up-threshold 1 tests/regressions
    "$KILN" wast --mode multi-tier --tier-up-threshold 1 "$TESTSUITE/core"
    say "differential check, multi-tier (tier-up on first call)"
    cargo run --release -p kiln-fuzz -- differential --seeds 0..300 --modes interp,multi-tier
  fi
  say "differential check: generated modules in every built mode"
  cargo run --release -p kiln-fuzz -- differential --seeds 0..2000
  artifact_only
}

# The artifact-only `kiln` (no wasm reader, no interpreter, no LLVM) runs
# the demo's artifact with the same result as the full build, and refuses
# a .wasm with one line.
artifact_only() {
  say "artifact-only kiln: build, run the demo artifact"
  local dir=target/artifact-only
  cargo build --release -p kiln-tools --no-default-features --target-dir "$dir"
  local small="$dir/release/kiln" data=target/demo/artifact-only
  mkdir -p target/demo
  target/release/kilnc demo/wordcount.wasm -o target/demo/wordcount.aot
  rm -rf "$data" && mkdir -p "$data" && cp demo/data/* "$data/"
  "$small" --version
  "$small" run --map-dir=/data::"$data" target/demo/wordcount.aot /data/poem.txt
  rm -rf target/demo/full && mkdir -p target/demo/full && cp demo/data/* target/demo/full/
  "$KILN" run --map-dir=/data::target/demo/full target/demo/wordcount.aot /data/poem.txt >/dev/null
  cmp "$data/poem.txt.summary" target/demo/full/poem.txt.summary
  if "$small" run demo/wordcount.wasm 2>"$dir/refusal.txt"; then
    echo "error: the artifact-only kiln ran a .wasm" >&2
    exit 1
  fi
  grep -q "runs only AOT artifacts" "$dir/refusal.txt"
  echo "artifact-only kiln: same summary as the full build; .wasm refused: $(cat "$dir/refusal.txt")"
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

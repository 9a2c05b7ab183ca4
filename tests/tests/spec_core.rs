//! The whole WebAssembly 2.0 core spec suite must pass in every supported mode.

use kiln_tests::{run_paths, Mode, Options};
use std::path::PathBuf;

/// `$KILN_TESTSUITE`, or `shared/testsuite` next to the workspace.
fn testsuite() -> PathBuf {
    match std::env::var_os("KILN_TESTSUITE") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/testsuite"),
    }
}

fn core() -> PathBuf {
    let core = testsuite().join("core");
    assert!(
        core.is_dir(),
        "spec test suite not found at {} (set KILN_TESTSUITE to the testsuite checkout)",
        core.display()
    );
    core
}

fn core_suite_passes_in(mode: Mode) {
    let opts = Options {
        quiet: true,
        ..Options::new(mode)
    };
    let summary = run_paths(&[core()], &opts).expect("the suite runs");
    assert!(
        summary.failed == 0,
        "{summary}; first failures:\n{}",
        summary.failures[..summary.failures.len().min(50)].join("\n")
    );
    assert_eq!(summary.skipped, 0, "{summary}");
    assert!(
        summary.passed > 52_000,
        "only {} assertions passed",
        summary.passed
    );
}

#[test]
fn core_suite_passes_in_the_interpreter() {
    core_suite_passes_in(Mode::INTERP);
}

#[test]
fn core_suite_passes_under_the_fast_jit() {
    core_suite_passes_in(Mode::Running(kiln_runtime::RunningMode::FastJit));
}

#[test]
fn core_suite_passes_under_the_llvm_jit() {
    core_suite_passes_in(Mode::Running(kiln_runtime::RunningMode::LlvmJit));
}

#[test]
fn core_suite_passes_from_aot_artifacts() {
    core_suite_passes_in(Mode::Aot);
}

/// Tier-up on the first call and at the first loop header, compiled on
/// the spot: LLVM code replaces Fast JIT code in the middle of each script
/// and running loops move into OSR entries.
#[test]
fn core_suite_passes_in_the_multi_tier_jit() {
    kiln_tests::set_tier_up_threshold(1);
    kiln_tests::set_tier_up_sync(true);
    core_suite_passes_in(Mode::Running(kiln_runtime::RunningMode::MultiTierJit));
}

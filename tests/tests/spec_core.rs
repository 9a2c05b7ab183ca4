//! The whole WebAssembly 2.0 core spec suite, interpreted, must pass.

use kiln_tests::{run_paths, Mode, Options};
use std::path::PathBuf;

fn testsuite() -> PathBuf {
    match std::env::var_os("KILN_TESTSUITE") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/testsuite"),
    }
}

#[test]
fn core_suite_passes_in_the_interpreter() {
    let core = testsuite().join("core");
    assert!(
        core.is_dir(),
        "spec test suite not found at {} (set KILN_TESTSUITE)",
        core.display()
    );
    let opts = Options {
        mode: Mode::Running(kiln_runtime::RunningMode::Interp),
        verbose: false,
        quiet: true,
    };
    let summary = run_paths(&[core], &opts).expect("suite runs");
    assert_eq!(summary.failed, 0, "failures: {:#?}", summary.failures);
    assert_eq!(summary.skipped, 0);
    assert!(
        summary.passed > 52_000,
        "only {} assertions ran",
        summary.passed
    );
}

#[test]
fn unsupported_modes_are_refused_by_name() {
    for (name, mode) in [
        (
            "fast-jit",
            Mode::Running(kiln_runtime::RunningMode::FastJit),
        ),
        ("aot", Mode::Aot),
    ] {
        let opts = Options {
            mode,
            verbose: false,
            quiet: true,
        };
        let err = run_paths(&[testsuite().join("core")], &opts).unwrap_err();
        assert!(err.contains(name), "{err}");
    }
}

//! The whole WebAssembly 2.0 core spec suite, interpreted, must pass.

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

#[test]
fn core_suite_passes_in_the_interpreter() {
    let opts = Options {
        quiet: true,
        ..Options::new(Mode::INTERP)
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
fn unsupported_modes_are_refused_by_name() {
    let fast = Mode::Running(kiln_runtime::RunningMode::FastJit);
    for mode in [fast, Mode::Aot] {
        let opts = Options {
            quiet: true,
            ..Options::new(mode)
        };
        let err = run_paths(&[core()], &opts).unwrap_err();
        assert_eq!(
            err,
            format!("running mode `{mode}` is not supported by this build of kiln")
        );
    }
}

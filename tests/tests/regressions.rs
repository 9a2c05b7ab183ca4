//! Hand-reduced `.wast` files for bugs found by fuzzing and by users
//! (`tests/regressions/`) pass in every mode this build supports.

use kiln_tests::{built_modes, run_paths, Options};
use std::path::PathBuf;

#[test]
fn regression_files_pass_in_every_built_mode() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("regressions");
    for mode in built_modes() {
        let opts = Options {
            quiet: true,
            ..Options::new(mode)
        };
        let summary = run_paths(std::slice::from_ref(&dir), &opts).expect("the files run");
        assert!(
            summary.failed == 0 && summary.skipped == 0,
            "{}: {summary}; failures:\n{}",
            mode.name(),
            summary.failures.join("\n")
        );
        assert!(summary.passed >= 16, "{}: {summary}", mode.name());
    }
}

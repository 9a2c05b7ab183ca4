//! The spec-suite runner: reads `.wast` scripts and checks every assertion
//! against Kiln in one running mode.
//!
//! Each `assert_*` directive is one test. Modules, registrations and plain
//! invocations are not counted as tests, but when they fail the failure is
//! counted and reported. A run prints one line per file and ends with the
//! line `N passed, M failed`.

mod aot;
mod directives;
mod mode;
pub mod operators;
mod panics;
mod script;
mod spectest;
mod summary;
mod values;

pub use aot::through_artifact;
pub use mode::{
    allow_incomplete_modes, built_modes, compile_in, config_for, engine_for, set_tier_up_sync,
    set_tier_up_threshold, Mode,
};
pub use summary::Summary;

use std::path::{Path, PathBuf};

/// Stack of the thread each script runs on: text parsing and module
/// encoding recurse with nesting depth.
const SCRIPT_STACK: usize = 64 << 20;

/// How a run is done and reported.
#[derive(Clone, Debug)]
pub struct Options {
    /// The running mode.
    pub mode: Mode,
    /// Failures printed under each file's line (all of them when `verbose`).
    pub max_shown: usize,
    /// Print every failure.
    pub verbose: bool,
    /// Print nothing at all (the summary is still returned).
    pub quiet: bool,
}

impl Options {
    /// Printing per-file lines and up to 10 failures each, in `mode`.
    pub fn new(mode: Mode) -> Options {
        Options {
            mode,
            max_shown: 10,
            verbose: false,
            quiet: false,
        }
    }
}

/// Every `.wast` file under `paths`: files as given, folders recursively
/// (sorted). A path that does not exist is an error.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
            if path.is_dir() {
                walk(&path, out)?;
            } else if path.extension().is_some_and(|x| x == "wast") {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files = Vec::new();
            walk(p, &mut files)?;
            files.sort();
            out.extend(files);
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    Ok(out)
}

/// Runs the script text `source` (named `name` in failures) in `mode`.
pub fn run_source(name: &str, source: &str, mode: Mode) -> Summary {
    panics::install_hook();
    script::run(name, source, mode)
}

/// Runs one script file on a thread of its own; a crash of that thread is
/// one failure.
pub fn run_file(path: &Path, mode: Mode) -> Summary {
    panics::install_hook();
    let owned = path.to_path_buf();
    let spawned = std::thread::Builder::new()
        .name(format!("wast {}", path.display()))
        .stack_size(SCRIPT_STACK)
        .spawn(move || script::run_path(&owned, mode));
    let outcome = match spawned {
        Ok(handle) => handle
            .join()
            .map_err(|p| format!("panic: {}", panics::message(&*p))),
        Err(e) => Err(format!("cannot start a thread: {e}")),
    };
    outcome.unwrap_or_else(|reason| {
        let mut s = Summary::default();
        s.fail(format!("{}: {reason}", path.display()));
        s
    })
}

/// Runs every script under `paths`, printing `path: P passed, F failed` per
/// file (with failure details below it) and the total as the last line.
/// Fails without running anything if the mode is not supported or a path
/// does not exist.
pub fn run_paths(paths: &[PathBuf], opts: &Options) -> Result<Summary, String> {
    opts.mode.check()?;
    let files = collect(paths)?;
    let mut total = Summary::default();
    for file in files {
        let s = run_file(&file, opts.mode);
        if !opts.quiet {
            print_file(&file, &s, opts);
        }
        total.absorb(s);
    }
    if !opts.quiet {
        println!("{total}");
    }
    Ok(total)
}

fn print_file(file: &Path, s: &Summary, opts: &Options) {
    println!("{}: {s}", file.display());
    let shown = if opts.verbose {
        s.failures.len()
    } else {
        opts.max_shown
    };
    for f in s.failures.iter().take(shown) {
        println!("    {f}");
    }
    if s.failures.len() > shown {
        println!(
            "    ... and {} more (use --verbose to see all)",
            s.failures.len() - shown
        );
    }
}

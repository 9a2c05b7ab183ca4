//! The spec-suite runner: reads `.wast` scripts and checks every assertion
//! against Kiln in one running mode.
//!
//! Each `assert_*` directive is one test. Modules, registrations and plain
//! invocations are not counted as tests, but when they fail the failure is
//! counted and reported. The run ends with the line `N passed, M failed`.

mod script;
mod spectest;
mod values;

use kiln_runtime::RunningMode;
use std::path::{Path, PathBuf};

/// The mode a script is run in: a runtime running mode, or AOT artifacts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// One of the runtime's JIT/interpreter modes.
    Running(RunningMode),
    /// Compile to an artifact, serialise, load from bytes.
    Aot,
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Mode, String> {
        if s == "aot" {
            return Ok(Mode::Aot);
        }
        s.parse::<RunningMode>()
            .map(Mode::Running)
            .map_err(|e| e.to_string())
    }
}

impl Mode {
    /// Whether this build can run scripts in this mode; the error names it.
    pub fn check(self) -> Result<(), String> {
        match self {
            Mode::Running(m) => kiln_runtime::check_running_mode(m).map_err(|e| e.to_string()),
            Mode::Aot => Err("running mode `aot` is not supported by this build of kiln".into()),
        }
    }
}

/// Options of a run.
#[derive(Clone, Debug)]
pub struct Options {
    /// The mode.
    pub mode: Mode,
    /// Print every failure, not just the first few per file.
    pub verbose: bool,
    /// Print the per-file lines at all.
    pub quiet: bool,
}

/// The outcome of one file or of a whole run.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Assertions that held.
    pub passed: usize,
    /// Assertions (or other directives) that failed.
    pub failed: usize,
    /// Directives deliberately not run (always printed).
    pub skipped: usize,
    /// Failure descriptions (`file:line:col: reason`).
    pub failures: Vec<String>,
}

impl Summary {
    fn add(&mut self, other: &Summary) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }

    /// The closing line: `N passed, M failed` (`, K skipped` when any were).
    pub fn line(&self) -> String {
        let mut s = format!("{} passed, {} failed", self.passed, self.failed);
        if self.skipped > 0 {
            s.push_str(&format!(", {} skipped", self.skipped));
        }
        s
    }
}

/// Every `.wast` file under `paths` (files as given, folders recursively), sorted.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for e in entries {
            let p = e.map_err(|e| e.to_string())?.path();
            if p.is_dir() {
                walk(&p, out)?;
            } else if p.extension().is_some_and(|x| x == "wast") {
                out.push(p);
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

/// Runs every script under `paths`, printing a line per file and the total.
pub fn run_paths(paths: &[PathBuf], opts: &Options) -> Result<Summary, String> {
    opts.mode.check()?;
    let files = collect(paths)?;
    let mut total = Summary::default();
    for file in files {
        let s = script::run_file(&file, opts);
        if !opts.quiet {
            println!("{}: {}", file.display(), s.line());
            let shown = if opts.verbose { s.failures.len() } else { 10 };
            for f in s.failures.iter().take(shown) {
                println!("    {f}");
            }
            if s.failures.len() > shown {
                println!("    ... and {} more", s.failures.len() - shown);
            }
        }
        total.add(&s);
    }
    println!("{}", total.line());
    Ok(total)
}

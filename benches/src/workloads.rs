//! Where the benchmark files live, which workloads exist, and (re)building
//! their native binaries with `build.sh` when missing or out of date.
//!
//! Layout under `benches/`:
//! - `workloads/NAME.c`: the C source of each workload (plus `common.h`
//!   and the driver `main.c`, linked into both builds);
//! - `wasm/NAME.wasm`: the committed WASI build;
//! - `target-native/NAME`: the native build, made by `build.sh --native`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// The driver, linked into both builds; not a workload.
const DRIVER: &str = "main";

/// One benchmark program.
#[derive(Clone, Debug)]
pub struct Workload {
    pub name: String,
    pub source: PathBuf,
    pub wasm: PathBuf,
    pub native: PathBuf,
}

/// The directories the harness works with.
#[derive(Clone, Debug)]
pub struct Layout {
    /// `benches/`.
    pub bench_dir: PathBuf,
    /// The cargo workspace root (parent of `benches/`).
    pub workspace: PathBuf,
}

impl Layout {
    /// Finds `benches/`: the directory this crate was compiled from if it
    /// still exists, else `./benches` or `.` from the current directory.
    pub fn locate() -> Result<Layout, String> {
        let compiled = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let cwd = std::env::current_dir().map_err(|e| format!("current directory: {e}"))?;
        let candidates = [compiled, cwd.join("benches"), cwd];
        let bench_dir = candidates
            .into_iter()
            .find(|dir| dir.join("workloads").is_dir() && dir.join("build.sh").is_file())
            .ok_or(
                "cannot find the benches/ directory (with workloads/ and build.sh); \
                    run from the workspace root",
            )?;
        let workspace = bench_dir
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| bench_dir.clone());
        Ok(Layout {
            bench_dir,
            workspace,
        })
    }

    /// `$CARGO_TARGET_DIR` if that variable is set (relative to the
    /// workspace), else `<workspace>/target`.
    pub fn target_dir(&self) -> PathBuf {
        std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .map(|t| {
                if t.is_absolute() {
                    t
                } else {
                    self.workspace.join(t)
                }
            })
            .unwrap_or_else(|| self.workspace.join("target"))
    }

    /// `<target dir>/release/kiln`.
    pub fn default_kiln(&self) -> PathBuf {
        self.target_dir().join("release").join("kiln")
    }

    /// Where the AOT mode writes its artifacts: `<target dir>/bench-aot`.
    /// Not next to the `.wasm` files, where `kiln run X.wasm` would pick
    /// up `X.aot` by itself.
    pub fn aot_dir(&self) -> PathBuf {
        self.target_dir().join("bench-aot")
    }

    fn build_script(&self) -> PathBuf {
        self.bench_dir.join("build.sh")
    }

    /// Every workload, sorted by name. Each must have its committed `.wasm`.
    pub fn workloads(&self) -> Result<Vec<Workload>, String> {
        let src = self.bench_dir.join("workloads");
        let entries = fs::read_dir(&src).map_err(|e| format!("{}: {e}", src.display()))?;
        let mut found = Vec::new();
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", src.display()))?.path();
            if path.extension().is_none_or(|ext| ext != "c") {
                continue;
            }
            let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            if name == DRIVER {
                continue;
            }
            found.push(Workload {
                name: name.to_string(),
                wasm: self.bench_dir.join("wasm").join(format!("{name}.wasm")),
                native: self.bench_dir.join("target-native").join(name),
                source: path.clone(),
            });
        }
        if found.is_empty() {
            return Err(format!("no workloads (*.c) in {}", src.display()));
        }
        found.sort_by(|a, b| a.name.cmp(&b.name));

        let missing: Vec<&str> = found
            .iter()
            .filter(|w| !w.wasm.is_file())
            .map(|w| w.name.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "missing wasm build for: {}; run `{} --wasm`",
                missing.join(", "),
                self.build_script().display()
            ));
        }
        Ok(found)
    }

    /// Runs `build.sh --native` if any of `workloads` has no native binary
    /// or one older than its sources.
    pub fn ensure_native_built(&self, workloads: &[Workload]) -> Result<(), String> {
        let shared = [
            self.bench_dir.join("workloads").join("common.h"),
            self.bench_dir.join("workloads").join(format!("{DRIVER}.c")),
        ];
        let stale: Vec<&str> = workloads
            .iter()
            .filter(|w| {
                let built = modified(&w.native);
                let newest_input = std::iter::once(&w.source)
                    .chain(&shared)
                    .filter_map(|p| modified(p))
                    .max();
                match (built, newest_input) {
                    (None, _) => true,
                    (Some(built), Some(input)) => input > built,
                    (Some(_), None) => false,
                }
            })
            .map(|w| w.name.as_str())
            .collect();
        if stale.is_empty() {
            return Ok(());
        }

        let script = self.build_script();
        eprintln!(
            "kiln-bench: building native binaries ({}) with {} --native",
            stale.join(", "),
            script.display()
        );
        let status = Command::new("bash")
            .arg(&script)
            .arg("--native")
            // Keep the harness's stdout for the report.
            .stdout(std::io::stderr())
            .status()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        if !status.success() {
            return Err(format!(
                "{} --native failed ({status}); it needs clang-19 \
                 (apt-get install clang-19 lld-19), then run it by hand",
                script.display()
            ));
        }
        if let Some(w) = workloads.iter().find(|w| !w.native.is_file()) {
            return Err(format!(
                "{} did not produce {}",
                script.display(),
                w.native.display()
            ));
        }
        Ok(())
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_committed_workloads() {
        let layout = Layout::locate().unwrap();
        let all = layout.workloads().unwrap();
        assert!(all.len() >= 6, "expected at least six workloads");
        assert!(all.iter().all(|w| w.name != DRIVER));
        assert!(all.windows(2).all(|p| p[0].name < p[1].name));
        assert!(layout.default_kiln().ends_with("release/kiln"));
        assert!(layout.aot_dir().ends_with("bench-aot"));
    }
}

//! The AOT mode's extra steps: compiling each workload with `kilnc` and
//! timing that, and timing an artifact's load on its own.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// What compiling and loading one workload's artifact cost.
pub struct AotInfo {
    pub workload: String,
    /// Best `kilnc` wall time.
    pub compile: Duration,
    pub wasm_bytes: u64,
    pub artifact_bytes: u64,
    /// Best wall time of `kiln run -f <missing export> X.aot`: process
    /// start, checks, mapping, relocation and instantiation, then the
    /// error for the missing export.
    pub load: Duration,
    pub artifact: PathBuf,
}

/// Best wall time of `runs` runs of `cmd`, or why it failed.
fn best(cmd: &mut Command, runs: u32, expect_success: bool) -> Result<Duration, String> {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
        let took = start.elapsed();
        if out.status.success() != expect_success {
            return Err(format!(
                "{cmd:?}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        best = best.min(took);
    }
    Ok(best)
}

/// Compiles `wasm` into `dir` with `kilnc` and measures compile and load.
pub fn prepare(
    name: &str,
    kilnc: &Path,
    kiln: &Path,
    wasm: &Path,
    dir: &Path,
    runs: u32,
) -> Result<AotInfo, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let artifact = dir.join(format!("{name}.aot"));
    let compile = best(
        Command::new(kilnc).arg(wasm).arg("-o").arg(&artifact),
        runs,
        true,
    )?;
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let load = best(
        Command::new(kiln)
            .args(["run", "-f", "kiln_bench_no_such_export"])
            .arg(&artifact),
        runs,
        false,
    )?;
    Ok(AotInfo {
        workload: name.to_string(),
        compile,
        wasm_bytes: size(wasm),
        artifact_bytes: size(&artifact),
        load,
        artifact,
    })
}

/// `kilnc -j1` and `-j2` times for `wasm` (the largest workload).
pub fn parallel(
    kilnc: &Path,
    wasm: &Path,
    dir: &Path,
    runs: u32,
) -> Result<(Duration, Duration), String> {
    let out = dir.join("parallel.aot");
    let time = |j: &str| {
        best(
            Command::new(kilnc)
                .args(["-j", j])
                .arg(wasm)
                .arg("-o")
                .arg(&out),
            runs,
            true,
        )
    };
    Ok((time("1")?, time("2")?))
}

/// Prints the compile/load table.
pub fn print(infos: &[AotInfo]) {
    println!("aot        | kilnc (ms) | wasm KB |  MB/s | artifact KB | load (ms)");
    println!("-----------|------------|---------|-------|-------------|----------");
    for i in infos {
        let secs = i.compile.as_secs_f64();
        println!(
            "{:<10} | {:>10.1} | {:>7.1} | {:>5.2} | {:>11.1} | {:>9.1}",
            i.workload,
            secs * 1e3,
            i.wasm_bytes as f64 / 1024.0,
            i.wasm_bytes as f64 / 1e6 / secs.max(1e-9),
            i.artifact_bytes as f64 / 1024.0,
            i.load.as_secs_f64() * 1e3,
        );
    }
}

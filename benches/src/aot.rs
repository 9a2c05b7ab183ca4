//! The AOT mode's extra steps: compiling each workload with `kilnc` (timed,
//! reported as compile throughput), timing an artifact's load on its own,
//! and comparing `kilnc -j1` with `-j2` on the largest module.
//!
//! Load time is the wall time of `kiln run -f <missing export> X.aot`: the
//! workloads export only `run` and `memory`, so this command starts the
//! process, checks, maps, relocates and instantiates the artifact, then
//! fails with "exports no function". Only that failure is accepted as a
//! load; any other error is reported as one.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::report::grid;
use crate::runner::{last_line, run_timed, shorten, Cmd, Finished, Outcome};

/// The export asked for when timing a load; no workload has it.
const MISSING_EXPORT: &str = "kiln_bench_no_such_export";

/// What `kiln` says when the export is missing (after a successful load).
const MISSING_EXPORT_ERROR: &str = "exports no function";

/// What compiling and loading one workload's artifact cost.
#[derive(Clone, Debug)]
pub struct AotInfo {
    pub workload: String,
    /// Best `kilnc` wall time (default thread count: all cores).
    pub compile: Duration,
    pub wasm_bytes: u64,
    pub artifact_bytes: u64,
    /// Best wall time of the load-only command (see the module docs).
    pub load: Duration,
    /// The compiled artifact, for `kiln run`.
    pub artifact: PathBuf,
}

impl AotInfo {
    /// Compile throughput: wasm bytes per second of `kilnc` wall time, in
    /// MB/s (10^6 bytes).
    pub fn mb_per_s(&self) -> f64 {
        self.wasm_bytes as f64 / 1e6 / self.compile.as_secs_f64().max(1e-9)
    }
}

/// `kilnc -j1` against `-j2` on one module.
#[derive(Clone, Debug)]
pub struct Parallel {
    pub workload: String,
    pub wasm_bytes: u64,
    pub j1: Duration,
    pub j2: Duration,
}

/// `kilnc [-j N] WASM -o OUT`.
fn compile_cmd(kilnc: &Path, wasm: &Path, out: &Path, threads: Option<u32>) -> Cmd {
    let mut cmd = Cmd::new(kilnc);
    if let Some(n) = threads {
        cmd.arg("-j").arg(n.to_string());
    }
    cmd.arg(wasm).arg("-o").arg(out);
    cmd
}

/// `kiln run ARTIFACT`: the timed AOT run of the program.
pub fn run_cmd(kiln: &Path, artifact: &Path) -> Cmd {
    let mut cmd = Cmd::new(kiln);
    cmd.arg("run").arg(artifact);
    cmd
}

/// `kiln run -f <missing export> ARTIFACT`: the load-only command.
fn load_cmd(kiln: &Path, artifact: &Path) -> Cmd {
    let mut cmd = Cmd::new(kiln);
    cmd.arg("run").arg("-f").arg(MISSING_EXPORT).arg(artifact);
    cmd
}

/// Whether a run succeeded (`kilnc`).
fn succeeded(run: &Finished) -> Result<(), String> {
    if run.status.success() {
        Ok(())
    } else {
        Err(failure(run))
    }
}

/// Whether a run loaded its artifact and then stopped at the missing
/// export, as the load-only command must.
fn loaded(run: &Finished) -> Result<(), String> {
    if !run.status.success() && run.stderr.contains(MISSING_EXPORT_ERROR) {
        Ok(())
    } else {
        Err(failure(run))
    }
}

fn failure(run: &Finished) -> String {
    let detail = last_line(&run.stderr)
        .or_else(|| last_line(&run.stdout))
        .unwrap_or("no output");
    format!("{}: {}", run.status, shorten(detail))
}

/// Best wall time of `runs` runs of `cmd`, each checked by `check`.
fn best_of(
    cmd: &Cmd,
    runs: u32,
    timeout: Duration,
    check: fn(&Finished) -> Result<(), String>,
) -> Result<Duration, String> {
    let mut best = Duration::MAX;
    for _ in 0..runs.max(1) {
        let run = run_timed(cmd, timeout).map_err(|o| match o {
            Outcome::Failed(why) => why,
            Outcome::Unsupported => "not supported".into(),
        })?;
        check(&run).map_err(|why| format!("`{}`: {why}", cmd.display()))?;
        best = best.min(run.elapsed);
    }
    Ok(best)
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Compiles `wasm` to `dir/NAME.aot` with `kilnc` (best of `runs`), then
/// times loading the artifact (best of `runs`).
pub fn prepare(
    name: &str,
    kilnc: &Path,
    kiln: &Path,
    wasm: &Path,
    dir: &Path,
    runs: u32,
    timeout: Duration,
) -> Result<AotInfo, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let artifact = dir.join(format!("{name}.aot"));
    let compile = best_of(
        &compile_cmd(kilnc, wasm, &artifact, None),
        runs,
        timeout,
        succeeded,
    )?;
    let load = best_of(&load_cmd(kiln, &artifact), runs, timeout, loaded)?;
    Ok(AotInfo {
        workload: name.to_string(),
        compile,
        wasm_bytes: size(wasm),
        artifact_bytes: size(&artifact),
        load,
        artifact,
    })
}

/// Times `kilnc -j1` and `-j2` on `wasm` (best of `runs` each), writing to
/// a scratch artifact in `dir`.
pub fn parallel(
    name: &str,
    kilnc: &Path,
    wasm: &Path,
    dir: &Path,
    runs: u32,
    timeout: Duration,
) -> Result<Parallel, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let out = dir.join("parallel-compile.aot");
    let time = |threads| {
        best_of(
            &compile_cmd(kilnc, wasm, &out, Some(threads)),
            runs,
            timeout,
            succeeded,
        )
    };
    let j1 = time(1)?;
    let j2 = time(2)?;
    let _ = std::fs::remove_file(&out);
    Ok(Parallel {
        workload: name.to_string(),
        wasm_bytes: size(wasm),
        j1,
        j2,
    })
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

fn kb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1024.0)
}

/// The per-workload compile/load table.
pub fn render_table(infos: &[AotInfo]) -> String {
    let header = [
        "workload",
        "kilnc (ms)",
        "wasm KB",
        "MB/s",
        "artifact KB",
        "load (ms)",
    ];
    let cells: Vec<Vec<String>> = infos
        .iter()
        .map(|i| {
            vec![
                i.workload.clone(),
                ms(i.compile),
                kb(i.wasm_bytes),
                format!("{:.3}", i.mb_per_s()),
                kb(i.artifact_bytes),
                ms(i.load),
            ]
        })
        .collect();
    let mut out = String::from("aot: compile and load, best of the runs\n");
    out.push_str(&grid(
        &header,
        &cells,
        &[false, true, true, true, true, true],
    ));
    out
}

/// The one-row `-j1` vs `-j2` table.
pub fn render_parallel(p: &Parallel) -> String {
    let header = ["workload", "wasm KB", "-j1 (ms)", "-j2 (ms)", "-j1 / -j2"];
    let ratio = p.j1.as_secs_f64() / p.j2.as_secs_f64().max(1e-9);
    let cells = vec![vec![
        p.workload.clone(),
        kb(p.wasm_bytes),
        ms(p.j1),
        ms(p.j2),
        format!("{ratio:.2}x"),
    ]];
    let mut out = String::from("parallel compile: kilnc -j1 vs -j2 on the largest module\n");
    out.push_str(&grid(&header, &cells, &[false, true, true, true, true]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> AotInfo {
        AotInfo {
            workload: "w".into(),
            compile: Duration::from_millis(20),
            wasm_bytes: 2_000,
            artifact_bytes: 4_096,
            load: Duration::from_micros(8_500),
            artifact: PathBuf::from("w.aot"),
        }
    }

    #[test]
    fn throughput_and_tables() {
        assert!((info().mb_per_s() - 0.1).abs() < 1e-12);
        let table = render_table(&[info()]);
        assert!(table.contains("20.0"), "{table}");
        assert!(table.contains("0.100"), "{table}");
        assert!(table.contains("4.0"), "{table}");
        assert!(table.contains("8.5"), "{table}");

        let p = Parallel {
            workload: "w".into(),
            wasm_bytes: 2048,
            j1: Duration::from_millis(30),
            j2: Duration::from_millis(20),
        };
        let table = render_parallel(&p);
        assert!(table.contains("1.50x"), "{table}");
        assert!(table.contains("30.0 |"), "{table}");
    }

    #[cfg(unix)]
    #[test]
    fn load_runs_must_stop_at_the_missing_export() {
        let timeout = Duration::from_secs(30);
        let mut good = Cmd::new("sh");
        good.arg("-c")
            .arg("echo 'kiln: error: the module exports no function `x`' >&2; exit 1");
        assert!(best_of(&good, 2, timeout, loaded).is_ok());

        let mut bad = Cmd::new("sh");
        bad.arg("-c")
            .arg("echo 'kiln: error: not a Kiln artifact' >&2; exit 1");
        let why = best_of(&bad, 2, timeout, loaded).unwrap_err();
        assert!(why.contains("not a Kiln artifact"), "{why}");

        let mut ok = Cmd::new("true");
        assert!(best_of(&ok, 1, timeout, succeeded).is_ok());
        assert!(best_of(ok.arg("x"), 1, timeout, loaded).is_err());
    }

    #[test]
    fn commands() {
        let cmd = compile_cmd(
            Path::new("kilnc"),
            Path::new("a.wasm"),
            Path::new("a.aot"),
            Some(2),
        );
        assert_eq!(cmd.display(), "kilnc -j 2 a.wasm -o a.aot");
        let cmd = run_cmd(Path::new("kiln"), Path::new("a.aot"));
        assert_eq!(cmd.display(), "kiln run a.aot");
        let cmd = load_cmd(Path::new("kiln"), Path::new("a.aot"));
        assert!(cmd
            .display()
            .ends_with(&format!("-f {MISSING_EXPORT} a.aot")));
    }
}

//! `kiln-bench`: runs every benchmark workload natively and under each
//! requested Kiln execution mode, checks that the checksums agree, and
//! prints a timing table with per-mode geometric-mean ratios to native.
//!
//! Times are whole-process wall times (best of `--runs`), so they include
//! process start-up and, for Kiln, module loading and compilation. Nothing
//! here asserts a timing: the exit code only reflects correctness (a
//! checksum mismatch or a failed run makes it non-zero).

mod aot;
mod report;
mod runner;
mod workloads;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};

use report::{Expected, Row};
use runner::Measurement;
use workloads::{Layout, Workload};

/// Command-line options.
#[derive(Parser, Debug)]
#[command(
    name = "kiln-bench",
    about = "Benchmarks Kiln's execution modes against native builds of the same C workloads"
)]
struct Args {
    /// Runs per workload and mode; the best (minimum) wall time is reported.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,

    /// Comma-separated Kiln modes to run besides native. `all` selects every
    /// mode; `none` runs the native binaries only.
    #[arg(long, value_delimiter = ',', default_value = "interp,llvm-jit,aot")]
    modes: Vec<ModeArg>,

    /// Path of the `kiln` binary [default: <workspace>/target/release/kiln].
    #[arg(long)]
    kiln: Option<PathBuf>,

    /// Only run workloads whose name contains this string.
    #[arg(long)]
    filter: Option<String>,

    /// Seconds after which a single run is killed and reported as failed.
    #[arg(long, default_value_t = 300)]
    timeout: u64,
}

/// A value accepted by `--modes`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum ModeArg {
    Interp,
    FastJit,
    LlvmJit,
    MultiTierJit,
    /// Compile with kilnc, then run the artifact.
    Aot,
    /// Every mode above.
    All,
    /// No Kiln mode: native only.
    None,
}

/// A Kiln execution mode, selected on the `kiln run` command line.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    Interp,
    FastJit,
    LlvmJit,
    MultiTierJit,
    /// `kilnc X.wasm -o X.aot`, then `kiln run X.aot`.
    Aot,
}

impl Mode {
    const ALL: [Mode; 5] = [
        Mode::Interp,
        Mode::FastJit,
        Mode::LlvmJit,
        Mode::MultiTierJit,
        Mode::Aot,
    ];

    /// The name used in `--modes` and in the report.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Interp => "interp",
            Mode::FastJit => "fast-jit",
            Mode::LlvmJit => "llvm-jit",
            Mode::MultiTierJit => "multi-tier-jit",
            Mode::Aot => "aot",
        }
    }

    /// The `kiln run` flag selecting this mode.
    pub fn flag(self) -> String {
        format!("--{}", self.name())
    }
}

/// Turns the `--modes` list into distinct modes, in the order given.
fn resolve_modes(args: &[ModeArg]) -> Result<Vec<Mode>, String> {
    if args.contains(&ModeArg::None) {
        if args.len() > 1 {
            return Err("`--modes none` cannot be combined with other modes".into());
        }
        return Ok(Vec::new());
    }
    let mut modes = Vec::new();
    for arg in args {
        let picked: &[Mode] = match arg {
            ModeArg::Interp => &[Mode::Interp],
            ModeArg::FastJit => &[Mode::FastJit],
            ModeArg::LlvmJit => &[Mode::LlvmJit],
            ModeArg::MultiTierJit => &[Mode::MultiTierJit],
            ModeArg::Aot => &[Mode::Aot],
            ModeArg::All => &Mode::ALL,
            ModeArg::None => unreachable!("handled above"),
        };
        for mode in picked {
            if !modes.contains(mode) {
                modes.push(*mode);
            }
        }
    }
    Ok(modes)
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("kiln-bench: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Runs the whole benchmark; returns whether every checksum matched.
fn run(args: &Args) -> Result<bool, String> {
    let modes = resolve_modes(&args.modes)?;
    let layout = Layout::locate()?;
    let mut all = layout.workloads()?;
    if let Some(filter) = &args.filter {
        all.retain(|w| w.name.contains(filter.as_str()));
        if all.is_empty() {
            return Err(format!("no workload name contains {filter:?}"));
        }
    }
    layout.ensure_native_built(&all)?;

    let kiln = if modes.is_empty() {
        None
    } else {
        let path = args.kiln.clone().unwrap_or_else(|| layout.default_kiln());
        if !path.is_file() {
            return Err(format!(
                "kiln binary not found at {}; build it with \
                 `cargo build --release -p kiln-tools`, pass --kiln PATH, \
                 or use `--modes none` for native only",
                path.display()
            ));
        }
        Some(path)
    };

    let timeout = Duration::from_secs(args.timeout);
    let mode_names: Vec<&str> = modes.iter().map(|m| m.name()).collect();
    eprintln!(
        "kiln-bench: {} workload(s), {} run(s) each, modes: native{}{}",
        all.len(),
        args.runs,
        if modes.is_empty() { "" } else { ", " },
        mode_names.join(", ")
    );
    if let Some(kiln) = &kiln {
        eprintln!("kiln-bench: kiln = {}", kiln.display());
    }

    let mut rows = Vec::new();
    let mut aot_infos = Vec::new();
    let aot_dir = std::env::temp_dir().join(format!("kiln-bench-aot-{}", std::process::id()));
    for workload in &all {
        let (r, info) = bench_workload(
            workload,
            &modes,
            kiln.as_deref(),
            &aot_dir,
            args.runs,
            timeout,
        );
        rows.extend(r);
        aot_infos.extend(info);
    }

    println!();
    report::print_table(&rows);
    println!();
    report::print_geomeans(&rows, &mode_names, all.len());
    if let (Some(kiln), false) = (&kiln, aot_infos.is_empty()) {
        println!();
        aot::print(&aot_infos);
        if let Some(largest) = all
            .iter()
            .max_by_key(|w| std::fs::metadata(&w.wasm).map(|m| m.len()).unwrap_or(0))
        {
            match aot::parallel(&kilnc_of(kiln), &largest.wasm, &aot_dir, args.runs) {
                Ok((j1, j2)) => println!(
                    "\nparallel compile of {} (largest): -j1 {:.1} ms, -j2 {:.1} ms, ratio {:.2}",
                    largest.name,
                    j1.as_secs_f64() * 1e3,
                    j2.as_secs_f64() * 1e3,
                    j1.as_secs_f64() / j2.as_secs_f64().max(1e-9)
                ),
                Err(e) => println!("\nparallel compile: {e}"),
            }
        }
    }
    let _ = std::fs::remove_dir_all(&aot_dir);

    let ok = rows.iter().all(|r| !r.status.is_failure());
    if !ok {
        println!();
        println!("FAILED: at least one run mismatched native's checksum or did not complete");
    }
    Ok(ok)
}

/// `kilnc` next to `kiln`.
fn kilnc_of(kiln: &Path) -> PathBuf {
    kiln.with_file_name("kilnc")
}

/// Benchmarks one workload natively and in each mode; returns its rows
/// (and, with the AOT mode, what compiling and loading the artifact cost).
fn bench_workload(
    workload: &Workload,
    modes: &[Mode],
    kiln: Option<&Path>,
    aot_dir: &Path,
    runs: u32,
    timeout: Duration,
) -> (Vec<Row>, Option<aot::AotInfo>) {
    let mut rows = Vec::new();
    let mut info = None;

    eprintln!("  {:<12} native", workload.name);
    let native_cmd = runner::Cmd::new(&workload.native);
    let native = runner::measure(&native_cmd, runs, timeout);
    let (native_time, expected) = match &native {
        Measurement::Done {
            best,
            checksum,
            stable: true,
        } => (Some(*best), Expected::Checksum(*checksum)),
        Measurement::Done { best, .. } => (Some(*best), Expected::Unknown),
        Measurement::Stopped(_) => (None, Expected::Unknown),
    };
    rows.push(Row::new(
        &workload.name,
        "native",
        &native,
        native_time,
        Expected::Reference,
    ));

    for mode in modes {
        eprintln!("  {:<12} {}", workload.name, mode.name());
        let kiln = kiln.expect("a kiln path is resolved whenever modes are requested");
        let mut cmd = runner::Cmd::new(kiln);
        if *mode == Mode::Aot {
            match aot::prepare(
                &workload.name,
                &kilnc_of(kiln),
                kiln,
                &workload.wasm,
                aot_dir,
                runs,
            ) {
                Ok(i) => {
                    cmd.arg("run")
                        .arg("-f")
                        .arg("run")
                        .arg(i.artifact.as_os_str());
                    info = Some(i);
                }
                Err(e) => {
                    eprintln!("  {:<12} aot: {e}", workload.name);
                    cmd.arg("run")
                        .arg("-f")
                        .arg("run")
                        .arg(aot_dir.join("missing.aot"));
                }
            }
        } else {
            cmd.arg("run")
                .arg(mode.flag())
                .arg("-f")
                .arg("run")
                .arg(workload.wasm.as_os_str());
        }
        let m = runner::measure(&cmd, runs, timeout);
        rows.push(Row::new(
            &workload.name,
            mode.name(),
            &m,
            native_time,
            expected,
        ));
    }
    (rows, info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_resolve_in_order_without_duplicates() {
        let got = resolve_modes(&[ModeArg::LlvmJit, ModeArg::All]).unwrap();
        assert_eq!(
            got,
            vec![
                Mode::LlvmJit,
                Mode::Interp,
                Mode::FastJit,
                Mode::MultiTierJit,
                Mode::Aot
            ]
        );
        assert!(resolve_modes(&[ModeArg::None]).unwrap().is_empty());
        assert!(resolve_modes(&[ModeArg::None, ModeArg::Interp]).is_err());
    }

    #[test]
    fn mode_flags_match_cli() {
        let flags: Vec<String> = Mode::ALL[..4].iter().map(|m| m.flag()).collect();
        assert_eq!(
            flags,
            ["--interp", "--fast-jit", "--llvm-jit", "--multi-tier-jit"]
        );
    }

    #[test]
    fn args_parse() {
        let args = Args::try_parse_from(["kiln-bench"]).unwrap();
        assert_eq!(args.runs, 3);
        assert_eq!(
            args.modes,
            vec![ModeArg::Interp, ModeArg::LlvmJit, ModeArg::Aot]
        );
        let args =
            Args::try_parse_from(["kiln-bench", "--modes", "interp,fast-jit", "--runs", "1"])
                .unwrap();
        assert_eq!(args.modes, vec![ModeArg::Interp, ModeArg::FastJit]);
        assert!(Args::try_parse_from(["kiln-bench", "--runs", "0"]).is_err());
        assert!(Args::try_parse_from(["kiln-bench", "--modes", "jit"]).is_err());
    }
}

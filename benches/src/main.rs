//! `kiln-bench`: runs every benchmark workload natively and under each
//! requested Kiln execution mode, checks that the checksums agree, and
//! prints a timing table with per-mode geometric-mean ratios to native.
//!
//! Times are whole-process wall times (best of `--runs`), so they include
//! process start-up and, for Kiln, module loading and compilation. Nothing
//! here asserts a timing: the exit code only reflects correctness (a
//! checksum mismatch or a failed run makes it non-zero).
//!
//! The `aot` mode first compiles each module with `kilnc` and also reports
//! compile time and throughput, artifact size and load time, plus `kilnc
//! -j1` against `-j2` on the largest module (see [`aot`]).

mod aot;
mod jit_compile;
mod modes;
mod peers;
mod report;
mod runner;
mod startup;
mod tier_stats;
mod workloads;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use modes::{resolve_modes, Mode, ModeArg};
use report::{Expected, Row};
use runner::{Measurement, Outcome};
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
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "interp,fast-jit,llvm-jit,aot"
    )]
    modes: Vec<ModeArg>,

    /// Path of the `kiln` binary [default: <workspace>/target/release/kiln].
    #[arg(long)]
    kiln: Option<PathBuf>,

    /// Path of the `kilnc` binary, for the `aot` mode [default: `kilnc`
    /// next to the `kiln` binary].
    #[arg(long)]
    kilnc: Option<PathBuf>,

    /// Only run workloads whose name contains this string.
    #[arg(long)]
    filter: Option<String>,

    /// The wasmi binary measured beside Kiln [default: `wasmi` on PATH,
    /// when there is one].
    #[arg(long)]
    wasmi: Option<PathBuf>,

    /// Seconds after which a single run is killed and reported as failed.
    #[arg(long, default_value_t = 300)]
    timeout: u64,
}

/// Prints the table `render` makes of the measurements that succeeded,
/// then a `NAME: FAILED (why)` line for each that did not.
fn print_section<T>(results: Vec<Result<T, String>>, render: impl Fn(&[T]) -> String, name: &str) {
    let (measured, failed): (Vec<_>, Vec<_>) = results.into_iter().partition(|r| r.is_ok());
    if !measured.is_empty() {
        let rows: Vec<T> = measured.into_iter().flatten().collect();
        print!("\n{}", render(&rows));
    }
    for e in failed.into_iter().filter_map(Result::err) {
        println!("{name}: FAILED ({e})");
    }
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

/// The binaries and settings every measurement needs.
struct Ctx {
    /// `kiln`, if any Kiln mode was requested.
    kiln: Option<PathBuf>,
    /// `kilnc`, if the AOT mode was requested.
    kilnc: Option<PathBuf>,
    /// Where the AOT mode writes its artifacts.
    aot_dir: PathBuf,
    /// The wasmi peer, when found.
    wasmi: Option<PathBuf>,
    runs: u32,
    timeout: Duration,
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
    let kilnc = match (&kiln, modes.contains(&Mode::Aot)) {
        (Some(kiln), true) => {
            let path = args
                .kilnc
                .clone()
                .unwrap_or_else(|| kiln.with_file_name("kilnc"));
            if !path.is_file() {
                return Err(format!(
                    "kilnc binary not found at {}; build it with \
                     `cargo build --release -p kiln-tools`, pass --kilnc PATH, \
                     or leave `aot` out of --modes",
                    path.display()
                ));
            }
            Some(path)
        }
        _ => None,
    };
    let ctx = Ctx {
        kiln,
        kilnc,
        aot_dir: layout.aot_dir(),
        wasmi: peers::find_wasmi(args.wasmi.as_deref()),
        runs: args.runs,
        timeout: Duration::from_secs(args.timeout),
    };

    let mut mode_names: Vec<&str> = modes.iter().map(|m| m.name()).collect();
    match &ctx.wasmi {
        Some(path) => {
            eprintln!("kiln-bench: peer wasmi = {}", path.display());
            mode_names.push(peers::WASMI);
        }
        None => eprintln!(
            "kiln-bench: no wasmi on PATH (cargo install wasmi_cli --locked): no wasmi rows"
        ),
    }
    eprintln!(
        "kiln-bench: {} workload(s), {} run(s) each, modes: native{}{}",
        all.len(),
        args.runs,
        if modes.is_empty() { "" } else { ", " },
        mode_names.join(", ")
    );
    for (name, path) in [("kiln", &ctx.kiln), ("kilnc", &ctx.kilnc)] {
        if let Some(path) = path {
            eprintln!("kiln-bench: {name} = {}", path.display());
        }
    }
    if ctx.kilnc.is_some() {
        eprintln!("kiln-bench: aot artifacts in {}", ctx.aot_dir.display());
    }

    let mut rows = Vec::new();
    let mut aot_infos = Vec::new();
    for workload in &all {
        let (r, info) = bench_workload(workload, &modes, &ctx);
        rows.extend(r);
        aot_infos.extend(info);
    }
    let tier_ups: Vec<_> = match (&ctx.kiln, modes.contains(&Mode::MultiTierJit)) {
        (Some(kiln), true) => all
            .iter()
            .map(|w| {
                eprintln!("  {:<12} multi-tier tier-up", w.name);
                tier_stats::measure(&w.name, kiln, &w.wasm, ctx.timeout)
            })
            .collect(),
        _ => Vec::new(),
    };
    let jit_compiles: Vec<_> = match (&ctx.kiln, modes.contains(&Mode::FastJit)) {
        (Some(kiln), true) => all
            .iter()
            .filter(|w| JIT_COMPILE_WORKLOADS.contains(&w.name.as_str()))
            .map(|w| {
                eprintln!("  {:<12} fast-jit compile", w.name);
                let runs = ctx.runs.max(jit_compile::MIN_RUNS);
                jit_compile::measure(&w.name, kiln, &w.wasm, runs, ctx.timeout)
            })
            .collect(),
        _ => Vec::new(),
    };
    let startup_wasm = workloads_dir_wasm("startup.wasm");
    let startups: Vec<_> = match &ctx.kiln {
        Some(kiln) if startup_wasm.exists() => modes
            .iter()
            .filter_map(|m| Some((m.name(), m.flag()?)))
            .map(|(name, flag)| {
                eprintln!("  {:<12} {name}", "startup");
                startup::measure(kiln, name, &flag, &startup_wasm, ctx.runs)
                    .map_err(|e| format!("{name}: {e}"))
            })
            .collect(),
        _ => Vec::new(),
    };
    let parallel = ctx
        .kilnc
        .as_deref()
        .map(|kilnc| parallel_compile(&all, kilnc, &ctx));

    println!();
    report::print_table(&rows);
    println!();
    report::print_geomeans(&rows, &mode_names, all.len());
    if let Some((g, n)) = peers::interp_over_wasmi(&rows) {
        println!("  kiln interp / wasmi: {g:.2}x  (geometric mean over {n} workloads)");
    }
    if ctx.kilnc.is_some() {
        println!();
        print!("{}", aot::render_table(&aot_infos));
    }
    let what = "wasm/startup.wasm (3000 short functions, each called once)";
    print_section(startups, |rows| startup::render(what, rows), "start-up");
    print_section(tier_ups, tier_stats::render, "multi-tier tier-up");
    print_section(jit_compiles, jit_compile::render, "fast-jit compile");
    match parallel {
        Some(Ok(p)) => print!("\n{}", aot::render_parallel(&p)),
        Some(Err(e)) => println!("\nparallel compile: FAILED ({e})"),
        None => {}
    }

    let ok = rows.iter().all(|r| !r.status.is_failure());
    if !ok {
        println!();
        println!("FAILED: at least one run mismatched native's checksum or did not complete");
    }
    Ok(ok)
}

/// `benches/wasm/<name>`.
fn workloads_dir_wasm(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("wasm")
        .join(name)
}

/// The large workloads whose Fast JIT compile throughput is reported.
const JIT_COMPILE_WORKLOADS: [&str; 2] = ["generic", "keywords"];

/// Times `kilnc -j1` and `-j2` on the largest workload module (by wasm
/// size). Reported, never asserted.
fn parallel_compile(all: &[Workload], kilnc: &Path, ctx: &Ctx) -> Result<aot::Parallel, String> {
    let size = |w: &&Workload| std::fs::metadata(&w.wasm).map(|m| m.len()).unwrap_or(0);
    let largest = all.iter().max_by_key(size).ok_or("no workloads")?;
    eprintln!("  {:<12} kilnc -j1 / -j2", largest.name);
    aot::parallel(
        &largest.name,
        kilnc,
        &largest.wasm,
        &ctx.aot_dir,
        ctx.runs,
        ctx.timeout,
    )
}

/// Benchmarks one workload natively and in each mode; returns its rows
/// (and, with the AOT mode, what compiling and loading the artifact cost).
fn bench_workload(
    workload: &Workload,
    modes: &[Mode],
    ctx: &Ctx,
) -> (Vec<Row>, Option<aot::AotInfo>) {
    let mut rows = Vec::new();
    let mut info = None;
    let (runs, timeout) = (ctx.runs, ctx.timeout);

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
        let kiln = ctx
            .kiln
            .as_deref()
            .expect("a kiln path is resolved whenever modes are requested");
        let m = match mode.flag() {
            Some(flag) => {
                let mut cmd = runner::Cmd::new(kiln);
                cmd.arg("run");
                cmd.arg(flag).arg(&workload.wasm);
                runner::measure(&cmd, runs, timeout)
            }
            None => {
                let kilnc = ctx
                    .kilnc
                    .as_deref()
                    .expect("a kilnc path is resolved whenever aot is requested");
                let prepared = aot::prepare(
                    &workload.name,
                    kilnc,
                    kiln,
                    &workload.wasm,
                    &ctx.aot_dir,
                    runs,
                    timeout,
                );
                match prepared {
                    Ok(i) => {
                        let m = runner::measure(&aot::run_cmd(kiln, &i.artifact), runs, timeout);
                        info = Some(i);
                        m
                    }
                    Err(e) => Measurement::Stopped(Outcome::Failed(e)),
                }
            }
        };
        rows.push(Row::new(
            &workload.name,
            mode.name(),
            &m,
            native_time,
            expected,
        ));
    }
    if let Some(wasmi) = &ctx.wasmi {
        eprintln!("  {:<12} {}", workload.name, peers::WASMI);
        let m = runner::measure(&peers::wasmi_cmd(wasmi, &workload.wasm), runs, timeout);
        rows.push(Row::new(
            &workload.name,
            peers::WASMI,
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
    fn args_parse() {
        let args = Args::try_parse_from(["kiln-bench"]).unwrap();
        assert_eq!(args.runs, 3);
        assert_eq!(
            args.modes,
            vec![
                ModeArg::Interp,
                ModeArg::FastJit,
                ModeArg::LlvmJit,
                ModeArg::Aot
            ]
        );
        let args =
            Args::try_parse_from(["kiln-bench", "--modes", "interp,fast-jit", "--runs", "1"])
                .unwrap();
        assert_eq!(args.modes, vec![ModeArg::Interp, ModeArg::FastJit]);
        assert!(Args::try_parse_from(["kiln-bench", "--runs", "0"]).is_err());
        assert!(Args::try_parse_from(["kiln-bench", "--modes", "jit"]).is_err());
        let args =
            Args::try_parse_from(["kiln-bench", "--modes", "aot", "--kilnc", "/x/kilnc"]).unwrap();
        assert_eq!(args.modes, vec![ModeArg::Aot]);
        assert_eq!(args.kilnc, Some(PathBuf::from("/x/kilnc")));
    }
}

//! `kilnc`: Kiln's ahead-of-time compiler, with wamrc's flags.
//!
//! ```text
//! kilnc [--target T] [--cpu C] [--cpu-features F] [--opt-level N] [--size-level N]
//!       [--bounds-checks 0|1] [--enable-llvm-passes P] [--format F] [-j N] [--verbose]
//!       [-o OUT] INPUT.wasm
//! ```
//!
//! `--format=aot` (the default) writes a Kiln artifact, by default next to
//! the input with the extension `.aot`; `object` writes LLVM's plain
//! object and needs `-o`.
//!
//! Every error is printed as one line `kilnc: error: ...` and exits with
//! status 1. `--cpu-features help` lists the target's CPUs and features.

use clap::{Parser, ValueEnum};
use kiln_compiler::{compile, CompileOptions, OutputKind, TargetSpec};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// LLVM's allocations (through C `malloc`, which the `override` feature
/// replaces in this binary) and Rust's both go to mimalloc: on a
/// switch-heavy module `kilnc` ran 4.3% fewer instructions than with
/// glibc's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Kiln artifact: the object plus the `.kiln.*` sections (SPEC.md 4).
    Aot,
    /// ELF relocatable object.
    Object,
    /// LLVM IR before optimisation.
    #[value(name = "llvmir-unopt")]
    LlvmirUnopt,
    /// LLVM IR after optimisation.
    #[value(name = "llvmir-opt")]
    LlvmirOpt,
}

/// Kiln's ahead-of-time WebAssembly compiler.
#[derive(Parser, Debug)]
#[command(name = "kilnc", version, about)]
struct Cli {
    /// The wasm (or wat) module to compile.
    input: Option<PathBuf>,
    /// Output file.
    #[arg(short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Target: x86_64, aarch64, riscv64 or a full LLVM triple (default: host).
    #[arg(long)]
    target: Option<String>,
    /// Target CPU (default: x86-64-v3, generic, generic-rv64).
    #[arg(long)]
    cpu: Option<String>,
    /// Extra CPU features, e.g. +avx512f,-bmi2; `help` lists them.
    #[arg(long = "cpu-features", value_name = "FEATURES")]
    cpu_features: Option<String>,
    /// Optimisation level 0-3.
    #[arg(long = "opt-level", default_value_t = 3, value_parser = clap::value_parser!(u8).range(0..=3))]
    opt_level: u8,
    /// Size optimisation level 0-3 (1 = Os, 2-3 = Oz).
    #[arg(long = "size-level", default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=3))]
    size_level: u8,
    /// 1: explicit bounds checks on memory accesses; 0: guard pages
    /// (default: 0 on 64-bit targets).
    #[arg(long = "bounds-checks", value_parser = clap::value_parser!(u8).range(0..=1))]
    bounds_checks: Option<u8>,
    /// Run this LLVM pass pipeline instead of default<ON>.
    #[arg(long = "enable-llvm-passes", value_name = "PIPELINE")]
    llvm_passes: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "aot")]
    format: Format,
    /// Leave out the module offsets of the code (`.kiln.sites`): trap
    /// backtraces then name functions only. The code is the same.
    #[arg(long = "no-wasm-offsets")]
    no_wasm_offsets: bool,
    /// Compile with N threads (default: all cores).
    #[arg(short = 'j', long = "threads", value_name = "N")]
    threads: Option<usize>,
    /// Print the time of each phase.
    #[arg(long)]
    verbose: bool,
}

fn main() -> ExitCode {
    // Transparent huge pages for mimalloc's segments (where the system
    // allows them on request): LLVM chases pointers through hundreds of
    // MB, and fewer TLB misses made `kilnc` on keywords 3% (quiet
    // machine) to 8% (loaded) faster in CPU time, 8 A/B pairs each, peak
    // RSS unchanged. Set before the compile's threads allocate.
    // SAFETY: mi_option_set stores an option value; it is sound at any
    // time, and the option is read when mimalloc next maps memory.
    unsafe { libmimalloc_sys::mi_option_set(libmimalloc_sys::mi_option_large_os_pages, 1) };
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                // A closed stdout (e.g. `| head`) is not an error worth a panic.
                let _ = write!(std::io::stdout(), "{e}");
                return ExitCode::SUCCESS;
            }
            return fail(&clap_message(&e));
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(m) => fail(&m),
    }
}

/// Draws `kilnc: <phase> [#####     ] done/total` on the terminal's last line.
fn progress_bar(phase: &str, done: usize, total: usize) {
    const WIDTH: usize = 30;
    if total == 0 {
        eprint!("\r\x1b[Kkilnc: {phase}...");
        return;
    }
    // Redraw only when the bar moves (or at the end) to keep output cheap.
    let filled = done * WIDTH / total;
    if done != total && filled == (done - 1) * WIDTH / total {
        return;
    }
    let bar = "#".repeat(filled) + &" ".repeat(WIDTH - filled);
    eprint!("\r\x1b[Kkilnc: {phase} [{bar}] {done}/{total}");
}

fn fail(message: &str) -> ExitCode {
    // SAFETY: isatty only inspects the file descriptor.
    if unsafe { libc::isatty(2) } == 1 {
        // Clear a progress line that may be showing.
        eprint!("\r\x1b[K");
    }
    eprintln!("kilnc: error: {message}");
    ExitCode::from(1)
}

/// The first line of a clap error, without its `error: ` prefix.
fn clap_message(e: &clap::Error) -> String {
    let text = e.to_string();
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("bad arguments");
    line.trim_start_matches("error: ").trim().to_string()
}

fn run(cli: Cli) -> Result<(), String> {
    if cli.target.as_deref() == Some("help") {
        let _ = writeln!(
            std::io::stdout(),
            "supported targets: x86_64, aarch64, riscv64, or an LLVM triple starting with one of them"
        );
        return Ok(());
    }
    let help = cli.cpu_features.as_deref() == Some("help");
    let features = cli.cpu_features.as_deref().filter(|_| !help);
    let target = TargetSpec::new(cli.target.as_deref(), cli.cpu.as_deref(), features)
        .map_err(|e| e.to_string())?;
    if help {
        return target.print_features_help().map_err(|e| e.to_string());
    }
    let input = cli.input.ok_or("no input file")?;
    let output = match cli.output {
        Some(o) => o,
        None if cli.format == Format::Aot => input.with_extension("aot"),
        None => return Err("no output file (-o FILE)".into()),
    };

    let mut opts = CompileOptions::new(target);
    opts.opt_level = cli.opt_level;
    opts.size_level = cli.size_level;
    opts.bounds_checks = cli.bounds_checks.map(|b| b == 1);
    opts.llvm_passes = cli.llvm_passes;
    opts.threads = cli.threads.unwrap_or(0);
    opts.wasm_offsets = !cli.no_wasm_offsets;
    // A progress line on a terminal, for compiles long enough to wait for.
    // SAFETY: isatty only inspects the file descriptor.
    let tty = unsafe { libc::isatty(2) } == 1;
    if tty && !cli.verbose {
        opts.progress = Some(progress_bar);
    }

    let start = Instant::now();
    let bytes = std::fs::read(&input).map_err(|e| format!("{}: {e}", input.display()))?;
    let wasm = wat::parse_bytes(&bytes).map_err(|e| {
        let m = e.to_string();
        format!(
            "{}: {}",
            input.display(),
            m.lines().next().unwrap_or("bad input")
        )
    })?;
    let kind = match cli.format {
        Format::Aot | Format::Object => OutputKind::Object,
        Format::LlvmirUnopt => OutputKind::LlvmIrUnopt,
        Format::LlvmirOpt => OutputKind::LlvmIrOpt,
    };
    let compiled = if cli.format == Format::Aot {
        let (artifact, mut report) = kiln_compiler::artifact::compile_artifact_timed(&wasm, &opts)
            .map_err(|e| e.to_string())?;
        report.bytes = artifact;
        report
    } else {
        compile(&wasm, &opts, kind).map_err(|e| e.to_string())?
    };
    if opts.progress.is_some() {
        eprint!("\r\x1b[K");
    }
    std::fs::write(&output, &compiled.bytes).map_err(|e| format!("{}: {e}", output.display()))?;
    if cli.verbose {
        for (phase, t) in &compiled.timings {
            eprintln!("kilnc: {phase}: {:.2} ms", t.as_secs_f64() * 1e3);
        }
        eprintln!(
            "kilnc: total: {:.2} ms ({} functions, {} bytes, target {} cpu {}{})",
            start.elapsed().as_secs_f64() * 1e3,
            compiled.num_defined_funcs,
            compiled.bytes.len(),
            opts.target.triple,
            opts.target.cpu,
            if compiled.bounds_checks {
                ", bounds checks"
            } else {
                ""
            },
        );
    }
    Ok(())
}

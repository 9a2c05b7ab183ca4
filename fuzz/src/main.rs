//! `kiln-fuzz`: the seeded differential check, and the module of a seed for
//! reproducing what it reports.
//!
//! ```text
//! kiln-fuzz differential --seeds 0..2000 [--jobs N] [--modes interp,aot] [--frames]
//! kiln-fuzz module --seed 1234 -o m.wasm
//! kiln-fuzz check m.wasm --seed 1234
//! kiln-fuzz artifacts --mutations 1000000 [--seed S] [--write-corpus DIR] [PATH...]
//! kiln-fuzz validate --seeds 0..100000
//! kiln-fuzz wasi --seeds 0..10000
//! ```
//!
//! The last three are seeded, stable-Rust runs of the checks behind the
//! cargo-fuzz targets of the same names (`fuzz/targets`), for campaigns on
//! machines without nightly and for reproducible counts.

mod campaigns;

use clap::{Parser, Subcommand};
use kiln_fuzz::differential::run_seeds;
use kiln_fuzz::generate::seeded_module;
use kiln_tests::Mode;
use std::ops::Range;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(name = "kiln-fuzz", about = "Differential checks of Kiln's modes")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the module of every seed in every mode and compare each with
    /// the interpreter; the last line is `N passed, M failed`.
    Differential {
        /// Seeds, as `START..END` (END excluded).
        #[arg(long, value_parser = parse_range)]
        seeds: Range<u64>,
        /// Worker threads (default: every core).
        #[arg(long)]
        jobs: Option<usize>,
        /// Modes, comma-separated, the reference first (default: every
        /// complete mode, the interpreter first; `multi-tier` tiers every
        /// function up on its first call).
        #[arg(long, value_delimiter = ',')]
        modes: Option<Vec<Mode>>,
        /// Also compare traps' backtraces: the same functions, and the same
        /// module offsets where both modes know them.
        #[arg(long)]
        frames: bool,
    },
    /// Mutate artifacts compiled from the wasm and wast files under PATHs
    /// (default: the spec suite and the benchmark workloads) and load each
    /// raw and resealed.
    Artifacts {
        /// Mutations to try.
        #[arg(long)]
        mutations: u64,
        /// Seed of the mutations.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Modules taken per `.wast` file.
        #[arg(long, default_value_t = 4)]
        per_file: usize,
        /// Also write the seed artifacts into DIR (a cargo-fuzz corpus).
        #[arg(long, value_name = "DIR")]
        write_corpus: Option<PathBuf>,
        /// Files or directories of `.wasm`/`.wast` files.
        paths: Vec<PathBuf>,
    },
    /// Validate and translate, in every built mode, the seeded module, its
    /// byte-flipped copy, and random bytes with a wasm header, per seed.
    Validate {
        /// Seeds, as `START..END`.
        #[arg(long, value_parser = parse_range)]
        seeds: Range<u64>,
    },
    /// Run seeded sequences of WASI calls against a fresh sandbox each.
    Wasi {
        /// Seeds, as `START..END`.
        #[arg(long, value_parser = parse_range)]
        seeds: Range<u64>,
    },
    /// Run one wasm file in every mode and compare, as `differential` does
    /// for a seed's module (to reproduce and reduce a divergence).
    Check {
        /// The wasm file.
        file: PathBuf,
        /// Seed of the call arguments.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Modes, comma-separated, the reference first.
        #[arg(long, value_delimiter = ',')]
        modes: Option<Vec<Mode>>,
    },
    /// Write the module of a seed.
    Module {
        /// The seed.
        #[arg(long)]
        seed: u64,
        /// Where to write it.
        #[arg(short, long)]
        output: PathBuf,
    },
}

fn parse_range(s: &str) -> Result<Range<u64>, String> {
    let (a, b) = s
        .split_once("..")
        .ok_or_else(|| format!("`{s}` is not a range START..END"))?;
    let a: u64 = a.parse().map_err(|e| format!("start `{a}`: {e}"))?;
    let b: u64 = b.parse().map_err(|e| format!("end `{b}`: {e}"))?;
    if a > b {
        return Err(format!("empty range `{s}`"));
    }
    Ok(a..b)
}

/// Prints the summary line of a campaign, or the violation.
fn finish(r: Result<String, String>) -> ExitCode {
    match r {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("FAILED: {e}");
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Differential {
            seeds,
            jobs,
            modes,
            frames,
        } => {
            kiln_fuzz::compare::compare_frames(frames);
            let modes = modes.unwrap_or_else(kiln_tests::built_modes);
            if modes.contains(&Mode::Running(kiln_runtime::RunningMode::MultiTierJit)) {
                // Built, not complete: every function moves to LLVM code on
                // its first call, compiled before the call goes on.
                kiln_tests::allow_incomplete_modes(true);
                kiln_tests::set_tier_up_threshold(1);
                kiln_tests::set_tier_up_sync(true);
            }
            let jobs =
                jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let names: Vec<&str> = modes.iter().map(|m| m.name()).collect();
            println!(
                "differential: seeds {}..{} in {} on {jobs} threads",
                seeds.start,
                seeds.end,
                names.join(", ")
            );
            let start = Instant::now();
            let on_failure = |seed: u64, report: &str| println!("seed {seed}: {report}");
            match run_seeds(seeds, jobs, &modes, &on_failure) {
                Ok(t) => {
                    println!(
                        "{} steps compared per mode, {} modules stopped early at a stack overflow, {:.1} s",
                        t.steps,
                        t.inconclusive,
                        start.elapsed().as_secs_f64()
                    );
                    println!("{} passed, {} failed", t.passed, t.failed);
                    if t.failed == 0 {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    }
                }
                Err(e) => {
                    eprintln!("kiln-fuzz: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Artifacts {
            mutations,
            seed,
            per_file,
            write_corpus,
            paths,
        } => finish(campaigns::artifacts(
            mutations,
            seed,
            per_file,
            write_corpus,
            paths,
        )),
        Command::Validate { seeds } => finish(campaigns::validate(seeds)),
        Command::Wasi { seeds } => finish(campaigns::wasi(seeds)),
        Command::Check { file, seed, modes } => {
            let modes = modes.unwrap_or_else(kiln_tests::built_modes);
            finish(campaigns::check(&file, seed, &modes))
        }
        Command::Module { seed, output } => match std::fs::write(&output, seeded_module(seed)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("kiln-fuzz: cannot write `{}`: {e}", output.display());
                ExitCode::from(2)
            }
        },
    }
}

//! `kiln`: run a wasm module with iwasm's flags, or run spec scripts.
//!
//! Every error is one line on stderr, `kiln: error: <message>`, with exit
//! code 1.

#[cfg(feature = "full-cli")]
use clap::{error::ErrorKind, Parser};
#[cfg(feature = "full-cli")]
use kiln_runtime::{is_running_mode_supported, RunningMode};
#[cfg(feature = "full-cli")]
use kiln_tools::argv;
#[cfg(feature = "full-cli")]
use kiln_tools::cli::{Cli, Command, WastArgs};
use kiln_tools::run;
use std::process::ExitCode;

fn main() -> ExitCode {
    let code = kiln();
    // Tier-up's background compilers are not waited for.
    if kiln_runtime::background_compiles() > 0 {
        kiln_runtime::exit_now(code);
    }
    ExitCode::from(code)
}

/// The artifact-only build's command line (no clap): `kiln run` for
/// artifacts, `--version` and `--help`.
#[cfg(not(feature = "full-cli"))]
fn kiln() -> u8 {
    use kiln_tools::small_cli::{parse, Invocation, HELP};
    let argv: Vec<String> = std::env::args().collect();
    match parse(&argv) {
        Ok(Invocation::Run(a)) => run::run(&a).unwrap_or_else(|f| fail_run(&f)),
        Ok(Invocation::Help { missing: false }) => {
            print!("{HELP}");
            0
        }
        Ok(Invocation::Help { missing: true }) => {
            eprint!("{HELP}");
            2
        }
        Ok(Invocation::Version) => {
            println!("kiln {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Err(e) => fail(&format!("{e} (see `kiln --help`)")),
    }
}

#[cfg(feature = "full-cli")]
fn kiln() -> u8 {
    let args = argv::with_default_command(std::env::args().collect());
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let outcome = match cli.command {
        Command::Run(a) => match run::run(&a) {
            Ok(code) => return code,
            Err(f) => return fail_run(&f),
        },
        Command::Wast(a) => wast(&a),
        Command::Inspect(a) => inspect(&a),
        Command::Modes => {
            for m in RunningMode::PREFERENCE.iter().rev() {
                if is_running_mode_supported(*m) {
                    println!("{m}");
                }
            }
            // Artifacts are made by the same compiler as the LLVM JIT.
            if is_running_mode_supported(RunningMode::LlvmJit) {
                println!("aot");
            }
            Ok(true)
        }
    };
    match outcome {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(message) => fail(&message),
    }
}

#[cfg(feature = "inspect")]
fn inspect(a: &kiln_tools::cli::InspectArgs) -> Result<bool, String> {
    kiln_tools::inspect::inspect(&a.file, a.disassemble.as_deref()).map(|report| {
        print!("{report}");
        true
    })
}

#[cfg(all(feature = "full-cli", not(feature = "inspect")))]
fn inspect(_a: &kiln_tools::cli::InspectArgs) -> Result<bool, String> {
    Err("this build of kiln has no `inspect` (feature `inspect`)".into())
}

/// Runs the scripts; `Ok(false)` if any assertion failed.
#[cfg(feature = "spec-runner")]
fn wast(a: &WastArgs) -> Result<bool, String> {
    kiln_tests::allow_incomplete_modes(a.experimental);
    if let Some(n) = a.tier_up_threshold {
        kiln_tests::set_tier_up_threshold(n);
    }
    kiln_tests::set_tier_up_sync(a.tier_up_sync);
    let opts = kiln_tests::Options {
        verbose: a.verbose,
        max_shown: a.max_failures,
        ..kiln_tests::Options::new(a.mode.parse()?)
    };
    let summary = kiln_tests::run_paths(&a.paths, &opts)?;
    Ok(summary.failed == 0)
}

/// A device build leaves the spec runner out.
#[cfg(all(feature = "full-cli", not(feature = "spec-runner")))]
fn wast(_a: &WastArgs) -> Result<bool, String> {
    Err("this build of kiln has no spec-script runner (build kiln-tools with the `spec-runner` feature)".into())
}

/// A failed run: its one-line error, then what goes under it.
fn fail_run(f: &run::Failure) -> u8 {
    let code = fail(&f.message);
    if let Some(details) = &f.details {
        eprint!("{details}");
    }
    code
}

fn fail(message: &str) -> u8 {
    let flat: Vec<&str> = message.lines().map(str::trim).collect();
    eprintln!("kiln: error: {}", flat.join(" "));
    1
}

/// Help and version go to stdout as usual; a misuse is a one-line error.
#[cfg(feature = "full-cli")]
fn usage_error(e: clap::Error) -> u8 {
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            e.exit_code() as u8
        }
        _ => {
            // The first paragraph is the message; usage and tips follow.
            let text = e.render().to_string();
            let paragraph: Vec<&str> = text
                .lines()
                .map(str::trim)
                .take_while(|l| !l.is_empty())
                .collect();
            let message = paragraph.join(" ");
            let message = message.strip_prefix("error: ").unwrap_or(&message);
            fail(&format!("{message} (see `kiln --help`)"))
        }
    }
}

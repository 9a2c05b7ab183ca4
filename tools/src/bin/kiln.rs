//! `kiln`: run a wasm module (iwasm's flags) or a folder of spec scripts.

use clap::{Parser, Subcommand};
use kiln_runtime::*;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "kiln", version, about = "Kiln WebAssembly runtime")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a module: call `-f FUNC` with ARGS, or `_start`.
    Run(RunArgs),
    /// Run `.wast` spec scripts (files or folders) and count assertions.
    Wast {
        /// interp, fast-jit, llvm-jit, multi-tier or aot.
        #[arg(long, default_value = "interp")]
        mode: String,
        /// Print every failure.
        #[arg(short, long)]
        verbose: bool,
        /// Scripts or folders of scripts.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// List the running modes this build supports, one per line.
    Modes,
}

#[derive(clap::Args)]
struct RunArgs {
    /// Run in the interpreter.
    #[arg(long)]
    interp: bool,
    /// Run under the Fast JIT.
    #[arg(long)]
    fast_jit: bool,
    /// Run under the LLVM JIT.
    #[arg(long)]
    llvm_jit: bool,
    /// Run tiered: Fast JIT, then LLVM.
    #[arg(long)]
    multi_tier_jit: bool,
    /// LLVM JIT optimisation level (0-3).
    #[arg(long, value_name = "N")]
    llvm_jit_opt_level: Option<u8>,
    /// Size of the wasm value stack in bytes.
    #[arg(long, value_name = "BYTES")]
    stack_size: Option<usize>,
    /// Accepted for iwasm compatibility; Kiln has no separate app heap, so it is ignored.
    #[arg(long, value_name = "BYTES")]
    heap_size: Option<usize>,
    /// The exported function to call.
    #[arg(short = 'f', long = "function", value_name = "FUNC")]
    function: Option<String>,
    /// The module (.wasm or .wat).
    file: PathBuf,
    /// Arguments of FUNC.
    #[arg(allow_hyphen_values = true)]
    args: Vec<String>,
}

fn main() -> ExitCode {
    let mut argv: Vec<String> = std::env::args().collect();
    let known = [
        "run",
        "wast",
        "modes",
        "help",
        "-h",
        "--help",
        "-V",
        "--version",
    ];
    if argv.len() > 1 && !known.contains(&argv[1].as_str()) {
        argv.insert(1, "run".into());
    }
    let cli = Cli::parse_from(argv);
    let outcome = match cli.command {
        Command::Run(args) => run(args),
        Command::Wast {
            mode,
            verbose,
            paths,
        } => wast(&mode, verbose, &paths),
        Command::Modes => {
            for m in RunningMode::PREFERENCE.iter().rev() {
                if is_running_mode_supported(*m) {
                    println!("{m}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    };
    match outcome {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("kiln: error: {}", msg.replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}

fn wast(mode: &str, verbose: bool, paths: &[PathBuf]) -> Result<ExitCode, String> {
    let mode: kiln_tests::Mode = mode.parse()?;
    let opts = kiln_tests::Options {
        mode,
        verbose,
        quiet: false,
    };
    let summary = kiln_tests::run_paths(paths, &opts)?;
    Ok(if summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn selected_mode(a: &RunArgs) -> Result<Option<RunningMode>, String> {
    let flags = [
        (a.interp, RunningMode::Interp),
        (a.fast_jit, RunningMode::FastJit),
        (a.llvm_jit, RunningMode::LlvmJit),
        (a.multi_tier_jit, RunningMode::MultiTierJit),
    ];
    let chosen: Vec<_> = flags.iter().filter(|f| f.0).map(|f| f.1).collect();
    match chosen.as_slice() {
        [] => Ok(None),
        [m] => Ok(Some(*m)),
        _ => Err("choose at most one of --interp, --fast-jit, --llvm-jit, --multi-tier-jit".into()),
    }
}

fn read_module(engine: &Engine, path: &PathBuf) -> Result<Module, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let wasm = if bytes.starts_with(b"\0asm") {
        bytes
    } else {
        wat::parse_bytes(&bytes)
            .map_err(|e| format!("{}{}", path.display(), one_line(&e.to_string())))?
            .into_owned()
    };
    Module::new(engine, &wasm).map_err(|e| format!("{}: {e}", path.display()))
}

/// A text-format error as `:LINE:COL: message` on one line.
fn one_line(err: &str) -> String {
    let message = err.lines().next().unwrap_or("").trim();
    let location = err
        .lines()
        .find_map(|l| l.trim().strip_prefix("--> "))
        .and_then(|l| l.split_once(':').map(|(_, lc)| lc.to_string()));
    match location {
        Some(lc) => format!(":{lc}: {message}"),
        None => format!(": {message}"),
    }
}

fn parse_arg(ty: ValType, s: &str) -> Result<Val, String> {
    let bad = || format!("cannot parse `{s}` as {ty}");
    let int = |s: &str| -> Option<i128> {
        let (neg, body) = s.strip_prefix('-').map_or((false, s), |b| (true, b));
        let v = match body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            Some(hex) => i128::from_str_radix(hex, 16).ok()?,
            None => body.parse::<i128>().ok()?,
        };
        Some(if neg { -v } else { v })
    };
    Ok(match ty {
        ValType::I32 => Val::I32(
            int(s)
                .filter(|v| *v >= i32::MIN as i128 && *v <= u32::MAX as i128)
                .ok_or_else(bad)? as i32,
        ),
        ValType::I64 => Val::I64(
            int(s)
                .filter(|v| *v >= i64::MIN as i128 && *v <= u64::MAX as i128)
                .ok_or_else(bad)? as i64,
        ),
        ValType::F32 => Val::F32(s.parse::<f32>().map_err(|_| bad())?.to_bits()),
        ValType::F64 => Val::F64(s.parse::<f64>().map_err(|_| bad())?.to_bits()),
        ValType::V128 => Val::V128(int(s).ok_or_else(bad)? as u128),
        other => return Err(format!("cannot pass a {other} from the command line")),
    })
}

fn show(v: &Val) -> String {
    let float = |f: f64| {
        if f.is_nan() {
            "nan".to_string()
        } else {
            f.to_string()
        }
    };
    match v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(b) => float(f32::from_bits(*b) as f64),
        Val::F64(b) => float(f64::from_bits(*b)),
        Val::V128(x) => format!("{x:#034x}"),
        Val::FuncRef(None) | Val::ExternRef(None) => "ref.null".into(),
        Val::FuncRef(Some(_)) => "ref.func".into(),
        Val::ExternRef(Some(_)) => "ref.extern".into(),
    }
}

fn run(a: RunArgs) -> Result<ExitCode, String> {
    let _ = (a.llvm_jit_opt_level, a.heap_size);
    let mode = selected_mode(&a)?;
    let mut config = Config::default();
    if let Some(s) = a.stack_size {
        config.stack_size = s;
    }
    config.default_mode = mode;
    let engine = Engine::new(config).map_err(|e| e.to_string())?;
    let module = read_module(&engine, &a.file)?;
    let mut store = Store::new(&engine, ());
    let instance = Linker::new()
        .instantiate(&mut store, &module)
        .map_err(|e| e.to_string())?;
    let name = a.function.as_deref().unwrap_or("_start");
    let func = instance
        .get_func(&store, name)
        .ok_or_else(|| format!("the module exports no function `{name}`"))?;
    let ty = func.ty(&store);
    if ty.params().len() != a.args.len() {
        return Err(format!(
            "`{name}` takes {} arguments, {} given",
            ty.params().len(),
            a.args.len()
        ));
    }
    let args = ty
        .params()
        .iter()
        .zip(&a.args)
        .map(|(t, s)| parse_arg(*t, s))
        .collect::<Result<Vec<_>, _>>()?;
    let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
    func.call(&mut store, &args, &mut results)
        .map_err(|e| e.to_string())?;
    for r in &results {
        println!("{}", show(r));
    }
    Ok(ExitCode::SUCCESS)
}

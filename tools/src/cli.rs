//! The command line's shape, declared with clap (feature `full-cli`).
//! Without clap, [`RunArgs`] is filled by the small parser of
//! [`crate::argv`], which takes the subset of `kiln run` an artifact-only
//! build needs.

#[cfg(feature = "full-cli")]
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[cfg(feature = "full-cli")]
/// Kiln WebAssembly runtime.
#[derive(Parser, Debug)]
#[command(
    name = "kiln",
    version,
    about = "Kiln WebAssembly runtime",
    after_help = "`kiln FILE [ARGS...]` is short for `kiln run FILE [ARGS...]`."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

#[cfg(feature = "full-cli")]
/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a module: call `-f FUNC` with ARGS and print its results, or `_start`.
    Run(Box<RunArgs>),
    /// Run `.wast` spec scripts (files or folders) and count assertions.
    Wast(WastArgs),
    /// List the running modes this build supports, one per line.
    Modes,
    /// Describe an AOT artifact: header, target, flags, functions, relocations.
    Inspect(InspectArgs),
}

#[cfg(feature = "full-cli")]
/// `kiln inspect FILE.aot [--disassemble [FUNC]]`.
#[derive(Args, Debug)]
pub struct InspectArgs {
    /// The artifact.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Disassemble every function, or just FUNC (a symbol such as
    /// `kiln_func_3`, or a function index); x86-64 only.
    #[arg(long, value_name = "FUNC", num_args = 0..=1, default_missing_value = "")]
    pub disassemble: Option<String>,
}

/// `kiln run`, with iwasm's flag names.
#[derive(Debug, Default)]
#[cfg_attr(feature = "full-cli", derive(Args))]
pub struct RunArgs {
    /// Run in the interpreter.
    #[cfg_attr(feature = "full-cli", arg(long))]
    pub interp: bool,
    /// Run under the Fast JIT.
    #[cfg_attr(feature = "full-cli", arg(long))]
    pub fast_jit: bool,
    /// Run under the LLVM JIT.
    #[cfg_attr(feature = "full-cli", arg(long))]
    pub llvm_jit: bool,
    /// Run tiered: Fast JIT first, hot functions and loops moved to LLVM
    /// code in the background (the default when both JITs are built).
    /// `--multi-tier` is the same, by the mode's name.
    #[cfg_attr(feature = "full-cli", arg(long, alias = "multi-tier"))]
    pub multi_tier_jit: bool,
    /// Compile the whole module with the Fast JIT at load, not each
    /// function on its first call.
    #[cfg_attr(feature = "full-cli", arg(long))]
    pub fast_jit_eager: bool,
    /// Print the Fast JIT's machine code of every function, or of FUNC (an
    /// index or export name), with wasm byte offsets, to stderr.
    #[cfg_attr(feature = "full-cli", arg(long, value_name = "FUNC", num_args = 0..=1, default_missing_value = "", require_equals = true))]
    pub jit_dump: Option<String>,
    /// Write /tmp/perf-PID.map naming every compiled wasm function (Fast
    /// JIT, LLVM JIT, tier-up, AOT) and trampoline, for `perf report`.
    #[cfg_attr(feature = "full-cli", arg(long, conflicts_with = "jitdump"))]
    pub perf_map: bool,
    /// Write /tmp/jit-PID.dump (jitdump: names and code bytes) for `perf
    /// record -k mono` then `perf inject --jit`.
    #[cfg_attr(feature = "full-cli", arg(long))]
    pub jitdump: bool,
    /// Also run in modes that are built but not complete yet.
    #[cfg_attr(feature = "full-cli", arg(long))]
    pub experimental: bool,
    /// Multi-tier: entries plus loop iterations before a function moves
    /// to LLVM code.
    #[cfg_attr(feature = "full-cli", arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..)))]
    pub tier_up_threshold: Option<u32>,
    /// Multi-tier: background compiler threads (default: the cores less
    /// one, at least one).
    #[cfg_attr(feature = "full-cli", arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..)))]
    pub jit_threads: Option<u32>,
    /// Multi-tier: print what tier-up did at exit (also `KILN_LOG=tier`).
    #[cfg_attr(feature = "full-cli", arg(long))]
    pub tier_stats: bool,
    /// Optimisation level of the LLVM JIT.
    #[cfg_attr(feature = "full-cli", arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=3)))]
    pub llvm_jit_opt_level: Option<u8>,
    /// Keep what the LLVM JIT compiles in a cache and reuse it on later
    /// runs of the same module (in `$XDG_CACHE_HOME/kiln`, else
    /// `~/.cache/kiln`).
    #[cfg_attr(feature = "full-cli", arg(long))]
    pub cache: bool,
    /// Like `--cache`, in DIR.
    #[cfg_attr(feature = "full-cli", arg(long, value_name = "DIR"))]
    pub cache_dir: Option<PathBuf>,
    /// Size of the wasm stack of each call from the host, in bytes.
    #[cfg_attr(feature = "full-cli", arg(long, value_name = "BYTES"))]
    pub stack_size: Option<usize>,
    /// Accepted for iwasm compatibility and ignored: Kiln has no separate app heap.
    #[cfg_attr(feature = "full-cli", arg(long, value_name = "BYTES"))]
    pub heap_size: Option<usize>,
    /// An AOT artifact to use for a .wasm FILE (default: FILE with the
    /// `.aot` extension, when it exists and no running mode is given: a
    /// mode flag wins over the artifact next door). A stale or foreign
    /// artifact is reported and the module runs without it.
    #[cfg_attr(feature = "full-cli", arg(long, value_name = "PATH"))]
    pub aot: Option<PathBuf>,
    /// Give the program host directory DIR, under the same name (WASI
    /// preopen; repeatable). Nothing outside it is reachable.
    #[cfg_attr(feature = "full-cli", arg(long = "dir", value_name = "DIR"))]
    pub dirs: Vec<PathBuf>,
    /// Give the program host directory HOST under the name GUEST (WASI
    /// preopen; repeatable).
    #[cfg_attr(
        feature = "full-cli",
        arg(long = "map-dir", value_name = "GUEST::HOST")
    )]
    pub map_dirs: Vec<String>,
    /// Set the program's environment variable K to V (repeatable).
    #[cfg_attr(feature = "full-cli", arg(long = "env", value_name = "K=V"))]
    pub envs: Vec<String>,
    /// The exported function to call (default: `_start`).
    #[cfg_attr(
        feature = "full-cli",
        arg(short = 'f', long = "function", value_name = "FUNC")
    )]
    pub function: Option<String>,
    /// The module: binary (.wasm) or text (.wat).
    #[cfg_attr(feature = "full-cli", arg(value_name = "FILE"))]
    pub file: PathBuf,
    /// The program's arguments (after `argv[0]`, the FILE as given); with
    /// `-f FUNC`, the arguments of FUNC, parsed by its parameter types.
    #[cfg_attr(
        feature = "full-cli",
        arg(
            value_name = "ARGS",
            trailing_var_arg = true,
            allow_hyphen_values = true
        )
    )]
    pub args: Vec<String>,
}

#[cfg(feature = "full-cli")]
/// `kiln wast`.
#[derive(Args, Debug)]
pub struct WastArgs {
    /// Running mode: interp, fast-jit, llvm-jit, multi-tier or aot.
    #[arg(long, default_value = "interp")]
    pub mode: String,
    /// Print every failure, not just the first few of each file.
    #[arg(short, long)]
    pub verbose: bool,
    /// Failures printed under each file's line.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub max_failures: usize,
    /// Also run modes that are built but not complete yet.
    #[arg(long)]
    pub experimental: bool,
    /// Multi-tier: entries plus loop iterations before a function moves
    /// to LLVM code.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub tier_up_threshold: Option<u32>,
    /// Multi-tier: compile LLVM code on the thread that found a function
    /// hot, before it goes on (so that scripts run the swapped code).
    #[arg(long)]
    pub tier_up_sync: bool,
    /// Scripts, or folders searched recursively for `.wast` files.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[cfg(all(test, feature = "full-cli"))]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_declaration_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn run_takes_iwasm_style_arguments() {
        let cli = Cli::try_parse_from([
            "kiln",
            "run",
            "--interp",
            "--stack-size",
            "65536",
            "-f",
            "add",
            "a.wat",
            "-7",
            "0x10",
        ])
        .unwrap();
        let Command::Run(r) = cli.command else {
            panic!("not run")
        };
        assert!(r.interp);
        assert_eq!(r.stack_size, Some(65536));
        assert_eq!(r.function.as_deref(), Some("add"));
        assert_eq!(r.args, ["-7", "0x10"]);
    }

    #[test]
    fn wasi_flags_repeat_and_program_flags_pass_through() {
        let argv = [
            "kiln",
            "run",
            "--dir=.",
            "--dir",
            "/tmp",
            "--map-dir=/data::./data",
            "--env=A=1",
            "--env",
            "B=x=y",
            "prog.wasm",
            "--dir=not-ours",
            "x",
        ];
        let argv = crate::argv::with_default_command(argv.map(String::from).to_vec());
        let cli = Cli::try_parse_from(argv).unwrap();
        let Command::Run(r) = cli.command else {
            panic!("not run")
        };
        assert_eq!(r.dirs, [PathBuf::from("."), PathBuf::from("/tmp")]);
        assert_eq!(r.map_dirs, ["/data::./data"]);
        assert_eq!(r.envs, ["A=1", "B=x=y"]);
        assert_eq!(r.args, ["--dir=not-ours", "x"]);
    }
}

//! `kiln run`: instantiate a module with WASI, then run the program
//! (`_start`) or call one export and print its results.

use crate::cli::RunArgs;
use crate::load::{read_module, ArtifactUse};
use crate::values;
use kiln_runtime::wasi::{self, WasiCtx};
use kiln_runtime::{Config, Engine, Error, Linker, ProfilingStrategy, RunningMode, Store, Val};
use std::mem::ManuallyDrop;
use std::path::{Path, PathBuf};

/// The running mode chosen by the mode flags, if any.
pub fn selected_mode(a: &RunArgs) -> Result<Option<RunningMode>, String> {
    let flags = [
        (a.interp, RunningMode::Interp),
        (a.fast_jit, RunningMode::FastJit),
        (a.llvm_jit, RunningMode::LlvmJit),
        (a.multi_tier_jit, RunningMode::MultiTierJit),
    ];
    let mut chosen = flags.iter().filter(|(on, _)| *on).map(|(_, m)| *m);
    match (chosen.next(), chosen.next()) {
        (first, None) => Ok(first),
        _ => Err(
            "choose at most one of --interp, --fast-jit, --llvm-jit and --multi-tier-jit".into(),
        ),
    }
}

/// The program's WASI context from the command line: `argv[0]` is FILE
/// as given, then ARGS (for `_start` only), the `--env`s and the
/// directories.
fn wasi_context(a: &RunArgs) -> Result<WasiCtx, String> {
    let mut b = WasiCtx::builder().arg(&a.file.to_string_lossy());
    if a.function.is_none() {
        b = b.args(&a.args);
    }
    for kv in &a.envs {
        let (k, v) = kv
            .split_once('=')
            .filter(|(k, _)| !k.is_empty())
            .ok_or_else(|| format!("--env expects K=V, got `{kv}`"))?;
        b = b.env(k, v);
    }
    for d in &a.dirs {
        b = b
            .preopened_dir(d, &d.to_string_lossy())
            .map_err(|e| format!("--dir: {e}"))?;
    }
    for m in &a.map_dirs {
        let (guest, host) = m
            .split_once("::")
            .ok_or_else(|| format!("--map-dir expects GUEST::HOST, got `{m}`"))?;
        b = b
            .preopened_dir(host, guest)
            .map_err(|e| format!("--map-dir: {e}"))?;
    }
    Ok(b.build())
}

/// `$XDG_CACHE_HOME/kiln`, else `$HOME/.cache/kiln`.
fn default_cache_dir() -> Result<PathBuf, String> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .ok_or("--cache: neither XDG_CACHE_HOME nor HOME is set (use --cache-dir DIR)")?;
    Ok(base.join("kiln"))
}

/// Why a run failed: the one-line message, and what `kiln` prints under it
/// (a trap's wasm backtrace).
#[derive(Debug)]
pub struct Failure {
    /// The error, on one line.
    pub message: String,
    /// Lines printed under it, each ending in a newline.
    pub details: Option<String>,
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure {
            message,
            details: None,
        }
    }
}

/// Runs `a`. For a program, the exit code is its `proc_exit` status (0 when
/// `_start` returns); with `-f`, each result is printed on its own line.
pub fn run(a: &RunArgs) -> Result<u8, Failure> {
    // An unsupported mode is refused by `Engine::new`, naming it.
    let mut config = Config {
        default_mode: selected_mode(a)?,
        allow_incomplete_modes: a.experimental,
        jit_dump: a.jit_dump.clone(),
        fast_jit_eager: a.fast_jit_eager,
        ..Config::default()
    };
    config.profiling = match (a.perf_map, a.jitdump) {
        (true, _) => ProfilingStrategy::PerfMap,
        (false, true) => ProfilingStrategy::JitDump,
        (false, false) => ProfilingStrategy::None,
    };
    if let Some(size) = a.stack_size {
        config.stack_size = size;
    }
    if let Some(level) = a.llvm_jit_opt_level {
        config.llvm_opt_level = level;
    }
    if let Some(n) = a.tier_up_threshold {
        config.tier_up_threshold = n;
    }
    if let Some(n) = a.jit_threads {
        config.jit_threads = n as usize;
    }
    config.cache_dir = match (&a.cache_dir, a.cache) {
        (Some(dir), _) => Some(dir.clone()),
        (None, true) => Some(default_cache_dir()?),
        (None, false) => None,
    };
    let artifact = match (&a.aot, config.default_mode) {
        (Some(_), Some(mode)) => {
            return Err(format!(
                "--aot runs the artifact; it cannot be combined with the running mode `{mode}`"
            )
            .into())
        }
        (Some(path), None) => ArtifactUse::Given(path),
        (None, None) => ArtifactUse::Sibling,
        (None, Some(_)) => ArtifactUse::Never,
    };
    let engine = Engine::new(config).map_err(|e| e.to_string())?;
    // The process ends after the run: what it built is left to the
    // operating system instead of being freed piece by piece (a module of
    // thousands of functions took a tenth of a short run to drop).
    let module = ManuallyDrop::new(read_module(&engine, &a.file, artifact)?);
    let _stats = TierStatsAtExit {
        module: &module,
        print: a.tier_stats || kiln_runtime::log_enabled("tier"),
    };
    let mut store = ManuallyDrop::new(Store::new(&engine, wasi_context(a)?));
    let mut linker = ManuallyDrop::new(Linker::new());
    wasi::add_to_linker(&mut *linker, &mut *store, |ctx| ctx);
    let instance = match linker.instantiate(&mut *store, &module) {
        Ok(i) => i,
        Err(e) => return exit_or_error(e, &a.file),
    };
    let (name, args) = match &a.function {
        Some(f) => (f.as_str(), a.args.as_slice()),
        None => ("_start", &[][..]),
    };
    let func = instance
        .get_func(&*store, name)
        .ok_or_else(|| match &a.function {
            Some(_) => format!("the module exports no function `{name}`"),
            None => "the module exports no `_start` function (use -f FUNC to call another export)"
                .to_string(),
        })?;
    let ty = func.ty(&*store);
    if a.function.is_some() && ty.params().len() != args.len() {
        return Err(format!(
            "`{name}` takes {} argument(s) ({}), {} given",
            ty.params().len(),
            ty,
            args.len()
        )
        .into());
    }
    let params = ty
        .params()
        .iter()
        .zip(args)
        .map(|(t, s)| values::parse(*t, s))
        .collect::<Result<Vec<_>, _>>()?;
    let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
    if let Err(e) = func.call(&mut *store, &params, &mut results) {
        return exit_or_error(e, &a.file);
    }
    for r in &results {
        println!("{}", values::show(r));
    }
    Ok(0)
}

/// Prints what tier-up did when the run ends, however it ends.
struct TierStatsAtExit<'m> {
    #[cfg_attr(not(feature = "fast-jit"), allow(dead_code))]
    module: &'m kiln_runtime::Module,
    print: bool,
}

impl Drop for TierStatsAtExit<'_> {
    fn drop(&mut self) {
        if !self.print {
            return;
        }
        #[cfg(feature = "fast-jit")]
        if let Some(s) = self.module.tier_stats() {
            eprintln!(
                "kiln: tier-up: {} functions ran Fast JIT code, {} became hot, {} moved to LLVM code, {} still queued, {} failed; {} OSR entries made, {} loop transfers; background compile {:.1} ms",
                s.ran_fast_jit,
                s.hot,
                s.tiered,
                s.queued,
                s.failed,
                s.osr_entries,
                s.loop_transfers,
                s.background_compile.as_secs_f64() * 1e3
            );
            return;
        }
        eprintln!("kiln: tier-up: the module does not run in the multi-tier mode");
    }
}

/// A `proc_exit` becomes the exit code (its low 8 bits, as POSIX keeps);
/// anything else is the error, with the trap's backtrace, whose frames
/// name modules without a name after `file`.
fn exit_or_error(e: Error, file: &Path) -> Result<u8, Failure> {
    if let Some(status) = e.as_trap().and_then(|t| t.exit_status()) {
        return Ok(status as u8);
    }
    let module = file
        .file_name()
        .unwrap_or(file.as_os_str())
        .to_string_lossy();
    Err(Failure {
        message: e.to_string(),
        details: e
            .backtrace()
            .filter(|b| !b.is_empty())
            .map(|b| b.display(&module).to_string()),
    })
}

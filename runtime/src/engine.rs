//! The engine: configuration, running modes and the signature registry
//! shared by every module compiled with it.

use crate::error::{Error, Result};
use crate::profiling::ProfilingStrategy;
use crate::types::FuncType;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

/// How wasm code is executed (the WAMR running modes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RunningMode {
    /// The interpreter.
    Interp,
    /// The baseline (Fast) JIT.
    FastJit,
    /// The LLVM JIT, compiling at load.
    LlvmJit,
    /// Fast JIT first, LLVM in the background.
    MultiTierJit,
}

impl RunningMode {
    /// Every mode, in the order the runtime prefers them when none is set.
    pub const PREFERENCE: [RunningMode; 4] = [
        RunningMode::MultiTierJit,
        RunningMode::LlvmJit,
        RunningMode::FastJit,
        RunningMode::Interp,
    ];

    /// The mode's name as used on the command line (`interp`, `fast-jit`, ...).
    pub fn name(self) -> &'static str {
        match self {
            RunningMode::Interp => "interp",
            RunningMode::FastJit => "fast-jit",
            RunningMode::LlvmJit => "llvm-jit",
            RunningMode::MultiTierJit => "multi-tier",
        }
    }
}

impl fmt::Display for RunningMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for RunningMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "interp" => Ok(RunningMode::Interp),
            "fast-jit" => Ok(RunningMode::FastJit),
            "llvm-jit" => Ok(RunningMode::LlvmJit),
            "multi-tier" | "multi-tier-jit" => Ok(RunningMode::MultiTierJit),
            other => Err(Error::usage(format!(
                "unknown running mode `{other}` (expected interp, fast-jit, llvm-jit or multi-tier)"
            ))),
        }
    }
}

impl RunningMode {
    /// Whether the mode compiles with LLVM (opened from its library).
    pub fn needs_llvm(self) -> bool {
        matches!(self, RunningMode::LlvmJit | RunningMode::MultiTierJit)
    }
}

/// Whether LLVM's library can be found (nothing is loaded).
fn llvm_present() -> bool {
    #[cfg(feature = "llvm")]
    return crate::compiled::llvm_plugin::is_present();
    #[cfg(not(feature = "llvm"))]
    return false;
}

/// Whether this build of the runtime can execute in `mode` and the mode is
/// complete (passes the whole spec suite).
pub fn is_running_mode_supported(mode: RunningMode) -> bool {
    match mode {
        RunningMode::Interp => cfg!(feature = "wasm"),
        RunningMode::LlvmJit => cfg!(feature = "llvm"),
        RunningMode::FastJit => cfg!(feature = "fast-jit"),
        RunningMode::MultiTierJit => cfg!(all(feature = "llvm", feature = "fast-jit")),
    }
}

/// Whether `mode` is built in at all, complete or not; an incomplete mode
/// can be chosen with [`Config::allow_incomplete_modes`] (none is today).
pub fn is_running_mode_built(mode: RunningMode) -> bool {
    match mode {
        RunningMode::Interp => cfg!(feature = "wasm"),
        RunningMode::LlvmJit => cfg!(feature = "llvm"),
        RunningMode::FastJit => cfg!(feature = "fast-jit"),
        RunningMode::MultiTierJit => cfg!(all(feature = "llvm", feature = "fast-jit")),
    }
}

/// Checks that `mode` is supported, with an error naming it otherwise.
pub fn check_running_mode(mode: RunningMode) -> Result<()> {
    if is_running_mode_supported(mode) {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "running mode `{mode}` is not supported by this build of kiln"
        )))
    }
}

/// Picks the running mode of a function by its index.
#[derive(Clone)]
pub struct TierChoice(pub std::sync::Arc<dyn Fn(u32) -> RunningMode + Send + Sync>);

impl fmt::Debug for TierChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TierChoice(..)")
    }
}

/// Engine-wide settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// The runtime-wide default running mode; `None` picks the best one built in.
    pub default_mode: Option<RunningMode>,
    /// Size of the wasm value stack of one call from the host, in bytes.
    /// Deeper recursion traps with "call stack exhausted".
    pub stack_size: usize,
    /// Accept modes that are built but not complete (see [`is_running_mode_built`]).
    pub allow_incomplete_modes: bool,
    /// Optimisation level of the LLVM JIT (0-3).
    pub llvm_opt_level: u8,
    /// Where the LLVM JIT keeps the artifacts it compiles, to load them
    /// instead of compiling the same module again (`None`: no cache).
    pub cache_dir: Option<std::path::PathBuf>,
    /// Compile the whole module with the Fast JIT at load instead of each
    /// function on its first call (for measurement, and hosts that forbid
    /// creating code late).
    pub fast_jit_eager: bool,
    /// Which tier runs each defined function of the modules this engine
    /// compiles, by function index (imports first): for tests and tier-up
    /// (`None`: the running mode decides for the whole module).
    pub function_tiers: Option<TierChoice>,
    /// Print the Fast JIT's machine code to stderr as it compiles: `Some("")`
    /// for every function, else a function index or export name.
    pub jit_dump: Option<String>,
    /// Multi-tier: function entries plus loop iterations after which a
    /// function's Fast JIT code is replaced by LLVM's (at least 1).
    pub tier_up_threshold: u32,
    /// Multi-tier: background compiler threads (0: the cores less one, at
    /// least one).
    pub jit_threads: usize,
    /// Multi-tier: compile on the thread whose counter ran out, before it
    /// goes on (for tests: the LLVM code is in place from that moment).
    pub tier_up_sync: bool,
    /// Tell profilers such as Linux `perf` where compiled wasm functions
    /// are: a perf map or a jitdump file in `/tmp` (see
    /// [`ProfilingStrategy`]).
    pub profiling: ProfilingStrategy,
    /// Backtraces give each frame's source file and line from the module's
    /// DWARF (`clang -g`), read when a trap first needs them. Default: on
    /// when the environment variable `KILN_BACKTRACE_DETAILS` is `1`.
    /// Needs the `source-lines` feature.
    pub backtrace_details: bool,
}

/// The default [`Config::tier_up_threshold`].
pub const DEFAULT_TIER_UP_THRESHOLD: u32 = 1000;

impl Default for Config {
    fn default() -> Self {
        Config {
            default_mode: None,
            stack_size: 8 << 20,
            allow_incomplete_modes: false,
            llvm_opt_level: 3,
            cache_dir: None,
            jit_dump: None,
            function_tiers: None,
            fast_jit_eager: false,
            tier_up_threshold: DEFAULT_TIER_UP_THRESHOLD,
            jit_threads: 0,
            tier_up_sync: false,
            profiling: ProfilingStrategy::None,
            backtrace_details: std::env::var_os("KILN_BACKTRACE_DETAILS").is_some_and(|v| v == "1"),
        }
    }
}

/// Shared state of all modules and stores created from one configuration.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<EngineInner>,
}

struct EngineInner {
    config: Config,
    signatures: Mutex<HashMap<FuncType, u32>>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(Config::default()).expect("the default config is valid")
    }
}

impl Engine {
    /// An engine with `config`; fails if the default mode is not built in.
    pub fn new(config: Config) -> Result<Self> {
        if let Some(mode) = config.default_mode {
            if !(config.allow_incomplete_modes && is_running_mode_built(mode)) {
                check_running_mode(mode)?;
            }
        }
        if config.llvm_opt_level > 3 {
            return Err(Error::usage("the LLVM JIT optimisation level must be 0-3"));
        }
        if config.stack_size < 4096 {
            return Err(Error::usage("stack size must be at least 4096 bytes"));
        }
        Ok(Engine {
            inner: Arc::new(EngineInner {
                config,
                signatures: Mutex::new(HashMap::new()),
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The mode used when an instance sets none: the default, or the best
    /// one built in (one that needs LLVM only when its library is there).
    pub fn default_running_mode(&self) -> RunningMode {
        self.inner.config.default_mode.unwrap_or_else(|| {
            RunningMode::PREFERENCE
                .into_iter()
                .find(|m| is_running_mode_supported(*m) && (!m.needs_llvm() || llvm_present()))
                .unwrap_or(RunningMode::Interp)
        })
    }

    /// An artifact of `wasm` for this host, as `kilnc` makes by default
    /// but for the host's own CPU, at the engine's LLVM optimisation level
    /// (wasmtime's `precompile_module`); load it with
    /// [`Module::from_artifact`](crate::Module::from_artifact).
    #[cfg(feature = "llvm")]
    pub fn precompile_module(&self, wasm: &[u8]) -> Result<Vec<u8>> {
        use kiln_format::llvm_plugin::CompileRequest;
        let req = CompileRequest::whole_module(self.config().llvm_opt_level);
        Ok(crate::compiled::llvm_plugin::compile(wasm, req)?)
    }

    /// The engine-wide id of `ty`: equal signatures get equal ids.
    pub(crate) fn intern_signature(&self, ty: &FuncType) -> u32 {
        let mut sigs = self
            .inner
            .signatures
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(&id) = sigs.get(ty) {
            return id;
        }
        let next = sigs.len() as u32;
        sigs.insert(ty.clone(), next);
        next
    }

    pub(crate) fn same(&self, other: &Engine) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::ValType;

    #[test]
    fn equal_signatures_share_an_id() {
        let e = Engine::default();
        let a = e.intern_signature(&FuncType::new([ValType::I32], []));
        let b = e.intern_signature(&FuncType::new([ValType::I64], []));
        let c = e.intern_signature(&FuncType::new([ValType::I32], []));
        assert_eq!(a, c);
        assert_ne!(a, b);
    }

    #[test]
    fn modes_not_built_are_named_and_the_best_built_one_is_the_default() {
        assert_eq!(
            is_running_mode_supported(RunningMode::Interp),
            cfg!(feature = "wasm")
        );
        let both = cfg!(all(feature = "llvm", feature = "fast-jit"));
        let multi_tier = check_running_mode(RunningMode::MultiTierJit);
        assert_eq!(multi_tier.is_ok(), both);
        if let Err(e) = multi_tier {
            assert!(e.to_string().contains("multi-tier"));
        }
        assert_eq!(
            check_running_mode(RunningMode::FastJit).is_ok(),
            cfg!(feature = "fast-jit")
        );
        // The LLVM modes are the default only when LLVM's library is there.
        let llvm = cfg!(feature = "llvm") && llvm_present();
        let best = if both && llvm {
            RunningMode::MultiTierJit
        } else if llvm {
            RunningMode::LlvmJit
        } else if cfg!(feature = "fast-jit") {
            RunningMode::FastJit
        } else {
            RunningMode::Interp
        };
        assert_eq!(Engine::default().default_running_mode(), best);
        let cfg = Config {
            default_mode: Some(RunningMode::MultiTierJit),
            ..Config::default()
        };
        assert_eq!(Engine::new(cfg).is_ok(), both);
    }
}

//! The mode a script is run in, and whether this build supports it.

use kiln_runtime::RunningMode;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

static INCOMPLETE: AtomicBool = AtomicBool::new(false);
static TIER_UP_THRESHOLD: AtomicU32 = AtomicU32::new(kiln_runtime::DEFAULT_TIER_UP_THRESHOLD);
static TIER_UP_SYNC: AtomicBool = AtomicBool::new(false);

/// Whether the multi-tier mode compiles on the thread that found a
/// function hot (see `Config::tier_up_sync`). Process-wide.
pub fn set_tier_up_sync(sync: bool) {
    TIER_UP_SYNC.store(sync, Ordering::Relaxed);
}

/// The multi-tier mode's threshold for the engines scripts run in
/// (`kiln wast --tier-up-threshold`). Process-wide.
pub fn set_tier_up_threshold(n: u32) {
    TIER_UP_THRESHOLD.store(n.max(1), Ordering::Relaxed);
}

/// The configuration scripts run `running` with.
pub fn config_for(running: RunningMode) -> kiln_runtime::Config {
    kiln_runtime::Config {
        default_mode: Some(running),
        allow_incomplete_modes: incomplete_modes_allowed(),
        tier_up_threshold: TIER_UP_THRESHOLD.load(Ordering::Relaxed),
        tier_up_sync: TIER_UP_SYNC.load(Ordering::Relaxed),
        ..kiln_runtime::Config::default()
    }
}

/// Lets scripts run in modes that are built but not complete (the LLVM JIT
/// and AOT while the compiler lacks some instructions). Process-wide.
pub fn allow_incomplete_modes(allow: bool) {
    INCOMPLETE.store(allow, Ordering::Relaxed);
}

/// Whether incomplete modes were allowed.
pub fn incomplete_modes_allowed() -> bool {
    INCOMPLETE.load(Ordering::Relaxed)
}

/// A runtime running mode, or ahead-of-time compiled artifacts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// One of the runtime's interpreter/JIT modes.
    Running(RunningMode),
    /// Compile to an artifact, serialise it, load it back from bytes.
    Aot,
}

impl Mode {
    /// The interpreter.
    pub const INTERP: Mode = Mode::Running(RunningMode::Interp);

    /// The mode's command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Running(m) => m.name(),
            Mode::Aot => "aot",
        }
    }

    /// Whether this build can run scripts in this mode; the error names it.
    pub fn check(self) -> Result<(), String> {
        let built = match self {
            Mode::Running(m) => kiln_runtime::is_running_mode_built(m),
            Mode::Aot => kiln_runtime::is_running_mode_built(RunningMode::LlvmJit),
        };
        // AOT uses the same compiler as the LLVM JIT.
        let supported = match self {
            Mode::Running(m) => kiln_runtime::is_running_mode_supported(m),
            Mode::Aot => kiln_runtime::is_running_mode_supported(RunningMode::LlvmJit),
        };
        match self {
            _ if supported => Ok(()),
            _ if built && incomplete_modes_allowed() => Ok(()),
            _ if built => Err(format!(
                "running mode `{}` is not complete in this build of kiln (pass --experimental to run it anyway)",
                self.name()
            )),
            _ => Err(format!(
                "running mode `{}` is not supported by this build of kiln",
                self.name()
            )),
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Mode {
    type Err = String;

    fn from_str(s: &str) -> Result<Mode, String> {
        if s == "aot" {
            return Ok(Mode::Aot);
        }
        s.parse::<RunningMode>().map(Mode::Running).map_err(|_| {
            format!("unknown mode `{s}` (expected interp, fast-jit, llvm-jit, multi-tier or aot)")
        })
    }
}

/// Every mode this build can run, interpreter first.
pub fn built_modes() -> Vec<Mode> {
    let mut out = vec![Mode::INTERP];
    if kiln_runtime::is_running_mode_supported(RunningMode::FastJit) {
        out.push(Mode::Running(RunningMode::FastJit));
    }
    if kiln_runtime::is_running_mode_supported(RunningMode::LlvmJit) {
        out.push(Mode::Running(RunningMode::LlvmJit));
        out.push(Mode::Aot);
    }
    out
}

/// An engine whose instances run in `mode` (AOT modules come from
/// [`compile_in`], so its engine interprets nothing else).
pub fn engine_for(mode: Mode) -> Result<kiln_runtime::Engine, kiln_runtime::Error> {
    let running = match mode {
        Mode::Running(m) => m,
        Mode::Aot => RunningMode::Interp,
    };
    kiln_runtime::Engine::new(config_for(running))
}

/// `wasm` compiled for `mode`: through an artifact for AOT.
pub fn compile_in(
    engine: &kiln_runtime::Engine,
    mode: Mode,
    wasm: &[u8],
) -> Result<kiln_runtime::Module, kiln_runtime::Error> {
    match mode {
        Mode::Aot => crate::aot::through_artifact(engine, wasm),
        _ => kiln_runtime::Module::new(engine, wasm),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unsupported_modes_are_named() {
        for name in ["interp", "fast-jit", "llvm-jit", "multi-tier", "aot"] {
            assert_eq!(name.parse::<Mode>().unwrap().name(), name);
        }
        assert!("jit".parse::<Mode>().unwrap_err().contains("`jit`"));
        assert!(Mode::INTERP.check().is_ok());
        assert_eq!(Mode::Aot.check().is_ok(), cfg!(feature = "llvm"));
        assert_eq!(
            Mode::Running(RunningMode::FastJit).check().is_ok(),
            cfg!(feature = "fast-jit")
        );
        let multi_tier = Mode::Running(RunningMode::MultiTierJit).check();
        match kiln_runtime::is_running_mode_built(RunningMode::MultiTierJit) {
            true => assert!(multi_tier.is_ok()),
            false => assert_eq!(
                multi_tier.unwrap_err(),
                "running mode `multi-tier` is not supported by this build of kiln"
            ),
        }
    }
}

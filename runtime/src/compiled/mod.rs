//! Compiled code: modules loaded from artifacts (AOT), compiled in
//! process by LLVM (the LLVM JIT) or by the Fast JIT, and running them.
//!
//! The LLVM paths end in artifact bytes checked and mapped by
//! `kiln-loader`; the Fast JIT's code is mapped directly ([`fast_jit`]).
//! Either way the functions become the `wasm_call` of the instance's
//! `VMFuncRef`s. Host-to-wasm calls go through the artifact's
//! per-signature `array_call` trampolines; host imports are reached through
//! its `wasm_call` trampolines, which call back into [`intrinsics`].

mod bulk;
#[cfg(feature = "llvm")]
mod cache;
mod entry;
#[cfg(feature = "fast-jit")]
mod fast_jit;
mod frames;
mod function_code;
pub(crate) mod host_callee;
mod intrinsics;
#[cfg(feature = "fast-jit")]
mod lazy;
#[cfg(feature = "llvm")]
pub(crate) mod llvm_plugin;
#[cfg(all(feature = "fast-jit", feature = "llvm"))]
mod tier_cache;
#[cfg(feature = "fast-jit")]
mod tier_osr;
#[cfg(feature = "fast-jit")]
mod tier_pool;
#[cfg(feature = "fast-jit")]
pub(crate) mod tier_up;
#[cfg(feature = "fast-jit")]
mod tiers;

pub(crate) use entry::call_compiled;
#[cfg(feature = "fast-jit")]
pub(crate) use fast_jit::compile_module as compile_fast_jit;
pub(crate) use function_code::{function_code, tier_of};
#[cfg(feature = "fast-jit")]
pub(crate) use tiers::{compile_module as compile_tiers, FunctionTiers};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::module::ModuleInner;
use crate::vm::traps::{CodeRange, Registration};
#[cfg(feature = "llvm")]
use kiln_format::llvm_plugin::CompileRequest;
use kiln_loader::{LoadOptions, LoadedArtifact};

/// Native code mapped for execution, with its code registered for traps
/// and for backtraces.
pub(crate) struct CompiledCode {
    // Fields drop in order: the registrations go before the code is freed.
    _frames: Registration,
    _range: CodeRange,
    native: Native,
}

enum Native {
    /// A loaded artifact (AOT or LLVM JIT).
    Artifact(Box<LoadedArtifact>),
    /// Code from the Fast JIT.
    #[cfg(feature = "fast-jit")]
    FastJit(fast_jit::FastJitCode),
}

impl CompiledCode {
    /// The native code of function `index` (`None` for imports).
    pub fn func(&self, index: u32) -> Option<usize> {
        match &self.native {
            Native::Artifact(a) => a.func(index),
            #[cfg(feature = "fast-jit")]
            Native::FastJit(j) => j.func(index),
        }
    }

    /// The OSR entries this code holds: ((function index, loop ordinal),
    /// address); only partial artifacts made for tier-up have them.
    #[cfg(feature = "fast-jit")]
    pub fn osr_entries(&self) -> Vec<((u32, u32), usize)> {
        match &self.native {
            Native::Artifact(a) => a.osr_entries().collect(),
            Native::FastJit(_) => Vec::new(),
        }
    }

    /// The lazy-compile state, for Fast JIT code compiled lazily.
    #[cfg(feature = "fast-jit")]
    fn lazy(&self) -> Option<&lazy::LazyCode> {
        match &self.native {
            Native::FastJit(j) => j.lazy.as_ref(),
            Native::Artifact(_) => None,
        }
    }

    /// The tier-up state, for Fast JIT code compiled with tier-up.
    #[cfg(feature = "fast-jit")]
    pub(crate) fn tier_up(&self) -> Option<&std::sync::Arc<tier_up::TierUp>> {
        match &self.native {
            Native::FastJit(j) => j.tier_up.as_ref(),
            Native::Artifact(_) => None,
        }
    }

    /// The tier whose code this is (AOT artifacts hold LLVM code).
    pub fn tier(&self) -> crate::RunningMode {
        match &self.native {
            Native::Artifact(_) => crate::RunningMode::LlvmJit,
            #[cfg(feature = "fast-jit")]
            Native::FastJit(_) => crate::RunningMode::FastJit,
        }
    }

    /// The host-to-wasm trampoline of type `type_index`.
    pub fn array_call(&self, type_index: u32) -> Option<usize> {
        match &self.native {
            Native::Artifact(a) => a.array_call(type_index),
            #[cfg(feature = "fast-jit")]
            Native::FastJit(j) => j.array_call(type_index),
        }
    }

    /// The trampoline into the interpreter for a function of type
    /// `type_index` (Fast JIT code compiled for mixed tiers only).
    #[cfg(feature = "fast-jit")]
    pub fn interp_call(&self, type_index: u32) -> Option<usize> {
        match &self.native {
            Native::Artifact(_) => None,
            Native::FastJit(j) => j.interp_call(type_index),
        }
    }

    /// The wasm-to-host trampoline of type `type_index`.
    pub fn wasm_call(&self, type_index: u32) -> Option<usize> {
        match &self.native {
            Native::Artifact(a) => a.wasm_call(type_index),
            #[cfg(feature = "fast-jit")]
            Native::FastJit(j) => j.wasm_call(type_index),
        }
    }
}

/// Background compiles (tier-up) queued or running in this process.
pub fn background_compiles() -> usize {
    #[cfg(feature = "fast-jit")]
    return tier_pool::outstanding();
    #[cfg(not(feature = "fast-jit"))]
    0
}

/// Ends the process with `code` at once, after flushing stdout and stderr,
/// without running exit handlers: background compiler threads may be
/// inside LLVM, whose static destructors must not run under them.
pub fn exit_now(code: u8) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: `_exit` ends the process; nothing after it runs.
    unsafe { libc::_exit(code as i32) }
}

/// Loads artifact `bytes` (checked against `wasm` when given) into a module.
pub(crate) fn load_module(
    engine: &Engine,
    bytes: &[u8],
    wasm: Option<&[u8]>,
) -> Result<ModuleInner> {
    let artifact = load_artifact(bytes, wasm, false)?;
    artifact_module(engine, artifact, Some(bytes), wasm)
}

/// Loads the artifact file at `path` (checked against `wasm` when given)
/// into a module, mapping it rather than reading it.
pub(crate) fn load_module_file(
    engine: &Engine,
    path: &std::path::Path,
    wasm: Option<&[u8]>,
) -> Result<ModuleInner> {
    let resolver = intrinsics::resolve;
    let mut opts = LoadOptions::new(&resolver);
    opts.wasm = wasm;
    let artifact =
        kiln_loader::load_file(path, &opts).map_err(|e| Error::Artifact(e.to_string()))?;
    artifact_module(engine, Box::new(artifact), None, wasm)
}

/// The module of a loaded artifact whose file's bytes are `bytes` (or,
/// when it was loaded from a file, its mapping).
fn artifact_module(
    engine: &Engine,
    artifact: Box<LoadedArtifact>,
    bytes: Option<&[u8]>,
    wasm: Option<&[u8]>,
) -> Result<ModuleInner> {
    let mut inner = crate::module::module_inner(engine, artifact.metadata(), artifact.data())?;
    let bytes = bytes.or(artifact.file_bytes()).unwrap_or_default();
    let lines = frames::lines(engine, &artifact, bytes, wasm);
    inner.code = Some(artifact_code(engine, artifact, "aot", lines)?);
    Ok(inner)
}

/// Checks and maps artifact `bytes` (checked against `wasm` when given;
/// `partial`: code for only some functions, as tier-up compiles).
fn load_artifact(bytes: &[u8], wasm: Option<&[u8]>, partial: bool) -> Result<Box<LoadedArtifact>> {
    let resolver = intrinsics::resolve;
    let mut opts = LoadOptions::new(&resolver);
    opts.wasm = wasm;
    opts.partial = partial;
    let artifact = kiln_loader::load(bytes, &opts).map_err(|e| Error::Artifact(e.to_string()))?;
    Ok(Box::new(artifact))
}

/// The code of a loaded artifact, registered with the trap handler (its
/// frames showing source lines from `lines`) and reported to the engine's
/// profiler as made by `tier`.
fn artifact_code(
    engine: &Engine,
    artifact: Box<LoadedArtifact>,
    tier: &str,
    lines: frames::Lines,
) -> Result<CompiledCode> {
    let code = artifact.code_range();
    let range = CodeRange::register(code.start, code.end)
        .ok_or_else(|| Error::Resource("too many code images registered".into()))?;
    let frames = frames::register(code, frames::artifact_map(&artifact, lines));
    if let Some(agent) = crate::profiling::agent(engine.config().profiling) {
        crate::profiling::record_artifact(agent, &artifact, tier);
    }
    Ok(CompiledCode {
        native: Native::Artifact(artifact),
        _range: range,
        _frames: frames,
    })
}

/// Validates and reads `wasm` (once), then compiles it in process with LLVM.
#[cfg(feature = "llvm")]
pub(crate) fn compile_module(engine: &Engine, wasm: &[u8]) -> Result<ModuleInner> {
    // Keep the function bodies too, so an instance may still be interpreted.
    let mut inner = crate::module::parse_wasm(engine, wasm)?;
    inner.code = Some(llvm_code(engine, wasm, true)?);
    Ok(inner)
}

/// LLVM's code for `wasm`, which the caller has validated, with or without
/// direct calls between the module's functions (without: every call
/// through `VMFuncRef::wasm_call`).
#[cfg(feature = "llvm")]
pub(crate) fn llvm_code(engine: &Engine, wasm: &[u8], direct_calls: bool) -> Result<CompiledCode> {
    let mut req = CompileRequest::whole_module(engine.config().llvm_opt_level);
    req.direct_calls = direct_calls;
    req.wasm_validated = true;
    let entry = match engine.config().cache_dir.as_deref() {
        Some(dir) => {
            let what = format!("direct-calls={direct_calls}");
            let settings = cache::settings(&llvm_plugin::describe()?, &req, &what);
            Some(cache::entry(dir, wasm, &settings))
        }
        None => None,
    };
    let cached = entry.as_deref().and_then(cache::read);
    let from_cache = cached.and_then(|bytes| {
        let loaded = load_artifact(&bytes, Some(wasm), false).ok()?;
        let lines = frames::lines(engine, &loaded, &bytes, Some(wasm));
        Some((loaded, lines))
    });
    let (loaded, lines) = match from_cache {
        Some(done) => done,
        None => {
            let bytes = llvm_plugin::compile(wasm, req)?;
            let loaded = load_artifact(&bytes, Some(wasm), false)?;
            if let Some(path) = &entry {
                cache::write(path, &bytes);
            }
            let lines = frames::lines(engine, &loaded, &bytes, Some(wasm));
            (loaded, lines)
        }
    };
    artifact_code(engine, loaded, "llvm", lines)
}

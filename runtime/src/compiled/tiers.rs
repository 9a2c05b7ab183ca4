//! Modules whose functions run in different tiers ([`crate::Config::function_tiers`]):
//! each defined function is run by the interpreter, the Fast JIT or the
//! LLVM JIT, and every function reaches every other through its
//! `VMFuncRef`, whatever the tiers. The Fast JIT's code of the module
//! provides the trampolines (host to wasm, wasm to host, and into the
//! interpreter); the LLVM code, when some function asks for it, is compiled
//! without direct calls so that no call bypasses the table.
//!
//! [`super::function_code`] gives each function its code.

use super::CompiledCode;
use crate::engine::{Engine, RunningMode};
use crate::error::{Error, Result};
use crate::module::ModuleInner;

/// The tier of each defined function, and the LLVM code if any uses it.
pub(crate) struct FunctionTiers {
    pub by_def: Vec<RunningMode>,
    pub llvm: Option<CompiledCode>,
}

/// Validates and compiles `wasm` for the tiers the engine's
/// `function_tiers` picks.
pub(crate) fn compile_module(engine: &Engine, wasm: &[u8]) -> Result<ModuleInner> {
    let pick = engine
        .config()
        .function_tiers
        .clone()
        .ok_or_else(|| Error::usage("no function tiers configured"))?;
    let mut inner = super::fast_jit::compile_module(engine, wasm, true)?;
    let imported = inner.num_imported_funcs;
    let by_def: Vec<RunningMode> = (0..inner.num_defined_funcs() as u32)
        .map(|d| (pick.0)(imported + d))
        .collect();
    if let Some(m) = by_def
        .iter()
        .find(|m| matches!(m, RunningMode::MultiTierJit))
    {
        return Err(Error::usage(format!(
            "a function cannot run in mode `{m}`: pick interp, fast-jit or llvm-jit"
        )));
    }
    let llvm = if by_def.contains(&RunningMode::LlvmJit) {
        Some(llvm_code(engine, wasm)?)
    } else {
        None
    };
    inner.tiers = Some(Box::new(FunctionTiers { by_def, llvm }));
    Ok(inner)
}

#[cfg(feature = "llvm")]
fn llvm_code(engine: &Engine, wasm: &[u8]) -> Result<CompiledCode> {
    // `wasm` was validated when the Fast JIT's module was read.
    super::llvm_code(engine, wasm, false)
}

#[cfg(not(feature = "llvm"))]
fn llvm_code(_engine: &Engine, _wasm: &[u8]) -> Result<CompiledCode> {
    Err(Error::usage(
        "running mode `llvm-jit` is not supported by this build of kiln",
    ))
}

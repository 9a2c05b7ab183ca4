//! Where each function of an instance gets its code: the one place that
//! decides, per function, which tier runs it (the module's native code, or
//! the tier [`crate::Config::function_tiers`] picks).

use super::CompiledCode;
use crate::engine::RunningMode;
use crate::func::FuncEntity;
use crate::module::ModuleInner;

/// What a function's `VMFuncRef` holds.
pub(crate) struct FunctionCode {
    pub wasm_call: usize,
    pub array_call: usize,
    /// A context other than the instance's (the interpreter's entry takes
    /// the function's entity).
    pub vmctx: Option<*mut u8>,
}

/// The code of function `index` (of type `type_index`) from `code`, the
/// module's native code, or from the tier `m.tiers` picks for it.
pub(crate) fn function_code(
    m: &ModuleInner,
    code: &CompiledCode,
    index: u32,
    type_index: u32,
    entity: *const FuncEntity,
) -> FunctionCode {
    let array_call = code.array_call(type_index).unwrap_or(0);
    #[cfg(feature = "fast-jit")]
    let tier = m
        .tiers
        .as_ref()
        .map(|t| (t, t.by_def[(index - m.num_imported_funcs) as usize]));
    #[cfg(not(feature = "fast-jit"))]
    let tier: Option<(&(), RunningMode)> = {
        let _ = (m, entity);
        None
    };
    match tier {
        #[cfg(feature = "fast-jit")]
        Some((_, RunningMode::Interp)) => FunctionCode {
            wasm_call: code.interp_call(type_index).unwrap_or(0),
            // The interpreter runs it when called from the host.
            array_call: 0,
            vmctx: Some(entity as *mut u8),
        },
        #[cfg(feature = "fast-jit")]
        Some((t, RunningMode::LlvmJit)) => FunctionCode {
            wasm_call: t.llvm.as_ref().and_then(|l| l.func(index)).unwrap_or(0),
            array_call,
            vmctx: None,
        },
        _ => FunctionCode {
            wasm_call: code.func(index).unwrap_or(0),
            array_call,
            vmctx: None,
        },
    }
}

/// The tier that runs defined function `def_index` of `m`, whose
/// `VMFuncRef` is `vmref` (no native host-to-wasm entry: interpreted).
pub(crate) fn tier_of(
    m: &ModuleInner,
    def_index: u32,
    vmref: &crate::vm::VMFuncRef,
) -> RunningMode {
    #[cfg(feature = "fast-jit")]
    if let Some(t) = &m.tiers {
        return t.by_def[def_index as usize];
    }
    let _ = def_index;
    match &m.code {
        Some(code) if !vmref.array_call.is_null() => code.tier(),
        _ => RunningMode::Interp,
    }
}

//! Kiln's Fast JIT: a one-pass baseline compiler from WebAssembly to
//! machine code, for quick start-up without LLVM.
//!
//! Layers:
//! - [`codegen`]: target-independent; walks each function's operators once
//!   with a value stack of abstract locations (registers, constants, lazy
//!   locals, pending compares, home slots), allocates registers, keeps the
//!   most used integer locals in callee-saved registers and the memory base
//!   in a register.
//! - [`masm`]: the [`masm::MacroAssembler`] trait a target implements.
//! - [`x64`]: the x86-64 backend on iced-x86's encoder.
//!
//! The code follows the contracts every Kiln tier shares (format-spec):
//! the `VMContext` layout of [`kiln_format::VMOffsets`], the native calling
//! convention `(vmctx, params.. [, ret_area])`, calls between functions
//! through `VMFuncRef::wasm_call` (so code of any tier can be swapped in),
//! traps through `kiln_rt_trap` and guard pages, and the per-signature
//! `array_call`/`wasm_call` trampolines. The crate depends on kiln-format,
//! wasmparser and iced-x86 only; the runtime maps the code it returns.

mod codegen;
#[cfg(feature = "dump")]
pub mod dump;
mod helpers;
pub mod lazy;
pub mod masm;
mod trampolines;
pub mod x64;

use kiln_format::intrinsics as k;
use kiln_format::module_env::ModuleEnv;
use masm::MacroAssembler;
use std::fmt;

/// Why a module could not be compiled.
#[derive(Debug)]
pub enum CompileError {
    /// The module could not be read.
    Wasm(wasmparser::BinaryReaderError),
    /// An operator this compiler does not translate yet.
    Unsupported(String),
    /// A limit of this compiler.
    Limit(String),
    /// A runtime symbol the code needs was not provided.
    Unresolved(&'static str),
    /// The backend failed to encode an instruction (a compiler bug).
    Encoding(String),
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::Wasm(e) => write!(f, "{e}"),
            CompileError::Unsupported(op) => {
                write!(f, "the Fast JIT does not support `{op}` yet")
            }
            CompileError::Limit(m) => f.write_str(m),
            CompileError::Unresolved(s) => write!(f, "runtime symbol `{s}` is missing"),
            CompileError::Encoding(m) => write!(f, "Fast JIT encoding error: {m}"),
        }
    }
}

impl std::error::Error for CompileError {}

impl From<wasmparser::BinaryReaderError> for CompileError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        CompileError::Wasm(e)
    }
}

/// Addresses of the runtime intrinsics compiled code calls.
pub struct Runtime {
    pub(crate) trap: usize,
    pub(crate) memory_grow: usize,
    pub(crate) memory_init: usize,
    pub(crate) data_drop: usize,
    pub(crate) table_grow: usize,
    pub(crate) table_fill: usize,
    pub(crate) table_copy: usize,
    pub(crate) table_init: usize,
    pub(crate) elem_drop: usize,
    pub(crate) call_host: usize,
}

impl Runtime {
    /// Resolves every intrinsic through `resolve` (by its format-spec name).
    pub fn resolve(resolve: &dyn Fn(&str) -> Option<usize>) -> Result<Runtime, CompileError> {
        let get = |i: &k::Intrinsic| resolve(i.name).ok_or(CompileError::Unresolved(i.name));
        Ok(Runtime {
            trap: get(&k::TRAP)?,
            memory_grow: get(&k::MEMORY_GROW)?,
            memory_init: get(&k::MEMORY_INIT)?,
            data_drop: get(&k::DATA_DROP)?,
            table_grow: get(&k::TABLE_GROW)?,
            table_fill: get(&k::TABLE_FILL)?,
            table_copy: get(&k::TABLE_COPY)?,
            table_init: get(&k::TABLE_INIT)?,
            elem_drop: get(&k::ELEM_DROP)?,
            call_host: get(&k::CALL_HOST)?,
        })
    }
}

/// A module's machine code, position-independent, with entry offsets.
pub struct CompiledModule {
    /// The code of every function and trampoline.
    pub code: Vec<u8>,
    /// Offset of each function's code, by function index (`None` for imports).
    pub funcs: Vec<Option<usize>>,
    /// Offset of the `array_call` trampoline, by type index.
    pub array_calls: Vec<Option<usize>>,
    /// Offset of the host-call `wasm_call` trampoline, by type index.
    pub wasm_calls: Vec<Option<usize>>,
    /// With [`Options::interp_entry`]: offset of the trampoline that enters
    /// the interpreter for a function of this type, by type index.
    pub interp_calls: Vec<Option<usize>>,
    /// Bytes of function bodies compiled (the code section's payload).
    pub body_bytes: usize,
    /// Per function compiled: the code range and the (wasm byte offset,
    /// code offset) of each operator and trap stub (for backtraces and
    /// `--jit-dump`).
    pub source_maps: Vec<SourceMap>,
}

/// Where one function's code is and which wasm operator each part came from.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    /// The function index.
    pub func: u32,
    /// Offsets of the function's code.
    pub code: std::ops::Range<usize>,
    /// (wasm byte offset, code offset) of each operator, in order, then of
    /// each trap stub (the offset of the operator that traps there).
    pub operators: Vec<(u32, u32)>,
}

/// Hotness counting for tier-up: where the runtime keeps, by function
/// index, a counter (`i32`) each function's entry and loop headers count
/// down, and a code slot (`usize`, 0 or the address of better code) each
/// function's entry jumps to when set.
#[derive(Clone, Copy, Debug)]
pub struct TierUp {
    /// Address of the counters.
    pub counters: usize,
    /// Address of the code slots.
    pub slots: usize,
    /// Address of the armed loops (`u32` by function index): the ordinal
    /// of a loop whose OSR entry exists, or `NO_LOOP`; an outermost loop
    /// calls the hook at its header when it is the one armed.
    pub armed: usize,
    /// `usize fn(vmctx, func_index, here, outer)` (loop ordinals), called when a counter
    /// drops below zero; returns 0 or an OSR entry to move to
    /// (format-spec `osr`).
    pub hook: usize,
}

/// How to compile.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Count hotness and jump to tiered-up code (see [`TierUp`]).
    pub tier_up: Option<TierUp>,
    /// Compile no function now: each starts as a stub calling this address
    /// (`fn(vmctx, func_index) -> code`, see [`lazy`]) on its first call.
    pub lazy_entry: Option<usize>,
    /// Also emit, for the type of every defined function, a `wasm_call`
    /// trampoline calling this address (`fn(ctx, slots)`, like
    /// `kiln_rt_call_host`): how native code of any tier calls a function
    /// that the interpreter runs.
    pub interp_entry: Option<usize>,
}

pub(crate) fn body_len(body: &wasmparser::FunctionBody<'_>) -> usize {
    let r = body.range();
    (r.end - r.start) as usize
}

/// Compiles every function of `wasm`, which the caller has validated.
pub fn compile_module(
    wasm: &[u8],
    rt: &Runtime,
    options: &Options,
) -> Result<CompiledModule, CompileError> {
    let env = ModuleEnv::read(wasm)?;
    let mut masm = x64::X64::new(x64::Features::host());
    let mut scratch = codegen::Scratch::default();
    let cx = codegen::ModuleCx {
        env: &env,
        rt,
        tier_up: options.tier_up,
    };
    // Machine code is typically about twice the size of the bodies.
    let total: usize = env.bodies.iter().map(|b| body_len(b)).sum();
    masm.reserve(total * 5 / 2 + 4096);
    let mut funcs = vec![None; env.func_types.len()];
    let mut body_bytes = 0;
    let mut source_maps = Vec::new();
    if let Some(entry) = options.lazy_entry {
        lazy::stubs(&mut masm, &env, entry, &mut funcs);
    }
    let eager = if options.lazy_entry.is_some() {
        &[][..]
    } else {
        &env.bodies[..]
    };
    for (i, body) in eager.iter().enumerate() {
        body_bytes += body_len(body);
        let index = env.num_imported_funcs + i as u32;
        masm.align_code(16);
        funcs[index as usize] = Some(masm.offset());
        source_maps.push(compile_mapped(&mut masm, &cx, index, body, &mut scratch)?);
    }
    let mut array_calls = vec![None; env.types.len()];
    let mut wasm_calls = vec![None; env.types.len()];
    for t in env.array_call_types() {
        masm.align_code(16);
        array_calls[t as usize] = Some(masm.offset());
        trampolines::array_call(&mut masm, &env.types[t as usize]);
    }
    for t in env.host_call_types() {
        masm.align_code(16);
        wasm_calls[t as usize] = Some(masm.offset());
        trampolines::wasm_call(&mut masm, &env.types[t as usize], rt.call_host);
    }
    let mut interp_calls = vec![None; env.types.len()];
    if let Some(entry) = options.interp_entry {
        let defined: std::collections::BTreeSet<u32> = env.func_types
            [env.num_imported_funcs as usize..]
            .iter()
            .copied()
            .collect();
        for t in defined {
            masm.align_code(16);
            interp_calls[t as usize] = Some(masm.offset());
            trampolines::wasm_call(&mut masm, &env.types[t as usize], entry);
        }
    }
    if let Some(e) = masm.error() {
        return Err(CompileError::Encoding(e));
    }
    let code = masm.finish();
    Ok(CompiledModule {
        code,
        funcs,
        array_calls,
        wasm_calls,
        interp_calls,
        body_bytes,
        source_maps,
    })
}

/// Compiles function `index` at the current offset of `masm`, with its
/// source map.
pub(crate) fn compile_mapped<M: MacroAssembler>(
    masm: &mut M,
    cx: &codegen::ModuleCx<'_>,
    index: u32,
    body: &wasmparser::FunctionBody<'_>,
    scratch: &mut codegen::Scratch,
) -> Result<SourceMap, CompileError> {
    let start = masm.offset();
    let mut operators = Vec::new();
    codegen::compile_function(masm, cx, index, body, scratch, &mut operators)?;
    Ok(SourceMap {
        func: index,
        code: start..masm.offset(),
        operators,
    })
}

/// Compiles a `wasm_call` trampoline for each of `types`, calling `target`
/// (`fn(ctx, slots)`): the code and each trampoline's offset in it.
pub fn compile_call_trampolines(
    types: &[wasmparser::FuncType],
    target: usize,
) -> Result<(Vec<u8>, Vec<usize>), CompileError> {
    let mut masm = x64::X64::new(x64::Features::host());
    let mut offsets = Vec::with_capacity(types.len());
    for ty in types {
        masm.align_code(16);
        offsets.push(masm.offset());
        trampolines::wasm_call(&mut masm, ty, target);
    }
    if let Some(e) = masm.error() {
        return Err(CompileError::Encoding(e));
    }
    Ok((masm.finish(), offsets))
}

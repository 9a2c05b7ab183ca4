//! Lazy compilation: a module starts with a small stub per function that,
//! on the function's first call, asks the runtime to compile it (with the
//! functions after it, up to a budget, as one batch mapped at once) and then
//! jumps to the compiled code with the call's arguments untouched.

use crate::masm::{Label, MacroAssembler};
use crate::{body_len, codegen, CompileError, Runtime};
use kiln_format::module_env::ModuleEnv;

/// Bytes of function bodies compiled together when a stub fires.
pub const BATCH_BYTES: usize = 256 << 10;

/// Emits the shared entry and one stub per defined function; records each
/// stub's offset in `funcs` (by function index).
pub(crate) fn stubs<M: MacroAssembler>(
    masm: &mut M,
    env: &ModuleEnv<'_>,
    compile_fn: usize,
    funcs: &mut [Option<usize>],
) {
    let common: Label = masm.new_label();
    for i in 0..env.bodies.len() as u32 {
        let index = env.num_imported_funcs + i;
        funcs[index as usize] = Some(masm.offset());
        masm.lazy_stub(index, common);
    }
    masm.align_code(16);
    masm.bind(common);
    masm.lazy_common(compile_fn);
}

/// One batch of compiled functions, position-independent.
pub struct Batch {
    /// The code.
    pub code: Vec<u8>,
    /// (function index, offset of its code), in order.
    pub funcs: Vec<(u32, usize)>,
    /// Where each function's code is and the module offsets in it.
    pub source_maps: Vec<crate::SourceMap>,
    /// Bytes of function bodies compiled.
    pub body_bytes: usize,
}

/// Compiles function `first` of `wasm` (validated) and the defined
/// functions after it that `wanted` accepts, until [`BATCH_BYTES`] of
/// bodies.
pub fn compile_batch(
    wasm: &[u8],
    rt: &Runtime,
    first: u32,
    wanted: &dyn Fn(u32) -> bool,
    tier_up: Option<crate::TierUp>,
) -> Result<Batch, CompileError> {
    let env = ModuleEnv::read(wasm)?;
    let mut masm = crate::x64::X64::new(crate::x64::Features::host());
    let mut scratch = codegen::Scratch::default();
    let cx = codegen::ModuleCx {
        env: &env,
        rt,
        tier_up,
    };
    let (mut funcs, mut body_bytes, mut source_maps) = (Vec::new(), 0, Vec::new());
    let start = first.saturating_sub(env.num_imported_funcs) as usize;
    for (i, body) in env.bodies.iter().enumerate().skip(start) {
        let index = env.num_imported_funcs + i as u32;
        if index != first && (body_bytes >= BATCH_BYTES || !wanted(index)) {
            break;
        }
        body_bytes += body_len(body);
        masm.align_code(16);
        funcs.push((index, masm.offset()));
        source_maps.push(crate::compile_mapped(
            &mut masm,
            &cx,
            index,
            body,
            &mut scratch,
        )?);
    }
    if let Some(e) = masm.error() {
        return Err(CompileError::Encoding(e));
    }
    Ok(Batch {
        code: masm.finish(),
        funcs,
        body_bytes,
        source_maps,
    })
}

//! Lazy Fast JIT compilation: every function of a module compiled lazily
//! starts as a stub in the module's code; its first call lands in
//! [`kiln_rt_lazy_compile`], which compiles it (and the functions after it,
//! up to a batch budget, mapped executable at once), points the calling
//! instance's `VMFuncRef` at the code with one atomic store, and returns
//! the code for the stub to jump to. Other instances of the module find the
//! code compiled on their own first call.

use super::fast_jit::runtime_symbols;
use crate::error::{Error, Result, Trap};
use crate::instance::InstanceEntity;
use crate::module::ModuleInner;
use crate::vm::host_context::stash_trap;
use crate::vm::traps::{raise_trap, CodeRange, Registration};
use crate::vm::vmcontext::VMContextHeader;
use kiln_format::TrapCode;
use kiln_loader::CodeImage;
use std::sync::Mutex;

/// What a lazily compiled module has compiled so far.
pub(crate) struct LazyCode {
    state: Mutex<State>,
}

struct State {
    /// The address of each function's code, once compiled (by index).
    code: Vec<Option<usize>>,
    /// The mapped batches, kept as long as the module.
    batches: Vec<(CodeImage, CodeRange, Registration)>,
}

impl LazyCode {
    /// Nothing compiled yet, for a module of `num_funcs` functions.
    pub fn new(num_funcs: usize) -> LazyCode {
        LazyCode {
            state: Mutex::new(State {
                code: vec![None; num_funcs],
                batches: Vec::new(),
            }),
        }
    }

    /// The code of function `index` of `m`, compiled now if it is not yet.
    fn code(&self, m: &ModuleInner, index: u32) -> Result<usize> {
        let mut st = self
            .state
            .lock()
            .map_err(|_| Error::Resource("a lazy compile panicked".into()))?;
        if let Some(Some(addr)) = st.code.get(index as usize) {
            return Ok(*addr);
        }
        let rt = runtime_symbols().map_err(|e| Error::Resource(e.to_string()))?;
        let start = std::time::Instant::now();
        let compiled = &st.code;
        let wanted = |i: u32| compiled.get(i as usize).is_some_and(Option::is_none);
        let batch = kiln_fast_jit::lazy::compile_batch(
            &m.bytes,
            &rt,
            index,
            &wanted,
            m.code.as_ref().and_then(|c| c.tier_up()).map(|t| t.hooks()),
        )
        .map_err(|e| Error::Resource(e.to_string()))?;
        let image =
            CodeImage::from_code(&batch.code).map_err(|e| Error::Resource(e.to_string()))?;
        let code = image.code_range();
        let range = CodeRange::register(code.start, code.end)
            .ok_or_else(|| Error::Resource("too many code images registered".into()))?;
        let map = super::frames::fast_jit_map(m.frame_names(), &batch.source_maps, image.base());
        let frames = super::frames::register(code, map);
        if crate::log::enabled("jit") {
            eprintln!(
                "kiln: fast-jit lazily compiled {} functions ({} bytes of bodies) in {:.2} ms",
                batch.funcs.len(),
                batch.body_bytes,
                start.elapsed().as_secs_f64() * 1e3
            );
        }
        if let Some(agent) = crate::profiling::agent(m.engine.config().profiling) {
            use crate::profiling::{contiguous, Names, Piece};
            let pieces = batch
                .funcs
                .iter()
                .map(|&(f, o)| (o, Piece::Func(f)))
                .collect();
            let names = Names::of(m);
            agent.record(&contiguous(
                &names,
                image.base(),
                batch.code.len(),
                pieces,
                "fast-jit",
            ));
        }
        for (f, offset) in &batch.funcs {
            st.code[*f as usize] = Some(image.base() + offset);
        }
        st.batches.push((image, range, frames));
        st.code[index as usize].ok_or_else(|| Error::Resource("a batch missed its function".into()))
    }
}

/// `usize kiln_rt_lazy_compile(vmctx, index)`: the stubs' target.
///
/// # Safety
/// Called only by a lazy stub of a module compiled lazily, with the
/// callee's `vmctx` (its instance is live) and its function index.
pub(crate) unsafe extern "C" fn kiln_rt_lazy_compile(vmctx: *mut u8, index: u32) -> usize {
    // SAFETY: `vmctx` is a live instance's context (the stub's contract),
    // whose `runtime` is its InstanceEntity and `func_refs` its table.
    let (inst, func_refs) = unsafe {
        let header = &*(vmctx as *const VMContextHeader);
        (
            &*(header.runtime as *const InstanceEntity),
            header.func_refs,
        )
    };
    match compile(&inst.module.inner, index) {
        Ok(addr) => {
            // SAFETY: `index` is a function of this instance, so its slot of
            // `func_refs` holds a live VMFuncRef.
            unsafe { (**func_refs.add(index as usize)).set_wasm_call(addr as *const u8) };
            addr
        }
        Err(e) => {
            stash_trap(Trap::host(e.to_string()));
            // SAFETY: compiled code only runs inside `catch_traps`.
            unsafe { raise_trap(TrapCode::HostError) }
        }
    }
}

fn compile(m: &ModuleInner, index: u32) -> Result<usize> {
    m.code
        .as_ref()
        .and_then(|c| c.lazy())
        .ok_or_else(|| Error::Resource("lazy stub of a module not compiled lazily".into()))?
        .code(m, index)
}

//! The interpreter's entry for native code. Every interpreted function's
//! `VMFuncRef` holds a per-signature `wasm_call` trampoline that spills the
//! arguments to value slots and calls [`kiln_interp_entry`] with the
//! function's entity as the context, so native code of any tier calls it
//! through a table or an import like any other function. The interpreter
//! installs this entry itself ([`entry_for`]): native-code support never
//! calls up into the interpreter. The trampolines come from the Fast JIT,
//! once per signature per process.

use crate::error::{Error, Trap};
use crate::func::FuncEntity;
use crate::types::FuncType;
use crate::values::{raw_of, Val};
use crate::vm::host_context::{stash_trap, with_host_context};
use crate::vm::traps::{raise_trap, Registration};
use kiln_format::{TrapCode, ValueSlot};
use kiln_loader::CodeImage;
use std::collections::HashMap;
use std::sync::Mutex;

/// Trampolines made so far, by signature, and the mappings holding them
/// (kept for the life of the process: one small mapping per batch of new
/// signatures). They are not wasm code, so they are not registered with
/// the trap handler; backtraces walk through them.
struct Entries {
    by_type: HashMap<FuncType, usize>,
    images: Vec<(CodeImage, Registration)>,
}

static ENTRIES: Mutex<Option<Entries>> = Mutex::new(None);

/// The `wasm_call` trampoline into the interpreter for each of `types`
/// (made now for signatures not seen before), or `None` if code cannot be
/// created here.
pub(crate) fn entry_for(types: &[&FuncType]) -> Option<Vec<usize>> {
    let mut guard = ENTRIES.lock().ok()?;
    let entries = guard.get_or_insert_with(|| Entries {
        by_type: HashMap::new(),
        images: Vec::new(),
    });
    let mut new: Vec<&FuncType> = types
        .iter()
        .copied()
        .filter(|t| !entries.by_type.contains_key(*t))
        .collect();
    new.dedup();
    if !new.is_empty() {
        let parser_types: Vec<wasmparser::FuncType> = new
            .iter()
            .map(|t| {
                wasmparser::FuncType::new(
                    t.params().iter().map(|v| wasmparser::ValType::from(*v)),
                    t.results().iter().map(|v| wasmparser::ValType::from(*v)),
                )
            })
            .collect();
        let target = kiln_interp_entry as *const () as usize;
        let (code, offsets) =
            kiln_fast_jit::compile_call_trampolines(&parser_types, target).ok()?;
        let image = CodeImage::from_code(&code).ok()?;
        for (t, off) in new.iter().zip(offsets) {
            entries.by_type.insert((*t).clone(), image.base() + off);
        }
        let code = image.code_range();
        let walk_through = Registration::new(code.start, code.end, None);
        entries.images.push((image, walk_through));
    }
    types
        .iter()
        .map(|t| entries.by_type.get(*t).copied())
        .collect()
}

/// Runs the interpreted function `ctx` with its arguments in `slots`
/// (max(params, results) slots), leaving its results there; a trap unwinds
/// to the innermost entry from the host, carrying the callee's trap.
///
/// # Safety
/// Called only by a trampoline from native wasm code running inside a call
/// from the host, with `ctx` a live function entity of that call's store.
pub(crate) unsafe extern "C" fn kiln_interp_entry(ctx: *const FuncEntity, slots: *mut ValueSlot) {
    if let Err(trap) = run(ctx, slots) {
        stash_trap(trap);
        // SAFETY: native code only runs inside `catch_traps`, and this frame
        // owns nothing that needs dropping at this point.
        unsafe { raise_trap(TrapCode::HostError) }
    }
}

fn run(ctx: *const FuncEntity, slots: *mut ValueSlot) -> Result<(), Trap> {
    with_host_context(|store, erased, _| {
        // SAFETY: see `kiln_interp_entry`.
        let entity = unsafe { &*ctx };
        let ty = entity.ty.clone();
        // SAFETY: the trampoline provides max(params, results) slots.
        let slot = |i: usize| unsafe { &mut *slots.add(i) };
        // SAFETY: the store outlives the call; no other borrow is active.
        let params: Vec<Val> = ty
            .params()
            .iter()
            .enumerate()
            .map(|(i, t)| Val::from_raw(raw_of(slot(i), *t), *t, unsafe { &*store }))
            .collect();
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        // SAFETY: the store is the one of the enclosing call from the host.
        unsafe { crate::call::call_from_host(store, erased, entity.handle, &params, &mut results) }
            .map_err(|e| match e {
                Error::Trap(t) => t,
                other => Trap::host(other.to_string()),
            })?;
        for (i, v) in results.iter().enumerate() {
            // SAFETY: as above.
            *slot(i) = ValueSlot::from_u128(v.to_raw(unsafe { &*store }));
        }
        Ok(())
    })
}

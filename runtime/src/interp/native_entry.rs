//! The interpreter's entry for native code. In a module whose functions
//! run in different tiers, an interpreted function's `VMFuncRef` holds a
//! per-signature `wasm_call` trampoline that spills the arguments to value
//! slots and calls [`kiln_interp_entry`] with the function's entity as the
//! context, so native code of any tier calls it through the table like any
//! other function. The interpreter installs this entry itself: native-code
//! support never calls up into the interpreter.

use crate::error::{Error, Trap};
use crate::func::FuncEntity;
use crate::values::{raw_of, Val};
use crate::vm::host_context::{stash_trap, with_host_context};
use crate::vm::traps::raise_trap;
use kiln_format::{TrapCode, ValueSlot};

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
        unsafe { super::call_from_host(store, erased, entity.handle, &params, &mut results) }
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

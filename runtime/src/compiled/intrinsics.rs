//! The runtime functions compiled code calls, and the resolver that hands
//! their addresses to the loader.

use super::host_callee::HostCallee;
use crate::error::Trap;
use crate::func::FuncKind;
use crate::instance::{Instance, InstanceEntity};
use crate::types::ValType;
use crate::values::raw_of;
use crate::values::Val;
use crate::vm::host_context::{stash_trap, with_host_context};
use crate::vm::traps::{kiln_rt_trap, raise_trap};
use crate::vm::LinearMemory;
use kiln_format::records::VMContextHeader;
use kiln_format::{TrapCode, ValueSlot};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// `i32 kiln_rt_memory_grow(vmctx, memory, delta)`: the old size in pages, or -1.
unsafe extern "C" fn kiln_rt_memory_grow(vmctx: *mut u8, memory: u32, delta: u32) -> i32 {
    // SAFETY: compiled code passes its own VMContext, whose header's
    // `runtime` points at the live instance.
    unsafe {
        let header = &*(vmctx as *const VMContextHeader);
        let inst = &*(header.runtime as *const InstanceEntity);
        let mem = inst.vmctx.memory(memory) as *mut LinearMemory;
        (*mem).grow(delta as u64).map_or(-1, |old| old as i32)
    }
}

/// Calls the host function of `ctx` with arguments in `slots`, leaving
/// results there. The host function sees the calling instance when `ctx`
/// names it, else the instance entered from the host.
fn call_host(ctx: *const HostCallee, slots: *mut ValueSlot) -> Result<(), Trap> {
    with_host_context(|store, erased, entered| {
        // SAFETY: `ctx` is the `vmctx` of a host function's VMFuncRef,
        // which the runtime points at a live HostCallee (see host_callee).
        let callee = unsafe { &*ctx };
        // SAFETY: as above; the entity and instance outlive the call.
        let entity = unsafe { &*callee.func };
        let instance = match callee.caller.is_null() {
            true => entered,
            // SAFETY: a non-null caller is a live instance of this store.
            false => Some(Instance(unsafe { (*callee.caller).handle })),
        };
        let FuncKind::Host(f) = &entity.kind else {
            return Err(Trap::host("host call to a non-host function"));
        };
        let ty = entity.ty.clone();
        // SAFETY: the trampoline allocates max(params, results) slots.
        let slot = |i: usize| unsafe { &mut *slots.add(i) };
        // SAFETY: the store outlives this call (see `with_host_context`).
        let opaque = unsafe { &*store };
        let params: Vec<Val> = ty
            .params()
            .iter()
            .enumerate()
            .map(|(i, t)| Val::from_raw(raw_of(slot(i), *t), *t, opaque))
            .collect();
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            f(erased, instance, &params, &mut results)
        }));
        outcome.unwrap_or_else(|_| Err(Trap::host("host function panicked")))?;
        for (i, (v, t)) in results.iter().zip(ty.results()).enumerate() {
            if v.ty() != *t {
                return Err(Trap::host(format!(
                    "host function returned a {} where its type says {t}",
                    v.ty()
                )));
            }
            // SAFETY: as above; the store is not borrowed elsewhere now.
            *slot(i) = ValueSlot::from_u128(v.to_raw(unsafe { &*store }));
        }
        Ok(())
    })
}

/// `void kiln_rt_call_host(ctx, slots)`: the wasm-to-host trampolines' target.
unsafe extern "C" fn kiln_rt_call_host(ctx: *const HostCallee, slots: *mut ValueSlot) {
    if let Err(trap) = call_host(ctx, slots) {
        stash_trap(trap);
        // SAFETY: called from compiled code inside `catch_traps`; this frame
        // owns nothing that needs dropping at this point.
        unsafe { raise_trap(TrapCode::HostError) }
    }
}

extern "C" {
    fn ceil(x: f64) -> f64;
    fn ceilf(x: f32) -> f32;
    fn floor(x: f64) -> f64;
    fn floorf(x: f32) -> f32;
    fn trunc(x: f64) -> f64;
    fn truncf(x: f32) -> f32;
    fn nearbyint(x: f64) -> f64;
    fn nearbyintf(x: f32) -> f32;
    fn rint(x: f64) -> f64;
    fn rintf(x: f32) -> f32;
    fn roundeven(x: f64) -> f64;
    fn roundevenf(x: f32) -> f32;
    fn fmin(x: f64, y: f64) -> f64;
    fn fminf(x: f32, y: f32) -> f32;
    fn fmax(x: f64, y: f64) -> f64;
    fn fmaxf(x: f32, y: f32) -> f32;
    fn sqrt(x: f64) -> f64;
    fn sqrtf(x: f32) -> f32;
}

/// The address of runtime symbol `name`, for the loader.
pub(crate) fn resolve(name: &str) -> Option<usize> {
    use kiln_format::intrinsics as k;
    let own = [
        (k::TRAP, kiln_rt_trap as *const () as usize),
        (k::MEMORY_GROW, kiln_rt_memory_grow as *const () as usize),
        (k::CALL_HOST, kiln_rt_call_host as *const () as usize),
    ];
    if let Some((_, addr)) = own.iter().find(|(i, _)| i.name == name) {
        return Some(*addr);
    }
    Some(match name {
        "memcpy" => libc::memcpy as *const () as usize,
        "memmove" => libc::memmove as *const () as usize,
        "memset" => libc::memset as *const () as usize,
        "ceil" => ceil as *const () as usize,
        "ceilf" => ceilf as *const () as usize,
        "floor" => floor as *const () as usize,
        "floorf" => floorf as *const () as usize,
        "trunc" => trunc as *const () as usize,
        "truncf" => truncf as *const () as usize,
        "nearbyint" => nearbyint as *const () as usize,
        "nearbyintf" => nearbyintf as *const () as usize,
        "rint" => rint as *const () as usize,
        "rintf" => rintf as *const () as usize,
        "roundeven" => roundeven as *const () as usize,
        "roundevenf" => roundevenf as *const () as usize,
        "fmin" => fmin as *const () as usize,
        "fminf" => fminf as *const () as usize,
        "fmax" => fmax as *const () as usize,
        "fmaxf" => fmaxf as *const () as usize,
        "sqrt" => sqrt as *const () as usize,
        "sqrtf" => sqrtf as *const () as usize,
        _ => return super::bulk::resolve(name),
    })
}

/// Slots needed to pass the parameters and results of `params`/`results`.
pub(crate) fn slot_count(params: &[ValType], results: &[ValType]) -> usize {
    params.len().max(results.len()).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_intrinsic_and_libcall_resolves() {
        for i in kiln_format::intrinsics::ALL {
            assert!(resolve(i.name).is_some(), "{}", i.name);
        }
        for name in kiln_format::artifact::LIBCALLS {
            assert!(resolve(name).is_some(), "{name}");
        }
        assert_eq!(resolve("kiln_rt_nothing"), None);
    }
}

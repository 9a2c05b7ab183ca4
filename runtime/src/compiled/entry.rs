//! Calling compiled code from the host; the call sets the per-thread
//! context ([`crate::vm::host_context`]) that runtime functions called back
//! from compiled code need.

use super::intrinsics::slot_count;
use crate::error::{Error, Result, Trap};
use crate::func::{FuncEntity, FuncKind};
use crate::instance::Instance;
use crate::store::StoreOpaque;
use crate::values::{raw_of, Val};
use crate::vm::host_context::{self, HostContext};
use crate::vm::traps::catch_traps;
use kiln_format::ValueSlot;
use std::ptr;

/// Approximate address of the current stack top.
#[inline(never)]
fn stack_pointer() -> usize {
    let marker = 0u8;
    ptr::addr_of!(marker) as usize
}

/// Most native stack compiled wasm may use in one call from the host.
const MAX_NATIVE_STACK: usize = 4 << 20;
/// Stack kept free below the limit for the trap path and host calls.
const STACK_RESERVE: usize = 128 << 10;

thread_local! {
    static STACK_LOW: usize = thread_stack_low();
}

/// The lowest usable address of this thread's stack (0 if unknown).
fn thread_stack_low() -> usize {
    // SAFETY: pthread_getattr_np fills `attr` for the calling thread, which
    // is destroyed after reading the stack range.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return 0;
        }
        let mut addr: *mut libc::c_void = ptr::null_mut();
        let mut size: libc::size_t = 0;
        let rc = libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        if rc != 0 {
            return 0;
        }
        addr as usize
    }
}

/// Sets the stack limit of every compiled instance in the store, for a
/// call from the host that starts at the current stack depth.
unsafe fn set_stack_limits(store: *mut StoreOpaque) {
    // SAFETY: the store is borrowed exclusively for the call (caller's contract).
    let s = unsafe { &mut *store };
    let budget = s
        .engine
        .config()
        .stack_size
        .clamp(64 << 10, MAX_NATIVE_STACK);
    let floor = STACK_LOW.with(|low| *low).saturating_add(STACK_RESERVE);
    let limit = stack_pointer().saturating_sub(budget).max(floor);
    for inst in s.instances.iter_mut() {
        if inst.module.inner.code.is_some() {
            inst.vmctx.header_mut().stack_limit = limit;
        }
    }
}

/// Calls compiled function `entity` from the host.
///
/// # Safety
/// As for [`crate::call::call_from_host`]; `entity` must have compiled
/// code (`array_call` and `wasm_call` set).
pub(crate) unsafe fn call_compiled(
    store: *mut StoreOpaque,
    erased: *mut (),
    entity: *const FuncEntity,
    params: &[Val],
    results: &mut [Val],
) -> Result<()> {
    // SAFETY: the entity is boxed in the live store.
    let entity = unsafe { &*entity };
    let instance = match entity.kind {
        FuncKind::Wasm { instance, .. } => Some(Instance(unsafe { (*instance).handle })),
        FuncKind::Host(_) => None,
    };
    let ty = entity.ty.clone();
    let mut slots = vec![ValueSlot::default(); slot_count(ty.params(), ty.results())];
    for (slot, p) in slots.iter_mut().zip(params) {
        // SAFETY: short shared borrow of the store to encode a reference.
        *slot = ValueSlot::from_u128(p.to_raw(unsafe { &*store }));
    }
    let outer = host_context::enter(HostContext {
        store,
        erased,
        instance,
    });
    if outer.is_none() {
        // SAFETY: see `set_stack_limits`.
        unsafe { set_stack_limits(store) };
    }
    let array_call: unsafe extern "C" fn(*mut u8, *const u8, *mut ValueSlot) =
        // SAFETY: `array_call` is the artifact's `kiln_array_call_<T>` for this type.
        unsafe { std::mem::transmute(entity.vmref.array_call) };
    let (vmctx, code, slots_ptr) = (
        entity.vmref.vmctx,
        entity.vmref.wasm_call(),
        slots.as_mut_ptr(),
    );
    // SAFETY: the closure owns nothing; traps unwind to `catch_traps`.
    let outcome = unsafe { catch_traps(|| array_call(vmctx, code, slots_ptr)) };
    host_context::leave(outer);
    if let Err(caught) = outcome {
        // A runtime function's own trap (with the frames inside it), else
        // the trap code; then the compiled frames out to here.
        let mut trap = host_context::take_trap().unwrap_or_else(|| Trap::new(caught.code));
        caught.frames.add_to(trap.backtrace_mut());
        return Err(Error::Trap(trap));
    }
    for ((r, t), slot) in results.iter_mut().zip(ty.results()).zip(&slots) {
        // SAFETY: short shared borrow of the store to decode a reference.
        *r = Val::from_raw(raw_of(slot, *t), *t, unsafe { &*store });
    }
    Ok(())
}

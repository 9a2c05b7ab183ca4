//! Calls and returns: a call of a wasm function pushes the caller's
//! [`Frame`] and returns the callee's, which the loop takes as its state; a
//! host function or compiled code runs to completion here. The running
//! instance caches the code of the functions it calls directly.

use super::frame::{compiled, zero_locals, Frame};
use super::host;
use super::state::State;
use super::ExecEnv;
use crate::error::Trap;
use crate::func::{FuncEntity, FuncKind};
use crate::instance::{Instance, InstanceEntity};
use crate::interp::code::{CompiledFunc, Slot};
use crate::interp::translate::INIT_GROUP;
use std::ptr;

/// The function `call` calls: function `func` of `inst`.
///
/// # Safety
/// `inst` must be the live current instance, which has function `func`.
#[inline(always)]
pub(super) unsafe fn callee(inst: *mut InstanceEntity, func: u32) -> *const FuncEntity {
    // SAFETY: the caller's guarantee.
    unsafe { *(&*inst).func_refs.get_unchecked(func as usize) as *const FuncEntity }
}

/// Calls `callee` with its arguments at slot `base` of the caller's frame.
/// A wasm callee gets a new frame there: `caller` is pushed and the
/// callee's state returned, for the loop to run. Compiled code and host
/// functions run to completion: `None`, the results are in place.
///
/// # Safety
/// `caller` must be the running function's state, with `pc` just past the
/// call; `callee` a live function of the store in `env`, whose arguments
/// are in the caller's frame from `base` on; `stack_end` the end of the
/// value stack.
#[inline(always)]
pub(super) unsafe fn enter(
    env: &mut ExecEnv<'_>,
    frames: &mut Vec<Frame>,
    stack_end: *mut u64,
    caller: Frame,
    callee: *const FuncEntity,
    base: Slot,
) -> Result<Option<Frame>, Trap> {
    // SAFETY: the caller's guarantees; the callee's frame is checked to fit
    // in the stack before it is written.
    unsafe {
        let args = caller.fp.add(base as usize);
        match &(*callee).kind {
            FuncKind::Wasm { .. } if !(*callee).vmref.array_call.is_null() => {
                host::call_compiled(env.store, env.erased, env.host, callee, args)?;
                Ok(None)
            }
            FuncKind::Wasm {
                instance,
                def_index,
            } => {
                let cf = compiled(*instance, *def_index)?;
                if args.add((*cf).frame_size as usize) > stack_end || frames.len() >= env.max_frames
                {
                    return Err(crate::interp::trace::overflow(*instance, *def_index));
                }
                frames.push(caller);
                zero_locals(args, &*cf);
                let code = (*cf).code.as_ptr();
                Ok(Some(Frame {
                    code,
                    consts: (*cf).consts.as_ptr(),
                    pc: code,
                    fp: args,
                    inst: *instance,
                }))
            }
            FuncKind::Host(_) => {
                let instance = Some(Instance((*caller.inst).handle));
                host::call_host(env.store, env.erased, env.host, callee, instance, args)?;
                Ok(None)
            }
        }
    }
}

/// The code of `callee` when a call of it can take the fast path: a wasm
/// function of the running instance `inst`, interpreted (no compiled
/// code), already translated. `None` sends the call the general way
/// ([`enter`]).
///
/// # Safety
/// `callee` must be a live function of the store.
#[inline(always)]
pub(super) unsafe fn fast_callee<'c>(
    inst: *mut InstanceEntity,
    callee: *const FuncEntity,
) -> Option<&'c CompiledFunc> {
    // SAFETY: the caller's guarantee; a wasm function of `inst` has its
    // defined index in `inst`'s module, live with the instance.
    unsafe {
        let FuncKind::Wasm {
            instance,
            def_index,
        } = (*callee).kind
        else {
            return None;
        };
        if instance != inst || !(*callee).vmref.array_call.is_null() {
            return None;
        }
        let module = &(*inst).module.inner;
        Some(module.compiled.get_unchecked(def_index as usize).get()?)
    }
}

/// The code of function `func` if a call of it from `inst` took the fast
/// path before ([`remember_callee`]).
///
/// # Safety
/// `inst` must be the live current instance, which has function `func`.
#[inline(always)]
pub(super) unsafe fn cached_callee<'c>(
    inst: *mut InstanceEntity,
    func: u32,
) -> Option<&'c CompiledFunc> {
    // SAFETY: the caller's guarantee; cached code lives as long as the
    // instance's module.
    unsafe {
        let cache = &(*inst).interp_callees;
        cache.get_unchecked(func as usize).get().as_ref()
    }
}

/// Caches the code of function `func` for calls from `inst` when a call of
/// it can take the fast path ([`fast_callee`]).
///
/// # Safety
/// As for [`cached_callee`].
pub(super) unsafe fn remember_callee(inst: *mut InstanceEntity, func: u32) {
    // SAFETY: the caller's guarantee.
    unsafe {
        if let Some(cf) = fast_callee(inst, callee(inst, func)) {
            let cache = &(*inst).interp_callees;
            cache.get_unchecked(func as usize).set(cf);
        }
    }
}

/// Pushes `caller` for a call of `cf` at `args`, when the frame fits in the
/// stack and the frame records have room without growing; false, with
/// nothing done, otherwise. The callee's initial slots are the caller's to
/// write.
///
/// # Safety
/// `caller` must be the running function's state, with `pc` just past the
/// call; `cf` came from [`fast_callee`]; `args` lies in the value stack.
#[inline(always)]
unsafe fn push_record(
    st: &mut State<'_, '_>,
    caller: Frame,
    cf: &CompiledFunc,
    args: *mut u64,
) -> bool {
    let n = st.frames.len();
    // SAFETY: the callee's frame is checked to fit; the frame record goes
    // to spare capacity of `frames`.
    unsafe {
        if args.add(cf.frame_size as usize) > st.stack_end
            || n >= st.frames.capacity()
            || n >= st.max_frames
        {
            return false;
        }
        st.frames.as_mut_ptr().add(n).write(caller);
        st.frames.set_len(n + 1);
    }
    true
}

/// As [`push_record`], then writes the callee's initial slots, when they
/// are at most two groups of `INIT_GROUP` (copied without a loop or a
/// call); false, with nothing done, for more.
///
/// # Safety
/// As for [`push_record`].
#[inline(always)]
pub(super) unsafe fn push_fast(
    st: &mut State<'_, '_>,
    caller: Frame,
    cf: &CompiledFunc,
    args: *mut u64,
) -> bool {
    let len = cf.init.len();
    // SAFETY: the caller's guarantees; `init` (0, 1 or 2 groups) lies
    // inside the frame (`frame_size` covers it), checked to fit.
    unsafe {
        if len > 2 * INIT_GROUP || !push_record(st, caller, cf, args) {
            return false;
        }
        if len != 0 {
            let (src, dst) = (cf.init.as_ptr(), args.add(cf.param_slots as usize));
            ptr::copy_nonoverlapping(src, dst, INIT_GROUP);
            if len > INIT_GROUP {
                ptr::copy_nonoverlapping(src.add(INIT_GROUP), dst.add(INIT_GROUP), INIT_GROUP);
            }
        }
    }
    true
}

/// As [`push_fast`], for initial slots of any length.
///
/// # Safety
/// As for [`push_record`].
pub(super) unsafe fn push_any(
    st: &mut State<'_, '_>,
    caller: Frame,
    cf: &CompiledFunc,
    args: *mut u64,
) -> bool {
    // SAFETY: the caller's guarantees; `init` lies inside the frame
    // (`frame_size` covers it), checked to fit.
    unsafe {
        if !push_record(st, caller, cf, args) {
            return false;
        }
        let dst = args.add(cf.param_slots as usize);
        ptr::copy_nonoverlapping(cf.init.as_ptr(), dst, cf.init.len());
    }
    true
}

/// Pops the innermost caller when it runs in the running instance `inst`
/// (so memory and view stay as they are); `None`, with nothing popped,
/// when there is none or it runs in another instance.
#[inline(always)]
pub(super) fn pop_fast(frames: &mut Vec<Frame>, inst: *mut InstanceEntity) -> Option<Frame> {
    match frames.last() {
        Some(f) if f.inst == inst => frames.pop(),
        _ => None,
    }
}

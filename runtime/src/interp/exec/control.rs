//! The control family: the conditions of the fused compare-and-branch ops,
//! and entering a call.
//!
//! The loop itself (in `mod.rs`) jumps: a branch's arm sets `pc` to its
//! target when its condition here holds. A call of a wasm function pushes
//! the caller's [`Frame`] and returns the callee's, which the loop takes
//! as its state; a host function or compiled code runs to completion here.
//! `BrF64Not*` branch when the comparison is false, NaN operands included.

// `!(a < b)` on floats is deliberate: the negated branches must be taken for NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use super::frame::{compiled, zero_locals, Frame};
use super::host;
use super::slots::{g32, g64, s32, s64, SlotValue};
use super::state::State;
use super::ExecEnv;
use crate::error::Trap;
use crate::func::{FuncEntity, FuncKind};
use crate::instance::{Instance, InstanceEntity};
use crate::interp::code::{CompiledFunc, Op, OpCode, Slot};
use crate::interp::translate::INIT_GROUP;
use std::ptr;

/// Defines branch conditions: `name(a: T, b: U) = e` reads slots `a` and
/// `b`; `name(a: T, imm) = e` reads slot `a` and takes the op's `imm`.
macro_rules! conditions {
    (
        binary { $($bn:ident($ba:ident: $bta:ty, $bb:ident: $btb:ty) = $be:expr;)* }
        imm { $($in:ident($ia:ident: $ita:ty, $ii:ident) = $ie:expr;)* }
    ) => {
        $(
            #[inline(always)]
            pub(super) unsafe fn $bn(fp: *mut u64, $ba: Slot, $bb: Slot) -> bool {
                // SAFETY: the caller guarantees the slots lie in the frame.
                let $ba = unsafe { <$bta as SlotValue>::get(fp, $ba) };
                // SAFETY: as above.
                let $bb = unsafe { <$btb as SlotValue>::get(fp, $bb) };
                $be
            }
        )*
        $(
            #[inline(always)]
            pub(super) unsafe fn $in(fp: *mut u64, $ia: Slot, $ii: i32) -> bool {
                // SAFETY: the caller guarantees the slot lies in the frame.
                let $ia = unsafe { <$ita as SlotValue>::get(fp, $ia) };
                $ie
            }
        )*
    };
}

conditions! {
    binary {
        i32_eq(a: u32, b: u32) = a == b;
        i32_ne(a: u32, b: u32) = a != b;
        i32_lt_s(a: i32, b: i32) = a < b;
        i32_lt_u(a: u32, b: u32) = a < b;
        i32_gt_s(a: i32, b: i32) = a > b;
        i32_gt_u(a: u32, b: u32) = a > b;
        i32_le_s(a: i32, b: i32) = a <= b;
        i32_le_u(a: u32, b: u32) = a <= b;
        i32_ge_s(a: i32, b: i32) = a >= b;
        i32_ge_u(a: u32, b: u32) = a >= b;
        i64_eq(a: u64, b: u64) = a == b;
        i64_ne(a: u64, b: u64) = a != b;
        i64_lt_s(a: i64, b: i64) = a < b;
        i64_lt_u(a: u64, b: u64) = a < b;
        i64_gt_s(a: i64, b: i64) = a > b;
        i64_gt_u(a: u64, b: u64) = a > b;
        i64_le_s(a: i64, b: i64) = a <= b;
        i64_le_u(a: u64, b: u64) = a <= b;
        i64_ge_s(a: i64, b: i64) = a >= b;
        i64_ge_u(a: u64, b: u64) = a >= b;
        f64_lt(a: f64, b: f64) = a < b;
        f64_gt(a: f64, b: f64) = a > b;
        f64_le(a: f64, b: f64) = a <= b;
        f64_ge(a: f64, b: f64) = a >= b;
        f64_not_lt(a: f64, b: f64) = !(a < b);
        f64_not_gt(a: f64, b: f64) = !(a > b);
        f64_not_le(a: f64, b: f64) = !(a <= b);
        f64_not_ge(a: f64, b: f64) = !(a >= b);
    }
    imm {
        i32_eq_imm(a: u32, imm) = a == imm as u32;
        i32_ne_imm(a: u32, imm) = a != imm as u32;
        i32_lt_s_imm(a: i32, imm) = a < imm;
        i32_lt_u_imm(a: u32, imm) = a < imm as u32;
        i32_gt_s_imm(a: i32, imm) = a > imm;
        i32_gt_u_imm(a: u32, imm) = a > imm as u32;
        i32_le_s_imm(a: i32, imm) = a <= imm;
        i32_le_u_imm(a: u32, imm) = a <= imm as u32;
        i32_ge_s_imm(a: i32, imm) = a >= imm;
        i32_ge_u_imm(a: u32, imm) = a >= imm as u32;
        i32_and_nez_imm(a: u32, imm) = a & imm as u32 != 0;
        i32_and_eqz_imm(a: u32, imm) = a & imm as u32 == 0;
    }
}

/// Defines the conditions of the `BrF64Add*` ops: `name = (s, b) => e`
/// reads the sum `s` of slots `x` and `y` and slot `b`.
macro_rules! sum_conditions {
    ($($name:ident = ($s:ident, $b:ident) => $e:expr;)*) => {
        $(
            #[inline(always)]
            pub(super) unsafe fn $name(fp: *mut u64, x: Slot, y: Slot, b: Slot) -> bool {
                // SAFETY: the caller guarantees the slots lie in the frame.
                let (x, y, $b) = unsafe { (f64::get(fp, x), f64::get(fp, y), f64::get(fp, b)) };
                let $s = x + y;
                $e
            }
        )*
    };
}

sum_conditions! {
    f64_add_lt = (s, b) => s < b;
    f64_add_gt = (s, b) => s > b;
    f64_add_le = (s, b) => s <= b;
    f64_add_ge = (s, b) => s >= b;
    f64_add_not_lt = (s, b) => !(s < b);
    f64_add_not_gt = (s, b) => !(s > b);
    f64_add_not_le = (s, b) => !(s <= b);
    f64_add_not_ge = (s, b) => !(s >= b);
}

/// `AddImmBrNez`: adds `imm` to slot `a` in place; whether the sum is non-zero.
///
/// # Safety
/// The frame at `fp` must hold slot `a`.
#[inline(always)]
pub(super) unsafe fn add_imm_nez(fp: *mut u64, a: Slot, imm: i32) -> bool {
    // SAFETY: the caller's guarantee.
    unsafe {
        let v = g32(fp, a).wrapping_add(imm as u32);
        s32(fp, a, v);
        v != 0
    }
}

/// Adds `imm` to slot `a` in place (the add of the `AddBr*` ops).
///
/// # Safety
/// The frame at `fp` must hold slot `a`.
#[inline(always)]
pub(super) unsafe fn add_in_place(fp: *mut u64, a: Slot, imm: i32) {
    // SAFETY: the caller's guarantee.
    unsafe { s32(fp, a, g32(fp, a).wrapping_add(imm as u32)) }
}

/// Adds `imm` to slot `a` in place, as `i64` (the add of `AddImmBrI64*`).
///
/// # Safety
/// The frame at `fp` must hold slot `a`.
#[inline(always)]
pub(super) unsafe fn add64_imm_in_place(fp: *mut u64, a: Slot, imm: i32) {
    // SAFETY: the caller's guarantee.
    unsafe { s64(fp, a, g64(fp, a).wrapping_add(imm as i64 as u64)) }
}

/// Adds slot `y` to slot `x` in place, as `i64` (the add of `AddBrI64*`).
///
/// # Safety
/// The frame at `fp` must hold slots `x` and `y`.
#[inline(always)]
pub(super) unsafe fn add64_in_place(fp: *mut u64, x: Slot, y: Slot) {
    // SAFETY: the caller's guarantee.
    unsafe { s64(fp, x, g64(fp, x).wrapping_add(g64(fp, y))) }
}

/// Where `BrTable` goes for entry `k`, and the op code there: the target
/// of the `BrEntry` at entry `k` of the table following it (`pc` is the
/// table's start), which also holds that op code.
///
/// # Safety
/// `pc` must point at a `BrTable`'s table (its entries are all `BrEntry`
/// ops, whose targets lie in the code) with more than `k` entries.
#[inline(always)]
pub(super) unsafe fn br_table(pc: *const Op, k: u32) -> (*const Op, OpCode) {
    // SAFETY: the caller's guarantee; an entry's target is relative to itself.
    unsafe {
        let entry = pc.add(k as usize);
        let Op::BrEntry { target, next } = *entry else {
            std::hint::unreachable_unchecked()
        };
        (entry.offset(target as i32 as isize), next)
    }
}

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

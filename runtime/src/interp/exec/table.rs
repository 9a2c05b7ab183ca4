//! Reference and table ops: `ref.is_null`, `ref.func`, `table.get`,
//! `table.set`, `table.size` and `table.grow` (the bulk table ops are in
//! [`super::bulk`]).
//!
//! A reference is one slot: a `funcref` is the address of the function's
//! entity, null is 0. `ref.is_null` and `ref.func` have arms of their own in the
//! dispatch loop; the table ops are rare, so they form a sub-match of their
//! own, called (not inlined) from one arm of the loop.

use super::frame::table_of;
use super::slots::{g32, g64, s32, s64};
use crate::instance::InstanceEntity;
use crate::interp::code::{Op, Slot};
use kiln_format::TrapCode;

/// Executes the table op just before `pc`, returning the pc after it (and
/// its `Arg` word). It reads the op from the code (not passed by value, which
/// would keep the dispatch loop's op in memory).
///
/// # Safety
/// `pc` must point just past a table op in the current code, `fp` must be the
/// current frame and `inst` the live current instance.
#[inline(never)]
pub(super) unsafe fn execute(
    mut pc: *const Op,
    fp: *mut u64,
    inst: *mut InstanceEntity,
) -> Result<*const Op, TrapCode> {
    // SAFETY: the translator names slots of this frame, tables and
    // functions of this instance, and puts an `Arg` word after `TableGrow`
    // (the caller's guarantees cover the rest).
    unsafe {
        match *pc.sub(1) {
            Op::TableGet { dst, table, index } => {
                let t = table_of(inst, table);
                let Some(&v) = (*t).elements().get(g32(fp, index) as usize) else {
                    return Err(TrapCode::TableOutOfBounds);
                };
                s64(fp, dst, v as u64);
            }
            Op::TableSet {
                table,
                index,
                value,
            } => {
                let t = table_of(inst, table);
                let v = g64(fp, value) as usize;
                let Some(e) = (*t).elements_mut().get_mut(g32(fp, index) as usize) else {
                    return Err(TrapCode::TableOutOfBounds);
                };
                *e = v;
            }
            Op::TableSize { dst, table } => {
                s32(fp, dst, (*table_of(inst, table)).elements().len() as u32)
            }
            Op::TableGrow { dst, table, init } => {
                let Op::Arg { a: delta, .. } = *pc else {
                    unreachable!("missing Arg word")
                };
                pc = pc.add(1);
                let t = table_of(inst, table);
                let r = (*t)
                    .grow(g32(fp, delta), g64(fp, init) as usize)
                    .unwrap_or(u32::MAX);
                s32(fp, dst, r);
            }
            _ => unreachable!("not a table op"),
        }
    }
    Ok(pc)
}

/// `ref.is_null`.
///
/// # Safety
/// The frame at `fp` must hold slots `dst` and `a`.
#[inline(always)]
pub(super) unsafe fn ref_is_null(fp: *mut u64, dst: Slot, a: Slot) {
    // SAFETY: the caller's guarantee.
    unsafe { s32(fp, dst, (g64(fp, a) == 0) as u32) }
}

/// `ref.func`: the address of function `func`'s entity.
///
/// # Safety
/// `inst` must be the live current instance, which has function `func`;
/// the frame at `fp` must hold slot `dst`.
#[inline(always)]
pub(super) unsafe fn ref_func(fp: *mut u64, inst: *mut InstanceEntity, dst: Slot, func: u32) {
    // SAFETY: the caller's guarantee.
    unsafe {
        let f = *(&*inst).func_refs.get_unchecked(func as usize);
        s64(fp, dst, f as u64)
    }
}

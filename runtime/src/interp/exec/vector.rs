//! SIMD ops, kept out of the main loop so their code does not crowd it:
//! the lane-wise operations of [`crate::interp::simd`], shuffles, and the
//! extending/splatting loads and lane loads/stores (plain `v128.load` and
//! `v128.store` are in [`super::memory`]).

use super::memory::View;
use super::slots::{g128, g32, g64, s128, s32, s64};
use crate::interp::code::Op;
use crate::interp::simd;
use kiln_format::TrapCode;
use std::ptr;

/// Executes one non-memory SIMD op and returns the pc after it (and its `Arg` word).
///
/// # Safety
/// `fp` must be the current frame, `pc` must point just past `op` in its
/// function's code, and `consts` must be that function's constant pool.
#[inline(never)]
pub(super) unsafe fn execute(mut pc: *const Op, fp: *mut u64, consts: *const u128) -> *const Op {
    // SAFETY: the caller guarantees `pc` follows a SIMD op (and its `Arg` word when it
    // has one), `fp` is its frame holding the slots named and `consts` its pool.
    unsafe {
        match *pc.sub(1) {
            Op::SimdUnary { dst, op, a } => s128(fp, dst, simd::unary(op, g128(fp, a))),
            Op::SimdBinary { dst, op, a, b } => {
                s128(fp, dst, simd::binary(op, g128(fp, a), g128(fp, b)))
            }
            Op::SimdTernary { dst, op, a, b } => {
                let Op::Arg { a: c, .. } = *pc else {
                    unreachable!("missing Arg word")
                };
                pc = pc.add(1);
                s128(
                    fp,
                    dst,
                    simd::ternary(op, g128(fp, a), g128(fp, b), g128(fp, c)),
                )
            }
            Op::SimdShift { dst, op, a, amount } => {
                s128(fp, dst, simd::shift(op, g128(fp, a), g32(fp, amount)))
            }
            Op::SimdTest { dst, op, a } => s32(fp, dst, simd::test(op, g128(fp, a))),
            Op::SimdSplat { dst, op, a } => s128(fp, dst, simd::splat(op, g64(fp, a))),
            Op::SimdExtract { dst, op, lane, a } => {
                s64(fp, dst, simd::extract_lane(op, g128(fp, a), lane))
            }
            Op::SimdReplace {
                dst,
                op,
                lane,
                a,
                x,
            } => s128(
                fp,
                dst,
                simd::replace_lane(op, g128(fp, a), lane, g64(fp, x)),
            ),
            Op::SimdShuffle { dst, a, b } => {
                let Op::Arg { a: index, .. } = *pc else {
                    unreachable!("missing Arg word")
                };
                pc = pc.add(1);
                let lanes = (*consts.add(index as usize)).to_le_bytes();
                s128(fp, dst, simd::shuffle(&lanes, g128(fp, a), g128(fp, b)))
            }
            _ => unreachable!("not a SIMD op"),
        }
        pc
    }
}

unsafe fn address(
    fp: *mut u64,
    addr: u32,
    offset: u32,
    size: usize,
    base: *mut u8,
    len: usize,
) -> Result<*mut u8, TrapCode> {
    // SAFETY: the caller guarantees `fp` holds slot `addr` and `base`/`len` describe
    // the current memory; the range is checked before `base.add`.
    unsafe {
        let ea = g32(fp, addr) as usize + offset as usize;
        if ea + size > len {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        Ok(base.add(ea))
    }
}

/// Executes one SIMD memory op (load-and-transform, lane load or lane store).
///
/// # Safety
/// As for [`execute`]; `view` must describe the current memory.
#[inline(never)]
pub(super) unsafe fn memory(
    mut pc: *const Op,
    fp: *mut u64,
    view: View,
) -> Result<*const Op, TrapCode> {
    // SAFETY: the caller guarantees `pc` follows a SIMD memory op (and its `Arg` word
    // when it has one), `fp` is its frame and `view` describes the current memory;
    // each access is bounds-checked by `address`.
    unsafe {
        match *pc.sub(1) {
            Op::V128LoadKind {
                dst,
                kind,
                addr,
                offset,
            } => {
                let w = kind.width() as usize;
                let p = address(fp, addr, offset, w, view.base, view.len)?;
                let mut bytes = [0u8; 16];
                ptr::copy_nonoverlapping(p, bytes.as_mut_ptr(), w);
                s128(
                    fp,
                    dst,
                    simd::load_transform(kind, u128::from_le_bytes(bytes)),
                );
            }
            Op::V128LoadLane {
                dst,
                width,
                lane,
                addr,
                offset,
            } => {
                let Op::Arg { a: v, .. } = *pc else {
                    unreachable!("missing Arg word")
                };
                pc = pc.add(1);
                let w = lane_bytes(width);
                let p = address(fp, addr, offset, w, view.base, view.len)?;
                let mut bytes = [0u8; 8];
                ptr::copy_nonoverlapping(p, bytes.as_mut_ptr(), w);
                let r = simd::load_lane(width, g128(fp, v), lane, u64::from_le_bytes(bytes));
                s128(fp, dst, r);
            }
            Op::V128StoreLane {
                width,
                lane,
                addr,
                value,
                offset,
            } => {
                let bits = simd::store_lane(width, g128(fp, value), lane);
                let w = lane_bytes(width);
                let p = address(fp, addr, offset, w, view.base, view.len)?;
                ptr::copy_nonoverlapping(bits.to_le_bytes().as_ptr(), p, w);
            }
            _ => unreachable!("not a SIMD memory op"),
        }
        Ok(pc)
    }
}

fn lane_bytes(w: simd::LaneWidth) -> usize {
    w.bytes() as usize
}

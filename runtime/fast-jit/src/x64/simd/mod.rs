//! x86-64 SIMD instruction selection (SSE4.1 as the floor; AVX forms where
//! the host has them), one family per file:
//! - [`integer`]: integer lane arithmetic, compares, bitwise operators,
//!   shifts, `any_true`/`all_true`/`bitmask`, `bitselect`;
//! - [`float`]: float lane arithmetic, compares, rounding;
//! - [`convert`]: extends, narrows, extending multiplies and adds, dot
//!   product, float/int conversions, demote/promote;
//! - [`lanes`]: splats, lane extract/replace, shuffles, swizzle;
//! - [`memory`]: the `v128.load*`/`store*_lane` forms.
//!
//! Each function returns whether it handled the operator.

mod convert;
mod emit;
mod float;
mod integer;
mod lanes;
mod memory;

use super::X64;
use crate::masm::{Mem, Operand, Reg};
use wasmparser::Operator;

pub(super) fn unary(a: &mut X64, op: &Operator<'_>, dst: Reg, src: Reg, tmp: Reg) -> bool {
    integer::unary(a, op, dst, src, tmp)
        || float::unary(a, op, dst, src, tmp)
        || convert::unary(a, op, dst, src, tmp)
}

pub(super) fn binary(
    a: &mut X64,
    op: &Operator<'_>,
    dst: Reg,
    lhs: Reg,
    rhs: Reg,
    tmp: Reg,
) -> bool {
    integer::binary(a, op, dst, lhs, rhs, tmp)
        || float::binary(a, op, dst, lhs, rhs, tmp)
        || convert::binary(a, op, dst, lhs, rhs, tmp)
        || lanes::binary(a, op, dst, lhs, rhs, tmp)
}

pub(super) fn ternary(a: &mut X64, op: &Operator<'_>, dst: Reg, v: [Reg; 3], tmp: Reg) -> bool {
    integer::ternary(a, op, dst, v, tmp)
}

pub(super) fn shift(
    a: &mut X64,
    op: &Operator<'_>,
    dst: Reg,
    src: Reg,
    amount: Operand,
    tmp: Reg,
) -> bool {
    integer::shift(a, op, dst, src, amount, tmp)
}

pub(super) fn test(a: &mut X64, op: &Operator<'_>, dst: Reg, src: Reg, tmp: Reg) -> bool {
    integer::test(a, op, dst, src, tmp)
}

pub(super) fn splat(a: &mut X64, op: &Operator<'_>, dst: Reg, src: Reg) -> bool {
    lanes::splat(a, op, dst, src)
}

pub(super) fn extract(a: &mut X64, op: &Operator<'_>, dst: Reg, src: Reg) -> bool {
    lanes::extract(a, op, dst, src)
}

pub(super) fn replace(a: &mut X64, op: &Operator<'_>, dst: Reg, vec: Reg, scalar: Reg) -> bool {
    lanes::replace(a, op, dst, vec, scalar)
}

pub(super) fn load(a: &mut X64, op: &Operator<'_>, dst: Reg, m: Mem) -> bool {
    memory::load(a, op, dst, m)
}

pub(super) fn load_lane(a: &mut X64, op: &Operator<'_>, dst: Reg, vec: Reg, m: Mem) -> bool {
    memory::load_lane(a, op, dst, vec, m)
}

pub(super) fn store_lane(a: &mut X64, op: &Operator<'_>, m: Mem, src: Reg) -> bool {
    memory::store_lane(a, op, m, src)
}

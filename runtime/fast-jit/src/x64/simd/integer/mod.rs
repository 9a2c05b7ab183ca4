//! SIMD integer lane arithmetic, compares, bitwise operators, shifts,
//! lane tests and `bitselect`, with the small emit helpers they share:
//! - [`arith`]: bitwise operators, `bitselect`, add/sub/mul, saturating
//!   forms, min/max, `avgr_u`, `neg`, `abs`, `popcnt`, `q15mulr_sat_s`;
//! - [`compare`]: lane compares;
//! - [`shift`]: `shl`, `shr_s`, `shr_u`;
//! - [`test`]: `any_true`, `all_true`, `bitmask`.

mod arith;
mod compare;
mod shift;
mod test;

pub(super) use super::emit::{mov, pshufd, ri as op_imm, rr as op};
use crate::masm::{Operand, Reg};
use crate::x64::{q, x, R11, X64};
use iced_x86::{Code, Instruction};
use wasmparser::Operator;

pub(super) fn unary(a: &mut X64, op: &Operator<'_>, dst: Reg, src: Reg, tmp: Reg) -> bool {
    arith::unary(a, op, dst, src, tmp)
}

pub(super) fn binary(
    a: &mut X64,
    op: &Operator<'_>,
    dst: Reg,
    lhs: Reg,
    rhs: Reg,
    tmp: Reg,
) -> bool {
    arith::binary(a, op, dst, lhs, rhs, tmp) || compare::binary(a, op, dst, lhs, rhs, tmp)
}

pub(super) fn ternary(a: &mut X64, op: &Operator<'_>, dst: Reg, v: [Reg; 3], _tmp: Reg) -> bool {
    arith::ternary(a, op, dst, v)
}

pub(super) fn shift(
    a: &mut X64,
    op: &Operator<'_>,
    dst: Reg,
    src: Reg,
    amount: Operand,
    tmp: Reg,
) -> bool {
    shift::shift(a, op, dst, src, amount, tmp)
}

pub(super) fn test(a: &mut X64, op: &Operator<'_>, dst: Reg, src: Reg, tmp: Reg) -> bool {
    test::test(a, op, dst, src, tmp)
}

/// `dst = lhs op rhs` (`dst` distinct from `rhs`): the VEX three-operand
/// form on AVX hosts, else a copy and the SSE form.
fn bin(a: &mut X64, sse: Code, vex: Code, dst: Reg, lhs: Reg, rhs: Reg) {
    if a.features.avx {
        a.emit(Instruction::with3(vex, x(dst), x(lhs), x(rhs)));
    } else {
        mov(a, dst, lhs);
        op(a, sse, dst, rhs);
    }
}

/// `r = all ones`.
fn ones(a: &mut X64, r: Reg) {
    op(a, Code::Pcmpeqd_xmm_xmmm128, r, r);
}

/// `dst = !dst`, clobbering `tmp`.
fn not(a: &mut X64, dst: Reg, tmp: Reg) {
    ones(a, tmp);
    op(a, Code::Pxor_xmm_xmmm128, dst, tmp);
}

/// `r = byte` in all 16 lanes (through `r11`).
fn splat8(a: &mut X64, r: Reg, byte: u8) {
    a.scratch_const(R11, byte as u64 * 0x0101_0101_0101_0101);
    a.emit(Instruction::with2(Code::Movq_xmm_rm64, x(r), q(R11)));
    pshufd(a, r, r, 0x44);
}

/// `dst` = each 64-bit lane of `src` replaced by copies of its sign bit.
fn sign64(a: &mut X64, dst: Reg, src: Reg) {
    pshufd(a, dst, src, 0xf5);
    op_imm(a, Code::Psrad_xmm_imm8, dst, 31);
}

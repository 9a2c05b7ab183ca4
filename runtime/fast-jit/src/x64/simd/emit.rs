//! The small emitting helpers every SIMD family shares: register forms of
//! vector instructions, and constants splatted across lanes.

use crate::masm::{Kind, Reg};
use crate::x64::{d, int, q, x, R11, X64};
use iced_x86::{Code, Instruction};

/// `dst = src` (whole register; nothing when they are the same).
pub(super) fn mov(a: &mut X64, dst: Reg, src: Reg) {
    int::mov(a, Kind::V128, dst, src);
}

/// `code dst, src`.
pub(super) fn rr(a: &mut X64, code: Code, dst: Reg, src: Reg) {
    a.emit(Instruction::with2(code, x(dst), x(src)));
}

/// `code dst, src, imm8`.
pub(super) fn rri(a: &mut X64, code: Code, dst: Reg, src: Reg, imm: u32) {
    a.emit(Instruction::with3(code, x(dst), x(src), imm));
}

/// `code dst, imm8` (the shifts by a constant).
pub(super) fn ri(a: &mut X64, code: Code, dst: Reg, imm: u32) {
    a.emit(Instruction::with2(code, x(dst), imm));
}

/// `dst = lhs; code dst, rhs`.
pub(super) fn binop(a: &mut X64, code: Code, dst: Reg, lhs: Reg, rhs: Reg) {
    mov(a, dst, lhs);
    rr(a, code, dst, rhs);
}

/// Every 32-bit lane of `dst` set to `v` (clobbers r11).
pub(super) fn splat32(a: &mut X64, dst: Reg, v: u32) {
    if v == 0 {
        rr(a, Code::Xorps_xmm_xmmm128, dst, dst);
        return;
    }
    a.scratch_const(R11, v as u64);
    a.emit(Instruction::with2(Code::Movd_xmm_rm32, x(dst), d(R11)));
    rri(a, Code::Pshufd_xmm_xmmm128_imm8, dst, dst, 0);
}

/// Both 64-bit lanes of `dst` set to `v` (clobbers r11).
pub(super) fn splat64(a: &mut X64, dst: Reg, v: u64) {
    a.scratch_const(R11, v);
    a.emit(Instruction::with2(Code::Movq_xmm_rm64, x(dst), q(R11)));
    rr(a, Code::Punpcklqdq_xmm_xmmm128, dst, dst);
}

/// `pshufd dst, src, order`.
pub(super) fn pshufd(a: &mut X64, dst: Reg, src: Reg, order: u32) {
    rri(a, Code::Pshufd_xmm_xmmm128_imm8, dst, src, order);
}

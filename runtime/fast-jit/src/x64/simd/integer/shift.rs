//! Lane shifts. The count is taken modulo the lane width; a register count
//! goes through `r11` into `xmm15` for the shift-by-xmm forms. x86 has no
//! 8-bit shifts (16-bit shifts with a byte mask, or a widen-shift-narrow
//! for `shr_s`) and no 64-bit arithmetic right shift (a logical shift
//! between sign flips).

use super::{mov, op, op_imm, sign64, splat8};
use crate::masm::{Operand, Reg};
use crate::x64::{d, x, R11, X64, XMM14, XMM15};
use iced_x86::{Code, Instruction};
use wasmparser::Operator;

/// A shift count: an immediate or `xmm15`.
#[derive(Clone, Copy)]
enum Count {
    Imm(u32),
    Xmm,
}

/// The count `amount mod bits`, plus `bias`.
fn count(a: &mut X64, amount: Operand, bits: u32, bias: u32) -> Count {
    match amount {
        Operand::Imm(n) => Count::Imm((n as u32 & (bits - 1)) + bias),
        Operand::Reg(r) => {
            a.emit(Instruction::with2(Code::Mov_r32_rm32, d(R11), d(r)));
            a.emit(Instruction::with2(Code::And_rm32_imm8, d(R11), bits - 1));
            if bias != 0 {
                a.emit(Instruction::with2(Code::Add_rm32_imm8, d(R11), bias));
            }
            a.emit(Instruction::with2(Code::Movd_xmm_rm32, x(XMM15), d(R11)));
            Count::Xmm
        }
    }
}

/// Shifts `dst` in place by `n` with the immediate or the xmm form.
fn shift_by(a: &mut X64, codes: (Code, Code), dst: Reg, n: Count) {
    match n {
        Count::Imm(0) => {}
        Count::Imm(n) => op_imm(a, codes.0, dst, n),
        Count::Xmm => op(a, codes.1, dst, XMM15),
    }
}

pub(super) fn shift(
    a: &mut X64,
    o: &Operator<'_>,
    dst: Reg,
    src: Reg,
    amount: Operand,
    tmp: Reg,
) -> bool {
    use Code as C;
    use Operator as O;
    let (bits, codes) = match o {
        O::I8x16Shl => return shl8(a, dst, src, amount, tmp),
        O::I8x16ShrU => return shr_u8(a, dst, src, amount, tmp),
        O::I8x16ShrS => return shr_s8(a, dst, src, amount, tmp),
        O::I64x2ShrS => return shr_s64(a, dst, src, amount, tmp),
        O::I16x8Shl => (16, (C::Psllw_xmm_imm8, C::Psllw_xmm_xmmm128)),
        O::I16x8ShrU => (16, (C::Psrlw_xmm_imm8, C::Psrlw_xmm_xmmm128)),
        O::I16x8ShrS => (16, (C::Psraw_xmm_imm8, C::Psraw_xmm_xmmm128)),
        O::I32x4Shl => (32, (C::Pslld_xmm_imm8, C::Pslld_xmm_xmmm128)),
        O::I32x4ShrU => (32, (C::Psrld_xmm_imm8, C::Psrld_xmm_xmmm128)),
        O::I32x4ShrS => (32, (C::Psrad_xmm_imm8, C::Psrad_xmm_xmmm128)),
        O::I64x2Shl => (64, (C::Psllq_xmm_imm8, C::Psllq_xmm_xmmm128)),
        O::I64x2ShrU => (64, (C::Psrlq_xmm_imm8, C::Psrlq_xmm_xmmm128)),
        _ => return false,
    };
    let n = count(a, amount, bits, 0);
    mov(a, dst, src);
    shift_by(a, codes, dst, n);
    true
}

/// 16-bit shift left, then clear the bits shifted in from the byte below.
fn shl8(a: &mut X64, dst: Reg, src: Reg, amount: Operand, tmp: Reg) -> bool {
    let n = count(a, amount, 8, 0);
    mov(a, dst, src);
    let codes = (Code::Psllw_xmm_imm8, Code::Psllw_xmm_xmmm128);
    shift_by(a, codes, dst, n);
    match n {
        Count::Imm(0) => return true,
        Count::Imm(n) => splat8(a, tmp, 0xff << n),
        Count::Xmm => {
            // The low byte of each `0xffff << n` word, in every byte.
            super::ones(a, tmp);
            shift_by(a, codes, tmp, n);
            op(a, Code::Pxor_xmm_xmmm128, XMM14, XMM14);
            op(a, Code::Pshufb_xmm_xmmm128, tmp, XMM14);
        }
    }
    op(a, Code::Pand_xmm_xmmm128, dst, tmp);
    true
}

/// 16-bit logical shift right, then clear the bits shifted in from the
/// byte above.
fn shr_u8(a: &mut X64, dst: Reg, src: Reg, amount: Operand, tmp: Reg) -> bool {
    let n = count(a, amount, 8, 0);
    mov(a, dst, src);
    let codes = (Code::Psrlw_xmm_imm8, Code::Psrlw_xmm_xmmm128);
    shift_by(a, codes, dst, n);
    match n {
        Count::Imm(0) => return true,
        Count::Imm(n) => splat8(a, tmp, 0xff >> n),
        Count::Xmm => {
            // Words `0x00ff >> n`, packed to bytes.
            super::ones(a, tmp);
            op_imm(a, Code::Psrlw_xmm_imm8, tmp, 8);
            shift_by(a, codes, tmp, n);
            op(a, Code::Packuswb_xmm_xmmm128, tmp, tmp);
        }
    }
    op(a, Code::Pand_xmm_xmmm128, dst, tmp);
    true
}

/// Each byte doubled into the high half of a word, 16-bit arithmetic
/// shift by `n + 8`, and packed back (the results fit a byte).
fn shr_s8(a: &mut X64, dst: Reg, src: Reg, amount: Operand, tmp: Reg) -> bool {
    let n = count(a, amount, 8, 8);
    let codes = (Code::Psraw_xmm_imm8, Code::Psraw_xmm_xmmm128);
    mov(a, tmp, src);
    op(a, Code::Punpckhbw_xmm_xmmm128, tmp, src);
    shift_by(a, codes, tmp, n);
    mov(a, dst, src);
    op(a, Code::Punpcklbw_xmm_xmmm128, dst, src);
    shift_by(a, codes, dst, n);
    op(a, Code::Packsswb_xmm_xmmm128, dst, tmp);
    true
}

/// `((x ^ s) >> n) ^ s` with `s` the lane's sign copied to every bit.
fn shr_s64(a: &mut X64, dst: Reg, src: Reg, amount: Operand, tmp: Reg) -> bool {
    let n = count(a, amount, 64, 0);
    mov(a, dst, src);
    if let Count::Imm(0) = n {
        return true;
    }
    sign64(a, tmp, src);
    op(a, Code::Pxor_xmm_xmmm128, dst, tmp);
    shift_by(a, (Code::Psrlq_xmm_imm8, Code::Psrlq_xmm_xmmm128), dst, n);
    op(a, Code::Pxor_xmm_xmmm128, dst, tmp);
    true
}

//! SIMD float lane arithmetic, compares, min/max and rounding (`f32x4` and
//! `f64x2`).

use super::emit::{binop, mov, ri, rr, rri};
use crate::masm::Reg;
use crate::x64::X64;
use iced_x86::Code;
use wasmparser::Operator;

/// The packed-single or packed-double form.
fn pick(wide: bool, ps: Code, pd: Code) -> Code {
    if wide {
        pd
    } else {
        ps
    }
}

pub(super) fn unary(a: &mut X64, op: &Operator<'_>, dst: Reg, src: Reg, tmp: Reg) -> bool {
    use Operator as O;
    let (wide, round) = match op {
        O::F32x4Nearest => (false, 0),
        O::F64x2Nearest => (true, 0),
        O::F32x4Floor => (false, 1),
        O::F64x2Floor => (true, 1),
        O::F32x4Ceil => (false, 2),
        O::F64x2Ceil => (true, 2),
        O::F32x4Trunc => (false, 3),
        O::F64x2Trunc => (true, 3),
        O::F32x4Sqrt | O::F64x2Sqrt => {
            let wide = matches!(op, O::F64x2Sqrt);
            let code = pick(wide, Code::Sqrtps_xmm_xmmm128, Code::Sqrtpd_xmm_xmmm128);
            rr(a, code, dst, src);
            return true;
        }
        O::F32x4Abs | O::F64x2Abs => {
            // All ones shifted right by one: every bit but the sign.
            rr(a, Code::Pcmpeqd_xmm_xmmm128, tmp, tmp);
            let wide = matches!(op, O::F64x2Abs);
            ri(
                a,
                pick(wide, Code::Psrld_xmm_imm8, Code::Psrlq_xmm_imm8),
                tmp,
                1,
            );
            binop(a, Code::Andps_xmm_xmmm128, dst, src, tmp);
            return true;
        }
        O::F32x4Neg | O::F64x2Neg => {
            rr(a, Code::Pcmpeqd_xmm_xmmm128, tmp, tmp);
            let (code, bits) = if matches!(op, O::F64x2Neg) {
                (Code::Psllq_xmm_imm8, 63)
            } else {
                (Code::Pslld_xmm_imm8, 31)
            };
            ri(a, code, tmp, bits);
            binop(a, Code::Xorps_xmm_xmmm128, dst, src, tmp);
            return true;
        }
        _ => return false,
    };
    let code = pick(
        wide,
        Code::Roundps_xmm_xmmm128_imm8,
        Code::Roundpd_xmm_xmmm128_imm8,
    );
    // Bit 3 suppresses the inexact exception; wasm has no flags to keep.
    rri(a, code, dst, src, round | 8);
    true
}

/// The shapes of the binary float operators.
#[derive(Clone, Copy)]
enum Bin {
    /// One instruction (packed-single form, packed-double form).
    Plain(Code, Code),
    Min,
    Max,
    /// `rhs < lhs ? rhs : lhs`: `minps` with the operands swapped.
    PMin,
    /// `lhs < rhs ? rhs : lhs`: `maxps` with the operands swapped.
    PMax,
    /// A `cmpps` predicate, and whether the operands are swapped.
    Cmp(u32, bool),
}

const EQ: u32 = 0;
const LT: u32 = 1;
const LE: u32 = 2;
const UNORD: u32 = 3;
const NEQ: u32 = 4;

pub(super) fn binary(
    a: &mut X64,
    op: &Operator<'_>,
    dst: Reg,
    lhs: Reg,
    rhs: Reg,
    tmp: Reg,
) -> bool {
    use Operator as O;
    let add = Bin::Plain(Code::Addps_xmm_xmmm128, Code::Addpd_xmm_xmmm128);
    let sub = Bin::Plain(Code::Subps_xmm_xmmm128, Code::Subpd_xmm_xmmm128);
    let mul = Bin::Plain(Code::Mulps_xmm_xmmm128, Code::Mulpd_xmm_xmmm128);
    let div = Bin::Plain(Code::Divps_xmm_xmmm128, Code::Divpd_xmm_xmmm128);
    let (wide, bin) = match op {
        O::F32x4Add => (false, add),
        O::F64x2Add => (true, add),
        O::F32x4Sub => (false, sub),
        O::F64x2Sub => (true, sub),
        O::F32x4Mul => (false, mul),
        O::F64x2Mul => (true, mul),
        O::F32x4Div => (false, div),
        O::F64x2Div => (true, div),
        O::F32x4Min => (false, Bin::Min),
        O::F64x2Min => (true, Bin::Min),
        O::F32x4Max => (false, Bin::Max),
        O::F64x2Max => (true, Bin::Max),
        O::F32x4PMin => (false, Bin::PMin),
        O::F64x2PMin => (true, Bin::PMin),
        O::F32x4PMax => (false, Bin::PMax),
        O::F64x2PMax => (true, Bin::PMax),
        O::F32x4Eq => (false, Bin::Cmp(EQ, false)),
        O::F64x2Eq => (true, Bin::Cmp(EQ, false)),
        O::F32x4Ne => (false, Bin::Cmp(NEQ, false)),
        O::F64x2Ne => (true, Bin::Cmp(NEQ, false)),
        O::F32x4Lt => (false, Bin::Cmp(LT, false)),
        O::F64x2Lt => (true, Bin::Cmp(LT, false)),
        O::F32x4Le => (false, Bin::Cmp(LE, false)),
        O::F64x2Le => (true, Bin::Cmp(LE, false)),
        O::F32x4Gt => (false, Bin::Cmp(LT, true)),
        O::F64x2Gt => (true, Bin::Cmp(LT, true)),
        O::F32x4Ge => (false, Bin::Cmp(LE, true)),
        O::F64x2Ge => (true, Bin::Cmp(LE, true)),
        _ => return false,
    };
    let min = pick(wide, Code::Minps_xmm_xmmm128, Code::Minpd_xmm_xmmm128);
    let max = pick(wide, Code::Maxps_xmm_xmmm128, Code::Maxpd_xmm_xmmm128);
    match bin {
        Bin::Plain(ps, pd) => binop(a, pick(wide, ps, pd), dst, lhs, rhs),
        Bin::PMin => binop(a, min, dst, rhs, lhs),
        Bin::PMax => binop(a, max, dst, rhs, lhs),
        Bin::Cmp(pred, swap) => {
            let (l, r) = if swap { (rhs, lhs) } else { (lhs, rhs) };
            mov(a, dst, l);
            let code = pick(
                wide,
                Code::Cmpps_xmm_xmmm128_imm8,
                Code::Cmppd_xmm_xmmm128_imm8,
            );
            rri(a, code, dst, r, pred);
        }
        Bin::Min | Bin::Max => min_max(a, matches!(bin, Bin::Max), wide, dst, lhs, rhs, tmp),
    }
    true
}

/// wasm `min`/`max`: NaN in either lane gives a (canonical) NaN and -0 is
/// below +0. `minps`/`maxps` return their second operand for NaNs and
/// equal operands, so both orders are computed: they differ only there.
fn min_max(a: &mut X64, is_max: bool, wide: bool, dst: Reg, lhs: Reg, rhs: Reg, tmp: Reg) {
    let op = if is_max {
        pick(wide, Code::Maxps_xmm_xmmm128, Code::Maxpd_xmm_xmmm128)
    } else {
        pick(wide, Code::Minps_xmm_xmmm128, Code::Minpd_xmm_xmmm128)
    };
    binop(a, op, tmp, rhs, lhs);
    binop(a, op, dst, lhs, rhs);
    // tmp and dst are equal except for NaN lanes or zeros of both signs.
    if is_max {
        // (tmp | dst) - (tmp ^ dst): the NaN, or +0 from -0 - -0.
        rr(a, Code::Xorps_xmm_xmmm128, dst, tmp);
        rr(a, Code::Orps_xmm_xmmm128, tmp, dst);
        let sub = pick(wide, Code::Subps_xmm_xmmm128, Code::Subpd_xmm_xmmm128);
        rr(a, sub, tmp, dst);
    } else {
        // tmp | dst: the NaN (some NaN), or -0.
        rr(a, Code::Orps_xmm_xmmm128, tmp, dst);
    }
    let cmp = pick(
        wide,
        Code::Cmpps_xmm_xmmm128_imm8,
        Code::Cmppd_xmm_xmmm128_imm8,
    );
    rri(a, cmp, dst, tmp, UNORD);
    // NaN lanes become sign, exponent and quiet bit only: canonical.
    rr(a, Code::Orps_xmm_xmmm128, tmp, dst);
    let (shift, bits) = if wide {
        (Code::Psrlq_xmm_imm8, 13)
    } else {
        (Code::Psrld_xmm_imm8, 10)
    };
    ri(a, shift, dst, bits);
    rr(a, Code::Andnps_xmm_xmmm128, dst, tmp);
}

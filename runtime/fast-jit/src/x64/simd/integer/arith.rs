//! Bitwise operators, `bitselect`, and integer lane arithmetic: add, sub,
//! mul, saturating add/sub, min/max, `avgr_u`, `neg`, `abs`, `popcnt`,
//! `q15mulr_sat_s`.

use super::{bin, mov, not, ones, op, op_imm, sign64, splat8};
use crate::masm::{Kind, Reg};
use crate::x64::int::mov_const;
use crate::x64::{X64, XMM14, XMM15};
use iced_x86::Code;
use wasmparser::Operator;

pub(super) fn unary(a: &mut X64, o: &Operator<'_>, dst: Reg, src: Reg, tmp: Reg) -> bool {
    use Operator as O;
    match o {
        O::V128Not => {
            mov(a, dst, src);
            not(a, dst, tmp);
        }
        O::I8x16Abs => op(a, Code::Pabsb_xmm_xmmm128, dst, src),
        O::I16x8Abs => op(a, Code::Pabsw_xmm_xmmm128, dst, src),
        O::I32x4Abs => op(a, Code::Pabsd_xmm_xmmm128, dst, src),
        O::I64x2Abs => {
            sign64(a, tmp, src);
            mov(a, dst, src);
            op(a, Code::Pxor_xmm_xmmm128, dst, tmp);
            op(a, Code::Psubq_xmm_xmmm128, dst, tmp);
        }
        O::I8x16Popcnt => popcnt(a, dst, src, tmp),
        O::I8x16Neg => neg(a, Code::Psubb_xmm_xmmm128, dst, src),
        O::I16x8Neg => neg(a, Code::Psubw_xmm_xmmm128, dst, src),
        O::I32x4Neg => neg(a, Code::Psubd_xmm_xmmm128, dst, src),
        O::I64x2Neg => neg(a, Code::Psubq_xmm_xmmm128, dst, src),
        _ => return false,
    }
    true
}

/// `dst = 0 - src` with the lane width's `psub`.
fn neg(a: &mut X64, sub: Code, dst: Reg, src: Reg) {
    op(a, Code::Pxor_xmm_xmmm128, dst, dst);
    op(a, sub, dst, src);
}

/// Per-byte population count: two 4-bit table lookups with `pshufb`.
fn popcnt(a: &mut X64, dst: Reg, src: Reg, tmp: Reg) {
    splat8(a, XMM14, 0x0f);
    mov(a, tmp, src);
    op_imm(a, Code::Psrlw_xmm_imm8, tmp, 4);
    op(a, Code::Pand_xmm_xmmm128, tmp, XMM14);
    op(a, Code::Pand_xmm_xmmm128, XMM14, src);
    let table = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];
    mov_const(a, Kind::V128, dst, u128::from_le_bytes(table));
    mov(a, XMM15, dst);
    op(a, Code::Pshufb_xmm_xmmm128, dst, XMM14);
    op(a, Code::Pshufb_xmm_xmmm128, XMM15, tmp);
    op(a, Code::Paddb_xmm_xmmm128, dst, XMM15);
}

/// The binary operators that are one instruction: SSE and VEX forms.
fn simple(o: &Operator<'_>) -> Option<(Code, Code)> {
    use Code as C;
    use Operator as O;
    Some(match o {
        O::V128And => (C::Pand_xmm_xmmm128, C::VEX_Vpand_xmm_xmm_xmmm128),
        O::V128Or => (C::Por_xmm_xmmm128, C::VEX_Vpor_xmm_xmm_xmmm128),
        O::V128Xor => (C::Pxor_xmm_xmmm128, C::VEX_Vpxor_xmm_xmm_xmmm128),
        O::I8x16Add => (C::Paddb_xmm_xmmm128, C::VEX_Vpaddb_xmm_xmm_xmmm128),
        O::I8x16AddSatS => (C::Paddsb_xmm_xmmm128, C::VEX_Vpaddsb_xmm_xmm_xmmm128),
        O::I8x16AddSatU => (C::Paddusb_xmm_xmmm128, C::VEX_Vpaddusb_xmm_xmm_xmmm128),
        O::I8x16Sub => (C::Psubb_xmm_xmmm128, C::VEX_Vpsubb_xmm_xmm_xmmm128),
        O::I8x16SubSatS => (C::Psubsb_xmm_xmmm128, C::VEX_Vpsubsb_xmm_xmm_xmmm128),
        O::I8x16SubSatU => (C::Psubusb_xmm_xmmm128, C::VEX_Vpsubusb_xmm_xmm_xmmm128),
        O::I8x16MinS => (C::Pminsb_xmm_xmmm128, C::VEX_Vpminsb_xmm_xmm_xmmm128),
        O::I8x16MinU => (C::Pminub_xmm_xmmm128, C::VEX_Vpminub_xmm_xmm_xmmm128),
        O::I8x16MaxS => (C::Pmaxsb_xmm_xmmm128, C::VEX_Vpmaxsb_xmm_xmm_xmmm128),
        O::I8x16MaxU => (C::Pmaxub_xmm_xmmm128, C::VEX_Vpmaxub_xmm_xmm_xmmm128),
        O::I8x16AvgrU => (C::Pavgb_xmm_xmmm128, C::VEX_Vpavgb_xmm_xmm_xmmm128),
        O::I16x8Add => (C::Paddw_xmm_xmmm128, C::VEX_Vpaddw_xmm_xmm_xmmm128),
        O::I16x8AddSatS => (C::Paddsw_xmm_xmmm128, C::VEX_Vpaddsw_xmm_xmm_xmmm128),
        O::I16x8AddSatU => (C::Paddusw_xmm_xmmm128, C::VEX_Vpaddusw_xmm_xmm_xmmm128),
        O::I16x8Sub => (C::Psubw_xmm_xmmm128, C::VEX_Vpsubw_xmm_xmm_xmmm128),
        O::I16x8SubSatS => (C::Psubsw_xmm_xmmm128, C::VEX_Vpsubsw_xmm_xmm_xmmm128),
        O::I16x8SubSatU => (C::Psubusw_xmm_xmmm128, C::VEX_Vpsubusw_xmm_xmm_xmmm128),
        O::I16x8Mul => (C::Pmullw_xmm_xmmm128, C::VEX_Vpmullw_xmm_xmm_xmmm128),
        O::I16x8MinS => (C::Pminsw_xmm_xmmm128, C::VEX_Vpminsw_xmm_xmm_xmmm128),
        O::I16x8MinU => (C::Pminuw_xmm_xmmm128, C::VEX_Vpminuw_xmm_xmm_xmmm128),
        O::I16x8MaxS => (C::Pmaxsw_xmm_xmmm128, C::VEX_Vpmaxsw_xmm_xmm_xmmm128),
        O::I16x8MaxU => (C::Pmaxuw_xmm_xmmm128, C::VEX_Vpmaxuw_xmm_xmm_xmmm128),
        O::I16x8AvgrU => (C::Pavgw_xmm_xmmm128, C::VEX_Vpavgw_xmm_xmm_xmmm128),
        O::I32x4Add => (C::Paddd_xmm_xmmm128, C::VEX_Vpaddd_xmm_xmm_xmmm128),
        O::I32x4Sub => (C::Psubd_xmm_xmmm128, C::VEX_Vpsubd_xmm_xmm_xmmm128),
        O::I32x4Mul => (C::Pmulld_xmm_xmmm128, C::VEX_Vpmulld_xmm_xmm_xmmm128),
        O::I32x4MinS => (C::Pminsd_xmm_xmmm128, C::VEX_Vpminsd_xmm_xmm_xmmm128),
        O::I32x4MinU => (C::Pminud_xmm_xmmm128, C::VEX_Vpminud_xmm_xmm_xmmm128),
        O::I32x4MaxS => (C::Pmaxsd_xmm_xmmm128, C::VEX_Vpmaxsd_xmm_xmm_xmmm128),
        O::I32x4MaxU => (C::Pmaxud_xmm_xmmm128, C::VEX_Vpmaxud_xmm_xmm_xmmm128),
        O::I64x2Add => (C::Paddq_xmm_xmmm128, C::VEX_Vpaddq_xmm_xmm_xmmm128),
        O::I64x2Sub => (C::Psubq_xmm_xmmm128, C::VEX_Vpsubq_xmm_xmm_xmmm128),
        _ => return None,
    })
}

pub(super) fn binary(
    a: &mut X64,
    o: &Operator<'_>,
    dst: Reg,
    lhs: Reg,
    rhs: Reg,
    tmp: Reg,
) -> bool {
    if let Some((sse, vex)) = simple(o) {
        bin(a, sse, vex, dst, lhs, rhs);
        return true;
    }
    match o {
        // `pandn` complements its first operand: `lhs & !rhs` = `pandn(rhs, lhs)`.
        Operator::V128AndNot => bin(
            a,
            Code::Pandn_xmm_xmmm128,
            Code::VEX_Vpandn_xmm_xmm_xmmm128,
            dst,
            rhs,
            lhs,
        ),
        Operator::I64x2Mul => mul64(a, dst, lhs, rhs, tmp),
        Operator::I16x8Q15MulrSatS => {
            bin(
                a,
                Code::Pmulhrsw_xmm_xmmm128,
                Code::VEX_Vpmulhrsw_xmm_xmm_xmmm128,
                dst,
                lhs,
                rhs,
            );
            // Only -0x8000 * -0x8000 gives 0x8000; it saturates to 0x7fff.
            ones(a, tmp);
            op_imm(a, Code::Psllw_xmm_imm8, tmp, 15);
            op(a, Code::Pcmpeqw_xmm_xmmm128, tmp, dst);
            op(a, Code::Pxor_xmm_xmmm128, dst, tmp);
        }
        _ => return false,
    }
    true
}

/// 64-bit lane multiply from 32x32->64 `pmuludq` products:
/// `lo*lo + ((hi_l*lo_r + lo_l*hi_r) << 32)`.
fn mul64(a: &mut X64, dst: Reg, lhs: Reg, rhs: Reg, tmp: Reg) {
    mov(a, tmp, lhs);
    op_imm(a, Code::Psrlq_xmm_imm8, tmp, 32);
    op(a, Code::Pmuludq_xmm_xmmm128, tmp, rhs);
    mov(a, XMM15, rhs);
    op_imm(a, Code::Psrlq_xmm_imm8, XMM15, 32);
    op(a, Code::Pmuludq_xmm_xmmm128, XMM15, lhs);
    op(a, Code::Paddq_xmm_xmmm128, tmp, XMM15);
    op_imm(a, Code::Psllq_xmm_imm8, tmp, 32);
    mov(a, dst, lhs);
    op(a, Code::Pmuludq_xmm_xmmm128, dst, rhs);
    op(a, Code::Paddq_xmm_xmmm128, dst, tmp);
}

/// `bitselect(v1, v2, c)` = `((v1 ^ v2) & c) ^ v2`.
pub(super) fn ternary(a: &mut X64, o: &Operator<'_>, dst: Reg, [v1, v2, c]: [Reg; 3]) -> bool {
    if !matches!(o, Operator::V128Bitselect) {
        return false;
    }
    mov(a, dst, v1);
    op(a, Code::Pxor_xmm_xmmm128, dst, v2);
    op(a, Code::Pand_xmm_xmmm128, dst, c);
    op(a, Code::Pxor_xmm_xmmm128, dst, v2);
    true
}

//! SIMD extends, narrows, extending multiplies and adds, the dot
//! product, float/int conversions, demote and promote.

use super::emit::{binop, mov, ri, rr, rri, splat32, splat64};
use crate::masm::Reg;
use crate::x64::{X64, XMM15};
use iced_x86::Code;
use wasmparser::Operator;

/// `pshufd` selector moving the high 64 bits to the low half.
const HIGH_HALF: u32 = 0b11_10_11_10;
/// `pshufd` selectors spreading dwords 0, 1 (or 2, 3) to dwords 0 and 2.
const LOW_PAIR: u32 = 0b01_01_00_00;
const HIGH_PAIR: u32 = 0b11_11_10_10;

/// 2^31 as an `f32`.
const F32_2P31: u32 = 0x4f00_0000;
/// 2^52 as an `f64`: an integer below 2^32 added to it lands in the low
/// mantissa bits.
const F64_2P52: u64 = 0x4330_0000_0000_0000;
/// `i32::MAX` and `u32::MAX` as `f64`s.
const F64_I32_MAX: u64 = 0x41df_ffff_ffc0_0000;
const F64_U32_MAX: u64 = 0x41ef_ffff_ffe0_0000;

/// A widening move (`pmovsx*`/`pmovzx*`) of the low or high half of `src`.
fn extend(a: &mut X64, code: Code, high: bool, dst: Reg, src: Reg) {
    if high {
        rri(a, Code::Pshufd_xmm_xmmm128_imm8, dst, src, HIGH_HALF);
        rr(a, code, dst, dst);
    } else {
        rr(a, code, dst, src);
    }
}

pub(super) fn unary(a: &mut X64, op: &Operator<'_>, dst: Reg, src: Reg, tmp: Reg) -> bool {
    use Operator as O;
    let ext = match op {
        O::I16x8ExtendLowI8x16S => Some((Code::Pmovsxbw_xmm_xmmm64, false)),
        O::I16x8ExtendHighI8x16S => Some((Code::Pmovsxbw_xmm_xmmm64, true)),
        O::I16x8ExtendLowI8x16U => Some((Code::Pmovzxbw_xmm_xmmm64, false)),
        O::I16x8ExtendHighI8x16U => Some((Code::Pmovzxbw_xmm_xmmm64, true)),
        O::I32x4ExtendLowI16x8S => Some((Code::Pmovsxwd_xmm_xmmm64, false)),
        O::I32x4ExtendHighI16x8S => Some((Code::Pmovsxwd_xmm_xmmm64, true)),
        O::I32x4ExtendLowI16x8U => Some((Code::Pmovzxwd_xmm_xmmm64, false)),
        O::I32x4ExtendHighI16x8U => Some((Code::Pmovzxwd_xmm_xmmm64, true)),
        O::I64x2ExtendLowI32x4S => Some((Code::Pmovsxdq_xmm_xmmm64, false)),
        O::I64x2ExtendHighI32x4S => Some((Code::Pmovsxdq_xmm_xmmm64, true)),
        O::I64x2ExtendLowI32x4U => Some((Code::Pmovzxdq_xmm_xmmm64, false)),
        O::I64x2ExtendHighI32x4U => Some((Code::Pmovzxdq_xmm_xmmm64, true)),
        _ => None,
    };
    if let Some((code, high)) = ext {
        extend(a, code, high, dst, src);
        return true;
    }
    match op {
        O::I16x8ExtAddPairwiseI8x16S => {
            // pmaddubsw: unsigned bytes of the destination times signed
            // bytes of the source, pairs summed.
            splat32(a, dst, 0x0101_0101);
            rr(a, Code::Pmaddubsw_xmm_xmmm128, dst, src);
        }
        O::I16x8ExtAddPairwiseI8x16U => {
            splat32(a, tmp, 0x0101_0101);
            binop(a, Code::Pmaddubsw_xmm_xmmm128, dst, src, tmp);
        }
        O::I32x4ExtAddPairwiseI16x8S => {
            splat32(a, tmp, 0x0001_0001);
            binop(a, Code::Pmaddwd_xmm_xmmm128, dst, src, tmp);
        }
        O::I32x4ExtAddPairwiseI16x8U => {
            mov(a, dst, src);
            ri(a, Code::Psrld_xmm_imm8, dst, 16);
            mov(a, tmp, src);
            ri(a, Code::Pslld_xmm_imm8, tmp, 16);
            ri(a, Code::Psrld_xmm_imm8, tmp, 16);
            rr(a, Code::Paddd_xmm_xmmm128, dst, tmp);
        }
        O::I32x4TruncSatF32x4S => trunc_sat_f32_s(a, dst, src, tmp),
        O::I32x4TruncSatF32x4U => trunc_sat_f32_u(a, dst, src, tmp),
        O::I32x4TruncSatF64x2SZero => {
            // NaN lanes clamp to 0, the rest to at most i32::MAX; below
            // i32::MIN cvttpd2dq already gives i32::MIN.
            mov(a, tmp, src);
            rri(a, Code::Cmppd_xmm_xmmm128_imm8, tmp, tmp, 0);
            splat64(a, XMM15, F64_I32_MAX);
            rr(a, Code::Andpd_xmm_xmmm128, tmp, XMM15);
            binop(a, Code::Minpd_xmm_xmmm128, dst, src, tmp);
            rr(a, Code::Cvttpd2dq_xmm_xmmm128, dst, dst);
        }
        O::I32x4TruncSatF64x2UZero => {
            rr(a, Code::Xorpd_xmm_xmmm128, tmp, tmp);
            // maxpd gives its second operand (0) for NaN.
            binop(a, Code::Maxpd_xmm_xmmm128, dst, src, tmp);
            splat64(a, XMM15, F64_U32_MAX);
            rr(a, Code::Minpd_xmm_xmmm128, dst, XMM15);
            rri(a, Code::Roundpd_xmm_xmmm128_imm8, dst, dst, 3 | 8);
            splat64(a, XMM15, F64_2P52);
            rr(a, Code::Addpd_xmm_xmmm128, dst, XMM15);
            // The low dwords of both lanes, then two zero dwords.
            rri(a, Code::Shufps_xmm_xmmm128_imm8, dst, tmp, 0b10_00_10_00);
        }
        O::F32x4ConvertI32x4S => rr(a, Code::Cvtdq2ps_xmm_xmmm128, dst, src),
        O::F32x4ConvertI32x4U => {
            // The low 16 bits convert exactly, and so do the high 16 bits
            // halved (then doubled); the one rounding is in the final add.
            mov(a, tmp, src);
            ri(a, Code::Pslld_xmm_imm8, tmp, 16);
            ri(a, Code::Psrld_xmm_imm8, tmp, 16);
            binop(a, Code::Psubd_xmm_xmmm128, dst, src, tmp);
            rr(a, Code::Cvtdq2ps_xmm_xmmm128, tmp, tmp);
            ri(a, Code::Psrld_xmm_imm8, dst, 1);
            rr(a, Code::Cvtdq2ps_xmm_xmmm128, dst, dst);
            rr(a, Code::Addps_xmm_xmmm128, dst, dst);
            rr(a, Code::Addps_xmm_xmmm128, dst, tmp);
        }
        O::F64x2ConvertLowI32x4S => rr(a, Code::Cvtdq2pd_xmm_xmmm64, dst, src),
        O::F64x2ConvertLowI32x4U => {
            rr(a, Code::Pmovzxdq_xmm_xmmm64, dst, src);
            splat64(a, XMM15, F64_2P52);
            rr(a, Code::Orpd_xmm_xmmm128, dst, XMM15);
            rr(a, Code::Subpd_xmm_xmmm128, dst, XMM15);
        }
        O::F32x4DemoteF64x2Zero => rr(a, Code::Cvtpd2ps_xmm_xmmm128, dst, src),
        O::F64x2PromoteLowF32x4 => rr(a, Code::Cvtps2pd_xmm_xmmm64, dst, src),
        _ => return false,
    }
    true
}

/// `cvttps2dq` gives 0x80000000 for NaN and out-of-range lanes: NaN lanes
/// are zeroed first, and positive overflow is flipped to 0x7fffffff.
fn trunc_sat_f32_s(a: &mut X64, dst: Reg, src: Reg, tmp: Reg) {
    mov(a, tmp, src);
    rri(a, Code::Cmpps_xmm_xmmm128_imm8, tmp, tmp, 0);
    binop(a, Code::Andps_xmm_xmmm128, dst, src, tmp);
    // tmp's sign bit: set for non-negative lanes.
    rr(a, Code::Pxor_xmm_xmmm128, tmp, dst);
    rr(a, Code::Cvttps2dq_xmm_xmmm128, dst, dst);
    rr(a, Code::Pand_xmm_xmmm128, tmp, dst);
    ri(a, Code::Psrad_xmm_imm8, tmp, 31);
    rr(a, Code::Pxor_xmm_xmmm128, dst, tmp);
}

/// Lanes below 2^31 convert directly; the rest as `x - 2^31` (saturated
/// to 0x7fffffff at 2^32) added to the direct result, 0x80000000.
fn trunc_sat_f32_u(a: &mut X64, dst: Reg, src: Reg, tmp: Reg) {
    rr(a, Code::Xorps_xmm_xmmm128, tmp, tmp);
    // maxps gives its second operand (0) for NaN.
    binop(a, Code::Maxps_xmm_xmmm128, dst, src, tmp);
    splat32(a, XMM15, F32_2P31);
    binop(a, Code::Subps_xmm_xmmm128, tmp, dst, XMM15);
    // XMM15: lanes at or above 2^32.
    rri(a, Code::Cmpps_xmm_xmmm128_imm8, XMM15, tmp, 2);
    rr(a, Code::Cvttps2dq_xmm_xmmm128, tmp, tmp);
    rr(a, Code::Pxor_xmm_xmmm128, tmp, XMM15);
    rr(a, Code::Pxor_xmm_xmmm128, XMM15, XMM15);
    rr(a, Code::Pmaxsd_xmm_xmmm128, tmp, XMM15);
    rr(a, Code::Cvttps2dq_xmm_xmmm128, dst, dst);
    rr(a, Code::Paddd_xmm_xmmm128, dst, tmp);
}

pub(super) fn binary(
    a: &mut X64,
    op: &Operator<'_>,
    dst: Reg,
    lhs: Reg,
    rhs: Reg,
    tmp: Reg,
) -> bool {
    use Operator as O;
    match op {
        O::I8x16NarrowI16x8S => binop(a, Code::Packsswb_xmm_xmmm128, dst, lhs, rhs),
        O::I8x16NarrowI16x8U => binop(a, Code::Packuswb_xmm_xmmm128, dst, lhs, rhs),
        O::I16x8NarrowI32x4S => binop(a, Code::Packssdw_xmm_xmmm128, dst, lhs, rhs),
        O::I16x8NarrowI32x4U => binop(a, Code::Packusdw_xmm_xmmm128, dst, lhs, rhs),
        O::I32x4DotI16x8S => binop(a, Code::Pmaddwd_xmm_xmmm128, dst, lhs, rhs),
        O::I16x8ExtMulLowI8x16S
        | O::I16x8ExtMulHighI8x16S
        | O::I16x8ExtMulLowI8x16U
        | O::I16x8ExtMulHighI8x16U => {
            let signed = matches!(op, O::I16x8ExtMulLowI8x16S | O::I16x8ExtMulHighI8x16S);
            let high = matches!(op, O::I16x8ExtMulHighI8x16S | O::I16x8ExtMulHighI8x16U);
            let code = if signed {
                Code::Pmovsxbw_xmm_xmmm64
            } else {
                Code::Pmovzxbw_xmm_xmmm64
            };
            extend(a, code, high, dst, lhs);
            extend(a, code, high, tmp, rhs);
            rr(a, Code::Pmullw_xmm_xmmm128, dst, tmp);
        }
        O::I32x4ExtMulLowI16x8S
        | O::I32x4ExtMulHighI16x8S
        | O::I32x4ExtMulLowI16x8U
        | O::I32x4ExtMulHighI16x8U => {
            // Low and high halves of the 32-bit products, interleaved.
            let signed = matches!(op, O::I32x4ExtMulLowI16x8S | O::I32x4ExtMulHighI16x8S);
            let high = matches!(op, O::I32x4ExtMulHighI16x8S | O::I32x4ExtMulHighI16x8U);
            binop(a, Code::Pmullw_xmm_xmmm128, dst, lhs, rhs);
            let mulh = if signed {
                Code::Pmulhw_xmm_xmmm128
            } else {
                Code::Pmulhuw_xmm_xmmm128
            };
            binop(a, mulh, tmp, lhs, rhs);
            let unpack = if high {
                Code::Punpckhwd_xmm_xmmm128
            } else {
                Code::Punpcklwd_xmm_xmmm128
            };
            rr(a, unpack, dst, tmp);
        }
        O::I64x2ExtMulLowI32x4S
        | O::I64x2ExtMulHighI32x4S
        | O::I64x2ExtMulLowI32x4U
        | O::I64x2ExtMulHighI32x4U => {
            // pmuldq/pmuludq multiply dwords 0 and 2.
            let signed = matches!(op, O::I64x2ExtMulLowI32x4S | O::I64x2ExtMulHighI32x4S);
            let high = matches!(op, O::I64x2ExtMulHighI32x4S | O::I64x2ExtMulHighI32x4U);
            let sel = if high { HIGH_PAIR } else { LOW_PAIR };
            rri(a, Code::Pshufd_xmm_xmmm128_imm8, dst, lhs, sel);
            rri(a, Code::Pshufd_xmm_xmmm128_imm8, tmp, rhs, sel);
            let mul = if signed {
                Code::Pmuldq_xmm_xmmm128
            } else {
                Code::Pmuludq_xmm_xmmm128
            };
            rr(a, mul, dst, tmp);
        }
        _ => return false,
    }
    true
}

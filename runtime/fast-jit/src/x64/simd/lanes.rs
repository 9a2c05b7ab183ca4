//! SIMD splats, lane extract/replace, shuffles and swizzle.

use super::emit::pshufd;
use crate::masm::{Kind, Reg};
use crate::x64::int::{mov, mov_const};
use crate::x64::{b, d, q, w, x, X64, XMM15};
use iced_x86::{Code, Instruction};
use wasmparser::Operator;

/// `pshufb` control bytes that zero a lane.
const ZERO_LANE: u8 = 0x80;

pub(super) fn binary(
    a: &mut X64,
    op: &Operator<'_>,
    dst: Reg,
    lhs: Reg,
    rhs: Reg,
    tmp: Reg,
) -> bool {
    match op {
        Operator::I8x16Shuffle { lanes } => shuffle(a, lanes, dst, lhs, rhs, tmp),
        Operator::I8x16Swizzle => {
            // Out-of-range indices saturate to bit 7 set, which `pshufb` zeroes.
            mov_const(a, Kind::V128, XMM15, u128::from_le_bytes([0x70; 16]));
            mov(a, Kind::V128, tmp, rhs);
            a.emit(Instruction::with2(
                Code::Paddusb_xmm_xmmm128,
                x(tmp),
                x(XMM15),
            ));
            pshufb(a, dst, lhs, tmp);
        }
        _ => return false,
    }
    true
}

fn shuffle(a: &mut X64, lanes: &[u8; 16], dst: Reg, lhs: Reg, rhs: Reg, tmp: Reg) {
    let pick = |from_rhs: bool| {
        u128::from_le_bytes(lanes.map(|l| {
            if (l >= 16) == from_rhs {
                l & 15
            } else {
                ZERO_LANE
            }
        }))
    };
    let uses_lhs = lanes.iter().any(|&l| l < 16);
    let uses_rhs = lanes.iter().any(|&l| l >= 16);
    if uses_lhs {
        mov_const(a, Kind::V128, XMM15, pick(false));
        pshufb(a, dst, lhs, XMM15);
    }
    if uses_rhs {
        let part = if uses_lhs { tmp } else { dst };
        mov_const(a, Kind::V128, XMM15, pick(true));
        pshufb(a, part, rhs, XMM15);
        if uses_lhs {
            a.emit(Instruction::with2(Code::Por_xmm_xmmm128, x(dst), x(tmp)));
        }
    }
}

/// `dst = pshufb(src, mask)`; `dst` may not be `mask`.
fn pshufb(a: &mut X64, dst: Reg, src: Reg, mask: Reg) {
    if a.features.avx {
        a.emit(Instruction::with3(
            Code::VEX_Vpshufb_xmm_xmm_xmmm128,
            x(dst),
            x(src),
            x(mask),
        ));
    } else {
        mov(a, Kind::V128, dst, src);
        a.emit(Instruction::with2(
            Code::Pshufb_xmm_xmmm128,
            x(dst),
            x(mask),
        ));
    }
}

pub(super) fn splat(a: &mut X64, op: &Operator<'_>, dst: Reg, src: Reg) -> bool {
    match op {
        Operator::I8x16Splat => {
            a.emit(Instruction::with2(Code::Movd_xmm_rm32, x(dst), d(src)));
            a.emit(Instruction::with2(
                Code::Pxor_xmm_xmmm128,
                x(XMM15),
                x(XMM15),
            ));
            a.emit(Instruction::with2(
                Code::Pshufb_xmm_xmmm128,
                x(dst),
                x(XMM15),
            ));
        }
        Operator::I16x8Splat => {
            a.emit(Instruction::with2(Code::Movd_xmm_rm32, x(dst), d(src)));
            a.emit(Instruction::with3(
                Code::Pshuflw_xmm_xmmm128_imm8,
                x(dst),
                x(dst),
                0u32,
            ));
            pshufd(a, dst, dst, 0);
        }
        Operator::I32x4Splat => {
            a.emit(Instruction::with2(Code::Movd_xmm_rm32, x(dst), d(src)));
            pshufd(a, dst, dst, 0);
        }
        Operator::I64x2Splat => {
            a.emit(Instruction::with2(Code::Movq_xmm_rm64, x(dst), q(src)));
            pshufd(a, dst, dst, 0x44);
        }
        Operator::F32x4Splat => pshufd(a, dst, src, 0),
        Operator::F64x2Splat => pshufd(a, dst, src, 0x44),
        _ => return false,
    }
    true
}

pub(super) fn extract(a: &mut X64, op: &Operator<'_>, dst: Reg, src: Reg) -> bool {
    match *op {
        Operator::I8x16ExtractLaneS { lane } | Operator::I8x16ExtractLaneU { lane } => {
            a.emit(Instruction::with3(
                Code::Pextrb_r32m8_xmm_imm8,
                d(dst),
                x(src),
                u32::from(lane),
            ));
            if matches!(op, Operator::I8x16ExtractLaneS { .. }) {
                a.emit(Instruction::with2(Code::Movsx_r32_rm8, d(dst), b(dst)));
            }
        }
        Operator::I16x8ExtractLaneS { lane } | Operator::I16x8ExtractLaneU { lane } => {
            a.emit(Instruction::with3(
                Code::Pextrw_r32_xmm_imm8,
                d(dst),
                x(src),
                u32::from(lane),
            ));
            if matches!(op, Operator::I16x8ExtractLaneS { .. }) {
                a.emit(Instruction::with2(Code::Movsx_r32_rm16, d(dst), w(dst)));
            }
        }
        Operator::I32x4ExtractLane { lane: 0 } => mov(a, Kind::I32, dst, src),
        Operator::I32x4ExtractLane { lane } => a.emit(Instruction::with3(
            Code::Pextrd_rm32_xmm_imm8,
            d(dst),
            x(src),
            u32::from(lane),
        )),
        Operator::I64x2ExtractLane { lane: 0 } => mov(a, Kind::I64, dst, src),
        Operator::I64x2ExtractLane { lane } => a.emit(Instruction::with3(
            Code::Pextrq_rm64_xmm_imm8,
            q(dst),
            x(src),
            u32::from(lane),
        )),
        // Lane 0 of the result is the scalar; the lanes above it are ignored.
        Operator::F32x4ExtractLane { lane: 0 } | Operator::F64x2ExtractLane { lane: 0 } => {
            mov(a, Kind::V128, dst, src)
        }
        Operator::F32x4ExtractLane { lane } => pshufd(a, dst, src, u32::from(lane)),
        Operator::F64x2ExtractLane { .. } => pshufd(a, dst, src, 0xee),
        _ => return false,
    }
    true
}

pub(super) fn replace(a: &mut X64, op: &Operator<'_>, dst: Reg, vec: Reg, scalar: Reg) -> bool {
    let (code, lane, s) = match *op {
        Operator::I8x16ReplaceLane { lane } => (Code::Pinsrb_xmm_r32m8_imm8, lane, d(scalar)),
        Operator::I16x8ReplaceLane { lane } => (Code::Pinsrw_xmm_r32m16_imm8, lane, d(scalar)),
        Operator::I32x4ReplaceLane { lane } => (Code::Pinsrd_xmm_rm32_imm8, lane, d(scalar)),
        Operator::I64x2ReplaceLane { lane } => (Code::Pinsrq_xmm_rm64_imm8, lane, q(scalar)),
        Operator::F32x4ReplaceLane { lane } => {
            (Code::Insertps_xmm_xmmm32_imm8, lane << 4, x(scalar))
        }
        Operator::F64x2ReplaceLane { lane } => {
            mov(a, Kind::V128, dst, vec);
            let code = if lane == 0 {
                Code::Movsd_xmm_xmmm64
            } else {
                Code::Movlhps_xmm_xmm
            };
            a.emit(Instruction::with2(code, x(dst), x(scalar)));
            return true;
        }
        _ => return false,
    };
    mov(a, Kind::V128, dst, vec);
    a.emit(Instruction::with3(code, x(dst), s, u32::from(lane)));
    true
}

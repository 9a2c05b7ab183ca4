//! SIMD loads and stores: the extending, splatting and zeroing
//! `v128.load*` forms and the lane loads and stores.
//!
//! Every access reads or writes exactly the operator's width, so an
//! out-of-bounds access faults in the guard pages like a scalar one.

use crate::masm::{Kind, Mem, Reg};
use crate::x64::int::mov;
use crate::x64::{d, mem, x, R11, X64, XMM15};
use iced_x86::{Code, Instruction};
use wasmparser::Operator;

pub(super) fn load(a: &mut X64, op: &Operator<'_>, dst: Reg, m: Mem) -> bool {
    let code = match op {
        Operator::V128Load { .. } => Code::Movdqu_xmm_xmmm128,
        Operator::V128Load8x8S { .. } => Code::Pmovsxbw_xmm_xmmm64,
        Operator::V128Load8x8U { .. } => Code::Pmovzxbw_xmm_xmmm64,
        Operator::V128Load16x4S { .. } => Code::Pmovsxwd_xmm_xmmm64,
        Operator::V128Load16x4U { .. } => Code::Pmovzxwd_xmm_xmmm64,
        Operator::V128Load32x2S { .. } => Code::Pmovsxdq_xmm_xmmm64,
        Operator::V128Load32x2U { .. } => Code::Pmovzxdq_xmm_xmmm64,
        Operator::V128Load32Zero { .. } => Code::Movss_xmm_xmmm32,
        Operator::V128Load64Zero { .. } => Code::Movq_xmm_xmmm64,
        Operator::V128Load64Splat { .. } => Code::Movddup_xmm_xmmm64,
        Operator::V128Load32Splat { .. } => {
            a.emit(Instruction::with2(Code::Movss_xmm_xmmm32, x(dst), mem(m)));
            a.emit(Instruction::with3(
                Code::Pshufd_xmm_xmmm128_imm8,
                x(dst),
                x(dst),
                0u32,
            ));
            return true;
        }
        Operator::V128Load16Splat { .. } => {
            a.emit(Instruction::with2(Code::Movzx_r32_rm16, d(R11), mem(m)));
            a.emit(Instruction::with2(Code::Movd_xmm_rm32, x(dst), d(R11)));
            a.emit(Instruction::with3(
                Code::Pshuflw_xmm_xmmm128_imm8,
                x(dst),
                x(dst),
                0u32,
            ));
            a.emit(Instruction::with3(
                Code::Pshufd_xmm_xmmm128_imm8,
                x(dst),
                x(dst),
                0u32,
            ));
            return true;
        }
        Operator::V128Load8Splat { .. } => {
            a.emit(Instruction::with2(Code::Movzx_r32_rm8, d(R11), mem(m)));
            a.emit(Instruction::with2(Code::Movd_xmm_rm32, x(dst), d(R11)));
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
            return true;
        }
        _ => return false,
    };
    a.emit(Instruction::with2(code, x(dst), mem(m)));
    true
}

pub(super) fn load_lane(a: &mut X64, op: &Operator<'_>, dst: Reg, vec: Reg, m: Mem) -> bool {
    let (code, lane) = match *op {
        Operator::V128Load8Lane { lane, .. } => (Code::Pinsrb_xmm_r32m8_imm8, lane),
        Operator::V128Load16Lane { lane, .. } => (Code::Pinsrw_xmm_r32m16_imm8, lane),
        Operator::V128Load32Lane { lane, .. } => (Code::Pinsrd_xmm_rm32_imm8, lane),
        Operator::V128Load64Lane { lane, .. } => (Code::Pinsrq_xmm_rm64_imm8, lane),
        _ => return false,
    };
    mov(a, Kind::V128, dst, vec);
    a.emit(Instruction::with3(code, x(dst), mem(m), u32::from(lane)));
    true
}

pub(super) fn store_lane(a: &mut X64, op: &Operator<'_>, m: Mem, src: Reg) -> bool {
    let (code, lane) = match *op {
        Operator::V128Store8Lane { lane, .. } => (Code::Pextrb_r32m8_xmm_imm8, lane),
        Operator::V128Store16Lane { lane, .. } => (Code::Pextrw_r32m16_xmm_imm8, lane),
        Operator::V128Store32Lane { lane, .. } => (Code::Pextrd_rm32_xmm_imm8, lane),
        Operator::V128Store64Lane { lane, .. } => (Code::Pextrq_rm64_xmm_imm8, lane),
        _ => return false,
    };
    a.emit(Instruction::with3(code, mem(m), x(src), u32::from(lane)));
    true
}

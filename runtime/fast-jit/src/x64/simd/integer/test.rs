//! `v128` -> `i32` lane tests: `any_true`, `all_true`, `bitmask`.

use super::{mov, op};
use crate::masm::Reg;
use crate::x64::{b, d, x, X64};
use iced_x86::{Code, Instruction};
use wasmparser::Operator;

pub(super) fn test(a: &mut X64, o: &Operator<'_>, dst: Reg, src: Reg, tmp: Reg) -> bool {
    use Operator as O;
    let eq = match o {
        O::V128AnyTrue => {
            zero(a, dst);
            a.emit(Instruction::with2(Code::Ptest_xmm_xmmm128, x(src), x(src)));
            a.emit(Instruction::with1(Code::Setne_rm8, b(dst)));
            return true;
        }
        O::I8x16Bitmask => return movmsk(a, Code::Pmovmskb_r32_xmm, dst, src),
        O::I32x4Bitmask => return movmsk(a, Code::Movmskps_r32_xmm, dst, src),
        O::I64x2Bitmask => return movmsk(a, Code::Movmskpd_r32_xmm, dst, src),
        O::I16x8Bitmask => {
            // Signed saturation keeps each lane's sign in its byte.
            mov(a, tmp, src);
            op(a, Code::Packsswb_xmm_xmmm128, tmp, tmp);
            movmsk(a, Code::Pmovmskb_r32_xmm, dst, tmp);
            a.emit(Instruction::with2(Code::Movzx_r32_rm8, d(dst), b(dst)));
            return true;
        }
        O::I8x16AllTrue => Code::Pcmpeqb_xmm_xmmm128,
        O::I16x8AllTrue => Code::Pcmpeqw_xmm_xmmm128,
        O::I32x4AllTrue => Code::Pcmpeqd_xmm_xmmm128,
        O::I64x2AllTrue => Code::Pcmpeqq_xmm_xmmm128,
        _ => return false,
    };
    // All lanes are non-zero when comparing them with zero finds none.
    op(a, Code::Pxor_xmm_xmmm128, tmp, tmp);
    op(a, eq, tmp, src);
    zero(a, dst);
    a.emit(Instruction::with2(Code::Ptest_xmm_xmmm128, x(tmp), x(tmp)));
    a.emit(Instruction::with1(Code::Sete_rm8, b(dst)));
    true
}

/// `xor dst, dst` (before the flags that `setcc` reads are set).
fn zero(a: &mut X64, dst: Reg) {
    a.emit(Instruction::with2(Code::Xor_r32_rm32, d(dst), d(dst)));
}

/// One sign bit per lane into `dst`: `pmovmskb`, `movmskps` or `movmskpd`.
fn movmsk(a: &mut X64, code: Code, dst: Reg, src: Reg) -> bool {
    a.emit(Instruction::with2(code, d(dst), x(src)));
    true
}

//! x86-64 unary integer operations: bit counts (with fallbacks for CPUs
//! without lzcnt, tzcnt or popcnt) and sign extensions.

use super::int::{cmov, mov};
use super::*;

pub(super) fn int_unop(a: &mut X64, op: IntUnOp, wide: bool, dst: Reg, src: Reg) {
    let (gd, gs) = (g(dst, wide), g(src, wide));
    let bits: u32 = if wide { 64 } else { 32 };
    match op {
        IntUnOp::Clz if a.features.lzcnt => a.emit(Instruction::with2(
            if wide {
                Code::Lzcnt_r64_rm64
            } else {
                Code::Lzcnt_r32_rm32
            },
            gd,
            gs,
        )),
        IntUnOp::Clz => {
            let bsr = if wide {
                Code::Bsr_r64_rm64
            } else {
                Code::Bsr_r32_rm32
            };
            a.emit(Instruction::with2(bsr, gd, gs));
            a.emit(Instruction::with2(
                Code::Mov_r32_imm32,
                d(R11),
                2 * bits - 1,
            ));
            cmov(a, Cond::Eq, wide, dst, R11);
            a.emit(Instruction::with2(
                Code::Xor_rm32_imm8,
                d(dst),
                (bits - 1) as i32,
            ));
        }
        IntUnOp::Ctz if a.features.bmi1 => a.emit(Instruction::with2(
            if wide {
                Code::Tzcnt_r64_rm64
            } else {
                Code::Tzcnt_r32_rm32
            },
            gd,
            gs,
        )),
        IntUnOp::Ctz => {
            let bsf = if wide {
                Code::Bsf_r64_rm64
            } else {
                Code::Bsf_r32_rm32
            };
            a.emit(Instruction::with2(bsf, gd, gs));
            a.emit(Instruction::with2(Code::Mov_r32_imm32, d(R11), bits));
            cmov(a, Cond::Eq, wide, dst, R11);
        }
        IntUnOp::Popcnt if a.features.popcnt => a.emit(Instruction::with2(
            if wide {
                Code::Popcnt_r64_rm64
            } else {
                Code::Popcnt_r32_rm32
            },
            gd,
            gs,
        )),
        IntUnOp::Popcnt => popcount_swar(a, wide, dst, src),
        IntUnOp::Extend8S => a.emit(Instruction::with2(
            if wide {
                Code::Movsx_r64_rm8
            } else {
                Code::Movsx_r32_rm8
            },
            gd,
            b(src),
        )),
        IntUnOp::Extend16S => a.emit(Instruction::with2(
            if wide {
                Code::Movsx_r64_rm16
            } else {
                Code::Movsx_r32_rm16
            },
            gd,
            w(src),
        )),
        IntUnOp::Extend32S => a.emit(Instruction::with2(Code::Movsxd_r64_rm32, q(dst), d(src))),
    }
}

/// Population count without the `popcnt` instruction.
fn popcount_swar(a: &mut X64, wide: bool, dst: Reg, src: Reg) {
    let kind = if wide { Kind::I64 } else { Kind::I32 };
    let rep = |byte: u64| -> u64 {
        let v = byte * 0x0101_0101_0101_0101;
        if wide {
            v
        } else {
            v as u32 as u64
        }
    };
    let and = |a: &mut X64, r: Reg, m: u64| {
        a.scratch_const(R10, m);
        let code = if wide {
            Code::And_r64_rm64
        } else {
            Code::And_r32_rm32
        };
        a.emit(Instruction::with2(code, g(r, wide), g(R10, wide)));
    };
    let shr = |a: &mut X64, r: Reg, n: u32| {
        let code = if wide {
            Code::Shr_rm64_imm8
        } else {
            Code::Shr_rm32_imm8
        };
        a.emit(Instruction::with2(code, g(r, wide), n));
    };
    let (add, sub) = if wide {
        (Code::Add_r64_rm64, Code::Sub_r64_rm64)
    } else {
        (Code::Add_r32_rm32, Code::Sub_r32_rm32)
    };
    mov(a, kind, dst, src);
    mov(a, kind, R11, dst);
    shr(a, R11, 1);
    and(a, R11, rep(0x55));
    a.emit(Instruction::with2(sub, g(dst, wide), g(R11, wide)));
    mov(a, kind, R11, dst);
    shr(a, R11, 2);
    and(a, R11, rep(0x33));
    and(a, dst, rep(0x33));
    a.emit(Instruction::with2(add, g(dst, wide), g(R11, wide)));
    mov(a, kind, R11, dst);
    shr(a, R11, 4);
    a.emit(Instruction::with2(add, g(dst, wide), g(R11, wide)));
    and(a, dst, rep(0x0f));
    a.scratch_const(R10, rep(0x01));
    let imul = if wide {
        Code::Imul_r64_rm64
    } else {
        Code::Imul_r32_rm32
    };
    a.emit(Instruction::with2(imul, g(dst, wide), g(R10, wide)));
    shr(a, dst, if wide { 56 } else { 24 });
}

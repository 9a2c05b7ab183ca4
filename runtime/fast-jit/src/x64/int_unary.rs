//! x86-64 unary integer operations: bit counts (with fallbacks for CPUs
//! without lzcnt, tzcnt or popcnt) and sign extensions.

use super::encode::{self, alu_imm, Rm};
use super::int::{cmov, mov};
use super::*;

/// `reg <- op rm` with a two-byte opcode `0f op` and an optional
/// mandatory prefix (`f3` for lzcnt, tzcnt, popcnt).
fn op_rr(a: &mut X64, prefix: Option<u8>, op: u8, wide: bool, dst: Reg, src: Reg, byte: bool) {
    encode::op_rm_prefixed(a, prefix, &[0x0f, op], wide, dst.0, Rm::Reg(src), byte);
}

pub(super) fn int_unop(a: &mut X64, op: IntUnOp, wide: bool, dst: Reg, src: Reg) {
    let bits: u32 = if wide { 64 } else { 32 };
    match op {
        // lzcnt
        IntUnOp::Clz if a.features.lzcnt => op_rr(a, Some(0xf3), 0xbd, wide, dst, src, false),
        IntUnOp::Clz => {
            // bsr; a zero source leaves the flags ZF and the result 2*bits-1
            op_rr(a, None, 0xbd, wide, dst, src, false);
            a.scratch_const(R11, (2 * bits - 1) as u64);
            cmov(a, Cond::Eq, wide, dst, R11);
            alu_imm(a, 6, false, Rm::Reg(dst), (bits - 1) as i32);
        }
        // tzcnt
        IntUnOp::Ctz if a.features.bmi1 => op_rr(a, Some(0xf3), 0xbc, wide, dst, src, false),
        IntUnOp::Ctz => {
            // bsf
            op_rr(a, None, 0xbc, wide, dst, src, false);
            a.scratch_const(R11, bits as u64);
            cmov(a, Cond::Eq, wide, dst, R11);
        }
        // popcnt
        IntUnOp::Popcnt if a.features.popcnt => op_rr(a, Some(0xf3), 0xb8, wide, dst, src, false),
        IntUnOp::Popcnt => popcount_swar(a, wide, dst, src),
        // movsx r, r8 / r16; movsxd
        IntUnOp::Extend8S => {
            // Only the source is a byte register (spl..dil need a REX).
            let byte_src = (4..8).contains(&(src.0 & 15));
            op_rr(a, None, 0xbe, wide, dst, src, byte_src)
        }
        IntUnOp::Extend16S => op_rr(a, None, 0xbf, wide, dst, src, false),
        IntUnOp::Extend32S => encode::op_rm(a, &[0x63], true, dst.0, Rm::Reg(src), false),
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
    // and r, r10 (the mask)
    let and = |a: &mut X64, r: Reg, m: u64| {
        a.scratch_const(R10, m);
        encode::op_rm(a, &[0x21], wide, R10.0, Rm::Reg(r), false);
    };
    let shr = |a: &mut X64, r: Reg, n: u8| encode::op_imm8(a, false, 5, wide, r, n);
    // add / sub dst, r11
    let add = |a: &mut X64| encode::op_rm(a, &[0x01], wide, R11.0, Rm::Reg(dst), false);
    mov(a, kind, dst, src);
    mov(a, kind, R11, dst);
    shr(a, R11, 1);
    and(a, R11, rep(0x55));
    encode::op_rm(a, &[0x29], wide, R11.0, Rm::Reg(dst), false);
    mov(a, kind, R11, dst);
    shr(a, R11, 2);
    and(a, R11, rep(0x33));
    and(a, dst, rep(0x33));
    add(a);
    mov(a, kind, R11, dst);
    shr(a, R11, 4);
    add(a);
    and(a, dst, rep(0x0f));
    a.scratch_const(R10, rep(0x01));
    // imul dst, r10
    op_rr(a, None, 0xaf, wide, dst, R10, false);
    shr(a, dst, if wide { 56 } else { 24 });
}

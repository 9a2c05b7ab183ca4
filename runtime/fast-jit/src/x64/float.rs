//! x86-64 float operations and conversions (SSE4.1 as the floor).

use super::encode::{self, alu_imm, Rm};
use super::*;

/// ModRM extensions of the shifts and bit operations.
const SHL: u8 = 4;
const SHR: u8 = 5;
const BTR: u8 = 6;
const BTC: u8 = 7;
/// ModRM extensions of the ALU operations with an immediate.
const AND: u8 = 4;
const XOR: u8 = 6;

/// The scalar SSE operation `op`: (mandatory prefix, opcode after `0f`).
fn sse(op: FloatOp, wide: bool) -> (u8, u8) {
    let prefix = scalar_prefix(wide);
    let opcode = match op {
        FloatOp::Add => 0x58,
        FloatOp::Mul => 0x59,
        FloatOp::Sub => 0x5c,
        FloatOp::Min => 0x5d,
        FloatOp::Div => 0x5e,
        FloatOp::Max => 0x5f,
        FloatOp::Copysign => unreachable!("copysign has no single instruction"),
    };
    (prefix, opcode)
}

/// The mandatory prefix of scalar double (`f2`) or single (`f3`) operations.
fn scalar_prefix(wide: bool) -> u8 {
    if wide {
        0xf2
    } else {
        0xf3
    }
}

/// `dst <- dst op src` for the scalar SSE operation `op`.
fn sse_op(a: &mut X64, op: FloatOp, wide: bool, dst: Reg, src: Reg) {
    let (prefix, opcode) = sse(op, wide);
    encode::sse_rr(a, Some(prefix), opcode, dst, src);
}

fn fkind(wide: bool) -> Kind {
    if wide {
        Kind::F64
    } else {
        Kind::F32
    }
}

pub(super) fn float_op(a: &mut X64, op: FloatOp, wide: bool, dst: Reg, lhs: Reg, rhs: Reg) {
    if op == FloatOp::Copysign {
        return copysign(a, wide, dst, lhs, rhs);
    }
    let mut rhs = rhs;
    if dst == rhs && dst != lhs {
        if matches!(op, FloatOp::Add | FloatOp::Mul) {
            sse_op(a, op, wide, dst, lhs);
            return;
        }
        int::mov(a, Kind::V128, XMM15, rhs);
        rhs = XMM15;
    }
    int::mov(a, Kind::V128, dst, lhs);
    match op {
        FloatOp::Min | FloatOp::Max => {
            // minss/maxss return the second operand for NaNs and for equal
            // operands; wasm wants NaN propagated and -0 < +0.
            let (nan, ne, done) = (a.new_label(), a.new_label(), a.new_label());
            a.float_cmp(wide, dst, rhs);
            a.jump_if(Cond::Ne, ne);
            // Parity set: unordered (ZF is also set then).
            a.raw(&[0x0f, 0x8a, 0, 0, 0, 0]);
            a.rel32_fixup(nan);
            // orps (min) / andps (max)
            let bits = if op == FloatOp::Min { 0x56 } else { 0x54 };
            encode::sse_rr(a, None, bits, dst, rhs);
            a.jump(done);
            a.bind(nan);
            sse_op(a, FloatOp::Add, wide, dst, rhs);
            a.jump(done);
            a.bind(ne);
            sse_op(a, op, wide, dst, rhs);
            a.bind(done);
        }
        _ => sse_op(a, op, wide, dst, rhs),
    }
}

fn copysign(a: &mut X64, wide: bool, dst: Reg, lhs: Reg, rhs: Reg) {
    let k = if wide { Kind::I64 } else { Kind::I32 };
    int::mov(a, k, R10, lhs);
    int::mov(a, k, R11, rhs);
    if wide {
        encode::op_imm8(a, true, BTR, true, R10, 63);
        encode::op_imm8(a, false, SHR, true, R11, 63);
        encode::op_imm8(a, false, SHL, true, R11, 63);
        encode::op_rm(a, &[0x09], true, R11.0, Rm::Reg(R10), false);
    } else {
        alu_imm(a, AND, false, Rm::Reg(R10), 0x7fff_ffff);
        alu_imm(a, AND, false, Rm::Reg(R11), i32::MIN);
        encode::op_rm(a, &[0x09], false, R11.0, Rm::Reg(R10), false);
    }
    int::mov(a, fkind(wide), dst, R10);
}

pub(super) fn float_unop(a: &mut X64, op: FloatUnOp, wide: bool, dst: Reg, src: Reg) {
    let k = if wide { Kind::I64 } else { Kind::I32 };
    match op {
        FloatUnOp::Abs | FloatUnOp::Neg => {
            int::mov(a, k, R11, src);
            match (op, wide) {
                (FloatUnOp::Abs, true) => encode::op_imm8(a, true, BTR, true, R11, 63),
                (FloatUnOp::Neg, true) => encode::op_imm8(a, true, BTC, true, R11, 63),
                (FloatUnOp::Abs, false) => alu_imm(a, AND, false, Rm::Reg(R11), 0x7fff_ffff),
                _ => alu_imm(a, XOR, false, Rm::Reg(R11), i32::MIN),
            }
            int::mov(a, fkind(wide), dst, R11);
        }
        FloatUnOp::Sqrt => {
            encode::sse_rr(a, Some(scalar_prefix(wide)), 0x51, dst, src);
        }
        _ => {
            let mode = match op {
                FloatUnOp::Nearest => 0,
                FloatUnOp::Floor => 1,
                FloatUnOp::Ceil => 2,
                _ => 3,
            } | 8;
            // roundss (66 0f 3a 0a) / roundsd (0b), imm8
            let op = if wide { 0x0b } else { 0x0a };
            let (dst, src) = (dst.0 & 15, Reg(src.0 & 15));
            encode::op_rm_prefixed(
                a,
                Some(0x66),
                &[0x0f, 0x3a, op],
                false,
                dst,
                Rm::Reg(src),
                false,
            );
            a.raw(&[mode]);
        }
    }
}

pub(super) fn convert(a: &mut X64, op: Convert, from: Kind, to: Kind, dst: Reg, src: Reg) {
    match op {
        // Always emitted, even in place: it clears the upper half.
        Convert::Wrap => a.zero_extend_32(dst, src),
        Convert::ExtendU => int::mov(a, Kind::I32, dst, src),
        // movsxd
        Convert::ExtendS => encode::op_rm(a, &[0x63], true, dst.0, Rm::Reg(src), false),
        // cvtsd2ss / cvtss2sd
        Convert::Demote => encode::sse_rr(a, Some(0xf2), 0x5a, dst, src),
        Convert::Promote => encode::sse_rr(a, Some(0xf3), 0x5a, dst, src),
        Convert::Reinterpret => int::mov(a, to, dst, src),
        Convert::IntToFloatS => int_to_float(a, to == Kind::F64, from == Kind::I64, dst, src),
        Convert::IntToFloatU if from == Kind::I32 => {
            int_to_float(a, to == Kind::F64, true, dst, src)
        }
        Convert::IntToFloatU => u64_to_float(a, to == Kind::F64, dst, src),
        Convert::TruncSatS => trunc(a, true, from, to, dst, src, None),
        Convert::TruncSatU => trunc(a, false, from, to, dst, src, None),
    }
}

fn int_to_float(a: &mut X64, to64: bool, from64: bool, dst: Reg, src: Reg) {
    // xorps dst, dst (no dependency on dst's old value); cvtsi2ss/sd
    encode::sse_rr(a, None, 0x57, dst, dst);
    encode::sse_gpr(a, scalar_prefix(to64), 0x2a, from64, dst, src);
}

fn u64_to_float(a: &mut X64, to64: bool, dst: Reg, src: Reg) {
    let (big, done) = (a.new_label(), a.new_label());
    a.int_test(true, src);
    a.jump_if(Cond::LtS, big);
    int_to_float(a, to64, true, dst, src);
    a.jump(done);
    a.bind(big);
    // Halve with the lost bit kept sticky, convert, double.
    int::mov(a, Kind::I64, R11, src);
    encode::op_imm8(a, false, SHR, true, R11, 1);
    int::mov(a, Kind::I64, R10, src);
    alu_imm(a, AND, false, Rm::Reg(R10), 1);
    encode::op_rm(a, &[0x09], true, R10.0, Rm::Reg(R11), false);
    int_to_float(a, to64, true, dst, R11);
    sse_op(a, FloatOp::Add, to64, dst, dst);
    a.bind(done);
}

/// Loads a float constant into `xmm15`.
fn float_const(a: &mut X64, wide: bool, value: f64) {
    if wide {
        a.scratch_const(R11, value.to_bits());
    } else {
        a.scratch_const(R11, (value as f32).to_bits() as u64);
    }
    encode::movd(a, wide, false, XMM15, R11);
}

/// Float to integer truncation: trapping when `traps` gives the labels
/// for NaN and out-of-range inputs, saturating otherwise.
pub(super) fn trunc(
    a: &mut X64,
    signed: bool,
    from: Kind,
    to: Kind,
    dst: Reg,
    src: Reg,
    traps: Option<(Label, Label)>,
) {
    let wide = from == Kind::F64;
    let to64 = to == Kind::I64;
    let bits = if to64 { 64 } else { 32 };
    // Valid inputs are `lo < src < hi` (`lo <= src` when `lo_inclusive`).
    let (lo, lo_inclusive, hi) = if signed {
        let hi = 2f64.powi(bits - 1);
        if !to64 && wide {
            (-hi - 1.0, false, hi)
        } else {
            (-hi, true, hi)
        }
    } else {
        (-1.0, false, 2f64.powi(bits))
    };
    let (nan, low, high, done) = match traps {
        Some((invalid, overflow)) => (invalid, overflow, overflow, None),
        None => (
            a.new_label(),
            a.new_label(),
            a.new_label(),
            Some(a.new_label()),
        ),
    };
    a.float_cmp(wide, src, src);
    a.raw(&[0x0f, 0x8a, 0, 0, 0, 0]);
    a.rel32_fixup(nan);
    float_const(a, wide, lo);
    a.float_cmp(wide, src, XMM15);
    a.jump_if(if lo_inclusive { Cond::LtU } else { Cond::LeU }, low);
    float_const(a, wide, hi);
    a.float_cmp(wide, src, XMM15);
    a.jump_if(Cond::GeU, high);
    // cvttsd2si / cvttss2si r64, xmm
    let cvt = |a: &mut X64, dst: Reg, src: Reg| {
        encode::sse_gpr(a, scalar_prefix(wide), 0x2c, true, dst, src)
    };
    if signed || !to64 {
        // In range, so the 64-bit conversion is exact for i32, u32 and i64.
        cvt(a, dst, src);
        if !to64 {
            a.zero_extend_32(dst, dst);
        }
    } else {
        let (big, end) = (a.new_label(), a.new_label());
        float_const(a, wide, 2f64.powi(63));
        a.float_cmp(wide, src, XMM15);
        a.jump_if(Cond::GeU, big);
        cvt(a, dst, src);
        a.jump(end);
        a.bind(big);
        int::mov(a, Kind::V128, XMM14, src);
        sse_op(a, FloatOp::Sub, wide, XMM14, XMM15);
        cvt(a, dst, XMM14);
        encode::op_imm8(a, true, BTC, true, dst, 63);
        a.bind(end);
    }
    if let Some(done) = done {
        let kind = if to64 { Kind::I64 } else { Kind::I32 };
        let (min, max): (u64, u64) = match (signed, to64) {
            (true, false) => (i32::MIN as u32 as u64, i32::MAX as u64),
            (true, true) => (i64::MIN as u64, i64::MAX as u64),
            (false, false) => (0, u32::MAX as u64),
            (false, true) => (0, u64::MAX),
        };
        a.jump(done);
        a.bind(nan);
        int::mov_const(a, kind, dst, 0);
        a.jump(done);
        a.bind(low);
        int::mov_const(a, kind, dst, min as u128);
        a.jump(done);
        a.bind(high);
        int::mov_const(a, kind, dst, max as u128);
        a.bind(done);
    }
}

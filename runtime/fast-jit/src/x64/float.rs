//! x86-64 float operations and conversions (SSE4.1 as the floor).

use super::*;

fn sse(op: FloatOp, wide: bool) -> Code {
    match (op, wide) {
        (FloatOp::Add, false) => Code::Addss_xmm_xmmm32,
        (FloatOp::Add, true) => Code::Addsd_xmm_xmmm64,
        (FloatOp::Sub, false) => Code::Subss_xmm_xmmm32,
        (FloatOp::Sub, true) => Code::Subsd_xmm_xmmm64,
        (FloatOp::Mul, false) => Code::Mulss_xmm_xmmm32,
        (FloatOp::Mul, true) => Code::Mulsd_xmm_xmmm64,
        (FloatOp::Div, false) => Code::Divss_xmm_xmmm32,
        (FloatOp::Div, true) => Code::Divsd_xmm_xmmm64,
        (FloatOp::Min, false) => Code::Minss_xmm_xmmm32,
        (FloatOp::Min, true) => Code::Minsd_xmm_xmmm64,
        (FloatOp::Max, false) => Code::Maxss_xmm_xmmm32,
        (FloatOp::Max, true) => Code::Maxsd_xmm_xmmm64,
        (FloatOp::Copysign, _) => unreachable!("copysign has no single instruction"),
    }
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
            a.emit(Instruction::with2(sse(op, wide), x(dst), x(lhs)));
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
            let bits = if op == FloatOp::Min {
                Code::Orps_xmm_xmmm128
            } else {
                Code::Andps_xmm_xmmm128
            };
            a.emit(Instruction::with2(bits, x(dst), x(rhs)));
            a.jump(done);
            a.bind(nan);
            let add = if wide {
                Code::Addsd_xmm_xmmm64
            } else {
                Code::Addss_xmm_xmmm32
            };
            a.emit(Instruction::with2(add, x(dst), x(rhs)));
            a.jump(done);
            a.bind(ne);
            a.emit(Instruction::with2(sse(op, wide), x(dst), x(rhs)));
            a.bind(done);
        }
        _ => a.emit(Instruction::with2(sse(op, wide), x(dst), x(rhs))),
    }
}

fn copysign(a: &mut X64, wide: bool, dst: Reg, lhs: Reg, rhs: Reg) {
    let k = if wide { Kind::I64 } else { Kind::I32 };
    int::mov(a, k, R10, lhs);
    int::mov(a, k, R11, rhs);
    if wide {
        a.emit(Instruction::with2(Code::Btr_rm64_imm8, q(R10), 63));
        a.emit(Instruction::with2(Code::Shr_rm64_imm8, q(R11), 63));
        a.emit(Instruction::with2(Code::Shl_rm64_imm8, q(R11), 63));
        a.emit(Instruction::with2(Code::Or_r64_rm64, q(R10), q(R11)));
    } else {
        a.emit(Instruction::with2(
            Code::And_rm32_imm32,
            d(R10),
            0x7fff_ffff,
        ));
        a.emit(Instruction::with2(Code::And_rm32_imm32, d(R11), i32::MIN));
        a.emit(Instruction::with2(Code::Or_r32_rm32, d(R10), d(R11)));
    }
    int::mov(a, fkind(wide), dst, R10);
}

pub(super) fn float_unop(a: &mut X64, op: FloatUnOp, wide: bool, dst: Reg, src: Reg) {
    let k = if wide { Kind::I64 } else { Kind::I32 };
    match op {
        FloatUnOp::Abs | FloatUnOp::Neg => {
            int::mov(a, k, R11, src);
            match (op, wide) {
                (FloatUnOp::Abs, true) => {
                    a.emit(Instruction::with2(Code::Btr_rm64_imm8, q(R11), 63))
                }
                (FloatUnOp::Neg, true) => {
                    a.emit(Instruction::with2(Code::Btc_rm64_imm8, q(R11), 63))
                }
                (FloatUnOp::Abs, false) => a.emit(Instruction::with2(
                    Code::And_rm32_imm32,
                    d(R11),
                    0x7fff_ffff,
                )),
                _ => a.emit(Instruction::with2(Code::Xor_rm32_imm32, d(R11), i32::MIN)),
            }
            int::mov(a, fkind(wide), dst, R11);
        }
        FloatUnOp::Sqrt => {
            let code = if wide {
                Code::Sqrtsd_xmm_xmmm64
            } else {
                Code::Sqrtss_xmm_xmmm32
            };
            a.emit(Instruction::with2(code, x(dst), x(src)));
        }
        _ => {
            let mode = match op {
                FloatUnOp::Nearest => 0,
                FloatUnOp::Floor => 1,
                FloatUnOp::Ceil => 2,
                _ => 3,
            } | 8;
            let code = if wide {
                Code::Roundsd_xmm_xmmm64_imm8
            } else {
                Code::Roundss_xmm_xmmm32_imm8
            };
            a.emit(Instruction::with3(code, x(dst), x(src), mode as u32));
        }
    }
}

pub(super) fn convert(a: &mut X64, op: Convert, from: Kind, to: Kind, dst: Reg, src: Reg) {
    match op {
        // Always emitted, even in place: it clears the upper half.
        Convert::Wrap => a.zero_extend_32(dst, src),
        Convert::ExtendU => int::mov(a, Kind::I32, dst, src),
        Convert::ExtendS => a.emit(Instruction::with2(Code::Movsxd_r64_rm32, q(dst), d(src))),
        Convert::Demote => a.emit(Instruction::with2(
            Code::Cvtsd2ss_xmm_xmmm64,
            x(dst),
            x(src),
        )),
        Convert::Promote => a.emit(Instruction::with2(
            Code::Cvtss2sd_xmm_xmmm32,
            x(dst),
            x(src),
        )),
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
    a.emit(Instruction::with2(Code::Xorps_xmm_xmmm128, x(dst), x(dst)));
    let i = match (to64, from64) {
        (false, false) => Instruction::with2(Code::Cvtsi2ss_xmm_rm32, x(dst), d(src)),
        (false, true) => Instruction::with2(Code::Cvtsi2ss_xmm_rm64, x(dst), q(src)),
        (true, false) => Instruction::with2(Code::Cvtsi2sd_xmm_rm32, x(dst), d(src)),
        (true, true) => Instruction::with2(Code::Cvtsi2sd_xmm_rm64, x(dst), q(src)),
    };
    a.emit(i);
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
    a.emit(Instruction::with2(Code::Shr_rm64_imm8, q(R11), 1u32));
    int::mov(a, Kind::I64, R10, src);
    a.emit(Instruction::with2(Code::And_rm32_imm8, d(R10), 1));
    a.emit(Instruction::with2(Code::Or_r64_rm64, q(R11), q(R10)));
    int_to_float(a, to64, true, dst, R11);
    let add = if to64 {
        Code::Addsd_xmm_xmmm64
    } else {
        Code::Addss_xmm_xmmm32
    };
    a.emit(Instruction::with2(add, x(dst), x(dst)));
    a.bind(done);
}

/// Loads a float constant into `xmm15`.
fn float_const(a: &mut X64, wide: bool, value: f64) {
    if wide {
        a.scratch_const(R11, value.to_bits());
        a.emit(Instruction::with2(Code::Movq_xmm_rm64, x(XMM15), q(R11)));
    } else {
        a.scratch_const(R11, (value as f32).to_bits() as u64);
        a.emit(Instruction::with2(Code::Movd_xmm_rm32, x(XMM15), d(R11)));
    }
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
    let cvt = if wide {
        Code::Cvttsd2si_r64_xmmm64
    } else {
        Code::Cvttss2si_r64_xmmm32
    };
    if signed || !to64 {
        // In range, so the 64-bit conversion is exact for i32, u32 and i64.
        a.emit(Instruction::with2(cvt, q(dst), x(src)));
        if !to64 {
            a.zero_extend_32(dst, dst);
        }
    } else {
        let (big, end) = (a.new_label(), a.new_label());
        float_const(a, wide, 2f64.powi(63));
        a.float_cmp(wide, src, XMM15);
        a.jump_if(Cond::GeU, big);
        a.emit(Instruction::with2(cvt, q(dst), x(src)));
        a.jump(end);
        a.bind(big);
        int::mov(a, Kind::V128, XMM14, src);
        let sub = if wide {
            Code::Subsd_xmm_xmmm64
        } else {
            Code::Subss_xmm_xmmm32
        };
        a.emit(Instruction::with2(sub, x(XMM14), x(XMM15)));
        a.emit(Instruction::with2(cvt, q(dst), x(XMM14)));
        a.emit(Instruction::with2(Code::Btc_rm64_imm8, q(dst), 63));
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

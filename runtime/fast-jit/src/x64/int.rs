//! x86-64 moves, loads, stores and integer operations.

use super::encode::{self, alu_imm, encodable, op_rm, Rm};
use super::*;

pub(super) fn mov(a: &mut X64, kind: Kind, dst: Reg, src: Reg) {
    if dst == src {
        return;
    }
    match (dst.is_fpr(), src.is_fpr()) {
        (false, false) => op_rm(a, &[0x89], kind != Kind::I32, src.0, Rm::Reg(dst), false),
        (true, true) => encode::movaps(a, dst, src),
        (true, false) => encode::movd(a, kind.is_64(), false, dst, src),
        (false, true) => encode::movd(a, kind.is_64(), true, src, dst),
    }
}

pub(super) fn mov_const(a: &mut X64, kind: Kind, dst: Reg, bits: u128) {
    if !dst.is_fpr() {
        let v = if kind == Kind::I32 {
            bits as u32 as u64
        } else {
            bits as u64
        };
        // Never `xor`: a pending compare's flags must survive.
        a.scratch_const(dst, v);
        return;
    }
    if bits == 0 {
        // xorps dst, dst
        encode::sse_rr(a, None, 0x57, dst, dst);
        return;
    }
    match kind {
        Kind::F32 | Kind::I32 => {
            a.scratch_const(R11, bits as u32 as u64);
            encode::movd(a, false, false, dst, R11);
        }
        Kind::F64 | Kind::I64 => {
            a.scratch_const(R11, bits as u64);
            encode::movd(a, true, false, dst, R11);
        }
        Kind::V128 => {
            a.scratch_const(R11, bits as u64);
            encode::movd(a, true, false, dst, R11);
            a.scratch_const(R11, (bits >> 64) as u64);
            a.emit(Instruction::with3(
                Code::Pinsrq_xmm_rm64_imm8,
                x(dst),
                q(R11),
                1u32,
            ));
        }
    }
}

pub(super) fn load(a: &mut X64, kind: LoadKind, dst: Reg, m: Mem) {
    if encodable(&m) {
        let wide = match kind {
            LoadKind::Full(Kind::I32) | LoadKind::I32U => Some(false),
            LoadKind::Full(Kind::I64) => Some(true),
            _ => None,
        };
        if let Some(wide) = wide {
            return op_rm(a, &[0x8b], wide, dst.0, Rm::Mem(m), false);
        }
        let (opcode, wide): (&[u8], bool) = match kind {
            LoadKind::I8S(w) => (&[0x0f, 0xbe], w),
            LoadKind::I8U(_) => (&[0x0f, 0xb6], false),
            LoadKind::I16S(w) => (&[0x0f, 0xbf], w),
            LoadKind::I16U(_) => (&[0x0f, 0xb7], false),
            LoadKind::I32S => (&[0x63], true),
            _ => (&[], false),
        };
        if !opcode.is_empty() {
            return op_rm(a, opcode, wide, dst.0, Rm::Mem(m), false);
        }
        let mv = match kind {
            LoadKind::Full(Kind::F32) => Some(encode::SseMove::Ss),
            LoadKind::Full(Kind::F64) => Some(encode::SseMove::Sd),
            LoadKind::Full(Kind::V128) => Some(encode::SseMove::Dqu),
            _ => None,
        };
        if let Some(mv) = mv {
            return encode::sse_mem(a, mv, false, dst, m);
        }
    }
    let m = mem(m);
    let i = match kind {
        LoadKind::Full(Kind::I32) => Instruction::with2(Code::Mov_r32_rm32, d(dst), m),
        LoadKind::Full(Kind::I64) => Instruction::with2(Code::Mov_r64_rm64, q(dst), m),
        LoadKind::Full(Kind::F32) => Instruction::with2(Code::Movss_xmm_xmmm32, x(dst), m),
        LoadKind::Full(Kind::F64) => Instruction::with2(Code::Movsd_xmm_xmmm64, x(dst), m),
        LoadKind::Full(Kind::V128) => Instruction::with2(Code::Movdqu_xmm_xmmm128, x(dst), m),
        LoadKind::I8S(false) => Instruction::with2(Code::Movsx_r32_rm8, d(dst), m),
        LoadKind::I8S(true) => Instruction::with2(Code::Movsx_r64_rm8, q(dst), m),
        LoadKind::I8U(_) => Instruction::with2(Code::Movzx_r32_rm8, d(dst), m),
        LoadKind::I16S(false) => Instruction::with2(Code::Movsx_r32_rm16, d(dst), m),
        LoadKind::I16S(true) => Instruction::with2(Code::Movsx_r64_rm16, q(dst), m),
        LoadKind::I16U(_) => Instruction::with2(Code::Movzx_r32_rm16, d(dst), m),
        LoadKind::I32S => Instruction::with2(Code::Movsxd_r64_rm32, q(dst), m),
        LoadKind::I32U => Instruction::with2(Code::Mov_r32_rm32, d(dst), m),
    };
    a.emit(i);
}

pub(super) fn store(a: &mut X64, width: u32, m: Mem, src: Reg) {
    if encodable(&m) && !src.is_fpr() && (width == 4 || width == 8) {
        return op_rm(a, &[0x89], width == 8, src.0, Rm::Mem(m), false);
    }
    if encodable(&m) && !src.is_fpr() && width == 1 {
        return op_rm(a, &[0x88], false, src.0, Rm::Mem(m), true);
    }
    if encodable(&m) && !src.is_fpr() && width == 2 {
        let reg = src.0;
        return encode::op_rm_prefixed(a, Some(0x66), &[0x89], false, reg, Rm::Mem(m), false);
    }
    if encodable(&m) && src.is_fpr() {
        let mv = match width {
            4 => encode::SseMove::Ss,
            8 => encode::SseMove::Sd,
            _ => encode::SseMove::Dqu,
        };
        return encode::sse_mem(a, mv, true, src, m);
    }
    let m = mem(m);
    let i = match (width, src.is_fpr()) {
        (1, false) => Instruction::with2(Code::Mov_rm8_r8, m, b(src)),
        (2, false) => Instruction::with2(Code::Mov_rm16_r16, m, w(src)),
        (4, false) => Instruction::with2(Code::Mov_rm32_r32, m, d(src)),
        (8, false) => Instruction::with2(Code::Mov_rm64_r64, m, q(src)),
        (4, true) => Instruction::with2(Code::Movss_xmmm32_xmm, m, x(src)),
        (8, true) => Instruction::with2(Code::Movsd_xmmm64_xmm, m, x(src)),
        (_, true) => Instruction::with2(Code::Movdqu_xmmm128_xmm, m, x(src)),
        (_, false) => Instruction::with2(Code::Mov_rm64_r64, m, q(src)),
    };
    a.emit(i);
}

pub(super) fn store_const(a: &mut X64, kind: Kind, m: Mem, bits: u128) {
    let imm32 = |a: &mut X64, wide: bool, v: u32| {
        if encodable(&m) {
            op_rm(a, &[0xc7], wide, 0, Rm::Mem(m), false);
            a.raw(&v.to_le_bytes());
        } else if wide {
            a.emit(Instruction::with2(Code::Mov_rm64_imm32, mem(m), v as i32));
        } else {
            a.emit(Instruction::with2(Code::Mov_rm32_imm32, mem(m), v));
        }
    };
    match kind {
        Kind::I32 | Kind::F32 => imm32(a, false, bits as u32),
        Kind::I64 | Kind::F64 => {
            let v = bits as u64 as i64;
            if v >= i32::MIN as i64 && v <= i32::MAX as i64 {
                imm32(a, true, v as i32 as u32);
            } else {
                a.scratch_const(R11, v as u64);
                store(a, 8, m, R11);
            }
        }
        Kind::V128 => {
            let lo = Mem { ..m };
            let hi = Mem {
                disp: m.disp + 8,
                ..m
            };
            store_const(a, Kind::I64, lo, bits as u64 as u128);
            store_const(a, Kind::I64, hi, (bits >> 64) as u64 as u128);
        }
    }
}

/// The `op r/m, reg` opcode and the `/ext` of the immediate forms.
fn alu_encoding(op: IntOp) -> (u8, u8) {
    match op {
        IntOp::Add => (0x01, 0),
        IntOp::Or => (0x09, 1),
        IntOp::And => (0x21, 4),
        IntOp::Sub => (0x29, 5),
        _ => (0x31, 6),
    }
}

/// The `/ext` of a shift or rotate in the `C1`/`D3` opcodes.
fn shift_ext(op: IntOp) -> u8 {
    match op {
        IntOp::Rotl => 0,
        IntOp::Rotr => 1,
        IntOp::Shl => 4,
        IntOp::ShrU => 5,
        _ => 7,
    }
}

fn commutative(op: IntOp) -> bool {
    matches!(
        op,
        IntOp::Add | IntOp::Mul | IntOp::And | IntOp::Or | IntOp::Xor
    )
}

pub(super) fn int_op(a: &mut X64, op: IntOp, wide: bool, dst: Reg, lhs: Reg, rhs: Operand) {
    let kind = if wide { Kind::I64 } else { Kind::I32 };
    let mut lhs = lhs;
    let mut rhs = rhs;
    // Three-address forms first.
    match (op, rhs) {
        (IntOp::Add, Operand::Imm(i)) if dst != lhs => {
            let m = Mem::at(lhs, i);
            op_rm(a, &[0x8d], wide, dst.0, Rm::Mem(m), false);
            return;
        }
        (IntOp::Mul, Operand::Imm(i)) => {
            op_rm(a, &[0x69], wide, dst.0, Rm::Reg(lhs), false);
            a.raw(&i.to_le_bytes());
            return;
        }
        _ => {}
    }
    if let Operand::Reg(r) = rhs {
        if r == dst && dst != lhs {
            if commutative(op) {
                rhs = Operand::Reg(lhs);
                lhs = r;
            } else if !matches!(
                op,
                IntOp::Shl | IntOp::ShrS | IntOp::ShrU | IntOp::Rotl | IntOp::Rotr
            ) {
                mov(a, kind, R11, r);
                rhs = Operand::Reg(R11);
            }
        }
    }
    match op {
        IntOp::Shl | IntOp::ShrS | IntOp::ShrU | IntOp::Rotl | IntOp::Rotr => {
            let ext = shift_ext(op);
            match rhs {
                Operand::Imm(i) => {
                    mov(a, kind, dst, lhs);
                    let mask = if wide { 63 } else { 31 };
                    op_rm(a, &[0xc1], wide, ext, Rm::Reg(dst), false);
                    a.raw(&[(i & mask) as u8]);
                }
                Operand::Reg(r) => {
                    // The code generator keeps rcx free of other values.
                    mov(a, Kind::I32, RCX, r);
                    mov(a, kind, dst, lhs);
                    op_rm(a, &[0xd3], wide, ext, Rm::Reg(dst), false);
                }
            }
        }
        IntOp::Mul => {
            mov(a, kind, dst, lhs);
            let Operand::Reg(r) = rhs else { unreachable!() };
            op_rm(a, &[0x0f, 0xaf], wide, dst.0, Rm::Reg(r), false);
        }
        _ => {
            let (opcode, ext) = alu_encoding(op);
            mov(a, kind, dst, lhs);
            match rhs {
                Operand::Reg(r) => op_rm(a, &[opcode], wide, r.0, Rm::Reg(dst), false),
                Operand::Imm(i) => alu_imm(a, ext, wide, Rm::Reg(dst), i),
            }
        }
    }
}

pub(super) fn int_div(
    a: &mut X64,
    op: DivOp,
    wide: bool,
    dst: Reg,
    lhs: Reg,
    rhs: Reg,
    traps: TrapLabels,
) {
    let TrapLabels(div_by_zero, overflow) = traps;
    let kind = if wide { Kind::I64 } else { Kind::I32 };
    a.int_test(wide, rhs);
    a.jump_if(Cond::Eq, div_by_zero);
    let done = a.new_label();
    let minus_one = a.new_label();
    let signed = matches!(op, DivOp::DivS | DivOp::RemS);
    if signed {
        int_cmp(a, wide, rhs, Operand::Imm(-1));
        a.jump_if(Cond::Eq, minus_one);
    }
    mov(a, kind, RAX, lhs);
    if signed {
        // cqo / cdq
        a.raw(if wide { &[0x48, 0x99] } else { &[0x99] });
    } else {
        op_rm(a, &[0x31], false, RDX.0, Rm::Reg(RDX), false);
    }
    // idiv (/7) or div (/6)
    op_rm(
        a,
        &[0xf7],
        wide,
        if signed { 7 } else { 6 },
        Rm::Reg(rhs),
        false,
    );
    let result = if matches!(op, DivOp::DivS | DivOp::DivU) {
        RAX
    } else {
        RDX
    };
    mov(a, kind, dst, result);
    if signed {
        a.jump(done);
        a.bind(minus_one);
        if op == DivOp::RemS {
            op_rm(a, &[0x31], false, dst.0, Rm::Reg(dst), false);
        } else {
            // lhs / -1 = -lhs, which overflows only for the minimum.
            if wide {
                a.scratch_const(R11, i64::MIN as u64);
                op_rm(a, &[0x3b], true, lhs.0, Rm::Reg(R11), false);
            } else {
                alu_imm(a, 7, false, Rm::Reg(lhs), i32::MIN);
            }
            a.jump_if(Cond::Eq, overflow);
            mov(a, kind, dst, lhs);
            // neg (/3)
            op_rm(a, &[0xf7], wide, 3, Rm::Reg(dst), false);
        }
        a.bind(done);
    }
}

pub(super) fn int_cmp(a: &mut X64, wide: bool, lhs: Reg, rhs: Operand) {
    match rhs {
        Operand::Reg(r) => op_rm(a, &[0x39], wide, r.0, Rm::Reg(lhs), false),
        Operand::Imm(i) => alu_imm(a, 7, wide, Rm::Reg(lhs), i),
    }
}

/// The x86 condition code of `cond` (for `FEq`/`FNe`: the zero flag part).
fn cc(cond: Cond) -> u8 {
    X64::cc(cond)
}

pub(super) fn set_cond(a: &mut X64, cond: Cond, dst: Reg) {
    op_rm(a, &[0x0f, 0x90 | cc(cond)], false, 0, Rm::Reg(dst), true);
    match cond {
        Cond::FEq => {
            // setnp r11b; and dst8, r11b
            op_rm(a, &[0x0f, 0x9b], false, 0, Rm::Reg(R11), true);
            op_rm(a, &[0x20], false, R11.0, Rm::Reg(dst), true);
        }
        Cond::FNe => {
            // setp r11b; or dst8, r11b
            op_rm(a, &[0x0f, 0x9a], false, 0, Rm::Reg(R11), true);
            op_rm(a, &[0x08], false, R11.0, Rm::Reg(dst), true);
        }
        _ => {}
    }
    // movzx dst32, dst8
    op_rm(a, &[0x0f, 0xb6], false, dst.0, Rm::Reg(dst), true);
}

pub(super) fn cmov(a: &mut X64, cond: Cond, wide: bool, dst: Reg, src: Reg) {
    debug_assert!(
        !matches!(cond, Cond::FEq | Cond::FNe),
        "float conditions are materialised first"
    );
    op_rm(
        a,
        &[0x0f, 0x40 | cc(cond)],
        wide,
        dst.0,
        Rm::Reg(src),
        false,
    );
}

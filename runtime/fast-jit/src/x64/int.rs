//! x86-64 moves, loads, stores and integer operations.

use super::encode::{alu_imm, encodable, op_rm, Rm};
use super::*;

pub(super) fn mov(a: &mut X64, kind: Kind, dst: Reg, src: Reg) {
    if dst == src {
        return;
    }
    if !dst.is_fpr() && !src.is_fpr() {
        op_rm(a, &[0x89], kind != Kind::I32, src.0, Rm::Reg(dst), false);
        return;
    }
    let i = match (kind, dst.is_fpr(), src.is_fpr()) {
        (_, false, false) => unreachable!("handled above"),
        (_, true, true) => Instruction::with2(Code::Movaps_xmm_xmmm128, x(dst), x(src)),
        (Kind::I32 | Kind::F32, true, false) => {
            Instruction::with2(Code::Movd_xmm_rm32, x(dst), d(src))
        }
        (_, true, false) => Instruction::with2(Code::Movq_xmm_rm64, x(dst), q(src)),
        (Kind::I32 | Kind::F32, false, true) => {
            Instruction::with2(Code::Movd_rm32_xmm, d(dst), x(src))
        }
        (_, false, true) => Instruction::with2(Code::Movq_rm64_xmm, q(dst), x(src)),
    };
    a.emit(i);
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
        a.emit(Instruction::with2(Code::Xorps_xmm_xmmm128, x(dst), x(dst)));
        return;
    }
    match kind {
        Kind::F32 | Kind::I32 => {
            a.scratch_const(R11, bits as u32 as u64);
            a.emit(Instruction::with2(Code::Movd_xmm_rm32, x(dst), d(R11)));
        }
        Kind::F64 | Kind::I64 => {
            a.scratch_const(R11, bits as u64);
            a.emit(Instruction::with2(Code::Movq_xmm_rm64, x(dst), q(R11)));
        }
        Kind::V128 => {
            a.scratch_const(R11, bits as u64);
            a.emit(Instruction::with2(Code::Movq_xmm_rm64, x(dst), q(R11)));
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

fn shift_codes(op: IntOp, wide: bool) -> (Code, Code) {
    // (by cl, by imm8)
    match (op, wide) {
        (IntOp::Shl, false) => (Code::Shl_rm32_CL, Code::Shl_rm32_imm8),
        (IntOp::Shl, true) => (Code::Shl_rm64_CL, Code::Shl_rm64_imm8),
        (IntOp::ShrS, false) => (Code::Sar_rm32_CL, Code::Sar_rm32_imm8),
        (IntOp::ShrS, true) => (Code::Sar_rm64_CL, Code::Sar_rm64_imm8),
        (IntOp::ShrU, false) => (Code::Shr_rm32_CL, Code::Shr_rm32_imm8),
        (IntOp::ShrU, true) => (Code::Shr_rm64_CL, Code::Shr_rm64_imm8),
        (IntOp::Rotl, false) => (Code::Rol_rm32_CL, Code::Rol_rm32_imm8),
        (IntOp::Rotl, true) => (Code::Rol_rm64_CL, Code::Rol_rm64_imm8),
        (IntOp::Rotr, false) => (Code::Ror_rm32_CL, Code::Ror_rm32_imm8),
        _ => (Code::Ror_rm64_CL, Code::Ror_rm64_imm8),
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
            let code = if wide {
                Code::Imul_r64_rm64_imm32
            } else {
                Code::Imul_r32_rm32_imm32
            };
            a.emit(Instruction::with3(code, g(dst, wide), g(lhs, wide), i));
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
            let (by_cl, by_imm) = shift_codes(op, wide);
            match rhs {
                Operand::Imm(i) => {
                    mov(a, kind, dst, lhs);
                    let mask = if wide { 63 } else { 31 };
                    a.emit(Instruction::with2(by_imm, g(dst, wide), (i & mask) as u32));
                }
                Operand::Reg(r) => {
                    // The code generator keeps rcx free of other values.
                    mov(a, Kind::I32, RCX, r);
                    mov(a, kind, dst, lhs);
                    a.emit(Instruction::with2(by_cl, g(dst, wide), Register::CL));
                }
            }
        }
        IntOp::Mul => {
            mov(a, kind, dst, lhs);
            let Operand::Reg(r) = rhs else { unreachable!() };
            let code = if wide {
                Code::Imul_r64_rm64
            } else {
                Code::Imul_r32_rm32
            };
            a.emit(Instruction::with2(code, g(dst, wide), g(r, wide)));
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
        a.op0(if wide { Code::Cqo } else { Code::Cdq });
    } else {
        a.emit(Instruction::with2(
            Code::Xor_r32_rm32,
            Register::EDX,
            Register::EDX,
        ));
    }
    let code = match (signed, wide) {
        (true, false) => Code::Idiv_rm32,
        (true, true) => Code::Idiv_rm64,
        (false, false) => Code::Div_rm32,
        (false, true) => Code::Div_rm64,
    };
    a.emit(Instruction::with1(code, g(rhs, wide)));
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
            a.emit(Instruction::with2(Code::Xor_r32_rm32, d(dst), d(dst)));
        } else {
            // lhs / -1 = -lhs, which overflows only for the minimum.
            if wide {
                a.scratch_const(R11, i64::MIN as u64);
                a.emit(Instruction::with2(Code::Cmp_r64_rm64, q(lhs), q(R11)));
            } else {
                a.emit(Instruction::with2(Code::Cmp_rm32_imm32, d(lhs), i32::MIN));
            }
            a.jump_if(Cond::Eq, overflow);
            mov(a, kind, dst, lhs);
            let neg = if wide { Code::Neg_rm64 } else { Code::Neg_rm32 };
            a.emit(Instruction::with1(neg, g(dst, wide)));
        }
        a.bind(done);
    }
}

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

pub(super) fn int_cmp(a: &mut X64, wide: bool, lhs: Reg, rhs: Operand) {
    match rhs {
        Operand::Reg(r) => op_rm(a, &[0x39], wide, r.0, Rm::Reg(lhs), false),
        Operand::Imm(i) => alu_imm(a, 7, wide, Rm::Reg(lhs), i),
    }
}

fn setcc_code(cond: Cond) -> Code {
    match cond {
        Cond::Eq | Cond::FEq => Code::Sete_rm8,
        Cond::Ne | Cond::FNe => Code::Setne_rm8,
        Cond::LtS => Code::Setl_rm8,
        Cond::LtU => Code::Setb_rm8,
        Cond::GtS => Code::Setg_rm8,
        Cond::GtU => Code::Seta_rm8,
        Cond::LeS => Code::Setle_rm8,
        Cond::LeU => Code::Setbe_rm8,
        Cond::GeS => Code::Setge_rm8,
        Cond::GeU => Code::Setae_rm8,
    }
}

pub(super) fn set_cond(a: &mut X64, cond: Cond, dst: Reg) {
    a.emit(Instruction::with1(setcc_code(cond), b(dst)));
    match cond {
        Cond::FEq => {
            a.emit(Instruction::with1(Code::Setnp_rm8, b(R11)));
            a.emit(Instruction::with2(Code::And_rm8_r8, b(dst), b(R11)));
        }
        Cond::FNe => {
            a.emit(Instruction::with1(Code::Setp_rm8, b(R11)));
            a.emit(Instruction::with2(Code::Or_rm8_r8, b(dst), b(R11)));
        }
        _ => {}
    }
    a.emit(Instruction::with2(Code::Movzx_r32_rm8, d(dst), b(dst)));
}

pub(super) fn cmov(a: &mut X64, cond: Cond, wide: bool, dst: Reg, src: Reg) {
    let code = match (cond, wide) {
        (Cond::Eq, false) => Code::Cmove_r32_rm32,
        (Cond::Eq, true) => Code::Cmove_r64_rm64,
        (Cond::Ne, false) => Code::Cmovne_r32_rm32,
        (Cond::Ne, true) => Code::Cmovne_r64_rm64,
        (Cond::LtS, false) => Code::Cmovl_r32_rm32,
        (Cond::LtS, true) => Code::Cmovl_r64_rm64,
        (Cond::LtU, false) => Code::Cmovb_r32_rm32,
        (Cond::LtU, true) => Code::Cmovb_r64_rm64,
        (Cond::GtS, false) => Code::Cmovg_r32_rm32,
        (Cond::GtS, true) => Code::Cmovg_r64_rm64,
        (Cond::GtU, false) => Code::Cmova_r32_rm32,
        (Cond::GtU, true) => Code::Cmova_r64_rm64,
        (Cond::LeS, false) => Code::Cmovle_r32_rm32,
        (Cond::LeS, true) => Code::Cmovle_r64_rm64,
        (Cond::LeU, false) => Code::Cmovbe_r32_rm32,
        (Cond::LeU, true) => Code::Cmovbe_r64_rm64,
        (Cond::GeS, false) => Code::Cmovge_r32_rm32,
        (Cond::GeS, true) => Code::Cmovge_r64_rm64,
        (Cond::GeU, false) => Code::Cmovae_r32_rm32,
        (Cond::GeU, true) => Code::Cmovae_r64_rm64,
        (Cond::FEq | Cond::FNe, _) => unreachable!("float conditions are materialised first"),
    };
    a.emit(Instruction::with2(code, g(dst, wide), g(src, wide)));
}

//! Numeric operators: constants, integer and float arithmetic,
//! comparisons (left in the flags for a following branch or select) and
//! conversions.

use super::stack::{Loc, LocalHome, Src};
use super::FuncGen;
use crate::masm::*;
use crate::CompileError;
use kiln_format::TrapCode;
use wasmparser::Operator;

use Kind::{F32, F64, I32, I64};

impl<M: MacroAssembler> FuncGen<'_, M> {
    /// Numeric operators; returns whether `op` was one.
    pub(super) fn numeric(&mut self, op: &Operator<'_>) -> Result<bool, CompileError> {
        use Operator as O;
        match *op {
            O::I32Const { value } => self.push(I32, Loc::Const(value as u32 as u128)),
            O::I64Const { value } => self.push(I64, Loc::Const(value as u64 as u128)),
            O::F32Const { value } => self.push(F32, Loc::Const(value.bits() as u128)),
            O::F64Const { value } => self.push(F64, Loc::Const(value.bits() as u128)),

            O::I32Add => self.int_binop(IntOp::Add, false),
            O::I32Sub => self.int_binop(IntOp::Sub, false),
            O::I32Mul => self.int_binop(IntOp::Mul, false),
            O::I32And => self.int_binop(IntOp::And, false),
            O::I32Or => self.int_binop(IntOp::Or, false),
            O::I32Xor => self.int_binop(IntOp::Xor, false),
            O::I32Shl => self.int_binop(IntOp::Shl, false),
            O::I32ShrS => self.int_binop(IntOp::ShrS, false),
            O::I32ShrU => self.int_binop(IntOp::ShrU, false),
            O::I32Rotl => self.int_binop(IntOp::Rotl, false),
            O::I32Rotr => self.int_binop(IntOp::Rotr, false),
            O::I64Add => self.int_binop(IntOp::Add, true),
            O::I64Sub => self.int_binop(IntOp::Sub, true),
            O::I64Mul => self.int_binop(IntOp::Mul, true),
            O::I64And => self.int_binop(IntOp::And, true),
            O::I64Or => self.int_binop(IntOp::Or, true),
            O::I64Xor => self.int_binop(IntOp::Xor, true),
            O::I64Shl => self.int_binop(IntOp::Shl, true),
            O::I64ShrS => self.int_binop(IntOp::ShrS, true),
            O::I64ShrU => self.int_binop(IntOp::ShrU, true),
            O::I64Rotl => self.int_binop(IntOp::Rotl, true),
            O::I64Rotr => self.int_binop(IntOp::Rotr, true),

            O::I32DivS => self.int_div(DivOp::DivS, false),
            O::I32DivU => self.int_div(DivOp::DivU, false),
            O::I32RemS => self.int_div(DivOp::RemS, false),
            O::I32RemU => self.int_div(DivOp::RemU, false),
            O::I64DivS => self.int_div(DivOp::DivS, true),
            O::I64DivU => self.int_div(DivOp::DivU, true),
            O::I64RemS => self.int_div(DivOp::RemS, true),
            O::I64RemU => self.int_div(DivOp::RemU, true),

            O::I32Eqz => self.eqz(false),
            O::I64Eqz => self.eqz(true),
            O::I32Eq => self.int_cmp(Cond::Eq, false),
            O::I32Ne => self.int_cmp(Cond::Ne, false),
            O::I32LtS => self.int_cmp(Cond::LtS, false),
            O::I32LtU => self.int_cmp(Cond::LtU, false),
            O::I32GtS => self.int_cmp(Cond::GtS, false),
            O::I32GtU => self.int_cmp(Cond::GtU, false),
            O::I32LeS => self.int_cmp(Cond::LeS, false),
            O::I32LeU => self.int_cmp(Cond::LeU, false),
            O::I32GeS => self.int_cmp(Cond::GeS, false),
            O::I32GeU => self.int_cmp(Cond::GeU, false),
            O::I64Eq => self.int_cmp(Cond::Eq, true),
            O::I64Ne => self.int_cmp(Cond::Ne, true),
            O::I64LtS => self.int_cmp(Cond::LtS, true),
            O::I64LtU => self.int_cmp(Cond::LtU, true),
            O::I64GtS => self.int_cmp(Cond::GtS, true),
            O::I64GtU => self.int_cmp(Cond::GtU, true),
            O::I64LeS => self.int_cmp(Cond::LeS, true),
            O::I64LeU => self.int_cmp(Cond::LeU, true),
            O::I64GeS => self.int_cmp(Cond::GeS, true),
            O::I64GeU => self.int_cmp(Cond::GeU, true),

            O::I32Clz => self.int_unop(IntUnOp::Clz, false),
            O::I32Ctz => self.int_unop(IntUnOp::Ctz, false),
            O::I32Popcnt => self.int_unop(IntUnOp::Popcnt, false),
            O::I32Extend8S => self.int_unop(IntUnOp::Extend8S, false),
            O::I32Extend16S => self.int_unop(IntUnOp::Extend16S, false),
            O::I64Clz => self.int_unop(IntUnOp::Clz, true),
            O::I64Ctz => self.int_unop(IntUnOp::Ctz, true),
            O::I64Popcnt => self.int_unop(IntUnOp::Popcnt, true),
            O::I64Extend8S => self.int_unop(IntUnOp::Extend8S, true),
            O::I64Extend16S => self.int_unop(IntUnOp::Extend16S, true),
            O::I64Extend32S => self.int_unop(IntUnOp::Extend32S, true),

            O::F32Add => self.float_binop(FloatOp::Add, false),
            O::F32Sub => self.float_binop(FloatOp::Sub, false),
            O::F32Mul => self.float_binop(FloatOp::Mul, false),
            O::F32Div => self.float_binop(FloatOp::Div, false),
            O::F32Min => self.float_binop(FloatOp::Min, false),
            O::F32Max => self.float_binop(FloatOp::Max, false),
            O::F32Copysign => self.float_binop(FloatOp::Copysign, false),
            O::F64Add => self.float_binop(FloatOp::Add, true),
            O::F64Sub => self.float_binop(FloatOp::Sub, true),
            O::F64Mul => self.float_binop(FloatOp::Mul, true),
            O::F64Div => self.float_binop(FloatOp::Div, true),
            O::F64Min => self.float_binop(FloatOp::Min, true),
            O::F64Max => self.float_binop(FloatOp::Max, true),
            O::F64Copysign => self.float_binop(FloatOp::Copysign, true),

            O::F32Abs => self.float_unop(FloatUnOp::Abs, false),
            O::F32Neg => self.float_unop(FloatUnOp::Neg, false),
            O::F32Sqrt => self.float_unop(FloatUnOp::Sqrt, false),
            O::F32Ceil => self.float_unop(FloatUnOp::Ceil, false),
            O::F32Floor => self.float_unop(FloatUnOp::Floor, false),
            O::F32Trunc => self.float_unop(FloatUnOp::Trunc, false),
            O::F32Nearest => self.float_unop(FloatUnOp::Nearest, false),
            O::F64Abs => self.float_unop(FloatUnOp::Abs, true),
            O::F64Neg => self.float_unop(FloatUnOp::Neg, true),
            O::F64Sqrt => self.float_unop(FloatUnOp::Sqrt, true),
            O::F64Ceil => self.float_unop(FloatUnOp::Ceil, true),
            O::F64Floor => self.float_unop(FloatUnOp::Floor, true),
            O::F64Trunc => self.float_unop(FloatUnOp::Trunc, true),
            O::F64Nearest => self.float_unop(FloatUnOp::Nearest, true),

            O::F32Eq => self.float_cmp(false, Cond::FEq, false),
            O::F32Ne => self.float_cmp(false, Cond::FNe, false),
            O::F32Lt => self.float_cmp(false, Cond::GtU, true),
            O::F32Gt => self.float_cmp(false, Cond::GtU, false),
            O::F32Le => self.float_cmp(false, Cond::GeU, true),
            O::F32Ge => self.float_cmp(false, Cond::GeU, false),
            O::F64Eq => self.float_cmp(true, Cond::FEq, false),
            O::F64Ne => self.float_cmp(true, Cond::FNe, false),
            O::F64Lt => self.float_cmp(true, Cond::GtU, true),
            O::F64Gt => self.float_cmp(true, Cond::GtU, false),
            O::F64Le => self.float_cmp(true, Cond::GeU, true),
            O::F64Ge => self.float_cmp(true, Cond::GeU, false),

            O::I32WrapI64 => self.convert(Convert::Wrap, I64, I32),
            O::I64ExtendI32S => self.convert(Convert::ExtendS, I32, I64),
            O::I64ExtendI32U => self.convert(Convert::ExtendU, I32, I64),
            O::F32DemoteF64 => self.convert(Convert::Demote, F64, F32),
            O::F64PromoteF32 => self.convert(Convert::Promote, F32, F64),
            O::F32ConvertI32S => self.convert(Convert::IntToFloatS, I32, F32),
            O::F32ConvertI64S => self.convert(Convert::IntToFloatS, I64, F32),
            O::F64ConvertI32S => self.convert(Convert::IntToFloatS, I32, F64),
            O::F64ConvertI64S => self.convert(Convert::IntToFloatS, I64, F64),
            O::F32ConvertI32U => self.convert(Convert::IntToFloatU, I32, F32),
            O::F32ConvertI64U => self.convert(Convert::IntToFloatU, I64, F32),
            O::F64ConvertI32U => self.convert(Convert::IntToFloatU, I32, F64),
            O::F64ConvertI64U => self.convert(Convert::IntToFloatU, I64, F64),
            O::I32ReinterpretF32 => self.convert(Convert::Reinterpret, F32, I32),
            O::I64ReinterpretF64 => self.convert(Convert::Reinterpret, F64, I64),
            O::F32ReinterpretI32 => self.convert(Convert::Reinterpret, I32, F32),
            O::F64ReinterpretI64 => self.convert(Convert::Reinterpret, I64, F64),
            O::I32TruncSatF32S => self.convert(Convert::TruncSatS, F32, I32),
            O::I32TruncSatF32U => self.convert(Convert::TruncSatU, F32, I32),
            O::I32TruncSatF64S => self.convert(Convert::TruncSatS, F64, I32),
            O::I32TruncSatF64U => self.convert(Convert::TruncSatU, F64, I32),
            O::I64TruncSatF32S => self.convert(Convert::TruncSatS, F32, I64),
            O::I64TruncSatF32U => self.convert(Convert::TruncSatU, F32, I64),
            O::I64TruncSatF64S => self.convert(Convert::TruncSatS, F64, I64),
            O::I64TruncSatF64U => self.convert(Convert::TruncSatU, F64, I64),
            O::I32TruncF32S => self.trunc(true, F32, I32),
            O::I32TruncF32U => self.trunc(false, F32, I32),
            O::I32TruncF64S => self.trunc(true, F64, I32),
            O::I32TruncF64U => self.trunc(false, F64, I32),
            O::I64TruncF32S => self.trunc(true, F32, I64),
            O::I64TruncF32U => self.trunc(false, F32, I64),
            O::I64TruncF64S => self.trunc(true, F64, I64),
            O::I64TruncF64U => self.trunc(false, F64, I64),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// A constant as a sign-extended 32-bit immediate, if it is one.
    fn imm(bits: u128, wide: bool) -> Option<i32> {
        if !wide {
            return Some(bits as u32 as i32);
        }
        let v = bits as u64 as i64;
        (v >= i32::MIN as i64 && v <= i32::MAX as i64).then_some(v as i32)
    }

    /// An operand for the second input of an integer instruction.
    fn operand(&mut self, s: Src, kind: Kind) -> (Operand, Src) {
        if let Src::Const(bits) = s {
            if let Some(i) = Self::imm(bits, kind == I64) {
                return (Operand::Imm(i), s);
            }
        }
        let s = self.src_reg(s, kind);
        (Operand::Reg(s.reg().expect("in a register")), s)
    }

    /// The destination for a result computed from `lhs`: `lhs`'s own
    /// register when the caller owns it.
    fn dest_from(&mut self, lhs: Src, kind: Kind) -> (Reg, Reg) {
        match self.src_reg(lhs, kind) {
            Src::Temp(r) => (r, r),
            Src::Fixed(f) => (self.alloc_for(kind), f),
            Src::Const(_) => unreachable!(),
        }
    }

    fn int_binop(&mut self, op: IntOp, wide: bool) {
        let kind = if wide { I64 } else { I32 };
        let rhs_imm = matches!(self.stack.last().map(|e| e.loc), Some(Loc::Const(b)) if Self::imm(b, wide).is_some());
        let fixed = M::fixed_regs_int(op, rhs_imm);
        if fixed == 0 && self.update_in_place(op, kind) {
            return;
        }
        if fixed != 0 {
            self.evict(fixed);
            self.reserved |= fixed;
        }
        let rhs = self.pop_src();
        let lhs = self.pop_src();
        let (rhs_op, rhs) = self.operand(rhs, kind);
        let (dst, lhs_reg) = self.dest_from(lhs, kind);
        self.masm.int_op(op, wide, dst, lhs_reg, rhs_op);
        self.free_src(rhs);
        self.reserved &= !fixed;
        self.push_reg(kind, dst);
    }

    /// `local.get x; ...; op; local.set x` (or `local.tee x`) with `x` in
    /// a register: the operation is done in that register (`add rbx, 1`),
    /// and the `local.set` that follows is consumed. `false` if the pattern
    /// does not apply (nothing emitted).
    fn update_in_place(&mut self, op: IntOp, kind: Kind) -> bool {
        let Some((x, tee)) = self.next_local_set else {
            return false;
        };
        let n = self.stack.len();
        let LocalHome::Reg(home) = self.local_homes[x as usize] else {
            return false;
        };
        if n < 2 || self.stack[n - 2].loc != Loc::Local(x) || self.local_kinds[x as usize] != kind {
            return false;
        }
        let rhs = self.pop_src();
        self.pop();
        // Values of `x` still on the stack keep the old value.
        self.capture_local(x);
        let (rhs_op, rhs) = self.operand(rhs, kind);
        self.masm.int_op(op, kind == I64, home, home, rhs_op);
        self.free_src(rhs);
        if tee {
            self.push(kind, Loc::Local(x));
        }
        self.set_consumed = true;
        true
    }

    fn int_div(&mut self, op: DivOp, wide: bool) {
        let kind = if wide { I64 } else { I32 };
        let fixed = M::fixed_regs_div();
        self.evict(fixed);
        self.reserved |= fixed;
        let rhs = self.pop_src();
        let lhs = self.pop_src();
        let rhs = self.src_reg(rhs, kind);
        let (dst, lhs_reg) = self.dest_from(lhs, kind);
        let (zero, overflow) = (
            self.trap_label(TrapCode::IntegerDivideByZero),
            self.trap_label(TrapCode::IntegerOverflow),
        );
        let rhs_reg = rhs.reg().expect("in a register");
        self.masm
            .int_div(op, wide, dst, lhs_reg, rhs_reg, TrapLabels(zero, overflow));
        self.free_src(rhs);
        self.reserved &= !fixed;
        self.push_reg(kind, dst);
    }

    fn eqz(&mut self, wide: bool) {
        if let Some(Loc::Flags(c)) = self.stack.last().map(|e| e.loc) {
            self.stack.last_mut().expect("top").loc = Loc::Flags(c.negate());
            return;
        }
        let s = self.pop_src();
        let s = self.src_reg(s, if wide { I64 } else { I32 });
        self.masm.int_test(wide, s.reg().expect("in a register"));
        self.free_src(s);
        self.push(I32, Loc::Flags(Cond::Eq));
    }

    fn int_cmp(&mut self, cond: Cond, wide: bool) {
        let kind = if wide { I64 } else { I32 };
        let mut rhs = self.pop_src();
        let mut lhs = self.pop_src();
        let mut cond = cond;
        if matches!(lhs, Src::Const(_)) && !matches!(rhs, Src::Const(_)) {
            std::mem::swap(&mut lhs, &mut rhs);
            cond = swapped(cond);
        }
        let lhs = self.src_reg(lhs, kind);
        let (rhs_op, rhs) = self.operand(rhs, kind);
        self.masm
            .int_cmp(wide, lhs.reg().expect("in a register"), rhs_op);
        self.free_src(lhs);
        self.free_src(rhs);
        self.push(I32, Loc::Flags(cond));
    }

    fn int_unop(&mut self, op: IntUnOp, wide: bool) {
        let kind = if wide { I64 } else { I32 };
        let src = self.pop_src();
        let (dst, src_reg) = self.dest_from(src, kind);
        self.masm.int_unop(op, wide, dst, src_reg);
        self.push_reg(kind, dst);
    }

    fn float_binop(&mut self, op: FloatOp, wide: bool) {
        let kind = if wide { F64 } else { F32 };
        let rhs = self.pop_src();
        let lhs = self.pop_src();
        let rhs = self.src_reg(rhs, kind);
        let (dst, lhs_reg) = self.dest_from(lhs, kind);
        self.masm
            .float_op(op, wide, dst, lhs_reg, rhs.reg().expect("in a register"));
        self.free_src(rhs);
        self.push_reg(kind, dst);
    }

    fn float_unop(&mut self, op: FloatUnOp, wide: bool) {
        let kind = if wide { F64 } else { F32 };
        let src = self.pop_src();
        let (dst, src_reg) = self.dest_from(src, kind);
        self.masm.float_unop(op, wide, dst, src_reg);
        self.push_reg(kind, dst);
    }

    /// Float compare; `swap` compares `rhs` with `lhs` (for `lt`, `le`).
    fn float_cmp(&mut self, wide: bool, cond: Cond, swap: bool) {
        let kind = if wide { F64 } else { F32 };
        let rhs = self.pop_src();
        let lhs = self.pop_src();
        let rhs = self.src_reg(rhs, kind);
        let lhs = self.src_reg(lhs, kind);
        let (a, b) = (lhs.reg().expect("reg"), rhs.reg().expect("reg"));
        if swap {
            self.masm.float_cmp(wide, b, a);
        } else {
            self.masm.float_cmp(wide, a, b);
        }
        self.free_src(lhs);
        self.free_src(rhs);
        self.push(I32, Loc::Flags(cond));
    }

    fn convert(&mut self, op: Convert, from: Kind, to: Kind) {
        let src = self.pop_src();
        let src = self.src_reg(src, from);
        let src_reg = src.reg().expect("in a register");
        let dst = match src {
            Src::Temp(r) if from.is_float() == to.is_float() => r,
            _ => self.alloc_for(to),
        };
        self.masm.convert(op, from, to, dst, src_reg);
        if Some(dst) != src.reg() {
            self.free_src(src);
        }
        self.push_reg(to, dst);
    }

    fn trunc(&mut self, signed: bool, from: Kind, to: Kind) {
        let src = self.pop_src();
        let src = self.src_reg(src, from);
        let dst = self.alloc_for(to);
        let invalid = self.trap_label(TrapCode::InvalidConversionToInteger);
        let overflow = self.trap_label(TrapCode::IntegerOverflow);
        let src_reg = src.reg().expect("in a register");
        self.masm.trunc(
            signed,
            from,
            to,
            dst,
            src_reg,
            TrapLabels(invalid, overflow),
        );
        self.free_src(src);
        self.push_reg(to, dst);
    }
}

/// The condition that holds for `(b, a)` when `cond` holds for `(a, b)`.
fn swapped(cond: Cond) -> Cond {
    use Cond::*;
    match cond {
        LtS => GtS,
        LtU => GtU,
        GtS => LtS,
        GtU => LtU,
        LeS => GeS,
        LeU => GeU,
        GeS => LeS,
        GeU => LeU,
        c => c,
    }
}

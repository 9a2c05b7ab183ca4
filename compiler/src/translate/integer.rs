//! Integer arithmetic, bitwise and comparison operators (`i32.*`, `i64.*`).
//!
//! Shift and rotate counts are taken modulo the bit width as wasm requires
//! (LLVM's shifts are poison past the width; `fshl`/`fshr` already wrap).
//! Division traps explicitly: by zero (`IntegerDivideByZero`) and
//! `MIN / -1` (`IntegerOverflow`); `MIN rem -1` is 0 without a trap.

use super::FuncTranslator;
use crate::error::Result;
use inkwell::values::IntValue;
use inkwell::IntPredicate;
use kiln_format::TrapCode;
use wasmparser::Operator;

/// An integer binary operator.
#[derive(Clone, Copy)]
enum Bin {
    Add,
    Sub,
    Mul,
    DivS,
    DivU,
    RemS,
    RemU,
    And,
    Or,
    Xor,
    Shl,
    ShrS,
    ShrU,
    Rotl,
    Rotr,
}

/// An integer unary operator.
#[derive(Clone, Copy)]
enum Un {
    Clz,
    Ctz,
    Popcnt,
    Eqz,
}

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Integer operators; returns whether `op` was one.
    pub(super) fn integer(&mut self, op: &Operator<'_>) -> Result<bool> {
        use IntPredicate as P;
        use Operator as O;
        match op {
            O::I32Add | O::I64Add => self.int_bin(Bin::Add)?,
            O::I32Sub | O::I64Sub => self.int_bin(Bin::Sub)?,
            O::I32Mul | O::I64Mul => self.int_bin(Bin::Mul)?,
            O::I32DivS | O::I64DivS => self.int_bin(Bin::DivS)?,
            O::I32DivU | O::I64DivU => self.int_bin(Bin::DivU)?,
            O::I32RemS | O::I64RemS => self.int_bin(Bin::RemS)?,
            O::I32RemU | O::I64RemU => self.int_bin(Bin::RemU)?,
            O::I32And | O::I64And => self.int_bin(Bin::And)?,
            O::I32Or | O::I64Or => self.int_bin(Bin::Or)?,
            O::I32Xor | O::I64Xor => self.int_bin(Bin::Xor)?,
            O::I32Shl | O::I64Shl => self.int_bin(Bin::Shl)?,
            O::I32ShrS | O::I64ShrS => self.int_bin(Bin::ShrS)?,
            O::I32ShrU | O::I64ShrU => self.int_bin(Bin::ShrU)?,
            O::I32Rotl | O::I64Rotl => self.int_bin(Bin::Rotl)?,
            O::I32Rotr | O::I64Rotr => self.int_bin(Bin::Rotr)?,
            O::I32Clz | O::I64Clz => self.int_un(Un::Clz)?,
            O::I32Ctz | O::I64Ctz => self.int_un(Un::Ctz)?,
            O::I32Popcnt | O::I64Popcnt => self.int_un(Un::Popcnt)?,
            O::I32Eqz | O::I64Eqz => self.int_un(Un::Eqz)?,
            O::I32Eq | O::I64Eq => self.int_cmp(P::EQ)?,
            O::I32Ne | O::I64Ne => self.int_cmp(P::NE)?,
            O::I32LtS | O::I64LtS => self.int_cmp(P::SLT)?,
            O::I32LtU | O::I64LtU => self.int_cmp(P::ULT)?,
            O::I32GtS | O::I64GtS => self.int_cmp(P::SGT)?,
            O::I32GtU | O::I64GtU => self.int_cmp(P::UGT)?,
            O::I32LeS | O::I64LeS => self.int_cmp(P::SLE)?,
            O::I32LeU | O::I64LeU => self.int_cmp(P::ULE)?,
            O::I32GeS | O::I64GeS => self.int_cmp(P::SGE)?,
            O::I32GeU | O::I64GeU => self.int_cmp(P::UGE)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Pushes an `i1` as a wasm `i32` boolean.
    pub(crate) fn push_bool(&mut self, b: IntValue<'ctx>) -> Result<()> {
        let v = self
            .builder
            .build_int_z_extend(b, self.ctx.i32_type(), "")?;
        self.push(v);
        Ok(())
    }

    fn int_cmp(&mut self, pred: IntPredicate) -> Result<()> {
        let b = self.pop()?.into_int_value();
        let a = self.pop()?.into_int_value();
        let c = self.builder.build_int_compare(pred, a, b, "")?;
        self.push_bool(c)
    }

    fn int_un(&mut self, op: Un) -> Result<()> {
        let a = self.pop()?.into_int_value();
        let ty = a.get_type();
        let f = self.ctx.bool_type().const_zero();
        let v = match op {
            Un::Clz => self.call_intrinsic("llvm.ctlz", &[ty.into()], &[a.into(), f.into()])?,
            Un::Ctz => self.call_intrinsic("llvm.cttz", &[ty.into()], &[a.into(), f.into()])?,
            Un::Popcnt => self.call_intrinsic("llvm.ctpop", &[ty.into()], &[a.into()])?,
            Un::Eqz => {
                let c = self
                    .builder
                    .build_int_compare(IntPredicate::EQ, a, ty.const_zero(), "")?;
                return self.push_bool(c);
            }
        };
        self.push(v);
        Ok(())
    }

    fn int_bin(&mut self, op: Bin) -> Result<()> {
        let b = self.pop()?.into_int_value();
        let a = self.pop()?.into_int_value();
        let ty = a.get_type();
        let bits = u64::from(ty.get_bit_width());
        let bld = &self.builder;
        let v = match op {
            Bin::Add => bld.build_int_add(a, b, "")?,
            Bin::Sub => bld.build_int_sub(a, b, "")?,
            Bin::Mul => bld.build_int_mul(a, b, "")?,
            Bin::And => bld.build_and(a, b, "")?,
            Bin::Or => bld.build_or(a, b, "")?,
            Bin::Xor => bld.build_xor(a, b, "")?,
            Bin::Shl | Bin::ShrS | Bin::ShrU => {
                let n = bld.build_and(b, ty.const_int(bits - 1, false), "")?;
                match op {
                    Bin::Shl => bld.build_left_shift(a, n, "")?,
                    Bin::ShrS => bld.build_right_shift(a, n, true, "")?,
                    _ => bld.build_right_shift(a, n, false, "")?,
                }
            }
            Bin::Rotl | Bin::Rotr => {
                let name = if matches!(op, Bin::Rotl) {
                    "llvm.fshl"
                } else {
                    "llvm.fshr"
                };
                let v = self.call_intrinsic(name, &[ty.into()], &[a.into(), a.into(), b.into()])?;
                v.into_int_value()
            }
            Bin::DivU | Bin::RemU => {
                self.trap_if_zero(b)?;
                let bld = &self.builder;
                if matches!(op, Bin::DivU) {
                    bld.build_int_unsigned_div(a, b, "")?
                } else {
                    bld.build_int_unsigned_rem(a, b, "")?
                }
            }
            Bin::DivS => {
                self.trap_if_zero(b)?;
                let min = ty.const_int(1 << (bits - 1), false);
                let bld = &self.builder;
                let a_min = bld.build_int_compare(IntPredicate::EQ, a, min, "")?;
                let b_m1 = bld.build_int_compare(IntPredicate::EQ, b, ty.const_all_ones(), "")?;
                let overflow = bld.build_and(a_min, b_m1, "")?;
                self.trap_if(overflow, TrapCode::IntegerOverflow)?;
                self.builder.build_int_signed_div(a, b, "")?
            }
            Bin::RemS => {
                self.trap_if_zero(b)?;
                // x rem -1 == 0; divide by 1 instead so MIN rem -1 is defined.
                let bld = &self.builder;
                let b_m1 = bld.build_int_compare(IntPredicate::EQ, b, ty.const_all_ones(), "")?;
                let d = bld
                    .build_select(b_m1, ty.const_int(1, false), b, "")?
                    .into_int_value();
                bld.build_int_signed_rem(a, d, "")?
            }
        };
        self.push(v);
        Ok(())
    }

    fn trap_if_zero(&mut self, divisor: IntValue<'ctx>) -> Result<()> {
        let zero = divisor.get_type().const_zero();
        let is_zero = self
            .builder
            .build_int_compare(IntPredicate::EQ, divisor, zero, "")?;
        self.trap_if(is_zero, TrapCode::IntegerDivideByZero)
    }
}

//! Bitwise logic (`v128.not/and/andnot/or/xor/bitselect`), the boolean
//! reductions (`v128.any_true`, `*.all_true`, `*.bitmask`) and lane shifts.
//!
//! Shift counts are taken modulo the lane width, as wasm requires (LLVM
//! shifts are poison past the width). `bitmask` collects each lane's sign
//! bit with lane 0 in bit 0: an `<n x i1>` compare bitcast to `in`;
//! `all_true` compares that bitcast of the lane-nonzero mask with all ones,
//! and `any_true` compares the whole vector, as an `i128`, with zero.

use super::{FuncTranslator, Shape};
use crate::error::Result;
use inkwell::values::VectorValue;
use inkwell::IntPredicate;
use wasmparser::Operator;

/// A lane shift.
#[derive(Clone, Copy)]
enum Shift {
    Shl,
    ShrS,
    ShrU,
}

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Bitwise, boolean-reduction and shift operators; returns whether `op`
    /// was one.
    pub(super) fn simd_bitwise(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        use Shape as S;
        match op {
            O::V128Not => {
                let a = self.pop_vec(S::I32x4)?;
                let v = self.builder.build_not(a, "")?;
                self.push_vec(v)?;
            }
            O::V128And | O::V128AndNot | O::V128Or | O::V128Xor => {
                let b = self.pop_vec(S::I32x4)?;
                let a = self.pop_vec(S::I32x4)?;
                let bld = &self.builder;
                let v = match op {
                    O::V128And => bld.build_and(a, b, "")?,
                    O::V128AndNot => {
                        let nb = bld.build_not(b, "")?;
                        bld.build_and(a, nb, "")?
                    }
                    O::V128Or => bld.build_or(a, b, "")?,
                    _ => bld.build_xor(a, b, "")?,
                };
                self.push_vec(v)?;
            }
            O::V128Bitselect => {
                let c = self.pop_vec(S::I32x4)?;
                let b = self.pop_vec(S::I32x4)?;
                let a = self.pop_vec(S::I32x4)?;
                let bld = &self.builder;
                let nc = bld.build_not(c, "")?;
                let x = bld.build_and(a, c, "")?;
                let y = bld.build_and(b, nc, "")?;
                let v = bld.build_or(x, y, "")?;
                self.push_vec(v)?;
            }
            O::V128AnyTrue => {
                let a = self.pop()?;
                let i128t = self.ctx.i128_type();
                let bits = self.builder.build_bit_cast(a, i128t, "")?.into_int_value();
                let c = self.builder.build_int_compare(
                    IntPredicate::NE,
                    bits,
                    i128t.const_zero(),
                    "",
                )?;
                self.push_bool(c)?;
            }
            O::I8x16AllTrue => self.all_true(S::I8x16)?,
            O::I16x8AllTrue => self.all_true(S::I16x8)?,
            O::I32x4AllTrue => self.all_true(S::I32x4)?,
            O::I64x2AllTrue => self.all_true(S::I64x2)?,
            O::I8x16Bitmask => self.bitmask(S::I8x16)?,
            O::I16x8Bitmask => self.bitmask(S::I16x8)?,
            O::I32x4Bitmask => self.bitmask(S::I32x4)?,
            O::I64x2Bitmask => self.bitmask(S::I64x2)?,
            O::I8x16Shl => self.shift(S::I8x16, Shift::Shl)?,
            O::I8x16ShrS => self.shift(S::I8x16, Shift::ShrS)?,
            O::I8x16ShrU => self.shift(S::I8x16, Shift::ShrU)?,
            O::I16x8Shl => self.shift(S::I16x8, Shift::Shl)?,
            O::I16x8ShrS => self.shift(S::I16x8, Shift::ShrS)?,
            O::I16x8ShrU => self.shift(S::I16x8, Shift::ShrU)?,
            O::I32x4Shl => self.shift(S::I32x4, Shift::Shl)?,
            O::I32x4ShrS => self.shift(S::I32x4, Shift::ShrS)?,
            O::I32x4ShrU => self.shift(S::I32x4, Shift::ShrU)?,
            O::I64x2Shl => self.shift(S::I64x2, Shift::Shl)?,
            O::I64x2ShrS => self.shift(S::I64x2, Shift::ShrS)?,
            O::I64x2ShrU => self.shift(S::I64x2, Shift::ShrU)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `icmp pred v, 0` per lane, as an `<n x i1>`.
    fn lanes_vs_zero(&self, v: VectorValue<'ctx>, pred: IntPredicate) -> Result<VectorValue<'ctx>> {
        let zero = v.get_type().const_zero();
        Ok(self.builder.build_int_compare(pred, v, zero, "")?)
    }

    fn all_true(&mut self, shape: Shape) -> Result<()> {
        let a = self.pop_vec(shape)?;
        let nonzero = self.lanes_vs_zero(a, IntPredicate::NE)?;
        let n = shape.lanes();
        let bits = self
            .builder
            .build_bit_cast(nonzero, self.int_type(n), "")?
            .into_int_value();
        let ones = self.int_type(n).const_all_ones();
        let c = self
            .builder
            .build_int_compare(IntPredicate::EQ, bits, ones, "")?;
        self.push_bool(c)
    }

    fn bitmask(&mut self, shape: Shape) -> Result<()> {
        let a = self.pop_vec(shape)?;
        let neg = self.lanes_vs_zero(a, IntPredicate::SLT)?;
        let bits = self
            .builder
            .build_bit_cast(neg, self.int_type(shape.lanes()), "")?
            .into_int_value();
        let v = self
            .builder
            .build_int_z_extend(bits, self.ctx.i32_type(), "")?;
        self.push(v);
        Ok(())
    }

    fn shift(&mut self, shape: Shape, op: Shift) -> Result<()> {
        let n = self.pop()?.into_int_value();
        let a = self.pop_vec(shape)?;
        let bits = shape.lane_bits();
        let n = self
            .builder
            .build_and(n, self.i32_const(u64::from(bits - 1)), "")?;
        let lane = self.int_type(bits);
        let n = self.builder.build_int_cast_sign_flag(n, lane, false, "")?;
        let n = self.splat_to(n.into(), a.get_type())?;
        let bld = &self.builder;
        let v = match op {
            Shift::Shl => bld.build_left_shift(a, n, "")?,
            Shift::ShrS => bld.build_right_shift(a, n, true, "")?,
            Shift::ShrU => bld.build_right_shift(a, n, false, "")?,
        };
        self.push_vec(v)
    }
}

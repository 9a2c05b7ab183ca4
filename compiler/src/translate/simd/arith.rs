//! Integer lane arithmetic: add/sub/mul (wrapping), saturating add/sub,
//! min/max, `avgr_u`, abs/neg/popcnt, `q15mulr_sat_s`, `dot`, `extmul` and
//! `extadd_pairwise`.
//!
//! Widening operators extend their lanes to twice the width first, so
//! nothing overflows; `avgr_u` is `(a + b + 1) >> 1` in the wider type and
//! `q15mulr_sat_s` is `(a * b + 0x4000) >> 15` in `i32`, clamped to `i16`
//! (only `-32768 * -32768` can leave the range). Saturation, min/max and
//! abs use the generic `llvm.*.sat`, `llvm.[su]{min,max}` and `llvm.abs`
//! intrinsics (`abs` of the minimum value wraps to itself).

use super::{FuncTranslator, Shape};
use crate::error::Result;
use inkwell::values::VectorValue;
use wasmparser::Operator;

/// A lane-wise integer binary operator.
#[derive(Clone, Copy)]
enum IBin {
    Add,
    Sub,
    Mul,
    AvgrU,
    /// A generic two-operand intrinsic (`llvm.sadd.sat`, `llvm.smin`, ...).
    Intrinsic(&'static str),
}

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Integer arithmetic operators; returns whether `op` was one.
    pub(super) fn simd_arith(&mut self, op: &Operator<'_>) -> Result<bool> {
        use IBin::Intrinsic as I;
        use Operator as O;
        use Shape as S;
        match op {
            O::I8x16Add => self.int_lanes(S::I8x16, IBin::Add)?,
            O::I16x8Add => self.int_lanes(S::I16x8, IBin::Add)?,
            O::I32x4Add => self.int_lanes(S::I32x4, IBin::Add)?,
            O::I64x2Add => self.int_lanes(S::I64x2, IBin::Add)?,
            O::I8x16Sub => self.int_lanes(S::I8x16, IBin::Sub)?,
            O::I16x8Sub => self.int_lanes(S::I16x8, IBin::Sub)?,
            O::I32x4Sub => self.int_lanes(S::I32x4, IBin::Sub)?,
            O::I64x2Sub => self.int_lanes(S::I64x2, IBin::Sub)?,
            O::I16x8Mul => self.int_lanes(S::I16x8, IBin::Mul)?,
            O::I32x4Mul => self.int_lanes(S::I32x4, IBin::Mul)?,
            O::I64x2Mul => self.int_lanes(S::I64x2, IBin::Mul)?,
            O::I8x16AddSatS => self.int_lanes(S::I8x16, I("llvm.sadd.sat"))?,
            O::I8x16AddSatU => self.int_lanes(S::I8x16, I("llvm.uadd.sat"))?,
            O::I8x16SubSatS => self.int_lanes(S::I8x16, I("llvm.ssub.sat"))?,
            O::I8x16SubSatU => self.int_lanes(S::I8x16, I("llvm.usub.sat"))?,
            O::I16x8AddSatS => self.int_lanes(S::I16x8, I("llvm.sadd.sat"))?,
            O::I16x8AddSatU => self.int_lanes(S::I16x8, I("llvm.uadd.sat"))?,
            O::I16x8SubSatS => self.int_lanes(S::I16x8, I("llvm.ssub.sat"))?,
            O::I16x8SubSatU => self.int_lanes(S::I16x8, I("llvm.usub.sat"))?,
            O::I8x16MinS => self.int_lanes(S::I8x16, I("llvm.smin"))?,
            O::I8x16MinU => self.int_lanes(S::I8x16, I("llvm.umin"))?,
            O::I8x16MaxS => self.int_lanes(S::I8x16, I("llvm.smax"))?,
            O::I8x16MaxU => self.int_lanes(S::I8x16, I("llvm.umax"))?,
            O::I16x8MinS => self.int_lanes(S::I16x8, I("llvm.smin"))?,
            O::I16x8MinU => self.int_lanes(S::I16x8, I("llvm.umin"))?,
            O::I16x8MaxS => self.int_lanes(S::I16x8, I("llvm.smax"))?,
            O::I16x8MaxU => self.int_lanes(S::I16x8, I("llvm.umax"))?,
            O::I32x4MinS => self.int_lanes(S::I32x4, I("llvm.smin"))?,
            O::I32x4MinU => self.int_lanes(S::I32x4, I("llvm.umin"))?,
            O::I32x4MaxS => self.int_lanes(S::I32x4, I("llvm.smax"))?,
            O::I32x4MaxU => self.int_lanes(S::I32x4, I("llvm.umax"))?,
            O::I8x16AvgrU => self.int_lanes(S::I8x16, IBin::AvgrU)?,
            O::I16x8AvgrU => self.int_lanes(S::I16x8, IBin::AvgrU)?,
            O::I8x16Abs => self.int_abs(S::I8x16)?,
            O::I16x8Abs => self.int_abs(S::I16x8)?,
            O::I32x4Abs => self.int_abs(S::I32x4)?,
            O::I64x2Abs => self.int_abs(S::I64x2)?,
            O::I8x16Neg => self.int_neg(S::I8x16)?,
            O::I16x8Neg => self.int_neg(S::I16x8)?,
            O::I32x4Neg => self.int_neg(S::I32x4)?,
            O::I64x2Neg => self.int_neg(S::I64x2)?,
            O::I8x16Popcnt => {
                let a = self.pop_vec(S::I8x16)?;
                let v = self.vec_intrinsic("llvm.ctpop", &[a])?;
                self.push_vec(v)?;
            }
            O::I16x8Q15MulrSatS => self.q15mulr()?,
            O::I32x4DotI16x8S => self.dot()?,
            O::I16x8ExtMulLowI8x16S => self.ext_mul(S::I8x16, false, true)?,
            O::I16x8ExtMulHighI8x16S => self.ext_mul(S::I8x16, true, true)?,
            O::I16x8ExtMulLowI8x16U => self.ext_mul(S::I8x16, false, false)?,
            O::I16x8ExtMulHighI8x16U => self.ext_mul(S::I8x16, true, false)?,
            O::I32x4ExtMulLowI16x8S => self.ext_mul(S::I16x8, false, true)?,
            O::I32x4ExtMulHighI16x8S => self.ext_mul(S::I16x8, true, true)?,
            O::I32x4ExtMulLowI16x8U => self.ext_mul(S::I16x8, false, false)?,
            O::I32x4ExtMulHighI16x8U => self.ext_mul(S::I16x8, true, false)?,
            O::I64x2ExtMulLowI32x4S => self.ext_mul(S::I32x4, false, true)?,
            O::I64x2ExtMulHighI32x4S => self.ext_mul(S::I32x4, true, true)?,
            O::I64x2ExtMulLowI32x4U => self.ext_mul(S::I32x4, false, false)?,
            O::I64x2ExtMulHighI32x4U => self.ext_mul(S::I32x4, true, false)?,
            O::I16x8ExtAddPairwiseI8x16S => self.ext_add_pairwise(S::I8x16, true)?,
            O::I16x8ExtAddPairwiseI8x16U => self.ext_add_pairwise(S::I8x16, false)?,
            O::I32x4ExtAddPairwiseI16x8S => self.ext_add_pairwise(S::I16x8, true)?,
            O::I32x4ExtAddPairwiseI16x8U => self.ext_add_pairwise(S::I16x8, false)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn int_lanes(&mut self, shape: Shape, op: IBin) -> Result<()> {
        let b = self.pop_vec(shape)?;
        let a = self.pop_vec(shape)?;
        let bld = &self.builder;
        let v = match op {
            IBin::Add => bld.build_int_add(a, b, "")?,
            IBin::Sub => bld.build_int_sub(a, b, "")?,
            IBin::Mul => bld.build_int_mul(a, b, "")?,
            IBin::AvgrU => self.avgr_u(a, b)?,
            IBin::Intrinsic(name) => self.vec_intrinsic(name, &[a, b])?,
        };
        self.push_vec(v)
    }

    /// `(a + b + 1) >> 1`, unsigned, without overflow.
    fn avgr_u(&self, a: VectorValue<'ctx>, b: VectorValue<'ctx>) -> Result<VectorValue<'ctx>> {
        let ty = a.get_type();
        let bits = ty.get_element_type().into_int_type().get_bit_width();
        let wa = self.extend_lanes(a, bits * 2, false)?;
        let wb = self.extend_lanes(b, bits * 2, false)?;
        let one = self.const_splat(wa.get_type(), 1);
        let bld = &self.builder;
        let sum = bld.build_int_add(wa, wb, "")?;
        let sum = bld.build_int_add(sum, one, "")?;
        let avg = bld.build_right_shift(sum, one, false, "")?;
        Ok(bld.build_int_truncate(avg, ty, "")?)
    }

    fn int_abs(&mut self, shape: Shape) -> Result<()> {
        let a = self.pop_vec(shape)?;
        let poison_on_min = self.ctx.bool_type().const_zero();
        let v = self
            .call_intrinsic(
                "llvm.abs",
                &[a.get_type().into()],
                &[a.into(), poison_on_min.into()],
            )?
            .into_vector_value();
        self.push_vec(v)
    }

    fn int_neg(&mut self, shape: Shape) -> Result<()> {
        let a = self.pop_vec(shape)?;
        let zero = a.get_type().const_zero();
        let v = self.builder.build_int_sub(zero, a, "")?;
        self.push_vec(v)
    }

    fn q15mulr(&mut self) -> Result<()> {
        let b = self.pop_vec(Shape::I16x8)?;
        let a = self.pop_vec(Shape::I16x8)?;
        let wa = self.extend_lanes(a, 32, true)?;
        let wb = self.extend_lanes(b, 32, true)?;
        let wty = wa.get_type();
        let round = self.const_splat(wty, 0x4000);
        let fifteen = self.const_splat(wty, 15);
        let max = self.const_splat(wty, 0x7fff);
        let bld = &self.builder;
        let p = bld.build_int_mul(wa, wb, "")?;
        let p = bld.build_int_add(p, round, "")?;
        let p = bld.build_right_shift(p, fifteen, true, "")?;
        let p = self.vec_intrinsic("llvm.smin", &[p, max])?;
        let v = self.builder.build_int_truncate(p, a.get_type(), "")?;
        self.push_vec(v)
    }

    fn dot(&mut self) -> Result<()> {
        let b = self.pop_vec(Shape::I16x8)?;
        let a = self.pop_vec(Shape::I16x8)?;
        let wa = self.extend_lanes(a, 32, true)?;
        let wb = self.extend_lanes(b, 32, true)?;
        let p = self.builder.build_int_mul(wa, wb, "")?;
        let even = self.pick(p, (0..4).map(|i| 2 * i))?;
        let odd = self.pick(p, (0..4).map(|i| 2 * i + 1))?;
        let v = self.builder.build_int_add(even, odd, "")?;
        self.push_vec(v)
    }

    /// `extmul_{low,high}` of two `from` vectors.
    fn ext_mul(&mut self, from: Shape, high: bool, signed: bool) -> Result<()> {
        let b = self.pop_vec(from)?;
        let a = self.pop_vec(from)?;
        let bits = from.lane_bits() * 2;
        let ha = self.half(a, high)?;
        let hb = self.half(b, high)?;
        let wa = self.extend_lanes(ha, bits, signed)?;
        let wb = self.extend_lanes(hb, bits, signed)?;
        let v = self.builder.build_int_mul(wa, wb, "")?;
        self.push_vec(v)
    }

    /// `extadd_pairwise` of a `from` vector.
    fn ext_add_pairwise(&mut self, from: Shape, signed: bool) -> Result<()> {
        let a = self.pop_vec(from)?;
        let n = from.lanes() / 2;
        let bits = from.lane_bits() * 2;
        let even = self.pick(a, (0..n).map(|i| 2 * i))?;
        let odd = self.pick(a, (0..n).map(|i| 2 * i + 1))?;
        let we = self.extend_lanes(even, bits, signed)?;
        let wo = self.extend_lanes(odd, bits, signed)?;
        let v = self.builder.build_int_add(we, wo, "")?;
        self.push_vec(v)
    }
}

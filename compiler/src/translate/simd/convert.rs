//! Lane conversions: integer narrowing (saturating) and extension,
//! float<->integer conversion (saturating truncation via
//! `llvm.fpto[su]i.sat`), `f32x4.demote_f64x2_zero` and
//! `f64x2.promote_low_f32x4`.
//!
//! `narrow` concatenates its operands (first operand in the low lanes),
//! clamps the signed input lanes to the target range (`[0, 2^n - 1]` for
//! the unsigned variant, whose input is still signed) and truncates.
//! The `_zero` variants fill the upper two lanes with zeros; `_low`
//! variants read the lower two lanes. For x86-64, whose backend scalarises
//! vector `fpto[su]i.sat`, the saturating truncations are instead plain
//! conversions of the in-range lanes plus selects (still generic IR).

use super::{FuncTranslator, Shape};
use crate::error::Result;
use inkwell::types::VectorType;
use inkwell::values::VectorValue;
use inkwell::FloatPredicate;
use wasmparser::Operator;

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Conversion operators; returns whether `op` was one.
    pub(super) fn simd_convert(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        use Shape as S;
        match op {
            O::I8x16NarrowI16x8S => self.narrow(S::I16x8, true)?,
            O::I8x16NarrowI16x8U => self.narrow(S::I16x8, false)?,
            O::I16x8NarrowI32x4S => self.narrow(S::I32x4, true)?,
            O::I16x8NarrowI32x4U => self.narrow(S::I32x4, false)?,
            O::I16x8ExtendLowI8x16S => self.extend_half(S::I8x16, false, true)?,
            O::I16x8ExtendHighI8x16S => self.extend_half(S::I8x16, true, true)?,
            O::I16x8ExtendLowI8x16U => self.extend_half(S::I8x16, false, false)?,
            O::I16x8ExtendHighI8x16U => self.extend_half(S::I8x16, true, false)?,
            O::I32x4ExtendLowI16x8S => self.extend_half(S::I16x8, false, true)?,
            O::I32x4ExtendHighI16x8S => self.extend_half(S::I16x8, true, true)?,
            O::I32x4ExtendLowI16x8U => self.extend_half(S::I16x8, false, false)?,
            O::I32x4ExtendHighI16x8U => self.extend_half(S::I16x8, true, false)?,
            O::I64x2ExtendLowI32x4S => self.extend_half(S::I32x4, false, true)?,
            O::I64x2ExtendHighI32x4S => self.extend_half(S::I32x4, true, true)?,
            O::I64x2ExtendLowI32x4U => self.extend_half(S::I32x4, false, false)?,
            O::I64x2ExtendHighI32x4U => self.extend_half(S::I32x4, true, false)?,
            O::I32x4TruncSatF32x4S | O::I32x4TruncSatF32x4U => {
                let a = self.pop_vec(S::F32x4)?;
                let signed = matches!(op, O::I32x4TruncSatF32x4S);
                let v = self.trunc_sat_lanes(a, signed)?;
                self.push_vec(v)?;
            }
            O::I32x4TruncSatF64x2SZero | O::I32x4TruncSatF64x2UZero => {
                let a = self.pop_vec(S::F64x2)?;
                let signed = matches!(op, O::I32x4TruncSatF64x2SZero);
                let v = self.trunc_sat_lanes(a, signed)?;
                let v = self.zero_extend_lanes(v)?;
                self.push_vec(v)?;
            }
            O::F32x4ConvertI32x4S | O::F32x4ConvertI32x4U => {
                let a = self.pop_vec(S::I32x4)?;
                let ty = self.vec_type(S::F32x4);
                let v = if matches!(op, O::F32x4ConvertI32x4S) {
                    self.builder.build_signed_int_to_float(a, ty, "")?
                } else {
                    self.builder.build_unsigned_int_to_float(a, ty, "")?
                };
                self.push_vec(v)?;
            }
            O::F64x2ConvertLowI32x4S | O::F64x2ConvertLowI32x4U => {
                let a = self.pop_vec(S::I32x4)?;
                let low = self.pick(a, [0, 1])?;
                let ty = self.vec_type(S::F64x2);
                let v = if matches!(op, O::F64x2ConvertLowI32x4S) {
                    self.builder.build_signed_int_to_float(low, ty, "")?
                } else {
                    self.builder.build_unsigned_int_to_float(low, ty, "")?
                };
                self.push_vec(v)?;
            }
            O::F32x4DemoteF64x2Zero => {
                let a = self.pop_vec(S::F64x2)?;
                let ty = self.ctx.f32_type().vec_type(2);
                let v = self.builder.build_float_trunc(a, ty, "")?;
                let v = self.zero_extend_lanes(v)?;
                self.push_vec(v)?;
            }
            O::F64x2PromoteLowF32x4 => {
                let a = self.pop_vec(S::F32x4)?;
                let low = self.pick(a, [0, 1])?;
                let v = self
                    .builder
                    .build_float_ext(low, self.vec_type(S::F64x2), "")?;
                self.push_vec(v)?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `i8x16.narrow_i16x8_*` / `i16x8.narrow_i32x4_*` of two `from` vectors.
    fn narrow(&mut self, from: Shape, signed: bool) -> Result<()> {
        let b = self.pop_vec(from)?;
        let a = self.pop_vec(from)?;
        let n = from.lanes();
        let mask = self.mask(0..2 * n);
        let both = self.builder.build_shuffle_vector(a, b, mask, "")?;
        let ty = both.get_type();
        let bits = from.lane_bits() / 2;
        let (lo, hi) = if signed {
            (
                (1u64 << (bits - 1)).wrapping_neg(),
                (1u64 << (bits - 1)) - 1,
            )
        } else {
            (0, (1u64 << bits) - 1)
        };
        let lo = self.const_splat(ty, lo);
        let hi = self.const_splat(ty, hi);
        let v = self.vec_intrinsic("llvm.smax", &[both, lo])?;
        let v = self.vec_intrinsic("llvm.smin", &[v, hi])?;
        let out = self.int_vec_type(bits, 2 * n);
        let v = self.builder.build_int_truncate(v, out, "")?;
        self.push_vec(v)
    }

    /// `*.extend_{low,high}_*` of a `from` vector.
    fn extend_half(&mut self, from: Shape, high: bool, signed: bool) -> Result<()> {
        let a = self.pop_vec(from)?;
        let h = self.half(a, high)?;
        let v = self.extend_lanes(h, from.lane_bits() * 2, signed)?;
        self.push_vec(v)
    }

    /// Saturating float-to-`i32` conversion of every lane of `a`.
    fn trunc_sat_lanes(&self, a: VectorValue<'ctx>, signed: bool) -> Result<VectorValue<'ctx>> {
        let n = a.get_type().get_size();
        let ty = self.int_vec_type(32, n);
        if self.is_x86() {
            return self.trunc_sat_selects(a, ty, signed);
        }
        let name = if signed {
            "llvm.fptosi.sat"
        } else {
            "llvm.fptoui.sat"
        };
        Ok(self
            .call_intrinsic(name, &[ty.into(), a.get_type().into()], &[a.into()])?
            .into_vector_value())
    }

    /// Whether the module targets x86-64, whose backend scalarises vector
    /// `llvm.fpto[su]i.sat` (aarch64 has saturating vector conversions).
    fn is_x86(&self) -> bool {
        self.module
            .get_triple()
            .as_str()
            .to_string_lossy()
            .starts_with("x86_64")
    }

    /// [`Self::trunc_sat_lanes`] as plain conversions of in-range lanes
    /// and selects for the rest (NaN -> 0, below -> min, above -> max).
    fn trunc_sat_selects(
        &self,
        a: VectorValue<'ctx>,
        ty: VectorType<'ctx>,
        signed: bool,
    ) -> Result<VectorValue<'ctx>> {
        use FloatPredicate as P;
        let fty = a.get_type();
        let fconst = |x: f64| {
            let lane = fty.get_element_type().into_float_type().const_float(x);
            VectorType::const_vector(&vec![lane; fty.get_size() as usize])
        };
        // In range: -2^31 <= x < 2^31 (signed), -1 < x < 2^32 (unsigned);
        // every bound is exact in f32 and f64.
        let (lo, lo_pred, hi, min, max) = if signed {
            (
                -2147483648.0,
                P::OGE,
                2147483648.0,
                1u64 << 31,
                (1u64 << 31) - 1,
            )
        } else {
            (-1.0, P::OGT, 4294967296.0, 0, u64::from(u32::MAX))
        };
        let bld = &self.builder;
        let above_lo = bld.build_float_compare(lo_pred, a, fconst(lo), "")?;
        let below_hi = bld.build_float_compare(P::OLT, a, fconst(hi), "")?;
        let in_range = bld.build_and(above_lo, below_hi, "")?;
        let safe = bld
            .build_select(in_range, a, fty.const_zero(), "")?
            .into_vector_value();
        let t = if signed {
            bld.build_float_to_signed_int(safe, ty, "")?
        } else {
            bld.build_float_to_unsigned_int(safe, ty, "")?
        };
        let zero = fty.const_zero();
        let pos = bld.build_float_compare(P::OGT, a, zero, "")?;
        let neg = bld.build_float_compare(P::OLT, a, zero, "")?;
        let low = bld.build_select(neg, self.const_splat(ty, min), ty.const_zero(), "")?;
        let out = bld.build_select(pos, self.const_splat(ty, max).into(), low, "")?;
        Ok(bld
            .build_select(in_range, t.into(), out, "")?
            .into_vector_value())
    }

    /// The two-lane vector `v` followed by two zero lanes.
    fn zero_extend_lanes(&self, v: VectorValue<'ctx>) -> Result<VectorValue<'ctx>> {
        let zero = v.get_type().const_zero();
        let mask = self.mask(0..4);
        Ok(self.builder.build_shuffle_vector(v, zero, mask, "")?)
    }
}

//! Conversions between value types: wrap/extend, sign extension, float
//! promotion/demotion, int<->float conversion, reinterpretation, and the
//! trapping and saturating float-to-int truncations.
//!
//! A trapping truncation first traps `InvalidConversionToInteger` on NaN,
//! then `IntegerOverflow` unless `lo < x < hi` (exclusive bounds chosen to
//! be exactly representable; for `i64` signed, `x >= -2^63`). The check is
//! done in `f64`, which holds every `f32` exactly. Saturating truncations
//! use `llvm.fpto[su]i.sat`.

use super::FuncTranslator;
use crate::error::Result;
use inkwell::types::{BasicTypeEnum, IntType};
use inkwell::values::FloatValue;
use inkwell::FloatPredicate;
use kiln_format::TrapCode;
use wasmparser::Operator;

const TWO_31: f64 = 2147483648.0;
const TWO_32: f64 = 4294967296.0;
const TWO_63: f64 = 9223372036854775808.0;
const TWO_64: f64 = 18446744073709551616.0;

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Conversion operators; returns whether `op` was one.
    pub(super) fn convert(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        let i32t = self.ctx.i32_type();
        let i64t = self.ctx.i64_type();
        let f32t = self.ctx.f32_type();
        let f64t = self.ctx.f64_type();
        match op {
            O::I32WrapI64 => {
                let a = self.pop()?.into_int_value();
                let v = self.builder.build_int_truncate(a, i32t, "")?;
                self.push(v);
            }
            O::I64ExtendI32S | O::I64ExtendI32U => {
                let a = self.pop()?.into_int_value();
                let v = if matches!(op, O::I64ExtendI32S) {
                    self.builder.build_int_s_extend(a, i64t, "")?
                } else {
                    self.builder.build_int_z_extend(a, i64t, "")?
                };
                self.push(v);
            }
            O::I32Extend8S | O::I64Extend8S => self.sign_extend_from(8)?,
            O::I32Extend16S | O::I64Extend16S => self.sign_extend_from(16)?,
            O::I64Extend32S => self.sign_extend_from(32)?,
            O::F32DemoteF64 => {
                let a = self.pop()?.into_float_value();
                let v = self.builder.build_float_trunc(a, f32t, "")?;
                let v = self.quiet(v)?;
                self.push(v);
            }
            O::F64PromoteF32 => {
                let a = self.pop()?.into_float_value();
                let v = self.builder.build_float_ext(a, f64t, "")?;
                let v = self.quiet(v)?;
                self.push(v);
            }
            O::F32ConvertI32S | O::F32ConvertI64S => self.int_to_float(f32t.into(), true)?,
            O::F32ConvertI32U | O::F32ConvertI64U => self.int_to_float(f32t.into(), false)?,
            O::F64ConvertI32S | O::F64ConvertI64S => self.int_to_float(f64t.into(), true)?,
            O::F64ConvertI32U | O::F64ConvertI64U => self.int_to_float(f64t.into(), false)?,
            O::I32ReinterpretF32 => self.reinterpret(i32t.into())?,
            O::I64ReinterpretF64 => self.reinterpret(i64t.into())?,
            O::F32ReinterpretI32 => self.reinterpret(f32t.into())?,
            O::F64ReinterpretI64 => self.reinterpret(f64t.into())?,
            O::I32TruncF32S | O::I32TruncF64S => self.trunc_trapping(i32t, true)?,
            O::I32TruncF32U | O::I32TruncF64U => self.trunc_trapping(i32t, false)?,
            O::I64TruncF32S | O::I64TruncF64S => self.trunc_trapping(i64t, true)?,
            O::I64TruncF32U | O::I64TruncF64U => self.trunc_trapping(i64t, false)?,
            O::I32TruncSatF32S | O::I32TruncSatF64S => self.trunc_sat(i32t, true)?,
            O::I32TruncSatF32U | O::I32TruncSatF64U => self.trunc_sat(i32t, false)?,
            O::I64TruncSatF32S | O::I64TruncSatF64S => self.trunc_sat(i64t, true)?,
            O::I64TruncSatF32U | O::I64TruncSatF64U => self.trunc_sat(i64t, false)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn sign_extend_from(&mut self, bits: u32) -> Result<()> {
        let a = self.pop()?.into_int_value();
        let narrow = match bits {
            8 => self.ctx.i8_type(),
            16 => self.ctx.i16_type(),
            _ => self.ctx.i32_type(),
        };
        let t = self.builder.build_int_truncate(a, narrow, "")?;
        let v = self.builder.build_int_s_extend(t, a.get_type(), "")?;
        self.push(v);
        Ok(())
    }

    fn int_to_float(&mut self, ty: BasicTypeEnum<'ctx>, signed: bool) -> Result<()> {
        let a = self.pop()?.into_int_value();
        let ty = ty.into_float_type();
        let v = if signed {
            self.builder.build_signed_int_to_float(a, ty, "")?
        } else {
            self.builder.build_unsigned_int_to_float(a, ty, "")?
        };
        self.push(v);
        Ok(())
    }

    fn reinterpret(&mut self, ty: BasicTypeEnum<'ctx>) -> Result<()> {
        let a = self.pop()?;
        let v = self.builder.build_bit_cast(a, ty, "")?;
        self.push(v);
        Ok(())
    }

    fn trunc_trapping(&mut self, ty: IntType<'ctx>, signed: bool) -> Result<()> {
        let a = self.pop()?.into_float_value();
        let x = self.widen(a)?;
        let nan = self
            .builder
            .build_float_compare(FloatPredicate::UNO, x, x, "")?;
        self.trap_if(nan, TrapCode::InvalidConversionToInteger)?;
        let f64t = self.ctx.f64_type();
        let wide = ty.get_bit_width() == 64;
        let (lo, lo_inclusive, hi) = match (wide, signed) {
            (false, true) => (-TWO_31 - 1.0, false, TWO_31),
            (false, false) => (-1.0, false, TWO_32),
            (true, true) => (-TWO_63, true, TWO_63),
            (true, false) => (-1.0, false, TWO_64),
        };
        let lo_pred = if lo_inclusive {
            FloatPredicate::OGE
        } else {
            FloatPredicate::OGT
        };
        let bld = &self.builder;
        let above = bld.build_float_compare(lo_pred, x, f64t.const_float(lo), "")?;
        let below = bld.build_float_compare(FloatPredicate::OLT, x, f64t.const_float(hi), "")?;
        let in_range = bld.build_and(above, below, "")?;
        let out = bld.build_not(in_range, "")?;
        self.trap_if(out, TrapCode::IntegerOverflow)?;
        let v = if signed {
            self.builder.build_float_to_signed_int(x, ty, "")?
        } else {
            self.builder.build_float_to_unsigned_int(x, ty, "")?
        };
        self.push(v);
        Ok(())
    }

    fn trunc_sat(&mut self, ty: IntType<'ctx>, signed: bool) -> Result<()> {
        let a = self.pop()?.into_float_value();
        let name = if signed {
            "llvm.fptosi.sat"
        } else {
            "llvm.fptoui.sat"
        };
        let v = self.call_intrinsic(name, &[ty.into(), a.get_type().into()], &[a.into()])?;
        self.push(v);
        Ok(())
    }

    /// `a` as an `f64` (exact for `f32`).
    fn widen(&self, a: FloatValue<'ctx>) -> Result<FloatValue<'ctx>> {
        let f64t = self.ctx.f64_type();
        if a.get_type() == f64t {
            Ok(a)
        } else {
            Ok(self.builder.build_float_ext(a, f64t, "")?)
        }
    }
}

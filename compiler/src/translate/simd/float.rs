//! Float lane arithmetic (`f32x4.*`, `f64x2.*`): add/sub/mul/div, sqrt,
//! abs/neg, ceil/floor/trunc/nearest, min/max and pmin/pmax.
//!
//! `min`/`max` use `llvm.minimum`/`llvm.maximum` (NaN if either operand is
//! NaN, -0 < +0) but take NaN lanes from `a + b` instead: some backends
//! (x86) return a NaN operand unchanged, and wasm wants an arithmetic
//! (quiet) NaN even for a signalling input. `pmin`/`pmax` are the exact
//! selects `b < a ? b : a` and `a < b ? b : a`, NaN operands passed through
//! bit for bit. `abs`/`neg` are bitwise (`llvm.fabs`, `fneg`); `nearest`
//! is `llvm.roundeven`.

use super::{FuncTranslator, Shape};
use crate::error::Result;
use inkwell::values::VectorValue;
use inkwell::FloatPredicate;
use wasmparser::Operator;

/// A float binary operator.
#[derive(Clone, Copy)]
enum FBin {
    Add,
    Sub,
    Mul,
    Div,
    Min,
    Max,
    PMin,
    PMax,
}

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Float arithmetic operators; returns whether `op` was one.
    pub(super) fn simd_float(&mut self, op: &Operator<'_>) -> Result<bool> {
        use Operator as O;
        use Shape::{F32x4, F64x2};
        match op {
            O::F32x4Add => self.float_lanes(F32x4, FBin::Add)?,
            O::F64x2Add => self.float_lanes(F64x2, FBin::Add)?,
            O::F32x4Sub => self.float_lanes(F32x4, FBin::Sub)?,
            O::F64x2Sub => self.float_lanes(F64x2, FBin::Sub)?,
            O::F32x4Mul => self.float_lanes(F32x4, FBin::Mul)?,
            O::F64x2Mul => self.float_lanes(F64x2, FBin::Mul)?,
            O::F32x4Div => self.float_lanes(F32x4, FBin::Div)?,
            O::F64x2Div => self.float_lanes(F64x2, FBin::Div)?,
            O::F32x4Min => self.float_lanes(F32x4, FBin::Min)?,
            O::F64x2Min => self.float_lanes(F64x2, FBin::Min)?,
            O::F32x4Max => self.float_lanes(F32x4, FBin::Max)?,
            O::F64x2Max => self.float_lanes(F64x2, FBin::Max)?,
            O::F32x4PMin => self.float_lanes(F32x4, FBin::PMin)?,
            O::F64x2PMin => self.float_lanes(F64x2, FBin::PMin)?,
            O::F32x4PMax => self.float_lanes(F32x4, FBin::PMax)?,
            O::F64x2PMax => self.float_lanes(F64x2, FBin::PMax)?,
            O::F32x4Sqrt => self.float_unary(F32x4, "llvm.sqrt")?,
            O::F64x2Sqrt => self.float_unary(F64x2, "llvm.sqrt")?,
            O::F32x4Abs => self.float_unary(F32x4, "llvm.fabs")?,
            O::F64x2Abs => self.float_unary(F64x2, "llvm.fabs")?,
            O::F32x4Ceil => self.float_unary(F32x4, "llvm.ceil")?,
            O::F64x2Ceil => self.float_unary(F64x2, "llvm.ceil")?,
            O::F32x4Floor => self.float_unary(F32x4, "llvm.floor")?,
            O::F64x2Floor => self.float_unary(F64x2, "llvm.floor")?,
            O::F32x4Trunc => self.float_unary(F32x4, "llvm.trunc")?,
            O::F64x2Trunc => self.float_unary(F64x2, "llvm.trunc")?,
            O::F32x4Nearest => self.float_unary(F32x4, "llvm.roundeven")?,
            O::F64x2Nearest => self.float_unary(F64x2, "llvm.roundeven")?,
            O::F32x4Neg | O::F64x2Neg => {
                let shape = if matches!(op, O::F32x4Neg) {
                    F32x4
                } else {
                    F64x2
                };
                let a = self.pop_vec(shape)?;
                let v = self.builder.build_float_neg(a, "")?;
                self.push_vec(v)?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn float_unary(&mut self, shape: Shape, name: &str) -> Result<()> {
        let a = self.pop_vec(shape)?;
        let v = self.vec_intrinsic(name, &[a])?;
        self.push_vec(v)
    }

    fn float_lanes(&mut self, shape: Shape, op: FBin) -> Result<()> {
        let b = self.pop_vec(shape)?;
        let a = self.pop_vec(shape)?;
        let bld = &self.builder;
        let v = match op {
            FBin::Add => bld.build_float_add(a, b, "")?,
            FBin::Sub => bld.build_float_sub(a, b, "")?,
            FBin::Mul => bld.build_float_mul(a, b, "")?,
            FBin::Div => bld.build_float_div(a, b, "")?,
            FBin::Min => self.wasm_min_max(a, b, "llvm.minimum")?,
            FBin::Max => self.wasm_min_max(a, b, "llvm.maximum")?,
            FBin::PMin => {
                let lt = bld.build_float_compare(FloatPredicate::OLT, b, a, "")?;
                bld.build_select(lt, b, a, "")?.into_vector_value()
            }
            FBin::PMax => {
                let lt = bld.build_float_compare(FloatPredicate::OLT, a, b, "")?;
                bld.build_select(lt, b, a, "")?.into_vector_value()
            }
        };
        self.push_vec(v)
    }

    /// `name(a, b)` with NaN lanes replaced by the quiet NaN of `a + b`.
    fn wasm_min_max(
        &self,
        a: VectorValue<'ctx>,
        b: VectorValue<'ctx>,
        name: &str,
    ) -> Result<VectorValue<'ctx>> {
        let r = self.vec_intrinsic(name, &[a, b])?;
        let bld = &self.builder;
        let nan = bld.build_float_compare(FloatPredicate::UNO, a, b, "")?;
        let quiet = bld.build_float_add(a, b, "")?;
        Ok(bld.build_select(nan, quiet, r, "")?.into_vector_value())
    }
}

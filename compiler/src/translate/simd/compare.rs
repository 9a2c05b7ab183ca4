//! Lane comparisons of every shape: each result lane is all ones when the
//! comparison holds and zero otherwise (an `<n x i1>` sign-extended to the
//! lane width).
//!
//! Float comparisons are ordered (false for NaN) except `ne`, which is
//! unordered (true for NaN). `i64x2` has no unsigned comparisons.

use super::{FuncTranslator, Shape};
use crate::error::Result;
use inkwell::values::VectorValue;
use inkwell::{FloatPredicate, IntPredicate};
use wasmparser::Operator;

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Comparison operators; returns whether `op` was one.
    pub(super) fn simd_compare(&mut self, op: &Operator<'_>) -> Result<bool> {
        use FloatPredicate as F;
        use IntPredicate as P;
        use Operator as O;
        use Shape as S;
        let (shape, pred) = match op {
            O::I8x16Eq => (S::I8x16, P::EQ),
            O::I8x16Ne => (S::I8x16, P::NE),
            O::I8x16LtS => (S::I8x16, P::SLT),
            O::I8x16LtU => (S::I8x16, P::ULT),
            O::I8x16GtS => (S::I8x16, P::SGT),
            O::I8x16GtU => (S::I8x16, P::UGT),
            O::I8x16LeS => (S::I8x16, P::SLE),
            O::I8x16LeU => (S::I8x16, P::ULE),
            O::I8x16GeS => (S::I8x16, P::SGE),
            O::I8x16GeU => (S::I8x16, P::UGE),
            O::I16x8Eq => (S::I16x8, P::EQ),
            O::I16x8Ne => (S::I16x8, P::NE),
            O::I16x8LtS => (S::I16x8, P::SLT),
            O::I16x8LtU => (S::I16x8, P::ULT),
            O::I16x8GtS => (S::I16x8, P::SGT),
            O::I16x8GtU => (S::I16x8, P::UGT),
            O::I16x8LeS => (S::I16x8, P::SLE),
            O::I16x8LeU => (S::I16x8, P::ULE),
            O::I16x8GeS => (S::I16x8, P::SGE),
            O::I16x8GeU => (S::I16x8, P::UGE),
            O::I32x4Eq => (S::I32x4, P::EQ),
            O::I32x4Ne => (S::I32x4, P::NE),
            O::I32x4LtS => (S::I32x4, P::SLT),
            O::I32x4LtU => (S::I32x4, P::ULT),
            O::I32x4GtS => (S::I32x4, P::SGT),
            O::I32x4GtU => (S::I32x4, P::UGT),
            O::I32x4LeS => (S::I32x4, P::SLE),
            O::I32x4LeU => (S::I32x4, P::ULE),
            O::I32x4GeS => (S::I32x4, P::SGE),
            O::I32x4GeU => (S::I32x4, P::UGE),
            O::I64x2Eq => (S::I64x2, P::EQ),
            O::I64x2Ne => (S::I64x2, P::NE),
            O::I64x2LtS => (S::I64x2, P::SLT),
            O::I64x2GtS => (S::I64x2, P::SGT),
            O::I64x2LeS => (S::I64x2, P::SLE),
            O::I64x2GeS => (S::I64x2, P::SGE),
            _ => {
                let (shape, pred) = match op {
                    O::F32x4Eq => (S::F32x4, F::OEQ),
                    O::F32x4Ne => (S::F32x4, F::UNE),
                    O::F32x4Lt => (S::F32x4, F::OLT),
                    O::F32x4Gt => (S::F32x4, F::OGT),
                    O::F32x4Le => (S::F32x4, F::OLE),
                    O::F32x4Ge => (S::F32x4, F::OGE),
                    O::F64x2Eq => (S::F64x2, F::OEQ),
                    O::F64x2Ne => (S::F64x2, F::UNE),
                    O::F64x2Lt => (S::F64x2, F::OLT),
                    O::F64x2Gt => (S::F64x2, F::OGT),
                    O::F64x2Le => (S::F64x2, F::OLE),
                    O::F64x2Ge => (S::F64x2, F::OGE),
                    _ => return Ok(false),
                };
                let b = self.pop_vec(shape)?;
                let a = self.pop_vec(shape)?;
                let c = self.builder.build_float_compare(pred, a, b, "")?;
                self.push_mask(c, shape)?;
                return Ok(true);
            }
        };
        let b = self.pop_vec(shape)?;
        let a = self.pop_vec(shape)?;
        let c = self.builder.build_int_compare(pred, a, b, "")?;
        self.push_mask(c, shape)?;
        Ok(true)
    }

    /// Pushes the `<n x i1>` `c` as lanes of all ones or zeros of `shape`.
    fn push_mask(&mut self, c: VectorValue<'ctx>, shape: Shape) -> Result<()> {
        let ty = self.vec_type(shape.int());
        let v = self.builder.build_int_s_extend(c, ty, "")?;
        self.push_vec(v)
    }
}

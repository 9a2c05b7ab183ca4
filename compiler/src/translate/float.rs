//! Floating-point arithmetic and comparisons (`f32.*`, `f64.*`).
//!
//! `min`/`max` use `llvm.minimum`/`llvm.maximum` (NaN if either operand is
//! NaN, and -0 < +0, as wasm requires; unlike `minnum`/`maxnum`), `nearest`
//! uses `llvm.roundeven` (ties to even), and `copysign`/`abs`/`neg` are
//! bitwise. Comparisons are ordered except `ne`, which is true for NaN.

use super::FuncTranslator;
use crate::error::Result;
use inkwell::FloatPredicate;
use wasmparser::Operator;

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Float operators; returns whether `op` was one.
    pub(super) fn float(&mut self, op: &Operator<'_>) -> Result<bool> {
        use FloatPredicate as P;
        use Operator as O;
        match op {
            O::F32Add | O::F64Add => self.float_bin(FBin::Add)?,
            O::F32Sub | O::F64Sub => self.float_bin(FBin::Sub)?,
            O::F32Mul | O::F64Mul => self.float_bin(FBin::Mul)?,
            O::F32Div | O::F64Div => self.float_bin(FBin::Div)?,
            O::F32Min | O::F64Min => self.float_intrinsic2("llvm.minimum")?,
            O::F32Max | O::F64Max => self.float_intrinsic2("llvm.maximum")?,
            O::F32Copysign | O::F64Copysign => self.copysign()?,
            O::F32Abs | O::F64Abs => self.float_intrinsic1("llvm.fabs")?,
            O::F32Sqrt | O::F64Sqrt => self.float_intrinsic1("llvm.sqrt")?,
            O::F32Ceil | O::F64Ceil => self.float_intrinsic1("llvm.ceil")?,
            O::F32Floor | O::F64Floor => self.float_intrinsic1("llvm.floor")?,
            O::F32Trunc | O::F64Trunc => self.float_intrinsic1("llvm.trunc")?,
            O::F32Nearest | O::F64Nearest => self.float_intrinsic1("llvm.roundeven")?,
            O::F32Neg | O::F64Neg => {
                let a = self.pop()?.into_float_value();
                let v = self.builder.build_float_neg(a, "")?;
                self.push(v);
            }
            O::F32Eq | O::F64Eq => self.float_cmp(P::OEQ)?,
            O::F32Ne | O::F64Ne => self.float_cmp(P::UNE)?,
            O::F32Lt | O::F64Lt => self.float_cmp(P::OLT)?,
            O::F32Gt | O::F64Gt => self.float_cmp(P::OGT)?,
            O::F32Le | O::F64Le => self.float_cmp(P::OLE)?,
            O::F32Ge | O::F64Ge => self.float_cmp(P::OGE)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn float_bin(&mut self, op: FBin) -> Result<()> {
        let b = self.pop()?.into_float_value();
        let a = self.pop()?.into_float_value();
        let bld = &self.builder;
        let v = match op {
            FBin::Add => bld.build_float_add(a, b, "")?,
            FBin::Sub => bld.build_float_sub(a, b, "")?,
            FBin::Mul => bld.build_float_mul(a, b, "")?,
            FBin::Div => bld.build_float_div(a, b, "")?,
        };
        // LLVM folds arithmetic with these constants into (a negation of)
        // the other operand, which would let a signalling NaN through.
        let foldable = |x: inkwell::values::FloatValue<'_>| {
            literal(x).is_some_and(|c| c == 0.0 || c.abs() == 1.0)
        };
        if foldable(a) || foldable(b) {
            let v = self.quiet(v)?;
            self.push(v);
        } else {
            self.push(v);
        }
        Ok(())
    }

    /// `v` with a NaN made quiet (its quiet bit set, payload kept), as wasm
    /// requires of arithmetic results. Hardware arithmetic already does
    /// this; it is needed where LLVM may replace the operation by one of
    /// its operands (`x - 0.0`, `x * 1.0`, a promote/demote pair) or where
    /// the lowering passes a NaN operand through (`minimum`/`maximum`).
    pub(super) fn quiet(
        &mut self,
        v: inkwell::values::FloatValue<'ctx>,
    ) -> Result<inkwell::values::BasicValueEnum<'ctx>> {
        let fty = v.get_type();
        let (ity, bit) = if fty == self.ctx.f32_type() {
            (self.ctx.i32_type(), 1u64 << 22)
        } else {
            (self.ctx.i64_type(), 1u64 << 51)
        };
        let b = &self.builder;
        let is_nan = b.build_float_compare(FloatPredicate::UNO, v, v, "")?;
        let bits = b.build_bit_cast(v, ity, "")?.into_int_value();
        let quieted = b.build_or(bits, ity.const_int(bit, false), "")?;
        let quieted = b.build_bit_cast(quieted, fty, "")?;
        Ok(b.build_select(is_nan, quieted, v.into(), "")?)
    }

    /// `copysign` on the bit patterns, so NaN payloads pass through untouched.
    fn copysign(&mut self) -> Result<()> {
        let b = self.pop()?.into_float_value();
        let a = self.pop()?.into_float_value();
        let fty = a.get_type();
        let (ity, sign) = if fty == self.ctx.f32_type() {
            (self.ctx.i32_type(), 1u64 << 31)
        } else {
            (self.ctx.i64_type(), 1u64 << 63)
        };
        let bld = &self.builder;
        let ai = bld.build_bit_cast(a, ity, "")?.into_int_value();
        let bi = bld.build_bit_cast(b, ity, "")?.into_int_value();
        let magnitude = bld.build_and(ai, ity.const_int(!sign, false), "")?;
        let sign_bit = bld.build_and(bi, ity.const_int(sign, false), "")?;
        let v = bld.build_or(magnitude, sign_bit, "")?;
        let v = bld.build_bit_cast(v, fty, "")?;
        self.push(v);
        Ok(())
    }

    fn float_intrinsic1(&mut self, name: &str) -> Result<()> {
        let a = self.pop()?.into_float_value();
        let v = self.call_intrinsic(name, &[a.get_type().into()], &[a.into()])?;
        self.push(v);
        Ok(())
    }

    fn float_intrinsic2(&mut self, name: &str) -> Result<()> {
        let b = self.pop()?.into_float_value();
        let a = self.pop()?.into_float_value();
        let v = self.call_intrinsic(name, &[a.get_type().into()], &[a.into(), b.into()])?;
        let v = self.quiet(v.into_float_value())?;
        self.push(v);
        Ok(())
    }

    fn float_cmp(&mut self, pred: FloatPredicate) -> Result<()> {
        let b = self.pop()?.into_float_value();
        let a = self.pop()?.into_float_value();
        let c = self.builder.build_float_compare(pred, a, b, "")?;
        self.push_bool(c)
    }
}

/// A float binary operator with a plain LLVM instruction.
#[derive(Clone, Copy)]
enum FBin {
    Add,
    Sub,
    Mul,
    Div,
}

/// The value of `x` if it is a floating-point literal; `None` for anything
/// else, including constants that are not literals (poison, undef,
/// constant expressions), whose value LLVM cannot give as a number.
fn literal(x: inkwell::values::FloatValue<'_>) -> Option<f64> {
    use inkwell::values::AsValueRef;
    // SAFETY: `x` is a live value of the current context; the call only
    // checks what kind of value it is.
    let is_literal =
        unsafe { !inkwell::llvm_sys::core::LLVMIsAConstantFP(x.as_value_ref()).is_null() };
    if is_literal {
        x.get_constant().map(|(c, _)| c)
    } else {
        None
    }
}

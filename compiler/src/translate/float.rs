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
            O::F32Copysign | O::F64Copysign => self.float_intrinsic2("llvm.copysign")?,
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

//! Floating-point arithmetic and comparisons (`f32.*`, `f64.*`).
//!
//! An `f64` add, sub or mul whose operand was just loaded from memory
//! takes the load over (see [`super::fuse`]); one whose operand another
//! add, sub or mul just computed takes that op over (see [`super::chain`]).

use super::fuse::MemArith;
use super::operators::Bin;
use super::Translator;
use crate::interp::code::Op;
use crate::types::ValType;
use wasmparser::Operator as O;

use ValType::{F32, F64, I32};

impl Translator<'_> {
    /// Translates the floating-point operators; false for any other.
    pub(super) fn float_op(&mut self, op: &O) -> bool {
        match *op {
            O::F32Eq => self.binary(I32, bin!(F32Eq)),
            O::F32Ne => self.binary(I32, bin!(F32Ne)),
            O::F32Lt => self.binary(I32, bin!(F32Lt)),
            O::F32Gt => self.binary(I32, bin!(F32Gt)),
            O::F32Le => self.binary(I32, bin!(F32Le)),
            O::F32Ge => self.binary(I32, bin!(F32Ge)),
            O::F64Eq => self.binary(I32, bin!(F64Eq)),
            O::F64Ne => self.binary(I32, bin!(F64Ne)),
            O::F64Lt => self.binary(I32, bin!(F64Lt)),
            O::F64Gt => self.binary(I32, bin!(F64Gt)),
            O::F64Le => self.binary(I32, bin!(F64Le)),
            O::F64Ge => self.binary(I32, bin!(F64Ge)),
            O::F32Abs => self.unary(F32, un!(F32Abs)),
            O::F32Neg => self.unary(F32, un!(F32Neg)),
            O::F32Ceil => self.unary(F32, un!(F32Ceil)),
            O::F32Floor => self.unary(F32, un!(F32Floor)),
            O::F32Trunc => self.unary(F32, un!(F32Trunc)),
            O::F32Nearest => self.unary(F32, un!(F32Nearest)),
            O::F32Sqrt => self.unary(F32, un!(F32Sqrt)),
            O::F32Add => self.binary(F32, bin!(F32Add)),
            O::F32Sub => self.binary(F32, bin!(F32Sub)),
            O::F32Mul => self.binary(F32, bin!(F32Mul)),
            O::F32Div => self.binary(F32, bin!(F32Div)),
            O::F32Min => self.binary(F32, bin!(F32Min)),
            O::F32Max => self.binary(F32, bin!(F32Max)),
            O::F32Copysign => self.binary(F32, bin!(F32Copysign)),
            O::F64Abs => self.unary(F64, un!(F64Abs)),
            O::F64Neg => self.unary(F64, un!(F64Neg)),
            O::F64Ceil => self.unary(F64, un!(F64Ceil)),
            O::F64Floor => self.unary(F64, un!(F64Floor)),
            O::F64Trunc => self.unary(F64, un!(F64Trunc)),
            O::F64Nearest => self.unary(F64, un!(F64Nearest)),
            O::F64Sqrt => self.unary(F64, un!(F64Sqrt)),
            O::F64Add => self.f64_arith(bin!(F64Add), MemArith::Add),
            O::F64Sub => self.f64_arith(bin!(F64Sub), MemArith::Sub),
            O::F64Mul => self.f64_arith(bin!(F64Mul), MemArith::Mul),
            O::F64Div => self.binary(F64, bin!(F64Div)),
            O::F64Min => self.binary(F64, bin!(F64Min)),
            O::F64Max => self.binary(F64, bin!(F64Max)),
            O::F64Copysign => self.binary(F64, bin!(F64Copysign)),
            _ => return false,
        }
        true
    }

    /// An f64 add/sub/mul, fused with the load that produced an operand when possible.
    fn f64_arith(&mut self, f: Bin, kind: MemArith) {
        if !self.fuse_f64_load(kind) && !self.fuse_f64_chain(kind) {
            self.binary(F64, f);
        }
    }
}

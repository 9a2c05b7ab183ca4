//! Conversions between value types: wrap/extend, sign extension, float
//! promotion/demotion, int<->float conversion, reinterpretation, and the
//! trapping and saturating float-to-int truncations.
//!
//! Reinterpretations and `i64.extend_i32_u` emit nothing: 32-bit values
//! are kept zero-extended in their slots, so only the operand's type
//! changes.

use super::Translator;
use crate::interp::code::Op;
use crate::types::ValType;
use wasmparser::Operator as O;

use ValType::{F32, F64, I32, I64};

impl Translator<'_> {
    /// Translates the conversion operators; false for any other.
    pub(super) fn convert_op(&mut self, op: &O) -> bool {
        match *op {
            O::I32WrapI64 => self.unary(I32, un!(I32WrapI64)),
            O::I32TruncF32S => self.unary(I32, un!(I32TruncF32S)),
            O::I32TruncF32U => self.unary(I32, un!(I32TruncF32U)),
            O::I32TruncF64S => self.unary(I32, un!(I32TruncF64S)),
            O::I32TruncF64U => self.unary(I32, un!(I32TruncF64U)),
            O::I64ExtendI32S => self.unary(I64, un!(I64ExtendI32S)),
            O::I64ExtendI32U => self.retype(I64),
            O::I64TruncF32S => self.unary(I64, un!(I64TruncF32S)),
            O::I64TruncF32U => self.unary(I64, un!(I64TruncF32U)),
            O::I64TruncF64S => self.unary(I64, un!(I64TruncF64S)),
            O::I64TruncF64U => self.unary(I64, un!(I64TruncF64U)),
            O::F32ConvertI32S => self.unary(F32, un!(F32ConvertI32S)),
            O::F32ConvertI32U => self.unary(F32, un!(F32ConvertI32U)),
            O::F32ConvertI64S => self.unary(F32, un!(F32ConvertI64S)),
            O::F32ConvertI64U => self.unary(F32, un!(F32ConvertI64U)),
            O::F32DemoteF64 => self.unary(F32, un!(F32DemoteF64)),
            O::F64ConvertI32S => self.unary(F64, un!(F64ConvertI32S)),
            O::F64ConvertI32U => self.unary(F64, un!(F64ConvertI32U)),
            O::F64ConvertI64S => self.unary(F64, un!(F64ConvertI64S)),
            O::F64ConvertI64U => self.unary(F64, un!(F64ConvertI64U)),
            O::F64PromoteF32 => self.unary(F64, un!(F64PromoteF32)),
            O::I32ReinterpretF32 => self.retype(I32),
            O::I64ReinterpretF64 => self.retype(I64),
            O::F32ReinterpretI32 => self.retype(F32),
            O::F64ReinterpretI64 => self.retype(F64),
            O::I32Extend8S => self.unary(I32, un!(I32Extend8S)),
            O::I32Extend16S => self.unary(I32, un!(I32Extend16S)),
            O::I64Extend8S => self.unary(I64, un!(I64Extend8S)),
            O::I64Extend16S => self.unary(I64, un!(I64Extend16S)),
            O::I64Extend32S => self.unary(I64, un!(I64Extend32S)),
            O::I32TruncSatF32S => self.unary(I32, un!(I32TruncSatF32S)),
            O::I32TruncSatF32U => self.unary(I32, un!(I32TruncSatF32U)),
            O::I32TruncSatF64S => self.unary(I32, un!(I32TruncSatF64S)),
            O::I32TruncSatF64U => self.unary(I32, un!(I32TruncSatF64U)),
            O::I64TruncSatF32S => self.unary(I64, un!(I64TruncSatF32S)),
            O::I64TruncSatF32U => self.unary(I64, un!(I64TruncSatF32U)),
            O::I64TruncSatF64S => self.unary(I64, un!(I64TruncSatF64S)),
            O::I64TruncSatF64U => self.unary(I64, un!(I64TruncSatF64U)),
            _ => return false,
        }
        true
    }

    /// Retypes the top operand (reinterpretations and zero-extension are
    /// free because 32-bit values are kept zero-extended in their slots).
    fn retype(&mut self, ty: ValType) {
        let top = self.stack.last_mut().expect("validated stack");
        top.ty = ty;
    }
}

//! Reference operators: `ref.null`, `ref.is_null` and `ref.func`.
//!
//! A reference occupies one slot: a `funcref` is the address of the
//! function's entity, null is 0. `ref.null` is a constant operand.

use super::Translator;
use crate::interp::code::Op;
use crate::types::ValType;
use wasmparser::Operator as O;

impl Translator<'_> {
    /// Translates the reference operators; false for any other.
    pub(super) fn reference_op(&mut self, op: &O) -> bool {
        match *op {
            O::RefNull { hty } => {
                let ty = if hty == wasmparser::HeapType::FUNC {
                    ValType::FUNCREF
                } else {
                    ValType::EXTERNREF
                };
                self.push_const(ty, 0);
            }
            O::RefIsNull => self.unary(ValType::I32, |dst, a| Op::RefIsNull { dst, a }),
            O::RefFunc { function_index } => {
                let dst = self.push_result(ValType::FUNCREF);
                self.emit_result(Op::RefFunc {
                    dst,
                    func: function_index,
                });
            }
            _ => return false,
        }
        true
    }
}

//! The dispatch from each wasm operator to the family that translates it,
//! and the shapes most operators share (unary, binary, binary with an
//! immediate form).
//!
//! Each family file (`control`, `call`, `variables`, `memory`, `integer`,
//! `float`, `convert`, `reference`, `table`, `bulk`, `vector`) has one
//! method that translates the operators of its family and returns `false`
//! for any other; [`Translator::operator`] asks them in turn. A new
//! operator is added to its family's method only.

use super::Translator;
use crate::interp::code::{Op, Slot};
use crate::types::ValType;
use wasmparser::Operator as O;

/// Builds a unary op from its result and operand slots.
pub(super) type Un = fn(Slot, Slot) -> Op;
/// Builds a binary op from its result and operand slots.
pub(super) type Bin = fn(Slot, Slot, Slot) -> Op;
/// Builds the immediate form of a binary op (right operand a small constant).
pub(super) type Imm = fn(Slot, Slot, i32) -> Op;

/// The [`Un`] builder of op `$v`.
macro_rules! un {
    ($v:ident) => {
        (|dst, a| Op::$v { dst, a }) as super::operators::Un
    };
}
/// The [`Bin`] builder of op `$v`.
macro_rules! bin {
    ($v:ident) => {
        (|dst, a, b| Op::$v { dst, a, b }) as super::operators::Bin
    };
}
/// The [`Imm`] builder of op `$v`, as an `Option`.
macro_rules! imm {
    ($v:ident) => {
        Some((|dst, a, imm| Op::$v { dst, a, imm }) as super::operators::Imm)
    };
}

impl Translator<'_> {
    /// Translates one operator; an `Err` is an internal limit, not a validation error.
    pub(super) fn operator(&mut self, op: O) -> Result<(), String> {
        if self.is_unreachable() {
            self.dead_control_op(&op);
            return Ok(());
        }
        let done = self.control_op(&op)?
            || self.call_op(&op)
            || self.variable_op(&op)
            || self.memory_op(&op)
            || self.integer_op(&op)
            || self.float_op(&op)
            || self.convert_op(&op)
            || self.reference_op(&op)
            || self.table_op(&op)
            || self.bulk_op(&op)
            || self.vector_op(&op);
        if done {
            Ok(())
        } else {
            Err(format!(
                "operator {op:?} is not supported by the interpreter"
            ))
        }
    }

    pub(super) fn unary(&mut self, ty: ValType, f: Un) {
        let a = self.pop();
        let dst = self.push_result(ty);
        self.emit_result(f(dst, a));
    }

    pub(super) fn binary(&mut self, ty: ValType, f: Bin) {
        self.binary_imm(ty, f, None)
    }

    /// A binary op, using the immediate form `fi` when the right operand is a small constant.
    pub(super) fn binary_imm(&mut self, ty: ValType, f: Bin, fi: Option<Imm>) {
        if let (Some(fi), Some(imm)) = (fi, self.top_imm()) {
            self.pop_operand();
            let a = self.pop();
            let dst = self.push_result(ty);
            self.emit_result(fi(dst, a, imm));
            return;
        }
        let b = self.pop();
        let a = self.pop();
        let dst = self.push_result(ty);
        self.emit_result(f(dst, a, b));
    }
}

//! Locals, globals, constants, `drop` and `select`.
//!
//! `local.get` and the scalar constants emit nothing: the operand stands
//! for the local or the constant until something forces it into its home
//! (see [`super::stack`]). A `v128` global or `select` has its own op, as
//! it spans two slots.

use super::Translator;
use crate::interp::code::Op;
use crate::types::ValType;
use wasmparser::Operator as O;

use ValType::{F32, F64, I32, I64, V128};

impl Translator<'_> {
    /// Translates the variable, constant and parametric operators; false for any other.
    pub(super) fn variable_op(&mut self, op: &O) -> bool {
        match *op {
            O::Drop => self.drop_top(),
            O::Select | O::TypedSelect { .. } => self.select(),
            O::LocalGet { local_index } => self.push_local(local_index),
            O::LocalSet { local_index } => self.local_set(local_index, false),
            O::LocalTee { local_index } => self.local_set(local_index, true),
            O::GlobalGet { global_index } => self.global_get(global_index),
            O::GlobalSet { global_index } => self.global_set(global_index),
            O::I32Const { value } => self.push_const(I32, value as u32 as u64),
            O::I64Const { value } => self.push_const(I64, value as u64),
            O::F32Const { value } => self.push_const(F32, value.bits() as u64),
            O::F64Const { value } => self.push_const(F64, value.bits()),
            O::V128Const { value } => {
                let index = self.add_const(value.i128() as u128);
                let dst = self.push_result(V128);
                self.emit_result(Op::ConstV128 { dst, index });
            }
            _ => return false,
        }
        true
    }

    fn global_get(&mut self, index: u32) {
        let ty = self.module.globals[index as usize].val;
        let dst = self.push_result(ty);
        let op = if ty == V128 {
            Op::GlobalGet128 { dst, index }
        } else {
            Op::GlobalGet { dst, index }
        };
        self.emit_result(op);
    }

    fn global_set(&mut self, index: u32) {
        let ty = self.module.globals[index as usize].val;
        let src = self.pop();
        self.emit(if ty == V128 {
            Op::GlobalSet128 { index, src }
        } else {
            Op::GlobalSet { index, src }
        });
    }
}

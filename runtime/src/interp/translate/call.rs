//! `call` and `call_indirect`: the arguments go to their homes, which
//! become the callee's frame base, and the results are pushed there.

use super::Translator;
use crate::interp::code::{Op, Slot};
use wasmparser::Operator as O;

impl Translator<'_> {
    /// Translates the call operators; false for any other.
    pub(super) fn call_op(&mut self, op: &O) -> bool {
        match *op {
            O::Call { function_index } => self.call(function_index),
            O::CallIndirect {
                type_index,
                table_index,
            } => self.call_indirect(type_index, table_index),
            _ => return false,
        }
        true
    }

    /// Puts the top `n` operands in their homes and returns the first home.
    fn call_args(&mut self, n: usize) -> Slot {
        let first = self.stack.len() - n;
        for i in first..self.stack.len() {
            self.materialize(i);
        }
        let base = if n == 0 {
            self.next_home()
        } else {
            self.stack[first].home
        };
        self.stack.truncate(first);
        base
    }

    fn call(&mut self, func: u32) {
        let ty = self.module.func_type(func).clone();
        let base = self.call_args(ty.params().len());
        self.emit(Op::Call { func, base });
        for r in ty.results() {
            self.push_result(*r);
        }
    }

    fn call_indirect(&mut self, type_index: u32, table: u32) {
        let index = self.pop();
        let ty = self.module.types[type_index as usize].clone();
        let base = self.call_args(ty.params().len());
        self.emit(Op::CallIndirect {
            type_index,
            index,
            base,
        });
        self.emit_arg(table, 0, 0);
        for r in ty.results() {
            self.push_result(*r);
        }
    }
}

//! Table operators: `table.get`, `table.set`, `table.size` and
//! `table.grow` (the bulk ones are in [`super::bulk`]).

use super::Translator;
use crate::interp::code::Op;
use crate::types::ValType;
use wasmparser::Operator as O;

impl Translator<'_> {
    /// Translates the table access operators; false for any other.
    pub(super) fn table_op(&mut self, op: &O) -> bool {
        match *op {
            O::TableGet { table } => {
                let ty = ValType::Ref(self.module.tables[table as usize].elem);
                self.unary(ty, move |dst, index| Op::TableGet {
                    dst,
                    table: 0,
                    index,
                });
                self.patch_table(table);
            }
            O::TableSet { table } => {
                let value = self.pop();
                let index = self.pop();
                self.emit(Op::TableSet {
                    table,
                    index,
                    value,
                });
            }
            O::TableSize { table } => {
                let dst = self.push_result(ValType::I32);
                self.emit_result(Op::TableSize { dst, table });
            }
            O::TableGrow { table } => {
                let delta = self.pop();
                let init = self.pop();
                let dst = self.push_result(ValType::I32);
                self.emit_result(Op::TableGrow { dst, table, init });
                self.emit_arg(delta, 0, 0);
            }
            _ => return false,
        }
        true
    }

    /// Sets the table index of the `TableGet` just emitted.
    fn patch_table(&mut self, table: u32) {
        if let Some(Op::TableGet { table: t, .. }) = self.code.last_mut() {
            *t = table;
        }
    }
}

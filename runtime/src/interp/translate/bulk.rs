//! Bulk memory and table operators: `memory.fill`, `memory.copy`,
//! `memory.init`, `data.drop`, `table.fill`, `table.copy`, `table.init`
//! and `elem.drop`. Operands past the op's three fields go in an `Arg`
//! word after it.

use super::Translator;
use crate::interp::code::Op;
use wasmparser::Operator as O;

impl Translator<'_> {
    /// Translates the bulk memory and table operators; false for any other.
    pub(super) fn bulk_op(&mut self, op: &O) -> bool {
        match *op {
            O::MemoryFill { .. } => {
                let len = self.pop();
                let value = self.pop();
                let dst = self.pop();
                self.emit(Op::MemoryFill { dst, value, len });
            }
            O::MemoryCopy { .. } => {
                let len = self.pop();
                let src = self.pop();
                let dst = self.pop();
                self.emit(Op::MemoryCopy { dst, src, len });
            }
            O::MemoryInit { data_index, .. } => {
                let len = self.pop();
                let src = self.pop();
                let dst = self.pop();
                self.emit(Op::MemoryInit {
                    segment: data_index,
                    dst,
                    src,
                });
                self.emit_arg(len, 0, 0);
            }
            O::DataDrop { data_index } => {
                self.emit(Op::DataDrop {
                    segment: data_index,
                });
            }
            O::TableFill { table } => {
                let len = self.pop();
                let value = self.pop();
                let index = self.pop();
                self.emit(Op::TableFill {
                    table,
                    index,
                    value,
                });
                self.emit_arg(len, 0, 0);
            }
            O::TableCopy {
                dst_table,
                src_table,
            } => {
                let len = self.pop();
                let src = self.pop();
                let dst = self.pop();
                self.emit(Op::TableCopy {
                    dst_table,
                    src_table,
                    dst,
                });
                self.emit_arg(src, len, 0);
            }
            O::TableInit { elem_index, table } => {
                let len = self.pop();
                let src = self.pop();
                let dst = self.pop();
                self.emit(Op::TableInit {
                    segment: elem_index,
                    table,
                    dst,
                });
                self.emit_arg(src, len, 0);
            }
            O::ElemDrop { elem_index } => {
                self.emit(Op::ElemDrop {
                    segment: elem_index,
                });
            }
            _ => return false,
        }
        true
    }
}

//! Table operators.
//!
//! `table.get`, `table.set` and `table.size` work inline on the table's
//! `VMTableDefinition` (reached through the VMContext's `tables` array, so
//! imported tables look the same): the index is compared with the current
//! `length` (trap `TableOutOfBounds`) and the element is the pointer-sized
//! word at `base + index * P`. `base` and `length` are reloaded on every
//! access since `table.grow` (here or in another instance sharing the
//! table) reallocates the elements. `table.grow`, `table.fill`,
//! `table.copy`, `table.init` and `elem.drop` call the runtime intrinsics
//! of [`crate::abi`].

use super::FuncTranslator;
use crate::abi;
use crate::error::{CompileError, Result};
use inkwell::values::{IntValue, PointerValue};
use inkwell::{AddressSpace, IntPredicate};
use kiln_format::intrinsics;
use kiln_format::TrapCode;
use wasmparser::Operator;

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Table operators; returns whether `op` was one.
    pub(super) fn table_op(&mut self, op: &Operator<'_>) -> Result<bool> {
        let ptr_ty = self.ctx.ptr_type(AddressSpace::default());
        match op {
            Operator::TableGet { table } => {
                let index = self.pop()?.into_int_value();
                let slot = self.table_slot(*table, index)?;
                let v = self.builder.build_load(ptr_ty, slot, "")?;
                self.push(v);
            }
            Operator::TableSet { table } => {
                let value = self.pop()?;
                let index = self.pop()?.into_int_value();
                let slot = self.table_slot(*table, index)?;
                // Volatile: a table is observable after a trap (see memory.rs).
                let store = self.builder.build_store(slot, value)?;
                store
                    .set_volatile(true)
                    .map_err(|e| CompileError::Llvm(e.to_string()))?;
            }
            Operator::TableSize { table } => {
                let def = self.table_definition(*table)?;
                let len = self.load(
                    self.ctx.i32_type().into(),
                    def,
                    self.config.offsets.table_length(),
                )?;
                self.push(len);
            }
            Operator::TableGrow { table } => {
                let args = self.pop_args(2)?;
                let ty = abi::intrinsic_type(self.ctx, &intrinsics::TABLE_GROW);
                let t = self.const_i32(*table);
                let v = self
                    .runtime_call(intrinsics::TABLE_GROW.name, ty, &[t], &args)?
                    .ok_or_else(|| CompileError::Llvm("table.grow returns void".into()))?;
                self.push(v);
            }
            Operator::TableFill { table } => {
                let args = self.pop_args(3)?;
                let ty = abi::intrinsic_type(self.ctx, &intrinsics::TABLE_FILL);
                let t = self.const_i32(*table);
                self.runtime_call(intrinsics::TABLE_FILL.name, ty, &[t], &args)?;
            }
            Operator::TableCopy {
                dst_table,
                src_table,
            } => {
                let args = self.pop_args(3)?;
                let ty = abi::intrinsic_type(self.ctx, &intrinsics::TABLE_COPY);
                let tables = [self.const_i32(*dst_table), self.const_i32(*src_table)];
                self.runtime_call(intrinsics::TABLE_COPY.name, ty, &tables, &args)?;
            }
            Operator::TableInit { elem_index, table } => {
                let args = self.pop_args(3)?;
                let ty = abi::intrinsic_type(self.ctx, &intrinsics::TABLE_INIT);
                let imm = [self.const_i32(*table), self.const_i32(*elem_index)];
                self.runtime_call(intrinsics::TABLE_INIT.name, ty, &imm, &args)?;
            }
            Operator::ElemDrop { elem_index } => {
                let ty = abi::intrinsic_type(self.ctx, &intrinsics::ELEM_DROP);
                let seg = self.const_i32(*elem_index);
                self.runtime_call(intrinsics::ELEM_DROP.name, ty, &[seg], &[])?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The `VMTableDefinition` of table `table` (the pointer never changes).
    fn table_definition(&self, table: u32) -> Result<PointerValue<'ctx>> {
        if table as usize >= self.env.tables.len() {
            return Err(CompileError::InvalidWasm(format!(
                "table {table} out of range"
            )));
        }
        self.vmctx_ptr(self.config.offsets.table(table))
    }

    /// The address of element `index` of `table`, trapping
    /// `TableOutOfBounds` unless `index < length`.
    fn table_slot(&mut self, table: u32, index: IntValue<'ctx>) -> Result<PointerValue<'ctx>> {
        let offsets = self.config.offsets;
        let def = self.table_definition(table)?;
        let len = self
            .load(self.ctx.i32_type().into(), def, offsets.table_length())?
            .into_int_value();
        let oob = self
            .builder
            .build_int_compare(IntPredicate::UGE, index, len, "")?;
        self.trap_if(oob, TrapCode::TableOutOfBounds)?;
        let elems = self.load_ptr(def, offsets.table_base())?;
        let i64t = self.ctx.i64_type();
        let index = self.builder.build_int_z_extend(index, i64t, "")?;
        let size = i64t.const_int(u64::from(offsets.size_of_table_element()), false);
        let byte = self.builder.build_int_mul(index, size, "")?;
        self.byte_offset_dyn(elems, byte)
    }
}

//! `call` and `call_indirect`.
//!
//! `call f` of a function defined in the module is a direct call of
//! `kiln_func_<f>` with this function's own `vmctx` (same instance), which
//! LLVM may inline, unless `direct_calls` is off (for code another tier
//! may replace). Calls of imports and `call_indirect` go through a
//! `VMFuncRef`: `func_refs[f]` or the table element; the native code
//! pointer is `wasm_call` (loaded atomically, since tier-up may swap it
//! with one atomic store) and the first argument is the callee's own
//! `vmctx`. Further results come back through a return area in this
//! function's frame.
//!
//! `call_indirect` checks, in order: index < table length
//! (`UndefinedElement`), element non-null (`UninitializedElement`), and
//! `type_id == sig_ids[type_index]` (`IndirectCallTypeMismatch`).

use super::FuncTranslator;
use crate::abi::{function_type, RET_SLOT_SIZE};
use crate::error::{CompileError, Result};
use inkwell::types::BasicType;
use inkwell::values::{BasicMetadataValueEnum, BasicValue, PointerValue};
use inkwell::{AddressSpace, AtomicOrdering, IntPredicate};
use kiln_format::TrapCode;
use wasmparser::{FuncType, Operator};

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Call operators; returns whether `op` was one.
    pub(super) fn call(&mut self, op: &Operator<'_>) -> Result<bool> {
        match op {
            Operator::Call { function_index }
                if self.config.direct_calls && *function_index >= self.env.num_imported_funcs =>
            {
                let ty = self.env.func_type(*function_index).clone();
                self.call_direct(*function_index, &ty)?;
            }
            Operator::Call { function_index } => {
                let offsets = self.config.offsets;
                let refs = self.vmctx_ptr(offsets.func_refs())?;
                let func_ref = self.load_ptr(refs, offsets.func_ref(*function_index))?;
                let ty = self.env.func_type(*function_index).clone();
                self.call_func_ref(func_ref, &ty)?;
            }
            Operator::CallIndirect {
                type_index,
                table_index,
            } => self.call_indirect(*type_index, *table_index)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn call_indirect(&mut self, type_index: u32, table_index: u32) -> Result<()> {
        let offsets = self.config.offsets;
        let ptr_ty = self.ctx.ptr_type(AddressSpace::default());
        let i32t = self.ctx.i32_type();
        let index = self.pop()?.into_int_value();

        let table = self.vmctx_ptr(offsets.table(table_index))?;
        let len = self
            .load(i32t.into(), table, offsets.table_length())?
            .into_int_value();
        let oob = self
            .builder
            .build_int_compare(IntPredicate::UGE, index, len, "")?;
        self.trap_if(oob, TrapCode::UndefinedElement)?;

        let elems = self.load_ptr(table, offsets.table_base())?;
        let i64t = self.ctx.i64_type();
        let index = self.builder.build_int_z_extend(index, i64t, "")?;
        let elem_size = i64t.const_int(u64::from(offsets.size_of_table_element()), false);
        let byte = self.builder.build_int_mul(index, elem_size, "")?;
        let slot = self.byte_offset_dyn(elems, byte)?;
        let func_ref = self
            .builder
            .build_load(ptr_ty, slot, "")?
            .into_pointer_value();
        let null = self.builder.build_is_null(func_ref, "")?;
        self.trap_if(null, TrapCode::UninitializedElement)?;

        let actual = self
            .load(i32t.into(), func_ref, offsets.func_ref_type_id())?
            .into_int_value();
        let sig_ids = self.vmctx_ptr(offsets.sig_ids())?;
        let expected = self
            .load_invariant(i32t.into(), sig_ids, offsets.sig_id(type_index))?
            .into_int_value();
        let mismatch = self
            .builder
            .build_int_compare(IntPredicate::NE, actual, expected, "")?;
        self.trap_if(mismatch, TrapCode::IndirectCallTypeMismatch)?;

        let ty = self.env.types[type_index as usize].clone();
        self.call_func_ref(func_ref, &ty)
    }

    /// Calls defined function `index` of this instance directly.
    fn call_direct(&mut self, index: u32, ty: &FuncType) -> Result<()> {
        let name = crate::abi::func_symbol(index);
        let callee = match self.module.get_function(&name) {
            Some(f) => f,
            None => {
                let f = self.module.add_function(
                    &name,
                    function_type(self.ctx, ty),
                    Some(inkwell::module::Linkage::External),
                );
                f.as_global_value()
                    .set_visibility(inkwell::GlobalVisibility::Hidden);
                f
            }
        };
        let params = self.pop_n(ty.params().len())?;
        let mut args: Vec<BasicMetadataValueEnum> = vec![self.vmctx.into()];
        args.extend(params.iter().map(|v| BasicMetadataValueEnum::from(*v)));
        let extra = ty.results().len().saturating_sub(1);
        let ret_area = if extra > 0 {
            let bytes = self.ctx.i8_type().array_type(extra as u32 * RET_SLOT_SIZE);
            let area = self.entry_alloca(bytes.as_basic_type_enum())?;
            if let Some(inst) = area.as_instruction() {
                inst.set_alignment(RET_SLOT_SIZE)
                    .map_err(|e| CompileError::Llvm(format!("alignment: {e:?}")))?;
            }
            args.push(area.into());
            Some(area)
        } else {
            None
        };
        let call = self.builder.build_call(callee, &args, "")?;
        if let Some(first) = call.try_as_basic_value().basic() {
            self.push(first);
        }
        if let Some(area) = ret_area {
            for (i, r) in ty.results().iter().enumerate().skip(1) {
                let llty = crate::abi::value_type(self.ctx, *r);
                let v = self.load(llty, area, (i as u32 - 1) * RET_SLOT_SIZE)?;
                self.push(v);
            }
        }
        Ok(())
    }

    /// Calls the function behind `func_ref` with arguments from the stack.
    fn call_func_ref(&mut self, func_ref: PointerValue<'ctx>, ty: &FuncType) -> Result<()> {
        let offsets = self.config.offsets;
        let ptr_ty = self.ctx.ptr_type(AddressSpace::default());
        let code_addr = self.byte_offset(func_ref, offsets.func_ref_wasm_call())?;
        let code = self.builder.build_load(ptr_ty, code_addr, "")?;
        if let Some(inst) = code.as_instruction_value() {
            inst.set_atomic_ordering(AtomicOrdering::Monotonic)
                .map_err(|e| CompileError::Llvm(format!("atomic load: {e:?}")))?;
            inst.set_alignment(u32::from(offsets.ptr))
                .map_err(|e| CompileError::Llvm(format!("alignment: {e:?}")))?;
        }
        let callee_vmctx = self.load_ptr(func_ref, offsets.func_ref_vmctx())?;

        let params = self.pop_n(ty.params().len())?;
        let mut args: Vec<BasicMetadataValueEnum> = vec![callee_vmctx.into()];
        args.extend(params.iter().map(|v| BasicMetadataValueEnum::from(*v)));
        let extra = ty.results().len().saturating_sub(1);
        let ret_area = if extra > 0 {
            let bytes = self.ctx.i8_type().array_type(extra as u32 * RET_SLOT_SIZE);
            let area = self.entry_alloca(bytes.as_basic_type_enum())?;
            if let Some(inst) = area.as_instruction() {
                inst.set_alignment(RET_SLOT_SIZE)
                    .map_err(|e| CompileError::Llvm(format!("alignment: {e:?}")))?;
            }
            args.push(area.into());
            Some(area)
        } else {
            None
        };

        let fn_ty = function_type(self.ctx, ty);
        let call = self
            .builder
            .build_indirect_call(fn_ty, code.into_pointer_value(), &args, "")?;
        if let Some(first) = call.try_as_basic_value().basic() {
            self.push(first);
        }
        if let Some(area) = ret_area {
            for (i, r) in ty.results().iter().enumerate().skip(1) {
                let llty = crate::abi::value_type(self.ctx, *r);
                let v = self.load(llty, area, (i as u32 - 1) * RET_SLOT_SIZE)?;
                self.push(v);
            }
        }
        Ok(())
    }
}

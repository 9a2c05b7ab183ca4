//! Small IR-building helpers: address arithmetic, VMContext loads, trap
//! blocks, intrinsic calls and the function's return sequence.

use super::FuncTranslator;
use crate::abi::{self, RET_SLOT_SIZE};
use crate::error::{CompileError, Result};
use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::basic_block::BasicBlock;
use inkwell::intrinsics::Intrinsic;
use inkwell::module::Linkage;
use inkwell::types::{BasicType, BasicTypeEnum};
use inkwell::values::{
    BasicMetadataValueEnum, BasicValue, BasicValueEnum, FunctionValue, IntValue, PointerValue,
};
use inkwell::AddressSpace;
use kiln_format::intrinsics;
use kiln_format::TrapCode;

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// The integer type as wide as a target pointer.
    pub(crate) fn ptr_int_type(&self) -> inkwell::types::IntType<'ctx> {
        if self.config.offsets.ptr == 4 {
            self.ctx.i32_type()
        } else {
            self.ctx.i64_type()
        }
    }

    /// `base + offset` bytes.
    pub(crate) fn byte_offset(
        &self,
        base: PointerValue<'ctx>,
        offset: u32,
    ) -> Result<PointerValue<'ctx>> {
        if offset == 0 {
            return Ok(base);
        }
        let off = self.ctx.i64_type().const_int(u64::from(offset), false);
        self.byte_offset_dyn(base, off)
    }

    /// `base + offset` bytes for a run-time `offset`.
    pub(crate) fn byte_offset_dyn(
        &self,
        base: PointerValue<'ctx>,
        offset: IntValue<'ctx>,
    ) -> Result<PointerValue<'ctx>> {
        // SAFETY: an i8 GEP is plain address arithmetic; the callers only
        // form addresses inside the VMContext, its records, or linear memory
        // whose range was checked (or is covered by guard pages).
        let p = unsafe {
            self.builder
                .build_gep(self.ctx.i8_type(), base, &[offset], "")?
        };
        Ok(p)
    }

    /// A pointer-sized field at `offset` of the record at `base`.
    pub(crate) fn load_ptr(
        &self,
        base: PointerValue<'ctx>,
        offset: u32,
    ) -> Result<PointerValue<'ctx>> {
        let ptr_ty = self.ctx.ptr_type(AddressSpace::default());
        Ok(self.load(ptr_ty.into(), base, offset)?.into_pointer_value())
    }

    /// A value of type `ty` at `offset` of the record at `base`.
    pub(crate) fn load(
        &self,
        ty: BasicTypeEnum<'ctx>,
        base: PointerValue<'ctx>,
        offset: u32,
    ) -> Result<BasicValueEnum<'ctx>> {
        let addr = self.byte_offset(base, offset)?;
        Ok(self.builder.build_load(ty, addr, "")?)
    }

    /// Like [`Self::load`], for a field that never changes while the
    /// instance lives (marked `!invariant.load` so LLVM may hoist it).
    pub(crate) fn load_invariant(
        &self,
        ty: BasicTypeEnum<'ctx>,
        base: PointerValue<'ctx>,
        offset: u32,
    ) -> Result<BasicValueEnum<'ctx>> {
        let v = self.load(ty, base, offset)?;
        if let Some(inst) = v.as_instruction_value() {
            let kind = self.ctx.get_kind_id("invariant.load");
            let empty = self.ctx.metadata_node(&[]);
            inst.set_metadata(empty, kind)
                .map_err(|e| CompileError::Llvm(format!("invariant.load: {e:?}")))?;
        }
        Ok(v)
    }

    /// An invariant pointer field of the VMContext.
    pub(crate) fn vmctx_ptr(&self, offset: u32) -> Result<PointerValue<'ctx>> {
        let ptr_ty = self.ctx.ptr_type(AddressSpace::default());
        Ok(self
            .load_invariant(ptr_ty.into(), self.vmctx, offset)?
            .into_pointer_value())
    }

    /// The declaration of an external runtime intrinsic.
    fn intrinsic(
        &self,
        name: &str,
        ty: inkwell::types::FunctionType<'ctx>,
        noreturn: bool,
    ) -> FunctionValue<'ctx> {
        if let Some(f) = self.module.get_function(name) {
            return f;
        }
        let f = self.module.add_function(name, ty, Some(Linkage::External));
        for attr in ["nounwind"].into_iter().chain(
            noreturn
                .then_some(["noreturn", "cold"])
                .into_iter()
                .flatten(),
        ) {
            let kind = Attribute::get_named_enum_kind_id(attr);
            f.add_attribute(
                AttributeLoc::Function,
                self.ctx.create_enum_attribute(kind, 0),
            );
        }
        f.as_global_value()
            .set_visibility(inkwell::GlobalVisibility::Hidden);
        f
    }

    /// `kiln_trap`.
    fn trap_fn(&self) -> FunctionValue<'ctx> {
        let t = &intrinsics::TRAP;
        self.intrinsic(t.name, abi::intrinsic_type(self.ctx, t), true)
    }

    /// `kiln_memory_grow`.
    pub(crate) fn memory_grow_fn(&self) -> FunctionValue<'ctx> {
        let g = &intrinsics::MEMORY_GROW;
        self.intrinsic(g.name, abi::intrinsic_type(self.ctx, g), false)
    }

    /// The operator's block that traps with `code`: one per operator and
    /// code, so that every trap site keeps its operator's offset. Its call
    /// is `nomerge`, so that LLVM neither merges it with another site's
    /// (SimplifyCFG's sinking and hoisting, code generation's tail
    /// merging) nor loses its location.
    pub(crate) fn trap_block(&mut self, code: TrapCode) -> Result<BasicBlock<'ctx>> {
        let code = code.as_u32();
        if let Some(&(_, b)) = self.trap_blocks.iter().find(|(c, _)| *c == code) {
            return Ok(b);
        }
        let block = self.new_block("trap");
        let saved = self.current_block()?;
        self.builder.position_at_end(block);
        let code_v = self.ctx.i32_type().const_int(u64::from(code), false);
        let trap = self.trap_fn();
        let call = self
            .builder
            .build_call(trap, &[self.vmctx.into(), code_v.into()], "")?;
        let nomerge = Attribute::get_named_enum_kind_id("nomerge");
        call.add_attribute(
            AttributeLoc::Function,
            self.ctx.create_enum_attribute(nomerge, 0),
        );
        self.builder.build_unreachable()?;
        self.builder.position_at_end(saved);
        self.trap_blocks.push((code, block));
        Ok(block)
    }

    /// Traps with `code` when the `i1` `cond` is true; continues otherwise.
    pub(crate) fn trap_if(&mut self, cond: IntValue<'ctx>, code: TrapCode) -> Result<()> {
        let trap = self.trap_block(code)?;
        let cont = self.new_block("ok");
        self.builder.build_conditional_branch(cond, trap, cont)?;
        self.builder.position_at_end(cont);
        Ok(())
    }

    /// Calls the LLVM intrinsic `name` overloaded on `types`.
    pub(crate) fn call_intrinsic(
        &self,
        name: &str,
        types: &[BasicTypeEnum<'ctx>],
        args: &[BasicMetadataValueEnum<'ctx>],
    ) -> Result<BasicValueEnum<'ctx>> {
        self.intrinsic_call(name, types, args)?
            .try_as_basic_value()
            .basic()
            .ok_or_else(|| CompileError::Llvm(format!("{name} returns void")))
    }

    /// Calls LLVM intrinsic `name` (overloaded on `types`) for its effect.
    pub(crate) fn intrinsic_call(
        &self,
        name: &str,
        types: &[BasicTypeEnum<'ctx>],
        args: &[BasicMetadataValueEnum<'ctx>],
    ) -> Result<inkwell::values::CallSiteValue<'ctx>> {
        let f = Intrinsic::find(name)
            .and_then(|i| i.get_declaration(self.module, types))
            .ok_or_else(|| CompileError::Llvm(format!("no intrinsic {name}")))?;
        Ok(self.builder.build_call(f, args, "")?)
    }

    /// An alloca in the entry block (so that mem2reg can promote it).
    pub(crate) fn entry_alloca(&self, ty: impl BasicType<'ctx>) -> Result<PointerValue<'ctx>> {
        let entry = self
            .entry
            .ok_or_else(|| CompileError::Llvm("no entry block".into()))?;
        let b = self.ctx.create_builder();
        match entry.get_first_instruction() {
            Some(first) => b.position_before(&first),
            None => b.position_at_end(entry),
        }
        Ok(b.build_alloca(ty, "")?)
    }

    /// Returns `values` (the function's results) per the calling convention.
    pub(crate) fn emit_return(&mut self, values: &[BasicValueEnum<'ctx>]) -> Result<()> {
        if let Some(area) = self.ret_area {
            for (i, v) in values.iter().enumerate().skip(1) {
                let slot = self.byte_offset(area, (i as u32 - 1) * RET_SLOT_SIZE)?;
                self.builder.build_store(slot, *v)?;
            }
        }
        match values.first() {
            Some(v) => self.builder.build_return(Some(v))?,
            None => self.builder.build_return(None)?,
        };
        Ok(())
    }
}

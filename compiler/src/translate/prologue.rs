//! The function prologue: the stack-limit check, locals, the cached memory
//! base, and the function body's control frame. An OSR entry's locals
//! come from its buffer (see [`super::osr`]).
//!
//! The stack check compares the stack pointer (read with `llvm.stacksave`
//! after the fixed frame is allocated) with `vmctx.stack_limit` and traps
//! with `StackOverflow` below it. The runtime must leave enough slack below
//! the limit for one frame plus the trap call.

use super::FuncTranslator;
use crate::abi::value_type;
use crate::error::Result;
use inkwell::types::BasicType;
use inkwell::AddressSpace;
use inkwell::IntPredicate;
use kiln_format::TrapCode;
use wasmparser::{FunctionBody, ValType};

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Emits the entry block and declares the locals of `body`.
    pub(super) fn prologue(&mut self, body: &FunctionBody<'_>) -> Result<()> {
        let entry = self.ctx.append_basic_block(self.function, "entry");
        self.entry = Some(entry);
        self.builder.position_at_end(entry);
        self.stack_check()?;

        // Parameters, then declared locals (zero-initialised).
        let ty = self.env.func_type(self.index).clone();
        for (i, p) in ty.params().iter().enumerate() {
            let llty = value_type(self.ctx, *p);
            let slot = self.entry_alloca(llty)?;
            let arg = match self.osr_local(llty, *p == ValType::V128)? {
                Some(v) => v,
                None => self
                    .function
                    .get_nth_param(i as u32 + 1)
                    .ok_or_else(|| crate::error::CompileError::Llvm("missing parameter".into()))?,
            };
            self.builder.build_store(slot, arg)?;
            self.locals.push((slot, llty));
        }
        let mut reader = body.get_locals_reader()?;
        for _ in 0..reader.get_count() {
            let (count, t) = reader.read()?;
            let llty = value_type(self.ctx, t);
            for _ in 0..count {
                let slot = self.entry_alloca(llty)?;
                let init = self.osr_local(llty, t == ValType::V128)?;
                self.builder
                    .build_store(slot, init.unwrap_or(llty.const_zero()))?;
                self.locals.push((slot, llty));
            }
        }

        if !self.env.memories.is_empty() {
            let offsets = self.config.offsets;
            let def = self.vmctx_ptr(offsets.memory(0))?;
            let ptr_ty = self.ctx.ptr_type(AddressSpace::default());
            let base = self.load_invariant(ptr_ty.into(), def, offsets.memory_base())?;
            self.memory_base = Some(base.into_pointer_value());
        }
        self.osr_detach_entry()?;
        self.open_function_frame()
    }

    fn stack_check(&mut self) -> Result<()> {
        let ptr_ty = self.ctx.ptr_type(AddressSpace::default());
        let int_ty = self.ptr_int_type();
        let limit = self
            .load_invariant(
                int_ty.as_basic_type_enum(),
                self.vmctx,
                self.config.offsets.stack_limit(),
            )?
            .into_int_value();
        let sp = self
            .call_intrinsic("llvm.stacksave", &[ptr_ty.into()], &[])?
            .into_pointer_value();
        let sp = self.builder.build_ptr_to_int(sp, int_ty, "sp")?;
        let below = self
            .builder
            .build_int_compare(IntPredicate::ULT, sp, limit, "")?;
        self.trap_if(below, TrapCode::StackOverflow)?;
        Ok(())
    }
}

//! Reference operators: `ref.null`, `ref.is_null` and `ref.func`.
//!
//! A reference is a native pointer (SPEC §5): a `funcref` points at a
//! `VMFuncRef`, an `externref` is a host handle, and null is 0. `ref.func f`
//! is the instance's own `func_refs[f]`, the same record `call f` uses, so
//! references to one function compare equal and carry its `type_id` for
//! `call_indirect`. (`select` on references is in `variables`.)

use super::FuncTranslator;
use crate::error::Result;
use inkwell::AddressSpace;
use wasmparser::Operator;

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Reference operators; returns whether `op` was one.
    pub(super) fn reference(&mut self, op: &Operator<'_>) -> Result<bool> {
        match op {
            Operator::RefNull { .. } => {
                let null = self.ctx.ptr_type(AddressSpace::default()).const_null();
                self.push(null);
            }
            Operator::RefIsNull => {
                let r = self.pop()?.into_pointer_value();
                let is_null = self.builder.build_is_null(r, "")?;
                let v = self
                    .builder
                    .build_int_z_extend(is_null, self.ctx.i32_type(), "")?;
                self.push(v);
            }
            Operator::RefFunc { function_index } => {
                let offsets = self.config.offsets;
                let refs = self.vmctx_ptr(offsets.func_refs())?;
                let func_ref = self.load_ptr(refs, offsets.func_ref(*function_index))?;
                self.push(func_ref);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

//! On-stack-replacement entries (tier-up of a running loop, format-spec
//! `osr`): `kiln_osr_<F>_<L>` is `F` translated as usual, except that its
//! entry block loads every local from the buffer it is given and branches
//! to the header of loop `L`. The code before that loop stays in the
//! function without a path from the entry (LLVM deletes it), so blocks
//! enclosing the loop end, and the function returns, exactly as in `F`.

use super::FuncTranslator;
use crate::error::{CompileError, Result};
use inkwell::basic_block::BasicBlock;
use inkwell::types::BasicTypeEnum;
use kiln_format::osr::OsrLocals;

/// The state of an OSR entry's translation.
pub(crate) struct OsrState<'ctx> {
    /// The loop to enter at.
    target: u32,
    /// `loop` operators seen so far.
    seen: u32,
    /// The entry block, which branches to the loop once it is translated.
    entry: Option<BasicBlock<'ctx>>,
    /// The buffer's layout so far (while the locals are declared).
    layout: OsrLocals,
}

impl<'ctx> OsrState<'ctx> {
    pub fn new(target: u32) -> Self {
        OsrState {
            target,
            seen: 0,
            entry: None,
            layout: OsrLocals::default(),
        }
    }
}

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// For an OSR entry, the next local's value, loaded from the buffer.
    pub(super) fn osr_local(
        &mut self,
        ty: BasicTypeEnum<'ctx>,
        v128: bool,
    ) -> Result<Option<inkwell::values::BasicValueEnum<'ctx>>> {
        let Some(osr) = self.osr.as_mut() else {
            return Ok(None);
        };
        let offset = osr.layout.place(v128);
        let buffer = self
            .function
            .get_nth_param(1)
            .ok_or_else(|| CompileError::Llvm("OSR entry without its locals".into()))?
            .into_pointer_value();
        let at = self.byte_offset(buffer, offset)?;
        // The types' ABI alignments (at most 8, and 16 for `v128`) hold in
        // the buffer's layout.
        Ok(Some(self.builder.build_load(ty, at, "osr_local")?))
    }

    /// After the prologue of an OSR entry: leaves the entry block open
    /// and goes on translating in a block nothing reaches.
    pub(super) fn osr_detach_entry(&mut self) -> Result<()> {
        let Some(entry) = self.current_block().ok() else {
            return Ok(());
        };
        let Some(osr) = self.osr.as_mut() else {
            return Ok(());
        };
        osr.entry = Some(entry);
        let unreached = self.new_block("before_osr_loop");
        self.builder.position_at_end(unreached);
        Ok(())
    }

    /// Counts a `loop` operator (reachable or not); at the entry's loop,
    /// with `header` its header block, branches from the entry block there.
    pub(super) fn osr_loop(&mut self, header: Option<BasicBlock<'ctx>>) -> Result<()> {
        let empty = self.stack.is_empty();
        let Some(osr) = self.osr.as_mut() else {
            return Ok(());
        };
        let ordinal = osr.seen;
        osr.seen += 1;
        if ordinal != osr.target {
            return Ok(());
        }
        let (Some(header), true) = (header, empty) else {
            return Err(CompileError::Options(format!(
                "loop {ordinal} cannot have an OSR entry: it is unreachable or its operand stack is not empty"
            )));
        };
        let entry = osr
            .entry
            .take()
            .ok_or_else(|| CompileError::Llvm("the OSR entry block was already used".into()))?;
        let here = self.current_block()?;
        self.builder.position_at_end(entry);
        self.builder.build_unconditional_branch(header)?;
        self.builder.position_at_end(here);
        Ok(())
    }

    /// Fails unless the entry's loop was found.
    pub(super) fn osr_finish(&self) -> Result<()> {
        match &self.osr {
            Some(osr) if osr.entry.is_some() => Err(CompileError::Options(format!(
                "function {} has no loop {}",
                self.index, osr.target
            ))),
            _ => Ok(()),
        }
    }
}

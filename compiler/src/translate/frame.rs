//! Control frames and the operand stack.
//!
//! Every frame has a merge block whose phis receive the frame's results
//! from each branch to it; a loop also has a header block whose phis receive
//! its parameters (a branch to a loop targets the header). A merge block
//! that nothing branches to is deleted at the frame's `end`.

use super::FuncTranslator;
use crate::abi::value_type;
use crate::error::{CompileError, Result};
use inkwell::basic_block::BasicBlock;
use inkwell::values::{BasicValue, BasicValueEnum, PhiValue};
use wasmparser::{BlockType, ValType};

/// What opened a frame.
pub(crate) enum FrameKind<'ctx> {
    /// The function body; its merge block returns.
    Function,
    /// `block`.
    Block,
    /// `loop`: branches go to `header` with the loop's parameters.
    Loop {
        header: BasicBlock<'ctx>,
        header_phis: Vec<PhiValue<'ctx>>,
    },
    /// `if`: the else arm starts at `else_block` with `else_params`.
    If {
        else_block: BasicBlock<'ctx>,
        else_params: Vec<BasicValueEnum<'ctx>>,
        has_else: bool,
    },
}

/// One entry of the control stack.
pub(crate) struct Frame<'ctx> {
    pub kind: FrameKind<'ctx>,
    /// Operand stack height below the frame's parameters.
    pub height: usize,
    /// Result types.
    pub results: Vec<ValType>,
    /// Where control continues after the frame's `end`.
    pub merge: BasicBlock<'ctx>,
    /// One phi per result at the top of `merge`.
    pub merge_phis: Vec<PhiValue<'ctx>>,
    /// Whether any branch targets `merge`.
    pub merge_used: bool,
}

impl<'ctx> Frame<'ctx> {
    /// The block and phis a branch to this frame goes to.
    pub fn branch_target(&self) -> (BasicBlock<'ctx>, &[PhiValue<'ctx>]) {
        match &self.kind {
            FrameKind::Loop {
                header,
                header_phis,
            } => (*header, header_phis),
            _ => (self.merge, &self.merge_phis),
        }
    }

    /// Number of values a branch to this frame carries.
    pub fn branch_arity(&self) -> usize {
        self.branch_target().1.len()
    }
}

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Pushes a value.
    pub(crate) fn push(&mut self, v: impl BasicValue<'ctx>) {
        self.stack.push(v.as_basic_value_enum());
    }

    /// Pops a value.
    pub(crate) fn pop(&mut self) -> Result<BasicValueEnum<'ctx>> {
        self.stack
            .pop()
            .ok_or_else(|| CompileError::Llvm("operand stack underflow".into()))
    }

    /// Pops the top `n` values, returned bottom first.
    pub(crate) fn pop_n(&mut self, n: usize) -> Result<Vec<BasicValueEnum<'ctx>>> {
        if n > self.stack.len() {
            return Err(CompileError::Llvm("operand stack underflow".into()));
        }
        Ok(self.stack.split_off(self.stack.len() - n))
    }

    /// The top `n` values without popping them, bottom first.
    pub(crate) fn peek_n(&self, n: usize) -> Result<&[BasicValueEnum<'ctx>]> {
        if n > self.stack.len() {
            return Err(CompileError::Llvm("operand stack underflow".into()));
        }
        Ok(&self.stack[self.stack.len() - n..])
    }

    /// Parameter and result types of a block type.
    pub(crate) fn block_signature(&self, ty: BlockType) -> (Vec<ValType>, Vec<ValType>) {
        match ty {
            BlockType::Empty => (Vec::new(), Vec::new()),
            BlockType::Type(t) => (Vec::new(), vec![t]),
            BlockType::FuncType(i) => {
                let f = &self.env.types[i as usize];
                (f.params().to_vec(), f.results().to_vec())
            }
        }
    }

    /// A new block at the end of the function.
    pub(crate) fn new_block(&self, name: &str) -> BasicBlock<'ctx> {
        self.ctx.append_basic_block(self.function, name)
    }

    /// Creates one phi per type at the start of the empty block `block`.
    pub(crate) fn phis_in(
        &self,
        block: BasicBlock<'ctx>,
        types: &[ValType],
    ) -> Result<Vec<PhiValue<'ctx>>> {
        if types.is_empty() {
            return Ok(Vec::new());
        }
        let saved = self.builder.get_insert_block();
        self.builder.position_at_end(block);
        let phis = types
            .iter()
            .map(|t| self.builder.build_phi(value_type(self.ctx, *t), ""))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(b) = saved {
            self.builder.position_at_end(b);
        }
        Ok(phis)
    }

    /// The frame `depth` levels out (0 is the innermost).
    pub(crate) fn frame_at(&mut self, depth: u32) -> Result<&mut Frame<'ctx>> {
        let len = self.frames.len();
        let i = len
            .checked_sub(depth as usize + 1)
            .ok_or_else(|| CompileError::InvalidWasm(format!("branch depth {depth} too deep")))?;
        Ok(&mut self.frames[i])
    }

    /// Adds `values` as incoming from the current block to the phis of the
    /// frame `depth` out, marks it used and returns the target block.
    pub(crate) fn add_branch_edge(
        &mut self,
        depth: u32,
        values: &[BasicValueEnum<'ctx>],
    ) -> Result<BasicBlock<'ctx>> {
        let from = self.current_block()?;
        let frame = self.frame_at(depth)?;
        if !matches!(frame.kind, FrameKind::Loop { .. }) {
            frame.merge_used = true;
        }
        let (target, phis) = frame.branch_target();
        for (phi, v) in phis.iter().zip(values) {
            phi.add_incoming(&[(v, from)]);
        }
        Ok(target)
    }

    /// The block the builder is positioned in.
    pub(crate) fn current_block(&self) -> Result<BasicBlock<'ctx>> {
        self.builder
            .get_insert_block()
            .ok_or_else(|| CompileError::Llvm("builder is not positioned".into()))
    }
}

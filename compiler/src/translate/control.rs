//! Structured control flow: `block`, `loop`, `if`/`else`, `end`, the
//! branches, `return`, `unreachable` and `nop`, and skipping dead code.
//!
//! Multi-value blocks pass their parameters and results through phis (see
//! [`super::frame`]). A `br_table` whose targets carry values branches to
//! one small edge block per distinct target, so that each phi gets exactly
//! one incoming entry per predecessor.

use super::frame::{Frame, FrameKind};
use super::FuncTranslator;
use crate::error::{CompileError, Result};
use inkwell::basic_block::BasicBlock;
use inkwell::IntPredicate;
use kiln_format::TrapCode;
use wasmparser::{BlockType, BrTable, Operator};

impl<'ctx> FuncTranslator<'ctx, '_> {
    /// Control operators; returns whether `op` was one.
    pub(super) fn control(&mut self, op: &Operator<'_>) -> Result<bool> {
        match op {
            Operator::Nop => {}
            Operator::Unreachable => {
                let trap = self.trap_block(TrapCode::Unreachable)?;
                self.builder.build_unconditional_branch(trap)?;
                self.reachable = false;
            }
            Operator::Block { blockty } => self.open_block(*blockty)?,
            Operator::Loop { blockty } => self.open_loop(*blockty)?,
            Operator::If { blockty } => self.open_if(*blockty)?,
            Operator::Else => self.else_arm()?,
            Operator::End => self.end_frame()?,
            Operator::Br { relative_depth } => self.br(*relative_depth)?,
            Operator::BrIf { relative_depth } => self.br_if(*relative_depth)?,
            Operator::BrTable { targets } => self.br_table(targets)?,
            Operator::Return => {
                let depth = self.frames.len() as u32 - 1;
                self.br(depth)?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Handles `op` while the current position is unreachable: only the
    /// nesting of blocks matters until the `else`/`end` that ends it.
    pub(super) fn translate_dead(&mut self, op: &Operator<'_>) -> Result<()> {
        match op {
            Operator::Block { .. } | Operator::If { .. } => self.dead_depth += 1,
            Operator::Loop { .. } => {
                self.dead_depth += 1;
                self.osr_loop(None)?;
            }
            Operator::Else if self.dead_depth == 0 => self.else_arm()?,
            Operator::End if self.dead_depth == 0 => self.end_frame()?,
            Operator::End => self.dead_depth -= 1,
            _ => {}
        }
        Ok(())
    }

    /// Emits the function body's frame (called from the prologue).
    pub(super) fn open_function_frame(&mut self) -> Result<()> {
        let merge = self.new_block("return");
        let results = self.results.clone();
        let merge_phis = self.phis_in(merge, &results)?;
        self.frames.push(Frame {
            kind: FrameKind::Function,
            height: 0,
            results,
            merge,
            merge_phis,
            merge_used: false,
        });
        Ok(())
    }

    fn push_frame(
        &mut self,
        kind: FrameKind<'ctx>,
        params: usize,
        results: Vec<wasmparser::ValType>,
    ) -> Result<()> {
        let merge = self.new_block("merge");
        let merge_phis = self.phis_in(merge, &results)?;
        self.frames.push(Frame {
            kind,
            height: self.stack.len() - params,
            results,
            merge,
            merge_phis,
            merge_used: false,
        });
        Ok(())
    }

    fn open_block(&mut self, ty: BlockType) -> Result<()> {
        let (params, results) = self.block_signature(ty);
        self.push_frame(FrameKind::Block, params.len(), results)
    }

    fn open_loop(&mut self, ty: BlockType) -> Result<()> {
        let (params, results) = self.block_signature(ty);
        let header = self.new_block("loop");
        let header_phis = self.phis_in(header, &params)?;
        if params.is_empty() {
            self.osr_loop(Some(header))?;
        } else {
            self.osr_loop(None)?;
        }
        let from = self.current_block()?;
        let args = self.pop_n(params.len())?;
        for (phi, v) in header_phis.iter().zip(&args) {
            phi.add_incoming(&[(v, from)]);
        }
        self.builder.build_unconditional_branch(header)?;
        self.builder.position_at_end(header);
        for phi in &header_phis {
            self.push(phi.as_basic_value());
        }
        let kind = FrameKind::Loop {
            header,
            header_phis,
        };
        self.push_frame(kind, params.len(), results)
    }

    fn open_if(&mut self, ty: BlockType) -> Result<()> {
        let (params, results) = self.block_signature(ty);
        let cond = self.pop()?.into_int_value();
        let cond = self.builder.build_int_compare(
            IntPredicate::NE,
            cond,
            cond.get_type().const_zero(),
            "",
        )?;
        let then_block = self.new_block("then");
        let else_block = self.new_block("else");
        self.builder
            .build_conditional_branch(cond, then_block, else_block)?;
        self.builder.position_at_end(then_block);
        let else_params = self.peek_n(params.len())?.to_vec();
        let kind = FrameKind::If {
            else_block,
            else_params,
            has_else: false,
        };
        self.push_frame(kind, params.len(), results)
    }

    /// Ends the current arm: branches to the frame's merge with its results.
    fn finish_arm(&mut self) -> Result<()> {
        if self.reachable {
            let n = self.frames.last().map_or(0, |f| f.results.len());
            let values = self.pop_n(n)?;
            let merge = {
                let from = self.current_block()?;
                let frame = self.frame_at(0)?;
                frame.merge_used = true;
                for (phi, v) in frame.merge_phis.iter().zip(&values) {
                    phi.add_incoming(&[(v, from)]);
                }
                frame.merge
            };
            self.builder.build_unconditional_branch(merge)?;
        }
        let height = self.frames.last().map_or(0, |f| f.height);
        self.stack.truncate(height);
        Ok(())
    }

    fn else_arm(&mut self) -> Result<()> {
        self.finish_arm()?;
        let frame = self.frame_at(0)?;
        let FrameKind::If {
            else_block,
            else_params,
            has_else,
        } = &mut frame.kind
        else {
            return Err(CompileError::InvalidWasm("else outside if".into()));
        };
        *has_else = true;
        let (block, params) = (*else_block, std::mem::take(else_params));
        self.builder.position_at_end(block);
        self.stack.extend(params);
        self.reachable = true;
        Ok(())
    }

    fn end_frame(&mut self) -> Result<()> {
        self.finish_arm()?;
        let mut frame = self
            .frames
            .pop()
            .ok_or_else(|| CompileError::InvalidWasm("end without a frame".into()))?;
        if let FrameKind::If {
            else_block,
            else_params,
            has_else: false,
        } = &frame.kind
        {
            // No else arm: the parameters flow through unchanged.
            self.builder.position_at_end(*else_block);
            for (phi, v) in frame.merge_phis.iter().zip(else_params) {
                phi.add_incoming(&[(v, *else_block)]);
            }
            self.builder.build_unconditional_branch(frame.merge)?;
            frame.merge_used = true;
        }
        if !frame.merge_used {
            // SAFETY: nothing branches to the merge block and its phis have
            // no users, so deleting it leaves no dangling references.
            unsafe { frame.merge.delete() }
                .map_err(|()| CompileError::Llvm("could not delete a dead block".into()))?;
            self.reachable = false;
            return Ok(());
        }
        self.builder.position_at_end(frame.merge);
        self.reachable = true;
        for phi in &frame.merge_phis {
            self.push(phi.as_basic_value());
        }
        if matches!(frame.kind, FrameKind::Function) {
            let results = self.pop_n(frame.results.len())?;
            self.emit_return(&results)?;
            self.reachable = false;
        }
        Ok(())
    }

    /// `br depth`.
    pub(super) fn br(&mut self, depth: u32) -> Result<()> {
        if self.is_fast_back_edge(depth) {
            return self.fast_back_edge(depth, None);
        }
        let arity = self.frame_at(depth)?.branch_arity();
        let values = self.peek_n(arity)?.to_vec();
        let target = self.add_branch_edge(depth, &values)?;
        self.builder.build_unconditional_branch(target)?;
        self.reachable = false;
        Ok(())
    }

    fn br_if(&mut self, depth: u32) -> Result<()> {
        let cond = self.pop()?.into_int_value();
        let cond = self.builder.build_int_compare(
            IntPredicate::NE,
            cond,
            cond.get_type().const_zero(),
            "",
        )?;
        if self.is_fast_back_edge(depth) {
            return self.fast_back_edge(depth, Some(cond));
        }
        let arity = self.frame_at(depth)?.branch_arity();
        let values = self.peek_n(arity)?.to_vec();
        let target = self.add_branch_edge(depth, &values)?;
        let cont = self.new_block("cont");
        self.builder.build_conditional_branch(cond, target, cont)?;
        self.builder.position_at_end(cont);
        Ok(())
    }

    fn br_table(&mut self, table: &BrTable<'_>) -> Result<()> {
        let index = self.pop()?.into_int_value();
        let default = table.default();
        let depths = table.targets().collect::<Result<Vec<u32>, _>>()?;
        let arity = self.frame_at(default)?.branch_arity();
        let values = self.peek_n(arity)?.to_vec();
        // One destination block per distinct depth.
        let mut dests: Vec<(u32, BasicBlock<'ctx>)> = Vec::new();
        let mut edges = Vec::new();
        for &d in depths.iter().chain(std::iter::once(&default)) {
            if dests.iter().all(|(seen, _)| *seen != d) {
                if arity == 0 {
                    let target = self.add_branch_edge(d, &[])?;
                    dests.push((d, target));
                } else {
                    let edge = self.new_block("br_table_edge");
                    dests.push((d, edge));
                    edges.push((d, edge));
                }
            }
        }
        let dest = |d: u32| dests.iter().find(|(seen, _)| *seen == d).map(|(_, b)| *b);
        let default_block = dest(default).ok_or_else(|| CompileError::Llvm("br_table".into()))?;
        let i32t = self.ctx.i32_type();
        let cases = depths
            .iter()
            .enumerate()
            .filter_map(|(i, d)| Some((i32t.const_int(i as u64, false), dest(*d)?)))
            .collect::<Vec<_>>();
        self.builder.build_switch(index, default_block, &cases)?;
        for (d, edge) in edges {
            self.builder.position_at_end(edge);
            let target = self.add_branch_edge(d, &values)?;
            self.builder.build_unconditional_branch(target)?;
        }
        self.reachable = false;
        Ok(())
    }
}

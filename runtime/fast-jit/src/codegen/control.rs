//! Control flow: blocks, loops, `if`, branches, `br_table`, `return`,
//! `unreachable`.
//!
//! A branch spills the value stack to the home slots (the canonical state)
//! and copies its values to the homes of the target's results; a label is
//! bound where every path into it is canonical. A block whose end no
//! branch targets keeps its values in registers across its `end`.

use super::kinds::Kinds;
use super::stack::{Entry, Loc};
use super::FuncGen;
use crate::masm::*;
use crate::CompileError;
use kiln_format::osr::NO_LOOP;
use kiln_format::TrapCode;
use wasmparser::{BlockType, BrTable, FuncType, Operator};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FrameKind {
    Func,
    Block,
    Loop,
    If { else_label: Label, entered: bool },
    Else,
}

/// One open control construct.
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    pub kind: FrameKind,
    /// Where a branch to this frame goes: the loop header or the end.
    pub label: Label,
    /// Stack height below the frame's parameters.
    pub height: usize,
    pub params: Kinds,
    pub results: Kinds,
    /// Whether some branch goes to the end.
    pub branched: bool,
    /// A loop's ordinal when it can have an OSR entry (its operand stack
    /// is empty at the header), else `NO_LOOP`.
    pub osr: u32,
}

impl Frame {
    pub fn function<M: MacroAssembler>(masm: &mut M, ty: &FuncType) -> Frame {
        Frame {
            kind: FrameKind::Func,
            label: masm.new_label(),
            height: 0,
            params: Kinds::EMPTY,
            results: Kinds::from_iter(ty.results().iter().map(|t| Kind::of(*t))),
            branched: false,
            osr: NO_LOOP,
        }
    }

    /// The values a branch to this frame carries.
    fn arity(&self) -> &Kinds {
        if self.kind == FrameKind::Loop {
            &self.params
        } else {
            &self.results
        }
    }
}

impl<M: MacroAssembler> FuncGen<'_, M> {
    fn block_sig(&self, bt: BlockType) -> (Kinds, Kinds) {
        match bt {
            BlockType::Empty => (Kinds::EMPTY, Kinds::EMPTY),
            BlockType::Type(t) => (Kinds::EMPTY, Kinds::one(Kind::of(t))),
            BlockType::FuncType(i) => {
                let ty = &self.env.types[i as usize];
                (
                    Kinds::from_iter(ty.params().iter().map(|t| Kind::of(*t))),
                    Kinds::from_iter(ty.results().iter().map(|t| Kind::of(*t))),
                )
            }
        }
    }

    fn open(&mut self, kind: FrameKind, bt: BlockType, label: Label) {
        let (params, results) = self.block_sig(bt);
        self.frames.push(Frame {
            kind,
            label,
            height: self.stack.len() - params.len(),
            params,
            results,
            branched: false,
            osr: NO_LOOP,
        });
    }

    /// Control operators; returns whether `op` was one.
    pub(super) fn control(&mut self, op: &Operator<'_>) -> Result<bool, CompileError> {
        match *op {
            Operator::Nop => {}
            Operator::Block { blockty } => {
                let end = self.masm.new_label();
                self.open(FrameKind::Block, blockty, end);
            }
            Operator::Loop { blockty } => {
                self.spill_all();
                let header = self.masm.new_label();
                self.masm.bind(header);
                self.open(FrameKind::Loop, blockty, header);
                let ordinal = self.loops;
                self.loops += 1;
                // An OSR entry takes the locals only: the stack must be empty.
                let here = if self.stack.is_empty() {
                    ordinal
                } else {
                    NO_LOOP
                };
                self.frames.last_mut().expect("just opened").osr = here;
                // The entry asked for is the outermost one around: code
                // entered there has no loop entered from the side.
                let outer = self
                    .frames
                    .iter()
                    .find(|f| f.kind == FrameKind::Loop && f.osr != NO_LOOP)
                    .map_or(NO_LOOP, |f| f.osr);
                // Innermost loops inside other loops do not count: a counter
                // in memory in the tightest loops costs most, and the loop
                // around counts once per run of the inner one.
                let depth = self
                    .frames
                    .iter()
                    .filter(|f| f.kind == FrameKind::Loop)
                    .count();
                let has_inner = self.has_inner_loop.get(ordinal as usize) == Some(&true);
                if has_inner || depth == 1 {
                    self.count_loop(here, outer, has_inner);
                }
            }
            Operator::If { blockty } => {
                let cond = self.pop();
                let (else_label, end) = (self.masm.new_label(), self.masm.new_label());
                self.spill_all();
                self.branch_unless(cond, else_label);
                self.open(
                    FrameKind::If {
                        else_label,
                        entered: true,
                    },
                    blockty,
                    end,
                );
            }
            Operator::Else => self.else_op(),
            Operator::End => self.end_op(),
            Operator::Br { relative_depth } => {
                self.branch(relative_depth as usize);
                self.set_unreachable();
            }
            Operator::BrIf { relative_depth } => self.br_if(relative_depth as usize),
            Operator::BrTable { ref targets } => self.br_table(targets)?,
            Operator::Return => {
                self.return_op();
                self.set_unreachable();
            }
            Operator::Unreachable => {
                let l = self.trap_label(TrapCode::Unreachable);
                self.masm.jump(l);
                self.set_unreachable();
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Operators in unreachable code: only the block structure matters.
    pub(super) fn dead_operator(&mut self, op: &Operator<'_>) -> Result<(), CompileError> {
        match op {
            Operator::Block { .. } | Operator::If { .. } => self.dead_depth += 1,
            Operator::Loop { .. } => {
                self.dead_depth += 1;
                self.loops += 1;
            }
            Operator::Else if self.dead_depth == 0 => self.else_op(),
            Operator::End if self.dead_depth == 0 => self.end_op(),
            Operator::End => self.dead_depth -= 1,
            _ => {}
        }
        Ok(())
    }

    pub(super) fn set_unreachable(&mut self) {
        let height = self.frames.last().map_or(0, |f| f.height);
        self.truncate(height);
        self.reachable = false;
    }

    /// Jumps to `target` when `cond` (popped) is zero.
    fn branch_unless(&mut self, cond: Entry, target: Label) {
        match cond.loc {
            Loc::Flags(c) => self.masm.jump_if(c.negate(), target),
            Loc::Const(bits) => {
                if bits as u32 == 0 {
                    self.masm.jump(target);
                }
            }
            _ => {
                let depth = self.stack.len();
                let r = self.materialize(cond, depth);
                self.masm.int_test(false, r);
                self.masm.jump_if(Cond::Eq, target);
                self.free(r);
            }
        }
    }

    fn else_op(&mut self) {
        let frame = self.frames.last_mut().expect("validated: open if");
        let FrameKind::If {
            else_label,
            entered,
        } = frame.kind
        else {
            unreachable!("validated: else after if")
        };
        let (end, height, params) = (frame.label, frame.height, frame.params.clone());
        if self.reachable {
            self.spill_all();
            self.masm.jump(end);
            self.frames.last_mut().expect("open").branched = true;
        }
        self.masm.bind(else_label);
        self.truncate(height);
        for &k in params.iter() {
            self.push(k, Loc::Home);
        }
        self.frames.last_mut().expect("open").kind = FrameKind::Else;
        self.reachable = entered;
        self.dead_depth = 0;
    }

    fn end_op(&mut self) {
        let mut frame = self.frames.pop().expect("validated: open frame");
        if let FrameKind::If {
            else_label,
            entered,
        } = frame.kind
        {
            // The implicit else carries the parameters (the same types as
            // the results) to the end.
            if self.reachable {
                self.spill_all();
            }
            self.masm.bind(else_label);
            frame.branched |= entered;
        }
        if frame.kind == FrameKind::Func {
            // Branches to the function's frame return directly; the
            // epilogue follows the last operator.
            if self.reachable {
                self.place_results();
            }
            self.truncate(0);
            return;
        }
        if frame.branched {
            if self.reachable {
                self.spill_all();
            }
            if frame.kind != FrameKind::Loop {
                self.masm.bind(frame.label);
            }
            self.truncate(frame.height);
            for &k in frame.results.iter() {
                self.push(k, Loc::Home);
            }
            self.reachable = true;
        } else if !self.reachable {
            self.truncate(frame.height);
        }
    }

    /// Spills and moves the values a branch to frame `depth` carries.
    fn prepare_branch(&mut self, depth: usize) -> (Label, bool) {
        self.spill_all();
        let i = self.frames.len() - 1 - depth;
        let frame = &self.frames[i];
        let arity = frame.arity().clone();
        let (target, height, is_loop) = (frame.label, frame.height, frame.kind == FrameKind::Loop);
        let from = self.stack.len() - arity.len();
        if from != height {
            for (j, k) in arity.iter().enumerate() {
                let (dst, src) = (self.home(height + j), self.home(from + j));
                self.masm.mem_copy(*k, dst, src);
            }
        }
        if !is_loop {
            self.frames[i].branched = true;
        }
        (target, from != height)
    }

    fn branch(&mut self, depth: usize) {
        if depth == self.frames.len() - 1 {
            return self.return_op();
        }
        let (target, _) = self.prepare_branch(depth);
        self.masm.jump(target);
    }

    /// Whether a branch to `depth` must move values between home slots.
    fn needs_moves(&self, depth: usize) -> bool {
        let frame = &self.frames[self.frames.len() - 1 - depth];
        frame.kind == FrameKind::Func || self.stack.len() - frame.arity().len() != frame.height
    }

    fn br_if(&mut self, depth: usize) {
        let cond = self.pop();
        if let Loc::Const(bits) = cond.loc {
            if bits as u32 != 0 {
                self.branch(depth);
                self.set_unreachable();
            }
            return;
        }
        let cond_reg = match cond.loc {
            Loc::Flags(_) => None,
            _ => {
                let depth = self.stack.len();
                Some(self.materialize(cond, depth))
            }
        };
        self.spill_all();
        let test = |g: &mut Self| match (cond.loc, cond_reg) {
            (Loc::Flags(c), _) => c,
            (_, Some(r)) => {
                g.masm.int_test(false, r);
                Cond::Ne
            }
            _ => unreachable!(),
        };
        if self.needs_moves(depth) {
            let skip = self.masm.new_label();
            let c = test(self);
            self.masm.jump_if(c.negate(), skip);
            self.branch(depth);
            self.masm.bind(skip);
        } else {
            let c = test(self);
            let (target, _) = self.prepare_branch(depth);
            self.masm.jump_if(c, target);
        }
        if let Some(r) = cond_reg {
            self.free(r);
        }
    }

    fn br_table(&mut self, targets: &BrTable<'_>) -> Result<(), CompileError> {
        let index = self.pop_reg();
        self.spill_all();
        // One label per distinct depth: a stub that moves values, or the
        // target itself.
        let mut by_depth: Vec<Option<Label>> = vec![None; self.frames.len()];
        let mut stubs: Vec<(Label, usize)> = Vec::new();
        let mut label_for = |g: &mut Self, d: usize| -> Label {
            if let Some(l) = by_depth[d] {
                return l;
            }
            let l = if g.needs_moves(d) {
                let l = g.masm.new_label();
                stubs.push((l, d));
                l
            } else {
                g.prepare_branch(d).0
            };
            by_depth[d] = Some(l);
            l
        };
        let mut labels = Vec::with_capacity(targets.len() as usize);
        for t in targets.targets() {
            labels.push(label_for(self, t? as usize));
        }
        let default_label = label_for(self, targets.default() as usize);
        self.masm.jump_table(index, &labels, default_label);
        self.free(index);
        for (l, d) in stubs {
            self.masm.bind(l);
            self.branch(d);
        }
        self.set_unreachable();
        Ok(())
    }

    /// Puts the results where the caller expects them and jumps to the
    /// function's one epilogue.
    pub(super) fn return_op(&mut self) {
        self.place_results();
        let epilogue = self.epilogue;
        self.masm.jump(epilogue);
    }

    /// Puts the results where the caller expects them.
    fn place_results(&mut self) {
        let n = self.results.len();
        let base = self.stack.len() - n;
        if n > 1 {
            let ptr = self.alloc(false);
            let slot = Mem::at(M::FP, self.ret_area_slot);
            self.masm.load(LoadKind::Full(Kind::I64), ptr, slot);
            for j in 1..n {
                let e = self.stack[base + j];
                let r = self.materialize(e, base + j);
                let w = super::stack::width(e.kind);
                self.masm.store(w, Mem::at(ptr, 16 * (j as i32 - 1)), r);
                self.free(r);
            }
            self.free(ptr);
        }
        if n > 0 {
            let e = self.stack[base];
            let dst = if e.kind.is_float() {
                M::RET_FPR
            } else {
                M::RET_GPR
            };
            self.load_into(e, base, dst);
        }
    }

    /// Materialises entry `e` (at `depth`) into the specific register `dst`.
    pub(super) fn load_into(&mut self, e: Entry, depth: usize, dst: Reg) {
        match e.loc {
            Loc::Reg(r) => self.masm.mov(e.kind, dst, r),
            Loc::Const(bits) => self.masm.mov_const(e.kind, dst, bits),
            Loc::Local(l) => self.read_local(e.kind, l, dst),
            Loc::Home => {
                let home = self.home(depth);
                self.masm.load(LoadKind::Full(e.kind), dst, home)
            }
            Loc::Flags(c) => self.masm.set_cond(c, dst),
        }
    }
}

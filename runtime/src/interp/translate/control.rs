//! Structured control flow: `block`, `loop`, `if`/`else`, `end`, the
//! branches, `return`, `unreachable` and `nop`, and skipping dead code
//! (the frames themselves are in [`super::frame`]).

use super::frame::CtrlKind;
use super::stack::Place;
use super::{width, Translator};
use crate::interp::code::{Op, OpCode, Slot};
use crate::types::ValType;
use wasmparser::{BlockType, Operator as O};

impl Translator<'_> {
    /// Translates the control operators; false for any other.
    pub(super) fn control_op(&mut self, op: &O) -> Result<bool, String> {
        match *op {
            O::Nop => {}
            O::Unreachable => self.unreachable(),
            O::Block { blockty } => self.open_block(CtrlKind::Block, blockty),
            O::Loop { blockty } => self.open_block(CtrlKind::Loop, blockty),
            O::If { blockty } => self.open_if(blockty),
            O::Else => self.else_(),
            O::End => {
                self.end();
            }
            O::Br { relative_depth } => self.br(relative_depth),
            O::BrIf { relative_depth } => self.br_if(relative_depth),
            O::BrTable { ref targets } => {
                let list = targets
                    .targets()
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| e.to_string())?;
                self.br_table(&list, targets.default());
            }
            O::Return => self.return_(),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// In unreachable code only the structure is tracked: blocks open and
    /// close, nothing is emitted.
    pub(super) fn dead_control_op(&mut self, op: &O) {
        match *op {
            O::Block { blockty } => self.open(CtrlKind::Block, blockty, None),
            O::Loop { blockty } => self.open(CtrlKind::Loop, blockty, None),
            O::If { blockty } => self.open(CtrlKind::If, blockty, None),
            O::Else => self.else_(),
            O::End => {
                self.end();
            }
            _ => {}
        }
    }

    /// Everything an `if` needs before its conditional jump.
    pub(super) fn open_if(&mut self, bt: BlockType) {
        if self.is_unreachable() {
            self.open(CtrlKind::If, bt, None);
            return;
        }
        let cond = self.pop();
        self.materialize_all();
        let branch = self.cond_branch(cond, true);
        let patch = self.emit(branch);
        self.open(CtrlKind::If, bt, Some(patch));
    }

    /// Opens a block or loop, with every operand in its home first.
    pub(super) fn open_block(&mut self, kind: CtrlKind, bt: BlockType) {
        if !self.is_unreachable() {
            self.materialize_all();
        }
        self.open(kind, bt, None);
    }

    fn reset_stack(&mut self, height: usize, types: &[ValType]) {
        self.stack.truncate(height);
        for ty in types {
            self.push_result(*ty);
        }
    }

    fn bind_here(&mut self, patches: &[usize]) {
        let here = self.pc() as u32;
        self.label_at = self.pc();
        self.target_at = self.pc();
        for &p in patches {
            *self.code[p].target_mut().expect("branch op") = here;
        }
        self.last_result = None;
    }

    /// Puts the top `n` operands into their homes (the block's result slots).
    fn settle_top(&mut self, n: usize) {
        for i in self.stack.len() - n..self.stack.len() {
            self.materialize(i);
        }
    }

    pub(super) fn else_(&mut self) {
        let reachable = !self.is_unreachable();
        let n = self.ctrls.last().expect("if").results.len();
        if reachable {
            self.settle_top(n);
            let br = self.emit(Op::Br { target: 0 });
            self.ctrls.last_mut().expect("if").patches.push(br);
        }
        let c = self.ctrls.last_mut().expect("if");
        c.kind = CtrlKind::Else;
        c.unreachable = c.dead;
        let else_patch = c.else_patch.take();
        let (height, params) = (c.height, c.params.clone());
        if let Some(p) = else_patch {
            self.bind_here(&[p]);
        }
        self.reset_stack(height, &params);
    }

    /// Closes the innermost construct. Returns true at the function's end.
    pub(super) fn end(&mut self) -> bool {
        let reachable = !self.is_unreachable();
        let c = self.ctrls.last().expect("open construct");
        let n = c.results.len();
        if c.kind == CtrlKind::Func {
            if reachable {
                self.emit_return();
            }
            return true;
        }
        if reachable {
            self.settle_top(n);
        }
        let c = self.ctrls.pop().expect("open construct");
        let mut patches = c.patches;
        patches.extend(c.else_patch);
        if c.kind != CtrlKind::Loop || !patches.is_empty() {
            self.bind_here(&patches);
        }
        self.reset_stack(c.height, &c.results);
        false
    }

    fn label_slots(&self, depth: u32) -> (usize, Vec<(ValType, Slot)>) {
        let idx = self.ctrls.len() - 1 - depth as usize;
        let c = &self.ctrls[idx];
        let mut slot = c.base;
        let dsts = c
            .label_types()
            .iter()
            .map(|t| {
                let s = slot;
                slot += width(*t);
                (*t, s)
            })
            .collect();
        (idx, dsts)
    }

    /// Copies the top operands into the label's slots of `depth`; true if any op was emitted.
    fn branch_copies(&mut self, depth: u32) -> bool {
        let (_, dsts) = self.label_slots(depth);
        let n = dsts.len();
        let first = self.stack.len() - n;
        if dsts.first().is_some_and(|(_, d)| *d < self.stack_base) {
            // Returning overwrites locals, which may still be read below.
            self.settle_top(n);
        }
        let mut emitted = false;
        for (k, (ty, dst)) in dsts.into_iter().enumerate() {
            let o = self.stack[first + k];
            let op = match o.place {
                Place::Home if o.home == dst => continue,
                Place::Home => super::stack::copy_op(ty, dst, o.home),
                Place::Local(l) => super::stack::copy_op(ty, dst, self.locals[l as usize].1),
                Place::Const(c) => super::stack::const_op(dst, c),
            };
            self.emit(op);
            emitted = true;
        }
        emitted
    }

    /// Emits a jump to the label of `depth` (copies already done).
    fn jump_to(&mut self, depth: u32, op: Op) {
        let idx = self.ctrls.len() - 1 - depth as usize;
        let c = &self.ctrls[idx];
        if c.kind == CtrlKind::Func {
            self.emit(Op::Return {});
            return;
        }
        if c.kind == CtrlKind::Loop {
            let mut op = op;
            *op.target_mut().expect("branch") = c.loop_pc;
            self.emit(op);
        } else {
            let p = self.emit(op);
            self.ctrls[idx].patches.push(p);
        }
    }

    fn mark_unreachable(&mut self) {
        let c = self.ctrls.last_mut().expect("open construct");
        c.unreachable = true;
        let h = c.height;
        self.stack.truncate(h);
    }

    pub(super) fn br(&mut self, depth: u32) {
        self.branch_copies(depth);
        self.jump_to(depth, Op::Br { target: 0 });
        self.mark_unreachable();
    }

    pub(super) fn br_if(&mut self, depth: u32) {
        let cond = self.pop();
        let is_return = self.ctrls[self.ctrls.len() - 1 - depth as usize].kind == CtrlKind::Func;
        let (_, dsts) = self.label_slots(depth);
        let first = self.stack.len() - dsts.len();
        let in_place = dsts.iter().enumerate().all(|(k, (_, d))| {
            self.stack[first + k].place == Place::Home && self.stack[first + k].home == *d
        });
        if in_place && !is_return {
            let branch = self.cond_branch(cond, false);
            self.jump_to(depth, branch);
        } else {
            if dsts.first().is_some_and(|(_, d)| *d < self.stack_base) {
                // `branch_copies` would settle the operands on the taken path
                // only, yet the fall-through would then count them settled.
                self.settle_top(dsts.len());
            }
            let branch = self.cond_branch(cond, true);
            let skip = self.emit(branch);
            self.branch_copies(depth);
            self.jump_to(depth, Op::Br { target: 0 });
            self.bind_here(&[skip]);
        }
    }

    pub(super) fn br_table(&mut self, targets: &[u32], default: u32) {
        let arity = self.label_slots(default).1.len();
        let len = targets.len() as u32;
        // A switch on a byte just loaded reads the byte itself, and one on
        // a sum with a constant adds it itself.
        let byte = (arity == 0).then(|| self.take_loaded_byte()).flatten();
        let added = (arity == 0 && byte.is_none())
            .then(|| self.take_added_index())
            .flatten();
        match (byte, added) {
            (Some((addr, offset)), _) => {
                let fits = (u16::try_from(addr), u16::try_from(len));
                let step = match fits {
                    (Ok(_), Ok(_)) => self.take_step_before_switch(),
                    _ => None,
                };
                self.emit(match (step, fits) {
                    (Some((x, add)), (Ok(addr), Ok(len))) => Op::BrTableByteStep {
                        addr,
                        offset,
                        x,
                        add,
                        len,
                    },
                    _ => Op::BrTableByte { addr, offset, len },
                });
            }
            (None, Some((index, imm))) => {
                let op = match self.take_byte_added(index, imm) {
                    Some((addr, imm, offset)) => Op::BrTableByteImm {
                        addr,
                        imm,
                        offset,
                        len,
                    },
                    None => Op::BrTableImm { index, imm, len },
                };
                self.emit(op);
            }
            (None, None) => {
                let index = self.pop();
                // Stubs run on separate paths, so sources must already be in place.
                self.settle_top(arity);
                self.emit(Op::BrTable { index, len });
            }
        }
        let table_start = self.pc();
        for _ in 0..=len {
            self.emit(Op::BrEntry {
                target: 0,
                next: OpCode::Br,
            });
        }
        for (k, depth) in targets.iter().chain(std::iter::once(&default)).enumerate() {
            let entry = table_start + k;
            if self.direct_entry(entry, *depth) {
                continue;
            }
            let stub = self.pc() as u32;
            self.label_at = self.pc();
            self.target_at = self.pc();
            *self.code[entry].target_mut().expect("br") = stub;
            self.branch_copies(*depth);
            self.jump_to(*depth, Op::Br { target: 0 });
        }
        self.mark_unreachable();
    }

    /// Points br_table entry `entry` straight at the label of `depth` when
    /// no copies are needed; false if a stub is required.
    fn direct_entry(&mut self, entry: usize, depth: u32) -> bool {
        let (idx, dsts) = self.label_slots(depth);
        let first = self.stack.len() - dsts.len();
        let in_place = dsts.iter().enumerate().all(|(k, (_, d))| {
            let o = self.stack[first + k];
            o.place == Place::Home && o.home == *d
        });
        let c = &self.ctrls[idx];
        if !in_place || c.kind == CtrlKind::Func {
            return false;
        }
        if c.kind == CtrlKind::Loop {
            let pc = c.loop_pc;
            *self.code[entry].target_mut().expect("br") = pc;
        } else {
            self.ctrls[idx].patches.push(entry);
        }
        true
    }

    /// Copies the results to slots `0..` and returns.
    pub(super) fn emit_return(&mut self) {
        let depth = self.ctrls.len() as u32 - 1;
        self.branch_copies(depth);
        self.emit(Op::Return {});
    }

    pub(super) fn return_(&mut self) {
        self.emit_return();
        self.mark_unreachable();
    }

    pub(super) fn unreachable(&mut self) {
        self.emit(Op::Unreachable {});
        self.mark_unreachable();
    }
}

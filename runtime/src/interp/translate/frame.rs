//! Control frames: the record kept for each open block, loop, if and the
//! function body, and opening one.

use super::Translator;
use crate::interp::code::Slot;
use crate::types::ValType;
use wasmparser::BlockType;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CtrlKind {
    Func,
    Block,
    Loop,
    If,
    Else,
}

/// One open control construct.
pub(super) struct Ctrl {
    pub(super) kind: CtrlKind,
    /// Operand-stack length at entry, below the block's parameters.
    pub(super) height: usize,
    /// Home slot of the first parameter / result.
    pub(super) base: Slot,
    pub(super) params: Vec<ValType>,
    pub(super) results: Vec<ValType>,
    /// For loops: where a branch to the label goes.
    pub(super) loop_pc: u32,
    /// Branches to the end, patched when it is reached.
    pub(super) patches: Vec<usize>,
    /// For ifs: the conditional jump to the else branch.
    pub(super) else_patch: Option<usize>,
    /// Code after an unconditional branch, up to the next else/end.
    pub(super) unreachable: bool,
    /// The whole construct is unreachable.
    pub(super) dead: bool,
}

impl Ctrl {
    pub(super) fn is_loop(&self) -> bool {
        self.kind == CtrlKind::Loop
    }

    pub(super) fn label_types(&self) -> &[ValType] {
        if self.kind == CtrlKind::Loop {
            &self.params
        } else {
            &self.results
        }
    }
}

impl Translator<'_> {
    pub(super) fn push_func_ctrl(&mut self, results: Vec<ValType>) {
        self.ctrls.push(Ctrl {
            kind: CtrlKind::Func,
            height: 0,
            base: 0,
            params: Vec::new(),
            results,
            loop_pc: 0,
            patches: Vec::new(),
            else_patch: None,
            unreachable: false,
            dead: false,
        });
    }

    pub(super) fn is_unreachable(&self) -> bool {
        self.ctrls.last().is_some_and(|c| c.unreachable)
    }

    fn block_types(&self, bt: BlockType) -> (Vec<ValType>, Vec<ValType>) {
        match bt {
            BlockType::Empty => (vec![], vec![]),
            BlockType::Type(t) => (vec![], vec![ValType::from(t)]),
            BlockType::FuncType(i) => {
                let ft = &self.module.types[i as usize];
                (ft.params().to_vec(), ft.results().to_vec())
            }
        }
    }

    /// Opens a block, loop or if (the if's condition already popped).
    pub(super) fn open(&mut self, kind: CtrlKind, bt: BlockType, else_patch: Option<usize>) {
        let (params, results) = self.block_types(bt);
        let dead = self.is_unreachable();
        self.last_result = None;
        self.label_at = self.pc();
        if kind == CtrlKind::Loop {
            self.target_at = self.pc();
        }
        // Dead code pushes no operands, so a dead block's parameters are not on
        // the stack: taking them would eat the operands of live enclosing blocks.
        let height = if dead {
            self.stack.len()
        } else {
            self.stack.len() - params.len()
        };
        let base = if dead {
            self.next_home()
        } else {
            self.stack.get(height).map_or(self.next_home(), |o| o.home)
        };
        self.ctrls.push(Ctrl {
            kind,
            height,
            base,
            params,
            results,
            loop_pc: self.pc() as u32,
            patches: Vec::new(),
            else_patch,
            unreachable: dead,
            dead,
        });
    }
}

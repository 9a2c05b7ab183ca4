//! Fusing an `i32.load8_u` with the op that uses the byte at once as an
//! index, as a VM reads the register numbers and the op of its byte code:
//! `(byte << shift) + imm` (`I32Load8UShlAddImm`), the load at that
//! address (`I32LoadByteShl`, `I64LoadByteShl`) and `br_table` on the byte
//! (`BrTableByte`). See `exec/bytes.rs`.
//!
//! A fused op keeps the byte load's op index, so a trap of the byte load is
//! reported at its own operator; the loads at the computed address are
//! followed by an `Arg` word that stands for the outer load's operator.

use super::Translator;
use crate::interp::code::{Op, Slot};

impl Translator<'_> {
    /// If the last op is an `i32.load8_u` (offset below 256) into operand
    /// stack slot `slot`, which the op being built consumes and overwrites,
    /// removes it and returns its address slot and offset. The caller has
    /// already taken the op that read `slot` off the code.
    pub(super) fn take_byte_into(&mut self, slot: Slot) -> Option<(Slot, u8)> {
        let last = self.code.len().checked_sub(1)?;
        if last < self.label_at || slot < self.stack_base {
            return None;
        }
        let Op::I32Load8U { dst, addr, offset } = self.code[last] else {
            return None;
        };
        let off = u8::try_from(offset).ok().filter(|_| dst == slot)?;
        self.code.pop();
        Some((addr, off))
    }

    /// If the stack top was just loaded by an `i32.load8_u`, removes that
    /// op and the operand and returns the load's address slot and offset.
    pub(super) fn take_loaded_byte(&mut self) -> Option<(Slot, u32)> {
        self.take_fresh_top(|op| match op {
            Op::I32Load8U { addr, offset, .. } => Some((addr, offset)),
            _ => None,
        })
    }

    /// Whether the operand under the top was just loaded, zero-extended, by
    /// an `i32.load8_u` (so it is below 256).
    pub(super) fn under_top_is_byte(&self) -> bool {
        self.top_two_fresh().is_some_and(|(last, (_, made), _)| {
            made && matches!(
                self.code[last],
                Op::I32Load8U { .. } | Op::I32Load8UW { .. } | Op::I32Load8UIdx { .. }
            )
        })
    }

    /// If the stack top was just computed by an `I32AddImm`, removes that
    /// op and the operand and returns its operand slot and constant.
    pub(super) fn take_added_index(&mut self) -> Option<(Slot, i32)> {
        self.take_fresh_top(|op| match op {
            Op::I32AddImm { a, imm, .. } => Some((a, imm)),
            _ => None,
        })
    }

    /// For a switch on `index + imm` (its add already taken off the code):
    /// if `index` is a byte just loaded by an `i32.load8_u`, removes that op
    /// and returns its address slot, `imm` and offset, when they fit.
    pub(super) fn take_byte_added(&mut self, index: Slot, imm: i32) -> Option<(u16, i16, u32)> {
        let last = self.code.len().checked_sub(1)?;
        let imm = i16::try_from(imm).ok()?;
        let Op::I32Load8U { addr, .. } = self.code[last] else {
            return None;
        };
        let addr = u16::try_from(addr).ok()?;
        let (_, offset) = self.take_byte_into(index)?;
        Some((addr, imm, offset.into()))
    }

    /// If the stack top was just computed by an `I32Load8UShlAddImm`,
    /// removes that op and the operand and returns its `(off, shift, addr,
    /// imm)`.
    fn take_byte_index(&mut self) -> Option<(u8, u8, Slot, i32)> {
        let last = self.code.len().checked_sub(1)?;
        let top = *self.stack.last()?;
        if !self.made_by(top, last) {
            return None;
        }
        let Op::I32Load8UShlAddImm {
            off,
            shift,
            addr,
            imm,
            ..
        } = self.code[last]
        else {
            return None;
        };
        self.code.pop();
        self.stack.pop();
        self.last_result = None;
        Some((off, shift, addr, imm))
    }

    /// The offset-0 load `plain` (an `I32Load` or `I64Load` built by `f`)
    /// at an address just computed by an `I32Load8UShlAddImm`, fused with
    /// it; false (nothing done) if the address was computed otherwise.
    pub(super) fn load_byte_indexed(&mut self, ty: crate::types::ValType, plain: Op) -> bool {
        let fused: fn(Slot, u8, u8, Slot, i32) -> Op = match plain {
            Op::I32Load { .. } => |dst, off, shift, addr, imm| Op::I32LoadByteShl {
                dst,
                off,
                shift,
                addr,
                imm,
            },
            Op::I64Load { .. } => |dst, off, shift, addr, imm| Op::I64LoadByteShl {
                dst,
                off,
                shift,
                addr,
                imm,
            },
            _ => return false,
        };
        let Some((off, shift, addr, imm)) = self.take_byte_index() else {
            return false;
        };
        let dst = self.push_result(ty);
        self.emit_result(fused(dst, off, shift, addr, imm));
        self.emit_arg(0, 0, 0);
        self.fused_from = Some(self.code.len() - 1);
        true
    }
}

impl Translator<'_> {
    /// Op `pc`, the last, was just redirected into a local: when it adds a
    /// constant to that local in place, the local was set by a constant
    /// shift two ops before, and the op between does not touch the local
    /// (a VM's `in = code + 16 * pc++`: shift, increment, add), the shift
    /// becomes an `I32ShlAddImm` and the add goes. The three ops run in a
    /// row (no op but the first is a branch target; a block's start
    /// between them is not one).
    pub(super) fn add_into_shift(&mut self, pc: usize) {
        if pc + 1 != self.code.len() || pc < self.target_at + 2 {
            return;
        }
        let Op::I32AddImm { dst, a, imm } = self.code[pc] else {
            return;
        };
        let Op::I32AddImm { dst: d, a: s, .. } = self.code[pc - 1] else {
            return;
        };
        let Op::I32ShlImm {
            dst: l,
            a: x,
            imm: k,
        } = self.code[pc - 2]
        else {
            return;
        };
        if dst != a || l != a || x == a || d == a || s == a {
            return;
        }
        self.code[pc - 2] = Op::I32ShlAddImm {
            dst: l,
            a: x,
            shift: (k & 31) as u8,
            imm,
        };
        self.code.pop();
    }
}

impl Translator<'_> {
    /// `br`, a branch on a byte (in the compare's result slot `cond`) being
    /// or not being a constant, with the `i32.load8_u` of the byte just
    /// before it folded in; else `br` itself.
    pub(super) fn fold_byte_into_branch(&mut self, br: Op, cond: Slot) -> Op {
        let Some(last) = self.code.len().checked_sub(1) else {
            return br;
        };
        let (a, imm, ne) = match br {
            Op::BrI32EqImm { a, imm, .. } => (a, imm, false),
            Op::BrI32NeImm { a, imm, .. } => (a, imm, true),
            Op::BrI32Eq { a, b, .. } => return self.fold_byte_into_slot_branch(br, a, b, false),
            Op::BrI32Ne { a, b, .. } => return self.fold_byte_into_slot_branch(br, a, b, true),
            _ => return br,
        };
        if last < self.label_at || a != cond || a < self.stack_base {
            return br;
        }
        let (Ok(cmp), small) = (u16::try_from(imm), |s: Slot| u16::try_from(s).ok()) else {
            return br;
        };
        let target = 0;
        let fused = match self.code[last] {
            Op::I32Load8U { dst, addr, offset } if dst == a => small(addr).map(|addr| match ne {
                false => Op::BrLoad8UEqImm {
                    target,
                    addr,
                    cmp,
                    offset,
                },
                true => Op::BrLoad8UNeImm {
                    target,
                    addr,
                    cmp,
                    offset,
                },
            }),
            Op::I32Load8UW { dst, a: p, imm } if dst == a => small(p).map(|a| match ne {
                false => Op::BrLoad8UWEqImm {
                    target,
                    a,
                    cmp,
                    imm,
                },
                true => Op::BrLoad8UWNeImm {
                    target,
                    a,
                    cmp,
                    imm,
                },
            }),
            _ => None,
        };
        match fused {
            Some(op) => {
                self.code.pop();
                op
            }
            None => br,
        }
    }
}

impl Translator<'_> {
    /// As [`Self::fold_byte_into_branch`], for a branch on a byte being or
    /// not being the value of slot `a` or `b` (the other one is the byte,
    /// loaded by the op just before into a stack slot).
    fn fold_byte_into_slot_branch(&mut self, br: Op, a: Slot, b: Slot, ne: bool) -> Op {
        let Some(last) = self.last_fusable() else {
            return br;
        };
        let Op::I32Load8U { dst, addr, offset } = self.code[last] else {
            return br;
        };
        let other = match (a == dst, b == dst) {
            (true, false) => b,
            (false, true) => a,
            _ => return br,
        };
        let small = |s: Slot| u16::try_from(s).ok();
        let (true, Some(addr), Some(b)) = (dst >= self.stack_base, small(addr), small(other))
        else {
            return br;
        };
        self.code.pop();
        let target = 0;
        if ne {
            Op::BrLoad8UNe {
                target,
                addr,
                b,
                offset,
            }
        } else {
            Op::BrLoad8UEq {
                target,
                addr,
                b,
                offset,
            }
        }
    }
}

impl Translator<'_> {
    /// An `i32.store8` (`offset`) of a byte just loaded by an
    /// `i32.load8_u` into a temporary: one op copies it (`CopyByte`,
    /// `CopyByteW`), the store's address in its `Arg` word, which the
    /// store traps as. The store's address may be a local plus a constant
    /// added a few ops before (see `take_earlier_add_imm`). False, with
    /// nothing done, otherwise.
    pub(super) fn fuse_byte_copy(&mut self, offset: u32) -> bool {
        let Some(last) = self.last_fusable() else {
            return false;
        };
        let top = *self.stack.last().expect("validated");
        if !self.made_by(top, last) || top.home < self.stack_base {
            return false;
        }
        let (from, load, w_load) = match self.code[last] {
            Op::I32Load8U { addr, offset, .. } => (addr, offset, false),
            Op::I32Load8UW { a, imm, .. } => (a, imm as u32, true),
            _ => return false,
        };
        self.stack.pop();
        self.last_result = None;
        let earlier = if offset == 0 {
            self.take_earlier_add_imm()
        } else {
            None
        };
        let (to, x, w) = match earlier {
            Some((a, imm)) => (a, imm as u32, 1),
            None => {
                let n = self.code.len();
                let to = self.pop();
                if self.code.len() != n {
                    // Reading the address emitted code after the load.
                    self.emit(Op::I32Store8 {
                        addr: to,
                        value: top.home,
                        offset,
                    });
                    return true;
                }
                (to, offset, 0)
            }
        };
        let at = self.code.len() - 1;
        self.code[at] = if w_load {
            Op::CopyByteW {
                from,
                imm: load as i32,
            }
        } else {
            Op::CopyByte { from, offset: load }
        };
        self.emit_arg(to, x, w);
        self.fused_from = Some(at + 1);
        true
    }
}

//! The compile-time operand stack: home slots, local aliases and constants.

use super::{width, Translator};
use crate::interp::code::{Op, Slot};
use crate::types::ValType;

/// Where an operand's value currently is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Place {
    /// In its home slot.
    Home,
    /// Still in this local's slot (a `local.get` not yet copied).
    Local(u32),
    /// A constant not yet written anywhere (i32/i64/f32/f64 bits).
    Const(u64),
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Operand {
    pub ty: ValType,
    pub home: Slot,
    pub place: Place,
}

/// An operand and whether the last op just computed it.
pub(super) type Fresh = (Operand, bool);

impl Translator<'_> {
    /// Whether op `last` just computed operand `o` into its home slot (so
    /// a fused op may take the op's place and the operand's).
    pub(super) fn made_by(&self, o: Operand, last: usize) -> bool {
        o.place == Place::Home && self.last_result == Some((last, o.home))
    }

    /// If the last op just computed the stack top into its home slot and
    /// `pick` takes that op (for a fused op to absorb), removes the op and
    /// the operand and returns what `pick` gave.
    pub(super) fn take_fresh_top<T>(&mut self, pick: impl FnOnce(Op) -> Option<T>) -> Option<T> {
        let last = self.code.len().checked_sub(1)?;
        let top = *self.stack.last()?;
        if !self.made_by(top, last) {
            return None;
        }
        let taken = pick(self.code[last])?;
        self.code.pop();
        self.stack.pop();
        self.last_result = None;
        Some(taken)
    }

    /// The index of the last op and the top two operands, each with
    /// whether that op just computed it into its home slot (so a fused op
    /// may take its place); `None` with no op yet or fewer than two
    /// operands.
    pub(super) fn top_two_fresh(&self) -> Option<(usize, Fresh, Fresh)> {
        let last = self.code.len().checked_sub(1)?;
        let n = self.stack.len();
        if n < 2 {
            return None;
        }
        let (x, y) = (self.stack[n - 2], self.stack[n - 1]);
        Some((last, (x, self.made_by(x, last)), (y, self.made_by(y, last))))
    }

    pub(super) fn next_home(&self) -> Slot {
        match self.stack.last() {
            Some(o) => o.home + width(o.ty),
            None => self.stack_base,
        }
    }

    fn push_operand(&mut self, ty: ValType, place: Place) -> Slot {
        let home = self.next_home();
        self.max_slot = self.max_slot.max(home + width(ty));
        self.stack.push(Operand { ty, home, place });
        home
    }

    /// Pushes a result that the next emitted op writes to its home slot.
    pub(super) fn push_result(&mut self, ty: ValType) -> Slot {
        self.push_operand(ty, Place::Home)
    }

    pub(super) fn push_local(&mut self, index: u32) {
        let ty = self.locals[index as usize].0;
        self.push_operand(ty, Place::Local(index));
    }

    pub(super) fn push_const(&mut self, ty: ValType, bits: u64) {
        self.push_operand(ty, Place::Const(bits));
    }

    /// Emits the op producing the stack top into its home, remembering it
    /// so a following `local.set` can redirect the result.
    pub(super) fn emit_result(&mut self, op: Op) {
        let home = self.stack.last().expect("result pushed").home;
        let pc = self.emit(op);
        self.last_result = Some((pc, home));
    }

    /// The slot to read operand `i` (from the bottom) from, writing
    /// constants to their home first.
    fn read_slot(&mut self, i: usize) -> Slot {
        let o = self.stack[i];
        match o.place {
            Place::Home => o.home,
            Place::Local(l) => self.locals[l as usize].1,
            Place::Const(c) => match self.const_slot(c) {
                Some(slot) => slot,
                None => {
                    self.materialize(i);
                    o.home
                }
            },
        }
    }

    /// A read-only frame slot holding `bits`, for constants read inside loops.
    pub(super) fn const_slot(&mut self, bits: u64) -> Option<Slot> {
        if let Some(s) = self.const_slots.get(&bits) {
            return Some(*s);
        }
        let in_loop = self.ctrls.iter().any(|c| c.is_loop());
        if !in_loop || self.const_values.len() as u32 >= self.const_cap {
            return None;
        }
        let slot = self.local_slots + self.const_values.len() as u32;
        self.const_values.push(bits);
        self.const_slots.insert(bits, slot);
        Some(slot)
    }

    /// Pops the top operand, returning the slot holding it.
    pub(super) fn pop(&mut self) -> Slot {
        let i = self.stack.len() - 1;
        let s = self.read_slot(i);
        self.stack.pop();
        s
    }

    /// Pops the top operand, returning it unchanged (for immediate fusion).
    pub(super) fn pop_operand(&mut self) -> Operand {
        self.stack.pop().expect("validated stack")
    }

    /// The top operand as a 32-bit signed immediate, if it is such a constant.
    pub(super) fn top_imm(&self) -> Option<i32> {
        let o = self.stack.last()?;
        match (o.place, o.ty) {
            (Place::Const(c), ValType::I32) => Some(c as u32 as i32),
            (Place::Const(c), ValType::I64) if c as i64 == c as i64 as i32 as i64 => Some(c as i32),
            _ => None,
        }
    }

    /// Writes operand `i` into its home slot.
    pub(super) fn materialize(&mut self, i: usize) {
        let o = self.stack[i];
        let op = match o.place {
            Place::Home => return,
            Place::Local(l) => {
                let src = self.locals[l as usize].1;
                if o.ty == ValType::V128 {
                    Op::Copy128 { dst: o.home, src }
                } else {
                    Op::Copy { dst: o.home, src }
                }
            }
            Place::Const(c) => const_op(o.home, c),
        };
        self.emit(op);
        self.stack[i].place = Place::Home;
    }

    /// Writes every operand into its home (before control flow joins).
    pub(super) fn materialize_all(&mut self) {
        for i in 0..self.stack.len() {
            self.materialize(i);
        }
    }

    /// Copies operands still standing for `local` into their homes, before
    /// the local is overwritten.
    pub(super) fn flush_local(&mut self, local: u32) {
        for i in 0..self.stack.len() {
            if self.stack[i].place == Place::Local(local) {
                self.materialize(i);
            }
        }
    }

    pub(super) fn local_set(&mut self, local: u32, tee: bool) {
        let (ty, slot) = self.locals[local as usize];
        let top = self.stack.len() - 1;
        let redirect = match (self.stack[top].place, self.last_result) {
            (Place::Home, Some((pc, home))) if home == self.stack[top].home => Some(pc),
            _ => None,
        };
        let others_alias = self.stack[..top]
            .iter()
            .any(|o| o.place == Place::Local(local));
        match (redirect, others_alias) {
            (Some(pc), false) => {
                *self.code[pc].dst_mut().expect("result op") = slot;
                self.last_result = None;
                self.add_into_shift(pc);
                self.step_after_store(pc);
                self.post_add(pc);
                self.add_after_add(pc);
            }
            _ => {
                let value = self.stack[top];
                if value.place == Place::Local(local) {
                    // local.get x; local.set x is a no-op.
                } else {
                    self.flush_local(local);
                    let op = match value.place {
                        Place::Const(c) => const_op(slot, c),
                        Place::Local(l) => copy_op(ty, slot, self.locals[l as usize].1),
                        Place::Home => copy_op(ty, slot, value.home),
                    };
                    self.emit(op);
                }
            }
        }
        self.stack.pop();
        if tee {
            self.push_local(local);
        }
    }

    /// Drops the top operand.
    pub(super) fn drop_top(&mut self) {
        self.stack.pop();
        self.last_result = None;
    }
}

pub(super) fn copy_op(ty: ValType, dst: Slot, src: Slot) -> Op {
    if ty == ValType::V128 {
        Op::Copy128 { dst, src }
    } else {
        Op::Copy { dst, src }
    }
}

pub(super) fn const_op(dst: Slot, c: u64) -> Op {
    if c >> 32 == 0 {
        Op::Const32 {
            dst,
            value: c as u32,
        }
    } else {
        Op::Const64 {
            dst,
            lo: c as u32,
            hi: (c >> 32) as u32,
        }
    }
}

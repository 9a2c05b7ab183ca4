//! The abstract value stack and register allocation.
//!
//! Each wasm operand is an [`Entry`]: in a register, a constant, a lazy
//! copy of a local, the flags of a compare, or spilled to its home slot
//! (one 16-byte slot per stack depth, so a value's home never moves). At
//! every control-flow merge all entries are spilled ("canonical state"),
//! so branches need no register shuffling; between merges values stay in
//! registers and constants fold into instructions.

use super::FuncGen;
use crate::masm::*;

/// Where one operand lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Loc {
    /// In a register the stack owns.
    Reg(Reg),
    /// A constant not yet materialised.
    Const(u128),
    /// The current value of a local, not yet copied (materialised before
    /// the local is written).
    Local(u32),
    /// The flags of a compare; true when the condition holds.
    Flags(Cond),
    /// In its home slot.
    Home,
}

/// One operand.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    pub kind: Kind,
    pub loc: Loc,
}

/// An operand as an instruction reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Src {
    /// A register the caller now owns (free it when done).
    Temp(Reg),
    /// A register the caller may only read (a local's home).
    Fixed(Reg),
    /// A constant.
    Const(u128),
}

impl Src {
    /// The register, if any.
    pub fn reg(self) -> Option<Reg> {
        match self {
            Src::Temp(r) | Src::Fixed(r) => Some(r),
            Src::Const(_) => None,
        }
    }
}

/// Where a local lives for the whole function.
#[derive(Clone, Copy, Debug)]
pub(crate) enum LocalHome {
    Reg(Reg),
    Frame(i32),
}

pub(crate) fn width(kind: Kind) -> u32 {
    match kind {
        Kind::I32 | Kind::F32 => 4,
        Kind::I64 | Kind::F64 => 8,
        Kind::V128 => 16,
    }
}

impl<M: MacroAssembler> FuncGen<'_, M> {
    /// The home slot of stack depth `depth`.
    pub fn home(&self, depth: usize) -> Mem {
        Mem::at(M::FP, -(self.ops_base as i32) - 16 * (depth as i32 + 1))
    }

    pub fn push(&mut self, kind: Kind, loc: Loc) {
        if let Loc::Reg(r) = loc {
            self.used |= r.bit();
        }
        self.stack.push(Entry { kind, loc });
        self.max_depth = self.max_depth.max(self.stack.len());
    }

    pub fn push_reg(&mut self, kind: Kind, r: Reg) {
        self.push(kind, Loc::Reg(r));
    }

    /// Releases a register the caller owned.
    pub fn free(&mut self, r: Reg) {
        self.used &= !r.bit();
    }

    pub fn free_src(&mut self, s: Src) {
        if let Src::Temp(r) = s {
            self.free(r);
        }
    }

    /// A free register of the class `float` selects, spilling if needed.
    pub fn alloc(&mut self, float: bool) -> Reg {
        let pool = if float { M::FPRS } else { M::GPRS };
        let busy = self.used | self.reserved;
        if let Some(r) = pool.iter().find(|r| busy & r.bit() == 0) {
            self.used |= r.bit();
            return *r;
        }
        let victim = self
            .stack
            .iter()
            .position(|e| matches!(e.loc, Loc::Reg(r) if r.is_fpr() == float && self.reserved & r.bit() == 0))
            .expect("a register to spill");
        let Loc::Reg(r) = self.stack[victim].loc else {
            unreachable!()
        };
        self.spill_entry(victim);
        self.used |= r.bit();
        r
    }

    /// A register for a value of `kind`.
    pub fn alloc_for(&mut self, kind: Kind) -> Reg {
        self.alloc(kind.is_float())
    }

    /// Moves entry `i` to its home slot.
    pub fn spill_entry(&mut self, i: usize) {
        let e = self.stack[i];
        let home = self.home(i);
        match e.loc {
            Loc::Home => return,
            Loc::Reg(r) => {
                self.masm.store(width(e.kind), home, r);
                self.free(r);
            }
            Loc::Const(bits) => self.masm.store_const(e.kind, home, bits),
            Loc::Local(l) => match self.local_homes[l as usize] {
                LocalHome::Reg(r) => self.masm.store(width(e.kind), home, r),
                LocalHome::Frame(off) => self.masm.mem_copy(e.kind, home, Mem::at(M::FP, off)),
            },
            Loc::Flags(c) => {
                let r = self.alloc(false);
                self.masm.set_cond(c, r);
                self.masm.store(4, home, r);
                self.free(r);
            }
        }
        self.stack[i].loc = Loc::Home;
    }

    /// Spills every entry: the canonical state at merges and calls.
    pub fn spill_all(&mut self) {
        for i in 0..self.stack.len() {
            self.spill_entry(i);
        }
    }

    /// Materialises a pending compare on top of the stack into a register.
    pub fn settle_flags(&mut self) {
        if let Some(Entry {
            loc: Loc::Flags(c), ..
        }) = self.stack.last().copied()
        {
            self.stack.pop();
            let r = self.alloc(false);
            self.masm.set_cond(c, r);
            self.push_reg(Kind::I32, r);
        }
    }

    /// Copies every lazy read of local `l` before it is written.
    pub fn capture_local(&mut self, l: u32) {
        for i in 0..self.stack.len() {
            if self.stack[i].loc == Loc::Local(l) {
                let kind = self.stack[i].kind;
                let r = self.alloc_for(kind);
                self.read_local(kind, l, r);
                self.stack[i].loc = Loc::Reg(r);
            }
        }
    }

    /// `dst = local l`.
    pub fn read_local(&mut self, kind: Kind, l: u32, dst: Reg) {
        match self.local_homes[l as usize] {
            LocalHome::Reg(r) => self.masm.mov(kind, dst, r),
            LocalHome::Frame(off) => self
                .masm
                .load(LoadKind::Full(kind), dst, Mem::at(M::FP, off)),
        }
    }

    /// Moves values out of the registers in `set` (for instructions that
    /// need them), spilling when no other register is free.
    pub fn evict(&mut self, set: RegSet) {
        for i in 0..self.stack.len() {
            if let Loc::Reg(r) = self.stack[i].loc {
                if set & r.bit() != 0 {
                    let saved = self.reserved;
                    self.reserved |= set;
                    let pool = if r.is_fpr() { M::FPRS } else { M::GPRS };
                    let busy = self.used | self.reserved;
                    match pool.iter().find(|n| busy & n.bit() == 0) {
                        Some(n) => {
                            self.masm.mov(self.stack[i].kind, *n, r);
                            self.free(r);
                            self.used |= n.bit();
                            self.stack[i].loc = Loc::Reg(*n);
                        }
                        None => self.spill_entry(i),
                    }
                    self.reserved = saved;
                }
            }
        }
    }

    pub fn pop(&mut self) -> Entry {
        self.stack.pop().expect("validated: operand present")
    }

    /// Pops the top operand into a register the caller owns.
    pub fn pop_reg(&mut self) -> Reg {
        let depth = self.stack.len() - 1;
        let e = self.pop();
        self.materialize(e, depth)
    }

    /// Puts entry `e` (popped from `depth`) into a register the caller owns.
    pub fn materialize(&mut self, e: Entry, depth: usize) -> Reg {
        match e.loc {
            Loc::Reg(r) => r,
            Loc::Const(bits) => {
                let r = self.alloc_for(e.kind);
                self.masm.mov_const(e.kind, r, bits);
                r
            }
            Loc::Local(l) => {
                let r = self.alloc_for(e.kind);
                self.read_local(e.kind, l, r);
                r
            }
            Loc::Home => {
                let r = self.alloc_for(e.kind);
                self.masm.load(LoadKind::Full(e.kind), r, self.home(depth));
                r
            }
            Loc::Flags(c) => {
                let r = self.alloc(false);
                self.masm.set_cond(c, r);
                r
            }
        }
    }

    /// Pops the top operand for reading: constants stay constants and
    /// locals in registers are read in place.
    pub fn pop_src(&mut self) -> Src {
        let depth = self.stack.len() - 1;
        let e = self.pop();
        match e.loc {
            Loc::Const(bits) => Src::Const(bits),
            Loc::Local(l) => match self.local_homes[l as usize] {
                LocalHome::Reg(r) => Src::Fixed(r),
                LocalHome::Frame(_) => Src::Temp(self.materialize(e, depth)),
            },
            _ => Src::Temp(self.materialize(e, depth)),
        }
    }

    /// A source in a register (constants materialised).
    pub fn src_reg(&mut self, s: Src, kind: Kind) -> Src {
        match s {
            Src::Const(bits) => {
                let r = self.alloc_for(kind);
                self.masm.mov_const(kind, r, bits);
                Src::Temp(r)
            }
            other => other,
        }
    }

    /// A register the caller owns holding `s` (copied from a fixed one).
    pub fn owned(&mut self, s: Src, kind: Kind) -> Reg {
        match self.src_reg(s, kind) {
            Src::Temp(r) => r,
            Src::Fixed(f) => {
                let r = self.alloc_for(kind);
                self.masm.mov(kind, r, f);
                r
            }
            Src::Const(_) => unreachable!(),
        }
    }

    /// Drops entries down to `height`, releasing their registers.
    pub fn truncate(&mut self, height: usize) {
        while self.stack.len() > height {
            if let Loc::Reg(r) = self.pop().loc {
                self.free(r);
            }
        }
    }
}

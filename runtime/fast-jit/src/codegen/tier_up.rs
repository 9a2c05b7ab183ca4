//! Tier-up in Fast JIT code (format-spec SPEC.md 5, "Tier-up entries"):
//! the function's entry and every loop header count down a counter the
//! runtime owns (an outermost loop also checks whether the runtime armed
//! it); the out-of-line stub at zero calls the runtime's hook,
//! and at a loop whose operand stack is empty, a non-zero answer is an OSR
//! entry of LLVM code: the stub stores the locals into their area (laid
//! out as the entry's buffer), calls it and returns its results.

use super::stack::{self, LocalHome};
use super::FuncGen;
use crate::masm::*;
use kiln_format::osr::NO_LOOP;

impl<M: MacroAssembler> FuncGen<'_, M> {
    /// Counts one entry or loop iteration towards tier-up; at zero, calls
    /// the runtime's hook (with the value stack spilled, as at a loop
    /// header or the entry) with the ordinal of this loop (`here`) and of
    /// the loop whose OSR entry to ask for (`outer`), `NO_LOOP` where there
    /// is none.
    pub fn count_hotness(&mut self, here: u32, outer: u32) {
        self.count_loop(here, outer, false);
    }

    /// [`Self::count_hotness`] at a loop header; with `has_inner`, the
    /// loop holds other loops.
    pub fn count_loop(&mut self, here: u32, outer: u32, has_inner: bool) {
        let Some(t) = self.tier_up else { return };
        let (hot, resume) = (self.masm.new_label(), self.masm.new_label());
        self.masm
            .count_down(t.counters + 4 * self.index as usize, hot);
        if here != NO_LOOP && here == outer && has_inner {
            // The counter rarely runs out exactly here when inner loops
            // count too: once this loop's entry exists, the runtime arms it.
            self.masm
                .jump_if_u32_eq(t.armed + 4 * self.index as usize, here, hot);
        }
        self.masm.bind(resume);
        self.hot_stubs.push((hot, resume, here, outer));
    }

    /// The out-of-line calls of the tier-up hook, after the function's
    /// code: nothing but the pinned locals is in registers where the
    /// counters are (the stack is spilled), so each stub saves those,
    /// calls, restores them and jumps back, unless it moves to OSR code.
    pub(super) fn emit_hot_stubs(&mut self) {
        let Some(t) = self.tier_up else { return };
        let layout = M::call_layout(&[Kind::I64, Kind::I32, Kind::I32, Kind::I32]);
        let [ArgLoc::Reg(vmctx), ArgLoc::Reg(index), ArgLoc::Reg(here_arg), ArgLoc::Reg(outer_arg)] =
            layout.args[..]
        else {
            unreachable!("the first four arguments are in registers")
        };
        for (hot, resume, here, outer) in std::mem::take(&mut self.hot_stubs) {
            self.masm.bind(hot);
            self.save_call_pins();
            self.masm.mov(Kind::I64, vmctx, M::VMCTX);
            self.masm.mov_const(Kind::I32, index, self.index as u128);
            self.masm.mov_const(Kind::I32, here_arg, here as u128);
            self.masm.mov_const(Kind::I32, outer_arg, outer as u128);
            self.masm.call_abs(t.hook);
            self.restore_call_pins();
            if here != NO_LOOP {
                self.masm.int_test(true, M::RET_GPR);
                self.masm.jump_if(Cond::Eq, resume);
                self.enter_osr();
            } else {
                self.masm.jump(resume);
            }
        }
    }

    /// Calls the OSR entry whose address the hook returned (in the result
    /// register) with the locals, and returns what it returns.
    fn enter_osr(&mut self) {
        let entry = M::CALL_TARGET;
        self.masm.mov(Kind::I64, entry, M::RET_GPR);
        let mut area = kiln_format::osr::OsrLocals::default();
        for (kind, home) in self.local_kinds.iter().zip(&self.local_homes) {
            let at = self.locals_base + area.place(*kind == Kind::V128) as i32;
            if let LocalHome::Reg(r) = *home {
                self.masm.store(stack::width(*kind), Mem::at(M::FP, at), r);
            }
        }
        let multi = self.results.len() > 1;
        let args: &[Kind] = if multi {
            &[Kind::I64, Kind::I64, Kind::I64]
        } else {
            &[Kind::I64, Kind::I64]
        };
        let layout = M::call_layout(args);
        let regs: Vec<Reg> = layout
            .args
            .iter()
            .map(|a| match a {
                ArgLoc::Reg(r) => *r,
                ArgLoc::Stack(_) => unreachable!("three pointers go in registers"),
            })
            .collect();
        debug_assert!(
            !regs.contains(&entry),
            "the entry is not an argument register"
        );
        self.masm.mov(Kind::I64, regs[0], M::VMCTX);
        self.masm.lea(regs[1], Mem::at(M::FP, self.locals_base));
        if multi {
            self.masm.load(
                LoadKind::Full(Kind::I64),
                regs[2],
                Mem::at(M::FP, self.ret_area_slot),
            );
        }
        self.masm.call_reg(entry);
        self.masm.jump(self.epilogue);
    }
}

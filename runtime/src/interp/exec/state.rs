//! The executor's state: what the handlers keep in registers ([`Regs`]),
//! the rest of the running activation ([`State`]), and how an activation
//! ends, by returning or trapping.

use super::frame::Frame;
use super::memory::View;
use super::ExecEnv;
use crate::error::Trap;
use crate::instance::InstanceEntity;
use crate::interp::code::Op;
use crate::interp::trace;
use crate::vm::LinearMemory;

/// The executor's state that is not in the handlers' registers.
pub(super) struct State<'e, 'a> {
    pub(super) env: &'e mut ExecEnv<'a>,
    /// The running function's code, constant pool and instance, and the
    /// instance's memory (null when it has none).
    pub(super) code: *const Op,
    pub(super) consts: *const u128,
    pub(super) inst: *mut InstanceEntity,
    pub(super) mem: *mut LinearMemory,
    /// The suspended callers of this activation.
    pub(super) frames: Vec<Frame>,
    /// Frame records allowed at most (the caller's `ExecEnv::max_frames`).
    pub(super) max_frames: usize,
    pub(super) stack_end: *mut u64,
    /// Set when the activation has finished: returned or trapped.
    pub(super) done: Option<Result<(), Trap>>,
    /// The registers, saved by a handler that returns to the loop in
    /// `execute` (debug builds only).
    pub(super) regs: Regs,
    #[cfg(feature = "interp-stats")]
    pub(super) executed: u64,
    /// Executed (op, next op) pairs, by `prev * OpCode::COUNT + next`.
    #[cfg(feature = "interp-stats")]
    pub(super) pairs: Vec<u64>,
    #[cfg(feature = "interp-stats")]
    pub(super) prev: usize,
}

impl State<'_, '_> {
    /// The running function's state, stopped at `pc` with frame `fp` (the
    /// record a call pushes for its caller).
    #[inline(always)]
    pub(super) fn caller(&self, pc: *const Op, fp: *mut u64) -> Frame {
        Frame {
            code: self.code,
            consts: self.consts,
            pc,
            fp,
            inst: self.inst,
        }
    }
}

#[cfg(feature = "interp-stats")]
impl State<'_, '_> {
    /// Counts op `next`, executed after the previous one.
    pub(super) fn count(&mut self, next: crate::interp::code::OpCode) {
        use crate::interp::code::OpCode;
        self.executed += 1;
        if self.pairs.is_empty() {
            self.pairs = vec![0; OpCode::COUNT * OpCode::COUNT];
        }
        let next = next as usize;
        self.pairs[self.prev * OpCode::COUNT + next] += 1;
        self.prev = next;
    }

    /// Prints the ops executed and the most frequent pairs, to stderr.
    fn report(&self) {
        use crate::interp::code::OpCode;
        eprintln!("kiln: interpreter ops executed: {}", self.executed);
        let name = |i: usize| {
            // SAFETY: `OpCode` is `repr(u16)` with the values `0..COUNT`.
            unsafe { std::mem::transmute::<u16, OpCode>(i as u16) }
        };
        let mut top: Vec<(u64, usize)> = (self.pairs.iter().copied())
            .zip(0..)
            .filter(|p| p.0 > 0)
            .collect();
        top.sort_unstable_by(|a, b| b.cmp(a));
        for (n, i) in top.into_iter().take(40) {
            let (a, b) = (i / OpCode::COUNT, i % OpCode::COUNT);
            eprintln!("{n:>12} {:?} -> {:?}", name(a), name(b));
        }
    }
}

/// The running function's state the handlers keep in registers.
#[derive(Clone, Copy)]
pub(super) struct Regs {
    pub(super) pc: *const Op,
    pub(super) fp: *mut u64,
    pub(super) view: View,
}

/// What a handler returns: nothing, once the activation has finished (or,
/// in debug builds, after each op).
#[must_use]
pub(super) struct Done(pub(super) ());

/// Ends the activation with `trap`, raised just before `pc`.
/// Generic so that a handler passes a bare `TrapCode` in a register, and
/// needs no stack frame for the trap on its hot path.
///
/// # Safety
/// `pc` must lie in the running function's code.
#[cold]
#[inline(never)]
pub(super) unsafe fn trap_at<T: Into<Trap>>(
    st: &mut State<'_, '_>,
    pc: *const Op,
    trap: T,
) -> Done {
    // SAFETY: the caller's guarantee; `st` describes this activation.
    let trap = unsafe { trace::trapped(trap.into(), st.code, pc, st.inst, &st.frames) };
    #[cfg(feature = "interp-stats")]
    st.report();
    st.done = Some(Err(trap));
    Done(())
}

/// Ends the activation: the outermost function returned.
#[cold]
pub(super) fn finish(st: &mut State<'_, '_>) -> Done {
    #[cfg(feature = "interp-stats")]
    st.report();
    st.done = Some(Ok(()));
    Done(())
}

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
    pub(super) stack_end: *mut u64,
    /// Set when the activation has finished: returned or trapped.
    pub(super) done: Option<Result<(), Trap>>,
    /// The registers, saved by a handler that returns to the loop in
    /// `execute` (debug builds only).
    pub(super) regs: Regs,
    #[cfg(feature = "interp-stats")]
    pub(super) executed: u64,
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
    st.done = Some(Err(trap));
    Done(())
}

/// Ends the activation: the outermost function returned.
#[cold]
pub(super) fn finish(st: &mut State<'_, '_>) -> Done {
    #[cfg(feature = "interp-stats")]
    eprintln!("kiln: interpreter ops executed: {}", st.executed);
    st.done = Some(Ok(()));
    Done(())
}

//! Entering the executor from the host: [`execute`] sets up the state of
//! an activation and runs handlers until it returns or traps.

use super::frame::{compiled, memory_of, view_of, zero_locals};
use super::host::HostBuffers;
use super::state::{Done, Regs, State};
use super::TABLE;
use crate::error::Trap;
use crate::func::{FuncEntity, FuncKind};
use crate::interp::code::Op;
use crate::store::StoreOpaque;
use kiln_format::TrapCode;

/// What one activation of the executor needs from its caller.
pub(crate) struct ExecEnv<'a> {
    pub store: *mut StoreOpaque,
    pub erased: *mut (),
    pub host: &'a mut HostBuffers,
    pub max_frames: usize,
}

/// Runs wasm function `entry` with its arguments in `stack[0..]`, leaving
/// its results there.
///
/// # Safety
/// `env` must describe the live store owning `entry`; `entry` must be a wasm
/// function; no reference into the store may be live during the call.
pub(crate) unsafe fn execute(
    env: &mut ExecEnv<'_>,
    entry: *const FuncEntity,
    stack: &mut [u64],
) -> Result<(), Trap> {
    // SAFETY: the caller guarantees a live wasm `entry` of the store in
    // `env`. From there on the translator's output is trusted: every slot
    // an op names lies in its frame (`frame_size`, checked against the
    // stack at each call), every branch target and `Arg` word lies in its
    // code, every function, table, global and segment index exists in its
    // instance, and memory ops appear only when the instance has a memory.
    // The handlers' `pc`, `fp` and `view` and the state's `code`, `consts`,
    // `inst` and `mem` always describe the running function, refreshed
    // after each call, return and `memory.grow`.
    unsafe {
        let FuncKind::Wasm {
            instance,
            def_index,
        } = (*entry).kind
        else {
            unreachable!("execute on a host function")
        };
        let cf = compiled(instance, def_index)?;
        if (*cf).frame_size as usize > stack.len() {
            return Err(TrapCode::StackOverflow.into());
        }
        let fp = stack.as_mut_ptr();
        zero_locals(fp, &*cf);
        let code: *const Op = (*cf).code.as_ptr();
        let mem = memory_of(instance);
        let mut regs = Regs {
            pc: code,
            fp,
            view: view_of(mem),
        };
        let max_frames = env.max_frames;
        let mut st = State {
            env,
            code,
            consts: (*cf).consts.as_ptr(),
            inst: instance,
            mem,
            max_frames,
            frames: Vec::with_capacity(64),
            stack_end: fp.add(stack.len()),
            done: None,
            regs,
            #[cfg(feature = "interp-stats")]
            executed: 0,
            #[cfg(feature = "interp-stats")]
            pairs: Vec::new(),
            #[cfg(feature = "interp-stats")]
            prev: 0,
        };
        loop {
            let h = TABLE[(*regs.pc).code() as usize];
            let Done(()) = h(regs.pc, regs.fp, regs.view.base, regs.view.len, &mut st);
            if let Some(outcome) = st.done.take() {
                return outcome;
            }
            regs = st.regs;
        }
    }
}

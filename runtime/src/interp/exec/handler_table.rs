//! The table of op handlers the executor jumps through, indexed by op
//! code; the handlers themselves are written by `dispatch!` in `mod.rs`.

use super::state::{Done, State};
use super::{handler_of, Op, OpCode};

/// An op's handler: `(pc, fp, memory base, memory length, state)`.
pub(super) type Handler =
    unsafe fn(*const Op, *mut u64, *mut u8, usize, &mut State<'_, '_>) -> Done;

/// The handler of each op code, indexed by the op's tag.
pub(super) static TABLE: [Handler; OpCode::COUNT] = {
    let mut t = [arg_word as Handler; OpCode::COUNT];
    let mut i = 0;
    while i < OpCode::COUNT {
        // SAFETY: `OpCode` is `repr(u16)` with the values `0..COUNT`.
        t[i] = handler_of(unsafe { std::mem::transmute::<u16, OpCode>(i as u16) });
        i += 1;
    }
    t
};

/// The handler of `Arg` words, which are skipped by their op.
pub(super) unsafe fn arg_word(
    _: *const Op,
    _: *mut u64,
    _: *mut u8,
    _: usize,
    _: &mut State<'_, '_>,
) -> Done {
    unreachable!("Arg words are skipped by their op")
}

//! The out-of-line general paths of the ops whose handlers do the common
//! case themselves (returns and calls): see `dispatch!`'s `slow` lists.

// The paths are written in the handlers' terms (the same helpers, macros
// and family modules as `mod.rs`).
use super::*;

dispatch! {
    slow (pc, fp, view, st) {
        return_slow: Return {} => match st.frames.pop() {
            None => return finish(st),
            Some(f) => resume!(f),
        },
        return_slot_slow: ReturnSlot { .. } => match st.frames.pop() {
            None => return finish(st),
            Some(f) => resume!(f),
        },
        // A callee with many initial slots (copied by a call), or one not
        // cached yet.
        call_slow: Call { func, base } => call_cached!((pc, fp, st), func, base, calls::push_any, {
            calls::remember_callee(st.inst, func);
            enter!(calls::callee(st.inst, func), base)
        }),
    }
}

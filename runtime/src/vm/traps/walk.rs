//! Walking the wasm frames of a trap, from where it was raised out to the
//! host's entry, by frame pointer (every compiled tier keeps `rbp` as a
//! frame pointer: `push rbp; mov rbp, rsp` in each function and
//! trampoline).
//!
//! The walk starts at the trapping frame: for a fault, the signal
//! context's pc and rbp; for a trap raised by a runtime function that
//! compiled code called, the first caller outside Rust code, found with
//! the system unwinder (Rust frames have unwind tables; the unwinder gives
//! that caller's pc and rbp as they were at the call). It then follows the
//! saved frame pointers while the pc lies in registered code
//! ([`super::code_map`]), and stops at the first that does not. Each frame
//! pointer is checked to lie on this thread's stack between the walk's own
//! frame and the entry's stack pointer, and to grow: a broken chain ends
//! the walk, it never reads outside the stack.

use super::code_map::{Code, CompiledFrames, Reader};
use std::ffi::{c_int, c_void};

/// `_Unwind_Context` of the system unwinder (opaque).
#[repr(C)]
struct UnwindContext {
    _opaque: [u8; 0],
}

const URC_NO_REASON: c_int = 0;
const URC_NORMAL_STOP: c_int = 4;
/// DWARF register number of rbp on x86-64.
const DWARF_RBP: c_int = 6;
/// Rust frames the unwinder passes before giving up on finding wasm code.
const MAX_HOST_FRAMES: usize = 64;

extern "C" {
    fn _Unwind_Backtrace(
        trace: extern "C" fn(*mut UnwindContext, *mut c_void) -> c_int,
        arg: *mut c_void,
    ) -> c_int;
    fn _Unwind_GetIP(ctx: *mut UnwindContext) -> usize;
    fn _Unwind_GetGR(ctx: *mut UnwindContext, index: c_int) -> usize;
}

/// What the unwinder's callback looks for and finds.
struct Search<'a> {
    reader: &'a Reader,
    seen: usize,
    found: Option<(usize, usize)>,
}

extern "C" fn visit(ctx: *mut UnwindContext, arg: *mut c_void) -> c_int {
    // SAFETY: `arg` is the `Search` passed to `_Unwind_Backtrace` below,
    // live for its call; `ctx` is the unwinder's context for this frame.
    unsafe {
        let search = &mut *(arg as *mut Search<'_>);
        let pc = _Unwind_GetIP(ctx);
        if search.reader.lookup(pc.wrapping_sub(1)).is_some() {
            search.found = Some((pc, _Unwind_GetGR(ctx, DWARF_RBP)));
            return URC_NORMAL_STOP;
        }
        search.seen += 1;
        if search.seen > MAX_HOST_FRAMES {
            return URC_NORMAL_STOP;
        }
    }
    URC_NO_REASON
}

/// The wasm frames below `entry_sp`, from the innermost caller of the
/// current Rust code that lies in registered code.
pub(super) fn from_here(entry_sp: usize) -> CompiledFrames {
    let reader = Reader::new();
    let mut search = Search {
        reader: &reader,
        seen: 0,
        found: None,
    };
    // SAFETY: `visit` only reads the context through the unwinder's API
    // and writes to `search`, which outlives the call.
    unsafe { _Unwind_Backtrace(visit, &mut search as *mut Search<'_> as *mut c_void) };
    match search.found {
        Some((pc, fp)) => walk(&reader, pc, fp, false, entry_sp),
        None => CompiledFrames::default(),
    }
}

/// The wasm frames below `entry_sp`, from a fault at `pc` with frame
/// pointer `fp`.
pub(super) fn from_fault(pc: usize, fp: usize, entry_sp: usize) -> CompiledFrames {
    walk(&Reader::new(), pc, fp, true, entry_sp)
}

/// Follows the frame pointers from (`pc`, `fp`); `fault`: the first pc is
/// the faulting instruction, not a return address.
fn walk(
    reader: &Reader,
    mut pc: usize,
    mut fp: usize,
    fault: bool,
    entry_sp: usize,
) -> CompiledFrames {
    let marker = 0u8;
    let low = std::ptr::addr_of!(marker) as usize;
    let mut frames = Vec::new();
    let mut exact = fault;
    // The function whose OSR entry the last wasm frame was: its caller is
    // the same activation in a lower tier, waiting for the entry's result,
    // and is not a frame of its own.
    let mut continued = None;
    loop {
        let at = if exact { pc } else { pc.wrapping_sub(1) };
        match reader.lookup(at) {
            Some(Code::Wasm(map, here, osr)) => {
                let outer = here.last().map(|&(func, _)| func);
                let transferred = continued
                    .take()
                    .is_some_and(|f| here.len() == 1 && outer == Some(f));
                if !transferred {
                    frames.extend(here.into_iter().map(|(func, o)| (map.clone(), func, o)));
                }
                if osr {
                    continued = outer;
                }
            }
            Some(Code::Other) => {}
            None => break,
        }
        exact = false;
        if fp < low || !fp.is_multiple_of(8) || fp.saturating_add(16) > entry_sp {
            break;
        }
        // SAFETY: `[fp, fp + 16)` lies on this thread's stack between the
        // walk's own frame and the entry's (checked above): mapped memory.
        let (next_fp, next_pc) = unsafe { (*(fp as *const usize), *((fp + 8) as *const usize)) };
        if next_fp <= fp {
            break;
        }
        (pc, fp) = (next_pc, next_fp);
    }
    CompiledFrames(frames)
}

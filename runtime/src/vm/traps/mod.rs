//! Trap handling for compiled code: unwinding to the host entry and
//! turning hardware faults inside wasm code into traps.
//!
//! A call from the host into compiled code goes through [`catch_traps`],
//! which records where to resume. A trap — an explicit call to
//! [`raise_trap`] from compiled code, or a fault (guard page, `ud2`) at a
//! pc inside registered wasm code — resumes there and the call returns the
//! trap code. Only compiled wasm frames and the plain frames of the entry
//! and trap functions (which own nothing that needs dropping) are skipped;
//! no Rust frame with pending destructors is ever jumped over.
//!
//! Before unwinding, the trap walks the wasm frames between its origin and
//! the entry ([`walk`]); the entry returns them with the trap code.

mod code_map;
mod code_ranges;

pub(crate) use code_map::{CodeMap, CompiledFrames, FuncCode, FuncSites, LateSites, Registration};
pub(crate) use code_ranges::CodeRange;
mod signals;
#[cfg(target_arch = "x86_64")]
mod unwind_x86_64;
#[cfg(target_arch = "x86_64")]
mod walk;

use kiln_format::TrapCode;
use std::cell::{Cell, RefCell};
use std::ptr;

#[cfg(target_arch = "x86_64")]
use unwind_x86_64::{call_catching, unwind, JmpBuf};

/// One active [`catch_traps`] on this thread.
struct Activation {
    jmp: JmpBuf,
    code: Cell<u32>,
    frames: RefCell<CompiledFrames>,
    prev: *const Activation,
}

/// A trap caught by [`catch_traps`]: its code and the compiled wasm frames
/// it unwound through, innermost first.
pub(crate) struct Caught {
    pub code: TrapCode,
    pub frames: CompiledFrames,
}

thread_local! {
    static CURRENT: Cell<*const Activation> = const { Cell::new(ptr::null()) };
}

/// Whether a trap raised now on this thread would be caught.
pub(crate) fn in_wasm() -> bool {
    CURRENT.with(|c| !c.get().is_null())
}

/// Runs `f`, returning the trap if compiled code trapped inside it.
///
/// # Safety
/// `f` must not hold values with destructors across calls into compiled
/// code: a trap resumes here without running them.
pub(crate) unsafe fn catch_traps<F: FnMut()>(mut f: F) -> Result<(), Caught> {
    signals::install();
    unsafe extern "C" fn call<F: FnMut()>(data: *mut u8) {
        // SAFETY: `data` is the `&mut F` passed below, live for this call.
        let f = unsafe { &mut *(data as *mut F) };
        f();
    }
    let act = Activation {
        jmp: JmpBuf::default(),
        code: Cell::new(0),
        frames: RefCell::default(),
        prev: CURRENT.with(|c| c.get()),
    };
    CURRENT.with(|c| c.set(&act));
    // SAFETY: `act.jmp` lives on this frame, which outlives the call; the
    // callee is the monomorphised `call::<F>` with a pointer to `f`.
    let code = unsafe {
        call_catching(
            &act.jmp as *const JmpBuf as *mut JmpBuf,
            call::<F>,
            &mut f as *mut F as *mut u8,
        )
    };
    CURRENT.with(|c| c.set(act.prev));
    match code {
        0 => Ok(()),
        c => Err(Caught {
            code: TrapCode::from_u32(c).unwrap_or(TrapCode::Unreachable),
            frames: act.frames.take(),
        }),
    }
}

/// Unwinds to the innermost [`catch_traps`] with `code`.
///
/// # Safety
/// Must be called (directly or from compiled code) inside `catch_traps` on
/// this thread, with no Rust frame owning resources between them.
pub(crate) unsafe fn raise_trap(code: TrapCode) -> ! {
    // SAFETY: the caller's guarantee.
    unsafe { raise_walked(code, walk::from_here) }
}

/// Unwinds to the innermost [`catch_traps`] with `code` and the frames
/// `walk` finds below the entry's stack pointer.
///
/// # Safety
/// As for [`raise_trap`]; `walk` returns, owning nothing left on its frame.
unsafe fn raise_walked(code: TrapCode, walk: impl FnOnce(usize) -> CompiledFrames) -> ! {
    let act = CURRENT.with(|c| c.get());
    assert!(!act.is_null(), "trap raised outside of wasm");
    // SAFETY: `act` is the live innermost activation (see `catch_traps`).
    unsafe {
        let frames = walk((*act).jmp.entry_sp());
        *(*act).frames.borrow_mut() = frames;
        (*act).code.set(code.as_u32());
        unwind(&(*act).jmp, code.as_u32())
    }
}

/// Unwinds to the innermost [`catch_traps`] with `code`, for a fault at
/// `pc` with frame pointer `fp` (see `signals`).
///
/// # Safety
/// As for [`raise_trap`].
unsafe fn raise_fault(code: TrapCode, pc: usize, fp: usize) -> ! {
    // SAFETY: the caller's guarantee.
    unsafe { raise_walked(code, |entry_sp| walk::from_fault(pc, fp, entry_sp)) }
}

/// The trap intrinsic compiled code calls: `kiln_rt_trap(vmctx, code)`.
///
/// # Safety
/// Called only by compiled wasm code running inside `catch_traps`.
pub(crate) unsafe extern "C" fn kiln_rt_trap(_vmctx: *mut u8, code: u32) -> ! {
    let code = TrapCode::from_u32(code).unwrap_or(TrapCode::Unreachable);
    // SAFETY: compiled code only runs inside `catch_traps`.
    unsafe { raise_trap(code) }
}

#[cfg(test)]
mod tests;

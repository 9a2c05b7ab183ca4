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

mod code_ranges;

pub(crate) use code_ranges::CodeRange;
mod signals;
#[cfg(target_arch = "x86_64")]
mod unwind_x86_64;

use kiln_format::TrapCode;
use std::cell::Cell;
use std::ptr;

#[cfg(target_arch = "x86_64")]
use unwind_x86_64::{call_catching, unwind, JmpBuf};

/// One active [`catch_traps`] on this thread.
struct Activation {
    jmp: JmpBuf,
    code: Cell<u32>,
    prev: *const Activation,
}

thread_local! {
    static CURRENT: Cell<*const Activation> = const { Cell::new(ptr::null()) };
}

/// Whether a trap raised now on this thread would be caught.
pub(crate) fn in_wasm() -> bool {
    CURRENT.with(|c| !c.get().is_null())
}

/// Runs `f`, returning the trap code if compiled code trapped inside it.
///
/// # Safety
/// `f` must not hold values with destructors across calls into compiled
/// code: a trap resumes here without running them.
pub(crate) unsafe fn catch_traps<F: FnMut()>(mut f: F) -> Result<(), TrapCode> {
    signals::install();
    unsafe extern "C" fn call<F: FnMut()>(data: *mut u8) {
        // SAFETY: `data` is the `&mut F` passed below, live for this call.
        let f = unsafe { &mut *(data as *mut F) };
        f();
    }
    let act = Activation {
        jmp: JmpBuf::default(),
        code: Cell::new(0),
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
        c => Err(TrapCode::from_u32(c).unwrap_or(TrapCode::Unreachable)),
    }
}

/// Unwinds to the innermost [`catch_traps`] with `code`.
///
/// # Safety
/// Must be called (directly or from compiled code) inside `catch_traps` on
/// this thread, with no Rust frame owning resources between them.
pub(crate) unsafe fn raise_trap(code: TrapCode) -> ! {
    let act = CURRENT.with(|c| c.get());
    assert!(!act.is_null(), "trap raised outside of wasm");
    // SAFETY: `act` is the live innermost activation (see `catch_traps`).
    unsafe {
        (*act).code.set(code.as_u32());
        unwind(&(*act).jmp, code.as_u32())
    }
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

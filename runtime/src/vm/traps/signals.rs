//! Signal handlers that turn faults inside wasm code into traps.
//!
//! On SIGSEGV/SIGBUS (a guard page), SIGILL (`ud2`) or SIGFPE at a pc in
//! registered wasm code, while a `catch_traps` is active on the thread, the
//! handler rewrites the interrupted context to "call" `trap_from_signal`
//! with the trap code, the faulting pc and its frame pointer, and returns;
//! the kernel then resumes there and the trap unwinds normally. Any other fault goes to the previous handler.

use super::code_ranges;
use kiln_format::TrapCode;
use std::cell::UnsafeCell;
use std::mem::MaybeUninit;
use std::sync::Once;

const SIGNALS: [libc::c_int; 4] = [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE];

/// The handlers that were installed before ours, to forward other faults to.
struct Previous(UnsafeCell<[MaybeUninit<libc::sigaction>; 4]>);

// SAFETY: written only once, inside `INSTALL`, before our handler can run;
// read-only afterwards.
unsafe impl Sync for Previous {}

static PREVIOUS: Previous = Previous(UnsafeCell::new([MaybeUninit::uninit(); 4]));
static INSTALL: Once = Once::new();

/// Installs the handlers once per process.
pub(super) fn install() {
    INSTALL.call_once(|| {
        for (i, sig) in SIGNALS.iter().enumerate() {
            // SAFETY: sigaction with a zeroed struct filled here; PREVIOUS
            // is written only inside this Once.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = handler as *const () as usize;
                action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_NODEFER;
                libc::sigemptyset(&mut action.sa_mask);
                let prev = (*PREVIOUS.0.get())[i].as_mut_ptr();
                libc::sigaction(*sig, &action, prev);
            }
        }
    });
}

/// Where a fault's context resumes: `code` is the trap, `pc` and `fp` the
/// faulting instruction and its frame pointer.
extern "C" fn trap_from_signal(code: u32, pc: usize, fp: usize) -> ! {
    let code = TrapCode::from_u32(code).unwrap_or(TrapCode::Unreachable);
    // SAFETY: we only get here from a fault in wasm code inside catch_traps.
    unsafe { super::raise_fault(code, pc, fp) }
}

fn code_for(sig: libc::c_int) -> TrapCode {
    match sig {
        libc::SIGILL => TrapCode::Unreachable,
        libc::SIGFPE => TrapCode::IntegerDivideByZero,
        _ => TrapCode::MemoryOutOfBounds,
    }
}

#[cfg(target_arch = "x86_64")]
unsafe fn redirect(ctx: *mut libc::c_void, sig: libc::c_int) -> bool {
    // SAFETY: the kernel passes a valid ucontext_t to SA_SIGINFO handlers.
    let uc = unsafe { &mut *(ctx as *mut libc::ucontext_t) };
    let gregs = &mut uc.uc_mcontext.gregs;
    let pc = gregs[libc::REG_RIP as usize] as usize;
    if !super::in_wasm() || !code_ranges::contains(pc) {
        return false;
    }
    let sp = gregs[libc::REG_RSP as usize] as usize;
    gregs[libc::REG_RSP as usize] = ((sp & !15) - 8) as i64;
    gregs[libc::REG_RDI as usize] = code_for(sig).as_u32() as i64;
    gregs[libc::REG_RSI as usize] = pc as i64;
    gregs[libc::REG_RDX as usize] = gregs[libc::REG_RBP as usize];
    gregs[libc::REG_RIP as usize] = trap_from_signal as *const () as usize as i64;
    true
}

#[cfg(not(target_arch = "x86_64"))]
unsafe fn redirect(_ctx: *mut libc::c_void, _sig: libc::c_int) -> bool {
    false
}

unsafe extern "C" fn handler(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    // SAFETY: see `redirect`; only atomics and thread-locals are touched.
    if unsafe { redirect(ctx, sig) } {
        return;
    }
    let i = SIGNALS.iter().position(|s| *s == sig).unwrap_or(0);
    // SAFETY: PREVIOUS[i] was filled by `install` before this handler could run.
    unsafe {
        let prev = (*PREVIOUS.0.get())[i].assume_init_ref();
        if prev.sa_flags & libc::SA_SIGINFO != 0 {
            let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                std::mem::transmute(prev.sa_sigaction);
            f(sig, info, ctx);
        } else if prev.sa_sigaction == libc::SIG_DFL || prev.sa_sigaction == libc::SIG_IGN {
            libc::sigaction(sig, prev, std::ptr::null_mut());
        } else {
            let f: extern "C" fn(libc::c_int) = std::mem::transmute(prev.sa_sigaction);
            f(sig);
        }
    }
}

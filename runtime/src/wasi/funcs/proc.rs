//! `proc_exit`, `proc_raise`, `sched_yield` and `random_get`.

use crate::error::Trap;
use crate::wasi::errno::Errno;
use crate::wasi::memory::GuestMemory;
use crate::wasi::{Args, CallResult, Fail, WasiCtx};

/// Ends the program: a trap that carries the exit status, which the
/// embedder reads with [`Trap::exit_status`].
pub fn proc_exit(_: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    Err(Fail::Trap(Trap::exit(a.u32(0) as i32)))
}

/// Signals are not part of a sandboxed program's world (the call was
/// dropped from later WASI versions); refused with `Nosys`.
pub fn proc_raise(_: &mut WasiCtx, _: &mut GuestMemory<'_>, _: &Args<'_>) -> CallResult {
    Err(Errno::Nosys.into())
}

pub fn sched_yield(_: &mut WasiCtx, _: &mut GuestMemory<'_>, _: &Args<'_>) -> CallResult {
    std::thread::yield_now();
    Ok(())
}

pub fn random_get(_: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let buf = mem.slice_mut(a.u32(0), a.u32(1))?;
    let mut done = 0;
    while done < buf.len() {
        let rest = &mut buf[done..];
        // SAFETY: `rest` is valid for `rest.len()` bytes of writes.
        let n = unsafe { libc::getrandom(rest.as_mut_ptr().cast(), rest.len(), 0) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e.into());
        }
        done += n as usize;
    }
    Ok(())
}

//! `clock_res_get` and `clock_time_get`, on the host's POSIX clocks.

use crate::wasi::errno::Errno;
use crate::wasi::memory::GuestMemory;
use crate::wasi::types::clock;
use crate::wasi::{Args, CallResult, WasiCtx};

/// The host clock of WASI clock `id`.
fn host_clock(id: u32) -> Result<libc::clockid_t, Errno> {
    Ok(match id {
        clock::REALTIME => libc::CLOCK_REALTIME,
        clock::MONOTONIC => libc::CLOCK_MONOTONIC,
        clock::PROCESS_CPUTIME => libc::CLOCK_PROCESS_CPUTIME_ID,
        clock::THREAD_CPUTIME => libc::CLOCK_THREAD_CPUTIME_ID,
        _ => return Err(Errno::Inval),
    })
}

/// Reads `f(clock)` as nanoseconds.
fn read(
    id: u32,
    f: unsafe extern "C" fn(libc::clockid_t, *mut libc::timespec) -> i32,
) -> Result<u64, Errno> {
    let c = host_clock(id)?;
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec to fill; `c` is a clock id the host knows.
    if unsafe { f(c, &mut ts) } != 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    Ok((ts.tv_sec as u64)
        .wrapping_mul(1_000_000_000)
        .wrapping_add(ts.tv_nsec as u64))
}

/// The current time of WASI clock `id`, in nanoseconds.
pub fn now(id: u32) -> Result<u64, Errno> {
    read(id, libc::clock_gettime)
}

pub fn clock_res_get(_: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let res = read(a.u32(0), libc::clock_getres)?;
    mem.put_u64(a.u32(1), res)?;
    Ok(())
}

pub fn clock_time_get(_: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let t = now(a.u32(0))?;
    mem.put_u64(a.u32(2), t)?;
    Ok(())
}

//! `poll_oneoff`: wait for clock deadlines and descriptor readiness.
//!
//! Clock subscriptions become one timeout; descriptor subscriptions go to
//! the host's `poll`. Regular files are always ready, as POSIX has it.

use super::clock::now;
use crate::wasi::errno::Errno;
use crate::wasi::fdtable::Handle;
use crate::wasi::memory::GuestMemory;
use crate::wasi::types::{eventtype, rights, size, SUBCLOCK_ABSTIME};
use crate::wasi::{Args, CallResult, WasiCtx};

/// One subscription, decoded.
enum Sub {
    /// Fires at `deadline` on the monotonic-or-given clock, as
    /// nanoseconds from now.
    Clock { userdata: u64, wait_ns: u64 },
    /// Readiness of a descriptor for reading (`write` false) or writing.
    Fd { userdata: u64, fd: u32, write: bool },
}

/// One event to report.
struct Event {
    userdata: u64,
    error: Errno,
    kind: u8,
    nbytes: u64,
}

fn decode(mem: &GuestMemory<'_>, ptr: u32) -> Result<Sub, Errno> {
    let userdata = mem.u64(ptr)?;
    let tag = mem.slice(ptr + 8, 1)?[0];
    match tag {
        eventtype::CLOCK => {
            let id = mem.u32(ptr + 16)?;
            let timeout = mem.u64(ptr + 24)?;
            let flags = mem.u16(ptr + 40)?;
            let wait_ns = if flags & SUBCLOCK_ABSTIME != 0 {
                timeout.saturating_sub(now(id)?)
            } else {
                now(id)?;
                timeout
            };
            Ok(Sub::Clock { userdata, wait_ns })
        }
        eventtype::FD_READ | eventtype::FD_WRITE => {
            let fd = mem.u32(ptr + 16)?;
            Ok(Sub::Fd {
                userdata,
                fd,
                write: tag == eventtype::FD_WRITE,
            })
        }
        _ => Err(Errno::Inval),
    }
}

fn write_event(mem: &mut GuestMemory<'_>, ptr: u32, e: &Event) -> Result<(), Errno> {
    let mut b = [0u8; size::EVENT as usize];
    b[0..8].copy_from_slice(&e.userdata.to_le_bytes());
    b[8..10].copy_from_slice(&(e.error as u16).to_le_bytes());
    b[10] = e.kind;
    b[16..24].copy_from_slice(&e.nbytes.to_le_bytes());
    mem.write(ptr, &b)
}

/// Bytes left to read in a regular file (0 for anything else).
fn readable_bytes(file: &std::fs::File) -> u64 {
    use std::io::Seek;
    let Ok(meta) = file.metadata() else { return 0 };
    let mut f = file;
    let pos = f.stream_position().unwrap_or(0);
    meta.len().saturating_sub(pos)
}

pub fn poll_oneoff(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let (subs_ptr, events_ptr, count) = (a.u32(0), a.u32(1), a.u32(2));
    if count == 0 {
        return Err(Errno::Inval.into());
    }
    mem.slice(
        subs_ptr,
        count.checked_mul(size::SUBSCRIPTION).ok_or(Errno::Fault)?,
    )?;
    mem.slice(
        events_ptr,
        count.checked_mul(size::EVENT).ok_or(Errno::Fault)?,
    )?;
    mem.slice(a.u32(3), 4)?;
    let subs = (0..count)
        .map(|i| decode(mem, subs_ptr + i * size::SUBSCRIPTION))
        .collect::<Result<Vec<_>, _>>()?;

    let mut events = Vec::new();
    // Descriptor subscriptions: immediate answers, or host fds to poll.
    let mut pollfds = Vec::new();
    let mut polled = Vec::new();
    for s in &subs {
        let Sub::Fd {
            userdata,
            fd,
            write,
        } = *s
        else {
            continue;
        };
        let kind = if write {
            eventtype::FD_WRITE
        } else {
            eventtype::FD_READ
        };
        let entry = match cx.fds.get(fd) {
            Ok(e) => e,
            Err(err) => {
                events.push(Event {
                    userdata,
                    error: err,
                    kind,
                    nbytes: 0,
                });
                continue;
            }
        };
        let needed = rights::POLL_FD_READWRITE;
        if entry.require(needed).is_err() {
            events.push(Event {
                userdata,
                error: Errno::Notcapable,
                kind,
                nbytes: 0,
            });
            continue;
        }
        match &entry.handle {
            Handle::File(f) => {
                let nbytes = if write { 0 } else { readable_bytes(f) };
                events.push(Event {
                    userdata,
                    error: Errno::Success,
                    kind,
                    nbytes,
                });
            }
            Handle::Dir(_) => {
                events.push(Event {
                    userdata,
                    error: Errno::Badf,
                    kind,
                    nbytes: 0,
                });
            }
            Handle::Stdio(raw) => {
                let events = if write { libc::POLLOUT } else { libc::POLLIN };
                pollfds.push(libc::pollfd {
                    fd: *raw,
                    events,
                    revents: 0,
                });
                polled.push((userdata, kind));
            }
        }
    }
    let timeout_ns = subs
        .iter()
        .filter_map(|s| match s {
            Sub::Clock { wait_ns, .. } => Some(*wait_ns),
            Sub::Fd { .. } => None,
        })
        .min();
    // Nothing is ready yet: wait for a stream or the earliest deadline.
    if events.is_empty() {
        let start = std::time::Instant::now();
        loop {
            let left_ns = timeout_ns.map(|t| t.saturating_sub(start.elapsed().as_nanos() as u64));
            if pollfds.is_empty() {
                if let Some(ns) = left_ns {
                    std::thread::sleep(std::time::Duration::from_nanos(ns));
                }
                break;
            }
            let ms = left_ns.map_or(-1, |ns| ns.div_ceil(1_000_000).min(i32::MAX as u64) as i32);
            // SAFETY: `pollfds` is a valid array of `pollfds.len()` entries.
            let n = unsafe { libc::poll(pollfds.as_mut_ptr(), pollfds.len() as _, ms) };
            if n < 0 {
                let e = std::io::Error::last_os_error();
                if e.kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e.into());
            }
            break;
        }
        for (p, &(userdata, kind)) in pollfds.iter().zip(&polled) {
            if p.revents != 0 {
                let error = if p.revents & libc::POLLNVAL != 0 {
                    Errno::Badf
                } else {
                    Errno::Success
                };
                events.push(Event {
                    userdata,
                    error,
                    kind,
                    nbytes: 0,
                });
            }
        }
    }
    // Clock subscriptions whose time has come.
    if events.is_empty() {
        for s in &subs {
            if let Sub::Clock { userdata, wait_ns } = *s {
                if Some(wait_ns) == timeout_ns {
                    events.push(Event {
                        userdata,
                        error: Errno::Success,
                        kind: eventtype::CLOCK,
                        nbytes: 0,
                    });
                }
            }
        }
    }
    for (i, e) in events.iter().enumerate() {
        write_event(mem, events_ptr + i as u32 * size::EVENT, e)?;
    }
    mem.put_u32(a.u32(3), events.len() as u32)?;
    Ok(())
}

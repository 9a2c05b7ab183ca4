//! Reading, writing and positioning descriptors: `fd_read`, `fd_write`,
//! `fd_pread`, `fd_pwrite`, `fd_seek`, `fd_tell`, plus `fd_close`,
//! `fd_sync`, `fd_datasync`, `fd_advise`, `fd_allocate`, `fd_renumber`.

use crate::wasi::errno::Errno;
use crate::wasi::fdtable::{Entry, Handle};
use crate::wasi::memory::GuestMemory;
use crate::wasi::types::rights;
use crate::wasi::{Args, CallResult, WasiCtx};
use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::os::unix::fs::FileExt;

/// The open file of `entry`: `Isdir` for a directory, `Spipe` for stdio.
fn file(entry: &Entry) -> Result<&File, Errno> {
    match &entry.handle {
        Handle::File(f) => Ok(f),
        Handle::Dir(_) => Err(Errno::Isdir),
        Handle::Stdio(_) => Err(Errno::Spipe),
    }
}

pub fn fd_read(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let entry = cx.fds.get_mut(a.u32(0))?;
    entry.require(rights::FD_READ)?;
    let iovs = mem.iovecs(a.u32(1), a.u32(2))?;
    let mut total: u32 = 0;
    for (buf, len) in iovs {
        let n = entry.read(mem.slice_mut(buf, len)?)?;
        total = total.saturating_add(n as u32);
        if n < len as usize {
            break;
        }
    }
    mem.put_u32(a.u32(3), total)?;
    Ok(())
}

pub fn fd_write(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let entry = cx.fds.get_mut(a.u32(0))?;
    entry.require(rights::FD_WRITE)?;
    let iovs = mem.iovecs(a.u32(1), a.u32(2))?;
    let n = if let [(buf, len)] = iovs[..] {
        entry.write(mem.slice(buf, len)?)?
    } else {
        entry.write(&mem.gather(&iovs)?)?
    };
    mem.put_u32(a.u32(3), n as u32)?;
    Ok(())
}

pub fn fd_pread(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let entry = cx.fds.get(a.u32(0))?;
    entry.require(rights::FD_READ | rights::FD_SEEK)?;
    let f = file(entry)?;
    let iovs = mem.iovecs(a.u32(1), a.u32(2))?;
    let mut offset = a.u64(3);
    let mut total: u32 = 0;
    for (buf, len) in iovs {
        let n = f.read_at(mem.slice_mut(buf, len)?, offset)?;
        total = total.saturating_add(n as u32);
        offset += n as u64;
        if n < len as usize {
            break;
        }
    }
    mem.put_u32(a.u32(4), total)?;
    Ok(())
}

pub fn fd_pwrite(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let entry = cx.fds.get(a.u32(0))?;
    entry.require(rights::FD_WRITE | rights::FD_SEEK)?;
    let f = file(entry)?;
    let iovs = mem.iovecs(a.u32(1), a.u32(2))?;
    let n = f.write_at(&mem.gather(&iovs)?, a.u64(3))?;
    mem.put_u32(a.u32(4), n as u32)?;
    Ok(())
}

pub fn fd_seek(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let (offset, whence) = (a.u64(1) as i64, a.u32(2));
    let entry = cx.fds.get(a.u32(0))?;
    let needed = if offset == 0 && whence == 1 {
        rights::FD_TELL
    } else {
        rights::FD_SEEK
    };
    entry.require(needed)?;
    let pos = match whence {
        0 => SeekFrom::Start(u64::try_from(offset).map_err(|_| Errno::Inval)?),
        1 => SeekFrom::Current(offset),
        2 => SeekFrom::End(offset),
        _ => return Err(Errno::Inval.into()),
    };
    let mut f = file(entry)?;
    let new = f.seek(pos)?;
    mem.put_u64(a.u32(3), new)?;
    Ok(())
}

pub fn fd_tell(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let entry = cx.fds.get(a.u32(0))?;
    entry.require(rights::FD_TELL)?;
    let mut f = file(entry)?;
    let pos = f.stream_position()?;
    mem.put_u64(a.u32(1), pos)?;
    Ok(())
}

pub fn fd_close(cx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    cx.fds.remove(a.u32(0))?;
    cx.listings.remove(&a.u32(0));
    Ok(())
}

/// `fsync` or `fdatasync` of the host descriptor behind `entry`.
fn sync(entry: &Entry, data_only: bool) -> CallResult {
    let fd = entry.raw_fd();
    // SAFETY: `fd` is an open descriptor owned by the table (or stdio).
    let r = unsafe {
        if data_only {
            libc::fdatasync(fd)
        } else {
            libc::fsync(fd)
        }
    };
    if r != 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    Ok(())
}

pub fn fd_sync(cx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let entry = cx.fds.get(a.u32(0))?;
    entry.require(rights::FD_SYNC)?;
    sync(entry, false)
}

pub fn fd_datasync(cx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let entry = cx.fds.get(a.u32(0))?;
    entry.require(rights::FD_DATASYNC)?;
    sync(entry, true)
}

/// A `posix_fadvise`/`posix_fallocate` result: 0 or an errno.
fn posix_result(code: i32) -> CallResult {
    if code == 0 {
        Ok(())
    } else {
        Err(Errno::from_host(code).into())
    }
}

pub fn fd_advise(cx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let entry = cx.fds.get(a.u32(0))?;
    entry.require(rights::FD_ADVISE)?;
    let advice = match a.u32(3) {
        0 => libc::POSIX_FADV_NORMAL,
        1 => libc::POSIX_FADV_SEQUENTIAL,
        2 => libc::POSIX_FADV_RANDOM,
        3 => libc::POSIX_FADV_WILLNEED,
        4 => libc::POSIX_FADV_DONTNEED,
        5 => libc::POSIX_FADV_NOREUSE,
        _ => return Err(Errno::Inval.into()),
    };
    let f = file(entry)?;
    let (offset, len) = (a.u64(1) as i64, a.u64(2) as i64);
    use std::os::fd::AsRawFd;
    // SAFETY: plain system call on an open descriptor.
    posix_result(unsafe { libc::posix_fadvise(f.as_raw_fd(), offset, len, advice) })
}

pub fn fd_allocate(cx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let entry = cx.fds.get(a.u32(0))?;
    entry.require(rights::FD_ALLOCATE)?;
    let f = file(entry)?;
    let (offset, len) = (a.u64(1), a.u64(2));
    if offset
        .checked_add(len)
        .is_none_or(|end| end > i64::MAX as u64)
    {
        return Err(Errno::Fbig.into());
    }
    use std::os::fd::AsRawFd;
    // SAFETY: plain system call on an open descriptor.
    posix_result(unsafe { libc::posix_fallocate(f.as_raw_fd(), offset as i64, len as i64) })
}

pub fn fd_renumber(cx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let (from, to) = (a.u32(0), a.u32(1));
    cx.fds.get(to)?;
    let entry = cx.fds.remove(from)?;
    cx.fds.replace(to, entry);
    let listing = cx.listings.remove(&from);
    cx.listings.remove(&to);
    if let Some(l) = listing {
        cx.listings.insert(to, l);
    }
    Ok(())
}

//! Descriptor state: `fd_fdstat_*`, `fd_filestat_*` and `fd_prestat_*`.

use crate::wasi::errno::Errno;
use crate::wasi::fdtable::Handle;
use crate::wasi::filestat::{time_sets, Filestat};
use crate::wasi::memory::GuestMemory;
use crate::wasi::types::{fdflags, rights, size};
use crate::wasi::{Args, CallResult, WasiCtx};

pub fn fd_fdstat_get(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let entry = cx.fds.get(a.u32(0))?;
    let mut b = [0u8; size::FDSTAT as usize];
    b[0] = entry.filetype();
    b[2..4].copy_from_slice(&entry.flags.to_le_bytes());
    b[8..16].copy_from_slice(&entry.base.to_le_bytes());
    b[16..24].copy_from_slice(&entry.inheriting.to_le_bytes());
    mem.write(a.u32(1), &b)?;
    Ok(())
}

pub fn fd_fdstat_set_flags(cx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let entry = cx.fds.get_mut(a.u32(0))?;
    entry.require(rights::FD_FDSTAT_SET_FLAGS)?;
    let flags = a.u32(1);
    let settable = (fdflags::APPEND | fdflags::NONBLOCK) as u32;
    if flags & !settable != 0 {
        // Linux cannot switch synchronous modes on an open descriptor.
        return Err(Errno::Notsup.into());
    }
    let fd = entry.raw_fd();
    // SAFETY: fcntl on an open descriptor.
    let host = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if host < 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    let mut new = host & !(libc::O_APPEND | libc::O_NONBLOCK);
    if flags & fdflags::APPEND as u32 != 0 {
        new |= libc::O_APPEND;
    }
    if flags & fdflags::NONBLOCK as u32 != 0 {
        new |= libc::O_NONBLOCK;
    }
    // SAFETY: as above.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, new) } != 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    entry.flags = (entry.flags & !(fdflags::APPEND | fdflags::NONBLOCK)) | flags as u16;
    Ok(())
}

pub fn fd_fdstat_set_rights(cx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let entry = cx.fds.get_mut(a.u32(0))?;
    let (base, inheriting) = (a.u64(1), a.u64(2));
    if base & !entry.base != 0 || inheriting & !entry.inheriting != 0 {
        return Err(Errno::Notcapable.into());
    }
    entry.base = base;
    entry.inheriting = inheriting;
    Ok(())
}

pub fn fd_filestat_get(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let entry = cx.fds.get(a.u32(0))?;
    entry.require(rights::FD_FILESTAT_GET)?;
    Filestat::of_fd(entry.raw_fd())?.write(mem, a.u32(1))?;
    Ok(())
}

pub fn fd_filestat_set_size(cx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let entry = cx.fds.get(a.u32(0))?;
    entry.require(rights::FD_FILESTAT_SET_SIZE)?;
    match &entry.handle {
        Handle::File(f) => Ok(f.set_len(a.u64(1))?),
        Handle::Dir(_) => Err(Errno::Isdir.into()),
        Handle::Stdio(_) => Err(Errno::Inval.into()),
    }
}

pub fn fd_filestat_set_times(
    cx: &mut WasiCtx,
    _: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> CallResult {
    let entry = cx.fds.get(a.u32(0))?;
    entry.require(rights::FD_FILESTAT_SET_TIMES)?;
    let (atim, mtim) = time_sets(a.u64(1), a.u64(2), a.u32(3) as u16)?;
    let times = [atim.timespec(), mtim.timespec()];
    // SAFETY: futimens on an open descriptor with two valid timespecs.
    if unsafe { libc::futimens(entry.raw_fd(), times.as_ptr()) } != 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    Ok(())
}

/// The guest name of preopened directory `fd`, or `Badf` when `fd` is not one.
fn preopen_name(cx: &WasiCtx, fd: u32) -> Result<&str, Errno> {
    cx.fds.get(fd)?.preopen.as_deref().ok_or(Errno::Badf)
}

pub fn fd_prestat_get(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let name = preopen_name(cx, a.u32(0))?;
    let mut b = [0u8; 8];
    b[4..8].copy_from_slice(&(name.len() as u32).to_le_bytes());
    mem.write(a.u32(1), &b)?;
    Ok(())
}

pub fn fd_prestat_dir_name(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> CallResult {
    let name = preopen_name(cx, a.u32(0))?;
    let len = a.u32(2) as usize;
    if len < name.len() {
        return Err(Errno::Nametoolong.into());
    }
    mem.write(a.u32(1), name.as_bytes())?;
    Ok(())
}

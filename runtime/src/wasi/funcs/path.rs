//! `path_*`: everything named by a path relative to a directory
//! descriptor. cap-std resolves each path inside its directory, so `..`
//! past the top, absolute paths and symlinks that lead out all fail
//! (`Notcapable` or `Perm`) instead of reaching the host's files.

use crate::wasi::errno::Errno;
use crate::wasi::fdtable::{Entry, Handle};
use crate::wasi::filestat::{time_sets, Filestat};
use crate::wasi::memory::GuestMemory;
use crate::wasi::types::{fdflags, oflags, rights, LOOKUP_SYMLINK_FOLLOW};
use crate::wasi::{Args, CallResult, WasiCtx};
use cap_fs_ext::{DirExt, FollowSymlinks, OpenOptionsFollowExt};
use cap_std::fs::{Dir, OpenOptions, OpenOptionsExt};
use std::os::unix::ffi::OsStrExt;

/// The directory of descriptor `fd`, which must have `right`, and the path
/// at `ptr`/`len`.
fn at<'a>(
    cx: &'a WasiCtx,
    mem: &'a GuestMemory<'_>,
    fd: u32,
    right: u64,
    ptr: u32,
    len: u32,
) -> Result<(&'a Dir, &'a str), Errno> {
    let entry = cx.fds.get(fd)?;
    let path = mem.str(ptr, len)?;
    entry.require(right)?;
    Ok((entry.dir()?, path))
}

pub fn path_create_directory(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> CallResult {
    let (dir, path) = at(
        cx,
        mem,
        a.u32(0),
        rights::PATH_CREATE_DIRECTORY,
        a.u32(1),
        a.u32(2),
    )?;
    Ok(dir.create_dir(path)?)
}

pub fn path_remove_directory(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> CallResult {
    let (dir, path) = at(
        cx,
        mem,
        a.u32(0),
        rights::PATH_REMOVE_DIRECTORY,
        a.u32(1),
        a.u32(2),
    )?;
    Ok(dir.remove_dir(path)?)
}

pub fn path_unlink_file(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let (dir, path) = at(
        cx,
        mem,
        a.u32(0),
        rights::PATH_UNLINK_FILE,
        a.u32(1),
        a.u32(2),
    )?;
    Ok(dir.remove_file(path)?)
}

pub fn path_filestat_get(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let (dir, path) = at(
        cx,
        mem,
        a.u32(0),
        rights::PATH_FILESTAT_GET,
        a.u32(2),
        a.u32(3),
    )?;
    let meta = if a.u32(1) & LOOKUP_SYMLINK_FOLLOW != 0 {
        dir.metadata(path)?
    } else {
        dir.symlink_metadata(path)?
    };
    Filestat::from_metadata(&meta).write(mem, a.u32(4))?;
    Ok(())
}

pub fn path_filestat_set_times(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
) -> CallResult {
    let (atim, mtim) = time_sets(a.u64(4), a.u64(5), a.u32(6) as u16)?;
    let (dir, path) = at(
        cx,
        mem,
        a.u32(0),
        rights::PATH_FILESTAT_SET_TIMES,
        a.u32(2),
        a.u32(3),
    )?;
    if a.u32(1) & LOOKUP_SYMLINK_FOLLOW != 0 {
        dir.set_times(path, atim.spec(), mtim.spec())?;
    } else {
        dir.set_symlink_times(path, atim.spec(), mtim.spec())?;
    }
    Ok(())
}

pub fn path_link(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let (from, old) = at(
        cx,
        mem,
        a.u32(0),
        rights::PATH_LINK_SOURCE,
        a.u32(2),
        a.u32(3),
    )?;
    let (to, new) = at(
        cx,
        mem,
        a.u32(4),
        rights::PATH_LINK_TARGET,
        a.u32(5),
        a.u32(6),
    )?;
    Ok(from.hard_link(old, to, new)?)
}

pub fn path_rename(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let (from, old) = at(
        cx,
        mem,
        a.u32(0),
        rights::PATH_RENAME_SOURCE,
        a.u32(1),
        a.u32(2),
    )?;
    let (to, new) = at(
        cx,
        mem,
        a.u32(3),
        rights::PATH_RENAME_TARGET,
        a.u32(4),
        a.u32(5),
    )?;
    Ok(from.rename(old, to, new)?)
}

/// `path_symlink(old_path, fd, new_path)`: a link at `new_path` whose
/// contents are `old_path`. An absolute target is refused (it could only
/// ever point outside the sandbox).
pub fn path_symlink(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let target = mem.str(a.u32(0), a.u32(1))?;
    let (dir, link) = at(cx, mem, a.u32(2), rights::PATH_SYMLINK, a.u32(3), a.u32(4))?;
    if target.starts_with('/') {
        return Err(Errno::Perm.into());
    }
    Ok(dir.symlink(target, link)?)
}

pub fn path_readlink(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let (dir, path) = at(cx, mem, a.u32(0), rights::PATH_READLINK, a.u32(1), a.u32(2))?;
    let target = dir.read_link_contents(path)?;
    let bytes = target.as_os_str().as_bytes().to_vec();
    let n = bytes.len().min(a.u32(4) as usize);
    mem.write(a.u32(3), &bytes[..n])?;
    mem.put_u32(a.u32(5), n as u32)?;
    Ok(())
}

/// `path_open(fd, dirflags, path, oflags, rights_base, rights_inheriting,
/// fdflags) -> fd`. The new descriptor's rights are those asked for, cut
/// down to what the directory lets its descendants have.
pub fn path_open(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let follow = a.u32(1) & LOOKUP_SYMLINK_FOLLOW != 0;
    let of = a.u32(4) as u16;
    let (base, inheriting, flags) = (a.u64(5), a.u64(6), a.u32(7) as u16);
    // A bad result pointer must fail before a descriptor is opened.
    mem.slice(a.u32(8), 4)?;
    let parent = cx.fds.get(a.u32(0))?;
    let mut needed = rights::PATH_OPEN;
    if of & oflags::CREAT != 0 {
        needed |= rights::PATH_CREATE_FILE;
    }
    if of & oflags::TRUNC != 0 {
        needed |= rights::PATH_FILESTAT_SET_SIZE;
    }
    let (dir, path) = at(cx, mem, a.u32(0), needed, a.u32(2), a.u32(3))?;
    // wasi-libc asks for what the directory's inheriting rights allow;
    // more than that is refused, as the witx says.
    if base & !parent.inheriting != 0 || inheriting & !parent.inheriting != 0 {
        return Err(Errno::Notcapable.into());
    }

    let is_dir = if of & oflags::DIRECTORY != 0 {
        if of & (oflags::CREAT | oflags::TRUNC) != 0 {
            return Err(Errno::Inval.into());
        }
        true
    } else if of & oflags::CREAT == 0 {
        let meta = if follow {
            dir.metadata(path)
        } else {
            dir.symlink_metadata(path)
        };
        meta.map(|m| m.is_dir()).unwrap_or(false)
    } else {
        false
    };
    let entry = if is_dir {
        if base & rights::WRITING & !rights::FD_DATASYNC != 0 || of & oflags::TRUNC != 0 {
            return Err(Errno::Isdir.into());
        }
        let d = if follow {
            dir.open_dir(path)?
        } else {
            dir.open_dir_nofollow(path)?
        };
        Entry {
            handle: Handle::Dir(d),
            base: base & rights::DIR,
            inheriting,
            flags,
            preopen: None,
        }
    } else {
        let write = base & rights::WRITING != 0 || of & oflags::TRUNC != 0;
        let mut opts = OpenOptions::new();
        opts.read(base & rights::READING != 0 || !write)
            .write(write || of & oflags::CREAT != 0)
            .append(flags & fdflags::APPEND != 0)
            .create(of & oflags::CREAT != 0 && of & oflags::EXCL == 0)
            .create_new(of & oflags::CREAT != 0 && of & oflags::EXCL != 0)
            .truncate(of & oflags::TRUNC != 0);
        if !follow {
            opts.follow(FollowSymlinks::No);
        }
        let mut custom = 0;
        for (bit, host) in [
            (fdflags::NONBLOCK, libc::O_NONBLOCK),
            (fdflags::DSYNC, libc::O_DSYNC),
            (fdflags::SYNC, libc::O_SYNC),
            (fdflags::RSYNC, libc::O_RSYNC),
        ] {
            if flags & bit != 0 {
                custom |= host;
            }
        }
        opts.custom_flags(custom);
        let file = dir.open_with(path, &opts)?.into_std();
        Entry {
            handle: Handle::File(file),
            base: base & rights::FILE,
            inheriting,
            flags,
            preopen: None,
        }
    };
    let fd = cx.fds.insert(entry)?;
    mem.put_u32(a.u32(8), fd)?;
    Ok(())
}

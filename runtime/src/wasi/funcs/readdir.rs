//! `fd_readdir`: a directory's entries as `dirent` records, resumable by
//! cookie. Entries are listed `.`, `..`, then by name, so a listing is the
//! same on every run. A listing is taken when the guest starts at cookie 0
//! and kept for the descriptor, so reading a large directory through a
//! small buffer lists it once, not once per call.

use crate::wasi::errno::Errno;
use crate::wasi::memory::GuestMemory;
use crate::wasi::types::{filetype, rights, size};
use crate::wasi::{Args, CallResult, WasiCtx};
use cap_std::fs::{Dir, MetadataExt};
use std::os::unix::ffi::OsStrExt;

/// One entry: inode, WASI file type, name.
pub(crate) struct DirEntry {
    ino: u64,
    filetype: u8,
    name: Vec<u8>,
}

/// The entries of `dir` in listing order.
fn entries(dir: &Dir) -> Result<Vec<DirEntry>, Errno> {
    let own = dir.dir_metadata()?;
    let mut out = vec![
        DirEntry {
            ino: own.ino(),
            filetype: filetype::DIRECTORY,
            name: b".".to_vec(),
        },
        DirEntry {
            ino: 0,
            filetype: filetype::DIRECTORY,
            name: b"..".to_vec(),
        },
    ];
    let mut rest = Vec::new();
    for e in dir.entries()? {
        let e = e?;
        let ft = e.file_type()?;
        let filetype = if ft.is_dir() {
            filetype::DIRECTORY
        } else if ft.is_file() {
            filetype::REGULAR_FILE
        } else if ft.is_symlink() {
            filetype::SYMBOLIC_LINK
        } else {
            filetype::UNKNOWN
        };
        let ino = e.metadata().map(|m| m.ino()).unwrap_or(0);
        rest.push(DirEntry {
            ino,
            filetype,
            name: e.file_name().as_bytes().to_vec(),
        });
    }
    rest.sort_by(|a, b| a.name.cmp(&b.name));
    out.extend(rest);
    Ok(out)
}

pub fn fd_readdir(cx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &Args<'_>) -> CallResult {
    let fd = a.u32(0);
    let entry = cx.fds.get(fd)?;
    entry.require(rights::FD_READDIR)?;
    let (buf, buf_len, cookie) = (a.u32(1), a.u32(2), a.u64(3));
    // Check the whole buffer first, so a bad one fails before any work.
    mem.slice(buf, buf_len)?;
    let dir = entry.dir()?;
    if cookie == 0 || !cx.listings.contains_key(&fd) {
        let list = entries(dir)?;
        cx.listings.insert(fd, list);
    }
    let list = &cx.listings[&fd];
    let mut bytes = Vec::new();
    for (i, e) in list
        .iter()
        .enumerate()
        .skip(cookie.min(usize::MAX as u64) as usize)
    {
        if bytes.len() >= buf_len as usize {
            break;
        }
        let mut rec = [0u8; size::DIRENT];
        rec[0..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
        rec[8..16].copy_from_slice(&e.ino.to_le_bytes());
        rec[16..20].copy_from_slice(&(e.name.len() as u32).to_le_bytes());
        rec[20] = e.filetype;
        bytes.extend_from_slice(&rec);
        bytes.extend_from_slice(&e.name);
    }
    // A record that does not fit is cut: the guest sees a full buffer
    // and asks again from that entry's cookie.
    bytes.truncate(buf_len as usize);
    mem.write(buf, &bytes)?;
    mem.put_u32(a.u32(4), bytes.len() as u32)?;
    Ok(())
}

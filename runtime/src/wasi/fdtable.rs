//! The guest's file descriptors: stdio, preopened directories, and what
//! `path_open` returns, each with its WASI rights and flags.

use super::errno::Errno;
use super::types::{filetype, rights};
use cap_std::fs::Dir;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, RawFd};

/// What a descriptor refers to.
pub enum Handle {
    /// Host file descriptor 0, 1 or 2, shared with the host process.
    Stdio(RawFd),
    /// An open file.
    File(File),
    /// A directory; paths are resolved inside it only.
    Dir(Dir),
}

/// One open descriptor.
pub struct Entry {
    /// What it refers to.
    pub handle: Handle,
    /// The rights of operations on it.
    pub base: u64,
    /// The most a descriptor opened through it may get.
    pub inheriting: u64,
    /// Its `fdflags`.
    pub flags: u16,
    /// For a preopened directory: the name the guest sees.
    pub preopen: Option<String>,
}

impl Entry {
    /// `Notcapable` unless the descriptor has every right in `needed`.
    pub fn require(&self, needed: u64) -> Result<(), Errno> {
        if self.base & needed == needed {
            Ok(())
        } else {
            Err(Errno::Notcapable)
        }
    }

    /// The directory, or `Notdir`.
    pub fn dir(&self) -> Result<&Dir, Errno> {
        match &self.handle {
            Handle::Dir(d) => Ok(d),
            _ => Err(Errno::Notdir),
        }
    }

    /// The host descriptor behind it.
    pub fn raw_fd(&self) -> RawFd {
        match &self.handle {
            Handle::Stdio(fd) => *fd,
            Handle::File(f) => f.as_raw_fd(),
            Handle::Dir(d) => d.as_raw_fd(),
        }
    }

    /// The WASI file type.
    pub fn filetype(&self) -> u8 {
        match &self.handle {
            Handle::Dir(_) => filetype::DIRECTORY,
            _ => host_filetype(self.raw_fd()),
        }
    }

    /// Reads into `buf` at the current position.
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        match &mut self.handle {
            Handle::File(f) => Ok(f.read(buf)?),
            Handle::Stdio(fd) => raw_io(|| {
                // SAFETY: `buf` is valid for `buf.len()` bytes of writes.
                unsafe { libc::read(*fd, buf.as_mut_ptr().cast(), buf.len()) }
            }),
            Handle::Dir(_) => Err(Errno::Isdir),
        }
    }

    /// Writes `data` at the current position (or the end, in append mode),
    /// unbuffered.
    pub fn write(&mut self, data: &[u8]) -> Result<usize, Errno> {
        match &mut self.handle {
            Handle::File(f) => Ok(f.write(data)?),
            Handle::Stdio(fd) => {
                let mut done = 0;
                while done < data.len() {
                    let rest = &data[done..];
                    done += raw_io(|| {
                        // SAFETY: `rest` is valid for `rest.len()` bytes of reads.
                        unsafe { libc::write(*fd, rest.as_ptr().cast(), rest.len()) }
                    })?;
                }
                Ok(done)
            }
            Handle::Dir(_) => Err(Errno::Isdir),
        }
    }
}

/// Runs a raw read/write call, retrying on EINTR.
fn raw_io(mut op: impl FnMut() -> isize) -> Result<usize, Errno> {
    loop {
        let n = op();
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e.into());
        }
    }
}

/// The WASI file type of host descriptor `fd`.
pub fn host_filetype(fd: RawFd) -> u8 {
    // SAFETY: `st` is plain data that fstat fills; an invalid fd only
    // makes fstat fail.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    if unsafe { libc::fstat(fd, &mut st) } != 0 {
        return filetype::UNKNOWN;
    }
    mode_filetype(st.st_mode)
}

/// The WASI file type of a `st_mode`.
pub fn mode_filetype(mode: u32) -> u8 {
    match mode & libc::S_IFMT {
        libc::S_IFREG => filetype::REGULAR_FILE,
        libc::S_IFDIR => filetype::DIRECTORY,
        libc::S_IFCHR => filetype::CHARACTER_DEVICE,
        libc::S_IFBLK => filetype::BLOCK_DEVICE,
        libc::S_IFLNK => filetype::SYMBOLIC_LINK,
        libc::S_IFSOCK => filetype::SOCKET_STREAM,
        _ => filetype::UNKNOWN,
    }
}

/// Descriptor number -> entry. Numbers are reused lowest-first, as POSIX
/// does.
#[derive(Default)]
pub struct FdTable {
    entries: BTreeMap<u32, Entry>,
}

impl FdTable {
    /// A table with stdin, stdout and stderr as descriptors 0, 1, 2.
    pub fn with_stdio() -> Self {
        let mut t = FdTable::default();
        for fd in 0..3 {
            t.entries.insert(
                fd as u32,
                Entry {
                    handle: Handle::Stdio(fd),
                    base: rights::STDIO,
                    inheriting: 0,
                    flags: 0,
                    preopen: None,
                },
            );
        }
        t
    }

    /// Adds `entry` under the lowest free number.
    pub fn insert(&mut self, entry: Entry) -> Result<u32, Errno> {
        let mut fd = 0u32;
        for &used in self.entries.keys() {
            if used != fd {
                break;
            }
            fd = fd.checked_add(1).ok_or(Errno::Mfile)?;
        }
        self.entries.insert(fd, entry);
        Ok(fd)
    }

    /// The entry of `fd`, or `Badf`.
    pub fn get(&self, fd: u32) -> Result<&Entry, Errno> {
        self.entries.get(&fd).ok_or(Errno::Badf)
    }

    /// The entry of `fd`, mutably, or `Badf`.
    pub fn get_mut(&mut self, fd: u32) -> Result<&mut Entry, Errno> {
        self.entries.get_mut(&fd).ok_or(Errno::Badf)
    }

    /// Removes `fd`, closing what it refers to (not the host's stdio).
    pub fn remove(&mut self, fd: u32) -> Result<Entry, Errno> {
        self.entries.remove(&fd).ok_or(Errno::Badf)
    }

    /// Puts `entry` at `fd`, replacing (and closing) what was there.
    pub fn replace(&mut self, fd: u32, entry: Entry) {
        self.entries.insert(fd, entry);
    }
}

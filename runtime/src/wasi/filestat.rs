//! The `filestat` structure, from a host `stat` or cap-std metadata, and
//! the `fstflags` time updates shared by the fd and path calls.

use super::errno::Errno;
use super::fdtable::mode_filetype;
use super::memory::GuestMemory;
use super::types::{filetype, fstflags, size};
use cap_std::fs::{Metadata, MetadataExt};

/// `filestat`: 64 bytes in the guest.
pub struct Filestat {
    dev: u64,
    ino: u64,
    filetype: u8,
    nlink: u64,
    size: u64,
    atim: u64,
    mtim: u64,
    ctim: u64,
}

/// Seconds plus nanoseconds as WASI's nanosecond timestamp.
fn ns(sec: i64, nsec: i64) -> u64 {
    (sec as u64)
        .wrapping_mul(1_000_000_000)
        .wrapping_add(nsec as u64)
}

impl Filestat {
    /// From a host `stat`.
    pub fn from_stat(st: &libc::stat) -> Filestat {
        Filestat {
            dev: st.st_dev,
            ino: st.st_ino,
            filetype: mode_filetype(st.st_mode),
            nlink: st.st_nlink,
            size: st.st_size as u64,
            atim: ns(st.st_atime, st.st_atime_nsec),
            mtim: ns(st.st_mtime, st.st_mtime_nsec),
            ctim: ns(st.st_ctime, st.st_ctime_nsec),
        }
    }

    /// From cap-std metadata (of a path inside a directory).
    pub fn from_metadata(m: &Metadata) -> Filestat {
        let ft = m.file_type();
        let filetype = if ft.is_dir() {
            filetype::DIRECTORY
        } else if ft.is_file() {
            filetype::REGULAR_FILE
        } else if ft.is_symlink() {
            filetype::SYMBOLIC_LINK
        } else {
            mode_filetype(m.mode())
        };
        Filestat {
            dev: m.dev(),
            ino: m.ino(),
            filetype,
            nlink: m.nlink(),
            size: m.len(),
            atim: ns(m.atime(), m.atime_nsec()),
            mtim: ns(m.mtime(), m.mtime_nsec()),
            ctim: ns(m.ctime(), m.ctime_nsec()),
        }
    }

    /// Of host descriptor `fd`.
    pub fn of_fd(fd: i32) -> Result<Filestat, Errno> {
        // SAFETY: `st` is plain data for fstat to fill.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: as above; an invalid fd only makes fstat fail.
        if unsafe { libc::fstat(fd, &mut st) } != 0 {
            return Err(std::io::Error::last_os_error().into());
        }
        Ok(Filestat::from_stat(&st))
    }

    /// Stores it at `ptr`.
    pub fn write(&self, mem: &mut GuestMemory<'_>, ptr: u32) -> Result<(), Errno> {
        let mut b = [0u8; size::FILESTAT as usize];
        b[0..8].copy_from_slice(&self.dev.to_le_bytes());
        b[8..16].copy_from_slice(&self.ino.to_le_bytes());
        b[16] = self.filetype;
        b[24..32].copy_from_slice(&self.nlink.to_le_bytes());
        b[32..40].copy_from_slice(&self.size.to_le_bytes());
        b[40..48].copy_from_slice(&self.atim.to_le_bytes());
        b[48..56].copy_from_slice(&self.mtim.to_le_bytes());
        b[56..64].copy_from_slice(&self.ctim.to_le_bytes());
        mem.write(ptr, &b)
    }
}

/// What to do with one timestamp.
#[derive(Clone, Copy)]
pub enum TimeSet {
    Keep,
    Now,
    At(u64),
}

/// The access and modification updates `flags` asks for (`Inval` when a
/// time is both given and "now").
pub fn time_sets(atim: u64, mtim: u64, flags: u16) -> Result<(TimeSet, TimeSet), Errno> {
    let one = |t: u64, given: u16, now: u16| match (flags & given != 0, flags & now != 0) {
        (true, true) => Err(Errno::Inval),
        (true, false) => Ok(TimeSet::At(t)),
        (false, true) => Ok(TimeSet::Now),
        (false, false) => Ok(TimeSet::Keep),
    };
    if flags & !(fstflags::ATIM | fstflags::ATIM_NOW | fstflags::MTIM | fstflags::MTIM_NOW) != 0 {
        return Err(Errno::Inval);
    }
    Ok((
        one(atim, fstflags::ATIM, fstflags::ATIM_NOW)?,
        one(mtim, fstflags::MTIM, fstflags::MTIM_NOW)?,
    ))
}

impl TimeSet {
    /// As a `timespec` for `futimens`.
    pub fn timespec(self) -> libc::timespec {
        match self {
            TimeSet::Keep => libc::timespec {
                tv_sec: 0,
                tv_nsec: libc::UTIME_OMIT,
            },
            TimeSet::Now => libc::timespec {
                tv_sec: 0,
                tv_nsec: libc::UTIME_NOW,
            },
            TimeSet::At(t) => libc::timespec {
                tv_sec: (t / 1_000_000_000) as i64,
                tv_nsec: (t % 1_000_000_000) as i64,
            },
        }
    }

    /// As cap-std's time specification (`None` keeps the time).
    pub fn spec(self) -> Option<cap_fs_ext::SystemTimeSpec> {
        match self {
            TimeSet::Keep => None,
            TimeSet::Now => Some(cap_fs_ext::SystemTimeSpec::SymbolicNow),
            TimeSet::At(t) => Some(cap_fs_ext::SystemTimeSpec::Absolute(
                cap_std::time::SystemTime::from_std(
                    std::time::UNIX_EPOCH + std::time::Duration::from_nanos(t),
                ),
            )),
        }
    }
}

//! An artifact file, open and mapped read-only: the loader checks it and
//! decodes its metadata through the mapping (so only the pages it reads
//! are faulted in), verifies its checksum by reading the file with
//! `pread` (so verifying faults in no mapped page), and maps the
//! prelinked image from it (`CodeImage::map_file`).

use std::fs::File;
use std::io;
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::ptr::NonNull;

use kiln_format::artifact::{ArtifactError, ChecksumStream};

use crate::LoadError;

/// Bytes read per `pread` while checksumming.
const CHUNK: usize = 64 << 10;

/// A file mapped private and read-only, owned with its descriptor.
#[derive(Debug)]
pub struct FileMap {
    file: File,
    /// Start of the mapping (dangling when `len` is 0).
    ptr: NonNull<u8>,
    /// The file's length, in bytes.
    len: usize,
}

// SAFETY: the mapping is read-only and owned; sharing its bytes across
// threads is sharing immutable memory.
unsafe impl Send for FileMap {}
// SAFETY: see `Send`.
unsafe impl Sync for FileMap {}

impl FileMap {
    /// Opens and maps the file at `path`.
    pub fn open(path: &Path) -> Result<FileMap, LoadError> {
        let io_error = |call, source| LoadError::Memory { call, source };
        let file = File::open(path).map_err(LoadError::File)?;
        let len = file.metadata().map_err(LoadError::File)?.len();
        let len = usize::try_from(len)
            .map_err(|_| io_error("mmap", io::Error::from(io::ErrorKind::FileTooLarge)))?;
        let mut map = FileMap {
            file,
            ptr: NonNull::dangling(),
            len: 0,
        };
        if len == 0 {
            return Ok(map);
        }
        use std::os::fd::AsRawFd;
        // SAFETY: a private read-only mapping of an open file at an address
        // of the kernel's choosing touches no existing memory.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                map.file.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(io_error("mmap", io::Error::last_os_error()));
        }
        map.ptr =
            NonNull::new(ptr.cast()).ok_or_else(|| io_error("mmap", io::Error::last_os_error()))?;
        map.len = len;
        Ok(map)
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `ptr..ptr + len` is our read-only mapping of the whole
        // file (or empty), alive as long as `self`.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }

    /// The open file.
    pub(crate) fn file(&self) -> &File {
        &self.file
    }

    /// The artifact checksum of the file (SPEC.md 4.10), `zero` counted as
    /// zero, read with `pread` rather than through the mapping.
    pub(crate) fn checksum(&self, zero: Range<usize>) -> Result<u64, ArtifactError> {
        let mut stream = ChecksumStream::new(zero);
        let mut buf = vec![0u8; CHUNK.min(self.len)];
        let mut at = 0;
        while at < self.len {
            let want = CHUNK.min(self.len - at);
            let n = match self.file.read_at(&mut buf[..want], at as u64) {
                Ok(0) => 0,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ArtifactError::BadElf(format!("cannot read the file: {e}"))),
            };
            if n == 0 {
                return Err(ArtifactError::BadElf(
                    "the file became shorter while it was read".into(),
                ));
            }
            stream.update(&buf[..n]);
            at += n;
        }
        Ok(stream.finish())
    }
}

impl Drop for FileMap {
    fn drop(&mut self) {
        if self.len != 0 {
            // SAFETY: we own this mapping; nothing borrows it after drop.
            unsafe { libc::munmap(self.ptr.as_ptr().cast(), self.len) };
        }
    }
}

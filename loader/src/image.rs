//! The one mapping that holds an artifact's code and constants: either
//! anonymous, created read+write, filled and relocated; or a private
//! mapping of a prelinked image straight from the artifact file, created
//! read-only, of which only the relocated pages are made writable (and
//! so copied by the kernel). Then it is sealed: the code region becomes
//! read+execute and the rest read-only. No page is ever writable and
//! executable at once. Dropping the image unmaps it.

use std::io;
use std::ops::Range;
use std::ptr::NonNull;

use crate::LoadError;

/// The system page size.
pub(crate) fn page_size() -> usize {
    // SAFETY: sysconf only reads a system constant.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(size)
        .ok()
        .filter(|s| s.is_power_of_two())
        .unwrap_or(4096)
}

/// An anonymous private mapping, owned.
#[derive(Debug)]
pub struct CodeImage {
    /// Start of the mapping (dangling when `len` is 0).
    ptr: NonNull<u8>,
    /// Length in bytes, a page multiple (0: nothing mapped).
    len: usize,
    /// Length of the executable region at the start.
    code_len: usize,
    /// Whether [`seal`](Self::seal) has run.
    sealed: bool,
    /// Whether the pages map a file (read-only until made writable).
    file_backed: bool,
}

// SAFETY: the mapping is owned by the image and, once sealed, never
// written again; before sealing, writes need `&mut self`. Sharing the
// addresses across threads is what the runtime does with compiled code.
unsafe impl Send for CodeImage {}
// SAFETY: see `Send`; `&self` only gives addresses and read access.
unsafe impl Sync for CodeImage {}

fn os_error(call: &'static str) -> LoadError {
    LoadError::Memory {
        call,
        source: io::Error::last_os_error(),
    }
}

impl CodeImage {
    /// Maps `len` bytes (a page multiple) read+write, zero-filled.
    pub(crate) fn map(len: usize) -> Result<CodeImage, LoadError> {
        let mut image = CodeImage {
            ptr: NonNull::dangling(),
            len: 0,
            code_len: 0,
            sealed: false,
            file_backed: false,
        };
        if len == 0 {
            return Ok(image);
        }
        // SAFETY: an anonymous private mapping at an address of the kernel's
        // choosing touches no existing memory.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(os_error("mmap"));
        }
        image.ptr = NonNull::new(ptr.cast()).ok_or_else(|| os_error("mmap"))?;
        image.len = len;
        Ok(image)
    }

    /// Maps `len` bytes (a page multiple) of `file` from `offset` (a page
    /// multiple), private and read-only. Pages past the end of the file
    /// must not be touched: the caller checks that none lies wholly past
    /// it.
    pub(crate) fn map_file(
        file: &std::fs::File,
        offset: u64,
        len: usize,
    ) -> Result<CodeImage, LoadError> {
        use std::os::fd::AsRawFd;
        let mut image = CodeImage::map(0)?;
        if len == 0 {
            return Ok(image);
        }
        let offset = libc::off_t::try_from(offset).map_err(|_| os_error("mmap"))?;
        // SAFETY: a private read-only mapping of an open file at an address
        // of the kernel's choosing touches no existing memory; writes to it
        // (after `writable`) go to private copies, never to the file.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                offset,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(os_error("mmap"));
        }
        image.ptr = NonNull::new(ptr.cast()).ok_or_else(|| os_error("mmap"))?;
        image.len = len;
        image.file_backed = true;
        Ok(image)
    }

    /// The image, writable in `range` (page-aligned): file-backed pages
    /// there are made read+write first. Only before sealing, and only
    /// `range` may be written.
    pub(crate) fn writable(&mut self, range: Range<usize>) -> Result<&mut [u8], LoadError> {
        assert!(!self.sealed && range.start <= range.end && range.end <= self.len);
        if self.file_backed && !range.is_empty() {
            // SAFETY: the range lies inside our mapping and starts on a page
            // boundary; nothing holds a reference into it now.
            let rc = unsafe {
                libc::mprotect(
                    self.ptr.as_ptr().add(range.start).cast(),
                    range.len(),
                    libc::PROT_READ | libc::PROT_WRITE,
                )
            };
            if rc != 0 {
                return Err(os_error("mprotect"));
            }
        }
        // SAFETY: `ptr..ptr + len` is our mapping (or empty), readable
        // throughout; `&mut self` makes this the only access, and callers
        // write only inside `range`, now writable.
        Ok(unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) })
    }

    /// Maps `code` as an executable image of its own (read+execute, never
    /// writable once returned): for code a JIT assembled in memory.
    pub fn from_code(code: &[u8]) -> Result<CodeImage, LoadError> {
        let len = code.len().next_multiple_of(page_size());
        let mut image = CodeImage::map(len)?;
        image.bytes_mut()[..code.len()].copy_from_slice(code);
        image.seal(len)?;
        Ok(image)
    }

    /// The whole image, writable. Only before sealing.
    pub(crate) fn bytes_mut(&mut self) -> &mut [u8] {
        assert!(
            !self.sealed && !self.file_backed,
            "a sealed image is never written"
        );
        // SAFETY: `ptr..ptr + len` is our read+write mapping (or empty), and
        // `&mut self` makes this the only access.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }

    /// Makes `0..code_len` read+execute and the rest read-only, after
    /// making written code visible to instruction fetch.
    pub(crate) fn seal(&mut self, code_len: usize) -> Result<(), LoadError> {
        assert!(code_len <= self.len && !self.sealed);
        self.sealed = true;
        self.code_len = code_len;
        if !self.file_backed {
            // Code read from a file was never written through the data cache.
            crate::icache::flush(self.ptr.as_ptr(), code_len);
        }
        let regions = [
            (0, code_len, libc::PROT_READ | libc::PROT_EXEC),
            (code_len, self.len, libc::PROT_READ),
        ];
        for (start, end, prot) in regions {
            if start == end {
                continue;
            }
            // SAFETY: the range lies inside our mapping and starts on a page
            // boundary; nothing holds a Rust reference into it now.
            let rc =
                unsafe { libc::mprotect(self.ptr.as_ptr().add(start).cast(), end - start, prot) };
            if rc != 0 {
                return Err(os_error("mprotect"));
            }
        }
        Ok(())
    }

    /// The address of the first byte.
    pub fn base(&self) -> usize {
        self.ptr.as_ptr() as usize
    }

    /// The addresses of the whole mapping.
    pub fn range(&self) -> Range<usize> {
        self.base()..self.base() + self.len
    }

    /// The addresses of the executable region (functions and veneers).
    pub fn code_range(&self) -> Range<usize> {
        self.base()..self.base() + self.code_len
    }

    /// The mapped bytes, for reading (code included). Only after sealing.
    pub fn bytes(&self) -> &[u8] {
        assert!(self.sealed, "read the image once it is sealed");
        // SAFETY: the mapping is readable throughout and no longer written.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for CodeImage {
    fn drop(&mut self) {
        if self.len != 0 {
            // SAFETY: we own this mapping; nothing uses it after drop (the
            // owner of the image keeps it alive as long as its code runs).
            unsafe { libc::munmap(self.ptr.as_ptr().cast(), self.len) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_fills_seals_and_unmaps() {
        let page = page_size();
        let mut image = CodeImage::map(2 * page).unwrap();
        image.bytes_mut()[0] = 0xc3;
        image.bytes_mut()[page] = 7;
        image.seal(page).unwrap();
        assert_eq!(image.bytes()[0], 0xc3);
        assert_eq!(image.bytes()[page], 7);
        assert_eq!(image.code_range().len(), page);
        let jit = CodeImage::from_code(&[0xc3, 0x90]).unwrap();
        assert_eq!(&jit.bytes()[..2], &[0xc3, 0x90]);
        assert_eq!(jit.code_range().len(), page);
        let empty = CodeImage::map(0).unwrap();
        assert!(empty.range().is_empty());
    }
}

//! Linear memory: one address-space reservation, grown in place.
//!
//! A 32-bit memory reserves its whole 4 GiB range plus a guard region up
//! front, all inaccessible, and makes pages readable and writable as the
//! memory grows. The base never moves, so compiled code may keep it in a
//! register, and a stray access past the end hits an inaccessible page.

use super::VMMemoryDefinition;
use crate::error::{Error, Result};
use crate::types::MemoryType;

/// Bytes in a wasm page.
pub const WASM_PAGE: usize = 65536;
/// Largest number of pages a 32-bit memory may have.
pub const MAX_PAGES: u64 = 65536;
/// The guard region reserved after the 4 GiB range.
const GUARD: usize = 2 << 30;

/// A linear memory. `def` is first so a `*mut VMMemoryDefinition` handed to
/// compiled code is also a pointer to the whole memory.
#[repr(C)]
pub(crate) struct LinearMemory {
    pub def: VMMemoryDefinition,
    pub ty: MemoryType,
    reserved: usize,
}

// SAFETY: the reservation is owned exclusively by this value; access to its
// bytes is synchronised by the store that owns the memory.
unsafe impl Send for LinearMemory {}

impl LinearMemory {
    /// Reserves the address space and makes `ty.min` pages accessible.
    pub fn new(ty: MemoryType) -> Result<LinearMemory> {
        if ty.min > MAX_PAGES || ty.max.is_some_and(|m| m > MAX_PAGES) {
            return Err(Error::Resource("memory size exceeds 4 GiB".into()));
        }
        let reserved = (MAX_PAGES as usize * WASM_PAGE)
            .checked_add(GUARD)
            .expect("64-bit host");
        // SAFETY: an anonymous private mapping with no fixed address; the
        // result is checked against MAP_FAILED below.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                reserved,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return Err(Error::Resource(format!(
                "cannot reserve {} GiB of address space for a linear memory",
                reserved >> 30
            )));
        }
        let mut mem = LinearMemory {
            def: VMMemoryDefinition {
                base: base as *mut u8,
                length: 0,
            },
            ty,
            reserved,
        };
        if mem.grow(ty.min).is_none() {
            return Err(Error::Resource(format!(
                "cannot commit {} pages of linear memory",
                ty.min
            )));
        }
        Ok(mem)
    }

    /// Current size in pages.
    pub fn pages(&self) -> u64 {
        (self.def.length / WASM_PAGE) as u64
    }

    /// The largest size in pages this memory may reach.
    pub fn max_pages(&self) -> u64 {
        self.ty.max.unwrap_or(MAX_PAGES).min(MAX_PAGES)
    }

    /// Grows by `delta` pages; returns the old size, or `None` if not allowed.
    pub fn grow(&mut self, delta: u64) -> Option<u64> {
        let old = self.pages();
        let new = old.checked_add(delta)?;
        if new > self.max_pages() {
            return None;
        }
        if delta == 0 {
            return Some(old);
        }
        let start = self.def.length;
        let len = delta as usize * WASM_PAGE;
        // SAFETY: [start, start+len) lies inside our reservation because
        // new <= MAX_PAGES and the reservation covers MAX_PAGES pages.
        let rc = unsafe {
            libc::mprotect(
                self.def.base.add(start) as *mut libc::c_void,
                len,
                libc::PROT_READ | libc::PROT_WRITE,
            )
        };
        if rc != 0 {
            return None;
        }
        self.def.length = new as usize * WASM_PAGE;
        Some(old)
    }

    /// The accessible bytes.
    pub fn data(&self) -> &[u8] {
        if self.def.length == 0 {
            return &[];
        }
        // SAFETY: [base, base+length) is mapped read-write and owned by self.
        unsafe { std::slice::from_raw_parts(self.def.base, self.def.length) }
    }

    /// The accessible bytes, mutably.
    pub fn data_mut(&mut self) -> &mut [u8] {
        if self.def.length == 0 {
            return &mut [];
        }
        // SAFETY: as in `data`, and `&mut self` makes the access exclusive.
        unsafe { std::slice::from_raw_parts_mut(self.def.base, self.def.length) }
    }
}

impl Drop for LinearMemory {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the reservation made in `new`.
        unsafe {
            libc::munmap(self.def.base as *mut libc::c_void, self.reserved);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_in_place_up_to_the_maximum() {
        let mut m = LinearMemory::new(MemoryType::new(1, Some(3))).unwrap();
        let base = m.def.base;
        m.data_mut()[WASM_PAGE - 1] = 7;
        assert_eq!(m.grow(2), Some(1));
        assert_eq!(m.def.base, base);
        assert_eq!(m.data()[WASM_PAGE - 1], 7);
        assert_eq!(m.data()[3 * WASM_PAGE - 1], 0);
        assert_eq!(m.grow(1), None);
        assert_eq!(m.pages(), 3);
    }

    #[test]
    fn refuses_more_than_four_gib() {
        assert!(LinearMemory::new(MemoryType::new(MAX_PAGES + 1, None)).is_err());
    }
}

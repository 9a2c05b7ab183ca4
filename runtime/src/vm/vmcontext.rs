//! The `VMContext` block of an instance, laid out by
//! [`kiln_format::VMOffsets`]; the records it points to are
//! [`kiln_format::records`].

pub(crate) use kiln_format::records::{
    VMContextHeader, VMFuncRef, VMGlobalDefinition, VMMemoryDefinition, VMTableDefinition,
};
use kiln_format::vmoffsets::{VMCounts, VMOffsets};
use kiln_format::VMCONTEXT_MAGIC;
use std::mem::size_of;
use std::ptr;

/// One instance's `VMContext`, laid out by [`VMOffsets`] for this host.
pub(crate) struct VMContext {
    words: Box<[u64]>,
    offsets: VMOffsets,
}

impl VMContext {
    /// A zeroed context for `counts` with its header filled in.
    pub fn new(counts: VMCounts) -> VMContext {
        let offsets = VMOffsets::new(std::mem::size_of::<usize>() as u8, counts);
        let words = vec![0u64; offsets.size().div_ceil(8) as usize].into_boxed_slice();
        let mut ctx = VMContext { words, offsets };
        ctx.header_mut().magic = VMCONTEXT_MAGIC;
        ctx
    }

    /// The block's address, as handed to compiled code.
    pub fn as_ptr(&mut self) -> *mut u8 {
        self.words.as_mut_ptr() as *mut u8
    }

    pub fn header_mut(&mut self) -> &mut VMContextHeader {
        // SAFETY: the block is 8-aligned, at least as large as the header, and
        // the header's fields are plain data for which all-zero bits are valid.
        unsafe { &mut *(self.words.as_mut_ptr() as *mut VMContextHeader) }
    }

    fn slot_ptr(&mut self, offset: u32) -> *mut usize {
        debug_assert!(offset as usize + size_of::<usize>() <= self.words.len() * 8);
        // SAFETY: `offset` comes from VMOffsets for this block's counts, so it
        // is in bounds and pointer-aligned.
        unsafe { self.as_ptr().add(offset as usize) as *mut usize }
    }

    fn write(&mut self, offset: u32, value: usize) {
        // SAFETY: see `slot_ptr`.
        unsafe { ptr::write(self.slot_ptr(offset), value) }
    }

    pub fn set_memory(&mut self, index: u32, def: *mut VMMemoryDefinition) {
        self.write(self.offsets.memory(index), def as usize);
    }

    pub fn set_table(&mut self, index: u32, def: *mut VMTableDefinition) {
        self.write(self.offsets.table(index), def as usize);
    }

    pub fn set_global(&mut self, index: u32, def: *mut VMGlobalDefinition) {
        self.write(self.offsets.global(index), def as usize);
    }

    pub fn memory(&self, index: u32) -> *mut VMMemoryDefinition {
        self.read(self.offsets.memory(index)) as *mut VMMemoryDefinition
    }

    pub fn table(&self, index: u32) -> *mut VMTableDefinition {
        self.read(self.offsets.table(index)) as *mut VMTableDefinition
    }

    #[cfg_attr(not(feature = "wasm"), allow(dead_code))]
    pub fn global(&self, index: u32) -> *mut VMGlobalDefinition {
        self.read(self.offsets.global(index)) as *mut VMGlobalDefinition
    }

    fn read(&self, offset: u32) -> usize {
        debug_assert!(offset as usize + size_of::<usize>() <= self.words.len() * 8);
        // SAFETY: `offset` comes from VMOffsets for this block's counts, so it
        // is in bounds and pointer-aligned.
        unsafe {
            ptr::read((self.words.as_ptr() as *const u8).add(offset as usize) as *const usize)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::size_of;

    #[test]
    fn context_arrays_land_at_their_offsets() {
        let counts = VMCounts {
            num_globals: 4,
            ..VMCounts::default()
        };
        let o = VMOffsets::new(size_of::<usize>() as u8, counts);
        let mut ctx = VMContext::new(counts);
        let fake = 0x1000usize as *mut VMGlobalDefinition;
        ctx.set_global(3, fake);
        let base = ctx.as_ptr();
        // SAFETY: global(3) is inside the block and pointer-aligned.
        let stored = unsafe { *(base.add(o.global(3) as usize) as *const usize) };
        assert_eq!(stored, 0x1000);
        assert_eq!(ctx.global(3), fake);
        // SAFETY: the magic is the block's first u32.
        let magic = unsafe { *(base as *const u32) };
        assert_eq!(magic, VMCONTEXT_MAGIC);
    }
}

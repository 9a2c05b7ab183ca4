//! `#[repr(C)]` records of the instance layout and the `VMContext` block.
//!
//! Offsets come from [`kiln_format::VMOffsets`]; the tests at the bottom
//! check these structs against it, so compiled code and the runtime agree.

use kiln_format::vmoffsets::{VMCounts, VMOffsets};
use kiln_format::VMCONTEXT_MAGIC;
use std::ptr;

/// A function as every tier sees it; a non-null `funcref` points at one.
#[repr(C)]
pub(crate) struct VMFuncRef {
    /// Native code with the wasm calling convention (null while interpreted).
    pub wasm_call: *const u8,
    /// Host-to-wasm trampoline taking value slots (null while interpreted).
    pub array_call: *const u8,
    /// The defining instance's `VMContext` (null for host functions).
    pub vmctx: *mut u8,
    /// Engine-wide signature id.
    pub type_id: u32,
    /// Index in the defining module's function space.
    pub func_index: u32,
}

/// Base and current byte length of a linear memory.
#[repr(C)]
pub(crate) struct VMMemoryDefinition {
    pub base: *mut u8,
    pub length: usize,
}

/// Element array and current length of a table.
#[repr(C)]
pub(crate) struct VMTableDefinition {
    pub base: *mut usize,
    pub length: u32,
}

/// Storage of one global: any value, `v128` included.
#[repr(C, align(16))]
pub(crate) struct VMGlobalDefinition {
    pub bits: [u8; 16],
}

impl VMGlobalDefinition {
    pub fn new(bits: u128) -> Self {
        VMGlobalDefinition {
            bits: bits.to_le_bytes(),
        }
    }

    pub fn get(&self) -> u128 {
        u128::from_le_bytes(self.bits)
    }

    pub fn set(&mut self, bits: u128) {
        self.bits = bits.to_le_bytes();
    }
}

/// The fixed head of every `VMContext`; the pointer arrays follow it.
#[repr(C)]
pub(crate) struct VMContextHeader {
    pub magic: u32,
    pub reserved: u32,
    pub runtime: *mut u8,
    pub stack_limit: usize,
    pub func_refs: *const *const VMFuncRef,
    pub sig_ids: *const u32,
}

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
        debug_assert!(offset as usize + 8 <= self.words.len() * 8);
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

    pub fn global(&self, index: u32) -> *mut VMGlobalDefinition {
        self.read(self.offsets.global(index)) as *mut VMGlobalDefinition
    }

    fn read(&self, offset: u32) -> usize {
        let i = offset as usize / 8;
        self.words[i] as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{offset_of, size_of};

    fn offsets() -> VMOffsets {
        VMOffsets::new(
            size_of::<usize>() as u8,
            VMCounts {
                num_types: 2,
                num_funcs: 3,
                num_memories: 1,
                num_tables: 2,
                num_globals: 4,
            },
        )
    }

    #[test]
    fn header_matches_offsets() {
        let o = offsets();
        assert_eq!(offset_of!(VMContextHeader, magic) as u32, o.magic());
        assert_eq!(offset_of!(VMContextHeader, runtime) as u32, o.runtime());
        assert_eq!(
            offset_of!(VMContextHeader, stack_limit) as u32,
            o.stack_limit()
        );
        assert_eq!(offset_of!(VMContextHeader, func_refs) as u32, o.func_refs());
        assert_eq!(offset_of!(VMContextHeader, sig_ids) as u32, o.sig_ids());
        assert_eq!(size_of::<VMContextHeader>() as u32, o.memory(0));
    }

    #[test]
    fn records_match_offsets() {
        let o = offsets();
        assert_eq!(
            offset_of!(VMFuncRef, wasm_call) as u32,
            o.func_ref_wasm_call()
        );
        assert_eq!(
            offset_of!(VMFuncRef, array_call) as u32,
            o.func_ref_array_call()
        );
        assert_eq!(offset_of!(VMFuncRef, vmctx) as u32, o.func_ref_vmctx());
        assert_eq!(offset_of!(VMFuncRef, type_id) as u32, o.func_ref_type_id());
        assert_eq!(
            offset_of!(VMFuncRef, func_index) as u32,
            o.func_ref_func_index()
        );
        assert_eq!(size_of::<VMFuncRef>() as u32, o.size_of_func_ref());
        assert_eq!(offset_of!(VMMemoryDefinition, base) as u32, o.memory_base());
        assert_eq!(
            offset_of!(VMMemoryDefinition, length) as u32,
            o.memory_length()
        );
        assert_eq!(
            size_of::<VMMemoryDefinition>() as u32,
            o.size_of_memory_definition()
        );
        assert_eq!(offset_of!(VMTableDefinition, base) as u32, o.table_base());
        assert_eq!(
            offset_of!(VMTableDefinition, length) as u32,
            o.table_length()
        );
        assert_eq!(
            size_of::<VMTableDefinition>() as u32,
            o.size_of_table_definition()
        );
        assert_eq!(size_of::<usize>() as u32, o.size_of_table_element());
        assert_eq!(
            size_of::<VMGlobalDefinition>() as u32,
            o.size_of_global_definition()
        );
    }

    #[test]
    fn context_arrays_land_at_their_offsets() {
        let o = offsets();
        let mut ctx = VMContext::new(o.counts);
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

//! The `#[repr(C)]` records of the instance layout, as the host builds
//! them and compiled code of every tier reads them. [`crate::VMOffsets`]
//! gives each field's offset for any pointer size; the tests below check
//! these structs against it on the host.

use std::sync::atomic::{AtomicPtr, Ordering};

/// A function as every tier sees it; a non-null `funcref` points at one.
#[repr(C)]
pub struct VMFuncRef {
    /// Native code with the wasm calling convention (null while
    /// interpreted). The one pointer tier-up swaps while other threads may
    /// be calling through it, so it is only read and written atomically
    /// (compiled code reads it with an unordered, or stronger, load).
    pub wasm_call: AtomicPtr<u8>,
    /// Host-to-wasm trampoline taking value slots (null while interpreted).
    pub array_call: *const u8,
    /// The defining instance's `VMContext` (null for host functions).
    pub vmctx: *mut u8,
    /// Engine-wide signature id.
    pub type_id: u32,
    /// Index in the defining module's function space.
    pub func_index: u32,
}

impl VMFuncRef {
    /// The current native code (null while interpreted).
    pub fn wasm_call(&self) -> *const u8 {
        self.wasm_call.load(Ordering::Acquire)
    }

    /// Installs `code` as the native code; calls made after this see it.
    pub fn set_wasm_call(&self, code: *const u8) {
        self.wasm_call.store(code.cast_mut(), Ordering::Release);
    }
}

/// Base and current byte length of a linear memory.
#[repr(C)]
pub struct VMMemoryDefinition {
    /// The first byte.
    pub base: *mut u8,
    /// The current length in bytes.
    pub length: usize,
}

/// Element array and current length of a table.
#[repr(C)]
pub struct VMTableDefinition {
    /// The elements, one pointer-sized reference each.
    pub base: *mut usize,
    /// The current length in elements.
    pub length: u32,
}

/// Storage of one global: any value, `v128` included, in the low bytes.
#[repr(C, align(16))]
pub struct VMGlobalDefinition {
    /// The value's bytes, little-endian.
    pub bits: [u8; 16],
}

impl VMGlobalDefinition {
    /// A global holding `bits`.
    pub fn new(bits: u128) -> Self {
        VMGlobalDefinition {
            bits: bits.to_le_bytes(),
        }
    }

    /// The value's bits.
    pub fn get(&self) -> u128 {
        u128::from_le_bytes(self.bits)
    }

    /// Stores `bits`.
    pub fn set(&mut self, bits: u128) {
        self.bits = bits.to_le_bytes();
    }
}

/// The fixed head of every `VMContext`; the pointer arrays follow it.
#[repr(C)]
pub struct VMContextHeader {
    /// [`crate::VMCONTEXT_MAGIC`].
    pub magic: u32,
    /// Zero.
    pub reserved: u32,
    /// Opaque to compiled code: the runtime's instance.
    pub runtime: *mut u8,
    /// The lowest stack address wasm may use.
    pub stack_limit: usize,
    /// The instance's function references, by function index.
    pub func_refs: *const *const VMFuncRef,
    /// Engine-wide signature ids, by type index.
    pub sig_ids: *const u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vmoffsets::{VMCounts, VMOffsets};
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
    fn wasm_call_is_swapped_in_place() {
        let f = VMFuncRef {
            wasm_call: AtomicPtr::new(std::ptr::null_mut()),
            array_call: std::ptr::null(),
            vmctx: std::ptr::null_mut(),
            type_id: 0,
            func_index: 0,
        };
        assert!(f.wasm_call().is_null());
        f.set_wasm_call(0x1000 as *const u8);
        assert_eq!(f.wasm_call() as usize, 0x1000);
    }
}

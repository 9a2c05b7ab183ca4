//! The instance layout: every `VMContext` offset, computed in one place.
//!
//! A `VMContext` is one block per instance. Its size depends on the module's
//! counts and the target's pointer size `P`:
//!
//! | offset            | field          | meaning                                              |
//! |-------------------|----------------|------------------------------------------------------|
//! | 0                 | `magic`        | `u32`, [`VMCONTEXT_MAGIC`]                           |
//! | 4                 | reserved       | `u32`, zero                                          |
//! | 8                 | `runtime`      | pointer, opaque to compiled code                     |
//! | 8 + P             | `stack_limit`  | pointer-sized; the lowest stack address wasm may use |
//! | 8 + 2P            | `func_refs`    | pointer to `[*const VMFuncRef; num_funcs]`           |
//! | 8 + 3P            | `sig_ids`      | pointer to `[u32; num_types]`, engine-wide ids       |
//! | 8 + 4P            | `memories`     | `[*mut VMMemoryDefinition; num_memories]`            |
//! | ...               | `tables`       | `[*mut VMTableDefinition; num_tables]`               |
//! | ...               | `globals`      | `[*mut VMGlobalDefinition; num_globals]`             |
//!
//! The arrays hold one pointer per entity in the module's index space
//! (imports first), so an imported and a defined memory are reached the
//! same way. The pointed-to records are:
//! - `VMFuncRef` (also the representation of a non-null `funcref`):
//!   `wasm_call` at 0, `array_call` at P, `vmctx` at 2P, `type_id: u32` at
//!   3P, `func_index: u32` at 3P + 4; size 3P + 8.
//! - `VMMemoryDefinition`: `base` at 0, `length` (bytes, pointer-sized) at P.
//! - `VMTableDefinition`: `base` (pointer to pointer-sized elements) at 0,
//!   `length` (`u32`, elements) at P; size 2P.
//! - `VMGlobalDefinition`: 16 bytes, 16-aligned; the value in the low bytes.

/// `"kiln"` read as a little-endian `u32`; the first field of every `VMContext`.
pub const VMCONTEXT_MAGIC: u32 = u32::from_le_bytes(*b"kiln");

/// Size of a `VMGlobalDefinition` (any value, `v128` included).
pub const GLOBAL_SIZE: u32 = 16;

/// The counts of a module that determine its `VMContext` size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VMCounts {
    /// Number of function types (entries of `sig_ids`).
    pub num_types: u32,
    /// Number of functions, imported and defined.
    pub num_funcs: u32,
    /// Number of memories, imported and defined.
    pub num_memories: u32,
    /// Number of tables, imported and defined.
    pub num_tables: u32,
    /// Number of globals, imported and defined.
    pub num_globals: u32,
}

/// Offsets of every `VMContext` field and of the records it points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VMOffsets {
    /// Pointer size of the target in bytes (4 or 8).
    pub ptr: u8,
    /// The module's counts.
    pub counts: VMCounts,
    memories: u32,
    tables: u32,
    globals: u32,
    size: u32,
}

impl VMOffsets {
    /// Lays out a `VMContext` for `counts` on a target with `ptr`-byte pointers.
    pub fn new(ptr: u8, counts: VMCounts) -> Self {
        assert!(ptr == 4 || ptr == 8, "pointer size must be 4 or 8");
        let p = ptr as u32;
        let memories = 8 + 4 * p;
        let tables = memories + counts.num_memories * p;
        let globals = tables + counts.num_tables * p;
        let size = globals + counts.num_globals * p;
        VMOffsets {
            ptr,
            counts,
            memories,
            tables,
            globals,
            size,
        }
    }

    fn p(&self) -> u32 {
        self.ptr as u32
    }

    /// Offset of the `u32` magic.
    pub fn magic(&self) -> u32 {
        0
    }

    /// Offset of the opaque runtime pointer.
    pub fn runtime(&self) -> u32 {
        8
    }

    /// Offset of the stack limit.
    pub fn stack_limit(&self) -> u32 {
        8 + self.p()
    }

    /// Offset of the pointer to the function-pointer table.
    pub fn func_refs(&self) -> u32 {
        8 + 2 * self.p()
    }

    /// Offset of the pointer to the signature-id array.
    pub fn sig_ids(&self) -> u32 {
        8 + 3 * self.p()
    }

    /// Offset of the pointer to memory `index`'s definition.
    pub fn memory(&self, index: u32) -> u32 {
        assert!(index < self.counts.num_memories);
        self.memories + index * self.p()
    }

    /// Offset of the pointer to table `index`'s definition.
    pub fn table(&self, index: u32) -> u32 {
        assert!(index < self.counts.num_tables);
        self.tables + index * self.p()
    }

    /// Offset of the pointer to global `index`'s definition.
    pub fn global(&self, index: u32) -> u32 {
        assert!(index < self.counts.num_globals);
        self.globals + index * self.p()
    }

    /// Offset of function `index`'s `*const VMFuncRef` within the array
    /// that `func_refs` points to.
    pub fn func_ref(&self, index: u32) -> u32 {
        assert!(index < self.counts.num_funcs);
        index * self.p()
    }

    /// Offset of type `index`'s `u32` signature id within the array that
    /// `sig_ids` points to.
    pub fn sig_id(&self, index: u32) -> u32 {
        assert!(index < self.counts.num_types);
        index * 4
    }

    /// Offset of the value within a `VMGlobalDefinition`.
    pub fn global_value(&self) -> u32 {
        0
    }

    /// Total size of the `VMContext` in bytes.
    pub fn size(&self) -> u32 {
        self.size
    }

    /// Required alignment of the `VMContext`.
    pub fn align(&self) -> u32 {
        self.p().max(8)
    }

    /// `VMFuncRef::wasm_call`: the native code of the function (swapped on tier-up).
    pub fn func_ref_wasm_call(&self) -> u32 {
        0
    }

    /// `VMFuncRef::array_call`: the host-to-wasm trampoline taking value slots.
    pub fn func_ref_array_call(&self) -> u32 {
        self.p()
    }

    /// `VMFuncRef::vmctx`: the callee's `VMContext`.
    pub fn func_ref_vmctx(&self) -> u32 {
        2 * self.p()
    }

    /// `VMFuncRef::type_id`: the engine-wide signature id.
    pub fn func_ref_type_id(&self) -> u32 {
        3 * self.p()
    }

    /// `VMFuncRef::func_index`: the index in the defining module.
    pub fn func_ref_func_index(&self) -> u32 {
        3 * self.p() + 4
    }

    /// Size of a `VMFuncRef`.
    pub fn size_of_func_ref(&self) -> u32 {
        3 * self.p() + 8
    }

    /// `VMMemoryDefinition::base`.
    pub fn memory_base(&self) -> u32 {
        0
    }

    /// `VMMemoryDefinition::length`, in bytes.
    pub fn memory_length(&self) -> u32 {
        self.p()
    }

    /// Size of a `VMMemoryDefinition`.
    pub fn size_of_memory_definition(&self) -> u32 {
        2 * self.p()
    }

    /// `VMTableDefinition::base`.
    pub fn table_base(&self) -> u32 {
        0
    }

    /// `VMTableDefinition::length`, in elements.
    pub fn table_length(&self) -> u32 {
        self.p()
    }

    /// Size of a `VMTableDefinition`.
    pub fn size_of_table_definition(&self) -> u32 {
        2 * self.p()
    }

    /// Size of one table element (a pointer-sized reference).
    pub fn size_of_table_element(&self) -> u32 {
        self.p()
    }

    /// Size of a `VMGlobalDefinition`.
    pub fn size_of_global_definition(&self) -> u32 {
        GLOBAL_SIZE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts() -> VMCounts {
        VMCounts {
            num_types: 3,
            num_funcs: 10,
            num_memories: 1,
            num_tables: 2,
            num_globals: 5,
        }
    }

    #[test]
    fn layout_on_64_bit() {
        let o = VMOffsets::new(8, counts());
        assert_eq!(o.stack_limit(), 16);
        assert_eq!(o.func_refs(), 24);
        assert_eq!(o.sig_ids(), 32);
        assert_eq!(o.memory(0), 40);
        assert_eq!(o.table(0), 48);
        assert_eq!(o.table(1), 56);
        assert_eq!(o.global(0), 64);
        assert_eq!(o.global(4), 96);
        assert_eq!(o.size(), 104);
        assert_eq!(o.size_of_func_ref(), 32);
        assert_eq!(o.func_ref(9), 72);
        assert_eq!(o.sig_id(2), 8);
    }

    #[test]
    fn layout_on_32_bit() {
        let o = VMOffsets::new(4, counts());
        assert_eq!(o.stack_limit(), 12);
        assert_eq!(o.memory(0), 24);
        assert_eq!(o.global(0), 36);
        assert_eq!(o.size(), 56);
        assert_eq!(o.size_of_func_ref(), 20);
        assert_eq!(o.func_ref(9), 36);
        assert_eq!(o.sig_id(2), 8);
    }

    #[test]
    fn fields_never_overlap() {
        let o = VMOffsets::new(8, counts());
        let mut spans = vec![(o.magic(), 4), (o.runtime(), 8), (o.stack_limit(), 8)];
        spans.push((o.func_refs(), 8));
        spans.push((o.sig_ids(), 8));
        spans.extend((0..1).map(|i| (o.memory(i), 8)));
        spans.extend((0..2).map(|i| (o.table(i), 8)));
        spans.extend((0..5).map(|i| (o.global(i), 8)));
        spans.sort();
        for w in spans.windows(2) {
            assert!(w[0].0 + w[0].1 <= w[1].0, "{:?} overlaps {:?}", w[0], w[1]);
        }
        let last = spans.last().unwrap();
        assert_eq!(last.0 + last.1, o.size());
    }

    #[test]
    #[should_panic]
    fn out_of_range_index_is_refused() {
        VMOffsets::new(8, counts()).memory(1);
    }
}

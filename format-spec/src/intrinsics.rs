//! The runtime intrinsics compiled code calls, each named and typed once:
//! the compilers declare them from here and the runtime resolves exactly
//! these names (SPEC.md, "Runtime intrinsics"). Every intrinsic takes the caller's
//! `VMContext` (or, for [`CALL_HOST`], the host context) first.

/// A parameter or result type at the intrinsic boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbiType {
    /// A pointer (the context, a reference, a slot array).
    Ptr,
    /// A 32-bit integer.
    I32,
}

/// One intrinsic: symbol name and C signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Intrinsic {
    /// The undefined symbol compiled code references.
    pub name: &'static str,
    /// The parameters, the context first.
    pub params: &'static [AbiType],
    /// The result, if any.
    pub result: Option<AbiType>,
}

use AbiType::{Ptr, I32};

/// `void kiln_rt_trap(ptr vmctx, i32 code)`: raises trap `code`; never returns.
pub const TRAP: Intrinsic = Intrinsic {
    name: "kiln_rt_trap",
    params: &[Ptr, I32],
    result: None,
};

/// `i32 kiln_rt_memory_grow(ptr vmctx, i32 memory, i32 delta)`: the old
/// size in pages, or -1.
pub const MEMORY_GROW: Intrinsic = Intrinsic {
    name: "kiln_rt_memory_grow",
    params: &[Ptr, I32, I32],
    result: Some(I32),
};

/// `void kiln_rt_call_host(ptr ctx, ptr slots)`: calls the host function
/// behind `ctx` with its arguments and results in value slots.
pub const CALL_HOST: Intrinsic = Intrinsic {
    name: "kiln_rt_call_host",
    params: &[Ptr, Ptr],
    result: None,
};

/// `void kiln_rt_memory_init(ptr vmctx, i32 memory, i32 segment, i32 dst, i32 src, i32 len)`.
pub const MEMORY_INIT: Intrinsic = Intrinsic {
    name: "kiln_rt_memory_init",
    params: &[Ptr, I32, I32, I32, I32, I32],
    result: None,
};

/// `void kiln_rt_data_drop(ptr vmctx, i32 segment)`.
pub const DATA_DROP: Intrinsic = Intrinsic {
    name: "kiln_rt_data_drop",
    params: &[Ptr, I32],
    result: None,
};

/// `i32 kiln_rt_table_grow(ptr vmctx, i32 table, ptr init, i32 delta)`.
pub const TABLE_GROW: Intrinsic = Intrinsic {
    name: "kiln_rt_table_grow",
    params: &[Ptr, I32, Ptr, I32],
    result: Some(I32),
};

/// `void kiln_rt_table_fill(ptr vmctx, i32 table, i32 dst, ptr value, i32 len)`.
pub const TABLE_FILL: Intrinsic = Intrinsic {
    name: "kiln_rt_table_fill",
    params: &[Ptr, I32, I32, Ptr, I32],
    result: None,
};

/// `void kiln_rt_table_copy(ptr vmctx, i32 dst_table, i32 src_table, i32 dst, i32 src, i32 len)`.
pub const TABLE_COPY: Intrinsic = Intrinsic {
    name: "kiln_rt_table_copy",
    params: &[Ptr, I32, I32, I32, I32, I32],
    result: None,
};

/// `void kiln_rt_table_init(ptr vmctx, i32 table, i32 segment, i32 dst, i32 src, i32 len)`.
pub const TABLE_INIT: Intrinsic = Intrinsic {
    name: "kiln_rt_table_init",
    params: &[Ptr, I32, I32, I32, I32, I32],
    result: None,
};

/// `void kiln_rt_elem_drop(ptr vmctx, i32 segment)`.
pub const ELEM_DROP: Intrinsic = Intrinsic {
    name: "kiln_rt_elem_drop",
    params: &[Ptr, I32],
    result: None,
};

/// Every intrinsic.
pub const ALL: [Intrinsic; 10] = [
    TRAP,
    MEMORY_GROW,
    CALL_HOST,
    MEMORY_INIT,
    DATA_DROP,
    TABLE_GROW,
    TABLE_FILL,
    TABLE_COPY,
    TABLE_INIT,
    ELEM_DROP,
];

/// The intrinsic named `name`, if there is one.
pub fn by_name(name: &str) -> Option<&'static Intrinsic> {
    ALL.iter().find(|i| i.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::RUNTIME_SYMBOL_PREFIX;

    #[test]
    fn names_are_unique_prefixed_and_take_a_context_first() {
        for (k, i) in ALL.iter().enumerate() {
            assert!(i.name.starts_with(RUNTIME_SYMBOL_PREFIX), "{}", i.name);
            assert_eq!(i.params.first(), Some(&AbiType::Ptr), "{}", i.name);
            assert!(ALL[..k].iter().all(|j| j.name != i.name), "{}", i.name);
            assert_eq!(by_name(i.name), Some(i));
        }
        assert_eq!(by_name("kiln_rt_nothing"), None);
    }
}

//! Wasm types as recorded in module metadata.
//!
//! Field order is the encoding order; see SPEC.md section 4. New enum
//! variants may only be appended (a minor format bump).

use serde::{Deserialize, Serialize};

/// A reference type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RefType {
    /// `funcref` (variant 0).
    FuncRef,
    /// `externref` (variant 1).
    ExternRef,
}

/// A value type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValType {
    /// `i32` (variant 0).
    I32,
    /// `i64` (variant 1).
    I64,
    /// `f32` (variant 2).
    F32,
    /// `f64` (variant 3).
    F64,
    /// `v128` (variant 4).
    V128,
    /// A reference (variant 5).
    Ref(RefType),
}

/// A function type.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FuncType {
    /// Parameter types, in order.
    pub params: Vec<ValType>,
    /// Result types, in order.
    pub results: Vec<ValType>,
}

/// The limits and element type of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TableType {
    /// Element type.
    pub elem: RefType,
    /// Initial size in elements.
    pub min: u64,
    /// Maximum size in elements, if any.
    pub max: Option<u64>,
    /// Whether the table is indexed by `i64` (memory64 proposal).
    pub table64: bool,
}

/// The limits of a linear memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MemoryType {
    /// Initial size in 64 KiB pages.
    pub min: u64,
    /// Maximum size in pages, if any.
    pub max: Option<u64>,
    /// Whether the memory is indexed by `i64`.
    pub memory64: bool,
    /// Whether the memory is shared (threads proposal).
    pub shared: bool,
}

/// The type of a global.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GlobalType {
    /// The value's type.
    pub val: ValType,
    /// Whether `global.set` may change it.
    pub mutable: bool,
}

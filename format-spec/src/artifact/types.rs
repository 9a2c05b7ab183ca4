//! Wasm types: the one definition Kiln has, recorded in module metadata
//! and used by the runtime's embedder API (`kiln_runtime::ValType`, ...).
//!
//! Field order is the encoding order; see SPEC.md section 4. New enum
//! variants may only be appended (a minor format bump).

use serde::{Deserialize, Serialize};
use std::fmt;

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

impl ValType {
    /// `funcref`.
    pub const FUNCREF: ValType = ValType::Ref(RefType::FuncRef);
    /// `externref`.
    pub const EXTERNREF: ValType = ValType::Ref(RefType::ExternRef);

    /// Whether this is a reference type.
    pub fn is_ref(self) -> bool {
        matches!(self, ValType::Ref(_))
    }
}

#[cfg(feature = "reader")]
impl From<wasmparser::RefType> for RefType {
    fn from(r: wasmparser::RefType) -> Self {
        if r.is_func_ref() {
            RefType::FuncRef
        } else {
            RefType::ExternRef
        }
    }
}

#[cfg(feature = "reader")]
impl From<wasmparser::ValType> for ValType {
    fn from(t: wasmparser::ValType) -> Self {
        match t {
            wasmparser::ValType::I32 => ValType::I32,
            wasmparser::ValType::I64 => ValType::I64,
            wasmparser::ValType::F32 => ValType::F32,
            wasmparser::ValType::F64 => ValType::F64,
            wasmparser::ValType::V128 => ValType::V128,
            wasmparser::ValType::Ref(r) => ValType::Ref(r.into()),
        }
    }
}

#[cfg(feature = "reader")]
impl From<ValType> for wasmparser::ValType {
    fn from(t: ValType) -> Self {
        match t {
            ValType::I32 => wasmparser::ValType::I32,
            ValType::I64 => wasmparser::ValType::I64,
            ValType::F32 => wasmparser::ValType::F32,
            ValType::F64 => wasmparser::ValType::F64,
            ValType::V128 => wasmparser::ValType::V128,
            ValType::Ref(RefType::FuncRef) => wasmparser::ValType::FUNCREF,
            ValType::Ref(RefType::ExternRef) => wasmparser::ValType::EXTERNREF,
        }
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::Ref(RefType::FuncRef) => "funcref",
            ValType::Ref(RefType::ExternRef) => "externref",
        })
    }
}

/// A function type.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FuncType {
    /// Parameter types, in order.
    pub params: Vec<ValType>,
    /// Result types, in order.
    pub results: Vec<ValType>,
}

impl FuncType {
    /// A signature from its parameter and result types.
    pub fn new(
        params: impl IntoIterator<Item = ValType>,
        results: impl IntoIterator<Item = ValType>,
    ) -> Self {
        FuncType {
            params: params.into_iter().collect(),
            results: results.into_iter().collect(),
        }
    }

    /// Parameter types.
    pub fn params(&self) -> &[ValType] {
        &self.params
    }

    /// Result types.
    pub fn results(&self) -> &[ValType] {
        &self.results
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[ValType]| {
            v.iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        write!(
            f,
            "(func (param {}) (result {}))",
            list(&self.params),
            list(&self.results)
        )
    }
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

impl TableType {
    /// A table of 32-bit indices.
    pub fn new(elem: RefType, min: u64, max: Option<u64>) -> Self {
        TableType {
            elem,
            min,
            max,
            table64: false,
        }
    }
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

impl MemoryType {
    /// An unshared memory of 32-bit addresses.
    pub fn new(min: u64, max: Option<u64>) -> Self {
        MemoryType {
            min,
            max,
            memory64: false,
            shared: false,
        }
    }
}

/// The type of a global.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GlobalType {
    /// The value's type.
    pub val: ValType,
    /// Whether `global.set` may change it.
    pub mutable: bool,
}

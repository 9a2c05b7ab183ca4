//! The embedder-facing descriptions of wasm types. The value, function,
//! global, memory and table types are Kiln's one definition, in
//! kiln-format (the artifact records the same types).

pub use kiln_format::artifact::{FuncType, GlobalType, MemoryType, RefType, TableType, ValType};

/// The type of anything that can be imported or exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExternType {
    /// A function.
    Func(FuncType),
    /// A global.
    Global(GlobalType),
    /// A memory.
    Memory(MemoryType),
    /// A table.
    Table(TableType),
}

impl ExternType {
    /// The kind as a word (`func`, `global`, `memory`, `table`).
    pub fn kind_name(&self) -> &'static str {
        match self {
            ExternType::Func(_) => "func",
            ExternType::Global(_) => "global",
            ExternType::Memory(_) => "memory",
            ExternType::Table(_) => "table",
        }
    }
}

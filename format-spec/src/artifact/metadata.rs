//! Module metadata: everything the runtime needs to instantiate a compiled
//! module without the original wasm.
//!
//! Index spaces follow wasm: imports come first, then definitions. So
//! `functions[i]` is the type of function `num_imported_funcs() + i`, and so
//! on for tables, memories and globals. Field order is the encoding order.

use serde::{Deserialize, Serialize};

use super::{ConstExpr, FuncType, GlobalType, MemoryType, RefType, TableType};
use crate::vmoffsets::VMCounts;

/// The kind of an exported or imported entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ExternKind {
    /// A function (variant 0).
    Func,
    /// A table (variant 1).
    Table,
    /// A memory (variant 2).
    Memory,
    /// A global (variant 3).
    Global,
}

/// What an import brings in.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ImportType {
    /// A function of the given type index (variant 0).
    Func(u32),
    /// A table (variant 1).
    Table(TableType),
    /// A memory (variant 2).
    Memory(MemoryType),
    /// A global (variant 3).
    Global(GlobalType),
}

/// One import.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Import {
    /// Module name.
    pub module: String,
    /// Field name.
    pub name: String,
    /// What is imported.
    pub ty: ImportType,
}

/// One export.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Export {
    /// Export name (unique within the module).
    pub name: String,
    /// Kind of the exported entity.
    pub kind: ExternKind,
    /// Index in that kind's index space.
    pub index: u32,
}

/// A defined table.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Table {
    /// Its type.
    pub ty: TableType,
    /// Initial value of every element; `None` means null.
    pub init: Option<ConstExpr>,
}

/// A defined global.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Global {
    /// Its type.
    pub ty: GlobalType,
    /// Its initial value.
    pub init: ConstExpr,
}

/// How an element segment is used.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ElementMode {
    /// Copied into a table at instantiation (variant 0).
    Active {
        /// Table index.
        table: u32,
        /// Element offset in the table.
        offset: ConstExpr,
    },
    /// Available to `table.init` (variant 1).
    Passive,
    /// Only declares functions for `ref.func` (variant 2).
    Declarative,
}

/// The items of an element segment.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ElementItems {
    /// Function indices, each a non-null `funcref` (variant 0).
    Functions(Vec<u32>),
    /// One constant expression per item (variant 1).
    Exprs(Vec<ConstExpr>),
}

/// An element segment.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ElementSegment {
    /// How it is used.
    pub mode: ElementMode,
    /// Element type.
    pub elem: RefType,
    /// The items.
    pub items: ElementItems,
}

/// How a data segment is used.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DataMode {
    /// Copied into a memory at instantiation (variant 0).
    Active {
        /// Memory index.
        memory: u32,
        /// Byte offset in the memory.
        offset: ConstExpr,
    },
    /// Available to `memory.init` (variant 1).
    Passive,
}

/// A data segment. Its bytes live in the `.kiln.data` section at
/// `offset..offset + len`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DataSegment {
    /// How it is used.
    pub mode: DataMode,
    /// Start of the bytes within `.kiln.data`.
    pub offset: u64,
    /// Number of bytes.
    pub len: u64,
}

/// A function's name from the wasm `name` section, for backtraces.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FuncName {
    /// Function index.
    pub index: u32,
    /// Its name.
    pub name: String,
}

/// Everything needed to instantiate the module without its wasm.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ModuleMetadata {
    /// The type section.
    pub types: Vec<FuncType>,
    /// Imports, in order.
    pub imports: Vec<Import>,
    /// Type index of each defined function.
    pub functions: Vec<u32>,
    /// Defined tables.
    pub tables: Vec<Table>,
    /// Defined memories.
    pub memories: Vec<MemoryType>,
    /// Defined globals.
    pub globals: Vec<Global>,
    /// Exports, in order.
    pub exports: Vec<Export>,
    /// The start function, if any.
    pub start: Option<u32>,
    /// Element segments, in order.
    pub elements: Vec<ElementSegment>,
    /// Data segments, in order.
    pub data: Vec<DataSegment>,
    /// The module's name from the `name` section, if any.
    pub name: Option<String>,
    /// Function names from the `name` section, by ascending index. Not
    /// part of `.kiln.meta`: an artifact keeps them in `.kiln.names`
    /// ([`encode_func_names`](super::encode_func_names)), decoded only
    /// when something asks for a name, so decoding `.kiln.meta` leaves
    /// this empty.
    #[serde(skip)]
    pub func_names: Vec<FuncName>,
}

impl ModuleMetadata {
    fn count_imports(&self, kind: ExternKind) -> usize {
        self.imports
            .iter()
            .filter(|i| {
                matches!(
                    (&i.ty, kind),
                    (ImportType::Func(_), ExternKind::Func)
                        | (ImportType::Table(_), ExternKind::Table)
                        | (ImportType::Memory(_), ExternKind::Memory)
                        | (ImportType::Global(_), ExternKind::Global)
                )
            })
            .count()
    }

    /// Number of imported functions (the index of the first defined one).
    pub fn num_imported_funcs(&self) -> usize {
        self.count_imports(ExternKind::Func)
    }

    /// Number of entities of `kind`, imported and defined.
    pub fn count(&self, kind: ExternKind) -> usize {
        let defined = match kind {
            ExternKind::Func => self.functions.len(),
            ExternKind::Table => self.tables.len(),
            ExternKind::Memory => self.memories.len(),
            ExternKind::Global => self.globals.len(),
        };
        self.count_imports(kind) + defined
    }

    /// Type index of function `index` (imported or defined).
    pub fn func_type_index(&self, index: u32) -> Option<u32> {
        let imported = self.imports.iter().filter_map(|i| match i.ty {
            ImportType::Func(t) => Some(t),
            _ => None,
        });
        imported
            .chain(self.functions.iter().copied())
            .nth(index as usize)
    }

    /// Types of all globals, imported first.
    pub fn global_types(&self) -> Vec<GlobalType> {
        let imported = self.imports.iter().filter_map(|i| match i.ty {
            ImportType::Global(g) => Some(g),
            _ => None,
        });
        imported.chain(self.globals.iter().map(|g| g.ty)).collect()
    }

    /// The counts that size this module's `VMContext`.
    pub fn vm_counts(&self) -> VMCounts {
        let n = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
        VMCounts {
            num_types: n(self.types.len()),
            num_funcs: n(self.count(ExternKind::Func)),
            num_memories: n(self.count(ExternKind::Memory)),
            num_tables: n(self.count(ExternKind::Table)),
            num_globals: n(self.count(ExternKind::Global)),
        }
    }
}

impl DataSegment {
    /// The segment's bytes within the `.kiln.data` section contents.
    pub fn bytes<'a>(&self, data_section: &'a [u8]) -> Option<&'a [u8]> {
        let start = usize::try_from(self.offset).ok()?;
        let end = start.checked_add(usize::try_from(self.len).ok()?)?;
        data_section.get(start..end)
    }
}

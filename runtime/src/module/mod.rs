//! A validated module: its types, imports, exports, segments and code.
//!
//! `Module::new` validates the whole binary with wasmparser (every
//! WebAssembly 2.0 feature) and records what instantiation and the
//! interpreter need. Function bodies are kept as byte ranges and translated
//! to interpreter code on first call.

mod const_expr;
mod parse;

pub(crate) use const_expr::ConstExpr;

use crate::engine::Engine;
use crate::error::Result;
use crate::interp::CompiledFunc;
use crate::types::{ExternType, FuncType, GlobalType, MemoryType, TableType};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// What an import or export refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExternKind {
    /// A function.
    Func,
    /// A table.
    Table,
    /// A memory.
    Memory,
    /// A global.
    Global,
}

/// One import of a module.
#[derive(Clone, Debug)]
pub struct ImportType {
    /// Module name.
    pub module: String,
    /// Field name.
    pub name: String,
    /// Expected type.
    pub ty: ExternType,
}

/// One export of a module.
#[derive(Clone, Debug)]
pub struct ExportType {
    /// Export name.
    pub name: String,
    /// Kind of entity.
    pub kind: ExternKind,
    /// Index in the module's index space of that kind.
    pub index: u32,
}

/// How an element or data segment is applied.
#[derive(Clone, Debug)]
pub(crate) enum SegmentMode {
    Passive,
    Active { index: u32, offset: ConstExpr },
    Declared,
}

#[derive(Clone, Debug)]
pub(crate) struct ElemSegment {
    pub mode: SegmentMode,
    pub items: Vec<ConstExpr>,
}

#[derive(Clone, Debug)]
pub(crate) struct DataSegment {
    pub mode: SegmentMode,
    pub bytes: Range<usize>,
}

pub(crate) struct ModuleInner {
    pub engine: Engine,
    pub bytes: Box<[u8]>,
    pub types: Vec<Arc<FuncType>>,
    pub imports: Vec<ImportType>,
    /// Type index of every function, imports first.
    pub funcs: Vec<u32>,
    pub num_imported_funcs: u32,
    pub tables: Vec<TableType>,
    pub num_imported_tables: u32,
    pub table_inits: Vec<Option<ConstExpr>>,
    pub memories: Vec<MemoryType>,
    pub num_imported_memories: u32,
    pub globals: Vec<GlobalType>,
    pub num_imported_globals: u32,
    pub global_inits: Vec<ConstExpr>,
    pub exports: Vec<ExportType>,
    pub start: Option<u32>,
    pub elems: Vec<ElemSegment>,
    pub datas: Vec<DataSegment>,
    /// Byte range of each defined function's body.
    pub bodies: Vec<Range<usize>>,
    /// Interpreter code per defined function, translated on first call.
    pub compiled: Vec<OnceLock<Arc<CompiledFunc>>>,
}

/// A validated WebAssembly module, cheap to clone and share.
#[derive(Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

impl Module {
    /// Validates the binary module `bytes` and records it.
    pub fn new(engine: &Engine, bytes: &[u8]) -> Result<Module> {
        let inner = parse::parse(engine, bytes)?;
        Ok(Module {
            inner: Arc::new(inner),
        })
    }

    /// The imports, in order.
    pub fn imports(&self) -> &[ImportType] {
        &self.inner.imports
    }

    /// The exports, in order.
    pub fn exports(&self) -> &[ExportType] {
        &self.inner.exports
    }

    /// The type of the export `name`, if any.
    pub fn export_type(&self, name: &str) -> Option<ExternType> {
        let e = self.inner.exports.iter().find(|e| e.name == name)?;
        Some(self.inner.extern_type(e.kind, e.index))
    }
}

impl ModuleInner {
    pub(crate) fn func_type(&self, func: u32) -> &Arc<FuncType> {
        &self.types[self.funcs[func as usize] as usize]
    }

    pub(crate) fn extern_type(&self, kind: ExternKind, index: u32) -> ExternType {
        let i = index as usize;
        match kind {
            ExternKind::Func => ExternType::Func((**self.func_type(index)).clone()),
            ExternKind::Table => ExternType::Table(self.tables[i]),
            ExternKind::Memory => ExternType::Memory(self.memories[i]),
            ExternKind::Global => ExternType::Global(self.globals[i]),
        }
    }

    pub(crate) fn num_defined_funcs(&self) -> usize {
        self.funcs.len() - self.num_imported_funcs as usize
    }
}

//! The wasm front end: validating a binary module and reading it, once,
//! into its description ([`ModuleMetadata`]). The compiler's artifact
//! writer and the runtime (for wasm and, through the artifact, for AOT
//! code) all start from what [`read_wasm`] gives.
//!
//! Index spaces count imports first, as everywhere in Kiln.

use crate::artifact::{
    ConstExpr, ConstOp, DataMode, DataSegment, ElementItems, ElementMode, ElementSegment, Export,
    ExternKind, FuncName, FuncType, Global, GlobalType, Import, ImportType, MemoryType,
    ModuleMetadata, RefType, Table, TableType, ValType,
};
use std::fmt;
use std::ops::Range;
use wasmparser::{Parser, Payload, Validator, WasmFeatures};

/// The features every tier accepts: WebAssembly 2.0.
pub const FEATURES: WasmFeatures = WasmFeatures::WASM2;

/// Why a module could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    /// What went wrong.
    pub message: String,
    /// Byte offset in the wasm.
    pub offset: usize,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at offset 0x{:x})", self.message, self.offset)
    }
}

impl std::error::Error for ReadError {}

impl From<wasmparser::BinaryReaderError> for ReadError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        ReadError {
            message: e.message().to_string(),
            offset: e.offset() as usize,
        }
    }
}

fn unsupported(what: impl fmt::Debug, offset: u64) -> ReadError {
    ReadError {
        message: format!("unsupported {what:?}"),
        offset: offset as usize,
    }
}

/// Validates `wasm` with [`FEATURES`]: the one validation pass of a load.
pub fn validate(wasm: &[u8]) -> wasmparser::Result<()> {
    Validator::new_with_features(FEATURES).validate_all(wasm)?;
    Ok(())
}

/// A module as read from its wasm: the description, whose data segments'
/// `offset..offset + len` are byte ranges of the wasm itself, and where
/// each defined function's body lies.
#[derive(Clone, Debug, Default)]
pub struct WasmModule {
    /// The module's description.
    pub metadata: ModuleMetadata,
    /// Byte range of each defined function's body in the wasm, in order.
    pub bodies: Vec<Range<usize>>,
}

impl ModuleMetadata {
    /// The metadata of `wasm` (validated with [`FEATURES`]) and the
    /// concatenated bytes of its data segments, as an artifact carries them.
    pub fn from_wasm(wasm: &[u8]) -> Result<(ModuleMetadata, Vec<u8>), ReadError> {
        let mut m = read_wasm(wasm)?.metadata;
        let mut data = Vec::new();
        for d in &mut m.data {
            let bytes = d.bytes(wasm).unwrap_or_default();
            d.offset = data.len() as u64;
            data.extend_from_slice(bytes);
        }
        Ok((m, data))
    }
}

/// Reads `wasm`, which the caller has validated with [`FEATURES`]
/// (reading an invalid module may give an error or a partial description,
/// never a panic).
pub fn read_wasm(wasm: &[u8]) -> Result<WasmModule, ReadError> {
    let mut module = WasmModule::default();
    let m = &mut module.metadata;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::TypeSection(r) => {
                for t in r.into_iter_err_on_gc_types() {
                    let t = t?;
                    m.types.push(FuncType {
                        params: t.params().iter().map(|p| ValType::from(*p)).collect(),
                        results: t.results().iter().map(|p| ValType::from(*p)).collect(),
                    });
                }
            }
            Payload::ImportSection(r) => {
                let offset = r.range().start;
                for i in r.into_imports() {
                    let i = i?;
                    let ty = match i.ty {
                        wasmparser::TypeRef::Func(t) => ImportType::Func(t),
                        wasmparser::TypeRef::Table(t) => ImportType::Table(table(&t)),
                        wasmparser::TypeRef::Memory(t) => ImportType::Memory(memory(&t)),
                        wasmparser::TypeRef::Global(g) => ImportType::Global(global(&g)),
                        other => return Err(unsupported(other, offset)),
                    };
                    m.imports.push(Import {
                        module: i.module.to_string(),
                        name: i.name.to_string(),
                        ty,
                    });
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    m.functions.push(t?);
                }
            }
            Payload::TableSection(r) => {
                for t in r {
                    let t = t?;
                    let init = match t.init {
                        wasmparser::TableInit::RefNull => None,
                        wasmparser::TableInit::Expr(e) => Some(const_expr(&e)?),
                    };
                    m.tables.push(Table {
                        ty: table(&t.ty),
                        init,
                    });
                }
            }
            Payload::MemorySection(r) => {
                for t in r {
                    m.memories.push(memory(&t?));
                }
            }
            Payload::GlobalSection(r) => {
                for g in r {
                    let g = g?;
                    m.globals.push(Global {
                        ty: global(&g.ty),
                        init: const_expr(&g.init_expr)?,
                    });
                }
            }
            Payload::ExportSection(r) => {
                let offset = r.range().start;
                for e in r {
                    let e = e?;
                    let kind = match e.kind {
                        wasmparser::ExternalKind::Func => ExternKind::Func,
                        wasmparser::ExternalKind::Table => ExternKind::Table,
                        wasmparser::ExternalKind::Memory => ExternKind::Memory,
                        wasmparser::ExternalKind::Global => ExternKind::Global,
                        other => return Err(unsupported(other, offset)),
                    };
                    m.exports.push(Export {
                        name: e.name.to_string(),
                        kind,
                        index: e.index,
                    });
                }
            }
            Payload::StartSection { func, .. } => m.start = Some(func),
            Payload::ElementSection(r) => {
                for e in r {
                    m.elements.push(element(e?)?);
                }
            }
            Payload::DataSection(r) => {
                for d in r {
                    let d = d?;
                    let mode = match d.kind {
                        wasmparser::DataKind::Passive => DataMode::Passive,
                        wasmparser::DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => DataMode::Active {
                            memory: memory_index,
                            offset: const_expr(&offset_expr)?,
                        },
                    };
                    m.data.push(DataSegment {
                        mode,
                        offset: (d.data.as_ptr() as usize - wasm.as_ptr() as usize) as u64,
                        len: d.data.len() as u64,
                    });
                }
            }
            Payload::CodeSectionEntry(body) => {
                let r = body.range();
                module.bodies.push(r.start as usize..r.end as usize);
            }
            Payload::CustomSection(c) => {
                if let wasmparser::KnownCustom::Name(names) = c.as_known() {
                    read_names(names, m);
                }
            }
            _ => {}
        }
    }
    tidy_names(m);
    Ok(module)
}

fn table(t: &wasmparser::TableType) -> TableType {
    TableType {
        elem: RefType::from(t.element_type),
        min: t.initial,
        max: t.maximum,
        table64: t.table64,
    }
}

fn memory(m: &wasmparser::MemoryType) -> MemoryType {
    MemoryType {
        min: m.initial,
        max: m.maximum,
        memory64: m.memory64,
        shared: m.shared,
    }
}

fn global(g: &wasmparser::GlobalType) -> GlobalType {
    GlobalType {
        val: g.content_type.into(),
        mutable: g.mutable,
    }
}

fn const_expr(e: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr, ReadError> {
    use wasmparser::Operator as O;
    let mut ops = Vec::new();
    let mut reader = e.get_operators_reader();
    loop {
        let (op, offset) = reader.read_with_offset()?;
        ops.push(match op {
            O::I32Const { value } => ConstOp::I32Const(value),
            O::I64Const { value } => ConstOp::I64Const(value),
            O::F32Const { value } => ConstOp::F32Const(value.bits()),
            O::F64Const { value } => ConstOp::F64Const(value.bits()),
            O::V128Const { value } => ConstOp::V128Const(*value.bytes()),
            O::RefNull { hty } => ConstOp::RefNull(if hty == wasmparser::HeapType::FUNC {
                RefType::FuncRef
            } else {
                RefType::ExternRef
            }),
            O::RefFunc { function_index } => ConstOp::RefFunc(function_index),
            O::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
            O::I32Add => ConstOp::I32Add,
            O::I32Sub => ConstOp::I32Sub,
            O::I32Mul => ConstOp::I32Mul,
            O::I64Add => ConstOp::I64Add,
            O::I64Sub => ConstOp::I64Sub,
            O::I64Mul => ConstOp::I64Mul,
            O::End => break,
            other => {
                return Err(ReadError {
                    message: format!("unsupported constant instruction {other:?}"),
                    offset: offset as usize,
                })
            }
        });
    }
    Ok(ConstExpr(ops))
}

/// Keeps the function names the format accepts: in range, one per
/// function (the first given), ascending. A name section may break these
/// rules without making the module invalid.
fn tidy_names(m: &mut ModuleMetadata) {
    let num_funcs = m.count(ExternKind::Func);
    m.func_names.retain(|n| (n.index as usize) < num_funcs);
    m.func_names.sort_by_key(|n| n.index);
    m.func_names.dedup_by_key(|n| n.index);
}

fn element(e: wasmparser::Element<'_>) -> Result<ElementSegment, ReadError> {
    let (elem, items) = match e.items {
        wasmparser::ElementItems::Functions(f) => (
            RefType::FuncRef,
            ElementItems::Functions(f.into_iter().collect::<Result<_, _>>()?),
        ),
        wasmparser::ElementItems::Expressions(rt, exprs) => {
            let items = exprs
                .into_iter()
                .map(|x| const_expr(&x?))
                .collect::<Result<Vec<_>, _>>()?;
            (RefType::from(rt), ElementItems::Exprs(items))
        }
    };
    let mode = match e.kind {
        wasmparser::ElementKind::Passive => ElementMode::Passive,
        wasmparser::ElementKind::Declared => ElementMode::Declarative,
        wasmparser::ElementKind::Active {
            table_index,
            offset_expr,
        } => ElementMode::Active {
            table: table_index.unwrap_or(0),
            offset: const_expr(&offset_expr)?,
        },
    };
    Ok(ElementSegment { mode, elem, items })
}

/// Function names, best effort: a malformed name section is ignored.
fn read_names(names: wasmparser::NameSectionReader<'_>, m: &mut ModuleMetadata) {
    for n in names.into_iter().flatten() {
        match n {
            wasmparser::Name::Module { name, .. } => m.name = Some(name.to_string()),
            wasmparser::Name::Function(map) => {
                for naming in map.into_iter().flatten() {
                    m.func_names.push(FuncName {
                        index: naming.index,
                        name: naming.name.to_string(),
                    });
                }
            }
            _ => {}
        }
    }
}

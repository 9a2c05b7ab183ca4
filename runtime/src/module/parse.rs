//! Reading a binary module into a [`ModuleInner`] after full validation.

use super::{
    ConstExpr, DataSegment, ElemSegment, ExportType, ExternKind, ImportType, ModuleInner,
    SegmentMode,
};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::types::{ExternType, FuncType, GlobalType, MemoryType, TableType, ValType};
use std::sync::{Arc, OnceLock};
use wasmparser::{Parser, Payload, Validator, WasmFeatures};

fn table_type(t: &wasmparser::TableType) -> TableType {
    TableType {
        element: ValType::from_ref_type(t.element_type),
        min: t.initial as u32,
        max: t.maximum.map(|m| m as u32),
    }
}

fn memory_type(m: &wasmparser::MemoryType) -> MemoryType {
    MemoryType {
        min: m.initial,
        max: m.maximum,
    }
}

fn global_type(g: &wasmparser::GlobalType) -> GlobalType {
    GlobalType {
        content: ValType::from_wasmparser(g.content_type),
        mutable: g.mutable,
    }
}

fn segment_range(bytes: &[u8], data: &[u8]) -> std::ops::Range<usize> {
    let start = data.as_ptr() as usize - bytes.as_ptr() as usize;
    start..start + data.len()
}

/// Validates `bytes` with every WebAssembly 2.0 feature.
pub(super) fn validate(bytes: &[u8]) -> Result<()> {
    Validator::new_with_features(WasmFeatures::WASM2).validate_all(bytes)?;
    Ok(())
}

pub(super) fn parse(engine: &Engine, bytes: &[u8]) -> Result<ModuleInner> {
    validate(bytes)?;
    let bytes: Box<[u8]> = bytes.into();
    let mut m = ModuleInner::empty(engine);
    for payload in Parser::new(0).parse_all(&bytes) {
        match payload? {
            Payload::TypeSection(r) => {
                for ty in r.into_iter_err_on_gc_types() {
                    let ty = ty?;
                    let params = ty.params().iter().map(|t| ValType::from_wasmparser(*t));
                    let results = ty.results().iter().map(|t| ValType::from_wasmparser(*t));
                    m.types.push(Arc::new(FuncType::new(params, results)));
                }
            }
            Payload::ImportSection(r) => {
                for import in r.into_imports() {
                    let import = import?;
                    let ty = match import.ty {
                        wasmparser::TypeRef::Func(t) => {
                            m.funcs.push(t);
                            m.num_imported_funcs += 1;
                            ExternType::Func((*m.types[t as usize]).clone())
                        }
                        wasmparser::TypeRef::Table(t) => {
                            m.tables.push(table_type(&t));
                            m.table_inits.push(None);
                            m.num_imported_tables += 1;
                            ExternType::Table(table_type(&t))
                        }
                        wasmparser::TypeRef::Memory(mt) => {
                            m.memories.push(memory_type(&mt));
                            m.num_imported_memories += 1;
                            ExternType::Memory(memory_type(&mt))
                        }
                        wasmparser::TypeRef::Global(g) => {
                            m.globals.push(global_type(&g));
                            m.global_inits.push(ConstExpr { ops: Vec::new() });
                            m.num_imported_globals += 1;
                            ExternType::Global(global_type(&g))
                        }
                        other => {
                            return Err(Error::Compile {
                                offset: 0,
                                message: format!("unsupported import kind {other:?}"),
                            })
                        }
                    };
                    m.imports.push(ImportType {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        ty,
                    });
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    m.funcs.push(t?);
                }
            }
            Payload::TableSection(r) => {
                for t in r {
                    let t = t?;
                    let tt = table_type(&t.ty);
                    m.tables.push(tt);
                    m.table_inits.push(match t.init {
                        wasmparser::TableInit::RefNull => None,
                        wasmparser::TableInit::Expr(e) => Some(ConstExpr::read(&e)?),
                    });
                }
            }
            Payload::MemorySection(r) => {
                for mt in r {
                    m.memories.push(memory_type(&mt?));
                }
            }
            Payload::GlobalSection(r) => {
                for g in r {
                    let g = g?;
                    let gt = global_type(&g.ty);
                    m.globals.push(gt);
                    m.global_inits.push(ConstExpr::read(&g.init_expr)?);
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e?;
                    let kind = match e.kind {
                        wasmparser::ExternalKind::Func => ExternKind::Func,
                        wasmparser::ExternalKind::Table => ExternKind::Table,
                        wasmparser::ExternalKind::Memory => ExternKind::Memory,
                        wasmparser::ExternalKind::Global => ExternKind::Global,
                        other => {
                            return Err(Error::Compile {
                                offset: 0,
                                message: format!("unsupported export kind {other:?}"),
                            })
                        }
                    };
                    m.exports.push(ExportType {
                        name: e.name.to_string(),
                        kind,
                        index: e.index,
                    });
                }
            }
            Payload::StartSection { func, .. } => m.start = Some(func),
            Payload::ElementSection(r) => {
                for e in r {
                    let e = e?;
                    let items = match e.items {
                        wasmparser::ElementItems::Functions(f) => f
                            .into_iter()
                            .map(|i| i.map(ConstExpr::ref_func))
                            .collect::<Result<Vec<_>, _>>()?,
                        wasmparser::ElementItems::Expressions(_, exprs) => exprs
                            .into_iter()
                            .map(|x| ConstExpr::read(&x?))
                            .collect::<Result<Vec<_>>>()?,
                    };
                    let mode = match e.kind {
                        wasmparser::ElementKind::Passive => SegmentMode::Passive,
                        wasmparser::ElementKind::Declared => SegmentMode::Declared,
                        wasmparser::ElementKind::Active {
                            table_index,
                            offset_expr,
                        } => SegmentMode::Active {
                            index: table_index.unwrap_or(0),
                            offset: ConstExpr::read(&offset_expr)?,
                        },
                    };
                    m.elems.push(ElemSegment { mode, items });
                }
            }
            Payload::DataSection(r) => {
                for d in r {
                    let d = d?;
                    let mode = match d.kind {
                        wasmparser::DataKind::Passive => SegmentMode::Passive,
                        wasmparser::DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => SegmentMode::Active {
                            index: memory_index,
                            offset: ConstExpr::read(&offset_expr)?,
                        },
                    };
                    m.datas.push(DataSegment {
                        mode,
                        bytes: segment_range(&bytes, d.data),
                    });
                }
            }
            Payload::CodeSectionEntry(body) => {
                let r = body.range();
                m.bodies.push(r.start as usize..r.end as usize);
            }
            _ => {}
        }
    }
    m.compiled = (0..m.bodies.len()).map(|_| OnceLock::new()).collect();
    m.bytes = bytes;
    Ok(m)
}

//! The artifact's module metadata, read from the (validated) wasm.

use crate::error::{CompileError, Result};
use kiln_format::artifact::{
    ConstExpr, ConstOp, DataMode, DataSegment, ElementItems, ElementMode, ElementSegment, Export,
    ExternKind, FuncName, FuncType, Global, GlobalType, Import, ImportType, MemoryType,
    ModuleMetadata, RefType, Table, TableType, ValType,
};
use wasmparser::{Parser, Payload};

fn bad(e: impl std::fmt::Display) -> CompileError {
    CompileError::InvalidWasm(e.to_string())
}

fn ref_type(r: wasmparser::RefType) -> RefType {
    if r.is_func_ref() {
        RefType::FuncRef
    } else {
        RefType::ExternRef
    }
}

fn val(t: wasmparser::ValType) -> ValType {
    match t {
        wasmparser::ValType::I32 => ValType::I32,
        wasmparser::ValType::I64 => ValType::I64,
        wasmparser::ValType::F32 => ValType::F32,
        wasmparser::ValType::F64 => ValType::F64,
        wasmparser::ValType::V128 => ValType::V128,
        wasmparser::ValType::Ref(r) => ValType::Ref(ref_type(r)),
    }
}

fn table(t: &wasmparser::TableType) -> TableType {
    TableType {
        elem: ref_type(t.element_type),
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
        val: val(g.content_type),
        mutable: g.mutable,
    }
}

fn const_expr(e: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr> {
    use wasmparser::Operator as O;
    let mut ops = Vec::new();
    let mut reader = e.get_operators_reader();
    loop {
        ops.push(match reader.read().map_err(bad)? {
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
            other => return Err(bad(format!("unsupported constant instruction {other:?}"))),
        });
    }
    Ok(ConstExpr(ops))
}

/// The metadata of `wasm` and the concatenated bytes of its data segments.
pub fn module_metadata(wasm: &[u8]) -> Result<(ModuleMetadata, Vec<u8>)> {
    let mut m = ModuleMetadata::default();
    let mut data = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(bad)? {
            Payload::TypeSection(r) => {
                for t in r.into_iter_err_on_gc_types() {
                    let t = t.map_err(bad)?;
                    m.types.push(FuncType {
                        params: t.params().iter().map(|p| val(*p)).collect(),
                        results: t.results().iter().map(|p| val(*p)).collect(),
                    });
                }
            }
            Payload::ImportSection(r) => {
                for i in r.into_imports() {
                    let i = i.map_err(bad)?;
                    let ty = match i.ty {
                        wasmparser::TypeRef::Func(t) => ImportType::Func(t),
                        wasmparser::TypeRef::Table(t) => ImportType::Table(table(&t)),
                        wasmparser::TypeRef::Memory(t) => ImportType::Memory(memory(&t)),
                        wasmparser::TypeRef::Global(g) => ImportType::Global(global(&g)),
                        other => return Err(bad(format!("unsupported import {other:?}"))),
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
                    m.functions.push(t.map_err(bad)?);
                }
            }
            Payload::TableSection(r) => {
                for t in r {
                    let t = t.map_err(bad)?;
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
                    m.memories.push(memory(&t.map_err(bad)?));
                }
            }
            Payload::GlobalSection(r) => {
                for g in r {
                    let g = g.map_err(bad)?;
                    m.globals.push(Global {
                        ty: global(&g.ty),
                        init: const_expr(&g.init_expr)?,
                    });
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(bad)?;
                    let kind = match e.kind {
                        wasmparser::ExternalKind::Func => ExternKind::Func,
                        wasmparser::ExternalKind::Table => ExternKind::Table,
                        wasmparser::ExternalKind::Memory => ExternKind::Memory,
                        wasmparser::ExternalKind::Global => ExternKind::Global,
                        other => return Err(bad(format!("unsupported export {other:?}"))),
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
                    m.elements.push(element(e.map_err(bad)?)?);
                }
            }
            Payload::DataSection(r) => {
                for d in r {
                    let d = d.map_err(bad)?;
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
                        offset: data.len() as u64,
                        len: d.data.len() as u64,
                    });
                    data.extend_from_slice(d.data);
                }
            }
            Payload::CustomSection(c) => {
                if let wasmparser::KnownCustom::Name(names) = c.as_known() {
                    read_names(names, &mut m);
                }
            }
            _ => {}
        }
    }
    tidy_names(&mut m);
    Ok((m, data))
}

/// Keeps the function names the format accepts: in range, one per
/// function (the first given), ascending. A name section may break these
/// rules without making the module invalid.
fn tidy_names(m: &mut ModuleMetadata) {
    let num_funcs = m
        .imports
        .iter()
        .filter(|i| matches!(i.ty, ImportType::Func(_)))
        .count()
        + m.functions.len();
    m.func_names.retain(|n| (n.index as usize) < num_funcs);
    m.func_names.sort_by_key(|n| n.index);
    m.func_names.dedup_by_key(|n| n.index);
}

fn element(e: wasmparser::Element<'_>) -> Result<ElementSegment> {
    let (elem, items) = match e.items {
        wasmparser::ElementItems::Functions(f) => (
            RefType::FuncRef,
            ElementItems::Functions(
                f.into_iter()
                    .collect::<std::result::Result<_, _>>()
                    .map_err(bad)?,
            ),
        ),
        wasmparser::ElementItems::Expressions(rt, exprs) => {
            let items = exprs
                .into_iter()
                .map(|x| const_expr(&x.map_err(bad)?))
                .collect::<Result<Vec<_>>>()?;
            (ref_type(rt), ElementItems::Exprs(items))
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

//! Building the runtime's [`ModuleInner`] from a module's description,
//! [`fmt::ModuleMetadata`]: the one conversion, for wasm (read by
//! [`kiln_format::reader`]) and for artifacts alike.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::module::{
    ConstExpr, ConstOp, DataSegment, ElemSegment, ExportType, ExternKind, ImportType, ModuleInner,
    SegmentMode,
};
use crate::types::{ExternType, FuncType, GlobalType, MemoryType, TableType, ValType};
use kiln_format::artifact as fmt;
use std::sync::Arc;

fn val(t: fmt::ValType) -> ValType {
    match t {
        fmt::ValType::I32 => ValType::I32,
        fmt::ValType::I64 => ValType::I64,
        fmt::ValType::F32 => ValType::F32,
        fmt::ValType::F64 => ValType::F64,
        fmt::ValType::V128 => ValType::V128,
        fmt::ValType::Ref(r) => reference(r),
    }
}

fn reference(r: fmt::RefType) -> ValType {
    match r {
        fmt::RefType::FuncRef => ValType::FuncRef,
        fmt::RefType::ExternRef => ValType::ExternRef,
    }
}

fn table(t: &fmt::TableType) -> TableType {
    TableType {
        element: reference(t.elem),
        min: t.min as u32,
        max: t.max.map(|m| m as u32),
    }
}

fn memory(m: &fmt::MemoryType) -> MemoryType {
    MemoryType {
        min: m.min,
        max: m.max,
    }
}

fn global(g: &fmt::GlobalType) -> GlobalType {
    GlobalType {
        content: val(g.val),
        mutable: g.mutable,
    }
}

fn const_expr(e: &fmt::ConstExpr) -> ConstExpr {
    let ops =
        e.0.iter()
            .map(|op| match *op {
                fmt::ConstOp::I32Const(v) => ConstOp::I32(v),
                fmt::ConstOp::I64Const(v) => ConstOp::I64(v),
                fmt::ConstOp::F32Const(v) => ConstOp::F32(v),
                fmt::ConstOp::F64Const(v) => ConstOp::F64(v),
                fmt::ConstOp::V128Const(b) => ConstOp::V128(u128::from_le_bytes(b)),
                fmt::ConstOp::RefNull(_) => ConstOp::RefNull,
                fmt::ConstOp::RefFunc(i) => ConstOp::RefFunc(i),
                fmt::ConstOp::GlobalGet(i) => ConstOp::GlobalGet(i),
                fmt::ConstOp::I32Add => ConstOp::I32Add,
                fmt::ConstOp::I32Sub => ConstOp::I32Sub,
                fmt::ConstOp::I32Mul => ConstOp::I32Mul,
                fmt::ConstOp::I64Add => ConstOp::I64Add,
                fmt::ConstOp::I64Sub => ConstOp::I64Sub,
                fmt::ConstOp::I64Mul => ConstOp::I64Mul,
            })
            .collect();
    ConstExpr { ops }
}

/// The module described by `meta`, whose data segments index `data` (the
/// wasm itself, or an artifact's `.kiln.data`).
pub(crate) fn module_inner(
    engine: &Engine,
    meta: &fmt::ModuleMetadata,
    data: &[u8],
) -> Result<ModuleInner> {
    let types: Vec<Arc<FuncType>> = meta
        .types
        .iter()
        .map(|t| {
            Arc::new(FuncType::new(
                t.params.iter().map(|p| val(*p)),
                t.results.iter().map(|r| val(*r)),
            ))
        })
        .collect();
    let mut m = ModuleInner::empty(engine);
    for import in &meta.imports {
        let ty = match &import.ty {
            fmt::ImportType::Func(t) => {
                m.funcs.push(*t);
                m.num_imported_funcs += 1;
                let ft = types
                    .get(*t as usize)
                    .ok_or_else(|| bad("import type index"))?;
                ExternType::Func((**ft).clone())
            }
            fmt::ImportType::Table(t) => {
                m.tables.push(table(t));
                m.table_inits.push(None);
                m.num_imported_tables += 1;
                ExternType::Table(table(t))
            }
            fmt::ImportType::Memory(mt) => {
                m.memories.push(memory(mt));
                m.num_imported_memories += 1;
                ExternType::Memory(memory(mt))
            }
            fmt::ImportType::Global(g) => {
                m.globals.push(global(g));
                m.global_inits.push(ConstExpr { ops: Vec::new() });
                m.num_imported_globals += 1;
                ExternType::Global(global(g))
            }
        };
        m.imports.push(ImportType {
            module: import.module.clone(),
            name: import.name.clone(),
            ty,
        });
    }
    m.types = types;
    m.funcs.extend(&meta.functions);
    for t in &meta.tables {
        m.tables.push(table(&t.ty));
        m.table_inits.push(t.init.as_ref().map(const_expr));
    }
    m.memories.extend(meta.memories.iter().map(memory));
    for g in &meta.globals {
        m.globals.push(global(&g.ty));
        m.global_inits.push(const_expr(&g.init));
    }
    m.exports = meta
        .exports
        .iter()
        .map(|e| ExportType {
            name: e.name.clone(),
            kind: match e.kind {
                fmt::ExternKind::Func => ExternKind::Func,
                fmt::ExternKind::Table => ExternKind::Table,
                fmt::ExternKind::Memory => ExternKind::Memory,
                fmt::ExternKind::Global => ExternKind::Global,
            },
            index: e.index,
        })
        .collect();
    m.start = meta.start;
    m.elems = meta
        .elements
        .iter()
        .map(|e| ElemSegment {
            mode: match &e.mode {
                fmt::ElementMode::Active { table, offset } => SegmentMode::Active {
                    index: *table,
                    offset: const_expr(offset),
                },
                fmt::ElementMode::Passive => SegmentMode::Passive,
                fmt::ElementMode::Declarative => SegmentMode::Declared,
            },
            items: match &e.items {
                fmt::ElementItems::Functions(f) => {
                    f.iter().map(|i| ConstExpr::ref_func(*i)).collect()
                }
                fmt::ElementItems::Exprs(x) => x.iter().map(const_expr).collect(),
            },
        })
        .collect();
    m.datas = meta
        .data
        .iter()
        .map(|d| {
            let start = d.offset as usize;
            let end = start
                .checked_add(d.len as usize)
                .filter(|e| *e <= data.len());
            let end = end.ok_or_else(|| bad("data segment range"))?;
            Ok(DataSegment {
                mode: match &d.mode {
                    fmt::DataMode::Active { memory, offset } => SegmentMode::Active {
                        index: *memory,
                        offset: const_expr(offset),
                    },
                    fmt::DataMode::Passive => SegmentMode::Passive,
                },
                bytes: start..end,
            })
        })
        .collect::<Result<_>>()?;
    m.bytes = data.into();
    Ok(m)
}

fn bad(what: &str) -> Error {
    Error::Compile {
        offset: 0,
        message: format!("artifact metadata has an invalid {what}"),
    }
}

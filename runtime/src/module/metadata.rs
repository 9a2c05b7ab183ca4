//! Building the runtime's [`ModuleInner`] from a module's description,
//! [`fmt::ModuleMetadata`]: the one conversion, for wasm (read by
//! [`kiln_format::reader`]) and for artifacts alike. The types are shared;
//! what changes is the layout: index spaces with imports first, each
//! import's full type, and every function's signature behind an `Arc`.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::module::{ConstExpr, ImportType, ModuleInner};
use crate::types::{ExternType, FuncType};
use kiln_format::artifact as fmt;
use std::sync::Arc;

/// The module described by `meta`, whose data segments index `data` (the
/// wasm itself, or an artifact's `.kiln.data`).
pub(crate) fn module_inner(
    engine: &Engine,
    meta: &fmt::ModuleMetadata,
    data: &[u8],
) -> Result<ModuleInner> {
    let mut m = ModuleInner::empty(engine);
    m.types = meta.types.iter().cloned().map(Arc::new).collect();
    for import in &meta.imports {
        let ty = match &import.ty {
            fmt::ImportType::Func(t) => {
                m.funcs.push(*t);
                m.num_imported_funcs += 1;
                let ft: &FuncType = m
                    .types
                    .get(*t as usize)
                    .ok_or_else(|| bad("import type index"))?;
                ExternType::Func(ft.clone())
            }
            fmt::ImportType::Table(t) => {
                m.tables.push(*t);
                m.table_inits.push(None);
                m.num_imported_tables += 1;
                ExternType::Table(*t)
            }
            fmt::ImportType::Memory(mt) => {
                m.memories.push(*mt);
                m.num_imported_memories += 1;
                ExternType::Memory(*mt)
            }
            fmt::ImportType::Global(g) => {
                m.globals.push(*g);
                m.global_inits.push(ConstExpr::default());
                m.num_imported_globals += 1;
                ExternType::Global(*g)
            }
        };
        m.imports.push(ImportType {
            module: import.module.clone(),
            name: import.name.clone(),
            ty,
        });
    }
    m.funcs.extend(&meta.functions);
    for t in &meta.tables {
        m.tables.push(t.ty);
        m.table_inits.push(t.init.clone());
    }
    m.memories.extend(&meta.memories);
    for g in &meta.globals {
        m.globals.push(g.ty);
        m.global_inits.push(g.init.clone());
    }
    m.exports = meta.exports.clone();
    m.name = meta.name.clone();
    m.func_names = meta.func_names.clone();
    m.start = meta.start;
    m.elems = meta.elements.clone();
    if meta.data.iter().any(|d| d.bytes(data).is_none()) {
        return Err(bad("data segment range"));
    }
    m.datas = meta.data.clone();
    m.bytes = data.into();
    Ok(m)
}

fn bad(what: &str) -> Error {
    Error::Compile {
        offset: 0,
        message: format!("artifact metadata has an invalid {what}"),
    }
}

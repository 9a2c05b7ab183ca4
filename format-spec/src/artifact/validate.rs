//! Structural checks on decoded metadata: every index in range, every
//! constant expression well typed, the start function of type `[] -> []`.
//!
//! After these checks the runtime may index its tables by the metadata
//! without bounds surprises. They do not re-validate function bodies: the
//! compiler did that when it compiled them.

use std::collections::HashSet;

use super::{
    ArtifactError, ConstContext, ConstExpr, DataMode, ElementItems, ElementMode, ExternKind,
    FuncName, GlobalType, ImportType, MemoryType, ModuleMetadata, RefType, TableType, ValType,
};

/// The most pages a 32-bit memory may have (4 GiB).
const MAX_PAGES_32: u64 = 1 << 16;
/// The most pages a 64-bit memory may have (2^64 bytes).
const MAX_PAGES_64: u64 = 1 << 48;

fn fail<T>(why: String) -> Result<T, ArtifactError> {
    Err(ArtifactError::Metadata(why))
}

fn expect_type(
    what: &str,
    expr: &ConstExpr,
    cx: &ConstContext<'_>,
    want: ValType,
) -> Result<(), ArtifactError> {
    match expr.result_type(cx) {
        Ok(t) if t == want => Ok(()),
        Ok(t) => fail(format!("{what} has type {t:?}, expected {want:?}")),
        Err(why) => fail(format!("{what}: {why}")),
    }
}

/// Function names must name functions of a module with `num_funcs` of
/// them, by strictly ascending index.
pub fn check_func_names(names: &[FuncName], num_funcs: u32) -> Result<(), ArtifactError> {
    let mut previous = None;
    for n in names {
        if n.index >= num_funcs || previous.is_some_and(|p| p >= n.index) {
            return fail(format!(
                "function name for {} out of range or out of order",
                n.index
            ));
        }
        previous = Some(n.index);
    }
    Ok(())
}

fn index_type(is64: bool) -> ValType {
    if is64 {
        ValType::I64
    } else {
        ValType::I32
    }
}

/// The full index spaces of the module, imports first.
struct Spaces {
    tables: Vec<TableType>,
    memories: Vec<MemoryType>,
    globals: Vec<GlobalType>,
    num_funcs: u32,
}

impl Spaces {
    /// Context for expressions that may read any global.
    fn all(&self) -> ConstContext<'_> {
        ConstContext {
            globals: &self.globals,
            num_funcs: self.num_funcs,
        }
    }
}

impl ModuleMetadata {
    /// Checks that the metadata is internally consistent.
    pub fn validate(&self) -> Result<(), ArtifactError> {
        let spaces = self.check_types_and_limits()?;
        self.check_initialisers(&spaces)?;
        self.check_exports_and_start()?;
        self.check_elements(&spaces)?;
        self.check_data_modes(&spaces)?;
        check_func_names(&self.func_names, spaces.num_funcs)
    }

    fn check_types_and_limits(&self) -> Result<Spaces, ArtifactError> {
        let type_ok = |t: u32| (t as usize) < self.types.len();
        let mut tables = Vec::new();
        let mut memories = Vec::new();
        for (i, import) in self.imports.iter().enumerate() {
            match &import.ty {
                ImportType::Func(t) if !type_ok(*t) => {
                    return fail(format!("import {i} has type index {t} out of range"))
                }
                ImportType::Table(t) => tables.push(*t),
                ImportType::Memory(m) => memories.push(*m),
                _ => {}
            }
        }
        if let Some(i) = self.functions.iter().position(|t| !type_ok(*t)) {
            return fail(format!(
                "defined function {i} has a type index out of range"
            ));
        }
        tables.extend(self.tables.iter().map(|t| t.ty));
        memories.extend(self.memories.iter().copied());
        for (i, t) in tables.iter().enumerate() {
            if t.max.is_some_and(|max| max < t.min) {
                return fail(format!("table {i} has max < min"));
            }
        }
        for (i, m) in memories.iter().enumerate() {
            let limit = if m.memory64 {
                MAX_PAGES_64
            } else {
                MAX_PAGES_32
            };
            if m.min > limit || m.max.is_some_and(|max| max < m.min || max > limit) {
                return fail(format!("memory {i} has invalid limits"));
            }
        }
        let Ok(num_funcs) = u32::try_from(self.count(ExternKind::Func)) else {
            return fail("more than 2^32 functions".into());
        };
        Ok(Spaces {
            tables,
            memories,
            globals: self.global_types(),
            num_funcs,
        })
    }

    fn check_initialisers(&self, spaces: &Spaces) -> Result<(), ArtifactError> {
        let first_global = spaces.globals.len() - self.globals.len();
        for (i, g) in self.globals.iter().enumerate() {
            // A global's initialiser reads only the globals before it.
            let cx = ConstContext {
                globals: &spaces.globals[..first_global + i],
                num_funcs: spaces.num_funcs,
            };
            let what = format!("initialiser of global {}", first_global + i);
            expect_type(&what, &g.init, &cx, g.ty.val)?;
        }
        let first_table = spaces.tables.len() - self.tables.len();
        for (i, t) in self.tables.iter().enumerate() {
            if let Some(init) = &t.init {
                let what = format!("initialiser of table {}", first_table + i);
                expect_type(&what, init, &spaces.all(), ValType::Ref(t.ty.elem))?;
            }
        }
        Ok(())
    }

    fn check_exports_and_start(&self) -> Result<(), ArtifactError> {
        let mut names = HashSet::new();
        for e in &self.exports {
            if e.index as usize >= self.count(e.kind) {
                return fail(format!("export {:?} has index out of range", e.name));
            }
            if !names.insert(e.name.as_str()) {
                return fail(format!("export name {:?} is duplicated", e.name));
            }
        }
        if let Some(start) = self.start {
            let ty = self.func_type_index(start).map(|t| &self.types[t as usize]);
            match ty {
                None => return fail(format!("start function {start} out of range")),
                Some(t) if !t.params.is_empty() || !t.results.is_empty() => {
                    return fail(format!("start function {start} is not of type [] -> []"))
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    fn check_elements(&self, spaces: &Spaces) -> Result<(), ArtifactError> {
        for (i, seg) in self.elements.iter().enumerate() {
            if let ElementMode::Active { table, offset } = &seg.mode {
                let Some(t) = spaces.tables.get(*table as usize) else {
                    return fail(format!("element segment {i} targets missing table {table}"));
                };
                if t.elem != seg.elem {
                    return fail(format!("element segment {i} type differs from its table's"));
                }
                let what = format!("offset of element segment {i}");
                expect_type(&what, offset, &spaces.all(), index_type(t.table64))?;
            }
            match &seg.items {
                ElementItems::Functions(funcs) => {
                    if seg.elem != RefType::FuncRef {
                        return fail(format!("element segment {i} lists functions as externref"));
                    }
                    if funcs.iter().any(|f| *f >= spaces.num_funcs) {
                        return fail(format!("element segment {i} has a function out of range"));
                    }
                }
                ElementItems::Exprs(exprs) => {
                    for e in exprs {
                        let what = format!("item of element segment {i}");
                        expect_type(&what, e, &spaces.all(), ValType::Ref(seg.elem))?;
                    }
                }
            }
        }
        Ok(())
    }

    fn check_data_modes(&self, spaces: &Spaces) -> Result<(), ArtifactError> {
        for (i, seg) in self.data.iter().enumerate() {
            if let DataMode::Active { memory, offset } = &seg.mode {
                let Some(m) = spaces.memories.get(*memory as usize) else {
                    return fail(format!("data segment {i} targets missing memory {memory}"));
                };
                let what = format!("offset of data segment {i}");
                expect_type(&what, offset, &spaces.all(), index_type(m.memory64))?;
            }
        }
        Ok(())
    }

    /// Checks that every data segment lies within a `.kiln.data` section of
    /// `data_len` bytes.
    pub fn validate_data(&self, data_len: usize) -> Result<(), ArtifactError> {
        for (i, seg) in self.data.iter().enumerate() {
            let end = seg.offset.checked_add(seg.len);
            if end.is_none_or(|end| end > data_len as u64) {
                return Err(ArtifactError::BadSection {
                    section: super::sections::DATA_SECTION.into(),
                    reason: format!(
                        "data segment {i} ({} bytes at {}) lies outside the {data_len}-byte section",
                        seg.len, seg.offset
                    ),
                });
            }
        }
        Ok(())
    }
}

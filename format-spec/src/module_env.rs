//! The module-level facts every compiler tier needs (the LLVM tiers and
//! the Fast JIT), read from the wasm binary once: function types, the type
//! of every function, memories, tables, globals and the function bodies.
//!
//! Index spaces count imports first, as in the VMContext pointer arrays.

use crate::vmoffsets::VMCounts;
use wasmparser::Result;
use wasmparser::{
    FuncType, FunctionBody, GlobalType, MemoryType, Parser, Payload, TableType, TypeRef,
};

pub use crate::reader::FEATURES;

/// Types, entity types and function bodies of one module.
pub struct ModuleEnv<'w> {
    /// Function types, by type index.
    pub types: Vec<FuncType>,
    /// Type index of every function, imported first.
    pub func_types: Vec<u32>,
    /// Number of imported functions.
    pub num_imported_funcs: u32,
    /// Every memory, imported first.
    pub memories: Vec<MemoryType>,
    /// Every table, imported first.
    pub tables: Vec<TableType>,
    /// Every global, imported first.
    pub globals: Vec<GlobalType>,
    /// Bodies of the defined functions, in order.
    pub bodies: Vec<FunctionBody<'w>>,
}

impl<'w> ModuleEnv<'w> {
    /// Validates `wasm` and collects its environment.
    pub fn parse(wasm: &'w [u8]) -> Result<Self> {
        crate::reader::validate(wasm)?;
        Self::read(wasm)
    }

    /// Collects the environment of `wasm`, which the caller has already
    /// validated with [`FEATURES`] (reading an invalid module may give an
    /// error or a partial environment, never a panic).
    pub fn read(wasm: &'w [u8]) -> Result<Self> {
        let mut env = ModuleEnv {
            types: Vec::new(),
            func_types: Vec::new(),
            num_imported_funcs: 0,
            memories: Vec::new(),
            tables: Vec::new(),
            globals: Vec::new(),
            bodies: Vec::new(),
        };
        for payload in Parser::new(0).parse_all(wasm) {
            match payload? {
                Payload::TypeSection(r) => {
                    for ty in r.into_iter_err_on_gc_types() {
                        env.types.push(ty?);
                    }
                }
                Payload::ImportSection(r) => {
                    for import in r.into_imports() {
                        match import?.ty {
                            TypeRef::Func(t) => {
                                env.func_types.push(t);
                                env.num_imported_funcs += 1;
                            }
                            TypeRef::Table(t) => env.tables.push(t),
                            TypeRef::Memory(m) => env.memories.push(m),
                            TypeRef::Global(g) => env.globals.push(g),
                            _ => {}
                        }
                    }
                }
                Payload::FunctionSection(r) => {
                    for t in r {
                        env.func_types.push(t?);
                    }
                }
                Payload::TableSection(r) => {
                    for t in r {
                        env.tables.push(t?.ty);
                    }
                }
                Payload::MemorySection(r) => {
                    for m in r {
                        env.memories.push(m?);
                    }
                }
                Payload::GlobalSection(r) => {
                    for g in r {
                        env.globals.push(g?.ty);
                    }
                }
                Payload::CodeSectionEntry(body) => env.bodies.push(body),
                _ => {}
            }
        }
        Ok(env)
    }

    /// The counts that determine the VMContext layout.
    pub fn counts(&self) -> VMCounts {
        VMCounts {
            num_types: self.types.len() as u32,
            num_funcs: self.func_types.len() as u32,
            num_memories: self.memories.len() as u32,
            num_tables: self.tables.len() as u32,
            num_globals: self.globals.len() as u32,
        }
    }

    /// The type of function `index` (imports first).
    pub fn func_type(&self, index: u32) -> &FuncType {
        &self.types[self.func_types[index as usize] as usize]
    }

    /// The type indices that need a host-to-wasm `array_call` trampoline:
    /// the type of every function, defined or imported (a host may call
    /// any function value), ascending.
    pub fn array_call_types(&self) -> std::collections::BTreeSet<u32> {
        self.func_types.iter().copied().collect()
    }

    /// The type indices that need a wasm-to-host `wasm_call` trampoline:
    /// the type of every imported function, ascending.
    pub fn host_call_types(&self) -> std::collections::BTreeSet<u32> {
        self.func_types[..self.num_imported_funcs as usize]
            .iter()
            .copied()
            .collect()
    }

    /// The number of defined (non-imported) functions.
    pub fn num_defined_funcs(&self) -> u32 {
        self.bodies.len() as u32
    }
}

//! A validated module: its types, imports, exports, segments and code.
//!
//! `Module::new` validates the whole binary with wasmparser (every
//! WebAssembly 2.0 feature) and records what instantiation and the
//! interpreter need. Function bodies are kept as byte ranges and translated
//! to interpreter code on first call.

mod metadata;
#[cfg(feature = "wasm")]
mod parse;

/// One export of a module: its name, kind and index.
pub use kiln_format::artifact::Export as ExportType;
/// What an import or export refers to.
pub use kiln_format::artifact::ExternKind;
pub(crate) use kiln_format::artifact::{
    ConstExpr, DataMode, DataSegment, ElementItems, ElementMode, ElementSegment,
};
pub(crate) use metadata::module_inner;

use crate::engine::Engine;
use crate::error::Result;
#[cfg(feature = "wasm")]
use crate::interp::CompiledFunc;
use crate::types::{ExternType, FuncType, GlobalType, MemoryType, TableType};
use std::ops::Range;
use std::sync::Arc;
#[cfg(feature = "wasm")]
use std::sync::OnceLock;

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
    /// The module's name and function names from the `name` section (for
    /// profilers).
    pub name: Option<String>,
    pub func_names: Vec<kiln_format::artifact::FuncName>,
    /// The same names as backtraces use them, gathered on first use (by
    /// the interpreter and the Fast JIT; artifacts carry their own).
    #[cfg(feature = "wasm")]
    pub frame_names: OnceLock<Arc<crate::backtrace::ModuleNames>>,
    pub start: Option<u32>,
    pub elems: Vec<ElementSegment>,
    /// Data segments; their bytes are ranges of `bytes`.
    pub datas: Vec<DataSegment>,
    /// Byte range of each defined function's body.
    pub bodies: Vec<Range<usize>>,
    /// Interpreter code per defined function, translated on first call.
    #[cfg(feature = "wasm")]
    pub compiled: Vec<OnceLock<Arc<CompiledFunc>>>,
    /// Native code, for modules loaded from an artifact or compiled by LLVM
    /// or the Fast JIT.
    pub code: Option<crate::compiled::CompiledCode>,
    /// The tier of each function, when the engine mixes tiers.
    #[cfg(feature = "fast-jit")]
    pub tiers: Option<Box<crate::compiled::FunctionTiers>>,
}

/// A validated WebAssembly module, cheap to clone and share.
#[derive(Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

impl Module {
    /// Validates the binary module `bytes` and records it. With the LLVM
    /// JIT as the engine's default mode, it is also compiled to native code.
    /// (Feature `wasm`.)
    #[cfg(feature = "wasm")]
    pub fn new(engine: &Engine, bytes: &[u8]) -> Result<Module> {
        let inner = match engine.default_running_mode() {
            _ if engine.config().function_tiers.is_some() => compile_with_tiers(engine, bytes)?,
            crate::RunningMode::LlvmJit => compile_with_llvm(engine, bytes)?,
            crate::RunningMode::FastJit | crate::RunningMode::MultiTierJit => {
                compile_with_fast_jit(engine, bytes)?
            }
            _ => parse::parse(engine, bytes)?,
        };
        Ok(Module {
            inner: Arc::new(inner),
        })
    }

    /// Checks that `bytes` are a valid WebAssembly 2.0 module, without keeping anything.
    /// (Feature `wasm`.)
    #[cfg(feature = "wasm")]
    pub fn validate(_engine: &Engine, bytes: &[u8]) -> Result<()> {
        parse::validate(bytes)
    }

    /// Loads a Kiln artifact made by `kilnc`. When `wasm` is given, the
    /// artifact must have been compiled from exactly that wasm.
    pub fn from_artifact(engine: &Engine, artifact: &[u8], wasm: Option<&[u8]>) -> Result<Module> {
        Ok(Module {
            inner: Arc::new(crate::compiled::load_module(engine, artifact, wasm)?),
        })
    }

    /// [`Module::from_artifact`] from the artifact file at `path`, mapped
    /// rather than read: code and constants of a prelinked artifact come
    /// straight from the file, a page at a time as they run.
    pub fn from_artifact_file(
        engine: &Engine,
        path: &std::path::Path,
        wasm: Option<&[u8]>,
    ) -> Result<Module> {
        Ok(Module {
            inner: Arc::new(crate::compiled::load_module_file(engine, path, wasm)?),
        })
    }

    /// Translates every function for the interpreter now rather than on its
    /// first call, so that what a translation would report comes out here.
    /// (Feature `wasm`.)
    #[cfg(feature = "wasm")]
    pub fn translate_all(&self) -> Result<()> {
        crate::interp::translate_all(&self.inner)
    }

    /// What tier-up has done for this module (`None` unless it runs in the
    /// multi-tier mode).
    #[cfg(feature = "fast-jit")]
    pub fn tier_stats(&self) -> Option<crate::TierStats> {
        let code = self.inner.code.as_ref()?;
        code.tier_up().map(|t| t.snapshot())
    }

    /// Whether the module runs as native code (artifact, LLVM JIT or Fast JIT).
    pub fn is_compiled(&self) -> bool {
        self.inner.code.is_some()
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

/// Validates and reads a wasm binary (no native code).
#[cfg(any(feature = "llvm", feature = "fast-jit"))]
pub(crate) fn parse_wasm(engine: &Engine, bytes: &[u8]) -> Result<ModuleInner> {
    parse::parse(engine, bytes)
}

#[cfg(feature = "llvm")]
fn compile_with_llvm(engine: &Engine, bytes: &[u8]) -> Result<ModuleInner> {
    crate::compiled::compile_module(engine, bytes)
}

#[cfg(feature = "fast-jit")]
fn compile_with_fast_jit(engine: &Engine, bytes: &[u8]) -> Result<ModuleInner> {
    crate::compiled::compile_fast_jit(engine, bytes, false)
}

#[cfg(feature = "fast-jit")]
fn compile_with_tiers(engine: &Engine, bytes: &[u8]) -> Result<ModuleInner> {
    crate::compiled::compile_tiers(engine, bytes)
}

#[cfg(all(feature = "wasm", not(feature = "fast-jit")))]
fn compile_with_tiers(_engine: &Engine, _bytes: &[u8]) -> Result<ModuleInner> {
    Err(crate::error::Error::Usage(
        "mixing tiers needs the Fast JIT, which this build of kiln lacks".into(),
    ))
}

#[cfg(all(feature = "wasm", not(feature = "fast-jit")))]
fn compile_with_fast_jit(_engine: &Engine, _bytes: &[u8]) -> Result<ModuleInner> {
    Err(crate::error::Error::Usage(
        "this build of kiln has no Fast JIT".into(),
    ))
}

#[cfg(all(feature = "wasm", not(feature = "llvm")))]
fn compile_with_llvm(_engine: &Engine, _bytes: &[u8]) -> Result<ModuleInner> {
    Err(crate::error::Error::Usage(
        "this build of kiln has no LLVM compiler".into(),
    ))
}

impl ModuleInner {
    /// A module with nothing in it yet.
    pub(crate) fn empty(engine: &Engine) -> ModuleInner {
        ModuleInner {
            engine: engine.clone(),
            bytes: Box::default(),
            types: Vec::new(),
            imports: Vec::new(),
            funcs: Vec::new(),
            num_imported_funcs: 0,
            tables: Vec::new(),
            num_imported_tables: 0,
            table_inits: Vec::new(),
            memories: Vec::new(),
            num_imported_memories: 0,
            globals: Vec::new(),
            num_imported_globals: 0,
            global_inits: Vec::new(),
            exports: Vec::new(),
            name: None,
            func_names: Vec::new(),
            #[cfg(feature = "wasm")]
            frame_names: OnceLock::new(),
            start: None,
            elems: Vec::new(),
            datas: Vec::new(),
            bodies: Vec::new(),
            #[cfg(feature = "wasm")]
            compiled: Vec::new(),
            code: None,
            #[cfg(feature = "fast-jit")]
            tiers: None,
        }
    }

    /// The names backtraces show for this module's functions.
    #[cfg(feature = "wasm")]
    pub(crate) fn frame_names(&self) -> &Arc<crate::backtrace::ModuleNames> {
        self.frame_names.get_or_init(|| {
            let names = crate::backtrace::ModuleNames::new(
                self.name.as_deref(),
                &self.func_names,
                &self.exports,
            );
            #[cfg(feature = "source-lines")]
            let names = names.with_lines(
                self.engine
                    .config()
                    .backtrace_details
                    .then(|| crate::backtrace::SourceLines::from_wasm(&self.bytes))
                    .flatten(),
            );
            Arc::new(names)
        })
    }

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

    /// The bytes of data segment `seg` (checked when the module was built).
    pub(crate) fn data_bytes(&self, seg: &DataSegment) -> &[u8] {
        seg.bytes(&self.bytes).unwrap_or_default()
    }

    pub(crate) fn num_defined_funcs(&self) -> usize {
        self.funcs.len() - self.num_imported_funcs as usize
    }
}

//! Kiln's runtime: engine, modules, stores, instances and the interpreter.
//!
//! Without the `wasm` feature (on by default) the runtime only loads AOT
//! artifacts: no wasm validator, no interpreter, no wasmparser.
//!
//! The API follows wasmtime's shape: an [`Engine`] holds configuration,
//! a [`Module`] is validated code, a [`Store`] owns everything instantiated,
//! and a [`Linker`] resolves imports by name. Every running mode shares the
//! instance layout defined in `kiln-format`.

mod backtrace;
mod call;
mod compiled;
mod engine;
mod error;
mod externals;
mod func;
mod instance;
#[cfg(feature = "wasm")]
mod interp;
mod linker;
#[cfg_attr(not(feature = "fast-jit"), allow(dead_code))]
mod log;
mod module;
mod profiling;
mod store;
mod typed;
mod types;
mod values;
mod vm;
pub mod wasi;

pub use backtrace::{FrameInfo, WasmBacktrace};
#[cfg(feature = "fast-jit")]
pub use compiled::tier_up::TierStats;
pub use compiled::{background_compiles, exit_now};
pub use engine::DEFAULT_TIER_UP_THRESHOLD;
pub use engine::{
    check_running_mode, is_running_mode_built, is_running_mode_supported, Config, Engine,
    RunningMode, TierChoice,
};
pub use error::{Error, Result, Trap};
pub use externals::{Extern, Global, Memory, Table};
pub use func::{Caller, Func};
pub use instance::Instance;
pub use kiln_format::TrapCode;
pub use linker::Linker;
pub use log::enabled as log_enabled;
pub use module::{ExportType, ExternKind, ImportType, Module};
pub use profiling::ProfilingStrategy;
pub use store::{AsStore, AsStoreMut, Store, StoreOpaque};
pub use typed::{TypedFunc, WasmParams, WasmResults, WasmTy};
pub use types::{ExternType, FuncType, GlobalType, MemoryType, RefType, TableType, ValType};
pub use values::{ExternRef, Val};

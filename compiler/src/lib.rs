//! Kiln's compiler: wasm -> LLVM IR -> ELF relocatable object.
//!
//! [`compile_module`] validates a module, translates every defined function
//! to LLVM IR with the calling convention of [`abi`], optimises it and emits
//! an object with one symbol per function (`kiln_func_<index>`). The
//! instance layout comes from [`kiln_format::VMOffsets`]; trap codes from
//! [`kiln_format::TrapCode`]. This is the only crate that links LLVM.

pub mod abi;
pub mod artifact;
pub mod compile;
mod debug_loc;
pub mod env;
pub mod error;
mod llvm_options;
mod may_stop;
mod module_gen;
pub mod options;
mod parallel;
mod pipeline;
mod sites;
mod stops;
pub mod target;
mod target_check;
mod trampolines;
mod translate;

pub use artifact::compile_artifact;
pub use compile::{build_llvm_module, compile, compile_module, CompiledObject, OutputKind};
pub use error::{CompileError, Result};
pub use options::CompileOptions;
pub use target::{Arch, TargetSpec};

//! The compiler's error type.
//!
//! Every failure is reported as a [`CompileError`] with a one-line message;
//! nothing in the compiler panics on bad input (malformed wasm, unknown
//! targets, bad flags or a pass pipeline LLVM refuses).

use std::fmt;

/// Why a module could not be compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompileError {
    /// The input is not a valid WebAssembly module.
    InvalidWasm(String),
    /// The module uses an operator or feature this compiler does not handle
    /// yet; the string names it (and the function it appears in).
    Unsupported(String),
    /// The target triple, CPU or feature string was refused.
    Target(String),
    /// An option value is out of range or inconsistent.
    Options(String),
    /// LLVM reported an error (IR verification, a pass pipeline, codegen).
    Llvm(String),
}

/// Result type of the compiler.
pub type Result<T, E = CompileError> = std::result::Result<T, E>;

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::InvalidWasm(m) => write!(f, "invalid wasm: {m}"),
            CompileError::Unsupported(m) => write!(f, "unsupported: {m}"),
            CompileError::Target(m) => write!(f, "target: {m}"),
            CompileError::Options(m) => write!(f, "options: {m}"),
            CompileError::Llvm(m) => write!(f, "llvm: {m}"),
        }
    }
}

impl std::error::Error for CompileError {}

impl From<wasmparser::BinaryReaderError> for CompileError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        CompileError::InvalidWasm(e.to_string())
    }
}

impl From<inkwell::builder::BuilderError> for CompileError {
    fn from(e: inkwell::builder::BuilderError) -> Self {
        CompileError::Llvm(format!("builder: {e}"))
    }
}

impl From<inkwell::support::LLVMString> for CompileError {
    fn from(e: inkwell::support::LLVMString) -> Self {
        CompileError::Llvm(e.to_string().trim_end().replace('\n', "; "))
    }
}

//! Errors and traps returned to the embedder.

use crate::backtrace::WasmBacktrace;
use kiln_format::TrapCode;
use std::fmt;

/// A wasm trap: execution stopped abnormally and unwound to the host.
///
/// Two traps are equal when their codes and messages are: the backtrace
/// says where a trap happened, not what it is.
#[derive(Clone, Debug)]
pub struct Trap {
    code: TrapCode,
    detail: Option<String>,
    exit_status: Option<i32>,
    backtrace: Option<Box<WasmBacktrace>>,
}

impl PartialEq for Trap {
    fn eq(&self, other: &Trap) -> bool {
        (self.code, &self.detail, self.exit_status)
            == (other.code, &other.detail, other.exit_status)
    }
}

impl Eq for Trap {}

impl Trap {
    /// A trap with the code's standard message.
    pub fn new(code: TrapCode) -> Self {
        Trap {
            code,
            detail: None,
            exit_status: None,
            backtrace: None,
        }
    }

    /// The program asked to exit with `status` (WASI `proc_exit`): not a
    /// fault, but it unwinds like a trap to the embedder.
    pub fn exit(status: i32) -> Self {
        Trap {
            code: TrapCode::HostError,
            detail: Some(format!("exit with status {status}")),
            exit_status: Some(status),
            backtrace: None,
        }
    }

    /// The status of an exit requested by the program, if this is one.
    pub fn exit_status(&self) -> Option<i32> {
        self.exit_status
    }

    /// A trap raised by a host function, with its own message.
    pub fn host(message: impl Into<String>) -> Self {
        Trap {
            code: TrapCode::HostError,
            detail: Some(message.into()),
            exit_status: None,
            backtrace: None,
        }
    }

    /// The wasm frames the trap unwound through, innermost first (none for
    /// a trap raised outside wasm code).
    pub fn backtrace(&self) -> Option<&WasmBacktrace> {
        self.backtrace.as_deref()
    }

    /// The backtrace, made empty on first use, for a tier to add its frames.
    pub(crate) fn backtrace_mut(&mut self) -> &mut WasmBacktrace {
        self.backtrace.get_or_insert_with(Default::default)
    }

    /// The trap code.
    pub fn code(&self) -> TrapCode {
        self.code
    }

    /// The full message.
    pub fn message(&self) -> String {
        match &self.detail {
            Some(d) => format!("{}: {}", self.code.message(), d),
            None => self.code.message().to_string(),
        }
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "wasm trap: {}", self.message())
    }
}

impl From<TrapCode> for Trap {
    fn from(code: TrapCode) -> Self {
        Trap::new(code)
    }
}

/// Everything that can go wrong between bytes and results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The bytes are not a valid wasm module (malformed or invalid).
    Compile {
        /// Byte offset in the module where the problem was found.
        offset: usize,
        /// What is wrong.
        message: String,
    },
    /// An import is missing or has the wrong type.
    Link(String),
    /// Execution trapped (including during instantiation).
    Trap(Trap),
    /// The embedder asked for something impossible (wrong argument count, unsupported mode, ...).
    Usage(String),
    /// A resource could not be obtained (memory reservation, ...).
    Resource(String),
    /// An artifact was refused by the loader (corrupt, stale, foreign, ...).
    Artifact(String),
}

impl Error {
    /// The trap, if this error is one.
    pub fn as_trap(&self) -> Option<&Trap> {
        match self {
            Error::Trap(t) => Some(t),
            _ => None,
        }
    }

    /// The backtrace of the trap, if this error is a trap that has one.
    pub fn backtrace(&self) -> Option<&WasmBacktrace> {
        self.as_trap().and_then(Trap::backtrace)
    }

    pub(crate) fn usage(msg: impl Into<String>) -> Self {
        Error::Usage(msg.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Compile { offset, message } => {
                write!(f, "invalid module at offset {offset:#x}: {message}")
            }
            Error::Link(m) => write!(f, "link error: {m}"),
            Error::Trap(t) => t.fmt(f),
            Error::Usage(m) => f.write_str(m),
            Error::Resource(m) => write!(f, "resource error: {m}"),
            Error::Artifact(m) => write!(f, "artifact refused: {m}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<Trap> for Error {
    fn from(t: Trap) -> Self {
        Error::Trap(t)
    }
}

impl From<TrapCode> for Error {
    fn from(c: TrapCode) -> Self {
        Error::Trap(Trap::new(c))
    }
}

#[cfg(feature = "wasm")]
impl From<wasmparser::BinaryReaderError> for Error {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        Error::Compile {
            offset: e.offset() as usize,
            message: e.message().to_string(),
        }
    }
}

#[cfg(feature = "wasm")]
impl From<kiln_format::reader::ReadError> for Error {
    fn from(e: kiln_format::reader::ReadError) -> Self {
        Error::Compile {
            offset: e.offset,
            message: e.message,
        }
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

//! Wasm backtraces: the frames a trap unwound through, innermost first,
//! each with its function index, its name and the module byte offset of
//! the instruction running in it (wasmtime's `WasmBacktrace` shape).
//!
//! Every tier adds its own frames as the trap passes out through it: the
//! interpreter from its frame records ([`crate::interp`]), compiled code
//! from a frame-pointer walk ([`crate::vm::traps`]). A deep backtrace (a
//! stack overflow) keeps its innermost [`WasmBacktrace::HEAD`] and
//! outermost [`WasmBacktrace::TAIL`] frames and counts the ones between.
//! With [`crate::Config::backtrace_details`], frames also give the source
//! file and line from the module's DWARF.

#[cfg(feature = "source-lines")]
mod lines;
mod names;

#[cfg(feature = "source-lines")]
pub(crate) use lines::SourceLines;
pub(crate) use names::{func_name, DecodeNames, ModuleNames};

use std::fmt;

const HEAD: usize = WasmBacktrace::HEAD;
const TAIL: usize = WasmBacktrace::TAIL;

/// One wasm frame of a backtrace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameInfo {
    func_index: u32,
    module_name: Option<String>,
    func_name: Option<String>,
    module_offset: Option<usize>,
    /// (file, line, column) from the module's DWARF, with
    /// [`crate::Config::backtrace_details`].
    source: Option<(Option<String>, Option<u32>, Option<u32>)>,
}

impl FrameInfo {
    /// The function's index in its module (imports included).
    pub fn func_index(&self) -> u32 {
        self.func_index
    }

    /// The module's name from its `name` section.
    pub fn module_name(&self) -> Option<&str> {
        self.module_name.as_deref()
    }

    /// The function's name: the `name` section's, else an export name.
    pub fn func_name(&self) -> Option<&str> {
        self.func_name.as_deref()
    }

    /// The byte offset, in the module, of the instruction running in this
    /// frame (the trapping one, or the call), when the tier records it.
    pub fn module_offset(&self) -> Option<usize> {
        self.module_offset
    }

    /// The source file of the instruction, from the module's DWARF, when
    /// [`crate::Config::backtrace_details`] is on.
    pub fn source_file(&self) -> Option<&str> {
        self.source.as_ref()?.0.as_deref()
    }

    /// Its line in [`FrameInfo::source_file`].
    pub fn source_line(&self) -> Option<u32> {
        self.source.as_ref()?.1
    }

    /// Its column in [`FrameInfo::source_file`].
    pub fn source_column(&self) -> Option<u32> {
        self.source.as_ref()?.2
    }
}

/// The wasm frames of a trap, innermost first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WasmBacktrace {
    /// The first `HEAD` frames, then up to `TAIL` outermost ones.
    frames: Vec<FrameInfo>,
    /// Frames dropped between `frames[HEAD - 1]` and `frames[HEAD]`.
    elided: usize,
}

impl WasmBacktrace {
    /// Innermost frames kept when a backtrace is truncated.
    pub const HEAD: usize = 10;
    /// Outermost frames kept when a backtrace is truncated.
    pub const TAIL: usize = 10;

    /// The frames kept, innermost first (see [`WasmBacktrace::elided`]).
    pub fn frames(&self) -> &[FrameInfo] {
        &self.frames
    }

    /// How many frames were dropped after the first [`Self::HEAD`]: a deep
    /// backtrace keeps only its innermost and outermost frames.
    pub fn elided(&self) -> usize {
        self.elided
    }

    /// Adds `frame` as the new outermost frame.
    pub(crate) fn push(&mut self, frame: FrameInfo) {
        if self.frames.len() == HEAD + TAIL {
            self.frames.remove(HEAD);
            self.elided += 1;
        }
        self.frames.push(frame);
    }

    /// Adds `n` frames, outermost last, made by `frame_at(j)` for the
    /// `j`-th; frames that a truncated backtrace would drop are counted
    /// without being made.
    pub(crate) fn extend(&mut self, n: usize, mut frame_at: impl FnMut(usize) -> FrameInfo) {
        for j in 0..n {
            if self.frames.len() < HEAD || j + TAIL >= n {
                self.push(frame_at(j));
            } else {
                // At least TAIL frames follow, which push out whatever
                // this one would have pushed out.
                self.elided += 1;
            }
        }
    }

    /// How many frames have been kept or counted so far.
    pub fn len(&self) -> usize {
        self.frames.len() + self.elided
    }

    /// Whether there are no frames.
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// Shows the backtrace, naming modules without a name `module`.
    pub fn display<'a>(&'a self, module: &'a str) -> impl fmt::Display + 'a {
        Shown {
            trace: self,
            module,
        }
    }
}

impl fmt::Display for WasmBacktrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.display("<unknown>").fmt(f)
    }
}

struct Shown<'a> {
    trace: &'a WasmBacktrace,
    module: &'a str,
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "wasm backtrace:")?;
        for (i, frame) in self.trace.frames.iter().enumerate() {
            if i == HEAD && self.trace.elided > 0 {
                writeln!(f, "    ... {} frames elided ...", self.trace.elided)?;
            }
            let n = if i < HEAD { i } else { i + self.trace.elided };
            write!(f, "{n:>5}: ")?;
            match frame.module_offset {
                Some(o) => write!(f, "{o:#x} - ")?,
                None => write!(f, "<unknown> - ")?,
            }
            let module = frame.module_name.as_deref().unwrap_or(self.module);
            match &frame.func_name {
                Some(name) => writeln!(f, "{module}!{name}")?,
                None => writeln!(f, "{module}!<wasm function {}>", frame.func_index)?,
            }
            if let Some(file) = frame.source_file() {
                write!(f, "                    at {file}")?;
                if let Some(line) = frame.source_line() {
                    write!(f, ":{line}")?;
                    if let Some(column) = frame.source_column() {
                        write!(f, ":{column}")?;
                    }
                }
                writeln!(f)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;

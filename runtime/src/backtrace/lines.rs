//! Source lines of wasm frames, from the DWARF a module carries (`clang
//! -g`: custom sections `.debug_*`), read with gimli and addr2line when a
//! backtrace first asks for them ([`crate::Config::backtrace_details`]).
//!
//! The DWARF comes from the wasm (interpreter, Fast JIT, tier-up) or from
//! an artifact's `.kiln.debug` (AOT and LLVM JIT code), which holds the
//! same sections. Nothing is parsed until a trap's frames are named; DWARF
//! that does not parse gives frames without lines, never an error.

use addr2line::Context;
use gimli::{EndianArcSlice, LittleEndian};
use kiln_format::artifact::{decode_dwarf, WasmDwarf};
use std::sync::{Arc, Mutex, OnceLock};

type Reader = EndianArcSlice<LittleEndian>;

/// Where a wasm instruction's source is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SourceLocation {
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

/// What the DWARF is read from.
enum Source {
    /// The contents of an artifact's `.kiln.debug`.
    Encoded(Vec<u8>),
    /// Read from the wasm (builds that read wasm only).
    #[cfg_attr(not(feature = "wasm"), allow(dead_code))]
    Dwarf(WasmDwarf),
}

/// The parsed DWARF: the code section's module offset and the context.
type Parsed = Option<(u64, Mutex<Context<Reader>>)>;

/// A module's source lines, parsed on first use.
pub(crate) struct SourceLines {
    source: Mutex<Option<Source>>,
    parsed: OnceLock<Parsed>,
}

impl SourceLines {
    /// The lines of an artifact's `.kiln.debug` contents.
    pub fn from_section(bytes: &[u8]) -> SourceLines {
        SourceLines::new(Source::Encoded(bytes.to_vec()))
    }

    /// The lines of `wasm`'s DWARF, if it has any.
    #[cfg(feature = "wasm")]
    pub fn from_wasm(wasm: &[u8]) -> Option<SourceLines> {
        WasmDwarf::from_wasm(wasm).map(|d| SourceLines::new(Source::Dwarf(d)))
    }

    fn new(source: Source) -> SourceLines {
        SourceLines {
            source: Mutex::new(Some(source)),
            parsed: OnceLock::new(),
        }
    }

    /// The source of the instruction at module offset `offset`.
    pub fn locate(&self, offset: usize) -> Option<SourceLocation> {
        let (code_offset, ctx) = self.parsed.get_or_init(|| self.parse()).as_ref()?;
        let address = (offset as u64).checked_sub(*code_offset)?;
        let ctx = ctx.lock().unwrap_or_else(|e| e.into_inner());
        let loc = ctx.find_location(address).ok()??;
        Some(SourceLocation {
            file: loc.file.map(str::to_string),
            line: loc.line,
            column: loc.column,
        })
    }

    fn parse(&self) -> Parsed {
        let source = self
            .source
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()?;
        let dwarf = match source {
            Source::Encoded(bytes) => decode_dwarf(&bytes).ok()?,
            Source::Dwarf(d) => d,
        };
        let load = |id: gimli::SectionId| -> Result<Reader, gimli::Error> {
            let bytes: Arc<[u8]> = Arc::from(dwarf.section(id.name()).unwrap_or_default());
            Ok(EndianArcSlice::new(bytes, LittleEndian))
        };
        let sections = gimli::Dwarf::load(load).ok()?;
        let ctx = Context::from_dwarf(sections).ok()?;
        Some((u64::from(dwarf.code_offset), Mutex::new(ctx)))
    }
}

//! `.kiln.debug` (SPEC.md 4.17): the DWARF a module carries (`clang -g`
//! puts it in custom sections named `.debug_*`), kept in the artifact so
//! that backtraces can show source lines when the wasm is not at hand.
//!
//! Addresses in wasm DWARF are offsets from the start of the code
//! section's contents; `code_offset` is where those start in the module,
//! so module offset = `code_offset` + DWARF address.

use serde::{Deserialize, Serialize};

use super::codec::{decode_bounded, encode};
use super::sections::DEBUG_SECTION;
use super::ArtifactError;

/// A module's DWARF sections and where its code section's contents start.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WasmDwarf {
    /// Module offset of the code section's contents (its function count).
    pub code_offset: u32,
    /// Each custom section named `.debug_*`: its name and contents, in
    /// module order.
    pub sections: Vec<(String, Vec<u8>)>,
}

impl WasmDwarf {
    /// The contents of `.debug_<name>` (`name` with its dot), if present.
    pub fn section(&self, name: &str) -> Option<&[u8]> {
        self.sections
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| &b[..])
    }

    /// The DWARF of `wasm`, if it has any. Reads section headers only
    /// (custom sections' names, the code section's start); a module that
    /// does not parse has none.
    #[cfg(feature = "reader")]
    pub fn from_wasm(wasm: &[u8]) -> Option<WasmDwarf> {
        use wasmparser::{Parser, Payload};
        let mut dwarf = WasmDwarf::default();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.ok()? {
                Payload::CodeSectionStart {
                    unchecked_range, ..
                } => {
                    dwarf.code_offset = u32::try_from(unchecked_range.start).ok()?;
                }
                Payload::CustomSection(c) if c.name().starts_with(".debug_") => {
                    dwarf
                        .sections
                        .push((c.name().to_string(), c.data().to_vec()));
                }
                _ => {}
            }
        }
        (!dwarf.sections.is_empty()).then_some(dwarf)
    }
}

/// Encodes `dwarf` as the contents of `.kiln.debug`.
pub fn encode_dwarf(dwarf: &WasmDwarf) -> Vec<u8> {
    encode(dwarf)
}

/// Decodes `.kiln.debug`. Whether the DWARF inside parses is the
/// reader's concern: a runtime shows no source lines for DWARF it cannot
/// read.
pub fn decode_dwarf(section: &[u8]) -> Result<WasmDwarf, ArtifactError> {
    decode_bounded(section).map_err(|reason| ArtifactError::BadSection {
        section: DEBUG_SECTION.into(),
        reason,
    })
}

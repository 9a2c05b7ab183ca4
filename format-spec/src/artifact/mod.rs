//! The artifact format: what `kilnc` writes and the loader accepts.
//!
//! An artifact is an ELF64 little-endian relocatable object for x86_64,
//! aarch64 or riscv64. LLVM's code and constants sit in ordinary sections,
//! one symbol per wasm function ([`symbols`]); Kiln's own sections
//! ([`sections`]) carry the header ([`ArtifactHeader`]), the module
//! metadata ([`ModuleMetadata`]), the data segments' bytes, a checksum
//! over the whole file ([`checksum`]) and, optionally, the module offsets
//! of the code ([`sites`]) and the module's DWARF ([`dwarf`]). SPEC.md section 4 describes every
//! byte; this module is its executable form.
//!
//! A loader checks, in this order: [`identify`] on the file's first bytes;
//! [`header_version`] of `.kiln.header` (before anything that could change
//! between major versions); [`verify_checksum`]; [`section_bytes`] and
//! [`classify_section`] for every section; [`decode_header`] and
//! [`ArtifactHeader::check_host`] (and [`ArtifactHeader::check_wasm`] when
//! it has the wasm); [`decode_metadata`] and
//! [`ModuleMetadata::validate_data`]; symbols ([`KilnSymbol`],
//! [`is_allowed_import`]); and [`check_relocation`] for every relocation
//! that applies to a loaded section.

pub mod checksum;
pub mod codec;
pub mod const_expr;
mod decode;
pub mod dwarf;
pub mod error;
pub mod hash;
pub mod header;
pub mod ident;
pub mod image;
pub mod metadata;
pub mod relocate;
pub mod relocs;
pub mod sections;
pub mod sites;
pub mod symbols;
pub mod target;
pub mod types;
pub mod validate;
pub mod version;
mod wire;
pub mod write;
pub mod xxh64;

#[cfg(test)]
mod corruption_tests;
#[cfg(test)]
mod golden_tests;
#[cfg(test)]
mod sample;

pub use checksum::{
    compute_checksum, seal_checksum, verify_checksum, verify_checksum_with, ChecksumStream,
};
pub use codec::{
    decode_func_names, decode_header, decode_metadata, encode_func_names, encode_header,
    encode_metadata, header_version, MAX_HEADER_SIZE, MAX_METADATA_SIZE,
};
pub use const_expr::{ConstContext, ConstExpr, ConstOp};
pub use dwarf::{decode_dwarf, encode_dwarf, WasmDwarf};
pub use error::ArtifactError;
pub use hash::wasm_hash;
pub use header::{ArtifactHeader, BoundsChecks, CompileFlags};
pub use ident::{identify, ELF_MAGIC, WAMR_AOT_MAGIC, WASM_MAGIC};
pub use image::{
    ImageGroup, ImageLayout, IMAGE_ALIGN, IMAGE_SECTION, IMAGE_SIZE, TABLE_SECTION, TABLE_SLOT,
};
pub use metadata::{
    DataMode, DataSegment, ElementItems, ElementMode, ElementSegment, Export, ExternKind, FuncName,
    Global, Import, ImportType, ModuleMetadata, Table,
};
pub use relocs::{check_relocation, RelocKind};
pub use sections::{
    classify_section, section_bytes, SectionKind, CHECKSUM_SECTION, DATA_SECTION, DEBUG_SECTION,
    HEADER_SECTION, KILN_SECTIONS, METADATA_SECTION, NAMES_SECTION, OPTIONAL_KILN_SECTIONS,
    SITES_SECTION,
};
pub use sites::{check_site_bounds, decode_sites, encode_sites, InlinedFrame, Site, SymbolSites};
pub use symbols::{is_allowed_import, KilnSymbol, LIBCALLS, RUNTIME_SYMBOL_PREFIX};
pub use target::{Arch, HostInfo};
pub use types::{FuncType, GlobalType, MemoryType, RefType, TableType, ValType};
pub use version::{FormatVersion, FORMAT_VERSION};
pub use write::kiln_sections;
pub use xxh64::{xxh64, Xxh64};

//! The contents of Kiln's sections, ready for an object writer.

use super::sections::{
    CHECKSUM_SECTION, CHECKSUM_SIZE, DATA_SECTION, HEADER_SECTION, METADATA_SECTION, NAMES_SECTION,
};
use super::{encode_func_names, encode_header, encode_metadata, ArtifactHeader, ModuleMetadata};

/// The four required `.kiln.*` sections as `(name, contents)`, in
/// [`KILN_SECTIONS`] order, with `.kiln.names` before `.kiln.checksum`
/// when the module names any function (`.kiln.checksum` stays last).
/// `.kiln.checksum` holds zeros: once the whole file is written, find
/// the file range of its contents and call
/// [`seal_checksum`](super::seal_checksum) on it.
///
/// [`KILN_SECTIONS`]: super::KILN_SECTIONS
pub fn kiln_sections(
    header: &ArtifactHeader,
    meta: &ModuleMetadata,
    data: &[u8],
) -> Vec<(&'static str, Vec<u8>)> {
    let mut sections = vec![
        (HEADER_SECTION, encode_header(header)),
        (METADATA_SECTION, encode_metadata(meta)),
        (DATA_SECTION, data.to_vec()),
    ];
    if !meta.func_names.is_empty() {
        sections.push((NAMES_SECTION, encode_func_names(&meta.func_names)));
    }
    sections.push((CHECKSUM_SECTION, vec![0; CHECKSUM_SIZE]));
    sections
}

//! The contents of Kiln's sections, ready for an object writer.

use super::sections::{
    CHECKSUM_SECTION, CHECKSUM_SIZE, DATA_SECTION, HEADER_SECTION, METADATA_SECTION,
};
use super::{encode_header, encode_metadata, ArtifactHeader, ModuleMetadata};

/// The four `.kiln.*` sections as `(name, contents)`, in [`KILN_SECTIONS`]
/// order. `.kiln.checksum` holds zeros: once the whole file is written,
/// find the file range of its contents and call
/// [`seal_checksum`](super::seal_checksum) on it.
///
/// [`KILN_SECTIONS`]: super::KILN_SECTIONS
pub fn kiln_sections(
    header: &ArtifactHeader,
    meta: &ModuleMetadata,
    data: &[u8],
) -> [(&'static str, Vec<u8>); 4] {
    [
        (HEADER_SECTION, encode_header(header)),
        (METADATA_SECTION, encode_metadata(meta)),
        (DATA_SECTION, data.to_vec()),
        (CHECKSUM_SECTION, vec![0; CHECKSUM_SIZE]),
    ]
}

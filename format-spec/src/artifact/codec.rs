//! Encoding and decoding of `.kiln.header` and `.kiln.meta`.
//!
//! Both use bincode 2's standard configuration (little-endian, variable-
//! length integers): encoded through serde, decoded by [`super::decode`]
//! (and the LLVM plugin's messages and `.kiln.debug`, which only the full
//! runtime reads, through serde). Decoding never panics: corrupt input
//! gives an error. A decode limit caps what a corrupt length prefix can
//! make serde's decoder allocate at once, so a lie about a string's
//! length cannot exhaust memory.

use bincode::config::{self, Config};
use bincode::error::DecodeError;
use serde::de::DeserializeOwned;

use super::decode;
use super::sections::{
    HEADER_MAGIC, HEADER_PREFIX_SIZE, HEADER_SECTION, METADATA_SECTION, NAMES_SECTION,
};
use super::validate::check_func_names;
use super::{
    ArtifactError, ArtifactHeader, FormatVersion, FuncName, ModuleMetadata, FORMAT_VERSION,
};

/// The largest `.kiln.meta` section a reader accepts (256 MiB).
pub const MAX_METADATA_SIZE: usize = 256 << 20;
/// The largest `.kiln.header` section a reader accepts (1 MiB).
pub const MAX_HEADER_SIZE: usize = 1 << 20;

pub(crate) fn encode<T: serde::Serialize>(value: T) -> Vec<u8> {
    // Encoding plain data with known lengths cannot fail.
    bincode::serde::encode_to_vec(value, config::standard())
        .expect("artifact structures always encode")
}

/// Decodes all of `bytes` as a `T`, with a decode limit of `LIMIT` bytes.
pub(crate) fn decode_exact<T: DeserializeOwned, const LIMIT: usize>(
    bytes: &[u8],
) -> Result<T, String> {
    let cfg = config::standard().with_limit::<LIMIT>();
    decode_with(bytes, cfg)
}

fn decode_with<T: DeserializeOwned>(bytes: &[u8], cfg: impl Config) -> Result<T, String> {
    let (value, used): (T, usize) =
        bincode::serde::decode_from_slice(bytes, cfg).map_err(|e: DecodeError| e.to_string())?;
    if used != bytes.len() {
        return Err(format!("{} trailing bytes", bytes.len() - used));
    }
    Ok(value)
}

/// Encodes `header` as the contents of `.kiln.header`: the four bytes
/// `KILN`, the major and minor version as `u16` little-endian, then the
/// remaining fields with bincode.
pub fn encode_header(header: &ArtifactHeader) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    out.extend_from_slice(&HEADER_MAGIC);
    out.extend_from_slice(&header.format_version.major.to_le_bytes());
    out.extend_from_slice(&header.format_version.minor.to_le_bytes());
    out.extend(encode((
        &header.compiler_version,
        &header.target,
        &header.cpu,
        &header.cpu_features,
        &header.flags,
        &header.wasm_hash,
    )));
    out
}

fn bad_header(reason: String) -> ArtifactError {
    ArtifactError::BadSection {
        section: HEADER_SECTION.into(),
        reason,
    }
}

/// Reads the frozen prefix of `.kiln.header` (magic and version), which
/// every format version keeps, without checking the version.
pub fn header_version(section: &[u8]) -> Result<FormatVersion, ArtifactError> {
    let Some(prefix) = section.get(..HEADER_PREFIX_SIZE) else {
        return Err(bad_header(format!(
            "{} bytes, shorter than its {HEADER_PREFIX_SIZE}-byte prefix",
            section.len()
        )));
    };
    if prefix[..4] != HEADER_MAGIC {
        return Err(bad_header("magic is not \"KILN\"".into()));
    }
    Ok(FormatVersion {
        major: u16::from_le_bytes([prefix[4], prefix[5]]),
        minor: u16::from_le_bytes([prefix[6], prefix[7]]),
    })
}

/// Decodes `.kiln.header`. The version is checked against
/// [`FORMAT_VERSION`] before anything after the prefix is read.
pub fn decode_header(section: &[u8]) -> Result<ArtifactHeader, ArtifactError> {
    let format_version = header_version(section)?;
    format_version.check_readable_by(FORMAT_VERSION)?;
    if section.len() > MAX_HEADER_SIZE {
        return Err(bad_header(format!(
            "{} bytes, larger than {MAX_HEADER_SIZE}",
            section.len()
        )));
    }
    let body = &section[HEADER_PREFIX_SIZE..];
    let (compiler_version, target, cpu, cpu_features, flags, wasm_hash) =
        decode::all(body, decode::header_body).map_err(bad_header)?;
    Ok(ArtifactHeader {
        format_version,
        compiler_version,
        target,
        cpu,
        cpu_features,
        flags,
        wasm_hash,
    })
}

/// Encodes `meta` as the contents of `.kiln.meta`.
pub fn encode_metadata(meta: &ModuleMetadata) -> Vec<u8> {
    encode(meta)
}

/// Decoded metadata takes at most this many times its encoded size in
/// memory (a one-byte varint can become a 40-odd-byte struct).
const DECODED_GROWTH: usize = 64;

/// Decodes all of `section` as a `T`. The decode limit (bytes the
/// decoder may allocate) is the smallest of 1 MiB, 16 MiB and 256 MiB
/// that holds [`DECODED_GROWTH`] times the section, so a corrupt length
/// prefix cannot make it allocate much more than the file could describe.
pub(crate) fn decode_bounded<T: DeserializeOwned>(section: &[u8]) -> Result<T, String> {
    match section.len() {
        n if n > MAX_METADATA_SIZE => Err(format!("{n} bytes, larger than {MAX_METADATA_SIZE}")),
        n if n.saturating_mul(DECODED_GROWTH) <= 1 << 20 => decode_exact::<_, { 1 << 20 }>(section),
        n if n.saturating_mul(DECODED_GROWTH) <= 16 << 20 => {
            decode_exact::<_, { 16 << 20 }>(section)
        }
        n if n.saturating_mul(DECODED_GROWTH) <= 256 << 20 => {
            decode_exact::<_, { 256 << 20 }>(section)
        }
        _ => decode_exact::<_, { 1 << 30 }>(section),
    }
}

/// Decodes and validates `.kiln.meta` (with [`decode_bounded`]'s limit).
pub fn decode_metadata(section: &[u8]) -> Result<ModuleMetadata, ArtifactError> {
    if section.len() > MAX_METADATA_SIZE {
        return Err(ArtifactError::BadSection {
            section: METADATA_SECTION.into(),
            reason: format!("{} bytes, larger than {MAX_METADATA_SIZE}", section.len()),
        });
    }
    let meta = decode::all(section, decode::metadata).map_err(ArtifactError::Metadata)?;
    meta.validate()?;
    Ok(meta)
}

/// Encodes function names (by ascending index) as the contents of
/// `.kiln.names`.
pub fn encode_func_names(names: &[FuncName]) -> Vec<u8> {
    encode(names)
}

/// Decodes `.kiln.names` of a module with `num_funcs` functions (imported
/// and defined), checking that the names are in range and in order.
pub fn decode_func_names(section: &[u8], num_funcs: u32) -> Result<Vec<FuncName>, ArtifactError> {
    let bad = |reason| ArtifactError::BadSection {
        section: NAMES_SECTION.into(),
        reason,
    };
    let names = decode::all(section, |w| w.seq(decode::func_name)).map_err(bad)?;
    check_func_names(&names, num_funcs)?;
    Ok(names)
}

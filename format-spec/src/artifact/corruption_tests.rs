//! Corrupt input: every truncation and every single-bit flip of the sample
//! encodings must decode to an error or to a valid value, never panic.
//! Truncations are always errors. (A flip inside a constant's value can
//! give different but well-formed metadata; the file checksum is what
//! catches those, see `checksum.rs`.)

use super::sample::{sample_header, sample_metadata};
use super::*;

fn flips(bytes: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    (0..bytes.len() * 8).map(move |bit| {
        let mut b = bytes.to_vec();
        b[bit / 8] ^= 1 << (bit % 8);
        b
    })
}

#[test]
fn every_truncated_metadata_is_an_error() {
    let bytes = encode_metadata(&sample_metadata());
    for len in 0..bytes.len() {
        assert!(decode_metadata(&bytes[..len]).is_err(), "length {len}");
    }
}

#[test]
fn trailing_bytes_after_metadata_are_an_error() {
    let mut bytes = encode_metadata(&sample_metadata());
    bytes.push(0);
    assert!(matches!(
        decode_metadata(&bytes),
        Err(ArtifactError::Metadata(m)) if m.contains("trailing")
    ));
}

#[test]
fn every_bit_flipped_metadata_decodes_safely() {
    let bytes = encode_metadata(&sample_metadata());
    let mut errors = 0;
    for flipped in flips(&bytes) {
        match decode_metadata(&flipped) {
            Err(_) => errors += 1,
            Ok(meta) => {
                meta.validate().unwrap();
                assert_eq!(decode_metadata(&encode_metadata(&meta)), Ok(meta));
            }
        }
    }
    // Most flips hit structure (lengths, tags, indices), not free values.
    assert!(errors * 2 > bytes.len() * 8, "{errors} errors");
}

#[test]
fn every_truncated_or_flipped_header_decodes_safely() {
    let bytes = encode_header(&sample_header());
    for len in 0..bytes.len() {
        assert!(decode_header(&bytes[..len]).is_err(), "length {len}");
    }
    for flipped in flips(&bytes) {
        if let Ok(h) = decode_header(&flipped) {
            assert_eq!(decode_header(&encode_header(&h)), Ok(h));
        }
    }
}

#[test]
fn huge_length_prefixes_are_refused_without_allocating() {
    // One type whose parameter list claims u64::MAX entries.
    let mut bytes = vec![1, 0xfd];
    bytes.extend_from_slice(&u64::MAX.to_le_bytes());
    assert!(decode_metadata(&bytes).is_err());
    // An import whose module name claims 2^40 bytes.
    let mut bytes = vec![0, 1, 0xfd];
    bytes.extend_from_slice(&(1u64 << 40).to_le_bytes());
    assert!(decode_metadata(&bytes).is_err());
}

#[test]
fn header_version_is_checked_before_the_body() {
    let mut bytes = encode_header(&sample_header());
    bytes.truncate(8);
    bytes[6] = 1; // minor 1, newer than this reader
    assert_eq!(
        decode_header(&bytes),
        Err(ArtifactError::UnsupportedVersion {
            found: FormatVersion { major: 3, minor: 1 },
            supported: FORMAT_VERSION,
        })
    );
    // A 2.0 artifact, from before the XXH64 checksum and `.kiln.names`.
    bytes[4] = 2;
    bytes[6] = 0;
    let err = decode_header(&bytes).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unsupported artifact format version 2.0: this runtime reads versions 3.0 \
         through 3.0; recompile the module with a matching kilnc"
    );
    bytes[0] = b'k';
    assert!(matches!(
        decode_header(&bytes),
        Err(ArtifactError::BadSection { reason, .. }) if reason.contains("magic")
    ));
}

#[test]
fn inconsistent_metadata_is_refused() {
    type Corruption = Box<dyn Fn(&mut ModuleMetadata)>;
    let cases: Vec<(&str, Corruption)> = vec![
        ("type index", Box::new(|m| m.functions[0] = 9)),
        ("export", Box::new(|m| m.exports[0].index = 3)),
        ("duplicated", Box::new(|m| m.exports[1].name = "add".into())),
        ("start", Box::new(|m| m.start = Some(1))),
        (
            "global",
            Box::new(|m| m.globals[1].init = ConstExpr::of(ConstOp::I32Const(0))),
        ),
        (
            "table",
            Box::new(|m| {
                m.elements[0].mode = ElementMode::Active {
                    table: 1,
                    offset: ConstExpr::of(ConstOp::I32Const(0)),
                }
            }),
        ),
        (
            "function",
            Box::new(|m| m.elements[0].items = ElementItems::Functions(vec![3])),
        ),
        (
            "memory",
            Box::new(|m| {
                m.data[0].mode = DataMode::Active {
                    memory: 1,
                    offset: ConstExpr::of(ConstOp::I32Const(0)),
                }
            }),
        ),
        ("limits", Box::new(|m| m.tables[0].ty.max = Some(1))),
    ];
    for (what, corrupt) in cases {
        let mut meta = sample_metadata();
        corrupt(&mut meta);
        let err = meta.validate().unwrap_err();
        assert!(matches!(err, ArtifactError::Metadata(_)), "{what}: {err}");
        assert!(decode_metadata(&encode_metadata(&meta)).is_err(), "{what}");
    }
}

#[test]
fn names_out_of_order_or_range_are_refused() {
    let meta = sample_metadata();
    let num_funcs = meta.count(ExternKind::Func) as u32;
    let names = encode_func_names(&meta.func_names);
    assert_eq!(
        decode_func_names(&names, num_funcs),
        Ok(meta.func_names.clone())
    );
    let mut swapped = meta.func_names.clone();
    swapped.swap(0, 1);
    let err = decode_func_names(&encode_func_names(&swapped), num_funcs).unwrap_err();
    assert!(err.to_string().contains("out of order"), "{err}");
    assert!(decode_func_names(&names, 1).is_err());
    assert!(decode_func_names(&names[..names.len() - 1], num_funcs).is_err());
    let mut in_memory = meta;
    in_memory.func_names = swapped;
    assert!(matches!(
        in_memory.validate(),
        Err(ArtifactError::Metadata(_))
    ));
}

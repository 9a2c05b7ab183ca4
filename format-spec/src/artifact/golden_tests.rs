//! Golden tests: the exact bytes of a fixed header and metadata. If one of
//! these fails, the format changed: bump [`FORMAT_VERSION`] as the
//! compatibility rule requires, update SPEC.md, then update the pins.

use super::error::hex;
use super::sample::{sample_header, sample_metadata, SAMPLE_DATA};
use super::*;

/// `.kiln.header` of [`sample_header`], annotated in SPEC.md section 4.
const GOLDEN_HEADER: &str = concat!(
    "4b494c4e", // "KILN"
    "0100",     // major 1
    "0000",     // minor 0
    "0b6b696c6e6320302e312e30",
    "187838365f36342d756e6b6e6f776e2d6c696e75782d676e75",
    "097838362d36342d7633",
    "02046176783204626d6932",
    "030000fc0000008000",
    "93a44bbb96c751218e4c00d479e4c14358122a389acca16205b1e4d0dc5f9476",
);

/// `.kiln.meta` of [`sample_metadata`], one line per top-level field.
const GOLDEN_METADATA: &str = concat!(
    "03020000010000000105010103",                         // types
    "0303656e76057072696e74000003656e760462617365030000", // imports...
    "03656e76036d656d020101fb2c010000",                   // ...imports
    "020001",                                             // functions
    "010004000000",                                       // tables
    "00",                                                 // memories
    "04010101010102000102fc0000c03f0000030700002008",     // globals...
    "04000104",                                           // ...v128 global
    "07070707070707070707070707070707",                   // ...its bytes
    "03036164640001066d656d6f7279020001670303",           // exports
    "0102",                                               // start
    "020000010002000002010202000102010600010500",         // elements
    "020000010700000501050301",                           // data
    "0673616d706c65",                                     // name
    "0200057072696e740103616464",                         // func_names
);

#[test]
fn header_bytes_are_pinned() {
    assert_eq!(hex(&encode_header(&sample_header())), GOLDEN_HEADER);
}

#[test]
fn metadata_bytes_are_pinned() {
    assert_eq!(hex(&encode_metadata(&sample_metadata())), GOLDEN_METADATA);
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn pinned_bytes_decode_to_the_sample() {
    assert_eq!(decode_header(&unhex(GOLDEN_HEADER)), Ok(sample_header()));
    assert_eq!(
        decode_metadata(&unhex(GOLDEN_METADATA)),
        Ok(sample_metadata())
    );
}

#[test]
fn the_sample_is_valid_and_its_data_fits() {
    let meta = sample_metadata();
    meta.validate().unwrap();
    meta.validate_data(SAMPLE_DATA.len()).unwrap();
    assert_eq!(meta.data[0].bytes(SAMPLE_DATA), Some(&b"hello"[..]));
    assert_eq!(meta.data[1].bytes(SAMPLE_DATA), Some(&b"foo"[..]));
    assert!(meta.validate_data(SAMPLE_DATA.len() - 1).is_err());
}

#[test]
fn sample_counts_follow_the_index_spaces() {
    let meta = sample_metadata();
    assert_eq!(meta.num_imported_funcs(), 1);
    assert_eq!(meta.func_type_index(0), Some(0));
    assert_eq!(meta.func_type_index(2), Some(1));
    assert_eq!(meta.func_type_index(3), None);
    let counts = meta.vm_counts();
    assert_eq!(
        (
            counts.num_types,
            counts.num_funcs,
            counts.num_memories,
            counts.num_tables,
            counts.num_globals
        ),
        (3, 3, 1, 1, 5)
    );
}

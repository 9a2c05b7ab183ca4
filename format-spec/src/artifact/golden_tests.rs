//! Golden tests: the exact bytes of a fixed header and metadata. If one of
//! these fails, the format changed: bump [`FORMAT_VERSION`] as the
//! compatibility rule requires, update SPEC.md, then update the pins.

use super::error::hex;
use super::sample::{sample_header, sample_metadata, SAMPLE_DATA};
use super::*;

/// `.kiln.header` of [`sample_header`], annotated in SPEC.md section 4.
const GOLDEN_HEADER: &str = concat!(
    "4b494c4e", // "KILN"
    "0300",     // major 3
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
);

/// `.kiln.names` of [`sample_metadata`]'s function names.
const GOLDEN_NAMES: &str = "0200057072696e740103616464";

#[test]
fn header_bytes_are_pinned() {
    assert_eq!(hex(&encode_header(&sample_header())), GOLDEN_HEADER);
}

#[test]
fn metadata_bytes_are_pinned() {
    let meta = sample_metadata();
    assert_eq!(hex(&encode_metadata(&meta)), GOLDEN_METADATA);
    assert_eq!(hex(&encode_func_names(&meta.func_names)), GOLDEN_NAMES);
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
    let sample = sample_metadata();
    let num_funcs = sample.count(ExternKind::Func) as u32;
    assert_eq!(
        decode_func_names(&unhex(GOLDEN_NAMES), num_funcs).as_ref(),
        Ok(&sample.func_names)
    );
    assert_eq!(
        decode_metadata(&unhex(GOLDEN_METADATA)),
        Ok(ModuleMetadata {
            func_names: Vec::new(),
            ..sample
        })
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

/// The sites of `kiln_func_2` (the second inlining function 3) and of
/// `kiln_osr_2_1`, as SPEC.md 4.16 shows them.
fn sample_sites() -> Vec<SymbolSites> {
    let site = |code, offset, inlined: &[(u32, u32)]| Site {
        code,
        offset,
        inlined: inlined
            .iter()
            .map(|&(func, offset)| InlinedFrame { func, offset })
            .collect(),
    };
    vec![
        SymbolSites {
            symbol: KilnSymbol::Func(2),
            sites: vec![
                site(0, 0x30, &[]),
                site(4, 0x34, &[]),
                site(9, 0x2e, &[(3, 0x40)]),
            ],
        },
        SymbolSites {
            symbol: KilnSymbol::Osr {
                func: 2,
                loop_index: 1,
            },
            sites: vec![site(0, 0x100, &[])],
        },
    ]
}

/// `.kiln.sites` of [`sample_sites`].
const GOLDEN_SITES: &str = concat!(
    "02",       // two symbols
    "0002",     // Func(2)
    "03",       // three sites
    "0060",     // +0: offset +0x30
    "0408",     // +4: offset +4
    "050b",     // +5: offset -6
    "01",       // one site with inlined frames
    "03010340", // the third: function 3 at 0x40
    "010201",   // Osr(2, 1)
    "01",       // one site
    "00fb0002", // +0: offset +0x100
    "00",       // no inlined frames
);

#[test]
fn sites_bytes_are_pinned() {
    let bytes = encode_sites(&sample_sites()).unwrap();
    assert_eq!(hex(&bytes), GOLDEN_SITES);
    assert_eq!(decode_sites(&bytes), Ok(sample_sites()));
}

#[test]
fn corrupt_sites_are_refused() {
    let good = unhex(GOLDEN_SITES);
    // Every truncation, and a repeated code offset, a repeated symbol and
    // a trailing byte: errors, never panics.
    for n in 0..good.len() {
        assert!(decode_sites(&good[..n]).is_err(), "{n} bytes");
    }
    let mut twice = good.clone();
    twice[6] = 0; // the second site's code delta
    assert!(decode_sites(&twice).is_err());
    let mut same = sample_sites();
    same[1].symbol = KilnSymbol::Func(2);
    assert!(decode_sites(&encode_sites(&same).unwrap()).is_err());
    let mut longer = good.clone();
    longer.push(0);
    assert!(decode_sites(&longer).is_err());
    for (i, b) in good.iter().enumerate() {
        let mut flipped = good.clone();
        flipped[i] = b ^ 0xff;
        let _ = decode_sites(&flipped);
    }
    let sites = decode_sites(&good).unwrap();
    assert!(check_site_bounds(&sites[0], 10).is_ok());
    assert!(check_site_bounds(&sites[0], 9).is_err());
}

#[test]
fn debug_bytes_are_pinned() {
    let dwarf = WasmDwarf {
        code_offset: 0x2a,
        sections: vec![(".debug_line".into(), vec![1, 2, 3])],
    };
    let bytes = encode_dwarf(&dwarf);
    // code_offset, one section: name (11 bytes), contents (3 bytes).
    assert_eq!(hex(&bytes), "2a010b2e64656275675f6c696e6503010203");
    assert_eq!(decode_dwarf(&bytes), Ok(dwarf));
    assert!(decode_dwarf(&bytes[..bytes.len() - 1]).is_err());
}

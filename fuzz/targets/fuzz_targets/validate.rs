//! Arbitrary bytes, and a wasm-smith module drawn from the same input,
//! through validation and every tier's translation: an error or success,
//! the same in every tier, never a panic.
#![no_main]

use arbitrary::Unstructured;
use kiln_fuzz::validate::Tiers;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static TIERS: OnceLock<Tiers> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let tiers = TIERS.get_or_init(|| Tiers::built().expect("the built modes run"));
    if let Err(e) = tiers.check(data) {
        panic!("raw bytes: {e}");
    }
    if let Ok(wasm) = kiln_fuzz::generate::module(&mut Unstructured::new(data)) {
        if let Err(e) = tiers.check(&wasm) {
            panic!("generated module: {e}");
        }
    }
});

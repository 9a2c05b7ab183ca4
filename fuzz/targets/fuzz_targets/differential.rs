//! A wasm-smith module from the input, run in every built mode and
//! compared with the interpreter; any difference aborts with the report.
#![no_main]

use arbitrary::Unstructured;
use kiln_fuzz::differential::Modes;
use libfuzzer_sys::fuzz_target;
use std::sync::Mutex;

static MODES: Mutex<Option<Modes>> = Mutex::new(None);

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(wasm) = kiln_fuzz::generate::module(&mut u) else {
        return;
    };
    // The arguments come from the input too.
    let seed = data.iter().fold(0u64, |h, b| h.rotate_left(5) ^ u64::from(*b));
    let mut guard = MODES.lock().unwrap_or_else(|e| e.into_inner());
    let modes = guard.get_or_insert_with(|| Modes::built().expect("the built modes run"));
    if let Some(report) = modes.check(&wasm, seed).divergence {
        let path = std::env::temp_dir().join("kiln-divergence.wasm");
        let _ = std::fs::write(&path, &wasm);
        panic!("{report}\n(module written to {})", path.display());
    }
});

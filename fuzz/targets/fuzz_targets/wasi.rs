//! A sequence of WASI calls with fuzzed arguments, made by a small wasm
//! driver against a fresh sandbox: no panic, nothing outside it changed.
#![no_main]

use kiln_runtime::{Engine, Module};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static DRIVER: OnceLock<(Engine, Module)> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let (engine, driver) = DRIVER.get_or_init(|| {
        let engine = Engine::default();
        let driver = kiln_fuzz::wasi::driver(&engine).expect("the driver compiles");
        (engine, driver)
    });
    if let Err(e) = kiln_fuzz::wasi::check(engine, driver, data, "libfuzzer") {
        panic!("{e}");
    }
});

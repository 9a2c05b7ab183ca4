//! The LLVM JIT's compile cache: a miss writes an entry, a hit loads it
//! without writing, and a damaged entry is compiled afresh and replaced.

#![cfg(feature = "llvm")]

use kiln_runtime::{Config, Engine, Instance, Linker, Module, RunningMode, Store, Val};
use std::os::unix::fs::MetadataExt;

const WAT: &str =
    r#"(module (func (export "f") (result i32) (i32.const 41) (i32.const 1) (i32.add)))"#;

fn call_f(engine: &Engine, module: &Module) -> Val {
    let mut store = Store::new(engine, ());
    let inst: Instance = Linker::new().instantiate(&mut store, module).unwrap();
    let f = inst.get_func(&store, "f").unwrap();
    let mut out = [Val::I32(0)];
    f.call(&mut store, &[], &mut out).unwrap();
    out[0]
}

#[test]
fn the_cache_is_written_reused_and_repaired() {
    if !kiln_runtime::is_running_mode_supported(RunningMode::LlvmJit) {
        panic!("this build has no LLVM JIT although the llvm feature is on");
    }
    let dir = std::env::temp_dir().join(format!("kiln-cache-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let engine = Engine::new(Config {
        default_mode: Some(RunningMode::LlvmJit),
        cache_dir: Some(dir.clone()),
        ..Config::default()
    })
    .unwrap();
    let wasm = wat::parse_str(WAT).unwrap();

    let module = Module::new(&engine, &wasm).unwrap();
    assert_eq!(call_f(&engine, &module), Val::I32(42));
    let entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "one entry after the first compile");
    let entry = &entries[0];
    let first = std::fs::metadata(entry).unwrap().ino();

    // A hit loads the entry and writes nothing (the file stays the same inode).
    let module = Module::new(&engine, &wasm).unwrap();
    assert_eq!(call_f(&engine, &module), Val::I32(42));
    assert_eq!(std::fs::metadata(entry).unwrap().ino(), first);

    // A damaged entry is refused by the loader, compiled again and replaced.
    std::fs::write(entry, b"\x7fELF not an artifact").unwrap();
    let module = Module::new(&engine, &wasm).unwrap();
    assert_eq!(call_f(&engine, &module), Val::I32(42));
    assert!(
        std::fs::metadata(entry).unwrap().len() > 100,
        "the entry was rewritten"
    );

    // Another module gets its own entry.
    let other = wat::parse_str(WAT.replace("41", "9")).unwrap();
    let module = Module::new(&engine, &other).unwrap();
    assert_eq!(call_f(&engine, &module), Val::I32(10));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

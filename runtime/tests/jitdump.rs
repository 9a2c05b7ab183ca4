//! `ProfilingStrategy::JitDump`: `/tmp/jit-PID.dump` gets the jitdump
//! header and a `JIT_CODE_LOAD` record per compiled function, holding the
//! function's name and a copy of its code. The file is removed at the end.

#![cfg(feature = "fast-jit")]

use kiln_runtime::{Config, Engine, Linker, Module, ProfilingStrategy, RunningMode, Store, Val};

const WAT: &str = r#"(module $dumped
  (func $hot (export "run") (param i32) (result i32)
    (i32.mul (call $twice (local.get 0)) (i32.const 3)))
  (func $twice (param i32) (result i32)
    (i32.add (local.get 0) (local.get 0))))"#;

/// Removes the file when dropped.
struct Remove(std::path::PathBuf);

impl Drop for Remove {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes(b[at..at + 4].try_into().unwrap())
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_ne_bytes(b[at..at + 8].try_into().unwrap())
}

#[test]
fn the_jitdump_has_a_header_and_a_code_load_per_function() {
    let path = std::path::PathBuf::from(format!("/tmp/jit-{}.dump", std::process::id()));
    let _remove = Remove(path.clone());
    let engine = Engine::new(Config {
        default_mode: Some(RunningMode::FastJit),
        profiling: ProfilingStrategy::JitDump,
        ..Config::default()
    })
    .unwrap();
    let module = Module::new(&engine, &wat::parse_str(WAT).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = Linker::new().instantiate(&mut store, &module).unwrap();
    let f = inst.get_func(&store, "run").unwrap();
    let mut out = [Val::I32(0)];
    f.call(&mut store, &[Val::I32(7)], &mut out).unwrap();
    assert_eq!(out[0], Val::I32(42));

    let dump = std::fs::read(&path).expect("the jitdump was written");
    assert_eq!(u32_at(&dump, 0), 0x4A69_5444, "magic");
    assert_eq!(u32_at(&dump, 4), 1, "version");
    let header = u32_at(&dump, 8) as usize;
    assert_eq!(header, 40);
    assert_eq!(u32_at(&dump, 20), std::process::id());

    let mut names = Vec::new();
    let mut at = header;
    while at < dump.len() {
        let (id, size) = (u32_at(&dump, at), u32_at(&dump, at + 4) as usize);
        assert!(size >= 16 && at + size <= dump.len(), "record in bounds");
        if id == 0 {
            let code_size = u64_at(&dump, at + 40) as usize;
            assert!(code_size > 0);
            let name_end = at + size - code_size;
            let name = &dump[at + 56..name_end - 1];
            assert_eq!(dump[name_end - 1], 0, "name is NUL-terminated");
            names.push(String::from_utf8(name.to_vec()).unwrap());
            let addr = u64_at(&dump, at + 32) as usize;
            // SAFETY: the module is alive: its code is still mapped readable.
            let mapped = unsafe { std::slice::from_raw_parts(addr as *const u8, code_size) };
            assert_eq!(&dump[name_end..at + size], mapped, "the code is copied");
        }
        at += size;
    }
    for want in [
        "wasm[dumped]::hot [fast-jit]",
        "wasm[dumped]::twice [fast-jit]",
    ] {
        assert!(names.iter().any(|n| n == want), "no `{want}` in {names:?}");
    }
    drop((inst, store, module));
}

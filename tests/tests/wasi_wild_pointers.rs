//! Every WASI function, called from wasm with wild pointers and lengths,
//! in every built mode: each call returns an errno or traps, never
//! succeeds by touching memory outside the guest's, and the host goes on
//! (the same store runs wasm again afterwards).

use kiln_runtime::wasi::{self, WasiCtx};
use kiln_runtime::{Engine, Linker, Module, Store, Val, ValType};
use kiln_tests::Mode;

/// Calls that take no pointer, so that success is a legitimate outcome.
const POINTER_FREE: &[&str] = &[
    "fd_advise",
    "fd_allocate",
    "fd_close",
    "fd_datasync",
    "fd_fdstat_set_flags",
    "fd_fdstat_set_rights",
    "fd_filestat_set_size",
    "fd_filestat_set_times",
    "fd_renumber",
    "fd_sync",
    "proc_exit",
    "proc_raise",
    "sched_yield",
    "sock_shutdown",
];

/// A module importing every WASI function, with an export `call_N(a, p, l)`
/// per import that passes `a` as the first `i32`, `p` as every other `i32`
/// and `l` as every `i64`.
fn module_text() -> String {
    let mut imports = String::new();
    let mut exports = String::new();
    for (i, (name, ty)) in wasi::functions().enumerate() {
        let params: Vec<&str> = ty
            .params()
            .iter()
            .map(|t| if *t == ValType::I64 { "i64" } else { "i32" })
            .collect();
        let result = if ty.results().is_empty() {
            ""
        } else {
            "(result i32)"
        };
        imports.push_str(&format!(
            "(import \"wasi_snapshot_preview1\" \"{name}\" (func $f{i} (param {}) {result}))\n",
            params.join(" ")
        ));
        let mut args = String::new();
        for (k, p) in params.iter().enumerate() {
            args.push_str(match (k, *p) {
                (_, "i64") => "(local.get $l)",
                (0, _) => "(local.get $a)",
                _ => "(local.get $p)",
            });
        }
        let tail = if ty.results().is_empty() {
            "(i32.const 0)"
        } else {
            ""
        };
        exports.push_str(&format!(
            "(func (export \"call_{i}\") (param $a i32) (param $p i32) (param $l i64) (result i32)\n  (call $f{i} {args}) {tail})\n"
        ));
    }
    format!(
        "(module\n{imports}(memory (export \"memory\") 1)\n{exports}\
         (func (export \"alive\") (result i32) (i32.const 42)))"
    )
}

fn load(mode: Mode, wasm: &[u8]) -> (Engine, Module) {
    let engine = kiln_tests::engine_for(mode).unwrap();
    let module = kiln_tests::compile_in(&engine, mode, wasm).unwrap();
    (engine, module)
}

#[test]
fn wild_pointers_get_an_errno_or_a_trap_in_every_mode() {
    let wasm = wat::parse_str(module_text()).unwrap();
    let dir = std::env::temp_dir().join(format!("kiln-wild-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let names: Vec<&str> = wasi::functions().map(|(n, _)| n).collect();
    // 1 is stdout, 3 the preopened directory, the rest are no descriptor.
    let firsts = [1u32, 3, 0xffff_fff0];
    // Near 4 GiB, just past the one page (also as a length from address
    // 1), and near 2 GiB.
    let pointers = [0xffff_fff0u32, 0x1_0000, 0x7fff_fffc];
    let longs = [u64::MAX, 1 << 40];
    for mode in kiln_tests::built_modes() {
        let (engine, module) = load(mode, &wasm);
        let (mut errnos, mut traps, mut ok) = (0, 0, 0);
        for (i, name) in names.iter().enumerate() {
            for &a in &firsts {
                for &p in &pointers {
                    for &l in &longs {
                        let ctx = WasiCtx::builder()
                            .arg("prog")
                            .env("K", "V")
                            .preopened_dir(&dir, "sandbox")
                            .unwrap()
                            .build();
                        let mut store = Store::new(&engine, ctx);
                        let mut linker = Linker::new();
                        wasi::add_to_linker(&mut linker, &mut store, |c| c);
                        let inst = linker.instantiate(&mut store, &module).unwrap();
                        let f = inst.get_func(&store, &format!("call_{i}")).unwrap();
                        let mut out = [Val::I32(0)];
                        let args = [Val::I32(a as i32), Val::I32(p as i32), Val::I64(l as i64)];
                        match f.call(&mut store, &args, &mut out) {
                            Err(_) => traps += 1,
                            Ok(()) if out[0] != Val::I32(0) => errnos += 1,
                            Ok(()) => {
                                assert!(
                                    POINTER_FREE.contains(name),
                                    "{}: {name}({a:#x}, {p:#x}, {l:#x}) succeeded with wild pointers",
                                    mode.name()
                                );
                                ok += 1;
                            }
                        }
                        let alive = inst.get_func(&store, "alive").unwrap();
                        let mut r = [Val::I32(0)];
                        alive.call(&mut store, &[], &mut r).unwrap();
                        assert_eq!(r[0], Val::I32(42), "{}: after {name}", mode.name());
                    }
                }
            }
        }
        println!(
            "{}: {} calls: {errnos} errnos, {traps} traps, {ok} pointer-free successes",
            mode.name(),
            errnos + traps + ok
        );
        assert!(errnos > 0);
    }
    // Nothing was created in the preopened directory.
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert!(left.is_empty(), "the calls created {left:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

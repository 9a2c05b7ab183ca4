//! Artifacts of some functions only (`CompileOptions::only_defined`, as
//! tier-up compiles one hot function): they hold that code alone, load
//! only when the loader is told to accept a partial artifact, and refuse
//! direct calls.

use kiln_compiler::{compile_artifact, CompileOptions, TargetSpec};
use kiln_loader::{load, LoadOptions};

fn module() -> Vec<u8> {
    wat::parse_str(
        r#"(module (import "env" "f" (func $f (param i32)))
             (func (export "a") (result i32) (i32.const 1))
             (func (export "b") (param i32) (result i32) (call $f (local.get 0)) (local.get 0))
             (func (export "c") (result i32) (i32.const 3)))"#,
    )
    .unwrap()
}

fn options(only: Option<Vec<u32>>, direct_calls: bool) -> CompileOptions {
    let mut o = CompileOptions::new(TargetSpec::host().unwrap());
    o.only_defined = only;
    o.direct_calls = direct_calls;
    o
}

fn resolver(_: &str) -> Option<usize> {
    Some(0x1000)
}

#[test]
fn some_functions_load_as_a_partial_artifact_only() {
    let wasm = module();
    let bytes = compile_artifact(&wasm, &options(Some(vec![0, 2]), false)).unwrap();
    let mut opts = LoadOptions::new(&resolver);
    opts.wasm = Some(&wasm);
    let err = load(&bytes, &opts).unwrap_err().to_string();
    assert!(
        err.contains("every defined function needs its code symbol"),
        "{err}"
    );
    opts.partial = true;
    let loaded = load(&bytes, &opts).unwrap();
    // Function indices: 0 the import, then a, b, c.
    let have: Vec<bool> = (0..4).map(|f| loaded.func(f).is_some()).collect();
    assert_eq!(have, [false, true, false, true]);
}

#[test]
fn some_functions_only_need_calls_through_the_table() {
    let err = compile_artifact(&module(), &options(Some(vec![0]), true)).unwrap_err();
    assert!(err.to_string().contains("no direct calls"), "{err}");
    for bad in [vec![2, 3], vec![1, 0], vec![1, 1]] {
        let err = compile_artifact(&module(), &options(Some(bad), false)).unwrap_err();
        assert!(err.to_string().contains("among the 3 defined"), "{err}");
    }
}

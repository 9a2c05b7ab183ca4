//! A module of many functions, compiled in several chunks, each emitted to
//! its own object on its own thread and merged by the artifact writer: the
//! bytes are the same for every thread count on every target, and the
//! x86-64 artifact computes what the interpreter does (calls from one chunk
//! into another, `call_indirect`, imports, constants and jump tables in
//! every chunk's pieces of `.rodata`).

use kiln_compiler::{compile_artifact, compile_module, CompileOptions, TargetSpec};
use kiln_format::artifact::{identify, CHECKSUM_SECTION};
use kiln_runtime::{
    Config, Engine, Func, FuncType, Instance, Module, RunningMode, Store, Val, ValType,
};
use object::{Object, ObjectSection, ObjectSymbol};

/// Functions in the module: 8 chunks (the most) of 14 or 15.
const FUNCS: u32 = 115;

/// `$f<i>` for `i` in `0..FUNCS`, each `(i32) -> i32`, calling functions
/// of lower index only (most of them in other chunks), `$host` and each
/// other through the table.
fn module() -> Vec<u8> {
    let mut text = String::from(
        r#"(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (type $ii (func (param i32) (result i32)))
  (memory 1)
"#,
    );
    text.push_str(&format!("  (table {FUNCS} funcref)\n  (elem (i32.const 0)"));
    for i in 0..FUNCS {
        text.push_str(&format!(" $f{i}"));
    }
    text.push_str(")\n");
    for i in 0..FUNCS {
        let far = (i * 37 + 11) % i.max(1);
        let body = match i % 5 {
            _ if i == 0 => "(i32.add (local.get 0) (i32.const 7))".to_string(),
            0 => format!(
                "(i32.add (call $f{far} (i32.xor (local.get 0) (i32.const {i}))) (i32.const 1))"
            ),
            1 => format!(
                "(i32.mul (call_indirect (type $ii) (i32.add (local.get 0) (i32.const {i})) \
                   (i32.const {far})) (i32.const 3))"
            ),
            2 => format!(
                "(i32.add (call $host (local.get 0)) \
                   (i32.add (i32.trunc_f64_s (f64.mul (f64.convert_i32_s \
                     (i32.and (local.get 0) (i32.const 0xffff))) (f64.const {i}.375))) \
                   (call $f{} (local.get 0))))",
                i / 2
            ),
            3 => format!(
                "(block $d (block $c (block $b (block $a \
                   (br_table $a $b $c $d $b $a (i32.and (local.get 0) (i32.const 7)))) \
                   (return (i32.add (call $f{far} (local.get 0)) (i32.const {i})))) \
                   (return (i32.xor (call $f{} (local.get 0)) (i32.const 0x5a5a)))) \
                   (return (i32.sub (i32.const {i}) (local.get 0)))) \
                 (i32.rotl (call_indirect (type $ii) (local.get 0) (i32.const {far})) (i32.const 5))",
                i - 1
            ),
            _ => format!(
                "(i32.store (i32.const {}) (local.get 0)) \
                 (f32.store (i32.const 1024) (f32.sqrt (f32.convert_i32_u (local.get 0)))) \
                 (i32.add (i32.load (i32.const {})) \
                   (i32.add (i32.trunc_f32_u (f32.load (i32.const 1024))) \
                     (call $f{far} (i32.mul (local.get 0) (i32.const 0x9e3779b1)))))",
                i * 4,
                i * 4
            ),
        };
        text.push_str(&format!(
            "  (func $f{i} (export \"f{i}\") (type $ii) {body})\n"
        ));
    }
    text.push_str(")\n");
    wat::parse_str(&text).expect("the test module must parse")
}

fn options(target: &str, threads: usize) -> CompileOptions {
    let mut o = CompileOptions::new(TargetSpec::new(Some(target), None, None).unwrap());
    o.threads = threads;
    o
}

#[test]
fn the_bytes_do_not_depend_on_the_thread_count() {
    let wasm = module();
    for target in ["x86_64", "aarch64", "riscv64"] {
        let one = compile_artifact(&wasm, &options(target, 1)).unwrap();
        identify(&one).unwrap();
        let file = object::File::parse(&*one).unwrap();
        assert!(file.section_by_name(CHECKSUM_SECTION).is_some());
        for threads in [2, 3] {
            let other = compile_artifact(&wasm, &options(target, threads)).unwrap();
            assert!(one == other, "{target}: -j1 and -j{threads} differ");
        }
        let a = compile_module(&wasm, &options(target, 1)).unwrap();
        let b = compile_module(&wasm, &options(target, 3)).unwrap();
        assert!(a.bytes == b.bytes, "{target}: objects differ");
    }
}

#[test]
fn every_function_is_defined_once_and_cross_chunk_calls_are_bound() {
    let wasm = module();
    for target in ["x86_64", "aarch64", "riscv64"] {
        let bytes = compile_artifact(&wasm, &options(target, 2)).unwrap();
        let file = object::File::parse(&*bytes).unwrap();
        let mut defined = 0;
        for s in file.symbols() {
            let name = s.name().unwrap();
            if s.is_undefined() {
                assert!(!name.starts_with("kiln_func_"), "{target}: {name} unbound");
            } else if name.starts_with("kiln_func_") {
                defined += 1;
            }
        }
        assert_eq!(defined, FUNCS, "{target}");
        let texts = file.sections().filter(|s| s.name() == Ok(".text")).count();
        assert_eq!(texts, 1, "{target}: one merged .text");
    }
}

/// Calls every export of `module` with a few arguments; `host` answers
/// `env.host`.
fn results(engine: &Engine, module: &Module) -> Vec<i32> {
    let mut store = Store::new(engine, ());
    let ty = FuncType::new([ValType::I32], [ValType::I32]);
    let host = Func::new(&mut store, ty, |_, p, r| {
        r[0] = Val::I32(p[0].i32().unwrap_or(0).wrapping_mul(3) ^ 0x55);
        Ok(())
    });
    let instance = Instance::new(&mut store, module, &[host.into()]).unwrap();
    let mut out = Vec::new();
    for i in 0..FUNCS {
        let f = instance.get_func(&store, &format!("f{i}")).unwrap();
        for x in [0, 1, 5, 77, 1000, -3] {
            let mut r = [Val::I32(0)];
            f.call(&mut store, &[Val::I32(x)], &mut r).unwrap();
            out.push(r[0].i32().unwrap());
        }
    }
    out
}

#[test]
fn the_merged_artifact_runs_like_the_interpreter() {
    if !cfg!(target_arch = "x86_64") {
        return;
    }
    let wasm = module();
    let bytes = compile_artifact(&wasm, &options("x86_64", 3)).unwrap();
    let engine = Engine::default();
    let aot = Module::from_artifact(&engine, &bytes, Some(&wasm)).unwrap();
    let interp_engine = Engine::new(Config {
        default_mode: Some(RunningMode::Interp),
        ..Config::default()
    })
    .unwrap();
    let interp = Module::new(&interp_engine, &wasm).unwrap();
    assert_eq!(results(&engine, &aot), results(&interp_engine, &interp));
}

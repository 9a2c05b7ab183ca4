//! The pipeline per function: a large function without loops takes the
//! light pipeline, loops and small functions the full one; the marks
//! that set functions aside during each run are gone before code
//! generation, and the code computes what the interpreter computes.

use kiln_compiler::{compile, compile_artifact, CompileOptions, OutputKind, TargetSpec};
use kiln_runtime::{Config, Engine, Instance, Module, RunningMode, Store, Val};

/// `$big`: a long loop-free chain of arithmetic on its parameter (far
/// over the light size), `$sum`: a loop over memory calling `$twice`, a
/// small helper the full pipeline inlines.
fn module() -> String {
    let mut chain = String::new();
    for k in 1..=80 {
        chain.push_str(&format!(
            "(local.set $x (i32.xor (i32.mul (local.get $x) (i32.const {})) \
             (i32.shr_u (local.get $x) (i32.const {}))))\n",
            2 * k + 1,
            k % 13 + 1
        ));
        chain.push_str(&format!(
            "(if (i32.lt_u (local.get $x) (i32.const {})) \
             (then (local.set $x (i32.add (local.get $x) (i32.const {})))))\n",
            k * 1000,
            k
        ));
    }
    format!(
        r#"(module
  (memory (export "mem") 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10")
  (func $twice (param $v i32) (result i32)
    (i32.shl (local.get $v) (i32.const 1)))
  (func (export "sum") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (call $twice (i32.load8_u (local.get $p)))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "big") (param $x i32) (result i32)
    {chain}
    (local.get $x)))"#
    )
}

fn options() -> CompileOptions {
    CompileOptions::new(TargetSpec::new(Some("x86_64"), None, None).unwrap())
}

fn ir(kind: OutputKind) -> String {
    let wasm = wat::parse_str(module()).unwrap();
    String::from_utf8(compile(&wasm, &options(), kind).unwrap().bytes).unwrap()
}

/// The text of function `name`'s definition, and its attribute group.
fn definition<'a>(ir: &'a str, name: &str) -> (&'a str, &'a str) {
    let start = ir
        .find(&format!("@{name}("))
        .and_then(|at| ir[..at].rfind("define "))
        .unwrap_or_else(|| panic!("{name} is defined"));
    let end = start + ir[start..].find("\n}\n").unwrap();
    let text = &ir[start..end];
    let group = text
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().find(|w| w.starts_with('#')))
        .unwrap_or_else(|| panic!("{name} has an attribute group"));
    let attributes = ir
        .lines()
        .find(|l| l.starts_with(&format!("attributes {group} = ")))
        .unwrap();
    (text, attributes)
}

#[test]
fn large_loop_free_functions_are_marked_light() {
    let ir = ir(OutputKind::LlvmIrUnopt);
    // Function indices: $twice 0, sum 1, big 2.
    assert!(definition(&ir, "kiln_func_2").1.contains("\"kiln-light\""));
    assert!(!definition(&ir, "kiln_func_1").1.contains("\"kiln-light\""));
    assert!(!definition(&ir, "kiln_func_0").1.contains("\"kiln-light\""));
}

#[test]
fn both_pipelines_ran_and_no_function_stays_set_aside() {
    let ir = ir(OutputKind::LlvmIrOpt);
    for name in ["kiln_func_0", "kiln_func_1", "kiln_func_2"] {
        let (text, attributes) = definition(&ir, name);
        assert!(!attributes.contains("optnone"), "{name}: {attributes}");
        assert!(!attributes.contains("noinline"), "{name}: {attributes}");
        // Locals became SSA values in every function.
        assert!(!text.contains("alloca"), "{name} keeps an alloca");
    }
    // The full pipeline inlined the helper into the loop.
    let (sum, _) = definition(&ir, "kiln_func_1");
    assert!(!sum.contains("@kiln_func_0("), "{sum}");
}

#[test]
fn light_and_full_code_compute_what_the_interpreter_does() {
    let wasm = wat::parse_str(module()).unwrap();
    let calls: [(&str, Vec<Val>); 4] = [
        ("sum", vec![Val::I32(0), Val::I32(16)]),
        ("big", vec![Val::I32(0)]),
        ("big", vec![Val::I32(12345)]),
        ("big", vec![Val::I32(-7)]),
    ];
    let run = |engine: Engine, module: Module| -> Vec<String> {
        calls
            .iter()
            .map(|(name, args)| {
                let mut store = Store::new(&engine, ());
                let instance = Instance::new(&mut store, &module, &[]).unwrap();
                let f = instance.get_func(&store, name).unwrap();
                let mut results = [Val::I32(0)];
                f.call(&mut store, args, &mut results).unwrap();
                format!("{results:?}")
            })
            .collect()
    };
    let interp = Engine::new(Config {
        default_mode: Some(RunningMode::Interp),
        ..Config::default()
    })
    .unwrap();
    let interp_module = Module::new(&interp, &wasm).unwrap();
    let aot = Engine::default();
    let bytes = compile_artifact(&wasm, &options()).unwrap();
    let aot_module = Module::from_artifact(&aot, &bytes, Some(&wasm)).unwrap();
    let expected = run(interp, interp_module);
    assert_eq!(
        expected[0],
        format!("{:?}", [Val::I32(2 * (1..=16).sum::<i32>())])
    );
    assert_eq!(run(aot, aot_module), expected);
}

/// The differential checker's seed 183: a light function on which one
/// InstCombine iteration does not reach a fixpoint. The light pipeline
/// once asked LLVM to verify the fixpoint, which aborts the process.
#[test]
fn one_instcombine_iteration_need_not_reach_a_fixpoint() {
    let wasm = include_bytes!("data/light-instcombine-fixpoint.wasm");
    let bytes = compile_artifact(wasm, &options()).unwrap();
    let engine = Engine::default();
    Module::from_artifact(&engine, &bytes, Some(wasm)).unwrap();
}

//! The Fast JIT compiles lazily by default (each function on its first
//! call, from any instance of the module) and eagerly on request; both run
//! the same code.

#![cfg(feature = "fast-jit")]

use kiln_runtime::{Config, Engine, Instance, Module, RunningMode, Store, Val};

const MODULE: &str = r#"(module
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "twice_fib") (param i32) (result i32)
    (i32.mul (call $fib (local.get 0)) (i32.const 2))))"#;

fn fib_in(store: &mut Store<()>, inst: Instance, name: &str, n: i32) -> i32 {
    let f = inst.get_func(&*store, name).unwrap();
    assert_eq!(f.tier(&*store), Some(RunningMode::FastJit));
    let mut r = [Val::I32(0)];
    f.call(store, &[Val::I32(n)], &mut r).unwrap();
    r[0].i32().unwrap()
}

#[test]
fn lazy_and_eager_compilation_agree_across_instances() {
    for eager in [false, true] {
        let engine = Engine::new(Config {
            default_mode: Some(RunningMode::FastJit),
            fast_jit_eager: eager,
            ..Config::default()
        })
        .unwrap();
        let module = Module::new(&engine, &wat::parse_str(MODULE).unwrap()).unwrap();
        let mut store = Store::new(&engine, ());
        let a = Instance::new(&mut store, &module, &[]).unwrap();
        let b = Instance::new(&mut store, &module, &[]).unwrap();
        // `a` compiles fib on its first call; `b` then finds it compiled,
        // and `twice_fib` (compiled in the same batch or on its own call)
        // reaches fib through b's table.
        assert_eq!(fib_in(&mut store, a, "fib", 20), 6765, "eager {eager}");
        assert_eq!(
            fib_in(&mut store, b, "twice_fib", 20),
            13530,
            "eager {eager}"
        );
        assert_eq!(fib_in(&mut store, b, "fib", 10), 55, "eager {eager}");
    }
}

/// Interpreted instances of modules with ever new signatures (each gets
/// trampolines into the interpreter) must not use up what compiled code
/// needs: the trap handler's code-range slots. Found by the differential
/// fuzzer after about 6,000 modules.
#[test]
fn many_interpreted_signatures_leave_room_for_compiled_code() {
    let engine = Engine::new(Config {
        default_mode: Some(RunningMode::FastJit),
        ..Config::default()
    })
    .unwrap();
    let types = ["i32", "i64", "f32", "f64"];
    for n in 0..5000u32 {
        // A store (and module) per signature: only what outlives them stays.
        let mut store = Store::new(&engine, ());
        store.set_running_mode(RunningMode::Interp).unwrap();
        let params: Vec<&str> = (0..7).map(|d| types[(n >> (2 * d)) as usize & 3]).collect();
        let text = format!(
            "(module (func (export \"f\") (param {})))",
            params.join(" ")
        );
        let module = Module::new(&engine, &wat::parse_str(&text).unwrap()).unwrap();
        Instance::new(&mut store, &module, &[]).unwrap();
    }
    let mut store = Store::new(&engine, ());
    let module = Module::new(&engine, &wat::parse_str(MODULE).unwrap()).unwrap();
    let inst = Instance::new(&mut store, &module, &[]).unwrap();
    assert_eq!(fib_in(&mut store, inst, "fib", 15), 610);
}

//! One module whose functions run in three tiers at once — the
//! interpreter, the Fast JIT and the LLVM JIT — calling each other
//! directly, through `call_indirect` and through a host function, with a
//! trap crossing the tiers (`Config::function_tiers`).

#![cfg(all(feature = "fast-jit", feature = "llvm"))]

use kiln_runtime::{
    Caller, Config, Engine, Error, Extern, Func, FuncType, Linker, Module, RunningMode, Store,
    TierChoice, Trap, TrapCode, Val, ValType,
};
use std::sync::Arc;

/// Function indices: 0 the host import; then interp, fast, llvm, via_host,
/// trap_in_interp, div (each named after the tier that runs it).
const MODULE: &str = r#"(module
  (type $ii (func (param i32) (result i32)))
  (import "env" "twice_interp" (func $host (param i32) (result i32)))
  (table 8 funcref)
  (elem (i32.const 0) $interp $fast $llvm $via_host $trap_in_interp $div)
  ;; interp(n) = fast(n) + 1, a direct call
  (func $interp (export "interp") (param i32) (result i32)
    (i32.add (call $fast (local.get 0)) (i32.const 1)))
  ;; fast(0) = 100; fast(n) = llvm(n - 1), through the table
  (func $fast (export "fast") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 100))
      (else (call_indirect (type $ii) (i32.sub (local.get 0) (i32.const 1)) (i32.const 2)))))
  ;; llvm(n) = 2 * interp(n), a direct call
  (func $llvm (export "llvm") (param i32) (result i32)
    (i32.mul (call $interp (local.get 0)) (i32.const 2)))
  ;; via_host(n) = host(n) + 3, where the host calls interp twice
  (func $via_host (export "via_host") (param i32) (result i32)
    (i32.add (call $host (local.get 0)) (i32.const 3)))
  ;; traps inside the interpreter, three tiers deep
  (func $trap_in_interp (export "trap_in_interp") (param i32) (result i32)
    (i32.add (call $div (local.get 0)) (i32.const 1)))
  (func $div (param i32) (result i32)
    (i32.div_u (i32.const 7) (local.get 0)))
  ;; the deep call chain ending in the trap: fast -> llvm -> interp
  (func (export "chain_to_trap") (param i32) (result i32)
    (call_indirect (type $ii) (local.get 0) (i32.const 4))))"#;

/// The tier of each function index (see `MODULE`).
fn tier(index: u32) -> RunningMode {
    match index {
        1 | 5 => RunningMode::Interp,
        2 | 7 => RunningMode::FastJit,
        3 | 6 => RunningMode::LlvmJit,
        _ => RunningMode::FastJit,
    }
}

/// `interp(n)` by the definitions above, computed in Rust.
fn expected_interp(n: i32) -> i32 {
    let mut fast = 100;
    for _ in 0..n {
        fast = 2 * (fast + 1);
    }
    fast + 1
}

fn setup() -> (Store<()>, kiln_runtime::Instance) {
    let config = Config {
        default_mode: Some(RunningMode::FastJit),
        function_tiers: Some(TierChoice(Arc::new(tier))),
        ..Config::default()
    };
    let engine = Engine::new(config).unwrap();
    let wasm = wat::parse_str(MODULE).unwrap();
    let module = Module::new(&engine, &wasm).unwrap();
    let mut store = Store::new(&engine, ());
    let ty = FuncType::new([ValType::I32], [ValType::I32]);
    // Calls the instance's `interp` twice from the host.
    let host = Func::new(&mut store, ty, |mut caller: Caller<'_, ()>, args, out| {
        let Some(Extern::Func(f)) = caller.get_export("interp") else {
            return Err(Trap::host("no interp export"));
        };
        let mut r = [Val::I32(0)];
        f.call(&mut caller, args, &mut r)
            .map_err(|e| Trap::host(e.to_string()))?;
        let first = r[0].i32().unwrap_or(0);
        f.call(&mut caller, args, &mut r)
            .map_err(|e| Trap::host(e.to_string()))?;
        out[0] = Val::I32(first + r[0].i32().unwrap_or(0));
        Ok(())
    });
    let mut linker = Linker::new();
    linker.define("env", "twice_interp", host);
    let instance = linker.instantiate(&mut store, &module).unwrap();
    (store, instance)
}

fn call(
    store: &mut Store<()>,
    instance: kiln_runtime::Instance,
    name: &str,
    n: i32,
) -> Result<i32, Error> {
    let f = instance.get_func(&*store, name).unwrap();
    let mut r = [Val::I32(0)];
    f.call(store, &[Val::I32(n)], &mut r)?;
    Ok(r[0].i32().unwrap())
}

#[test]
fn functions_in_three_tiers_call_each_other() {
    let (mut store, instance) = setup();
    let tier = |store: &Store<()>, name: &str| instance.get_func(store, name).unwrap().tier(store);
    assert_eq!(tier(&store, "interp"), Some(RunningMode::Interp));
    assert_eq!(tier(&store, "fast"), Some(RunningMode::FastJit));
    assert_eq!(tier(&store, "llvm"), Some(RunningMode::LlvmJit));
    for n in 0..6 {
        assert_eq!(
            call(&mut store, instance, "interp", n).unwrap(),
            expected_interp(n)
        );
        // fast(n) = interp(n) - 1; llvm(n) = 2 * interp(n).
        assert_eq!(
            call(&mut store, instance, "fast", n).unwrap(),
            expected_interp(n) - 1
        );
        assert_eq!(
            call(&mut store, instance, "llvm", n).unwrap(),
            2 * expected_interp(n)
        );
        assert_eq!(
            call(&mut store, instance, "via_host", n).unwrap(),
            2 * expected_interp(n) + 3
        );
    }
}

#[test]
fn a_trap_crosses_the_tiers_with_its_code() {
    let (mut store, instance) = setup();
    assert_eq!(call(&mut store, instance, "chain_to_trap", 7).unwrap(), 2);
    for name in ["trap_in_interp", "chain_to_trap"] {
        let err = call(&mut store, instance, name, 0).unwrap_err();
        match err {
            Error::Trap(t) => assert_eq!(t.code(), TrapCode::IntegerDivideByZero, "{name}"),
            other => panic!("{name}: expected a trap, got {other}"),
        }
    }
    // The store stays usable after a trap.
    assert_eq!(
        call(&mut store, instance, "interp", 2).unwrap(),
        expected_interp(2)
    );
}
